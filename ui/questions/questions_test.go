package questions

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/uitest"
)

// section is the questionnaire on d, sized as its section in a width×height terminal.
func section(tb testing.TB, d *common.Data, width, height int) *Model {
	tb.Helper()
	return sectionOn(uitest.Env(tb), d, width, height)
}

func sectionOn(e *common.Env, d *common.Data, width, height int) *Model {
	return uitest.Section(New(e), d, width, height)
}

// stored imports the demo into a real workspace and returns the questionnaire on it.
func stored(t *testing.T) (*Model, *store.Store, string) {
	t.Helper()
	s, id := uitest.DemoStore(t)
	return sectionOn(uitest.StoreEnv(t, s), uitest.Load(t, s, id), 120, 40), s, id
}

// find jumps to a question through the search box.
func find(t *testing.T, w *Model, qid string) {
	t.Helper()
	uitest.Press(w, "/")
	uitest.Type(w, qid)
	uitest.Press(w, "enter")
	if n := w.node(); n == nil || n.kind != kindQuestion || n.q.ID != qid {
		t.Fatalf("search for %s did not land on it", qid)
	}
}

// selectRow puts the answer-row cursor on item key k of the current question.
func selectRow(t *testing.T, w *Model, k assessment.ItemKey) {
	t.Helper()
	for r, ix := range w.node().items {
		if w.data.Items[ix].Key() == k {
			w.row = r
			return
		}
	}
	t.Fatalf("no row for %+v", k)
}

func TestWalkerResumesAfterLatestAnswer(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	latest := func() int {
		best := -1
		for ix, it := range d.Items {
			if r := it.Response; r != nil && (best < 0 || r.At.After(d.Items[best].Response.At)) {
				best = ix
			}
		}
		return best
	}
	want := func() assessment.ItemKey {
		if l := latest(); l+1 < len(d.Items) {
			return d.Items[l+1].Key()
		}
		return uitest.FirstItem(t, d, func(it *assessment.ItemView) bool { return it.Status == "" }).Key()
	}
	check := func(w *Model, want assessment.ItemKey) {
		t.Helper()
		if it, ok := w.curItem(); !ok || it.Key() != want {
			t.Fatalf("resumed at %+v, want %+v (the item after the latest answer)", it.Key(), want)
		}
	}
	check(section(t, d, 120, 40), want())
	// Not at the end: the very next item. (Item responses point into the snapshot.)
	d.Items[latest()].Response.At = d.Items[0].Response.At.Add(-time.Hour)
	check(section(t, d, 120, 40), want())
}

func TestWalkerTreeCountsEveryItem(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	w := section(t, d, 120, 40)
	var total, answered int
	for _, n := range w.nodes {
		if n.kind == kindSafeguard {
			total += n.listed.Applicable
			answered += n.listed.Answered()
		}
	}
	want := 0
	for _, it := range d.Items {
		if it.Answered() {
			want++
		}
	}
	if total != len(d.Items) || answered != want {
		t.Fatalf("the tree lists %d/%d, want %d/%d", answered, total, want, len(d.Items))
	}
	// What a specification lists is the sum of its questions.
	for i := range w.nodes {
		n := &w.nodes[i]
		if n.kind != kindSpec {
			continue
		}
		sum := 0
		for j := i + 1; j < n.end; j++ {
			sum += w.nodes[j].counts.Applicable
		}
		if sum != n.listed.Applicable {
			t.Fatalf("%s lists %d, its questions %d", n.cite, n.listed.Applicable, sum)
		}
	}
	// The figures shown are the dashboard's and the reports' (D18): every safeguard,
	// standard and specification as the Summary counts it.
	want2 := map[string]assessment.Counts{}
	for _, gs := range [][]assessment.GroupCounts{d.Summary.BySafeguard, d.Summary.ByStandard, d.Summary.BySpecification} {
		for _, g := range gs {
			want2[g.ID] = g.Counts
		}
	}
	differs := false
	for i := range w.nodes {
		n := &w.nodes[i]
		if n.kind == kindSafeguard || n.kind == kindStandard || n.kind == kindSpec {
			if n.counts.Counts != want2[n.cite] {
				t.Fatalf("%s shows %+v, the reports %+v", n.cite, n.counts.Counts, want2[n.cite])
			}
			differs = differs || n.counts.Applicable != n.listed.Applicable
		}
	}
	if !differs {
		t.Fatal("the demo has no question answering for two specifications or proposed items: the test proves nothing")
	}
	top := w.nodes[w.vis[w.treeOff]].counts
	if !strings.Contains(ansi.Strip(w.View()), fmt.Sprintf("%d/%d", top.Answered(), top.Applicable)) {
		t.Fatal("the tree does not show answered/applicable on its rows")
	}
	// A group whose figures differ from what it lists says why.
	uitest.Press(w, "g")
	if v := ansi.Strip(w.View()); !strings.Contains(v, "Counted as in the dashboard") {
		t.Fatalf("the safeguard pane does not explain its figures:\n%s", v)
	}
}

func TestWalkerMovesAndFolds(t *testing.T) {
	t.Parallel()
	w := section(t, uitest.Demo(t), 120, 40)
	uitest.Press(w, "g")
	if w.cur != 0 || w.nodes[0].kind != kindSafeguard {
		t.Fatal("g does not go to the first safeguard")
	}
	uitest.Press(w, "left") // fold the safeguard
	if !w.folded[w.nodes[0].key] || len(w.vis) < 2 || w.vis[1] != w.nodes[0].end {
		t.Fatal("← on an open group does not fold it")
	}
	uitest.Press(w, "enter") // unfold
	if w.folded[w.nodes[0].key] {
		t.Fatal("enter on a folded group does not open it")
	}
	uitest.Press(w, "j", "j", "j") // safeguard → standard → spec/self → first question
	if w.node().kind != kindQuestion {
		t.Fatalf("three steps down land on %v, not a question", w.node().kind)
	}
	uitest.Press(w, "right")
	if w.focus != focusRows {
		t.Fatal("→ on a question does not move into the answer rows")
	}
	if !w.Back() || w.focus != focusTree {
		t.Fatal("esc does not bring the focus back to the tree")
	}
	uitest.Press(w, "space")
	if !w.folded[w.node().key] || w.node().kind == kindQuestion {
		t.Fatal("space on a question does not fold its group")
	}
}

func TestWalkerAnswerSavesAndProposesRisks(t *testing.T) {
	t.Parallel()
	w, s, id := stored(t)
	it := uitest.FirstItem(t, w.data, func(it *assessment.ItemView) bool {
		return it.Asset != nil && it.Response == nil && len(it.Question.Vulnerabilities) > 0
	})
	find(t, w, it.Question.ID)
	selectRow(t, w, it.Key())
	uitest.Press(w, "right")
	msg, ok := uitest.Run(uitest.Press(w, "x")).(common.SavedMsg)
	if !ok || msg.Err != nil {
		t.Fatalf("x did not save: %+v", msg)
	}
	if !strings.Contains(msg.Notice, "Saved not implemented for "+it.Asset.Name) || !strings.Contains(msg.Notice, "risk") {
		t.Fatalf("notice %q does not say what was saved and the risks proposed", msg.Notice)
	}
	d := uitest.Load(t, s, id)
	if r, _ := d.Item(it.Key()); r.Status != assessment.NotImplemented {
		t.Fatalf("store holds %+v", r.Response)
	}
	w.SetData(d)
	// Backspace clears it again.
	selectRow(t, w, it.Key())
	if msg := uitest.Run(uitest.Press(w, "backspace")).(common.SavedMsg); msg.Err != nil || !strings.Contains(msg.Notice, "Cleared") {
		t.Fatalf("backspace: %+v", msg)
	}
	if r, _ := uitest.Load(t, s, id).Item(it.Key()); r.Response != nil {
		t.Fatal("backspace did not clear the answer")
	}
}

func TestWalkerNewAnswerClearsRevalidate(t *testing.T) {
	t.Parallel()
	w, s, id := stored(t)
	it := uitest.FirstItem(t, w.data, func(it *assessment.ItemView) bool { return it.Asset == nil && it.Response != nil })
	// Mark it carried over, as a new revision would.
	it.Response.Revalidate = true
	countTree(w.nodes, w.data, w.filter)
	find(t, w, it.Question.ID)
	if v := ansi.Strip(w.View()); !strings.Contains(v, "re-validate") || !strings.Contains(v, "Carried over") {
		t.Fatalf("a carried-over answer is not marked:\n%s", v)
	}
	if msg := uitest.Run(uitest.Press(w, "i")).(common.SavedMsg); msg.Err != nil {
		t.Fatal(msg.Err)
	}
	if r, _ := uitest.Load(t, s, id).Item(it.Key()); r.Response == nil || r.Response.Revalidate || r.Status != assessment.Implemented {
		t.Fatalf("after answering: %+v", r.Response)
	}
}

func TestWalkerFinalIsReadOnly(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	d.Snap.Assessment.Status = assessment.StatusFinal
	w := section(t, d, 120, 40)
	for _, k := range []string{"i", "p", "x", "f", "n", "backspace", "e", "d", "o", "a"} {
		if n := uitest.NoticeOf(t, uitest.Press(w, k)); !strings.Contains(n, "read-only") {
			t.Fatalf("%s on a final assessment: %q", k, n)
		}
	}
}

func TestWalkerDialogs(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	w := section(t, d, 120, 40)
	addr := uitest.FirstItem(t, d, func(it *assessment.ItemView) bool { return it.Addressable(d.Catalog) })
	req := uitest.FirstItem(t, d, func(it *assessment.ItemView) bool {
		return it.Question.Specification != "" && !it.Addressable(d.Catalog)
	})
	std := uitest.FirstItem(t, d, func(it *assessment.ItemView) bool { return it.Question.Specification == "" })
	find(t, w, req.Question.ID)
	if n := uitest.NoticeOf(t, uitest.Press(w, "d")); !strings.Contains(n, "required specification") {
		t.Fatalf("d on a required specification: %q", n)
	}
	find(t, w, std.Question.ID)
	if n := uitest.NoticeOf(t, uitest.Press(w, "d")); !strings.Contains(n, "standard") {
		t.Fatalf("d on a standard: %q", n)
	}
	find(t, w, addr.Question.ID)
	for _, k := range []string{"d", "n", "e", "o", "a"} {
		f := uitest.OpenForm(t, uitest.Press(w, k), 120, 40)
		if v := ansi.Strip(f.View()); !strings.Contains(v, addr.Question.ID) || !strings.Contains(v, addr.Question.Text[:20]) {
			t.Fatalf("the %s form does not say which question it is about:\n%s", k, v)
		}
	}
}

func TestWalkerFilters(t *testing.T) {
	t.Parallel()
	w := section(t, uitest.Demo(t), 120, 40)
	for f := filterKind(1); f < filterCount; f++ {
		n := uitest.NoticeOf(t, uitest.Press(w, "F"))
		if w.filter.kind != f || !strings.Contains(n, filterLabels[f]) {
			t.Fatalf("F gave filter %d (%q), want %d", w.filter.kind, n, f)
		}
		for _, i := range w.vis {
			if w.nodes[i].counts.match == 0 {
				t.Fatalf("filter %s shows %s with nothing matching", filterLabels[f], w.nodes[i].cite)
			}
		}
		if f == filterGaps {
			for _, i := range w.vis {
				n := &w.nodes[i]
				if n.kind == kindQuestion && n.counts.Partial+n.counts.NotImplemented != n.counts.match {
					t.Fatalf("gap count of %s is %d, want %d", n.cite, n.counts.match, n.counts.Partial+n.counts.NotImplemented)
				}
			}
		}
		// Moving stays inside the filter.
		uitest.Press(w, "j", "j", "j")
		if w.visPos(w.cur) < 0 {
			t.Fatal("the cursor left the filtered tree")
		}
	}
	uitest.Press(w, "F")
	if !w.filter.all() {
		t.Fatal("F does not cycle back to all questions")
	}
	uitest.Press(w, "F")
	if !w.Back() || !w.filter.all() {
		t.Fatal("esc does not clear the filter")
	}
	if w.Back() {
		t.Fatal("esc with nothing to close should leave the assessment")
	}
}

func TestWalkerSearch(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	w := section(t, d, 80, 24)
	uitest.Press(w, "/")
	if !w.Typing() {
		t.Fatal("the search box does not take the keys")
	}
	uitest.Type(w, "ENCRYPT Laptop")
	if len(w.search.results) == 0 {
		t.Fatal("no result for words in any case")
	}
	for _, i := range w.search.results {
		if h := strings.Join(w.nodes[i].find[:], " "); !strings.Contains(h, "encrypt") || !strings.Contains(h, "laptop") {
			t.Fatalf("%s does not contain every word", w.nodes[i].cite)
		}
	}
	uitest.Golden(t, w.View())
	// A click on the second result jumps to it.
	second := w.search.results[1]
	w.View()
	w.Update(uitest.Click(10, w.search.top+1))
	if w.Typing() || w.cur != second {
		t.Fatalf("a click on the second result went to node %d, want %d", w.cur, second)
	}
	uitest.Press(w, "/")
	uitest.Type(w, "encrypt laptop")
	uitest.Press(w, "down", "enter")
	if w.Typing() || w.node().kind != kindQuestion {
		t.Fatal("enter does not jump to the result")
	}
	// An exact ID comes first.
	target := d.Items[len(d.Items)/2].Question.ID
	uitest.Press(w, "/")
	uitest.Type(w, strings.ToUpper(target))
	if w.nodes[w.search.results[0]].cite != target {
		t.Fatalf("searching %s lists %s first", target, w.nodes[w.search.results[0]].cite)
	}
	uitest.Press(w, "esc")
	if w.search != nil {
		t.Fatal("esc does not close the search")
	}
}

func TestWalkerNextUnanswered(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	w := section(t, d, 120, 40)
	seen := map[assessment.ItemKey]bool{}
	for range 5 {
		uitest.Press(w, "]")
		it, ok := w.curItem()
		if !ok {
			t.Fatal("] did not land on a question")
		}
		if it.Answered() {
			t.Fatalf("] landed on answered item %+v", it.Key())
		}
		if seen[it.Key()] {
			t.Fatalf("] visited %+v twice", it.Key())
		}
		seen[it.Key()] = true
	}
	before, _ := w.curItem()
	uitest.Press(w, "[")
	after, _ := w.curItem()
	if d.Index[after.Key()] >= d.Index[before.Key()] {
		t.Fatal("[ does not go back")
	}
	// Under a filter that hides unanswered items, ] shows everything again.
	w.setFilter(filterSet{kind: filterGaps})
	if n := uitest.NoticeOf(t, uitest.Press(w, "]")); !strings.Contains(n, "all questions") || !w.filter.all() {
		t.Fatalf("] under the gaps filter: %q", n)
	}
}

// TestWalkerMouse clicks in section coordinates: line 0 is the section's first line.
func TestWalkerMouse(t *testing.T) {
	t.Parallel()
	w := section(t, uitest.Demo(t), 120, 40)
	w.View()
	target := w.vis[w.treeOff+3]
	w.Update(uitest.Click(5, 1+3)) // the box's top border, then the fourth row
	if w.cur != target {
		t.Fatalf("click selected node %d, want %d", w.cur, target)
	}
	off := w.treeOff
	w.Update(uitest.WheelDown())
	if w.treeOff <= off {
		t.Fatal("the wheel does not scroll the tree")
	}
	// Click an answer row of an asset question.
	it := uitest.FirstItem(t, w.data, func(it *assessment.ItemView) bool { return it.Asset != nil })
	find(t, w, it.Question.ID)
	w.View()
	if w.rowsY < 0 || w.rowsN < 2 {
		t.Fatal("no answer rows drawn")
	}
	w.Update(uitest.Click(w.treeW+5, w.rowsY+1))
	if w.row != w.rowOff+1 || w.focus != focusRows {
		t.Fatalf("click on the second answer row gave row %d, focus %v", w.row, w.focus)
	}
}

func TestWalkerViews(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	asset := uitest.FirstItem(t, d, func(it *assessment.ItemView) bool {
		return it.Asset != nil && len(it.Issues) > 0 && it.Addressable(d.Catalog) &&
			it.Question.DefaultOwner(it.Asset.Hosting) == controls.OwnerProvider
	})
	for _, sz := range uitest.Sizes {
		t.Run(uitest.SizeName(sz), func(t *testing.T) {
			w := section(t, d, sz[0], sz[1])
			h := uitest.SectionHeight(sz[1])
			v := w.View()
			uitest.CheckFrame(t, v, sz[0], h)
			t.Run("resume", func(t *testing.T) { uitest.Golden(t, v) })
			find(t, w, asset.Question.ID)
			for w.data.Items[w.node().items[w.row]].Key() != asset.Key() {
				uitest.Press(w, "right", "down")
			}
			v = w.View()
			uitest.CheckFrame(t, v, sz[0], h)
			for _, want := range []string{citation(asset.Question.Specification), "Addressable", asset.Asset.Name[:8], "⚠", "Provider"} {
				if !strings.Contains(v, want) {
					t.Fatalf("the asset question lacks %q:\n%s", want, ansi.Strip(v))
				}
			}
			t.Run("asset", func(t *testing.T) { uitest.Golden(t, v) })
			uitest.Press(w, "left", "left") // back to the tree, then up to the specification
			v = w.View()
			uitest.CheckFrame(t, v, sz[0], h)
			if !strings.Contains(v, "answered (") {
				t.Fatalf("the group overview lacks its progress:\n%s", ansi.Strip(v))
			}
		})
	}
	// The narrow layout shows the tree on t.
	w := section(t, d, 80, 24)
	uitest.Press(w, "t")
	if v := ansi.Strip(w.View()); !strings.Contains(v, "Safeguards") || !strings.Contains(v, "▾") {
		t.Fatalf("t does not show the tree:\n%s", v)
	}
	if !w.Back() || w.tree {
		t.Fatal("esc does not close the tree")
	}
}

func TestWalkerProposedBadgeAndKeyActivity(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	d.Snap.Profile.IncludeProposed = true
	d = uitest.Reanalyze(d)
	w := section(t, d, 120, 40)
	it := uitest.FirstItem(t, d, func(it *assessment.ItemView) bool { return it.Question.Proposed })
	find(t, w, it.Question.ID)
	w.paneOff = 1000 // scroll to the end of the details
	v := ansi.Strip(w.View())
	if !strings.Contains(v, "proposed rule — not law") {
		t.Fatalf("no proposed-rule badge:\n%s", v)
	}
	ka := it.Question.KeyActivities[0]
	if !strings.Contains(v, strings.TrimPrefix(ka, "KA_")) || !strings.Contains(v, d.Catalog.KeyActivityTitle(ka)[:20]) {
		t.Fatalf("the key activity %s is not shown:\n%s", ka, v)
	}
}

// TestWalkerEmptyAssessment: on an assessment with nothing applicable (or no catalog)
// every key is harmless and the frame still fits.
func TestWalkerEmptyAssessment(t *testing.T) {
	t.Parallel()
	cat := uitest.Catalog(t)
	for _, snap := range []*assessment.Snapshot{
		{Assessment: assessment.Assessment{ID: "new", Title: "New"}, Catalog: cat},
		{Assessment: assessment.Assessment{ID: "none", Title: "None"}},
	} {
		w := section(t, common.NewData(snap, uitest.FixedTime), 80, 24)
		uitest.Press(w, "j", "]", "i", "right", "F", "d", "/", "x", "enter")
		uitest.CheckFrame(t, w.View(), 80, uitest.SectionHeight(24))
	}
}

// bigWalker is the questionnaire on the large assessment, on the asset question with the most
// rows, in a 120×40 terminal.
func bigWalker(b testing.TB) *Model {
	w := section(b, uitest.Big(b), 120, 40)
	best := 0
	for i := range w.nodes {
		if len(w.nodes[i].items) > len(w.nodes[best].items) {
			best = i
		}
	}
	w.selectNode(best)
	return w
}

// BenchmarkWalkerView renders the questionnaire on an asset question of the large
// assessment (40 assets, whole catalog answered). Budget: ≤ 4 ms.
func BenchmarkWalkerView(b *testing.B) {
	w := bigWalker(b)
	b.ResetTimer()
	for b.Loop() {
		if w.View() == "" {
			b.Fatal("empty view")
		}
	}
}

// BenchmarkWalkerNextQuestion is moving to the next question: a down key, then the view.
// Budget: ≤ 2 ms (plus the save, which is the store's).
func BenchmarkWalkerNextQuestion(b *testing.B) {
	w := bigWalker(b)
	down, up := uitest.Key("down"), uitest.Key("up")
	b.ResetTimer()
	i := 0
	for b.Loop() {
		k := down
		if i%200 >= 100 {
			k = up
		}
		i++
		w.Update(k)
		if w.View() == "" {
			b.Fatal("empty view")
		}
	}
}
