package store

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"safeguard/assessment"
)

// incidentNow is the store clock of these tests: incidents are checked against it.
var incidentNow = time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)

// demoStore is a workspace holding the demo assessment, with the clock at incidentNow.
func demoStore(t *testing.T) (*Store, string, *assessment.Snapshot) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ws.db")
	s, err := Open(path, Options{Actor: "Dana Whitfield", Now: func() time.Time { return incidentNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	id, err := s.Import(ctx, assessment.Demo(catalog(t), incidentNow.AddDate(0, -1, 0)), ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return s, id, snap
}

func assetNamed(t *testing.T, snap *assessment.Snapshot, name string) assessment.Asset {
	t.Helper()
	for _, a := range snap.Assets {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("the demo has no asset %q", name)
	return assessment.Asset{}
}

func laptopTheft() assessment.Incident {
	return assessment.Incident{Title: "Stolen front-desk laptop", Discovered: "2026-11-03", OccurredFrom: "2026-11-02",
		DiscoveredBy: assessment.DiscoveredByPractice, Type: "theft", Individuals: 620,
		States: []assessment.StateCount{{State: "KY", Count: 60}, {State: "OH", Count: 560}}, Data: []string{"name", "dob", "diagnosis"}}
}

func TestIncidentLifecycle(t *testing.T) {
	t.Parallel()
	s, id, snap := demoStore(t)
	laptops := assetNamed(t, snap, "Staff laptops and workstations")
	before := auditCount(t, s)
	inc, err := s.AddIncident(ctx, id, laptopTheft(), []string{laptops.ID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auditCount(t, s) != before+1 {
		t.Fatalf("adding an incident wrote %d audit entries, want 1", auditCount(t, s)-before)
	}
	if len(inc.Assets) != 1 || inc.Assets[0].EncAtRest != laptops.EncAtRest || inc.RecordedBy != "Dana Whitfield" || inc.RecordedOn != "2026-12-01" {
		t.Fatalf("the stored incident: %+v", inc)
	}
	// The copy of the asset does not follow later inventory changes.
	laptops.EncAtRest = assessment.EncNone
	if _, err := s.SaveAsset(ctx, id, laptops); err != nil {
		t.Fatal(err)
	}
	rec, err := s.Incident(ctx, inc.ID)
	if err != nil || rec.Incident.Assets[0].EncAtRest == assessment.EncNone || rec.AssessmentID != id {
		t.Fatalf("the incident's copy changed with the inventory: %+v %v", rec.Incident.Assets, err)
	}
	// RefreshAssets copies it again on purpose.
	if inc, err = s.RefreshAssets(ctx, inc.ID, AnyVersion); err != nil || inc.Assets[0].EncAtRest != assessment.EncNone {
		t.Fatalf("refresh: %+v %v", inc.Assets, err)
	}

	step := func(fn func(*assessment.Incident, *IncidentEnv) error) {
		t.Helper()
		n := auditCount(t, s)
		if _, err := s.UpdateIncident(ctx, inc.ID, AnyVersion, fn); err != nil {
			t.Fatal(err)
		}
		if auditCount(t, s) != n+1 {
			t.Fatalf("a change wrote %d audit entries, want 1", auditCount(t, s)-n)
		}
	}
	step(func(i *assessment.Incident, env *IncidentEnv) error {
		i.Secured = &assessment.SecuredDecision{Derived: assessment.DeriveSecured(i).Result, Decision: assessment.DecideConfirm, By: env.Actor, On: env.On()}
		i.Exception = &assessment.ExceptionDecision{Applies: assessment.ExceptionNone, By: env.Actor, On: env.On()}
		i.Conclusion = &assessment.Conclusion{Outcome: assessment.OutcomeBreach, Rationale: "Unencrypted laptop not recovered.", By: env.Actor, On: env.On()}
		return nil
	})
	if _, err := s.CloseIncident(ctx, inc.ID, AnyVersion, ""); err == nil || !strings.Contains(err.Error(), "notice to individuals") {
		t.Fatalf("closing with notices owed: %v", err)
	}
	step(func(i *assessment.Incident, env *IncidentEnv) error {
		for _, to := range []string{assessment.ToIndividuals, assessment.ToMedia, assessment.ToHHS} {
			i.Notices = append(i.Notices, assessment.Notice{To: to, Date: "2026-11-28", By: env.Actor})
		}
		return nil
	})
	if _, err := s.CloseIncident(ctx, inc.ID, AnyVersion, "All notices sent."); err != nil {
		t.Fatal(err)
	}
	_, err = s.UpdateIncident(ctx, inc.ID, AnyVersion, func(i *assessment.Incident, _ *IncidentEnv) error { i.Title = "Changed"; return nil })
	if err == nil || !strings.Contains(err.Error(), "reopen") {
		t.Fatalf("changing a closed incident: %v", err)
	}
	if inc, err = s.ReopenIncident(ctx, inc.ID, AnyVersion, "The thief was caught with a second laptop."); err != nil || inc.Closed != "" || !strings.Contains(inc.ClosedNote, "second laptop") {
		t.Fatalf("reopen: %+v %v", inc, err)
	}
	list, err := s.Incidents(ctx, id)
	if err != nil || len(list) != 1 || list[0].Status() != assessment.IncidentNotified {
		t.Fatalf("list: %+v %v", list, err)
	}
	mustVerify(t, s)
}

func TestIncidentBadChangesWriteNothing(t *testing.T) {
	t.Parallel()
	s, id, _ := demoStore(t)
	inc, err := s.AddIncident(ctx, id, laptopTheft(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	row := func() string {
		var r string
		s.db.QueryRow("SELECT record FROM incidents WHERE id = ?", inc.ID).Scan(&r)
		return r
	}
	was, n := row(), auditCount(t, s)
	bad := []struct {
		name string
		fn   func(*assessment.Incident, *IncidentEnv) error
	}{
		{"discovery in the future", func(i *assessment.Incident, _ *IncidentEnv) error { i.Discovered = "2026-12-02"; return nil }},
		{"discovery before the occurrence", func(i *assessment.Incident, _ *IncidentEnv) error { i.Discovered = "2026-11-01"; return nil }},
		{"counts that do not add up", func(i *assessment.Incident, _ *IncidentEnv) error { i.Individuals = 700; return nil }},
		{"low probability without the four factors", func(i *assessment.Incident, env *IncidentEnv) error {
			i.Conclusion = &assessment.Conclusion{Outcome: assessment.OutcomeLowProbability, Rationale: "r", By: env.Actor, On: env.On()}
			return nil
		}},
		{"a notice before discovery", func(i *assessment.Incident, env *IncidentEnv) error {
			i.Notices = append(i.Notices, assessment.Notice{To: assessment.ToIndividuals, Date: "2026-11-01", By: env.Actor})
			return nil
		}},
		{"evidence from nowhere", func(i *assessment.Incident, env *IncidentEnv) error {
			i.Factors = []assessment.Factor{{Number: 1, Findings: "f", Evidence: []string{"nope"}, By: env.Actor, On: env.On()}}
			return nil
		}},
		{"the function's own error", func(*assessment.Incident, *IncidentEnv) error { return errors.New("refused") }},
	}
	for _, b := range bad {
		if _, err := s.UpdateIncident(ctx, inc.ID, AnyVersion, b.fn); err == nil {
			t.Errorf("%s: accepted", b.name)
		}
		if row() != was || auditCount(t, s) != n {
			t.Fatalf("%s: a refused change was written", b.name)
		}
	}
	if _, err := s.AddIncident(ctx, id, assessment.Incident{Title: "x", Discovered: "2027-01-01", DiscoveredBy: assessment.DiscoveredByPractice}, nil, nil); err == nil {
		t.Error("an incident discovered in the future was added")
	}
	if _, err := s.AddIncident(ctx, id, laptopTheft(), []string{"no-such-asset"}, nil); err == nil {
		t.Error("an incident naming a missing asset was added")
	}
	if auditCount(t, s) != n {
		t.Fatal("a refused incident was written")
	}
}

func TestIncidentsAreNeverDeleted(t *testing.T) {
	t.Parallel()
	s, id, _ := demoStore(t)
	inc, err := s.AddIncident(ctx, id, laptopTheft(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = s.DeleteAssessment(ctx, id)
	if err == nil || !strings.Contains(err.Error(), "§164.316(b)(2)(i)") {
		t.Fatalf("deleting an assessment that holds an incident: %v", err)
	}
	if _, err := s.Incident(ctx, inc.ID); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, s)
	// A deletion behind safeguard's back is named.
	db := rawDB(t, s.Path())
	mustExec(t, db, "DELETE FROM incidents WHERE id = ?", inc.ID)
	res, err := s.Verify(ctx)
	if err != nil || res.OK() || !strings.Contains(res.Problems[0], "incident "+inc.ID) {
		t.Fatalf("verify after deleting an incident row: %v %q", err, res.Problems)
	}
}

func TestVerifyNamesATamperedIncident(t *testing.T) {
	t.Parallel()
	s, id, _ := demoStore(t)
	inc, err := s.AddIncident(ctx, id, laptopTheft(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustVerify(t, s)
	db := rawDB(t, s.Path())
	mustExec(t, db, "UPDATE incidents SET record = replace(record, '\"individuals\":620', '\"individuals\":6') WHERE id = ?", inc.ID)
	res, err := s.Verify(ctx)
	if err != nil || res.OK() || !strings.Contains(res.Problems[0], "incident "+inc.ID) || !strings.Contains(res.Problems[0], "changed outside safeguard") {
		t.Fatalf("verify after editing an incident's record: %v %q", err, res.Problems)
	}
}

func TestIncidentsExportImport(t *testing.T) {
	t.Parallel()
	s, id, snap := demoStore(t)
	laptops := assetNamed(t, snap, "Staff laptops and workstations")
	inc, err := s.AddIncident(ctx, id, laptopTheft(), []string{laptops.ID}, []string{snap.Vendors[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	ev := snap.Evidence[0].ID
	risk := firstRated(t, snap)
	if _, err := s.UpdateIncident(ctx, inc.ID, AnyVersion, func(i *assessment.Incident, env *IncidentEnv) error {
		i.Factors = []assessment.Factor{{Number: 1, Findings: "Names and diagnoses.", Evidence: []string{ev}, By: env.Actor, On: env.On()}}
		i.Delays = []assessment.LawEnforcementDelay{{Kind: assessment.DelayOral, Stated: "2026-11-05", Until: "2026-12-05", Official: "Det. Ortiz", Evidence: []string{ev}}}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LinkRisk(ctx, inc.ID, "", risk.ID, risk.Likelihood+1, "The theft shows the threat is real."); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveEvidence(ctx, id, ev); err == nil || !strings.Contains(err.Error(), "cites this evidence") {
		t.Fatalf("removing evidence an incident cites: %v", err)
	}
	now := time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC)
	doc, err := s.Export(ctx, id, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Incidents) != 1 || len(doc.Incidents[0].RiskLinks) != 1 {
		t.Fatalf("export holds %d incidents", len(doc.Incidents))
	}
	b, _ := json.Marshal(doc)
	parsed, err := assessment.ParseDocument(strings.NewReader(string(b)), catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	// Into an empty workspace: the same IDs, the same record.
	s2, _ := openTemp(t)
	if _, err := s2.Import(ctx, parsed, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := s2.Incidents(ctx, id)
	if len(got) == 1 {
		got[0].Version = doc.Incidents[0].Version // the version is the new workspace's audit entry
	}
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], doc.Incidents[0]) {
		t.Fatalf("round trip differs:\n%+v\n%+v (%v)", got, doc.Incidents, err)
	}
	mustVerify(t, s2)
	// Again: fresh IDs, and the references follow.
	id3, err := s2.Import(ctx, parsed, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	snap3, _ := s2.Snapshot(ctx, id3)
	if len(snap3.Incidents) != 1 {
		t.Fatalf("second import: %d incidents", len(snap3.Incidents))
	}
	i3 := snap3.Incidents[0]
	if i3.ID == inc.ID || i3.Assets[0].ID == laptops.ID || i3.Factors[0].Evidence[0] == ev {
		t.Fatal("the second import kept IDs that belong to the first")
	}
	if !slices.ContainsFunc(snap3.Evidence, func(e assessment.Evidence) bool { return e.ID == i3.Factors[0].Evidence[0] }) {
		t.Error("the remapped evidence reference points at nothing")
	}
	if l := i3.RiskLinks[0]; l.AssessmentID != id3 || !slices.ContainsFunc(snap3.Risks, func(r assessment.Risk) bool { return r.ID == l.RiskID }) {
		t.Errorf("the remapped risk link %+v points outside the new assessment", l)
	}
	mustVerify(t, s2)
}

func firstRated(t *testing.T, snap *assessment.Snapshot) assessment.Risk {
	t.Helper()
	for _, r := range snap.Risks {
		if r.Status == assessment.RiskOpen && r.Likelihood > 0 && r.Likelihood < 5 {
			return r
		}
	}
	t.Fatal("the demo has no open rated risk below likelihood 5")
	return assessment.Risk{}
}

func TestRiskLinksAndRevisions(t *testing.T) {
	t.Parallel()
	s, id, snap := demoStore(t)
	inc, err := s.AddIncident(ctx, id, laptopTheft(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	risk := firstRated(t, snap)
	n := auditCount(t, s)
	if _, err := s.LinkRisk(ctx, inc.ID, "", risk.ID, risk.Likelihood, "same"); err == nil {
		t.Error("a link that does not raise the likelihood was accepted")
	}
	if _, err := s.LinkRisk(ctx, inc.ID, "", risk.ID, risk.Likelihood+1, ""); err == nil {
		t.Error("a link without a note was accepted")
	}
	if auditCount(t, s) != n {
		t.Fatal("a refused link was written")
	}
	l, err := s.LinkRisk(ctx, inc.ID, "", risk.ID, risk.Likelihood+1, "The theft shows the threat is real.")
	if err != nil {
		t.Fatal(err)
	}
	if auditCount(t, s) != n+2 {
		t.Fatalf("a link wrote %d audit entries, want 2 (the risk and the incident)", auditCount(t, s)-n)
	}
	r, _ := s.Risk(ctx, id, risk.ID)
	if r.Likelihood != risk.Likelihood+1 || l.From != risk.Likelihood {
		t.Fatalf("risk likelihood %d after the link %+v", r.Likelihood, l)
	}
	// A revision does not copy the incident; it shows it as an earlier one, and its
	// risks can be linked.
	rev, err := s.NewRevision(ctx, id, "2027 risk analysis")
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := s.Snapshot(ctx, rev)
	if len(rs.Incidents) != 0 || len(rs.EarlierIncidents) != 1 || rs.EarlierIncidents[0].ID != inc.ID {
		t.Fatalf("revision: %d incidents, %d earlier", len(rs.Incidents), len(rs.EarlierIncidents))
	}
	var revRisk assessment.Risk
	for _, x := range rs.Risks {
		if x.Title == risk.Title && x.Likelihood < 5 && x.Status == assessment.RiskOpen {
			revRisk = x
		}
	}
	if _, err := s.LinkRisk(ctx, inc.ID, rev, revRisk.ID, revRisk.Likelihood+1, "Carried into the new analysis."); err != nil {
		t.Fatalf("linking a risk of the revision: %v", err)
	}
	other := newAssessment(t, s)
	if _, err := s.LinkRisk(ctx, inc.ID, other, revRisk.ID, 5, "x"); err == nil || !strings.Contains(err.Error(), "revision") {
		t.Errorf("linking into an unrelated assessment: %v", err)
	}
	mustVerify(t, s)
}

func TestIncidentsOnAFinalAssessment(t *testing.T) {
	t.Parallel()
	s, _, _ := demoStore(t)
	doc := assessment.Demo(catalog(t), incidentNow.AddDate(0, -1, 0))
	doc.Assessment.Status = assessment.StatusFinal
	doc.SignOff = &assessment.SignOff{Name: "Dana Whitfield", Role: "Security official", Date: "2026-11-01", Statement: "Approved."}
	id, err := s.Import(ctx, doc, ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	inc, err := s.AddIncident(ctx, id, laptopTheft(), nil, nil)
	if err != nil {
		t.Fatalf("an incident against a final assessment: %v", err)
	}
	if _, err := s.UpdateIncident(ctx, inc.ID, AnyVersion, func(i *assessment.Incident, env *IncidentEnv) error {
		i.Notices = append(i.Notices, assessment.Notice{To: assessment.ToIndividuals, Date: "2026-11-20", By: env.Actor})
		return nil
	}); err != nil {
		t.Fatalf("the incident's work goes on after the analysis is final: %v", err)
	}
	snap, _ := s.Snapshot(ctx, id)
	risk := firstRated(t, snap)
	if _, err := s.LinkRisk(ctx, inc.ID, "", risk.ID, risk.Likelihood+1, "x"); err == nil || !strings.Contains(err.Error(), "final") {
		t.Errorf("raising a risk of a final assessment: %v", err)
	}
	mustVerify(t, s)
}

func TestResolveIncident(t *testing.T) {
	t.Parallel()
	s, id, _ := demoStore(t)
	inc, err := s.AddIncident(ctx, id, laptopTheft(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.ResolveIncident(ctx, strings.ToUpper(inc.ID[:6])); err != nil || got != inc.ID {
		t.Errorf("prefix: %s %v", got, err)
	}
	if _, err := s.ResolveIncident(ctx, "abc"); err == nil {
		t.Error("a three-character reference was accepted")
	}
	if _, err := s.ResolveIncident(ctx, "ffffffff"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown: %v", err)
	}
}
