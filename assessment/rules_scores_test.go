package assessment

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestCountsFigures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		c          Counts
		completion float64
		compliance float64
		ok         bool
	}{
		{Counts{}, 0, 0, false},
		{Counts{Applicable: 4, Unanswered: 4}, 0, 0, false},
		{Counts{Applicable: 4, Implemented: 4}, 1, 1, true},
		{Counts{Applicable: 4, Implemented: 1, Partial: 1, NotImplemented: 1, NotApplicable: 1}, 1, 0.5, true},
		{Counts{Applicable: 4, Partial: 2, Flagged: 2}, 0.5, 0.5, true},
		{Counts{Applicable: 2, NotApplicable: 2}, 1, 0, false},
		{Counts{Applicable: 10, Implemented: 3, Partial: 1, NotImplemented: 1, Flagged: 3, Unanswered: 2}, 0.5, 0.7, true},
	}
	for _, c := range cases {
		if got := c.c.Completion(); math.Abs(got-c.completion) > 1e-9 {
			t.Errorf("%+v: completion %v, want %v", c.c, got, c.completion)
		}
		got, ok := c.c.Compliance()
		if ok != c.ok || math.Abs(got-c.compliance) > 1e-9 {
			t.Errorf("%+v: compliance %v/%v, want %v/%v", c.c, got, ok, c.compliance, c.ok)
		}
	}
}

// TestCountsProperties: both figures stay within 0–1; implementing a control never lowers
// compliance and answering a flagged item always raises completion; N/A never moves
// compliance.
func TestCountsProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var c Counts
		for range rng.IntN(30) {
			c.add([]ResponseStatus{Implemented, Partial, NotImplemented, NotApplicable, Flagged, ""}[rng.IntN(6)], rng.IntN(2) == 0, false)
		}
		if sum := c.Implemented + c.Partial + c.NotImplemented + c.NotApplicable + c.Flagged + c.Unanswered; sum != c.Applicable {
			t.Fatalf("%+v: counts sum to %d", c, sum)
		}
		comp := c.Completion()
		share, ok := c.Compliance()
		if comp < 0 || comp > 1 || share < 0 || share > 1 {
			t.Fatalf("%+v: completion %v, compliance %v out of range", c, comp, share)
		}
		better := c
		better.add(Implemented, false, false)
		if s2, _ := better.Compliance(); s2 < share || (ok && s2 == share && share < 1) {
			t.Fatalf("%+v: implementing one more control moved compliance %v → %v", c, share, s2)
		}
		na := c
		na.add(NotApplicable, false, false)
		if s2, ok2 := na.Compliance(); s2 != share || ok2 != ok {
			t.Fatalf("%+v: a not-applicable answer moved compliance", c)
		}
		if c.Flagged > 0 {
			answered := c
			answered.Flagged--
			answered.Implemented++
			if answered.Completion() <= comp {
				t.Fatalf("%+v: answering a flagged item did not raise completion", c)
			}
		}
	}
}

// summarySnapshot is the fixture assessment of TestSummarize; the comments give the item
// each response answers and what it should produce.
func summarySnapshot(t *testing.T) *Snapshot {
	t.Helper()
	return &Snapshot{
		Profile: Profile{EntityType: EntityProvider, IncludeProposed: true, Matrix: MatrixNIST5x5},
		Assets:  fixtureAssets(),
		Vendors: []Vendor{
			{ID: "acme", Name: "Acme", BAA: BAARequested, Attestations: []Attestation{{Kind: AttSOC2Type2, Expires: "2026-01-01"}}},
			{ID: "good", Name: "Good", BAA: BAASigned, Attestations: []Attestation{{Kind: AttHITRUSTr2, Expires: "2026-01-01"}}},
		},
		Responses: []Response{
			{QuestionID: "308a1-ra-01", Status: Implemented},
			{QuestionID: "308a5-mal-01", Status: Partial}, // addressable, no decision
			{QuestionID: "312d-auth-01", AssetID: "ehr", Status: NotImplemented},
			{QuestionID: "312a2iv-enc-01", AssetID: "ehr", Status: Implemented, Decision: DecisionAlternative}, // no text
			{QuestionID: "312a2iv-enc-01", AssetID: "bak", Status: NotApplicable, Reason: "No disks"},          // N/A needs no decision
			{QuestionID: "312a2iv-enc-01", AssetID: "db", Status: Flagged},
			// 308a1-p2-01 unanswered
			{QuestionID: "312a2iv-p2-01", AssetID: "bak", Status: Implemented, Decision: DecisionAsSpecified, Revalidate: true},
			// 308a1-nprm-01 (proposed rule) unanswered: counted apart, blocks nothing
			{QuestionID: "312d-auth-01", AssetID: "mail", Status: Flagged}, // out of scope: ignored
		},
		Risks: []Risk{
			{ID: "rA", Title: "A", Status: RiskOpen, Likelihood: 4, Impact: 4},                           // high, untreated
			{ID: "rB", Title: "B", Status: RiskOpen, Likelihood: 5, Impact: 5, Treatment: TreatMitigate}, // treated
			{ID: "rC", Title: "C", Status: RiskClosed, Likelihood: 5, Impact: 5},                         // closed
			{ID: "rD", Title: "D", Status: RiskDismissed, Likelihood: 5, Impact: 5},                      // not counted
			{ID: "rE", Title: "E", Status: RiskProposed, Likelihood: 2, Impact: 2, AssetID: "ehr"},       // low, to confirm
			{ID: "rF", Title: "F", Status: RiskInProgress},                                               // unrated
			{ID: "rG", Title: "G", Status: RiskProposed, Likelihood: 5, Impact: 5},                       // to confirm only
		},
		Catalog: fixtureCatalog(t),
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	sum := summarizeAt(summarySnapshot(t), day0)
	// The carried-over answer (312a2iv-p2-01 on bak) counts as open until re-validated.
	if want := (Counts{Applicable: 8, Implemented: 2, Partial: 1, NotImplemented: 1, NotApplicable: 1, Flagged: 1, Unanswered: 2, Carried: 1}); sum.Overall != want {
		t.Errorf("Overall = %+v, want %+v", sum.Overall, want)
	}
	if want := (Counts{Applicable: 1, Unanswered: 1}); sum.Proposed != want {
		t.Errorf("Proposed = %+v, want %+v", sum.Proposed, want)
	}
	// Four assessed answers are too few for a share: InPlace withholds it.
	if c, shown := sum.Overall.InPlace(); shown || math.Abs(c-0.5) > 1e-9 || sum.Overall.Completion() != 0.625 {
		t.Errorf("overall in place %v (shown %v), completion %v; want 0.5 withheld and 0.625", c, shown, sum.Overall.Completion())
	}
	wantSG := []GroupCounts{
		{"164.308", "Administrative safeguards", Counts{Applicable: 3, Implemented: 1, Partial: 1, Unanswered: 1}},
		{"164.312", "Technical safeguards", Counts{Applicable: 5, Implemented: 1, NotImplemented: 1, NotApplicable: 1, Flagged: 1, Unanswered: 1, Carried: 1}},
	}
	if !slices.Equal(sum.BySafeguard, wantSG) {
		t.Errorf("BySafeguard = %+v\nwant %+v", sum.BySafeguard, wantSG)
	}
	var std []string
	for _, g := range sum.ByStandard {
		std = append(std, g.ID+"="+strconv.Itoa(g.Applicable))
	}
	if got := strings.Join(std, " "); got != "164.308(a)(1)=2 164.308(a)(5)=1 164.312(a)(1)=4 164.312(d)=1" {
		t.Errorf("ByStandard = %s", got)
	}
	// Proposed risks carry the library's hints, not a rating: they are counted apart.
	if want := map[Level]int{LevelHigh: 1, LevelVeryHigh: 2}; !mapsEqual(sum.RiskLevels, want) || sum.Unrated != 1 || sum.ProposedRisks != 2 || sum.DismissedRisks != 1 {
		t.Errorf("RiskLevels = %v, unrated %d, proposed %d, dismissed %d; want %v, 1, 2 and 1", sum.RiskLevels, sum.Unrated, sum.ProposedRisks, sum.DismissedRisks, want)
	}
	if got := issueKinds(sum.VendorIssues["acme"]); !slices.Equal(got, []string{IssueBAAMissing, IssueSOC2Only}) || len(sum.VendorIssues) != 1 {
		t.Errorf("VendorIssues = %v", sum.VendorIssues)
	}
	want := []string{
		"scope", "period", "assessors",
		"vendors   acme", "vendors   good",
		"baa  ehr acme", "baa  bak",
		"unanswered 308a1-p2-01",
		"flagged 312a2iv-enc-01 db",
		"revalidate 312a2iv-p2-01 bak",
		"decision 308a5-mal-01",       // partial, no decision, no planned treatment
		"decision 312a2iv-enc-01 ehr", // alternative without its rationale
		"decision 312a2iv-enc-01 bak", // N/A on an addressable spec with a two-word reason
		"gap-trace 308a5-mal-01",      // no risk lists it
		"gap-trace 312d-auth-01 ehr",  // no risk lists it
		"risk-proposed rG", "risk-proposed rE ehr",
		"risk-rating rB", "risk-rating rC", "risk-rating rA", // no C/I/A: their threats are not in the library
		"risk-rating rF",                         // not rated
		"risk-treatment rB", "risk-treatment rA", // very high without owner; high without treatment
		"threat-sources", "threat-sources", "threat-sources", "threat-sources", "threat-sources",
		"review",
	}
	var got []string
	for _, r := range sum.Readiness {
		got = append(got, strings.TrimSpace(strings.Join([]string{r.Kind, r.RiskID + r.QuestionID, r.AssetID, r.VendorID}, " ")))
		if r.Text == "" || strings.Contains(r.Text, "\n") || utf8.RuneCountInString(r.Text) > 250 {
			t.Errorf("readiness text %q is empty, multi-line or long", r.Text)
		}
		name := r.QuestionID + r.RiskID
		if r.RiskID != "" {
			name = "“" // risks are named by their quoted title
		}
		if name == "" {
			continue // items about the whole analysis name no record
		}
		if !strings.Contains(r.Text, name) {
			t.Errorf("readiness text %q does not name %q", r.Text, name)
		}
	}
	for i := range want {
		want[i] = strings.TrimSpace(want[i])
	}
	if !slices.Equal(got, want) {
		t.Errorf("Readiness =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if sum.Ready() {
		t.Error("Ready with blockers")
	}
	for _, r := range sum.Readiness {
		if r.AssetID == "ehr" && r.Kind == ReadyBAA && !strings.Contains(r.Text, "Cloud EHR") {
			t.Errorf("BAA readiness text %q does not name the asset", r.Text)
		}
	}
}

// TestSummarizeReadyWhenDone fixes every blocker of the fixture and expects an empty list.
func TestSummarizeReadyWhenDone(t *testing.T) {
	t.Parallel()
	s := readyFixture(t)
	if sum := summarizeAt(s, day0); !sum.Ready() {
		t.Errorf("still blocked: %+v", sum.Readiness)
	}
}

func mapsEqual[K comparable, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// summarizeAt is the summary of s judged on asOf, through the one derived view.
func summarizeAt(s *Snapshot, asOf time.Time) Summary {
	s.GeneratedAt = asOf
	return Analyze(s).Summary
}

// flagsAt is the provider flags of s judged on asOf, through the one derived view.
func flagsAt(s *Snapshot, asOf time.Time) map[ItemKey][]VendorIssue {
	s.GeneratedAt = asOf
	return Analyze(s).Flags()
}
