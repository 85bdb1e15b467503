// Package setup is the tab that describes what is assessed: the organization profile, the
// assets that hold or move ePHI, the vendors behind them and the data flows between them.
// It is four panes in wizard order; the user can come back to any of them at any time.
package setup

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/ui/common"
	"safeguard/ui/exchange"
)

// step is one step of the setup wizard.
type step int

const (
	stepProfile step = iota
	stepAssets
	stepVendors
	stepFlows
	stepCount
)

var stepNames = [stepCount]string{"Profile", "Assets", "Vendors", "Data flows"}

// stepIntro is the one-line explanation under the step bar.
var stepIntro = [stepCount]string{
	"Who is assessed, by whom, for which period, and how risks are rated.",
	"Systems, devices and cloud services that create, receive, keep or send ePHI.",
	"Vendors that handle ePHI for you: their BAA (§164.308(b)(1)) and attestations.",
	"Where ePHI moves between your assets, and whether it is encrypted on the way.",
}

// Layout of a list pane: step bar, intro line, column header, rows, then a detail block
// (a rule and a few lines about the selected row; more on tall terminals).
const headLines = 3 // step bar, intro, column header

// followed names the row to select once a save has reloaded the data: by ID for an
// edit, by name for a new record (whose ID the store assigns).
type followed struct {
	pane     step
	id, name string
}

// Model is the Setup tab: four panes in wizard order.
type Model struct {
	e      *common.Env
	follow *followed
	data   *common.Data
	pane   step
	cursor [stepCount]int
	offset [stepCount]int
	width  int
	height int
	styles common.Styles
}

// New is the Setup tab.
func New(e *common.Env) *Model { return &Model{e: e} }

func (s *Model) Title() string { return "Setup" }

func (s *Model) Init() tea.Cmd { return nil }

func (s *Model) SetData(d *common.Data) {
	s.data = d
	if f := s.follow; f != nil {
		s.follow = nil
		// Select the saved record in its pane, without moving the user away from the
		// pane they went to while the save was reloading.
		if i := s.find(f); i >= 0 {
			s.cursor[f.pane] = i
		}
	}
	for p := stepAssets; p < stepCount; p++ {
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
			if match(fl.ID, fl.From+"→"+fl.To) {
				return i
			}
		}
	}
	return -1
}

func (s *Model) SetSize(w, h int) {
	s.width, s.height = w, h
	for p := stepAssets; p < stepCount; p++ {
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
	var acts []key.Binding
	if s.data != nil && !s.data.Final() {
		if s.pane == stepProfile {
			acts = []key.Binding{k.Edit}
		} else {
			acts = []key.Binding{k.Add, k.Edit, k.Delete}
		}
	}
	short := append(append([]key.Binding{}, steps...), acts...)
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
	}
	return 0
}

// rowsVisible is how many list rows fit between the header and the detail block.
func (s *Model) rowsVisible() int { return max(s.height-headLines-s.detailLines(), 1) }

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
		s.pane = (s.pane + stepCount - 1) % stepCount
	case key.Matches(msg, k.NextStep):
		s.pane = (s.pane + 1) % stepCount
	case key.Matches(msg, k.Add):
		return s.add()
	case key.Matches(msg, k.Edit):
		return s.edit()
	case key.Matches(msg, k.Delete):
		return s.remove()
	case key.Matches(msg, s.e.Keys.Exchange.ImportList):
		// Hook (issue 17): import assets or vendors from a CSV or Excel list.
		if why := s.readOnly(); why != "" {
			return common.Fail(errors.New(why))
		}
		return common.Push(exchange.NewInventory(s.e, s.data))
	}
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
		return common.Push(s.vendorForm(nil))
	case stepFlows:
		if len(s.data.Snap.Assets) < 2 {
			return common.Notice("A data flow runs between two assets: add at least two under Assets first.")
		}
		return common.Push(s.flowForm(nil))
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
		return common.Push(s.profileForm())
	case stepAssets:
		if i < len(snap.Assets) {
			return common.Push(s.assetForm(&snap.Assets[i]))
		}
	case stepVendors:
		if i < len(snap.Vendors) {
			return common.Push(s.vendorForm(&snap.Vendors[i]))
		}
	case stepFlows:
		if i < len(snap.Flows) {
			return common.Push(s.flowForm(&snap.Flows[i]))
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
	}
	return nil
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
	row := y - headLines + s.offset[s.pane]
	if y >= headLines && y < headLines+s.rowsVisible() && row < s.rows(s.pane) {
		if row == s.cursor[s.pane] && m.Button == tea.MouseLeft {
			// A click on the selected row opens it, like enter.
			return s.edit()
		}
		s.cursor[s.pane] = row
	}
	return nil
}

// paneLabels are the step bar's labels with counts, so the bar says how far setup is.
func (s *Model) paneLabels() [stepCount]string {
	var l [stepCount]string
	for p := range stepCount {
		l[p] = stepNames[p]
		if p != stepProfile && s.data != nil {
			l[p] += fmt.Sprintf(" (%d)", s.rows(p))
		}
		l[p] = " " + l[p] + " "
	}
	return l
}

const stepSep = " › "

// paneSpans are the columns [from, to) of each label on the step bar.
func (s *Model) paneSpans() [stepCount][2]int {
	var spans [stepCount][2]int
	x := 1
	for p, l := range s.paneLabels() {
		w := lipgloss.Width(l)
		spans[p] = [2]int{x, x + w}
		x += w + lipgloss.Width(stepSep)
	}
	return spans
}

func (s *Model) stepBar() string {
	st := s.styles
	labels := s.paneLabels()
	parts := make([]string, stepCount)
	for p, l := range labels {
		if step(p) == s.pane {
			parts[p] = st.Selected.Render(l)
		} else {
			parts[p] = l
		}
	}
	bar := " " + strings.Join(parts, st.Subtle.Render(stepSep))
	return lipgloss.NewStyle().MaxWidth(s.width).Render(bar)
}

func (s *Model) View() string {
	st := s.styles
	if s.data == nil {
		return st.Subtle.Render("Loading…")
	}
	intro := st.Subtle.Render(" " + common.Truncate(stepIntro[s.pane], s.width-2))
	if why := s.readOnly(); why != "" {
		intro = st.Status[assessment.StatusFinal].Render(" " + common.Truncate(why, s.width-2))
	}
	var body []string
	switch s.pane {
	case stepProfile:
		body = s.profileView()
	case stepAssets:
		body = s.listView(s.assetRow, s.assetDetail, "NAME", "KIND", "HOSTING", "PROVIDER", "EPHI", "AT REST")
	case stepVendors:
		body = s.listView(s.vendorRow, s.vendorDetail, "NAME", "BAA", "ATTESTATIONS", "WARNINGS")
	case stepFlows:
		body = s.listView(s.flowRow, s.flowDetail, "FROM → TO: DESCRIPTION")
	}
	lines := append([]string{s.stepBar(), intro}, body...)
	if len(lines) > s.height {
		lines = lines[:s.height]
	}
	return strings.Join(lines, "\n")
}

// listView draws a list pane: header, the visible rows only, padding, then the detail block
// about the selected row.
func (s *Model) listView(row func(i int, cols []int) []string, detail func(i, n int) []string, header ...string) []string {
	st := s.styles
	n := s.rows(s.pane)
	if n == 0 {
		return s.emptyView()
	}
	cols := s.columns()
	out := []string{st.Subtle.Render(joinCells(cols, header))}
	vis := s.rowsVisible()
	end := min(n, s.offset[s.pane]+vis)
	for i := s.offset[s.pane]; i < end; i++ {
		line := joinCells(cols, row(i, cols))
		if i == s.cursor[s.pane] {
			line = st.Selected.Render(common.Fit(line, s.width))
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
	for j, l := range detail(s.cursor[s.pane], room) {
		if j == room {
			break
		}
		out = append(out, " "+common.Truncate(l, s.width-2))
	}
	return out
}

func (s *Model) emptyView() []string {
	key := s.styles.Key.Render("a")
	switch s.pane {
	case stepAssets:
		return []string{"", " No assets yet. Press " + key + " to add the first one: the EHR, email, backups,",
			" laptops, phones, the network, imaging, telehealth – anything that touches ePHI."}
	case stepVendors:
		return []string{"", " No vendors yet. Press " + key + " to add a business associate or cloud provider,",
			" with its BAA and any HITRUST, SOC 2 or ISO 27001 report it gives you."}
	}
	return []string{"", " No data flows yet. Press " + key + " to record where ePHI moves from one asset to",
		" another (for example EHR → backups), and whether it is encrypted on the way."}
}

// columns are the list widths of the current pane at the current width.
func (s *Model) columns() []int {
	w := s.width
	switch s.pane {
	case stepAssets:
		const hosting, ephi, enc = 8, 4, 14
		rest := max(w-1-hosting-ephi-enc-10, 30)
		name := rest * 40 / 100
		kind := rest * 25 / 100
		return []int{name, kind, hosting, rest - name - kind, ephi, enc}
	case stepVendors:
		const baa, warn = 21, 9
		rest := max(w-1-baa-warn-6, 30)
		name := rest * 45 / 100
		return []int{name, baa, rest - name, warn}
	}
	return []int{max(w-2, 10)}
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

// ---- profile ----

func (s *Model) profileView() []string {
	st := s.styles
	a := s.data.Snap.Assessment
	p := s.data.Snap.Profile
	const lw = 20
	vw := max(s.width-lw-2, 10)
	row := func(label, value string) string {
		return " " + st.Subtle.Render(common.Fit(label, lw)) + common.Truncate(value, vw)
	}
	yes := func(b bool, y, n string) string {
		if b {
			return y
		}
		return n
	}
	period := "not set"
	if p.PeriodStart != "" || p.PeriodEnd != "" {
		period = common.Or(assessment.DocDay(p.PeriodStart), "—") + " to " + common.Or(assessment.DocDay(p.PeriodEnd), "—")
	}
	edit := st.Subtle.Render("   press ") + st.Key.Render(s.e.Keys.Setup.Edit.Help().Key) + st.Subtle.Render(" to edit")
	if s.data.Final() {
		edit = ""
	}
	lines := []string{
		" " + st.Header.Render("Organization profile") + edit,
		row("Organization", a.Organization),
		row("Entity type", assessment.ChoiceLabel(assessment.EntityTypes, string(p.EntityType))),
		row("Size", common.Or(assessment.ChoiceLabel(assessment.Sizes, p.Size), "not stated")),
		row("42 CFR Part 2", yes(p.Part2Program, "Yes: runs a substance use disorder program", "No Part 2 program")),
		row("Medicare/Medicaid", yes(p.MedicareMedicaid, "Yes", "No")),
		row("Assessors", common.Or(strings.Join(p.Assessors, ", "), "not named yet")),
		row("Period", period),
		row("Proposed-rule items", yes(p.IncludeProposed, "Shown for planning, never counted", "Not shown")),
		row("Risk matrix", assessment.ChoiceLabel(assessment.MatrixKinds, string(p.Matrix.OrDefault()))),
	}
	scope := common.Wrap(p.Scope, vw)
	if len(scope) == 0 {
		return append(lines, row("Scope", "not written yet"))
	}
	room := s.height - 2 - len(lines)
	if room < 1 {
		return lines
	}
	for i, l := range common.Clip(scope, room) {
		label := ""
		if i == 0 {
			label = "Scope"
		}
		lines = append(lines, row(label, l))
	}
	return lines
}

// ---- assets ----

func (s *Model) kindLabel(kind string, short bool) string {
	k := common.AssetKind(s.data.Catalog, kind)
	if short {
		return k.Short()
	}
	return k.Title
}

// needsProvider reports whether an asset is hosted by someone else but names no provider.
func needsProvider(a assessment.Asset) bool {
	return a.Hosting != controls.OnPrem && a.VendorID == ""
}

// vendorName is the name of a vendor, "" for none.
func (s *Model) vendorName(id string) string {
	if id == "" {
		return ""
	}
	return s.data.VendorName(id)
}

func (s *Model) assetName(id string) string { return s.data.AssetName(id) }

func (s *Model) assetRow(i int, _ []int) []string {
	a := s.data.Snap.Assets[i]
	provider := s.vendorName(a.VendorID)
	if needsProvider(a) {
		provider = "⚠ none chosen"
	} else if provider == "" {
		provider = "—"
	}
	ephi := "no"
	if a.EPHI {
		ephi = "yes"
	}
	name := a.Name
	if !a.InScope {
		name += " (out of scope)"
	}
	return []string{name, s.kindLabel(a.Kind, true), a.Hosting.Short(), provider, ephi, encryption(a)}
}

// encryption is an asset's encryption at rest in a word or two, marked when there is none.
func encryption(a assessment.Asset) string {
	if a.EncAtRest == assessment.EncNone {
		return "✘ " + assessment.EncryptionShort(a.EncAtRest)
	}
	return assessment.EncryptionShort(a.EncAtRest)
}

func (s *Model) assetDetail(i, n int) []string {
	a := s.data.Snap.Assets[i]
	run := "hosted " + a.Hosting.Phrase()
	if v := s.vendorName(a.VendorID); v != "" && a.Hosting == controls.OnPrem {
		run += ", supported by " + v
	} else if v != "" {
		run += " by " + v
	}
	out := []string{a.Name + " · " + s.kindLabel(a.Kind, s.width < 100) + " · " + run}
	if needsProvider(a) {
		out = append(out, s.styles.Warn.Render("⚠ Hosted ("+a.Hosting.Short()+") but no provider chosen: add the vendor, then edit this asset."))
	}
	facts := []string{}
	if a.EPHI {
		facts = append(facts, "ePHI, about "+assessment.FormatInt(a.Records)+" records")
	} else {
		facts = append(facts, "no ePHI")
	}
	if a.Part2 {
		facts = append(facts, "Part 2 ("+strings.ToLower(assessment.ChoiceLabel(assessment.SegregationChoices, a.Segregation))+")")
	}
	facts = append(facts, "at rest: "+encryption(a), "in transit: "+assessment.ChoiceLabel(assessment.TLSChoices, a.TLS))
	if a.Criticality != "" {
		facts = append(facts, strings.ToLower(assessment.ChoiceLabel(assessment.CriticalityChoices, a.Criticality))+" criticality")
	}
	out = append(out, strings.Join(facts, " · "),
		"Where: "+common.Or(a.Location, "not recorded")+" · Owner: "+common.Or(a.Owner, "not named"))
	if a.Notes != "" && len(out) < n {
		out = append(out, common.Clip(common.Wrap("Notes: "+a.Notes, s.width-2), n-len(out))...)
	}
	return out
}

// ---- vendors ----

// baaCell is a vendor's BAA in a table cell, its mark carrying the meaning.
func baaCell(v assessment.Vendor) string {
	switch v.BAA {
	case assessment.BAASigned:
		return "✔ signed " + assessment.DocDay(v.BAASigned)
	case assessment.BAARequested:
		return "◐ requested"
	case assessment.BAAExpired:
		return "✘ expired"
	}
	return "✘ none"
}

func attestations(v assessment.Vendor) string {
	if len(v.Attestations) == 0 {
		return "none"
	}
	parts := make([]string, len(v.Attestations))
	for i, a := range v.Attestations {
		parts[i] = assessment.AttestationShort(a.Kind) + " to " + assessment.DocDay(a.Expires)
	}
	return strings.Join(parts, ", ")
}

func (s *Model) vendorRow(i int, _ []int) []string {
	v := s.data.Snap.Vendors[i]
	warn := "✔ ok"
	if n := len(s.data.Summary.VendorIssues[v.ID]); n > 0 {
		warn = fmt.Sprintf("⚠ %d", n)
	}
	return []string{v.Name, baaCell(v), attestations(v), warn}
}

func (s *Model) vendorDetail(i, n int) []string {
	v := s.data.Snap.Vendors[i]
	out := []string{common.Or(v.Services, "No services described.")}
	warn := s.styles.Warn
	issues := s.data.Summary.VendorIssues[v.ID]
	if len(issues) == 0 {
		out = append(out, s.styles.Notice.Render("✔ No warnings on "+assessment.DocDate(s.data.AsOf)+
			": the BAA is signed and a current attestation is on file."))
	}
	for j, is := range issues {
		if left := n - len(out); left == 1 && len(issues)-j > 1 {
			out = append(out, warn.Render(fmt.Sprintf("⚠ %s (and %d more)", is.Text, len(issues)-j-1)))
			break
		}
		out = append(out, warn.Render("⚠ "+is.Text))
	}
	notice := "not stated"
	if v.BreachNoticeDays > 0 {
		notice = assessment.Plural(v.BreachNoticeDays, "day", "days")
	}
	terms := "Breach notice: " + notice + " · Subcontractor flow-down: "
	if v.Flowdown {
		terms += "yes"
	} else {
		terms += "no"
	}
	out = append(out, terms)
	for _, a := range v.Attestations {
		line := assessment.ChoiceLabel(assessment.AttestationChoices, a.Kind)
		if a.PeriodEnd != "" {
			line += ", period ended " + assessment.DocDay(a.PeriodEnd)
		}
		out = append(out, line+", expires "+common.Or(assessment.DocDay(a.Expires), "not given"))
	}
	return out
}

// ---- flows ----

func (s *Model) flowRow(i int, cols []int) []string {
	f := s.data.Snap.Flows[i]
	suffix := " (encrypted)"
	if !f.Encrypted {
		suffix = " (unencrypted)"
	}
	text := s.assetName(f.From) + " → " + s.assetName(f.To)
	if f.Description != "" {
		text += ": " + f.Description
	}
	return []string{common.Truncate(text, max(cols[0]-lipgloss.Width(suffix), 10)) + suffix}
}

func (s *Model) flowDetail(i, n int) []string {
	f := s.data.Snap.Flows[i]
	head := s.assetName(f.From) + " → " + s.assetName(f.To)
	if f.Encrypted {
		head += " · encrypted in transit"
	} else {
		head += " · " + s.styles.Warn.Render("⚠ not encrypted in transit (§164.312(e)(2)(ii))")
	}
	return append([]string{head}, common.Clip(common.Wrap(common.Or(f.Description, "No description."), s.width-2), n-1)...)
}
