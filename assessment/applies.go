package assessment

import (
	"fmt"
	"slices"

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

// CitationNA is a standard or implementation specification for which the assessment asks
// nothing, with the reason, so reports can show the whole rule: §164.308(a)(4)(ii)(A) for an
// organization without a clearinghouse component appears as not applicable, not missing.
type CitationNA struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// notAskedCitations lists, in catalog order, each standard and specification no applicable
// item cites, with the reason taken from the questions that cite it: a condition of the
// organization when one excludes them all, otherwise the assessment's depth, otherwise the
// absence of a matching in-scope asset, otherwise a closed gate.
func notAskedCitations(cat *controls.Catalog, p Profile, assets []Asset, answers map[ItemKey]*Response, items []Item) []CitationNA {
	asked := map[string]bool{}
	for _, it := range items {
		for _, id := range it.Question.Citations() {
			asked[id] = true
			if std, ok := cat.StandardOf(id); ok {
				asked[std] = true
			}
		}
	}
	sc := newScoper(cat, p, assets, answers)
	citing := map[string][]*controls.Question{}
	for i := range cat.Questions {
		q := &cat.Questions[i]
		for _, id := range q.Citations() {
			citing[id] = appendOnce(citing[id], q)
			if std, ok := cat.StandardOf(id); ok {
				citing[std] = appendOnce(citing[std], q)
			}
		}
	}
	var out []CitationNA
	add := func(id string) {
		if asked[id] {
			return
		}
		out = append(out, CitationNA{ID: id, Reason: sc.citationReason(citing[id], assets)})
	}
	for _, st := range cat.Standards {
		add(st.ID)
		for _, sp := range st.Specifications {
			add(sp.ID)
		}
	}
	return out
}

func appendOnce(qs []*controls.Question, q *controls.Question) []*controls.Question {
	if slices.Contains(qs, q) {
		return qs
	}
	return append(qs, q)
}

// citationReason explains why none of qs is asked, preferring the reason that holds for all
// of them and is most about the organization.
func (sc *scoper) citationReason(qs []*controls.Question, assets []Asset) string {
	if len(qs) == 0 {
		return "the catalog has no question for it"
	}
	var cond, other string
	var depth controls.Depth
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
		return "Not applicable: " + cond + "."
	case allCondOrDepth && depth != "":
		return fmt.Sprintf("Not asked at the %s depth: its questions start at the %s depth.", sc.depth, depth)
	case other != "":
		return "Not asked: " + other + "."
	}
	return "Not asked."
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
	return "no in-scope asset is of a kind and hosting model it is asked for"
}
