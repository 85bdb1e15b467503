package assessment

import (
	"strings"
	"testing"
)

// TestCheckConsistency: an answer's status and its §164.306(d)(3) decision must say the
// same thing; the rules are checked against the real catalog (308a3iia-auth-01 answers an
// addressable specification; 308a4-sud-02 is a Part 2 duty under an addressable one;
// 308a3iic-term-08 a proposed-rule item under an addressable one; 308a1iia-ra-01 a
// required one).
func TestCheckConsistency(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	const addr, part2, proposed, required = "308a3iia-auth-01", "308a4-sud-02", "308a3iic-term-08", "308a1iia-ra-01"
	alt := func(st ResponseStatus, measure, why string) Response {
		return Response{QuestionID: addr, Status: st, Decision: DecisionAlternative, DecisionText: measure, Reason: why}
	}
	cases := []struct {
		name string
		r    Response
		want string // "" = consistent
	}{
		{"as specified, implemented", Response{QuestionID: addr, Status: Implemented, Decision: DecisionAsSpecified}, ""},
		{"as specified, partial", Response{QuestionID: addr, Status: Partial, Decision: DecisionAsSpecified}, "cannot be implemented as specified while it is partial"},
		{"as specified, not implemented", Response{QuestionID: addr, Status: NotImplemented, Decision: DecisionAsSpecified}, "while it is not implemented"},
		{"no decision, partial (treatment to be planned)", Response{QuestionID: addr, Status: Partial}, ""},
		{"no decision, implemented (readiness asks for it)", Response{QuestionID: addr, Status: Implemented}, ""},
		{"alternative with measure and rationale", alt(Implemented, "Supervised sessions", "The tool cannot enforce it."), ""},
		{"alternative on a partial answer", alt(Partial, "Supervised sessions", "The tool cannot enforce it."), ""},
		{"alternative without rationale", alt(Implemented, "Supervised sessions", " "), "also needs the rationale"},
		{"not reasonable, not implemented", Response{QuestionID: addr, Status: NotImplemented, Decision: DecisionNotReasonable, DecisionText: "Two staff, one room."}, ""},
		{"not reasonable, implemented", Response{QuestionID: addr, Status: Implemented, Decision: DecisionNotReasonable, DecisionText: "Costly."}, "cannot also be not reasonable"},
		{"N/A with a decision", Response{QuestionID: addr, Status: NotApplicable, Reason: "We have no workforce members at all.", Decision: DecisionNotReasonable, DecisionText: "x"}, "takes no §164.306(d)(3) decision"},
		{"N/A with a real reason", Response{QuestionID: addr, Status: NotApplicable, Reason: "The practice has no workforce besides the owner."}, ""},
		{"N/A with a two-word reason", Response{QuestionID: addr, Status: NotApplicable, Reason: "not needed"}, "at least 4 words"},
		{"N/A with a short reason on a required specification", Response{QuestionID: required, Status: NotApplicable, Reason: "n/a"}, ""},
		{"flagged with a decision", Response{QuestionID: addr, Status: Flagged, Decision: DecisionAsSpecified}, "flagged for follow-up"},
		{"Part 2 duty with a decision", Response{QuestionID: part2, AssetID: "x", Status: Implemented, Decision: DecisionAsSpecified}, "42 CFR Part 2 duty"},
		{"Part 2 duty without a decision", Response{QuestionID: part2, AssetID: "x", Status: Partial}, ""},
		{"Part 2 duty N/A with a short reason", Response{QuestionID: part2, AssetID: "x", Status: NotApplicable, Reason: "none"}, ""},
		{"proposed-rule item with a decision", Response{QuestionID: proposed, Status: Implemented, Decision: DecisionAsSpecified}, "proposed rule"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assertErr(t, c.name, CheckConsistency(cat, c.r), c.want)
		})
	}
}

func TestTakesDecision(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	for id, want := range map[string]bool{
		"308a3iia-auth-01": true, "308a4-sud-02": false, "308a3iic-term-08": false, "308a1iia-ra-01": false, "312e1-path-01": false,
	} {
		q, ok := cat.Question(id)
		if !ok {
			t.Fatalf("no question %s in the catalog", id)
		}
		if got := TakesDecision(cat, q); got != want {
			t.Errorf("TakesDecision(%s) = %v, want %v", id, got, want)
		}
	}
}

// TestDemoIsConsistent: every answer of the demo passes the rules the answer command
// enforces, and its register has no rating its treatment cannot explain.
func TestDemoIsConsistent(t *testing.T) {
	t.Parallel()
	for _, now := range demoNows {
		cat, doc := demoDoc(t, now)
		for _, r := range doc.Responses {
			if err := ValidateResponse(cat, r); err != nil {
				t.Errorf("%s: %v", now.Format("2006-01-02"), err)
			}
			if err := CheckConsistency(cat, r); err != nil {
				t.Errorf("%s: %v", now.Format("2006-01-02"), err)
			}
		}
		s := SnapshotOf(doc, cat)
		s.GeneratedAt = now
		a := Analyze(s)
		if len(a.Summary.Warnings) > 0 {
			t.Errorf("demo warnings: %+v", a.Summary.Warnings)
		}
		for _, r := range a.Summary.Readiness {
			if r.Kind == ReadyDecision && !isMissingDecision(r.Text) {
				t.Errorf("demo decision contradicts its answer: %s", r.Text)
			}
		}
	}
}

// isMissingDecision tells "record the decision" items (a draft may have them) from
// contradictions (it may not).
func isMissingDecision(text string) bool {
	for _, s := range []string{"is addressable and partial; record", "is addressable and not implemented; record", "is addressable; record its"} {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}
