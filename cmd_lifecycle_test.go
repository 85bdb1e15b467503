package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestCLIFinaliseReviseCompare(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "ws.db")
	out, _, _ := cli(t, "--db", db, "new", "--org", "Tiny Clinic", "--title", "2026 review")
	id := strings.TrimSpace(out)
	// A one-person clinic with one on-premises PC and no vendors: describe it, then answer
	// every applicable item so nothing blocks finalising.
	describeTinyClinic(t, db, id)
	catOut, _, _ := cli(t, "catalog", "--format", "json")
	var cat struct {
		Questions []struct{ ID string }
	}
	json.Unmarshal([]byte(catOut), &cat)
	answerEverything(t, db, id)
	if _, e, code := cli(t, "--db", db, "finalise", id, "--name", "Dana Reyes", "--role", "Security official", "--statement", attestation); code != 0 {
		t.Fatalf("finalise: %s", e)
	}
	if _, e, code := cli(t, "--db", db, "answer", id, cat.Questions[0].ID, "partial"); code != 2 || !strings.Contains(e, "final") {
		t.Fatalf("answering a final assessment: %d %s", code, e)
	}
	out, e, code := cli(t, "--db", db, "revise", id, "--title", "2027 review")
	if code != 0 {
		t.Fatalf("revise: %s", e)
	}
	rev := strings.TrimSpace(out)
	cli(t, "--db", db, "answer", rev, cat.Questions[0].ID, "partial")
	out, _, code = cli(t, "--db", db, "compare", id, rev)
	if code != 0 || !strings.Contains(out, "1 regressed") {
		t.Fatalf("compare: %d %s", code, out)
	}
	if out, _, code := cli(t, "--db", db, "verify"); code != 0 {
		t.Fatalf("verify: %s", out)
	}
}

// TestCLIFinalizeKeepsItsOldName: finalize is the documented spelling; finalize, the name
// of the first versions, still works for existing scripts.
func TestCLIFinalizeKeepsItsOldName(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"finalize", "finalise"} {
		out, errOut, code := cli(t, name, "--help")
		if code != 0 || !strings.Contains(out, "Sign off and lock") {
			t.Errorf("%s --help: code %d, out %q, err %q", name, code, out, errOut)
		}
	}
}
