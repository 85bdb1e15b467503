package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"safeguard/store"
)

// TestCLICompact: `evidence compact` is refused, with one sentence, exit 2 and the
// workspace unchanged, while another holder (as the full-screen view does) has the
// workspace open; once it is closed, compact runs and the workspace still verifies. An
// unfinished copy a killed compact left is removed by the next command, which says so.
func TestCLICompact(t *testing.T) {
	db, id := demoWorkspace(t)
	holder, err := store.Open(db, store.Options{Actor: "tui"})
	if err != nil {
		t.Fatal(err)
	}
	before := readFile(t, db)
	_, errOut, code := cli(t, "--db", db, "evidence", "compact")
	if code != exitBadInput || !strings.Contains(errOut, "open") || !strings.Contains(errOut, "compact again") {
		t.Errorf("compact while the workspace is open: exit %d, %q", code, errOut)
	}
	oneSentence(t, errOut)
	if readFile(t, db) != before {
		t.Error("the refused compact changed the workspace")
	}
	// The holder goes on saving into the same file.
	if _, err := holder.Assessments(context.Background()); err != nil {
		t.Errorf("the holder after the refusal: %v", err)
	}
	holder.Close()

	out, errOut, code := cli(t, "--db", db, "evidence", "compact")
	if code != 0 || !strings.Contains(out, "Compacted "+db) || errOut != "" {
		t.Fatalf("compact: exit %d, %q %q", code, out, errOut)
	}
	if _, errOut, code := cli(t, "--db", db, "verify"); code != 0 {
		t.Errorf("verify after compact: exit %d %q", code, errOut)
	}
	if _, errOut, code := cli(t, "--db", db, "answer", id, "308a1iia-ra-01", "implemented"); code != 0 {
		t.Errorf("a change after compact: exit %d %q", code, errOut)
	}

	left := filepath.Join(filepath.Dir(db), ".safeguard-compact-ws.db-4242.tmp")
	if err := os.WriteFile(left, []byte("half a workspace"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = cli(t, "--db", db, "assessments")
	if code != 0 || !strings.Contains(errOut, "removed 1 unfinished copy that an interrupted compact left") {
		t.Errorf("the next command after a killed compact: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(left); err == nil {
		t.Error("the unfinished copy is still there")
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
