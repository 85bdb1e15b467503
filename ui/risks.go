package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// Sort orders and filters, cycled with s and F.
var (
	rkSorts   = []string{"level", "due date", "asset", "status", "title"}
	rkFilters = []string{"open", "proposed", "high and above", "all"}
	// rkFilterHelp says what each filter shows, in the heading.
	rkFilterHelp = []string{"open risks (not closed or dismissed)", "proposed risks to confirm or dismiss",
		"high and very high risks", "all risks"}
)

// rkHeadLines are the section's own lines above the first row: its heading and the column
// header.
const rkHeadLines = 2

// rkRow is one risk of the register with what the table needs precomputed, so View only
// pads strings.
type rkRow struct {
	r       *assessment.RiskView
	pos     int              // position in the register's order (Analysis.Risks): R1 is 0
	level   assessment.Level // the level shown: none for a proposal, which is not rated yet
	asset   string
	hay     string // lower-case words searched by /
	overdue bool
	// line and sel are the drawn row, plain and selected, for layout stamp.
	line, sel string
	stamp     int
}

// risks is the risk register: a sortable, filterable table of the assessment's risks with
// a detail pane, dismissal, and the rating and treatment editors. Order, levels and
// references are the Analysis's, so the table lists R1, R2, … as the PDF does.
type risks struct {
	e         *common.Env
	data      *common.Data
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
	width     int
	height    int
	styles    common.Styles
}

func newRisks(e *common.Env) *risks {
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
	return k.data.Matrix
}

// SetData rebuilds the rows from a fresh snapshot, keeping the selected risk.
func (k *risks) SetData(d *common.Data) {
	sel := k.selectedID()
	k.data = d
	m := k.matrix()
	k.all = make([]rkRow, len(d.Risks))
	for i := range d.Risks {
		r := &d.Risks[i]
		row := rkRow{r: r, pos: i, level: r.Level, asset: d.AssetName(r.AssetID), overdue: r.Overdue(d.AsOf)}
		if r.Status == assessment.RiskProposed {
			row.level = assessment.LevelNone
		}
		hay := []string{r.Ref, r.Title, row.asset, r.Owner, string(r.Status), r.Status.Label(), string(r.Treatment), m.Label(row.level), r.Due}
		hay = append(hay, r.QuestionIDs...)
		if d.Catalog != nil {
			if v, ok := d.Catalog.Vulnerability(r.VulnerabilityID); ok {
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
	k.refresh(sel)
}

func (k *risks) selectedID() string {
	if r := k.selected(); r != nil {
		return r.ID
	}
	return ""
}

func (k *risks) selected() *assessment.RiskView {
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
		if !row.r.Rated() || !assessment.IsHigh(row.level) {
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

// compare orders two rows by the chosen sort; ties go to the register's order (worst
// first).
func (k *risks) compare(a, b *rkRow) int {
	var c int
	switch rkSorts[k.sortBy] {
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
		c = strings.Compare(strings.ToLower(a.r.Title), strings.ToLower(b.r.Title))
	}
	if c == 0 {
		c = a.pos - b.pos
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

func (k *risks) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
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
		s := k.e.Keys.Search
		switch {
		case key.Matches(msg, s.Submit):
			k.searching = false
			k.search.Blur()
			return nil
		case key.Matches(msg, s.Cancel):
			k.searching = false
			k.search.Blur()
			k.search.SetValue("")
			k.setQuery("")
			return nil
		case key.Matches(msg, s.Next):
			k.move(1)
			return nil
		case key.Matches(msg, s.Prev):
			k.move(-1)
			return nil
		}
		var cmd tea.Cmd
		k.search, cmd = k.search.Update(msg)
		k.setQuery(k.search.Value())
		return cmd
	}
	if k.confirm {
		c := k.e.Keys.Confirm
		switch {
		case key.Matches(msg, c.Yes):
			k.confirm = false
			return k.dismiss()
		case key.Matches(msg, c.No):
			k.confirm = false
		}
		return nil
	}
	nav, rk := k.e.Keys.Nav, k.e.Keys.Risks
	switch {
	case key.Matches(msg, nav.Up):
		if k.detail {
			k.detailOff = max(k.detailOff-1, 0)
		} else {
			k.move(-1)
		}
	case key.Matches(msg, nav.Down):
		if k.detail {
			k.detailOff++
		} else {
			k.move(1)
		}
	case key.Matches(msg, nav.PageUp):
		k.move(-k.rowsVisible())
	case key.Matches(msg, nav.PageDown):
		k.move(k.rowsVisible())
	case key.Matches(msg, nav.Top):
		k.move(-len(k.rows))
	case key.Matches(msg, nav.Bottom):
		k.move(len(k.rows))
	case key.Matches(msg, rk.Detail):
		if k.selected() != nil {
			k.detail, k.detailOff = !k.detail, 0
		}
	case key.Matches(msg, rk.Sort):
		sel := k.selectedID()
		k.sortBy = (k.sortBy + 1) % len(rkSorts)
		k.refresh(sel)
	case key.Matches(msg, rk.Filter):
		sel := k.selectedID()
		k.filter = (k.filter + 1) % len(rkFilters)
		k.refresh(sel)
	case key.Matches(msg, rk.Find):
		k.detail = false
		k.searching = true
		return k.search.Focus()
	case key.Matches(msg, rk.Accept):
		return k.edit(rkModeRate, true)
	case key.Matches(msg, rk.Rate):
		return k.edit(rkModeRate, false)
	case key.Matches(msg, rk.Treat):
		return k.edit(rkModeTreat, false)
	case key.Matches(msg, rk.Dismiss):
		r := k.selected()
		if cmd := k.editable(r); cmd != nil {
			return cmd
		}
		if r.Status == assessment.RiskDismissed {
			return common.Notice("This risk is already dismissed; press " + rk.Accept.Help().Key + " to accept and rate it after all.")
		}
		if r.Status != assessment.RiskProposed {
			return common.Notice("Only proposed risks can be dismissed; close a confirmed risk from its treatment plan (" + rk.Treat.Help().Key + ").")
		}
		k.confirm = true
	}
	return nil
}

// editable says why the selected risk cannot be changed, as a notice, or nil if it can.
func (k *risks) editable(r *assessment.RiskView) tea.Cmd {
	switch {
	case r == nil:
		return common.Notice("No risk is selected.")
	case k.data.Final():
		return common.Notice("This assessment is final and read-only; start a new revision to change its risks.")
	}
	return nil
}

// edit opens the rating (accepting a proposal) or treatment editor on the selected risk.
func (k *risks) edit(mode rkEditMode, accept bool) tea.Cmd {
	r := k.selected()
	if cmd := k.editable(r); cmd != nil {
		return cmd
	}
	rk := k.e.Keys.Risks
	pending := r.Status == assessment.RiskProposed || r.Status == assessment.RiskDismissed
	switch {
	case accept && !pending:
		return common.Notice("This risk is already confirmed; press " + rk.Rate.Help().Key + " to re-rate it or " + rk.Treat.Help().Key + " to plan its treatment.")
	case mode == rkModeTreat && pending:
		return common.Notice("Accept the risk first (" + rk.Accept.Help().Key + "), then plan its treatment.")
	}
	return common.Push(newRiskEditor(k.e, k.data, *r.Risk, mode))
}

// dismiss marks the selected proposal as not applying; it is not proposed again.
func (k *risks) dismiss() tea.Cmd {
	r := k.selected()
	if cmd := k.editable(r); cmd != nil {
		return cmd
	}
	d := *r.Risk
	d.Status = assessment.RiskDismissed
	st, ctx, id := k.e.Store, k.e.Ctx, k.data.ID()
	return common.Mutate("Dismissed “"+common.Truncate(d.Title, 60)+"”.", func() error {
		_, err := st.SaveRisk(ctx, id, d)
		return err
	})
}

// click selects the row under the pointer; clicking the selected row opens its details.
func (k *risks) click(m tea.Mouse) tea.Cmd {
	if k.detail || k.searching {
		return nil
	}
	i := m.Y - rkHeadLines + k.offset
	if m.Y < rkHeadLines || i < 0 || i >= len(k.rows) || i >= k.offset+k.rowsVisible() {
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

func (k *risks) SetStyles(s common.Styles) {
	k.styles = s
	k.stamp++
	k.search.SetStyles(textinput.DefaultStyles(s.Dark))
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

func (k *risks) Keys() common.Help {
	nav, rk := k.e.Keys.Nav, k.e.Keys.Risks
	switch {
	case k.searching:
		s := k.e.Keys.Search
		return common.HelpOf(common.Relabel(s.Submit, "enter", "keep the search"), common.Relabel(s.Cancel, "esc", "clear the search"))
	case k.confirm:
		c := k.e.Keys.Confirm
		return common.HelpOf(common.Relabel(c.Yes, "y", "yes, dismiss"), common.Relabel(c.No, "n/esc", "keep it"))
	}
	edit := []key.Binding{rk.Accept, rk.Dismiss, rk.Rate, rk.Treat}
	first := rk.Detail
	if k.detail {
		first = common.Relabel(rk.Detail, "enter", "close details")
	}
	// The short help fits 80 columns beside the shell's keys: the actions that apply to
	// the selected risk, then filter and find; ? lists everything.
	var short []key.Binding
	switch r := k.selected(); {
	case k.data == nil || k.data.Final() || r == nil:
		edit = nil
		short = []key.Binding{first, rk.Sort, rk.Filter, rk.Find}
	case r.Status == assessment.RiskProposed || r.Status == assessment.RiskDismissed:
		short = []key.Binding{rk.Accept, rk.Dismiss, rk.Filter, rk.Find}
	default:
		short = []key.Binding{first, rk.Treat, rk.Filter, rk.Find}
	}
	full := [][]key.Binding{
		{nav.Up, nav.Down, nav.PageUp, nav.PageDown, nav.Top, nav.Bottom},
		{first, rk.Sort, rk.Filter, rk.Find},
	}
	if edit != nil {
		full = append(full, edit)
	}
	return common.Help{Short: short, Full: full}
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
	cols = append(cols, rkCol{"DUE", 13}, rkCol{"STATUS", 11})
	used := 1 + gap*(len(cols)-1)
	for _, c := range cols {
		used += c.width
	}
	cols[1].width = max(w-used, 12)
	return cols, gap
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
	cells[0] = s.Level(row.level).Render(cells[0])
	for j, c := range cols {
		if c.title == "DUE" && row.overdue {
			cells[j] = s.Error.Render(cells[j])
		}
	}
	row.line = " " + strings.Join(cells, sep)
}

// or is v, or a dash when it is empty.
func or(v string) string { return common.Or(v, "—") }

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
			if r.Likelihood > 0 && r.Impact > 0 && row.level != assessment.LevelNone {
				v = fmt.Sprintf("%d×%d", r.Likelihood, r.Impact)
			}
		case "TREATMENT":
			v = "—"
			if r.Treatment != assessment.TreatNone {
				v = r.Treatment.Label()
			}
		case "OWNER":
			v = or(r.Owner)
		case "DUE":
			v = or(assessment.DocDay(r.Due))
			if row.overdue {
				v += "!"
			}
		case "STATUS":
			v = r.Status.Label()
		}
		out = append(out, common.Fit(v, c.width))
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
		b.WriteString("or dismiss, and to rate on the " + k.matrix().Name() + " matrix.\n")
		return b.String()
	}
	cols, gap := k.columns()
	sep := strings.Repeat(" ", gap)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = common.Fit(c.title, c.width)
	}
	b.WriteString(s.Subtle.Render(" "+strings.Join(head, sep)) + "\n")
	n := k.rowsVisible()
	if len(k.rows) == 0 {
		b.WriteString(s.Subtle.Render(" No risks match. Press "+k.e.Keys.Risks.Filter.Help().Key+" to change the filter, or esc to clear the search.") + "\n")
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
	if k.data.Final() {
		head += s.Status[assessment.StatusFinal].Render(" · read-only (final)")
	}
	b.WriteString(common.Truncate(head+s.Subtle.Render(info), k.width) + "\n")
}

// footer is the search box, the dismissal question, or the register's counts: the rated
// risks by level, then those not rated, proposed and overdue, all from the Analysis.
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
		return s.Error.Render(common.Truncate(q, k.width-common.Width(tail)-1)) + s.Error.Render(tail)
	}
	m := k.matrix()
	sum := k.data.Summary
	var parts []string
	levels := m.Levels()
	for i := len(levels) - 1; i >= 0; i-- {
		if n := sum.RiskLevels[levels[i]]; n > 0 {
			parts = append(parts, s.Level(levels[i]).Render(assessment.FormatInt(n)+" "+strings.ToLower(m.Label(levels[i]))))
		}
	}
	if sum.Unrated > 0 {
		parts = append(parts, s.Subtle.Render(assessment.FormatInt(sum.Unrated)+" not rated"))
	}
	if sum.ProposedRisks > 0 {
		parts = append(parts, s.Subtle.Render(assessment.FormatInt(sum.ProposedRisks)+" proposed"))
	}
	if n := k.data.OverdueRisks(); n > 0 {
		parts = append(parts, s.Error.Render(assessment.FormatInt(n)+" overdue"))
	}
	return common.Truncate(" "+strings.Join(parts, s.Subtle.Render(" · ")), k.width)
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
	const lw = 14
	var lines []string
	add := func(l ...string) { lines = append(lines, l...) }
	label := func(t string) string { return s.Subtle.Render(common.Fit(t, lw)) }
	wrapped := func(t, text string) {
		ls := common.Wrap(text, w-lw)
		if len(ls) == 0 {
			add(label(t) + s.Subtle.Render("—"))
			return
		}
		add(label(t) + ls[0])
		for _, l := range ls[1:] {
			add(strings.Repeat(" ", lw) + l)
		}
	}
	for i, l := range common.Wrap(r.Title, w-len(r.Ref)-1) {
		if i == 0 {
			add(s.Subtle.Render(r.Ref+" ") + s.Header.Render(l))
		} else {
			add(strings.Repeat(" ", len(r.Ref)+1) + s.Header.Render(l))
		}
	}
	var rating string
	if r.Rated() {
		rating = s.Level(r.Level).Render(m.Label(r.Level)) + fmt.Sprintf("  (likelihood %d %s × impact %d %s)",
			r.Likelihood, strings.ToLower(common.StepLabel(m, r.Likelihood)), r.Impact, strings.ToLower(common.StepLabel(m, r.Impact)))
	} else {
		rating = s.Level(assessment.LevelNone).Render(m.Label(assessment.LevelNone))
		if hl, hi := assessment.ThreatHint(d.Catalog, m, *r.Risk); hl > 0 {
			rating += s.Subtle.Render(fmt.Sprintf("  (threat library suggests %d×%d)", hl, hi))
		}
	}
	add("", label("Level")+rating, label("Status")+r.Status.Label())
	asset := d.AssetName(r.AssetID)
	if a, ok := d.Asset(r.AssetID); ok {
		kind := common.AssetKind(d.Catalog, a.Kind).Title
		asset = fmt.Sprintf("%s (%s, %s)", a.Name, kind, a.Hosting.Phrase())
		if v, ok := d.Vendor(a.VendorID); ok {
			asset = fmt.Sprintf("%s (%s, %s by %s)", a.Name, kind, a.Hosting.Phrase(), v.Name)
		}
	}
	wrapped("Asset", asset)
	if d.Catalog != nil {
		if v, ok := d.Catalog.Vulnerability(r.VulnerabilityID); ok {
			add("")
			wrapped("Vulnerability", v.Title)
			for _, x := range common.Wrap(v.Description, w-lw) {
				add(strings.Repeat(" ", lw) + s.Subtle.Render(x))
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
		text, answer := "", assessment.ResponseStatus("").Phrase()
		if d.Catalog != nil {
			if q, ok := d.Catalog.Question(qid); ok {
				text = q.Text
			}
		}
		if resp, ok := d.Responses[assessment.ItemKey{QuestionID: qid, AssetID: r.AssetID}]; ok {
			answer = resp.Status.Phrase()
		} else if resp, ok := d.Responses[assessment.ItemKey{QuestionID: qid}]; ok {
			answer = resp.Status.Phrase() + " (organization)"
		}
		add("  • " + qid + "  " + s.Subtle.Render("("+answer+")"))
		if text != "" {
			add("    " + common.Truncate(text, w-4))
		}
	}
	add("")
	wrapped("Rationale", r.Rationale)
	add("", s.Header.Render("Treatment"))
	wrapped("Decision", r.Treatment.Label())
	wrapped("Measures", r.Measures)
	wrapped("Owner", r.Owner)
	due := assessment.DocDay(r.Due)
	if r.Overdue(d.AsOf) {
		due += "  " + s.Error.Render("overdue")
	}
	wrapped("Due", due)
	res := s.Level(r.ResidualLevel).Render(m.Label(r.ResidualLevel))
	if r.ResidualLevel != assessment.LevelNone {
		res += fmt.Sprintf("  (%d×%d)", r.ResidualL, r.ResidualI)
	}
	add(label("Residual")+res, "")

	h := max(k.height, 3)
	k.detailOff = max(0, min(k.detailOff, len(lines)-h+1))
	end := min(len(lines), k.detailOff+h-1)
	out := strings.Join(lines[k.detailOff:end], "\n")
	more := ""
	if end < len(lines) {
		more = " · ↓ " + assessment.Plural(len(lines)-end, "more line", "more lines")
	}
	if pad := h - 1 - (end - k.detailOff); pad > 0 {
		out += strings.Repeat("\n", pad)
	}
	foot := s.Subtle.Render("esc back to the list" + more)
	if k.confirm {
		foot = k.footer()
	}
	return out + "\n" + foot
}
