package assessment

import (
	"fmt"

	"safeguard/controls"
)

// WhyNotApplicable says, in a few words, why question q is not asked for this organization
// or this asset (nil for organization items), or "" when it is. It follows the same rules
// as Applicable, for checking one answer without listing every item; answers decide the
// gate of a follow-up question (nil: no gate is closed).
func WhyNotApplicable(cat *controls.Catalog, q *controls.Question, p Profile, assets []Asset, a *Asset, answers map[ItemKey]*Response) string {
	sc := newScoper(cat, p, assets, answers)
	if why := sc.orgWhy(q); why != "" {
		return why
	}
	if a != nil {
		if why := assetWhy(q, a); why != "" {
			return why
		}
	}
	return sc.gateWhy(q, a)
}

// notAskedReason explains why none of qs (the questions citing one specification) is
// asked, preferring the reason that holds for all of them and is most about the
// organization. depth is set when the assessment's depth is all that keeps them out: the
// shallowest depth at which one would be asked.
func (sc *scoper) notAskedReason(qs []*controls.Question, assets []Asset) (why string, depth controls.Depth) {
	if len(qs) == 0 {
		return "the catalog asks no question for it", ""
	}
	var cond, other string
	allCond, allCondOrDepth := true, true
	for _, q := range qs {
		condWhy := ""
		if !(q.Proposed && !sc.p.IncludeProposed) {
			condWhy = conditionWhy(q.Condition, sc.p, sc.part2)
		}
		switch {
		case condWhy != "":
			if cond == "" {
				cond = condWhy
			}
			continue
		case q.Proposed && !sc.p.IncludeProposed:
			allCond = false
			other = sc.orgWhy(q)
			continue
		case !sc.depth.Includes(q.Depth):
			allCond = false
			if depth == "" || q.Depth.Rank() < depth.Rank() {
				depth = q.Depth
			}
			continue
		}
		allCond, allCondOrDepth = false, false
		if other == "" {
			other = sc.itemReason(q, assets)
		}
	}
	switch {
	case allCond:
		return cond, ""
	case allCondOrDepth && depth != "":
		return fmt.Sprintf("it is not asked at the %s depth; its questions start at the %s depth", sc.depth, depth), depth
	case other != "":
		return other, ""
	}
	return "it is not asked", ""
}

// itemReason is why a question that the organization is asked is still not asked here: no
// in-scope asset matches, or its gate is closed.
func (sc *scoper) itemReason(q *controls.Question, assets []Asset) string {
	if why := sc.orgWhy(q); why != "" {
		return why
	}
	if q.Scope != controls.ScopeAsset {
		if why := sc.gateWhy(q, nil); why != "" {
			return why
		}
		return "it is not asked"
	}
	for i := range assets {
		if assetWhy(q, &assets[i]) == "" {
			if why := sc.gateWhy(q, &assets[i]); why != "" {
				return why
			}
		}
	}
	what := "of a kind it asks about (" + kindTitles(sc.cat, q.AssetKinds) + ")"
	if len(q.Hosting) > 0 {
		what += " and hosted as " + hostingList(q.Hosting)
	}
	return "no in-scope asset is " + what
}
