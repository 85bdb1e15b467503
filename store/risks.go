package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"safeguard/assessment"
	"safeguard/controls"
)

// proposeRisks inserts the risks a gap exposes (asset × vulnerability × threat) that the
// assessment does not already hold in any status, and returns how many it added.
func (t *Tx) proposeRisks(cat *controls.Catalog, assessmentID string, p assessment.Profile, asset *assessment.Asset, r assessment.Response) (int, error) {
	mini := assessment.Snapshot{Catalog: cat, Profile: p, Responses: []assessment.Response{r}}
	if asset != nil {
		mini.Assets = []assessment.Asset{*asset}
	}
	if err := readRisks(t.ctx, t, assessmentID, &mini); err != nil {
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

// withdrawProposals deletes proposals nobody confirmed whose only source is this item.
func (t *Tx) withdrawProposals(assessmentID, questionID, assetID string) (int, error) {
	ids, err := t.ids(`SELECT id FROM risks WHERE assessment_id = ? AND status = ? AND coalesce(asset_id, '') = ?
		AND question_ids = ? ORDER BY id`, assessmentID, string(assessment.RiskProposed), assetID, mustJSON([]string{questionID}))
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := t.deleteRecord("risks", "risk", id, assessmentID); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
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
	rows, err := q.QueryContext(ctx, `SELECT id, coalesce(asset_id, ''), vulnerability_id, threat_id, question_ids, title,
		likelihood, impact, rationale, treatment, measures, owner, due, residual_l, residual_i, status,
		cia, accepted_by, accepted_authority, accepted_on, `+versionSQL("risk", "risks")+`
		FROM risks WHERE assessment_id = ? ORDER BY id`, id)
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
