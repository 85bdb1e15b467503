package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"safeguard/assessment"
	"safeguard/controls"
)

// Snapshot loads everything about one assessment in one read transaction, so a report or
// export sees a consistent state even while another process writes.
func (s *Store) Snapshot(ctx context.Context, id string) (*assessment.Snapshot, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, friendly(s.path, err)
	}
	defer tx.Rollback()
	snap, err := s.loadSnapshot(ctx, tx, cat, id)
	if err != nil {
		return nil, err
	}
	// A revision's analysis names the analysis it revises and what changed since: load that
	// one too, in the same transaction, without its own predecessor.
	if snap.RevisionOf != "" {
		prev, err := s.loadSnapshot(ctx, tx, cat, snap.RevisionOf)
		switch {
		case err == nil:
			snap.Previous = prev
		case !errors.Is(err, ErrNotFound):
			return nil, err
		}
	}
	return snap, nil
}

// loadSnapshot reads one assessment in the read transaction tx.
func (s *Store) loadSnapshot(ctx context.Context, tx *sql.Tx, cat *controls.Catalog, id string) (*assessment.Snapshot, error) {
	var err error
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
		func() error { return readRisks(ctx, tx, id, snap) },
		func() error { return readEvidence(ctx, tx, id, snap) },
		func() error { return readMethod(ctx, tx, id, snap) },
		func() (err error) { snap.SignOff, err = readSignOff(ctx, tx, id); return err },
		func() (err error) { snap.Audit, err = auditSummary(ctx, tx); return err },
		func() (err error) { snap.Incidents, err = readIncidents(ctx, tx, id); return err },
		func() (err error) {
			if snap.RevisionOf != "" {
				snap.EarlierIncidents, err = readIncidents(ctx, tx, snap.RevisionOf)
			}
			return err
		},
	}
	for _, load := range loaders {
		if err := load(); err != nil {
			return nil, friendly(s.path, err)
		}
	}
	snap.GeneratedAt = snap.Assessment.UpdatedAt
	return snap, nil
}

// auditSummary is the entry count and chain head; Verified stays false until a caller
// has run Verify.
func auditSummary(ctx context.Context, q rowQueryer) (assessment.AuditSummary, error) {
	var sum assessment.AuditSummary
	err := q.QueryRowContext(ctx, "SELECT count(*), coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '') FROM audit_log").
		Scan(&sum.Entries, &sum.Head)
	return sum, err
}

func readSignOff(ctx context.Context, q rowQueryer, id string) (*assessment.SignOff, error) {
	var so assessment.SignOff
	var recorded string
	var ap assessment.Approver
	err := q.QueryRowContext(ctx, `SELECT name, role, date, statement, chain_head, recorded_at, approver_name, approver_role,
		approver_date FROM sign_offs WHERE assessment_id = ?`, id).
		Scan(&so.Name, &so.Role, &so.Date, &so.Statement, &so.ChainHead, &recorded, &ap.Name, &ap.Role, &ap.Date)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if recorded != "" {
		so.RecordedAt, _ = time.Parse(time.RFC3339Nano, recorded)
	}
	if ap.Name != "" {
		so.Approver = &ap
	}
	return &so, err
}

// VerifiedSnapshot is Snapshot plus a full Verify, whose outcome it records in the audit
// summary: what a report states about the trail it covers.
func (s *Store) VerifiedSnapshot(ctx context.Context, id string) (*assessment.Snapshot, VerifyResult, error) {
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		return nil, VerifyResult{}, err
	}
	res, err := s.Verify(ctx)
	if err != nil {
		return nil, res, err
	}
	snap.Audit.Verified, snap.Audit.Problems = res.OK(), res.Problems
	return snap, res, nil
}

// OutputSource is what a report or export is made from: the snapshot, and the importable
// document when one is asked for. verify runs a full Verify first and records its outcome
// in the snapshot's audit summary (Verified is then true). The CLI and the TUI both load
// outputs through it, with the Verify and Document flags of reports.Format, so every
// front end checks the workspace the same way for the same output.
type OutputSource struct {
	Snapshot *assessment.Snapshot
	Document *assessment.Document
	Verified bool
	Result   VerifyResult // when Verified
}

// LoadOutputSource loads the OutputSource of assessment id.
func (s *Store) LoadOutputSource(ctx context.Context, id string, verify, document bool) (*OutputSource, error) {
	out := &OutputSource{}
	var err error
	if verify {
		out.Snapshot, out.Result, err = s.VerifiedSnapshot(ctx, id)
		out.Verified = true
	} else {
		out.Snapshot, err = s.Snapshot(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	if document {
		doc := assessment.DocumentOf(out.Snapshot)
		doc.ExportedAt = time.Now().UTC().Truncate(time.Second)
		if err := s.fillNoteText(ctx, doc); err != nil {
			return nil, err
		}
		out.Document = doc
	}
	return out, nil
}
