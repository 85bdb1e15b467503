package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"safeguard/assessment"
)

// Save → screen in one frame. A screen that showed an assessment and saved one answer
// used to load the whole assessment again: 60 ms of a 160-asset assessment's 93 ms from
// key to settled screen. Refresh reads instead what changed since the snapshot was
// loaded (the assessment's audit entries after its Position), and when that is only
// answers, owner overrides and risks, re-reads those records alone into a copy of the
// snapshot. Anything else (the profile, the inventory, evidence, a sign-off) loads the
// whole snapshot again, as does a long list of changes.

// refreshLimit is how many changed records Refresh patches in; past it, a whole load is
// as cheap.
const refreshLimit = 200

// Refresh returns snap brought up to date with its assessment's changes since it was
// loaded (see above), and whether it loaded the whole snapshot again. snap is not
// modified; unchanged, it is returned as it is.
func (s *Store) Refresh(ctx context.Context, snap *assessment.Snapshot) (*assessment.Snapshot, bool, error) {
	id := snap.Assessment.ID
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, false, friendly(s.path, err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT DISTINCT entity, entity_id FROM audit_log WHERE assessment_id = ? AND seq > ? LIMIT ?",
		id, snap.Position, refreshLimit+1)
	if err != nil {
		return nil, false, friendly(s.path, err)
	}
	changed := map[string][]string{}
	n, patchable := 0, true
	err = eachRow(rows, func(sc scanner) error {
		var entity, eid string
		if err := sc.Scan(&entity, &eid); err != nil {
			return err
		}
		n++
		switch entity {
		case "response", "override", "risk":
			changed[entity] = append(changed[entity], eid)
		default:
			if !bookkeeping[entity] {
				patchable = false
			}
		}
		return nil
	})
	if err != nil {
		return nil, false, friendly(s.path, err)
	}
	if n == 0 {
		return snap, false, nil
	}
	if !patchable || n > refreshLimit || snap.Catalog == nil {
		tx.Rollback()
		full, err := s.Snapshot(ctx, id)
		return full, true, err
	}
	out, err := s.patch(ctx, tx, snap, changed)
	return out, false, err
}

// patch copies snap and re-reads the changed records into the copy.
func (s *Store) patch(ctx context.Context, tx *sql.Tx, snap *assessment.Snapshot, changed map[string][]string) (*assessment.Snapshot, error) {
	id := snap.Assessment.ID
	out := *snap
	out.Responses = slices.Clone(snap.Responses)
	out.Overrides = slices.Clone(snap.Overrides)
	out.Risks = slices.Clone(snap.Risks)
	var err error
	if out.Assessment, err = scanAssessment(tx.QueryRowContext(ctx, "SELECT "+assessmentCols+" FROM assessments WHERE id = ?", id)); err != nil {
		return nil, friendly(s.path, err)
	}
	for _, rid := range changed["response"] {
		var one assessment.Snapshot
		if err := readResponsesWhere(ctx, tx, "id = ?", &one, rid); err != nil {
			return nil, friendly(s.path, err)
		}
		q, a := splitItemID(id, rid)
		out.Responses = replaceSorted(out.Responses, one.Responses, func(r assessment.Response) int {
			return cmpItem(r.QuestionID, r.AssetID, q, a)
		})
	}
	for _, oid := range changed["override"] {
		var one assessment.Snapshot
		if err := readOverridesWhere(ctx, tx, "id = ?", &one, oid); err != nil {
			return nil, friendly(s.path, err)
		}
		q, a := splitItemID(id, oid)
		out.Overrides = replaceSorted(out.Overrides, one.Overrides, func(o assessment.Override) int {
			return cmpItem(o.QuestionID, o.AssetID, q, a)
		})
	}
	for _, rid := range changed["risk"] {
		var one assessment.Snapshot
		if err := readRisksWhere(ctx, tx, "assessment_id = ? AND id = ?", &one, id, rid); err != nil {
			return nil, friendly(s.path, err)
		}
		out.Risks = replaceSorted(out.Risks, one.Risks, func(r assessment.Risk) int { return strings.Compare(r.ID, rid) })
	}
	if out.Position, err = assessmentPosition(ctx, tx, id); err != nil {
		return nil, friendly(s.path, err)
	}
	if out.Audit, err = s.auditSummary(ctx, tx); err != nil {
		return nil, friendly(s.path, err)
	}
	if err := sinceSealed(ctx, tx, &out); err != nil {
		return nil, friendly(s.path, err)
	}
	out.GeneratedAt = out.Assessment.UpdatedAt
	return &out, nil
}

// replaceSorted puts the record cmp finds (0 when equal, its sign the order) in list as
// found: replaced, inserted at its place, or removed when found is empty.
func replaceSorted[T any](list, found []T, cmp func(T) int) []T {
	i, ok := slices.BinarySearchFunc(list, 0, func(x T, _ int) int { return cmp(x) })
	switch {
	case ok && len(found) == 0:
		return slices.Delete(list, i, i+1)
	case ok:
		list[i] = found[0]
		return list
	case len(found) > 0:
		return slices.Insert(list, i, found[0])
	}
	return list
}

// cmpItem orders items as the store reads them: by question, then asset ("" first).
func cmpItem(q, a, wantQ, wantA string) int {
	if c := strings.Compare(q, wantQ); c != 0 {
		return c
	}
	return strings.Compare(a, wantA)
}

// splitItemID is itemID undone: the question and asset of an answer or override ID.
func splitItemID(assessmentID, id string) (question, asset string) {
	rest := strings.TrimPrefix(id, assessmentID+"/")
	question, asset, _ = strings.Cut(rest, "/")
	return question, asset
}

// assessmentPosition is the last audit entry of an assessment (0: none).
func assessmentPosition(ctx context.Context, q rowQueryer, id string) (int64, error) {
	var seq int64
	err := q.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM audit_log WHERE assessment_id = ?", id).Scan(&seq)
	return seq, err
}
