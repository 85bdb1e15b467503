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
	// The default profile of a new assessment is a provider with no assets: answer every
	// organization question so nothing blocks finalizing.
	catOut, _, _ := cli(t, "catalog", "--format", "json")
	var cat struct {
		Questions []struct {
			ID, Scope, Specification, Condition string
			Proposed                            bool
		}
		Standards []struct {
			Specifications []struct{ ID, Requirement string }
		}
	}
	json.Unmarshal([]byte(catOut), &cat)
	addressable := map[string]bool{}
	for _, s := range cat.Standards {
		for _, sp := range s.Specifications {
			addressable[sp.ID] = sp.Requirement == "addressable"
		}
	}
	for _, q := range cat.Questions {
		if q.Scope != "organization" || q.Condition != "" || q.Proposed {
			continue
		}
		args := []string{"--db", db, "answer", id, q.ID, "implemented"}
		if addressable[q.Specification] {
			args = append(args, "--decision", "as-specified")
		}
		if _, e, code := cli(t, args...); code != 0 {
			t.Fatalf("answer %s: %s", q.ID, e)
		}
	}
	if _, e, code := cli(t, "--db", db, "finalise", id, "--name", "Dana Reyes", "--role", "Security official", "--statement", "Reviewed."); code != 0 {
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
