package assessment

import (
	"cmp"
	"slices"
	"time"

	"safeguard/controls"
)

// ScopeView is what the scope narrative is derived from: the statement, and what the
// inventory holds and lacks.
type ScopeView struct {
	Statement  string
	Assets     int // recorded assets
	InScope    int
	OutOfScope int
	WithEPHI   int // in scope and holding ePHI
	Part2      int // in scope and holding 42 CFR Part 2 records
	Hosted     int // in scope and hosted by a provider (IaaS, PaaS, SaaS)
	Records    int // approximate records held by in-scope ePHI assets
	Flows      int
	// KindsAbsent are the catalog's asset kinds with no in-scope asset: what the narrative
	// must say the inventory does not record (mobile devices, say), rather than claim
	// "every system" was inventoried.
	KindsAbsent []controls.AssetKind
}

func (a *Analysis) buildScope() {
	s := a.Snap
	v := ScopeView{Statement: s.Profile.Scope, Assets: len(s.Assets), Flows: len(s.Flows)}
	present := map[string]bool{}
	for i := range s.Assets {
		as := &s.Assets[i]
		if !as.InScope {
			v.OutOfScope++
			continue
		}
		v.InScope++
		present[as.Kind] = true
		if as.EPHI {
			v.WithEPHI++
			v.Records += max(as.Records, 0)
		}
		if as.Part2 {
			v.Part2++
		}
		if as.Hosting != controls.OnPrem {
			v.Hosted++
		}
	}
	if a.Catalog != nil {
		for _, k := range a.Catalog.AssetKinds {
			if !present[k.ID] {
				v.KindsAbsent = append(v.KindsAbsent, k)
			}
		}
	}
	a.Scope = v
}

// MethodView is what the method narrative is derived from: who assessed, when, and how the
// data was collected.
type MethodView struct {
	Assessors   []string
	PeriodStart string
	PeriodEnd   string
	// Entries are the data-collection records, assumptions and limitations, in
	// MethodKinds order, then by date and ID; Counts counts them by kind.
	Entries []MethodEntry
	Counts  map[string]int
	// Observed is true when a walkthrough or a technical test is recorded: something was
	// checked, not only asked. Without it the answers are self-reported, and the method
	// section must say so.
	Observed bool
	// AnswersFrom and AnswersTo are the earliest and latest dates the answers carry (an
	// imported or demo answer may predate the assessment's record in this workspace);
	// zero when nothing is answered.
	AnswersFrom, AnswersTo time.Time
}

func (a *Analysis) buildMethod() {
	p := a.Snap.Profile
	v := MethodView{Assessors: p.Assessors, PeriodStart: p.PeriodStart, PeriodEnd: p.PeriodEnd, Counts: map[string]int{}}
	v.Entries = slices.Clone(a.Snap.Method)
	slices.SortStableFunc(v.Entries, func(x, y MethodEntry) int {
		return cmp.Or(cmp.Compare(methodKindOrder(x.Kind), methodKindOrder(y.Kind)), cmp.Compare(x.Date, y.Date), cmp.Compare(x.ID, y.ID))
	})
	for _, e := range v.Entries {
		v.Counts[e.Kind]++
	}
	v.Observed = v.Counts[MethodWalkthrough]+v.Counts[MethodTest] > 0
	for _, r := range a.Snap.Responses {
		if r.At.IsZero() {
			continue
		}
		if v.AnswersFrom.IsZero() || r.At.Before(v.AnswersFrom) {
			v.AnswersFrom = r.At
		}
		if r.At.After(v.AnswersTo) {
			v.AnswersTo = r.At
		}
	}
	a.Method = v
}

// OfKind lists the entries of one kind, in order.
func (m MethodView) OfKind(kind string) []MethodEntry {
	var out []MethodEntry
	for _, e := range m.Entries {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// VendorsView is what the vendor narrative is derived from.
type VendorsView struct {
	Count     int
	BAASigned int
	Reviewed  int
	// NoVendors is the recorded statement that no outside party handles ePHI ("" when none
	// is recorded); with no vendors and no statement, the narrative must say the vendor
	// record is incomplete rather than "every vendor has a signed BAA".
	NoVendors string
	// Reviews are the vendor reviews by vendor ID.
	Reviews map[string]VendorReview
	// Critical, High and Moderate count VendorWarnings by severity.
	Critical, High, Moderate int
	// Warned counts the vendors with at least one warning: the "vendors with warnings"
	// every output states.
	Warned int
}

// buildVendorsView runs after buildVendorWarnings.
func (a *Analysis) buildVendorsView() {
	s := a.Snap
	v := VendorsView{Count: len(s.Vendors), NoVendors: s.NoVendors, Reviews: map[string]VendorReview{}}
	for _, x := range s.Vendors {
		if x.BAAValid() {
			v.BAASigned++
		}
	}
	for _, r := range s.VendorReviews {
		if _, ok := a.vendors[r.VendorID]; ok {
			v.Reviews[r.VendorID] = r
		}
	}
	v.Reviewed = len(v.Reviews)
	warned := map[string]bool{}
	for _, w := range a.VendorWarnings {
		warned[w.VendorID] = true
		switch w.Severity {
		case SeverityCritical:
			v.Critical++
		case SeverityHigh:
			v.High++
		default:
			v.Moderate++
		}
	}
	v.Warned = len(warned)
	a.Vendors = v
}

// ReviewView is what the periodic-review section is derived from.
type ReviewView struct {
	Plan     ReviewPlan
	Cadence  string    // the cadence as people read it ("" when not set)
	Next     time.Time // the next review date (zero when not set)
	Overdue  bool      // the next review date has passed (judged on Analysis.AsOf)
	Triggers []string  // the triggers as people read them
	// RevisionOf is the ID of the analysis this one revises ("" for a first analysis);
	// Previous describes it, nil when it is no longer in the workspace.
	RevisionOf string
	Previous   *PreviousView
}

// PreviousView describes the analysis a revision started from and what changed since.
type PreviousView struct {
	ID       string
	Title    string
	DataAsOf time.Time
	SignOff  *SignOff
	Changes  ChangeSummary
}

// ChangeSummary is Compare's result counted by kind, plus the risks that are new in this
// revision or were closed since the previous one.
type ChangeSummary struct {
	Improved, Regressed, Changed, Appeared, Disappeared int
	Items                                               []Change
	NewRisks                                            []RiskChange
	ClosedRisks                                         []RiskChange
}

// RiskChange names a risk in a change summary.
type RiskChange struct {
	RiskID    string // the risk in this revision ("" when it exists only in the previous one)
	Title     string
	AssetName string
}

func (a *Analysis) buildReview() {
	a.buildVendorsView()
	s := a.Snap
	v := ReviewView{Plan: s.Review, Cadence: ChoiceLabel(ReviewCadences, s.Review.Cadence), RevisionOf: s.RevisionOf}
	if s.Review.Cadence == "" {
		v.Cadence = ""
	}
	if t, err := ParseDate(s.Review.Next); err == nil {
		v.Next = t
		v.Overdue = t.Before(day(a.AsOf))
	}
	for _, t := range s.Review.Triggers {
		v.Triggers = append(v.Triggers, TriggerLabel(t))
	}
	if p := s.Previous; p != nil && s.RevisionOf != "" && p.Assessment.ID == s.RevisionOf {
		pv := &PreviousView{ID: p.Assessment.ID, Title: p.Assessment.Title, DataAsOf: p.DataAsOf(), SignOff: p.SignOff}
		pv.Changes = summarizeChanges(p, s)
		v.Previous = pv
	}
	a.Review = v
}

// summarizeChanges compares a revision with the analysis it revises.
func summarizeChanges(older, newer *Snapshot) ChangeSummary {
	var c ChangeSummary
	c.Items = Compare(older, newer)
	for _, ch := range c.Items {
		switch ch.Kind {
		case ChangeImproved:
			c.Improved++
		case ChangeRegressed:
			c.Regressed++
		case ChangeChanged:
			c.Changed++
		case ChangeAppeared:
			c.Appeared++
		case ChangeDisappeared:
			c.Disappeared++
		}
	}
	c.NewRisks, c.ClosedRisks = CompareRisks(older, newer)
	return c
}

// CompareRisks lists the confirmed risks of newer that older did not confirm (new) and the
// risks closed since (closed in newer but not in older, or confirmed in older and gone or
// dismissed in newer). Risks are matched by asset name, vulnerability and threat, since a
// revision copies risks with new IDs.
func CompareRisks(older, newer *Snapshot) (added, closed []RiskChange) {
	type key struct{ asset, vuln, threat string }
	keyOf := func(s *Snapshot, r *Risk) key {
		name := ""
		if a, ok := s.Asset(r.AssetID); ok {
			name = a.Name
		}
		return key{name, r.VulnerabilityID, r.ThreatID}
	}
	confirmed := func(r *Risk) bool { return r.Status != RiskProposed && r.Status != RiskDismissed }
	old := map[key]*Risk{}
	for i := range older.Risks {
		old[keyOf(older, &older.Risks[i])] = &older.Risks[i]
	}
	seen := map[key]bool{}
	for i := range newer.Risks {
		r := &newer.Risks[i]
		k := keyOf(newer, r)
		seen[k] = true
		o := old[k]
		rc := RiskChange{RiskID: r.ID, Title: r.Title, AssetName: k.asset}
		switch {
		case confirmed(r) && (o == nil || !confirmed(o)):
			added = append(added, rc)
		case r.Status == RiskClosed && o != nil && confirmed(o) && o.Status != RiskClosed:
			closed = append(closed, rc)
		case !confirmed(r) && o != nil && confirmed(o) && o.Status != RiskClosed:
			closed = append(closed, rc)
		}
	}
	for i := range older.Risks {
		o := &older.Risks[i]
		k := keyOf(older, o)
		if !seen[k] && confirmed(o) && o.Status != RiskClosed {
			closed = append(closed, RiskChange{Title: o.Title, AssetName: k.asset})
		}
	}
	return added, closed
}
