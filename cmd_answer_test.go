package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCLIAnswerAndImportBadInput(t *testing.T) {
	t.Parallel()
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
	badInput(t, db, []badCase{
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
		{"finalize unready", []string{"finalize", id, "--name", "Dana", "--role", "Security official", "--statement",
			"I have reviewed this risk analysis and confirm it reflects our systems."}, "block finalizing"},
		{"finalize with ok", []string{"finalize", id, "--name", "Dana", "--role", "Security official", "--statement", "OK"}, "not a sentence"},
	})
}
