package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"

	"safeguard/assessment"
	"safeguard/controls"
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

// readProfile also returns the revision the assessment was cloned from. The scoping fields
// (depth, region, clearinghouse and plan-sponsor flags) come from profile_scope; an
// assessment without that row asks at the complete depth, as every assessment did before
// depths existed.
func readProfile(ctx context.Context, q rowQueryer, id string) (assessment.Profile, string, error) {
	var p assessment.Profile
	var part2, medi, proposed int
	var assessors, revisionOf, entity, matrix string
	err := q.QueryRowContext(ctx, `SELECT entity_type, size, part2_program, medicare_medicaid, assessors, period_start,
		period_end, scope, include_proposed, matrix, revision_of FROM profiles WHERE assessment_id = ?`, id).
		Scan(&entity, &p.Size, &part2, &medi, &assessors, &p.PeriodStart, &p.PeriodEnd, &p.Scope, &proposed, &matrix, &revisionOf)
	switch {
	case err == sql.ErrNoRows:
		p = DefaultProfile()
	case err != nil:
		return p, "", err
	default:
		p.EntityType, p.Matrix = assessment.EntityType(entity), assessment.MatrixKind(matrix)
		p.Part2Program, p.MedicareMedicaid, p.IncludeProposed = part2 == 1, medi == 1, proposed == 1
		if err := json.Unmarshal([]byte(assessors), &p.Assessors); err != nil {
			return p, "", err
		}
	}
	return p, revisionOf, readScope(ctx, q, id, &p)
}

// readScope fills the profile's scoping fields from profile_scope, leaving them zero when the
// assessment has no row.
func readScope(ctx context.Context, q rowQueryer, id string, p *assessment.Profile) error {
	var depth string
	var chc, sponsor int
	err := q.QueryRowContext(ctx, `SELECT depth, region, clearinghouse_component, sponsor_receives_ephi
		FROM profile_scope WHERE assessment_id = ?`, id).Scan(&depth, &p.Region, &chc, &sponsor)
	if err == sql.ErrNoRows {
		return nil
	}
	p.Depth, p.ClearinghouseComponent, p.SponsorReceivesEPHI = controls.Depth(depth), chc == 1, sponsor == 1
	return err
}

// SaveProfile records the organization profile. The risk matrix cannot change once a risk
// has been rated, since the ratings were made against it.
func (s *Store) SaveProfile(ctx context.Context, id string, p assessment.Profile) error {
	return s.UpdateProfile(ctx, id, ProfileUpdate{Profile: p})
}

// ProfileUpdate is a profile with, optionally, a new organization name and title.
type ProfileUpdate struct {
	Profile      assessment.Profile
	Organization string // "" keeps the current name
	Title        string // "" keeps the current title
}

// UpdateProfile records the profile and renames the organization or the assessment when
// asked, in one transaction: everything is checked first, so bad input changes nothing.
// Each change has its own audit entry.
func (s *Store) UpdateProfile(ctx context.Context, id string, u ProfileUpdate) error {
	p := u.Profile
	if p.Assessors == nil {
		p.Assessors = []string{}
	}
	cat, err := s.catalog()
	if err != nil {
		return err
	}
	if err := assessment.CheckProfileIn(cat, p); err != nil {
		return err
	}
	org, title := u.Organization, u.Title
	if org != "" {
		if org, err = assessment.CleanName("organization name", org); err != nil {
			return err
		}
	}
	if title != "" {
		if title, err = assessment.CleanName("title", title); err != nil {
			return err
		}
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(id); err != nil {
			return err
		}
		if org != "" {
			if err := t.renameOrganization(id, org); err != nil {
				return err
			}
		}
		if title != "" {
			if err := t.retitle(id, title); err != nil {
				return err
			}
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
		if old.Assessors == nil {
			old.Assessors = []string{}
		}
		if reflect.DeepEqual(old, p) {
			return nil // nothing changed: no write, no audit entry
		}
		return t.writeProfile(id, p, revisionOf)
	})
}

func (t *Tx) writeProfile(id string, p assessment.Profile, revisionOf string) error {
	if err := t.writeProfileRow(id, p, revisionOf); err != nil {
		return err
	}
	return t.writeScope(id, p)
}

// writeScope records the scoping fields. An assessment that never had them set keeps no
// row (and no audit entry) while they stay at their zero values.
func (t *Tx) writeScope(id string, p assessment.Profile) error {
	var n int
	if err := t.queryRow("SELECT count(*) FROM profile_scope WHERE assessment_id = ?", id).Scan(&n); err != nil {
		return err
	}
	if n == 0 && p.Depth == "" && p.Region == "" && !p.ClearinghouseComponent && !p.SponsorReceivesEPHI {
		return nil
	}
	var old assessment.Profile
	if n > 0 {
		if err := readScope(t.ctx, t.tx, id, &old); err != nil {
			return err
		}
		if old.Depth == p.Depth && old.Region == p.Region && old.ClearinghouseComponent == p.ClearinghouseComponent && old.SponsorReceivesEPHI == p.SponsorReceivesEPHI {
			return nil
		}
	}
	_, err := t.exec(`INSERT INTO profile_scope (assessment_id, depth, region, clearinghouse_component, sponsor_receives_ephi)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (assessment_id) DO UPDATE SET depth = excluded.depth, region = excluded.region,
		clearinghouse_component = excluded.clearinghouse_component, sponsor_receives_ephi = excluded.sponsor_receives_ephi`,
		id, string(p.Depth), p.Region, b2i(p.ClearinghouseComponent), b2i(p.SponsorReceivesEPHI))
	if err != nil {
		return err
	}
	action := ActionUpdate
	if n == 0 {
		action = ActionCreate
	}
	return t.record(action, "profile_scope", id, id)
}

func (t *Tx) writeProfileRow(id string, p assessment.Profile, revisionOf string) error {
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
