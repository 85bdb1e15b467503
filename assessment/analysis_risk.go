package assessment

import (
	"fmt"
	"slices"

	"safeguard/controls"
)

// resolveRisks derives what the method shows for each risk: its threat and vulnerability
// from the library, the C/I/A objectives it harms, the items it lists and which of them are
// current gaps (its triggering gaps), and warnings about ratings its treatment cannot
// explain. riskControls adds the controls already in place against its vulnerability.
func (a *Analysis) resolveRisks() {
	threats := map[string]controls.Threat{}
	for _, t := range LibraryThreats(a.Catalog) {
		threats[t.ID] = t
	}

	for i := range a.Risks {
		r := &a.Risks[i]
		r.Threat = threats[r.ThreatID]
		if a.Catalog != nil {
			if v, ok := a.Catalog.Vulnerability(r.VulnerabilityID); ok {
				r.Vulnerability = v
			}
		}
		r.CIA = r.Risk.CIA
		if r.CIA == "" {
			r.CIA, r.CIADefault = DefaultCIA(r.ThreatID), true
			if r.CIA == "" {
				r.CIADefault = false
			}
		}
		r.Linked, r.Triggers = a.linkedItems(r.Risk)
		r.Warnings = treatmentWarnings(r.Risk, a.Matrix)
	}
}

// riskControls works out each risk's existing controls (see existingControls), by position
// in Risks. It only reads the analysis, so it runs beside the summary; Analyze stores the
// result in the risks once both are done.
func (a *Analysis) riskControls() [][]int {
	out := make([][]int, len(a.Risks))
	// Risks on the same asset and vulnerability have the same existing controls.
	type assetVuln struct{ asset, vuln string }
	inPlace := map[assetVuln][]int{}
	for i := range a.Risks {
		r := &a.Risks[i]
		k := assetVuln{r.AssetID, r.VulnerabilityID}
		ctl, ok := inPlace[k]
		if !ok {
			ctl = a.existingControls(r.Risk, r.Vulnerability)
			inPlace[k] = ctl
		}
		out[i] = slices.Clone(ctl)
	}
	return out
}

// itemFor finds the item a risk means by a question ID: the question on the risk's asset,
// or, for an organization-wide question, the organization's item.
func (a *Analysis) itemFor(qid, assetID string) (int, bool) {
	if i, ok := a.Index[ItemKey{qid, assetID}]; ok {
		return i, true
	}
	if assetID != "" {
		if i, ok := a.Index[ItemKey{QuestionID: qid}]; ok {
			return i, true
		}
	}
	return 0, false
}

// linkedItems returns the applicable items a risk lists, in catalog order, and those of them
// that are current gaps (partial, not implemented or flagged, not carried over).
func (a *Analysis) linkedItems(r *Risk) (linked, triggers []int) {
	for _, qid := range r.QuestionIDs {
		if i, ok := a.itemFor(qid, r.AssetID); ok && !slices.Contains(linked, i) {
			linked = append(linked, i)
		}
	}
	slices.Sort(linked)
	for _, i := range linked {
		if it := &a.Items[i]; it.IsGap() || (it.Status == Flagged && !it.Carried) {
			triggers = append(triggers, i)
		}
	}
	return linked, triggers
}

// existingControls lists the current "implemented" items whose questions mitigate the
// vulnerability, on the risk's asset or organization-wide, in catalog order.
func (a *Analysis) existingControls(r *Risk, v *controls.Vulnerability) []int {
	if v == nil {
		return nil
	}
	var out []int
	for _, qid := range v.MitigatedBy {
		for _, k := range []ItemKey{{qid, r.AssetID}, {QuestionID: qid}} {
			if i, ok := a.Index[k]; ok && a.Items[i].InPlace() && !slices.Contains(out, i) {
				out = append(out, i)
			}
			if r.AssetID == "" {
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// treatmentWarnings are the ratings a risk's treatment cannot explain. Transfer (insurance,
// an indemnity) moves the cost of harm to someone else but does not lower the harm to
// patients, so it cannot lower impact; accepting a risk changes nothing, so its residual
// rating equals the inherent one; no treatment makes a risk worse, so a residual above the
// inherent rating is a slip.
func treatmentWarnings(r *Risk, m MatrixKind) []string {
	if r.ResidualL == 0 || r.Likelihood == 0 {
		return nil
	}
	var out []string
	switch {
	case r.Treatment == TreatTransfer && r.ResidualI < r.Impact:
		out = append(out, fmt.Sprintf("a transfer (insurance, an indemnity) shares the cost of harm but does not lower the harm itself, yet the residual impact (%s) is rated below the inherent impact (%s); rate the residual impact as the inherent one, or record the measure that lowers it.",
			m.AxisLabel(r.ResidualI), m.AxisLabel(r.Impact)))
	case r.Treatment == TreatAccept && (r.ResidualL < r.Likelihood || r.ResidualI < r.Impact):
		out = append(out, "an accepted risk is left as it is, yet its residual rating is below the inherent one; rate the residual as the inherent rating.")
	}
	if r.ResidualL > r.Likelihood || r.ResidualI > r.Impact {
		out = append(out, "the residual rating is above the inherent one, which no treatment explains; check both ratings.")
	}
	return out
}

// GapTrace is one row of the gap-to-risk traceability: a current gap with the confirmed
// risks that list it, the proposals not yet confirmed, or the recorded reason no risk
// follows.
type GapTrace struct {
	Item     int    // position in Analysis.Items
	Risks    []int  // confirmed risks (positions in Analysis.Risks, register order)
	Proposed []int  // proposed risks that list it, not yet confirmed or dismissed
	Reason   string // why no risk follows, when recorded
}

// Traced reports whether the gap leads to a confirmed risk or carries a reason.
func (g GapTrace) Traced() bool { return len(g.Risks) > 0 || !isBlank(g.Reason) }

// buildTraces lists every current gap (proposed-rule questions aside: they never grow the
// register) with the risks that list it and its recorded reason.
func (a *Analysis) buildTraces() {
	reasons := make(map[ItemKey]string, len(a.Snap.NoRisk))
	for _, n := range a.Snap.NoRisk {
		reasons[n.Key()] = n.Reason
	}
	a.traceIndex = make([]int32, len(a.Items))
	gap := func(it *ItemView) bool {
		return !it.Question.Proposed && !it.Carried && (IsGap(it.Status) || it.Status == Flagged)
	}
	n := 0
	for i := range a.Items {
		if gap(&a.Items[i]) {
			n++
		}
	}
	if n > 0 { // nil when there is none, as before
		a.Gaps = make([]GapTrace, 0, n)
	}
	for i := range a.Items {
		a.traceIndex[i] = -1
		it := &a.Items[i]
		if !gap(it) {
			continue
		}
		a.traceIndex[i] = int32(len(a.Gaps))
		a.Gaps = append(a.Gaps, GapTrace{Item: i, Reason: reasons[it.Key()]})
	}
	// The risks that list each gap, in register order.
	for ri := range a.Risks {
		r := &a.Risks[ri]
		for _, ix := range r.Linked {
			g := a.traceIndex[ix]
			switch {
			case g < 0:
			case r.Confirmed():
				a.Gaps[g].Risks = append(a.Gaps[g].Risks, ri)
			case r.Status == RiskProposed:
				a.Gaps[g].Proposed = append(a.Gaps[g].Proposed, ri)
			}
		}
	}
}

// tracedAt reports whether the gap of the item at position i in Items is traced (true for
// an item that is no gap).
func (a *Analysis) tracedAt(i int) bool {
	g := a.traceIndex[i]
	return g < 0 || a.Gaps[g].Traced()
}

// Trace returns the traceability row of an item, if it is a current gap.
func (a *Analysis) Trace(k ItemKey) (*GapTrace, bool) {
	i, ok := a.Index[k]
	if !ok || a.traceIndex == nil || a.traceIndex[i] < 0 {
		return nil, false
	}
	return &a.Gaps[a.traceIndex[i]], true
}

// ThreatSourceView is one threat-source class with the library's threats of that source:
// what was rated and what was ruled out.
type ThreatSourceView struct {
	Source   string
	Label    string
	Threats  []ThreatView
	RuledOut string // why the whole source cannot reasonably affect the practice, when recorded
}

// ThreatView is one threat event of the library in this analysis.
type ThreatView struct {
	Threat   controls.Threat
	Rated    []int  // confirmed, rated risks of this threat (positions in Analysis.Risks)
	Proposed int    // proposals of this threat not yet confirmed or dismissed
	RuledOut string // why this threat is ruled out, when recorded
}

// Considered reports whether the assessor addressed the source: a risk from it is rated,
// or the whole source is ruled out with a reason. Ruling out single threats documents the
// reasoning but does not by itself show the source was weighed.
func (v ThreatSourceView) Considered() bool {
	if !isBlank(v.RuledOut) {
		return true
	}
	for _, t := range v.Threats {
		if len(t.Rated) > 0 {
			return true
		}
	}
	return false
}

// RatedCount is the number of the source's threats rated in at least one risk.
func (v ThreatSourceView) RatedCount() int {
	n := 0
	for _, t := range v.Threats {
		if len(t.Rated) > 0 {
			n++
		}
	}
	return n
}

// buildThreatSources groups the library's threats by source in ThreatSources order and
// marks which were rated and which ruled out.
func (a *Analysis) buildThreatSources() {
	if a.Catalog == nil {
		return
	}
	rated := map[string][]int{}
	proposed := map[string]int{}
	for i := range a.Risks {
		r := &a.Risks[i]
		switch {
		case r.Rated():
			rated[r.ThreatID] = append(rated[r.ThreatID], i)
		case r.Status == RiskProposed:
			proposed[r.ThreatID]++
		}
	}
	ruled := map[string]string{}
	for _, r := range a.Snap.ThreatRulings {
		ruled[r.Key()] = r.Reason
	}
	pos := map[string]int{}
	for i, c := range ThreatSources {
		pos[c.Value] = i
		a.ThreatSources = append(a.ThreatSources, ThreatSourceView{Source: c.Value, Label: c.Label, RuledOut: ruled[c.Value]})
	}
	for _, t := range LibraryThreats(a.Catalog) {
		i, ok := pos[t.Source]
		if !ok {
			continue
		}
		a.ThreatSources[i].Threats = append(a.ThreatSources[i].Threats,
			ThreatView{Threat: t, Rated: rated[t.ID], Proposed: proposed[t.ID], RuledOut: ruled[t.ID]})
	}
}
