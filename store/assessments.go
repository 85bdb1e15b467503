package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"safeguard/assessment"
)

// NewAssessment is what creating an assessment needs.
type NewAssessment struct {
	Title          string
	Organization   string
	CatalogVersion string
}

// CreateAssessment adds an empty draft assessment and returns it.
func (s *Store) CreateAssessment(ctx context.Context, n NewAssessment) (assessment.Assessment, error) {
	title, err := assessment.CleanName("title", n.Title)
	if err != nil {
		return assessment.Assessment{}, err
	}
	org, err := assessment.CleanName("organization name", n.Organization)
	if err != nil {
		return assessment.Assessment{}, err
	}
	id := uuid.NewString()
	err = s.mutate(ctx, func(t *Tx) error {
		if _, err := t.exec(`INSERT INTO assessments (id, title, organization, status, catalog_version, created_at, updated_at)
			VALUES (?, ?, ?, 'draft', ?, ?, ?)`, id, title, org, n.CatalogVersion, t.at, t.at); err != nil {
			return err
		}
		return t.record(ActionCreate, "assessment", id, id)
	})
	if err != nil {
		return assessment.Assessment{}, err
	}
	return s.Assessment(ctx, id)
}

// assessmentCols reads the last change from the audit trail, so answering a question
// counts as a change without rewriting the assessment row. Entries that only record a
// report or backup written are not changes.
var assessmentCols = `id, title, organization, status, catalog_version, created_at,
	coalesce((SELECT at FROM audit_log WHERE audit_log.assessment_id = assessments.id AND entity NOT IN (` + bookkeepingList() + `)
	ORDER BY seq DESC LIMIT 1), updated_at)`

func scanAssessment(sc interface{ Scan(...any) error }) (assessment.Assessment, error) {
	var a assessment.Assessment
	var status, created, updated string
	err := sc.Scan(&a.ID, &a.Title, &a.Organization, &status, &a.CatalogVersion, &created, &updated)
	a.Status = assessment.Status(status)
	a.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
	a.UpdatedAt, _ = time.Parse(time.RFC3339Nano, updated)
	return a, err
}

// Assessment returns one assessment by ID.
func (s *Store) Assessment(ctx context.Context, id string) (assessment.Assessment, error) {
	a, err := scanAssessment(s.db.QueryRowContext(ctx, "SELECT "+assessmentCols+" FROM assessments WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return a, notFoundAssessment(id)
	}
	return a, friendly(s.path, err)
}

func notFoundAssessment(id string) error {
	return fmt.Errorf("no assessment has the ID %q; run `safeguard assessments` to list them: %w", id, ErrNotFound)
}

// Assessments lists every assessment, most recently changed first.
func (s *Store) Assessments(ctx context.Context) ([]assessment.Assessment, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+assessmentCols+" AS changed FROM assessments ORDER BY changed DESC, id")
	if err != nil {
		return nil, friendly(s.path, err)
	}
	defer rows.Close()
	var out []assessment.Assessment
	for rows.Next() {
		a, err := scanAssessment(rows)
		if err != nil {
			return nil, friendly(s.path, err)
		}
		out = append(out, a)
	}
	return out, friendly(s.path, rows.Err())
}

// ResolveAssessment turns a full ID or a unique prefix of at least four characters into
// the assessment's full ID, so people can type the start of a UUID.
func (s *Store) ResolveAssessment(ctx context.Context, ref string) (string, error) {
	ref = strings.TrimSpace(strings.ToLower(ref))
	if len(ref) < 4 {
		return "", fmt.Errorf("the assessment ID %q is too short; give at least four characters (see `safeguard assessments`)", ref)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM assessments WHERE substr(id, 1, ?) = ? ORDER BY id", len(ref), ref)
	if err != nil {
		return "", friendly(s.path, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", friendly(s.path, err)
		}
		ids = append(ids, id)
	}
	switch len(ids) {
	case 0:
		return "", notFoundAssessment(ref)
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("the assessment ID %q matches %d assessments; give more characters", ref, len(ids))
}

// RenameAssessment changes an assessment's title.
func (s *Store) RenameAssessment(ctx context.Context, id, title string) error {
	title, err := assessment.CleanName("title", title)
	if err != nil {
		return err
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(id); err != nil {
			return err
		}
		if _, err := t.exec("UPDATE assessments SET title = ?, updated_at = ? WHERE id = ?", title, t.at, id); err != nil {
			return err
		}
		return t.record(ActionUpdate, "assessment", id, id)
	})
}

// RenameOrganization changes the name of the organization an assessment is about.
func (s *Store) RenameOrganization(ctx context.Context, id, name string) error {
	name, err := assessment.CleanName("organization name", name)
	if err != nil {
		return err
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(id); err != nil {
			return err
		}
		return t.renameOrganization(id, name)
	})
}

// retitle changes the assessment's title when it differs, audited.
func (t *Tx) retitle(id, title string) error {
	var old string
	if err := t.queryRow("SELECT title FROM assessments WHERE id = ?", id).Scan(&old); err != nil {
		return err
	}
	if old == title {
		return nil
	}
	if _, err := t.exec("UPDATE assessments SET title = ?, updated_at = ? WHERE id = ?", title, t.at, id); err != nil {
		return err
	}
	return t.record(ActionUpdate, "assessment", id, id)
}

// renameOrganization changes the organization name when it differs, audited.
func (t *Tx) renameOrganization(id, name string) error {
	var old string
	if err := t.queryRow("SELECT organization FROM assessments WHERE id = ?", id).Scan(&old); err != nil {
		return err
	}
	if old == name {
		return nil
	}
	if _, err := t.exec("UPDATE assessments SET organization = ?, updated_at = ? WHERE id = ?", name, t.at, id); err != nil {
		return err
	}
	return t.record(ActionUpdate, "assessment", id, id)
}

// DeleteAssessment removes an assessment and everything that belongs to it. The audit
// trail keeps its history and a tombstone.
func (s *Store) DeleteAssessment(ctx context.Context, id string) error {
	return s.mutate(ctx, func(t *Tx) error {
		if n, err := t.countIncidents(id); err != nil {
			return err
		} else if n > 0 {
			return fmt.Errorf("assessment %s holds %s, and incident records are kept six years (45 CFR §164.316(b)(2)(i)), so it cannot be deleted", id, assessment.Plural(n, "incident", "incidents"))
		}
		res, err := t.exec("DELETE FROM assessments WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFoundAssessment(id)
		}
		return t.record(ActionDelete, "assessment", id, id)
	})
}

// editable refuses changes to a missing or finalized assessment.
func (t *Tx) editable(id string) error {
	var status string
	err := t.queryRow("SELECT status FROM assessments WHERE id = ?", id).Scan(&status)
	if err == sql.ErrNoRows {
		return notFoundAssessment(id)
	}
	if err != nil {
		return err
	}
	if assessment.Status(status) == assessment.StatusFinal {
		return fmt.Errorf("assessment %s is final and locked; start a new revision to change it", id)
	}
	return nil
}
