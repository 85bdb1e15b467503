package assessment

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"safeguard/controls"
)

// Counts are the answers behind a completion figure and the share of safeguards reported in
// place. Every applicable item is in exactly one of Implemented, Partial, NotImplemented,
// NotApplicable, Flagged, Inherited or Unanswered (a response with an unknown status counts
// as unanswered), so they sum to Applicable. Inherited items are answered by a vendor review
// (a signed BAA and a current attestation covering the service) and are never counted as the
// practice's own Implemented. An answer carried from the previous revision and not
// re-validated counts as Unanswered (and also in Carried, a part of Unanswered): it records
// what was true then, not what the assessor confirmed now. Reports print the counts next to
// each percentage so a reader can check it.
type Counts struct {
	Applicable     int `json:"applicable"`
	Implemented    int `json:"implemented"`
	Partial        int `json:"partial"`
	NotImplemented int `json:"not_implemented"`
	NotApplicable  int `json:"not_applicable"`
	Flagged        int `json:"flagged"`
	Unanswered     int `json:"unanswered"`
	// Inherited counts provider-owned items that rest on a vendor's signed BAA and current
	// attestation. They are the provider's controls, never the practice's own Implemented.
	Inherited int `json:"inherited"`
	// Evidenced counts the Implemented items whose answer cites evidence: the share of
	// "in place" claims that rest on more than the assessor's word.
	Evidenced int `json:"evidenced"`
	// Carried counts the Unanswered items whose answer was carried from the previous
	// revision and is not re-validated yet.
	Carried int `json:"carried"`
}

// EvidenceCoverage is the share of implemented items that cite evidence; ok is false when
// nothing is implemented.
func (c Counts) EvidenceCoverage() (share float64, ok bool) {
	if c.Implemented == 0 {
		return 0, false
	}
	return float64(c.Evidenced) / float64(c.Implemented), true
}

// Answered is the number of items with a real, current answer (everything but flagged,
// unanswered and carried over); inherited items are answered by the vendor review.
func (c Counts) Answered() int {
	return c.Implemented + c.Partial + c.NotImplemented + c.NotApplicable + c.Inherited
}

// ToAnswer is the number of items the assessor answers: every applicable item except
// those inherited from a vendor review.
func (c Counts) ToAnswer() int { return c.Applicable - c.Inherited }

// Assessed is the number of items answered implemented, partial or not implemented: the
// denominator of InPlace. Inherited items are not the practice's own and are left out.
func (c Counts) Assessed() int { return c.Implemented + c.Partial + c.NotImplemented }

// add counts one applicable item with status st ("" when unanswered); evidenced says
// whether evidence is linked to its answer, carried whether the answer is carried over
// from the previous revision and not re-validated.
func (c *Counts) add(st ResponseStatus, evidenced, carried bool) {
	c.Applicable++
	if carried {
		c.Unanswered++
		c.Carried++
		return
	}
	switch st {
	case Implemented:
		c.Implemented++
		if evidenced {
			c.Evidenced++
		}
	case Partial:
		c.Partial++
	case NotImplemented:
		c.NotImplemented++
	case NotApplicable:
		c.NotApplicable++
	case Flagged:
		c.Flagged++
	case Inherited:
		c.Inherited++
	default:
		c.Unanswered++
	}
}

// Add counts one item as the Summary does (see add). Front ends that group items their
// own way (the questionnaire tree, by specification and question) count with it, so
// their figures follow the same rules as the Summary's.
func (c *Counts) Add(v ItemView) { c.add(v.Status, len(v.Evidence) > 0, v.Carried) }

// Plus adds the counts of o to c.
func (c *Counts) Plus(o Counts) {
	c.Applicable += o.Applicable
	c.Implemented += o.Implemented
	c.Partial += o.Partial
	c.NotImplemented += o.NotImplemented
	c.NotApplicable += o.NotApplicable
	c.Flagged += o.Flagged
	c.Inherited += o.Inherited
	c.Unanswered += o.Unanswered
	c.Evidenced += o.Evidenced
	c.Carried += o.Carried
}

// Completion is the share of applicable items with a real answer (implemented, partial,
// not implemented or not applicable), from 0 to 1. Flagged items are not complete: the
// assessor has said they do not know yet. With nothing applicable it is 0, so an empty
// assessment never looks finished.
func (c Counts) Completion() float64 {
	if c.Applicable == 0 {
		return 0
	}
	return float64(c.Answered()) / float64(c.Applicable)
}

// The thresholds below which InPlace withholds its percentage ("too few answers").
//
// MinAssessedForShare: with fewer than 10 items answered implemented, partial or not
// implemented, a single answer moves the share by ten points or more, so the figure says
// more about which questions happened to be answered first than about the safeguards; 3
// answers gave "67%" in the review that prompted this rule.
//
// MinCompletionForShare: while fewer than half the applicable items have a real answer,
// the answered ones are not a fair sample of the rest (assessors answer what they know is
// in place first), so "100%" on a standard answered at 36% misleads.
const (
	MinAssessedForShare   = 10
	MinCompletionForShare = 0.5
)

// InPlace is the share of safeguards reported in place (self-assessed): the items answered
// implemented, over those answered implemented, partial or not implemented. Partial items
// are not in place; not-applicable, flagged, unanswered and carried-over items say nothing
// either way and are left out. shown is false, and the figure must be printed as "too few
// answers", when fewer than MinAssessedForShare items are in the denominator or fewer than
// MinCompletionForShare of the applicable items are answered. It is the assessor's own
// report, not a finding of compliance: print it with its counts and EvidenceCoverage.
func (c Counts) InPlace() (share float64, shown bool) {
	den := c.Assessed()
	if den == 0 {
		return 0, false
	}
	share = float64(c.Implemented) / float64(den)
	return share, den >= MinAssessedForShare && c.Completion() >= MinCompletionForShare
}

// TooFewAnswers is what a document prints where InPlace withholds its figure.
const TooFewAnswers = "too few answers"

// InPlaceLabel names the InPlace figure wherever it is printed.
const InPlaceLabel = "Safeguards reported in place (self-assessed)"

// Compliance is the share of assessed controls in place, partial ones counting half.
//
// Deprecated: a self-assessed share is not compliance, and this figure is shown however few
// answers it rests on. Use InPlace, which withholds the figure below its thresholds; this
// remains only until every front end has moved to it.
func (c Counts) Compliance() (share float64, ok bool) {
	den := c.Assessed()
	if den == 0 {
		return 0, false
	}
	return (float64(c.Implemented) + float64(c.Partial)/2) / float64(den), true
}

// GroupCounts are the counts of one safeguard or standard.
type GroupCounts struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Counts
}

// Readiness item kinds: what blocks finalizing an assessment. ReadinessKinds orders and
// names them for grouped lists.
const (
	ReadyScope        = "scope"           // no scope statement
	ReadyPeriod       = "period"          // no assessment period
	ReadyAssessors    = "assessors"       // no named assessor
	ReadyInventory    = "inventory"       // no in-scope asset holding ePHI
	ReadyVendors      = "vendors"         // a vendor not reviewed, or neither vendors nor a "no vendors" statement
	ReadyBAA          = "baa"             // an asset relies on or is run by a vendor without a signed BAA
	ReadyUnanswered   = "unanswered"      // an applicable item has no answer
	ReadyFlagged      = "flagged"         // an item is flagged for follow-up
	ReadyRevalidate   = "revalidate"      // an answer carried from the last revision is not re-checked
	ReadyDecision     = "decision"        // an addressable answer's §164.306(d)(3) decision is missing or contradicts it
	ReadyGapTrace     = "gap-trace"       // a gap leads to no confirmed risk and no reason says why
	ReadyRiskProposed = "risk-proposed"   // a proposed risk is neither confirmed nor dismissed
	ReadyRiskRating   = "risk-rating"     // a confirmed risk is not rated, or names no C/I/A objective
	ReadyRiskTreat    = "risk-treatment"  // an open high or very high risk has no treatment or no owner
	ReadyRiskAccept   = "risk-acceptance" // an accepted risk does not say who accepted it, with what authority, when
	ReadyThreats      = "threat-sources"  // a threat source is neither rated nor ruled out
	ReadyReview       = "review"          // no periodic-review plan (cadence and next date)
)

// ReadinessKinds lists the kinds in the order grouped lists show them, with the heading of
// each group: the substance of the analysis first, then the answers, then the risks.
var ReadinessKinds = []Choice{
	{ReadyScope, "Scope statement"},
	{ReadyPeriod, "Assessment period"},
	{ReadyAssessors, "Named assessors"},
	{ReadyInventory, "In-scope assets holding ePHI"},
	{ReadyVendors, "Vendors reviewed"},
	{ReadyBAA, "Business associate agreements"},
	{ReadyUnanswered, "Questions not answered"},
	{ReadyFlagged, "Answers flagged for follow-up"},
	{ReadyRevalidate, "Answers carried over, not re-validated"},
	{ReadyDecision, "Addressable decisions (§164.306(d)(3))"},
	{ReadyGapTrace, "Gaps not traced to a risk"},
	{ReadyRiskProposed, "Proposed risks not confirmed or dismissed"},
	{ReadyRiskRating, "Confirmed risks not rated"},
	{ReadyRiskTreat, "High risks without treatment or owner"},
	{ReadyRiskAccept, "Accepted risks without a recorded acceptance"},
	{ReadyThreats, "Threat sources not considered"},
	{ReadyReview, "Periodic review plan"},
}

// Fields a readiness item can point to when it is about the assessment rather than one
// question, asset, vendor or risk: where a screen or a command fixes it.
const (
	FieldScope     = "scope"      // profile: scope statement
	FieldPeriod    = "period"     // profile: period start and end
	FieldAssessors = "assessors"  // profile: assessors
	FieldAssets    = "assets"     // the asset inventory
	FieldVendors   = "vendors"    // the vendor list, or the "no vendors" statement
	FieldThreats   = "threats"    // threat sources considered and ruled out
	FieldReview    = "review"     // the periodic-review plan
	FieldNoRisk    = "no-risk"    // the reason a gap leads to no risk
	FieldDecision  = "decision"   // the §164.306(d)(3) decision of an answer
	FieldRisk      = "risk"       // a risk's rating, treatment or acceptance
	FieldAnswer    = "answer"     // an item's answer
	FieldVendorBAA = "vendor-baa" // a vendor's BAA
)

// ReadinessItem is one thing that blocks finalizing, with the IDs a screen needs to jump to
// it. Text is one sentence naming the question, asset, vendor or risk and what to do;
// QuestionText is the question's own text when the item is about an answer; Field names
// what to edit (the Field* constants).
type ReadinessItem struct {
	Kind         string `json:"kind"`
	Text         string `json:"text"`
	QuestionID   string `json:"question_id,omitempty"`
	QuestionText string `json:"question_text,omitempty"`
	AssetID      string `json:"asset_id,omitempty"`
	RiskID       string `json:"risk_id,omitempty"`
	VendorID     string `json:"vendor_id,omitempty"`
	Source       string `json:"source,omitempty"` // threat source, for threat-sources items
	Field        string `json:"field,omitempty"`
}

// ReadinessGroup is the readiness items of one kind, in the order ReadinessKinds gives.
type ReadinessGroup struct {
	Kind  string          `json:"kind"`
	Title string          `json:"title"`
	Items []ReadinessItem `json:"items"`
}

// ReadinessGroups groups the readiness list by kind, in ReadinessKinds order, leaving out
// kinds with nothing to fix. Each group keeps the items' order (catalog order for answers,
// register order for risks).
func (s Summary) ReadinessGroups() []ReadinessGroup {
	by := map[string][]ReadinessItem{}
	for _, it := range s.Readiness {
		by[it.Kind] = append(by[it.Kind], it)
	}
	var out []ReadinessGroup
	for _, k := range ReadinessKinds {
		if items := by[k.Value]; len(items) > 0 {
			out = append(out, ReadinessGroup{Kind: k.Value, Title: k.Label, Items: items})
			delete(by, k.Value)
		}
	}
	for _, it := range s.Readiness { // kinds not in ReadinessKinds, should one be added without a heading
		if items, ok := by[it.Kind]; ok {
			out = append(out, ReadinessGroup{Kind: it.Kind, Title: it.Kind, Items: items})
			delete(by, it.Kind)
		}
	}
	return out
}

// Summary is what the dashboard and the report's executive summary show.
type Summary struct {
	// Overall counts every applicable item except proposed-rule questions.
	Overall Counts `json:"overall"`
	// Proposed counts the proposed-rule questions on their own: they are not law, so they
	// never enter Overall, BySafeguard or ByStandard.
	Proposed Counts `json:"proposed"`
	// BySafeguard, ByStandard and BySpecification list every safeguard, standard and
	// implementation specification in catalog order, even those with nothing applicable, so
	// reports show the whole rule (Analysis.Specs says why one has nothing). An item
	// whose question cites several specifications or standards counts once under each.
	BySafeguard     []GroupCounts `json:"by_safeguard"`
	ByStandard      []GroupCounts `json:"by_standard"`
	BySpecification []GroupCounts `json:"by_specification"`
	// RiskLevels counts the confirmed, rated risks (not proposed, not dismissed) by level on
	// the assessment's matrix, and ResidualLevels those with a residual rating by residual
	// level. Unrated counts confirmed risks not yet rated; ProposedRisks the proposals the
	// assessor has not confirmed or dismissed; DismissedRisks the dismissed ones.
	RiskLevels     map[Level]int `json:"risk_levels"`
	ResidualLevels map[Level]int `json:"residual_levels,omitempty"`
	Unrated        int           `json:"unrated"`
	ProposedRisks  int           `json:"proposed_risks"`
	DismissedRisks int           `json:"dismissed_risks"`
	// Heat counts the confirmed, rated risks in each likelihood × impact cell (inherent);
	// ResidualHeat counts those with a residual rating by residual likelihood × impact.
	Heat         HeatMap `json:"heat"`
	ResidualHeat HeatMap `json:"residual_heat"`
	// Readiness lists what blocks finalizing; empty means the assessment may be finalized.
	// ReadinessGroups groups it by kind.
	Readiness []ReadinessItem `json:"readiness"`
	// Warnings are consistency problems that do not block finalizing but that a reader
	// should see (a treatment rated as lowering what it cannot lower), in the same shape.
	Warnings []ReadinessItem `json:"warnings,omitempty"`
	// VendorIssues holds, by vendor ID, the issues of every vendor that has any.
	VendorIssues map[string][]VendorIssue `json:"vendor_issues"`

	// OpenRisks counts the confirmed risks still being managed (open or in progress) and
	// ClosedRisks the closed ones; HighRisks counts the open ones at a level that needs a
	// treatment before sign-off (IsHigh) and UntreatedHigh those of them with none chosen.
	OpenRisks     int `json:"open_risks"`
	ClosedRisks   int `json:"closed_risks"`
	HighRisks     int `json:"high_risks"`
	UntreatedHigh int `json:"untreated_high"`
	// AssetsInScope counts the in-scope assets. OrganizationItems counts the applicable
	// items of Overall that concern the organization as a whole; the rest of
	// Overall.Applicable concern one asset each.
	AssetsInScope     int `json:"assets_in_scope"`
	OrganizationItems int `json:"organization_items"`
	// InScopeByKind and InScopeByHosting count the in-scope assets by catalog asset kind
	// and by hosting model.
	InScopeByKind    map[string]int           `json:"in_scope_by_kind"`
	InScopeByHosting map[controls.Hosting]int `json:"in_scope_by_hosting"`
	// Decisions counts the §164.306(d)(3) decisions of the applicable addressable items,
	// proposed-rule questions included (the decision log lists them all).
	Decisions DecisionCounts `json:"decisions"`
}

// DecisionCounts are the addressable items by decision: answered with each decision,
// answered (not as not applicable or flagged) with no decision, and not yet answered.
type DecisionCounts struct {
	AsSpecified   int `json:"as_specified"`
	Alternative   int `json:"alternative"`
	NotReasonable int `json:"not_reasonable"`
	Missing       int `json:"missing"`
	Unanswered    int `json:"unanswered"`
}

// HeatMap counts risks per cell, indexed [likelihood][impact] from 1 to the matrix scale
// (index 0 unused). A nil map counts nothing.
type HeatMap [][]int

func (h *HeatMap) add(l, i, scale int) {
	if l < 1 || i < 1 || l > scale || i > scale {
		return
	}
	if *h == nil {
		*h = make(HeatMap, scale+1)
		for k := range *h {
			(*h)[k] = make([]int, scale+1)
		}
	}
	(*h)[l][i]++
}

// At is the count in one cell; 0 outside the map.
func (h HeatMap) At(l, i int) int {
	if l < 0 || l >= len(h) || i < 0 || i >= len(h[l]) {
		return 0
	}
	return h[l][i]
}

// Total is the number of risks in the map.
func (h HeatMap) Total() int {
	n := 0
	for _, row := range h {
		for _, c := range row {
			n += c
		}
	}
	return n
}

// Rated is the number of confirmed, rated risks (the heat map's total).
func (s Summary) Rated() int {
	n := 0
	for _, c := range s.RiskLevels {
		n += c
	}
	return n
}

// High is the number of confirmed, rated risks at high or very high.
func (s Summary) High() int {
	n := 0
	for l, c := range s.RiskLevels {
		if IsHigh(l) {
			n += c
		}
	}
	return n
}

// Ready reports whether nothing blocks finalizing.
func (s Summary) Ready() bool { return len(s.Readiness) == 0 }

// summarize computes scores, risk counts, vendor issues and the readiness list from the
// analysis's items, risks and traces. Dates (vendor BAAs and attestations) are judged as of
// a.AsOf.
//
// The readiness list is built in the order of ReadinessKinds' groups within each source:
// the substance of the analysis (scope, period, assessors, inventory, vendors), then every
// item's answer, then the risks and the method. Proposed-rule questions are counted in
// Proposed only and never block finalizing. A proposed risk blocks as "not confirmed or
// dismissed" only, even when its hinted rating is high: confirming it is the first step.
func summarize(a *Analysis) Summary {
	s := a.Snap
	sum := Summary{RiskLevels: map[Level]int{}, VendorIssues: map[string][]VendorIssue{}}
	sum.InScopeByKind, sum.InScopeByHosting = map[string]int{}, map[controls.Hosting]int{}
	for i := range s.Assets {
		if a := &s.Assets[i]; a.InScope {
			sum.AssetsInScope++
			sum.InScopeByKind[a.Kind]++
			sum.InScopeByHosting[a.Hosting]++
		}
	}
	for i := range s.Vendors {
		if iss := VendorIssues(s.Vendors[i], a.AsOf); len(iss) > 0 {
			sum.VendorIssues[s.Vendors[i].ID] = iss
		}
	}
	// The risk figures and the item figures fill different fields of sum: they are worked
	// out side by side.
	var riskGroups [][]ReadinessItem
	risksDone := make(chan struct{})
	go func() { riskGroups = sum.summarizeRisks(a); close(risksDone) }()
	groups := [][]ReadinessItem{substanceReadiness(a)}
	if a.Catalog != nil {
		groups = append(groups, sum.summarizeItems(a)...)
	}
	<-risksDone
	groups = append(groups, riskGroups...)
	groups = append(groups, methodReadiness(a))
	// One allocation for the whole list: it runs to thousands of entries on a large
	// assessment, and growing it group by group copied it several times over.
	n := 0
	for _, g := range groups {
		n += len(g)
	}
	if n > 0 {
		sum.Readiness = make([]ReadinessItem, 0, n)
		for _, g := range groups {
			sum.Readiness = append(sum.Readiness, g...)
		}
	}
	return sum
}

// summarizeItems fills the counts and returns the item-based readiness entries in their
// groups: assets that rely on or are run by a vendor without a signed BAA, answers missing,
// flagged or carried over, addressable decisions, gaps without a risk.
func (sum *Summary) summarizeItems(a *Analysis) [][]ReadinessItem {
	cat := a.Catalog
	sgPos := make(map[string]int, len(cat.Safeguards))
	sum.BySafeguard = make([]GroupCounts, len(cat.Safeguards))
	for i, sg := range cat.Safeguards {
		sgPos[sg.ID] = i
		sum.BySafeguard[i] = GroupCounts{ID: sg.ID, Title: sg.Title}
	}
	stdPos := make(map[string]int, len(cat.Standards))
	specPos := map[string]int{}
	sum.ByStandard = make([]GroupCounts, len(cat.Standards))
	for i, st := range cat.Standards {
		stdPos[st.ID] = i
		sum.ByStandard[i] = GroupCounts{ID: st.ID, Title: st.Title}
		for _, sp := range st.Specifications {
			specPos[sp.ID] = len(sum.BySpecification)
			sum.BySpecification = append(sum.BySpecification, GroupCounts{ID: sp.ID, Title: sp.Title})
		}
	}
	noBAA := map[string]bool{} // asset IDs already reported
	var baaItems []ReadinessItem
	for _, ri := range administeredWithoutBAA(a) {
		noBAA[ri.AssetID] = true
		baaItems = append(baaItems, ri)
	}
	dc := newDecisionContext(a)
	cited := make(map[*controls.Question]citedGroups, len(cat.Questions))
	// Room for each group up front (decisions aside, which only dc.problem decides): the
	// groups run to thousands of entries on a large assessment.
	var nOpen, nFlagged, nCarried, nTraces int
	for i := range a.Items {
		switch it := &a.Items[i]; {
		case it.Question.Proposed || it.Status == Inherited:
		case it.Response == nil:
			nOpen++
		case it.Carried:
			nCarried++
		case it.Status == Flagged:
			nFlagged++
		}
	}
	for _, g := range a.Gaps {
		if IsGap(a.Items[g.Item].Status) && !g.Traced() {
			nTraces++
		}
	}
	open, flagged, carried := make([]ReadinessItem, 0, nOpen), make([]ReadinessItem, 0, nFlagged), make([]ReadinessItem, 0, nCarried)
	traces := make([]ReadinessItem, 0, nTraces)
	var decisions []ReadinessItem
	for i := range a.Items {
		it := &a.Items[i]
		q := it.Question
		st := it.Status
		evidenced := len(it.Evidence) > 0 && st == Implemented
		if isAddressable(cat, q) {
			sum.Decisions.add(it.Response)
		}
		if q.Proposed {
			sum.Proposed.add(st, evidenced, it.Carried)
			continue
		}
		sum.Overall.add(st, evidenced, it.Carried)
		if it.Asset == nil {
			sum.OrganizationItems++
		}
		g, ok := cited[q]
		if !ok {
			g = citedGroupsOf(cat, q, stdPos, specPos, sgPos)
			cited[q] = g
		}
		sum.addCitations(g, st, evidenced, it.Carried)
		where := q.ID
		if it.Asset != nil {
			where += " (" + it.Asset.Name + ")"
		}
		item := func(kind, field, text string) ReadinessItem {
			ri := ReadinessItem{Kind: kind, Text: text, QuestionID: q.ID, QuestionText: q.Text, Field: field}
			if it.Asset != nil {
				ri.AssetID = it.Asset.ID
			}
			return ri
		}
		switch {
		case st == Inherited:
		case it.Response == nil:
			open = append(open, item(ReadyUnanswered, FieldAnswer, where+" is not answered."))
		case it.Carried:
			carried = append(carried, item(ReadyRevalidate, FieldAnswer, where+" was carried from the last revision or an older catalog, or its asset's hosting changed; re-validate it."))
		case st == Flagged:
			flagged = append(flagged, item(ReadyFlagged, FieldAnswer, where+" is flagged for follow-up; answer it."))
		default:
			if msg := dc.problem(it, where); msg != "" {
				decisions = append(decisions, item(ReadyDecision, FieldDecision, msg))
			}
			if IsGap(st) && !a.tracedAt(i) {
				traces = append(traces, item(ReadyGapTrace, FieldNoRisk, where+" is "+strings.ToLower(st.Short())+
					" but no confirmed risk lists it and no reason says why no risk follows; confirm a risk for it or record why none follows."))
			}
		}
		if it.Asset != nil && !noBAA[it.Asset.ID] && it.Owner != controls.OwnerCustomer {
			if ri, blocked := baaBlock(it.Asset, a.vendors); blocked {
				noBAA[it.Asset.ID] = true
				baaItems = append(baaItems, ri)
			}
		}
	}
	return [][]ReadinessItem{baaItems, open, flagged, carried, decisions, traces}
}

// citedGroups are the positions in BySpecification, ByStandard and BySafeguard that one
// question counts under: every specification it cites (once per citation), and every
// standard and safeguard it cites, once each.
type citedGroups struct{ specs, stds, sgs []int }

// citedGroupsOf works out a question's citedGroups.
func citedGroupsOf(cat *controls.Catalog, q *controls.Question, stdPos, specPos, sgPos map[string]int) citedGroups {
	var g citedGroups
	for _, id := range q.Citations() {
		if i, ok := specPos[id]; ok {
			g.specs = append(g.specs, i)
		}
		std, ok := cat.StandardOf(id)
		if !ok {
			continue
		}
		si, ok := stdPos[std]
		if !ok || slices.Contains(g.stds, si) {
			continue
		}
		g.stds = append(g.stds, si)
		if gi, ok := sgPos[cat.Standards[si].Section]; ok && !slices.Contains(g.sgs, gi) {
			g.sgs = append(g.sgs, gi)
		}
	}
	return g
}

// addCitations counts one item under every standard, safeguard and specification its
// question cites, once each.
func (sum *Summary) addCitations(g citedGroups, st ResponseStatus, evidenced, carried bool) {
	for _, i := range g.specs {
		sum.BySpecification[i].add(st, evidenced, carried)
	}
	for _, i := range g.stds {
		sum.ByStandard[i].add(st, evidenced, carried)
	}
	for _, i := range g.sgs {
		sum.BySafeguard[i].add(st, evidenced, carried)
	}
}

// baaBlock reports whether an asset whose controls rely on its provider lacks a vendor with
// a signed BAA, and the readiness item that says so.
func baaBlock(a *Asset, vendors map[string]*Vendor) (ReadinessItem, bool) {
	v, ok := vendors[a.VendorID]
	if a.VendorID == "" || !ok {
		return ReadinessItem{Kind: ReadyBAA, AssetID: a.ID, Field: FieldVendors,
			Text: a.Name + " relies on a provider but names no vendor; record the vendor and its BAA."}, true
	}
	if v.BAAValid() {
		return ReadinessItem{}, false
	}
	return ReadinessItem{Kind: ReadyBAA, AssetID: a.ID, VendorID: v.ID, Field: FieldVendorBAA,
		Text: fmt.Sprintf("%s relies on %s, which has no signed BAA; get one signed.", a.Name, v.Name)}, true
}

// administeredWithoutBAA lists the in-scope on-premises assets that a vendor runs (the
// asset names it as provider: a managed IT provider with remote access, say) while that
// vendor has no signed BAA. The vendor can reach ePHI whoever owns each control, so
// §164.308(b)(1) requires the contract whatever the owner column says.
func administeredWithoutBAA(a *Analysis) []ReadinessItem {
	var out []ReadinessItem
	for i := range a.Snap.Assets {
		as := &a.Snap.Assets[i]
		if !as.InScope || as.Hosting != controls.OnPrem || as.VendorID == "" {
			continue
		}
		if v, ok := a.vendors[as.VendorID]; ok && !v.BAAValid() {
			out = append(out, ReadinessItem{Kind: ReadyBAA, AssetID: as.ID, VendorID: v.ID, Field: FieldVendorBAA,
				Text: fmt.Sprintf("%s is administered by %s, which has no signed BAA; get one signed before it has access again.", as.Name, v.Name)})
		}
	}
	return out
}

// summarizeRisks fills the risk counts and the risk warnings, and returns the risk-based
// readiness entries in their groups. Only risks the assessor confirmed count as rated:
// proposals carry the threat library's hints, not a rating, so they are counted apart and
// never drawn in a heat map.
func (sum *Summary) summarizeRisks(a *Analysis) [][]ReadinessItem {
	m := a.Matrix
	var proposed, rating, treat, accept []ReadinessItem
	for i := range a.Risks {
		r := &a.Risks[i]
		switch {
		case r.Status == RiskDismissed:
			sum.DismissedRisks++
			continue
		case r.Status == RiskProposed:
			sum.ProposedRisks++
		case r.Level == LevelNone:
			sum.Unrated++
		default:
			sum.RiskLevels[r.Level]++
			sum.Heat.add(r.Likelihood, r.Impact, m.Scale())
			if r.ResidualLevel != LevelNone {
				if sum.ResidualLevels == nil {
					sum.ResidualLevels = map[Level]int{}
				}
				sum.ResidualLevels[r.ResidualLevel]++
				sum.ResidualHeat.add(r.ResidualL, r.ResidualI, m.Scale())
			}
		}
		if r.Status == RiskClosed {
			sum.ClosedRisks++
		} else if r.Status != RiskProposed {
			sum.OpenRisks++
			if IsHigh(r.Level) {
				sum.HighRisks++
				if r.Treatment == TreatNone {
					sum.UntreatedHigh++
				}
			}
		}
		item := func(kind, text string) ReadinessItem {
			return ReadinessItem{Kind: kind, RiskID: r.ID, AssetID: r.AssetID, Field: FieldRisk, Text: text}
		}
		name := r.Ref + " " + riskName(r.Risk)
		if r.Status == RiskProposed {
			proposed = append(proposed, item(ReadyRiskProposed, "Proposed risk "+name+" is not confirmed or dismissed."))
			continue
		}
		for _, w := range r.Warnings {
			sum.Warnings = append(sum.Warnings, item("risk-warning", name+": "+w))
		}
		if r.Level == LevelNone {
			rating = append(rating, item(ReadyRiskRating, "Risk "+name+" is confirmed but not rated; give its likelihood and impact."))
		} else if r.CIA == "" {
			rating = append(rating, item(ReadyRiskRating, "Risk "+name+" does not say whether it harms confidentiality, integrity or availability; name them."))
		}
		if r.Status != RiskClosed && IsHigh(r.Level) {
			switch {
			case r.Treatment == TreatNone:
				treat = append(treat, item(ReadyRiskTreat, m.Label(r.Level)+" risk "+name+" has no treatment; choose one."))
			case isBlank(r.Owner):
				treat = append(treat, item(ReadyRiskTreat, m.Label(r.Level)+" risk "+name+" has no owner; name who carries out the treatment."))
			}
		}
		if r.Treatment == TreatAccept {
			if msg := acceptanceProblem(r.Risk, a.Generated); msg != "" {
				accept = append(accept, item(ReadyRiskAccept, "Accepted risk "+name+" "+msg))
			}
		}
	}
	return [][]ReadinessItem{proposed, rating, treat, accept}
}

// acceptanceProblem says what an accepted risk's acceptance record lacks, or "".
func acceptanceProblem(r *Risk, now time.Time) string {
	var missing []string
	if isBlank(r.AcceptedBy) {
		missing = append(missing, "who accepted it")
	}
	if isBlank(r.AcceptedAuthority) {
		missing = append(missing, "their authority to accept it")
	}
	if isBlank(r.AcceptedOn) {
		missing = append(missing, "when")
	}
	if len(missing) > 0 {
		return "does not record " + joinAnd(missing) + "; record the acceptance."
	}
	if d, err := ParseDate(r.AcceptedOn); err == nil && d.After(day(now)) {
		return "is dated " + r.AcceptedOn + ", after today; record the day it was accepted."
	}
	return ""
}

// joinAnd joins phrases as "a, b and c".
func joinAnd(p []string) string {
	switch len(p) {
	case 0:
		return ""
	case 1:
		return p[0]
	}
	return strings.Join(p[:len(p)-1], ", ") + " and " + p[len(p)-1]
}

// add counts one addressable item's decision; r is nil when it is unanswered.
func (d *DecisionCounts) add(r *Response) {
	switch {
	case r == nil:
		d.Unanswered++
	case r.Decision == DecisionAsSpecified:
		d.AsSpecified++
	case r.Decision == DecisionAlternative:
		d.Alternative++
	case r.Decision == DecisionNotReasonable:
		d.NotReasonable++
	case r.Status != NotApplicable && r.Status != Flagged:
		d.Missing++
	}
}

// riskName is a short reference to a risk for readiness texts.
func riskName(r *Risk) string {
	if r.Title != "" {
		return "“" + r.Title + "”"
	}
	return r.ID
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }
