// Package questions is the questionnaire tab: the tree of safeguards, standards and
// specifications with their progress on the left, the selected question with one answer
// row per organization or system on the right, and the dialogs that answer it (not
// applicable, note, addressable decision, owner, evidence) and the search that finds it.
package questions

import (
	"sort"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// wideWidth is the width from which the tree and the question sit side by side; below it
// the tree folds into a breadcrumb and t shows it.
const wideWidth = 110

type focusArea int

const (
	focusTree focusArea = iota
	focusRows
)

// Model is the questionnaire: the tree of safeguards, standards and specifications on
// the left, the selected question with one answer row per item on the right. Tab belongs
// to the shell, so → / enter move into the answer rows and ← / esc come back to the tree.
//
// The focus only says what ↑/↓ move (the tree's questions or the question's rows); the
// answer keys always act on the highlighted row of the current question (see answer.go).
type Model struct {
	e       *common.Env
	data    *common.Data
	nodes   []treeNode
	byQ     map[string]int    // question ID -> node
	evName  map[string]string // evidence ID -> name
	follows map[string][]string
	vis     []int // visible nodes, in order
	folded  map[string]bool
	filter  filterSet
	cur     int // node under the cursor, -1 when the tree is empty
	treeOff int
	row     int // answer row of the current question
	rowOff  int
	paneOff int // scroll of the details under the answer rows
	focus   focusArea
	tree    bool // narrow layout: the tree is shown instead of the question
	search  *finder
	width   int
	height  int
	styles  common.Styles
	memo    map[string]string // short, often repeated renders; see cached
	finds   findCache         // the questions' search fields, kept between reloads
	// pending are the items answered here whose reload has not come back yet, with the
	// reload count after which they are forgotten (see markPending); loads counts reloads.
	pending map[assessment.ItemKey]int
	loads   int
	// landed is true when an answer moved the cursor onto the row it shows: ] then stays
	// on that row rather than skip it.
	landed bool
	// applying is true after A: the next answer key answers every system of the question.
	applying bool
	// jumpTo is a node key to select on the next reload (a follow-up that reappears).
	jumpTo string
	// Rendered tree rows (all but the cursor's), dropped whenever counts, folds, the
	// filter or the styles change.
	rowCache  []string
	rowCacheW int
	// Layout of the last View, for the mouse.
	treeW int
	rowsY int // line of the first answer row drawn, -1 when none
	rowsN int
}

// New is the Questions tab.
func New(e *common.Env) *Model {
	return &Model{e: e, folded: map[string]bool{}, cur: -1, rowsY: -1, memo: map[string]string{}}
}

func (w *Model) Title() string { return "Questions" }

func (w *Model) Init() tea.Cmd { return nil }

func (w *Model) SetSize(width, height int) {
	w.width, w.height = width, height
	if w.search != nil {
		w.search.setWidth(width)
	}
	w.scrollTree()
}

func (w *Model) SetStyles(s common.Styles) {
	w.styles = s
	clear(w.memo)
	w.rowCache = nil
}

func (w *Model) Typing() bool { return w.search != nil }

// Back closes the inner states first: "answer every system", the search, the answer
// rows, the tree overlay, then the filter.
func (w *Model) Back() bool {
	switch {
	case w.applying:
		w.applying = false
	case w.search != nil:
		w.search = nil
	case w.focus == focusRows:
		w.focus = focusTree
	case w.tree && !w.wide():
		w.tree = false
	case !w.filter.all():
		w.setFilter(filterSet{})
	default:
		return false
	}
	return true
}

// OpenFind opens the question search; away says it was opened from another tab.
func (w *Model) OpenFind(away bool) tea.Cmd {
	if w.data == nil {
		return nil
	}
	w.applying = false
	w.search = newFinder(w)
	w.search.away = away
	return w.search.input.Focus()
}

func (w *Model) Keys() common.Help {
	if w.search != nil {
		s := w.e.Keys.Search
		return common.HelpOf(s.Submit, s.Prev, s.Next, s.Cancel)
	}
	nav, k := w.e.Keys.Nav, w.e.Keys.Questions
	short := []key.Binding{k.AnswerHint, k.NextUnanswered, k.Note, k.DecisionHint, k.Find, k.ApplyAll, k.Filter}
	if !w.wide() {
		short = append([]key.Binding{k.TreeHint}, short...)
	}
	full := [][]key.Binding{
		{k.Implemented, k.Partial, k.NotImplemented, k.NotApplicable, k.Flag, k.Clear, k.ApplyAll},
		{k.Note, k.Decision, k.Owner, k.Evidence, k.NoRisk},
		{nav.Up, nav.Down, k.Into, k.Out, k.Fold, k.Tree, nav.PageDown, nav.PageUp},
		{k.Find, k.NextUnanswered, k.PrevUnanswered, k.Filter, k.Who},
	}
	return common.Help{Short: short, Full: full}
}

func (w *Model) wide() bool { return w.width >= wideWidth }

// filtered reports whether a filter hides part of the tree.
func (w *Model) filtered() bool { return !w.filter.all() }

// SetData rebuilds the tree from a fresh snapshot, keeping the cursor, the answer row,
// the folds and the filter. The first time, it resumes after the latest answer. When the
// current question no longer applies (its gate was answered not applicable), the cursor
// goes to the next question that does.
func (w *Model) SetData(d *common.Data) {
	first := w.data == nil
	prevKey, prevAsset := "", ""
	var after []string // the keys of the nodes after the cursor, nearest first
	if n := w.node(); n != nil {
		prevKey = n.key
		if it, ok := w.curItem(); ok && it.Asset != nil {
			prevAsset = it.Asset.ID
		}
		for i := w.cur + 1; i < len(w.nodes) && len(after) < 64; i++ {
			after = append(after, w.nodes[i].key)
		}
	}
	w.data = d
	w.loads++
	w.prunePending()
	w.nodes, w.byQ = buildTree(d, &w.finds)
	w.follows = followUps(d)
	w.evName = make(map[string]string, len(d.Evidence))
	for _, e := range d.Evidence {
		w.evName[e.ID] = e.Name
	}
	countTree(w.nodes, d, w.filter)
	w.cur = -1
	if first {
		w.resume()
		return
	}
	if w.jumpTo != "" {
		prevKey, prevAsset, after = w.jumpTo, "", nil
		w.jumpTo = ""
	}
	byKey := make(map[string]int, len(w.nodes))
	for i := range w.nodes {
		byKey[w.nodes[i].key] = i
	}
	if i, ok := byKey[prevKey]; ok {
		w.cur = i
	} else {
		for _, k := range after {
			if i, ok := byKey[k]; ok {
				w.cur = i
				prevAsset = ""
				w.row = 0
				break
			}
		}
	}
	if w.cur < 0 && len(w.nodes) > 0 {
		w.cur = 0
	}
	if n := w.node(); n != nil && prevAsset != "" {
		for r, ix := range n.items {
			if a := d.Items[ix].Asset; a != nil && a.ID == prevAsset {
				w.row = r
			}
		}
	}
	w.refresh()
	if w.search != nil {
		w.search.run(w)
	}
}

// followUps maps each gate question to the applicable questions that follow it.
func followUps(d *common.Data) map[string][]string {
	out := map[string][]string{}
	if d.Catalog == nil {
		return out
	}
	for i := range d.Catalog.Questions {
		q := &d.Catalog.Questions[i]
		if q.Follows != "" {
			out[q.Follows] = append(out[q.Follows], q.ID)
		}
	}
	return out
}

// resume selects the item after the most recently answered one, so reopening an
// assessment continues where the assessor stopped.
func (w *Model) resume() {
	items := w.data.Items
	best := -1
	for i := range items {
		if r := items[i].Response; r != nil && (best < 0 || r.At.After(items[best].Response.At)) {
			best = i
		}
	}
	target := best + 1
	if target >= len(items) {
		// The last item was the latest: start again at the first one without an answer.
		target = 0
		for i := range items {
			if !items[i].Answered() {
				target = i
				break
			}
		}
	}
	if len(items) == 0 {
		if len(w.nodes) > 0 {
			w.cur = 0
		}
		w.refresh()
		return
	}
	w.gotoItem(target)
}

// firstOpenRow is the current question's first row that needs an answer, else 0.
func (w *Model) firstOpenRow() int {
	n := w.node()
	if n == nil {
		return 0
	}
	for r, ix := range n.items {
		if !w.handled(ix) {
			return r
		}
	}
	return 0
}

// node is the node under the cursor.
func (w *Model) node() *treeNode {
	if w.cur < 0 || w.cur >= len(w.nodes) {
		return nil
	}
	return &w.nodes[w.cur]
}

// curItem is the item of the current answer row.
func (w *Model) curItem() (*assessment.ItemView, bool) {
	n := w.node()
	if n == nil || n.kind != kindQuestion || len(n.items) == 0 {
		return nil, false
	}
	r := max(0, min(w.row, len(n.items)-1))
	return &w.data.Items[n.items[r]], true
}

// refresh recomputes the visible nodes and keeps the cursor on one of them.
func (w *Model) refresh() {
	w.rowCache = nil
	w.vis = visible(w.nodes, w.folded, w.filter, w.vis)
	if len(w.vis) == 0 {
		w.cur = -1
		return
	}
	if w.visPos(w.cur) < 0 {
		// Folded away: climb to the visible ancestor; filtered away: take the next node.
		c := w.cur
		for c >= 0 && w.visPos(c) < 0 {
			c = w.nodes[c].parent
		}
		if c < 0 {
			p := sort.SearchInts(w.vis, max(w.cur, 0))
			c = w.vis[min(p, len(w.vis)-1)]
		}
		w.cur = c
		w.row = 0
	}
	if n := w.node(); n != nil {
		w.row = max(0, min(w.row, len(n.items)-1))
	}
	w.scrollTree()
}

// visPos is the position of node i in the visible list, or -1.
func (w *Model) visPos(i int) int {
	p := sort.SearchInts(w.vis, i)
	if p < len(w.vis) && w.vis[p] == i {
		return p
	}
	return -1
}

// treeRows is how many tree rows fit: inside the box when wide, under the title line
// when the tree is shown alone.
func (w *Model) treeRows() int {
	if w.wide() {
		return max(w.height-2, 1)
	}
	return max(w.height-1, 1)
}

func (w *Model) scrollTree() {
	p := w.visPos(w.cur)
	if p < 0 {
		return
	}
	n := w.treeRows()
	if p < w.treeOff {
		w.treeOff = p
	}
	if p >= w.treeOff+n {
		w.treeOff = p - n + 1
	}
	w.treeOff = max(0, min(w.treeOff, len(w.vis)-n))
}

// selectNode moves the cursor to node i, unfolding its ancestors and clearing a filter
// that hides it.
func (w *Model) selectNode(i int) {
	if i < 0 || i >= len(w.nodes) {
		return
	}
	for p := w.nodes[i].parent; p >= 0; p = w.nodes[p].parent {
		delete(w.folded, w.nodes[p].key)
	}
	if w.filtered() && w.nodes[i].counts.match == 0 {
		w.filter = filterSet{}
		countTree(w.nodes, w.data, w.filter)
	}
	if w.cur != i {
		w.row, w.rowOff, w.paneOff = 0, 0, 0
	}
	w.cur = i
	w.refresh()
	w.centerTree()
}

// centerTree scrolls the tree so the cursor sits a third of the way down, with context
// above it.
func (w *Model) centerTree() {
	if p := w.visPos(w.cur); p >= 0 {
		n := w.treeRows()
		w.treeOff = max(0, min(p-n/3, len(w.vis)-n))
	}
}

// gotoItem selects the question of item ix and its row.
func (w *Model) gotoItem(ix int) {
	it := w.data.Items[ix]
	ni, ok := w.byQ[it.Question.ID]
	if !ok {
		return
	}
	w.selectNode(ni)
	for r, x := range w.nodes[ni].items {
		if x == ix {
			w.row = r
		}
	}
}

// FocusItem selects the question and asset row of m in the tree, clearing a filter that
// would hide it.
func (w *Model) FocusItem(m common.GotoMsg) bool {
	if w.data == nil || m.Item.QuestionID == "" {
		return false
	}
	ix, ok := w.data.Index[m.Item]
	if !ok {
		return false
	}
	if w.filtered() {
		w.setFilter(filterSet{})
	}
	w.gotoItem(ix)
	return true
}

// move moves the tree cursor by delta visible rows.
func (w *Model) move(delta int) {
	p := w.visPos(w.cur)
	if p < 0 {
		return
	}
	p = max(0, min(len(w.vis)-1, p+delta))
	if w.vis[p] != w.cur {
		w.cur = w.vis[p]
		w.row, w.rowOff, w.paneOff = 0, 0, 0
		w.row = w.firstOpenRow()
	}
	w.scrollTree()
}

func (w *Model) moveRow(delta int) {
	n := w.node()
	if n == nil || len(n.items) == 0 {
		return
	}
	w.row = max(0, min(len(n.items)-1, w.row+delta))
}

func (w *Model) setFilter(f filterSet) {
	w.filter = f
	countTree(w.nodes, w.data, f)
	w.refresh()
	if w.focus == focusRows && (w.node() == nil || w.node().kind != kindQuestion) {
		w.focus = focusTree
	}
}

func (w *Model) toggleFold(i int) {
	n := &w.nodes[i]
	if !n.group() {
		return
	}
	if w.folded[n.key] {
		delete(w.folded, n.key)
	} else {
		w.folded[n.key] = true
	}
	w.refresh()
}

func (w *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	if w.data == nil {
		return w, nil
	}
	if w.search != nil {
		return w, w.search.update(w, msg)
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return w, w.key(msg)
	case tea.MouseClickMsg:
		w.click(msg.Mouse())
	case tea.MouseWheelMsg:
		w.wheel(msg)
	}
	return w, nil
}

func (w *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	nav, k := w.e.Keys.Nav, w.e.Keys.Questions
	if w.applying {
		return w.applyAllKey(answerKey(k, msg))
	}
	// landed holds for one key: the first key after an answer.
	landed := w.landed
	w.landed = false
	switch {
	case key.Matches(msg, nav.PageDown): // pages scroll the details under the rows
		w.paneOff += max(w.height/2, 1)
	case key.Matches(msg, nav.PageUp):
		w.paneOff = max(0, w.paneOff-max(w.height/2, 1))
	case w.focus == focusRows:
		if d, ok := nav.Delta(msg, 0, len(w.data.Items)); ok {
			w.moveRow(d)
			return nil
		}
	default:
		if d, ok := nav.Delta(msg, 0, len(w.vis)); ok {
			w.move(d)
			return nil
		}
	}
	if st, ok := answerKey(k, msg); ok {
		if st == assessment.NotApplicable {
			return w.notApplicable()
		}
		return w.answer(st)
	}
	switch {
	case key.Matches(msg, k.Into):
		w.into()
	case key.Matches(msg, k.Out):
		w.out()
	case key.Matches(msg, k.Fold):
		if n := w.node(); n != nil {
			if n.group() {
				w.toggleFold(w.cur)
			} else if n.parent >= 0 {
				w.cur = n.parent
				w.toggleFold(w.cur)
			}
		}
	case key.Matches(msg, k.Tree):
		if !w.wide() {
			w.tree = !w.tree
			w.focus = focusTree
			w.centerTree()
		}
	case key.Matches(msg, k.Filter):
		f := w.filter
		f.kind = (f.kind + 1) % filterCount
		w.setFilter(f)
		return common.Notice(w.filterNotice())
	case key.Matches(msg, k.Who):
		f := w.filter
		f.who = nextAnswerer(f.who)
		w.setFilter(f)
		return common.Notice(w.filterNotice())
	case key.Matches(msg, k.Find):
		return w.OpenFind(false)
	case key.Matches(msg, k.NextUnanswered):
		if it, ok := w.curItem(); ok && landed && !w.handled(w.data.Index[it.Key()]) {
			// The answer just moved here: this row is the next unanswered one.
			return common.Notice("This row is the next one without an answer; answer it, or press " +
				k.NextUnanswered.Help().Key + " again to go past it.")
		}
		return w.nextUnanswered(1)
	case key.Matches(msg, k.PrevUnanswered):
		return w.nextUnanswered(-1)
	case key.Matches(msg, k.ApplyAll):
		return w.startApplyAll()
	case key.Matches(msg, k.Clear):
		return w.clear()
	case key.Matches(msg, k.Note):
		return w.note()
	case key.Matches(msg, k.Decision):
		return w.decision()
	case key.Matches(msg, k.Owner):
		return w.owner()
	case key.Matches(msg, k.Evidence):
		return w.evidence()
	case key.Matches(msg, k.NoRisk):
		return w.noRisk()
	}
	return nil
}

// answerKey is the status an answer key gives; ok is false for any other key.
func answerKey(k common.QuestionKeys, msg tea.KeyPressMsg) (assessment.ResponseStatus, bool) {
	switch {
	case key.Matches(msg, k.Implemented):
		return assessment.Implemented, true
	case key.Matches(msg, k.Partial):
		return assessment.Partial, true
	case key.Matches(msg, k.NotImplemented):
		return assessment.NotImplemented, true
	case key.Matches(msg, k.Flag):
		return assessment.Flagged, true
	case key.Matches(msg, k.NotApplicable):
		return assessment.NotApplicable, true
	}
	return "", false
}

// filterNotice says what the tree shows after F or w: "Showing unanswered items, among the
// questions the office manager can usually answer."
func (w *Model) filterNotice() string {
	f := w.filter
	switch {
	case f.who == "":
		return "Showing " + filterLabels[f.kind] + "."
	case f.kind == filterAll:
		return "Showing the questions " + common.AnswererPhrase(f.who) + " can usually answer."
	}
	return "Showing " + filterLabels[f.kind] + ", among the questions " + common.AnswererPhrase(f.who) + " can usually answer."
}

// into opens a folded group, steps into an open one, or moves into the answer rows.
func (w *Model) into() {
	n := w.node()
	if n == nil {
		return
	}
	if n.group() {
		if w.folded[n.key] {
			w.toggleFold(w.cur)
		} else {
			w.move(1)
		}
		return
	}
	w.tree = false
	w.focus = focusRows
}

// out leaves the answer rows, folds an open group, or climbs to the parent.
func (w *Model) out() {
	if w.focus == focusRows {
		w.focus = focusTree
		return
	}
	n := w.node()
	if n == nil {
		return
	}
	if n.group() && !w.folded[n.key] {
		w.toggleFold(w.cur)
		return
	}
	if n.parent >= 0 {
		w.cur = n.parent
		w.row, w.rowOff, w.paneOff = 0, 0, 0
		w.scrollTree()
	}
}

// nextUnanswered jumps to the next (dir 1) or previous (dir -1) item without an answer,
// in catalog order from the current row, wrapping around once.
func (w *Model) nextUnanswered(dir int) tea.Cmd {
	items := w.data.Items
	n := len(items)
	if n == 0 {
		return nil
	}
	start := 0
	if it, ok := w.curItem(); ok {
		start = w.data.Index[it.Key()]
	} else if nd := w.node(); nd != nil {
		// On a group: start just before its first question.
		for i := w.cur; i < nd.end && i < len(w.nodes); i++ {
			if q := &w.nodes[i]; q.kind == kindQuestion && len(q.items) > 0 {
				start = q.items[0] - dir
				break
			}
		}
	}
	for step := 1; step <= n; step++ {
		ix := ((start+dir*step)%n + n) % n
		if w.handled(ix) {
			continue
		}
		filtered := w.filter
		w.gotoItem(ix)
		var msg string
		if filtered != w.filter {
			msg = "The filter hid it, so all questions are shown again. "
		}
		if (dir > 0 && ix <= start) || (dir < 0 && ix >= start) {
			msg += "Started again from the other end. "
		}
		if msg != "" {
			return common.Notice(msg)
		}
		return nil
	}
	return common.Notice("Every question has an answer. Flagged ones still need a final answer (" +
		w.e.Keys.Questions.Filter.Help().Key + " shows them).")
}

// click selects a tree node or an answer row; y is the section's line.
func (w *Model) click(m tea.Mouse) {
	y := m.Y
	if m.Button != tea.MouseLeft || y < 0 || y >= w.height {
		return
	}
	inTree := (w.wide() && m.X < w.treeW) || (!w.wide() && w.tree)
	if inTree {
		p := w.treeOff + y - 1 // the box's top border or the title line
		if y < 1 || y > w.treeRows() || p >= len(w.vis) {
			return
		}
		i := w.vis[p]
		if i == w.cur && w.nodes[i].group() {
			w.toggleFold(i)
			return
		}
		if i != w.cur {
			w.cur = i
			w.row, w.rowOff, w.paneOff = 0, 0, 0
		}
		w.focus = focusTree
		w.scrollTree()
		return
	}
	if w.rowsY >= 0 && y >= w.rowsY && y < w.rowsY+w.rowsN {
		w.row = w.rowOff + y - w.rowsY
		w.moveRow(0)
		w.focus = focusRows
	}
}

func (w *Model) wheel(msg tea.MouseWheelMsg) {
	d, m := 3*common.Wheel(msg), msg.Mouse()
	if d == 0 {
		return
	}
	if (w.wide() && m.X < w.treeW) || (!w.wide() && w.tree) {
		w.treeOff = max(0, min(w.treeOff+d, len(w.vis)-w.treeRows()))
		return
	}
	w.paneOff = max(0, w.paneOff+d)
}
