package incidents

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// column is one column of the list.
type column struct {
	title string
	width int
}

// columns lays the list out: ID, due date and a wider duty from 110 columns; the title
// takes what is left.
func (m *Model) columns() (cols []column, gap int) {
	w := m.width
	gap = 1
	wide := w >= 110
	if wide {
		gap = 2
		cols = append(cols, column{"ID", 8})
	}
	cols = append(cols, column{"TITLE", 0}, column{"DISCOVERED", 12}, column{"STATUS", 8})
	if wide {
		cols = append(cols, column{"NEXT DUTY", 28}, column{"DUE", 12})
	} else {
		cols = append(cols, column{"NEXT DUTY", 21})
	}
	cols = append(cols, column{"LEFT", 16})
	used := 1 + gap*(len(cols)-1)
	for _, c := range cols {
		used += c.width
	}
	for i := range cols {
		if cols[i].title == "TITLE" {
			cols[i].width = max(w-used, 12)
		}
	}
	return cols, gap
}

// leftText is what the LEFT column says: the next duty's days, or why there is none.
func leftText(e *entry) string {
	switch {
	case e.hasNext:
		return assessment.DaysLeft(e.next.DaysLeft)
	case e.v.Status == assessment.IncidentClosed:
		return "closed"
	}
	return "nothing due"
}

// leftStyle colors days left: overdue as an error, a week or less as a warning.
func (m *Model) leftStyle(e *entry) lipgloss.Style {
	s := m.styles
	switch {
	case !e.hasNext:
		return s.Subtle
	case e.next.DaysLeft < 0:
		return s.Error
	case e.next.DaysLeft <= 7:
		return s.Warn
	}
	return lipgloss.NewStyle()
}

func (m *Model) cells(e *entry, cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		var v string
		switch c.title {
		case "ID":
			v = e.v.ShortID()
		case "TITLE":
			v = oneLine(e.v.Title)
		case "DISCOVERED":
			v = assessment.DocDay(e.v.Discovered)
		case "STATUS":
			v = e.v.Status.Label()
		case "NEXT DUTY":
			v = "—"
			if e.hasNext {
				v = e.next.Title
			}
		case "DUE":
			v = "—"
			if e.hasNext {
				v = assessment.DocDate(e.next.Due)
			}
		case "LEFT":
			v = leftText(e)
		}
		out[i] = common.Fit(v, c.width)
	}
	return out
}

// render draws a row, plain and selected, once per layout.
func (m *Model) render(e *entry, cols []column, sep string) {
	if e.stamp == m.stamp && e.line != "" {
		return
	}
	s := m.styles
	e.stamp = m.stamp
	cells := m.cells(e, cols)
	e.sel = s.Selected.Render(" " + strings.Join(cells, sep))
	if e.v.Status == assessment.IncidentClosed {
		e.line = s.Subtle.Render(" " + strings.Join(cells, sep))
		return
	}
	last := len(cells) - 1
	cells[last] = m.leftStyle(e).Render(cells[last])
	e.line = " " + strings.Join(cells, sep)
}

func (m *Model) listView() string {
	s := m.styles
	var b strings.Builder
	m.heading(&b)
	if len(m.rows) == 0 {
		lines := []string{"",
			"No incidents are recorded against this assessment.",
			"",
			"When something may have exposed patient data (a lost laptop, a misdirected",
			"email, ransomware), press " + m.e.Keys.Incidents.Add.Help().Key + " to record it. The breach notification",
			"clocks start on the day it is discovered (§164.404(a)(2)), and the incident's",
			"page walks you through the decision of §164.402 step by step.",
		}
		if n := len(m.data.Snap.EarlierIncidents); n > 0 {
			lines = append(lines, "", assessment.Plural(n, "incident is", "incidents are")+" recorded against the assessment this one revises; open that one to work on them.")
		}
		for _, l := range lines {
			b.WriteString(common.Truncate(l, m.width) + "\n")
		}
		b.WriteString(m.memoView())
		return strings.TrimRight(b.String(), "\n")
	}
	cols, gap := m.columns()
	sep := strings.Repeat(" ", gap)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = common.Fit(c.title, c.width)
	}
	b.WriteString(s.Subtle.Render(" "+strings.Join(head, sep)) + "\n")
	n := m.rowsVisible()
	end := min(len(m.rows), m.offset+n)
	for i := m.offset; i < end; i++ {
		e := &m.rows[i]
		m.render(e, cols, sep)
		if i == m.cursor {
			b.WriteString(e.sel + "\n")
		} else {
			b.WriteString(e.line + "\n")
		}
	}
	for i := end - m.offset; i < n; i++ {
		b.WriteString("\n")
	}
	b.WriteString(m.footer())
	if mv := m.memoView(); mv != "" {
		b.WriteString("\n" + strings.TrimRight(mv, "\n"))
	}
	return b.String()
}

func (m *Model) heading(b *strings.Builder) {
	s := m.styles
	open := 0
	for i := range m.rows {
		if m.rows[i].v.Status != assessment.IncidentClosed {
			open++
		}
	}
	info := "  " + assessment.Plural(len(m.rows), "incident", "incidents")
	if len(m.rows) > 0 {
		info += fmt.Sprintf(" · %s open · most urgent first · clocks as of %s", assessment.FormatInt(open), assessment.DocDate(m.data.Today))
	}
	if n := len(m.data.Snap.EarlierIncidents); n > 0 && len(m.rows) > 0 {
		info += " · " + assessment.FormatInt(n) + " more in the revised assessment"
	}
	b.WriteString(common.Truncate(s.Header.Render("Incidents")+s.Subtle.Render(info), m.width) + "\n")
}

// footer is the selected incident in full: its title and ID, then its next duty with the
// due date, the days left and the day its clock counts from.
func (m *Model) footer() string {
	s := m.styles
	if m.cursor >= len(m.rows) {
		return "\n\n"
	}
	e := &m.rows[m.cursor]
	v := e.v
	l1 := " " + s.Subtle.Render(v.ShortID()+" ") + s.Header.Render(oneLine(v.Title)) + s.Subtle.Render(" · "+notifyLabel(v))
	l2, l3 := m.dutyLines(v, e.next, e.hasNext)
	return common.Truncate(l1, m.width) + "\n" + common.Truncate(" "+l2, m.width) + "\n" + common.Truncate(" "+l3, m.width)
}

// dutyLines are the next duty in two lines: what, under which paragraph, by when and how
// many days are left; then the day its clock counts from and the days law enforcement
// paused it.
func (m *Model) dutyLines(v *assessment.IncidentView, d assessment.Duty, ok bool) (string, string) {
	s := m.styles
	if !ok {
		switch {
		case v.Status == assessment.IncidentClosed:
			return s.Subtle.Render(fmt.Sprintf("Closed on %s; nothing is due.", assessment.DocDay(v.Closed))), ""
		case v.Notify == assessment.NotifyNotRequired:
			return s.Subtle.Render("Not a breach: no notice is due."), s.Subtle.Render("Close it when the work is done.")
		}
		return s.Subtle.Render("Every notice owed is recorded."), s.Subtle.Render("Close it when the work is done.")
	}
	left := m.leftStyle(&entry{next: d, hasNext: true}).Render(assessment.DaysLeft(d.DaysLeft))
	l1 := "Next: " + d.Title + " " + s.Subtle.Render(dutyCite(d)) + " due " + assessment.DocDate(d.Due) + " · " + left
	from := "Counted from " + clockFrom(v)
	if d.Paused > 0 {
		from += fmt.Sprintf("; +%s paused (§164.412)", assessment.Plural(d.Paused, "day", "days"))
	}
	if d.Key == assessment.DutyOther {
		from = "Set by the assessor: " + oneLine(d.Basis)
	}
	return l1, s.Subtle.Render(from + ".")
}

// clockFrom names the day the organization's clocks start and why.
func clockFrom(v *assessment.IncidentView) string {
	day := assessment.DocDate(v.Start)
	switch {
	case v.DiscoveredBy == assessment.DiscoveredByPractice:
		return "discovery on " + day
	case v.Agent:
		return "the agent's discovery on " + day
	}
	return "the business associate's notice on " + day
}

// dutyCite is the duty's paragraph in parentheses; the assessor's deadlines cite their own
// basis elsewhere.
func dutyCite(d assessment.Duty) string {
	if d.Key == assessment.DutyOther || d.Cite == "" {
		return ""
	}
	return "(" + d.Cite + ")"
}

// notifyLabel says where the decision stands.
func notifyLabel(v *assessment.IncidentView) string {
	switch v.Notify {
	case assessment.NotifyRequired:
		return "breach: notification required"
	case assessment.NotifyNotRequired:
		return "not a breach: " + outcomeShort(v.Conclusion.Outcome)
	}
	return "decision open"
}

func outcomeShort(o string) string {
	switch o {
	case assessment.OutcomeLowProbability:
		return "low probability of compromise"
	case assessment.OutcomeSecured:
		return "PHI secured"
	case assessment.OutcomeException:
		return "exception applies"
	case assessment.OutcomeNotPHI:
		return "no PHI involved"
	}
	return "breach"
}
