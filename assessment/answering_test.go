package assessment

import (
	"slices"
	"testing"

	"safeguard/controls"
)

// TestAnswerAs: implemented on an addressable specification records "as specified" in the
// same step; a gap drops an "as specified" the rules no longer allow and asks for a
// decision; an alternative measure survives a change of status with its rationale; every
// result passes the consistency rules.
func TestAnswerAs(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	var addr, req *controls.Question
	for i := range cat.Questions {
		q := &cat.Questions[i]
		switch {
		case addr == nil && TakesDecision(cat, q):
			addr = q
		case req == nil && q.Specification != "" && !isAddressable(cat, q):
			req = q
		}
	}
	base := Response{QuestionID: addr.ID}
	r, ask := AnswerAs(cat, addr, base, Implemented)
	if r.Decision != DecisionAsSpecified || ask {
		t.Fatalf("implemented on an addressable spec: %+v ask=%v", r, ask)
	}
	r, ask = AnswerAs(cat, addr, r, NotImplemented)
	if r.Decision != DecisionNone || !ask {
		t.Fatalf("not implemented after as-specified: %+v ask=%v", r, ask)
	}
	alt := Response{QuestionID: addr.ID, Status: Partial, Decision: DecisionAlternative, DecisionText: "Badge access", Reason: "No encryption option on the device"}
	r, ask = AnswerAs(cat, addr, alt, Implemented)
	if r.Decision != DecisionAlternative || r.Reason != alt.Reason || ask {
		t.Fatalf("an alternative measure was not kept: %+v", r)
	}
	r, _ = AnswerAs(cat, addr, alt, Flagged)
	if r.Decision != DecisionNone || r.Reason != "" {
		t.Fatalf("flagging kept a decision: %+v", r)
	}
	for _, st := range []ResponseStatus{Implemented, Partial, NotImplemented, Flagged} {
		for _, q := range []*controls.Question{addr, req} {
			r, _ := AnswerAs(cat, q, alt, st)
			r.QuestionID = q.ID
			if err := CheckConsistency(cat, r); err != nil {
				t.Errorf("%s %s: %v", q.ID, st, err)
			}
		}
	}
	if got := AllowedDecisions(cat, addr, Implemented); !slices.Equal(got, []Decision{DecisionNone, DecisionAsSpecified, DecisionAlternative}) {
		t.Errorf("allowed with implemented: %v", got)
	}
	if got := AllowedDecisions(cat, addr, NotImplemented); !slices.Equal(got, []Decision{DecisionNone, DecisionAlternative, DecisionNotReasonable}) {
		t.Errorf("allowed with not implemented: %v", got)
	}
	if got := AllowedDecisions(cat, req, Implemented); !slices.Equal(got, []Decision{DecisionNone}) {
		t.Errorf("allowed on a required spec: %v", got)
	}
}
