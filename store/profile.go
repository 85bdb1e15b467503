package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"safeguard/assessment"
)

// DefaultProfile is the profile of an assessment nobody has described yet.
func DefaultProfile() assessment.Profile {
	return assessment.Profile{EntityType: assessment.EntityProvider, Size: "small", Matrix: assessment.MatrixNIST5x5, Assessors: []string{}}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own plain types are marshalled here
	}
	return string(b)
}

// Profile returns an assessment's organization profile (the default if none was saved).
func (s *Store) Profile(ctx context.Context, id string) (assessment.Profile, error) {
	if _, err := s.Assessment(ctx, id); err != nil {
		return assessment.Profile{}, err
	}
	p, _, err := readProfile(ctx, s.db, id)
	return p, friendly(s.path, err)
}

type rowQueryer interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// readProfile also returns the revision the assessment was cloned from.
func readProfile(ctx context.Context, q rowQueryer, id string) (assessment.Profile, string, error) {
	var p assessment.Profile
	var part2, medi, proposed int
	var assessors, revisionOf, entity, matrix string
	err := q.QueryRowContext(ctx, `SELECT entity_type, size, part2_program, medicare_medicaid, assessors, period_start,
		period_end, scope, include_proposed, matrix, revision_of FROM profiles WHERE assessment_id = ?`, id).
		Scan(&entity, &p.Size, &part2, &medi, &assessors, &p.PeriodStart, &p.PeriodEnd, &p.Scope, &proposed, &matrix, &revisionOf)
	if err == sql.ErrNoRows {
		return DefaultProfile(), "", nil
	}
	if err != nil {
		return p, "", err
	}
	p.EntityType, p.Matrix = assessment.EntityType(entity), assessment.MatrixKind(matrix)
	p.Part2Program, p.MedicareMedicaid, p.IncludeProposed = part2 == 1, medi == 1, proposed == 1
	if err := json.Unmarshal([]byte(assessors), &p.Assessors); err != nil {
		return p, "", err
	}
	return p, revisionOf, nil
}

// SaveProfile records the organization profile. The risk matrix cannot change once a risk
// has been rated, since the ratings were made against it.
func (s *Store) SaveProfile(ctx context.Context, id string, p assessment.Profile) error {
	if p.Assessors == nil {
		p.Assessors = []string{}
	}
	if err := assessment.CheckProfile(p); err != nil {
		return err
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(id); err != nil {
			return err
		}
		old, revisionOf, err := readProfile(t.ctx, t, id)
		if err != nil {
			return err
		}
		if old.Matrix != p.Matrix {
			if err := t.refuseMatrixChange(id); err != nil {
				return err
			}
		}
		return t.writeProfile(id, p, revisionOf)
	})
}

func (t *Tx) writeProfile(id string, p assessment.Profile, revisionOf string) error {
	_, err := t.exec(`INSERT INTO profiles (assessment_id, entity_type, size, part2_program, medicare_medicaid, assessors,
		period_start, period_end, scope, include_proposed, matrix, revision_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (assessment_id) DO UPDATE SET entity_type = excluded.entity_type, size = excluded.size,
		part2_program = excluded.part2_program, medicare_medicaid = excluded.medicare_medicaid, assessors = excluded.assessors,
		period_start = excluded.period_start, period_end = excluded.period_end, scope = excluded.scope,
		include_proposed = excluded.include_proposed, matrix = excluded.matrix, revision_of = excluded.revision_of`,
		id, string(p.EntityType), p.Size, b2i(p.Part2Program), b2i(p.MedicareMedicaid), mustJSON(p.Assessors),
		p.PeriodStart, p.PeriodEnd, p.Scope, b2i(p.IncludeProposed), string(p.Matrix), revisionOf)
	if err != nil {
		return err
	}
	return t.record(ActionUpdate, "profile", id, id)
}

func (t *Tx) refuseMatrixChange(id string) error {
	var n int
	if err := t.queryRow("SELECT count(*) FROM risks WHERE assessment_id = ? AND likelihood > 0", id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the risk matrix is fixed once risks are rated (%d are); keep the current matrix", n)
	}
	return nil
}
