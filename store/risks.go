package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"safeguard/assessment"
	"safeguard/controls"
)

// proposeRisks records the risks a gap exposes: a new proposal for each asset ×
// vulnerability the register does not hold yet, and the gap added to a proposal that already
// exists for it, so one proposal lists every gap behind it. It returns how many proposals it
// added.
func (t *Tx) proposeRisks(cat *controls.Catalog, assessmentID string, p assessment.Profile, asset *assessment.Asset, r assessment.Response) (int, error) {
	mini := assessment.Snapshot{Catalog: cat, Profile: p, Responses: []assessment.Response{r}}
	if asset != nil {
		mini.Assets = []assessment.Asset{*asset}
	}
	// Only the risks of this asset and the question's vulnerabilities can be joined or
	// stand in the way of a new proposal: read those (risks_asset_vulnerability), not the
	// assessment's whole register.
	q, ok := cat.Question(r.QuestionID)
	if !ok || len(q.Vulnerabilities) == 0 {
		return 0, nil
	}
	where, args := riskPairWhere(assessmentID, r.AssetID)
	where += " AND vulnerability_id IN (" + strings.TrimSuffix(strings.Repeat("?,", len(q.Vulnerabilities)), ",") + ")"
	for _, v := range q.Vulnerabilities {
		args = append(args, v)
	}
	if err := readRisksWhere(t.ctx, t, where, &mini, args...); err != nil {
		return 0, err
	}
	if err := t.joinProposals(cat, assessmentID, mini.Risks, r); err != nil {
		return 0, err
	}
	proposals := assessment.ProposeRisks(&mini)
	for _, pr := range proposals {
		pr.ID = uuid.NewString()
		if err := t.writeRisk(assessmentID, pr, ActionCreate); err != nil {
			return 0, err
		}
	}
	return len(proposals), nil
}

// joinProposals adds the answered gap to every unconfirmed proposal of the same asset for a
// vulnerability its question guards against.
func (t *Tx) joinProposals(cat *controls.Catalog, assessmentID string, risks []assessment.Risk, r assessment.Response) error {
	q, ok := cat.Question(r.QuestionID)
	if !ok || q.Proposed {
		return nil
	}
	for _, rk := range risks {
		if rk.Status != assessment.RiskProposed || rk.AssetID != r.AssetID || !slices.Contains(q.Vulnerabilities, rk.VulnerabilityID) ||
			slices.Contains(rk.QuestionIDs, q.ID) {
			continue
		}
		rk.QuestionIDs = append(rk.QuestionIDs, q.ID)
		slices.Sort(rk.QuestionIDs)
		if err := t.writeRisk(assessmentID, rk, ActionUpdate); err != nil {
			return err
		}
	}
	return nil
}

// withdrawProposals takes a closed gap off the unconfirmed proposals of its asset: a
// proposal left with no gap is deleted, one with other gaps keeps them. It returns how many
// proposals it deleted.
func (t *Tx) withdrawProposals(assessmentID, questionID, assetID string) (int, error) {
	// Only this item's proposals: reading every risk for every answer made a batch of
	// answers (a returned questionnaire) quadratic.
	var snap assessment.Snapshot
	where, args := riskPairWhere(assessmentID, assetID)
	if err := readRisksWhere(t.ctx, t, where+" AND status = 'proposed'", &snap, args...); err != nil {
		return 0, err
	}
	n := 0
	for _, rk := range snap.Risks {
		if rk.Status != assessment.RiskProposed || rk.AssetID != assetID || !slices.Contains(rk.QuestionIDs, questionID) {
			continue
		}
		rk.QuestionIDs = slices.DeleteFunc(rk.QuestionIDs, func(id string) bool { return id == questionID })
		if len(rk.QuestionIDs) > 0 {
			if err := t.writeRisk(assessmentID, rk, ActionUpdate); err != nil {
				return 0, err
			}
			continue
		}
		if err := t.deleteRecord("risks", "risk", rk.ID, assessmentID); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// AcceptProposals confirms proposed risks in one transaction: each becomes an open risk
// rated with the threat library's hints it was proposed with, one audit entry per risk. An
// ID that is not a proposal of this assessment refuses the whole batch.
func (s *Store) AcceptProposals(ctx context.Context, assessmentID string, ids []string) (int, error) {
	return s.settleProposals(ctx, assessmentID, ids, func(r *assessment.Risk) { r.Status = assessment.RiskOpen })
}

// DismissProposals dismisses proposed risks in one transaction with one reason for the
// batch, recorded as each risk's rationale, one audit entry per risk. A dismissed proposal
// is not proposed again. An ID that is not a proposal of this assessment refuses the whole
// batch.
func (s *Store) DismissProposals(ctx context.Context, assessmentID string, ids []string, reason string) (int, error) {
	reason, err := assessment.CleanName("reason for dismissing", reason)
	if err != nil {
		return 0, err
	}
	return s.settleProposals(ctx, assessmentID, ids, func(r *assessment.Risk) {
		r.Status, r.Rationale = assessment.RiskDismissed, "Dismissed: "+reason
	})
}

func (s *Store) settleProposals(ctx context.Context, assessmentID string, ids []string, change func(*assessment.Risk)) (int, error) {
	if len(ids) == 0 {
		return 0, fmt.Errorf("no risks named; give risk IDs or use --all for every proposal")
	}
	err := s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		p, _, err := readProfile(t.ctx, t.tx, assessmentID)
		if err != nil {
			return err
		}
		var snap assessment.Snapshot
		if err := readRisks(t.ctx, t.tx, assessmentID, &snap); err != nil {
			return err
		}
		byID := map[string]*assessment.Risk{}
		for i := range snap.Risks {
			byID[snap.Risks[i].ID] = &snap.Risks[i]
		}
		seen := map[string]bool{}
		for _, id := range ids {
			r, ok := byID[id]
			switch {
			case !ok:
				return fmt.Errorf("no risk has the ID %q in this assessment; nothing was changed", id)
			case r.Status != assessment.RiskProposed:
				return fmt.Errorf("risk %q is %s, not a proposal; nothing was changed", r.Title, r.Status.Label())
			case seen[id]:
				continue
			}
			seen[id] = true
			change(r)
			if err := assessment.ValidateRisk(p.Matrix, *r); err != nil {
				return err
			}
			if err := t.writeRisk(assessmentID, *r, ActionUpdate); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := map[string]bool{}
	for _, id := range ids {
		n[id] = true
	}
	return len(n), nil
}

// SaveRisk creates (empty ID) or updates a risk: confirming a proposal, rating it,
// planning its treatment or dismissing it. Returns the risk's ID. An update carries in
// r.Version the version of the risk the user saw (see SaveResponse).
func (s *Store) SaveRisk(ctx context.Context, assessmentID string, r assessment.Risk) (string, error) {
	cat, err := s.catalog()
	if err != nil {
		return "", err
	}
	if err := checkThreat(cat, r); err != nil {
		return "", err
	}
	if r.QuestionIDs == nil {
		r.QuestionIDs = []string{}
	}
	err = s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		p, _, err := readProfile(t.ctx, t, assessmentID)
		if err != nil {
			return err
		}
		if err := assessment.ValidateRisk(p.Matrix, r); err != nil {
			return err
		}
		if r.AssetID != "" {
			if err := t.belongs("assets", "asset", r.AssetID, assessmentID); err != nil {
				return err
			}
		}
		action, err := t.prepareID(&r.ID, "risks", "risk", assessmentID)
		if err != nil {
			return err
		}
		if action == ActionUpdate {
			what := fmt.Sprintf("the risk %q", assessment.SafeLine(r.Title))
			err := t.checkVersion("risk", r.ID, r.Version, what, func() (any, error) {
				var snap assessment.Snapshot
				if err := readRisks(t.ctx, t, assessmentID, &snap); err != nil {
					return nil, err
				}
				for _, cur := range snap.Risks {
					if cur.ID == r.ID {
						return cur, nil
					}
				}
				return nil, nil
			})
			if err != nil {
				return err
			}
		}
		return t.writeRisk(assessmentID, r, action)
	})
	return r.ID, err
}

func checkThreat(cat *controls.Catalog, r assessment.Risk) error {
	v, ok := cat.Vulnerability(r.VulnerabilityID)
	if !ok {
		return fmt.Errorf("vulnerability %q is not in the threat library; see `safeguard catalog --format json`", r.VulnerabilityID)
	}
	for _, th := range v.Threats {
		if th.ID == r.ThreatID {
			return nil
		}
	}
	return fmt.Errorf("threat %q is not listed for vulnerability %s", r.ThreatID, r.VulnerabilityID)
}

func (t *Tx) writeRisk(assessmentID string, r assessment.Risk, action string) error {
	_, err := t.exec(`INSERT INTO risks (id, assessment_id, asset_id, vulnerability_id, threat_id, question_ids, title, likelihood,
		impact, rationale, treatment, measures, owner, due, residual_l, residual_i, status,
		cia, accepted_by, accepted_authority, accepted_on)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET asset_id = excluded.asset_id, vulnerability_id = excluded.vulnerability_id,
		threat_id = excluded.threat_id, question_ids = excluded.question_ids, title = excluded.title,
		likelihood = excluded.likelihood, impact = excluded.impact, rationale = excluded.rationale,
		treatment = excluded.treatment, measures = excluded.measures, owner = excluded.owner, due = excluded.due,
		residual_l = excluded.residual_l, residual_i = excluded.residual_i, status = excluded.status,
		cia = excluded.cia, accepted_by = excluded.accepted_by, accepted_authority = excluded.accepted_authority,
		accepted_on = excluded.accepted_on`,
		r.ID, assessmentID, nullable(r.AssetID), r.VulnerabilityID, r.ThreatID, mustJSON(r.QuestionIDs), r.Title,
		r.Likelihood, r.Impact, r.Rationale, string(r.Treatment), r.Measures, r.Owner, r.Due, r.ResidualL, r.ResidualI, string(r.Status),
		string(r.CIA), r.AcceptedBy, r.AcceptedAuthority, r.AcceptedOn)
	if err != nil {
		return err
	}
	return t.record(action, "risk", r.ID, assessmentID)
}

// Risk returns one risk of an assessment.
func (s *Store) Risk(ctx context.Context, assessmentID, id string) (assessment.Risk, error) {
	var snap assessment.Snapshot
	if err := readRisks(ctx, s.db, assessmentID, &snap); err != nil {
		return assessment.Risk{}, friendly(s.path, err)
	}
	for _, r := range snap.Risks {
		if r.ID == id {
			return r, nil
		}
	}
	return assessment.Risk{}, fmt.Errorf("no risk has the ID %q in this assessment: %w", id, ErrNotFound)
}

func readRisks(ctx context.Context, q queryer, id string, snap *assessment.Snapshot) error {
	return readRisksWhere(ctx, q, "assessment_id = ?", snap, id)
}

// riskPairWhere selects the risks of one asset (the organization's for "") of an
// assessment, through the risks_asset_vulnerability index.
func riskPairWhere(assessmentID, assetID string) (string, []any) {
	if assetID == "" {
		return "assessment_id = ? AND asset_id IS NULL", []any{assessmentID}
	}
	return "assessment_id = ? AND asset_id = ?", []any{assessmentID, assetID}
}

// readRisksWhere appends the risks that where selects to snap.Risks, by ID.
func readRisksWhere(ctx context.Context, q queryer, where string, snap *assessment.Snapshot, args ...any) error {
	rows, err := q.QueryContext(ctx, `SELECT id, coalesce(asset_id, ''), vulnerability_id, threat_id, question_ids, title,
		likelihood, impact, rationale, treatment, measures, owner, due, residual_l, residual_i, status,
		cia, accepted_by, accepted_authority, accepted_on, `+versionSQL("risk", "risks")+`
		FROM risks WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return err
	}
	return eachRow(rows, func(sc scanner) error {
		var r assessment.Risk
		var qids, treatment, status, cia string
		if err := sc.Scan(&r.ID, &r.AssetID, &r.VulnerabilityID, &r.ThreatID, &qids, &r.Title, &r.Likelihood, &r.Impact,
			&r.Rationale, &treatment, &r.Measures, &r.Owner, &r.Due, &r.ResidualL, &r.ResidualI, &status,
			&cia, &r.AcceptedBy, &r.AcceptedAuthority, &r.AcceptedOn, &r.Version); err != nil {
			return err
		}
		r.Treatment, r.Status, r.CIA = assessment.Treatment(treatment), assessment.RiskStatus(status), assessment.CIA(cia)
		if err := json.Unmarshal([]byte(qids), &r.QuestionIDs); err != nil {
			return err
		}
		snap.Risks = append(snap.Risks, r)
		return nil
	})
}
