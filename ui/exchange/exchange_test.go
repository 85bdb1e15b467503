package exchange

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/xuri/excelize/v2"

	"safeguard/assessment"
	"safeguard/reports/packet"
	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/uitest"
)

// feed runs cmd and hands its message to the screen, returning the screen's next command.
func feed(t *testing.T, sc common.Screen, cmd tea.Cmd) tea.Cmd {
	t.Helper()
	msg := uitest.Run(cmd)
	if msg == nil {
		t.Fatal("the command gave no message")
	}
	_, next := sc.Update(msg)
	return next
}

// savedOf runs cmd, which must end the screen with a SavedMsg passed on below it.
func savedOf(t *testing.T, sc common.Screen, cmd tea.Cmd) common.SavedMsg {
	t.Helper()
	msg := uitest.Run(cmd)
	saved, ok := msg.(common.SavedMsg)
	if !ok {
		t.Fatalf("expected a SavedMsg, got %T %v", msg, msg)
	}
	if saved.Err != nil {
		t.Fatal(saved.Err)
	}
	sc.Update(saved)
	return saved
}

func response(t *testing.T, s *store.Store, id, q, asset string) *assessment.Response {
	t.Helper()
	snap, err := s.Snapshot(uitest.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for i := range snap.Responses {
		if r := &snap.Responses[i]; r.QuestionID == q && r.AssetID == asset {
			return r
		}
	}
	return nil
}

// TestReturnedReview: a returned questionnaire with a good answer, a bad status and a
// change; the assessor edits the bad one, rejects the change and applies.
func TestReturnedReview(t *testing.T) {
	s, id := uitest.DemoStore(t)
	e := uitest.StoreEnv(t, s)
	d := uitest.Load(t, s, id)
	p, err := s.NewPacket(uitest.Ctx, d.Analysis, assessment.PacketFilter{}, "Dana Reyes, office manager", "2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	var org []assessment.PacketItem
	for _, it := range p.Items {
		if it.AssetID == "" && len(org) < 3 {
			org = append(org, it)
		}
	}
	rec := store.NewPacketRecord(p, "dana.xlsx")
	var buf bytes.Buffer
	if err := packet.Write(&buf, p, rec.Checksum); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordPacket(uitest.Ctx, rec); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	set := func(it assessment.PacketItem, status, note string) {
		f.SetCellStr(packet.QuestionsSheet, fmt.Sprintf("E%d", it.Row), status)
		f.SetCellStr(packet.QuestionsSheet, fmt.Sprintf("F%d", it.Row), note)
	}
	set(org[0], "Not implemented", "We never did this.")
	set(org[1], "Mostly", "Sort of.")
	set(org[2], "Partially implemented", "Half of it.")
	path := filepath.Join(t.TempDir(), "returned.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	r := NewReturned(e, d)
	uitest.Sized(r, 100, 30)
	r.step.input.SetValue(path)
	next := feed(t, r, uitest.Press(r, "enter"))
	if next != nil || r.plan == nil {
		t.Fatalf("no plan: %v", r.err)
	}
	view := r.View()
	for _, want := range []string{"invalid", `"Mostly"`, "✓ apply", "✗ reject"} {
		if !strings.Contains(view, want) {
			t.Errorf("the review does not show %q:\n%s", want, view)
		}
	}
	find := func(q string) int {
		for i, row := range r.rows {
			if row.change.Item.QuestionID == q {
				return i
			}
		}
		t.Fatalf("%s is not in the review", q)
		return -1
	}
	// The invalid row cannot be accepted as it is; edited to "implemented", it is.
	r.cursor = find(org[1].QuestionID)
	uitest.Press(r, "a")
	if r.err == nil || r.rows[r.cursor].accept {
		t.Fatal("an invalid answer was accepted")
	}
	uitest.Press(r, "e")
	for r.draft != assessment.Implemented {
		uitest.Press(r, "right")
	}
	uitest.Press(r, "enter")
	if row := r.rows[r.cursor]; !row.accept || !row.edited || r.err != nil {
		t.Fatalf("the edit was not kept: %+v %v", row, r.err)
	}
	// The change is rejected.
	r.cursor = find(org[2].QuestionID)
	uitest.Press(r, "r")
	saved := savedOf(t, r, uitest.Press(r, "ctrl+s"))
	if !strings.Contains(saved.Notice, "Applied 2 answers") {
		t.Errorf("notice %q", saved.Notice)
	}
	got := response(t, s, id, org[0].QuestionID, "")
	if got == nil || got.Status != assessment.NotImplemented || got.Returned == nil || got.Returned.Respondent != "Dana Reyes, office manager" {
		t.Errorf("the accepted answer: %+v", got)
	}
	if got := response(t, s, id, org[1].QuestionID, ""); got == nil || got.Status != assessment.Implemented || got.Note != "Sort of." {
		t.Errorf("the edited answer: %+v", got)
	}
	if got := response(t, s, id, org[2].QuestionID, ""); got != nil && got.Note == "Half of it." {
		t.Errorf("the rejected answer was applied: %+v", got)
	}
}

func TestMergeReview(t *testing.T) {
	a, id := uitest.DemoStore(t)
	var buf bytes.Buffer
	m, err := a.ExportBundle(uitest.Ctx, id, "b1.sgb", nil, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.RecordBundleExport(uitest.Ctx, m, "b1.sgb"); err != nil {
		t.Fatal(err)
	}
	cat := uitest.Catalog(t)
	b1, err := store.ReadBundle(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "b1.sgb", cat)
	if err != nil {
		t.Fatal(err)
	}
	b := uitest.Store(t)
	if _, err := b.ImportBundle(uitest.Ctx, b1); err != nil {
		t.Fatal(err)
	}
	q := "308a1iia-ra-01"
	for _, side := range []struct {
		s    *store.Store
		note string
	}{{a, "mine"}, {b, "theirs"}} {
		if _, err := side.s.SaveResponse(uitest.Ctx, id, assessment.Response{QuestionID: q, Status: assessment.Partial, Note: side.note, Version: store.AnyVersion}); err != nil {
			t.Fatal(err)
		}
	}
	buf.Reset()
	if _, err := b.ExportBundle(uitest.Ctx, id, "b2.sgb", nil, &buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "b2.sgb")
	os.WriteFile(path, buf.Bytes(), 0o600)

	mr := NewMerge(uitest.StoreEnv(t, a), uitest.Load(t, a, id))
	uitest.Sized(mr, 100, 30)
	mr.step.input.SetValue(path)
	feed(t, mr, uitest.Press(mr, "enter"))
	if mr.preview == nil {
		t.Fatalf("no preview: %v", mr.err)
	}
	view := mr.View()
	if !strings.Contains(view, "C1") || !strings.Contains(view, "keep mine") || !strings.Contains(view, "theirs") {
		t.Fatalf("the review:\n%s", view)
	}
	uitest.Press(mr, "space")
	if !strings.Contains(mr.View(), "take theirs") {
		t.Error("space did not choose theirs")
	}
	savedOf(t, mr, uitest.Press(mr, "ctrl+s"))
	if r := response(t, a, id, q, ""); r.Note != "theirs" {
		t.Errorf("the conflict decided theirs: %+v", r)
	}
}

func TestBackupScreen(t *testing.T) {
	s, _ := uitest.DemoStore(t)
	e := uitest.StoreEnv(t, s)
	bk := NewBackup(e)
	uitest.Sized(bk, 80, 24)
	out := filepath.Join(t.TempDir(), "copy.db")
	bk.step.input.SetValue(out)
	// The runtime's loop: run each command and hand its message over, progress included.
	for cmd := uitest.Press(bk, "enter"); cmd != nil; {
		_, cmd = bk.Update(cmd())
	}
	if bk.result == nil {
		t.Fatalf("no result: %v", bk.err)
	}
	view := bk.View()
	if !strings.Contains(view, "The copy verified") || !strings.Contains(view, "safeguard --db "+out) {
		t.Errorf("the result:\n%s", view)
	}
	uitest.CheckFrame(t, view, 80, 24)
	// The same name again asks before overwriting.
	bk2 := NewBackup(e)
	bk2.step.input.SetValue(out)
	feed(t, bk2, uitest.Press(bk2, "enter"))
	if bk2.running || bk2.err == nil || !strings.Contains(bk2.err.Error(), "press enter again to overwrite") {
		t.Errorf("an existing file: running %v, %v", bk2.running, bk2.err)
	}
}

func TestInventoryScreen(t *testing.T) {
	s, id := uitest.DemoStore(t)
	e := uitest.StoreEnv(t, s)
	path := filepath.Join(t.TempDir(), "systems.csv")
	os.WriteFile(path, []byte("System;Hosting;Type\r\nBadge readers;on-prem;other\r\nBad row;the cloud;other\r\n"), 0o600)
	v := NewInventory(e, uitest.Load(t, s, id))
	uitest.Sized(v, 100, 30)
	v.step.input.SetValue(path)
	feed(t, v, uitest.Press(v, "enter"))
	if v.err == nil || !strings.Contains(v.View(), "line 3") {
		t.Fatalf("a bad row was not named:\n%s", v.View())
	}
	os.WriteFile(path, []byte("System;Hosting;Type\r\nBadge readers;on-prem;other\r\n"), 0o600)
	feed(t, v, uitest.Press(v, "enter"))
	if !v.planned || !strings.Contains(v.View(), "add     line 2  Badge readers") {
		t.Fatalf("the preview:\n%s", v.View())
	}
	savedOf(t, v, uitest.Press(v, "ctrl+s"))
	snap, _ := s.Snapshot(uitest.Ctx, id)
	found := false
	for _, a := range snap.Assets {
		found = found || a.Name == "Badge readers"
	}
	if !found {
		t.Error("the asset was not imported")
	}
}
