package reports

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"safeguard/assessment"
)

func csvBytes(t testing.TB, write func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// parseCSV checks the BOM and the line ends, then parses the rest with encoding/csv.
func parseCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte(BOM)) {
		t.Fatalf("the file does not start with the UTF-8 BOM: % x", data[:min(len(data), 8)])
	}
	body := data[len(BOM):]
	if n := bytes.Count(body, []byte("\n")); n != bytes.Count(body, []byte("\r\n")) {
		t.Fatalf("line ends are mixed: %d LF, %d CRLF", n, bytes.Count(body, []byte("\r\n")))
	}
	r := csv.NewReader(bytes.NewReader(body))
	rows, err := r.ReadAll() // also checks every row has the header's field count
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	return rows
}

func column(t *testing.T, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q in %v", name, header)
	}
	return i
}

func TestFindingsCSVParsesBack(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	// Hostile text: a formula in a note, a quote and line breaks, and a leading minus.
	s.Responses[0].Note = `=HYPERLINK("http://evil.invalid","click")`
	s.Responses[1].Note = "line one\nline \"two\", with a comma"
	s.Responses[2].Note = "-2+3"
	data := csvBytes(t, func(b *bytes.Buffer) error { return WriteFindingsCSV(b, s) })
	rows := parseCSV(t, data)
	if !slices.Equal(rows[0], FindingsHeader) {
		t.Fatalf("header %v", rows[0])
	}
	items := s.Items()
	if got := len(rows) - 1; got != len(items) {
		t.Fatalf("%d data rows, want one per applicable item (%d)", got, len(items))
	}
	h := rows[0]
	q, a, st, note, owner, ov := column(t, h, "question_id"), column(t, h, "asset_id"), column(t, h, "status"),
		column(t, h, "note"), column(t, h, "owner"), column(t, h, "owner_overridden")
	resp := s.ResponseMap()
	views := assessment.Analyze(s)
	from, basis := column(t, h, "inherited_from"), column(t, h, "inherited_basis")
	notes := map[string]bool{}
	overridden, inherited := 0, 0
	for i, it := range items {
		row := rows[i+1]
		k := it.Key()
		if row[q] != k.QuestionID || row[a] != k.AssetID {
			t.Fatalf("row %d is %s/%s, want %s/%s (catalog order)", i+1, row[q], row[a], k.QuestionID, k.AssetID)
		}
		want := "unanswered"
		v, _ := views.Item(k)
		if r, ok := resp[k]; ok {
			want = string(r.Status)
		} else if v.InheritedFrom != "" {
			// Inherited from a vendor review: never shown as the practice's own answer.
			want = "inherited"
			inherited++
			if row[from] != v.InheritedFrom || !strings.Contains(row[basis], "BAA signed") {
				t.Errorf("row %d inherited from %q on %q", i+1, row[from], row[basis])
			}
		}
		if row[st] != want {
			t.Errorf("row %d status %q, want %q", i+1, row[st], want)
		}
		if row[owner] == "" {
			t.Errorf("row %d has no owner", i+1)
		}
		if row[ov] == "yes" {
			overridden++
		}
		notes[row[note]] = true
	}
	if c := views.Summary.Overall.Inherited + views.Summary.Proposed.Inherited; inherited != c || c == 0 {
		t.Errorf("%d rows inherited, the Analysis counts %d (the demo has some)", inherited, c)
	}
	if overridden != len(s.Overrides) {
		t.Errorf("%d rows marked overridden, want %d", overridden, len(s.Overrides))
	}
	for _, want := range []string{
		`'=HYPERLINK("http://evil.invalid","click")`,
		"line one\nline \"two\", with a comma",
		"'-2+3",
	} {
		if !notes[want] {
			t.Errorf("no note cell reads %q", want)
		}
	}
	// Every data row is one item; the org-wide rows have no asset.
	org := 0
	for _, row := range rows[1:] {
		if row[a] == "" {
			org++
		}
	}
	if org == 0 || org == len(items) {
		t.Errorf("%d organization rows of %d; want some of each", org, len(items))
	}
}

func TestFindingsCSVVendorIssuesAndEvidence(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	rows := parseCSV(t, csvBytes(t, func(b *bytes.Buffer) error { return WriteFindingsCSV(b, s) }))
	h := rows[0]
	q, asset, issues, count, names := column(t, h, "question_id"), column(t, h, "asset"), column(t, h, "vendor_issues"),
		column(t, h, "evidence_count"), column(t, h, "evidence")
	soc2, bitlocker := false, false
	for _, row := range rows[1:] {
		if row[asset] == "Telehealth" || strings.Contains(row[issues], "SOC 2") {
			soc2 = soc2 || strings.Contains(row[issues], "SOC 2")
		}
		if row[q] == "312a2iv-enc-02" && row[count] == "1" && strings.Contains(row[names], "BitLocker") {
			bitlocker = true
		}
	}
	if !soc2 {
		t.Error("no row carries the telehealth vendor's SOC 2-only issue")
	}
	if !bitlocker {
		t.Error("the BitLocker evidence is not counted on 312a2iv-enc-02")
	}
}

func TestRisksCSVParsesBack(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	s.Risks[0].Measures = "@SUM(A1:A9)"
	rows := parseCSV(t, csvBytes(t, func(b *bytes.Buffer) error { return WriteRisksCSV(b, s) }))
	if !slices.Equal(rows[0], RisksHeader) {
		t.Fatalf("header %v", rows[0])
	}
	if got := len(rows) - 1; got != len(s.Risks) {
		t.Fatalf("%d risk rows, want %d", got, len(s.Risks))
	}
	h := rows[0]
	id, level, l, i, measures := column(t, h, "risk_id"), column(t, h, "level"), column(t, h, "likelihood"), column(t, h, "impact"), column(t, h, "measures")
	m := s.Profile.Matrix.OrDefault()
	byID := map[string]assessment.Risk{}
	for _, r := range s.Risks {
		byID[r.ID] = r
	}
	order, n := assessment.Analyze(s).Risks, 0
	ref := column(t, h, "ref")
	seen := map[string]bool{}
	for _, row := range rows[1:] {
		r, ok := byID[row[id]]
		if !ok || seen[r.ID] {
			t.Fatalf("row for unknown or repeated risk %q", row[id])
		}
		seen[r.ID] = true
		lv := m.Level(r.Likelihood, r.Impact)
		wantLabel := ""
		if lv != assessment.LevelNone {
			wantLabel = m.Label(lv)
		}
		if row[level] != wantLabel || row[l] != rating(r.Likelihood) || row[i] != rating(r.Impact) {
			t.Errorf("risk %s: level %q L %q I %q", r.ID, row[level], row[l], row[i])
		}
		if want := order[n]; row[id] != want.ID || row[ref] != want.Ref {
			t.Errorf("row %d is %s %s, want %s %s: the register order of the Analysis (and the PDF)", n+1, row[ref], row[id], want.Ref, want.ID)
		}
		n++
		if r.ID == s.Risks[0].ID && row[measures] != "'@SUM(A1:A9)" {
			t.Errorf("the formula in measures was not neutralized: %q", row[measures])
		}
	}
}

func TestCSVIsDeterministic(t *testing.T) {
	t.Parallel()
	for name, write := range map[string]func(*bytes.Buffer, *assessment.Snapshot) error{
		"findings": func(b *bytes.Buffer, s *assessment.Snapshot) error { return WriteFindingsCSV(b, s) },
		"risks":    func(b *bytes.Buffer, s *assessment.Snapshot) error { return WriteRisksCSV(b, s) },
	} {
		a := csvBytes(t, func(b *bytes.Buffer) error { return write(b, demoSnapshot(t)) })
		b := csvBytes(t, func(b *bytes.Buffer) error { return write(b, demoSnapshot(t)) })
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two exports of the same snapshot differ", name)
		}
	}
}

func TestNeutralizeCell(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"=1+1", "'=1+1"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"  =1", "'  =1"},
		{"\n-1", "'\n-1"},
		{"＝1", "'＝1"},
		{"a=b", "a=b"},
		{"2026-11-20", "2026-11-20"},
		{"   ", "   "},
		{"§164.308", "§164.308"},
	}
	for _, c := range cases {
		if got := NeutralizeCell(c.in); got != c.want {
			t.Errorf("NeutralizeCell(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

func TestCSVRefusesMissingCatalog(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteFindingsCSV(&b, &assessment.Snapshot{}); err == nil {
		t.Error("findings without a catalog should be refused")
	}
	if err := WriteRisksCSV(&b, nil); err == nil {
		t.Error("a nil snapshot should be refused")
	}
}

func TestLargeCSVRowCounts(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("large assessment")
	}
	s := largeSnapshot(t, 1)
	if len(s.Assets) != 40 || len(s.Risks) != 500 || len(s.Evidence) != 200 {
		t.Fatalf("large snapshot: %d assets, %d risks, %d evidence", len(s.Assets), len(s.Risks), len(s.Evidence))
	}
	if got, want := answeredItems(s), len(s.Items()); got != want {
		t.Fatalf("%d of %d items answered; the large assessment answers all", got, want)
	}
	rows := parseCSV(t, csvBytes(t, func(b *bytes.Buffer) error { return WriteFindingsCSV(b, s) }))
	if len(rows)-1 != len(s.Items()) {
		t.Errorf("%d rows, want %d", len(rows)-1, len(s.Items()))
	}
	rows = parseCSV(t, csvBytes(t, func(b *bytes.Buffer) error { return WriteRisksCSV(b, s) }))
	if len(rows)-1 != 500 {
		t.Errorf("%d risk rows, want 500", len(rows)-1)
	}
}
