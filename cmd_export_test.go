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
	t.Parallel()
	dir := t.TempDir()
	db, id := demoWorkspace(t)

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
	t.Parallel()
	dir := t.TempDir()
	db, id := demoWorkspace(t)
	existing := filepath.Join(dir, "existing.csv")
	os.WriteFile(existing, []byte("keep me"), 0o600)
	fresh := filepath.Join(dir, "new.csv")
	badInput(t, db, []badCase{
		{"unknown format", []string{"export", id, "--format", "xml", "--out", fresh}, "unknown export format"},
		{"unknown table", []string{"export", id, "--format", "csv", "--what", "vendors", "--out", fresh}, "unknown --what"},
		{"what without csv", []string{"export", id, "--format", "oscal", "--what", "risks", "--out", fresh}, "--what"},
		{"existing file", []string{"export", id, "--format", "csv", "--out", existing}, "already exists"},
		{"missing folder", []string{"export", id, "--format", "oscal", "--out", filepath.Join(dir, "no", "x.json")}, "cannot write"},
	})
	if _, err := os.Stat(fresh); err == nil {
		t.Error("a refused export wrote a file")
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

func TestCLIAnswerExportImportRoundTrip(t *testing.T) {
	t.Parallel()
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
	a, b := normalize(t, first), normalize(t, second)
	if !bytes.Equal(a, b) {
		t.Fatal("export → import → export changed the document beyond the documented fields")
	}
	if out, _, code := cli(t, "--db", db2, "verify"); code != 0 {
		t.Fatalf("verify after import: %s", out)
	}
}

// normalize drops the fields documented to differ after a round trip: the export time and
// the assessment's created/changed times (those of the import).
func normalize(t *testing.T, path string) []byte {
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
	// Each export names its own workspace's chain, and the second export is of imported
	// work, whose answers and evidence are marked with the file they came from.
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

// TestExportFormat checks the --format/--what mapping onto the output table without
// running the CLI.
func TestExportFormat(t *testing.T) {
	t.Parallel()
	cases := []struct {
		format, what string
		whatGiven    bool
		want, err    string
	}{
		{"json", "findings", false, "json", ""},
		{"oscal", "findings", false, "oscal", ""},
		{"csv", "findings", false, "findings-csv", ""},
		{"csv", "risks", true, "risks-csv", ""},
		{"csv", "vendors", true, "", "unknown --what"},
		{"oscal", "risks", true, "", "--what chooses the CSV table"},
		{"xml", "findings", false, "", "unknown export format"},
	}
	for _, c := range cases {
		f, err := exportFormat(c.format, c.what, c.whatGiven)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s/%s: error %v, want one mentioning %q", c.format, c.what, err, c.err)
		case c.err == "" && (err != nil || f.Name != c.want):
			t.Errorf("%s/%s: format %q (%v), want %q", c.format, c.what, f.Name, err, c.want)
		}
	}
}
