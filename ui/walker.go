package ui

import (
	"fmt"
	"sort"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/controls"
)

func init() { registerSection(2, func(e *env) section { return newWalker(e) }) }

// Bindings of the questionnaire walker. Tab belongs to the shell, so → / enter move into
// the answer rows and ← / esc come back to the tree.
var (
	wkKeyImpl     = key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "implemented"))
	wkKeyPartial  = key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "partially implemented"))
	wkKeyNot      = key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "not implemented"))
	wkKeyNA       = key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "not applicable (asks why)"))
	wkKeyFlag     = key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "flag for follow-up"))
	wkKeyClear    = key.NewBinding(key.WithKeys("backspace"), key.WithHelp("⌫", "clear the answer"))
	wkKeyAnswer   = key.NewBinding(key.WithKeys("i", "p", "x", "n", "f"), key.WithHelp("i/p/x/n/f", "answer"))
	wkKeyNote     = key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "note"))
	wkKeyDecision = key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "addressable decision"))
	wkKeyOwner    = key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "change owner"))
	wkKeyEvidence = key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "attach evidence"))
	wkKeyFilter   = key.NewBinding(key.WithKeys("F"), key.WithHelp("F", "filter"))
	wkKeyFind     = key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "find"))
	wkKeyNextUn   = key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next unanswered"))
	wkKeyPrevUn   = key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous unanswered"))
	wkKeyInto     = key.NewBinding(key.WithKeys("right", "l", "enter"), key.WithHelp("→/enter", "open · answer rows"))
	wkKeyOut      = key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←", "back to the tree"))
	wkKeyFold     = key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "fold or unfold"))
	wkKeyTree     = key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "show the tree"))
	wkKeyPgDown   = key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "scroll the details"))
	wkKeyPgUp     = key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll the details up"))
	// Shorter help for the one-line help bar.
	wkShortDecision = key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "decision"))
	wkShortTree     = key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "tree"))
)

// wkTop is the screen row where a section starts: the app's title bar, then the shell's
// heading, tab bar and a blank line.
const wkTop = 4

// wkWide is the width from which the tree and the question sit side by side; below it
// the tree folds into a breadcrumb and t shows it.
const wkWide = 110

type wkFocus int

const (
	wkFocusTree wkFocus = iota
	wkFocusRows
)

// walker is the questionnaire: the tree of safeguards, standards and specifications on
// the left, the selected question with one answer row per item on the right.
type walker struct {
	e       *env
	data    *assessData
	nodes   []wkNode
	byQ     map[string]int                  // question ID -> node
	evid    map[assessment.ItemKey][]string // evidence names linked to each item
	vis     []int                           // visible nodes, in order
	folded  map[string]bool
	filter  wkFilter
	cur     int // node under the cursor, -1 when the tree is empty
	treeOff int
	row     int // answer row of the current question
	rowOff  int
	paneOff int // scroll of the details under the answer rows
	focus   wkFocus
	tree    bool // narrow layout: the tree is shown instead of the question
	search  *wkSearch
	width   int
	height  int
	styles  Styles
	st      wkStyles
	// Rendered tree rows (all but the cursor's), dropped whenever counts, folds, the
	// filter or the styles change.
	rowCache  []string
	rowCacheW int
	// Layout of the last View, for the mouse.
	treeW int
	rowsY int // section row of the first answer row drawn, -1 when none
	rowsN int
}

func newWalker(e *env) *walker {
	return &walker{e: e, folded: map[string]bool{}, cur: -1, rowsY: -1, width: minWidth, height: minHeight - 6}
}

func (w *walker) Title() string { return "Questions" }

func (w *walker) Init() tea.Cmd { return nil }

func (w *walker) SetSize(width, height int) {
	w.width, w.height = width, height
	if w.search != nil {
		w.search.setWidth(width)
	}
	w.scrollTree()
}

func (w *walker) SetStyles(s Styles) {
	w.styles = s
	w.st = newWkStyles(s)
	w.rowCache = nil
}

func (w *walker) Typing() bool { return w.search != nil }

// Back closes the inner states first: the search, the answer rows, the tree overlay,
// then the filter.
func (w *walker) Back() bool {
	switch {
	case w.search != nil:
		w.search = nil
	case w.focus == wkFocusRows:
		w.focus = wkFocusTree
	case w.tree && !w.wide():
		w.tree = false
	case w.filter != wkAll:
		w.setFilter(wkAll)
	default:
		return false
	}
	return true
}

func (w *walker) Keys() helpKeys {
	if w.search != nil {
		return helpKeys{short: wkSearchKeys, full: [][]key.Binding{wkSearchKeys}}
	}
	k := w.e.keys
	short := []key.Binding{wkKeyAnswer, wkKeyNote, wkShortDecision, wkKeyFind, wkKeyNextUn, wkKeyFilter}
	if !w.wide() {
		short = append([]key.Binding{wkShortTree}, short...)
	}
	full := [][]key.Binding{
		{k.Up, k.Down, wkKeyInto, wkKeyOut, wkKeyFold, wkKeyTree},
		{wkKeyImpl, wkKeyPartial, wkKeyNot, wkKeyNA, wkKeyFlag, wkKeyClear},
		{wkKeyNote, wkKeyDecision, wkKeyOwner, wkKeyEvidence},
		{wkKeyFind, wkKeyNextUn, wkKeyPrevUn, wkKeyFilter, wkKeyPgDown, wkKeyPgUp},
	}
	return helpKeys{short: short, full: full}
}

func (w *walker) wide() bool { return w.width >= wkWide }

// SetData rebuilds the tree from a fresh snapshot, keeping the cursor, the answer row,
// the folds and the filter. The first time, it resumes after the latest answer.
func (w *walker) SetData(d *assessData) {
	first := w.data == nil
	prevKey, prevAsset := "", ""
	if n := w.node(); n != nil {
		prevKey = n.key
		if it, ok := w.curItem(); ok && it.Asset != nil {
			prevAsset = it.Asset.ID
		}
	}
	w.data = d
	w.nodes, w.byQ = wkBuildTree(d)
	w.evid = map[assessment.ItemKey][]string{}
	for _, e := range d.snap.Evidence {
		for _, l := range e.Links {
			if l.QuestionID != "" {
				k := assessment.ItemKey{QuestionID: l.QuestionID, AssetID: l.AssetID}
				w.evid[k] = append(w.evid[k], e.Name)
			}
		}
	}
	wkCount(w.nodes, d, w.filter)
	w.cur = -1
	if first {
		w.resume()
		return
	}
	for i := range w.nodes {
		if w.nodes[i].key == prevKey {
			w.cur = i
			break
		}
	}
	if w.cur < 0 && len(w.nodes) > 0 {
		w.cur = 0
	}
	w.row = 0
	if n := w.node(); n != nil && prevAsset != "" {
		for r, ix := range n.items {
			if a := d.items[ix].Asset; a != nil && a.ID == prevAsset {
				w.row = r
			}
		}
	}
	w.refresh()
	if w.search != nil {
		w.search.run(w)
	}
}

// resume selects the item after the most recently answered one, so reopening an
// assessment continues where the assessor stopped.
func (w *walker) resume() {
	d := w.data
	best := -1
	for i, it := range d.items {
		if r := d.resp[it.Key()]; r != nil && (best < 0 || r.At.After(d.resp[d.items[best].Key()].At)) {
			best = i
		}
	}
	target := best + 1
	if target >= len(d.items) {
		// The last item was the latest: start again at the first one without an answer.
		target = 0
		for i, it := range d.items {
			if r := d.resp[it.Key()]; r == nil || !wkAnswered(r.Status) {
				target = i
				break
			}
		}
	}
	if len(d.items) == 0 {
		if len(w.nodes) > 0 {
			w.cur = 0
		}
		w.refresh()
		return
	}
	w.gotoItem(target)
}

// node is the node under the cursor.
func (w *walker) node() *wkNode {
	if w.cur < 0 || w.cur >= len(w.nodes) {
		return nil
	}
	return &w.nodes[w.cur]
}

// curItem is the item of the current answer row.
func (w *walker) curItem() (assessment.Item, bool) {
	n := w.node()
	if n == nil || n.kind != wkQuestion || len(n.items) == 0 {
		return assessment.Item{}, false
	}
	r := max(0, min(w.row, len(n.items)-1))
	return w.data.items[n.items[r]], true
}

// refresh recomputes the visible nodes and keeps the cursor on one of them.
func (w *walker) refresh() {
	w.rowCache = nil
	w.vis = wkVisible(w.nodes, w.folded, w.filter, w.vis)
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
func (w *walker) visPos(i int) int {
	p := sort.SearchInts(w.vis, i)
	if p < len(w.vis) && w.vis[p] == i {
		return p
	}
	return -1
}

// treeRows is how many tree rows fit: inside the box when wide, under the title line
// when the tree is shown alone.
func (w *walker) treeRows() int {
	if w.wide() {
		return max(w.height-2, 1)
	}
	return max(w.height-1, 1)
}

func (w *walker) scrollTree() {
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
func (w *walker) selectNode(i int) {
	if i < 0 || i >= len(w.nodes) {
		return
	}
	for p := w.nodes[i].parent; p >= 0; p = w.nodes[p].parent {
		delete(w.folded, w.nodes[p].key)
	}
	if w.filter != wkAll && w.nodes[i].counts.match == 0 {
		w.filter = wkAll
		wkCount(w.nodes, w.data, w.filter)
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
func (w *walker) centerTree() {
	if p := w.visPos(w.cur); p >= 0 {
		n := w.treeRows()
		w.treeOff = max(0, min(p-n/3, len(w.vis)-n))
	}
}

// gotoItem selects the question of item ix and its row.
func (w *walker) gotoItem(ix int) {
	it := w.data.items[ix]
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

// move moves the tree cursor by delta visible rows.
func (w *walker) move(delta int) {
	p := w.visPos(w.cur)
	if p < 0 {
		return
	}
	p = max(0, min(len(w.vis)-1, p+delta))
	if w.vis[p] != w.cur {
		w.cur = w.vis[p]
		w.row, w.rowOff, w.paneOff = 0, 0, 0
	}
	w.scrollTree()
}

func (w *walker) moveRow(delta int) {
	n := w.node()
	if n == nil || len(n.items) == 0 {
		return
	}
	w.row = max(0, min(len(n.items)-1, w.row+delta))
}

func (w *walker) setFilter(f wkFilter) {
	w.filter = f
	wkCount(w.nodes, w.data, f)
	w.refresh()
	if w.focus == wkFocusRows && (w.node() == nil || w.node().kind != wkQuestion) {
		w.focus = wkFocusTree
	}
}

func (w *walker) toggleFold(i int) {
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

func (w *walker) Update(msg tea.Msg) (screen, tea.Cmd) {
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
		w.wheel(msg.Mouse())
	}
	return w, nil
}

func (w *walker) key(msg tea.KeyPressMsg) tea.Cmd {
	k := w.e.keys
	rows := w.focus == wkFocusRows
	switch {
	case key.Matches(msg, k.Up):
		if rows {
			w.moveRow(-1)
		} else {
			w.move(-1)
		}
	case key.Matches(msg, k.Down):
		if rows {
			w.moveRow(1)
		} else {
			w.move(1)
		}
	case key.Matches(msg, k.Top):
		if rows {
			w.moveRow(-len(w.data.items))
		} else {
			w.move(-len(w.vis))
		}
	case key.Matches(msg, k.Bottom):
		if rows {
			w.moveRow(len(w.data.items))
		} else {
			w.move(len(w.vis))
		}
	case key.Matches(msg, wkKeyInto):
		w.into()
	case key.Matches(msg, wkKeyOut):
		w.out()
	case key.Matches(msg, wkKeyFold):
		if n := w.node(); n != nil {
			if n.group() {
				w.toggleFold(w.cur)
			} else if n.parent >= 0 {
				w.cur = n.parent
				w.toggleFold(w.cur)
			}
		}
	case key.Matches(msg, wkKeyTree):
		if !w.wide() {
			w.tree = !w.tree
			w.focus = wkFocusTree
			w.centerTree()
		}
	case key.Matches(msg, wkKeyPgDown):
		w.paneOff += max(w.height/2, 1)
	case key.Matches(msg, wkKeyPgUp):
		w.paneOff = max(0, w.paneOff-max(w.height/2, 1))
	case key.Matches(msg, wkKeyFilter):
		w.setFilter((w.filter + 1) % wkFilterCount)
		return wkNotice("Showing " + wkFilterLabels[w.filter] + ".")
	case key.Matches(msg, wkKeyFind):
		w.search = newWkSearch(w)
		return w.search.input.Focus()
	case key.Matches(msg, wkKeyNextUn):
		return w.nextUnanswered(1)
	case key.Matches(msg, wkKeyPrevUn):
		return w.nextUnanswered(-1)
	case key.Matches(msg, wkKeyImpl):
		return w.answer(assessment.Implemented)
	case key.Matches(msg, wkKeyPartial):
		return w.answer(assessment.Partial)
	case key.Matches(msg, wkKeyNot):
		return w.answer(assessment.NotImplemented)
	case key.Matches(msg, wkKeyFlag):
		return w.answer(assessment.Flagged)
	case key.Matches(msg, wkKeyNA):
		return w.notApplicable()
	case key.Matches(msg, wkKeyClear):
		return w.clear()
	case key.Matches(msg, wkKeyNote):
		return w.note()
	case key.Matches(msg, wkKeyDecision):
		return w.decision()
	case key.Matches(msg, wkKeyOwner):
		return w.owner()
	case key.Matches(msg, wkKeyEvidence):
		return w.evidence()
	}
	return nil
}

// into opens a folded group, steps into an open one, or moves into the answer rows.
func (w *walker) into() {
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
	w.focus = wkFocusRows
}

// out leaves the answer rows, folds an open group, or climbs to the parent.
func (w *walker) out() {
	if w.focus == wkFocusRows {
		w.focus = wkFocusTree
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
func (w *walker) nextUnanswered(dir int) tea.Cmd {
	d := w.data
	n := len(d.items)
	if n == 0 {
		return nil
	}
	start := 0
	if it, ok := w.curItem(); ok {
		start = d.index[it.Key()]
	} else if nd := w.node(); nd != nil {
		// On a group: start just before its first question.
		for i := w.cur; i < nd.end && i < len(w.nodes); i++ {
			if q := &w.nodes[i]; q.kind == wkQuestion && len(q.items) > 0 {
				start = q.items[0] - dir
				break
			}
		}
	}
	for step := 1; step <= n; step++ {
		ix := ((start+dir*step)%n + n) % n
		r := d.resp[d.items[ix].Key()]
		if r != nil && wkAnswered(r.Status) {
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
			return wkNotice(msg)
		}
		return nil
	}
	return wkNotice("Every question has an answer. Flagged ones still need a final answer (F shows them).")
}

// click selects a tree node or an answer row.
func (w *walker) click(m tea.Mouse) {
	y := m.Y - wkTop
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
		w.focus = wkFocusTree
		w.scrollTree()
		return
	}
	if w.rowsY >= 0 && y >= w.rowsY && y < w.rowsY+w.rowsN {
		w.row = w.rowOff + y - w.rowsY
		w.moveRow(0)
		w.focus = wkFocusRows
	}
}

func (w *walker) wheel(m tea.Mouse) {
	d := 0
	switch m.Button {
	case tea.MouseWheelUp:
		d = -3
	case tea.MouseWheelDown:
		d = 3
	default:
		return
	}
	if (w.wide() && m.X < w.treeW) || (!w.wide() && w.tree) {
		w.treeOff = max(0, min(w.treeOff+d, len(w.vis)-w.treeRows()))
		return
	}
	w.paneOff = max(0, w.paneOff+d)
}

// wkNotice shows a line in the status bar.
func wkNotice(s string) tea.Cmd { return func() tea.Msg { return noticeMsg(s) } }

// readOnly refuses changes to a final assessment.
func (w *walker) readOnly() tea.Cmd {
	if w.data.final() {
		return wkNotice("This assessment is final and read-only. Start a new revision (Finalise tab) to change answers.")
	}
	return nil
}

// target is the item the answer keys act on, or a notice saying why there is none.
func (w *walker) target() (assessment.Item, tea.Cmd) {
	if cmd := w.readOnly(); cmd != nil {
		return assessment.Item{}, cmd
	}
	it, ok := w.curItem()
	if !ok {
		return it, wkNotice("Choose a question first: move onto one with ↑/↓ (enter opens a group).")
	}
	return it, nil
}

// baseResponse is the item's stored answer, or a new one, ready to change.
func (w *walker) baseResponse(it assessment.Item) (assessment.Response, bool) {
	if r, ok := w.data.resp[it.Key()]; ok && r != nil {
		return *r, true
	}
	k := it.Key()
	return assessment.Response{QuestionID: k.QuestionID, AssetID: k.AssetID}, false
}

// answer saves a status on the current row at once and moves to the next row.
func (w *walker) answer(st assessment.ResponseStatus) tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	r, _ := w.baseResponse(it)
	r.Status = st
	if st != assessment.NotApplicable {
		r.Reason = ""
	}
	r.Revalidate = false
	if w.focus == wkFocusRows {
		w.moveRow(1)
	}
	return w.save(r, wkStatusLabel(st), it)
}

// save stores a response as a command; the notice says what else happened.
func (w *walker) save(r assessment.Response, what string, it assessment.Item) tea.Cmd {
	ctx, s, id := w.e.ctx, w.e.store, w.data.id()
	where := wkItemName(it)
	return func() tea.Msg {
		res, err := s.SaveResponse(ctx, id, r)
		return savedMsg{notice: wkSavedNotice(what, where, r.QuestionID, res.Proposed, res.Withdrawn), err: err}
	}
}

func wkSavedNotice(what, where, qid string, proposed, withdrawn int) string {
	s := fmt.Sprintf("Saved %s for %s (%s).", what, where, qid)
	switch {
	case proposed == 1:
		s += " 1 risk proposed from this gap; rate it under Risks."
	case proposed > 1:
		s += fmt.Sprintf(" %d risks proposed from this gap; rate them under Risks.", proposed)
	}
	switch {
	case withdrawn == 1:
		s += " 1 unconfirmed risk proposal withdrawn."
	case withdrawn > 1:
		s += fmt.Sprintf(" %d unconfirmed risk proposals withdrawn.", withdrawn)
	}
	return s
}

// clear removes the answer of the current row.
func (w *walker) clear() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	r, ok := w.data.resp[it.Key()]
	if !ok || r == nil {
		return wkNotice("This row has no answer to clear.")
	}
	ctx, s, id, k, seen := w.e.ctx, w.e.store, w.data.id(), it.Key(), r.Version
	note := fmt.Sprintf("Cleared the answer for %s (%s).", wkItemName(it), k.QuestionID)
	return mutate(note, func() error { return s.ClearResponse(ctx, id, k.QuestionID, k.AssetID, seen) })
}

// wkItemName names an item's row: the asset, or the organisation.
func wkItemName(it assessment.Item) string {
	if it.Asset == nil {
		return "the organisation"
	}
	return it.Asset.Name
}

// wkStatusLabel is a status in words.
func wkStatusLabel(st assessment.ResponseStatus) string {
	switch st {
	case assessment.Implemented:
		return "implemented"
	case assessment.Partial:
		return "partially implemented"
	case assessment.NotImplemented:
		return "not implemented"
	case assessment.NotApplicable:
		return "not applicable"
	case assessment.Flagged:
		return "flagged"
	}
	return "unanswered"
}

// wkAddressable reports whether q answers an addressable specification.
func wkAddressable(cat *controls.Catalog, q *controls.Question) bool {
	if q.Specification == "" {
		return false
	}
	sp, ok := cat.Specification(q.Specification)
	return ok && sp.Requirement == controls.Addressable
}
