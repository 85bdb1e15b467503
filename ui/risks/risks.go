// Package risks is the risk register tab: the assessment's risks in register order (R1,
// R2, … as the PDF numbers them) with their levels, sortable, filterable and searchable,
// a detail pane, dismissal of proposals, and the rating and treatment editor.
package risks

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// Sort orders and filters, cycled with s and F.
var (
	sorts   = []string{"level", "due date", "asset", "status", "title"}
	filters = []string{"open", "proposed", "high and above", "all"}
	// filterHelp says what each filter shows, in the heading.
	filterHelp = []string{"open risks (not closed or dismissed)", "proposed risks to confirm or dismiss",
		"high and very high risks", "all risks"}
)

// headLines are the section's own lines above the first row: its heading and the column
// header.
const headLines = 2

// entry is one risk of the register with what the table needs precomputed, so View only
// pads strings.
type entry struct {
	r       *assessment.RiskView
	pos     int              // position in the register's order (Analysis.Risks): R1 is 0
	level   assessment.Level // the Analysis's level: none for a proposal, which is not rated yet
	asset   string
	hay     string // lower-case words searched by /
	overdue bool
	// line and sel are the drawn row, plain and selected, for layout stamp.
	line, sel string
	stamp     int
}

// Model is the risk register: a sortable, filterable table of the assessment's risks with
// a detail pane, dismissal, and the rating and treatment editors. Order, levels and
// references are the Analysis's, so the table lists R1, R2, … as the PDF does.
type Model struct {
	e         *common.Env
	data      *common.Data
	all       []entry
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
	bulk      bool // confirming every proposal shown awaiting y/n
	stamp     int  // layout generation; rows drawn under another stamp are redrawn
	overdue   int  // the Analysis's count of overdue risks, read once per data
	width     int
	height    int
	styles    common.Styles
}

// New is the Risks tab.
func New(e *common.Env) *Model {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "words in the title, asset, owner, threat…"
	in.CharLimit = 100
	return &Model{e: e, search: in}
}

func (reg *Model) Title() string { return "Risks" }

// OwnsFind: / in the register finds risks, not questions (common.OwnFinder).
func (reg *Model) OwnsFind() bool { return true }

func (reg *Model) Init() tea.Cmd { return nil }

func (reg *Model) matrix() assessment.MatrixKind {
	if reg.data == nil {
		return assessment.DefaultMatrix
	}
	return reg.data.Matrix
}

// SetData rebuilds the rows from a fresh snapshot, keeping the selected risk.
func (reg *Model) SetData(d *common.Data) {
	sel := reg.selectedID()
	reg.data = d
	m := reg.matrix()
	reg.all = make([]entry, len(d.Risks))
	for i := range d.Risks {
		r := &d.Risks[i]
		row := entry{r: r, pos: i, level: r.Level, asset: d.AssetName(r.AssetID), overdue: r.Overdue(d.AsOf)}
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
		reg.all[i] = row
	}
	reg.overdue = d.OverdueRisks()
	reg.stamp++
	reg.refresh(sel)
}

func (reg *Model) selectedID() string {
	if r := reg.selected(); r != nil {
		return r.ID
	}
	return ""
}

func (reg *Model) selected() *assessment.RiskView {
	if reg.cursor < 0 || reg.cursor >= len(reg.rows) {
		return nil
	}
	return reg.all[reg.rows[reg.cursor]].r
}

// refresh filters and sorts the rows and puts the cursor back on risk sel if it is shown.
func (reg *Model) refresh(sel string) {
	words := strings.Fields(strings.ToLower(reg.query))
	reg.rows = reg.rows[:0]
	for i := range reg.all {
		if reg.keep(&reg.all[i], words) {
			reg.rows = append(reg.rows, i)
		}
	}
	slices.SortStableFunc(reg.rows, func(a, b int) int { return reg.compare(&reg.all[a], &reg.all[b]) })
	reg.cursor = min(reg.cursor, max(len(reg.rows)-1, 0))
	for i, x := range reg.rows {
		if reg.all[x].r.ID == sel {
			reg.cursor = i
			break
		}
	}
	reg.scroll()
	if reg.detail && reg.selected() == nil {
		reg.detail = false
	}
}

func (reg *Model) keep(row *entry, words []string) bool {
	st := row.r.Status
	switch reg.filter {
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

var statusOrder = map[assessment.RiskStatus]int{
	assessment.RiskProposed: 0, assessment.RiskOpen: 1, assessment.RiskInProgress: 2,
	assessment.RiskClosed: 3, assessment.RiskDismissed: 4,
}

// compare orders two rows by the chosen sort; ties go to the register's order (worst
// first).
func (reg *Model) compare(a, b *entry) int {
	var c int
	switch sorts[reg.sortBy] {
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
		c = statusOrder[a.r.Status] - statusOrder[b.r.Status]
	case "title":
		c = strings.Compare(strings.ToLower(a.r.Title), strings.ToLower(b.r.Title))
	}
	if c == 0 {
		c = a.pos - b.pos
	}
	return c
}

func (reg *Model) rowsVisible() int { return max(reg.height-headLines-1, 1) }

func (reg *Model) scroll() {
	n := reg.rowsVisible()
	reg.offset = min(reg.offset, max(len(reg.rows)-n, 0))
	if reg.cursor < reg.offset {
		reg.offset = reg.cursor
	}
	if reg.cursor >= reg.offset+n {
		reg.offset = reg.cursor - n + 1
	}
	reg.offset = max(reg.offset, 0)
}

func (reg *Model) move(d int) {
	reg.cursor = max(0, min(len(reg.rows)-1, reg.cursor+d))
	reg.scroll()
	reg.detailOff = 0
}

func (reg *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	if reg.data == nil {
		return reg, nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return reg, reg.key(msg)
	case tea.PasteMsg:
		if reg.searching {
			var cmd tea.Cmd
			reg.search, cmd = reg.search.Update(msg)
			reg.setQuery(reg.search.Value())
			return reg, cmd
		}
	case tea.MouseClickMsg:
		if msg.Mouse().Button == tea.MouseLeft {
			return reg, reg.click(msg.Mouse())
		}
	case tea.MouseWheelMsg:
		d := common.Wheel(msg)
		if reg.detail {
			reg.detailOff = max(reg.detailOff+d, 0)
		} else {
			reg.move(d)
		}
	default:
		if reg.searching {
			var cmd tea.Cmd
			reg.search, cmd = reg.search.Update(msg)
			return reg, cmd
		}
	}
	return reg, nil
}

func (reg *Model) setQuery(q string) {
	if q == reg.query {
		return
	}
	sel := reg.selectedID()
	reg.query = q
	reg.refresh(sel)
}

func (reg *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if reg.searching {
		s := reg.e.Keys.Search
		switch {
		case key.Matches(msg, s.Submit):
			reg.searching = false
			reg.search.Blur()
			return nil
		case key.Matches(msg, s.Cancel):
			reg.searching = false
			reg.search.Blur()
			reg.search.SetValue("")
			reg.setQuery("")
			return nil
		case key.Matches(msg, s.Next):
			reg.move(1)
			return nil
		case key.Matches(msg, s.Prev):
			reg.move(-1)
			return nil
		}
		var cmd tea.Cmd
		reg.search, cmd = reg.search.Update(msg)
		reg.setQuery(reg.search.Value())
		return cmd
	}
	if reg.confirm || reg.bulk {
		c := reg.e.Keys.Confirm
		switch {
		case key.Matches(msg, c.Yes):
			if reg.bulk {
				reg.bulk = false
				return reg.acceptShown()
			}
			reg.confirm = false
			return reg.dismiss()
		case key.Matches(msg, c.No):
			reg.confirm, reg.bulk = false, false
		}
		return nil
	}
	nav, rk := reg.e.Keys.Nav, reg.e.Keys.Risks
	if d, ok := nav.Delta(msg, reg.rowsVisible(), len(reg.rows)); ok {
		if reg.detail { // the detail pane scrolls instead
			reg.detailOff = max(reg.detailOff+d, 0)
		} else {
			reg.move(d)
		}
		return nil
	}
	switch {
	case key.Matches(msg, rk.Detail):
		if reg.selected() != nil {
			reg.detail, reg.detailOff = !reg.detail, 0
		}
	case key.Matches(msg, rk.Sort):
		sel := reg.selectedID()
		reg.sortBy = (reg.sortBy + 1) % len(sorts)
		reg.refresh(sel)
	case key.Matches(msg, rk.Filter):
		sel := reg.selectedID()
		reg.filter = (reg.filter + 1) % len(filters)
		reg.refresh(sel)
	case key.Matches(msg, rk.Find):
		reg.detail = false
		reg.searching = true
		return reg.search.Focus()
	case key.Matches(msg, rk.Accept):
		return reg.edit(modeRate, true)
	case key.Matches(msg, rk.Rate):
		return reg.edit(modeRate, false)
	case key.Matches(msg, rk.Treat):
		return reg.edit(modeTreat, false)
	case key.Matches(msg, rk.BulkAccept):
		if cmd := reg.bulkable(); cmd != nil {
			return cmd
		}
		reg.bulk = true
	case key.Matches(msg, rk.BulkDismiss):
		if cmd := reg.bulkable(); cmd != nil {
			return cmd
		}
		return common.Push(reg.dismissForm())
	case key.Matches(msg, rk.Dismiss):
		r := reg.selected()
		if cmd := reg.editable(r); cmd != nil {
			return cmd
		}
		if r.Status == assessment.RiskDismissed {
			return common.Notice("This risk is already dismissed; press " + rk.Accept.Help().Key + " to accept and rate it after all.")
		}
		if r.Status != assessment.RiskProposed {
			return common.Notice("Only proposed risks can be dismissed; close a confirmed risk from its treatment plan (" + rk.Treat.Help().Key + ").")
		}
		reg.confirm = true
	}
	return nil
}

// shownProposals are the IDs of the proposals the list shows now.
func (reg *Model) shownProposals() []string {
	var ids []string
	for _, i := range reg.rows {
		if r := reg.all[i].r; r.Status == assessment.RiskProposed {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// bulkable says why the shown proposals cannot be settled in one go, or nil.
func (reg *Model) bulkable() tea.Cmd {
	switch {
	case reg.data.Final():
		return common.Notice("This assessment is final and read-only; start a new revision to change its risks.")
	case len(reg.shownProposals()) == 0:
		return common.Notice("No proposal is shown; press " + reg.e.Keys.Risks.Filter.Help().Key + " to show the proposed risks.")
	}
	return nil
}

// acceptShown confirms every proposal shown, each rated with the threat library's hints it
// was proposed with (store.AcceptProposals), in one transaction.
func (reg *Model) acceptShown() tea.Cmd {
	ids := reg.shownProposals()
	st, ctx, id := reg.e.Store, reg.e.Ctx, reg.data.ID()
	return func() tea.Msg {
		n, err := st.AcceptProposals(ctx, id, ids)
		return common.SavedMsg{Notice: "Confirmed " + assessment.Plural(n, "proposal", "proposals") + " with the library's suggested ratings; review each rating and name what it harms (C, I, A).", Err: err}
	}
}

// dismissForm asks one reason for dismissing every proposal shown.
func (reg *Model) dismissForm() common.Screen {
	ids := reg.shownProposals()
	var reason string
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewText().Title("Why do these " + assessment.Plural(len(ids), "proposal", "proposals") + " not apply?").
				Description("One reason for the batch, recorded with each; dismissed proposals are not proposed again.").
				Value(&reason).Validate(common.Name("reason for dismissing")),
		))
	}
	st, ctx, id := reg.e.Store, reg.e.Ctx, reg.data.ID()
	submit := func() tea.Cmd {
		return func() tea.Msg {
			n, err := st.DismissProposals(ctx, id, ids, reason)
			return common.SavedMsg{Notice: "Dismissed " + assessment.Plural(n, "proposal", "proposals") + ".", Err: err}
		}
	}
	return common.NewForm(reg.e, "Dismiss the proposals shown", build, submit)
}

// FocusItem shows the risk a GotoMsg names (from the Finalize tab), clearing the filter
// and search so it is in the list.
func (reg *Model) FocusItem(m common.GotoMsg) bool {
	if m.RiskID == "" || reg.data == nil {
		return false
	}
	for i := range reg.all {
		if reg.all[i].r.ID == m.RiskID {
			reg.filter, reg.query = len(filters)-1, ""
			reg.search.SetValue("")
			reg.refresh(m.RiskID)
			reg.detail, reg.detailOff = true, 0
			return true
		}
	}
	return false
}

// editable says why the selected risk cannot be changed, as a notice, or nil if it can.
func (reg *Model) editable(r *assessment.RiskView) tea.Cmd {
	switch {
	case r == nil:
		return common.Notice("No risk is selected.")
	case reg.data.Final():
		return common.Notice("This assessment is final and read-only; start a new revision to change its risks.")
	}
	return nil
}

// edit opens the rating (accepting a proposal) or treatment editor on the selected risk.
func (reg *Model) edit(mode editMode, accept bool) tea.Cmd {
	r := reg.selected()
	if cmd := reg.editable(r); cmd != nil {
		return cmd
	}
	rk := reg.e.Keys.Risks
	pending := r.Status == assessment.RiskProposed || r.Status == assessment.RiskDismissed
	switch {
	case accept && !pending:
		return common.Notice("This risk is already confirmed; press " + rk.Rate.Help().Key + " to re-rate it or " + rk.Treat.Help().Key + " to plan its treatment.")
	case mode == modeTreat && pending:
		return common.Notice("Accept the risk first (" + rk.Accept.Help().Key + "), then plan its treatment.")
	}
	return common.Push(newEditor(reg.e, reg.data, *r.Risk, mode))
}

// dismiss marks the selected proposal as not applying; it is not proposed again.
func (reg *Model) dismiss() tea.Cmd {
	r := reg.selected()
	if cmd := reg.editable(r); cmd != nil {
		return cmd
	}
	d := *r.Risk
	d.Status = assessment.RiskDismissed
	st, ctx, id := reg.e.Store, reg.e.Ctx, reg.data.ID()
	note := "Dismissed “" + common.Truncate(d.Title, 60) + "”."
	return common.Versioned(common.Describe(d), d.Version, func(version int64) common.SavedMsg {
		d.Version = version
		_, err := st.SaveRisk(ctx, id, d)
		return common.SavedMsg{Notice: note, Err: err}
	})
}

// click selects the row under the pointer; clicking the selected row opens its details.
func (reg *Model) click(m tea.Mouse) tea.Cmd {
	if reg.detail || reg.searching {
		return nil
	}
	i := m.Y - headLines + reg.offset
	if m.Y < headLines || i < 0 || i >= len(reg.rows) || i >= reg.offset+reg.rowsVisible() {
		return nil
	}
	if i == reg.cursor {
		reg.detail, reg.detailOff = true, 0
		return nil
	}
	reg.cursor = i
	reg.scroll()
	return nil
}

func (reg *Model) SetSize(w, h int) {
	reg.width, reg.height = w, h
	reg.stamp++
	reg.search.SetWidth(max(w-4, 10))
	reg.scroll()
}

func (reg *Model) SetStyles(s common.Styles) {
	reg.styles = s
	reg.stamp++
	reg.search.SetStyles(textinput.DefaultStyles(s.Dark))
}

func (reg *Model) Typing() bool { return reg.searching }

// Back closes the detail pane, a pending confirmation or the search, in that order.
func (reg *Model) Back() bool {
	switch {
	case reg.confirm || reg.bulk:
		reg.confirm, reg.bulk = false, false
	case reg.detail:
		reg.detail = false
	case reg.query != "":
		reg.search.SetValue("")
		reg.setQuery("")
	default:
		return false
	}
	return true
}

func (reg *Model) Keys() common.Help {
	nav, rk := reg.e.Keys.Nav, reg.e.Keys.Risks
	switch {
	case reg.searching:
		s := reg.e.Keys.Search
		return common.HelpOf(common.Relabel(s.Submit, "enter", "keep the search"), common.Relabel(s.Cancel, "esc", "clear the search"))
	case reg.confirm:
		c := reg.e.Keys.Confirm
		return common.HelpOf(common.Relabel(c.Yes, "y", "yes, dismiss"), common.Relabel(c.No, "n/esc", "keep it"))
	case reg.bulk:
		c := reg.e.Keys.Confirm
		return common.HelpOf(common.Relabel(c.Yes, "y", "yes, confirm them"), common.Relabel(c.No, "n/esc", "no"))
	}
	edit := []key.Binding{rk.Accept, rk.Dismiss, rk.Rate, rk.Treat}
	first := rk.Detail
	if reg.detail {
		first = common.Relabel(rk.Detail, "enter", "close details")
	}
	// The short help fits 80 columns beside the shell's keys: the actions that apply to
	// the selected risk, then filter and find; ? lists everything.
	var short []key.Binding
	switch r := reg.selected(); {
	case reg.data == nil || reg.data.Final() || r == nil:
		edit = nil
		short = []key.Binding{first, rk.Sort, rk.Filter, rk.Find}
	case r.Status == assessment.RiskProposed || r.Status == assessment.RiskDismissed:
		short = []key.Binding{rk.Accept, rk.Dismiss, rk.Filter, rk.Find}
	default:
		short = []key.Binding{first, rk.Treat, rk.Filter, rk.Find}
	}
	full := [][]key.Binding{
		nav.All(),
		{first, rk.Sort, rk.Filter, rk.Find},
	}
	if edit != nil {
		full = append(full, edit, []key.Binding{rk.BulkAccept, rk.BulkDismiss})
	}
	return common.Help{Short: short, Full: full}
}

// Columns of the table. Narrow terminals drop treatment, then owner (both are in the
// detail pane).
type column struct {
	title string
	width int
}

func (reg *Model) columns() (cols []column, gap int) {
	w := reg.width
	gap = 1
	if w >= 110 {
		gap = 2
	}
	// Wide terminals give the asset and owner room too, not only the title.
	asset, owner := 14, 14
	switch {
	case w >= 180:
		asset, owner = 30, 22
	case w >= 150:
		asset, owner = 24, 18
	case w >= 120:
		asset = 18
	}
	cols = []column{{"LEVEL", 9}, {"TITLE", 0}, {"ASSET", asset}, {"L×I", 3}}
	if w >= 100 {
		cols = append(cols, column{"TREATMENT", 9})
	}
	if w >= 120 {
		cols = append(cols, column{"OWNER", owner})
	}
	cols = append(cols, column{"DUE", 13}, column{"STATUS", 11})
	used := 1 + gap*(len(cols)-1)
	for _, c := range cols {
		used += c.width
	}
	cols[1].width = max(w-used, 12)
	return cols, gap
}

// render draws a row, plain and selected, once per layout: rows keep their lines until
// the data, the width or the styles change, so scrolling only joins strings.
func (reg *Model) render(row *entry, cols []column, sep string) {
	if row.stamp == reg.stamp && row.line != "" {
		return
	}
	s := reg.styles
	row.stamp = reg.stamp
	cells := reg.cells(row, cols)
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
func (reg *Model) cells(row *entry, cols []column) []string {
	r := row.r
	m := reg.matrix()
	out := make([]string, 0, len(cols))
	for _, c := range cols {
		var v string
		switch c.title {
		case "LEVEL":
			v = m.Label(row.level)
			if r.Status == assessment.RiskProposed {
				v = "Proposed"
			}
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

func (reg *Model) View() string {
	if reg.data == nil {
		return ""
	}
	if reg.detail {
		return reg.detailView()
	}
	s := reg.styles
	var b strings.Builder
	reg.heading(&b)
	if len(reg.all) == 0 {
		b.WriteString("\nNo risks yet. When a question is answered “not implemented” or “partially\n")
		b.WriteString("implemented”, the threats that gap exposes are proposed here for you to confirm\n")
		b.WriteString("or dismiss, and to rate on the " + reg.matrix().Name() + " matrix.\n")
		return b.String()
	}
	cols, gap := reg.columns()
	sep := strings.Repeat(" ", gap)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = common.Fit(c.title, c.width)
	}
	b.WriteString(s.Subtle.Render(" "+strings.Join(head, sep)) + "\n")
	n := reg.rowsVisible()
	if len(reg.rows) == 0 {
		b.WriteString(s.Subtle.Render(" No risks match. Press "+reg.e.Keys.Risks.Filter.Help().Key+" to change the filter, or esc to clear the search.") + "\n")
		n--
	}
	end := min(len(reg.rows), reg.offset+n)
	for i := reg.offset; i < end; i++ {
		row := &reg.all[reg.rows[i]]
		reg.render(row, cols, sep)
		if i == reg.cursor {
			b.WriteString(row.sel + "\n")
		} else {
			b.WriteString(row.line + "\n")
		}
	}
	for i := end - reg.offset; i < n; i++ {
		b.WriteString("\n")
	}
	b.WriteString(reg.footer())
	return b.String()
}

func (reg *Model) heading(b *strings.Builder) {
	s := reg.styles
	shown := filterHelp[reg.filter]
	if reg.width < 110 {
		shown = filters[reg.filter]
	}
	info := fmt.Sprintf("  %d of %d · showing %s · sorted by %s", len(reg.rows), len(reg.all), shown, sorts[reg.sortBy])
	if reg.query != "" && !reg.searching {
		info += " · matching “" + reg.query + "”"
	}
	head := s.Header.Render("Risk register")
	if reg.data.Final() {
		head += s.Status[assessment.StatusFinal].Render(" · read-only (final)")
	}
	b.WriteString(common.Truncate(head+s.Subtle.Render(info), reg.width) + "\n")
}

// footer is the search box, the dismissal question, or the register's counts: the rated
// risks by level, then those not rated, proposed and overdue, all from the Analysis.
func (reg *Model) footer() string {
	s := reg.styles
	switch {
	case reg.searching:
		return reg.search.View()
	case reg.bulk:
		n := len(reg.shownProposals())
		return s.Error.Render(common.Truncate("Confirm "+assessment.Plural(n, "shown proposal", "shown proposals")+" with the threat library's suggested ratings? Review each afterwards.  y yes · n no", reg.width))
	case reg.confirm:
		r := reg.selected()
		if r == nil {
			return ""
		}
		q := "Dismiss “" + r.Title
		tail := "”? It will not be proposed again.  y yes · n no"
		return s.Error.Render(common.Truncate(q, reg.width-common.Width(tail)-1)) + s.Error.Render(tail)
	}
	m := reg.matrix()
	sum := reg.data.Summary
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
	if n := reg.overdue; n > 0 {
		parts = append(parts, s.Error.Render(assessment.FormatInt(n)+" overdue"))
	}
	return common.Truncate(" "+strings.Join(parts, s.Subtle.Render(" · ")), reg.width)
}

// detailView is the selected risk in full: rating, vulnerability and threat, the gaps
// behind it, the rationale and the treatment plan.
func (reg *Model) detailView() string {
	r := reg.selected()
	if r == nil {
		return ""
	}
	s := reg.styles
	m := reg.matrix()
	d := reg.data
	w := max(reg.width-2, 20)
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
		if hl, hi := assessment.ThreatHint(d.Catalog, d.Snap.Profile, *r.Risk); hl > 0 {
			rating += s.Subtle.Render(fmt.Sprintf("  (threat library suggests %d×%d)", hl, hi))
		}
	}
	add("", label("Level")+rating, label("Status")+r.Status.Label())
	asset := d.AssetName(r.AssetID)
	if a, ok := d.Asset(r.AssetID); ok {
		kind := common.AssetKind(d.Catalog, a.Kind).Title
		asset = fmt.Sprintf("%s (%s, hosted %s)", a.Name, kind, a.Hosting.Phrase())
		if v, ok := d.Vendor(a.VendorID); ok {
			asset = fmt.Sprintf("%s (%s, hosted %s by %s)", a.Name, kind, a.Hosting.Phrase(), v.Name)
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
	cia := r.CIA.Label()
	if r.CIADefault {
		cia += s.Subtle.Render("  (the threat library's default; confirm it when rating)")
	}
	wrapped("Harms", cia)
	itemLines := func(title string, list []int, none string) {
		add("", s.Header.Render(title))
		if len(list) == 0 {
			add(s.Subtle.Render("  " + none))
		}
		for _, i := range list {
			it := &d.Items[i]
			where := ""
			if it.Asset == nil && r.AssetID != "" {
				where = ", organization-wide"
			}
			add("  • " + it.Question.ID + "  " + s.Subtle.Render("("+it.Status.Phrase()+where+")"))
			add("    " + common.Truncate(it.Question.Text, w-4))
		}
	}
	itemLines("Triggering gaps", r.Triggers, "none current")
	itemLines("Existing controls", r.Controls, "no answer in place mitigates this vulnerability")
	if len(r.Warnings) > 0 {
		add("", s.Error.Render("Warnings"))
		for _, x := range r.Warnings {
			for i, l := range common.Wrap(x, w-4) {
				if i == 0 {
					add("  ⚠ " + s.Error.Render(l))
				} else {
					add("    " + s.Error.Render(l))
				}
			}
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
	if r.Treatment == assessment.TreatAccept {
		acc := or(r.AcceptedBy)
		if r.AcceptedAuthority != "" {
			acc += " (" + r.AcceptedAuthority + ")"
		}
		if r.AcceptedOn != "" {
			acc += " on " + assessment.DocDay(r.AcceptedOn)
		}
		wrapped("Accepted by", acc)
	}

	h := max(reg.height, 3)
	reg.detailOff = max(0, min(reg.detailOff, len(lines)-h+1))
	end := min(len(lines), reg.detailOff+h-1)
	out := strings.Join(lines[reg.detailOff:end], "\n")
	more := ""
	if end < len(lines) {
		more = " · ↓ " + assessment.Plural(len(lines)-end, "more line", "more lines")
	}
	if pad := h - 1 - (end - reg.detailOff); pad > 0 {
		out += strings.Repeat("\n", pad)
	}
	foot := s.Subtle.Render("esc back to the list" + more)
	if reg.confirm {
		foot = reg.footer()
	}
	return out + "\n" + foot
}
