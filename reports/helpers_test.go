package reports

import (
	"fmt"
	"hash/fnv"
	"sync"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/controls"
)

// fixedNow is the clock of every test snapshot, so outputs can be compared byte for byte.
var fixedNow = time.Date(2026, time.November, 20, 15, 4, 5, 0, time.UTC)

func catalog(t testing.TB) *controls.Catalog {
	t.Helper()
	cat, err := controls.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// demoSnapshot is the sample assessment as a snapshot.
func demoSnapshot(t testing.TB) *assessment.Snapshot {
	t.Helper()
	cat := catalog(t)
	return assessment.SnapshotOf(assessment.Demo(cat, fixedNow), cat)
}

// largeCache holds the large snapshots by scale; building one takes a moment.
var largeCache sync.Map

// largeSnapshot is the benchmark assessment scaled by n: 40·n assets of every kind and
// hosting model, every applicable item answered (a realistic mix of statuses, notes,
// decisions and reasons), 500·n rated risks and 200·n evidence items. It is built from the
// demo so vendors, overrides and the profile are realistic, and is deterministic.
func largeSnapshot(t testing.TB, n int) *assessment.Snapshot {
	if s, ok := largeCache.Load(n); ok {
		return s.(*assessment.Snapshot)
	}
	t.Helper()
	cat := catalog(t)
	doc := assessment.Demo(cat, fixedNow)
	s := assessment.SnapshotOf(doc, cat)
	s.Assessment.ID = "large-assessment"
	s.Overrides = nil
	hostings := controls.Hostings
	s.Assets = nil
	for i := range 40 * n {
		kind := cat.AssetKinds[i%len(cat.AssetKinds)].ID
		h := hostings[(i/len(cat.AssetKinds))%len(hostings)]
		a := assessment.Asset{
			ID: fmt.Sprintf("asset-%03d", i), Name: fmt.Sprintf("%s system %d", kind, i+1), Kind: kind, Hosting: h,
			EPHI: i%5 != 4, Part2: i%13 == 0, Records: 1000 * (i + 1), Location: "Main site", Owner: "IT lead",
			Criticality: "high", EncAtRest: assessment.EncCustomerManaged, TLS: "tls1.2", InScope: true,
		}
		if h != controls.OnPrem {
			a.VendorID = s.Vendors[i%len(s.Vendors)].ID
		}
		s.Assets = append(s.Assets, a)
	}
	s.Flows = nil
	by := s.Profile.Assessors
	at := fixedNow.Add(-20 * 24 * time.Hour)
	s.Responses = nil
	for i, it := range s.Items() {
		k := it.Key()
		h := hashOf(k.QuestionID, k.AssetID)
		r := assessment.Response{QuestionID: k.QuestionID, AssetID: k.AssetID, By: by[h%uint32(len(by))], At: at.Add(time.Duration(i) * time.Minute)}
		switch h % 20 {
		case 0, 1, 2:
			r.Status = assessment.Partial
			r.Note = "Done for most users; the rest are planned for next quarter.\nSee the ticket list."
		case 3, 4, 5:
			r.Status = assessment.NotImplemented
			r.Note = "=HYPERLINK(\"http://example.invalid\",\"not yet\")"
		case 6, 7:
			r.Status = assessment.NotApplicable
			r.Reason = "The system does not offer this function."
		case 8:
			r.Status = assessment.Flagged
		default:
			r.Status = assessment.Implemented
		}
		if sp, ok := cat.Specification(it.Question.Specification); ok && sp.Requirement == controls.Addressable && r.Status != assessment.NotApplicable && r.Status != assessment.Flagged {
			r.Decision = assessment.DecisionAsSpecified
			if h%7 == 0 {
				r.Decision, r.DecisionText = assessment.DecisionAlternative, "Compensating control: weekly manual review, signed off by the practice manager."
			}
		}
		s.Responses = append(s.Responses, r)
	}
	// Risks: the proposals the gaps expose, rated and treated, up to 500·n.
	s.Risks = nil
	proposals := assessment.ProposeRisks(s)
	want := 500 * n
	if len(proposals) < want {
		t.Fatalf("only %d risk proposals for a large assessment; want %d", len(proposals), want)
	}
	treat := []assessment.Treatment{assessment.TreatMitigate, assessment.TreatAccept, assessment.TreatTransfer, assessment.TreatMitigate, assessment.TreatNone}
	statuses := []assessment.RiskStatus{assessment.RiskOpen, assessment.RiskInProgress, assessment.RiskClosed, assessment.RiskOpen, assessment.RiskProposed, assessment.RiskDismissed}
	for i, r := range proposals[:want] {
		r.ID = fmt.Sprintf("risk-%04d", i)
		r.Likelihood, r.Impact = 1+i%5, 1+(i/5)%5
		r.Status = statuses[i%len(statuses)]
		r.Treatment = treat[i%len(treat)]
		if r.Treatment != assessment.TreatNone {
			r.Measures = "Enable MFA for every account; review quarterly."
			r.Owner = "IT lead"
			r.Due = "2027-03-31"
			r.ResidualL, r.ResidualI = 1, max(1, r.Impact-1)
		}
		r.Rationale = "Seen twice in the last year at similar practices."
		s.Risks = append(s.Risks, r)
	}
	// Evidence: 200·n items, each linked to an answered item and its asset.
	s.Evidence = nil
	for i := range 200 * n {
		r := s.Responses[(i*37)%len(s.Responses)]
		links := []assessment.EvidenceLink{{QuestionID: r.QuestionID, AssetID: r.AssetID}}
		if r.AssetID != "" {
			links = append(links, assessment.EvidenceLink{AssetID: r.AssetID})
		}
		s.Evidence = append(s.Evidence, assessment.Evidence{
			ID: fmt.Sprintf("evidence-%04d", i), SHA256: fmt.Sprintf("%064x", i+1), Name: fmt.Sprintf("export-%d.pdf", i),
			MediaType: "application/pdf", Size: int64(1000 + i), AddedBy: by[i%len(by)], AddedAt: at.Add(time.Duration(i) * time.Hour),
			ValidUntil: "2027-06-30", Links: links,
		})
	}
	s.Assessment.UpdatedAt = fixedNow
	s.GeneratedAt = fixedNow
	largeCache.Store(n, s)
	return s
}

func hashOf(parts ...string) uint32 {
	h := fnv.New32a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum32()
}

// answeredItems counts the applicable items that have a response.
func answeredItems(s *assessment.Snapshot) int {
	resp := s.ResponseMap()
	n := 0
	for _, it := range s.Items() {
		if _, ok := resp[it.Key()]; ok {
			n++
		}
	}
	return n
}
