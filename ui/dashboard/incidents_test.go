package dashboard

import (
	"strings"
	"testing"

	"safeguard/assessment"
	"safeguard/ui/common"
	"safeguard/ui/uitest"
)

// clockIncidents are an overdue notice, a clock with time left, and a closed incident, as
// of the tests' fixed day (Oct 1, 2026).
func clockIncidents() []assessment.Incident {
	return []assessment.Incident{
		{ID: "a1", Title: "Lab results emailed to the wrong patient", Discovered: "2026-07-15", DiscoveredBy: assessment.DiscoveredByPractice,
			Exposure: assessment.ExposureDisclosure, Individuals: 3, States: []assessment.StateCount{{State: "OH", Count: 3}}},
		{ID: "b2", Title: "Stolen clinic laptop", Discovered: "2026-09-20", DiscoveredBy: assessment.DiscoveredByPractice, Individuals: 620},
		{ID: "c3", Title: "Phishing email, no click", Discovered: "2026-03-02", DiscoveredBy: assessment.DiscoveredByPractice,
			Conclusion: &assessment.Conclusion{Outcome: assessment.OutcomeNotPHI, Rationale: "No account was reached.", By: "Dana", On: "2026-03-04"},
			Closed:     "2026-03-05"},
	}
}

// TestDashboardShowsOpenIncidentClocks: while incidents are open, the dashboard lists
// each with the domain's most urgent duty, its date and the days left, an overdue one in
// the error style; closed incidents and assessments without open ones get no line.
func TestDashboardShowsOpenIncidentClocks(t *testing.T) {
	t.Parallel()
	if all := allLines(section(t, uitest.Demo(t), 120, 40)); strings.Contains(all, "Open incidents") {
		t.Fatalf("a dashboard without incidents shows the clock line:\n%s", all)
	}
	d := uitest.Demo(t)
	d.Snap.Incidents = clockIncidents()
	d = uitest.Reanalyze(d)
	for _, size := range uitest.Sizes {
		db := section(t, d, size[0], size[1])
		all := allLines(db)
		if !strings.Contains(all, "Open incidents · 2") || strings.Contains(all, "Phishing") {
			t.Fatalf("%v: the clock line does not list the two open incidents only:\n%s", size, all)
		}
		uitest.CheckFrame(t, db.View(), size[0], uitest.SectionHeight(size[1]))
		for i := range d.Incidents {
			v := &d.Incidents[i]
			next, ok := v.Next()
			if !ok {
				continue
			}
			want := next.Title + " due " + assessment.DocDate(next.Due) + " · " + assessment.DaysLeft(next.DaysLeft)
			if !strings.Contains(all, want) {
				t.Fatalf("%v: the line lacks %q:\n%s", size, want, all)
			}
		}
	}
	// In color, the overdue days are in the error style and the others are not.
	db := uitest.Section(New(uitest.Env(t)), d, 120, 40)
	colored := common.NewStyles(true, false)
	db.SetStyles(colored)
	raw := strings.Join(db.lines, "\n")
	for i := range d.Incidents {
		next, ok := d.Incidents[i].Next()
		if !ok {
			continue
		}
		inError := strings.Contains(raw, colored.Error.Render(assessment.DaysLeft(next.DaysLeft)))
		if inError != (next.DaysLeft < 0) {
			t.Fatalf("%s: %d days left, in the error style: %v", d.Incidents[i].Title, next.DaysLeft, inError)
		}
	}
	if _, ok := d.Incidents[0].Next(); !ok || d.Incidents[0].Duties[0].DaysLeft >= 0 {
		t.Fatal("the sample's first incident should be overdue")
	}
}
