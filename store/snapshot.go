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
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
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
		func() (err error) { snap.Position, err = assessmentPosition(ctx, tx, id); return err },
		func() error { return readInventory(ctx, tx, id, snap) },
		func() error { return readAnswers(ctx, tx, id, snap) },
		func() error { return readRisks(ctx, tx, id, snap) },
		func() error { return readEvidence(ctx, tx, id, snap) },
		func() error { return readMethod(ctx, tx, id, snap) },
		func() (err error) { snap.Audit, err = s.auditSummary(ctx, tx); return err },
		func() (err error) { snap.SignOff, err = readSignOff(ctx, tx, id); return err },
		func() error { return sinceSealed(ctx, tx, snap) },
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

// auditSummary is what a report states about the audit trail: its seal is the newest
// entry that changed the workspace's data, with the workspace identity (unsigned:
// ReportSeal signs it). Entries recording reports and backups written since are left out,
// so that a report made again from unchanged data is byte-identical to the first, and its
// anchor still proves everything the report describes. Verified stays false until a
// caller has run Verify.
func (s *Store) auditSummary(ctx context.Context, tx *sql.Tx) (assessment.AuditSummary, error) {
	var sum assessment.AuditSummary
	head, err := dataHead(ctx, tx)
	if err != nil {
		return sum, err
	}
	var id string
	err = tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE id = ?", identitySetting).Scan(&id)
	if err != nil && err != sql.ErrNoRows {
		return sum, err
	}
	sum.Entries, sum.Head = head.Seq, head.Hash
	sum.Seal = assessment.Seal{Workspace: id, Seq: head.Seq, Head: head.Hash}
	return sum, nil
}

// dataHead is the newest audit entry that is not bookkeeping (a seal or backup record).
func dataHead(ctx context.Context, q rowQueryer) (Anchor, error) {
	var a Anchor
	err := q.QueryRowContext(ctx, "SELECT seq, hash FROM audit_log WHERE entity NOT IN ("+bookkeepingList()+") ORDER BY seq DESC LIMIT 1").Scan(&a.Seq, &a.Hash)
	if err == sql.ErrNoRows {
		return Anchor{}, nil
	}
	return a, err
}

// readSignOff reads an assessment's sign-off with the seal it made (an imported sign-off
// carries its own workspace's seal; one from before seals only the head it recorded).
func readSignOff(ctx context.Context, q dbReader, id string) (*assessment.SignOff, error) {
	var so assessment.SignOff
	var recorded string
	var ap assessment.Approver
	err := q.QueryRowContext(ctx, `SELECT name, role, date, statement, chain_head, recorded_at, approver_name, approver_role,
		approver_date FROM sign_offs WHERE assessment_id = ?`, id).
		Scan(&so.Name, &so.Role, &so.Date, &so.Statement, &so.ChainHead, &recorded, &ap.Name, &ap.Role, &ap.Date)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if recorded != "" {
		so.RecordedAt, _ = time.Parse(time.RFC3339Nano, recorded)
	}
	if ap.Name != "" {
		so.Approver = &ap
	}
	rec, err := signOffSeal(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		seal := rec.Seal
		so.Seal, so.ChainHead = &seal, seal.Head
	}
	return &so, nil
}

// sinceSealed counts what the chain gained after the sign-off's seal, when the seal is
// this workspace's.
func sinceSealed(ctx context.Context, q queryer, snap *assessment.Snapshot) error {
	so := snap.SignOff
	if so == nil || so.Seal == nil || so.Seal.Workspace != snap.Audit.Seal.Workspace {
		return nil
	}
	var err error
	snap.Audit.SinceSignOff, snap.Audit.ChangesSinceSignOff, err = sinceSignOff(ctx, q, *so.Seal, snap.Audit.Seal.Seq)
	return err
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
	snap.Audit.Verified, snap.Audit.Problems, snap.Audit.Altered = res.OK(), res.Problems, res.Altered
	return snap, res, nil
}

// ReportSnapshot is Snapshot plus VerifyAssessment (the assessment's records, the evidence
// the report lists, the chain up to its head), whose outcome and scope it records in the
// audit summary: what a report states about the trail it covers.
func (s *Store) ReportSnapshot(ctx context.Context, id string) (*assessment.Snapshot, VerifyResult, error) {
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		return nil, VerifyResult{}, err
	}
	var shas []string
	for _, e := range snap.Evidence {
		if e.SHA256 != "" {
			shas = append(shas, e.SHA256)
		}
	}
	res, err := s.VerifyAssessment(ctx, id, shas)
	if err != nil {
		return nil, res, err
	}
	snap.Audit.Verified, snap.Audit.Problems, snap.Audit.Altered = res.OK(), res.Problems, res.Altered
	snap.Audit.Scope = &assessment.VerifyScope{Records: res.Records, Evidence: res.Blobs}
	return snap, res, nil
}

// OutputSource is what a report or export is made from: the snapshot, and the importable
// document when one is asked for. verify runs ReportSnapshot's verification first and
// records its outcome in the snapshot's audit summary (Verified is then true). The CLI and the TUI both load
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
		out.Snapshot, out.Result, err = s.ReportSnapshot(ctx, id)
		out.Verified = true
	} else {
		out.Snapshot, err = s.Snapshot(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	if err := s.fillSnapshotNotes(ctx, out.Snapshot); err != nil {
		return nil, err
	}
	if document {
		doc := assessment.DocumentOf(out.Snapshot)
		doc.ExportedAt = time.Now().UTC().Truncate(time.Second)
		if err := s.fillNoteText(ctx, doc); err != nil {
			return nil, err
		}
		if err := anchorDocument(doc, out.Snapshot); err != nil {
			return nil, err
		}
		out.Document = doc
	}
	return out, nil
}

// anchorDocument gives an exported document its integrity block: the workspace and chain
// head of the snapshot it was made from, and the document's digest (SignDocument adds a
// signature).
func anchorDocument(doc *assessment.Document, snap *assessment.Snapshot) error {
	seal := snap.Audit.Seal
	seal.KeyFingerprint, seal.PublicKey, seal.Signature = "", "", ""
	digest, err := doc.Digest()
	if err != nil {
		return err
	}
	seal.SHA256 = digest
	doc.Integrity = &seal
	return nil
}
