package assessment

import (
	"slices"

	"safeguard/controls"
)

// Answering with one key. A front end that records a status in one step (the TUI's
// answer keys, the accessible mode's numbered answers, "answer every system alike") asks
// these two what the answer becomes and whether a §164.306(d)(3) decision must follow;
// both read the consistency rules (CheckConsistency) rather than restate them.

// AllowedDecisions lists the §164.306(d)(3) decisions the consistency rules allow with
// status st on question q, DecisionNone ("no decision") first when it is allowed.
func AllowedDecisions(cat *controls.Catalog, q *controls.Question, st ResponseStatus) []Decision {
	var out []Decision
	for _, d := range []Decision{DecisionNone, DecisionAsSpecified, DecisionAlternative, DecisionNotReasonable} {
		if d != DecisionNone && !TakesDecision(cat, q) {
			continue
		}
		// Stand-in texts: only whether the pair of status and decision is allowed matters.
		r := Response{QuestionID: q.ID, Status: st, Decision: d, DecisionText: "described", Reason: "the reason is given here"}
		if CheckConsistency(cat, r) == nil {
			out = append(out, d)
		}
	}
	return out
}

// AnswerAs is base answered st in one step: a decision the rules still allow is kept;
// implemented on an addressable specification records "implemented as specified"; a
// decision the new status rules out is dropped with its text. The reason stays only where
// it belongs (not applicable, or an alternative measure's rationale), and the answer no
// longer needs re-validating. needsDecision is true for a gap on an addressable
// specification left with no decision: the front end then offers AllowedDecisions.
func AnswerAs(cat *controls.Catalog, q *controls.Question, base Response, st ResponseStatus) (r Response, needsDecision bool) {
	r = base
	r.Status, r.Revalidate = st, false
	keep := r.Decision != DecisionNone && slices.Contains(AllowedDecisions(cat, q, st), r.Decision)
	switch {
	case keep:
	case st == Implemented && TakesDecision(cat, q):
		r.Decision, r.DecisionText = DecisionAsSpecified, ""
	default:
		r.Decision, r.DecisionText = DecisionNone, ""
	}
	if st != NotApplicable && r.Decision != DecisionAlternative {
		r.Reason = ""
	}
	return r, TakesDecision(cat, q) && IsGap(st) && r.Decision == DecisionNone
}
