package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
	"safeguard/controls"
)

func catalog(t testing.TB) *controls.Catalog {
	t.Helper()
	c, err := controls.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// firstQuestion finds a catalog question matching pred.
func firstQuestion(t testing.TB, pred func(*controls.Question, *controls.Catalog) bool) *controls.Question {
	t.Helper()
	c := catalog(t)
	for i := range c.Questions {
		if pred(&c.Questions[i], c) {
			return &c.Questions[i]
		}
	}
	t.Fatal("no question matches")
	return nil
}

func addressable(q *controls.Question, c *controls.Catalog) bool {
	sp, ok := c.Specification(q.Specification)
	return ok && sp.Requirement == controls.Addressable && q.Scope == controls.ScopeOrganization && q.Condition == "" && !q.Proposed
}

func required(q *controls.Question, c *controls.Catalog) bool {
	sp, ok := c.Specification(q.Specification)
	return ok && sp.Requirement == controls.Required && q.Scope == controls.ScopeOrganization && q.Condition == "" && !q.Proposed
}

func ehrQuestion(q *controls.Question, _ *controls.Catalog) bool {
	return q.Scope == controls.ScopeAsset && q.Condition == "" && !q.Proposed && contains(q.AssetKinds, "ehr") && len(q.Vulnerabilities) > 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// setup makes an assessment with a SaaS EHR whose vendor has a signed BAA.
func setup(t *testing.T) (*Store, string, string, string) {
	t.Helper()
	s, _ := openTemp(t)
	id := newAssessment(t, s)
	vid, err := s.SaveVendor(ctx, id, assessment.Vendor{Name: "Acme EHR", BAA: assessment.BAASigned, BAASigned: "2025-01-10",
		Attestations: []assessment.Attestation{{Kind: assessment.AttHITRUSTr2, Expires: "2027-06-30"}}})
	if err != nil {
		t.Fatal(err)
	}
	aid, err := s.SaveAsset(ctx, id, assessment.Asset{Name: "Cloud EHR", Kind: "ehr", Hosting: controls.SaaS, VendorID: vid,
		EPHI: true, InScope: true, EncAtRest: assessment.EncProviderManaged, TLS: "tls1.2", Criticality: "critical"})
	if err != nil {
		t.Fatal(err)
	}
	return s, id, aid, vid
}

func TestAnswerRules(t *testing.T) {
	t.Parallel()
	s, id, aid, _ := setup(t)
	add := firstQuestion(t, addressable)
	req := firstQuestion(t, required)
	perAsset := firstQuestion(t, ehrQuestion)
	cases := []struct {
		name string
		r    assessment.Response
		want string
	}{
		{"unknown question", assessment.Response{QuestionID: "999x-nope-01", Status: assessment.Implemented}, "unknown question"},
		{"bad status", assessment.Response{QuestionID: req.ID, Status: "done"}, "status"},
		{"N/A without reason", assessment.Response{QuestionID: req.ID, Status: assessment.NotApplicable}, "reason"},
		{"decision on required", assessment.Response{QuestionID: req.ID, Status: assessment.Implemented, Decision: assessment.DecisionAsSpecified}, "required"},
		{"alternative without text", assessment.Response{QuestionID: add.ID, Status: assessment.Implemented, Decision: assessment.DecisionAlternative}, "describe"},
		{"asset question without asset", assessment.Response{QuestionID: perAsset.ID, Status: assessment.Implemented}, "per asset"},
		{"org question with asset", assessment.Response{QuestionID: req.ID, AssetID: aid, Status: assessment.Implemented}, "organization"},
		{"unknown asset", assessment.Response{QuestionID: perAsset.ID, AssetID: "nope", Status: assessment.Implemented}, "no asset"},
	}
	before := auditCount(t, s)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.SaveResponse(ctx, id, c.r)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
	if n := auditCount(t, s); n != before {
		t.Fatalf("refused answers wrote %d audit entries", n-before)
	}
	ok := []assessment.Response{
		{QuestionID: add.ID, Status: assessment.Implemented, Decision: assessment.DecisionAlternative, DecisionText: "Compensating control",
			Reason: "The specification's tool does not run on our systems."},
		{QuestionID: req.ID, Status: assessment.NotApplicable, Reason: "No such system"},
		{QuestionID: perAsset.ID, AssetID: aid, Status: assessment.Implemented, Note: "Checked on site"},
	}
	for _, r := range ok {
		if _, err := s.SaveResponse(ctx, id, r); err != nil {
			t.Fatalf("%s: %v", r.QuestionID, err)
		}
	}
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Responses) != 3 || snap.Responses[0].By != "tester" || snap.Responses[0].At.IsZero() {
		t.Fatalf("responses = %+v", snap.Responses)
	}
	res, err := s.Verify(ctx)
	if err != nil || !res.OK() {
		t.Fatalf("verify: %+v %v", res, err)
	}
}

func TestGapProposesAndClosingWithdrawsRisks(t *testing.T) {
	t.Parallel()
	s, id, aid, _ := setup(t)
	q := firstQuestion(t, ehrQuestion)
	res, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: q.ID, AssetID: aid, Status: assessment.NotImplemented})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := s.Snapshot(ctx, id)
	if res.Proposed == 0 || len(snap.Risks) != res.Proposed {
		t.Fatalf("proposed %d, stored %d risks", res.Proposed, len(snap.Risks))
	}
	for _, r := range snap.Risks {
		if r.Status != assessment.RiskProposed || r.AssetID != aid || !reflect.DeepEqual(r.QuestionIDs, []string{q.ID}) {
			t.Fatalf("proposal %+v", r)
		}
	}
	// Answering the same gap again proposes nothing new.
	res2, _ := s.SaveResponse(ctx, id, assessment.Response{QuestionID: q.ID, AssetID: aid, Status: assessment.Partial})
	if res2.Proposed != 0 {
		t.Fatalf("re-answering proposed %d duplicates", res2.Proposed)
	}
	// Confirm one proposal; closing the gap withdraws only the unconfirmed ones.
	kept := snap.Risks[0]
	kept.Status, kept.Likelihood, kept.Impact = assessment.RiskOpen, 4, 5
	if _, err := s.SaveRisk(ctx, id, kept); err != nil {
		t.Fatal(err)
	}
	res3, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: q.ID, AssetID: aid, Status: assessment.Implemented})
	if err != nil || res3.Withdrawn != res.Proposed-1 {
		t.Fatalf("withdrawn %d, want %d (%v)", res3.Withdrawn, res.Proposed-1, err)
	}
	snap, _ = s.Snapshot(ctx, id)
	if len(snap.Risks) != 1 || snap.Risks[0].ID != kept.ID {
		t.Fatalf("risks after closing the gap: %+v", snap.Risks)
	}
	if v, err := s.Verify(ctx); err != nil || !v.OK() {
		t.Fatalf("verify: %+v %v", v, err)
	}
}

func TestRiskValidationAndMatrixLock(t *testing.T) {
	t.Parallel()
	s, id, aid, _ := setup(t)
	c := catalog(t)
	v := c.Vulnerabilities[0]
	r := assessment.Risk{AssetID: aid, VulnerabilityID: v.ID, ThreatID: v.Threats[0].ID, Title: "t", Status: assessment.RiskOpen, Likelihood: 6, Impact: 2}
	if _, err := s.SaveRisk(ctx, id, r); err == nil {
		t.Fatal("likelihood 6 accepted on a 5x5 matrix")
	}
	r.ThreatID = "not-a-threat"
	if _, err := s.SaveRisk(ctx, id, r); err == nil || !strings.Contains(err.Error(), "threat") {
		t.Fatalf("unknown threat: %v", err)
	}
	r.ThreatID, r.Likelihood = v.Threats[0].ID, 3
	if _, err := s.SaveRisk(ctx, id, r); err != nil {
		t.Fatal(err)
	}
	p, _ := s.Profile(ctx, id)
	p.Matrix = assessment.MatrixHHS3x3
	if err := s.SaveProfile(ctx, id, p); err == nil || !strings.Contains(err.Error(), "fixed") {
		t.Fatalf("matrix change after rating: %v", err)
	}
}

func TestDeleteAssetTakesItsRecordsAndStaysVerifiable(t *testing.T) {
	t.Parallel()
	s, id, aid, vid := setup(t)
	other, _ := s.SaveAsset(ctx, id, assessment.Asset{Name: "Backups", Kind: "backup", Hosting: controls.IaaS, InScope: true})
	if _, err := s.SaveFlow(ctx, id, assessment.Flow{From: aid, To: other, Description: "nightly export", Encrypted: true}); err != nil {
		t.Fatal(err)
	}
	q := firstQuestion(t, ehrQuestion)
	s.SaveResponse(ctx, id, assessment.Response{QuestionID: q.ID, AssetID: aid, Status: assessment.NotImplemented})
	if err := s.DeleteVendor(ctx, id, vid); err == nil || !strings.Contains(err.Error(), "provides asset") {
		t.Fatalf("deleting a vendor in use: %v", err)
	}
	if err := s.DeleteAsset(ctx, id, aid); err != nil {
		t.Fatal(err)
	}
	snap, _ := s.Snapshot(ctx, id)
	if len(snap.Assets) != 1 || len(snap.Flows) != 0 || len(snap.Responses) != 0 || len(snap.Risks) != 0 {
		t.Fatalf("left behind: %d assets %d flows %d responses %d risks", len(snap.Assets), len(snap.Flows), len(snap.Responses), len(snap.Risks))
	}
	if v, err := s.Verify(ctx); err != nil || !v.OK() {
		t.Fatalf("verify: %+v %v", v, err)
	}
	if err := s.DeleteAssessment(ctx, id); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Verify(ctx); err != nil || !v.OK() {
		t.Fatalf("verify after deleting the assessment: %+v %v", v, err)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	s, id, aid, _ := setup(t)
	q := firstQuestion(t, ehrQuestion)
	s.SaveResponse(ctx, id, assessment.Response{QuestionID: q.ID, AssetID: aid, Status: assessment.Partial, Note: "MFA only for admins"})
	s.SetOverride(ctx, id, assessment.Override{QuestionID: q.ID, AssetID: aid, Owner: controls.OwnerCustomer, Reason: "We run it ourselves"})
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	doc1, err := s.Export(ctx, id, now)
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := openTemp(t)
	newID, err := s2.Import(ctx, doc1, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if newID != id {
		t.Fatalf("import into an empty workspace changed the ID: %s -> %s", id, newID)
	}
	doc2, err := s2.Export(ctx, newID, now)
	if err != nil {
		t.Fatal(err)
	}
	// Documented differences: the assessment's created/changed times are those of the
	// import, and the integrity block names each workspace's own chain. Everything else
	// is identical.
	if doc1.Integrity == nil || doc2.Integrity == nil || doc1.Integrity.Workspace == doc2.Integrity.Workspace {
		t.Fatalf("exports are not anchored to their own workspaces: %+v %+v", doc1.Integrity, doc2.Integrity)
	}
	doc1.Assessment.CreatedAt, doc1.Assessment.UpdatedAt = time.Time{}, time.Time{}
	doc2.Assessment.CreatedAt, doc2.Assessment.UpdatedAt = time.Time{}, time.Time{}
	in1 := doc1.Integrity
	doc1.Integrity, doc2.Integrity = nil, nil
	j1, _ := json.MarshalIndent(doc1, "", " ")
	j2, _ := json.MarshalIndent(doc2, "", " ")
	if string(j1) != string(j2) {
		t.Fatalf("round trip differs:\n%s\n---\n%s", j1, j2)
	}
	doc1.Integrity = in1
	// Importing the same document again gives fresh IDs instead of a collision.
	again, err := s2.Import(ctx, doc1, ImportOptions{})
	if err != nil || again == id {
		t.Fatalf("second import: %s %v", again, err)
	}
	if v, err := s2.Verify(ctx); err != nil || !v.OK() {
		t.Fatalf("verify: %+v %v", v, err)
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	s, id, _, _ := setup(t)
	doc, _ := s.Export(ctx, id, time.Now())
	doc.Responses = append(doc.Responses, assessment.Response{QuestionID: "000-none-01", Status: assessment.Implemented})
	s2, _ := openTemp(t)
	if _, err := s2.Import(ctx, doc, ImportOptions{}); err == nil {
		t.Fatal("a document with an unknown question was imported")
	}
	list, _ := s2.Assessments(ctx)
	if len(list) != 0 || auditCount(t, s2) != 0 {
		t.Fatal("a refused import left data behind")
	}
}

func TestFinaliseLocksAndRevisionCarriesForward(t *testing.T) {
	t.Parallel()
	s, id, aid, _ := setup(t)
	so := assessment.SignOff{Name: "Dana Reyes", Role: "Security official", Date: time.Now().Format(time.DateOnly), Statement: goodStatement}
	err := s.Finalise(ctx, id, so, time.Now())
	var re *ReadinessError
	if err == nil || !asReadiness(err, &re) || len(re.Items) == 0 {
		t.Fatalf("finalizing an unanswered assessment: %v", err)
	}
	// Describe the analysis, answer every applicable item, then finalize.
	makeReady(t, s, id)
	if err := s.Finalise(ctx, id, so, time.Now()); err != nil {
		t.Fatal(err)
	}
	final, _ := s.Snapshot(ctx, id)
	if final.Assessment.Status != assessment.StatusFinal || final.SignOff == nil || len(final.SignOff.ChainHead) != 64 {
		t.Fatalf("after finalise: status %s sign-off %+v", final.Assessment.Status, final.SignOff)
	}
	if _, err := s.SaveAsset(ctx, id, assessment.Asset{Name: "New", Kind: "other", Hosting: controls.OnPrem, InScope: true}); err == nil ||
		!strings.Contains(err.Error(), "final") {
		t.Fatalf("editing a final assessment: %v", err)
	}
	rev, err := s.NewRevision(ctx, id, "2027 risk analysis")
	if err != nil {
		t.Fatal(err)
	}
	next, _ := s.Snapshot(ctx, rev)
	if next.RevisionOf != id || next.Assessment.Status != assessment.StatusDraft || len(next.Responses) != len(final.Responses) {
		t.Fatalf("revision: of %q status %s, %d responses", next.RevisionOf, next.Assessment.Status, len(next.Responses))
	}
	for _, r := range next.Responses {
		if !r.Revalidate {
			t.Fatalf("carried answer %s not marked to re-validate", r.QuestionID)
		}
		if r.AssetID == aid {
			t.Fatal("revision shares an asset ID with its source")
		}
	}
	if v, err := s.Verify(ctx); err != nil || !v.OK() {
		t.Fatalf("verify: %+v %v", v, err)
	}
}

func asReadiness(err error, target **ReadinessError) bool {
	r, ok := err.(*ReadinessError)
	*target = r
	return ok
}

// BenchmarkSaveAnswer saves one answer of an asset, cycling through implemented, partial,
// not implemented and flagged: the gap answers propose risks (or join the proposal already
// there) and the closed gap withdraws them, so the figure includes the write path's
// proposal work. At 40 assets (500 risks) and 160 assets (2,000 risks): the cost must not
// grow with the assessment (issue 18). Budget (issues 4 and 18): p50 ≤ 5 ms at 160 assets.
func BenchmarkSaveAnswer(b *testing.B) {
	for _, scale := range []int{1, 4} {
		b.Run(fmt.Sprintf("assets=%d", 40*scale), func(b *testing.B) { benchSaveAnswer(b, scale) })
	}
}

func benchSaveAnswer(b *testing.B, scale int) {
	s, err := Open(b.TempDir()+"/ws.db", Options{Actor: "bench", StateDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	doc := assessmenttest.LargeDocument(b, scale)
	id, err := s.Import(ctx, doc, ImportOptions{})
	if err != nil {
		b.Fatal(err)
	}
	cat, _ := s.catalog()
	var r assessment.Response
	for _, x := range doc.Responses[len(doc.Responses)/2:] {
		if q, ok := cat.Question(x.QuestionID); ok && x.AssetID != "" && len(q.Vulnerabilities) > 0 && !q.Proposed {
			r = x
			break
		}
	}
	if r.QuestionID == "" {
		b.Fatal("no asset answer with vulnerabilities in the large assessment")
	}
	r.Decision, r.DecisionText, r.Reason, r.Revalidate = "", "", "", false
	r.Note = "Checked on site."
	r.Version = AnyVersion
	statuses := []assessment.ResponseStatus{assessment.Implemented, assessment.Partial, assessment.NotImplemented, assessment.Flagged}
	took := make([]time.Duration, b.N)
	proposed := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		r.Status = statuses[i%len(statuses)]
		res, err := s.SaveResponse(ctx, id, r)
		if err != nil {
			b.Fatal(err)
		}
		took[i] = time.Since(start)
		proposed += res.Proposed
	}
	b.StopTimer()
	if b.N >= len(statuses) && proposed == 0 {
		b.Fatal("no gap answer proposed a risk: the benchmark does not cover the proposal path")
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
}

// BenchmarkSnapshot loads the complete big assessment. Budget (issue 4): ≤ 200 ms.
func BenchmarkSnapshot(b *testing.B) {
	s, err := Open(b.TempDir()+"/ws.db", Options{Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	id, err := s.Import(ctx, assessmenttest.LargeDocument(b, 1), ImportOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snap, err := s.Snapshot(ctx, id)
		if err != nil || len(snap.Risks) != 500 {
			b.Fatal(err)
		}
	}
}
