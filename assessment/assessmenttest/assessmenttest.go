// Package assessmenttest builds the assessments that tests and benchmarks of every package
// share: the demo as a snapshot or document, and the large assessment the budgets are set
// against. There is one builder of each, so a figure measured in one package describes
// the same assessment as in another.
//
// Everything here is deterministic: the same call gives the same assessment, dated by Now.
// Callers own what they get and may change it; nothing is shared between calls.
//
// Tests inside package assessment cannot import this package (it imports assessment);
// write them as package assessment_test instead.
package assessmenttest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/controls"
)

// Now is the clock of every assessment built here.
var Now = time.Date(2026, time.October, 1, 15, 4, 5, 0, time.UTC)

// Catalog is the embedded catalog; a test fails at once when it does not load.
func Catalog(tb testing.TB) *controls.Catalog {
	tb.Helper()
	c, err := controls.Default()
	if err != nil {
		tb.Fatalf("the embedded catalog does not load: %v", err)
	}
	return c
}

// DemoDocument is the sample assessment (assessment.Demo) as of Now.
func DemoDocument(tb testing.TB) *assessment.Document {
	tb.Helper()
	return assessment.Demo(Catalog(tb), Now)
}

// Demo is the sample assessment as a snapshot, as the store would load it for a report:
// dated Now, with an audit summary of a verified chain.
func Demo(tb testing.TB) *assessment.Snapshot {
	tb.Helper()
	cat := Catalog(tb)
	s := assessment.SnapshotOf(assessment.Demo(cat, Now), cat)
	s.Audit = assessment.AuditSummary{Entries: 812, Head: "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12", Verified: true}
	return s
}

// LargeDocument is Large as an importable document.
func LargeDocument(tb testing.TB, scale int) *assessment.Document {
	tb.Helper()
	return assessment.DocumentOf(Large(tb, scale))
}

// Large is the assessment the budgets are set against, scaled: 40×scale in-scope assets
// cycling through every kind and hosting model (a few hosted ones name no vendor, every
// seventh holds Part 2 records), eight vendors with every BAA state and a mix of current,
// lapsed and SOC 2-only attestations, every applicable item answered (all five statuses,
// notes, reasons, §164.306(d)(3) decisions on most addressable items, answers to
// re-validate, owner overrides), 500×scale risks across levels, statuses and treatments
// (some unrated), and 200×scale evidence items linked to answers. The profile is a
// provider with a Part 2 program that includes the proposed-rule questions.
func Large(tb testing.TB, scale int) *assessment.Snapshot {
	tb.Helper()
	return Sized(tb, 40*scale, 500*scale, 200*scale)
}

// Sized is Large with the given numbers of assets, risks and evidence items: Large(scale)
// is Sized(40×scale, 500×scale, 200×scale). A consultant's client of 10 assets is
// Sized(10, 125, 50).
func Sized(tb testing.TB, assets, risks, evidence int) *assessment.Snapshot {
	tb.Helper()
	cat := Catalog(tb)
	s := &assessment.Snapshot{
		Assessment: assessment.Assessment{ID: "0b7c5a8e-1a2e-4d1e-9f00-000000000040", Title: "2026 HIPAA Security Risk Analysis",
			Organization: "Large Health System", Status: assessment.StatusInReview, CatalogVersion: cat.Version, CreatedAt: Now.Add(-90 * 24 * time.Hour), UpdatedAt: Now},
		Profile: assessment.Profile{EntityType: assessment.EntityProvider, Size: "large", Part2Program: true, IncludeProposed: true,
			Matrix: assessment.MatrixNIST5x5, Assessors: []string{"Avery Assessor", "Blake Reviewer"}, PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31",
			Scope: "Every system that handles ePHI across the health system's hospitals and clinics."},
		Catalog:     cat,
		GeneratedAt: Now,
		Audit:       assessment.AuditSummary{Entries: 25000, Head: "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f", Verified: true},
	}
	s.Vendors = largeVendors()
	for i := range assets {
		s.Assets = append(s.Assets, largeAsset(cat, s.Vendors, i))
		if i > 0 {
			s.Flows = append(s.Flows, assessment.Flow{ID: fmt.Sprintf("f%04d", i), From: s.Assets[i-1].ID, To: s.Assets[i].ID,
				Description: "Nightly export of encounter records", Encrypted: i%3 != 0})
		}
	}
	answerAll(cat, s)
	addRisks(cat, s, risks)
	addEvidence(s, evidence)
	return s
}

func largeVendors() []assessment.Vendor {
	baas := []assessment.BAAStatus{assessment.BAASigned, assessment.BAASigned, assessment.BAASigned, assessment.BAARequested,
		assessment.BAAExpired, assessment.BAANone, assessment.BAASigned, assessment.BAASigned}
	atts := [][]assessment.Attestation{
		{{Kind: assessment.AttHITRUSTr2, Expires: "2027-01-31"}},
		{{Kind: assessment.AttSOC2Type2, PeriodEnd: "2026-06-30", Expires: "2027-06-30"}},
		{{Kind: assessment.AttISO27001, Expires: "2025-01-31"}},
		nil,
		{{Kind: assessment.AttSOC2Type2, Expires: "2026-12-31"}, {Kind: assessment.AttHITRUSTi1, Expires: "2026-11-01"}},
		{{Kind: assessment.AttHITRUSTe1, Expires: "2026-06-01"}},
		{{Kind: assessment.AttSOC2Type2, Expires: "2025-12-31"}},
		{{Kind: assessment.AttISO27001, Expires: "2028-01-01"}},
	}
	var out []assessment.Vendor
	for i := range baas {
		v := assessment.Vendor{ID: fmt.Sprintf("v%d", i), Name: fmt.Sprintf("Vendor %d", i), Services: "Hosting and support",
			BAA: baas[i], Attestations: atts[i], BreachNoticeDays: 10 * (i % 4), Flowdown: i%2 == 0}
		if v.BAA == assessment.BAASigned {
			v.BAASigned = "2025-01-15"
		}
		out = append(out, v)
	}
	return out
}

func largeAsset(cat *controls.Catalog, vendors []assessment.Vendor, i int) assessment.Asset {
	h := controls.Hostings[i%len(controls.Hostings)]
	a := assessment.Asset{
		ID: fmt.Sprintf("a%04d", i), Name: fmt.Sprintf("System %04d", i), Kind: cat.AssetKinds[i%len(cat.AssetKinds)].ID, Hosting: h,
		EPHI: true, Part2: i%7 == 0, Records: 1000 * i, Location: fmt.Sprintf("Region %d", i%3), Owner: fmt.Sprintf("IT team %d", i%5),
		Criticality: assessment.CriticalityChoices[i%len(assessment.CriticalityChoices)].Value,
		EncAtRest:   assessment.EncryptionChoices[i%len(assessment.EncryptionChoices)].Value, TLS: "tls1.2", InScope: true,
	}
	if a.Part2 {
		a.Segregation = "logical"
	}
	if h != controls.OnPrem && i%13 != 0 {
		a.VendorID = vendors[i%len(vendors)].ID
	}
	return a
}

// answerAll answers every applicable item, cycling through the statuses.
func answerAll(cat *controls.Catalog, s *assessment.Snapshot) {
	statuses := []assessment.ResponseStatus{assessment.Implemented, assessment.Implemented, assessment.Partial,
		assessment.NotImplemented, assessment.NotApplicable, assessment.Flagged, assessment.Implemented}
	decisions := []assessment.Decision{assessment.DecisionAsSpecified, assessment.DecisionAlternative, assessment.DecisionNotReasonable}
	by := s.Profile.Assessors
	for i, it := range s.Items() {
		k := it.Key()
		r := assessment.Response{QuestionID: k.QuestionID, AssetID: k.AssetID, Status: statuses[i%len(statuses)],
			By: by[i%len(by)], At: Now.Add(-time.Duration(i) * time.Minute),
			Note: "Reviewed the configuration with the system owner; screenshots filed with the evidence."}
		if r.Status == assessment.NotApplicable {
			r.Reason = "The system does not offer this function."
		}
		if sp, ok := cat.Specification(it.Question.Specification); ok && sp.Requirement == controls.Addressable && i%5 != 0 {
			r.Decision = decisions[i%len(decisions)]
			if r.Decision != assessment.DecisionAsSpecified {
				r.DecisionText = "A compensating control covers this: access is brokered through the jump host with session recording."
			}
		}
		r.Revalidate = i%11 == 0
		s.Responses = append(s.Responses, r)
		if i%17 == 0 && it.Asset != nil {
			s.Overrides = append(s.Overrides, assessment.Override{QuestionID: k.QuestionID, AssetID: k.AssetID,
				Owner: controls.OwnerShared, Reason: "The provider and the practice split this duty."})
		}
	}
}

// addRisks adds n risks from the threat library: a sixth unrated, every status and
// treatment, residual ratings on the treated ones.
func addRisks(cat *controls.Catalog, s *assessment.Snapshot, n int) {
	statuses := []assessment.RiskStatus{assessment.RiskProposed, assessment.RiskOpen, assessment.RiskOpen,
		assessment.RiskInProgress, assessment.RiskClosed, assessment.RiskDismissed}
	treat := []assessment.Treatment{assessment.TreatNone, assessment.TreatMitigate, assessment.TreatAccept,
		assessment.TreatNone, assessment.TreatTransfer}
	for i := range n {
		v := cat.Vulnerabilities[i%len(cat.Vulnerabilities)]
		t := v.Threats[i%len(v.Threats)]
		r := assessment.Risk{
			ID: fmt.Sprintf("r%04d", i), VulnerabilityID: v.ID, ThreatID: t.ID, QuestionIDs: v.MitigatedBy[:1],
			Title: t.Title + " — " + v.Title, Likelihood: i % 6, Impact: (i / 6) % 6,
			Rationale: "Rated from the threat library's hint and the asset's exposure.",
			Treatment: treat[i%len(treat)], Status: statuses[i%len(statuses)],
		}
		if r.Likelihood == 0 || r.Impact == 0 {
			r.Likelihood, r.Impact = 0, 0
		}
		if i%3 != 0 {
			r.AssetID = s.Assets[i%len(s.Assets)].ID
		}
		if r.Treatment != assessment.TreatNone {
			r.Measures = "Apply the vendor's hardening baseline and review quarterly."
			r.Owner = "IT lead"
			r.Due = []string{"2026-06-30", "2027-03-31"}[i%2]
			if r.Likelihood > 0 {
				r.ResidualL, r.ResidualI = 1, max(1, r.Impact-1)
			}
		}
		s.Risks = append(s.Risks, r)
	}
}

// addEvidence adds n evidence items, each linked to an answered item (and its asset).
func addEvidence(s *assessment.Snapshot, n int) {
	by := s.Profile.Assessors
	for i := range n {
		r := s.Responses[(i*37)%len(s.Responses)]
		links := []assessment.EvidenceLink{{QuestionID: r.QuestionID, AssetID: r.AssetID}}
		if r.AssetID != "" && i%2 == 0 {
			links = append(links, assessment.EvidenceLink{AssetID: r.AssetID})
		}
		content := fmt.Sprintf("evidence %d", i)
		sum := sha256.Sum256([]byte(content))
		e := assessment.Evidence{
			ID: fmt.Sprintf("e%04d", i), SHA256: hex.EncodeToString(sum[:]), Name: fmt.Sprintf("evidence-%04d.pdf", i),
			MediaType: "application/pdf", Size: int64(len(content)), AddedBy: by[i%len(by)],
			AddedAt: Now.Add(-time.Duration(n-i) * time.Hour), Links: links,
		}
		if i%3 == 0 {
			e.ValidUntil = []string{"2026-06-30", "2027-06-30"}[i%2]
		}
		s.Evidence = append(s.Evidence, e)
	}
}
