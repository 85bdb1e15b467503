package pdf

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"safeguard/assessment"
)

var memoDay = time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)

// memoSnapshot is the demo with one concluded breach (a stolen laptop) and one open
// ransomware incident.
func memoSnapshot(tb testing.TB) *assessment.Snapshot {
	tb.Helper()
	s := demoSnapshot(tb)
	var laptops, pacs, ehr assessment.IncidentAsset
	for _, a := range s.Assets {
		c, _ := assessment.CaptureAsset(s, a.ID, "2026-11-03")
		switch a.Name {
		case "Staff laptops and workstations":
			laptops = c
		case "PACS imaging server":
			pacs = c
		case "Cloud EHR":
			ehr = c
		}
	}
	ev := s.Evidence[0].ID
	done := assessment.Incident{
		ID: "c47b45df-cdd2-4e1d-844b-b98bdae45e3d", Title: "Stolen front-desk laptop", Description: "A laptop was taken from a car.",
		Type: "theft", OccurredFrom: "2026-11-02", Discovered: "2026-11-03", DiscoveredBy: assessment.DiscoveredByPractice,
		FoundBy: "Front desk lead", Individuals: 620, States: []assessment.StateCount{{State: "KY", Count: 60}, {State: "OH", Count: 560}},
		Data: []string{"name", "dob", "diagnosis", "insurance"}, Keys: assessment.KeysSafe, Assets: []assessment.IncidentAsset{laptops},
		Delays: []assessment.LawEnforcementDelay{{Kind: assessment.DelayOral, Stated: "2026-11-10", Until: "2026-12-10", Official: "Det. R. Ortiz, Columbus PD"}},
		Secured: &assessment.SecuredDecision{Derived: assessment.Undetermined, Decision: assessment.Unsecured,
			Reason: "The stolen laptop was one of the nine unencrypted front-desk machines.", By: "Dana Whitfield", On: "2026-11-06"},
		Exception: &assessment.ExceptionDecision{Applies: assessment.ExceptionNone, Reason: "A theft by an outsider.", By: "Dana Whitfield", On: "2026-11-06"},
		Factors: []assessment.Factor{
			{Number: 1, Findings: "Names, dates of birth, diagnoses and insurance numbers of 620 patients.", Evidence: []string{ev}, By: "Dana Whitfield", On: "2026-11-07"},
			{Number: 2, Findings: "An unknown thief.", By: "Dana Whitfield", On: "2026-11-07"},
			{Number: 3, Findings: "Not known; the laptop was not recovered.", By: "Dana Whitfield", On: "2026-11-07"},
			{Number: 4, Findings: "A remote wipe was sent; it has not been confirmed.", By: "Dana Whitfield", On: "2026-11-07"},
		},
		Conclusion: &assessment.Conclusion{Outcome: assessment.OutcomeBreach, Rationale: "Unencrypted and not recovered.", By: "Dana Whitfield", On: "2026-11-08"},
		Notices: []assessment.Notice{{To: assessment.ToIndividuals, Date: "2026-12-01", Method: "mail",
			Content: []string{"what-happened", "phi-types", "contact"}, Contact: []string{"toll-free"},
			Substitute: &assessment.Substitute{Count: 12, By: "website", TollFree: "1-800-555-0100"}, By: "Dana Whitfield"}},
		Deadlines:  []assessment.OtherDeadline{{Name: "Ohio attorney general", Due: "2026-12-20", Basis: "State statute, as counsel reads it"}},
		RecordedBy: "Dana Whitfield", RecordedOn: "2026-11-03",
	}
	open := assessment.Incident{
		ID: "c180de3e-4f57-452a-868c-5cc833cfa934", Title: "Ransomware on the PACS server", Type: "hacking", Ransomware: true,
		Discovered: "2026-11-20", DiscoveredBy: assessment.DiscoveredByBA, BANotified: "2026-11-25", Individuals: 140,
		States: []assessment.StateCount{{State: "OH", Count: 140}}, Data: []string{"name", "images"}, Assets: []assessment.IncidentAsset{pacs, ehr},
	}
	s.Incidents = []assessment.Incident{done, open}
	return s
}

func renderMemoT(t testing.TB, s *assessment.Snapshot, id string, opt MemoOptions) ([]byte, *memo) {
	t.Helper()
	b, m, err := renderMemo(s, id, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.warnings) > 0 {
		t.Errorf("layout warnings:\n%s", strings.Join(m.warnings, "\n"))
	}
	return b, m
}

func TestMemoContentAndStructure(t *testing.T) {
	t.Parallel()
	s := memoSnapshot(t)
	id := s.Incidents[0].ID
	b, _ := renderMemoT(t, s, id, MemoOptions{AsOf: memoDay})
	writeArtifact(t, "memo.pdf", b)
	if err := api.Validate(bytes.NewReader(b), conf()); err != nil {
		t.Fatalf("pdfcpu does not validate the memo: %v", err)
	}
	marks := outline(t, b)
	var titles []string
	for _, m := range marks {
		titles = append(titles, m.title)
	}
	for _, want := range []string{"Summary", "1 Facts", "2 Was the PHI unsecured? (§164.402)", "3 Exceptions (§164.402(1))",
		"4 Four-factor risk assessment (§164.402(2))", "5 Conclusion and sign-off", "6 Notification clocks (§§164.404–164.412)",
		"7 Notices sent", "8 Evidence index", "9 Record and integrity"} {
		if !strings.Contains(strings.Join(titles, "|"), want) {
			t.Errorf("outline lacks %q: %v", want, titles)
		}
	}
	plain, _ := renderMemoT(t, s, id, MemoOptions{AsOf: memoDay, uncompressed: true})
	for _, want := range []string{
		"Breach decision memo", "Stolen front-desk laptop", "Riverbend Family Health",
		"Conclusion: Breach of unsecured PHI: notification required.",
		"Dana Whitfield decided the PHI was unsecured on Nov 6, 2026", // the override and who made it
		"312a2iv-enc-02", // the answer behind the derivation
		"Names, dates of birth, diagnoses and insurance numbers of 620 patients", // factor 1's findings
		"E1",                         // its evidence, by the report's reference
		"Notice to media in OH",      // more than 500 residents of Ohio
		"Feb 1, 2027",                // 60 days plus the 30-day oral delay
		"Det. R. Ortiz, Columbus PD", // the official's identity
		"Ohio attorney general",      // the assessor's own deadline
		"1-800-555-0100",             // the substitute notice's toll-free number
		"Page 1 of ",                 // page furniture
		s.Audit.Head,                 // the chain head
		"Clocks read on Dec 6, 2026", // the memo's date
	} {
		if !hasText(plain, want) {
			t.Errorf("the memo's text lacks %q", want)
		}
	}
	// The content check names what the notice lacks.
	if !hasText(plain, "Lacks: no steps individuals should take (§164.404(c)(1)(C))") {
		t.Error("the notice's missing §164.404(c) elements are not listed")
	}
	if hasText(plain, draftMark) {
		t.Error("a concluded memo carries the draft mark")
	}
}

func TestMemoIsDeterministic(t *testing.T) {
	t.Parallel()
	s := memoSnapshot(t)
	for _, inc := range s.Incidents {
		a, _ := renderMemoT(t, s, inc.ID, MemoOptions{AsOf: memoDay})
		b, _ := renderMemoT(t, memoSnapshot(t), inc.ID, MemoOptions{AsOf: memoDay})
		if !bytes.Equal(a, b) {
			t.Errorf("memo of %s differs between two renders of the same data", inc.Title)
		}
		c, _ := renderMemoT(t, s, inc.ID, MemoOptions{AsOf: memoDay.AddDate(0, 0, 1)})
		if bytes.Equal(a, c) {
			t.Errorf("memo of %s does not change with the day its clocks are read", inc.Title)
		}
	}
}

func TestDraftMemoWatermarkStaysOutOfTheText(t *testing.T) {
	t.Parallel()
	s := memoSnapshot(t)
	open := s.Incidents[1]
	plain, m := renderMemoT(t, s, open.ID, MemoOptions{AsOf: memoDay, uncompressed: true})
	writeArtifact(t, "memo-draft.pdf", plain)
	if !m.draft {
		t.Fatal("an incident without a conclusion did not give a draft")
	}
	if hasText(plain, draftMark) {
		t.Error("the watermark is in the text layer")
	}
	for _, want := range []string{"Draft memo: no conclusion is recorded yet", "Breach decision memo (draft, not concluded)", assessment.RansomwareNote[:60]} {
		if !hasText(plain, want) {
			t.Errorf("the draft lacks %q", want)
		}
	}
	// The watermark is there as filled outlines, drawn on every page at 10% opacity.
	pages := m.f.PageCount()
	fills := regexp.MustCompile(`(?m)^f$`).FindAll(plain, -1)
	if len(fills) < pages {
		t.Errorf("%d filled paths for %d pages; the watermark is missing from some", len(fills), pages)
	}
	if !bytes.Contains(plain, []byte("/ca 0.1")) {
		t.Error("no transparency for the watermark")
	}
	done, _ := renderMemoT(t, s, s.Incidents[0].ID, MemoOptions{AsOf: memoDay, uncompressed: true})
	if n := len(regexp.MustCompile(`(?m)^f$`).FindAll(done, -1)); n >= len(fills) {
		t.Errorf("the concluded memo has as many filled outlines (%d) as the draft (%d)", n, len(fills))
	}
}

func TestMemoRefusesAnUnknownIncident(t *testing.T) {
	t.Parallel()
	if _, err := RenderMemo(memoSnapshot(t), "nope", MemoOptions{}); err == nil {
		t.Error("rendered a memo for an incident the snapshot does not hold")
	}
}

// Budget (issue 16): the decision memo ≤ 300 ms.
func BenchmarkIncidentMemo(b *testing.B) {
	s := memoSnapshot(b)
	id := s.Incidents[0].ID
	for b.Loop() {
		if _, _, err := renderMemo(s, id, MemoOptions{AsOf: memoDay}); err != nil {
			b.Fatal(err)
		}
	}
}
