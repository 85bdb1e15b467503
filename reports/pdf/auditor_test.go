package pdf

import (
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/gofont/goregular"

	"safeguard/assessment"
	"safeguard/controls"
)

// These tests read the report as an auditor does: through its text layer (pdftotext, from
// poppler-utils; .ci/run installs it).

func needPdftotext(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
	}
}

// pageText is the text layer of one page (1-based), white space folded.
func pageText(t *testing.T, pdf []byte, page int) string {
	t.Helper()
	cmd := exec.Command("pdftotext", "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// sectionText is the text layer of one section's pages (pdftotext reads about ten pages a
// second, so the tests that look at one section read only that one).
func sectionText(t *testing.T, pdf []byte, d *doc, key string, layout bool) string {
	t.Helper()
	first, last := sectionPages(t, d, key)
	args := []string{"-f", fmt.Sprint(first), "-l", fmt.Sprint(last), "-", "-"}
	if layout {
		args = append([]string{"-layout"}, args...)
	}
	cmd := exec.Command("pdftotext", args...)
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if layout {
		return string(out)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// sectionPages is the first and last page of a section, from the contents.
func sectionPages(t *testing.T, d *doc, key string) (first, last int) {
	t.Helper()
	for i, e := range d.toc {
		if e.level == 0 && e.title == d.title[key] {
			first, last = e.page, d.f.PageCount()
			for _, next := range d.toc[i+1:] {
				if next.level == 0 {
					last = next.page
					break
				}
			}
			return first, last
		}
	}
	t.Fatalf("the report has no section %q", d.title[key])
	return 0, 0
}

// TestNineHHSElements: each of the nine elements of HHS's risk analysis guidance has its
// section, and the section says something of substance.
func TestNineHHSElements(t *testing.T) {
	t.Parallel()
	needPdftotext(t)
	text := demoReport.textLayer(t)
	for _, want := range []string{
		"Scope of the analysis", "Scope statement", // 1 scope
		"Data collection", "Interviews", "Documents reviewed", "Site walkthroughs", "Technical tests", // 2 data collection
		"Threat sources considered", "Triggering gaps", "Gap-to-risk traceability", // 3 threats and vulnerabilities
		"Findings by safeguard", "Existing controls", // 4 current security measures
		"Likelihood scale",                                     // 5 likelihood
		"Impact scale",                                         // 6 impact
		"Risk matrix", "Risk heat maps: inherent and residual", // 7 level of risk
		"Sign-off", "Audit trail and integrity", "Evidence index", // 8 documentation
		"Periodic review", "Next review", // 9 periodic review
		"The nine elements of HHS's risk analysis guidance",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report has no %q", want)
		}
	}
}

// fewAnswers is an assessment with a scope and one asset but only three answers, like the
// review's "67% compliance on 3 answers".
func fewAnswers(t *testing.T) *assessment.Snapshot {
	cat := catalog(t)
	s := &assessment.Snapshot{Catalog: cat, Assessment: assessment.Assessment{ID: "few", Title: "2026 risk analysis", Organization: "Oak Street Dental",
		CreatedAt: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)}}
	s.Profile.EntityType = assessment.EntityProvider
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	n := 0
	for _, q := range cat.Questions {
		if q.Scope != controls.ScopeOrganization || q.Proposed || n == 3 {
			continue
		}
		st := assessment.Implemented
		if n == 2 {
			st = assessment.NotImplemented
		}
		s.Responses = append(s.Responses, assessment.Response{QuestionID: q.ID, Status: st, By: "Ana", At: at, Decision: decisionFor(cat, &q, st)})
		n++
	}
	return s
}

func decisionFor(cat *controls.Catalog, q *controls.Question, st assessment.ResponseStatus) assessment.Decision {
	if assessment.TakesDecision(cat, q) && st == assessment.Implemented {
		return assessment.DecisionAsSpecified
	}
	return ""
}

// TestNoComplianceClaimBelowThreshold: with three answers the report states no percentage
// of safeguards in place, no "100%", and never calls anything compliance.
func TestNoComplianceClaimBelowThreshold(t *testing.T) {
	t.Parallel()
	needPdftotext(t)
	s := fewAnswers(t)
	if _, shown := assessment.Analyze(s).Summary.Overall.InPlace(); shown {
		t.Fatal("the fixture is meant to be below the threshold")
	}
	b, _ := renderT(t, s, Options{})
	writeArtifact(t, "few.pdf", b)
	text := pdfText(t, b)
	if strings.Contains(text, "100%") {
		t.Error("a report on three answers prints 100%")
	}
	// Question texts may use the word ("contract compliance?"); the report's own words may not.
	for _, q := range s.Catalog.Questions {
		text = strings.ReplaceAll(text, strings.Join(strings.Fields(q.Text), " "), "")
	}
	if m := regexp.MustCompile(`(?i)\bcomplian\w*`).FindString(text); m != "" {
		t.Errorf("the report says %q", m)
	}
	if !strings.Contains(text, assessment.TooFewAnswers) {
		t.Errorf("the report does not say %q where the share is withheld", assessment.TooFewAnswers)
	}
}

// TestEveryCatalogSpecificationAppears: every specification and standard of the catalog
// is printed in the findings, applicable or not, §164.308(a)(4)(ii)(A) included.
func TestEveryCatalogSpecificationAppears(t *testing.T) {
	t.Parallel()
	needPdftotext(t)
	few := fewAnswers(t)
	for name, s := range map[string]*assessment.Snapshot{"demo": demoSnapshot(t), "few": few} {
		t.Run(name, func(t *testing.T) {
			var text string
			if s == few {
				b, _ := renderT(t, s, Options{})
				text = pdfText(t, b)
			} else {
				text = demoReport.textLayer(t) // the demo as rendered once for the package
			}
			for _, st := range s.Catalog.Standards {
				if !strings.Contains(text, "§"+st.ID+" "+st.Title) {
					t.Errorf("standard §%s %s is missing", st.ID, st.Title)
				}
				for _, sp := range st.Specifications {
					if !strings.Contains(text, "§"+sp.ID+" "+sp.Title) {
						t.Errorf("specification §%s %s is missing", sp.ID, sp.Title)
					}
				}
			}
			if !strings.Contains(text, "§164.308(a)(4)(ii)(A)") {
				t.Error("the clearinghouse isolation specification is missing")
			}
		})
	}
}

// TestTraceabilityCoversEveryGap: the traceability table names every gap of the Analysis
// with what it is traced to.
func TestTraceabilityCoversEveryGap(t *testing.T) {
	t.Parallel()
	needPdftotext(t)
	b, d := demoReport.get(t)
	a := assessment.Analyze(demoSnapshot(t))
	if len(a.Gaps) == 0 {
		t.Fatal("the demo has no gaps")
	}
	got := sectionText(t, b, d, secTrace, false)
	for _, g := range a.Gaps {
		it := a.Items[g.Item]
		if !strings.Contains(got, it.Question.ID) {
			t.Errorf("gap %s (%s) is not in the traceability table", it.Question.ID, it.TargetName())
		}
		for _, ri := range g.Risks {
			if !strings.Contains(got, a.Risks[ri].Ref) {
				t.Errorf("gap %s does not name its risk %s", it.Question.ID, a.Risks[ri].Ref)
			}
		}
	}
	if n := strings.Count(got, "Not traced"); n == 0 && !allTraced(a) {
		t.Error("untraced gaps are not marked")
	}
}

func allTraced(a *assessment.Analysis) bool {
	for _, g := range a.Gaps {
		if !g.Traced() {
			return false
		}
	}
	return true
}

// TestUnverifiedBannerOnPageOne: a report made from a workspace that failed verification
// says so on page 1, in every header and in the executive summary, and marks the altered
// answer where it prints it.
func TestUnverifiedBannerOnPageOne(t *testing.T) {
	t.Parallel()
	needPdftotext(t)
	s := demoSnapshot(t)
	r := s.Responses[0]
	s.Audit.Verified = false
	s.Audit.Problems = []string{"response x differs from its last audited state (entry 30): it was changed outside safeguard"}
	s.Audit.Altered = []assessment.AlteredRecord{{Entity: "response", ID: "x", QuestionID: r.QuestionID, AssetID: r.AssetID}}
	b, d := renderT(t, s, Options{})
	if p1 := pageText(t, b, 1); !strings.Contains(p1, "INTEGRITY CHECK FAILED") {
		t.Errorf("page 1 does not carry the banner: %.300s", p1)
	}
	n := d.f.PageCount()
	for _, p := range []int{2, n / 2, n} {
		if !strings.Contains(pageText(t, b, p), "INTEGRITY CHECK FAILED") {
			t.Errorf("page %d's header does not say the check failed", p)
		}
	}
	// the findings print the answer (the audit section names the mark too, so it is not read)
	if !strings.Contains(sectionText(t, b, d, secFindings, false), alteredMark) {
		t.Error("the altered answer is not marked where it is printed")
	}
	// and the same report from a verified workspace carries none of it
	if strings.Contains(demoReport.textLayer(t), "INTEGRITY CHECK FAILED") {
		t.Error("a verified workspace's report carries the banner")
	}
}

// TestNamesInOtherScripts: names written in Vietnamese, Greek and Cyrillic come through the
// text layer as written (no "?" and no code point), and a character no font can draw is
// marked and reported, never a silent "?"; an added font draws it.
func TestNamesInOtherScripts(t *testing.T) {
	t.Parallel()
	needPdftotext(t)
	s := demoSnapshot(t)
	names := []string{"Phòng khám Nguyễn Thị Thắng", "Κλινική Αθηνών", "Клиника Щукина"}
	s.Assessment.Organization = names[0]
	s.Assets[0].Name = names[1]
	s.Vendors[0].Name = names[2]
	s.Assets[1].Name = "Radiology 日本"
	var missing []rune
	b, d := renderT(t, s, Options{Undrawable: func(r []rune) { missing = r }})
	// where each name is printed: the organization on the cover, the assets and the vendor
	// in the inventory and the vendors section
	text := pageText(t, b, 1) + " " + sectionText(t, b, d, secInventory, false) + " " + sectionText(t, b, d, secVendors, false)
	for _, n := range names {
		if !strings.Contains(text, n) {
			t.Errorf("%q does not come through the text layer", n)
		}
	}
	for _, n := range names {
		q := strings.Map(func(r rune) rune {
			if r > 0x7f {
				return '?'
			}
			return r
		}, n)
		if strings.Contains(text, q) {
			t.Errorf("%q is printed with question marks", n)
		}
	}
	if !strings.Contains(text, "Radiology [U+65E5][U+672C]") {
		t.Error("characters no font draws are not marked with their code points")
	}
	if string(missing) != "日本" {
		t.Errorf("the undrawable characters reported are %q", string(missing))
	}
}

// TestAddedFont: a string with a character the embedded fonts lack is set in the added
// font, and nothing is reported undrawable. The Go font stands in for a font of another
// script: it has "∪", which Liberation lacks.
func TestAddedFont(t *testing.T) {
	t.Parallel()
	needPdftotext(t)
	s := demoSnapshot(t)
	s.Assets[0].Name = "Server A ∪ B"
	var missing []rune
	b, d := renderT(t, s, Options{Undrawable: func(r []rune) { missing = r }})
	if !strings.Contains(sectionText(t, b, d, secInventory, false), "Server A [U+222A] B") || string(missing) != "∪" {
		t.Fatalf("without the added font the character should be marked and reported (reported %q)", string(missing))
	}
	missing = nil
	b, d = renderT(t, s, Options{Font: goregular.TTF, Undrawable: func(r []rune) { missing = r }})
	if !strings.Contains(sectionText(t, b, d, secInventory, false), "Server A ∪ B") || missing != nil {
		t.Errorf("with the added font the name should print as written (reported undrawable: %q)", string(missing))
	}
	if err := CheckFont([]byte("not a font")); err == nil {
		t.Error("a file that is not a font is accepted")
	}
	if _, err := Render(s, Options{Font: []byte("not a font")}); err == nil {
		t.Error("a report with a bad added font should fail")
	}
}

// TestNoWordBrokenWithoutHyphen: the register's asset column and every table break words
// only at spaces, after hyphens, or with a hyphen added ("Organization-wid / e").
func TestNoWordBrokenWithoutHyphen(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	_, d := renderT(t, s, Options{})
	d.font("", 7.5)
	for _, w := range []float64{12, 20, 30} {
		for _, ln := range d.lines("Organization-wide supercalifragilisticexpialidocious", w) {
			if d.width(ln) > w-2*cellPad+0.01 {
				t.Errorf("line %q is wider than %.0f mm", ln, w)
			}
		}
		ls := d.lines("Organization-wide", w)
		joined := strings.Join(ls, "|")
		for _, ln := range ls[:len(ls)-1] {
			if !strings.HasSuffix(ln, "-") {
				t.Errorf("at %.0f mm %q breaks a word without a hyphen: %s", w, ln, joined)
			}
		}
	}
}

// TestSHA256OnOneLine: every evidence hash is printed whole on one line.
func TestSHA256OnOneLine(t *testing.T) {
	t.Parallel()
	needPdftotext(t)
	s := demoSnapshot(t)
	b, d := demoReport.get(t)
	out := sectionText(t, b, d, secEvidence, true)
	for _, e := range s.Evidence {
		if !strings.Contains(out, e.SHA256) {
			t.Errorf("the SHA-256 of %q is not on one line", e.Name)
		}
	}
}

// TestWatermarkOutOfTextLayer: the draft cover reads cleanly: the watermark is drawn as
// outlines, so "DRAFT" appears only in the header.
func TestWatermarkOutOfTextLayer(t *testing.T) {
	t.Parallel()
	needPdftotext(t)
	b, _ := demoReport.get(t)
	p1 := pageText(t, b, 1)
	if n := strings.Count(p1, "DRAFT"); n != 1 {
		t.Errorf("page 1's text has DRAFT %d times (the header's only, once, is expected)", n)
	}
	if !strings.Contains(p1, "Organization Riverbend Family Health") {
		t.Errorf("the cover's first row does not read cleanly: %.200s", p1)
	}
}

// TestEveryAssetKindHasAShortLabel: the inventory's Kind column never prints a catalog
// identifier ("medical-device") instead of words.
func TestEveryAssetKindHasAShortLabel(t *testing.T) {
	for _, k := range catalog(t).AssetKinds {
		if got := shortKind(k.ID); got == k.ID {
			t.Errorf("asset kind %q (%s) has no short label", k.ID, k.Title)
		}
	}
}

// TestRevisionNamesItsPredecessor: a revision's report names the analysis it revises
// (title, data-as-of date, sign-off) and what changed since, from compare; a first
// analysis says it is one.
func TestRevisionNamesItsPredecessor(t *testing.T) {
	t.Parallel()
	needPdftotext(t)
	older := demoSnapshot(t)
	older.Assessment.ID, older.Assessment.Title = "older-0000", "2025 HIPAA Security Risk Analysis"
	older.Assessment.Status = assessment.StatusFinal
	older.SignOff = &assessment.SignOff{Name: "Dana Whitfield", Role: "Security official", Date: "2026-03-01"}
	newer := demoSnapshot(t)
	newer.RevisionOf, newer.Previous = "older-0000", older
	for i := range newer.Responses {
		if r := &newer.Responses[i]; r.QuestionID == "312d-mfa-01" {
			r.Status = assessment.Implemented
		}
	}
	b, d := renderT(t, newer, Options{})
	text := sectionText(t, b, d, secReview, false) // "Previous analysis" is part of the periodic review
	for _, want := range []string{
		"Previous analysis", "2025 HIPAA Security Risk Analysis", "older-0000",
		"Signed off by Dana Whitfield (Security official) on Mar 1, 2026",
		"What changed since", "Answers improved 1", "Answers regressed 0",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the revision's report has no %q", want)
		}
	}
	first, d := demoReport.get(t)
	if !strings.Contains(sectionText(t, first, d, secReview, false), "This is a first analysis") {
		t.Error("a first analysis does not say so")
	}
}

// TestAlteredGapMarkedInRegisterAndTrace: an altered answer that triggers a risk is marked
// where the findings, the register's triggering gaps and the traceability table print it.
func TestAlteredGapMarkedInRegisterAndTrace(t *testing.T) {
	t.Parallel()
	needPdftotext(t)
	s := demoSnapshot(t)
	var r *assessment.Response
	for i := range s.Responses {
		if s.Responses[i].QuestionID == "312d-mfa-01" {
			r = &s.Responses[i]
		}
	}
	if r == nil {
		t.Fatal("the demo has no answer to 312d-mfa-01")
	}
	s.Audit.Verified = false
	s.Audit.Problems = []string{"response x differs from its last audited state (entry 30): it was changed outside safeguard"}
	s.Audit.Altered = []assessment.AlteredRecord{{Entity: "response", ID: "x", QuestionID: r.QuestionID, AssetID: r.AssetID}}
	b, d := renderT(t, s, Options{})
	for _, key := range []string{secFindings, secRegister, secTrace} {
		if !strings.Contains(sectionText(t, b, d, key, false), alteredMark) {
			t.Errorf("the altered gap is not marked in %s (%s)", d.ref(key), d.title[key])
		}
	}
}
