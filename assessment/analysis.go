package assessment

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"safeguard/controls"
)

// Analysis is the one derived view of a snapshot: every figure, owner, status, ordering
// and reference that a screen, the PDF, the CSV, the OSCAL writer or a CLI summary shows
// is computed here, once. Front ends read it and format it; none of them derives a figure
// of its own, so the same number reads the same everywhere.
//
// It is built by Analyze and is read-only afterwards. Pointers point into the snapshot,
// which must outlive it.
type Analysis struct {
	Snap    *Snapshot
	Catalog *controls.Catalog
	Matrix  MatrixKind

	// DataAsOf is the last recorded change of the assessment: what every document prints as
	// "data as of". Generated is when the snapshot was loaded (the clock of the front end
	// that asked); AsOf is the day date rules (expiry of BAAs and attestations) are judged
	// on: the end of the assessment period once it has passed, otherwise Generated.
	DataAsOf  time.Time
	Generated time.Time
	AsOf      time.Time

	// Items are the applicable items in catalog order, each with its owner, answer and
	// vendor issues resolved; Index finds an item's position and ByQuestion the positions
	// of one question's items.
	Items      []ItemView
	Index      map[ItemKey]int
	ByQuestion map[string][]int

	Responses map[ItemKey]*Response
	Overrides map[ItemKey]*Override

	// Evidence is the evidence index in the order documents number it (E1, E2, …);
	// EvidenceRef maps an evidence ID to its reference.
	Evidence    []Evidence
	EvidenceRef map[string]string

	// Risks is the register worst first (see orderRisks), each with its level and reference.
	Risks   []RiskView
	RiskRef map[string]string

	// Part2 is true when 42 CFR Part 2 records are kept (the profile says so, or an
	// in-scope asset holds them).
	Part2 bool

	// Scales are the likelihood and impact scales of the matrix, with a definition per
	// level, for the method section and the rating screens.
	Scales Scales

	// Gaps is the gap-to-risk traceability: every current gap (partial, not implemented or
	// flagged, proposed-rule questions aside) in catalog order with the confirmed risks that
	// list it or the recorded reason no risk follows.
	Gaps []GapTrace

	// ThreatSources lists NIST SP 800-30's threat-source classes, each with the library's
	// threats: which were rated in confirmed risks and which were ruled out, and why.
	ThreatSources []ThreatSourceView

	// Specs lists every specification of the catalog (and each standard without one) with
	// its applicable items, or why none applies; Addressable summarizes each addressable
	// specification's §164.306(d)(3) decisions in one line.
	Specs       []SpecCoverage
	Addressable []AddressableSpec

	// Secured is the secured-ePHI determination (breach safe harbor, 45 CFR §164.402) of
	// every in-scope asset, from its encryption answers, key custody and recorded flows.
	Secured []SecuredView

	// VendorWarnings are the vendor problems worst first: missing or expired BAAs, BAA
	// terms §164.314(a)(2)(i) requires that are missing, lapsed or SOC 2-only assurance,
	// vendors that run on-premises assets without a BAA, vendors not reviewed.
	VendorWarnings []VendorWarning

	// Scope, Method, Vendors and Review are the inputs of the narrative sections: what was
	// covered, how the data was collected, what the vendor record holds, and how the
	// analysis is kept current (with the previous analysis and what changed since).
	Scope   ScopeView
	Method  MethodView
	Vendors VendorsView
	Review  ReviewView

	Summary Summary

	assets     map[string]*Asset
	vendors    map[string]*Vendor
	traceIndex []int32 // by position in Items: position in Gaps, or -1 for no current gap
}

// ItemView is one applicable item with everything derived about it.
type ItemView struct {
	Item
	Owner    controls.Owner
	Override *Override // the responsibility override, if one changed the default owner
	Response *Response // nil when the item has no answer with a known status
	// Status is the answer's status, Inherited for a provider-owned item that rests on the
	// vendor review, or "" when unanswered.
	Status ResponseStatus
	Issues []VendorIssue // why reliance on the provider is in doubt (provider or shared owner)
	// Evidence lists evidence IDs in index order: those linked to this answer, or for an
	// inherited item those linked to the vendor.
	Evidence []string
	// Carried is true when the answer was carried from the previous revision (or an older
	// catalog, or the asset's hosting model changed since) and not re-validated: Status then
	// is the earlier answer's, and the item counts as open (Counts.Unanswered and
	// Counts.Carried) until the assessor confirms or changes it.
	Carried bool
	// Inherited is the vendor review a provider-owned, unanswered item rests on; nil
	// otherwise. An explicit answer always wins over inheritance.
	Inherited *Inheritance
	// InheritedFrom names the vendor an inherited item rests on; "" otherwise.
	InheritedFrom string
	// ReturnedBy credits an answer that came back on a questionnaire packet, for
	// documents: "answered by Dana Reyes, office manager (questionnaire returned Mar 2,
	// 2026)"; "" for answers recorded in safeguard. Response.Returned holds the parts.
	ReturnedBy string
}

// Open reports whether the item still needs the assessor: unanswered, flagged or carried
// over, and not inherited from a vendor review.
func (v ItemView) Open() bool { return v.Status == "" || v.Status == Flagged || v.Carried }

// InPlace reports whether the item is a current "implemented" answer: an existing control.
// An inherited item is the vendor's control, not the practice's.
func (v ItemView) InPlace() bool { return v.Status == Implemented && !v.Carried }

// IsGap reports whether the item is a current gap: answered partial or not implemented and
// not merely carried over.
func (v ItemView) IsGap() bool { return IsGap(v.Status) && !v.Carried }

// Addressable reports whether the item's specification is addressable.
func (v ItemView) Addressable(cat *controls.Catalog) bool { return isAddressable(cat, v.Question) }

// RiskView is a register entry with its level, reference and what the method derives
// about it.
type RiskView struct {
	*Risk
	Ref           string // "R1", "R2", … in register order
	Level         Level  // on the assessment's matrix; LevelNone when not rated, and for every proposal
	ResidualLevel Level
	rank          int

	// Threat is the threat event from the library (zero when the library lacks it);
	// Vulnerability the weakness it exploits (nil when unknown).
	Threat        controls.Threat
	Vulnerability *controls.Vulnerability
	// CIA is the objectives the risk harms: the assessor's choice, or the threat library's
	// default (CIADefault true); "" when neither exists.
	CIA        CIA
	CIADefault bool
	// Linked are the items the risk lists (its QuestionIDs on its asset, or organization-wide
	// items), in catalog order; Triggers the linked items that are current gaps (partial,
	// not implemented or flagged): its triggering gaps.
	Linked   []int
	Triggers []int
	// Controls are its existing controls: the items answered implemented (current, not
	// carried over) whose questions mitigate its vulnerability, on its asset or
	// organization-wide, in catalog order.
	Controls []int
	// Warnings are sentences about ratings the treatment cannot explain (a transfer that
	// lowers impact, an acceptance that lowers anything, a residual above the inherent).
	Warnings []string
}

// Confirmed reports whether the assessor confirmed the risk (any status but proposed and
// dismissed), rated or not.
func (r RiskView) Confirmed() bool { return r.Status != RiskProposed && r.Status != RiskDismissed }

// Analyze derives the Analysis of a snapshot. It is pure and deterministic: the snapshot's
// GeneratedAt stands for "now", so the same snapshot always gives the same analysis.
func Analyze(s *Snapshot) *Analysis {
	a := newAnalysis(s)
	// Stages that read what is built so far and write only their own fields run side by
	// side: the analysis of a large assessment is redone after every save.
	ordered := beside(a.orderRisks) // reads the register and the matrix only
	a.buildItems()
	ordered()
	a.resolveRisks()
	a.buildTraces()
	a.buildThreatSources()
	a.buildScope()
	var controls [][]int
	views := beside(func() { // read the items, risks and catalog; the summary reads none of what they write
		controls = a.riskControls()
		a.buildSpecs()
		a.buildAddressable()
		a.buildSecured()
	})
	a.Summary = summarize(a)
	views()
	for i := range a.Risks {
		a.Risks[i].Controls = controls[i]
	}
	a.buildVendorWarnings()
	a.buildMethod()
	a.buildReview()
	return a
}

// beside runs fn on another goroutine and returns the wait for it. A panic in fn is carried
// to the goroutine that waits and raised there, so a caller's recover (and the terminal
// interface's restoring of the screen) still sees it.
func beside(fn func()) (wait func()) {
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		fn()
	}()
	return func() {
		if p := <-done; p != nil {
			panic(p)
		}
	}
}

// newAnalysis sets up what every derivation reads: dates, answers and overrides by item,
// assets and vendors by ID, and the evidence order.
func newAnalysis(s *Snapshot) *Analysis {
	a := &Analysis{Snap: s, Catalog: s.Catalog, Matrix: s.Profile.Matrix.OrDefault()}
	a.DataAsOf = s.DataAsOf()
	a.Generated = s.Now()
	a.AsOf = s.Profile.AsOf(a.Generated)
	a.Responses = s.ResponseMap()
	a.Overrides = s.OverrideMap()
	a.Part2 = holdsPart2(s.Profile, s.Assets)
	a.assets = make(map[string]*Asset, len(s.Assets))
	for i := range s.Assets {
		a.assets[s.Assets[i].ID] = &s.Assets[i]
	}
	a.vendors = vendorIndex(s)
	a.Scales = ScalesFor(a.Matrix)
	a.orderEvidence()
	return a
}

// DataAsOf is the assessment's last recorded change (its creation when nothing changed
// since); the zero time when the snapshot carries neither.
func (s *Snapshot) DataAsOf() time.Time {
	for _, t := range []time.Time{s.Assessment.UpdatedAt, s.Assessment.CreatedAt} {
		if !t.IsZero() {
			return t.UTC().Truncate(time.Second)
		}
	}
	return time.Time{}
}

// fixedEpoch stands in for "now" in a snapshot that records no time at all, so output
// never depends on the clock.
var fixedEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Now is the moment the snapshot stands for: when it was loaded, else its last change,
// else a fixed date. Every document dates itself with it.
func (s *Snapshot) Now() time.Time {
	if !s.GeneratedAt.IsZero() {
		return s.GeneratedAt.UTC().Truncate(time.Second)
	}
	if t := s.DataAsOf(); !t.IsZero() {
		return t
	}
	return fixedEpoch
}

// buildItems lists the applicable items and resolves each one's owner, answer, vendor
// issues, inheritance and evidence.
func (a *Analysis) buildItems() {
	s := a.Snap
	items := ApplicableGiven(s.Catalog, s.Profile, s.Assets, a.Responses)
	a.Items = make([]ItemView, len(items))
	indexed := beside(func() { // the lookups need only the list, not the views: built beside them
		a.Index = make(map[ItemKey]int, len(items))
		a.ByQuestion = make(map[string][]int)
		for i, it := range items {
			a.Index[it.Key()] = i
			a.ByQuestion[it.Question.ID] = append(a.ByQuestion[it.Question.ID], i)
		}
	})
	evByItem, evByVendor := a.evidenceLinks()
	issues := map[string][]VendorIssue{} // by vendor ID, computed once
	inherit := map[string]*Inheritance{} // by vendor ID, computed once
	for i, it := range items {
		k := it.Key()
		v := ItemView{Item: it}
		v.Owner, v.Override = Owner(it.Question, it.Asset, a.Overrides)
		if r, ok := a.Responses[k]; ok && validStatus(r.Status) {
			v.Response, v.Status, v.Carried = r, r.Status, r.Revalidate
			v.ReturnedBy = r.Returned.Phrase(DocDay)
		}
		if it.Asset != nil && v.Owner != controls.OwnerCustomer {
			v.Issues = assetVendorIssues(it.Asset, a.vendors, issues, a.AsOf)
		}
		v.Evidence = evByItem[k]
		if v.Response == nil && v.Owner == controls.OwnerProvider && len(v.Issues) == 0 {
			if inh := a.inheritance(it.Asset, inherit); inh != nil {
				v.Inherited, v.InheritedFrom, v.Status = inh, inh.Vendor, Inherited
				v.Evidence = evByVendor[inh.VendorID]
			}
		}
		a.Items[i] = v
	}
	indexed()
}

// inheritance is the vendor review an asset's provider-owned items rest on, memoized by
// vendor ID; nil when the asset names no known vendor or the vendor does not qualify.
func (a *Analysis) inheritance(x *Asset, cache map[string]*Inheritance) *Inheritance {
	v, ok := a.vendors[x.VendorID]
	if x.VendorID == "" || !ok {
		return nil
	}
	inh, done := cache[v.ID]
	if !done {
		inh = InheritanceOf(*v, a.AsOf)
		cache[v.ID] = inh
	}
	return inh
}

// Item returns the view of one item.
func (a *Analysis) Item(k ItemKey) (*ItemView, bool) {
	i, ok := a.Index[k]
	if !ok {
		return nil, false
	}
	return &a.Items[i], true
}

// Flags are the vendor issues of every provider-owned or shared item that has any.
func (a *Analysis) Flags() map[ItemKey][]VendorIssue {
	out := map[ItemKey][]VendorIssue{}
	for _, v := range a.Items {
		if len(v.Issues) > 0 {
			out[v.Key()] = v.Issues
		}
	}
	return out
}

// Asset returns the asset with the given ID.
func (a *Analysis) Asset(id string) (*Asset, bool) {
	x, ok := a.assets[id]
	return x, ok
}

// Vendor returns the vendor with the given ID.
func (a *Analysis) Vendor(id string) (*Vendor, bool) {
	x, ok := a.vendors[id]
	return x, ok
}

// AssetName names an asset for documents: OrganizationWide for "", the asset's name, or
// "Unknown asset ID" for an ID the snapshot does not hold.
func (a *Analysis) AssetName(id string) string {
	x, ok := a.assets[id]
	return assetName(id, x, ok)
}

// assetName is the naming rule of AssetName and RiskRegister.AssetName.
func assetName(id string, x *Asset, ok bool) string {
	switch {
	case id == "":
		return OrganizationWide
	case ok:
		return x.Name
	}
	return "Unknown asset " + id
}

// VendorName names a vendor, or "Unknown vendor ID".
func (a *Analysis) VendorName(id string) string {
	if x, ok := a.vendors[id]; ok {
		return x.Name
	}
	return "Unknown vendor " + id
}

// orderEvidence numbers the evidence by when it was added (then name, then ID): E1, E2, ….
func (a *Analysis) orderEvidence() {
	a.Evidence = slices.Clone(a.Snap.Evidence)
	slices.SortStableFunc(a.Evidence, func(x, y Evidence) int {
		return cmp.Or(x.AddedAt.Compare(y.AddedAt), cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
	a.EvidenceRef = make(map[string]string, len(a.Evidence))
	for i, e := range a.Evidence {
		a.EvidenceRef[e.ID] = "E" + strconv.Itoa(i+1)
	}
}

// evidenceLinks maps each answered item, and each vendor, to the evidence linked to it, in
// index order. Links are read through the catalog's aliases, so evidence attached to a
// retired question ID supports the question that replaced it.
func (a *Analysis) evidenceLinks() (byItem map[ItemKey][]string, byVendor map[string][]string) {
	byItem, byVendor = map[ItemKey][]string{}, map[string][]string{}
	for _, e := range a.Evidence {
		for _, l := range e.Links {
			if l.QuestionID == "" {
				if l.VendorID != "" && !slices.Contains(byVendor[l.VendorID], e.ID) {
					byVendor[l.VendorID] = append(byVendor[l.VendorID], e.ID)
				}
				continue
			}
			k := ItemKey{QuestionID: a.currentID(l.QuestionID), AssetID: l.AssetID}
			if !slices.Contains(byItem[k], e.ID) {
				byItem[k] = append(byItem[k], e.ID)
			}
		}
	}
	return byItem, byVendor
}

// currentID maps a retired question ID onto the question that replaced it.
func (a *Analysis) currentID(id string) string {
	if a.Catalog != nil {
		if cur, ok := a.Catalog.Retired(id); ok {
			return cur
		}
	}
	return id
}

// orderRisks sorts the register worst first: by level on the matrix, then likelihood ×
// impact, likelihood, title and ID. Unrated risks follow the rated ones, proposed risks
// (not yet confirmed and rated by the assessor) follow those, and dismissed risks come
// last.
func (a *Analysis) orderRisks() {
	m := a.Matrix
	// Sort small keys rather than the views: a RiskView is large.
	type key struct {
		r            *Risk
		group, rank  int
		level, resid Level
		pos          int // in the snapshot: the last tiebreak, as a stable sort would keep it
	}
	keys := make([]key, len(a.Snap.Risks))
	for i := range a.Snap.Risks {
		r := &a.Snap.Risks[i]
		l := m.Level(r.Likelihood, r.Impact)
		k := key{r: r, rank: m.Rank(l), level: l, resid: m.Level(r.ResidualL, r.ResidualI), pos: i}
		switch r.Status {
		case RiskDismissed:
			k.group = 2
		case RiskProposed:
			// A proposal carries the threat library's hints, which order the proposals but
			// are nobody's rating: it has no level until the assessor confirms and rates it.
			k.group, k.level, k.resid = 1, LevelNone, LevelNone
		}
		keys[i] = k
	}
	// The position makes the order total, so the faster unstable sort gives the stable order.
	slices.SortFunc(keys, func(kx, ky key) int {
		x, y := kx.r, ky.r
		return cmp.Or(
			cmp.Compare(kx.group, ky.group),
			cmp.Compare(ky.rank, kx.rank),
			cmp.Compare(y.Likelihood*y.Impact, x.Likelihood*x.Impact),
			cmp.Compare(y.Likelihood, x.Likelihood),
			cmp.Compare(x.Title, y.Title),
			cmp.Compare(x.ID, y.ID),
			cmp.Compare(kx.pos, ky.pos),
		)
	})
	a.Risks = make([]RiskView, len(keys))
	a.RiskRef = make(map[string]string, len(keys))
	for i, k := range keys {
		ref := "R" + strconv.Itoa(i+1)
		a.Risks[i] = RiskView{Risk: k.r, Ref: ref, Level: k.level, ResidualLevel: k.resid, rank: k.rank}
		a.RiskRef[k.r.ID] = ref
	}
}

// Rated reports whether a risk counts as assessed: confirmed by the assessor (not proposed,
// not dismissed). Only such risks enter headline counts and heat maps.
func (r RiskView) Rated() bool {
	return r.Status != RiskProposed && r.Status != RiskDismissed && r.Level != LevelNone
}
