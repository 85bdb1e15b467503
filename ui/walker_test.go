package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
)

// wkDemoData is the demo assessment as the walker receives it.
func wkDemoData(tb testing.TB) *assessData {
	tb.Helper()
	cat, err := controls.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return buildData(assessment.SnapshotOf(assessment.Demo(cat, fixedTime), cat), fixedTime)
}

// wkNew builds a walker on d sized like its section in a width×height terminal (the app
// and the shell take three lines each).
func wkNew(tb testing.TB, d *assessData, width, height int) *walker {
	tb.Helper()
	e := &env{ctx: testCtx, catalog: d.cat(), keys: newKeyMap()}
	w := newWalker(e)
	w.SetStyles(newStyles(true, true))
	w.SetSize(width, height-6)
	w.SetData(d)
	return w
}

// wkStored imports the demo into a real store and returns the walker on it.
func wkStored(t *testing.T) (*walker, *store.Store, string) {
	t.Helper()
	s := testStore(t)
	cat, _ := controls.Default()
	id, err := s.Import(testCtx, assessment.Demo(cat, fixedTime), store.ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	w := wkNew(t, wkLoad(t, s, id), 120, 40)
	w.e.store = s
	return w, s, id
}

func wkLoad(t *testing.T, s *store.Store, id string) *assessData {
	t.Helper()
	snap, err := s.Snapshot(testCtx, id)
	if err != nil {
		t.Fatal(err)
	}
	return buildData(snap, fixedTime)
}

func wkKey(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	return tea.KeyPressMsg{Code: rune(k[0]), Text: k}
}

// wkPress sends keys and returns the last command.
func wkPress(w *walker, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = w.Update(wkKey(k))
	}
	return cmd
}

// wkType types text into the search box.
func wkType(w *walker, s string) {
	for _, r := range s {
		w.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// wkFind jumps to a question through the search box.
func wkFind(t *testing.T, w *walker, qid string) {
	t.Helper()
	wkPress(w, "/")
	wkType(w, qid)
	wkPress(w, "enter")
	if n := w.node(); n == nil || n.kind != wkQuestion || n.q.ID != qid {
		t.Fatalf("search for %s did not land on it", qid)
	}
}

// wkFirstItem finds the first item satisfying ok.
func wkFirstItem(t testing.TB, d *assessData, ok func(assessment.Item, *assessment.Response) bool) assessment.Item {
	t.Helper()
	for _, it := range d.items {
		if ok(it, d.resp[it.Key()]) {
			return it
		}
	}
	t.Fatal("no item fits")
	return assessment.Item{}
}

func wkNoticeOf(t *testing.T, cmd tea.Cmd) string {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	m, ok := cmd().(noticeMsg)
	if !ok {
		t.Fatalf("expected a notice, got %T", cmd())
	}
	return string(m)
}

// checkFrame checks every line fits the width and the view fills no more than height.
func wkCheckFrame(t *testing.T, view string, width, height int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > height {
		t.Fatalf("view has %d lines, more than %d:\n%s", len(lines), height, ansi.Strip(view))
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Fatalf("line is %d wide, more than %d: %q", w, width, ansi.Strip(l))
		}
	}
}

func TestWalkerResumesAfterLatestAnswer(t *testing.T) {
	d := wkDemoData(t)
	latest := -1
	for ix, it := range d.items {
		if r := d.resp[it.Key()]; r != nil && (latest < 0 || r.At.After(d.resp[d.items[latest].Key()].At)) {
			latest = ix
		}
	}
	want := assessment.ItemKey{}
	if latest+1 < len(d.items) {
		want = d.items[latest+1].Key()
	} else {
		want = wkFirstItem(t, d, func(_ assessment.Item, r *assessment.Response) bool { return r == nil }).Key()
	}
	w := wkNew(t, d, 120, 40)
	check := func() {
		t.Helper()
		if it, ok := w.curItem(); !ok || it.Key() != want {
			t.Fatalf("resumed at %+v, want %+v (the item after the latest answer)", it.Key(), want)
		}
	}
	check()
	// Not at the end: the very next item.
	d.resp[d.items[latest].Key()].At = d.resp[d.items[0].Key()].At.Add(-time.Hour)
	latest = 0
	for ix, it := range d.items {
		if r := d.resp[it.Key()]; r != nil && r.At.After(d.resp[d.items[latest].Key()].At) {
			latest = ix
		}
	}
	// (d.resp points into the snapshot's responses, which the walker reads.)
	want = d.items[latest+1].Key()
	w = wkNew(t, d, 120, 40)
	check()
}

func TestWalkerTreeCountsEveryItem(t *testing.T) {
	d := wkDemoData(t)
	w := wkNew(t, d, 120, 40)
	var total, answered int
	for _, i := range w.nodes {
		if i.kind == wkSafeguard {
			total += i.counts.applicable
			answered += i.counts.answered()
		}
	}
	want := 0
	for _, it := range d.items {
		if r := d.resp[it.Key()]; r != nil && wkAnswered(r.Status) {
			want++
		}
	}
	if total != len(d.items) || answered != want {
		t.Fatalf("tree counts %d/%d, want %d/%d", answered, total, want, len(d.items))
	}
	// A specification's count is the sum of its questions'.
	for i := range w.nodes {
		n := &w.nodes[i]
		if n.kind != wkSpec {
			continue
		}
		sum := 0
		for j := i + 1; j < n.end; j++ {
			sum += w.nodes[j].counts.applicable
		}
		if sum != n.counts.applicable {
			t.Fatalf("%s counts %d, its questions %d", n.cite, n.counts.applicable, sum)
		}
	}
	if !strings.Contains(ansi.Strip(w.View()), fmt.Sprintf("%d/%d", w.nodes[w.vis[w.treeOff]].counts.answered(), w.nodes[w.vis[w.treeOff]].counts.applicable)) {
		t.Fatal("the tree does not show answered/applicable on its rows")
	}
}

func TestWalkerMovesAndFolds(t *testing.T) {
	w := wkNew(t, wkDemoData(t), 120, 40)
	wkPress(w, "g")
	if w.cur != 0 || w.nodes[0].kind != wkSafeguard {
		t.Fatal("g does not go to the first safeguard")
	}
	wkPress(w, "left") // fold the safeguard
	if !w.folded[w.nodes[0].key] || len(w.vis) < 2 || w.vis[1] != w.nodes[0].end {
		t.Fatal("← on an open group does not fold it")
	}
	wkPress(w, "enter") // unfold
	if w.folded[w.nodes[0].key] {
		t.Fatal("enter on a folded group does not open it")
	}
	wkPress(w, "j", "j", "j") // safeguard → standard → spec/self → first question
	if w.node().kind != wkQuestion {
		t.Fatalf("three steps down land on %v, not a question", w.node().kind)
	}
	wkPress(w, "right")
	if w.focus != wkFocusRows {
		t.Fatal("→ on a question does not move into the answer rows")
	}
	if !w.Back() || w.focus != wkFocusTree {
		t.Fatal("esc does not bring the focus back to the tree")
	}
	wkPress(w, "space")
	if !w.folded[w.node().key] || w.node().kind == wkQuestion {
		t.Fatal("space on a question does not fold its group")
	}
}

func TestWalkerAnswerSavesAndProposesRisks(t *testing.T) {
	w, s, id := wkStored(t)
	it := wkFirstItem(t, w.data, func(it assessment.Item, r *assessment.Response) bool {
		return it.Asset != nil && r == nil && len(it.Question.Vulnerabilities) > 0
	})
	wkFind(t, w, it.Question.ID)
	for w.data.items[w.node().items[w.row]].Key() != it.Key() {
		w.row++
	}
	wkPress(w, "right")
	_, cmd := w.Update(wkKey("x"))
	msg, ok := cmd().(savedMsg)
	if !ok || msg.err != nil {
		t.Fatalf("x did not save: %+v", msg)
	}
	if !strings.Contains(msg.notice, "Saved not implemented for "+it.Asset.Name) || !strings.Contains(msg.notice, "risk") {
		t.Fatalf("notice %q does not say what was saved and the risks proposed", msg.notice)
	}
	d := wkLoad(t, s, id)
	if r := d.resp[it.Key()]; r == nil || r.Status != assessment.NotImplemented {
		t.Fatalf("store holds %+v", r)
	}
	w.SetData(d)
	// Backspace clears it again.
	w.row = 0
	for w.data.items[w.node().items[w.row]].Key() != it.Key() {
		w.row++
	}
	if msg := wkPress(w, "backspace")().(savedMsg); msg.err != nil || !strings.Contains(msg.notice, "Cleared") {
		t.Fatalf("backspace: %+v", msg)
	}
	if d := wkLoad(t, s, id); d.resp[it.Key()] != nil {
		t.Fatal("backspace did not clear the answer")
	}
}

func TestWalkerNewAnswerClearsRevalidate(t *testing.T) {
	w, s, id := wkStored(t)
	it := wkFirstItem(t, w.data, func(it assessment.Item, r *assessment.Response) bool { return it.Asset == nil && r != nil })
	// Mark it carried over, as a new revision would.
	w.data.resp[it.Key()].Revalidate = true
	wkCount(w.nodes, w.data, w.filter)
	wkFind(t, w, it.Question.ID)
	if v := ansi.Strip(w.View()); !strings.Contains(v, "re-validate") || !strings.Contains(v, "Carried over") {
		t.Fatalf("a carried-over answer is not marked:\n%s", v)
	}
	if msg := wkPress(w, "i")().(savedMsg); msg.err != nil {
		t.Fatal(msg.err)
	}
	if r := wkLoad(t, s, id).resp[it.Key()]; r == nil || r.Revalidate || r.Status != assessment.Implemented {
		t.Fatalf("after answering: %+v", r)
	}
}

func TestWalkerFinalIsReadOnly(t *testing.T) {
	d := wkDemoData(t)
	d.snap.Assessment.Status = assessment.StatusFinal
	w := wkNew(t, d, 120, 40)
	for _, k := range []string{"i", "p", "x", "f", "n", "backspace", "e", "d", "o", "a"} {
		if n := wkNoticeOf(t, wkPress(w, k)); !strings.Contains(n, "read-only") {
			t.Fatalf("%s on a final assessment: %q", k, n)
		}
	}
}

func TestWalkerDialogs(t *testing.T) {
	d := wkDemoData(t)
	w := wkNew(t, d, 120, 40)
	addr := wkFirstItem(t, d, func(it assessment.Item, _ *assessment.Response) bool { return wkAddressable(d.cat(), it.Question) })
	req := wkFirstItem(t, d, func(it assessment.Item, _ *assessment.Response) bool {
		return it.Question.Specification != "" && !wkAddressable(d.cat(), it.Question)
	})
	std := wkFirstItem(t, d, func(it assessment.Item, _ *assessment.Response) bool { return it.Question.Specification == "" })
	wkFind(t, w, req.Question.ID)
	if n := wkNoticeOf(t, wkPress(w, "d")); !strings.Contains(n, "required specification") {
		t.Fatalf("d on a required specification: %q", n)
	}
	wkFind(t, w, std.Question.ID)
	if n := wkNoticeOf(t, wkPress(w, "d")); !strings.Contains(n, "standard") {
		t.Fatalf("d on a standard: %q", n)
	}
	wkFind(t, w, addr.Question.ID)
	for _, k := range []string{"d", "n", "e", "o", "a"} {
		cmd := wkPress(w, k)
		if cmd == nil {
			t.Fatalf("%s opens nothing", k)
		}
		p, ok := cmd().(pushMsg)
		if !ok {
			t.Fatalf("%s does not push a form", k)
		}
		f := p.s.(*formScreen)
		f.SetStyles(w.styles)
		f.SetSize(120, 34)
		if v := ansi.Strip(f.View()); !strings.Contains(v, addr.Question.ID) {
			t.Fatalf("the %s form does not say which question it is about:\n%s", k, v)
		}
	}
}

func TestWalkerFilters(t *testing.T) {
	d := wkDemoData(t)
	w := wkNew(t, d, 120, 40)
	for f := wkFilter(1); f < wkFilterCount; f++ {
		n := wkNoticeOf(t, wkPress(w, "F"))
		if w.filter != f || !strings.Contains(n, wkFilterLabels[f]) {
			t.Fatalf("F gave filter %d (%q), want %d", w.filter, n, f)
		}
		for _, i := range w.vis {
			if w.nodes[i].counts.match == 0 {
				t.Fatalf("filter %s shows %s with nothing matching", wkFilterLabels[f], w.nodes[i].cite)
			}
		}
		if f == wkGaps {
			for _, i := range w.vis {
				n := &w.nodes[i]
				if n.kind == wkQuestion && n.counts.partial+n.counts.notImpl != n.counts.match {
					t.Fatalf("gap count of %s is %d, want %d", n.cite, n.counts.match, n.counts.partial+n.counts.notImpl)
				}
			}
		}
		// Moving stays inside the filter.
		wkPress(w, "j", "j", "j")
		if w.visPos(w.cur) < 0 {
			t.Fatal("the cursor left the filtered tree")
		}
	}
	wkPress(w, "F")
	if w.filter != wkAll {
		t.Fatal("F does not cycle back to all questions")
	}
	wkPress(w, "F")
	if !w.Back() || w.filter != wkAll {
		t.Fatal("esc does not clear the filter")
	}
	if w.Back() {
		t.Fatal("esc with nothing to close should leave the assessment")
	}
}

func TestWalkerSearch(t *testing.T) {
	d := wkDemoData(t)
	w := wkNew(t, d, 80, 24)
	wkPress(w, "/")
	if !w.Typing() {
		t.Fatal("the search box does not take the keys")
	}
	wkType(w, "ENCRYPT Laptop")
	if len(w.search.results) == 0 {
		t.Fatal("no result for words in any case")
	}
	for _, i := range w.search.results {
		if h := w.nodes[i].hay; !strings.Contains(h, "encrypt") || !strings.Contains(h, "laptop") {
			t.Fatalf("%s does not contain every word", w.nodes[i].cite)
		}
	}
	golden(t, "walker_search_80x24", w.View())
	wkPress(w, "down", "enter")
	if w.Typing() || w.node().kind != wkQuestion {
		t.Fatal("enter does not jump to the result")
	}
	// An exact ID comes first.
	target := d.items[len(d.items)/2].Question.ID
	wkPress(w, "/")
	wkType(w, strings.ToUpper(target))
	if w.nodes[w.search.results[0]].cite != target {
		t.Fatalf("searching %s lists %s first", target, w.nodes[w.search.results[0]].cite)
	}
	wkPress(w, "esc")
	if w.search != nil {
		t.Fatal("esc does not close the search")
	}
}

func TestWalkerNextUnanswered(t *testing.T) {
	d := wkDemoData(t)
	w := wkNew(t, d, 120, 40)
	seen := map[assessment.ItemKey]bool{}
	for range 5 {
		wkPress(w, "]")
		it, ok := w.curItem()
		if !ok {
			t.Fatal("] did not land on a question")
		}
		if r := d.resp[it.Key()]; r != nil && wkAnswered(r.Status) {
			t.Fatalf("] landed on answered item %+v", it.Key())
		}
		if seen[it.Key()] {
			t.Fatalf("] visited %+v twice", it.Key())
		}
		seen[it.Key()] = true
	}
	before, _ := w.curItem()
	wkPress(w, "[")
	after, _ := w.curItem()
	if d.index[after.Key()] >= d.index[before.Key()] {
		t.Fatal("[ does not go back")
	}
	// Under a filter that hides unanswered items, ] shows everything again.
	w.setFilter(wkGaps)
	if n := wkNoticeOf(t, wkPress(w, "]")); !strings.Contains(n, "all questions") || w.filter != wkAll {
		t.Fatalf("] under the gaps filter: %q", n)
	}
}

func TestWalkerMouse(t *testing.T) {
	w := wkNew(t, wkDemoData(t), 120, 40)
	w.View()
	target := w.vis[w.treeOff+3]
	w.Update(tea.MouseClickMsg{X: 5, Y: wkTop + 1 + 3, Button: tea.MouseLeft})
	if w.cur != target {
		t.Fatalf("click selected node %d, want %d", w.cur, target)
	}
	off := w.treeOff
	w.Update(tea.MouseWheelMsg{X: 5, Y: wkTop + 5, Button: tea.MouseWheelDown})
	if w.treeOff <= off {
		t.Fatal("the wheel does not scroll the tree")
	}
	// Click an answer row of an asset question.
	it := wkFirstItem(t, w.data, func(it assessment.Item, _ *assessment.Response) bool { return it.Asset != nil })
	wkFind(t, w, it.Question.ID)
	w.View()
	if w.rowsY < 0 || w.rowsN < 2 {
		t.Fatal("no answer rows drawn")
	}
	w.Update(tea.MouseClickMsg{X: w.treeW + 5, Y: wkTop + w.rowsY + 1, Button: tea.MouseLeft})
	if w.row != w.rowOff+1 || w.focus != wkFocusRows {
		t.Fatalf("click on the second answer row gave row %d, focus %v", w.row, w.focus)
	}
}

func TestWalkerViews(t *testing.T) {
	d := wkDemoData(t)
	asset := wkFirstItem(t, d, func(it assessment.Item, _ *assessment.Response) bool {
		return it.Asset != nil && len(d.flags[it.Key()]) > 0 && wkAddressable(d.cat(), it.Question) &&
			it.Question.DefaultOwner(it.Asset.Hosting) == controls.OwnerProvider
	})
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		name := fmt.Sprintf("%dx%d", sz[0], sz[1])
		w := wkNew(t, d, sz[0], sz[1])
		v := w.View()
		wkCheckFrame(t, v, sz[0], sz[1]-6)
		golden(t, "walker_resume_"+name, v)
		wkFind(t, w, asset.Question.ID)
		for w.data.items[w.node().items[w.row]].Key() != asset.Key() {
			wkPress(w, "right", "down")
		}
		v = w.View()
		wkCheckFrame(t, v, sz[0], sz[1]-6)
		for _, want := range []string{wkCite(asset.Question.Specification), "Addressable", asset.Asset.Name[:8], "⚠", "provider"} {
			if !strings.Contains(v, want) {
				t.Fatalf("the asset question at %s lacks %q:\n%s", name, want, ansi.Strip(v))
			}
		}
		golden(t, "walker_asset_"+name, v)
		wkPress(w, "left", "left") // back to the tree, then up to the specification
		v = w.View()
		wkCheckFrame(t, v, sz[0], sz[1]-6)
		if !strings.Contains(v, "answered (") {
			t.Fatalf("the group overview lacks its progress:\n%s", ansi.Strip(v))
		}
	}
	// The narrow layout shows the tree on t.
	w := wkNew(t, d, 80, 24)
	wkPress(w, "t")
	if v := ansi.Strip(w.View()); !strings.Contains(v, "Safeguards") || !strings.Contains(v, "▾") {
		t.Fatalf("t does not show the tree:\n%s", v)
	}
	if !w.Back() || w.tree {
		t.Fatal("esc does not close the tree")
	}
}

func TestWalkerProposedBadgeAndKeyActivity(t *testing.T) {
	cat, _ := controls.Default()
	snap := assessment.SnapshotOf(assessment.Demo(cat, fixedTime), cat)
	snap.Profile.IncludeProposed = true
	d := buildData(snap, fixedTime)
	w := wkNew(t, d, 120, 40)
	it := wkFirstItem(t, d, func(it assessment.Item, _ *assessment.Response) bool { return it.Question.Proposed })
	wkFind(t, w, it.Question.ID)
	w.paneOff = 1000 // scroll to the end of the details
	v := ansi.Strip(w.View())
	if !strings.Contains(v, "proposed rule — not law") {
		t.Fatalf("no proposed-rule badge:\n%s", v)
	}
	ka := it.Question.KeyActivities[0]
	if !strings.Contains(v, strings.TrimPrefix(ka, "KA_")) || !strings.Contains(v, cat.KeyActivityTitle(ka)[:20]) {
		t.Fatalf("the key activity %s is not shown:\n%s", ka, v)
	}
}

func TestWalkerEmptyAssessment(t *testing.T) {
	cat, _ := controls.Default()
	for _, snap := range []*assessment.Snapshot{
		{Assessment: assessment.Assessment{ID: "new", Title: "New"}, Catalog: cat},
		{Assessment: assessment.Assessment{ID: "none", Title: "None"}},
	} {
		w := wkNew(t, buildData(snap, fixedTime), 80, 24)
		wkPress(w, "j", "]", "i", "right", "F", "d", "/", "x", "enter")
		wkCheckFrame(t, w.View(), 80, 18)
	}
}

func TestWalkerKeysHaveHelp(t *testing.T) {
	w := wkNew(t, wkDemoData(t), 80, 24)
	for _, group := range w.Keys().full {
		for _, b := range group {
			if b.Help().Key == "" || b.Help().Desc == "" {
				t.Fatalf("binding %v has no help", b.Keys())
			}
		}
	}
}

// wkBigData is the benchmark's assessment, built like assessment's bigSnapshot: the whole
// catalog, 40 in-scope assets of every kind and hosting model, eight vendors in mixed BAA
// and attestation states, and every applicable item answered.
func wkBigData(tb testing.TB) *assessData {
	tb.Helper()
	cat, err := controls.Default()
	if err != nil {
		tb.Fatal(err)
	}
	s := &assessment.Snapshot{
		Assessment: assessment.Assessment{ID: "big", Title: "Big", Organization: "Big Health", Status: assessment.StatusDraft},
		Profile:    assessment.Profile{EntityType: assessment.EntityClearinghouse, Part2Program: true, IncludeProposed: true, Matrix: assessment.MatrixNIST5x5},
		Catalog:    cat,
	}
	baas := []assessment.BAAStatus{assessment.BAASigned, assessment.BAASigned, assessment.BAARequested, assessment.BAAExpired, assessment.BAANone, assessment.BAASigned, assessment.BAASigned, assessment.BAASigned}
	for i := range 8 {
		v := assessment.Vendor{ID: fmt.Sprintf("v%d", i), Name: fmt.Sprintf("Vendor %d", i), BAA: baas[i]}
		if i%3 != 0 {
			v.Attestations = []assessment.Attestation{{Kind: assessment.AttSOC2Type2, Expires: "2027-12-31"}}
		}
		s.Vendors = append(s.Vendors, v)
	}
	for i := range 40 {
		h := controls.Hostings[i%len(controls.Hostings)]
		a := assessment.Asset{
			ID: fmt.Sprintf("a%02d", i), Name: fmt.Sprintf("Asset %02d", i),
			Kind: cat.AssetKinds[i%len(cat.AssetKinds)].ID, Hosting: h,
			EPHI: true, Part2: i%7 == 0, InScope: true,
		}
		if h != controls.OnPrem && i%13 != 0 {
			a.VendorID = s.Vendors[i%len(s.Vendors)].ID
		}
		s.Assets = append(s.Assets, a)
	}
	statuses := []assessment.ResponseStatus{assessment.Implemented, assessment.Implemented, assessment.Partial, assessment.NotImplemented, assessment.NotApplicable, assessment.Flagged, assessment.Implemented}
	for i, it := range s.Items() {
		r := assessment.Response{QuestionID: it.Question.ID, Status: statuses[i%len(statuses)], By: "bench", At: fixedTime, Note: "Checked on site."}
		if it.Asset != nil {
			r.AssetID = it.Asset.ID
		}
		if r.Status == assessment.NotApplicable {
			r.Reason = "Not used here."
		}
		if wkAddressable(cat, it.Question) {
			r.Decision, r.DecisionText, r.Reason = assessment.DecisionAlternative, "Documented alternative.", "The specification as written does not fit."
		}
		r.Revalidate = i%11 == 0
		s.Responses = append(s.Responses, r)
		if i%17 == 0 && it.Asset != nil {
			s.Overrides = append(s.Overrides, assessment.Override{QuestionID: it.Question.ID, AssetID: it.Asset.ID, Owner: controls.OwnerShared, Reason: "Split duty."})
		}
	}
	return buildData(s, fixedTime)
}

// wkBigWalker is a walker on the big assessment, on the asset question with the most rows,
// in a 120×40 terminal.
func wkBigWalker(b testing.TB) *walker {
	d := wkBigData(b)
	w := wkNew(b, d, 120, 40)
	best := 0
	for i := range w.nodes {
		if len(w.nodes[i].items) > len(w.nodes[best].items) {
			best = i
		}
	}
	w.selectNode(best)
	return w
}

// BenchmarkWalkerView renders the questionnaire on an asset question of the big
// assessment (40 assets, whole catalog answered). Budget (issue 5): ≤ 4 ms.
func BenchmarkWalkerView(b *testing.B) {
	w := wkBigWalker(b)
	b.ResetTimer()
	for b.Loop() {
		if w.View() == "" {
			b.Fatal("empty view")
		}
	}
}

// BenchmarkWalkerNextQuestion is moving to the next question: a down key, then the view.
// Budget (issue 5): ≤ 2 ms (plus the save, which is the store's).
func BenchmarkWalkerNextQuestion(b *testing.B) {
	w := wkBigWalker(b)
	down, up := wkKey("down"), wkKey("up")
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
