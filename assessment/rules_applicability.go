package assessment

import (
	"slices"

	"safeguard/controls"
)

// Applicable lists the items the assessor must answer, in catalog order: each
// organisation-wide question once, and each asset question once per in-scope asset of one
// of its kinds (assets in the order given). A question with a condition applies only where
// its condition holds (see conditionHolds); a question that exists only because of the
// January 2025 proposed rule applies only when the profile opts in, because it is not law.
// Items point into assets, so the slice must outlive them.
func Applicable(cat *controls.Catalog, p Profile, assets []Asset) []Item {
	if cat == nil {
		return nil
	}
	part2 := holdsPart2(p, assets)
	var items []Item
	for qi := range cat.Questions {
		q := &cat.Questions[qi]
		if q.Proposed && !p.IncludeProposed {
			continue
		}
		if !conditionHolds(q.Condition, p, part2) {
			continue
		}
		if q.Scope != controls.ScopeAsset {
			items = append(items, Item{Question: q})
			continue
		}
		for ai := range assets {
			a := &assets[ai]
			if assetMatches(q, a) {
				items = append(items, Item{Question: q, Asset: a})
			}
		}
	}
	return items
}

// conditionHolds decides a question's condition at organisation level: clearinghouse
// isolation (§164.308(a)(4)(ii)(A)) only for clearinghouses, group-health-plan plan-document
// items (§164.314(b)) only for health plans, and 42 CFR Part 2 items only where Part 2
// records exist, whether the profile says so or an in-scope asset holds them.
func conditionHolds(c controls.Condition, p Profile, part2 bool) bool {
	switch c {
	case controls.ForEveryone:
		return true
	case controls.ForClearinghouse:
		return p.EntityType == EntityClearinghouse
	case controls.ForHealthPlan:
		return p.EntityType == EntityHealthPlan
	case controls.ForPart2:
		return part2
	}
	// An unknown condition cannot be satisfied; the catalog validator refuses them anyway.
	return false
}

// assetMatches reports whether an asset question applies to one asset: the asset is in
// scope and of one of the question's kinds, and for Part 2 questions the asset itself holds
// Part 2 records (segregating SUD records is a property of the system that keeps them).
func assetMatches(q *controls.Question, a *Asset) bool {
	if !a.InScope || !slices.Contains(q.AssetKinds, a.Kind) {
		return false
	}
	if q.Condition == controls.ForPart2 && !a.Part2 {
		return false
	}
	return true
}

// Items lists the snapshot's applicable items, resolved against its catalog. Items point
// into s.Assets. It returns nil when the snapshot has no catalog.
func (s *Snapshot) Items() []Item {
	return Applicable(s.Catalog, s.Profile, s.Assets)
}

// holdsPart2 reports whether 42 CFR Part 2 records are kept: the profile says the
// organisation runs a Part 2 program, or an in-scope asset holds such records.
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
