package pdf

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"safeguard/assessment"
)

// TestFiguresComeFromTheAnalysis renders the demo (which has proposed-rule items) and checks that
// the executive summary and the scope page print the Analysis's own figures: the same
// count of applicable items in both places (they once disagreed, 1,142 against 1,170,
// because the scope page counted the proposed-rule questions too), the same completion,
// and the proposed-rule questions apart. The large assessment's PDF text is checked
// against the Analysis by ui's TestEveryFrontEndStatesTheSameFigures, which renders it
// anyway; rendering it twice cost CI eight seconds.
func TestFiguresComeFromTheAnalysis(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
	}
	for name, s := range map[string]*assessment.Snapshot{"demo": demoSnapshot(t)} {
		t.Run(name, func(t *testing.T) {
			text := demoReport.textLayer(t) // the demo as rendered once for the package
			a := assessment.Analyze(s)
			o := a.Summary.Overall
			want := []string{
				fmt.Sprintf("%s of %s applicable items", assessment.FormatInt(o.Answered()), assessment.FormatInt(o.Applicable)),
				assessment.Percent(o.Completion()),
				fmt.Sprintf("%s: %s organization-wide", assessment.FormatInt(o.Applicable), assessment.FormatInt(a.Summary.OrganizationItems)),
				"Data as of",
				assessment.DocTime(a.DataAsOf),
			}
			if a.Summary.Proposed.Applicable > 0 {
				want = append(want, fmt.Sprintf("%s more from the proposed rule", assessment.FormatInt(a.Summary.Proposed.Applicable)))
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("the report does not say %q", w)
				}
			}
			if all := len(a.Items); all != o.Applicable && strings.Contains(text, assessment.FormatInt(all)+": ") {
				t.Errorf("the report counts %s applicable items somewhere, the proposed-rule questions included", assessment.FormatInt(all))
			}
		})
	}
}

// pdfText is the PDF's text layer as pdftotext reads it, with every run of white space
// (line and page breaks included) folded to one space, so wrapped sentences read whole.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	text, err := readText(pdf)
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return text
}

func readText(pdf []byte) (string, error) {
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		return "", err
	}
	return strings.Join(strings.Fields(string(out)), " "), nil
}
