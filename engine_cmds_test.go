package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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

func TestCLIAnswerExportImportRoundTrip(t *testing.T) {
	db, id := demoWorkspace(t)
	out, errOut, code := cli(t, "--db", db, "answer", id[:8], "312a2iv-enc-01", "not-implemented", "--asset", "pacs imaging server",
		"--decision", "not-reasonable", "--rationale", "Legacy modality; compensated by a locked room", "--note", "Checked 3 March")
	if code != 0 || !strings.Contains(out, "Saved 312a2iv-enc-01") {
		t.Fatalf("answer: %d %q %q", code, out, errOut)
	}
	dir := t.TempDir()
	first := filepath.Join(dir, "first.json")
	if _, e, code := cli(t, "--db", db, "export", id, "--format", "json", "--out", first); code != 0 {
		t.Fatalf("export: %d %s", code, e)
	}
	db2 := filepath.Join(dir, "other.db")
	out, e, code := cli(t, "--db", db2, "import", first)
	if code != 0 || strings.TrimSpace(out) != id {
		t.Fatalf("import into an empty workspace: %d %q %s (IDs are kept)", code, out, e)
	}
	second := filepath.Join(dir, "second.json")
	cli(t, "--db", db2, "export", id, "--format", "json", "--out", second)
	a, b := normalise(t, first), normalise(t, second)
	if !bytes.Equal(a, b) {
		t.Fatal("export → import → export changed the document beyond the documented fields")
	}
	if out, _, code := cli(t, "--db", db2, "verify"); code != 0 {
		t.Fatalf("verify after import: %s", out)
	}
}

// normalise drops the fields documented to differ after a round trip: the export time,
// the assessment's created/changed times (those of the import), the integrity block (each
// export names its own workspace's chain) and the imported-from marks of answers and
// evidence (the second export is of imported work).
func normalise(t *testing.T, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "exported_at")
	delete(m, "integrity")
	for _, list := range []string{"responses", "evidence"} {
		items, _ := m[list].([]any)
		for _, it := range items {
			delete(it.(map[string]any), "imported_from")
		}
	}
	a := m["assessment"].(map[string]any)
	delete(a, "created_at")
	delete(a, "updated_at")
	b, _ := json.Marshal(m)
	return b
}

func TestCLIEngineBadInput(t *testing.T) {
	db, id := demoWorkspace(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o600)
		return p
	}
	malformed := write("bad.json", "{not json")
	future := write("future.json", `{"format":"safeguard-assessment","version":99}`)
	export := filepath.Join(dir, "demo.json")
	cli(t, "--db", db, "export", id, "--format", "json", "--out", export)
	raw, _ := os.ReadFile(export)
	unknownQ := write("unknownq.json", strings.Replace(string(raw), `"question_id": "308a1iia-ra-01"`, `"question_id": "999zz-none-01"`, 1))
	big := filepath.Join(dir, "big.json")
	f, _ := os.Create(big)
	f.Truncate(65<<20 + 1)
	f.Close()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown assessment", []string{"answer", "ffffffff", "308a1iia-ra-01", "implemented"}, "no assessment has the ID"},
		{"unknown question", []string{"answer", id, "999zz-none-01", "implemented"}, "unknown question"},
		{"unknown asset", []string{"answer", id, "312a2iv-enc-01", "implemented", "--asset", "Mainframe"}, "no asset"},
		{"bad status", []string{"answer", id, "308a1iia-ra-01", "done"}, "not valid"},
		{"decision on required", []string{"answer", id, "308a1iia-ra-01", "implemented", "--decision", "as-specified"}, "required specification"},
		{"N/A without reason", []string{"answer", id, "308a1iia-ra-01", "not-applicable"}, "needs a reason"},
		{"alternative without its measure", []string{"answer", id, "312a2iv-enc-01", "implemented", "--asset", "Cloud EHR", "--decision", "alternative"}, "--measure"},
		{"malformed import", []string{"import", malformed}, "not valid JSON"},
		{"future format", []string{"import", future}, "format version 99"},
		{"import with unknown question", []string{"import", unknownQ}, "999zz-none-01"},
		{"oversized import", []string{"import", big}, "larger than"},
		{"missing import file", []string{"import", filepath.Join(dir, "nope.json")}, "cannot open"},
		{"export exists", []string{"export", id, "--format", "json", "--out", export}, "already exists"},
		{"export bad folder", []string{"export", id, "--format", "json", "--out", filepath.Join(dir, "no", "x.json")}, "cannot write"},
		{"revise a draft", []string{"revise", id, "--title", "Next"}, "not final"},
		{"finalise unready", []string{"finalise", id, "--name", "Dana", "--role", "Security official", "--statement",
			"I have reviewed this risk analysis and confirm it reflects our systems."}, "block finalizing"},
		{"finalise with ok", []string{"finalise", id, "--name", "Dana", "--role", "Security official", "--statement", "OK"}, "not a sentence"},
	}
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

func TestCLIFinaliseReviseCompare(t *testing.T) {
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
