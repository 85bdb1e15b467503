package pdf

import (
	"testing"

	"safeguard/assessment"
)

func TestReportIncidentsSection(t *testing.T) {
	t.Parallel()
	s := memoSnapshot(t)
	a := assessment.Analyze(s)
	r := a.Risks[0]
	s.Incidents[0].RiskLinks = []assessment.RiskLink{{AssessmentID: s.Assessment.ID, RiskID: r.ID, RiskTitle: r.Title,
		From: 2, To: 3, Note: "The theft shows the threat is real.", By: "Dana Whitfield", On: "2026-11-09"}}
	earlier := s.Incidents[1]
	s.Incidents = s.Incidents[:1]
	s.RevisionOf = "previous-assessment"
	s.EarlierIncidents = []assessment.Incident{earlier}
	b, _ := renderT(t, s, Options{uncompressed: true})
	writeArtifact(t, "incidents.pdf", b)
	for _, want := range []string{
		"Incidents and breach decisions",
		"Stolen front-desk laptop",
		"Breach of unsecured PHI:",
		"Ransomware on the PACS",
		"previous assessment)",
		"Open: no conclusion yet",
		"Risks raised by incidents",
		"R1 " + r.Title + ": likelihood raised from 2 to 3",
	} {
		if !hasText(b, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	plain, _ := renderT(t, demoSnapshot(t), Options{uncompressed: true})
	if !hasText(plain, "No incidents are recorded against this assessment. Incidents and their breach notification decisions") {
		t.Error("a report without incidents does not say so")
	}
}
