package assessment

import (
	"fmt"
	"slices"
	"strings"

	"safeguard/controls"
)

// Counts are the answers behind a completion or compliance figure. Every applicable item is
// in exactly one of Implemented, Partial, NotImplemented, NotApplicable, Flagged, Inherited
// or Unanswered (a response with an unknown status counts as unanswered), so they sum to
// Applicable. Reports print the counts next to each percentage so a reader can check it.
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
}

// EvidenceCoverage is the share of implemented items that cite evidence; ok is false when
// nothing is implemented.
func (c Counts) EvidenceCoverage() (share float64, ok bool) {
	if c.Implemented == 0 {
		return 0, false
	}
	return float64(c.Evidenced) / float64(c.Implemented), true
}

// Answered is the number of items with a real answer (everything but flagged and
// unanswered); inherited items are answered by the vendor review.
func (c Counts) Answered() int {
	return c.Implemented + c.Partial + c.NotImplemented + c.NotApplicable + c.Inherited
}

// ToAnswer is the number of items the assessor answers: every applicable item except
// those inherited from a vendor review.
func (c Counts) ToAnswer() int { return c.Applicable - c.Inherited }

// add counts one applicable item with status st ("" when unanswered); evidenced says
// whether evidence is linked to its answer.
func (c *Counts) add(st ResponseStatus, evidenced bool) {
	c.Applicable++
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

// Compliance is the share of assessed controls in place, partial ones counting half, over
// the items answered implemented, partial or not implemented. Not-applicable, flagged,
// inherited and unanswered items say nothing about the practice's own compliance and are
// left out. ok is false when no item
// is in the denominator, so callers print "—" rather than a misleading 0 %.
func (c Counts) Compliance() (share float64, ok bool) {
	den := c.Implemented + c.Partial + c.NotImplemented
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

// Readiness item kinds: what blocks finalising an assessment.
const (
	ReadyUnanswered   = "unanswered"     // an applicable item has no answer
	ReadyFlagged      = "flagged"        // an item is flagged for follow-up
	ReadyDecision     = "decision"       // an addressable item lacks its §164.306(d)(3) decision or its text
	ReadyRevalidate   = "revalidate"     // an answer carried from the last revision is not re-checked
	ReadyBAA          = "baa"            // provider-owned controls rely on a vendor without a signed BAA
	ReadyRiskTreat    = "risk-treatment" // a high or very high risk has no treatment
	ReadyRiskProposed = "risk-proposed"  // a proposed risk is neither confirmed nor dismissed
)

// ReadinessItem is one thing that blocks finalising, with the IDs a screen needs to jump to
// it. Text is short and names the question, asset, vendor or risk.
type ReadinessItem struct {
	Kind       string `json:"kind"`
	Text       string `json:"text"`
	QuestionID string `json:"question_id,omitempty"`
	AssetID    string `json:"asset_id,omitempty"`
	RiskID     string `json:"risk_id,omitempty"`
	VendorID   string `json:"vendor_id,omitempty"`
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
	// reports show the whole rule (Analysis.NotAsked says why one has nothing). An item
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
	// Readiness lists what blocks finalising; empty means the assessment may be finalised.
	Readiness []ReadinessItem `json:"readiness"`
	// VendorIssues holds, by vendor ID, the issues of every vendor that has any.
	VendorIssues map[string][]VendorIssue `json:"vendor_issues"`
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

// Ready reports whether nothing blocks finalising.
func (s Summary) Ready() bool { return len(s.Readiness) == 0 }

// summarize computes scores, risk counts, vendor issues and the readiness list in one pass
// over the analysis's items. Dates (vendor BAAs and attestations) are judged as of a.AsOf.
//
// Proposed-rule questions are counted in Proposed only and never block finalising. Provider
// reliance without a signed BAA (an asset with provider-owned or shared controls whose
// vendor has no signed BAA, or that names no vendor) is reported once per asset rather than
// once per control, because one signature fixes all of them; shared controls count because
// the vendor still handles the ePHI. A proposed risk blocks as "not confirmed or
// dismissed" only, even when its hinted rating is high: confirming it is the first step.
func summarize(a *Analysis) Summary {
	s := a.Snap
	sum := Summary{RiskLevels: map[Level]int{}, VendorIssues: map[string][]VendorIssue{}}
	for i := range s.Vendors {
		if iss := VendorIssues(s.Vendors[i], a.AsOf); len(iss) > 0 {
			sum.VendorIssues[s.Vendors[i].ID] = iss
		}
	}
	if a.Catalog != nil {
		sum.summarizeItems(a)
	}
	sum.summarizeRisks(a)
	return sum
}

// summarizeItems fills the counts and the item-based readiness entries.
func (sum *Summary) summarizeItems(a *Analysis) {
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
	addressable := map[string]bool{} // question ID -> addressable, memoized
	noBAA := map[string]bool{}       // asset IDs already reported
	var baaItems []ReadinessItem
	for _, it := range a.Items {
		q := it.Question
		r, st := it.Response, it.Status
		evidenced := len(it.Evidence) > 0 && st == Implemented
		if q.Proposed {
			sum.Proposed.add(st, evidenced)
			continue
		}
		sum.Overall.add(st, evidenced)
		sum.addCitations(cat, q, st, evidenced, stdPos, specPos, sgPos)
		where := q.ID
		if it.Asset != nil {
			where += " (" + it.Asset.Name + ")"
		}
		base := ReadinessItem{QuestionID: q.ID}
		if it.Asset != nil {
			base.AssetID = it.Asset.ID
		}
		add := func(kind, text string) {
			ri := base
			ri.Kind, ri.Text = kind, text
			sum.Readiness = append(sum.Readiness, ri)
		}
		switch {
		case st == Inherited:
		case r == nil:
			add(ReadyUnanswered, where+" is not answered.")
		case st == Flagged:
			add(ReadyFlagged, where+" is flagged for follow-up; answer it.")
		}
		if r != nil && st != Flagged {
			isAddr, ok := addressable[q.ID]
			if !ok {
				isAddr = isAddressable(cat, q)
				addressable[q.ID] = isAddr
			}
			if isAddr {
				switch {
				case r.Decision == DecisionNone && st != NotApplicable:
					add(ReadyDecision, where+" is addressable; record the §164.306(d)(3) decision.")
				case decisionNeedsText(r.Decision) && isBlank(r.DecisionText):
					add(ReadyDecision, where+" has a "+decisionLabel(r.Decision)+" decision without its text; describe the measure or rationale.")
				case r.Decision == DecisionAlternative && isBlank(r.Reason):
					add(ReadyDecision, where+" has an alternative-measure decision without the reason the specification as written is not reasonable and appropriate (§164.306(d)(3)(ii)(B)); record it.")
				}
			}
		}
		if r != nil && r.Revalidate {
			add(ReadyRevalidate, where+" was carried from the last revision or an older catalog; re-validate it.")
		}
		if it.Asset != nil && !noBAA[it.Asset.ID] && it.Owner != controls.OwnerCustomer {
			if ri, blocked := baaBlock(it.Asset, a.vendors); blocked {
				noBAA[it.Asset.ID] = true
				baaItems = append(baaItems, ri)
			}
		}
	}
	sum.Readiness = append(sum.Readiness, baaItems...)
}

// addCitations counts one item under every standard, safeguard and specification its
// question cites, once each.
func (sum *Summary) addCitations(cat *controls.Catalog, q *controls.Question, st ResponseStatus, evidenced bool, stdPos, specPos, sgPos map[string]int) {
	var stds, sgs []int
	for _, id := range q.Citations() {
		if i, ok := specPos[id]; ok {
			sum.BySpecification[i].add(st, evidenced)
		}
		std, ok := cat.StandardOf(id)
		if !ok {
			continue
		}
		si, ok := stdPos[std]
		if !ok || slices.Contains(stds, si) {
			continue
		}
		stds = append(stds, si)
		sum.ByStandard[si].add(st, evidenced)
		if gi, ok := sgPos[cat.Standards[si].Section]; ok && !slices.Contains(sgs, gi) {
			sgs = append(sgs, gi)
			sum.BySafeguard[gi].add(st, evidenced)
		}
	}
}

// baaBlock reports whether an asset whose controls rely on its provider lacks a vendor with
// a signed BAA, and the readiness item that says so.
func baaBlock(a *Asset, vendors map[string]*Vendor) (ReadinessItem, bool) {
	v, ok := vendors[a.VendorID]
	if a.VendorID == "" || !ok {
		return ReadinessItem{Kind: ReadyBAA, AssetID: a.ID,
			Text: a.Name + " relies on a provider but names no vendor; record the vendor and its BAA."}, true
	}
	if v.BAAValid() {
		return ReadinessItem{}, false
	}
	return ReadinessItem{Kind: ReadyBAA, AssetID: a.ID, VendorID: v.ID,
		Text: fmt.Sprintf("%s relies on %s, which has no signed BAA; get one signed.", a.Name, v.Name)}, true
}

// summarizeRisks fills the risk counts and the risk-based readiness entries. Only risks the
// assessor confirmed count as rated: proposals carry the threat library's hints, not a
// rating, so they are counted apart and never drawn in a heat map.
func (sum *Summary) summarizeRisks(a *Analysis) {
	m := a.Matrix
	for _, r := range a.Risks {
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
		name := riskName(r.Risk)
		switch {
		case r.Status == RiskProposed:
			sum.Readiness = append(sum.Readiness, ReadinessItem{Kind: ReadyRiskProposed, RiskID: r.ID, AssetID: r.AssetID,
				Text: "Proposed risk " + name + " is not confirmed or dismissed."})
		case r.Status != RiskClosed && IsHigh(r.Level) && r.Treatment == TreatNone:
			sum.Readiness = append(sum.Readiness, ReadinessItem{Kind: ReadyRiskTreat, RiskID: r.ID, AssetID: r.AssetID,
				Text: m.Label(r.Level) + " risk " + name + " has no treatment; choose one."})
		}
	}
}

// riskName is a short reference to a risk for readiness texts.
func riskName(r *Risk) string {
	if r.Title != "" {
		return "“" + r.Title + "”"
	}
	return r.ID
}

func decisionLabel(d Decision) string {
	switch d {
	case DecisionAlternative:
		return "alternative-measure"
	case DecisionNotReasonable:
		return "not-reasonable"
	}
	return string(d)
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }
