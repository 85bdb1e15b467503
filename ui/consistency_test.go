package ui

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
	"safeguard/reports"
	"safeguard/ui/common"
	"safeguard/ui/dashboard"
	"safeguard/ui/uitest"
)

// TestEveryFrontEndStatesTheSameFigures (issue 11, item 1): for the demo and the large
// assessment, the TUI's header, the dashboard, the PDF's text layer, the findings and
// risks CSVs and the OSCAL results state the same answered and applicable counts, the same
// share of safeguards in place (self-assessed) or "too few answers", the same evidence
// coverage, the same rated risks by level, the same proposals not rated and the same
// vendors with warnings, each where that output carries it.
func TestEveryFrontEndStatesTheSameFigures(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
	}
	for name, snap := range map[string]*assessment.Snapshot{"demo": assessmenttest.Demo(t), "large": assessmenttest.Large(t, 1)} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := common.NewData(snap, uitest.FixedTime)
			a := d.Analysis
			sum := a.Summary
			o := sum.Overall
			inPlace := assessment.TooFewAnswers
			if share, shown := o.InPlace(); shown {
				inPlace = assessment.Percent(share)
			}
			coverage := "none"
			if c, ok := o.EvidenceCoverage(); ok {
				coverage = assessment.Percent(c)
			}
			vendors := map[string]bool{}
			for _, w := range a.VendorWarnings {
				vendors[w.VendorID] = true
			}
			m := a.Matrix
			byLevel := func(sep string) string {
				var parts []string
				levels := m.Levels()
				for i := len(levels) - 1; i >= 0; i-- {
					parts = append(parts, fmt.Sprintf("%s%s%s", strings.ToLower(m.Label(levels[i])), sep, assessment.FormatInt(sum.RiskLevels[levels[i]])))
				}
				return strings.Join(parts, "|")
			}

			// The TUI: the shell's header and the dashboard.
			sh := newShell(uitest.Env(t), snap.Assessment.ID)
			sh.SetStyles(uitest.Styles())
			sh.SetSize(160, 50)
			sh.Update(snapshotMsg{data: d})
			head := ansi.Strip(sh.heading())
			if want := d.Answered() + " answered"; !strings.Contains(head, want) {
				t.Errorf("TUI header %q lacks %q", head, want)
			}
			db := dashboard.New(uitest.Env(t))
			db.SetStyles(uitest.Styles())
			db.SetSize(110, 4000) // one column, so wrapped lines read in order
			db.SetData(d)
			dash := strings.Join(strings.Fields(ansi.Strip(db.View())), " ")
			for _, want := range []string{
				fmt.Sprintf("%s answered (%s of %s)", d.Answered(), assessment.FormatInt(o.Answered()), assessment.FormatInt(o.Applicable)),
				inPlace + " in place (self-assessed)",
				assessment.Plural(sum.Rated(), "rated risk", "rated risks"),
			} {
				if !strings.Contains(dash, want) {
					t.Errorf("dashboard lacks %q", want)
				}
			}
			if coverage != "none" && !strings.Contains(dash, "evidence for "+coverage) {
				t.Errorf("dashboard lacks the evidence coverage %s", coverage)
			}
			for _, l := range m.Levels() {
				if want := fmt.Sprintf("%s %s", assessment.FormatInt(sum.RiskLevels[l]), strings.ToLower(m.Label(l))); !strings.Contains(dash, want) {
					t.Errorf("dashboard lacks %q rated risks", want)
				}
			}
			if sum.ProposedRisks > 0 && !strings.Contains(dash, assessment.FormatInt(sum.ProposedRisks)+" proposed, not rated") {
				t.Error("dashboard lacks the proposals not rated")
			}
			if n := len(vendors); n > 0 && !strings.Contains(dash, assessment.Plural(n, "vendor", "vendors")+" with warnings") {
				t.Errorf("dashboard lacks %d vendors with warnings", n)
			}

			// Every file output, through the one output table.
			out := map[string][]byte{}
			for _, f := range reports.Formats {
				var b bytes.Buffer
				if err := f.Write(&b, reports.Input{Snapshot: snap, Document: assessment.DocumentOf(snap)}); err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
				out[f.Name] = b.Bytes()
			}

			// The PDF's text layer, of the summary pages at the front that state these figures.
			cmd := exec.Command("pdftotext", "-l", "12", "-", "-")
			cmd.Stdin = bytes.NewReader(out["pdf"])
			raw, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(string(raw)), " ")
			for _, want := range []string{
				fmt.Sprintf("%s of %s applicable items (%s)", assessment.FormatInt(o.Answered()), assessment.FormatInt(o.Applicable), d.Answered()),
				"holds " + assessment.Plural(sum.Rated(), "rated risk", "rated risks"),
			} {
				if !strings.Contains(text, want) {
					t.Errorf("PDF lacks %q", want)
				}
			}
			if inPlace == assessment.TooFewAnswers {
				if !strings.Contains(text, "Too few answers") {
					t.Error("PDF does not withhold the share")
				}
			} else if !strings.Contains(text, fmt.Sprintf("%s (%s implemented of %s answered", inPlace, assessment.FormatInt(o.Implemented), assessment.FormatInt(o.Assessed()))) {
				t.Errorf("PDF lacks the share in place %s", inPlace)
			}
			if coverage != "none" && !strings.Contains(text, fmt.Sprintf("evidence is cited for %s of them (%s)", assessment.FormatInt(o.Evidenced), coverage)) {
				t.Errorf("PDF lacks the evidence coverage %s", coverage)
			}
			var pdfLevels []string
			levels := m.Levels()
			for i := len(levels) - 1; i >= 0; i-- {
				pdfLevels = append(pdfLevels, fmt.Sprintf("%s %d", m.Label(levels[i]), sum.RiskLevels[levels[i]]))
			}
			if want := strings.Join(pdfLevels, " · "); !strings.Contains(text, want) {
				t.Errorf("PDF heat map lacks %q", want)
			}
			if sum.ProposedRisks > 0 && !strings.Contains(text, assessment.FormatInt(sum.ProposedRisks)+" proposed, not rated") {
				t.Error("PDF lacks the proposals not rated")
			}
			if n := len(vendors); n > 0 && !strings.Contains(text, fmt.Sprintf("%d of %s", n, assessment.Plural(len(snap.Vendors), "vendor", "vendors"))) {
				t.Errorf("PDF lacks %d vendors with warnings", n)
			}

			// The findings CSV, counted row by row as the Analysis counts items.
			rows := readCSV(t, out["findings-csv"])
			col := func(name string) int {
				for i, h := range rows[0] {
					if h == name {
						return i
					}
				}
				t.Fatalf("CSV has no column %q", name)
				return -1
			}
			st, prop, reval, ev := col("status"), col("proposed_rule"), col("needs_revalidation"), col("evidence_count")
			var applicable, answered, implemented, assessed, evidenced int
			for _, r := range rows[1:] {
				if r[prop] == "yes" {
					continue
				}
				applicable++
				if r[reval] == "yes" {
					continue
				}
				switch r[st] {
				case "implemented":
					implemented++
					assessed++
					answered++
					if n, _ := strconv.Atoi(r[ev]); n > 0 {
						evidenced++
					}
				case "partial", "not-implemented":
					assessed++
					answered++
				case "not-applicable", "inherited":
					answered++
				}
			}
			if applicable != o.Applicable || answered != o.Answered() || implemented != o.Implemented || assessed != o.Assessed() || evidenced != o.Evidenced {
				t.Errorf("findings CSV counts %d applicable, %d answered, %d in place of %d, %d with evidence; the Analysis %d, %d, %d of %d, %d",
					applicable, answered, implemented, assessed, evidenced, o.Applicable, o.Answered(), o.Implemented, o.Assessed(), o.Evidenced)
			}

			// The risks CSV: rated risks by level and proposals.
			risks := readCSV(t, out["risks-csv"])
			lv, rs := -1, -1
			for i, h := range risks[0] {
				switch h {
				case "level":
					lv = i
				case "status":
					rs = i
				}
			}
			csvLevels := map[string]int{}
			proposed := 0
			for _, r := range risks[1:] {
				switch {
				case r[rs] == string(assessment.RiskProposed):
					proposed++
				case r[rs] != string(assessment.RiskDismissed) && r[lv] != "":
					csvLevels[strings.ToLower(r[lv])]++
				}
			}
			var csvBy []string
			for i := len(levels) - 1; i >= 0; i-- {
				csvBy = append(csvBy, fmt.Sprintf("%s%s%s", strings.ToLower(m.Label(levels[i])), "=", assessment.FormatInt(csvLevels[strings.ToLower(m.Label(levels[i]))])))
			}
			if got, want := strings.Join(csvBy, "|"), byLevel("="); got != want || proposed != sum.ProposedRisks {
				t.Errorf("risks CSV: %s and %d proposed; the Analysis %s and %d", got, proposed, want, sum.ProposedRisks)
			}

			// OSCAL: the figures stated in the method resource.
			var doc struct {
				AR struct {
					BackMatter struct {
						Resources []struct {
							Props []struct{ Name, Value string } `json:"props"`
						} `json:"resources"`
					} `json:"back-matter"`
				} `json:"assessment-results"`
			}
			if err := json.Unmarshal(out["oscal"], &doc); err != nil {
				t.Fatal(err)
			}
			props := map[string]string{}
			for _, r := range doc.AR.BackMatter.Resources {
				for _, p := range r.Props {
					props[p.Name] = p.Value
				}
			}
			want := map[string]string{
				"counted-items": strconv.Itoa(o.Applicable), "answered-items": strconv.Itoa(o.Answered()),
				"in-place-items": strconv.Itoa(o.Implemented), "assessed-items": strconv.Itoa(o.Assessed()),
				"in-place-self-assessed": inPlace, "evidence-coverage": coverage, "evidenced-items": strconv.Itoa(o.Evidenced),
				"rated-risks": strconv.Itoa(sum.Rated()), "proposed-risks-not-rated": strconv.Itoa(sum.ProposedRisks),
				"vendors-with-warnings": strconv.Itoa(len(vendors)),
			}
			for _, l := range levels {
				want["rated-risks-"+strings.ReplaceAll(strings.ToLower(m.Label(l)), " ", "-")] = strconv.Itoa(sum.RiskLevels[l])
			}
			for k, v := range want {
				if props[k] != v {
					t.Errorf("OSCAL %s = %q, the Analysis %q", k, props[k], v)
				}
			}
		})
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
