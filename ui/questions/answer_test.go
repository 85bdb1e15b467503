package questions

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/uitest"
)

// driver works the questionnaire on a real workspace the way the shell does: commands
// run, a SavedMsg reloads the data, a dialog opens on a PushMsg and takes the keys until
// it closes. It counts the keys pressed.
type driver struct {
	t       *testing.T
	w       *Model
	s       *store.Store
	id      string
	form    *common.Form
	keys    int
	notices []string
}

func newDriver(t *testing.T, s *store.Store, id string, width, height int) *driver {
	t.Helper()
	w := sectionOn(uitest.StoreEnv(t, s), uitest.Load(t, s, id), width, height)
	return &driver{t: t, w: w, s: s, id: id}
}

// press sends keys to the dialog on top, or the questionnaire.
func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.keys++
		var cmd tea.Cmd
		if d.form != nil {
			_, cmd = d.form.Update(uitest.Key(k))
		} else {
			_, cmd = d.w.Update(uitest.Key(k))
		}
		d.run(cmd)
	}
}

// run runs a command and what its messages lead to, in order.
func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	if cmd == nil {
		return
	}
	msg := cmd()
	if rv := reflect.ValueOf(msg); rv.Kind() == reflect.Slice && rv.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		for i := range rv.Len() {
			d.run(rv.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	switch m := msg.(type) {
	case common.SavedMsg:
		if d.form != nil {
			f := d.form
			_, next := f.Update(m)
			d.run(next)
			return
		}
		if m.Err != nil {
			d.t.Fatalf("save failed: %v", m.Err)
		}
		d.notices = append(d.notices, m.Notice)
		d.w.SetData(uitest.Load(d.t, d.s, d.id))
	case common.NoticeMsg:
		d.notices = append(d.notices, string(m))
	case common.PushMsg:
		f, ok := m.Screen.(*common.Form)
		if !ok {
			d.t.Fatalf("pushed %T", m.Screen)
		}
		f.SetStyles(uitest.Styles())
		f.SetSize(120, 37)
		_, next := f.Update(f.Init()())
		d.form = f
		uitest.Settle(f, next)
	case common.PopMsg:
		d.form = nil
	case nil, common.FindClosedMsg:
	default:
		if d.form != nil {
			_, next := d.form.Update(m)
			d.run(next)
		}
	}
}

// current is the highlighted row's item.
func (d *driver) current() *assessment.ItemView {
	it, ok := d.w.curItem()
	if !ok {
		d.t.Fatal("no row is highlighted")
	}
	return it
}

// fresh is a workspace with an assessment at the standard depth and three systems (two
// hosted by a vendor), nothing answered.
func fresh(t *testing.T) (*store.Store, string) {
	t.Helper()
	s := uitest.Store(t)
	a, err := s.CreateAssessment(uitest.Ctx, store.NewAssessment{Title: "2026 risk analysis", Organization: "Cedar Clinic", CatalogVersion: uitest.Catalog(t).Version})
	if err != nil {
		t.Fatal(err)
	}
	vid, err := s.SaveVendor(uitest.Ctx, a.ID, assessment.Vendor{Name: "NimbusCompute", BAA: assessment.BAASigned, BAASigned: "2025-02-01"})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []assessment.Asset{
		{Name: "Front-office server", Kind: "other", Hosting: controls.OnPrem, EPHI: true, InScope: true, Criticality: "high", EncAtRest: assessment.EncNone, TLS: "tls1.2"},
		{Name: "Cloud backup VM", Kind: "backup", Hosting: controls.IaaS, VendorID: vid, EPHI: true, InScope: true, Criticality: "high", EncAtRest: assessment.EncCustomerManaged, TLS: "tls1.2"},
		{Name: "PracticeCloud EHR", Kind: "ehr", Hosting: controls.SaaS, VendorID: vid, EPHI: true, InScope: true, Criticality: "critical", EncAtRest: assessment.EncProviderManaged, TLS: "tls1.2"},
	} {
		if _, err := s.SaveAsset(uitest.Ctx, a.ID, x); err != nil {
			t.Fatal(err)
		}
	}
	return s, a.ID
}

// TestAnswerKeystrokes: answering 20 consecutive items (organization and per-system,
// addressable ones included, with gaps among them) costs at most 2 keys per item on
// average: each answer moves on by itself, implemented on an addressable specification
// needs no second key, and the decision dialog after an addressable gap takes one.
func TestAnswerKeystrokes(t *testing.T) {
	t.Parallel()
	s, id := fresh(t)
	d := newDriver(t, s, id, 120, 40)
	d.w.gotoItem(mixedRun(t, d.w, 20))
	start := d.keys
	var seen []assessment.ItemKey
	kinds := map[string]int{}
	statuses := []string{"i", "i", "x", "i", "p", "i", "i", "i", "f", "i"}
	for n := 0; n < 20; n++ {
		it := d.current()
		if it.Answered() {
			t.Fatalf("item %d: the cursor is on %s, which has an answer already", n, it.Key())
		}
		k := it.Key()
		seen = append(seen, k)
		addr := assessment.TakesDecision(d.w.data.Catalog, it.Question)
		switch {
		case addr:
			kinds["addressable"]++
		case it.Asset != nil:
			kinds["per-system"]++
		default:
			kinds["organization"]++
		}
		key := statuses[n%len(statuses)]
		if addr && kinds["addressable gap"] == 0 {
			key = "x" // one addressable gap: its decision dialog follows
			kinds["addressable gap"]++
		}
		d.press(key)
		if d.form != nil {
			d.press("enter") // the decision dialog after a gap: "no decision now"
		}
		if d.form != nil {
			t.Fatalf("a dialog stayed open after item %d", n)
		}
		r := uitest.Load(t, s, id).Responses[k]
		if r == nil {
			t.Fatalf("item %d (%s) was not saved", n, k)
		}
		if addr && r.Status == assessment.Implemented && r.Decision != assessment.DecisionAsSpecified {
			t.Fatalf("addressable %s implemented without the as-specified decision: %+v", k, r)
		}
	}
	keys := d.keys - start
	if keys > 2*20 {
		t.Fatalf("answering 20 items took %d keys, more than 2 per item", keys)
	}
	for _, kind := range []string{"organization", "per-system", "addressable", "addressable gap"} {
		if kinds[kind] == 0 {
			t.Fatalf("the 20 items had no %s item: %v", kind, kinds)
		}
	}
	for i := range seen {
		for j := range i {
			if seen[i] == seen[j] {
				t.Fatalf("item %s was answered twice: the cursor did not move on", seen[i])
			}
		}
	}
	t.Logf("20 items, %d keys (%.2f per item): %v", keys, float64(keys)/20, kinds)
}

// TestAnswerActsOnHighlightedRow (D2a): with the tree focused, x then i answer the first
// and the second open rows of a per-system question, never one row twice.
func TestAnswerActsOnHighlightedRow(t *testing.T) {
	t.Parallel()
	s, id := fresh(t)
	d := newDriver(t, s, id, 120, 40)
	q := perSystem(t, d, 2)
	find(t, d.w, q)
	if d.w.focus != focusTree {
		t.Fatal("the search did not leave the tree focused")
	}
	rows := d.w.node().items
	first, second := d.w.data.Items[rows[0]].Key(), d.w.data.Items[rows[1]].Key()
	d.press("x", "i")
	m := uitest.Load(t, s, id).Responses
	if r := m[first]; r == nil || r.Status != assessment.NotImplemented {
		t.Fatalf("first row: %+v", r)
	}
	if r := m[second]; r == nil || r.Status != assessment.Implemented {
		t.Fatalf("second row: %+v", r)
	}
}

// TestNextUnansweredAfterAnswer (D2b): after an answer moves to the next open row, ] stays
// there (and says so) instead of skipping it; a second ] goes on.
func TestNextUnansweredAfterAnswer(t *testing.T) {
	t.Parallel()
	s, id := fresh(t)
	d := newDriver(t, s, id, 120, 40)
	q := perSystem(t, d, 3)
	find(t, d.w, q)
	rows := d.w.node().items
	d.press("right", "i")
	if d.w.row != 1 {
		t.Fatalf("after the answer the cursor is on row %d, want 1", d.w.row)
	}
	d.press("]")
	if d.w.row != 1 || !strings.Contains(d.notices[len(d.notices)-1], "next one without an answer") {
		t.Fatalf("] moved to row %d (%q); it must stay on the open row", d.w.row, d.notices)
	}
	d.press("]")
	if d.w.row != 2 {
		t.Fatalf("a second ] went to row %d, want 2", d.w.row)
	}
	if r := uitest.Load(t, s, id).Responses[d.w.data.Items[rows[1]].Key()]; r != nil {
		t.Fatalf("row 1 was answered: %+v", r)
	}
}

// TestApplyAllAnswersEverySystem: A then p answers every system of the question partially
// implemented, audited one by one; A on an organization question says why not.
func TestApplyAllAnswersEverySystem(t *testing.T) {
	t.Parallel()
	s, id := fresh(t)
	d := newDriver(t, s, id, 120, 40)
	q := perSystem(t, d, 3)
	find(t, d.w, q)
	keys := []assessment.ItemKey{}
	for _, ix := range d.w.node().items {
		keys = append(keys, d.w.data.Items[ix].Key())
	}
	d.press("A")
	if !strings.Contains(d.w.View(), "Answer all 3 systems") {
		t.Fatalf("A shows no prompt:\n%s", d.w.View())
	}
	d.press("p")
	m := uitest.Load(t, s, id).Responses
	for _, k := range keys {
		if r := m[k]; r == nil || r.Status != assessment.Partial {
			t.Fatalf("%s: %+v", k, r)
		}
	}
	if d.w.node().q.ID == q {
		t.Fatal("the cursor stayed on the question answered for every system")
	}
	org := uitest.FirstItem(t, d.w.data, func(it *assessment.ItemView) bool { return it.Asset == nil })
	find(t, d.w, org.Question.ID)
	d.press("A")
	if d.w.applying || !strings.Contains(d.notices[len(d.notices)-1], "once for the whole organization") {
		t.Fatalf("A on an organization question: %q", d.notices)
	}
	if res, err := s.Verify(uitest.Ctx); err != nil || !res.OK() {
		t.Fatalf("verify: %+v %v", res, err)
	}
}

// TestFocusShowsWithoutColor: the focused pane says so in words and marks, with no color.
func TestFocusShowsWithoutColor(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	for _, size := range uitest.Sizes {
		w := section(t, d, size[0], size[1])
		q := uitest.FirstItem(t, d, func(it *assessment.ItemView) bool { return it.Asset != nil && len(d.ByQuestion[it.Question.ID]) > 1 })
		find(t, w, q.Question.ID)
		tree := w.View()
		uitest.Press(w, "right")
		rows := w.View()
		if tree == rows {
			t.Fatalf("%v: moving into the rows changed nothing on screen", size)
		}
		if !strings.Contains(rows, "▶ System") || (size[0] >= wideWidth && !strings.Contains(rows, "answering rows")) {
			t.Fatalf("%v: the rows' focus does not show:\n%s", size, rows)
		}
		if size[0] >= wideWidth && !strings.Contains(tree, "▶ Safeguards") {
			t.Fatalf("%v: the tree's focus does not show:\n%s", size, tree)
		}
	}
}

// mixedRun is the item where n consecutive open items, in the order the questionnaire
// walks them (its tree), hold organization, per-system and addressable items.
func mixedRun(t *testing.T, w *Model, n int) int {
	t.Helper()
	var order []int
	first := map[int]bool{} // positions in order where a question starts
	for i := range w.nodes {
		if w.nodes[i].kind == kindQuestion {
			first[len(order)] = true
			order = append(order, w.nodes[i].items...)
		}
	}
	data := w.data
	for i := 0; i+n <= len(order); i++ {
		if !first[i] {
			continue
		}
		var org, asset, addr bool
		for _, ix := range order[i : i+n] {
			it := &data.Items[ix]
			switch {
			case it.Answered():
			case assessment.TakesDecision(data.Catalog, it.Question):
				addr = true
			case it.Asset != nil:
				asset = true
			default:
				org = true
			}
		}
		if org && asset && addr {
			return order[i]
		}
	}
	t.Fatal("no run of items mixes all three kinds")
	return 0
}

// perSystem is a per-system question of d's assessment with at least n rows.
func perSystem(t *testing.T, d *driver, n int) string {
	t.Helper()
	for _, q := range d.w.data.Catalog.Questions {
		if q.Scope == controls.ScopeAsset && len(d.w.data.ByQuestion[q.ID]) >= n && !assessment.TakesDecision(d.w.data.Catalog, &q) {
			return q.ID
		}
	}
	t.Fatalf("no per-system question with %d rows", n)
	return ""
}

// TestAnswerPassesAnsweredQuestions: when the question's rows are all answered, the
// cursor moves to the next question that still has an open row, passing over one that is
// answered already, so the next answer key cannot overwrite it.
func TestAnswerPassesAnsweredQuestions(t *testing.T) {
	t.Parallel()
	s, id := fresh(t)
	d := newDriver(t, s, id, 120, 40)
	var q, next string
	var after []int
	for _, n := range d.w.nodes {
		if n.kind != kindQuestion || len(n.items) != 1 {
			continue
		}
		if q == "" && !assessment.TakesDecision(d.w.data.Catalog, n.q) {
			q = n.q.ID
			continue
		}
		if q != "" && next == "" {
			next, after = n.q.ID, n.items
			break
		}
	}
	if next == "" {
		t.Fatal("no two organization questions in a row")
	}
	for _, ix := range after {
		k := d.w.data.Items[ix].Key()
		if _, err := s.SaveResponse(uitest.Ctx, id, assessment.Response{QuestionID: k.QuestionID, AssetID: k.AssetID, Status: assessment.Implemented}); err != nil {
			t.Fatal(err)
		}
	}
	d.w.SetData(uitest.Load(t, s, id))
	find(t, d.w, q)
	d.press("x")
	it := d.current()
	if it.Question.ID == next || it.Answered() {
		t.Fatalf("after the answer the cursor is on %s (answered %v); it must pass over %s", it.Question.ID, it.Answered(), next)
	}
	d.press("p")
	if r := uitest.Load(t, s, id).Responses[d.w.data.Items[after[0]].Key()]; r == nil || r.Status != assessment.Implemented {
		t.Fatalf("the answered question was overwritten: %+v", r)
	}
}
