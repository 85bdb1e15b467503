package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"safeguard/assessment"
)

// No lost updates. Two people (or a TUI and a script) can work on one workspace at once;
// each save carries the version of the record the user saw, and a record changed since by
// another process is a conflict, never a silent overwrite.
//
// A record's version is the sequence number of the audit entry that last wrote it (0 for
// a record that does not exist): the chain already orders every change and says who made
// it and when, so versions need no column of their own. Snapshot fills Version on
// answers, owner overrides and risks; the save methods compare it, in the write
// transaction, with the record's last entry (one lookup in the audit_log_record index).
// Changes this Store made itself are not conflicts: a screen that saves twice before it
// has reloaded is not racing anyone.

// AnyVersion, as the version a save carries, replaces the record whatever it holds: for
// commands that set a value outright (`safeguard answer`), not for editors that showed
// the user a value first.
const AnyVersion int64 = -1

// ErrConflict matches every *ConflictError (errors.Is).
var ErrConflict = errors.New("the record was changed by someone else")

// ConflictError refuses a save because the record changed after the user saw it.
type ConflictError struct {
	What    string    // the record, as a sentence names it ("the answer to 308a1-ra-01")
	Seen    int64     // the version the save carried
	Current int64     // the version the record has (0: it no longer exists)
	By      string    // who made the change
	At      time.Time // when
	// Theirs is the record as it is now, for showing both values: an assessment.Response,
	// assessment.Override or assessment.Risk, or nil when it was removed.
	Theirs any
}

func (e *ConflictError) Error() string {
	verb := "changed"
	if e.Current == 0 {
		verb = "removed"
	} else if e.Seen == 0 {
		verb = "added"
	}
	return fmt.Sprintf("%s was %s by %s at %s after you opened it; reload to see their version, and save yours again if it should replace it (nothing was saved)",
		e.What, verb, assessment.SafeLine(e.By), e.At.Local().Format("2006-01-02 15:04:05"))
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

const lastEntrySQL = "SELECT seq, actor, at, action FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY seq DESC LIMIT 1"

// checkVersion refuses the write of record (entity, id) when it changed after version
// seen. what names the record in the error; theirs loads its current state.
func (t *Tx) checkVersion(entity, id string, seen int64, what string, theirs func() (any, error)) error {
	if seen == AnyVersion {
		return nil
	}
	var seq int64
	var actor, at, action string
	err := t.tx.StmtContext(t.ctx, t.s.lastEntryStmt).QueryRowContext(t.ctx, entity, id).Scan(&seq, &actor, &at, &action)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil // never written: it is as the user saw it (absent)
	case err != nil:
		return err
	}
	current := seq
	if action == ActionDelete {
		current = 0
	}
	if current == seen {
		return nil
	}
	t.s.mu.Lock()
	own := t.s.written[recordKey{entity, id}] == seq
	t.s.mu.Unlock()
	if own {
		return nil
	}
	c := &ConflictError{What: what, Seen: seen, Current: current, By: actor}
	c.At, _ = time.Parse(time.RFC3339Nano, at)
	if current != 0 && theirs != nil {
		if c.Theirs, err = theirs(); err != nil {
			return err
		}
	}
	return c
}

// versionSQL is the version column of a snapshot query over table for entity: the last
// audit entry of each row, found through the audit_log_record index.
func versionSQL(entity, table string) string {
	return "coalesce((SELECT max(a.seq) FROM audit_log a WHERE a.entity = '" + entity + "' AND a.entity_id = " + table + ".id), 0)"
}

// itemWhat names an answer or override in a conflict.
func itemWhat(kind, questionID, assetID string, assetName func(string) string) string {
	if assetID == "" {
		return fmt.Sprintf("the %s of %s for the organization", kind, questionID)
	}
	return fmt.Sprintf("the %s of %s for %s", kind, questionID, assetName(assetID))
}

// assetName names an asset for a sentence (its ID when it has no name).
func (t *Tx) assetName(id string) string {
	var name string
	if err := t.queryRow("SELECT name FROM assets WHERE id = ?", id).Scan(&name); err != nil {
		return "asset " + id
	}
	return fmt.Sprintf("%q", assessment.SafeLine(name))
}

// readResponse loads one answer of an assessment, for a conflict.
func readResponse(ctx context.Context, q queryer, assessmentID, questionID, assetID string) (any, error) {
	var snap assessment.Snapshot
	if err := readAnswers(ctx, q, assessmentID, &snap); err != nil {
		return nil, err
	}
	for _, r := range snap.Responses {
		if r.QuestionID == questionID && r.AssetID == assetID {
			return r, nil
		}
	}
	return nil, nil
}

// readOverride loads one owner override of an assessment, for a conflict.
func readOverride(ctx context.Context, q queryer, assessmentID, questionID, assetID string) (any, error) {
	var snap assessment.Snapshot
	if err := readAnswers(ctx, q, assessmentID, &snap); err != nil {
		return nil, err
	}
	for _, o := range snap.Overrides {
		if o.QuestionID == questionID && o.AssetID == assetID {
			return o, nil
		}
	}
	return nil, nil
}
