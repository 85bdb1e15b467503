package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
	"safeguard/controls"
)

// The setup section describes what is assessed: the organisation profile, the assets that
// hold or move ePHI, the vendors behind them and the data flows between them. It is four
// panes in wizard order; the user can come back to any of them at any time.

func init() { registerSection(4, func(e *env) section { return newSetup(e) }) }

// setupPane is one step of the setup wizard.
type setupPane int

const (
	setupProfile setupPane = iota
	setupAssets
	setupVendors
	setupFlows
	setupCount
)

var setupStepNames = [setupCount]string{"Profile", "Assets", "Vendors", "Data flows"}

// setupStepIntro is the one-line explanation under the step bar.
var setupStepIntro = [setupCount]string{
	"Who is assessed, by whom, for which period, and how risks are rated.",
	"Systems, devices and cloud services that create, receive, keep or send ePHI.",
	"Vendors that handle ePHI for you: their BAA (§164.308(b)(1)) and attestations.",
	"Where ePHI moves between your assets, and whether it is encrypted on the way.",
}

// Setup's own bindings; the shell owns tab, 1–6 and esc.
var (
	setupPrevPane = key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "previous step"))
	setupNextPane = key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next step"))
	setupAdd      = key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add"))
	setupEdit     = key.NewBinding(key.WithKeys("e", "enter"), key.WithHelp("e/enter", "edit"))
	setupDelete   = key.NewBinding(key.WithKeys("D", "delete"), key.WithHelp("D", "delete"))
)

// Layout of a list pane: step bar, intro line, column header, rows, then a detail block
// (a rule and a few lines about the selected row; more on tall terminals).
const (
	setupHeadLines = 3 // step bar, intro, column header
	// setupTop is the screen row of the section's first line: the app title, the shell's
	// header and tab bar, and a blank line come first.
	setupTop = 4
)

// setupFollow names the row to select once a save has reloaded the data: by ID for an
// edit, by name for a new record (whose ID the store assigns).
type setupFollow struct {
	pane     setupPane
	id, name string
}

type setup struct {
	e      *env
	follow *setupFollow
	data   *assessData
	pane   setupPane
	cursor [setupCount]int
	offset [setupCount]int
	width  int
	height int
	styles Styles
}

func newSetup(e *env) *setup { return &setup{e: e, width: minWidth, height: minHeight - 6} }

func (s *setup) Title() string { return "Setup" }

func (s *setup) Init() tea.Cmd { return nil }

func (s *setup) SetData(d *assessData) {
	s.data = d
	if f := s.follow; f != nil {
		s.follow = nil
		if i := s.find(f); i >= 0 {
			s.pane, s.cursor[f.pane] = f.pane, i
		}
	}
	for p := setupAssets; p < setupCount; p++ {
		s.clamp(p)
	}
}

// find is the row of a followed record, or -1.
func (s *setup) find(f *setupFollow) int {
	snap := s.data.snap
	match := func(id, name string) bool {
		return (f.id != "" && id == f.id) || (f.id == "" && f.name != "" && name == f.name)
	}
	switch f.pane {
	case setupAssets:
		for i, a := range snap.Assets {
			if match(a.ID, a.Name) {
				return i
			}
		}
	case setupVendors:
		for i, v := range snap.Vendors {
			if match(v.ID, v.Name) {
				return i
			}
		}
	case setupFlows:
		for i, fl := range snap.Flows {
			if match(fl.ID, fl.From+"→"+fl.To) {
				return i
			}
		}
	}
	return -1
}

func (s *setup) SetSize(w, h int) {
	s.width, s.height = w, h
	for p := setupAssets; p < setupCount; p++ {
		s.clamp(p)
	}
}

func (s *setup) SetStyles(st Styles) { s.styles = st }

func (s *setup) Typing() bool { return false }

// Back has no inner pane to close: esc leaves the assessment.
func (s *setup) Back() bool { return false }

func (s *setup) Keys() helpKeys {
	k := s.e.keys
	nav := []key.Binding{setupPrevPane, setupNextPane}
	var acts []key.Binding
	if s.data != nil && !s.data.final() {
		if s.pane == setupProfile {
			acts = []key.Binding{setupEdit}
		} else {
			acts = []key.Binding{setupAdd, setupEdit, setupDelete}
		}
	}
	short := append(append([]key.Binding{}, nav...), acts...)
	full := [][]key.Binding{nav}
	if s.pane != setupProfile {
		full = append(full, []key.Binding{k.Up, k.Down, k.Top, k.Bottom})
	}
	if len(acts) > 0 {
		full = append(full, acts)
	}
	return helpKeys{short: short, full: full}
}

// rows is the number of rows in a list pane.
func (s *setup) rows(p setupPane) int {
	if s.data == nil {
		return 0
	}
	switch p {
	case setupAssets:
		return len(s.data.snap.Assets)
	case setupVendors:
		return len(s.data.snap.Vendors)
	case setupFlows:
		return len(s.data.snap.Flows)
	}
	return 0
}

// rowsVisible is how many list rows fit between the header and the detail block.
func (s *setup) rowsVisible() int { return max(s.height-setupHeadLines-s.detailLines(), 1) }

// detailLines is the height of the detail block, its rule included.
func (s *setup) detailLines() int {
	if s.height >= 30 {
		return 8
	}
	return 4
}

func (s *setup) clamp(p setupPane) {
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

func (s *setup) move(d int) {
	if s.pane == setupProfile {
		return
	}
	s.cursor[s.pane] += d
	s.clamp(s.pane)
}

func (s *setup) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return s, s.key(msg)
	case tea.MouseClickMsg:
		return s, s.click(msg.Mouse())
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			s.move(-1)
		case tea.MouseWheelDown:
			s.move(1)
		}
	}
	return s, nil
}

func (s *setup) key(msg tea.KeyPressMsg) tea.Cmd {
	k := s.e.keys
	switch {
	case key.Matches(msg, setupPrevPane):
		s.pane = (s.pane + setupCount - 1) % setupCount
	case key.Matches(msg, setupNextPane):
		s.pane = (s.pane + 1) % setupCount
	case key.Matches(msg, k.Up):
		s.move(-1)
	case key.Matches(msg, k.Down):
		s.move(1)
	case key.Matches(msg, k.Top):
		s.move(-s.rows(s.pane))
	case key.Matches(msg, k.Bottom):
		s.move(s.rows(s.pane))
	case key.Matches(msg, setupAdd):
		return s.add()
	case key.Matches(msg, setupEdit):
		return s.edit()
	case key.Matches(msg, setupDelete):
		return s.remove()
	}
	return nil
}

// readOnly says why nothing can change, or "" when the assessment is editable.
func (s *setup) readOnly() string {
	if s.data == nil {
		return "The assessment is still loading."
	}
	if s.data.final() {
		return "This assessment is final, so its setup is read-only. Start a new revision to change it."
	}
	return ""
}

func setupNotice(text string) tea.Cmd { return func() tea.Msg { return noticeMsg(text) } }

func (s *setup) add() tea.Cmd {
	if why := s.readOnly(); why != "" {
		return setupNotice(why)
	}
	switch s.pane {
	case setupAssets:
		return push(s.assetForm(nil))
	case setupVendors:
		return push(s.vendorForm(nil))
	case setupFlows:
		if len(s.data.snap.Assets) < 2 {
			return setupNotice("A data flow runs between two assets: add at least two under Assets first.")
		}
		return push(s.flowForm(nil))
	}
	return nil
}

func (s *setup) edit() tea.Cmd {
	if why := s.readOnly(); why != "" {
		return setupNotice(why)
	}
	snap := s.data.snap
	i := s.cursor[s.pane]
	switch s.pane {
	case setupProfile:
		return push(s.profileForm())
	case setupAssets:
		if i < len(snap.Assets) {
			return push(s.assetForm(&snap.Assets[i]))
		}
	case setupVendors:
		if i < len(snap.Vendors) {
			return push(s.vendorForm(&snap.Vendors[i]))
		}
	case setupFlows:
		if i < len(snap.Flows) {
			return push(s.flowForm(&snap.Flows[i]))
		}
	}
	return nil
}

func (s *setup) remove() tea.Cmd {
	if s.pane == setupProfile {
		return nil
	}
	if why := s.readOnly(); why != "" {
		return setupNotice(why)
	}
	snap := s.data.snap
	i := s.cursor[s.pane]
	switch s.pane {
	case setupAssets:
		if i < len(snap.Assets) {
			return push(s.deleteAssetForm(snap.Assets[i]))
		}
	case setupVendors:
		if i < len(snap.Vendors) {
			return push(s.deleteVendorForm(snap.Vendors[i]))
		}
	case setupFlows:
		if i < len(snap.Flows) {
			return push(s.deleteFlowForm(snap.Flows[i]))
		}
	}
	return nil
}

// click switches steps on the step bar and selects list rows.
func (s *setup) click(m tea.Mouse) tea.Cmd {
	y := m.Y - setupTop
	if y == 0 {
		for p, span := range s.paneSpans() {
			if m.X >= span[0] && m.X < span[1] {
				s.pane = setupPane(p)
			}
		}
		return nil
	}
	if s.pane == setupProfile {
		return nil
	}
	row := y - setupHeadLines + s.offset[s.pane]
	if y >= setupHeadLines && y < setupHeadLines+s.rowsVisible() && row < s.rows(s.pane) {
		if row == s.cursor[s.pane] && m.Button == tea.MouseLeft {
			// A click on the selected row opens it, like enter.
			return s.edit()
		}
		s.cursor[s.pane] = row
	}
	return nil
}

// paneLabels are the step bar's labels with counts, so the bar says how far setup is.
func (s *setup) paneLabels() [setupCount]string {
	var l [setupCount]string
	for p := range setupCount {
		l[p] = setupStepNames[p]
		if p != setupProfile && s.data != nil {
			l[p] += fmt.Sprintf(" (%d)", s.rows(p))
		}
		l[p] = " " + l[p] + " "
	}
	return l
}

const setupStepSep = " › "

// paneSpans are the columns [from, to) of each label on the step bar.
func (s *setup) paneSpans() [setupCount][2]int {
	var spans [setupCount][2]int
	x := 1
	for p, l := range s.paneLabels() {
		w := lipgloss.Width(l)
		spans[p] = [2]int{x, x + w}
		x += w + lipgloss.Width(setupStepSep)
	}
	return spans
}

func (s *setup) stepBar() string {
	st := s.styles
	labels := s.paneLabels()
	parts := make([]string, setupCount)
	for p, l := range labels {
		if setupPane(p) == s.pane {
			parts[p] = st.Selected.Render(l)
		} else {
			parts[p] = l
		}
	}
	bar := " " + strings.Join(parts, st.Subtle.Render(setupStepSep))
	return lipgloss.NewStyle().MaxWidth(s.width).Render(bar)
}

func (s *setup) View() string {
	st := s.styles
	if s.data == nil {
		return st.Subtle.Render("Loading…")
	}
	intro := st.Subtle.Render(" " + truncate(setupStepIntro[s.pane], s.width-2))
	if why := s.readOnly(); why != "" {
		intro = st.Status["final"].Render(" " + truncate(why, s.width-2))
	}
	var body []string
	switch s.pane {
	case setupProfile:
		body = s.profileView()
	case setupAssets:
		body = s.listView(s.assetRow, s.assetDetail, "NAME", "KIND", "HOSTING", "PROVIDER", "EPHI", "AT REST")
	case setupVendors:
		body = s.listView(s.vendorRow, s.vendorDetail, "NAME", "BAA", "ATTESTATIONS", "WARNINGS")
	case setupFlows:
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
func (s *setup) listView(row func(i int, cols []int) []string, detail func(i, n int) []string, header ...string) []string {
	st := s.styles
	n := s.rows(s.pane)
	if n == 0 {
		return s.emptyView()
	}
	cols := s.columns()
	out := []string{st.Subtle.Render(setupJoin(cols, header))}
	vis := s.rowsVisible()
	end := min(n, s.offset[s.pane]+vis)
	for i := s.offset[s.pane]; i < end; i++ {
		line := setupJoin(cols, row(i, cols))
		if i == s.cursor[s.pane] {
			line = st.Selected.Render(setupPad(line, s.width))
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
		out = append(out, " "+truncate(l, s.width-2))
	}
	return out
}

func (s *setup) emptyView() []string {
	key := s.styles.Key.Render("a")
	switch s.pane {
	case setupAssets:
		return []string{"", " No assets yet. Press " + key + " to add the first one: the EHR, email, backups,",
			" laptops, phones, the network, imaging, telehealth – anything that touches ePHI."}
	case setupVendors:
		return []string{"", " No vendors yet. Press " + key + " to add a business associate or cloud provider,",
			" with its BAA and any HITRUST, SOC 2 or ISO 27001 report it gives you."}
	}
	return []string{"", " No data flows yet. Press " + key + " to record where ePHI moves from one asset to",
		" another (for example EHR → backups), and whether it is encrypted on the way."}
}

// columns are the list widths of the current pane at the current width.
func (s *setup) columns() []int {
	w := s.width
	switch s.pane {
	case setupAssets:
		const hosting, ephi, enc = 8, 4, 14
		rest := max(w-1-hosting-ephi-enc-10, 30)
		name := rest * 40 / 100
		kind := rest * 25 / 100
		return []int{name, kind, hosting, rest - name - kind, ephi, enc}
	case setupVendors:
		const baa, warn = 19, 9
		rest := max(w-1-baa-warn-6, 30)
		name := rest * 45 / 100
		return []int{name, baa, rest - name, warn}
	}
	return []int{max(w-2, 10)}
}

// setupPad cuts s to width cells and pads it with spaces to exactly width (cheaper than a
// lipgloss style, which matters for long lists).
func setupPad(s string, width int) string {
	s = truncate(s, width)
	if w := ansi.StringWidth(s); w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

func setupJoin(cols []int, fields []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		f := ""
		if i < len(fields) {
			f = fields[i]
		}
		parts[i] = setupPad(f, c)
	}
	return " " + strings.Join(parts, "  ")
}

// ---- profile ----

func (s *setup) profileView() []string {
	st := s.styles
	a := s.data.snap.Assessment
	p := s.data.snap.Profile
	const lw = 20
	row := func(label, value string) string {
		return " " + st.Subtle.Render(lipgloss.NewStyle().Width(lw).Render(label)) + truncate(value, max(s.width-lw-2, 10))
	}
	yes := func(b bool, y, n string) string {
		if b {
			return y
		}
		return n
	}
	period := "not set"
	if p.PeriodStart != "" || p.PeriodEnd != "" {
		period = setupOrDash(p.PeriodStart) + " to " + setupOrDash(p.PeriodEnd)
	}
	edit := st.Subtle.Render("   press ") + st.Key.Render("e") + st.Subtle.Render(" to edit")
	if s.data.final() {
		edit = ""
	}
	assessors := strings.Join(p.Assessors, ", ")
	if assessors == "" {
		assessors = "not named yet"
	}
	lines := []string{
		" " + st.Header.Render("Organisation profile") + edit,
		row("Organisation", a.Organization),
		row("Entity type", setupChoice(assessment.EntityTypes, string(p.EntityType))),
		row("Size", setupOr(setupChoice(assessment.Sizes, p.Size), "not stated")),
		row("42 CFR Part 2", yes(p.Part2Program, "Yes: runs a substance use disorder program", "No Part 2 program")),
		row("Medicare/Medicaid", yes(p.MedicareMedicaid, "Yes", "No")),
		row("Assessors", assessors),
		row("Period", period),
		row("Proposed-rule items", yes(p.IncludeProposed, "Shown for planning, never counted", "Not shown")),
		row("Risk matrix", setupChoice(assessment.MatrixKinds, string(p.Matrix.OrDefault()))),
	}
	scope := strings.TrimSpace(p.Scope)
	if scope == "" {
		lines = append(lines, row("Scope", "not written yet"))
		return lines
	}
	room := s.height - 2 - len(lines)
	if room < 1 {
		return lines
	}
	wrapped := strings.Split(lipgloss.NewStyle().Width(max(s.width-lw-2, 10)).Render(scope), "\n")
	if len(wrapped) > room {
		wrapped = wrapped[:room]
		wrapped[room-1] = truncate(strings.TrimRight(wrapped[room-1], " ")+" …", max(s.width-lw-2, 10))
	}
	for i, w := range wrapped {
		label := ""
		if i == 0 {
			label = "Scope"
		}
		lines = append(lines, row(label, strings.TrimRight(w, " ")))
	}
	return lines
}

// ---- assets ----

var setupKindShort = map[string]string{
	"ehr": "EHR", "pacs": "PACS", "telehealth": "Telehealth", "backup": "Backup", "email": "Email",
	"endpoint": "Endpoints", "mobile": "Mobile", "network": "Network", "other": "Other",
}

func (s *setup) kindLabel(kind string, short bool) string {
	if l, ok := setupKindShort[kind]; ok && short {
		return l
	}
	for _, k := range s.data.cat().AssetKinds {
		if k.ID == kind {
			return k.Title
		}
	}
	return kind
}

var setupHostingShort = map[controls.Hosting]string{
	controls.OnPrem: "on-prem", controls.IaaS: "IaaS", controls.PaaS: "PaaS", controls.SaaS: "SaaS",
}

var setupEncShort = map[string]string{
	assessment.EncNone:            "✘ none",
	assessment.EncProviderManaged: "provider keys",
	assessment.EncCustomerManaged: "customer KMS",
	assessment.EncCustomerHeld:    "customer-held",
	"":                            "not recorded",
}

// setupNeedsProvider reports whether an asset is hosted by someone else but names no provider.
func setupNeedsProvider(a assessment.Asset) bool {
	return a.Hosting != controls.OnPrem && a.VendorID == ""
}

func (s *setup) vendorName(id string) string {
	if id == "" {
		return ""
	}
	if v, ok := s.data.snap.Vendor(id); ok {
		return v.Name
	}
	return "?"
}

func (s *setup) assetName(id string) string {
	if a, ok := s.data.snap.Asset(id); ok {
		return a.Name
	}
	return "?"
}

func (s *setup) assetRow(i int, _ []int) []string {
	a := s.data.snap.Assets[i]
	provider := s.vendorName(a.VendorID)
	if setupNeedsProvider(a) {
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
	return []string{name, s.kindLabel(a.Kind, true), setupHostingShort[a.Hosting], provider, ephi, setupEncShort[a.EncAtRest]}
}

func (s *setup) assetDetail(i, n int) []string {
	a := s.data.snap.Assets[i]
	run := setupHostingLong[a.Hosting]
	if v := s.vendorName(a.VendorID); v != "" && a.Hosting == controls.OnPrem {
		run += ", supported by " + v
	} else if v != "" {
		run += " from " + v
	}
	out := []string{a.Name + " · " + s.kindLabel(a.Kind, s.width < 100) + " · " + run}
	if setupNeedsProvider(a) {
		out = append(out, s.styles.Status["draft"].Render("⚠ Hosted ("+setupHostingShort[a.Hosting]+") but no provider chosen: add the vendor, then edit this asset."))
	}
	facts := []string{}
	if a.EPHI {
		facts = append(facts, "ePHI, about "+setupDigits(a.Records)+" records")
	} else {
		facts = append(facts, "no ePHI")
	}
	if a.Part2 {
		facts = append(facts, "Part 2 ("+strings.ToLower(setupChoice(assessment.SegregationChoices, a.Segregation))+")")
	}
	facts = append(facts, "at rest: "+setupEncShort[a.EncAtRest], "in transit: "+setupChoice(assessment.TLSChoices, a.TLS))
	if a.Criticality != "" {
		facts = append(facts, strings.ToLower(setupChoice(assessment.CriticalityChoices, a.Criticality))+" criticality")
	}
	out = append(out, strings.Join(facts, " · "),
		"Where: "+setupOr(a.Location, "not recorded")+" · Owner: "+setupOr(a.Owner, "not named"))
	if a.Notes != "" && len(out) < n {
		out = append(out, setupWrap("Notes: "+a.Notes, s.width-2, n-len(out))...)
	}
	return out
}

// ---- vendors ----

var setupAttShort = map[string]string{
	assessment.AttHITRUSTr2: "HITRUST r2", assessment.AttHITRUSTi1: "HITRUST i1", assessment.AttHITRUSTe1: "HITRUST e1",
	assessment.AttSOC2Type2: "SOC 2 II", assessment.AttISO27001: "ISO 27001",
}

func setupBAALabel(v assessment.Vendor) string {
	switch v.BAA {
	case assessment.BAASigned:
		return "✔ signed " + v.BAASigned
	case assessment.BAARequested:
		return "◐ requested"
	case assessment.BAAExpired:
		return "✘ expired"
	}
	return "✘ none"
}

func setupAttSummary(v assessment.Vendor) string {
	if len(v.Attestations) == 0 {
		return "none"
	}
	parts := make([]string, len(v.Attestations))
	for i, a := range v.Attestations {
		parts[i] = setupAttShort[a.Kind] + " to " + a.Expires
	}
	return strings.Join(parts, ", ")
}

func (s *setup) vendorRow(i int, _ []int) []string {
	v := s.data.snap.Vendors[i]
	warn := "✔ ok"
	if n := len(assessment.VendorIssues(v, s.data.asOf)); n > 0 {
		warn = fmt.Sprintf("⚠ %d", n)
	}
	return []string{v.Name, setupBAALabel(v), setupAttSummary(v), warn}
}

func (s *setup) vendorDetail(i, n int) []string {
	v := s.data.snap.Vendors[i]
	out := []string{setupOr(v.Services, "No services described.")}
	warn := s.styles.Status["draft"]
	issues := assessment.VendorIssues(v, s.data.asOf)
	if len(issues) == 0 {
		out = append(out, s.styles.Notice.Render("✔ No warnings on "+s.data.asOf.Format("2006-01-02")+
			": the BAA is signed and a current attestation is on file."))
	}
	for j, is := range issues {
		if left := n - len(out); left == 1 && len(issues)-j > 1 {
			out = append(out, warn.Render(fmt.Sprintf("⚠ %s (and %d more)", is.Text, len(issues)-j-1)))
			break
		}
		out = append(out, warn.Render("⚠ "+is.Text))
	}
	terms := "Breach notice: " + setupOr(setupDays(v.BreachNoticeDays), "not stated") + " · Subcontractor flow-down: "
	if v.Flowdown {
		terms += "yes"
	} else {
		terms += "no"
	}
	out = append(out, terms)
	for _, a := range v.Attestations {
		line := setupChoice(assessment.AttestationChoices, a.Kind)
		if a.PeriodEnd != "" {
			line += ", period ended " + a.PeriodEnd
		}
		out = append(out, line+", expires "+setupOr(a.Expires, "not given"))
	}
	return out
}

func setupDays(d int) string {
	if d <= 0 {
		return ""
	}
	if d == 1 {
		return "1 day"
	}
	return itoa(d) + " days"
}

// ---- flows ----

func (s *setup) flowRow(i int, cols []int) []string {
	f := s.data.snap.Flows[i]
	suffix := " (encrypted)"
	if !f.Encrypted {
		suffix = " (unencrypted)"
	}
	text := s.assetName(f.From) + " → " + s.assetName(f.To)
	if f.Description != "" {
		text += ": " + f.Description
	}
	return []string{truncate(text, max(cols[0]-lipgloss.Width(suffix), 10)) + suffix}
}

func (s *setup) flowDetail(i, n int) []string {
	f := s.data.snap.Flows[i]
	head := s.assetName(f.From) + " → " + s.assetName(f.To)
	if f.Encrypted {
		head += " · encrypted in transit"
	} else {
		head += " · " + s.styles.Status["draft"].Render("⚠ not encrypted in transit (§164.312(e)(2)(ii))")
	}
	return append([]string{head}, setupWrap(setupOr(f.Description, "No description."), s.width-2, n-1)...)
}

// ---- small helpers ----

func setupChoice(cs []assessment.Choice, v string) string {
	for _, c := range cs {
		if c.Value == v {
			return c.Label
		}
	}
	return v
}

func setupOr(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

func setupOrDash(s string) string { return setupOr(s, "—") }

// setupDigits writes n with thousands separators: 48000 → 48,000.
func setupDigits(n int) string {
	s := itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// setupWrap wraps text to width and keeps at most n lines, ending the last kept one with
// an ellipsis when text was cut.
func setupWrap(text string, width, n int) []string {
	if n <= 0 {
		return nil
	}
	width = max(width, 10)
	lines := strings.Split(lipgloss.NewStyle().Width(width).Render(text), "\n")
	for j := range lines {
		lines[j] = strings.TrimRight(lines[j], " ")
	}
	if len(lines) > n {
		lines = lines[:n]
		lines[n-1] = truncate(lines[n-1]+" …", width)
	}
	return lines
}
