package ui

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"safeguard/assessment"
)

func init() { registerSection(1, func(e *env) section { return newDashboard(e) }) }

var (
	dashPgDown = key.NewBinding(key.WithKeys("pgdown", "ctrl+d", "space"), key.WithHelp("pgdn", "page down"))
	dashPgUp   = key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up"))
	dashScroll = key.NewBinding(key.WithKeys("j", "k", "up", "down"), key.WithHelp("j/k", "scroll"))
)

// dashWide is the width from which the dashboard uses two columns.
const dashWide = 120

// dashboard is the read-only overview of an open assessment: progress and compliance per
// safeguard, the risk heat map, the top risks, vendor warnings and what blocks finalising.
// Its lines are built once per data, size or style change; View only slices them, so
// scrolling stays instant however long the readiness list is.
type dashboard struct {
	e      *env
	data   *assessData
	lines  []string
	offset int
	width  int
	height int
	styles Styles
}

func newDashboard(e *env) *dashboard { return &dashboard{e: e} }

func (d *dashboard) Title() string { return "Dashboard" }
func (d *dashboard) Init() tea.Cmd { return nil }
func (d *dashboard) Typing() bool  { return false }
func (d *dashboard) Back() bool    { return false }

func (d *dashboard) SetData(a *assessData) { d.data = a; d.rebuild() }
func (d *dashboard) SetSize(w, h int)      { d.width, d.height = w, h; d.rebuild() }
func (d *dashboard) SetStyles(s Styles)    { d.styles = s; d.rebuild() }

func (d *dashboard) Keys() helpKeys {
	k := d.e.keys
	return helpKeys{
		short: []key.Binding{dashScroll, dashPgDown},
		full:  [][]key.Binding{{k.Up, k.Down, dashPgUp, dashPgDown, k.Top, k.Bottom}},
	}
}

func (d *dashboard) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		k := d.e.keys
		switch {
		case key.Matches(msg, k.Up):
			d.scroll(-1)
		case key.Matches(msg, k.Down):
			d.scroll(1)
		case key.Matches(msg, dashPgUp):
			d.scroll(-d.height + 2)
		case key.Matches(msg, dashPgDown):
			d.scroll(d.height - 2)
		case key.Matches(msg, k.Top):
			d.offset = 0
		case key.Matches(msg, k.Bottom):
			d.scroll(len(d.lines))
		}
	case tea.MouseWheelMsg:
		if msg.Mouse().Button == tea.MouseWheelUp {
			d.scroll(-3)
		} else if msg.Mouse().Button == tea.MouseWheelDown {
			d.scroll(3)
		}
	}
	return d, nil
}

func (d *dashboard) scroll(n int) {
	d.offset = max(0, min(d.offset+n, d.maxOffset()))
}

// maxOffset keeps the last screen full; one line is kept for the scroll indicator.
func (d *dashboard) maxOffset() int { return max(len(d.lines)-(d.height-1), 0) }

func (d *dashboard) View() string {
	if d.data == nil {
		return ""
	}
	h := max(d.height, 1)
	if len(d.lines) <= h {
		return strings.Join(d.lines, "\n")
	}
	d.offset = min(d.offset, d.maxOffset())
	end := min(len(d.lines), d.offset+h-1)
	pct := 100 * end / len(d.lines)
	ind := d.styles.Subtle.Render(fmt.Sprintf("── %d%% · j/k or the mouse wheel to scroll ──", pct))
	return strings.Join(d.lines[d.offset:end], "\n") + "\n" + ind
}

// rebuild lays the dashboard out for the current width: two columns from dashWide
// columns, otherwise one stacked column.
func (d *dashboard) rebuild() {
	if d.data == nil || d.width <= 0 {
		d.lines = nil
		return
	}
	w := d.width
	var out []string
	out = append(out, d.overall(w)...)
	if w >= dashWide {
		lw := max(68, (w-3)*56/100)
		rw := w - lw - 3
		left := d.progress(lw)
		right := slices.Concat(d.heatMap(rw), []string{""}, d.topRisks(rw), []string{""}, d.vendors(rw))
		for i := 0; i < max(len(left), len(right)); i++ {
			var l, r string
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			out = append(out, dashFit(l, lw)+"   "+r)
		}
		out = append(out, "")
	} else {
		out = slices.Concat(out, d.progress(w), []string{""}, d.heatMap(w), []string{""}, d.topRisks(w),
			[]string{""}, d.vendors(w), []string{""})
	}
	out = append(out, d.readiness(w)...)
	for i, l := range out {
		if lipgloss.Width(l) > w {
			out[i] = truncate(l, w)
		}
	}
	d.lines = out
	d.offset = min(d.offset, d.maxOffset())
}

// dashFit pads or cuts a styled line to exactly w cells.
func dashFit(s string, w int) string {
	if lw := lipgloss.Width(s); lw < w {
		return s + strings.Repeat(" ", w-lw)
	} else if lw > w {
		return truncate(s, w)
	}
	return s
}

// overall is the one-line summary at the top.
func (d *dashboard) overall(w int) []string {
	s := d.styles
	sum := d.data.sum
	c := sum.Overall
	done := c.Implemented + c.Partial + c.NotImplemented + c.NotApplicable
	parts := []string{fmt.Sprintf("%s answered (%d of %d)", dashPct(c.Completion()), done, c.Applicable)}
	if share, ok := c.Compliance(); ok {
		parts = append(parts, "compliance "+dashPct(share))
	} else {
		parts = append(parts, "compliance —")
	}
	high, rated := 0, 0
	for l, n := range sum.RiskLevels {
		rated += n
		if assessment.IsHigh(l) {
			high += n
		}
	}
	parts = append(parts, fmt.Sprintf("%d rated risks, %d high or very high", rated, high))
	if n := len(sum.VendorIssues); n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s to follow up", n, dashPlural(n, "vendor", "vendors")))
	}
	line := s.Header.Render("Overall") + " " + strings.Join(parts, s.Subtle.Render(" · "))
	return append(riskWrap(line, w), "")
}

func dashPct(f float64) string { return fmt.Sprintf("%.0f%%", math.Floor(100*f+0.5)) }

func dashPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// dashSafeguardName is a short name for a safeguard section.
func dashSafeguardName(id, title string) string {
	switch id {
	case "164.308":
		return "Administrative"
	case "164.310":
		return "Physical"
	case "164.312":
		return "Technical"
	case "164.314":
		return "Organizational"
	case "164.316":
		return "Policies & documentation"
	}
	return strings.TrimSuffix(title, " Safeguards")
}

// dashBar draws a bar of width w filled to share (0..1).
func dashBar(share float64, w int, fill lipgloss.Style, empty lipgloss.Style) string {
	n := int(math.Floor(share*float64(w) + 0.5))
	n = max(0, min(n, w))
	return fill.Render(strings.Repeat("█", n)) + empty.Render(strings.Repeat("░", w-n))
}

// complianceStyle colours a compliance share: green from 90 %, amber from 60 %, red below.
func (d *dashboard) complianceStyle(share float64) lipgloss.Style {
	s := d.styles
	switch {
	case share >= 0.9:
		return s.Notice
	case share >= 0.6:
		return s.Status["draft"]
	}
	return s.Error
}

// countsLines are the answered and compliance bars of one group of counts.
func (d *dashboard) countsLines(c assessment.Counts, w int, answered, compliant string) []string {
	s := d.styles
	const labelW = 13
	bw := max(min(24, w-labelW-7-34), 8)
	done := c.Implemented + c.Partial + c.NotImplemented + c.NotApplicable
	ans := fmt.Sprintf("%d of %d", done, c.Applicable)
	if c.Flagged > 0 {
		ans += fmt.Sprintf(" · %d flagged", c.Flagged)
	}
	l1 := "  " + riskPad(answered, labelW-2) + dashBar(c.Completion(), bw, s.Title, s.Subtle) + " " +
		fmt.Sprintf("%4s", dashPct(c.Completion())) + "  " + s.Subtle.Render(ans)
	var l2 string
	if share, ok := c.Compliance(); ok {
		st := d.complianceStyle(share)
		l2 = "  " + riskPad(compliant, labelW-2) + dashBar(share, bw, st, s.Subtle) + " " +
			st.Render(fmt.Sprintf("%4s", dashPct(share))) + "  " +
			s.Subtle.Render(fmt.Sprintf("%d in place · %d partial · %d not", c.Implemented, c.Partial, c.NotImplemented))
	} else {
		l2 = "  " + riskPad(compliant, labelW-2) + s.Subtle.Render(strings.Repeat("░", bw)) + " " +
			fmt.Sprintf("%4s", "—") + "  " + s.Subtle.Render("nothing answered to score yet")
	}
	return []string{truncate(l1, w), truncate(l2, w)}
}

// progress is completion and compliance per safeguard, then the proposed-rule items on
// their own.
func (d *dashboard) progress(w int) []string {
	s := d.styles
	sum := d.data.sum
	out := []string{s.Header.Render("Progress and compliance by safeguard")}
	for _, l := range riskWrap("Compliance counts partial answers as half and leaves out n/a, flagged and unanswered items.", w) {
		out = append(out, s.Subtle.Render(l))
	}
	for _, g := range sum.BySafeguard {
		if g.Applicable == 0 {
			continue
		}
		out = append(out, dashFit(s.Header.Render(dashSafeguardName(g.ID, g.Title))+s.Subtle.Render(" §"+g.ID), w))
		out = append(out, d.countsLines(g.Counts, w, "Answered", "Compliant")...)
	}
	out = append(out, "")
	p := sum.Proposed
	if p.Applicable == 0 {
		if !d.data.snap.Profile.IncludeProposed {
			out = append(out, s.Subtle.Render(truncate("2025 proposed rule: not included. Turn it on in the profile to see what would change.", w)))
		}
		return out
	}
	out = append(out, truncate(s.Header.Render("2025 proposed rule")+s.Status["draft"].Render(" · proposed, not law")+
		s.Subtle.Render(" · not counted above"), w))
	out = append(out, d.countsLines(p, w, "Answered", "Would meet")...)
	var gaps []string
	for _, it := range d.data.items {
		if !it.Question.Proposed {
			continue
		}
		r, ok := d.data.resp[it.Key()]
		if !ok || !assessment.IsGap(r.Status) {
			continue
		}
		where := it.Question.ID
		if it.Asset != nil {
			where += " (" + it.Asset.Name + ")"
		}
		gaps = append(gaps, where+" "+it.Question.Text)
	}
	if len(gaps) > 0 {
		out = append(out, s.Subtle.Render(fmt.Sprintf("  Would become %d %s if the rule is finalised:", len(gaps), dashPlural(len(gaps), "gap", "gaps"))))
		for i, g := range gaps {
			if i == 4 {
				out = append(out, s.Subtle.Render(fmt.Sprintf("    … and %d more", len(gaps)-4)))
				break
			}
			out = append(out, truncate("  ◇ "+g, w))
		}
	}
	return out
}

// heatMap draws the confirmed, rated risks in each likelihood × impact cell.
func (d *dashboard) heatMap(w int) []string {
	s := d.styles
	m := d.data.snap.Profile.Matrix.OrDefault()
	heat := d.data.sum.Heat
	rated := heat.Total()
	cell := func(l, i int) string {
		if heat.At(l, i) == 0 {
			return "·"
		}
		return itoa(heat.At(l, i))
	}
	out := []string{s.Header.Render("Risk heat map") + s.Subtle.Render(" · "+d.matrixName(m))}
	out = append(out, strings.Split(riskMatrix(s, m, true, cell, nil), "\n")...)
	for _, l := range riskJoinWrap(riskLegendItems(m), " · ", w) {
		out = append(out, s.Subtle.Render(l))
	}
	note := fmt.Sprintf("%d rated %s, dismissed ones left out", rated, dashPlural(rated, "risk", "risks"))
	if u := d.data.sum.Unrated; u > 0 {
		note += fmt.Sprintf("; %d confirmed, not rated yet", u)
	}
	if p := d.data.sum.ProposedRisks; p > 0 {
		note += fmt.Sprintf("; %d proposed, not rated", p)
	}
	for _, l := range riskWrap(note+".", w) {
		out = append(out, s.Subtle.Render(l))
	}
	return out
}

func (d *dashboard) matrixName(m assessment.MatrixKind) string {
	if m.Scale() == 3 {
		return "3×3 (HHS SRA Tool style)"
	}
	return "NIST SP 800-30 Rev. 1 5×5"
}

// dashTopN is how many top risks the dashboard lists.
const dashTopN = 8

// topRisks lists the highest-rated risks that are still open (not closed or dismissed).
func (d *dashboard) topRisks(w int) []string {
	s := d.styles
	m := d.data.snap.Profile.Matrix.OrDefault()
	var top []*assessment.Risk
	for i := range d.data.snap.Risks {
		r := &d.data.snap.Risks[i]
		if r.Status == assessment.RiskDismissed || r.Status == assessment.RiskClosed || m.Level(r.Likelihood, r.Impact) == assessment.LevelNone {
			continue
		}
		top = append(top, r)
	}
	slices.SortStableFunc(top, func(a, b *assessment.Risk) int {
		if c := m.Rank(m.Level(b.Likelihood, b.Impact)) - m.Rank(m.Level(a.Likelihood, a.Impact)); c != 0 {
			return c
		}
		if c := b.Likelihood*b.Impact - a.Likelihood*a.Impact; c != 0 {
			return c
		}
		return strings.Compare(a.Title, b.Title)
	})
	out := []string{s.Header.Render("Top risks") + s.Subtle.Render(fmt.Sprintf(" · %d open and rated", len(top)))}
	if len(top) == 0 {
		return append(out, s.Subtle.Render(truncate("No rated open risks yet. Rate the proposed ones in the Risks tab.", w)))
	}
	// The asset column goes when the column is narrow; the title matters more.
	assetW := 0
	if w >= 60 {
		assetW = min(18, w/5)
	}
	titleW := max(w-1-9-1-3-1-assetW-1, 10)
	for i, r := range top {
		if i == dashTopN {
			out = append(out, s.Subtle.Render(fmt.Sprintf(" … and %d more in the Risks tab", len(top)-dashTopN)))
			break
		}
		l := m.Level(r.Likelihood, r.Impact)
		asset := "Organisation"
		if a, ok := d.data.snap.Asset(r.AssetID); ok {
			asset = a.Name
		}
		line := " " + riskLevelStyle(s, l).Render(riskPad(m.Label(l), 9)) + " " + fmt.Sprintf("%d×%d", r.Likelihood, r.Impact) + " " +
			riskPad(r.Title, titleW)
		if assetW > 0 {
			line += " " + s.Subtle.Render(riskPad(asset, assetW))
		}
		out = append(out, line)
	}
	return out
}

// vendors lists each vendor with an issue: a missing or expired BAA, lapsed attestations,
// or SOC 2 as the only attestation.
func (d *dashboard) vendors(w int) []string {
	s := d.styles
	sum := d.data.sum
	out := []string{s.Header.Render("Vendors needing attention") + s.Subtle.Render(fmt.Sprintf(" · %d of %d", len(sum.VendorIssues), len(d.data.snap.Vendors)))}
	if len(d.data.snap.Vendors) == 0 {
		return append(out, s.Subtle.Render("No vendors recorded yet; add them in the Setup tab."))
	}
	if len(sum.VendorIssues) == 0 {
		return append(out, s.Notice.Render(truncate("✔ Every vendor has a signed BAA and a current attestation beyond SOC 2 alone.", w)))
	}
	warn := s.Status["draft"]
	for _, v := range d.data.snap.Vendors {
		iss := sum.VendorIssues[v.ID]
		if len(iss) == 0 {
			continue
		}
		var used []string
		for _, a := range d.data.snap.Assets {
			if a.VendorID == v.ID {
				used = append(used, a.Name)
			}
		}
		head := warn.Render("⚠ ") + s.Header.Render(v.Name)
		if len(used) > 0 {
			head += s.Subtle.Render(" · for " + strings.Join(used, ", "))
		}
		out = append(out, truncate(head, w))
		for _, is := range iss {
			for j, l := range riskWrap(is.Text, w-4) {
				if j == 0 {
					out = append(out, "  • "+l)
				} else {
					out = append(out, "    "+l)
				}
			}
		}
	}
	return out
}

// dashKinds are the readiness kinds in the order the dashboard groups them, with a
// heading each.
var dashKinds = []struct{ kind, title string }{
	{assessment.ReadyRiskTreat, "High risks without a treatment"},
	{assessment.ReadyRiskProposed, "Proposed risks to confirm or dismiss"},
	{assessment.ReadyBAA, "Systems relying on a vendor without a signed BAA"},
	{assessment.ReadyDecision, "Addressable decisions to record (§164.306(d)(3))"},
	{assessment.ReadyFlagged, "Answers flagged for follow-up"},
	{assessment.ReadyRevalidate, "Answers carried from last year to re-check"},
	{assessment.ReadyUnanswered, "Questions not answered yet"},
}

// dashPerKind is how many items of each kind the dashboard shows; the Finalise tab has all.
const dashPerKind = 5

// readiness is what blocks finalising, grouped by kind with a count each.
func (d *dashboard) readiness(w int) []string {
	s := d.styles
	items := d.data.sum.Readiness
	if len(items) == 0 {
		if d.data.final() {
			return []string{s.Notice.Render("✔ Final and locked.")}
		}
		return []string{s.Notice.Render("✔ Ready to finalise: nothing blocks sign-off (see the Finalise tab).")}
	}
	out := []string{s.Header.Render("Before you can finalise") +
		s.Subtle.Render(fmt.Sprintf(" · %d %s · the Finalise tab lists them all", len(items), dashPlural(len(items), "item", "items")))}
	by := map[string][]assessment.ReadinessItem{}
	for _, it := range items {
		by[it.Kind] = append(by[it.Kind], it)
	}
	seen := map[string]bool{}
	group := func(kind, title string) {
		list := by[kind]
		seen[kind] = true
		if len(list) == 0 {
			return
		}
		out = append(out, truncate(fmt.Sprintf(" %s %s", s.Header.Render(fmt.Sprintf("%4d", len(list))), title), w))
		for i, it := range list {
			if i == dashPerKind {
				out = append(out, s.Subtle.Render(fmt.Sprintf("        … and %d more", len(list)-dashPerKind)))
				break
			}
			out = append(out, truncate("      • "+it.Text, w))
		}
	}
	for _, k := range dashKinds {
		group(k.kind, k.title)
	}
	for _, it := range items { // kinds added to the engine later still show
		if !seen[it.Kind] {
			group(it.Kind, it.Kind)
		}
	}
	return out
}
