package store

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"safeguard/assessment"
)

func TestBackupKeepsEncryptionAndRecordsItself(t *testing.T) {
	s, id, _ := demoStore(t)
	dir := t.TempDir()
	path, _ := sparseFile(t, 3<<20)
	if _, err := s.AddEvidenceFile(ctx, id, path, EvidenceMeta{}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.EncryptWorkspace(ctx, []byte(testPass), nil); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "copy.db")
	var calls int
	res, err := s.Backup(ctx, out, false, func(done, total int64) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if res.Blobs == 0 || res.SealedSkipped != 0 || res.Head.Seq == 0 || calls == 0 {
		t.Errorf("result %+v, %d progress calls", res, calls)
	}
	if _, err := s.Backup(ctx, out, false, nil); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("overwrite without force: %v", err)
	}
	if _, err := s.Backup(ctx, s.Path(), true, nil); err == nil || !strings.Contains(err.Error(), "open workspace itself") {
		t.Errorf("the workspace itself: %v", err)
	}
	c, err := Open(out, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if enc, err := c.Encrypted(ctx); err != nil || !enc {
		t.Errorf("the copy of an encrypted workspace is not encrypted: %v %v", enc, err)
	}
	if err := c.Unlock(ctx, []byte(testPass)); err != nil {
		t.Errorf("the copy does not open with the same passphrase: %v", err)
	}
	if head, _ := c.head(ctx, c.db); head != res.Head {
		t.Errorf("the copy's head %v, recorded %v", head, res.Head)
	}
	// The record is in the workspace's chain, as bookkeeping.
	var entity string
	if err := s.db.QueryRow("SELECT entity FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&entity); err != nil || entity != "backup" {
		t.Errorf("last audit entry %q, %v", entity, err)
	}
	if v, err := s.Verify(ctx); err != nil || !v.OK() {
		t.Errorf("verify after a backup: %+v %v", v.Problems, err)
	}
	// Nothing left beside the copy.
	names, _ := filepath.Glob(filepath.Join(dir, ".safeguard-backup-*"))
	if len(names) != 0 {
		t.Errorf("temporary files left: %v", names)
	}
}

// vacuumInto copies the workspace with VACUUM INTO, for comparison.
func vacuumInto(t *testing.T, s *Store, out string) {
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", out); err != nil {
		t.Fatal(err)
	}
}

// TestBackupLargeWorkspace measures a backup of a workspace of about 1 GB under
// scripts/bench.sh, 100 MB otherwise (see largeTests; one large evidence file): its throughput and the process's peak resident memory, for Backup (the
// online backup API, the copy verified), the online backup's copy alone, and VACUUM INTO
// (the copy alone), the alternative it was measured against.
// scripts/bench.sh reads the figures from the log.
func TestBackupLargeWorkspace(t *testing.T) {
	size := int64(96 << 20)
	if largeTests() {
		size = 1 << 30
	}
	s, _ := openTemp(t)
	id := newAssessment(t, s)
	if err := s.SetEvidenceLimit(ctx, 2*GB); err != nil {
		t.Fatal(err)
	}
	path, _ := sparseFile(t, size)
	if _, err := s.AddEvidenceFile(context.Background(), id, path, EvidenceMeta{}, nil, nil); err != nil {
		t.Fatal(err)
	}
	os.Remove(path)
	st, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, method := range []string{"backup", "backup-api-copy", "vacuum-into-copy"} {
		out := filepath.Join(dir, method+".db")
		runtime.GC()
		debug.FreeOSMemory()
		base, measured := procStatus("VmRSS")
		measured = measured && resetPeakRSS()
		start := time.Now()
		switch method {
		case "backup":
			res, err := s.Backup(ctx, out, false, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Blobs != 1 {
				t.Fatalf("the copy re-hashed %d blobs, want 1", res.Blobs)
			}
		case "backup-api-copy":
			os.WriteFile(out, nil, 0o600)
			if err := s.copyTo(ctx, out); err != nil {
				t.Fatal(err)
			}
		default:
			vacuumInto(t, s, out)
		}
		took := time.Since(start)
		peak, _ := procStatus("VmHWM")
		t.Logf("%s: %s workspace copied in %v (%.0f MB/s); resident memory before %.1f MiB, peak %.1f MiB",
			method, assessment.FormatSize(st.Size()), took.Round(time.Millisecond), float64(st.Size())/1e6/took.Seconds(),
			float64(base)/(1<<20), float64(peak)/(1<<20))
		if measured && peak-base > 128<<20 {
			t.Errorf("%s: resident memory grew by %.0f MiB copying the workspace; it should stay flat", method, float64(peak-base)/(1<<20))
		}
		os.Remove(out)
	}
}

// TestFreshBackupOpensWithoutWarning: the copy lacks only the entry recording the
// backup, so it opens without the last-seen warning until the workspace moves on; then
// it is an older copy like any other.
func TestFreshBackupOpensWithoutWarning(t *testing.T) {
	state := t.TempDir()
	dir := t.TempDir()
	s, err := Open(filepath.Join(dir, "ws.db"), Options{Actor: "alice", StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	id := newAssessment(t, s)
	answerSome(t, s, id, 2, "first")
	out := filepath.Join(dir, "copy.db")
	if _, err := s.Backup(ctx, out, false, nil); err != nil {
		t.Fatal(err)
	}
	opened := func() *HistoryWarning {
		c, err := Open(out, Options{StateDir: state, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return c.History()
	}
	if w := opened(); w != nil {
		t.Errorf("a backup opened right after it was made warns: %v", w)
	}
	answerSome(t, s, id, 1, "later")
	s.Close()
	if w := opened(); w == nil || w.Missing != 2 {
		t.Errorf("a backup older than the workspace's work: warning %v, want 2 entries missing", w)
	}
}
