package main

import (
	"encoding/json"
	"path/filepath"
	"safeguard/assessment"
	"strings"
	"testing"
)

func TestCLIAssessmentLifecycle(t *testing.T) {
	t.Parallel()
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
