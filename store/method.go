package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"safeguard/assessment"
)

// This file keeps the record of how an analysis was done (assessment/method.go): data
// collection, assumptions and limitations, the periodic-review plan and the "no vendors"
// statement, why gaps lead to no risk, threat sources ruled out, and vendor reviews. Each
// change is audited in its own transaction like every other record.

// AddMethodEntry records a data-collection record, assumption or limitation and returns its
// ID.
func (s *Store) AddMethodEntry(ctx context.Context, assessmentID string, e assessment.MethodEntry) (string, error) {
	e.ID = ""
	return s.SaveMethodEntry(ctx, assessmentID, e)
}

// SaveMethodEntry records a method record: a new one when e.ID is empty, otherwise a change
// to the record with that ID (its kind may change too). It returns the record's ID.
func (s *Store) SaveMethodEntry(ctx context.Context, assessmentID string, e assessment.MethodEntry) (string, error) {
	e.Who, e.Role, e.Title, e.Where, e.Tool = strings.TrimSpace(e.Who), strings.TrimSpace(e.Role),
		strings.TrimSpace(e.Title), strings.TrimSpace(e.Where), strings.TrimSpace(e.Tool)
	e.Scope, e.Text = strings.TrimSpace(e.Scope), strings.TrimSpace(e.Text)
	if err := assessment.CheckMethodEntry(e, s.now()); err != nil {
		return "", err
	}
	create := e.ID == ""
	if create {
		e.ID = uuid.NewString()
	}
	err := s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if create {
			return t.writeMethodEntry(assessmentID, e)
		}
		if err := t.belongs("method_entries", "method record", e.ID, assessmentID); err != nil {
			return err
		}
		_, err := t.exec(`UPDATE method_entries SET kind = ?, who = ?, role = ?, title = ?, place = ?, test_kind = ?, tool = ?,
			scope = ?, date = ?, text = ? WHERE id = ?`,
			e.Kind, e.Who, e.Role, e.Title, e.Where, e.TestKind, e.Tool, e.Scope, e.Date, e.Text, e.ID)
		if err != nil {
			return err
		}
		return t.record(ActionUpdate, "method_entry", e.ID, assessmentID)
	})
	return e.ID, err
}

func (t *Tx) writeMethodEntry(assessmentID string, e assessment.MethodEntry) error {
	_, err := t.exec(`INSERT INTO method_entries (id, assessment_id, kind, who, role, title, place, test_kind, tool, scope, date, text)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, assessmentID, e.Kind, e.Who, e.Role, e.Title, e.Where, e.TestKind, e.Tool, e.Scope, e.Date, e.Text)
	if err != nil {
		return err
	}
	return t.record(ActionCreate, "method_entry", e.ID, assessmentID)
}

// DeleteMethodEntry removes a method record. entryID may be a unique prefix of at least
// four characters, as `method list` prints them.
func (s *Store) DeleteMethodEntry(ctx context.Context, assessmentID, entryID string) error {
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		id, err := t.resolvePrefix("method_entries", "method record", assessmentID, entryID)
		if err != nil {
			return err
		}
		return t.deleteRecord("method_entries", "method_entry", id, assessmentID)
	})
}

// resolvePrefix finds the one row of table in the assessment whose ID is ref or starts with
// it (at least four characters).
func (t *Tx) resolvePrefix(table, what, assessmentID, ref string) (string, error) {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if len(ref) < 4 {
		return "", fmt.Errorf("the %s ID %q is too short; give at least four characters", what, ref)
	}
	ids, err := t.ids("SELECT id FROM "+table+" WHERE assessment_id = ? AND substr(id, 1, ?) = ? ORDER BY id", assessmentID, len(ref), ref)
	if err != nil {
		return "", err
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("no %s has the ID %q in this assessment; list them to check the ID", what, ref)
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("the %s ID %q matches %d records; give more characters", what, ref, len(ids))
}

// SaveReviewPlan records how often the analysis is reviewed, the next review date and the
// events that call for an earlier review.
func (s *Store) SaveReviewPlan(ctx context.Context, assessmentID string, p assessment.ReviewPlan) error {
	if p.Triggers == nil {
		p.Triggers = []string{}
	}
	if err := assessment.CheckReviewPlan(p); err != nil {
		return err
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		_, noVendors, err := readReviewPlan(t.ctx, t.tx, assessmentID)
		if err != nil {
			return err
		}
		return t.writeReviewPlan(assessmentID, p, noVendors)
	})
}

// SetNoVendors records (or, with "", clears) the statement that no outside party creates,
// receives, keeps or sends ePHI for the organization: the explicit "no vendors" that lets an
// analysis with an empty vendor list be finalized.
func (s *Store) SetNoVendors(ctx context.Context, assessmentID, statement string) error {
	statement = strings.TrimSpace(statement)
	if err := assessment.CheckText("no-vendors statement", statement); err != nil {
		return err
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if statement != "" {
			var n int
			if err := t.queryRow("SELECT count(*) FROM vendors WHERE assessment_id = ?", assessmentID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("the assessment records %d vendors, so it cannot state that there are none; remove them first if they do not handle ePHI", n)
			}
		}
		plan, _, err := readReviewPlan(t.ctx, t.tx, assessmentID)
		if err != nil {
			return err
		}
		return t.writeReviewPlan(assessmentID, plan, statement)
	})
}

func (t *Tx) writeReviewPlan(assessmentID string, p assessment.ReviewPlan, noVendors string) error {
	if p.Triggers == nil {
		p.Triggers = []string{}
	}
	_, err := t.exec(`INSERT INTO review_plans (assessment_id, cadence, next_review, triggers, no_vendors) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (assessment_id) DO UPDATE SET cadence = excluded.cadence, next_review = excluded.next_review,
		triggers = excluded.triggers, no_vendors = excluded.no_vendors`,
		assessmentID, p.Cadence, p.Next, mustJSON(p.Triggers), noVendors)
	if err != nil {
		return err
	}
	return t.record(ActionUpdate, "review_plan", assessmentID, assessmentID)
}

func readReviewPlan(ctx context.Context, q rowQueryer, id string) (assessment.ReviewPlan, string, error) {
	var p assessment.ReviewPlan
	var triggers, noVendors string
	err := q.QueryRowContext(ctx, "SELECT cadence, next_review, triggers, no_vendors FROM review_plans WHERE assessment_id = ?", id).
		Scan(&p.Cadence, &p.Next, &triggers, &noVendors)
	if err == sql.ErrNoRows {
		return p, "", nil
	}
	if err != nil {
		return p, "", err
	}
	if err := json.Unmarshal([]byte(triggers), &p.Triggers); err != nil {
		return p, "", err
	}
	if len(p.Triggers) == 0 {
		p.Triggers = nil
	}
	return p, noVendors, nil
}

// SetNoRiskReason records why a gap leads to no risk. The item must be applicable and its
// current answer a gap (partial, not implemented or flagged); a reason for an item that is
// no gap would explain nothing.
func (s *Store) SetNoRiskReason(ctx context.Context, assessmentID string, n assessment.NoRiskReason) error {
	cat, err := s.catalog()
	if err != nil {
		return err
	}
	n.Reason = strings.TrimSpace(n.Reason)
	if err := assessment.CheckNoRiskReason(cat, n); err != nil {
		return err
	}
	q, _ := cat.Question(n.QuestionID)
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if _, _, err := t.checkItem(cat, assessmentID, q, n.AssetID); err != nil {
			return err
		}
		var status string
		var reval int
		id := itemID(assessmentID, n.QuestionID, n.AssetID)
		err := t.queryRow("SELECT status, revalidate FROM responses WHERE id = ?", id).Scan(&status, &reval)
		switch st := assessment.ResponseStatus(status); {
		case err == sql.ErrNoRows:
			return fmt.Errorf("%s is not answered yet; a reason why no risk follows is recorded for a gap (partial or not implemented)", q.ID)
		case err != nil:
			return err
		case reval == 1:
			return fmt.Errorf("%s was carried from the last revision; re-validate the answer first", q.ID)
		case !assessment.IsGap(st) && st != assessment.Flagged:
			return fmt.Errorf("%s is answered %s, which is no gap; a reason why no risk follows is recorded for a gap (partial or not implemented)", q.ID, st.Short())
		}
		_, err = t.exec(`INSERT INTO no_risk_reasons (id, assessment_id, question_id, asset_id, reason) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET reason = excluded.reason`, id, assessmentID, n.QuestionID, nullable(n.AssetID), n.Reason)
		if err != nil {
			return err
		}
		return t.record(ActionUpdate, "no_risk", id, assessmentID)
	})
}

// ClearNoRiskReason removes the reason recorded for a gap.
func (s *Store) ClearNoRiskReason(ctx context.Context, assessmentID, questionID, assetID string) error {
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		id := itemID(assessmentID, questionID, assetID)
		if !t.exists("no_risk_reasons", id) {
			return fmt.Errorf("%s has no reason recorded for why no risk follows", questionID)
		}
		return t.deleteRecord("no_risk_reasons", "no_risk", id, assessmentID)
	})
}

// exists reports whether table holds a row with the ID (false on a read error, which the
// following write then reports).
func (t *Tx) exists(table, id string) bool {
	var n int
	if err := t.queryRow("SELECT count(*) FROM "+table+" WHERE id = ?", id).Scan(&n); err != nil {
		return false
	}
	return n > 0
}

// SetThreatRuling rules out a threat source, or one threat of the library, with the reason.
func (s *Store) SetThreatRuling(ctx context.Context, assessmentID string, r assessment.ThreatRuling) error {
	cat, err := s.catalog()
	if err != nil {
		return err
	}
	r.Reason = strings.TrimSpace(r.Reason)
	r, err = assessment.CheckThreatRuling(cat, r)
	if err != nil {
		return err
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		id := assessmentID + "/" + r.Key()
		_, err := t.exec(`INSERT INTO threat_rulings (id, assessment_id, source, threat_id, reason) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET source = excluded.source, threat_id = excluded.threat_id, reason = excluded.reason`,
			id, assessmentID, r.Source, r.ThreatID, r.Reason)
		if err != nil {
			return err
		}
		return t.record(ActionUpdate, "threat_ruling", id, assessmentID)
	})
}

// ClearThreatRuling removes the ruling on a threat or source (key is the threat ID or the
// source).
func (s *Store) ClearThreatRuling(ctx context.Context, assessmentID, key string) error {
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		id := assessmentID + "/" + key
		if !t.exists("threat_rulings", id) {
			return fmt.Errorf("%s is not ruled out in this assessment", key)
		}
		return t.deleteRecord("threat_rulings", "threat_ruling", id, assessmentID)
	})
}

// SetVendorReview records the review of a vendor's BAA and assurance for this analysis.
func (s *Store) SetVendorReview(ctx context.Context, assessmentID string, r assessment.VendorReview) error {
	r.Note = strings.TrimSpace(r.Note)
	if err := assessment.CheckVendorReview(r, s.now()); err != nil {
		return err
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if err := t.belongs("vendors", "vendor", r.VendorID, assessmentID); err != nil {
			return err
		}
		return t.writeVendorReview(assessmentID, r)
	})
}

func (t *Tx) writeVendorReview(assessmentID string, r assessment.VendorReview) error {
	_, err := t.exec(`INSERT INTO vendor_reviews (vendor_id, assessment_id, date, note) VALUES (?, ?, ?, ?)
		ON CONFLICT (vendor_id) DO UPDATE SET date = excluded.date, note = excluded.note`, r.VendorID, assessmentID, r.Date, r.Note)
	if err != nil {
		return err
	}
	return t.record(ActionUpdate, "vendor_review", r.VendorID, assessmentID)
}

// deleteVendorReview removes a vendor's review, if any, before the vendor goes.
func (t *Tx) deleteVendorReview(assessmentID, vendorID string) error {
	var n int
	if err := t.queryRow("SELECT count(*) FROM vendor_reviews WHERE vendor_id = ?", vendorID).Scan(&n); err != nil || n == 0 {
		return err
	}
	return t.deleteRecord("vendor_reviews", "vendor_review", vendorID, assessmentID)
}

// readMethod loads the method records of an assessment into the snapshot.
func readMethod(ctx context.Context, q interface {
	queryer
	rowQueryer
}, id string, snap *assessment.Snapshot) error {
	var err error
	if snap.Review, snap.NoVendors, err = readReviewPlan(ctx, q, id); err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, kind, who, role, title, place, test_kind, tool, scope, date, text
		FROM method_entries WHERE assessment_id = ? ORDER BY date, id`, id)
	if err != nil {
		return err
	}
	err = eachRow(rows, func(sc scanner) error {
		var e assessment.MethodEntry
		if err := sc.Scan(&e.ID, &e.Kind, &e.Who, &e.Role, &e.Title, &e.Where, &e.TestKind, &e.Tool, &e.Scope, &e.Date, &e.Text); err != nil {
			return err
		}
		snap.Method = append(snap.Method, e)
		return nil
	})
	if err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT question_id, coalesce(asset_id, ''), reason FROM no_risk_reasons
		WHERE assessment_id = ? ORDER BY question_id, asset_id`, id)
	if err != nil {
		return err
	}
	err = eachRow(rows, func(sc scanner) error {
		var n assessment.NoRiskReason
		if err := sc.Scan(&n.QuestionID, &n.AssetID, &n.Reason); err != nil {
			return err
		}
		snap.NoRisk = append(snap.NoRisk, n)
		return nil
	})
	if err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT source, threat_id, reason FROM threat_rulings WHERE assessment_id = ? ORDER BY id`, id)
	if err != nil {
		return err
	}
	err = eachRow(rows, func(sc scanner) error {
		var r assessment.ThreatRuling
		if err := sc.Scan(&r.Source, &r.ThreatID, &r.Reason); err != nil {
			return err
		}
		snap.ThreatRulings = append(snap.ThreatRulings, r)
		return nil
	})
	if err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT vendor_id, date, note FROM vendor_reviews WHERE assessment_id = ? ORDER BY vendor_id`, id)
	if err != nil {
		return err
	}
	return eachRow(rows, func(sc scanner) error {
		var r assessment.VendorReview
		if err := sc.Scan(&r.VendorID, &r.Date, &r.Note); err != nil {
			return err
		}
		snap.VendorReviews = append(snap.VendorReviews, r)
		return nil
	})
}

// importMethod writes a document's method records (their IDs already remapped).
func (t *Tx) importMethod(d *assessment.Document) error {
	id := d.Assessment.ID
	for _, e := range d.Method {
		if err := t.writeMethodEntry(id, e); err != nil {
			return err
		}
	}
	if d.Review != nil || d.NoVendors != "" {
		var p assessment.ReviewPlan
		if d.Review != nil {
			p = *d.Review
		}
		if err := t.writeReviewPlan(id, p, d.NoVendors); err != nil {
			return err
		}
	}
	for _, n := range d.NoRisk {
		rid := itemID(id, n.QuestionID, n.AssetID)
		if _, err := t.exec(`INSERT INTO no_risk_reasons (id, assessment_id, question_id, asset_id, reason) VALUES (?, ?, ?, ?, ?)`,
			rid, id, n.QuestionID, nullable(n.AssetID), n.Reason); err != nil {
			return err
		}
		if err := t.record(ActionCreate, "no_risk", rid, id); err != nil {
			return err
		}
	}
	for _, r := range d.ThreatRulings {
		rid := id + "/" + r.Key()
		if _, err := t.exec(`INSERT INTO threat_rulings (id, assessment_id, source, threat_id, reason) VALUES (?, ?, ?, ?, ?)`,
			rid, id, r.Source, r.ThreatID, r.Reason); err != nil {
			return err
		}
		if err := t.record(ActionCreate, "threat_ruling", rid, id); err != nil {
			return err
		}
	}
	for _, r := range d.VendorReviews {
		if err := t.writeVendorReview(id, r); err != nil {
			return err
		}
	}
	return nil
}
