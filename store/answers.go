package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"safeguard/assessment"
	"safeguard/controls"
)

// itemID is the primary key of a response or override: one per item of an assessment.
func itemID(assessmentID, questionID, assetID string) string {
	return assessmentID + "/" + questionID + "/" + assetID
}

// SaveResult says what saving an answer did besides storing it.
type SaveResult struct {
	Proposed  int // risks proposed from the gap
	Withdrawn int // unconfirmed proposals withdrawn because the gap closed
}

// SaveResponse records the answer to one item. A gap (not or partially implemented)
// proposes risks from the threat library in the same transaction; closing a gap withdraws
// the proposals nobody confirmed yet. r.Version is the version of the answer the user saw
// (0: none, AnyVersion: replace whatever is there); a *ConflictError refuses the save
// when another process changed the answer since.
func (s *Store) SaveResponse(ctx context.Context, assessmentID string, r assessment.Response) (SaveResult, error) {
	cat, err := s.catalog()
	if err != nil {
		return SaveResult{}, err
	}
	if err := assessment.ValidateResponse(cat, r); err != nil {
		return SaveResult{}, err
	}
	if err := assessment.CheckConsistency(cat, r); err != nil {
		return SaveResult{}, err
	}
	var res SaveResult
	err = s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		res, err = t.saveResponse(cat, assessmentID, r)
		return err
	})
	return res, err
}

// SaveResponses records several answers in one transaction, each checked and audited as
// SaveResponse does it: all are saved or none. It is how one answer is applied to every
// system of a per-asset question.
func (s *Store) SaveResponses(ctx context.Context, assessmentID string, rs []assessment.Response) (SaveResult, error) {
	cat, err := s.catalog()
	if err != nil {
		return SaveResult{}, err
	}
	for _, r := range rs {
		if err := assessment.ValidateResponse(cat, r); err != nil {
			return SaveResult{}, err
		}
		if err := assessment.CheckConsistency(cat, r); err != nil {
			return SaveResult{}, err
		}
	}
	var total SaveResult
	err = s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		for _, r := range rs {
			res, err := t.saveResponse(cat, assessmentID, r)
			if err != nil {
				return err
			}
			total.Proposed += res.Proposed
			total.Withdrawn += res.Withdrawn
		}
		return nil
	})
	if err != nil {
		return SaveResult{}, err
	}
	return total, nil
}

// saveResponse writes one validated answer given in this session (by this transaction's
// actor, now, with no provenance) through putResponse.
func (t *Tx) saveResponse(cat *controls.Catalog, assessmentID string, r assessment.Response) (SaveResult, error) {
	r.By, r.ImportedFrom, r.Returned = t.actor, "", nil
	r.At, _ = time.Parse(time.RFC3339Nano, t.at)
	return t.putResponse(cat, assessmentID, r)
}

// putResponse stores an answer validated by the caller, as SaveResponse does: the item
// must apply, a circular "not applicable" is refused, r.Version must match, and a gap
// proposes risks (closing one withdraws unconfirmed proposals). By, At and the provenance
// fields are the caller's.
func (t *Tx) putResponse(cat *controls.Catalog, assessmentID string, r assessment.Response) (SaveResult, error) {
	var res SaveResult
	q, _ := cat.Question(r.QuestionID)
	asset, p, err := t.checkItem(cat, assessmentID, q, r.AssetID)
	if err != nil {
		return res, err
	}
	if err := t.refuseCircularNotApplicable(cat, assessmentID, q, r); err != nil {
		return res, err
	}
	if err := t.checkResponseVersion(assessmentID, r.QuestionID, r.AssetID, r.Version); err != nil {
		return res, err
	}
	if err := t.writeResponse(assessmentID, r); err != nil {
		return res, err
	}
	if assessment.IsGap(r.Status) {
		res.Proposed, err = t.proposeRisks(cat, assessmentID, p, asset, r)
	} else {
		res.Withdrawn, err = t.withdrawProposals(assessmentID, r.QuestionID, r.AssetID)
	}
	return res, err
}

// checkItem refuses an answer to a question that is not asked for this organization or
// asset, and returns the asset (nil for organization items) and the profile.
func (t *Tx) checkItem(cat *controls.Catalog, assessmentID string, q *controls.Question, assetID string) (*assessment.Asset, assessment.Profile, error) {
	p, inv, err := t.itemContext(assessmentID)
	if err != nil {
		return nil, p, err
	}
	var asset *assessment.Asset
	switch {
	case q.Scope == controls.ScopeAsset && assetID == "":
		return nil, p, fmt.Errorf("question %s is asked once per asset; name the asset (--asset)", q.ID)
	case q.Scope == controls.ScopeOrganization && assetID != "":
		return nil, p, fmt.Errorf("question %s is asked once for the whole organization; leave out the asset", q.ID)
	case assetID != "":
		if inv == nil { // one answer: read its asset alone
			inv = &assessment.Snapshot{}
			if err := readAssets(t.ctx, t, "assessment_id = ? AND id = ?", inv, assessmentID, assetID); err != nil {
				return nil, p, err
			}
		}
		for i := range inv.Assets {
			if inv.Assets[i].ID == assetID {
				asset = &inv.Assets[i]
			}
		}
		if asset == nil {
			return nil, p, fmt.Errorf("no asset has the ID %q in this assessment; check the ID", assetID)
		}
	}
	gates, err := t.gateAnswers(assessmentID, cat, q, assetID)
	if err != nil {
		return nil, p, err
	}
	scope, err := t.scopeFacts(assessmentID, q)
	if err != nil {
		return nil, p, err
	}
	if why := assessment.WhyNotApplicable(cat, q, p, scope, asset, gates); why != "" {
		return nil, p, fmt.Errorf("question %s does not apply here: %s", q.ID, why)
	}
	return asset, p, nil
}

// scopeFacts stands in for the inventory where deciding whether q applies needs it: an
// organization question about some kinds of hosting asks which hostings the in-scope
// assets have, and a 42 CFR Part 2 question whether one holds Part 2 records. It returns
// one stand-in asset per hosting in scope (with Part2 set when one of those assets holds
// Part 2 records), read in one grouped query, so an answer does not read every asset of
// the assessment; nil when q needs neither.
func (t *Tx) scopeFacts(assessmentID string, q *controls.Question) ([]assessment.Asset, error) {
	if (q.Scope == controls.ScopeAsset || len(q.Hosting) == 0) && q.Condition != controls.ForPart2 {
		return nil, nil
	}
	rows, err := t.tx.QueryContext(t.ctx, `SELECT hosting, max(part2) FROM assets WHERE assessment_id = ? AND in_scope = 1
		GROUP BY hosting ORDER BY hosting`, assessmentID)
	if err != nil {
		return nil, err
	}
	var out []assessment.Asset
	err = eachRow(rows, func(sc scanner) error {
		var hosting string
		var part2 int
		if err := sc.Scan(&hosting, &part2); err != nil {
			return err
		}
		out = append(out, assessment.Asset{Hosting: controls.Hosting(hosting), InScope: true, Part2: part2 == 1})
		return nil
	})
	return out, err
}

// gateAnswers reads the answer to a follow-up question's gate (for the organization, or for
// the same asset), keyed as ResponseMap keys it; nil when the question has no gate.
func (t *Tx) gateAnswers(assessmentID string, cat *controls.Catalog, q *controls.Question, assetID string) (map[assessment.ItemKey]*assessment.Response, error) {
	if q.Follows == "" {
		return nil, nil
	}
	key := assessment.ItemKey{QuestionID: q.Follows}
	if g, ok := cat.Question(q.Follows); ok && g.Scope == controls.ScopeAsset {
		key.AssetID = assetID
	}
	var r assessment.Response
	var status string
	err := t.queryRow("SELECT status, reason FROM responses WHERE id = ?", itemID(assessmentID, key.QuestionID, key.AssetID)).
		Scan(&status, &r.Reason)
	if err == sql.ErrNoRows {
		return map[assessment.ItemKey]*assessment.Response{}, nil
	}
	if err != nil {
		return nil, err
	}
	r.QuestionID, r.AssetID, r.Status = key.QuestionID, key.AssetID, assessment.ResponseStatus(status)
	return map[assessment.ItemKey]*assessment.Response{key: &r}, nil
}

func (t *Tx) writeResponse(assessmentID string, r assessment.Response) error {
	id := itemID(assessmentID, r.QuestionID, r.AssetID)
	var ret assessment.Returned
	if r.Returned != nil {
		ret = *r.Returned
	}
	_, err := t.exec(`INSERT INTO responses (id, assessment_id, question_id, asset_id, status, reason, decision, decision_text,
		note, revalidate, answered_by, answered_at, imported_from, packet_id, respondent, returned_on)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET status = excluded.status, reason = excluded.reason, decision = excluded.decision,
		decision_text = excluded.decision_text, note = excluded.note, revalidate = excluded.revalidate,
		answered_by = excluded.answered_by, answered_at = excluded.answered_at, imported_from = excluded.imported_from,
		packet_id = excluded.packet_id, respondent = excluded.respondent, returned_on = excluded.returned_on`,
		id, assessmentID, r.QuestionID, nullable(r.AssetID), string(r.Status), r.Reason, string(r.Decision), r.DecisionText,
		r.Note, b2i(r.Revalidate), r.By, r.At.UTC().Format(time.RFC3339Nano), r.ImportedFrom, ret.Packet, ret.Respondent, ret.On)
	if err != nil {
		return err
	}
	return t.record(ActionUpdate, "response", id, assessmentID)
}

// ClearResponse removes the answer to an item, making it unanswered again. seen is the
// version of the answer the user saw (see SaveResponse).
func (s *Store) ClearResponse(ctx context.Context, assessmentID, questionID, assetID string, seen int64) error {
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if err := t.checkResponseVersion(assessmentID, questionID, assetID, seen); err != nil {
			return err
		}
		id := itemID(assessmentID, questionID, assetID)
		var n int
		if err := t.queryRow("SELECT count(*) FROM responses WHERE id = ?", id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("question %s has no answer to clear", questionID)
		}
		if _, err := t.withdrawProposals(assessmentID, questionID, assetID); err != nil {
			return err
		}
		return t.deleteRecord("responses", "response", id, assessmentID)
	})
}

// SetOverride changes who owns one item's control, with a reason. o.Version is the version
// of the override the user saw (see SaveResponse).
func (s *Store) SetOverride(ctx context.Context, assessmentID string, o assessment.Override) error {
	cat, err := s.catalog()
	if err != nil {
		return err
	}
	q, ok := cat.Question(o.QuestionID)
	if !ok {
		return fmt.Errorf("no question has the ID %q; see `safeguard catalog`", o.QuestionID)
	}
	switch o.Owner {
	case controls.OwnerCustomer, controls.OwnerProvider, controls.OwnerShared:
	default:
		return fmt.Errorf("owner %q is not customer, provider or shared", o.Owner)
	}
	if _, err := assessment.CleanName("reason for the override", o.Reason); err != nil {
		return err
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if _, _, err := t.checkItem(cat, assessmentID, q, o.AssetID); err != nil {
			return err
		}
		if err := t.checkOverrideVersion(assessmentID, o.QuestionID, o.AssetID, o.Version); err != nil {
			return err
		}
		return t.writeOverride(assessmentID, o)
	})
}

func (t *Tx) writeOverride(assessmentID string, o assessment.Override) error {
	id := itemID(assessmentID, o.QuestionID, o.AssetID)
	_, err := t.exec(`INSERT INTO overrides (id, assessment_id, question_id, asset_id, owner, reason) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, reason = excluded.reason`,
		id, assessmentID, o.QuestionID, nullable(o.AssetID), string(o.Owner), o.Reason)
	if err != nil {
		return err
	}
	return t.record(ActionUpdate, "override", id, assessmentID)
}

// ClearOverride restores the default owner of an item. seen is the version of the
// override the user saw (see SaveResponse).
func (s *Store) ClearOverride(ctx context.Context, assessmentID, questionID, assetID string, seen int64) error {
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if err := t.checkOverrideVersion(assessmentID, questionID, assetID, seen); err != nil {
			return err
		}
		id := itemID(assessmentID, questionID, assetID)
		var n int
		if err := t.queryRow("SELECT count(*) FROM overrides WHERE id = ?", id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("question %s has no owner override to clear", questionID)
		}
		return t.deleteRecord("overrides", "override", id, assessmentID)
	})
}

func readAnswers(ctx context.Context, q queryer, id string, snap *assessment.Snapshot) error {
	if err := readResponsesWhere(ctx, q, "assessment_id = ?", snap, id); err != nil {
		return err
	}
	return readOverridesWhere(ctx, q, "assessment_id = ?", snap, id)
}

// readResponsesWhere appends the answers where selects to snap.Responses, by question and asset.
func readResponsesWhere(ctx context.Context, q queryer, where string, snap *assessment.Snapshot, args ...any) error {
	rows, err := q.QueryContext(ctx, `SELECT question_id, coalesce(asset_id, ''), status, reason, decision, decision_text, note,
		revalidate, answered_by, answered_at, imported_from, packet_id, respondent, returned_on, `+versionSQL("response", "responses")+`
		FROM responses WHERE `+where+` ORDER BY question_id, asset_id`, args...)
	if err != nil {
		return err
	}
	return eachRow(rows, func(sc scanner) error {
		var r assessment.Response
		var status, decision, at string
		var reval int
		var ret assessment.Returned
		if err := sc.Scan(&r.QuestionID, &r.AssetID, &status, &r.Reason, &decision, &r.DecisionText, &r.Note, &reval, &r.By, &at,
			&r.ImportedFrom, &ret.Packet, &ret.Respondent, &ret.On, &r.Version); err != nil {
			return err
		}
		if ret.Packet != "" {
			r.Returned = &ret
		}
		r.Status, r.Decision, r.Revalidate = assessment.ResponseStatus(status), assessment.Decision(decision), reval == 1
		r.At, _ = time.Parse(time.RFC3339Nano, at)
		snap.Responses = append(snap.Responses, r)
		return nil
	})
}

// readOverridesWhere appends the owner overrides where selects to snap.Overrides.
func readOverridesWhere(ctx context.Context, q queryer, where string, snap *assessment.Snapshot, args ...any) error {
	rows, err := q.QueryContext(ctx, `SELECT question_id, coalesce(asset_id, ''), owner, reason, `+versionSQL("override", "overrides")+`
		FROM overrides WHERE `+where+` ORDER BY question_id, asset_id`, args...)
	if err != nil {
		return err
	}
	return eachRow(rows, func(sc scanner) error {
		var o assessment.Override
		var owner string
		if err := sc.Scan(&o.QuestionID, &o.AssetID, &owner, &o.Reason, &o.Version); err != nil {
			return err
		}
		o.Owner = controls.Owner(owner)
		snap.Overrides = append(snap.Overrides, o)
		return nil
	})
}

// checkResponseVersion refuses to change an answer that another process changed after
// version seen.
func (t *Tx) checkResponseVersion(assessmentID, questionID, assetID string, seen int64) error {
	return t.checkVersion("response", itemID(assessmentID, questionID, assetID), seen, itemWhat("answer", questionID, assetID, t.assetName),
		func() (any, error) { return readResponse(t.ctx, t, assessmentID, questionID, assetID) })
}

// checkOverrideVersion refuses to change an owner override that another process changed
// after version seen.
func (t *Tx) checkOverrideVersion(assessmentID, questionID, assetID string, seen int64) error {
	return t.checkVersion("override", itemID(assessmentID, questionID, assetID), seen, itemWhat("owner override", questionID, assetID, t.assetName),
		func() (any, error) { return readOverride(t.ctx, t, assessmentID, questionID, assetID) })
}

// refuseCircularNotApplicable refuses "not applicable" on an addressable specification
// while another item of the same specification, on the same asset (or the organization),
// is answered partial or not implemented: the specification then applies, so calling one
// of its parts not applicable is circular ("we do not encrypt, so there are no keys").
func (t *Tx) refuseCircularNotApplicable(cat *controls.Catalog, assessmentID string, q *controls.Question, r assessment.Response) error {
	if r.Status != assessment.NotApplicable || !assessment.TakesDecision(cat, q) {
		return nil
	}
	rows, err := t.tx.QueryContext(t.ctx, `SELECT question_id, status FROM responses WHERE assessment_id = ?
		AND coalesce(asset_id, '') = ? AND status IN (?, ?) AND revalidate = 0 AND question_id <> ? ORDER BY question_id`,
		assessmentID, r.AssetID, string(assessment.Partial), string(assessment.NotImplemented), q.ID)
	if err != nil {
		return err
	}
	var sibling, status string
	err = eachRow(rows, func(sc scanner) error {
		var qid, st string
		if err := sc.Scan(&qid, &st); err != nil {
			return err
		}
		if o, ok := cat.Question(qid); ok && sibling == "" && o.Specification == q.Specification && !o.Proposed {
			sibling, status = qid, st
		}
		return nil
	})
	if err != nil || sibling == "" {
		return err
	}
	return fmt.Errorf("%s cannot be not applicable while %s on the same specification (§%s) is %s; the specification applies here, so answer what %s asks (not implemented, say) or record a not-reasonable decision with its rationale",
		q.ID, sibling, q.Specification, strings.ReplaceAll(status, "-", " "), q.ID)
}

// RevalidateResponse confirms an answer carried from the previous revision as it stands:
// the answer is kept, no longer marked to re-validate, and recorded as given now by this
// session's actor. It must pass today's consistency rules, which may be stricter than when
// it was first given; change the answer instead when it does not.
func (s *Store) RevalidateResponse(ctx context.Context, assessmentID, questionID, assetID string) error {
	cat, err := s.catalog()
	if err != nil {
		return err
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		var snap assessment.Snapshot
		if err := readAnswers(t.ctx, t.tx, assessmentID, &snap); err != nil {
			return err
		}
		var r *assessment.Response
		for i := range snap.Responses {
			if x := &snap.Responses[i]; x.QuestionID == questionID && x.AssetID == assetID {
				r = x
			}
		}
		switch {
		case r == nil:
			return fmt.Errorf("%s has no answer to re-validate; answer it instead", questionID)
		case !r.Revalidate:
			return fmt.Errorf("%s is not marked to re-validate; its answer is already current", questionID)
		}
		if err := assessment.ValidateResponse(cat, *r); err != nil {
			return err
		}
		if err := assessment.CheckConsistency(cat, *r); err != nil {
			return fmt.Errorf("the carried answer cannot be confirmed as it stands: %w; answer it again", err)
		}
		q, _ := cat.Question(questionID)
		if _, _, err := t.checkItem(cat, assessmentID, q, assetID); err != nil {
			return err
		}
		r.Revalidate = false
		r.By, r.ImportedFrom, r.Returned = t.actor, "", nil
		r.At, _ = time.Parse(time.RFC3339Nano, t.at)
		return t.writeResponse(assessmentID, *r)
	})
}

// itemContext reads the profile and inventory that decide what is asked. A transaction
// that saves many answers and changes neither (a returned questionnaire) reads them once
// (Tx.keepItemContext).
func (t *Tx) itemContext(assessmentID string) (assessment.Profile, *assessment.Snapshot, error) {
	if c := t.items; c != nil && c.assessmentID == assessmentID {
		return c.profile, c.snap, nil
	}
	p, _, err := readProfile(t.ctx, t, assessmentID)
	if err != nil || !t.keepItemContext {
		// One answer reads only its own asset (checkItem): the cost of a save does not
		// grow with the inventory. A batch reads the inventory once for all its answers.
		return p, nil, err
	}
	snap := &assessment.Snapshot{}
	if err := readInventory(t.ctx, t, assessmentID, snap); err != nil {
		return p, nil, err
	}
	if t.keepItemContext {
		t.items = &itemCache{assessmentID: assessmentID, profile: p, snap: snap}
	}
	return p, snap, nil
}

type itemCache struct {
	assessmentID string
	profile      assessment.Profile
	snap         *assessment.Snapshot
}
