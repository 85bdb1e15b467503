package store

// Compact (compact.go) and the workspace lock (lock.go), tested as an adversary would use
// them: another Store holding the workspace, an open while a compact runs, a symlinked
// workspace, a read-only folder, leftovers of other workspaces, and kills at random moments
// of a compact in a child process.
//
//	go test ./store -run TestCompact -v
//	go test ./store -run TestCompactKilled -compact.kills=100 -v   # more kills

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var compactKills = flag.Int("compact.kills", 6, "how many times TestCompactKilled kills a compacting child process")

// compactFixture makes a closed workspace at dir/ws.db with files evidence files of size
// bytes, a third of them removed (free space for compact to drop), and returns its head.
func compactFixture(t *testing.T, dir string, files, size int) (string, Anchor) {
	t.Helper()
	path := filepath.Join(dir, "ws.db")
	s, err := Open(path, Options{Actor: "tester", StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := s.CreateAssessment(ctx, NewAssessment{Title: "t", Organization: "o", CatalogVersion: "v"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range files {
		file := filepath.Join(t.TempDir(), "evidence.bin")
		if err := os.WriteFile(file, randomBytes(size, uint64(i+1)), 0o600); err != nil {
			t.Fatal(err)
		}
		e, err := s.AddEvidenceFile(ctx, a.ID, file, EvidenceMeta{}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	for _, id := range ids[:files/3] {
		if err := s.RemoveEvidence(ctx, a.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	head, err := s.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return path, head
}

// fileSum is the SHA-256 of a file, "" if it cannot be read.
func fileSum(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil))
}

// checkWorkspace opens the workspace as a user would next, and checks it holds head and
// verifies, with no file of a compact left beside it.
func checkWorkspace(t *testing.T, path string, head Anchor) (removed []string) {
	t.Helper()
	s, err := Open(path, Options{Actor: "checker", StateDir: t.TempDir()})
	if err != nil {
		t.Fatalf("the workspace does not open: %v", err)
	}
	defer s.Close()
	if got, err := s.Head(ctx); err != nil || got != head {
		t.Fatalf("head %v (%v), want %v", got, err, head)
	}
	res, err := s.Verify(ctx)
	if err != nil || !res.OK() {
		t.Fatalf("verify: %v %v", err, res.Problems)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".safeguard-*")); len(left) > 0 {
		t.Fatalf("files of a compact are left after an open: %v", left)
	}
	return s.RemovedTemp()
}

func TestCompactShrinksAndKeepsTheChain(t *testing.T) {
	dir := t.TempDir()
	path, head := compactFixture(t, dir, 3, 1<<20)
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	before := fileSize(path) + fileSize(path+"-wal")
	res, err := Compact(ctx, path, Options{Actor: "tester", StateDir: t.TempDir(),
		Passphrase: func() ([]byte, error) { return nil, errors.New("compact must not ask for the passphrase") }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Head != head || res.Before != before || res.After != fileSize(path) {
		t.Errorf("result %+v, want head %v, before %d, after %d", res, head, before, fileSize(path))
	}
	// One of three 1 MiB files was removed: the file loses about that much.
	if res.After > res.Before-900<<10 {
		t.Errorf("the workspace went from %d to %d bytes; a removed 1 MiB file's space should be gone", res.Before, res.After)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("the compacted workspace has mode %v, the workspace had 0640", st.Mode().Perm())
	}
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "ws.db" {
			left = append(left, e.Name())
		}
	}
	if len(left) > 0 {
		t.Errorf("compact left files beside the workspace: %v", left)
	}
	checkWorkspace(t, path, head)
}

// TestCompactRefusedWhileOpen: a Store that has the workspace open, writable or read-only,
// makes compact refuse at once, with nothing changed; once it is closed, compact runs.
func TestCompactRefusedWhileOpen(t *testing.T) {
	dir := t.TempDir()
	path, head := compactFixture(t, dir, 3, 64<<10)
	for _, ro := range []bool{false, true} {
		holder, err := Open(path, Options{ReadOnly: ro, StateDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		sum := fileSum(t, path)
		start := time.Now()
		_, err = Compact(ctx, path, Options{StateDir: t.TempDir()})
		if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "close it and run compact again") {
			t.Errorf("read-only %v: err = %v, want ErrInUse", ro, err)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("the refusal took %v; compact must not wait", took)
		}
		if fileSum(t, path) != sum {
			t.Errorf("read-only %v: the refused compact changed the workspace", ro)
		}
		// The holder still works on the same file.
		if got, err := holder.Head(ctx); err != nil || got != head {
			t.Errorf("the holder reads head %v (%v) after the refusal", got, err)
		}
		holder.Close()
	}
	if _, err := Compact(ctx, path, Options{StateDir: t.TempDir()}); err != nil {
		t.Fatalf("compact after the holder closed: %v", err)
	}
	checkWorkspace(t, path, head)
}

// TestLockFileLastOneOut: the lock file is there while any Store has the workspace open
// and gone when the last one closes, so a workspace leaves nothing in its folder.
func TestLockFileLastOneOut(t *testing.T) {
	path, _ := compactFixture(t, t.TempDir(), 1, 1024)
	exists := func() bool { _, err := os.Stat(path + lockSuffix); return err == nil }
	if exists() {
		t.Fatal("the lock file outlived the fixture's Store")
	}
	a, err := Open(path, Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if !exists() {
		t.Error("no lock file while the workspace is open")
	}
	a.Close()
	if !exists() {
		t.Error("the lock file was removed while a read-only Store still has the workspace open")
	}
	if _, err := Compact(ctx, path, Options{}); !errors.Is(err, ErrInUse) {
		t.Errorf("compact with a read-only Store open: err = %v, want ErrInUse", err)
	}
	b.Close()
	if exists() {
		t.Error("the lock file is left after the last Store closed")
	}
}

// TestOpenWaitsForCompact: while a compact holds the lock, an open waits for up to the
// busy timeout, then fails with a sentence saying so; it succeeds once the compact ends.
func TestOpenWaitsForCompact(t *testing.T) {
	path, head := compactFixture(t, t.TempDir(), 1, 1024)
	release, err := lockExclusive(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{false, true} {
		start := time.Now()
		_, err = Open(path, Options{ReadOnly: ro, BusyTimeout: 150 * time.Millisecond})
		if took := time.Since(start); took < 150*time.Millisecond {
			t.Errorf("read-only %v: the open gave up after %v, before the busy timeout", ro, took)
		}
		if !errors.Is(err, ErrCompacting) || !strings.Contains(err.Error(), "being compacted") {
			t.Errorf("read-only %v: err = %v, want ErrCompacting", ro, err)
		}
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		release()
	}()
	s, err := Open(path, Options{BusyTimeout: 5 * time.Second, StateDir: t.TempDir()})
	if err != nil {
		t.Fatalf("the open did not wait for the compact to end: %v", err)
	}
	defer s.Close()
	if got, _ := s.Head(ctx); got != head {
		t.Errorf("head %v, want %v", got, head)
	}
}

// TestCompactThroughSymlink: a workspace given as a symlink is compacted where it is; the
// link stays a link to it, and the link and the target share one lock.
func TestCompactThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	path, head := compactFixture(t, dir, 3, 64<<10)
	link := filepath.Join(t.TempDir(), "link.db")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	holder, err := Open(link, Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(link + lockSuffix); err == nil {
		t.Error("a lock file was made beside the link; it belongs beside the target")
	}
	if _, err := Compact(ctx, path, Options{StateDir: t.TempDir()}); !errors.Is(err, ErrInUse) {
		t.Errorf("compact of the target while it is open through the link: err = %v, want ErrInUse", err)
	}
	holder.Close()
	res, err := Compact(ctx, link, Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != path {
		t.Errorf("compacted %s, want the link's target %s", res.Path, path)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by a file: %v %v", st.Mode(), err)
	}
	if target, _ := os.Readlink(link); target != path {
		t.Errorf("the link points at %s, want %s", target, path)
	}
	checkWorkspace(t, link, head)
	checkWorkspace(t, path, head)
}

// TestStaleCompactsOfOtherWorkspacesStay: an open removes what a killed compact of its own
// workspace left, never another workspace's file in the same folder (its compact may be
// running) nor a file that only looks alike.
func TestStaleCompactsOfOtherWorkspacesStay(t *testing.T) {
	dir := t.TempDir()
	path, _ := compactFixture(t, dir, 1, 1024)
	mine := []string{".safeguard-compact-ws.db-123.tmp", ".safeguard-compact-ws.db-123.tmp-journal"}
	others := []string{".safeguard-compact-ws.db-x-123.tmp", ".safeguard-compact-other.db-5.tmp", ".safeguard-compact-ws.db-12a.tmp", ".safeguard-report-1.tmp"}
	for _, n := range append(slices.Clone(mine), others...) {
		os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600)
	}
	s, err := Open(path, Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.RemovedTemp(); !slices.Equal(got, mine[:1]) {
		t.Errorf("removed %v, want %v", got, mine[:1])
	}
	s.Close()
	for _, n := range mine {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			t.Errorf("%s was left", n)
		}
	}
	for _, n := range others {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s was removed", n)
		}
	}
}

// TestCompactCheckCatchesADifferentCopy: the check of the new file fails on a copy that
// lost an audit entry or a row, so the rename never happens.
func TestCompactCheckCatchesADifferentCopy(t *testing.T) {
	dir := t.TempDir()
	path, head := compactFixture(t, dir, 3, 1024)
	s, err := Open(path, Options{StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := tableRows(ctx, s.db)
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.db")
	if _, err := s.db.Exec("VACUUM INTO ?", good); err != nil {
		t.Fatal(err)
	}
	if err := checkCompacted(ctx, good, head, rows); err != nil {
		t.Fatalf("a faithful copy fails the check: %v", err)
	}
	other := head
	other.Seq--
	if err := checkCompacted(ctx, good, other, rows); err == nil || !strings.Contains(err.Error(), "audit chain head") {
		t.Errorf("a copy with another head: err = %v", err)
	}
	fewer := maps.Clone(rows)
	fewer["evidence"]++
	if err := checkCompacted(ctx, good, head, fewer); err == nil || !strings.Contains(err.Error(), "rows in table evidence") {
		t.Errorf("a copy with a row less: err = %v", err)
	}
}
