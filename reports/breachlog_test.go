package reports

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"safeguard/assessment"
)

func concluded(id, discovered string, individuals int) assessment.Incident {
	return assessment.Incident{ID: id, Title: "Incident " + id, Discovered: discovered, DiscoveredBy: assessment.DiscoveredByPractice,
		Individuals: individuals, Conclusion: &assessment.Conclusion{Outcome: assessment.OutcomeBreach, Rationale: "r", By: "Dana", On: discovered}}
}

func TestBreachLog(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	lateBA := concluded("ba-contractor", "2026-12-20", 40)
	lateBA.DiscoveredBy, lateBA.BANotified = assessment.DiscoveredByBA, "2027-01-05" // the organization's 2027
	lateAgent := lateBA
	lateAgent.ID, lateAgent.Agent = "ba-agent", true // the organization's 2026
	notBreach := concluded("low", "2026-05-01", 10)
	notBreach.Conclusion.Outcome = assessment.OutcomeLowProbability
	open := concluded("open", "2026-05-02", 10)
	open.Conclusion = nil
	formula := concluded("formula", "2026-03-01", 3)
	formula.Description = "=HYPERLINK(\"http://x\")"
	s.Incidents = []assessment.Incident{
		concluded("small", "2026-02-01", 499),
		concluded("large", "2026-02-02", 500), // reported with the individual notices
		concluded("uncounted", "2026-02-03", 0),
		concluded("other-year", "2025-12-31", 3),
		lateBA, notBreach, open, formula,
	}
	s.EarlierIncidents = []assessment.Incident{lateAgent, concluded("small", "2026-02-01", 499)} // a repeat is written once
	var buf bytes.Buffer
	res, err := WriteBreachLog(&buf, s, 2026)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rows[1:] {
		ids = append(ids, r[0])
		if len(r) != len(BreachLogHeader) {
			t.Errorf("row %s has %d cells, want %d", r[0], len(r), len(BreachLogHeader))
		}
	}
	if got := strings.Join(ids, " "); got != "small formula ba-agent" || res.Rows != 3 {
		t.Errorf("2026's log holds %q (%d rows), want small, formula and the agent's breach", got, res.Rows)
	}
	if len(res.Uncounted) != 1 || res.Uncounted[0] != "uncounte" {
		t.Errorf("uncounted: %v", res.Uncounted)
	}
	for _, r := range rows[1:] {
		if r[0] == "formula" && !strings.HasPrefix(r[15], "'=") {
			t.Errorf("a description that a spreadsheet would run is not neutralized: %q", r[15])
		}
	}
	buf.Reset()
	if _, err := WriteBreachLog(&buf, s, 2027); err != nil || !strings.Contains(buf.String(), "ba-contractor") {
		t.Errorf("a breach a contractor reported in January 2027 belongs in 2027's log: %v", err)
	}
}
