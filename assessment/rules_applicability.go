package assessment

import (
	"fmt"
	"slices"
	"strings"

	"safeguard/controls"
)

// Applicable lists the items asked of an organization and its assets when no gate question
// is answered not applicable: ApplicableGiven with no answers.
func Applicable(cat *controls.Catalog, p Profile, assets []Asset) []Item {
	return ApplicableGiven(cat, p, assets, nil)
}

// ApplicableGiven lists the items the assessor must answer, in catalog order: each
// organization-wide question once, and each asset question once per in-scope asset it is
// asked of (assets in the order given). A question is asked when the assessment's depth
// includes it, its condition holds for the organization, its hosting models match (an
// asset's own, or for an organization question those of some in-scope asset), and its gate
// question, if any, is not answered not applicable. Questions that exist only because of
// the January 2025 proposed rule are asked only when the profile opts in, because they are
// not law. answers (by current question ID, see Snapshot.ResponseMap) decide the gates; nil
// means no gate is closed. Items point into assets, so the slice must outlive them.
func ApplicableGiven(cat *controls.Catalog, p Profile, assets []Asset, answers map[ItemKey]*Response) []Item {
	if cat == nil {
		return nil
	}
	sc := newScoper(cat, p, assets, answers)
	items := make([]Item, 0, len(cat.Questions))
	for qi := range cat.Questions {
		q := &cat.Questions[qi]
		if sc.orgWhy(q) != "" {
			continue
		}
		if q.Scope != controls.ScopeAsset {
			if !sc.gated(q, nil) {
				items = append(items, Item{Question: q})
			}
			continue
		}
		for ai := range assets {
			a := &assets[ai]
			if assetAsks(q, a) && !sc.gated(q, a) {
				items = append(items, Item{Question: q, Asset: a})
			}
		}
	}
	return items
}

// scoper holds what applicability needs about one assessment, computed once.
type scoper struct {
	cat     *controls.Catalog
	p       Profile
	depth   controls.Depth
	part2   bool
	hosted  map[controls.Hosting]bool // hosting models of the in-scope assets
	answers map[ItemKey]*Response
}

func newScoper(cat *controls.Catalog, p Profile, assets []Asset, answers map[ItemKey]*Response) *scoper {
	sc := &scoper{cat: cat, p: p, depth: p.DepthOrDefault(), part2: holdsPart2(p, assets),
		hosted: map[controls.Hosting]bool{}, answers: answers}
	for i := range assets {
		if assets[i].InScope {
			sc.hosted[assets[i].Hosting] = true
		}
	}
	return sc
}

// orgWhy is why q is not asked of this organization at all (proposed rule, depth,
// condition, or for an organization question no in-scope asset hosted the ways it is
// about), or "" when it may be.
func (sc *scoper) orgWhy(q *controls.Question) string {
	if q.Proposed && !sc.p.IncludeProposed {
		return "it comes from the 2025 proposed rule, which this assessment does not include (turn it on in the profile)"
	}
	if !sc.depth.Includes(q.Depth) {
		return fmt.Sprintf("it is asked only at the %s depth or more, and this assessment asks at the %s depth", q.Depth, sc.depth)
	}
	if why := conditionWhy(q.Condition, sc.p, sc.part2); why != "" {
		return why
	}
	if q.Scope != controls.ScopeAsset && len(q.Hosting) > 0 && !slices.ContainsFunc(q.Hosting, func(h controls.Hosting) bool { return sc.hosted[h] }) {
		return "it is about " + hostingList(q.Hosting) + " systems, and no in-scope asset is hosted that way"
	}
	return ""
}

// gate is the answer that turns a follow-up question off: its gate question, for the
// organization or for the same asset, answered not applicable; nil when q is asked.
func (sc *scoper) gate(q *controls.Question, a *Asset) *Response {
	if q.Follows == "" || sc.answers == nil {
		return nil
	}
	key := ItemKey{QuestionID: q.Follows}
	if g, ok := sc.cat.Question(q.Follows); ok && g.Scope == controls.ScopeAsset && a != nil {
		key.AssetID = a.ID
	}
	r, ok := sc.answers[key]
	if !ok || r == nil || r.Status != NotApplicable {
		return nil
	}
	return r
}

// gated reports whether a follow-up question is turned off by its gate (see gate). Listing
// the items needs only the yes or no, not gateWhy's sentence.
func (sc *scoper) gated(q *controls.Question, a *Asset) bool { return sc.gate(q, a) != nil }

// gateWhy is why a follow-up question is not asked: its gate question, for the
// organization or for the same asset, is answered not applicable.
func (sc *scoper) gateWhy(q *controls.Question, a *Asset) string {
	r := sc.gate(q, a)
	if r == nil {
		return ""
	}
	why := fmt.Sprintf("it follows %s, which is answered not applicable", q.Follows)
	if reason := strings.TrimSpace(r.Reason); reason != "" {
		why += " (" + reason + ")"
	}
	return why
}

// conditionWhy decides a question's condition for the organization, or says why it does
// not hold: clearinghouse isolation (§164.308(a)(4)(ii)(A)) only where a clearinghouse is
// part of a larger organization, group-health-plan items (§164.314(b)) only for health plans
// and, for the plan-document items, only where the sponsor receives more than summary or
// enrollment data, covered-entity and business-associate duties by entity type, and 42 CFR
// Part 2 items only where Part 2 records are kept (the profile says so or an in-scope asset
// holds them).
func conditionWhy(c controls.Condition, p Profile, part2 bool) string {
	switch c {
	case controls.ForEveryone:
		return ""
	case controls.ForClearinghouseComponent:
		if !p.ClearinghouseComponent {
			return "it applies only where a health care clearinghouse is part of a larger organization, and the profile says there is none"
		}
	case controls.ForHealthPlan:
		if p.EntityType != EntityHealthPlan {
			return "it applies only to health plans"
		}
	case controls.ForPlanSponsor:
		if p.EntityType != EntityHealthPlan || !p.SponsorReceivesEPHI {
			return "it applies only to group health plans whose plan sponsor receives ePHI beyond summary health information and enrollment data"
		}
	case controls.ForCoveredEntity:
		if p.BusinessAssociate() {
			return "it is a duty of covered entities; a business associate notifies the covered entity instead"
		}
	case controls.ForBusinessAssociate:
		if !p.BusinessAssociate() {
			return "it is a duty of business associates"
		}
	case controls.ForPart2:
		if !part2 {
			return "it applies only where 42 CFR Part 2 records are kept"
		}
	default:
		// An unknown condition cannot be satisfied; the catalog validator refuses them anyway.
		return fmt.Sprintf("its condition %q does not hold", c)
	}
	return ""
}

// assetWhy is why an asset question is not asked of one asset: the asset is out of scope,
// of another kind, hosted a way the question is not about, or, for Part 2 questions, holds
// no Part 2 records (segregating SUD records is a property of the system that keeps them).
// "" when it is asked.
func assetWhy(q *controls.Question, a *Asset) string {
	if assetAsks(q, a) {
		return ""
	}
	switch {
	case !a.InScope:
		return fmt.Sprintf("asset %q is out of scope", a.Name)
	case !slices.Contains(q.AssetKinds, a.Kind):
		return fmt.Sprintf("it is not asked for %s assets", a.Kind)
	case !q.AppliesTo(a.Hosting):
		return fmt.Sprintf("it is about %s systems and %q is %s", hostingList(q.Hosting), a.Name, a.Hosting.Label())
	case q.Condition == controls.ForPart2 && !a.Part2:
		return fmt.Sprintf("asset %q holds no Part 2 records", a.Name)
	}
	return ""
}

// assetAsks reports whether an asset question is asked of one asset: the test of
// assetWhy without building its sentence, for listing the items.
func assetAsks(q *controls.Question, a *Asset) bool {
	return a.InScope && slices.Contains(q.AssetKinds, a.Kind) && q.AppliesTo(a.Hosting) &&
		(q.Condition != controls.ForPart2 || a.Part2)
}

// hostingList names hosting models for a sentence: "IaaS, PaaS or SaaS".
func hostingList(hs []controls.Hosting) string {
	names := make([]string, len(hs))
	for i, h := range hs {
		names[i] = h.Label()
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Items lists the snapshot's applicable items, resolved against its catalog, with the
// gates decided by its answers. Items point into s.Assets. It returns nil when the snapshot
// has no catalog.
func (s *Snapshot) Items() []Item {
	return ApplicableGiven(s.Catalog, s.Profile, s.Assets, s.ResponseMap())
}

// holdsPart2 reports whether 42 CFR Part 2 records are kept: the profile says the
// organization runs a Part 2 program, or an in-scope asset holds such records.
func holdsPart2(p Profile, assets []Asset) bool {
	if p.Part2Program {
		return true
	}
	for i := range assets {
		if assets[i].InScope && assets[i].Part2 {
			return true
		}
	}
	return false
}
