package store

import (
	"os"
	"slices"
	"strings"
	"testing"

	"safeguard/assessment"
	"safeguard/controls"
)

// TestProfileScope: depth, region and the entity flags are saved, read back and audited;
// an assessment that never set them has no scope row and asks everything; bad input, the
// organization name included, changes nothing.
func TestProfileScope(t *testing.T) {
	s, _ := openTemp(t)
	id := newAssessment(t, s)
	p, err := s.Profile(ctx, id)
	if err != nil || p.Depth != "" || p.DepthOrDefault() != controls.DepthComplete {
		t.Fatalf("a new assessment: depth %q (%v), want none, which asks everything", p.Depth, err)
	}
	before := auditCount(t, s)
	if err := s.SaveProfile(ctx, id, p); err != nil {
		t.Fatal(err)
	}
	if n := auditCount(t, s) - before; n != 0 {
		t.Errorf("saving the unchanged default profile wrote %d audit entries, want none", n)
	}
	p.Size = "medium"
	if err := s.SaveProfile(ctx, id, p); err != nil {
		t.Fatal(err)
	}
	if n := auditCount(t, s) - before; n != 1 {
		t.Errorf("saving a profile without scoping fields wrote %d audit entries, want 1 (the profile)", n)
	}
	p.Depth, p.Region, p.EntityType, p.SponsorReceivesEPHI = controls.DepthEssentials, "gulf-coast", assessment.EntityHealthPlan, true
	if err := s.UpdateProfile(ctx, id, ProfileUpdate{Profile: p, Organization: "Bayou Health Plan", Title: "2027 analysis"}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Profile(ctx, id)
	a, _ := s.Assessment(ctx, id)
	if got.Depth != controls.DepthEssentials || got.Region != "gulf-coast" || !got.SponsorReceivesEPHI || a.Organization != "Bayou Health Plan" || a.Title != "2027 analysis" {
		t.Fatalf("read back %+v, organization %q, title %q", got, a.Organization, a.Title)
	}
	verifyOK(t, s)

	before = auditCount(t, s)
	for name, u := range map[string]ProfileUpdate{
		"unknown region": {Profile: withRegion(got, "atlantis")},
		"bad depth":      {Profile: withDepth(got, "everything")},
		"bad org name":   {Profile: got, Organization: "Bad\x07Name"},
		"sponsor flag on a provider": {Profile: func() assessment.Profile {
			x := got
			x.EntityType = assessment.EntityProvider
			return x
		}()},
	} {
		if err := s.UpdateProfile(ctx, id, u); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if n := auditCount(t, s) - before; n != 0 {
		t.Errorf("refused profile updates wrote %d audit entries", n)
	}
	if a2, _ := s.Assessment(ctx, id); a2.Organization != "Bayou Health Plan" {
		t.Errorf("a refused update renamed the organization to %q", a2.Organization)
	}
}

func withRegion(p assessment.Profile, r string) assessment.Profile { p.Region = r; return p }
func withDepth(p assessment.Profile, d string) assessment.Profile {
	p.Depth = controls.Depth(d)
	return p
}

// TestFlowsToOutsideParties: a flow can go to an outside party with a channel and transport
// encryption; a flow recorded in the older table moves when edited; both verify.
func TestFlowsToOutsideParties(t *testing.T) {
	s, id, aid, _ := setup(t)
	other, err := s.SaveAsset(ctx, id, assessment.Asset{Name: "File server", Kind: "other", Hosting: controls.OnPrem, InScope: true})
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.SaveFlow(ctx, id, assessment.Flow{From: aid, ToParty: "clearinghouse", Channel: "interface", TLS: "tls1.2"})
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]assessment.Flow{
		"two destinations": {From: aid, To: other, ToParty: "lab"},
		"no destination":   {From: aid},
		"unknown party":    {From: aid, ToParty: "bank"},
		"unknown channel":  {From: aid, ToParty: "lab", Channel: "pigeon"},
		"to itself":        {From: aid, To: aid},
	} {
		if _, err := s.SaveFlow(ctx, id, f); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A flow written by an older safeguard sits in the flows table with its audit entry.
	legacy := "legacy-flow"
	if err := s.mutate(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`INSERT INTO flows (id, assessment_id, from_asset, to_asset, description, encrypted) VALUES (?, ?, ?, ?, 'old', 1)`,
			legacy, id, other, aid); err != nil {
			return err
		}
		return tx.record(ActionCreate, "flow", legacy, id)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveFlow(ctx, id, assessment.Flow{ID: legacy, From: other, To: aid, Channel: "vpn", TLS: "tls1.3", Description: "nightly copy"}); err != nil {
		t.Fatal(err)
	}
	snap, _ := s.Snapshot(ctx, id)
	if len(snap.Flows) != 2 {
		t.Fatalf("flows %+v, want the outside flow and the moved one", snap.Flows)
	}
	for _, f := range snap.Flows {
		switch f.ID {
		case out:
			if !f.Outside() || f.ToParty != "clearinghouse" || !f.Encrypted {
				t.Errorf("outside flow read back as %+v", f)
			}
		case legacy:
			if f.Channel != "vpn" || f.TLS != "tls1.3" || f.Description != "nightly copy" {
				t.Errorf("edited legacy flow read back as %+v", f)
			}
		}
	}
	verifyOK(t, s)
	if err := s.DeleteAsset(ctx, id, aid); err != nil {
		t.Fatal(err)
	}
	snap, _ = s.Snapshot(ctx, id)
	if len(snap.Flows) != 0 {
		t.Errorf("deleting the asset left flows %+v", snap.Flows)
	}
	verifyOK(t, s)
}

// TestHostingChangeRevalidates: moving an asset to another hosting model marks its answers
// to re-validate, one audit entry each, in the same transaction as the asset change.
func TestHostingChangeRevalidates(t *testing.T) {
	s, id, _, _ := setup(t)
	aid, err := s.SaveAsset(ctx, id, assessment.Asset{Name: "Server", Kind: "other", Hosting: controls.OnPrem, InScope: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"308a1iib-rm-04", "312a2iv-enc-01"} {
		if _, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: q, AssetID: aid, Status: assessment.Implemented,
			Decision: decisionFor(t, q)}); err != nil {
			t.Fatal(err)
		}
	}
	snap, _ := s.Snapshot(ctx, id)
	a, _ := snap.Asset(aid)
	same := *a
	same.Notes = "renamed rack"
	before := auditCount(t, s)
	if _, err := s.SaveAsset(ctx, id, same); err != nil {
		t.Fatal(err)
	}
	if n := auditCount(t, s) - before; n != 1 {
		t.Errorf("an edit that keeps the hosting wrote %d audit entries, want 1", n)
	}
	moved := same
	moved.Hosting = controls.IaaS
	before = auditCount(t, s)
	if _, err := s.SaveAsset(ctx, id, moved); err != nil {
		t.Fatal(err)
	}
	if n := auditCount(t, s) - before; n != 3 {
		t.Errorf("moving the asset wrote %d audit entries, want 3 (two answers and the asset)", n)
	}
	snap, _ = s.Snapshot(ctx, id)
	for _, r := range snap.Responses {
		if r.AssetID == aid && !r.Revalidate {
			t.Errorf("answer %s was not marked to re-validate", r.QuestionID)
		}
	}
	verifyOK(t, s)
}

func decisionFor(t *testing.T, qid string) assessment.Decision {
	cat := catalog(t)
	q, _ := cat.Question(qid)
	if sp, ok := cat.Specification(q.Specification); ok && sp.Requirement == controls.Addressable {
		return assessment.DecisionAsSpecified
	}
	return assessment.DecisionNone
}

// TestGateRefusesFollowUps: with the removable-media gate answered not applicable, an
// answer to one of its follow-ups is refused with the reason.
func TestGateRefusesFollowUps(t *testing.T) {
	s, id, _, _ := setup(t)
	if _, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: "310d2iii-acct-05", Status: assessment.NotApplicable,
		Reason: "Nobody copies patient data to removable media."}); err != nil {
		t.Fatal(err)
	}
	_, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: "312a2iv-enc-05", Status: assessment.Implemented,
		Decision: assessment.DecisionAsSpecified})
	if err == nil || !strings.Contains(err.Error(), "310d2iii-acct-05") || !strings.Contains(err.Error(), "Nobody copies") {
		t.Fatalf("answer to a closed follow-up: %v", err)
	}
	if _, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: "310d2iii-acct-05", Status: assessment.Partial}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: "312a2iv-enc-05", Status: assessment.Implemented,
		Decision: assessment.DecisionAsSpecified}); err != nil {
		t.Fatalf("follow-up refused once its gate reopened: %v", err)
	}
}

// TestProposalsOnePerWeakness: two gaps exposing the same weakness of the same asset give
// one proposal listing both; closing one gap keeps the proposal with the other; closing
// both withdraws it.
func TestProposalsOnePerWeakness(t *testing.T) {
	s, id, _, _ := setup(t)
	aid, err := s.SaveAsset(ctx, id, assessment.Asset{Name: "Laptops", Kind: "endpoint", Hosting: controls.OnPrem, InScope: true})
	if err != nil {
		t.Fatal(err)
	}
	// Both guard against the loss or theft of the laptops (lost-or-stolen-device).
	gaps := []string{"310c-wsec-05", "312a2iv-enc-02"}
	for _, q := range gaps {
		if _, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: q, AssetID: aid, Status: assessment.NotImplemented}); err != nil {
			t.Fatal(err)
		}
	}
	proposals := func() map[string]assessment.Risk {
		snap, _ := s.Snapshot(ctx, id)
		m := map[string]assessment.Risk{}
		for _, r := range snap.Risks {
			if r.AssetID != aid {
				continue
			}
			if _, dup := m[r.VulnerabilityID]; dup {
				t.Errorf("two proposals for %s on the laptops", r.VulnerabilityID)
			}
			m[r.VulnerabilityID] = r
		}
		return m
	}
	p := proposals()
	if r := p["lost-or-stolen-device"]; !slices.Equal(r.QuestionIDs, gaps) {
		t.Fatalf("the unencrypted-data proposal lists %v, want both gaps %v", r.QuestionIDs, gaps)
	}
	if _, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: gaps[0], AssetID: aid, Status: assessment.Implemented,
		Decision: decisionFor(t, gaps[0])}); err != nil {
		t.Fatal(err)
	}
	if r := proposals()["lost-or-stolen-device"]; !slices.Equal(r.QuestionIDs, gaps[1:]) {
		t.Fatalf("after closing one gap the proposal lists %v, want %v", r.QuestionIDs, gaps[1:])
	}
	if _, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: gaps[1], AssetID: aid, Status: assessment.Implemented,
		Decision: decisionFor(t, gaps[1])}); err != nil {
		t.Fatal(err)
	}
	if _, ok := proposals()["lost-or-stolen-device"]; ok {
		t.Fatal("the proposal stayed after every gap behind it closed")
	}
	verifyOK(t, s)
}

// TestBulkAcceptAndDismiss: proposals are accepted or dismissed in one transaction, one
// audit entry per risk, a dismissal carries the batch's reason, and a batch naming
// anything but a proposal changes nothing.
func TestBulkAcceptAndDismiss(t *testing.T) {
	s, id, aid, _ := setup(t)
	for _, q := range []string{"312d-mfa-01", "312a2i-uid-01", "308a4iic-mod-02"} {
		if _, err := s.SaveResponse(ctx, id, assessment.Response{QuestionID: q, AssetID: aid, Status: assessment.NotImplemented}); err != nil {
			t.Fatal(err)
		}
	}
	snap, _ := s.Snapshot(ctx, id)
	var ids []string
	for _, r := range snap.Risks {
		ids = append(ids, r.ID)
	}
	if len(ids) < 4 {
		t.Fatalf("only %d proposals", len(ids))
	}
	confirmed, err := s.SaveRisk(ctx, id, assessment.Risk{VulnerabilityID: "missing-mfa", ThreatID: "account-takeover",
		Title: "Confirmed", Likelihood: 2, Impact: 2, Status: assessment.RiskOpen})
	if err != nil {
		t.Fatal(err)
	}
	before := auditCount(t, s)
	if _, err := s.AcceptProposals(ctx, id, []string{ids[0], confirmed}); err == nil || !strings.Contains(err.Error(), "not a proposal") {
		t.Fatalf("a batch with a confirmed risk: %v", err)
	}
	if _, err := s.DismissProposals(ctx, id, ids[:2], "  "); err == nil {
		t.Fatal("a dismissal without a reason was accepted")
	}
	if n := auditCount(t, s) - before; n != 0 {
		t.Fatalf("refused batches wrote %d audit entries", n)
	}
	n, err := s.AcceptProposals(ctx, id, ids[:2])
	if err != nil || n != 2 {
		t.Fatalf("accept: %d, %v", n, err)
	}
	n, err = s.DismissProposals(ctx, id, ids[2:], "Covered by the EHR vendor's HITRUST review")
	if err != nil || n != len(ids)-2 {
		t.Fatalf("dismiss: %d, %v", n, err)
	}
	if got := auditCount(t, s) - before; got != len(ids) {
		t.Errorf("%d audit entries for %d settled proposals", got, len(ids))
	}
	snap, _ = s.Snapshot(ctx, id)
	for _, r := range snap.Risks {
		switch {
		case r.ID == confirmed:
		case slices.Contains(ids[:2], r.ID) && r.Status != assessment.RiskOpen:
			t.Errorf("accepted %s is %s", r.ID, r.Status)
		case slices.Contains(ids[2:], r.ID) && (r.Status != assessment.RiskDismissed || !strings.Contains(r.Rationale, "HITRUST review")):
			t.Errorf("dismissed %s is %s with rationale %q", r.ID, r.Status, r.Rationale)
		}
	}
	verifyOK(t, s)
}

// TestImportOlderCatalogExport imports the demo as catalog 2026.11.0 exported it: answers
// under merged questions land on the surviving ones and the workspace verifies.
func TestImportOlderCatalogExport(t *testing.T) {
	s, _ := openTemp(t)
	f, err := os.Open("../assessment/testdata/export-catalog-2026.11.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := assessment.ParseDocument(f, catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Import(ctx, doc, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	verifyOK(t, s)
	snap, _ := s.Snapshot(ctx, id)
	cat := catalog(t)
	for _, r := range snap.Responses {
		if _, retired := cat.Retired(r.QuestionID); retired {
			t.Errorf("imported answer under retired question %s", r.QuestionID)
		}
	}
	if snap.Assessment.CatalogVersion != cat.Version || len(snap.Responses) < 600 {
		t.Errorf("imported %d answers under catalog %s", len(snap.Responses), snap.Assessment.CatalogVersion)
	}
}
