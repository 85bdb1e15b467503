package assessment

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// readyFixture is summarySnapshot with every blocker fixed: what the readiness gate tests
// start from, breaking one thing at a time.
func readyFixture(t *testing.T) *Snapshot {
	t.Helper()
	s := summarySnapshot(t)
	s.Assessment = Assessment{ID: "fx", Title: "Fixture", Organization: "Fixture Clinic",
		CreatedAt: day0.Add(-48 * time.Hour), UpdatedAt: day0.Add(-time.Hour)}
	s.Profile.Scope = "Every system that holds patient data at the one clinic."
	s.Profile.PeriodStart, s.Profile.PeriodEnd = "2025-01-01", "2025-12-31"
	s.Profile.Assessors = []string{"Dana Whitfield"}
	s.Vendors[0].BAA = BAASigned
	s.Vendors[0].Flowdown, s.Vendors[0].BreachNoticeDays = true, 10
	s.VendorReviews = []VendorReview{{VendorID: "acme", Date: "2025-05-01"}, {VendorID: "good", Date: "2025-05-02"}}
	s.Assets[1].VendorID = "good"
	s.Responses[1].Decision, s.Responses[1].DecisionText = DecisionNotReasonable, "Staff use only managed tablets that block installs."
	s.Responses[3].DecisionText = "Encrypted at the application layer"
	s.Responses[3].Reason = "The database engine cannot encrypt its files."
	s.Responses[4].Reason = "The backup appliance stores no disks."
	s.Responses[5].Status, s.Responses[5].Decision = Implemented, DecisionAsSpecified
	s.Responses[6].Revalidate, s.Responses[6].Decision = false, DecisionNone
	s.Responses = append(s.Responses, Response{QuestionID: "308a1-p2-01", Status: NotApplicable, Reason: "x"})
	s.NoRisk = []NoRiskReason{
		{QuestionID: "308a5-mal-01", Reason: "Covered by the not-reasonable rationale and managed tablets."},
		{QuestionID: "312d-auth-01", AssetID: "ehr", Reason: "The EHR vendor enforces its own sign-in rules."},
	}
	for i := range s.Risks {
		s.Risks[i].ThreatID, s.Risks[i].CIA = "phishing", "c"
		s.Risks[i].Owner = "IT lead"
	}
	s.Risks[0].Treatment = TreatAccept
	s.Risks[0].AcceptedBy, s.Risks[0].AcceptedAuthority, s.Risks[0].AcceptedOn = "Pat Lee", "Practice owner", "2025-05-30"
	s.Risks[4].Status = RiskDismissed
	s.Risks[5].Likelihood, s.Risks[5].Impact = 2, 2
	s.Risks[6].Status = RiskOpen
	s.Risks[6].Treatment = TreatMitigate
	for _, src := range ThreatSources {
		if src.Value != "human-deliberate" {
			s.ThreatRulings = append(s.ThreatRulings, ThreatRuling{Source: src.Value, Reason: "Not a concern for this fixture clinic."})
		}
	}
	s.Review = ReviewPlan{Cadence: "annual", Next: "2026-05-01"}
	return s
}

// kindsOf lists the distinct readiness kinds of a summary in order.
func kindsOf(sum Summary) []string {
	var out []string
	for _, r := range sum.Readiness {
		if !slices.Contains(out, r.Kind) {
			out = append(out, r.Kind)
		}
	}
	return out
}

// TestReadinessGates breaks the ready fixture one way at a time: each gate must block with
// its own kind (and only the kinds the change implies), and each fix that satisfies a gate
// another way must leave it ready.
func TestReadinessGates(t *testing.T) {
	t.Parallel()
	resp := func(s *Snapshot, q, asset string) *Response {
		for i := range s.Responses {
			if s.Responses[i].QuestionID == q && s.Responses[i].AssetID == asset {
				return &s.Responses[i]
			}
		}
		t.Fatalf("fixture has no answer to %s/%s", q, asset)
		return nil
	}
	risk := func(s *Snapshot, id string) *Risk {
		for i := range s.Risks {
			if s.Risks[i].ID == id {
				return &s.Risks[i]
			}
		}
		t.Fatalf("fixture has no risk %s", id)
		return nil
	}
	cases := []struct {
		name   string
		break_ func(s *Snapshot)
		want   []string // the kinds that must now block, exactly; nil = still ready
	}{
		// The substance of the analysis.
		{"no scope statement", func(s *Snapshot) { s.Profile.Scope = "  " }, []string{ReadyScope}},
		{"no period start", func(s *Snapshot) { s.Profile.PeriodStart = "" }, []string{ReadyPeriod}},
		{"no period end", func(s *Snapshot) { s.Profile.PeriodEnd = "" }, []string{ReadyPeriod}},
		{"no assessor", func(s *Snapshot) { s.Profile.Assessors = nil }, []string{ReadyAssessors}},
		{"only blank assessors", func(s *Snapshot) { s.Profile.Assessors = []string{" "} }, []string{ReadyAssessors}},
		{"no in-scope asset holds ePHI", func(s *Snapshot) { s.Assets[0].EPHI = false }, []string{ReadyInventory}},
		{"the ePHI asset is out of scope", func(s *Snapshot) {
			s.Assets[0].EPHI, s.Assets[2].EPHI = false, true // only the out-of-scope mail server holds ePHI
		}, []string{ReadyInventory}},
		{"a vendor not reviewed", func(s *Snapshot) { s.VendorReviews = s.VendorReviews[:1] }, []string{ReadyVendors}},
		{"no vendors and no statement", func(s *Snapshot) { dropVendors(s) }, []string{ReadyVendors}},
		{"no vendors, stated", func(s *Snapshot) {
			dropVendors(s)
			s.NoVendors = "Every system runs on our own premises and no outside party touches it."
		}, nil},
		{"a no-vendors statement beside vendors", func(s *Snapshot) { s.NoVendors = "None." }, []string{ReadyVendors}},
		{"a hosted asset's vendor has no BAA", func(s *Snapshot) { s.Vendors[0].BAA = BAARequested }, []string{ReadyBAA}},
		{"a vendor runs an on-premises asset without a BAA", func(s *Snapshot) {
			s.Vendors[0].BAA = BAAExpired
			s.Assets[0].Hosting = "on-prem" // the EHR now sits on site, run by the vendor
		}, []string{ReadyBAA}},
		// Answers.
		{"an item unanswered", func(s *Snapshot) { s.Responses = slices.Delete(s.Responses, 0, 1) }, []string{ReadyUnanswered}},
		{"an item flagged", func(s *Snapshot) { resp(s, "308a1-ra-01", "").Status = Flagged }, []string{ReadyFlagged}},
		{"an answer carried over", func(s *Snapshot) { resp(s, "308a1-ra-01", "").Revalidate = true }, []string{ReadyRevalidate}},
		{"a proposed-rule item unanswered blocks nothing", func(s *Snapshot) {
			s.Responses = slices.DeleteFunc(s.Responses, func(r Response) bool { return r.QuestionID == "308a1-nprm-01" })
		}, nil},
		// Addressable decisions.
		{"implemented with no decision", func(s *Snapshot) { resp(s, "312a2iv-enc-01", "db").Decision = DecisionNone }, []string{ReadyDecision}},
		{"as specified while partial", func(s *Snapshot) {
			r := resp(s, "308a5-mal-01", "")
			r.Decision, r.DecisionText = DecisionAsSpecified, ""
		}, []string{ReadyDecision}},
		{"not reasonable while implemented", func(s *Snapshot) {
			r := resp(s, "312a2iv-enc-01", "db")
			r.Decision, r.DecisionText = DecisionNotReasonable, "Too costly for a small clinic like ours."
		}, []string{ReadyDecision}},
		{"partial with no decision and no planned treatment", func(s *Snapshot) {
			r := resp(s, "308a5-mal-01", "")
			r.Decision, r.DecisionText = DecisionNone, ""
		}, []string{ReadyDecision}},
		{"partial with no decision, treatment planned on a confirmed risk", func(s *Snapshot) {
			r := resp(s, "308a5-mal-01", "")
			r.Decision, r.DecisionText = DecisionNone, ""
			rb := risk(s, "rB")
			rb.QuestionIDs, rb.Measures = []string{"308a5-mal-01"}, "Install anti-malware on the tablets by June."
		}, nil},
		{"partial with no decision, treatment planned but no measures", func(s *Snapshot) {
			r := resp(s, "308a5-mal-01", "")
			r.Decision, r.DecisionText = DecisionNone, ""
			risk(s, "rB").QuestionIDs = []string{"308a5-mal-01"}
		}, []string{ReadyDecision}},
		{"partial with no decision, only an accepted risk", func(s *Snapshot) {
			r := resp(s, "308a5-mal-01", "")
			r.Decision, r.DecisionText = DecisionNone, ""
			ra := risk(s, "rA")
			ra.QuestionIDs, ra.Measures = []string{"308a5-mal-01"}, "Nothing."
		}, []string{ReadyDecision}},
		{"alternative without its rationale", func(s *Snapshot) { resp(s, "312a2iv-enc-01", "ehr").Reason = "" }, []string{ReadyDecision}},
		{"alternative without its measure", func(s *Snapshot) { resp(s, "312a2iv-enc-01", "ehr").DecisionText = "" }, []string{ReadyDecision}},
		{"not applicable carrying a decision", func(s *Snapshot) { resp(s, "312a2iv-enc-01", "bak").Decision = DecisionAsSpecified }, []string{ReadyDecision}},
		{"not applicable with a two-word reason", func(s *Snapshot) { resp(s, "312a2iv-enc-01", "bak").Reason = "No disks" }, []string{ReadyDecision}},
		{"not applicable while the same specification has a gap", func(s *Snapshot) {
			r := resp(s, "312a2iv-p2-01", "bak")
			r.Status = NotImplemented // a Part 2 item under §164.312(a)(2)(iv), on the same asset
			s.NoRisk = append(s.NoRisk, NoRiskReason{QuestionID: "312a2iv-p2-01", AssetID: "bak", Reason: "The tags are kept in the EHR, not here."})
		}, []string{ReadyDecision}},
		{"a Part 2 duty carrying a decision", func(s *Snapshot) { resp(s, "312a2iv-p2-01", "bak").Decision = DecisionAsSpecified }, []string{ReadyDecision}},
		{"a decision on a required specification", func(s *Snapshot) { resp(s, "308a1-ra-01", "").Decision = DecisionAsSpecified }, []string{ReadyDecision}},
		// Gap-to-risk traceability.
		{"a gap with no risk and no reason", func(s *Snapshot) { s.NoRisk = s.NoRisk[1:] }, []string{ReadyGapTrace}},
		{"a gap traced to a confirmed risk instead of a reason", func(s *Snapshot) {
			s.NoRisk = s.NoRisk[1:]
			risk(s, "rC").QuestionIDs = []string{"308a5-mal-01"}
		}, nil},
		{"a gap listed only by a dismissed risk", func(s *Snapshot) {
			s.NoRisk = s.NoRisk[1:]
			risk(s, "rD").QuestionIDs = []string{"308a5-mal-01"}
		}, []string{ReadyGapTrace}},
		{"a gap listed only by a proposal", func(s *Snapshot) {
			s.NoRisk = s.NoRisk[1:]
			s.Risks = append(s.Risks, Risk{ID: "rP", Title: "P", Status: RiskProposed, ThreatID: "phishing", QuestionIDs: []string{"308a5-mal-01"}})
		}, []string{ReadyGapTrace, ReadyRiskProposed}},
		{"an asset gap traced by its asset's risk", func(s *Snapshot) {
			s.NoRisk = s.NoRisk[:1]
			rf := risk(s, "rF")
			rf.AssetID, rf.QuestionIDs = "ehr", []string{"312d-auth-01"}
		}, nil},
		{"an asset gap not traced by another asset's risk", func(s *Snapshot) {
			s.NoRisk = s.NoRisk[:1]
			rf := risk(s, "rF")
			rf.AssetID, rf.QuestionIDs = "db", []string{"312d-auth-01"}
		}, []string{ReadyGapTrace}},
		// Risks.
		{"a proposal not confirmed or dismissed", func(s *Snapshot) { risk(s, "rE").Status = RiskProposed }, []string{ReadyRiskProposed}},
		{"a confirmed risk not rated", func(s *Snapshot) { r := risk(s, "rF"); r.Likelihood, r.Impact = 0, 0 }, []string{ReadyRiskRating}},
		{"a confirmed risk naming no objective", func(s *Snapshot) {
			r := risk(s, "rF")
			r.CIA, r.ThreatID = "", "not-in-library"
		}, []string{ReadyRiskRating}},
		{"the library's default objective is enough", func(s *Snapshot) {
			r := risk(s, "rF")
			r.CIA, r.ThreatID = "", "ransomware" // in both the fixture library and the defaults
		}, nil},
		{"an open high risk without treatment", func(s *Snapshot) { risk(s, "rG").Treatment = TreatNone }, []string{ReadyRiskTreat}},
		{"an open high risk without owner", func(s *Snapshot) { risk(s, "rG").Owner = "" }, []string{ReadyRiskTreat}},
		{"a closed high risk without treatment", func(s *Snapshot) { risk(s, "rC").Treatment = TreatNone }, nil},
		{"a low risk without owner", func(s *Snapshot) { risk(s, "rF").Owner = "" }, nil},
		{"an accepted risk without who", func(s *Snapshot) { risk(s, "rA").AcceptedBy = "" }, []string{ReadyRiskAccept}},
		{"an accepted risk without authority", func(s *Snapshot) { risk(s, "rA").AcceptedAuthority = "" }, []string{ReadyRiskAccept}},
		{"an accepted risk without date", func(s *Snapshot) { risk(s, "rA").AcceptedOn = "" }, []string{ReadyRiskAccept}},
		{"an accepted risk dated after today", func(s *Snapshot) { risk(s, "rA").AcceptedOn = "2025-06-02" }, []string{ReadyRiskAccept}},
		// The method.
		{"a threat source neither rated nor ruled out", func(s *Snapshot) { s.ThreatRulings = s.ThreatRulings[1:] }, []string{ReadyThreats}},
		{"ruling out one threat does not consider its source", func(s *Snapshot) {
			s.ThreatRulings = s.ThreatRulings[1:]
			s.ThreatRulings = append(s.ThreatRulings, ThreatRuling{Source: "human-accidental", ThreatID: "disclosure", Reason: "No Part 2 data."})
		}, []string{ReadyThreats}},
		{"a source is considered when a risk of it is rated", func(s *Snapshot) {
			s.ThreatRulings = slices.DeleteFunc(s.ThreatRulings, func(r ThreatRuling) bool { return r.Source == "human-accidental" })
			risk(s, "rF").ThreatID = "disclosure"
		}, nil},
		{"no periodic review plan", func(s *Snapshot) { s.Review = ReviewPlan{} }, []string{ReadyReview}},
		{"no next review date", func(s *Snapshot) { s.Review.Next = "" }, []string{ReadyReview}},
		{"the next review before the last work", func(s *Snapshot) { s.Review.Next = "2025-05-01" }, []string{ReadyReview}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := readyFixture(t)
			c.break_(s)
			sum := summarizeAt(s, day0)
			if got := kindsOf(sum); !slices.Equal(got, c.want) {
				t.Fatalf("blocking kinds %v, want %v:\n%s", got, c.want, readinessText(sum))
			}
			for _, r := range sum.Readiness {
				if r.Field == "" || r.Text == "" || !strings.HasSuffix(r.Text, ".") {
					t.Errorf("readiness item %+v lacks its field or a sentence", r)
				}
			}
		})
	}
}

// dropVendors removes every vendor and makes the fixture's assets run on the premises, so
// nothing relies on a provider.
func dropVendors(s *Snapshot) {
	s.Vendors, s.VendorReviews = nil, nil
	for i := range s.Assets {
		s.Assets[i].VendorID, s.Assets[i].Hosting = "", "on-prem"
	}
}

func readinessText(sum Summary) string {
	var b strings.Builder
	for _, r := range sum.Readiness {
		b.WriteString("  " + r.Kind + ": " + r.Text + "\n")
	}
	return b.String()
}

// TestEmptyAssessmentIsNotReady: an assessment with nothing in it (the case an auditor
// found signed off as "Final, 100% compliance") lists every substance gate.
func TestEmptyAssessmentIsNotReady(t *testing.T) {
	t.Parallel()
	s := &Snapshot{Profile: Profile{EntityType: EntityProvider, Matrix: MatrixNIST5x5}, Catalog: defaultCatalog(t),
		Assessment: Assessment{CreatedAt: day0, UpdatedAt: day0}}
	sum := summarizeAt(s, day0)
	got := kindsOf(sum)
	for _, k := range []string{ReadyScope, ReadyPeriod, ReadyAssessors, ReadyInventory, ReadyVendors, ReadyUnanswered, ReadyThreats, ReadyReview} {
		if !slices.Contains(got, k) {
			t.Errorf("the empty assessment is not blocked by %s (kinds %v)", k, got)
		}
	}
	if _, shown := sum.Overall.InPlace(); shown {
		t.Error("the empty assessment shows a share in place")
	}
	groups := sum.ReadinessGroups()
	n := 0
	for i, g := range groups {
		n += len(g.Items)
		if g.Title == "" || g.Title == g.Kind {
			t.Errorf("group %s has no heading", g.Kind)
		}
		if i > 0 && kindOrder(groups[i-1].Kind) > kindOrder(g.Kind) {
			t.Errorf("group %s comes after %s", g.Kind, groups[i-1].Kind)
		}
	}
	if n != len(sum.Readiness) {
		t.Errorf("groups hold %d items of %d", n, len(sum.Readiness))
	}
}

func kindOrder(k string) int {
	return slices.IndexFunc(ReadinessKinds, func(c Choice) bool { return c.Value == k })
}

// TestReadinessItemsCarryTheirTargets: every item names what a screen jumps to, and item
// readiness carries the question's text.
func TestReadinessItemsCarryTheirTargets(t *testing.T) {
	t.Parallel()
	sum := summarizeAt(summarySnapshot(t), day0)
	for _, r := range sum.Readiness {
		switch {
		case r.QuestionID != "" && r.QuestionText == "":
			t.Errorf("%s item on %s lacks the question text", r.Kind, r.QuestionID)
		case r.Kind == ReadyVendors && r.VendorID == "" && r.Field != FieldVendors:
			t.Errorf("vendor item %+v names no vendor or field", r)
		case strings.HasPrefix(r.Kind, "risk-") && r.RiskID == "":
			t.Errorf("risk item %+v names no risk", r)
		case r.Kind == ReadyThreats && r.Source == "":
			t.Errorf("threat-source item %+v names no source", r)
		}
	}
}

// TestCarriedAnswersCountAsOpen: a revision's carried answers are neither answered nor in
// place until re-validated, and re-validating restores them.
func TestCarriedAnswersCountAsOpen(t *testing.T) {
	t.Parallel()
	s := readyFixture(t)
	before := summarizeAt(s, day0).Overall
	for i := range s.Responses {
		s.Responses[i].Revalidate = true
	}
	after := summarizeAt(s, day0).Overall
	if after.Implemented != 0 || after.Answered() != 0 || after.Carried != after.Unanswered || after.Carried == 0 {
		t.Errorf("carried counts %+v: want nothing answered, every item carried", after)
	}
	if after.Applicable != before.Applicable {
		t.Errorf("applicable changed %d -> %d", before.Applicable, after.Applicable)
	}
	if _, shown := after.InPlace(); shown {
		t.Error("a share in place is shown on carried answers alone")
	}
	a := Analyze(s)
	if len(a.Gaps) != 0 {
		t.Errorf("carried gaps appear in the traceability: %+v", a.Gaps)
	}
	for _, r := range a.Risks {
		if len(r.Controls) > 0 {
			t.Errorf("risk %s lists carried answers as existing controls", r.ID)
		}
	}
}

func TestInPlaceThresholds(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		c     Counts
		share float64
		shown bool
	}{
		{"nothing assessed", Counts{Applicable: 20, Unanswered: 20}, 0, false},
		{"three answers (the review's 67%)", Counts{Applicable: 3, Implemented: 2, NotImplemented: 1}, 2.0 / 3, false},
		{"nine assessed, all answered", Counts{Applicable: 9, Implemented: 9}, 1, false},
		{"ten assessed, all answered", Counts{Applicable: 10, Implemented: 9, Partial: 1}, 0.9, true},
		{"ten assessed at under half complete", Counts{Applicable: 28, Implemented: 10, Unanswered: 18}, 1, false},
		{"exactly half complete", Counts{Applicable: 20, Implemented: 8, NotImplemented: 2, Unanswered: 10}, 0.8, true},
		{"partial is not in place", Counts{Applicable: 10, Partial: 10}, 0, true},
		{"not applicable counts toward completion only", Counts{Applicable: 20, Implemented: 10, NotApplicable: 10}, 1, true},
		{"carried answers are open", Counts{Applicable: 20, Implemented: 9, Unanswered: 11, Carried: 11}, 1, false},
	}
	for _, c := range cases {
		share, shown := c.c.InPlace()
		if shown != c.shown || (c.c.Assessed() > 0 && share != c.share) {
			t.Errorf("%s: InPlace = %v, %v; want %v, %v", c.name, share, shown, c.share, c.shown)
		}
	}
}

// TestSignOffRules: the statement must be a sentence, the dates within the work and today,
// and the approver someone else.
func TestSignOffRules(t *testing.T) {
	t.Parallel()
	lastWork := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
	good := SignOff{Name: "Dana Whitfield", Role: "Security official", Date: "2026-12-07",
		Statement: "I have reviewed this risk analysis and confirm it reflects our systems and safeguards."}
	cases := []struct {
		name string
		edit func(*SignOff)
		want string // "" = accepted
	}{
		{"good", func(*SignOff) {}, ""},
		{"dated the day of the last work", func(s *SignOff) { s.Date = "2026-12-06" }, ""},
		{"dated today", func(s *SignOff) { s.Date = "2026-12-08" }, ""},
		{"back-dated", func(s *SignOff) { s.Date = "2024-01-15" }, "before the last recorded work"},
		{"the day before the last work", func(s *SignOff) { s.Date = "2026-12-05" }, "before the last recorded work"},
		{"future", func(s *SignOff) { s.Date = "2026-12-09" }, "after today"},
		{"not a date", func(s *SignOff) { s.Date = "2026-02-30" }, "YYYY-MM-DD"},
		{"no date", func(s *SignOff) { s.Date = "" }, "YYYY-MM-DD"},
		{"statement ok", func(s *SignOff) { s.Statement = "ok" }, "not a sentence"},
		{"statement approved.", func(s *SignOff) { s.Statement = "Approved." }, "not a sentence"},
		{"statement repeated words", func(s *SignOff) { s.Statement = "ok ok ok ok ok ok ok ok ok." }, "not a sentence"},
		{"statement numbers", func(s *SignOff) { s.Statement = "1 2 3 4 5 6 7 8 9 10." }, "not a sentence"},
		{"statement without full stop", func(s *SignOff) {
			s.Statement = "I have reviewed this risk analysis and confirm it reflects our systems"
		}, "full stop"},
		{"statement shortest honest one", func(s *SignOff) {
			s.Statement = "I confirm this risk analysis is complete and accurate."
		}, ""},
		{"statement in Spanish", func(s *SignOff) {
			s.Statement = "Confirmo que revisé este análisis de riesgos y que refleja nuestros sistemas."
		}, ""},
		{"statement with a hidden direction mark", func(s *SignOff) {
			s.Statement = "I confirm this risk analysis is complete and\u202e accurate."
		}, "invisible"},
		{"empty statement", func(s *SignOff) { s.Statement = " " }, "empty"},
		{"no name", func(s *SignOff) { s.Name = "" }, "name"},
		{"approver", func(s *SignOff) {
			s.Approver = &Approver{Name: "Dr. Helen Okafor", Role: "Medical director", Date: "2026-12-08"}
		}, ""},
		{"approver is the signer", func(s *SignOff) { s.Approver = &Approver{Name: "dana whitfield ", Role: "Owner", Date: "2026-12-08"} }, "approver is the signer"},
		{"approver without role", func(s *SignOff) { s.Approver = &Approver{Name: "Dr. Helen Okafor", Date: "2026-12-08"} }, "role"},
		{"approver back-dated", func(s *SignOff) { s.Approver = &Approver{Name: "Dr. Helen Okafor", Role: "Owner", Date: "2026-01-01"} }, "approval date"},
		{"approver in the future", func(s *SignOff) { s.Approver = &Approver{Name: "Dr. Helen Okafor", Role: "Owner", Date: "2027-01-01"} }, "after today"},
	}
	for _, c := range cases {
		so := good
		c.edit(&so)
		err := CheckSignOff(so, lastWork, now)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: err = %v, want it to mention %q", c.name, err, c.want)
		}
	}
	// Days are the signer's: work recorded at 23:30 in New York is the 6th there, the 7th in UTC.
	ny, _ := time.LoadLocation("America/New_York")
	late := time.Date(2026, 12, 7, 4, 30, 0, 0, time.UTC)
	so := good
	so.Date = "2026-12-06"
	if err := CheckSignOff(so, late, time.Date(2026, 12, 6, 23, 45, 0, 0, ny)); err != nil {
		t.Errorf("signing on the local day of the last work: %v", err)
	}
}
