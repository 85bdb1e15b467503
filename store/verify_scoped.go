package store

import (
	"context"
	"database/sql"
	"slices"
)

// Verification scoped to a report. A report states whether the workspace verified, and a
// full Verify of a consultant's workspace (every client's history, every evidence byte)
// made a ten-asset client's report twenty times slower than the same report alone. What
// a report prints is one assessment, its evidence and the chain up to its anchor, so that
// is what VerifyAssessment checks, and still soundly:
//
//   - The chain, incrementally: this computer's last-seen record keeps the last head whose
//     chain it verified entry by entry. That entry must still hold its hash (it commits to
//     every entry before it: changing any of them and recomputing the hashes changes it),
//     and every entry after it is checked, hash and link. Without such a record (a new
//     computer, a deleted state folder), or when the entry changed, the whole chain is.
//   - The assessment's audit entries, wherever they are in the chain: each one's hash is
//     recomputed and its link to the next entry checked, so an entry edited in place
//     before the verified head is found even though the chain walk starts after it.
//   - The assessment's records against their last audited states (added, changed or
//     deleted outside safeguard), its seals and their signatures.
//   - The evidence blobs the report lists, re-hashed.
//
// `safeguard verify` (Verify) remains the check of everything: other assessments'
// records, the workspace's settings, every blob.

// VerifyAssessment checks what a report of assessment id states (see above); shas are the
// SHA-256s of the evidence the report lists. The result's Assessment and ChainFrom say
// what was covered. When the chain verified, its head is recorded as verified here.
func (s *Store) VerifyAssessment(ctx context.Context, id string, shas []string) (VerifyResult, error) {
	var res, later VerifyResult
	res.Assessment = id
	if err := s.recheckSeen(ctx); err != nil {
		return res, err
	}
	wsID, err := s.Identity(ctx)
	if err != nil {
		return res, err
	}
	only := make(map[string]bool, len(shas))
	for _, sha := range shas {
		only[sha] = true
	}
	key := blobKey{}
	if len(only) > 0 {
		key = s.prepareBlobKey(ctx)
	}
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return res, friendly(s.path, err)
	}
	defer tx.Rollback()
	schema, missing, err := s.verifySchema(ctx, tx, &res, &later)
	if err != nil {
		return res, err
	}
	chainOK := true
	if !missing["audit_log"] {
		before := len(res.Problems)
		from, err := s.verifiedStart(ctx, tx, &res)
		if err != nil {
			return res, err
		}
		res.ChainFrom = from.Seq + 1
		if err := s.verifyChain(ctx, tx, &res, from, nil); err != nil {
			return res, err
		}
		if res.Anchor.IsZero() {
			res.Anchor, res.Head = from, from.Hash
		}
		chainOK = len(res.Problems) == before
		last := newTrail()
		if err := s.verifyAssessmentEntries(ctx, tx, &res, id, from, last); err != nil {
			return res, err
		}
		if err := s.verifyAssessmentRecords(ctx, tx, &res, id, last, schema, missing); err != nil {
			return res, err
		}
	}
	if !missing["seals"] && !missing["audit_log"] {
		if err := s.verifySeals(ctx, tx, &res, wsID, id); err != nil {
			return res, err
		}
	}
	if len(only) > 0 && !missing["blobs"] && !missing["blob_chunks"] && !missing["evidence"] && !missing["settings"] {
		if err := s.verifyBlobs(ctx, tx, &res, key, only); err != nil {
			return res, err
		}
	}
	for _, p := range later.Problems {
		res.fail("%s", p)
	}
	if w := s.History(); w != nil {
		res.fail("%s", w.Error())
	}
	if chainOK && s.History() == nil {
		s.noteVerified(res.Anchor, false, 0)
	}
	return res, nil
}

// verifiedStart is where the chain walk starts: the head this computer verified last, if
// the chain still holds it unchanged (its hash, and its own content); otherwise the start
// of the chain, with a problem named when the entry changed or is gone.
func (s *Store) verifiedStart(ctx context.Context, q dbReader, res *VerifyResult) (Anchor, error) {
	from := s.verifiedHead()
	if from.IsZero() {
		return Anchor{}, nil
	}
	var e AuditEntry
	err := q.QueryRowContext(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE seq = ?", from.Seq).Scan(e.fields()...)
	switch {
	case err == sql.ErrNoRows:
		res.fail("audit entry %d, which this computer verified earlier, is gone: the chain lost entries or was replaced by an older copy", from.Seq)
		return Anchor{}, nil
	case isScanError(err):
		return Anchor{}, nil // the whole walk names it
	case err != nil:
		return Anchor{}, friendly(s.path, err)
	}
	if hash, _ := e.fastHash(nil); e.Hash != from.Hash || hash != e.Hash {
		res.fail("audit entry %d no longer has the hash this computer verified earlier: the history up to it was rewritten", from.Seq)
		return Anchor{}, nil
	}
	return from, nil
}

// verifyAssessmentEntries checks every audit entry of the assessment (its hash, and its
// link to the next entry when the chain walk did not cover it) and keeps each record's
// last state in last.
func (s *Store) verifyAssessmentEntries(ctx context.Context, q dbReader, res *VerifyResult, id string, from Anchor, last *trail) error {
	rows, err := q.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE assessment_id = ? ORDER BY seq", id)
	if err != nil {
		return friendly(s.path, err)
	}
	defer rows.Close()
	next, err := q.(interface {
		PrepareContext(context.Context, string) (*sql.Stmt, error)
	}).PrepareContext(ctx, "SELECT prev_hash FROM audit_log WHERE seq = ?")
	if err != nil {
		return friendly(s.path, err)
	}
	defer next.Close()
	var e AuditEntry
	var buf []byte
	for rows.Next() {
		if err := rows.Scan(e.fields()...); err != nil {
			if isScanError(err) {
				res.fail("an audit entry of assessment %s holds a value of the wrong type: it was changed outside safeguard", id)
				return nil
			}
			return friendly(s.path, err)
		}
		last.note(&e)
		if e.Seq > from.Seq {
			continue // the chain walk checked it
		}
		var hash string
		if hash, buf = e.fastHash(buf); hash != e.Hash {
			res.fail("audit entry %d (%s %s %s) was altered after it was written (its hash does not match)", e.Seq, e.Action, e.Entity, e.EntityID)
			continue
		}
		if e.Seq == from.Seq {
			continue
		}
		var prev string
		switch err := next.QueryRowContext(ctx, e.Seq+1).Scan(&prev); {
		case err == sql.ErrNoRows:
			res.fail("audit entry %d is missing from the chain (entry %d is followed by none)", e.Seq+1, e.Seq)
		case isScanError(err):
			res.fail("audit entry %d holds a value of the wrong type: it was changed outside safeguard", e.Seq+1)
		case err != nil:
			return friendly(s.path, err)
		case prev != e.Hash:
			res.fail("audit entry %d does not follow from entry %d (its previous hash differs): the chain was altered", e.Seq+1, e.Seq)
		}
	}
	return friendly(s.path, rows.Err())
}

// verifyAssessmentRecords compares the assessment's rows, in every audited table that
// holds an assessment's records, with their last audited states.
func (s *Store) verifyAssessmentRecords(ctx context.Context, q dbReader, res *VerifyResult, id string, last *trail, schema *schemaInfo, missing map[string]bool) error {
	for _, e := range entities {
		if missing[e.table] {
			continue
		}
		cols := schema.columns[e.table]
		where := "assessment_id = ?"
		switch {
		case e.table == "assessments":
			where = "id = ?"
		case !slices.ContainsFunc(cols, func(c columnDef) bool { return c.name == "assessment_id" }):
			continue // workspace-wide (settings): `safeguard verify` checks them
		}
		before := res.Records
		if err := s.verifyTable(ctx, q, res, e, last, cols, where, []any{id}); err != nil {
			return err
		}
		if bookkeeping[e.name] {
			// Checked, not counted: each report adds its own seal, and the count is printed
			// in the report, which must come out the same for the same assessment.
			res.Records = before
		}
	}
	return s.reportGone(ctx, q, res, last, missing)
}
