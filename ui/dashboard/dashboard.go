// Package dashboard is the overview tab of an open assessment: progress and safeguards in place
// per safeguard, the risk heat map, the top risks, vendors needing attention and what
// blocks finalizing. Every figure is the Analysis's; the dashboard only lays it out.
package dashboard

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/ui/common"
)

// wide is the width from which the dashboard uses two columns.
const wide = 120

// Model is the read-only overview of an open assessment. Its lines are built once per
// data, size or style change; View only slices them, so scrolling stays instant however
// long the readiness list is.
type Model struct {
	e      *common.Env
	data   *common.Data
	lines  []string
	offset int
	width  int
	height int
	styles common.Styles
}

// New is the dashboard tab.
func New(e *common.Env) *Model { return &Model{e: e} }

func (d *Model) Title() string { return "Dashboard" }
func (d *Model) Init() tea.Cmd { return nil }
func (d *Model) Typing() bool  { return false }
func (d *Model) Back() bool    { return false }

func (d *Model) SetData(a *common.Data)    { d.data = a; d.rebuild() }
func (d *Model) SetSize(w, h int)          { d.width, d.height = w, h; d.rebuild() }
func (d *Model) SetStyles(s common.Styles) { d.styles = s; d.rebuild() }

func (d *Model) Keys() common.Help {
	nav := d.e.Keys.Nav
	return common.Help{
		Short: []key.Binding{d.e.Keys.Dashboard.ScrollHint, nav.PageDown},
		Full:  [][]key.Binding{nav.All()},
	}
}

func (d *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if n, ok := d.e.Keys.Nav.Delta(msg, d.height-2, len(d.lines)); ok {
			d.scroll(n)
		}
	case tea.MouseWheelMsg:
		d.scroll(3 * common.Wheel(msg))
	}
	return d, nil
}

func (d *Model) scroll(n int) {
	d.offset = max(0, min(d.offset+n, d.maxOffset()))
}

// maxOffset keeps the last screen full; one line is kept for the scroll indicator.
func (d *Model) maxOffset() int { return max(len(d.lines)-(d.height-1), 0) }

func (d *Model) View() string {
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

// rebuild lays the dashboard out for the current width: two columns from wide
// columns, otherwise one stacked column.
func (d *Model) rebuild() {
	if d.data == nil || d.width <= 0 {
		d.lines = nil
		return
	}
	w := d.width
	var out []string
	out = append(out, d.overall(w)...)
	out = append(out, d.incidentClocks(w)...)
	if w >= wide {
		// The progress column needs little more than 80 columns; the rest goes to the
		// risks and vendors, whose titles and warnings are long.
		lw := max(68, min((w-3)*56/100, 84))
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
			out = append(out, common.Fit(l, lw)+"   "+r)
		}
		out = append(out, "")
	} else {
		out = slices.Concat(out, d.progress(w), []string{""}, d.heatMap(w), []string{""}, d.topRisks(w),
			[]string{""}, d.vendors(w), []string{""})
	}
	out = append(out, d.readiness(w)...)
	for i, l := range out {
		out[i] = common.Truncate(l, w)
	}
	d.lines = out
	d.offset = min(d.offset, d.maxOffset())
}

// overall is the one-line summary at the top.
func (d *Model) overall(w int) []string {
	s := d.styles
	sum := d.data.Summary
	c := sum.Overall
	parts := []string{fmt.Sprintf("%s answered (%s of %s)", d.data.Answered(), assessment.FormatInt(c.Answered()), assessment.FormatInt(c.Applicable))}
	parts = append(parts, inPlace(c)+" in place (self-assessed), "+coverage(c))
	if c.Inherited > 0 {
		parts = append(parts, assessment.FormatInt(c.Inherited)+" inherited from vendors")
	}
	if c.Carried > 0 {
		parts = append(parts, assessment.FormatInt(c.Carried)+" carried over, not re-validated")
	}
	parts = append(parts, fmt.Sprintf("%s, %d high or very high", assessment.Plural(sum.Rated(), "rated risk", "rated risks"), sum.High()))
	if sum.ProposedRisks > 0 {
		parts = append(parts, assessment.FormatInt(sum.ProposedRisks)+" proposed, not rated")
	}
	if n := d.data.Vendors.Warned; n > 0 {
		parts = append(parts, assessment.Plural(n, "vendor", "vendors")+" with warnings")
	}
	line := s.Header.Render("Overall") + " " + strings.Join(parts, s.Subtle.Render(" · "))
	out := common.Wrap(line, w)
	depth := "Depth: " + string(d.data.Snap.Profile.DepthOrDefault())
	if d.data.Snap.Profile.Depth == "" {
		depth += " (none chosen: every question is asked)"
	}
	return append(append(out, s.Subtle.Render(common.Truncate(depth, w))), "")
}

// coverage is the evidence coverage of the in-place answers, as the dashboard words it.
func coverage(c assessment.Counts) string {
	cov, ok := c.EvidenceCoverage()
	if !ok {
		return "no evidence to cite yet"
	}
	return "evidence for " + assessment.Percent(cov)
}

// bar draws a bar of width w filled to share (0..1), rounded to the nearest cell.
func bar(share float64, w int, fill, empty lipgloss.Style) string {
	n := max(0, min(int(math.Floor(share*float64(w)+0.5)), w))
	return fill.Render(strings.Repeat("█", n)) + empty.Render(strings.Repeat("░", w-n))
}

// inPlace is a group's share reported in place, or why it is withheld.
func inPlace(c assessment.Counts) string {
	share, shown := c.InPlace()
	switch {
	case shown:
		return assessment.Percent(share)
	case c.Assessed() == 0:
		return "nothing answered"
	}
	return assessment.TooFewAnswers
}

// countsLines are the answered and in-place bars of one group of counts.
func (d *Model) countsLines(c assessment.Counts, w int, answered, inPlaceLabel string) []string {
	s := d.styles
	const labelW = 13
	bw := max(min(24, w-labelW-7-34), 8)
	ans := fmt.Sprintf("%s of %s", assessment.FormatInt(c.Answered()), assessment.FormatInt(c.Applicable))
	if c.Flagged > 0 {
		ans += fmt.Sprintf(" · %s flagged", assessment.FormatInt(c.Flagged))
	}
	l1 := "  " + common.Fit(answered, labelW-2) + bar(c.Completion(), bw, s.Title, s.Subtle) + " " +
		fmt.Sprintf("%4s", assessment.Percent(c.Completion())) + "  " + s.Subtle.Render(ans)
	counts := fmt.Sprintf("%s in place · %s partial · %s not · %s", assessment.FormatInt(c.Implemented), assessment.FormatInt(c.Partial), assessment.FormatInt(c.NotImplemented), coverage(c))
	var l2 string
	if share, shown := c.InPlace(); shown {
		st := s.Share(share)
		l2 = "  " + common.Fit(inPlaceLabel, labelW-2) + bar(share, bw, st, s.Subtle) + " " +
			st.Render(fmt.Sprintf("%4s", assessment.Percent(share))) + "  " + s.Subtle.Render(counts)
	} else {
		if c.Assessed() == 0 {
			counts = "nothing answered to count yet"
		} else {
			counts = assessment.TooFewAnswers + " · " + counts
		}
		l2 = "  " + common.Fit(inPlaceLabel, labelW-2) + s.Subtle.Render(strings.Repeat("░", bw)) + " " +
			fmt.Sprintf("%4s", "—") + "  " + s.Subtle.Render(counts)
	}
	return []string{common.Truncate(l1, w), common.Truncate(l2, w)}
}

// progress is completion and the safeguards reported in place per safeguard, then the
// proposed-rule items on their own.
func (d *Model) progress(w int) []string {
	s := d.styles
	sum := d.data.Summary
	out := []string{s.Header.Render("Progress by safeguard")}
	note := fmt.Sprintf("In place (self-assessed): implemented, out of those answered implemented, partial or not; shown once %d are and half the items are answered. "+
		"A question citing several specifications counts once under each, so the safeguards' counts can add up to more than the overall figure.",
		assessment.MinAssessedForShare)
	for _, l := range common.Wrap(note, w) {
		out = append(out, s.Subtle.Render(l))
	}
	for _, g := range sum.BySafeguard {
		if g.Applicable == 0 {
			continue
		}
		name := controls.Safeguard{ID: g.ID, Title: g.Title}.Short()
		out = append(out, common.Fit(s.Header.Render(name)+s.Subtle.Render(" §"+g.ID), w))
		out = append(out, d.countsLines(g.Counts, w, "Answered", "In place")...)
	}
	out = append(out, "")
	p := sum.Proposed
	if p.Applicable == 0 {
		if !d.data.Snap.Profile.IncludeProposed {
			out = append(out, wrapped(s.Subtle, "2025 proposed rule: not included. Turn it on in the profile to see what would change.", w)...)
		}
		return out
	}
	out = append(out, common.Truncate(s.Header.Render("2025 proposed rule")+s.Warn.Render(" · proposed, not law")+
		s.Subtle.Render(" · not counted above"), w))
	out = append(out, d.countsLines(p, w, "Answered", "Would meet")...)
	if gaps := p.Partial + p.NotImplemented; gaps > 0 {
		out = append(out, s.Subtle.Render("  Would become "+assessment.Plural(gaps, "gap", "gaps")+" if the rule is finalized:"))
		shown := 0
		for _, it := range d.data.Items {
			if !it.Question.Proposed || !it.IsGap() {
				continue
			}
			if shown == 4 {
				out = append(out, s.Subtle.Render(fmt.Sprintf("    … and %s more", assessment.FormatInt(gaps-4))))
				break
			}
			where := it.Question.ID
			if it.Asset != nil {
				where += " (" + it.Asset.Name + ")"
			}
			out = append(out, common.Truncate("  ◇ "+where+" "+it.Question.Text, w))
			shown++
		}
	}
	return out
}

// heatMap draws the confirmed, rated risks in each likelihood × impact cell.
func (d *Model) heatMap(w int) []string {
	s := d.styles
	m := d.data.Matrix
	sum := d.data.Summary
	cell := func(l, i int) string {
		if n := sum.Heat.At(l, i); n > 0 {
			return assessment.FormatInt(n)
		}
		return "·"
	}
	out := []string{s.Header.Render("Risk heat map") + s.Subtle.Render(" · "+m.Name())}
	out = append(out, strings.Split(common.Matrix(s, m, true, cell, nil), "\n")...)
	for _, l := range common.Flow(common.Legend(m), " · ", w) {
		out = append(out, s.Subtle.Render(l))
	}
	var byLevel []string
	levels := m.Levels()
	for i := len(levels) - 1; i >= 0; i-- {
		byLevel = append(byLevel, fmt.Sprintf("%s %s", assessment.FormatInt(sum.RiskLevels[levels[i]]), strings.ToLower(m.Label(levels[i]))))
	}
	note := assessment.Plural(sum.Rated(), "rated risk", "rated risks") + " (" + strings.Join(byLevel, ", ") + "), dismissed ones left out"
	if u := sum.Unrated; u > 0 {
		note += fmt.Sprintf("; %s confirmed, not rated yet", assessment.FormatInt(u))
	}
	if p := sum.ProposedRisks; p > 0 {
		note += fmt.Sprintf("; %s proposed, not rated", assessment.FormatInt(p))
	}
	for _, l := range common.Wrap(note+".", w) {
		out = append(out, s.Subtle.Render(l))
	}
	return out
}

// topN is how many top risks the dashboard lists.
const topN = 8

// topRisks lists the worst confirmed, rated risks that are still open (not closed), in the
// register's order, with their register references.
func (d *Model) topRisks(w int) []string {
	s := d.styles
	m := d.data.Matrix
	var top []assessment.RiskView
	for _, r := range d.data.Risks {
		if r.Rated() && r.Status != assessment.RiskClosed {
			top = append(top, r)
		}
	}
	out := []string{s.Header.Render("Top risks") + s.Subtle.Render(" · "+assessment.FormatInt(len(top))+" open and rated")}
	if len(top) == 0 {
		return append(out, wrapped(s.Subtle, "No rated open risks yet. Rate the proposed ones in the Risks tab.", w)...)
	}
	// The asset column goes when the column is narrow; the title matters more.
	assetW := 0
	switch {
	case w >= 100:
		assetW = min(30, w/4)
	case w >= 60:
		assetW = min(18, w/5)
	}
	refW := len(top[len(top)-1].Ref)
	titleW := max(w-1-refW-1-9-1-3-1-assetW-1, 10)
	for i, r := range top {
		if i == topN {
			out = append(out, s.Subtle.Render(fmt.Sprintf(" … and %s more in the Risks tab", assessment.FormatInt(len(top)-topN))))
			break
		}
		line := " " + s.Subtle.Render(common.Fit(r.Ref, refW)) + " " + s.Level(r.Level).Render(common.Fit(m.Label(r.Level), 9)) + " " +
			fmt.Sprintf("%d×%d", r.Likelihood, r.Impact) + " " + common.Fit(r.Title, titleW)
		if assetW > 0 {
			line += " " + s.Subtle.Render(common.Fit(d.data.AssetName(r.AssetID), assetW))
		}
		out = append(out, line)
	}
	return out
}

// vendors lists each vendor with a warning (Analysis.VendorWarnings, worst first): a
// missing or expired BAA or missing BAA terms, lapsed or SOC 2-only assurance, on-site
// assets it runs without a BAA, no review recorded.
func (d *Model) vendors(w int) []string {
	s := d.styles
	snap := d.data.Snap
	n := d.data.Vendors.Warned
	out := []string{s.Header.Render("Vendors needing attention") + s.Subtle.Render(fmt.Sprintf(" · %d of %d", n, len(snap.Vendors)))}
	if len(snap.Vendors) == 0 {
		if strings.TrimSpace(snap.NoVendors) != "" {
			return append(out, wrapped(s.Subtle, "No vendors: “"+snap.NoVendors+"”", w)...)
		}
		return append(out, common.Hang("  ", "No vendors recorded and no statement that none handles ePHI; add them, or say so, in the Setup tab.", w)...)
	}
	if n == 0 {
		return append(out, wrapped(s.Notice, "✔ Every vendor has a signed BAA with the required terms, current assurance and a review.", w)...)
	}
	by := map[string][]assessment.VendorWarning{}
	for _, x := range d.data.VendorWarnings {
		by[x.VendorID] = append(by[x.VendorID], x)
	}
	for _, v := range snap.Vendors {
		ws := by[v.ID]
		if len(ws) == 0 {
			continue
		}
		out = append(out, common.Truncate(s.Warn.Render("⚠ ")+s.Header.Render(v.Name), w))
		for _, x := range ws {
			out = append(out, common.Hang("  • ", assessment.SeverityLabel(x.Severity)+": "+x.Text, w)...)
		}
	}
	return out
}

// perKind is how many items of each kind the dashboard shows; the Finalize tab has all.
const perKind = 5

// readiness is what blocks finalizing, grouped by kind with a count each.
func (d *Model) readiness(w int) []string {
	s := d.styles
	items := d.data.Summary.Readiness
	if len(items) == 0 {
		if d.data.Final() {
			return []string{s.Notice.Render("✔ Final and locked.")}
		}
		return []string{s.Notice.Render("✔ Ready to finalize: nothing blocks sign-off (see the Finalize tab).")}
	}
	out := []string{s.Header.Render("Before you can finalize") +
		s.Subtle.Render(" · "+assessment.Plural(len(items), "item", "items")+" · the Finalize tab lists them all")}
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
		out = append(out, common.Truncate(fmt.Sprintf(" %s %s", s.Header.Render(fmt.Sprintf("%4s", assessment.FormatInt(len(list)))), title), w))
		for i, it := range list {
			if i == perKind {
				out = append(out, s.Subtle.Render(fmt.Sprintf("        … and %s more", assessment.FormatInt(len(list)-perKind))))
				break
			}
			out = append(out, common.Hang("      • ", it.Text, w)...)
		}
	}
	for _, k := range assessment.ReadinessKinds {
		group(k.Value, k.Label)
	}
	for _, it := range items { // kinds added to the engine later still show
		if !seen[it.Kind] {
			group(it.Kind, it.Kind)
		}
	}
	return out
}

// wrapped is a sentence of guidance wrapped to w columns in style st, line by line.
func wrapped(st lipgloss.Style, text string, w int) []string {
	lines := common.Wrap(text, w)
	for i, l := range lines {
		lines[i] = st.Render(l)
	}
	return lines
}
