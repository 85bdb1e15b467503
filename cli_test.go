package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"safeguard/assessment/assessmenttest"
	"strings"
	"testing"
)

// cli runs the CLI in-process with the given arguments. run removes the passphrase
// variables from the environment, as the binary does; cli puts them back afterwards, so
// that a test's t.Setenv holds for each command it runs.
func cli(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	saved := map[string]string{}
	for _, k := range []string{passphraseEnv, keyPassphraseEnv, newPassphraseEnv} {
		if v, ok := os.LookupEnv(k); ok {
			saved[k] = v
		}
	}
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	for k, v := range saved {
		os.Setenv(k, v)
	}
	return out.String(), errb.String(), code
}

// testTemp is the test process's temporary folder (TestMain removes it at the end).
var testTemp string

// TestMain keeps the tests' last-seen records and signing keys out of the developer's
// home: the user state and config folders point into a temporary folder. Up to 6 tests
// run at once: the built-binary suites mostly wait on their child processes.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "safeguard-main-test-")
	if err != nil {
		panic(err)
	}
	testTemp = dir
	os.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	code := assessmenttest.RunWaiting(m, 6)
	os.RemoveAll(dir)
	os.Exit(code)
}

// oneSentence checks the CLI contract for errors: a single line on stderr.
func oneSentence(t *testing.T, stderr string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "safeguard: ") {
		t.Errorf("stderr should be one line starting with 'safeguard: ', got %q", stderr)
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// demoWorkspace makes a workspace holding the demo and returns its path and ID.
func demoWorkspace(t *testing.T) (string, string) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "ws.db")
	out, errOut, code := cli(t, "--db", db, "demo")
	if code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	return db, strings.TrimSpace(out)
}

// badCase is one bad input: the arguments (after --db) and what the error must mention.
type badCase struct {
	name string
	args []string
	want string
}

// badInput runs each case against the workspace db and checks the CLI contract for bad
// input: exit code 2, one sentence on stderr that mentions want, and the workspace
// unchanged byte for byte.
func badInput(t *testing.T, db string, cases []badCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := os.ReadFile(db)
			_, errOut, code := cli(t, append([]string{"--db", db}, c.args...)...)
			if code != 2 || !strings.Contains(errOut, c.want) {
				t.Fatalf("code %d, stderr %q; want exit 2 mentioning %q", code, errOut, c.want)
			}
			oneSentence(t, errOut)
			after, _ := os.ReadFile(db)
			if !bytes.Equal(before, after) {
				t.Error("the workspace changed")
			}
		})
	}
}

func TestCLIBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	cli(t, "--db", db, "new", "--org", "Maple", "--title", "T")
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("just some text, not a database at all, sorry\n"), 0o600)
	badInput(t, db, []badCase{
		{"missing folder", []string{"--db", filepath.Join(dir, "no", "ws.db"), "assessments"}, "does not exist"},
		{"not a database", []string{"--db", notDB, "assessments"}, "not a safeguard workspace"},
		{"unknown flag", []string{"--db", db, "assessments", "--color"}, "unknown flag"},
		{"unknown command", []string{"--db", db, "frobnicate"}, "unknown command"},
		{"missing org", []string{"--db", db, "new", "--title", "x"}, "org"},
		{"empty org", []string{"--db", db, "new", "--org", " ", "--title", "x"}, "organization name is empty"},
		{"control characters", []string{"--db", db, "new", "--org", "a\x07b", "--title", "x"}, "control character"},
		{"unknown assessment", []string{"--db", db, "rename", "ffffffff", "x"}, "no assessment has the ID"},
		{"unknown lens", []string{"catalog", "--lens", "gdpr"}, "unknown lens"},
		{"unknown format", []string{"catalog", "--format", "xml"}, "unknown format"},
	})
}

func TestCLINewerWorkspaceIsRefusedUnchanged(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "ws.db")
	cli(t, "--db", db, "new", "--org", "Maple", "--title", "T")
	raw, _ := sql.Open("sqlite", db)
	raw.Exec("PRAGMA user_version = 99")
	raw.Close()
	before, _ := os.ReadFile(db)
	_, errOut, code := cli(t, "--db", db, "assessments")
	if code != 2 || !strings.Contains(errOut, "newer safeguard") {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	after, _ := os.ReadFile(db)
	if !bytes.Equal(before, after) {
		t.Fatal("the newer workspace was modified")
	}
}

func TestCLIEnvironmentChoosesWorkspace(t *testing.T) {
	db := filepath.Join(t.TempDir(), "env.db")
	t.Setenv("SAFEGUARD_DB", db)
	if _, e, code := cli(t, "new", "--org", "Env Clinic", "--title", "T"); code != 0 {
		t.Fatalf("new with SAFEGUARD_DB: %d %q", code, e)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("SAFEGUARD_DB was not used: %v", err)
	}
}

func TestCLIVersionAndHelp(t *testing.T) {
	t.Parallel()
	out, _, code := cli(t, "version")
	if code != 0 || !strings.HasPrefix(out, "safeguard ") || !strings.Contains(out, "workspace schema") {
		t.Fatalf("version: %d %q", code, out)
	}
	for _, sub := range []string{"new", "assessments", "verify", "catalog", "delete", "rename", "version"} {
		out, _, code := cli(t, sub, "--help")
		if code != 0 || !strings.Contains(out, "--db") {
			t.Errorf("%s --help: code %d, no --db flag in %q", sub, code, out)
		}
	}
	out, _, code = cli(t, "completion", "bash")
	if code != 0 || !strings.Contains(out, "safeguard") {
		t.Errorf("completion bash: code %d", code)
	}
}

func TestCLITUINeedsATerminal(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "ws.db")
	_, errOut, code := cli(t, "--db", db)
	if code != 2 || !strings.Contains(errOut, "needs a terminal") {
		t.Fatalf("TUI without a terminal: %d %q", code, errOut)
	}
	oneSentence(t, errOut)
}
