package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"safeguard/assessment"
)

// listDir names the files of a folder, for "nothing was created beside it".
func listDir(t *testing.T, dir string) string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

// fileHash is the SHA-256 of a file and of its -wal ("-" when absent or empty).
func fileHash(t *testing.T, path string) string {
	t.Helper()
	var parts []string
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil || (suffix != "" && len(b) == 0) {
			parts = append(parts, "-")
			continue
		}
		sum := sha256.Sum256(b)
		parts = append(parts, hex.EncodeToString(sum[:8]))
	}
	return strings.Join(parts, "/")
}

func TestOpenRefusesWhatIsNotAWorkspaceFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.db")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("cannot make a named pipe:", err)
	}
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	folder := filepath.Join(dir, "folder.db")
	os.Mkdir(folder, 0o700)
	cases := map[string]string{fifo: "named pipe", empty: "empty file", folder: "is a folder", "/dev/null": "is a device"}
	for path, want := range cases {
		for _, ro := range []bool{false, true} {
			before := listDir(t, dir)
			done := make(chan error, 1)
			go func() {
				_, err := Open(path, Options{ReadOnly: ro})
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("%s (read-only %v): err = %v, want %q", filepath.Base(path), ro, err, want)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("opening %s hung", path)
			}
			if after := listDir(t, dir); after != before {
				t.Errorf("%s: files were created beside it: %s -> %s", filepath.Base(path), before, after)
			}
		}
	}
	if _, err := os.Stat("/dev/null-wal"); err == nil {
		t.Error("a -wal file was created beside /dev/null")
	}
	if st, _ := os.Stat(empty); st.Size() != 0 {
		t.Error("the empty file was initialized")
	}
}

// TestReadOnlyOpenWritesNothing: a read-only open (and verify through it) leaves the
// workspace byte-for-byte as it was, takes no write lock, and refuses changes.
func TestReadOnlyOpenWritesNothing(t *testing.T) {
	s, path := openTemp(t)
	id := newAssessment(t, s)
	s.Close()
	before := fileHash(t, path)
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := ro.Verify(ctx); err != nil || !res.OK() {
		t.Fatalf("verify: %+v %v", res, err)
	}
	if _, err := ro.Snapshot(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := ro.RenameAssessment(ctx, id, "changed"); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("a read-only store accepted a change: %v", err)
	}
	ro.Close()
	if after := fileHash(t, path); after != before {
		t.Fatalf("a read-only open changed the workspace: %s -> %s", before, after)
	}

	// While another process holds the write lock for a long write, readers and the
	// TUI's (writable) opening do not wait for it.
	w, err := Open(path, Options{Actor: "writer"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	raw := rawDB(t, path)
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")
	// (Had opening waited for the lock, which is never released here, it would fail with
	// ErrBusy after the busy timeout.)
	for _, readOnly := range []bool{true, false} {
		o, err := Open(path, Options{ReadOnly: readOnly, BusyTimeout: 10 * time.Second})
		if err != nil {
			t.Fatalf("open (read-only %v) during a write: %v", readOnly, err)
		}
		if list, err := o.Assessments(ctx); err != nil || len(list) != 1 {
			t.Fatalf("list during a write: %v %v", list, err)
		}
		o.Close()
	}
}

// TestVerifyBesideAForeignLog: a -wal that is not the workspace's is refused, and neither
// checkpointed into the file nor removed.
func TestVerifyBesideAForeignLog(t *testing.T) {
	s, path := openTemp(t)
	newAssessment(t, s)
	s.Close()
	// Another workspace's log, with frames: made by a process that did not close.
	other := filepath.Join(t.TempDir(), "other.db")
	o, err := Open(other, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		newAssessment(t, o)
	}
	wal, err := os.ReadFile(other + "-wal")
	if err != nil || len(wal) == 0 {
		t.Fatalf("the other workspace has no log to borrow: %v", err)
	}
	o.Close()
	if err := os.WriteFile(path+"-wal", wal, 0o600); err != nil {
		t.Fatal(err)
	}
	before := fileHash(t, path)
	for _, readOnly := range []bool{true, false} {
		_, err := Open(path, Options{ReadOnly: readOnly})
		if err == nil || !strings.Contains(err.Error(), "belongs to another workspace") {
			t.Fatalf("open (read-only %v) beside a foreign log: %v", readOnly, err)
		}
		if after := fileHash(t, path); after != before {
			t.Fatalf("opening beside a foreign log changed the files: %s -> %s", before, after)
		}
	}
}

func TestConflictsAreRefusedAndNamed(t *testing.T) {
	s1, id, aid, _ := setup(t)
	s2, err := Open(s1.Path(), Options{Actor: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	q := firstQuestion(t, ehrQuestion)
	seen, err := s1.Snapshot(ctx, id) // what the first user's screen shows
	if err != nil {
		t.Fatal(err)
	}
	if len(seen.Responses) != 0 {
		t.Fatal("setup answered something")
	}
	// bob answers first
	theirs := assessment.Response{QuestionID: q.ID, AssetID: aid, Status: assessment.Implemented, Note: "bob's note"}
	if _, err := s2.SaveResponse(ctx, id, theirs); err != nil {
		t.Fatal(err)
	}
	// the first user saves over the answer they did not see
	mine := assessment.Response{QuestionID: q.ID, AssetID: aid, Status: assessment.NotImplemented, Note: "mine"}
	_, err = s1.SaveResponse(ctx, id, mine)
	var c *ConflictError
	if !errors.As(err, &c) || !errors.Is(err, ErrConflict) {
		t.Fatalf("save over an unseen answer: %v, want a conflict", err)
	}
	if c.By != "bob" || c.At.IsZero() || !strings.Contains(err.Error(), "bob") || !strings.Contains(err.Error(), q.ID) {
		t.Errorf("conflict does not say who and when: %+v %q", c, err)
	}
	if got, ok := c.Theirs.(assessment.Response); !ok || got.Note != "bob's note" {
		t.Errorf("conflict carries %#v, want bob's answer", c.Theirs)
	}
	// nothing was saved
	now, _ := s1.Snapshot(ctx, id)
	if len(now.Responses) != 1 || now.Responses[0].Note != "bob's note" {
		t.Fatalf("the refused save changed the answer: %+v", now.Responses)
	}
	// with the version now shown, the save goes through; saving again before reloading is
	// not a conflict with oneself
	mine.Version = now.Responses[0].Version
	if _, err := s1.SaveResponse(ctx, id, mine); err != nil {
		t.Fatalf("save with the current version: %v", err)
	}
	mine.Note = "mine, edited"
	if _, err := s1.SaveResponse(ctx, id, mine); err != nil {
		t.Fatalf("a second save of one's own answer: %v", err)
	}
	// bob, still on the old version, is refused in turn; clearing too
	theirs.Version = now.Responses[0].Version
	if _, err := s2.SaveResponse(ctx, id, theirs); !errors.Is(err, ErrConflict) {
		t.Fatalf("bob's stale save: %v", err)
	}
	if err := s2.ClearResponse(ctx, id, q.ID, aid, theirs.Version); !errors.Is(err, ErrConflict) {
		t.Fatalf("bob's stale clear: %v", err)
	}
	// an outright set (a command) replaces whatever is there
	theirs.Version, theirs.Status = AnyVersion, assessment.NotImplemented
	if _, err := s2.SaveResponse(ctx, id, theirs); err != nil {
		t.Fatalf("AnyVersion: %v", err)
	}

	// overrides
	o := assessment.Override{QuestionID: q.ID, AssetID: aid, Owner: "customer", Reason: "we run it"}
	if err := s2.SetOverride(ctx, id, o); err != nil {
		t.Fatal(err)
	}
	if err := s1.SetOverride(ctx, id, assessment.Override{QuestionID: q.ID, AssetID: aid, Owner: "shared", Reason: "mine"}); !errors.Is(err, ErrConflict) {
		t.Fatalf("override over an unseen one: %v", err)
	}
	if err := s1.ClearOverride(ctx, id, q.ID, aid, 0); !errors.Is(err, ErrConflict) {
		t.Fatalf("clearing an unseen override: %v", err)
	}

	// risks
	snap, _ := s1.Snapshot(ctx, id)
	if len(snap.Risks) == 0 {
		t.Fatal("the gap proposed no risk")
	}
	r := snap.Risks[0]
	theirsRisk := r
	theirsRisk.Title = "bob's title"
	if _, err := s2.SaveRisk(ctx, id, theirsRisk); err != nil {
		t.Fatal(err)
	}
	r.Rationale = "mine"
	_, err = s1.SaveRisk(ctx, id, r)
	if !errors.As(err, &c) {
		t.Fatalf("risk edit over an unseen change: %v", err)
	}
	if got, ok := c.Theirs.(assessment.Risk); !ok || got.Title != "bob's title" {
		t.Errorf("risk conflict carries %#v", c.Theirs)
	}
	if res := mustVerify(t, s1); !res.OK() {
		t.Fatal(res.Problems)
	}
}

func TestChangedSeesOtherProcessesOnly(t *testing.T) {
	s1, path := openTemp(t)
	id := newAssessment(t, s1)
	if ch, err := s1.Changed(ctx); err != nil || ch {
		t.Fatalf("first call: %v %v", ch, err)
	}
	if err := s1.RenameAssessment(ctx, id, "own change"); err != nil {
		t.Fatal(err)
	}
	if ch, _ := s1.Changed(ctx); ch {
		t.Error("an own change was reported as another's")
	}
	s2, err := Open(path, Options{Actor: "other"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := s2.RenameAssessment(ctx, id, "their change"); err != nil {
		t.Fatal(err)
	}
	if ch, _ := s1.Changed(ctx); !ch {
		t.Error("another connection's change was not noticed")
	}
	if ch, _ := s1.Changed(ctx); ch {
		t.Error("the same change was reported twice")
	}
}

// TestWriterWaitsInsteadOfFailing: a write that meets another's write waits for it (up
// to the busy timeout) instead of failing with "database is locked".
func TestWriterWaitsInsteadOfFailing(t *testing.T) {
	s, path := openTemp(t)
	id := newAssessment(t, s)
	raw := rawDB(t, path)
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(1500 * time.Millisecond)
		conn.ExecContext(ctx, "ROLLBACK")
	}()
	start := time.Now()
	if err := s.RenameAssessment(ctx, id, "after the wait"); err != nil {
		t.Fatalf("a write that waited %v failed: %v", time.Since(start), err)
	}
	if time.Since(start) < time.Second {
		t.Errorf("the write did not wait for the lock (%v)", time.Since(start))
	}
}

// TestUncleanCloseIsChecked: when the previous session left its log (a crash) and nobody
// has the workspace open, SQLite's quick_check runs before anything else: a file damaged
// in the crash is refused as damaged, and an undamaged one opens with its log recovered.
func TestUncleanCloseIsChecked(t *testing.T) {
	s, path := openTemp(t)
	id := newAssessment(t, s)
	s.checkpoint(ctx)
	answerSome(t, s, id, 4, "after the checkpoint") // in the log only
	crashed := copyWorkspace(t, path, t.TempDir())  // as a power cut leaves the files
	if !walLeftBehind(crashed) {
		t.Fatal("a copied log is not taken as left behind")
	}
	ok, err := Open(crashed, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("an undamaged workspace after a crash: %v", err)
	}
	snap, _ := ok.Snapshot(ctx, id)
	ok.Close()
	if len(snap.Responses) != 4 {
		t.Fatalf("the committed answers in the log were not recovered: %d", len(snap.Responses))
	}

	damaged := copyWorkspace(t, path, t.TempDir())
	// Damage a b-tree page the log does not replace: an index of the file's own pages.
	db := rawDB(t, path)
	var root, pageSize int64
	db.QueryRow("SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master WHERE name = 'evidence_sha256'").Scan(&root, &pageSize)
	db.Close()
	f, err := os.OpenFile(damaged, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte{0x0d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, (root-1)*pageSize)
	f.Close()
	_, err = Open(damaged, Options{ReadOnly: true})
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("a damaged workspace after a crash: %v", err)
	}
	// The check runs only after an unclean close: the same damage in a file closed
	// cleanly opens (and verify, which reads everything, finds it).
	os.Remove(damaged + "-wal")
	o, err := Open(damaged, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("quick_check ran on a cleanly closed workspace: %v", err)
	}
	o.Close()
}
