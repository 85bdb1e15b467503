package store

import (
	"context"
	"database/sql"

	"safeguard/assessment"
)

// AnswersSnapshot loads the part of an assessment that decides which items apply and how
// many are answered: the assessment, its profile, its inventory (assets, vendors, flows)
// and its answers and owner overrides, in one read transaction. Risks, evidence, the
// sign-off and the audit trail are left out, so a list of many assessments can show each
// one's progress without reading (or counting) everything. Analyze it for the figures.
func (s *Store) AnswersSnapshot(ctx context.Context, id string) (*assessment.Snapshot, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, friendly(s.path, err)
	}
	defer tx.Rollback()
	snap := &assessment.Snapshot{Catalog: cat}
	snap.Assessment, err = scanAssessment(tx.QueryRowContext(ctx, "SELECT "+assessmentCols+" FROM assessments WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return nil, notFoundAssessment(id)
	}
	if err != nil {
		return nil, friendly(s.path, err)
	}
	loaders := []func() error{
		func() (err error) { snap.Profile, snap.RevisionOf, err = readProfile(ctx, tx, id); return err },
		func() error { return readInventory(ctx, tx, id, snap) },
		func() error { return readAnswers(ctx, tx, id, snap) },
	}
	for _, load := range loaders {
		if err := load(); err != nil {
			return nil, friendly(s.path, err)
		}
	}
	snap.GeneratedAt = snap.Assessment.UpdatedAt
	return snap, nil
}
