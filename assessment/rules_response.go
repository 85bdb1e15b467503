package assessment

import (
	"fmt"
	"strings"

	"safeguard/controls"
)

// IsGap reports whether a status leaves a gap: not implemented or only partly. Gaps are
// what propose risks from the threat library.
func IsGap(st ResponseStatus) bool { return st == NotImplemented || st == Partial }

// validStatus reports whether st is one of the five response statuses.
func validStatus(st ResponseStatus) bool {
	switch st {
	case Implemented, Partial, NotImplemented, NotApplicable, Flagged:
		return true
	}
	return false
}

// answered reports whether a status is a real answer; flagged means "do not know yet".
func answered(st ResponseStatus) bool {
	return st == Implemented || st == Partial || st == NotImplemented || st == NotApplicable
}

func choiceValues(cs []Choice) string {
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
		return fmt.Errorf("question %s is answered once for the organisation; remove the asset", q.ID)
	}
	if !validStatus(r.Status) {
		return fmt.Errorf("status %q is not valid; use one of %s", r.Status, choiceValues(ResponseStatuses))
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
		return fmt.Errorf("decision %q is not valid; use one of %s", r.Decision, choiceValues(Decisions))
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

// decisionNeedsText reports whether a decision must be explained: an alternative measure
// must be described and a not-reasonable decision justified (§164.306(d)(3)(ii)(B)).
func decisionNeedsText(d Decision) bool {
	return d == DecisionAlternative || d == DecisionNotReasonable
}
