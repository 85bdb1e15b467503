package assessment

import (
	"fmt"
	"strings"
	"unicode"

	"safeguard/controls"
)

// IsGap reports whether a status leaves a gap: not implemented or only partly. Gaps are
// what propose risks from the threat library.
func IsGap(st ResponseStatus) bool { return st == NotImplemented || st == Partial }

// IsAnswered reports whether st is a real answer: implemented, partial, not implemented,
// not applicable, or inherited from a vendor review. Flagged means "not known yet" and
// counts as unanswered, as in Counts.Answered.
func IsAnswered(st ResponseStatus) bool {
	switch st {
	case Implemented, Partial, NotImplemented, NotApplicable, Inherited:
		return true
	}
	return false
}

// Answered reports whether the item has a real, current answer: not flagged, not
// unanswered, and not merely carried from the previous revision (see Counts.Answered).
func (v ItemView) Answered() bool { return IsAnswered(v.Status) && !v.Carried }

// validStatus reports whether st is one of the five response statuses.
func validStatus(st ResponseStatus) bool {
	switch st {
	case Implemented, Partial, NotImplemented, NotApplicable, Flagged:
		return true
	}
	return false
}

// ChoiceValues lists the values of choices for a sentence: "a, b, c".
func ChoiceValues(cs []Choice) string {
	v := make([]string, len(cs))
	for i, c := range cs {
		v[i] = c.Value
	}
	return strings.Join(v, ", ")
}

// ValidateResponse checks an answer against the catalog before it is stored and returns one
// sentence that says what is wrong and what to do. It does not check that the asset exists
// (the store knows the assets) but does check that the answer targets the question's scope.
// Decisions are refused on required specifications and on standards without a
// specification: §164.306(d)(3) lets an entity weigh only addressable ones.
func ValidateResponse(cat *controls.Catalog, r Response) error {
	q, ok := cat.Question(r.QuestionID)
	if !ok {
		return fmt.Errorf("unknown question %q; use a question ID from the catalog", r.QuestionID)
	}
	if q.Scope == controls.ScopeAsset && r.AssetID == "" {
		return fmt.Errorf("question %s is answered per asset; name the asset", q.ID)
	}
	if q.Scope != controls.ScopeAsset && r.AssetID != "" {
		return fmt.Errorf("question %s is answered once for the organization; remove the asset", q.ID)
	}
	if !validStatus(r.Status) {
		return fmt.Errorf("status %q is not valid; use one of %s", r.Status, ChoiceValues(ResponseStatuses))
	}
	for _, f := range []struct{ what, text string }{
		{"note", r.Note}, {"reason", r.Reason}, {"decision text", r.DecisionText},
	} {
		if err := CheckText(f.what, f.text); err != nil {
			return err
		}
	}
	if r.Status == NotApplicable && strings.TrimSpace(r.Reason) == "" {
		return fmt.Errorf("a not-applicable answer to %s needs a reason; say why it does not apply", q.ID)
	}
	if r.Decision == DecisionNone {
		return nil
	}
	if q.Specification == "" {
		return fmt.Errorf("question %s covers standard %s, not an addressable specification; decisions apply only to addressable ones, so remove the decision", q.ID, q.Standard)
	}
	if sp, ok := cat.Specification(q.Specification); !ok || sp.Requirement != controls.Addressable {
		return fmt.Errorf("%s is a required specification; decisions apply only to addressable ones, so remove the decision", q.Specification)
	}
	switch r.Decision {
	case DecisionAsSpecified:
	case DecisionAlternative:
		if strings.TrimSpace(r.DecisionText) == "" {
			return fmt.Errorf("an alternative-measure decision on %s needs the measure; describe the equivalent alternative measure", q.ID)
		}
	case DecisionNotReasonable:
		if strings.TrimSpace(r.DecisionText) == "" {
			return fmt.Errorf("a not-reasonable-and-appropriate decision on %s needs a rationale; document why the specification does not fit", q.ID)
		}
	default:
		return fmt.Errorf("decision %q is not valid; use one of %s", r.Decision, ChoiceValues(Decisions))
	}
	return nil
}

// isAddressable reports whether the question answers an addressable specification, the only
// kind that takes a §164.306(d)(3) decision.
func isAddressable(cat *controls.Catalog, q *controls.Question) bool {
	if q.Specification == "" {
		return false
	}
	sp, ok := cat.Specification(q.Specification)
	return ok && sp.Requirement == controls.Addressable
}

// MinNotApplicableWords is the shortest reason accepted for "not applicable" on an
// addressable specification. §164.306(d)(3) gives an addressable specification three
// outcomes (as specified, an equivalent alternative, or documented as not reasonable and
// appropriate); "not applicable" is honest only when what the specification governs does
// not exist here, and saying so takes a clause ("no wireless network at either site"), not
// "n/a" or "none".
const MinNotApplicableWords = 4

// TakesDecision reports whether an answer to q may carry a §164.306(d)(3) decision: q
// answers an addressable Security Rule specification in its own right. A 42 CFR Part 2
// duty placed under a Security Rule specification is not weighed under §164.306(d)(3), and
// a proposed-rule item is not law, so neither takes a decision.
func TakesDecision(cat *controls.Catalog, q *controls.Question) bool {
	return isAddressable(cat, q) && q.Condition != controls.ForPart2 && !q.Proposed
}

// CheckConsistency checks that an answer's status and its §164.306(d)(3) decision say the
// same thing, and returns one sentence that says what is wrong and what to do. It is what
// the answer command and the store's save refuse; readiness lists answers stored before
// these rules that break them (Inconsistency). It assumes ValidateResponse passed.
//
// The rules: "implemented as specified" only with status implemented; "not reasonable and
// appropriate" never with status implemented; an alternative measure names the measure
// (DecisionText) and the rationale for not implementing the specification as written
// (Reason; §164.306(d)(3)(ii)(B) asks for both); not applicable, flagged,
// Part 2 and proposed-rule answers take no decision; not applicable on an addressable
// specification gives a reason of at least MinNotApplicableWords words. Partial or not
// implemented with no decision is allowed here, because the third way to satisfy
// §164.306(d)(3) (a planned treatment on a risk linked to the gap) is recorded afterwards;
// readiness checks that it was.
func CheckConsistency(cat *controls.Catalog, r Response) error {
	q, ok := cat.Question(r.QuestionID)
	if !ok {
		return fmt.Errorf("unknown question %q; use a question ID from the catalog", r.QuestionID)
	}
	if msg := inconsistency(cat, q, r, q.ID); msg != "" {
		return fmt.Errorf("%s", msg)
	}
	return nil
}

// inconsistency is CheckConsistency's sentence, or "" when the answer is consistent; id is
// how the sentence names the item.
func inconsistency(cat *controls.Catalog, q *controls.Question, r Response, id string) string {
	if r.Decision != DecisionNone {
		switch {
		case q.Condition == controls.ForPart2:
			return fmt.Sprintf("%s is a 42 CFR Part 2 duty, not a Security Rule specification, so it takes no §164.306(d)(3) decision; remove the decision", id)
		case q.Proposed:
			return fmt.Sprintf("%s comes from the 2025 proposed rule, which is not law, so it takes no §164.306(d)(3) decision; remove the decision", id)
		case r.Status == NotApplicable:
			return fmt.Sprintf("a not-applicable answer to %s takes no §164.306(d)(3) decision (the three decisions are for specifications that apply); remove the decision", id)
		case r.Status == Flagged:
			return fmt.Sprintf("%s is flagged for follow-up, so its status is not known yet; record the decision once it is", id)
		case r.Decision == DecisionAsSpecified && r.Status != Implemented:
			return fmt.Sprintf("%s cannot be implemented as specified while it is %s; record an alternative measure with its rationale, a not-reasonable rationale, or no decision and a planned treatment on a risk linked to the gap",
				id, strings.ToLower(r.Status.Short()))
		case r.Decision == DecisionNotReasonable && r.Status == Implemented:
			return fmt.Sprintf("%s is implemented, so it cannot also be not reasonable and appropriate; choose as-specified or alternative", id)
		case r.Decision == DecisionAlternative && isBlank(r.Reason):
			return fmt.Sprintf("an alternative measure on %s also needs the rationale for not implementing the specification as written (§164.306(d)(3)(ii)(B)); add it", id)
		}
	}
	if r.Status == NotApplicable && TakesDecision(cat, q) && wordCount(r.Reason) < MinNotApplicableWords {
		return fmt.Sprintf("%s answers an addressable specification; say in at least %d words why what it governs does not exist here, or answer it with a §164.306(d)(3) decision", id, MinNotApplicableWords)
	}
	return ""
}

// wordCount counts the words of s that contain a letter or digit.
func wordCount(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}

// Measure is the alternative measure of an alternative-measure decision ("" otherwise).
func (r Response) Measure() string {
	if r.Decision == DecisionAlternative {
		return r.DecisionText
	}
	return ""
}

// DecisionRationale is why the specification is not implemented as written: the rationale
// of an alternative measure, or that of a not-reasonable decision ("" otherwise).
func (r Response) DecisionRationale() string {
	switch r.Decision {
	case DecisionAlternative:
		return r.Reason
	case DecisionNotReasonable:
		return r.DecisionText
	}
	return ""
}
