//go:build unix

package store

import (
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCompactReadOnlyFolder: in a folder this user cannot write, a read-only open works
// without making a lock file, and compact is refused with nothing changed.
func TestCompactReadOnlyFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		// Root writes anywhere: run this test again as the unprivileged user.
		asNobody(t, "^TestCompactReadOnlyFolder$")
		return
	}
	dir := t.TempDir()
	path, head := compactFixture(t, dir, 1, 1024)
	os.Remove(path + lockSuffix)
	stale := filepath.Join(dir, ".safeguard-compact-ws.db-7.tmp") // left by a killed compact
	if err := os.WriteFile(stale, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o700)
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open in a read-only folder: %v", err)
	}
	if got, _ := s.Head(ctx); got != head {
		t.Errorf("head %v, want %v", got, head)
	}
	if got := s.RemovedTemp(); len(got) != 0 {
		t.Errorf("the open says it removed %v from a folder it cannot write", got)
	}
	if _, err := os.Stat(stale); err != nil {
		t.Errorf("the unfinished copy in the read-only folder: %v", err)
	}
	s.Close()
	sum := fileSum(t, path)
	if _, err := Compact(ctx, path, Options{}); err == nil {
		t.Error("compact in a read-only folder succeeded")
	} else {
		t.Logf("refused: %v", err)
	}
	if fileSum(t, path) != sum {
		t.Error("the refused compact changed the workspace")
	}
	if _, err := os.Stat(path + lockSuffix); err == nil {
		t.Error("a lock file appeared in the read-only folder")
	}
}

// Environment of the compacting child process.
const (
	compactEnvPath = "SAFEGUARD_COMPACT_CHILD_DB"
	compactEnvHold = "SAFEGUARD_COMPACT_CHILD_HOLD" // hold the workspace open instead
)

// TestCompactChild compacts the workspace once; TestCompactKilled kills it.
func TestCompactChild(t *testing.T) {
	path := os.Getenv(compactEnvPath)
	if path == "" {
		t.Skip("the child of TestCompactKilled")
	}
	if os.Getenv(compactEnvHold) != "" {
		// Hold the workspace open, as the full-screen view does, until stdin closes.
		s, err := Open(path, Options{Actor: "holder"})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		os.Stdout.WriteString("open\n")
		io.Copy(io.Discard, os.Stdin)
		return
	}
	if _, err := Compact(ctx, path, Options{Actor: "child"}); err != nil {
		t.Fatal(err)
	}
}

// TestCompactRefusedWhileAnotherProcessHolds: another process has the workspace open;
// compact is refused at once and changes nothing; once that process ends, compact runs.
func TestCompactRefusedWhileAnotherProcessHolds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process; skipped in -short mode")
	}
	path, head := compactFixture(t, t.TempDir(), 3, 64<<10)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCompactChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), compactEnvPath+"="+path, compactEnvHold+"=1")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line := make([]byte, 5)
	if _, err := io.ReadFull(stdout, line); err != nil || string(line) != "open\n" {
		t.Fatalf("the holder did not open the workspace: %q %v", line, err)
	}
	sum := fileSum(t, path)
	if _, err := Compact(ctx, path, Options{StateDir: t.TempDir()}); !errors.Is(err, ErrInUse) {
		t.Errorf("compact while another process has the workspace open: err = %v, want ErrInUse", err)
	}
	if fileSum(t, path) != sum {
		t.Error("the refused compact changed the workspace")
	}
	stdin.Close()
	io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the holder failed: %v", err)
	}
	if _, err := Compact(ctx, path, Options{StateDir: t.TempDir()}); err != nil {
		t.Fatalf("compact after the holder ended: %v", err)
	}
	checkWorkspace(t, path, head)
}

// TestCompactKilled kills a compacting child process at random moments, from before it
// starts writing to after the rename. After every kill the workspace opens (removing what
// the compact left), holds the same chain head and verifies.
func TestCompactKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes; skipped in -short mode")
	}
	if _, err := os.Stat(os.Args[0]); err != nil {
		t.Skip("the test binary cannot be run again:", err)
	}
	dir := t.TempDir()
	path, head := compactFixture(t, dir, 6, 512<<10)
	child := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCompactChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), compactEnvPath+"="+path)
		return cmd
	}
	// How long a whole run of the child takes, to spread the kills over it.
	start := time.Now()
	if out, err := child().CombinedOutput(); err != nil {
		t.Fatalf("the child failed: %v\n%s", err, out)
	}
	whole := time.Since(start)
	checkWorkspace(t, path, head)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	var removedAny int
	for i := range *compactKills {
		cmd := child()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Int64N(int64(whole)))
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if removed := checkWorkspace(t, path, head); len(removed) > 0 {
			removedAny++
		}
		t.Logf("kill %d after %v of %v", i+1, delay.Round(time.Millisecond), whole.Round(time.Millisecond))
	}
	t.Logf("%d of %d kills left an unfinished copy, removed by the next open", removedAny, *compactKills)
}

// asNobody runs the tests named by run in a copy of the test binary as the unprivileged
// user (uid 65534), and fails if they fail.
func asNobody(t *testing.T, run string) {
	t.Helper()
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	os.Chmod(filepath.Dir(dir), 0o755)
	bin := filepath.Join(dir, "store.test")
	in, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatalf("the test binary cannot be read: %v", err)
	}
	out, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.Copy(out, in)
	in.Close()
	if err := errors.Join(err, out.Close()); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run="+run, "-test.count=1", "-test.v")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "TMPDIR="+os.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	got, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(got), "--- PASS") {
		t.Fatalf("as the unprivileged user: %v\n%s", err, got)
	}
	t.Logf("as the unprivileged user:\n%s", got)
}
