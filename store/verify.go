package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
)

// VerifyResult is the outcome of Verify.
type VerifyResult struct {
	Entries  int64    // audit entries checked
	Head     string   // hash of the last entry (the chain head)
	Records  int      // audited records compared with their last audited state
	Blobs    int      // evidence blobs re-hashed
	Problems []string // what failed, first failure first
}

// OK reports whether nothing failed.
func (r VerifyResult) OK() bool { return len(r.Problems) == 0 }

// maxProblems bounds the report; the first problem is what a user acts on.
const maxProblems = 50

func (r *VerifyResult) fail(format string, args ...any) {
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

type lastState struct {
	seq          int64
	payload      string
	assessmentID string
}

type recordKey struct{ entity, id string }

// Verify recomputes the audit chain, checks that every audited record's current row equals
// its last audited state and that every row has an audit entry, and re-hashes the evidence.
// It reads only; a failing check is reported in the result, not as an error.
func (s *Store) Verify(ctx context.Context) (VerifyResult, error) {
	var res VerifyResult
	last, err := s.verifyChain(ctx, &res)
	if err != nil {
		return res, err
	}
	if err := s.verifyRecords(ctx, &res, last); err != nil {
		return res, err
	}
	// Last, so a change made after dropping the triggers is named first.
	if err := s.verifyTriggers(ctx, &res); err != nil {
		return res, err
	}
	if err := s.verifyBlobs(ctx, &res); err != nil {
		return res, err
	}
	return res, nil
}

// verifyChain walks the chain in order and returns the last audited state of every record.
func (s *Store) verifyChain(ctx context.Context, res *VerifyResult) (map[recordKey]lastState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, at, actor, action, entity, entity_id, assessment_id, payload, prev_hash, hash
		FROM audit_log ORDER BY seq`)
	if err != nil {
		return nil, friendly(s.path, err)
	}
	defer rows.Close()
	last := map[recordKey]lastState{}
	prev, want := genesisHash, int64(1)
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.AssessmentID, &e.Payload, &e.PrevHash, &e.Hash); err != nil {
			return nil, friendly(s.path, err)
		}
		res.Entries++
		switch {
		case e.Seq != want:
			res.fail("audit entry %d is missing from the chain (the next entry is %d)", want, e.Seq)
		case e.PrevHash != prev:
			res.fail("audit entry %d does not follow from entry %d (its previous hash differs): the chain was altered", e.Seq, e.Seq-1)
		case e.computeHash() != e.Hash:
			res.fail("audit entry %d (%s %s %s) was altered after it was written (its hash does not match)", e.Seq, e.Action, e.Entity, e.EntityID)
		}
		prev, want = e.Hash, e.Seq+1
		last[recordKey{e.Entity, e.EntityID}] = lastState{seq: e.Seq, payload: e.Payload, assessmentID: e.AssessmentID}
	}
	if err := rows.Err(); err != nil {
		return nil, friendly(s.path, err)
	}
	if res.Entries > 0 {
		res.Head = prev
	}
	return last, nil
}

// verifyRecords compares each audited table with the chain's view of it.
func (s *Store) verifyRecords(ctx context.Context, res *VerifyResult, last map[recordKey]lastState) error {
	seen := map[recordKey]bool{}
	for _, e := range entities {
		if err := s.verifyTable(ctx, res, e, last, seen); err != nil {
			return err
		}
	}
	deletedAssessment := func(id string) bool {
		l, ok := last[recordKey{"assessment", id}]
		return id != "" && ok && l.payload == tombstone
	}
	var missing []recordKey
	for k, l := range last {
		if !seen[k] && l.payload != tombstone && !deletedAssessment(l.assessmentID) {
			missing = append(missing, k)
		}
	}
	sort.Slice(missing, func(i, j int) bool { return last[missing[i]].seq < last[missing[j]].seq })
	for _, k := range missing {
		res.fail("%s %s was deleted outside safeguard (its last audit entry, %d, shows it present)", k.entity, k.id, last[k].seq)
	}
	return nil
}

func (s *Store) verifyTable(ctx context.Context, res *VerifyResult, e entity, last map[recordKey]lastState, seen map[recordKey]bool) error {
	rows, err := s.db.QueryContext(ctx, "SELECT * FROM "+e.table+" ORDER BY "+e.key)
	if err != nil {
		return friendly(s.path, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return friendly(s.path, err)
	}
	for rows.Next() {
		state, err := scanState(rows, cols)
		if err != nil {
			return friendly(s.path, err)
		}
		id := fmt.Sprint(state[e.key])
		k := recordKey{e.name, id}
		seen[k] = true
		res.Records++
		payload, err := canonicalPayload(state)
		if err != nil {
			return err
		}
		l, ok := last[k]
		switch {
		case !ok:
			res.fail("%s %s has no audit entry: it was added outside safeguard", e.name, id)
		case l.payload != payload && !columnsAddedLater(l.payload, state):
			res.fail("%s %s differs from its last audited state (entry %d): it was changed outside safeguard", e.name, id, l.seq)
		}
	}
	return friendly(s.path, rows.Err())
}

// appendOnlyTriggers are the triggers that refuse changes to the audit table; a workspace
// without them has had its protection removed, even if nothing was changed yet.
var appendOnlyTriggers = []string{"audit_log_no_update", "audit_log_no_delete"}

func (s *Store) verifyTriggers(ctx context.Context, res *VerifyResult) error {
	for _, name := range appendOnlyTriggers {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?", name).Scan(&n); err != nil {
			return friendly(s.path, err)
		}
		if n == 0 {
			res.fail("the audit trail's protection trigger %s was removed outside safeguard", name)
		}
	}
	return nil
}

// columnsAddedLater reports whether a row differs from its audited payload only by columns
// the payload predates: a migration that adds a column to an audited table (always NOT
// NULL with an empty default, ” or 0) changes the state of every existing row without an
// audit entry. Such a column is ignored while it holds its empty value; once anything else
// is in it, the row must have been written (and audited) since, or it was changed behind
// safeguard's back.
func columnsAddedLater(payload string, state map[string]any) bool {
	var old struct {
		State map[string]json.RawMessage `json:"state"`
	}
	if err := json.Unmarshal([]byte(payload), &old); err != nil || old.State == nil {
		return false
	}
	trimmed := make(map[string]any, len(state))
	dropped := false
	for k, v := range state {
		if _, ok := old.State[k]; !ok {
			if v == nil || v == "" || v == int64(0) {
				dropped = true
				continue
			}
			return false
		}
		trimmed[k] = v
	}
	if !dropped {
		return false
	}
	p, err := canonicalPayload(trimmed)
	return err == nil && p == payload
}
