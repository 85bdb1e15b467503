// Package setup is the tab that describes what is assessed, in the order the work goes: the
// organization profile, the vendors, the assets they run, the data flows between assets and
// to outside parties, the method (how the data was collected) and the threat sources weighed.
// A new assessment opens it as a guided setup that walks those steps and hands over to the
// questions; every step can be skipped and come back to at any time.
package setup

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"safeguard/assessment"
	"safeguard/ui/common"
	"safeguard/ui/exchange"
)

// step is one step of the setup wizard.
type step int

const (
	stepProfile step = iota
	stepVendors
	stepAssets
	stepFlows
	stepMethod
	stepThreats
	stepCount
)

var stepNames = [stepCount]string{"Profile", "Vendors", "Assets", "Data flows", "Method", "Threats"}

// stepShort are the names the step bar uses when the full ones do not fit.
var stepShort = [stepCount]string{"Profile", "Vendors", "Assets", "Flows", "Method", "Threats"}

// stepIntro is the explanation under the step bar.
var stepIntro = [stepCount]string{
	"Who is assessed, by whom, for what period and depth; how it is kept current.",
	"Vendors that handle ePHI: their BAA (§164.308(b)(1)), reports and your review.",
	"Systems, devices and cloud services that hold or move ePHI, and who runs them.",
	"Where ePHI moves, to your assets or outside parties, and how it is protected.",
	"How the data was collected, and what the analysis assumed or could not check.",
	"Each threat source is weighed: rated in a risk, or ruled out with the reason.",
}

// questionsTab is the section the guided setup hands over to.
const questionsTab = "Questions"

// followed names the row to select once a save has reloaded the data: by ID for an
// edit, by name for a new record (whose ID the store assigns).
type followed struct {
	pane     step
	id, name string
}

// Model is the Setup tab.
type Model struct {
	e      *common.Env
	follow *followed
	data   *common.Data
	pane   step
	// guided is the wizard of a new assessment: the bar shows the step number and the
	// step after the last one is the questionnaire.
	guided  bool
	started bool // StartHere has been asked once
	// advance is set by a profile save that succeeded (in its command); the reload after
	// it moves the wizard on to the vendors.
	advance atomic.Bool
	cursor  [stepCount]int
	offset  [stepCount]int
	width   int
	height  int
	styles  common.Styles
}

// New is the Setup tab.
func New(e *common.Env) *Model { return &Model{e: e} }

func (s *Model) Title() string { return "Setup" }

func (s *Model) Init() tea.Cmd { return nil }

// Fresh reports whether nothing has been described in an assessment yet: no asset, vendor,
// flow, answer, method record or statement, and a profile without period, scope or
// assessors. Such an assessment opens in the guided setup.
func Fresh(d *common.Data) bool {
	s := d.Snap
	p := s.Profile
	return len(s.Assets) == 0 && len(s.Vendors) == 0 && len(s.Flows) == 0 && len(s.Responses) == 0 &&
		len(s.Method) == 0 && len(s.Risks) == 0 && s.NoVendors == "" && len(p.Assessors) == 0 &&
		p.PeriodStart == "" && p.PeriodEnd == "" && strings.TrimSpace(p.Scope) == "" && !d.Final()
}

// StartHere opens an assessment nothing has been described in at the first step of the
// guided setup.
func (s *Model) StartHere(d *common.Data) bool {
	if s.started {
		return false
	}
	s.started = true
	if !Fresh(d) {
		return false
	}
	s.guided, s.pane = true, stepProfile
	return true
}

func (s *Model) SetData(d *common.Data) {
	s.data = d
	if s.advance.Swap(false) && s.guided && s.pane == stepProfile {
		s.pane++
	}
	if f := s.follow; f != nil {
		s.follow = nil
		// Select the saved record in its pane, without moving the user away from the
		// pane they went to while the save was reloading.
		if i := s.find(f); i >= 0 {
			s.cursor[f.pane] = i
		}
	}
	for p := range stepCount {
		s.clamp(p)
	}
}

// find is the row of a followed record, or -1.
func (s *Model) find(f *followed) int {
	snap := s.data.Snap
	match := func(id, name string) bool {
		return (f.id != "" && id == f.id) || (f.id == "" && f.name != "" && name == f.name)
	}
	switch f.pane {
	case stepAssets:
		for i, a := range snap.Assets {
			if match(a.ID, a.Name) {
				return i
			}
		}
	case stepVendors:
		for i, v := range snap.Vendors {
			if match(v.ID, v.Name) {
				return i
			}
		}
	case stepFlows:
		for i, fl := range snap.Flows {
			if match(fl.ID, flowKey(fl)) {
				return i
			}
		}
	case stepMethod:
		for i, e := range snap.Method {
			if match(e.ID, methodKey(e)) {
				return i
			}
		}
	case stepThreats:
		for i, src := range s.data.ThreatSources {
			if match(src.Source, src.Source) {
				return i
			}
		}
	}
	return -1
}

func (s *Model) SetSize(w, h int) {
	s.width, s.height = w, h
	for p := range stepCount {
		s.clamp(p)
	}
}

func (s *Model) SetStyles(st common.Styles) { s.styles = st }

func (s *Model) Typing() bool { return false }

// Back has no inner pane to close: esc leaves the assessment.
func (s *Model) Back() bool { return false }

func (s *Model) Keys() common.Help {
	nav, k := s.e.Keys.Nav, s.e.Keys.Setup
	steps := []key.Binding{k.PrevStep, k.NextStep}
	if s.guided && s.pane == stepCount-1 {
		steps[1] = common.Relabel(k.NextStep, "→/l", "go to the questions")
	}
	var acts []key.Binding
	if s.data != nil && !s.data.Final() {
		switch s.pane {
		case stepProfile:
			acts = []key.Binding{k.Edit}
		case stepThreats:
			acts = []key.Binding{common.Relabel(k.Edit, "e/enter", "rule out"), common.Relabel(k.Delete, "D", "clear ruling")}
		case stepVendors:
			acts = []key.Binding{k.Add, k.Edit, k.Delete, k.Review}
			if len(s.data.Snap.Vendors) == 0 {
				acts = append(acts, k.NoVendors)
			}
		default:
			acts = []key.Binding{k.Add, k.Edit, k.Delete}
		}
	}
	short := append(append([]key.Binding{}, acts...), steps...)
	full := [][]key.Binding{steps}
	if s.pane != stepProfile {
		full = append(full, nav.All())
	}
	if len(acts) > 0 {
		full = append(full, append(acts, s.e.Keys.Exchange.ImportList))
	}
	return common.Help{Short: short, Full: full}
}

// rows is the number of rows in a list pane.
func (s *Model) rows(p step) int {
	if s.data == nil {
		return 0
	}
	switch p {
	case stepAssets:
		return len(s.data.Snap.Assets)
	case stepVendors:
		return len(s.data.Snap.Vendors)
	case stepFlows:
		return len(s.data.Snap.Flows)
	case stepMethod:
		return len(s.data.Snap.Method)
	case stepThreats:
		return len(s.data.ThreatSources)
	}
	return 0
}

// headLines is the number of lines above a list's first row: the step bar, the intro,
// the guide line of the wizard, and the column header.
func (s *Model) headLines() int {
	if s.guided {
		return 4
	}
	return 3
}

// rowsVisible is how many list rows fit between the header and the detail block.
func (s *Model) rowsVisible() int { return max(s.height-s.headLines()-s.detailLines(), 1) }

// detailLines is the height of the detail block, its rule included.
func (s *Model) detailLines() int {
	if s.height >= 30 {
		return 8
	}
	return 4
}

func (s *Model) clamp(p step) {
	n := s.rows(p)
	s.cursor[p] = max(0, min(s.cursor[p], n-1))
	vis := s.rowsVisible()
	if s.cursor[p] < s.offset[p] {
		s.offset[p] = s.cursor[p]
	}
	if s.cursor[p] >= s.offset[p]+vis {
		s.offset[p] = s.cursor[p] - vis + 1
	}
	s.offset[p] = max(0, min(s.offset[p], max(n-vis, 0)))
}

func (s *Model) move(d int) {
	if s.pane == stepProfile {
		return
	}
	s.cursor[s.pane] += d
	s.clamp(s.pane)
}

func (s *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return s, s.key(msg)
	case tea.MouseClickMsg:
		return s, s.click(msg.Mouse())
	case tea.MouseWheelMsg:
		s.move(common.Wheel(msg))
	}
	return s, nil
}

func (s *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	nav, k := s.e.Keys.Nav, s.e.Keys.Setup
	if d, ok := nav.Delta(msg, s.rowsVisible(), s.rows(s.pane)); ok {
		s.move(d)
		return nil
	}
	switch {
	case key.Matches(msg, k.PrevStep):
		if s.guided && s.pane == 0 {
			return nil
		}
		s.pane = (s.pane + stepCount - 1) % stepCount
	case key.Matches(msg, k.NextStep):
		return s.next()
	case key.Matches(msg, k.Add):
		return s.add()
	case key.Matches(msg, k.Edit):
		return s.edit()
	case key.Matches(msg, k.Delete):
		return s.remove()
	case key.Matches(msg, k.Review) && s.pane == stepVendors:
		return s.review()
	case key.Matches(msg, k.NoVendors) && s.pane == stepVendors:
		return s.noVendors()
	case key.Matches(msg, s.e.Keys.Exchange.ImportList):
		// Hook (issue 17): import assets or vendors from a CSV or Excel list.
		if why := s.readOnly(); why != "" {
			return common.Fail(errors.New(why))
		}
		return common.Push(exchange.NewInventory(s.e, s.data))
	}
	return nil
}

// next goes to the next step; in the wizard the step after the last is the questionnaire,
// which ends the wizard (its steps stay here to come back to).
func (s *Model) next() tea.Cmd {
	if s.guided && s.pane == stepCount-1 {
		s.guided = false
		s.pane = stepProfile
		for p := range stepCount {
			s.clamp(p)
		}
		return tea.Batch(common.Emit(common.ShowSectionMsg{Title: questionsTab}),
			common.Notice("Next, answer the questions; every setup step stays under Setup."))
	}
	s.pane = (s.pane + 1) % stepCount
	return nil
}

// readOnly says why nothing can change, or "" when the assessment is editable.
func (s *Model) readOnly() string {
	if s.data == nil {
		return "The assessment is still loading."
	}
	if s.data.Final() {
		return "This assessment is final, so its setup is read-only. Start a new revision to change it."
	}
	return ""
}

func (s *Model) add() tea.Cmd {
	if why := s.readOnly(); why != "" {
		return common.Notice(why)
	}
	switch s.pane {
	case stepAssets:
		return common.Push(s.assetForm(nil))
	case stepVendors:
		return common.Push(s.vendorForm(nil, nil))
	case stepFlows:
		if len(s.data.Snap.Assets) == 0 {
			return common.Notice("A data flow leaves from one of your assets: add it under Assets first.")
		}
		return common.Push(s.flowForm(nil))
	case stepMethod:
		return common.Push(s.methodForm(nil))
	}
	return nil
}

func (s *Model) edit() tea.Cmd {
	if why := s.readOnly(); why != "" {
		return common.Notice(why)
	}
	snap := s.data.Snap
	i := s.cursor[s.pane]
	switch s.pane {
	case stepProfile:
		return common.Push(s.profileForm(""))
	case stepAssets:
		if i < len(snap.Assets) {
			return common.Push(s.assetForm(&snap.Assets[i]))
		}
	case stepVendors:
		if i < len(snap.Vendors) {
			return common.Push(s.vendorForm(&snap.Vendors[i], nil))
		}
	case stepFlows:
		if i < len(snap.Flows) {
			return common.Push(s.flowForm(&snap.Flows[i]))
		}
	case stepMethod:
		if i < len(snap.Method) {
			return common.Push(s.methodForm(&snap.Method[i]))
		}
	case stepThreats:
		if i < len(s.data.ThreatSources) {
			return common.Push(s.threatForm(s.data.ThreatSources[i]))
		}
	}
	return nil
}

func (s *Model) remove() tea.Cmd {
	if s.pane == stepProfile {
		return nil
	}
	if why := s.readOnly(); why != "" {
		return common.Notice(why)
	}
	snap := s.data.Snap
	i := s.cursor[s.pane]
	switch s.pane {
	case stepAssets:
		if i < len(snap.Assets) {
			return common.Push(s.deleteAssetForm(snap.Assets[i]))
		}
	case stepVendors:
		if i < len(snap.Vendors) {
			return common.Push(s.deleteVendorForm(snap.Vendors[i]))
		}
	case stepFlows:
		if i < len(snap.Flows) {
			return common.Push(s.deleteFlowForm(snap.Flows[i]))
		}
	case stepMethod:
		if i < len(snap.Method) {
			return common.Push(s.deleteMethodForm(snap.Method[i]))
		}
	case stepThreats:
		if i < len(s.data.ThreatSources) {
			return s.clearRuling(s.data.ThreatSources[i])
		}
	}
	return nil
}

func (s *Model) review() tea.Cmd {
	if why := s.readOnly(); why != "" {
		return common.Notice(why)
	}
	i := s.cursor[stepVendors]
	if i >= len(s.data.Snap.Vendors) {
		return common.Notice("Add a vendor first; a review is recorded for a vendor.")
	}
	return common.Push(s.reviewForm(s.data.Snap.Vendors[i]))
}

func (s *Model) noVendors() tea.Cmd {
	if why := s.readOnly(); why != "" {
		return common.Notice(why)
	}
	if n := len(s.data.Snap.Vendors); n > 0 {
		return common.Notice(fmt.Sprintf("%s recorded, so the analysis cannot state there are none.", assessment.Plural(n, "vendor is", "vendors are")))
	}
	return common.Push(s.noVendorsForm())
}

// FocusField shows where a readiness item of the profile or setup is resolved: the
// profile form at the field, or the step with the vendor or threat source selected.
func (s *Model) FocusField(m common.GotoFieldMsg) (tea.Cmd, bool) {
	if s.data == nil {
		return nil, false
	}
	var pane step
	switch m.Field {
	case assessment.FieldScope, assessment.FieldPeriod, assessment.FieldAssessors, assessment.FieldReview:
		s.pane = stepProfile
		if s.readOnly() != "" {
			return nil, true
		}
		return common.Push(s.profileForm(m.Field)), true
	case assessment.FieldAssets:
		pane = stepAssets
	case assessment.FieldVendors, assessment.FieldVendorBAA:
		pane = stepVendors
		if i := s.find(&followed{pane: stepVendors, id: m.VendorID}); i >= 0 {
			s.cursor[pane] = i
		}
	case assessment.FieldThreats:
		pane = stepThreats
		if i := s.find(&followed{pane: stepThreats, id: m.Source}); i >= 0 {
			s.cursor[pane] = i
		}
	default:
		return nil, false
	}
	s.pane = pane
	s.clamp(pane)
	return nil, true
}

// click switches steps on the step bar and selects list rows; y is the section's line.
func (s *Model) click(m tea.Mouse) tea.Cmd {
	y := m.Y
	if y == 0 {
		for p, span := range s.paneSpans() {
			if m.X >= span[0] && m.X < span[1] {
				s.pane = step(p)
			}
		}
		return nil
	}
	if s.pane == stepProfile {
		return nil
	}
	head := s.headLines()
	row := y - head + s.offset[s.pane]
	if y >= head && y < head+s.rowsVisible() && row < s.rows(s.pane) {
		if row == s.cursor[s.pane] && m.Button == tea.MouseLeft {
			// A click on the selected row opens it, like enter.
			return s.edit()
		}
		s.cursor[s.pane] = row
	}
	return nil
}

// barItems are the step bar's labels with counts, so the bar says how far setup is, and
// whether the wizard's "Questions" ends it: the fullest form that fits the width.
func (s *Model) barItems() (labels [stepCount]string, tail bool) {
	build := func(names [stepCount]string, numbered bool, counts int) [stepCount]string {
		var l [stepCount]string
		for p := range stepCount {
			l[p] = names[p]
			if numbered {
				l[p] = fmt.Sprintf("%d %s", p+1, l[p])
			}
			if s.data != nil && counts > 0 {
				n := ""
				switch p {
				case stepProfile:
				case stepThreats:
					n = fmt.Sprintf("%d/%d", s.considered(), len(s.data.ThreatSources))
				default:
					n = fmt.Sprint(s.rows(p))
				}
				if n != "" && counts == 1 {
					n = "(" + n + ")"
				}
				if n != "" {
					l[p] += " " + n
				}
			}
		}
		return l
	}
	width := func(l [stepCount]string, tail bool) int {
		w := 1 + 2 + lipgloss.Width(stepSep)*int(stepCount-1) // the margin and the selected step's brackets
		for _, x := range l {
			w += lipgloss.Width(x)
		}
		if tail {
			w += lipgloss.Width(stepSep + questionsTab)
		}
		return w
	}
	tries := []struct {
		names    [stepCount]string
		numbered bool
		counts   int
	}{{stepNames, true, 1}, {stepShort, true, 1}, {stepShort, false, 1}, {stepShort, false, 2}, {stepShort, false, 0}}
	for _, withTail := range []bool{s.guided, false} {
		for _, t := range tries {
			if l := build(t.names, t.numbered && s.guided, t.counts); width(l, withTail) <= s.width {
				return l, withTail
			}
		}
	}
	return build(stepShort, false, 0), false
}

// considered is the number of threat sources weighed (rated or ruled out).
func (s *Model) considered() int {
	n := 0
	for _, src := range s.data.ThreatSources {
		if src.Considered() {
			n++
		}
	}
	return n
}

const stepSep = " › "

// paneSpans are the columns [from, to) of each label on the step bar.
func (s *Model) paneSpans() [stepCount][2]int {
	var spans [stepCount][2]int
	labels, _ := s.barItems()
	x := 1
	for p, l := range labels {
		w := lipgloss.Width(l)
		if step(p) == s.pane {
			w += 2
		}
		spans[p] = [2]int{x, x + w}
		x += w + lipgloss.Width(stepSep)
	}
	return spans
}

func (s *Model) stepBar() string {
	st := s.styles
	labels, tail := s.barItems()
	parts := make([]string, stepCount)
	for p, l := range labels {
		if step(p) == s.pane {
			// Marked by more than color, so NO_COLOR shows the step too.
			parts[p] = st.Selected.Render("[" + l + "]")
		} else {
			parts[p] = l
		}
	}
	bar := " " + strings.Join(parts, st.Subtle.Render(stepSep))
	if tail {
		bar += st.Subtle.Render(stepSep + questionsTab)
	}
	return lipgloss.NewStyle().MaxWidth(s.width).Render(bar)
}

// guide is the wizard's line: where the user is and what the arrow keys do from here.
func (s *Model) guide() string {
	st := s.styles
	k := s.e.Keys.Setup
	nextName := questionsTab
	if s.pane < stepCount-1 {
		nextName = stepNames[s.pane+1]
	}
	act := ""
	switch s.pane {
	case stepProfile:
		act = st.Key.Render(k.Edit.Help().Key) + " fill in the profile · "
	case stepThreats:
		act = st.Key.Render("e") + " rule out a source · "
	default:
		act = st.Key.Render("a") + " add · "
	}
	text := fmt.Sprintf(" Guided setup, step %d of %d. ", s.pane+1, stepCount) + act +
		st.Key.Render("→") + " " + nextName + " (or skip)"
	if s.pane > 0 {
		text += " · " + st.Key.Render("←") + " back"
	}
	return lipgloss.NewStyle().MaxWidth(s.width).Render(text)
}

func (s *Model) View() string {
	st := s.styles
	if s.data == nil {
		return st.Subtle.Render("Loading…")
	}
	intro := st.Subtle.Render(" " + common.Truncate(stepIntro[s.pane], s.width-2)) // each fits 80 columns
	if why := s.readOnly(); why != "" {
		intro = st.Status[assessment.StatusFinal].Render(" " + common.Truncate(why, s.width-2))
	}
	lines := []string{s.stepBar(), intro}
	if s.guided {
		lines = append(lines, s.guide())
	}
	switch s.pane {
	case stepProfile:
		lines = append(lines, s.profileView(s.height-len(lines))...)
	case stepAssets:
		lines = append(lines, s.listView(s.assetRow, s.assetDetail, s.assetColumns(), "NAME", "KIND", "HOSTING", "PROVIDER", "EPHI", "AT REST")...)
	case stepVendors:
		lines = append(lines, s.listView(s.vendorRow, s.vendorDetail, s.vendorColumns(), "NAME", "BAA", "ATTESTATIONS", "REVIEWED", "WARNINGS")...)
	case stepFlows:
		lines = append(lines, s.listView(s.flowRow, s.flowDetail, s.flowColumns(), "FROM → TO", "CHANNEL", "PROTECTION")...)
	case stepMethod:
		lines = append(lines, s.listView(s.methodRow, s.methodDetail, s.methodColumns(), "KIND", "WHAT", "DATE")...)
	case stepThreats:
		lines = append(lines, s.listView(s.threatRow, s.threatDetail, s.threatColumns(), "THREAT SOURCE", "STATUS")...)
	}
	if len(lines) > s.height {
		lines = lines[:s.height]
	}
	return strings.Join(lines, "\n")
}

// listView draws a list pane: header, the visible rows only, padding, then the detail block
// about the selected row.
func (s *Model) listView(row func(i int, cols []int) []string, detail func(i, n int) []string, cols []int, header ...string) []string {
	st := s.styles
	n := s.rows(s.pane)
	if n == 0 {
		return s.emptyView()
	}
	out := []string{st.Subtle.Render(joinCells(cols, header))}
	vis := s.rowsVisible()
	end := min(n, s.offset[s.pane]+vis)
	for i := s.offset[s.pane]; i < end; i++ {
		line := joinCells(cols, row(i, cols))
		if i == s.cursor[s.pane] {
			line = st.Selected.Render(common.Fit("›"+line[1:], s.width))
		}
		out = append(out, line)
	}
	for range vis - (end - s.offset[s.pane]) {
		out = append(out, "")
	}
	more := ""
	if n > vis {
		more = fmt.Sprintf(" %d–%d of %d ", s.offset[s.pane]+1, end, n)
	}
	rule := st.Subtle.Render(strings.Repeat("─", max(s.width-lipgloss.Width(more)-1, 0)) + more)
	out = append(out, rule)
	room := s.detailLines() - 1
	var wrapped []string
	for _, l := range detail(s.cursor[s.pane], room) {
		wrapped = append(wrapped, common.Wrap(l, s.width-2)...)
	}
	for _, l := range common.Clip(wrapped, room) {
		out = append(out, " "+l)
	}
	return out
}

func (s *Model) emptyView() []string {
	key := s.styles.Key.Render
	var text string
	switch s.pane {
	case stepAssets:
		text = "No assets yet. Press " + key("a") + " to add the first one: the EHR, email, backups, laptops, phones, " +
			"the network, imaging, copiers, the patient portal – anything that touches ePHI. A hosted system's provider " +
			"can be added from the asset form."
	case stepVendors:
		text = "No vendors yet. Press " + key("a") + " to add a business associate or cloud provider, with its BAA and " +
			"any HITRUST, SOC 2 or ISO 27001 report it gives you. If no outside party creates, receives, keeps or " +
			"sends ePHI for the practice, press " + key("n") + " to state so."
		if ns := s.data.Snap.NoVendors; ns != "" {
			text = "The analysis states that no outside party handles ePHI: “" + ns + "” Press " + key("n") +
				" to change the statement, or " + key("a") + " to add a vendor (remove the statement first)."
		}
	case stepMethod:
		text = "Nothing recorded yet. Press " + key("a") + " to record an interview, a document reviewed, a site " +
			"walkthrough or a technical test, or an assumption or limitation of the analysis."
	default:
		text = "No data flows yet. Press " + key("a") + " to record where ePHI moves from one asset to another " +
			"(for example EHR → backups) or to a payer, lab or other outside party, and how it is protected on the way."
	}
	out := []string{""}
	for _, l := range common.Wrap(text, s.width-2) {
		out = append(out, " "+l)
	}
	return out
}

func joinCells(cols []int, fields []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		f := ""
		if i < len(fields) {
			f = fields[i]
		}
		parts[i] = common.Fit(f, c)
	}
	return " " + strings.Join(parts, "  ")
}

// spread shares what is left of the width, after the fixed columns and the gaps, among the
// flexible ones by weight; on wide terminals the flexible columns get the room.
func (s *Model) spread(fixed []int, weights ...int) []int {
	used := 1
	for _, f := range fixed {
		used += f + 2
	}
	used += 2 * (len(weights) - 1)
	rest := max(s.width-used-1, 10*len(weights))
	total := 0
	for _, w := range weights {
		total += w
	}
	out := make([]int, len(weights))
	left := rest
	for i, w := range weights {
		if i == len(weights)-1 {
			out[i] = left
			break
		}
		out[i] = rest * w / total
		left -= out[i]
	}
	return out
}
