package assessment

import (
	"slices"
	"strings"
	"time"

	"safeguard/controls"
)

// SpecCoverage is one implementation specification of the catalog (or a standard's own row:
// a standard without specifications, or the questions that cite a standard directly) with
// its applicable items, or why none applies. Every specification appears, so a reader can
// see that nothing was skipped. A question citing several specifications is an item of
// each.
type SpecCoverage struct {
	Standard *controls.Standard
	Spec     *controls.Specification // nil for the standard's own row
	Items    []int                   // positions in Analysis.Items, catalog order
	// NotApplicable says why no question applies ("" when Items is not empty), e.g. "it
	// applies only to health care clearinghouses".
	NotApplicable string
	// Depth is set when the row is empty only because of the assessment's depth: the
	// shallowest depth at which one of its questions would be asked. Such a row is "not
	// asked at this depth", not "not applicable".
	Depth controls.Depth
}

// ID is the cited paragraph: the specification's, or the standard's for its own row.
func (c SpecCoverage) ID() string {
	if c.Spec != nil {
		return c.Spec.ID
	}
	return c.Standard.ID
}

// Title is the specification's or the standard's title.
func (c SpecCoverage) Title() string {
	if c.Spec != nil {
		return c.Spec.Title
	}
	return c.Standard.Title
}

// Requirement is "Required", "Addressable", or "Standard" for a standard's own row.
func (c SpecCoverage) Requirement() string {
	if c.Spec == nil {
		return "Standard"
	}
	if c.Spec.Requirement == controls.Addressable {
		return "Addressable"
	}
	return "Required"
}

// buildSpecs lists every specification of the catalog in catalog order, each standard's own
// row first when it has one, with its items or the reason none applies.
func (a *Analysis) buildSpecs() {
	cat := a.Catalog
	if cat == nil {
		return
	}
	// The keys are worked out once per question: the items repeat each question per asset.
	keys := make(map[*controls.Question][]string, len(cat.Questions))
	questions := map[string][]*controls.Question{}
	for qi := range cat.Questions {
		q := &cat.Questions[qi]
		keys[q] = specKeys(cat, q)
		for _, k := range keys[q] {
			questions[k] = append(questions[k], q)
		}
	}
	bySpec := make(map[string][]int, len(questions)) // spec ID, or "std:"+standard ID for a standard's own questions
	for i, it := range a.Items {
		ks, ok := keys[it.Question]
		if !ok {
			ks = specKeys(cat, it.Question)
		}
		for _, k := range ks {
			bySpec[k] = append(bySpec[k], i)
		}
	}
	sc := newScoper(cat, a.Snap.Profile, a.Snap.Assets, a.Responses)
	for si := range cat.Standards {
		st := &cat.Standards[si]
		own := "std:" + st.ID
		if len(st.Specifications) == 0 || len(questions[own]) > 0 {
			a.Specs = append(a.Specs, a.coverage(sc, st, nil, bySpec[own], questions[own]))
		}
		for pi := range st.Specifications {
			sp := &st.Specifications[pi]
			a.Specs = append(a.Specs, a.coverage(sc, st, sp, bySpec[sp.ID], questions[sp.ID]))
		}
	}
}

// specKeys are the rows a question counts under: each specification it cites, and
// "std:"+ID for each standard it cites directly.
func specKeys(cat *controls.Catalog, q *controls.Question) []string {
	cites := q.Citations()
	keys := make([]string, 0, len(cites))
	for _, id := range cites {
		k := id
		if std, ok := cat.StandardOf(id); ok && std == id {
			k = "std:" + id
		}
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

func (a *Analysis) coverage(sc *scoper, st *controls.Standard, sp *controls.Specification, items []int, qs []*controls.Question) SpecCoverage {
	c := SpecCoverage{Standard: st, Spec: sp, Items: items}
	if len(items) > 0 {
		return c
	}
	c.NotApplicable, c.Depth = sc.notAskedReason(qs, a.Snap.Assets)
	return c
}

// kindTitles names asset kinds for sentences: "EHR, PACS".
func kindTitles(cat *controls.Catalog, kinds []string) string {
	titles := make([]string, len(kinds))
	for i, k := range kinds {
		titles[i] = k
		for _, ak := range cat.AssetKinds {
			if ak.ID == k {
				titles[i] = ak.Title
			}
		}
	}
	return strings.Join(titles, ", ")
}

// AddressableSpec is the one-line summary of an addressable specification's §164.306(d)(3)
// decisions, over its items that take one (Part 2 duties and proposed-rule items do not).
type AddressableSpec struct {
	Standard *controls.Standard
	Spec     *controls.Specification
	Items    []int // the applicable items that take a decision, catalog order
	// Decisions counts the current answers other than not applicable by decision
	// (DecisionNone: no decision recorded yet).
	Decisions     map[Decision]int
	NotApplicable int // answered not applicable
	Open          int // unanswered, flagged or carried over
	// Decision is the one decision every decided answer shares; "" when none is recorded or
	// they differ (Mixed).
	Decision Decision
	Mixed    bool
	// Texts are the distinct alternative measures and rationales, in item order.
	Texts []string
	// Decided is the latest date a decided answer was recorded (zero when none).
	Decided time.Time
}

// buildAddressable summarizes each addressable specification in catalog order.
func (a *Analysis) buildAddressable() {
	cat := a.Catalog
	if cat == nil {
		return
	}
	for _, c := range a.Specs {
		if c.Spec == nil || c.Spec.Requirement != controls.Addressable {
			continue
		}
		s := AddressableSpec{Standard: c.Standard, Spec: c.Spec, Decisions: map[Decision]int{}}
		for _, i := range c.Items {
			it := &a.Items[i]
			if !TakesDecision(cat, it.Question) {
				continue
			}
			s.Items = append(s.Items, i)
			r := it.Response
			switch {
			case r == nil || it.Carried || it.Status == Flagged:
				s.Open++
				continue
			case it.Status == NotApplicable:
				s.NotApplicable++
				continue
			}
			s.Decisions[r.Decision]++
			if r.Decision == DecisionNone {
				continue
			}
			if r.At.After(s.Decided) {
				s.Decided = r.At
			}
			for _, t := range []string{r.Measure(), r.DecisionRationale()} {
				if t = strings.TrimSpace(t); t != "" && !slices.Contains(s.Texts, t) {
					s.Texts = append(s.Texts, t)
				}
			}
		}
		decided := 0
		for d, n := range s.Decisions {
			if d != DecisionNone && n > 0 {
				decided++
				s.Decision = d
			}
		}
		if decided > 1 || (decided == 1 && s.Decisions[DecisionNone] > 0) {
			s.Decision, s.Mixed = "", true
		}
		a.Addressable = append(a.Addressable, s)
	}
}
