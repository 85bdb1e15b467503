package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/controls"
)

func init() { registerSection(3, func(e *env) section { return newRisks(e) }) }

// Bindings of the risk register, each with its help text.
var (
	rkKeyDetail  = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details"))
	rkKeySort    = key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort"))
	rkKeyFilter  = key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "filter"))
	rkKeyFind    = key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "find"))
	rkKeyAccept  = key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "accept"))
	rkKeyDismiss = key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "dismiss"))
	rkKeyRate    = key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-rate"))
	rkKeyTreat   = key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "treat"))
	rkKeyPgDown  = key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down"))
	rkKeyPgUp    = key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up"))
	rkKeyYes     = key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y", "yes, dismiss"))
	rkKeyNo      = key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "keep it"))
	rkKeyDone    = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep search"))
	rkKeyClear   = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search"))
	rkKeyClose   = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close details"))
)

// Sort orders and filters, cycled with s and f.
var (
	rkSorts   = []string{"level", "due date", "asset", "status", "title"}
	rkFilters = []string{"open", "proposed", "high and above", "all"}
	// rkFilterHelp says what each filter shows, in the heading.
	rkFilterHelp = []string{"open risks (not closed or dismissed)", "proposed risks to confirm or dismiss",
		"high and very high risks", "all risks"}
)

// The section sits under the app's title bar and the shell's heading, tab bar and blank
// line; its own heading and column header come before the first row.
const (
	rkTop       = 4
	rkHeadLines = 2
)

// rkRow is one risk with what the table needs precomputed, so View only pads strings.
type rkRow struct {
	r       *assessment.Risk
	level   assessment.Level
	rank    int
	asset   string
	hay     string // lower-case words searched by /
	overdue bool
	// line and sel are the drawn row, plain and selected, for layout stamp.
	line, sel string
	stamp     int
}

// risks is the risk register: a sortable, filterable table of the assessment's risks with
// a detail pane, dismissal, and the rating and treatment editors.
type risks struct {
	e         *env
	data      *assessData
	all       []rkRow
	rows      []int // indices into all, filtered and sorted
	cursor    int
	offset    int
	sortBy    int
	filter    int
	search    textinput.Model
	searching bool
	query     string
	detail    bool
	detailOff int
	confirm   bool // dismissal awaiting y/n
	stamp     int  // layout generation; rows drawn under another stamp are redrawn
	counts    map[assessment.Level]int
	unrated   int
	overdue   int
	width     int
	height    int
	styles    Styles
}

func newRisks(e *env) *risks {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "words in the title, asset, owner, threat…"
	in.CharLimit = 100
	return &risks{e: e, search: in}
}

func (k *risks) Title() string { return "Risks" }
func (k *risks) Init() tea.Cmd { return nil }

func (k *risks) matrix() assessment.MatrixKind {
	if k.data == nil {
		return assessment.DefaultMatrix
	}
	return k.data.snap.Profile.Matrix.OrDefault()
}

// SetData rebuilds the rows from a fresh snapshot, keeping the selected risk.
func (k *risks) SetData(d *assessData) {
	sel := k.selectedID()
	k.data = d
	m := k.matrix()
	names := make(map[string]string, len(d.snap.Assets))
	for _, a := range d.snap.Assets {
		names[a.ID] = a.Name
	}
	asOf := d.asOf.Format("2006-01-02")
	k.all = make([]rkRow, len(d.snap.Risks))
	for i := range d.snap.Risks {
		r := &d.snap.Risks[i]
		l := m.Level(r.Likelihood, r.Impact)
		row := rkRow{r: r, level: l, rank: m.Rank(l), asset: "Organisation-wide"}
		if n, ok := names[r.AssetID]; ok {
			row.asset = n
		}
		row.overdue = r.Due != "" && r.Due < asOf && r.Status != assessment.RiskClosed && r.Status != assessment.RiskDismissed
		hay := []string{r.Title, row.asset, r.Owner, string(r.Status), r.Status.Label(), string(r.Treatment), m.Label(l), r.Due}
		hay = append(hay, r.QuestionIDs...)
		if d.cat() != nil {
			if v, ok := d.cat().Vulnerability(r.VulnerabilityID); ok {
				hay = append(hay, v.Title)
				for _, t := range v.Threats {
					if t.ID == r.ThreatID {
						hay = append(hay, t.Title)
					}
				}
			}
		}
		row.hay = strings.ToLower(strings.Join(hay, " "))
		k.all[i] = row
	}
	k.stamp++
	k.count()
	k.refresh(sel)
}

// count tallies the risks that are not dismissed by level, for the footer.
func (k *risks) count() {
	k.counts = map[assessment.Level]int{}
	k.unrated, k.overdue = 0, 0
	for i := range k.all {
		row := &k.all[i]
		if row.r.Status == assessment.RiskDismissed {
			continue
		}
		if row.level == assessment.LevelNone {
			k.unrated++
		} else {
			k.counts[row.level]++
		}
		if row.overdue {
			k.overdue++
		}
	}
}

func (k *risks) selectedID() string {
	if r := k.selected(); r != nil {
		return r.ID
	}
	return ""
}

func (k *risks) selected() *assessment.Risk {
	if k.cursor < 0 || k.cursor >= len(k.rows) {
		return nil
	}
	return k.all[k.rows[k.cursor]].r
}

// refresh filters and sorts the rows and puts the cursor back on risk sel if it is shown.
func (k *risks) refresh(sel string) {
	words := strings.Fields(strings.ToLower(k.query))
	k.rows = k.rows[:0]
	for i := range k.all {
		if k.keep(&k.all[i], words) {
			k.rows = append(k.rows, i)
		}
	}
	slices.SortStableFunc(k.rows, func(a, b int) int { return k.compare(&k.all[a], &k.all[b]) })
	k.cursor = min(k.cursor, max(len(k.rows)-1, 0))
	for i, x := range k.rows {
		if k.all[x].r.ID == sel {
			k.cursor = i
			break
		}
	}
	k.scroll()
	if k.detail && k.selected() == nil {
		k.detail = false
	}
}

func (k *risks) keep(row *rkRow, words []string) bool {
	st := row.r.Status
	switch k.filter {
	case 0:
		if st == assessment.RiskClosed || st == assessment.RiskDismissed {
			return false
		}
	case 1:
		if st != assessment.RiskProposed {
			return false
		}
	case 2:
		if !assessment.IsHigh(row.level) || st == assessment.RiskDismissed {
			return false
		}
	}
	for _, w := range words {
		if !strings.Contains(row.hay, w) {
			return false
		}
	}
	return true
}

var rkStatusOrder = map[assessment.RiskStatus]int{
	assessment.RiskProposed: 0, assessment.RiskOpen: 1, assessment.RiskInProgress: 2,
	assessment.RiskClosed: 3, assessment.RiskDismissed: 4,
}

// compare orders two rows by the chosen sort; ties go to the higher level, then the title.
func (k *risks) compare(a, b *rkRow) int {
	byLevel := func() int {
		if c := b.rank - a.rank; c != 0 {
			return c
		}
		return b.r.Likelihood*b.r.Impact - a.r.Likelihood*a.r.Impact
	}
	byTitle := func() int { return strings.Compare(strings.ToLower(a.r.Title), strings.ToLower(b.r.Title)) }
	var c int
	switch rkSorts[k.sortBy] {
	case "level":
		c = byLevel()
	case "due date":
		switch {
		case a.r.Due == b.r.Due:
		case a.r.Due == "":
			c = 1
		case b.r.Due == "":
			c = -1
		default:
			c = strings.Compare(a.r.Due, b.r.Due)
		}
	case "asset":
		ao, bo := a.r.AssetID == "", b.r.AssetID == ""
		switch {
		case ao != bo:
			if ao {
				c = -1
			} else {
				c = 1
			}
		default:
			c = strings.Compare(strings.ToLower(a.asset), strings.ToLower(b.asset))
		}
	case "status":
		c = rkStatusOrder[a.r.Status] - rkStatusOrder[b.r.Status]
	case "title":
		c = byTitle()
	}
	if c == 0 {
		c = byLevel()
	}
	if c == 0 {
		c = byTitle()
	}
	return c
}

func (k *risks) rowsVisible() int { return max(k.height-rkHeadLines-1, 1) }

func (k *risks) scroll() {
	n := k.rowsVisible()
	k.offset = min(k.offset, max(len(k.rows)-n, 0))
	if k.cursor < k.offset {
		k.offset = k.cursor
	}
	if k.cursor >= k.offset+n {
		k.offset = k.cursor - n + 1
	}
	k.offset = max(k.offset, 0)
}

func (k *risks) move(d int) {
	k.cursor = max(0, min(len(k.rows)-1, k.cursor+d))
	k.scroll()
	k.detailOff = 0
}

func (k *risks) Update(msg tea.Msg) (screen, tea.Cmd) {
	if k.data == nil {
		return k, nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return k, k.key(msg)
	case tea.PasteMsg:
		if k.searching {
			var cmd tea.Cmd
			k.search, cmd = k.search.Update(msg)
			k.setQuery(k.search.Value())
			return k, cmd
		}
	case tea.MouseClickMsg:
		if msg.Mouse().Button == tea.MouseLeft {
			return k, k.click(msg.Mouse())
		}
	case tea.MouseWheelMsg:
		d := 1
		if msg.Mouse().Button == tea.MouseWheelUp {
			d = -1
		}
		if k.detail {
			k.detailOff = max(k.detailOff+d, 0)
		} else {
			k.move(d)
		}
	default:
		if k.searching {
			var cmd tea.Cmd
			k.search, cmd = k.search.Update(msg)
			return k, cmd
		}
	}
	return k, nil
}

func (k *risks) setQuery(q string) {
	if q == k.query {
		return
	}
	sel := k.selectedID()
	k.query = q
	k.refresh(sel)
}

func (k *risks) key(msg tea.KeyPressMsg) tea.Cmd {
	if k.searching {
		switch {
		case key.Matches(msg, rkKeyDone):
			k.searching = false
			k.search.Blur()
			return nil
		case key.Matches(msg, rkKeyClear):
			k.searching = false
			k.search.Blur()
			k.search.SetValue("")
			k.setQuery("")
			return nil
		case msg.String() == "down":
			k.move(1)
			return nil
		case msg.String() == "up":
			k.move(-1)
			return nil
		}
		var cmd tea.Cmd
		k.search, cmd = k.search.Update(msg)
		k.setQuery(k.search.Value())
		return cmd
	}
	if k.confirm {
		switch {
		case key.Matches(msg, rkKeyYes):
			k.confirm = false
			return k.dismiss()
		case key.Matches(msg, rkKeyNo):
			k.confirm = false
		}
		return nil
	}
	keys := k.e.keys
	switch {
	case key.Matches(msg, keys.Up):
		if k.detail {
			k.detailOff = max(k.detailOff-1, 0)
		} else {
			k.move(-1)
		}
	case key.Matches(msg, keys.Down):
		if k.detail {
			k.detailOff++
		} else {
			k.move(1)
		}
	case key.Matches(msg, rkKeyPgUp):
		k.move(-k.rowsVisible())
	case key.Matches(msg, rkKeyPgDown):
		k.move(k.rowsVisible())
	case key.Matches(msg, keys.Top):
		k.move(-len(k.rows))
	case key.Matches(msg, keys.Bottom):
		k.move(len(k.rows))
	case key.Matches(msg, rkKeyDetail):
		if k.selected() != nil {
			k.detail, k.detailOff = !k.detail, 0
		}
	case key.Matches(msg, rkKeySort):
		sel := k.selectedID()
		k.sortBy = (k.sortBy + 1) % len(rkSorts)
		k.refresh(sel)
	case key.Matches(msg, rkKeyFilter):
		sel := k.selectedID()
		k.filter = (k.filter + 1) % len(rkFilters)
		k.refresh(sel)
	case key.Matches(msg, rkKeyFind):
		k.detail = false
		k.searching = true
		return k.search.Focus()
	case key.Matches(msg, rkKeyAccept):
		return k.edit(rkModeRate, true)
	case key.Matches(msg, rkKeyRate):
		return k.edit(rkModeRate, false)
	case key.Matches(msg, rkKeyTreat):
		return k.edit(rkModeTreat, false)
	case key.Matches(msg, rkKeyDismiss):
		r := k.selected()
		if cmd := k.editable(r); cmd != nil {
			return cmd
		}
		if r.Status == assessment.RiskDismissed {
			return rkNotice("This risk is already dismissed; press a to accept and rate it after all.")
		}
		if r.Status != assessment.RiskProposed {
			return rkNotice("Only proposed risks can be dismissed; close a confirmed risk from its treatment plan (t).")
		}
		k.confirm = true
	}
	return nil
}

func rkNotice(s string) tea.Cmd { return func() tea.Msg { return noticeMsg(s) } }

// editable says why the selected risk cannot be changed, as a notice, or nil if it can.
func (k *risks) editable(r *assessment.Risk) tea.Cmd {
	switch {
	case r == nil:
		return rkNotice("No risk is selected.")
	case k.data.final():
		return rkNotice("This assessment is final and read-only; start a new revision to change its risks.")
	}
	return nil
}

// edit opens the rating (accepting a proposal) or treatment editor on the selected risk.
func (k *risks) edit(mode rkEditMode, accept bool) tea.Cmd {
	r := k.selected()
	if cmd := k.editable(r); cmd != nil {
		return cmd
	}
	pending := r.Status == assessment.RiskProposed || r.Status == assessment.RiskDismissed
	switch {
	case accept && !pending:
		return rkNotice("This risk is already confirmed; press r to re-rate it or t to plan its treatment.")
	case mode == rkModeTreat && pending:
		return rkNotice("Accept the risk first (a), then plan its treatment.")
	}
	id := k.data.id()
	done := func() tea.Cmd { return loadSnapshot(k.e.ctx, k.e.store, id) }
	return push(newRiskEditor(k.e, k.data, *r, mode, done))
}

// dismiss marks the selected proposal as not applying; it is not proposed again.
func (k *risks) dismiss() tea.Cmd {
	r := k.selected()
	if cmd := k.editable(r); cmd != nil {
		return cmd
	}
	d := *r
	d.Status = assessment.RiskDismissed
	st, ctx, id := k.e.store, k.e.ctx, k.data.id()
	return mutate("Dismissed “"+truncate(d.Title, 60)+"”.", func() error {
		_, err := st.SaveRisk(ctx, id, d)
		return err
	})
}

// click selects the row under the pointer; clicking the selected row opens its details.
func (k *risks) click(m tea.Mouse) tea.Cmd {
	if k.detail || k.searching {
		return nil
	}
	i := m.Y - rkTop - rkHeadLines + k.offset
	if m.Y-rkTop < rkHeadLines || i < 0 || i >= len(k.rows) || i >= k.offset+k.rowsVisible() {
		return nil
	}
	if i == k.cursor {
		k.detail, k.detailOff = true, 0
		return nil
	}
	k.cursor = i
	k.scroll()
	return nil
}

func (k *risks) SetSize(w, h int) {
	k.width, k.height = w, h
	k.stamp++
	k.search.SetWidth(max(w-4, 10))
	k.scroll()
}

func (k *risks) SetStyles(s Styles) {
	k.styles = s
	k.stamp++
	k.search.SetStyles(textinput.DefaultStyles(s.isDark))
}

func (k *risks) Typing() bool { return k.searching }

// Back closes the detail pane, a pending confirmation or the search, in that order.
func (k *risks) Back() bool {
	switch {
	case k.confirm:
		k.confirm = false
	case k.detail:
		k.detail = false
	case k.query != "":
		k.search.SetValue("")
		k.setQuery("")
	default:
		return false
	}
	return true
}

func (k *risks) Keys() helpKeys {
	keys := k.e.keys
	switch {
	case k.searching:
		return helpKeys{short: []key.Binding{rkKeyDone, rkKeyClear}, full: [][]key.Binding{{rkKeyDone, rkKeyClear}}}
	case k.confirm:
		return helpKeys{short: []key.Binding{rkKeyYes, rkKeyNo}, full: [][]key.Binding{{rkKeyYes, rkKeyNo}}}
	}
	edit := []key.Binding{rkKeyAccept, rkKeyDismiss, rkKeyRate, rkKeyTreat}
	first := rkKeyDetail
	if k.detail {
		first = rkKeyClose
	}
	// The short help fits 80 columns beside the shell's keys: the actions that apply to
	// the selected risk, then filter and find; ? lists everything.
	var short []key.Binding
	switch r := k.selected(); {
	case k.data == nil || k.data.final() || r == nil:
		edit = nil
		short = []key.Binding{first, rkKeySort, rkKeyFilter, rkKeyFind}
	case r.Status == assessment.RiskProposed || r.Status == assessment.RiskDismissed:
		short = []key.Binding{rkKeyAccept, rkKeyDismiss, rkKeyFilter, rkKeyFind}
	default:
		short = []key.Binding{first, rkKeyTreat, rkKeyFilter, rkKeyFind}
	}
	full := [][]key.Binding{
		{keys.Up, keys.Down, rkKeyPgUp, rkKeyPgDown, keys.Top, keys.Bottom},
		{first, rkKeySort, rkKeyFilter, rkKeyFind},
	}
	if edit != nil {
		full = append(full, edit)
	}
	return helpKeys{short: short, full: full}
}

// Columns of the table. Narrow terminals drop treatment, then owner (both are in the
// detail pane).
type rkCol struct {
	title string
	width int
}

func (k *risks) columns() (cols []rkCol, gap int) {
	w := k.width
	gap = 1
	if w >= 110 {
		gap = 2
	}
	asset := 14
	if w >= 120 {
		asset = 18
	}
	cols = []rkCol{{"LEVEL", 9}, {"TITLE", 0}, {"ASSET", asset}, {"L×I", 3}}
	if w >= 100 {
		cols = append(cols, rkCol{"TREATMENT", 9})
	}
	if w >= 120 {
		cols = append(cols, rkCol{"OWNER", 14})
	}
	cols = append(cols, rkCol{"DUE", 11}, rkCol{"STATUS", 11})
	used := 1 + gap*(len(cols)-1)
	for _, c := range cols {
		used += c.width
	}
	cols[1].width = max(w-used, 12)
	return cols, gap
}

// rkHosting names a hosting model as people say it.
func rkHosting(h controls.Hosting) string {
	switch h {
	case controls.OnPrem:
		return "on premises"
	case controls.IaaS:
		return "IaaS"
	case controls.PaaS:
		return "PaaS"
	case controls.SaaS:
		return "SaaS"
	}
	return string(h)
}

func rkTreatmentLabel(t assessment.Treatment) string {
	for _, c := range assessment.Treatments {
		if c.Value == string(t) {
			return c.Label
		}
	}
	return "—"
}

// render draws a row, plain and selected, once per layout: rows keep their lines until
// the data, the width or the styles change, so scrolling only joins strings.
func (k *risks) render(row *rkRow, cols []rkCol, sep string) {
	if row.stamp == k.stamp && row.line != "" {
		return
	}
	s := k.styles
	row.stamp = k.stamp
	cells := k.cells(row, cols)
	row.sel = s.Selected.Render(" " + strings.Join(cells, sep))
	if row.r.Status == assessment.RiskDismissed || row.r.Status == assessment.RiskClosed {
		row.line = s.Subtle.Render(" " + strings.Join(cells, sep))
		return
	}
	cells[0] = riskLevelStyle(s, row.level).Render(cells[0])
	for j, c := range cols {
		if c.title == "DUE" && row.overdue {
			cells[j] = s.Error.Render(cells[j])
		}
	}
	row.line = " " + strings.Join(cells, sep)
}

// cells is one row's text, column by column.
func (k *risks) cells(row *rkRow, cols []rkCol) []string {
	r := row.r
	m := k.matrix()
	out := make([]string, 0, len(cols))
	for _, c := range cols {
		var v string
		switch c.title {
		case "LEVEL":
			v = m.Label(row.level)
		case "TITLE":
			v = r.Title
		case "ASSET":
			v = row.asset
		case "L×I":
			v = "—"
			if r.Likelihood > 0 && r.Impact > 0 {
				v = fmt.Sprintf("%d×%d", r.Likelihood, r.Impact)
			}
		case "TREATMENT":
			v = rkTreatmentLabel(r.Treatment)
		case "OWNER":
			v = r.Owner
			if v == "" {
				v = "—"
			}
		case "DUE":
			v = r.Due
			if v == "" {
				v = "—"
			} else if row.overdue {
				v += "!"
			}
		case "STATUS":
			v = r.Status.Label()
		}
		out = append(out, riskPad(v, c.width))
	}
	return out
}

func (k *risks) View() string {
	if k.data == nil {
		return ""
	}
	if k.detail {
		return k.detailView()
	}
	s := k.styles
	var b strings.Builder
	k.heading(&b)
	if len(k.all) == 0 {
		b.WriteString("\nNo risks yet. When a question is answered “not implemented” or “partially\n")
		b.WriteString("implemented”, the threats that gap exposes are proposed here for you to confirm\n")
		b.WriteString("or dismiss, and to rate on the " + k.matrixName() + " matrix.\n")
		return b.String()
	}
	cols, gap := k.columns()
	sep := strings.Repeat(" ", gap)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = riskPad(c.title, c.width)
	}
	b.WriteString(s.Subtle.Render(" "+strings.Join(head, sep)) + "\n")
	n := k.rowsVisible()
	if len(k.rows) == 0 {
		b.WriteString(s.Subtle.Render(" No risks match. Press f to change the filter, or esc to clear the search.") + "\n")
		n--
	}
	end := min(len(k.rows), k.offset+n)
	for i := k.offset; i < end; i++ {
		row := &k.all[k.rows[i]]
		k.render(row, cols, sep)
		if i == k.cursor {
			b.WriteString(row.sel + "\n")
		} else {
			b.WriteString(row.line + "\n")
		}
	}
	for i := end - k.offset; i < n; i++ {
		b.WriteString("\n")
	}
	b.WriteString(k.footer())
	return b.String()
}

func (k *risks) matrixName() string {
	if k.matrix().Scale() == 3 {
		return "3×3 low/medium/high"
	}
	return "NIST SP 800-30 5×5"
}

func (k *risks) heading(b *strings.Builder) {
	s := k.styles
	shown := rkFilterHelp[k.filter]
	if k.width < 110 {
		shown = rkFilters[k.filter]
	}
	info := fmt.Sprintf("  %d of %d · showing %s · sorted by %s", len(k.rows), len(k.all), shown, rkSorts[k.sortBy])
	if k.query != "" && !k.searching {
		info += " · matching “" + k.query + "”"
	}
	head := s.Header.Render("Risk register")
	if k.data.final() {
		head += s.Status["final"].Render(" · read-only (final)")
	}
	b.WriteString(truncate(head+s.Subtle.Render(info), k.width) + "\n")
}

// footer is the search box, the dismissal question, or the count of risks per level.
func (k *risks) footer() string {
	s := k.styles
	switch {
	case k.searching:
		return k.search.View()
	case k.confirm:
		r := k.selected()
		if r == nil {
			return ""
		}
		q := "Dismiss “" + r.Title
		tail := "”? It will not be proposed again.  y yes · n no"
		return s.Error.Render(truncate(q, k.width-len([]rune(tail))-1)) + s.Error.Render(tail)
	}
	m := k.matrix()
	counts, unrated, overdue := k.counts, k.unrated, k.overdue
	var parts []string
	levels := m.Levels()
	for i := len(levels) - 1; i >= 0; i-- {
		if counts[levels[i]] == 0 {
			continue
		}
		parts = append(parts, riskLevelStyle(s, levels[i]).Render(fmt.Sprintf("%d %s", counts[levels[i]], strings.ToLower(m.Label(levels[i])))))
	}
	out := " " + strings.Join(parts, s.Subtle.Render(" · "))
	if unrated > 0 {
		out += s.Subtle.Render(fmt.Sprintf(" · %d not rated", unrated))
	}
	if overdue > 0 {
		out += s.Error.Render(fmt.Sprintf(" · %d overdue", overdue))
	}
	return truncate(out, k.width)
}

// detailView is the selected risk in full: rating, vulnerability and threat, the gaps
// behind it, the rationale and the treatment plan.
func (k *risks) detailView() string {
	r := k.selected()
	if r == nil {
		return ""
	}
	s := k.styles
	m := k.matrix()
	d := k.data
	w := max(k.width-2, 20)
	var lines []string
	add := func(l ...string) { lines = append(lines, l...) }
	label := func(t string) string { return s.Subtle.Render(riskPad(t, 14)) }
	wrapped := func(t, text string) {
		ls := riskWrap(text, w-14)
		if len(ls) == 0 {
			add(label(t) + s.Subtle.Render("—"))
			return
		}
		add(label(t) + ls[0])
		for _, l := range ls[1:] {
			add(strings.Repeat(" ", 14) + l)
		}
	}
	for i, l := range riskWrap(r.Title, w) {
		if i == 0 {
			add(s.Header.Render(l))
		} else {
			add(s.Header.Render(l))
		}
	}
	l := m.Level(r.Likelihood, r.Impact)
	rating := riskLevelStyle(s, l).Render(m.Label(l))
	if l != assessment.LevelNone {
		rating += fmt.Sprintf("  (likelihood %d %s × impact %d %s)", r.Likelihood, strings.ToLower(riskStepLabel(m, r.Likelihood)),
			r.Impact, strings.ToLower(riskStepLabel(m, r.Impact)))
	} else if hl, hi := riskHints(d, *r); hl > 0 {
		rating += s.Subtle.Render(fmt.Sprintf("  (threat library suggests %d×%d)", hl, hi))
	}
	add("", label("Level")+rating, label("Status")+r.Status.Label())
	asset := "Organisation-wide"
	if a, ok := d.snap.Asset(r.AssetID); ok {
		kind := a.Kind
		if d.cat() != nil {
			for _, ak := range d.cat().AssetKinds {
				if ak.ID == a.Kind {
					kind = ak.Title
				}
			}
		}
		asset = fmt.Sprintf("%s (%s, %s)", a.Name, kind, rkHosting(a.Hosting))
		if v, ok := d.snap.Vendor(a.VendorID); ok {
			asset = fmt.Sprintf("%s (%s, %s by %s)", a.Name, kind, rkHosting(a.Hosting), v.Name)
		}
	}
	wrapped("Asset", asset)
	if d.cat() != nil {
		if v, ok := d.cat().Vulnerability(r.VulnerabilityID); ok {
			add("")
			wrapped("Vulnerability", v.Title)
			for _, x := range riskWrap(v.Description, w-14) {
				add(strings.Repeat(" ", 14) + s.Subtle.Render(x))
			}
			for _, t := range v.Threats {
				if t.ID == r.ThreatID {
					wrapped("Threat", fmt.Sprintf("%s (%s source)", t.Title, strings.ReplaceAll(t.Source, "-", " ")))
				}
			}
		} else {
			wrapped("Vulnerability", r.VulnerabilityID)
		}
	}
	add("", s.Header.Render("Gaps that expose it"))
	if len(r.QuestionIDs) == 0 {
		add(s.Subtle.Render("  none recorded"))
	}
	for _, qid := range r.QuestionIDs {
		text, answer := "", "not answered"
		if d.cat() != nil {
			if q, ok := d.cat().Question(qid); ok {
				text = q.Text
			}
		}
		if resp, ok := d.resp[assessment.ItemKey{QuestionID: qid, AssetID: r.AssetID}]; ok {
			answer = strings.ReplaceAll(string(resp.Status), "-", " ")
		} else if resp, ok := d.resp[assessment.ItemKey{QuestionID: qid}]; ok {
			answer = strings.ReplaceAll(string(resp.Status), "-", " ") + " (organisation)"
		}
		head := "  • " + qid + "  " + s.Subtle.Render("("+answer+")")
		add(head)
		if text != "" {
			add("    " + truncate(text, w-4))
		}
	}
	add("")
	wrapped("Rationale", r.Rationale)
	add("", s.Header.Render("Treatment"))
	wrapped("Decision", rkTreatmentLabel(r.Treatment))
	wrapped("Measures", r.Measures)
	wrapped("Owner", r.Owner)
	due := r.Due
	for i := range k.all {
		if k.all[i].r == r && k.all[i].overdue {
			due += "  " + s.Error.Render("overdue")
		}
	}
	wrapped("Due", due)
	rl := m.Level(r.ResidualL, r.ResidualI)
	res := riskLevelStyle(s, rl).Render(m.Label(rl))
	if rl != assessment.LevelNone {
		res += fmt.Sprintf("  (%d×%d)", r.ResidualL, r.ResidualI)
	}
	add(label("Residual")+res, "")

	h := max(k.height, 3)
	k.detailOff = max(0, min(k.detailOff, len(lines)-h+1))
	end := min(len(lines), k.detailOff+h-1)
	out := strings.Join(lines[k.detailOff:end], "\n")
	more := ""
	if end < len(lines) {
		more = fmt.Sprintf(" · ↓ %d more lines", len(lines)-end)
	}
	pad := h - 1 - (end - k.detailOff)
	if pad > 0 {
		out += strings.Repeat("\n", pad)
	}
	foot := s.Subtle.Render("esc back to the list" + more)
	if k.confirm {
		foot = k.footer()
	}
	return out + "\n" + foot
}
