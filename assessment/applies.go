package assessment

import (
	"fmt"
	"slices"

	"safeguard/controls"
)

// WhyNotApplicable says, in a few words, why question q is not asked for this
// organization or this asset (nil for organization items), or "" when it is. It follows
// the same rules as Applicable, for checking one answer without listing every item.
func WhyNotApplicable(q *controls.Question, p Profile, assets []Asset, a *Asset) string {
	if q.Proposed && !p.IncludeProposed {
		return "it comes from the 2025 proposed rule, which this assessment does not include (turn it on in the profile)"
	}
	if !conditionHolds(q.Condition, p, holdsPart2(p, assets)) {
		switch q.Condition {
		case controls.ForClearinghouse:
			return "it applies only to health care clearinghouses"
		case controls.ForHealthPlan:
			return "it applies only to group health plans"
		case controls.ForPart2:
			return "it applies only where 42 CFR Part 2 records are kept"
		}
		return fmt.Sprintf("its condition %q does not hold", q.Condition)
	}
	if a == nil || assetMatches(q, a) {
		return ""
	}
	switch {
	case !a.InScope:
		return fmt.Sprintf("asset %q is out of scope", a.Name)
	case !slices.Contains(q.AssetKinds, a.Kind):
		return fmt.Sprintf("it is not asked for %s assets", a.Kind)
	}
	return fmt.Sprintf("asset %q holds no Part 2 records", a.Name)
}
