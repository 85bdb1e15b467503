package incidents

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// step is one step of an incident's page: the overview, then the decision of §164.402 in
// order, then what follows it.
type step int

const (
	stepOverview step = iota
	stepFacts
	stepSecured
	stepException
	stepFactors
	stepConclusion
	stepNotices
	stepDelays
	stepDeadlines
	stepRisks
	stepClose
	stepCount
)

var stepNames = [stepCount]string{
	"Overview", "Facts", "Secured?", "Exception", "Four factors", "Conclusion",
	"Notices", "Law enforcement", "Other deadlines", "Risk links", "Close",
}

// stepTitles head each step's content.
var stepTitles = [stepCount]string{
	"Overview: where the incident stands",
	"Facts of the incident",
	"Was the PHI unsecured? (§164.402)",
	"Does an exception apply? (§164.402(1))",
	"The four-factor assessment (§164.402(2))",
	"Conclusion",
	"Notices sent (§§164.404–164.410)",
	"Law-enforcement delays (§164.412)",
	"Other deadlines (state laws, contracts)",
	"Risks this incident raises",
	"Close or reopen",
}

// lists reports whether the step keeps a list the a key adds to.
func (s step) lists() bool {
	return s == stepNotices || s == stepDelays || s == stepDeadlines || s == stepRisks
}

// stepColumn is the width of the list of steps beside the content, from wideSteps columns.
const (
	stepColumn = 26
	wideSteps  = 100
)

func (m *Model) editLabel() string {
	switch m.step {
	case stepOverview:
		return "go to the next step to do"
	case stepNotices:
		return "record a notice"
	case stepDelays:
		return "record a delay"
	case stepDeadlines:
		return "edit the deadline"
	case stepRisks:
		return "link a risk"
	case stepClose:
		if v := m.selected(); v != nil && v.Closed != "" {
			return "reopen"
		}
		return "close the incident"
	case stepFactors:
		return "record this factor"
	}
	return "record this step"
}

func (m *Model) addLabel() string {
	switch m.step {
	case stepNotices:
		return "add a notice"
	case stepDelays:
		return "add a delay"
	case stepDeadlines:
		return "add a deadline"
	}
	return "link a risk"
}

func (m *Model) goStep(s step) {
	m.step = max(0, min(s, stepCount-1))
	m.item, m.pageOff = 0, 0
	if m.step == stepFactors {
		if v := m.selected(); v != nil {
			if miss := v.MissingFactors(); len(miss) > 0 {
				m.item = miss[0] - 1
			}
		}
	}
}

// items is how many things the current step lets the cursor pick: the four factors, the
// other deadlines.
func (m *Model) items() int {
	v := m.selected()
	switch {
	case v == nil:
		return 0
	case m.step == stepFactors:
		return 4
	case m.step == stepDeadlines:
		return len(v.Deadlines)
	}
	return 0
}

func (m *Model) pageKey(msg tea.KeyPressMsg) tea.Cmd {
	ik := m.e.Keys.Incidents
	v := m.selected()
	if v == nil {
		m.open = false
		return nil
	}
	if d, ok := m.e.Keys.Nav.Delta(msg, max(m.height-4, 1), 1<<20); ok {
		if n := m.items(); n > 0 && (d == 1 || d == -1) {
			m.item = max(0, min(n-1, m.item+d))
		} else {
			m.pageOff = max(m.pageOff+d, 0)
		}
		return nil
	}
	switch {
	case key.Matches(msg, ik.PrevStep):
		m.goStep(m.step - 1)
	case key.Matches(msg, ik.NextStep):
		m.goStep(m.step + 1)
	case key.Matches(msg, ik.Edit):
		return m.edit(v)
	case key.Matches(msg, ik.Add):
		if !m.step.lists() {
			return common.Notice("Notices, law-enforcement delays, other deadlines and risk links are added in their own steps (←/→).")
		}
		return m.add(v)
	case key.Matches(msg, ik.Memo):
		return m.memoForm()
	case key.Matches(msg, ik.Delete):
		return common.Notice(neverDeleted)
	}
	return nil
}

// closedNotice stops a change to a closed incident, saying how to reopen it.
func (m *Model) closedNotice(v *assessment.IncidentView) tea.Cmd {
	return common.Notice(fmt.Sprintf("Incident %s is closed; reopen it in the Close step to change it.", v.ShortID()))
}

// edit opens the form of the current step.
func (m *Model) edit(v *assessment.IncidentView) tea.Cmd {
	if m.step == stepOverview {
		m.goStep(nextToDo(v))
		return nil
	}
	if v.Closed != "" && m.step != stepClose {
		return m.closedNotice(v)
	}
	switch m.step {
	case stepFacts:
		return common.Push(m.factsForm(v))
	case stepSecured:
		return common.Push(m.securedForm(v))
	case stepException:
		return common.Push(m.exceptionForm(v))
	case stepFactors:
		return common.Push(m.factorForm(v, m.item+1))
	case stepConclusion:
		return common.Push(m.conclusionForm(v))
	case stepDeadlines:
		if len(v.Deadlines) == 0 {
			return common.Push(m.deadlineForm(v, -1))
		}
		return common.Push(m.deadlineForm(v, m.item))
	case stepClose:
		if v.Closed != "" {
			return common.Push(m.reopenForm(v))
		}
		return m.closeForm(v)
	}
	return m.add(v)
}

// add opens the form that adds to the current step's list.
func (m *Model) add(v *assessment.IncidentView) tea.Cmd {
	if v.Closed != "" {
		return m.closedNotice(v)
	}
	switch m.step {
	case stepNotices:
		return common.Push(m.noticeForm(v))
	case stepDelays:
		return common.Push(m.delayForm(v))
	case stepDeadlines:
		return common.Push(m.deadlineForm(v, -1))
	case stepRisks:
		return m.linkForm(v)
	}
	return nil
}

// nextToDo is the first step of the decision the record still needs, or the notices once
// it is decided, or closing.
func nextToDo(v *assessment.IncidentView) step {
	switch {
	case v.Closed != "":
		return stepClose
	case factsMissing(v):
		return stepFacts
	case v.Secured == nil:
		return stepSecured
	case v.Conclusion == nil && v.Final == assessment.Secured:
		return stepConclusion
	case v.Exception == nil:
		return stepException
	case v.Conclusion == nil && v.Exception.Applies == assessment.ExceptionNone && len(v.MissingFactors()) > 0:
		return stepFactors
	case v.Conclusion == nil:
		return stepConclusion
	}
	for _, d := range v.Duties {
		if d.Open() && d.Key != assessment.DutyOther && d.Key != assessment.DutyHHSLog {
			return stepNotices
		}
	}
	return stepClose
}

// factsMissing reports whether the facts the clocks and the decision need are missing.
func factsMissing(v *assessment.IncidentView) bool {
	return v.Individuals == 0 || len(v.Data) == 0 || (len(v.Assets) == 0 && v.Exposure != assessment.ExposureDisclosure)
}

// stepMark is the mark beside a step in the list of steps: done, partly done, or a count.
func stepMark(v *assessment.IncidentView, s step) string {
	switch s {
	case stepFacts:
		return done(!factsMissing(v))
	case stepSecured:
		return done(v.Secured != nil)
	case stepException:
		return done(v.Exception != nil)
	case stepFactors:
		n := 4 - len(v.MissingFactors())
		switch {
		case n == 4:
			return "✔"
		case factorsMoot(v):
			return "–"
		case n > 0:
			return "◐"
		}
		return "·"
	case stepConclusion:
		return done(v.Conclusion != nil)
	case stepNotices:
		for _, d := range v.Duties {
			if d.Open() && d.Status == assessment.DutyOverdue {
				return "!"
			}
		}
		return count(len(v.Notices))
	case stepDelays:
		return count(len(v.Delays))
	case stepDeadlines:
		return count(len(v.Deadlines))
	case stepRisks:
		return count(len(v.RiskLinks))
	case stepClose:
		return done(v.Closed != "")
	}
	return " "
}

func done(ok bool) string {
	if ok {
		return "✔"
	}
	return "·"
}

func count(n int) string {
	if n == 0 {
		return "·"
	}
	if n > 9 {
		return "+"
	}
	return fmt.Sprint(n)
}

// factorsMoot reports whether the four factors are not needed: the PHI was determined
// secured, or an exception applies.
func factorsMoot(v *assessment.IncidentView) bool {
	return v.Final == assessment.Secured || (v.Exception != nil && v.Exception.Applies != assessment.ExceptionNone)
}

// stepAt is the step drawn at x, y of the page (the list of steps, on wide screens).
func (m *Model) stepAt(x, y int) (step, bool) {
	if m.width < wideSteps || x >= stepColumn {
		return 0, false
	}
	i := y - 2 // the title line and a blank line
	if i < 0 || i >= int(stepCount) {
		return 0, false
	}
	return step(i), true
}

// pageView is an incident's page: its title, the steps (a column on wide screens, a line
// on narrow ones), the current step's content, and the next duty.
func (m *Model) pageView() string {
	s := m.styles
	v := m.selected()
	w := m.width
	title := s.Header.Render(oneLine(v.Title)) + s.Subtle.Render(" · "+v.ShortID()+" · "+v.Status.Label()+" · "+notifyLabel(v))
	next, ok := v.Next()
	l1, l2 := m.dutyLines(v, next, ok)
	foot := []string{common.Truncate(l1, w), common.Truncate(l2, w)}
	if mv := strings.TrimRight(m.memoView(), "\n"); mv != "" {
		foot = append(foot, strings.Split(mv, "\n")...)
	}
	h := max(m.height-2-len(foot), 3) // title and blank above, footer below
	var body []string
	head := m.styles.Title.Render(stepTitles[m.step])
	if w >= wideSteps {
		cw := w - stepColumn - 1
		content := append([]string{head}, m.scrolled(m.content(v, cw, h-1), h-1)...)
		steps := m.stepList(v)
		for i := 0; i < h; i++ {
			l, r := "", ""
			if i < len(steps) {
				l = steps[i]
			}
			if i < len(content) {
				r = content[i]
			}
			body = append(body, common.Fit(l, stepColumn)+" "+r)
		}
	} else {
		content := m.scrolled(m.content(v, w-1, h-2), h-2)
		body = append([]string{m.crumb(v), head}, content...)
		for len(body) < h {
			body = append(body, "")
		}
	}
	for i, l := range body {
		body[i] = common.Truncate(l, w)
	}
	return common.Truncate(title, w) + "\n\n" + strings.Join(body, "\n") + "\n" + strings.Join(foot, "\n")
}

// scrolled is the content from the page offset, h lines, with a last line saying how much
// more there is; the selected item (a factor, a deadline) is kept in view.
func (m *Model) scrolled(lines []string, h int) []string {
	if len(lines) <= h {
		m.pageOff = 0
		return lines
	}
	m.pageOff = max(0, min(m.pageOff, len(lines)-h+1))
	end := min(len(lines), m.pageOff+h-1)
	out := slices.Clone(lines[m.pageOff:end])
	more := m.styles.Subtle.Render(fmt.Sprintf("  ↓ %s · j/k or the wheel to scroll", assessment.Plural(len(lines)-end, "more line", "more lines")))
	if end == len(lines) {
		more = m.styles.Subtle.Render("  ↑ scrolled · k or the wheel to go back up")
	}
	return append(out, more)
}

// stepList is the column of steps with their marks, the current one selected.
func (m *Model) stepList(v *assessment.IncidentView) []string {
	s := m.styles
	var out []string
	for i := range stepCount {
		st := step(i)
		label := common.Fit(" "+stepMark(v, st)+" "+stepNames[st], stepColumn-1)
		switch {
		case st == m.step:
			label = s.Selected.Render(label)
		case st == stepOverview:
			label = s.Header.Render(label)
		}
		out = append(out, label)
	}
	return append(out, "", s.Subtle.Render(common.Fit(" ←/→ move · e record", stepColumn-1)))
}

// crumb is the narrow screen's line of steps: where this one is, and its neighbours.
func (m *Model) crumb(v *assessment.IncidentView) string {
	s := m.styles
	cur := s.Selected.Render(" " + stepMark(v, m.step) + " " + stepNames[m.step] + " ")
	line := s.Subtle.Render(fmt.Sprintf("Step %d of %d ", int(m.step)+1, int(stepCount))) + cur
	if m.step > 0 {
		line += s.Subtle.Render("  ← " + stepNames[m.step-1])
	}
	if m.step < stepCount-1 {
		line += s.Subtle.Render("  → " + stepNames[m.step+1])
	}
	return line
}

// content is the current step's lines at width w, for a pane h lines high.
func (m *Model) content(v *assessment.IncidentView, w, h int) []string {
	p := &page{s: m.styles, w: max(w, 30), selAt: -1}
	switch m.step {
	case stepOverview:
		m.overview(p, v)
	case stepFacts:
		m.facts(p, v)
	case stepSecured:
		m.secured(p, v)
	case stepException:
		m.exception(p, v)
	case stepFactors:
		m.factors(p, v)
	case stepConclusion:
		m.conclusion(p, v)
	case stepNotices:
		m.notices(p, v)
	case stepDelays:
		m.delays(p, v)
	case stepDeadlines:
		m.deadlines(p, v)
	case stepRisks:
		m.risks(p, v)
	case stepClose:
		m.closing(p, v)
	}
	if p.selAt >= 0 {
		// Keep the selected item on screen.
		if p.selAt < m.pageOff {
			m.pageOff = p.selAt
		} else if p.selEnd >= m.pageOff+h-1 {
			m.pageOff = p.selEnd - h + 2
		}
	}
	return p.lines
}

// page collects a step's lines at one width.
type page struct {
	s      common.Styles
	w      int
	lines  []string
	selAt  int // first line of the selected item, -1 for none
	selEnd int
}

func (p *page) add(ls ...string) { p.lines = append(p.lines, ls...) }

// para wraps text in a style.
func (p *page) para(text string, st lipgloss.Style) {
	for _, l := range common.Wrap(assessment.SafeText(text), p.w) {
		p.add(st.Render(l))
	}
}

// head starts a group of lines.
func (p *page) head(t string) { p.add("", p.s.Header.Render(t)) }

const kvLabel = 18

// kv is a label and its wrapped value; an empty value says it is not recorded.
func (p *page) kv(label, value string) {
	ls := common.Wrap(assessment.SafeText(value), p.w-kvLabel)
	if len(ls) == 0 {
		ls = []string{p.s.Subtle.Render("not recorded")}
	}
	for i, l := range ls {
		if i == 0 {
			p.add(p.s.Subtle.Render(common.Fit(label, kvLabel)) + l)
		} else {
			p.add(strings.Repeat(" ", kvLabel) + l)
		}
	}
}

// bullet is an indented item, wrapped under itself.
func (p *page) bullet(mark, text string, st lipgloss.Style) {
	for _, l := range common.Hang("  "+mark+" ", assessment.SafeText(text), p.w) {
		p.add(st.Render(l))
	}
}

// hint is what the keys do here, set off from the content.
func (p *page) hint(text string) {
	p.add("")
	p.para(text, p.s.Subtle)
}

func (p *page) markSel(from int) { p.selAt, p.selEnd = from, len(p.lines)-1 }
