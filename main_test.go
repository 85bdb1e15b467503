package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"safeguard/assessment"
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

// TestMain keeps the tests' last-seen records and signing keys out of the developer's
// home: the user state and config folders point into a temporary folder.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "safeguard-main-test-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	os.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	code := m.Run()
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

func TestCLIAssessmentLifecycle(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	out, errOut, code := cli(t, "--db", db, "--actor", "alice", "new", "--org", "Maple Family Practice", "--title", "2026 risk analysis")
	if code != 0 || !uuidRE.MatchString(strings.TrimSpace(out)) {
		t.Fatalf("new: code %d, out %q, err %q", code, out, errOut)
	}
	id := strings.TrimSpace(out)

	out, _, code = cli(t, "--db", db, "assessments")
	if code != 0 || !strings.Contains(out, "Maple Family Practice") || !strings.Contains(out, "draft") {
		t.Fatalf("assessments: code %d, out %q", code, out)
	}
	out, _, code = cli(t, "--db", db, "assessments", "--json")
	var list []assessment.Assessment
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 || list[0].ID != id {
		t.Fatalf("assessments --json: code %d, out %q", code, out)
	}

	if _, e, code := cli(t, "--db", db, "rename", id[:8], "Renamed"); code != 0 {
		t.Fatalf("rename by prefix: code %d, err %q", code, e)
	}
	_, errOut, code = cli(t, "--db", db, "delete", id)
	if code != 2 || !strings.Contains(errOut, "--yes") {
		t.Fatalf("delete without a terminal or --yes: code %d, err %q", code, errOut)
	}
	oneSentence(t, errOut)

	out, _, code = cli(t, "--db", db, "verify")
	if code != 0 || !strings.HasPrefix(out, "OK: 3 audit entries") { // the identity, the assessment, the rename
		t.Fatalf("verify: code %d, out %q", code, out)
	}
	if _, e, code := cli(t, "--db", db, "delete", id, "--yes"); code != 0 {
		t.Fatalf("delete --yes: code %d, err %q", code, e)
	}
	out, _, _ = cli(t, "--db", db, "assessments", "--json")
	if strings.TrimSpace(out) != "[]" {
		t.Fatalf("after delete, assessments --json = %q, want []", out)
	}
	out, _, code = cli(t, "--db", db, "verify")
	if code != 0 || !strings.HasPrefix(out, "OK: 4 audit entries") {
		t.Fatalf("verify after delete: code %d, out %q", code, out)
	}
}

func TestCLIVerifyFailsWithExit1(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	cli(t, "--db", db, "new", "--org", "Maple", "--title", "T")
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE assessments SET organization = 'Oak'"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, errOut, code := cli(t, "--db", db, "verify")
	if code != 1 || !strings.Contains(errOut, "changed outside safeguard") {
		t.Fatalf("verify on tampered workspace: code %d, err %q", code, errOut)
	}
}

func TestCLIBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	cli(t, "--db", db, "new", "--org", "Maple", "--title", "T")
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("just some text, not a database at all, sorry\n"), 0o600)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing folder", []string{"--db", filepath.Join(dir, "no", "ws.db"), "assessments"}, "does not exist"},
		{"not a database", []string{"--db", notDB, "assessments"}, "not a safeguard workspace"},
		{"unknown flag", []string{"--db", db, "assessments", "--colour"}, "unknown flag"},
		{"unknown command", []string{"--db", db, "frobnicate"}, "unknown command"},
		{"missing org", []string{"--db", db, "new", "--title", "x"}, "org"},
		{"empty org", []string{"--db", db, "new", "--org", " ", "--title", "x"}, "organization name is empty"},
		{"control characters", []string{"--db", db, "new", "--org", "a\x07b", "--title", "x"}, "control character"},
		{"unknown assessment", []string{"--db", db, "rename", "ffffffff", "x"}, "no assessment has the ID"},
		{"unknown lens", []string{"catalog", "--lens", "gdpr"}, "unknown lens"},
		{"unknown format", []string{"catalog", "--format", "xml"}, "unknown format"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := os.ReadFile(db)
			_, errOut, code := cli(t, c.args...)
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

func TestCLINewerWorkspaceIsRefusedUnchanged(t *testing.T) {
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
	db := filepath.Join(t.TempDir(), "ws.db")
	_, errOut, code := cli(t, "--db", db)
	if code != 2 || !strings.Contains(errOut, "needs a terminal") {
		t.Fatalf("TUI without a terminal: %d %q", code, errOut)
	}
	oneSentence(t, errOut)
}
