package store

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"safeguard/assessment"
	"safeguard/controls"
	"strings"
	"testing"
	"time"
)

var ctx = context.Background()

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ws.db")
	s, err := Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func newAssessment(t *testing.T, s *Store) string {
	t.Helper()
	a, err := s.CreateAssessment(ctx, NewAssessment{Title: "Annual risk analysis", Organization: "Maple Clinic", CatalogVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

func auditCount(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM audit_log").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// rawDB opens the workspace behind the store's back, as a tamperer would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestMigrateFromEmptyAndReopen(t *testing.T) {
	t.Parallel()
	s, path := openTemp(t)
	id := newAssessment(t, s)
	s.Close()
	for i := 0; i < 2; i++ {
		s2, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		var v int
		if err := s2.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != SchemaVersion() {
			t.Fatalf("user_version = %d (%v), want %d", v, err, SchemaVersion())
		}
		if _, err := s2.Assessment(ctx, id); err != nil {
			t.Fatalf("assessment lost after reopen: %v", err)
		}
		s2.Close()
	}
}

func TestWorkspaceSettings(t *testing.T) {
	t.Parallel()
	s, path := openTemp(t)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("workspace mode %v, want 0600", st.Mode().Perm())
	}
	for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "synchronous": "2"} {
		var got string
		if err := s.db.QueryRow("PRAGMA " + pragma).Scan(&got); err != nil || got != want {
			t.Errorf("PRAGMA %s = %q (%v), want %q", pragma, got, err, want)
		}
	}
}

func TestCreateDirIsOwnerOnly(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a", "b")
	s, err := Open(filepath.Join(dir, "ws.db"), Options{CreateDir: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	st, err := os.Stat(dir)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("folder mode %v (%v), want 0700", st.Mode().Perm(), err)
	}
}

func TestMissingFolderIsRefused(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nope", "ws.db")
	_, err := Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("err = %v, want a missing-folder error", err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Fatal("the missing folder was created")
	}
}

func TestRefusalsLeaveFileUnchanged(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	newer := filepath.Join(dir, "newer.db")
	s, err := Open(newer, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db := rawDB(t, newer)
	mustExec(t, db, "PRAGMA user_version = 999")
	db.Close()

	truncated := filepath.Join(dir, "trunc.db")
	s, err = Open(truncated, Options{})
	if err != nil {
		t.Fatal(err)
	}
	newAssessment(t, s)
	s.Close()
	b, _ := os.ReadFile(truncated)
	os.WriteFile(truncated, b[:len(b)/2], 0o600)

	foreign := filepath.Join(dir, "foreign.db")
	db = rawDB(t, foreign)
	mustExec(t, db, "CREATE TABLE notes (x TEXT)")
	db.Close()

	notDB := filepath.Join(dir, "text.db")
	os.WriteFile(notDB, []byte("hello, this is not a database at all, just some text\n"), 0o600)

	cases := map[string]string{newer: "newer safeguard", truncated: "damaged", foreign: "another program", notDB: "not an SQLite database"}
	for path, want := range cases {
		before, _ := os.ReadFile(path)
		_, err := Open(path, Options{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", filepath.Base(path), err, want)
		}
		after, _ := os.ReadFile(path)
		if !bytes.Equal(before, after) {
			t.Errorf("%s: refused file was modified", filepath.Base(path))
		}
		if _, err := os.Stat(path + "-wal"); err == nil {
			t.Errorf("%s: a -wal file was left behind", filepath.Base(path))
		}
	}
}

func TestEachMutationAddsOneAuditEntry(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	id := newAssessment(t, s)
	// The first change also gives the workspace its identity, audited as a setting.
	if n := auditCount(t, s); n != 2 {
		t.Fatalf("after create: %d entries, want 2 (identity, assessment)", n)
	}
	if ws, err := s.Identity(ctx); err != nil || len(ws) != 36 {
		t.Fatalf("identity %q %v", ws, err)
	}
	if err := s.RenameAssessment(ctx, id, "Renamed"); err != nil {
		t.Fatal(err)
	}
	if n := auditCount(t, s); n != 3 {
		t.Fatalf("after rename: %d entries, want 3", n)
	}
	if err := s.DeleteAssessment(ctx, id); err != nil {
		t.Fatal(err)
	}
	if n := auditCount(t, s); n != 4 {
		t.Fatalf("after delete: %d entries, want 4", n)
	}
	var payload, actor string
	if err := s.db.QueryRow("SELECT payload, actor FROM audit_log WHERE seq = 3").Scan(&payload, &actor); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(payload, `"title":"Renamed"`) || actor != "tester" {
		t.Errorf("rename entry payload %s actor %s: want the full new state and the actor", payload, actor)
	}
	// A refused mutation writes nothing.
	if err := s.RenameAssessment(ctx, id, "x"); err == nil {
		t.Fatal("renaming a deleted assessment succeeded")
	}
	if err := s.RenameAssessment(ctx, newAssessment(t, s), "  "); err == nil {
		t.Fatal("an empty title was accepted")
	}
	if n := auditCount(t, s); n != 5 {
		t.Fatalf("after refused changes: %d entries, want 5", n)
	}
}

func TestAuditTableIsAppendOnly(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	newAssessment(t, s)
	if _, err := s.db.Exec("UPDATE audit_log SET actor = 'mallory'"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("UPDATE on audit_log: err = %v, want refusal", err)
	}
	if _, err := s.db.Exec("DELETE FROM audit_log"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("DELETE on audit_log: err = %v, want refusal", err)
	}
}

func TestVerifyCleanWorkspace(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	id := newAssessment(t, s)
	s.RenameAssessment(ctx, id, "Second title")
	s.DeleteAssessment(ctx, newAssessment(t, s))
	res, err := s.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || res.Entries != 5 || len(res.Head) != 64 || res.Anchor.Seq != 5 || res.Anchor.Hash != res.Head {
		t.Fatalf("verify = %+v, want OK with 5 entries and a head hash", res)
	}
}

func TestVerifyCatchesTampering(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		tamper func(t *testing.T, db *sql.DB, id string)
		want   string
	}{
		{"row edited", func(t *testing.T, db *sql.DB, id string) {
			mustExec(t, db, "UPDATE assessments SET organization = 'Evil Corp' WHERE id = ?", id)
		}, "differs from its last audited state"},
		{"row inserted", func(t *testing.T, db *sql.DB, id string) {
			mustExec(t, db, "INSERT INTO assessments VALUES ('ghost', 't', 'o', 'draft', 'v', 'x', 'x')")
		}, "assessment ghost has no audit entry"},
		{"row deleted", func(t *testing.T, db *sql.DB, id string) {
			mustExec(t, db, "DELETE FROM assessments WHERE id = ?", id)
		}, "was deleted outside safeguard"},
		{"payload altered", func(t *testing.T, db *sql.DB, id string) {
			mustExec(t, db, "DROP TRIGGER audit_log_no_update")
			mustExec(t, db, "UPDATE audit_log SET payload = replace(payload, 'Maple', 'Oak') WHERE seq = 2")
		}, "audit entry 2"},
		{"entry removed from the middle", func(t *testing.T, db *sql.DB, id string) {
			mustExec(t, db, "DROP TRIGGER audit_log_no_delete")
			mustExec(t, db, "DELETE FROM audit_log WHERE seq = 2")
		}, "audit entry 2 is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, path := openTemp(t)
			id := newAssessment(t, s)
			s.RenameAssessment(ctx, id, "Second")
			s.RenameAssessment(ctx, id, "Third")
			c.tamper(t, rawDB(t, path), id)
			res, err := s.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.OK() {
				t.Fatal("verify passed a tampered workspace")
			}
			if !strings.Contains(res.Problems[0], c.want) {
				t.Fatalf("first problem %q, want it to mention %q", res.Problems[0], c.want)
			}
		})
	}
}

func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	s1, path := openTemp(t)
	s2, err := Open(path, Options{Actor: "other"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	const per = 25
	errs := make(chan error, 2*per)
	for _, s := range []*Store{s1, s2} {
		go func(s *Store) {
			for i := 0; i < per; i++ {
				_, err := s.CreateAssessment(ctx, NewAssessment{Title: "t", Organization: "o", CatalogVersion: "v"})
				errs <- err
			}
		}(s)
	}
	for i := 0; i < 2*per; i++ {
		if err := <-errs; err != nil && err != ErrBusy {
			t.Fatalf("concurrent write: %v", err)
		}
	}
	res, err := s1.Verify(ctx)
	if err != nil || !res.OK() {
		t.Fatalf("verify after concurrent writes: %+v %v", res, err)
	}
	list, _ := s1.Assessments(ctx)
	if int64(len(list))+1 != res.Entries { // and the identity
		t.Fatalf("%d assessments but %d audit entries", len(list), res.Entries)
	}
}

func TestBusyIsAClearError(t *testing.T) {
	t.Parallel()
	const busyTimeout = time.Second
	_, path := openTemp(t)
	s, err := Open(path, Options{Actor: "waiting", BusyTimeout: busyTimeout})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db := rawDB(t, path)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = s.CreateAssessment(ctx, NewAssessment{Title: "t", Organization: "o"})
	if err != ErrBusy {
		t.Fatalf("err = %v, want ErrBusy", err)
	}
	if time.Since(start) < busyTimeout/2 {
		t.Errorf("gave up after %v, before the busy timeout", time.Since(start))
	}
	conn.ExecContext(ctx, "ROLLBACK")
}

func TestResolveAssessmentPrefix(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	id := newAssessment(t, s)
	got, err := s.ResolveAssessment(ctx, strings.ToUpper(id[:8]))
	if err != nil || got != id {
		t.Fatalf("resolve prefix: %q %v", got, err)
	}
	if _, err := s.ResolveAssessment(ctx, "zzzzzzzz"); err == nil {
		t.Fatal("unknown ID resolved")
	}
	if _, err := s.ResolveAssessment(ctx, "ab"); err == nil {
		t.Fatal("two-character prefix accepted")
	}
}

// TestInventoryHoldsWhatTheSnapshotHolds: the light inventory commands resolve names and
// list records with holds the snapshot's vendors, assets and flows, in its order, and
// nothing of another assessment.
func TestInventoryHoldsWhatTheSnapshotHolds(t *testing.T) {
	t.Parallel()
	s, id, snap := demoStore(t)
	other := newAssessment(t, s)
	if _, err := s.SaveAsset(ctx, other, assessment.Asset{Name: "Elsewhere backups", Kind: "backup", Hosting: controls.OnPrem, InScope: true}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Inventory(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Assets) == 0 || len(snap.Vendors) == 0 || len(snap.Flows) == 0 {
		t.Fatal("the demo has no inventory to compare")
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{{"assets", got.Assets, snap.Assets}, {"vendors", got.Vendors, snap.Vendors}, {"flows", got.Flows, snap.Flows}} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("Inventory's %s differ from the snapshot's:\n%+v\n%+v", c.name, c.got, c.want)
		}
	}
}
