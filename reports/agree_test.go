package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"safeguard/assessment"
)

// TestOutputsAgree writes every output of the demo and of the large assessment through
// the Formats table and checks that each reports the Analysis's figures: the CSV has one
// row per applicable item with the same unanswered count, the risks CSV the register in
// its order, OSCAL one finding per answered item and the same count of applicable items,
// and the PDF's text layer the same completion and counts.
func TestOutputsAgree(t *testing.T) {
	t.Parallel()
	for name, s := range map[string]*assessment.Snapshot{"demo": demoSnapshot(t), "large": largeSnapshot(t, 1)} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := assessment.Analyze(s)
			sum := a.Summary
			out := map[string][]byte{}
			for _, f := range Formats {
				var b bytes.Buffer
				in := Input{Snapshot: s, Document: assessment.DocumentOf(s)}
				if err := f.Write(&b, in); err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
				out[f.Name] = b.Bytes()
			}

			rows := parseCSV(t, out["findings-csv"])
			st := column(t, rows[0], "status")
			unanswered, inherited := 0, 0
			for _, r := range rows[1:] {
				switch r[st] {
				case "unanswered":
					unanswered++
				case "inherited":
					inherited++
				}
			}
			if want := sum.Overall.Inherited + sum.Proposed.Inherited; inherited != want {
				t.Errorf("findings CSV: %d inherited rows; the Analysis counts %d", inherited, want)
			}
			// Carried answers count as open in the Analysis but keep their status in the CSV
			// (marked needs_revalidation), so the rows without an answer are the rest.
			noAnswer := sum.Overall.Unanswered - sum.Overall.Carried + sum.Proposed.Unanswered - sum.Proposed.Carried
			if len(rows)-1 != len(a.Items) || unanswered != noAnswer {
				t.Errorf("findings CSV: %d rows, %d unanswered; the Analysis has %d items, %d without an answer",
					len(rows)-1, unanswered, len(a.Items), noAnswer)
			}
			risks := parseCSV(t, out["risks-csv"])
			ref := column(t, risks[0], "ref")
			for i, r := range risks[1:] {
				if r[ref] != a.Risks[i].Ref {
					t.Fatalf("risks CSV row %d is %s, the register's is %s", i+1, r[ref], a.Risks[i].Ref)
				}
			}

			var doc struct {
				AR struct {
					Results []struct {
						Findings []json.RawMessage `json:"findings"`
					} `json:"results"`
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
			if got, want := len(doc.AR.Results[0].Findings), reportedItems(s); got != want {
				t.Errorf("OSCAL: %d findings, %d answered or inherited items", got, want)
			}
			applicable := ""
			for _, p := range doc.AR.BackMatter.Resources[0].Props {
				if p.Name == "applicable-items" {
					applicable = p.Value
				}
			}
			if applicable != strconv.Itoa(len(a.Items)) {
				t.Errorf("OSCAL says %s applicable items, the Analysis %d", applicable, len(a.Items))
			}

			if _, err := exec.LookPath("pdftotext"); err != nil {
				t.Skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
			}
			// The figures are stated in the summary at the front; reading the first pages
			// (not every page of the large report) keeps the test quick.
			cmd := exec.Command("pdftotext", "-l", "12", "-", "-")
			cmd.Stdin = bytes.NewReader(out["pdf"])
			txt, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(string(txt)), " ")
			o := sum.Overall
			for _, want := range []string{
				fmt.Sprintf("Of %s applicable questionnaire items, %s (%s) have a current answer", assessment.FormatInt(o.Applicable), assessment.FormatInt(o.Answered()), assessment.Percent(o.Completion())),
				fmt.Sprintf("It covers %s in scope", assessment.Plural(sum.AssetsInScope, "asset", "assets")),
				fmt.Sprintf("The risk register holds %s, %s %s", assessment.Plural(sum.Rated(), "rated risk", "rated risks"), assessment.FormatInt(sum.High()), "high or very high"),
			} {
				if !strings.Contains(text, want) {
					t.Errorf("the PDF does not say %q", want)
				}
			}
		})
	}
}
