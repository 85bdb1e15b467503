package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"safeguard/store"
)

// TestCLIExport runs `safeguard demo` into a fresh workspace and exports it in every format.
func TestCLIExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	out, errOut, code := cli(t, "--db", db, "demo")
	if code != 0 {
		t.Fatalf("demo: code %d, err %q", code, errOut)
	}
	id := strings.TrimSpace(out)

	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(context.Background(), id)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}

	export := func(name string, args ...string) []byte {
		t.Helper()
		path := filepath.Join(dir, name)
		a := append([]string{"--db", db, "export", id[:8], "--out", path}, args...)
		if _, e, code := cli(t, a...); code != 0 {
			t.Fatalf("export %v: code %d, err %q", args, code, e)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	parse := func(data []byte) [][]string {
		t.Helper()
		if !bytes.HasPrefix(data, []byte("\ufeff")) {
			t.Fatal("the CSV has no UTF-8 BOM")
		}
		rows, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}

	findings := export("findings.csv", "--format", "csv")
	rows := parse(findings)
	if rows[0][0] != "assessment_id" || len(rows)-1 != len(snap.Items()) {
		t.Errorf("findings CSV: header %v, %d rows for %d applicable items", rows[0][:3], len(rows)-1, len(snap.Items()))
	}
	if again := export("findings-2.csv", "--format", "csv", "--what", "findings"); !bytes.Equal(findings, again) {
		t.Error("two CSV exports of the unchanged assessment differ")
	}
	risks := parse(export("risks.csv", "--format", "csv", "--what", "risks"))
	if risks[0][1] != "risk_id" || len(risks)-1 != len(snap.Risks) {
		t.Errorf("risk register: header %v, %d rows for %d risks", risks[0][:3], len(risks)-1, len(snap.Risks))
	}

	oscal := export("ar.json", "--format", "oscal")
	if again := export("ar-2.json", "--format", "oscal"); !bytes.Equal(oscal, again) {
		t.Error("two OSCAL exports of the unchanged assessment differ")
	}
	var doc struct {
		AR struct {
			Metadata struct {
				OSCALVersion string `json:"oscal-version"`
			} `json:"metadata"`
		} `json:"assessment-results"`
	}
	if err := json.Unmarshal(oscal, &doc); err != nil || doc.AR.Metadata.OSCALVersion != "1.2.2" {
		t.Fatalf("OSCAL export: %v, version %q", err, doc.AR.Metadata.OSCALVersion)
	}
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(filepath.Join("reports", "testdata", "oscal_complete_schema-1.2.2.json"))
	if err != nil {
		t.Fatal(err)
	}
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(oscal))
	if err := sch.Validate(inst); err != nil {
		t.Errorf("the exported OSCAL does not validate: %.2000v", err)
	}

	if j := export("whole.json", "--format", "json"); !bytes.Contains(j, []byte(`"format": "safeguard-assessment"`)) {
		t.Error("the JSON export is not an assessment document")
	}
	if info, err := os.Stat(filepath.Join(dir, "findings.csv")); err != nil || info.Mode().Perm()&0o077 != 0 {
		t.Errorf("the export should be readable only by its owner: %v %v", info.Mode(), err)
	}
}

func TestCLIExportBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	out, _, _ := cli(t, "--db", db, "demo")
	id := strings.TrimSpace(out)
	existing := filepath.Join(dir, "existing.csv")
	os.WriteFile(existing, []byte("keep me"), 0o600)
	fresh := filepath.Join(dir, "new.csv")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown format", []string{"--format", "xml", "--out", fresh}, "unknown export format"},
		{"unknown table", []string{"--format", "csv", "--what", "vendors", "--out", fresh}, "unknown --what"},
		{"what without csv", []string{"--format", "oscal", "--what", "risks", "--out", fresh}, "--what"},
		{"existing file", []string{"--format", "csv", "--out", existing}, "already exists"},
		{"missing folder", []string{"--format", "oscal", "--out", filepath.Join(dir, "no", "x.json")}, "cannot write"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"--db", db, "export", id}, c.args...)
			_, errOut, code := cli(t, args...)
			if code != 2 || !strings.Contains(errOut, c.want) {
				t.Fatalf("code %d, stderr %q; want exit 2 mentioning %q", code, errOut, c.want)
			}
			oneSentence(t, errOut)
			if _, err := os.Stat(fresh); err == nil {
				t.Error("a refused export wrote a file")
			}
		})
	}
	if data, _ := os.ReadFile(existing); string(data) != "keep me" {
		t.Error("the existing file was changed without --force")
	}
	if _, e, code := cli(t, "--db", db, "export", id, "--format", "csv", "--out", existing, "--force"); code != 0 {
		t.Fatalf("--force: code %d, err %q", code, e)
	}
	if data, _ := os.ReadFile(existing); !bytes.HasPrefix(data, []byte("\ufeffassessment_id,")) {
		t.Error("--force did not replace the file")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("a temporary file was left behind: %s", e.Name())
		}
	}
	out, _, code := cli(t, "export", "--help")
	for _, want := range []string{"byte order mark", "apostrophe", "oscal", "--what"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("export --help does not mention %q", want)
		}
	}
}
