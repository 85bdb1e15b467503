package store

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
)

// scopedFixture is a workspace of two demo assessments, A with an evidence file, whose
// chain this computer (state) has verified once through a report of A, and which grew
// afterwards by answers to B.
type scopedFixture struct {
	path, state string
	a, b        string
	sha         string
	verified    Anchor
}

func newScopedFixture(t *testing.T) scopedFixture {
	t.Helper()
	f := scopedFixture{state: t.TempDir(), path: filepath.Join(t.TempDir(), "ws.db")}
	s, err := Open(f.path, Options{Actor: "alice", StateDir: f.state})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, id := range []*string{&f.a, &f.b} {
		if *id, err = s.Import(ctx, assessmenttest.DemoDocument(t), ImportOptions{NewIDs: true}); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "policy.txt")
	os.WriteFile(file, []byte(strings.Repeat("Access control policy, reviewed yearly.\n", 5000)), 0o600)
	ev, err := s.AddEvidenceFile(ctx, f.a, file, EvidenceMeta{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.sha = ev.SHA256
	answerSome(t, s, f.a, 3, "early")
	res, err := s.VerifyAssessment(ctx, f.a, []string{f.sha})
	if err != nil || !res.OK() {
		t.Fatalf("the first scoped verify: %v %q", err, res.Problems)
	}
	if res.ChainFrom != 1 || res.Blobs != 1 || res.Records == 0 {
		t.Fatalf("the first scoped verify walked from %d, re-hashed %d blobs, compared %d records", res.ChainFrom, res.Blobs, res.Records)
	}
	f.verified = res.Anchor
	answerSome(t, s, f.b, 4, "later")
	return f
}

// TestScopedVerifyIsIncremental: a second report checks only the chain entries added
// since the verified head, and the records of its own assessment only.
func TestScopedVerifyIsIncremental(t *testing.T) {
	t.Parallel()
	f := newScopedFixture(t)
	s, err := Open(f.path, Options{Actor: "alice", StateDir: f.state, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.VerifyAssessment(ctx, f.a, []string{f.sha})
	if err != nil || !res.OK() {
		t.Fatalf("scoped verify: %v %q", err, res.Problems)
	}
	if res.ChainFrom != f.verified.Seq+1 || res.Entries != 4 || res.Anchor.Seq != f.verified.Seq+4 {
		t.Fatalf("walked from %d over %d entries to %v; want from %d over 4", res.ChainFrom, res.Entries, res.Anchor, f.verified.Seq+1)
	}
	full, err := s.Verify(ctx)
	if err != nil || !full.OK() {
		t.Fatalf("full verify: %v %q", err, full.Problems)
	}
	if res.Records >= full.Records {
		t.Fatalf("the scoped verify compared %d records, the full one %d: it did not stay within its assessment", res.Records, full.Records)
	}
	if lf := s.LastFullVerify(); lf == nil || lf.Head != full.Anchor || lf.Problems != 0 {
		t.Fatalf("last full verify recorded as %+v", lf)
	}
	// Without a state folder there is no verified head: the whole chain is walked.
	s2, err := Open(f.path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if res, err := s2.VerifyAssessment(ctx, f.a, nil); err != nil || !res.OK() || res.ChainFrom != 1 {
		t.Fatalf("without a record: from %d, %v %q", res.ChainFrom, err, res.Problems)
	}
}

// TestScopedVerifyCatchesTampering: what a report of A states is checked soundly, even
// where the chain walk starts after the change; a change to B is outside A's report but
// the full verify names it.
func TestScopedVerifyCatchesTampering(t *testing.T) {
	t.Parallel()
	f := newScopedFixture(t)
	firstOfA := func(db *sql.DB) (seq int64) {
		db.QueryRow("SELECT min(seq) FROM audit_log WHERE assessment_id = ? AND entity = 'response'", f.a).Scan(&seq)
		return seq
	}
	cases := []struct {
		name   string
		tamper func(t *testing.T, path string)
		want   string // in the first problem of A's scoped verify; "" = A's verify passes
	}{
		{"an early entry of A edited in place", func(t *testing.T, path string) {
			db := rawDB(t, path)
			defer db.Close()
			mustExec(t, db, "DROP TRIGGER audit_log_no_update")
			mustExec(t, db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = ?", firstOfA(db))
		}, "was altered after it was written"},
		{"an early entry of A rewritten with every later hash", func(t *testing.T, path string) {
			db := rawDB(t, path)
			seq := firstOfA(db)
			db.Close()
			rewriteHistory(t, path, seq, func(db *sql.DB) {
				mustExec(t, db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = ?", seq)
			})
		}, "rewritten"},
		{"an answer of A changed", func(t *testing.T, path string) {
			db := rawDB(t, path)
			defer db.Close()
			mustExec(t, db, "UPDATE responses SET note = 'edited' WHERE id = (SELECT id FROM responses WHERE assessment_id = ? LIMIT 1)", f.a)
		}, "differs from its last audited state"},
		{"a risk of A deleted", func(t *testing.T, path string) {
			db := rawDB(t, path)
			defer db.Close()
			mustExec(t, db, "DELETE FROM risks WHERE id = (SELECT id FROM risks WHERE assessment_id = ? LIMIT 1)", f.a)
		}, "was deleted outside safeguard"},
		{"A's evidence altered", func(t *testing.T, path string) {
			db := rawDB(t, path)
			defer db.Close()
			mustExec(t, db, "UPDATE blob_chunks SET data = X'00' || substr(data, 2) WHERE seq = 0 AND blob_id = (SELECT id FROM blobs WHERE sha256 = ?)", f.sha)
		}, "no longer matches its SHA-256"},
		{"the last entries dropped", func(t *testing.T, path string) {
			db := rawDB(t, path)
			defer db.Close()
			mustExec(t, db, "DROP TRIGGER IF EXISTS audit_log_no_delete")
			mustExec(t, db, "DELETE FROM audit_log WHERE seq > ?", f.verified.Seq-1)
		}, "is gone"},
		{"an answer of B changed", func(t *testing.T, path string) {
			db := rawDB(t, path)
			defer db.Close()
			mustExec(t, db, "UPDATE responses SET note = 'edited' WHERE id = (SELECT id FROM responses WHERE assessment_id = ? LIMIT 1)", f.b)
		}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := copyWorkspace(t, f.path, dir)
			state := t.TempDir()
			os.CopyFS(state, os.DirFS(f.state))
			c.tamper(t, path)
			s, err := Open(path, Options{Actor: "alice", StateDir: state, ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			res, err := s.VerifyAssessment(ctx, f.a, []string{f.sha})
			if err != nil {
				t.Fatal(err)
			}
			full, err := s.Verify(ctx)
			if err != nil || full.OK() {
				t.Fatalf("the full verify did not catch it: %v", err)
			}
			if c.want == "" {
				if !res.OK() {
					t.Fatalf("A's verify failed on a change outside A: %q", res.Problems)
				}
				return
			}
			if res.OK() || !strings.Contains(res.Problems[0], c.want) {
				t.Fatalf("A's verify: %q, want a first problem about %q", res.Problems, c.want)
			}
		})
	}
}

// The report's snapshot states what was verified.
func TestReportSnapshotStatesItsScope(t *testing.T) {
	t.Parallel()
	f := newScopedFixture(t)
	s, err := Open(f.path, Options{Actor: "alice", StateDir: f.state, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, res, err := s.ReportSnapshot(ctx, f.a)
	if err != nil || !res.OK() {
		t.Fatalf("%v %q", err, res.Problems)
	}
	if !snap.Audit.Verified || snap.Audit.Scope == nil || snap.Audit.Scope.Evidence != res.Blobs || res.Blobs == 0 || snap.Audit.Scope.Records != res.Records {
		t.Fatalf("audit summary %+v (scope %+v)", snap.Audit, snap.Audit.Scope)
	}
	_ = assessment.VerifyScope{}
}
