package assessment

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"safeguard/controls"
)

// substanceReadiness lists what the analysis itself lacks, before any answer is looked at:
// an assessment with no scope, period, assessor, inventory or vendor record is not a risk
// analysis however many questions it answers (45 CFR §164.308(a)(1)(ii)(A) asks for an
// accurate and thorough assessment of the risks to all ePHI the entity holds).
func substanceReadiness(a *Analysis) []ReadinessItem {
	s := a.Snap
	p := s.Profile
	var out []ReadinessItem
	add := func(kind, field, text string) {
		out = append(out, ReadinessItem{Kind: kind, Field: field, Text: text})
	}
	if isBlank(p.Scope) {
		add(ReadyScope, FieldScope, "No scope statement is recorded; describe what the analysis covers (systems, sites, data) and what it leaves out.")
	}
	if isBlank(p.PeriodStart) || isBlank(p.PeriodEnd) {
		add(ReadyPeriod, FieldPeriod, "The assessment period is not recorded; give its start and end dates.")
	}
	if !hasAssessor(p) {
		add(ReadyAssessors, FieldAssessors, "No assessor is named; record who carried out the analysis.")
	}
	if a.Scope.WithEPHI == 0 {
		add(ReadyInventory, FieldAssets, "No in-scope asset is recorded as holding ePHI; inventory the systems, devices and services that create, receive, keep or send patient data.")
	}
	switch n := len(s.Vendors); {
	case n == 0 && isBlank(s.NoVendors):
		add(ReadyVendors, FieldVendors, "No vendors are recorded and the analysis does not state that there are none; add every business associate and cloud provider, or state that no outside party creates, receives, keeps or sends ePHI.")
	case n > 0 && !isBlank(s.NoVendors):
		add(ReadyVendors, FieldVendors, fmt.Sprintf("The analysis states that no outside party handles ePHI, but %s recorded; remove the statement or the vendors.", Plural(n, "vendor is", "vendors are")))
	}
	reviewed := map[string]bool{}
	for _, r := range s.VendorReviews {
		reviewed[r.VendorID] = true
	}
	for _, v := range s.Vendors {
		if !reviewed[v.ID] {
			out = append(out, ReadinessItem{Kind: ReadyVendors, VendorID: v.ID, Field: FieldVendors,
				Text: fmt.Sprintf("Vendor %s has not been reviewed for this analysis; review its BAA and assurance and record the review.", v.Name)})
		}
	}
	return out
}

func hasAssessor(p Profile) bool {
	for _, x := range p.Assessors {
		if !isBlank(x) {
			return true
		}
	}
	return false
}

// methodReadiness lists what the method lacks: a threat source nobody considered, and a
// missing periodic-review plan (HHS/OCR element 9).
func methodReadiness(a *Analysis) []ReadinessItem {
	var out []ReadinessItem
	for _, src := range a.ThreatSources {
		if !src.Considered() {
			out = append(out, ReadinessItem{Kind: ReadyThreats, Source: src.Source, Field: FieldThreats,
				Text: fmt.Sprintf("No %s threat is rated and the source is not ruled out; rate a risk from it or record why it cannot reasonably affect the practice.", strings.ToLower(src.Label))})
		}
	}
	plan := a.Snap.Review
	switch {
	case plan.Cadence == "" || plan.Next == "":
		out = append(out, ReadinessItem{Kind: ReadyReview, Field: FieldReview,
			Text: "No periodic review plan is recorded; set how often the analysis is reviewed and the next review date."})
	case !a.DataAsOf.IsZero() && plan.Next < ISODate(a.DataAsOf):
		out = append(out, ReadinessItem{Kind: ReadyReview, Field: FieldReview,
			Text: fmt.Sprintf("The next review date %s is before the last recorded work (%s); set a date ahead.", plan.Next, ISODate(a.DataAsOf))})
	}
	return out
}

// specAsset keys the items of one specification on one asset ("" for organization items).
type specAsset struct{ spec, asset string }

// decisionContext holds what judging an addressable answer needs beyond the answer itself:
// which other items of the same specification on the same asset are gaps, and which gaps
// a confirmed risk plans to treat.
type decisionContext struct {
	cat        *controls.Catalog
	siblingGap map[specAsset]*ItemView
	planned    map[ItemKey]bool
}

func newDecisionContext(a *Analysis) *decisionContext {
	dc := &decisionContext{cat: a.Catalog, siblingGap: map[specAsset]*ItemView{}, planned: map[ItemKey]bool{}}
	for i := range a.Items {
		it := &a.Items[i]
		if it.IsGap() && it.Question.Specification != "" {
			k := specAsset{it.Question.Specification, assetIDOf(it.Asset)}
			if dc.siblingGap[k] == nil {
				dc.siblingGap[k] = it
			}
		}
	}
	for i := range a.Risks {
		r := &a.Risks[i]
		if r.Confirmed() && (r.Treatment == TreatMitigate || r.Treatment == TreatAvoid) && !isBlank(r.Measures) {
			for _, ix := range r.Triggers {
				dc.planned[a.Items[ix].Key()] = true
			}
		}
	}
	return dc
}

func assetIDOf(a *Asset) string {
	if a == nil {
		return ""
	}
	return a.ID
}

// problem says, in one sentence naming the item as where, what is wrong with an answered,
// current item's §164.306(d)(3) decision, or "" when nothing is. It adds to
// CheckConsistency's rules the ones that need the rest of the analysis: an implemented
// addressable item records its decision; a partial or not-implemented one records an
// alternative or a not-reasonable rationale, or a confirmed risk listing the gap plans a
// treatment (mitigate or avoid, with measures); a not-applicable one is not contradicted by
// a gap on the same specification and asset (the specification then applies, so "not
// applicable" is circular).
func (dc *decisionContext) problem(it *ItemView, where string) string {
	q, r := it.Question, it.Response
	if msg := inconsistency(dc.cat, q, *r, where); msg != "" {
		return capitalize(msg) + "."
	}
	if r.Decision != DecisionNone && !isAddressable(dc.cat, q) {
		return where + " is not an addressable specification, so it takes no §164.306(d)(3) decision; remove the decision."
	}
	if !TakesDecision(dc.cat, q) {
		return ""
	}
	switch it.Status {
	case Implemented:
		switch {
		case r.Decision == DecisionNone:
			return where + " is addressable; record its §164.306(d)(3) decision (as specified, or an alternative measure with its rationale)."
		case r.Decision == DecisionAlternative && isBlank(r.DecisionText):
			return where + " has an alternative-measure decision that does not describe the measure; describe it."
		}
	case Partial, NotImplemented:
		switch {
		case r.Decision == DecisionNone && !dc.planned[it.Key()]:
			return fmt.Sprintf("%s is addressable and %s; record an alternative measure with its rationale or a not-reasonable rationale, or plan a treatment on a confirmed risk for it.",
				where, strings.ToLower(it.Status.Short()))
		case r.Decision == DecisionAlternative && isBlank(r.DecisionText):
			return where + " has an alternative-measure decision that does not describe the measure; describe it."
		case r.Decision == DecisionNotReasonable && isBlank(r.DecisionText):
			return where + " has a not-reasonable decision without its rationale; document why the specification does not fit."
		}
	case NotApplicable:
		if sib := dc.siblingGap[specAsset{q.Specification, assetIDOf(it.Asset)}]; sib != nil {
			return fmt.Sprintf("%s is not applicable while %s on the same specification is %s; answer what it asks, or record a not-reasonable decision.",
				where, sib.Question.ID, strings.ToLower(sib.Status.Short()))
		}
	}
	return ""
}

// capitalize upper-cases the first letter of a sentence.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
