package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/controls"
)

const goodStatement = "I have reviewed this risk analysis and confirm it reflects our systems and safeguards."

// makeReady records everything sign-off needs on the setup assessment: the profile's
// scope, period and assessors, a review of every vendor, every applicable item answered
// implemented (as specified where a decision is due), every threat source ruled out, and a
// review plan.
func makeReady(t *testing.T, s *Store, id string) {
	t.Helper()
	p, err := s.Profile(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	p.Scope, p.PeriodStart, p.PeriodEnd = "The hosted EHR and everything that reaches it.", "2026-01-01", "2026-12-31"
	p.Assessors = []string{"Dana Reyes"}
	if err := s.SaveProfile(ctx, id, p); err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().Format(time.DateOnly)
	for _, v := range snap.Vendors {
		if err := s.SetVendorReview(ctx, id, assessment.VendorReview{VendorID: v.ID, Date: today}); err != nil {
			t.Fatal(err)
		}
	}
	for _, it := range snap.Items() {
		r := assessment.Response{QuestionID: it.Question.ID, Status: assessment.Implemented}
		if it.Asset != nil {
			r.AssetID = it.Asset.ID
		}
		if assessment.TakesDecision(snap.Catalog, it.Question) {
			r.Decision = assessment.DecisionAsSpecified
		}
		if _, err := s.SaveResponse(ctx, id, r); err != nil {
			t.Fatalf("%s: %v", r.QuestionID, err)
		}
	}
	for _, src := range assessment.ThreatSources {
		if err := s.SetThreatRuling(ctx, id, assessment.ThreatRuling{Source: src.Value, Reason: "Every control against it is in place."}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveReviewPlan(ctx, id, assessment.ReviewPlan{Cadence: "annual", Next: time.Now().AddDate(1, 0, 0).Format(time.DateOnly)}); err != nil {
		t.Fatal(err)
	}
}

func verifyOK(t *testing.T, s *Store) {
	t.Helper()
	if v, err := s.Verify(ctx); err != nil || !v.OK() {
		t.Fatalf("verify: %+v %v", v.Problems, err)
	}
}

// TestMethodRecords: every record of the method is validated, audited, part of the
// snapshot and the export, and goes with what it belongs to.
func TestMethodRecords(t *testing.T) {
	t.Parallel()
	s, id, aid, vid := setup(t)
	before := auditCount(t, s)
	eid, err := s.AddMethodEntry(ctx, id, assessment.MethodEntry{Kind: assessment.MethodInterview, Who: " Dana Reyes ", Role: "Practice manager", Date: "2026-01-05"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMethodEntry(ctx, id, assessment.MethodEntry{Kind: assessment.MethodLimitation, Text: "No scan was run."}); err != nil {
		t.Fatal(err)
	}
	refusals := []struct {
		name string
		do   func() error
		want string
	}{
		{"interview without role", func() error {
			_, err := s.AddMethodEntry(ctx, id, assessment.MethodEntry{Kind: assessment.MethodInterview, Who: "X", Date: "2026-01-05"})
			return err
		}, "--role"},
		{"a test dated tomorrow", func() error {
			_, err := s.AddMethodEntry(ctx, id, assessment.MethodEntry{Kind: assessment.MethodTest, TestKind: "scan", Tool: "x", Scope: "y",
				Date: time.Now().AddDate(0, 0, 2).Format(time.DateOnly)})
			return err
		}, "after today"},
		{"no-vendors beside a vendor", func() error { return s.SetNoVendors(ctx, id, "Nobody handles ePHI for us.") }, "records 1 vendors"},
		{"a review of an unknown vendor", func() error {
			return s.SetVendorReview(ctx, id, assessment.VendorReview{VendorID: "nope", Date: "2026-01-05"})
		}, "no vendor"},
		{"a no-risk reason for an unanswered item", func() error {
			return s.SetNoRiskReason(ctx, id, assessment.NoRiskReason{QuestionID: "308a1iia-ra-01", Reason: "Covered by the vendor's own analysis."})
		}, "not answered"},
		{"a ruling on an unknown threat", func() error {
			return s.SetThreatRuling(ctx, id, assessment.ThreatRuling{ThreatID: "meteor", Reason: "Rare."})
		}, "not in the threat library"},
		{"a bad review plan", func() error { return s.SaveReviewPlan(ctx, id, assessment.ReviewPlan{Cadence: "weekly"}) }, "weekly"},
		{"removing an unknown method record", func() error { return s.DeleteMethodEntry(ctx, id, "zzzzzz") }, "no method record"},
	}
	for _, c := range refusals {
		if err := c.do(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want it to mention %q", c.name, err, c.want)
		}
	}
	if n := auditCount(t, s); n != before+2 {
		t.Fatalf("refusals wrote audit entries: %d, want %d", n, before+2)
	}
	// A gap, then why it leads to no risk.
	if _, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: "308a1iia-ra-01", Status: assessment.Partial}); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SetNoRiskReason(ctx, id, assessment.NoRiskReason{QuestionID: "308a1iia-ra-01", Reason: "This document is the analysis; its gaps are its own risks."}))
	must(s.SetVendorReview(ctx, id, assessment.VendorReview{VendorID: vid, Date: "2026-01-06", Note: "BAA and HITRUST letter read."}))
	must(s.SetThreatRuling(ctx, id, assessment.ThreatRuling{ThreatID: "flood", Reason: "Third floor, no river nearby."}))
	must(s.SetThreatRuling(ctx, id, assessment.ThreatRuling{Source: controls.SourceNatural, Reason: "Low-hazard area."}))
	must(s.SaveReviewPlan(ctx, id, assessment.ReviewPlan{Cadence: "annual", Next: "2027-01-31", Triggers: []string{"new-system"}}))
	snap, err := s.Snapshot(ctx, id)
	must(err)
	if len(snap.Method) != 2 || snap.Method[1].Who != "Dana Reyes" || len(snap.NoRisk) != 1 || len(snap.VendorReviews) != 1 ||
		len(snap.ThreatRulings) != 2 || snap.Review.Cadence != "annual" || snap.Review.Triggers[0] != "new-system" {
		t.Fatalf("snapshot method %+v no-risk %+v reviews %+v rulings %+v plan %+v", snap.Method, snap.NoRisk, snap.VendorReviews, snap.ThreatRulings, snap.Review)
	}
	a := assessment.Analyze(snap)
	if tr, ok := a.Trace(assessment.ItemKey{QuestionID: "308a1iia-ra-01"}); !ok || !tr.Traced() {
		t.Errorf("the reason does not trace the gap: %+v", tr)
	}
	// A gap closed, the reason stays but explains nothing; an implemented item refuses one.
	if err := s.SetNoRiskReason(ctx, id, assessment.NoRiskReason{QuestionID: "308a1iia-ra-02", Reason: "Covered by the vendor's own analysis."}); err == nil {
		t.Error("a reason was recorded for an unanswered item")
	}
	// Round trip through the export.
	doc, err := s.Export(ctx, id, time.Now())
	must(err)
	s2, _ := openTemp(t)
	nid, err := s2.Import(ctx, doc, ImportOptions{NewIDs: true})
	must(err)
	back, err := s2.Snapshot(ctx, nid)
	must(err)
	if len(back.Method) != 2 || len(back.NoRisk) != 1 || len(back.VendorReviews) != 1 || len(back.ThreatRulings) != 2 || back.Review.Next != "2027-01-31" {
		t.Fatalf("import lost method records: %+v", back)
	}
	if back.VendorReviews[0].VendorID == vid || back.VendorReviews[0].VendorID != back.Vendors[0].ID {
		t.Error("the vendor review does not follow its vendor's new ID")
	}
	verifyOK(t, s2)
	// Deleting the asset and the vendor takes their records along, audited.
	must(s.DeleteMethodEntry(ctx, id, eid[:6]))
	if _, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: "312a2iv-enc-01", AssetID: aid, Status: assessment.NotImplemented}); err != nil {
		t.Fatal(err)
	}
	must(s.SetNoRiskReason(ctx, id, assessment.NoRiskReason{QuestionID: "312a2iv-enc-01", AssetID: aid, Reason: "The vendor encrypts the database underneath."}))
	must(s.DeleteAsset(ctx, id, aid))
	must(s.DeleteVendor(ctx, id, vid))
	after, err := s.Snapshot(ctx, id)
	must(err)
	if len(after.Method) != 1 || len(after.NoRisk) != 1 || len(after.VendorReviews) != 0 {
		t.Errorf("after deletes: method %d, no-risk %+v, reviews %+v", len(after.Method), after.NoRisk, after.VendorReviews)
	}
	must(s.SetNoVendors(ctx, id, "No outside party handles ePHI now."))
	if snap, _ := s.Snapshot(ctx, id); snap.NoVendors == "" || snap.Review.Cadence != "annual" {
		t.Errorf("the no-vendors statement replaced the plan: %+v", snap.Review)
	}
	verifyOK(t, s)
}

// TestMethodRecordsTamper: a method record edited behind safeguard's back is found.
func TestMethodRecordsTamper(t *testing.T) {
	t.Parallel()
	s, path := openTemp(t)
	id := newAssessment(t, s)
	if _, err := s.AddMethodEntry(ctx, id, assessment.MethodEntry{Kind: assessment.MethodAssumption, Text: "Vendors' reports are accurate."}); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	mustExec(t, db, "UPDATE method_entries SET text = 'We tested everything.'")
	v, err := s.Verify(ctx)
	if err != nil || v.OK() || !strings.Contains(v.Problems[0], "method_entry") {
		t.Fatalf("verify after tampering: %+v %v", v.Problems, err)
	}
}

// TestConsistencyRefusedOnSave: the store refuses what the answer command refuses, with
// the same sentence, and writes nothing; "not applicable" on a specification that has a
// gap on the same asset is refused as circular.
func TestConsistencyRefusedOnSave(t *testing.T) {
	t.Parallel()
	s, id, aid, _ := setup(t)
	before := auditCount(t, s)
	for _, r := range []assessment.Response{
		{QuestionID: "308a3iia-auth-01", Status: assessment.Partial, Decision: assessment.DecisionAsSpecified},
		{QuestionID: "308a3iia-auth-01", Status: assessment.Implemented, Decision: assessment.DecisionAlternative, DecisionText: "Supervised sessions"},
		{QuestionID: "308a3iia-auth-01", Status: assessment.NotApplicable, Reason: "No one works here but the owner.", Decision: assessment.DecisionNotReasonable, DecisionText: "x"},
	} {
		_, err := s.SaveResponse(ctx, id, r)
		want := assessment.CheckConsistency(controls.MustDefault(), r)
		if err == nil || want == nil || err.Error() != want.Error() {
			t.Errorf("%+v: store says %v, the rule says %v", r, err, want)
		}
	}
	if auditCount(t, s) != before {
		t.Fatal("a refused answer was written")
	}
	// enc-01 (at rest) not implemented; a key-management item of the same specification
	// cannot then be "not applicable".
	if _, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: "312a2iv-enc-01", AssetID: aid, Status: assessment.NotImplemented}); err != nil {
		t.Fatal(err)
	}
	_, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: "312a2iv-key-01", AssetID: aid, Status: assessment.NotApplicable,
		Reason: "We do not encrypt, so there are no keys."})
	if err == nil || !strings.Contains(err.Error(), "312a2iv-enc-01") || !strings.Contains(err.Error(), "cannot be not applicable") {
		t.Fatalf("circular N/A: %v", err)
	}
	if _, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: "312a2iv-key-01", AssetID: aid, Status: assessment.NotImplemented}); err != nil {
		t.Fatalf("the honest answer: %v", err)
	}
}

// TestRevalidate: a carried answer is confirmed as it stands, and only if today's rules
// accept it.
func TestRevalidate(t *testing.T) {
	t.Parallel()
	s, id, _, _ := setup(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	makeReady(t, s, id)
	must(s.Finalise(ctx, id, assessment.SignOff{Name: "Dana Reyes", Role: "Security official", Date: time.Now().Format(time.DateOnly), Statement: goodStatement}, time.Now()))
	rev, err := s.NewRevision(ctx, id, "Next year")
	must(err)
	snap, _ := s.Snapshot(ctx, rev)
	if snap.Previous == nil || snap.Previous.Assessment.ID != id || snap.Previous.Previous != nil {
		t.Fatalf("the revision's snapshot does not carry its predecessor alone: %+v", snap.Previous)
	}
	if len(snap.Method) != 0 || len(snap.ThreatRulings) != 0 || len(snap.VendorReviews) != 0 || snap.Review.Cadence != "annual" {
		t.Errorf("revision carried method %d rulings %d reviews %d plan %+v", len(snap.Method), len(snap.ThreatRulings), len(snap.VendorReviews), snap.Review)
	}
	a := assessment.Analyze(snap)
	if a.Summary.Overall.Carried != a.Summary.Overall.Applicable || a.Review.Previous == nil || a.Review.Previous.SignOff == nil {
		t.Errorf("revision counts %+v, previous %+v", a.Summary.Overall, a.Review.Previous)
	}
	r := snap.Responses[0]
	must(s.RevalidateResponse(ctx, rev, r.QuestionID, r.AssetID))
	if err := s.RevalidateResponse(ctx, rev, r.QuestionID, r.AssetID); err == nil || !strings.Contains(err.Error(), "already current") {
		t.Errorf("re-validating twice: %v", err)
	}
	after, _ := s.Snapshot(ctx, rev)
	if after.Responses[0].Revalidate || after.Responses[0].Status != r.Status || after.Responses[0].By != "tester" {
		t.Errorf("re-validated answer %+v", after.Responses[0])
	}
	// A carried answer that today's rules refuse must be answered again: an old export
	// with "as specified" on a partial answer imports (the shape is valid) but cannot be
	// confirmed as it stands.
	doc, err := s.Export(ctx, rev, time.Now())
	must(err)
	var bad *assessment.Response
	for i := range doc.Responses {
		if q, _ := controls.MustDefault().Question(doc.Responses[i].QuestionID); doc.Responses[i].AssetID == "" && assessment.TakesDecision(controls.MustDefault(), q) {
			bad = &doc.Responses[i]
			break
		}
	}
	bad.Status, bad.Revalidate = assessment.Partial, true
	old, err := s.Import(ctx, doc, ImportOptions{NewIDs: true})
	must(err)
	if err := s.RevalidateResponse(ctx, old, bad.QuestionID, ""); err == nil || !strings.Contains(err.Error(), "answer it again") {
		t.Errorf("re-validating an inconsistent carried answer: %v", err)
	}
	verifyOK(t, s)
}

// TestFinaliseRules: the sign-off is checked before anything is written; a good one records
// the time it was recorded and the approver.
func TestFinaliseRules(t *testing.T) {
	t.Parallel()
	s, id, _, _ := setup(t)
	makeReady(t, s, id)
	today := time.Now().Format(time.DateOnly)
	before := auditCount(t, s)
	for _, c := range []struct {
		so   assessment.SignOff
		want string
	}{
		{assessment.SignOff{Name: "Dana Reyes", Role: "Officer", Date: today, Statement: "ok"}, "not a sentence"},
		{assessment.SignOff{Name: "Dana Reyes", Role: "Officer", Date: "2024-01-15", Statement: goodStatement}, "before the last recorded work"},
		{assessment.SignOff{Name: "Dana Reyes", Role: "Officer", Date: time.Now().AddDate(0, 0, 3).Format(time.DateOnly), Statement: goodStatement}, "after today"},
		{assessment.SignOff{Name: "Dana Reyes", Role: "Officer", Date: today, Statement: goodStatement,
			Approver: &assessment.Approver{Name: "Dana Reyes", Role: "Owner", Date: today}}, "approver is the signer"},
	} {
		if err := s.Finalise(ctx, id, c.so, time.Now()); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.so, err, c.want)
		}
	}
	if auditCount(t, s) != before {
		t.Fatal("a refused sign-off wrote to the workspace")
	}
	so := assessment.SignOff{Name: "Dana Reyes", Role: "Security official", Date: today, Statement: goodStatement,
		Approver: &assessment.Approver{Name: "Dr. Ana Ruiz", Role: "Practice owner", Date: today}}
	if err := s.Finalise(ctx, id, so, time.Now()); err != nil {
		t.Fatal(err)
	}
	snap, _ := s.Snapshot(ctx, id)
	got := snap.SignOff
	if got == nil || got.RecordedAt.IsZero() || time.Since(got.RecordedAt) > time.Minute || got.Approver == nil || got.Approver.Name != "Dr. Ana Ruiz" {
		t.Fatalf("sign-off %+v", got)
	}
	if !snap.Assessment.UpdatedAt.Equal(got.RecordedAt) {
		t.Errorf("recorded at %v, the audit says %v", got.RecordedAt, snap.Assessment.UpdatedAt)
	}
	verifyOK(t, s)
}

// TestUpgradedWorkspaceVerifies: a workspace written at schema 3 (before this migration
// added columns to audited tables) still verifies after the upgrade; a value put into an
// added column behind safeguard's back is still found.
func TestUpgradedWorkspaceVerifies(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "v3.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations[:3] {
		mustExec(t, db, m)
	}
	mustExec(t, db, fmt.Sprintf("PRAGMA application_id = %d", applicationID))
	mustExec(t, db, "PRAGMA user_version = 3")
	now := time.Now().UTC().Format(time.RFC3339Nano)
	rows := []struct {
		entity, id, insert string
		args               []any
	}{
		{"assessment", "a1", "INSERT INTO assessments VALUES (?, 'T', 'O', 'final', 'x', ?, ?)", []any{"a1", now, now}},
		{"response", "a1/q/", `INSERT INTO responses VALUES ('a1/q/', 'a1', '308a1iia-ra-01', NULL, 'implemented', '', '', '', '', 0, 'me', ?)`, []any{now}},
		{"risk", "r1", `INSERT INTO risks VALUES ('r1', 'a1', NULL, 'no-risk-analysis', 'ransomware', '[]', 'R', 3, 4, '', '', '', '', '', 0, 0, 'open')`, nil},
		{"signoff", "a1", `INSERT INTO sign_offs VALUES ('a1', 'Dana', 'Officer', '2026-01-01', 'Signed.', '')`, nil},
	}
	for _, r := range rows {
		mustExec(t, db, r.insert, r.args...)
		appendAuditRaw(t, db, r.entity, r.id, "a1")
	}
	db.Close()
	s, err := Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	verifyOK(t, s)
	snap, err := s.Snapshot(ctx, "a1")
	if err != nil || snap.SignOff == nil || !snap.SignOff.RecordedAt.IsZero() || snap.Risks[0].CIA != "" {
		t.Fatalf("upgraded snapshot %+v %v", snap, err)
	}
	raw := rawDB(t, path)
	mustExec(t, raw, "UPDATE risks SET cia = 'c'")
	if v, _ := s.Verify(ctx); v.OK() || !strings.Contains(v.Problems[0], "risk r1") {
		t.Fatalf("a value put into an added column was not found: %+v", v.Problems)
	}
}

// appendAuditRaw appends the audit entry of a row as safeguard would, on a raw connection.
func appendAuditRaw(t *testing.T, db *sql.DB, entityName, id, assessmentID string) {
	t.Helper()
	e, _ := entityByName(entityName)
	state, err := rowState(context.Background(), db, e, id)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := canonicalPayload(state)
	var seq int64
	prev := genesisHash
	if err := db.QueryRow(headSQL).Scan(&seq, &prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatal(err)
	}
	entry := AuditEntry{Seq: seq + 1, At: time.Now().UTC().Format(time.RFC3339Nano), Actor: "old", Action: ActionCreate,
		Entity: entityName, EntityID: id, AssessmentID: assessmentID, Payload: payload, PrevHash: prev}
	entry.Hash = entry.computeHash()
	mustExec(t, db, auditSQL, entry.Seq, entry.At, entry.Actor, entry.Action, entry.Entity, entry.EntityID, entry.AssessmentID, entry.Payload, entry.PrevHash, entry.Hash)
}

// TestSaveMethodEntryEdits: a method record changes in place, keeps its ID, is checked
// like a new one and audited; an ID from elsewhere is refused.
func TestSaveMethodEntryEdits(t *testing.T) {
	t.Parallel()
	s, id, _, _ := setup(t)
	eid, err := s.AddMethodEntry(ctx, id, assessment.MethodEntry{Kind: assessment.MethodInterview, Who: "Dana Reyes", Role: "Practice manager", Date: "2026-01-05"})
	if err != nil {
		t.Fatal(err)
	}
	before := auditCount(t, s)
	got, err := s.SaveMethodEntry(ctx, id, assessment.MethodEntry{ID: eid, Kind: assessment.MethodInterview, Who: "Dana Reyes", Role: "Office manager", Date: "2026-01-06"})
	if err != nil || got != eid {
		t.Fatalf("edit: %q %v", got, err)
	}
	if n := auditCount(t, s); n != before+1 {
		t.Fatalf("the edit made %d audit entries", n-before)
	}
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Method) != 1 || snap.Method[0].Role != "Office manager" || snap.Method[0].Date != "2026-01-06" {
		t.Fatalf("after the edit: %+v", snap.Method)
	}
	if _, err := s.SaveMethodEntry(ctx, id, assessment.MethodEntry{ID: eid, Kind: assessment.MethodInterview, Who: "Dana Reyes"}); err == nil {
		t.Fatal("an edit that drops the role was accepted")
	}
	if _, err := s.SaveMethodEntry(ctx, id, assessment.MethodEntry{ID: "not-a-record", Kind: assessment.MethodLimitation, Text: "x"}); err == nil {
		t.Fatal("an edit of an unknown record was accepted")
	}
	verifyOK(t, s)
}
