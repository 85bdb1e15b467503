package main

// Proof under fault (issue 8), over the built binary: hostile and odd inputs, no network,
// no HTTP client. The binary is built once, by TestBuiltBinary, and its subtests share it:
//
//	go test . -run TestBuiltBinary -v
//	go test . -run 'TestBuiltBinary/hostile/truncated' -v
//
// Every hostile case must exit 2 with exactly one line on stderr starting "safeguard: ",
// and leave the workspace byte-for-byte as it was (SHA-256 of the file and of any -wal
// and -shm beside it, taken after the process has exited and closed the workspace).

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// faultPassphrase unlocks the encrypted fixture.
const faultPassphrase = "fault suite passphrase 2026"

// faultBin is the built binary and the fixtures the cases copy.
type faultBin struct {
	path      string
	plain     string // demo workspace with one evidence file
	encrypted string // the same, encrypted with faultPassphrase
	id        string // the demo assessment
	sha       string // SHA-256 of the evidence file
}

// faultRun is one invocation of the binary.
type faultRun struct {
	stdout, stderr string
	code           int
}

type runOpts struct {
	env      []string
	nobody   bool // run as an unprivileged user (uid 65534) when the test runs as root
	fsize    int  // file size limit in 512-byte blocks (a full disk for every file written), 0 for none
	stdin    string
	dir      string
	deadline time.Duration
}

func (b *faultBin) run(t *testing.T, o runOpts, args ...string) faultRun {
	t.Helper()
	if o.deadline == 0 {
		o.deadline = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.deadline)
	defer cancel()
	name, argv := b.path, args
	if o.fsize > 0 {
		// SIGXFSZ ignored, so a write past the limit fails with EFBIG as on a full disk
		// instead of killing the process.
		name, argv = "/bin/sh", append([]string{"-c", fmt.Sprintf(`trap '' XFSZ; ulimit -f %d && exec "$0" "$@"`, o.fsize), b.path}, args...)
	}
	cmd := exec.CommandContext(ctx, name, argv...)
	// A clean environment: no SAFEGUARD_DB or passphrase from the developer's shell, and
	// user state and config folders of this run's own (no last-seen record, no signing
	// key) unless the case gives others.
	home := t.TempDir()
	os.Chmod(home, 0o755) // reachable by the unprivileged user of the permission cases
	cmd.Env = append([]string{"HOME=" + home, "PATH=/usr/bin:/bin", "TERM=dumb", "NO_COLOR=1",
		"XDG_STATE_HOME=" + filepath.Join(home, "state"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config")}, o.env...)
	cmd.Dir = o.dir
	cmd.Stdin = strings.NewReader(o.stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if o.nobody && os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	err := cmd.Run()
	r := faultRun{stdout: out.String(), stderr: errb.String()}
	if ctx.Err() != nil {
		t.Fatalf("safeguard %q did not finish within %v", args, o.deadline)
	}
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		r.code = ee.ExitCode()
		if r.code < 0 {
			t.Fatalf("safeguard %q died: %v; stderr %q", args, err, r.stderr)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// ok runs a command that must succeed and returns its standard output.
func (b *faultBin) ok(t *testing.T, o runOpts, args ...string) string {
	t.Helper()
	r := b.run(t, o, args...)
	if r.code != 0 {
		t.Fatalf("safeguard %q: exit %d, stderr %q", args, r.code, r.stderr)
	}
	return r.stdout
}

// TestBuiltBinary builds safeguard once and runs the suites that need the real binary.
func TestBuiltBinary(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary; skipped in -short mode")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the fault suites use Unix tools and permissions")
	}
	b := buildFaultBin(t)
	// The suites are independent (each works in its own folders) and spend much of their
	// time waiting on child processes, so they run side by side.
	t.Run("hostile", func(t *testing.T) { t.Parallel(); testHostileInputs(t, b) })
	t.Run("no-network", func(t *testing.T) { t.Parallel(); testNoNetwork(t, b) })
	t.Run("no-http-client", func(t *testing.T) { t.Parallel(); testNoHTTPClient(t, b) })
	t.Run("integrity", func(t *testing.T) { t.Parallel(); testIntegrity(t, b) })
	t.Run("exchange", func(t *testing.T) { t.Parallel(); testExchange(t, b) })
	t.Run("plain-prompts", func(t *testing.T) { t.Parallel(); testPlainPrompts(t, b) })
}

func buildFaultBin(t *testing.T) *faultBin {
	t.Helper()
	dir := t.TempDir()
	// Readable and runnable by the unprivileged user of the permission cases.
	os.Chmod(filepath.Dir(dir), 0o755)
	os.Chmod(dir, 0o755)
	b := &faultBin{path: filepath.Join(dir, "safeguard")}
	build := exec.Command("go", "build", "-o", b.path, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	b.plain = filepath.Join(dir, "plain.db")
	b.id = strings.TrimSpace(b.ok(t, runOpts{}, "--db", b.plain, "--actor", "fixture", "demo"))
	evidence := filepath.Join(dir, "firewall review.txt")
	content := bytes.Repeat([]byte("Firewall rules reviewed and signed.\n"), 1000)
	if err := os.WriteFile(evidence, content, 0o600); err != nil {
		t.Fatal(err)
	}
	b.ok(t, runOpts{}, "--db", b.plain, "--actor", "fixture", "evidence", "add", b.id, evidence, "--description", "fixture")
	sum := sha256.Sum256(content)
	b.sha = hex.EncodeToString(sum[:])
	b.encrypted = filepath.Join(dir, "encrypted.db")
	copyFile(t, b.plain, b.encrypted)
	b.ok(t, runOpts{env: []string{"SAFEGUARD_PASSPHRASE=" + faultPassphrase}}, "--db", b.encrypted, "--actor", "fixture", "encrypt")
	for _, db := range []string{b.plain, b.encrypted} {
		if _, err := os.Stat(db + "-wal"); err == nil {
			t.Fatalf("%s-wal is left after the command closed the workspace; the fixture copies would be incomplete", db)
		}
	}
	return b
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// fileState is the SHA-256 of a workspace file and of the -wal or -journal beside it: its
// content. An empty -wal holds nothing, and the -shm is only an index of the -wal that
// SQLite rebuilds, so neither counts.
func fileState(t *testing.T, path string) string {
	t.Helper()
	var parts []string
	for _, suffix := range []string{"", "-wal", "-journal"} {
		data, err := os.ReadFile(path + suffix)
		switch {
		case errors.Is(err, os.ErrNotExist), err == nil && suffix != "" && len(data) == 0:
			parts = append(parts, suffix+":absent")
		case err != nil:
			parts = append(parts, suffix+":"+err.Error())
		default:
			sum := sha256.Sum256(data)
			parts = append(parts, suffix+":"+hex.EncodeToString(sum[:8]))
		}
	}
	return strings.Join(parts, " ")
}

// dirState lists a folder: names, sizes and content hashes, so a stray temporary file or a
// touched file shows.
func dirState(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err.Error()
	}
	var parts []string
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		st, err := os.Lstat(p)
		if err != nil || strings.HasSuffix(p, "-shm") || (strings.HasSuffix(p, "-wal") && st.Size() == 0) {
			continue // see fileState
		}
		h := ""
		if st.Mode().IsRegular() && st.Size() < 1<<20 {
			data, _ := os.ReadFile(p)
			sum := sha256.Sum256(data)
			h = hex.EncodeToString(sum[:6])
		}
		parts = append(parts, fmt.Sprintf("%s/%v/%d/%s", e.Name(), st.Mode(), st.Size(), h))
	}
	return strings.Join(parts, " ")
}

// caseEnv is one hostile case's copy of the world.
type caseEnv struct {
	b    *faultBin
	dir  string // the case's folder, which also holds the workspace
	db   string // the workspace the command is pointed at
	id   string
	sha  string
	file string // a small ordinary file, for evidence and imports
}

type hostileCase struct {
	name    string
	fixture string                         // "plain" (default), "encrypted" or "none" (no workspace file)
	setup   func(t *testing.T, e *caseEnv) // damage or prepare before the run
	args    func(e *caseEnv) []string      // the command, after --db
	opts    func(e *caseEnv) runOpts       // environment, user, limits
	want    string                         // a phrase the sentence must contain
	check   func(t *testing.T, e *caseEnv) // extra checks after the run
}

func testHostileInputs(t *testing.T, b *faultBin) {
	longName := strings.Repeat("Riverbend ", 21)         // 210 characters: over the 200 limit
	hugeText := strings.Repeat("0123456789", 100_000/10) // 100 000 characters: over every text limit
	nonUTF8 := "Clinic \xff\xfe name"
	c1 := "Evil\u009b31mCorp" // a C1 control (CSI): a terminal escape sequence in every table that prints it

	cases := []hostileCase{
		// Damaged workspaces.
		{name: "not a database", setup: func(t *testing.T, e *caseEnv) {
			os.WriteFile(e.db, []byte("Meeting notes, not a database.\n"), 0o600)
		}, args: cmd("assessments"), want: "not a safeguard workspace"},
		// A truncated file (with no write-ahead log that still holds its pages) is refused by
		// SQLite itself, not by a guess from the size.
		{name: "truncated to half", setup: truncateTo(0.5), args: cmd("assessments"), want: "damaged"},
		{name: "truncated to the header", setup: truncateBytes(100), args: cmd("verify"), want: "damaged"},
		{name: "truncated mid-page, then written", setup: truncateTo(0.75), args: func(e *caseEnv) []string {
			return []string{"answer", e.id, "308a1iia-ra-01", "implemented"}
		}, want: "damaged"},
		{name: "damaged header", setup: patchAt(16, []byte{0x00, 0x03}), args: cmd("assessments"), want: "damaged"},
		{name: "damaged schema page", setup: patchAt(100, bytes.Repeat([]byte{0xA5}, 3000)), args: cmd("assessments"), want: "damaged"},
		{name: "damaged table page", setup: damageTable("assessments"), args: cmd("assessments"), want: "damaged"},
		{name: "damaged audit page, verify", setup: damageTable("audit_log"), args: cmd("verify"), want: "damaged"},
		{name: "newer schema", setup: setUserVersion(99), args: cmd("assessments"), want: "newer safeguard"},
		{name: "another program's database", setup: func(t *testing.T, e *caseEnv) {
			os.Remove(e.db)
			execSQL(t, e.db, "CREATE TABLE contacts (name TEXT)", "INSERT INTO contacts VALUES ('x')")
		}, args: cmd("assessments"), want: "another program"},
		{name: "workspace is a folder", setup: func(t *testing.T, e *caseEnv) {
			os.Remove(e.db)
			os.Mkdir(e.db, 0o700)
		}, args: cmd("assessments"), want: "is a folder"},

		// Paths that cannot be used.
		{name: "missing folder", fixture: "none", args: func(e *caseEnv) []string {
			return []string{"--db", filepath.Join(e.dir, "no", "such", "ws.db"), "new", "--org", "Maple", "--title", "T"}
		}, want: "does not exist", check: func(t *testing.T, e *caseEnv) {
			if _, err := os.Stat(filepath.Join(e.dir, "no")); err == nil {
				t.Error("the missing folder was created")
			}
		}},
		{name: "folder is a file", fixture: "none", args: func(e *caseEnv) []string {
			return []string{"--db", "/etc/passwd/ws.db", "assessments"}
		}, want: "not a folder"},
		{name: "read-only workspace file", setup: readOnlyFile, opts: asNobody, args: answerCmd, want: "read-only"},
		{name: "read-only workspace folder", setup: readOnlyFolder, opts: asNobody, args: answerCmd, want: "write"},
		{name: "export under a regular file", args: func(e *caseEnv) []string {
			return []string{"export", e.id, "--format", "json", "--out", "/etc/passwd/export.json"}
		}, want: "cannot write"},
		{name: "export into a missing folder", args: func(e *caseEnv) []string {
			return []string{"export", e.id, "--format", "csv", "--out", filepath.Join(e.dir, "missing", "f.csv")}
		}, want: "cannot write"},
		{name: "export over a folder", setup: func(t *testing.T, e *caseEnv) {
			os.Mkdir(filepath.Join(e.dir, "out"), 0o700)
			os.WriteFile(filepath.Join(e.dir, "out", "keep.txt"), []byte("keep"), 0o600)
		}, args: func(e *caseEnv) []string {
			return []string{"export", e.id, "--format", "oscal", "--out", filepath.Join(e.dir, "out"), "--force"}
		}},
		{name: "export over an existing file", setup: func(t *testing.T, e *caseEnv) {
			os.WriteFile(filepath.Join(e.dir, "old.json"), []byte("keep me"), 0o600)
		}, args: func(e *caseEnv) []string {
			return []string{"export", e.id, "--format", "json", "--out", filepath.Join(e.dir, "old.json")}
		}, want: "already exists"},
		{name: "export into a read-only folder", setup: func(t *testing.T, e *caseEnv) {
			os.Mkdir(filepath.Join(e.dir, "ro"), 0o555)
			if os.Geteuid() == 0 { // the workspace and its folder stay usable for the unprivileged user
				os.Chown(e.dir, 65534, 65534)
				os.Chown(e.db, 65534, 65534)
			}
		}, opts: asNobody, args: func(e *caseEnv) []string {
			return []string{"export", e.id, "--format", "json", "--out", filepath.Join(e.dir, "ro", "f.json")}
		}, want: "cannot write"},
		// A full disk, simulated with a file size limit (RLIMIT_FSIZE, SIGXFSZ ignored):
		// writes past it fail with EFBIG as they would with ENOSPC. 16 blocks (8 KB) is
		// too small for SQLite's 32 KB shared-memory index, so the workspace cannot even be
		// opened; 80 blocks (40 KB) opens it but fails the write-ahead log of a real change,
		// and the export file (about 190 KB).
		{name: "disk full before the workspace opens", opts: fullDisk(16), args: answerCmd, want: "disk"},
		{name: "disk full while saving an answer", opts: fullDisk(80), args: func(e *caseEnv) []string {
			// A long note makes the transaction far larger than the 40 KB the log may grow to.
			return []string{"answer", e.id, "308a1iia-ra-01", "partial", "--note", strings.Repeat("Reviewed the inventory. ", 380)}
		}, want: "disk"},
		{name: "disk full during export", opts: fullDisk(80), args: func(e *caseEnv) []string {
			return []string{"export", e.id, "--format", "json", "--out", filepath.Join(e.dir, "full.json")}
		}, want: "full.json"},
		{name: "disk full while adding evidence", opts: fullDisk(80), setup: func(t *testing.T, e *caseEnv) {
			os.WriteFile(filepath.Join(e.dir, "scan.txt"), bytes.Repeat([]byte("scan "), 400_000), 0o600)
		}, args: func(e *caseEnv) []string {
			return []string{"evidence", "add", e.id, filepath.Join(e.dir, "scan.txt")}
		}},
		{name: "report under a regular file", args: func(e *caseEnv) []string {
			return []string{"report", e.id, "--out", "/etc/passwd/report.pdf"}
		}, want: "cannot write"},
		{name: "disk full while writing a report", opts: fullDisk(80), args: func(e *caseEnv) []string {
			return []string{"report", e.id, "--out", filepath.Join(e.dir, "report.pdf")}
		}, want: "report.pdf"},
		{name: "evidence export under a regular file", args: func(e *caseEnv) []string {
			return []string{"evidence", "export", e.id, e.sha, "--out", "/etc/passwd/x.txt"}
		}, want: "cannot write"},

		// Evidence files.
		{name: "empty evidence file", setup: func(t *testing.T, e *caseEnv) {
			os.WriteFile(filepath.Join(e.dir, "empty.pdf"), nil, 0o600)
		}, args: func(e *caseEnv) []string { return []string{"evidence", "add", e.id, filepath.Join(e.dir, "empty.pdf")} }, want: "empty"},
		{name: "evidence file over the limit", setup: func(t *testing.T, e *caseEnv) {
			f, _ := os.Create(filepath.Join(e.dir, "huge.iso"))
			f.Truncate(100_000_001) // sparse: instant, and one byte over the default 100 MB
			f.Close()
		}, args: func(e *caseEnv) []string { return []string{"evidence", "add", e.id, filepath.Join(e.dir, "huge.iso")} }, want: "limit"},
		{name: "evidence is a folder", args: func(e *caseEnv) []string { return []string{"evidence", "add", e.id, e.dir} }, want: "folder"},
		{name: "evidence is a device", args: func(e *caseEnv) []string { return []string{"evidence", "add", e.id, "/dev/zero"} }, want: "device"},
		{name: "evidence is a named pipe", setup: func(t *testing.T, e *caseEnv) {
			if err := syscall.Mkfifo(filepath.Join(e.dir, "pipe"), 0o600); err != nil {
				t.Skip("cannot make a named pipe:", err)
			}
		}, args: func(e *caseEnv) []string { return []string{"evidence", "add", e.id, filepath.Join(e.dir, "pipe")} }, want: "pipe"},
		{name: "evidence file name not UTF-8", setup: func(t *testing.T, e *caseEnv) {
			os.WriteFile(filepath.Join(e.dir, "scan\xff\xfe.pdf"), []byte("%PDF-1.4"), 0o600)
		}, args: func(e *caseEnv) []string {
			return []string{"evidence", "add", e.id, filepath.Join(e.dir, "scan\xff\xfe.pdf")}
		}, want: "UTF-8"},
		{name: "evidence file name very long", setup: func(t *testing.T, e *caseEnv) {
			os.WriteFile(filepath.Join(e.dir, strings.Repeat("n", 240)+".pdf"), []byte("%PDF-1.4"), 0o600)
		}, args: func(e *caseEnv) []string {
			return []string{"evidence", "add", e.id, filepath.Join(e.dir, strings.Repeat("n", 240)+".pdf")}
		}, want: "longer than"},
		{name: "evidence file name with an escape sequence", setup: func(t *testing.T, e *caseEnv) {
			os.WriteFile(filepath.Join(e.dir, "a\x1b[2Jb.txt"), []byte("x"), 0o600)
		}, args: func(e *caseEnv) []string {
			return []string{"evidence", "add", e.id, filepath.Join(e.dir, "a\x1b[2Jb.txt")}
		}, want: "control"},
		{name: "evidence --name with a direction override", args: func(e *caseEnv) []string {
			return []string{"evidence", "add", e.id, e.file, "--name", "invoice\u202efdp.exe"}
		}, want: "direction"},

		// Names and text.
		{name: "organization name not UTF-8", args: cmd("new", "--org", nonUTF8, "--title", "T"), want: "UTF-8"},
		{name: "title very long", args: cmd("new", "--org", "Maple", "--title", longName), want: "longer than"},
		{name: "title of 100 000 characters", args: cmd("new", "--org", "Maple", "--title", hugeText), want: "longer than"},
		{name: "organization name with a C1 control", args: cmd("new", "--org", c1, "--title", "T"), want: "control"},
		{name: "rename to invalid UTF-8", args: func(e *caseEnv) []string { return []string{"rename", e.id, nonUTF8} }, want: "UTF-8"},
		{name: "note of 100 000 characters", args: func(e *caseEnv) []string {
			return []string{"answer", e.id, "308a1iia-ra-01", "implemented", "--note", hugeText}
		}, want: "shorten"},
		{name: "note not UTF-8", args: func(e *caseEnv) []string {
			return []string{"answer", e.id, "308a1iia-ra-01", "implemented", "--note", nonUTF8}
		}, want: "UTF-8"},
		{name: "asset name not UTF-8", args: func(e *caseEnv) []string {
			return []string{"answer", e.id, "312a2iv-enc-02", "implemented", "--asset", nonUTF8}
		}, want: "asset"},
		{name: "actor name not UTF-8", args: func(e *caseEnv) []string {
			return []string{"--actor", nonUTF8, "answer", e.id, "308a1iia-ra-01", "implemented"}
		}, want: "UTF-8"},
		{name: "note title very long", args: func(e *caseEnv) []string {
			return []string{"evidence", "note", e.id, "--title", longName, "--text", "observed"}
		}, want: "longer than"},

		// Dates and numbers.
		{name: "sign-off date not a date", args: func(e *caseEnv) []string {
			return []string{"finalise", e.id, "--name", "Dana", "--role", "Officer", "--statement",
				"I have reviewed this risk analysis and confirm it reflects our systems.", "--date", "2025-02-30"}
		}, want: "YYYY-MM-DD"},
		{name: "valid-until not a date", args: func(e *caseEnv) []string {
			return []string{"evidence", "add", e.id, e.file, "--valid-until", "31/12/2027"}
		}, want: "YYYY-MM-DD"},
		{name: "evidence limit absurd", args: cmd("evidence", "limit", "1e999GB"), want: "size"},
		{name: "evidence limit negative", args: cmd("evidence", "limit", "--", "-5MB"), want: "size"},
		{name: "evidence limit as a flag", args: cmd("evidence", "limit", "-5MB"), want: "unknown shorthand flag"},

		// Imports.
		{name: "import not JSON", setup: writeImport([]byte("\x00\x01 this is not JSON")), args: importCmd, want: "not valid JSON"},
		{name: "import truncated export", setup: func(t *testing.T, e *caseEnv) {
			e.b.ok(t, runOpts{}, "--db", e.db, "export", e.id, "--format", "json", "--out", filepath.Join(e.dir, "full.json"))
			data, _ := os.ReadFile(filepath.Join(e.dir, "full.json"))
			os.WriteFile(filepath.Join(e.dir, "import.json"), data[:len(data)*2/3], 0o600)
			os.Remove(filepath.Join(e.dir, "full.json"))
		}, args: importCmd, want: "JSON"},
		{name: "import of a newer format", setup: writeImport([]byte(`{"format":"safeguard-assessment","version":99}`)), args: importCmd, want: "upgrade"},
		{name: "import of another format", setup: writeImport([]byte(`{"format":"oscal","version":1}`)), args: importCmd, want: "not a safeguard assessment"},
		{name: "import naming unknown questions", setup: writeImport([]byte(`{"format":"safeguard-assessment","version":1,` +
			`"assessment":{"id":"a1","title":"T","organization":"O"},"profile":{"entity_type":"provider","matrix":"nist-5x5"},` +
			`"responses":[{"question_id":"999-nope-01","status":"implemented","by":"x","at":"2026-01-01T00:00:00Z"}]}`)), args: importCmd, want: "999-nope-01"},
		{name: "import nested 100 000 deep", setup: writeImport([]byte(strings.Repeat("[", 100_000))), args: importCmd, want: "JSON"},
		{name: "import over 64 MB", setup: func(t *testing.T, e *caseEnv) {
			f, _ := os.Create(filepath.Join(e.dir, "import.json"))
			f.WriteString(`{"format":"safeguard-assessment","version":1,"assessment":{"title":"`)
			f.Truncate(65 << 20) // the rest is zero bytes, and the file is sparse
			f.Close()
		}, args: importCmd, want: "larger than 64 MB"},
		{name: "import of a folder", args: func(e *caseEnv) []string { return []string{"import", e.dir} }, want: "folder"},
		{name: "import of a missing file", args: func(e *caseEnv) []string { return []string{"import", filepath.Join(e.dir, "nope.json")} }, want: "cannot open"},

		// Passphrases.
		{name: "wrong passphrase adding evidence", fixture: "encrypted", opts: passphrase("this is not the passphrase"),
			args: func(e *caseEnv) []string { return []string{"evidence", "add", e.id, e.file} }, want: "passphrase does not unlock"},
		{name: "wrong passphrase exporting evidence", fixture: "encrypted", opts: passphrase("this is not the passphrase"),
			args: func(e *caseEnv) []string {
				return []string{"evidence", "export", e.id, e.sha, "--out", filepath.Join(e.dir, "out.txt")}
			}, want: "passphrase does not unlock", check: noFile("out.txt")},
		{name: "wrong passphrase attaching evidence to a report", fixture: "encrypted", opts: passphrase("this is not the passphrase"),
			args: func(e *caseEnv) []string {
				return []string{"report", e.id, "--out", filepath.Join(e.dir, "r.pdf"), "--attach-evidence"}
			}, want: "passphrase does not unlock", check: noFile("r.pdf")},
		{name: "wrong passphrase verifying", fixture: "encrypted", opts: passphrase("this is not the passphrase"),
			args: cmd("verify"), want: "passphrase does not unlock"},
		{name: "no passphrase and no terminal", fixture: "encrypted", args: func(e *caseEnv) []string {
			return []string{"evidence", "export", e.id, e.sha, "--out", filepath.Join(e.dir, "out.txt")}
		}, want: "SAFEGUARD_PASSPHRASE", check: noFile("out.txt")},
		{name: "passphrase too short", opts: passphrase("short"), args: cmd("encrypt"), want: "shorter"},
		{name: "encrypting twice", fixture: "encrypted", opts: passphrase(faultPassphrase), args: cmd("encrypt"), want: "already encrypted"},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each case works on its own copy in its own folder
			e := &caseEnv{b: b, dir: t.TempDir(), id: b.id, sha: b.sha}
			e.db = filepath.Join(e.dir, "ws.db")
			e.file = filepath.Join(e.dir, "minutes.txt")
			if err := os.WriteFile(e.file, []byte("Security committee minutes.\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			switch c.fixture {
			case "", "plain":
				copyFile(t, b.plain, e.db)
			case "encrypted":
				copyFile(t, b.encrypted, e.db)
			}
			if c.setup != nil {
				c.setup(t, e)
			}
			o := runOpts{dir: e.dir}
			if c.opts != nil {
				o = c.opts(e)
				o.dir = e.dir
			}
			if o.nobody && os.Geteuid() == 0 {
				// The unprivileged user must reach the case's folder.
				os.Chmod(e.dir, 0o755|os.FileMode(0o777&statMode(e.dir)))
				os.Chmod(filepath.Dir(e.dir), 0o755)
			}
			before, dirBefore := fileState(t, e.db), dirState(t, e.dir)
			args := c.args(e)
			if !slices.Contains(args, "--db") {
				args = append([]string{"--db", e.db}, args...)
			}
			r := b.run(t, o, args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2; stderr %q", r.code, r.stderr)
			}
			lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "safeguard: ") {
				t.Errorf("stderr must be one line starting \"safeguard: \", got %q", r.stderr)
			}
			// Match the sentence without the case's folder, whose name echoes the case's.
			if c.want != "" && !strings.Contains(strings.ReplaceAll(r.stderr, e.dir, "DIR"), c.want) {
				t.Errorf("stderr %q does not mention %q", r.stderr, c.want)
			}
			if strings.Contains(r.stderr, ".safeguard-") {
				t.Errorf("stderr %q names an internal temporary file instead of the file the user gave", r.stderr)
			}
			if after := fileState(t, e.db); after != before {
				t.Errorf("the workspace changed: %s -> %s", before, after)
			}
			if after := dirState(t, e.dir); after != dirBefore {
				t.Errorf("the folder changed (a file left or touched):\n before %s\n after  %s", dirBefore, after)
			}
			if c.check != nil {
				c.check(t, e)
			}
			if !t.Failed() {
				t.Logf("%s", strings.TrimSpace(r.stderr))
			}
		})
	}
}

// cmd is a fixed command.
func cmd(args ...string) func(*caseEnv) []string {
	return func(*caseEnv) []string { return args }
}

func answerCmd(e *caseEnv) []string {
	return []string{"answer", e.id, "308a1iia-ra-01", "partial", "--note", "fault suite"}
}

func importCmd(e *caseEnv) []string { return []string{"import", filepath.Join(e.dir, "import.json")} }

func writeImport(data []byte) func(*testing.T, *caseEnv) {
	return func(t *testing.T, e *caseEnv) {
		if err := os.WriteFile(filepath.Join(e.dir, "import.json"), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func passphrase(p string) func(*caseEnv) runOpts {
	return func(*caseEnv) runOpts { return runOpts{env: []string{"SAFEGUARD_PASSPHRASE=" + p}} }
}

func fullDisk(blocks int) func(*caseEnv) runOpts {
	return func(*caseEnv) runOpts { return runOpts{fsize: blocks} }
}

func asNobody(*caseEnv) runOpts { return runOpts{nobody: true} }

func noFile(name string) func(*testing.T, *caseEnv) {
	return func(t *testing.T, e *caseEnv) {
		if _, err := os.Stat(filepath.Join(e.dir, name)); err == nil {
			t.Errorf("%s was written", name)
		}
	}
}

// readOnlyFile makes the workspace file read-only for the user the command runs as. As
// root, permission bits do not stop writes, so the command runs as uid 65534 (asNobody),
// for whom the file is readable but not writable and the folder not writable either.
func readOnlyFile(t *testing.T, e *caseEnv) {
	t.Helper()
	if os.Geteuid() == 0 {
		os.Chmod(e.db, 0o644)
		os.Chmod(e.dir, 0o755)
		os.Chmod(filepath.Dir(e.dir), 0o755)
		return
	}
	os.Chmod(e.db, 0o400)
	t.Cleanup(func() { os.Chmod(e.db, 0o600) })
}

// readOnlyFolder leaves the workspace file writable but its folder not, so SQLite cannot
// create the write-ahead log beside it.
func readOnlyFolder(t *testing.T, e *caseEnv) {
	t.Helper()
	if os.Geteuid() == 0 {
		os.Chown(e.db, 65534, 65534)
		os.Chmod(e.db, 0o600)
		os.Chmod(e.dir, 0o755)
		os.Chmod(filepath.Dir(e.dir), 0o755)
		return
	}
	os.Chmod(e.dir, 0o500)
	t.Cleanup(func() { os.Chmod(e.dir, 0o700) })
}

func truncateTo(frac float64) func(*testing.T, *caseEnv) {
	return func(t *testing.T, e *caseEnv) {
		st, err := os.Stat(e.db)
		if err != nil {
			t.Fatal(err)
		}
		n := int64(float64(st.Size()) * frac)
		if err := os.Truncate(e.db, n-n%4096+1000); err != nil {
			t.Fatal(err)
		}
	}
}

func truncateBytes(n int64) func(*testing.T, *caseEnv) {
	return func(t *testing.T, e *caseEnv) {
		if err := os.Truncate(e.db, n); err != nil {
			t.Fatal(err)
		}
	}
}

func patchAt(off int64, data []byte) func(*testing.T, *caseEnv) {
	return func(t *testing.T, e *caseEnv) {
		f, err := os.OpenFile(e.db, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteAt(data, off); err != nil {
			t.Fatal(err)
		}
	}
}

// damageTable overwrites the b-tree page header of a table's root page, so any read of
// the table meets a malformed page.
func damageTable(table string) func(*testing.T, *caseEnv) {
	return func(t *testing.T, e *caseEnv) {
		raw, err := sql.Open("sqlite", "file:"+e.db+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var root int64
		var pageSize int64
		err = raw.QueryRow("SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&root, &pageSize)
		raw.Close()
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(e.db + "-wal") // left by the read-only connection, empty
		os.Remove(e.db + "-shm")
		patchAt((root-1)*pageSize, bytes.Repeat([]byte{0xFF}, 12))(t, e)
	}
}

func setUserVersion(v uint32) func(*testing.T, *caseEnv) {
	return func(t *testing.T, e *caseEnv) {
		b := make([]byte, 4)
		binary.BigEndian.PutUint32(b, v)
		patchAt(60, b)(t, e)
	}
}

func execSQL(t *testing.T, path string, stmts ...string) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// networkCall matches a line of `strace -e trace=network` output that is a call.
var networkCall = regexp.MustCompile(`\b(socket|socketpair|connect|bind|listen|accept4?|sendto|sendmsg|sendmmsg|recvfrom|recvmsg|recvmmsg|getsockopt|setsockopt|getsockname|getpeername|shutdown)\(`)

// testNoNetwork runs a day's work under strace and fails on any network system call.
func testNoNetwork(t *testing.T, b *faultBin) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed; .ci/run installs it (apt-get install strace) so CI runs this check")
	}
	if out, err := exec.Command(strace, "-f", "-o", os.DevNull, "true").CombinedOutput(); err != nil {
		t.Skipf("strace cannot trace here (%v: %s); run CI on a machine that allows ptrace", err, bytes.TrimSpace(out))
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	evidence := filepath.Join(dir, "policy.txt")
	os.WriteFile(evidence, []byte("Information security policy, approved 2026-01-15.\n"), 0o600)
	traced := func(env []string, args ...string) string {
		t.Helper()
		trace := filepath.Join(dir, fmt.Sprintf("trace-%d.txt", time.Now().UnixNano()))
		cmd := exec.Command(strace, append([]string{"-f", "-qq", "-e", "trace=network", "-o", trace, b.path, "--db", db}, args...)...)
		cmd.Env = append([]string{"HOME=" + dir, "PATH=/usr/bin:/bin", "TERM=dumb"}, env...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("safeguard %q under strace: %v; stderr %q", args, err, errb.String())
		}
		data, err := os.ReadFile(trace)
		if err != nil {
			t.Fatalf("strace wrote no trace: %v", err)
		}
		var calls []string
		for _, line := range strings.Split(string(data), "\n") {
			if networkCall.MatchString(line) {
				calls = append(calls, line)
			}
		}
		if len(calls) > 0 {
			t.Errorf("safeguard %q made network system calls:\n%s", args, strings.Join(calls, "\n"))
		}
		return out.String()
	}
	id := strings.TrimSpace(traced(nil, "demo"))
	traced(nil, "answer", id, "308a1iia-ra-01", "implemented", "--note", "no network")
	traced(nil, "evidence", "add", id, evidence, "--question", "308a1iia-ra-01")
	traced(nil, "evidence", "note", id, "--title", "Walkthrough", "--text", "Observed the backup console.")
	traced(nil, "export", id, "--format", "json", "--out", filepath.Join(dir, "a.json"))
	traced(nil, "export", id, "--format", "csv", "--out", filepath.Join(dir, "a.csv"))
	traced(nil, "export", id, "--format", "csv", "--what", "risks", "--out", filepath.Join(dir, "r.csv"))
	traced(nil, "export", id, "--format", "oscal", "--out", filepath.Join(dir, "a-oscal.json"))
	if r := b.run(t, runOpts{}, "report"); !strings.Contains(r.stderr, "unknown command") {
		traced(nil, "report", id, "--out", filepath.Join(dir, "a.pdf"))
		traced(nil, "report", id, "--out", filepath.Join(dir, "b.pdf"), "--attach-evidence")
	} else {
		t.Log("no report command in this build yet; the PDF report is not traced")
	}
	traced(nil, "import", filepath.Join(dir, "a.json"))
	traced(nil, "catalog", "--format", "json")
	traced(nil, "assessments")
	traced(nil, "verify")
	pass := []string{"SAFEGUARD_PASSPHRASE=" + faultPassphrase}
	traced(pass, "encrypt")
	traced(pass, "evidence", "export", id, sha256Hex([]byte("Information security policy, approved 2026-01-15.\n")), "--out", filepath.Join(dir, "policy-out.txt"))
	traced(pass, "verify")
	traced(nil, "version")
}

func statMode(path string) os.FileMode {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Mode().Perm()
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// testNoHTTPClient checks that no HTTP client is linked into the binary: net/http should
// not be a dependency at all; if a dependency drags it in, its client and transport must
// at least be dead code the linker dropped.
func testNoHTTPClient(t *testing.T, b *faultBin) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "net/http") {
		t.Logf("net/http is not among the %d packages the binary is built from", len(deps))
		return
	}
	why, _ := exec.Command("go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "-deps", ".").Output()
	var importers []string
	for _, line := range strings.Split(string(why), "\n") {
		if name, imports, ok := strings.Cut(line, ": "); ok && slices.Contains(strings.Fields(imports), "net/http") {
			importers = append(importers, name)
		}
	}
	nm, err := exec.Command("go", "tool", "nm", b.path).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	var linked, dialers []string
	for _, line := range strings.Split(string(nm), "\n") {
		switch {
		case strings.Contains(line, "net/http.(*Client)."), strings.Contains(line, "net/http.(*Transport)."):
			linked = append(linked, strings.TrimSpace(line))
		case strings.Contains(line, "net.(*Dialer).Dial"):
			dialers = append(dialers, strings.TrimSpace(line))
		}
	}
	if len(linked) > 0 {
		if len(linked) > 8 {
			linked = append(linked[:8], "…")
		}
		t.Errorf("the binary links an HTTP client; net/http is imported by %v; symbols:\n%s", importers, strings.Join(linked, "\n"))
		return
	}
	// Not a failure, but worth removing: net/http's package initialisation still builds
	// http.DefaultTransport with a dialer, so the binary carries dialing code.
	t.Logf("net/http is imported by %v; no http.Client or http.Transport method is linked (dialer symbols: %v)", importers, dialers)
}
