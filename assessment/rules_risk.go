package assessment

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"safeguard/controls"
)

// riskKey identifies a proposal: one per asset × vulnerability, whichever threats and gaps
// expose it. A register entry with the same asset and vulnerability, in any status, stops
// another proposal for them.
type riskKey struct {
	asset, vuln string
}

func keyOf(r *Risk) riskKey { return riskKey{r.AssetID, r.VulnerabilityID} }

// ProposeRisks suggests the risks that the snapshot's gaps expose and that the register does
// not hold yet: at most one per asset × vulnerability (AssetID "" for organization-wide
// gaps), listing every gap that exposes it. For every applicable item answered not
// implemented or partial, each vulnerability the question guards against gives a proposal
// for that asset; its threat is the vulnerability's worst threat (highest likelihood ×
// impact, with the likelihood of natural hazards taken for the profile's region), whose
// hints, mapped onto the assessment's matrix, pre-fill the rating. The title names the
// vulnerability and the asset, so proposals are told apart by what is weak, not by which
// of several threats happened to be listed first.
//
// A key already in s.Risks is skipped whatever its status, so a dismissed proposal is not
// proposed again. Gaps on questions that only the proposed rule would require are not used:
// they are shown so the user sees what might change, and must not grow the register or
// block finalizing. The order is deterministic: organization risks first, then assets in
// snapshot order, each in catalog order of the first gap and vulnerability.
func ProposeRisks(s *Snapshot) []Risk {
	if s.Catalog == nil {
		return nil
	}
	m := s.Profile.Matrix.OrDefault()
	have := make(map[riskKey]bool, len(s.Risks))
	for i := range s.Risks {
		have[keyOf(&s.Risks[i])] = true
	}
	assetPos := make(map[string]int, len(s.Assets))
	for i := range s.Assets {
		assetPos[s.Assets[i].ID] = i + 1 // 0 is the organization
	}
	resp := s.ResponseMap()
	var out []Risk
	at := map[riskKey]int{} // index in out
	for _, it := range ApplicableGiven(s.Catalog, s.Profile, s.Assets, resp) {
		q := it.Question
		r, ok := resp[it.Key()]
		if q.Proposed || !ok || !IsGap(r.Status) {
			continue
		}
		assetID, suffix := "", ""
		if it.Asset != nil {
			assetID, suffix = it.Asset.ID, " ("+it.Asset.Name+")"
		}
		for _, vid := range q.Vulnerabilities {
			v, ok := s.Catalog.Vulnerability(vid)
			if !ok || len(v.Threats) == 0 {
				continue
			}
			k := riskKey{assetID, v.ID}
			if have[k] {
				continue
			}
			if i, ok := at[k]; ok {
				if !slices.Contains(out[i].QuestionIDs, q.ID) {
					out[i].QuestionIDs = append(out[i].QuestionIDs, q.ID)
				}
				continue
			}
			t, l := WorstThreat(s.Catalog, v, s.Profile.Region)
			at[k] = len(out)
			out = append(out, Risk{
				AssetID:         assetID,
				VulnerabilityID: v.ID,
				ThreatID:        t.ID,
				QuestionIDs:     []string{q.ID},
				Title:           v.Title + suffix,
				Likelihood:      m.FromHint(l),
				Impact:          m.FromHint(t.Impact),
				Status:          RiskProposed,
			})
		}
	}
	for i := range out {
		slices.Sort(out[i].QuestionIDs)
	}
	slices.SortStableFunc(out, func(a, b Risk) int { return assetPos[a.AssetID] - assetPos[b.AssetID] })
	return out
}

// ThreatHint is the threat library's rating of r's threat for an assessment with profile
// p, on its matrix: the likelihood (for natural hazards, the profile's region's) and the
// impact a proposal starts from, as ProposeRisks pre-fills them. It is 0, 0 when the
// catalog does not hold the threat.
func ThreatHint(cat *controls.Catalog, p Profile, r Risk) (likelihood, impact int) {
	if cat == nil {
		return 0, 0
	}
	v, ok := cat.Vulnerability(r.VulnerabilityID)
	if !ok {
		return 0, 0
	}
	m := p.Matrix.OrDefault()
	for _, t := range v.Threats {
		if t.ID == r.ThreatID {
			return m.FromHint(cat.Likelihood(t, p.Region)), m.FromHint(t.Impact)
		}
	}
	return 0, 0
}

// Overdue reports whether a risk's treatment is late on asOf: its due date is an earlier
// day and the risk is neither closed nor dismissed. A missing or unreadable due date is
// never overdue.
func (r *Risk) Overdue(asOf time.Time) bool {
	if r.Status == RiskClosed || r.Status == RiskDismissed {
		return false
	}
	due, err := ParseDate(r.Due)
	return err == nil && due.Before(day(asOf.UTC()))
}

// OverdueRisks counts the register's risks that are overdue on the analysis date.
func (a *Analysis) OverdueRisks() int {
	n := 0
	for _, r := range a.Risks {
		if r.Overdue(a.AsOf) {
			n++
		}
	}
	return n
}

// WorstThreat is the vulnerability's threat with the highest likelihood × impact (then
// likelihood, then catalog order), with natural hazards' likelihood taken for the region,
// and that likelihood.
func WorstThreat(cat *controls.Catalog, v *controls.Vulnerability, region string) (controls.Threat, int) {
	best, bestL := v.Threats[0], cat.Likelihood(v.Threats[0], region)
	for _, t := range v.Threats[1:] {
		l := cat.Likelihood(t, region)
		if l*t.Impact > bestL*best.Impact || (l*t.Impact == bestL*best.Impact && l > bestL) {
			best, bestL = t, l
		}
	}
	return best, bestL
}

// ValidateRisk checks a risk before it is stored, against the matrix it will be rated on,
// and returns one sentence that says what to fix. Ratings are 0 (not rated) or 1 to the
// matrix scale, residual ratings too; a confirmed (non-proposed) risk that is rated must
// carry both likelihood and impact, or it has no level; residual ratings come in pairs for
// the same reason. Treatment, status and due date must be known values.
func ValidateRisk(m MatrixKind, r Risk) error {
	n := m.Scale()
	if !slices.ContainsFunc(RiskStatuses, func(c Choice) bool { return c.Value == string(r.Status) }) {
		return fmt.Errorf("risk status %q is not valid; use one of %s", r.Status, ChoiceValues(RiskStatuses))
	}
	if strings.TrimSpace(r.Title) == "" {
		return fmt.Errorf("the risk has no title; name the threat and what it exploits")
	}
	for _, f := range []struct {
		what string
		v    int
	}{{"likelihood", r.Likelihood}, {"impact", r.Impact}, {"residual likelihood", r.ResidualL}, {"residual impact", r.ResidualI}} {
		if f.v < 0 || f.v > n {
			return fmt.Errorf("%s %d is out of range; rate it from 1 to %d on the %s matrix, or 0 for not rated", f.what, f.v, n, m.OrDefault())
		}
	}
	if r.Status != RiskProposed && (r.Likelihood == 0) != (r.Impact == 0) {
		return fmt.Errorf("the risk is rated on one axis only; give both likelihood and impact")
	}
	if (r.ResidualL == 0) != (r.ResidualI == 0) {
		return fmt.Errorf("the residual risk is rated on one axis only; give both residual likelihood and impact")
	}
	if r.Treatment != TreatNone && !slices.ContainsFunc(Treatments, func(c Choice) bool { return c.Value == string(r.Treatment) }) {
		return fmt.Errorf("treatment %q is not valid; use one of %s", r.Treatment, ChoiceValues(Treatments))
	}
	if r.Due != "" {
		if _, err := ParseDate(r.Due); err != nil {
			return fmt.Errorf("the due date %w", err)
		}
	}
	if !r.CIA.Valid() {
		return fmt.Errorf("the harmed objectives %q are not a mix of c, i and a (confidentiality, integrity, availability); write e.g. ca", r.CIA)
	}
	accepted := !isBlank(r.AcceptedBy) || !isBlank(r.AcceptedAuthority) || r.AcceptedOn != ""
	if accepted && r.Treatment != TreatAccept {
		return fmt.Errorf("an acceptance (who, authority, date) is recorded only for a risk whose treatment is accept; clear it or choose accept")
	}
	if r.AcceptedOn != "" {
		if _, err := ParseDate(r.AcceptedOn); err != nil {
			return fmt.Errorf("the acceptance date %w", err)
		}
	}
	for _, f := range []struct{ what, text string }{{"title", r.Title}, {"owner", r.Owner},
		{"name of who accepted it", r.AcceptedBy}, {"authority to accept it", r.AcceptedAuthority}} {
		if err := CheckLine(f.what, f.text); err != nil {
			return err
		}
	}
	for _, f := range []struct{ what, text string }{{"rationale", r.Rationale}, {"planned measures", r.Measures}} {
		if err := CheckText(f.what, f.text); err != nil {
			return err
		}
	}
	return nil
}
