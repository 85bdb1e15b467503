package main

// Integrity over the built binary (issue 12), as a user meets it: paths that are not
// workspace files, read-only folders, a foreign write-ahead log, kills during large
// writes and checkpoints, concurrent use, signals during exports, imports from a pipe,
// and no home folder. Run by TestBuiltBinary:
//
//	go test . -run 'TestBuiltBinary/integrity' -v

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"safeguard/store"
)

// testIntegrity runs its suites side by side: each works in its own folders.
func testIntegrity(t *testing.T, b *faultBin) {
	t.Run("not a workspace file", func(t *testing.T) { t.Parallel(); testNotAWorkspaceFile(t, b) })
	t.Run("read-only folder", func(t *testing.T) { t.Parallel(); testReadOnlyFolder(t, b) })
	t.Run("foreign log", func(t *testing.T) { t.Parallel(); testForeignLog(t, b) })
	t.Run("kill during a large evidence add", func(t *testing.T) { t.Parallel(); testKillDuringLargeAdd(t, b) })
	t.Run("adds while another process lists", func(t *testing.T) { t.Parallel(); testAddsWhileListing(t, b) })
	t.Run("signals remove temporary files", func(t *testing.T) { t.Parallel(); testSignalsRemoveTemp(t, b) })
	t.Run("import from a named pipe", func(t *testing.T) { t.Parallel(); testImportFromPipe(t, b) })
	t.Run("no home folder", func(t *testing.T) { t.Parallel(); testNoHome(t, b) })
}

// refused checks the one-sentence refusal contract.
func refused(t *testing.T, r faultRun, want string) {
	t.Helper()
	if r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Errorf("exit %d, stderr %q; want exit 2 mentioning %q", r.code, r.stderr, want)
	}
	if lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n"); len(lines) != 1 {
		t.Errorf("stderr is not one line: %q", r.stderr)
	}
}

func testNotAWorkspaceFile(t *testing.T, b *faultBin) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.db")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("cannot make a named pipe:", err)
	}
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	folder := filepath.Join(dir, "folder.db")
	os.Mkdir(folder, 0o700)
	targets := map[string]string{"/dev/null": "is a device", fifo: "is a named pipe", folder: "is a folder", empty: "empty file"}
	for path, want := range targets {
		for _, args := range [][]string{{"assessments"}, {"verify"}, {"new", "--org", "Maple", "--title", "T"}, {"demo"}} {
			before := dirState(t, dir)
			r := b.run(t, runOpts{deadline: 10 * time.Second}, append([]string{"--db", path}, args...)...)
			refused(t, r, want)
			if after := dirState(t, dir); after != before {
				t.Errorf("%s %v created or changed files: %s -> %s", filepath.Base(path), args, before, after)
			}
		}
	}
	for _, side := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat("/dev/null" + side); err == nil {
			t.Errorf("/dev/null%s was created", side)
		}
	}
}

// testReadOnlyFolder: reading commands work on a workspace in a folder the user cannot
// write, and create nothing there.
func testReadOnlyFolder(t *testing.T, b *faultBin) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	copyFile(t, b.plain, db)
	out := t.TempDir()
	opts := runOpts{}
	if os.Geteuid() == 0 {
		// Root writes anywhere: read as the unprivileged user, for whom the folder is not
		// writable.
		os.Chmod(db, 0o644)
		os.Chmod(dir, 0o755)
		os.Chmod(filepath.Dir(dir), 0o755)
		os.Chown(out, 65534, 65534)
		os.Chmod(filepath.Dir(out), 0o755)
		opts.nobody = true
	} else {
		os.Chmod(dir, 0o555)
		defer os.Chmod(dir, 0o700)
	}
	before, listing := fileState(t, db), dirState(t, dir)
	for _, args := range [][]string{
		{"assessments"}, {"verify"}, {"evidence", "list", b.id},
		{"export", b.id, "--format", "json", "--out", filepath.Join(out, "a.json")},
		{"evidence", "export", b.id, b.sha, "--out", filepath.Join(out, "e.txt")},
	} {
		r := b.run(t, opts, append([]string{"--db", db}, args...)...)
		if r.code != 0 {
			t.Errorf("%v in a read-only folder: exit %d, %q", args, r.code, r.stderr)
		}
	}
	if after := dirState(t, dir); after != listing {
		t.Errorf("reading created files in the read-only folder: %s -> %s", listing, after)
	}
	if after := fileState(t, db); after != before {
		t.Errorf("reading changed the workspace: %s -> %s", before, after)
	}
	// A change is refused with a sentence.
	r := b.run(t, opts, "--db", db, "answer", b.id, "308a1iia-ra-01", "implemented")
	if r.code != 2 {
		t.Errorf("a change in a read-only folder: exit %d %q", r.code, r.stderr)
	}
}

// testForeignLog: a -wal that belongs to another workspace is beside this one. Reading
// and writing commands refuse it, naming the log, and nothing is written: the file and the
// log are as they were (a writer's checkpoint would have copied the other workspace in).
func testForeignLog(t *testing.T, b *faultBin) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	copyFile(t, b.plain, db)
	other := filepath.Join(t.TempDir(), "other.db")
	s, err := store.Open(other, store.Options{Actor: "other"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := s.CreateAssessment(context.Background(), store.NewAssessment{Title: "t", Organization: "o", CatalogVersion: "v"}); err != nil {
			t.Fatal(err)
		}
	}
	wal, err := os.ReadFile(other + "-wal")
	s.Close()
	if err != nil || len(wal) == 0 {
		t.Fatalf("no log to borrow: %v", err)
	}
	os.WriteFile(db+"-wal", wal, 0o600)
	before := fileState(t, db)
	for _, args := range [][]string{{"verify"}, {"assessments"}, {"answer", b.id, "308a1iia-ra-01", "implemented"}} {
		refused(t, b.run(t, runOpts{}, append([]string{"--db", db}, args...)...), "belongs to another workspace")
		if after := fileState(t, db); after != before {
			t.Fatalf("%v changed the workspace or its log: %s -> %s", args, before, after)
		}
	}
}

// testKillDuringLargeAdd kills `evidence add` of a large file at moments spread over its
// run, through its commit and the checkpoint after it. Every time, the next commands open
// the workspace (no "damaged", no "truncated"), it verifies, and evidence that was added
// is byte-identical.
func testKillDuringLargeAdd(t *testing.T, b *faultBin) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	copyFile(t, b.plain, db)
	content := make([]byte, 16<<20)
	rand.Read(content)
	file := filepath.Join(dir, "scan.bin")
	os.WriteFile(file, content, 0o600)
	// How long an add takes here, on a copy.
	scratch := filepath.Join(t.TempDir(), "ws.db")
	copyFile(t, b.plain, scratch)
	start := time.Now()
	b.ok(t, runOpts{}, "--db", scratch, "evidence", "add", b.id, file)
	full := time.Since(start)
	for i, frac := range []float64{0.3, 0.6, 0.8, 0.9, 0.95, 1.0, 1.1} {
		cmd := exec.Command(b.path, "--db", db, "evidence", "add", b.id, file, "--name", fmt.Sprintf("scan-%d.bin", i))
		cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin", "XDG_STATE_HOME=" + filepath.Join(dir, "state")}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(float64(full) * frac))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		for _, args := range [][]string{{"assessments"}, {"verify"}} {
			r := b.run(t, runOpts{env: []string{"XDG_STATE_HOME=" + filepath.Join(dir, "state")}}, append([]string{"--db", db}, args...)...)
			if r.code != 0 {
				t.Fatalf("after a kill at %.0f%% of an add: %v exit %d %q", frac*100, args, r.code, r.stderr)
			}
		}
	}
	list := b.ok(t, runOpts{}, "--db", db, "evidence", "list", b.id)
	if strings.Contains(list, "scan-") {
		out := filepath.Join(t.TempDir(), "back.bin")
		b.ok(t, runOpts{}, "--db", db, "evidence", "export", b.id, sha256Hex(content), "--out", out)
		if got, _ := os.ReadFile(out); !bytes.Equal(got, content) {
			t.Fatal("evidence added before a kill is not byte-identical")
		}
	}
}

// testAddsWhileListing: evidence is added while another process lists the assessments;
// nobody is told the workspace is damaged or busy.
func testAddsWhileListing(t *testing.T, b *faultBin) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	copyFile(t, b.plain, db)
	files := make([]string, 20)
	for i := range files {
		files[i] = filepath.Join(dir, fmt.Sprintf("f%02d.bin", i))
		data := make([]byte, 2<<20)
		rand.Read(data)
		os.WriteFile(files[i], data, 0o600)
	}
	done := make(chan struct{})
	var mu sync.Mutex
	var failures []string
	lists := 0
	go func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			r := b.run(t, runOpts{}, "--db", db, "assessments")
			mu.Lock()
			lists++
			if r.code != 0 {
				failures = append(failures, "assessments: "+r.stderr)
			}
			mu.Unlock()
		}
	}()
	for _, f := range files {
		if r := b.run(t, runOpts{}, "--db", db, "evidence", "add", b.id, f); r.code != 0 {
			mu.Lock()
			failures = append(failures, "evidence add: "+r.stderr)
			mu.Unlock()
		}
	}
	close(done)
	mu.Lock()
	defer mu.Unlock()
	for _, f := range failures {
		t.Error(f)
	}
	if lists == 0 {
		t.Error("the listing process never ran")
	}
	b.ok(t, runOpts{}, "--db", db, "verify")
}

// tempFiles lists the temporary files in dir.
func tempFiles(dir string) []string {
	m, _ := filepath.Glob(filepath.Join(dir, ".safeguard-*.tmp"))
	return m
}

// exportUntilTemp starts an evidence export and returns once its temporary file exists.
func exportUntilTemp(t *testing.T, b *faultBin, db, sha, out string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(b.path, "--db", db, "evidence", "export", b.id, sha, "--out", out)
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin"}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(tempFiles(filepath.Dir(out))) == 0 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the export never made its temporary file")
		}
		time.Sleep(200 * time.Microsecond)
	}
	return cmd
}

// testSignalsRemoveTemp: SIGINT, SIGTERM and SIGHUP during an export remove its
// temporary file; after SIGKILL the file stays, and the next run writing to that folder
// removes it and says so.
func testSignalsRemoveTemp(t *testing.T, b *faultBin) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	copyFile(t, b.plain, db)
	b.ok(t, runOpts{}, "--db", db, "evidence", "limit", "1GB")
	big := make([]byte, 128<<20)
	rand.Read(big[:1<<20])
	src := filepath.Join(dir, "big.bin")
	os.WriteFile(src, big, 0o600)
	sha := sha256Hex(big)
	b.ok(t, runOpts{deadline: 2 * time.Minute}, "--db", db, "evidence", "add", b.id, src)
	os.Remove(src)
	outDir := t.TempDir()
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		out := filepath.Join(outDir, "export.bin")
		cmd := exportUntilTemp(t, b, db, sha, out)
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		ee, _ := err.(*exec.ExitError)
		if ee == nil {
			t.Logf("%v: the export finished before the signal; nothing to clean", sig)
			os.Remove(out)
			continue
		}
		if code := ee.ExitCode(); code != 128+int(sig) {
			t.Errorf("%v: exit %d, want %d", sig, code, 128+int(sig))
		}
		if left := tempFiles(outDir); len(left) > 0 {
			t.Errorf("%v left %v", sig, left)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: a partial export was left at its name", sig)
		}
	}
	// SIGKILL: nothing runs, the file stays; the next run in the folder removes it.
	cmd := exportUntilTemp(t, b, db, sha, filepath.Join(outDir, "killed.bin"))
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	left := tempFiles(outDir)
	if len(left) == 0 {
		t.Skip("the killed export left no temporary file (it finished first)")
	}
	old := time.Now().Add(-time.Minute)
	for _, f := range left {
		os.Chtimes(f, old, old)
	}
	r := b.run(t, runOpts{}, "--db", db, "export", b.id, "--format", "csv", "--out", filepath.Join(outDir, "findings.csv"))
	if r.code != 0 || !strings.Contains(r.stderr, "removed 1 temporary files") {
		t.Fatalf("the next export: exit %d, stderr %q", r.code, r.stderr)
	}
	if left := tempFiles(outDir); len(left) > 0 {
		t.Errorf("stale temporary files remain: %v", left)
	}
}

func testImportFromPipe(t *testing.T, b *faultBin) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "import.json")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skip("cannot make a named pipe:", err)
	}
	db := filepath.Join(dir, "ws.db")
	copyFile(t, b.plain, db)
	refused(t, b.run(t, runOpts{deadline: 10 * time.Second}, "--db", db, "import", pipe), "named pipe")
}

func testNoHome(t *testing.T, b *faultBin) {
	r := b.run(t, runOpts{env: []string{"HOME="}}, "assessments")
	refused(t, r, "HOME is not set")
	missing := filepath.Join(t.TempDir(), "gone")
	r = b.run(t, runOpts{env: []string{"HOME=" + missing}}, "new", "--org", "Maple", "--title", "T")
	refused(t, r, "does not exist")
	if _, err := os.Stat(missing); err == nil {
		t.Error("a home folder was created")
	}
}
