package store

import (
	"safeguard/assessment"

	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// VerifyResult is the outcome of Verify.
type VerifyResult struct {
	Entries  int64    // audit entries checked
	Head     string   // hash of the last entry (the chain head)
	Records  int      // audited records compared with their last audited state
	Blobs    int      // evidence blobs re-hashed
	Problems []string // what failed, first failure first

	Anchor     Anchor   // the chain head (entry number and hash)
	Seals      int      // seals checked against the chain
	Signatures int      // seal signatures that verified
	Signers    []string // fingerprints of the keys that made them
	// SealedSkipped is how many encrypted evidence blobs were not re-hashed because no
	// passphrase was given: verify checked everything else.
	SealedSkipped int
	// Altered names the records found changed, added, deleted or holding a wrong-typed
	// value outside safeguard, for reports to mark where they print them.
	Altered []assessment.AlteredRecord
}

// alter notes a record found altered; answers carry the item they answer.
func (r *VerifyResult) alter(entity, id string, state map[string]any) {
	if len(r.Altered) >= 10*maxProblems {
		return
	}
	rec := assessment.AlteredRecord{Entity: entity, ID: id}
	if entity == "response" && state != nil {
		rec.QuestionID, _ = state["question_id"].(string)
		rec.AssetID, _ = state["asset_id"].(string)
	}
	r.Altered = append(r.Altered, rec)
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

// dbReader is a connection or a transaction to read from.
type dbReader interface {
	queryer
	rowQueryer
}

// Verify checks the workspace and reports every failure in the result (an error means it
// could not read the workspace at all). In order: the schema (tables, columns, indexes,
// triggers, as the migrations made them); the audit chain (every entry's hash and link);
// every audited record against its last audited state (a row edited, added or deleted
// behind safeguard's back, or holding a value of the wrong type); the seals (each names
// an entry the chain still holds, and each signature verifies); the evidence (re-hashed;
// in an encrypted workspace without its passphrase the sealed content is skipped and
// counted in SealedSkipped); and the last-seen record of this computer (a chain that lost
// entries or was rewritten since it was last seen here).
//
// Alone, a chain that passes proves that nothing was damaged by accident or edited
// naively; someone who rewrites the file and recomputes every hash passes too. Anchors
// (CheckAnchor with a head printed on a report or export), signatures and the last-seen
// record are what catch that. Verify only reads: on a workspace opened read-only it
// changes nothing in the file.
//
// Everything is read in one read transaction, so the checks see one state of the
// workspace even while other processes write to it.
func (s *Store) Verify(ctx context.Context) (VerifyResult, error) {
	var res, later VerifyResult
	// Before the transaction: these read the workspace on the Store's one connection.
	id, err := s.Identity(ctx)
	if err != nil {
		return res, err
	}
	key := s.prepareBlobKey(ctx)
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return res, friendly(s.path, err)
	}
	defer tx.Rollback()
	schema, missing, err := s.verifySchema(ctx, tx, &res, &later)
	if err != nil {
		return res, err
	}
	last := map[recordKey]lastState{}
	if !missing["audit_log"] {
		if last, err = s.verifyChain(ctx, tx, &res); err != nil {
			return res, err
		}
	}
	if err := s.verifyRecords(ctx, tx, &res, last, schema, missing); err != nil {
		return res, err
	}
	if !missing["seals"] && !missing["audit_log"] {
		if err := s.verifySeals(ctx, tx, &res, id); err != nil {
			return res, err
		}
	}
	if !missing["blobs"] && !missing["blob_chunks"] && !missing["evidence"] && !missing["settings"] {
		if err := s.verifyBlobs(ctx, tx, &res, key); err != nil {
			return res, err
		}
	}
	for _, p := range later.Problems {
		res.fail("%s", p)
	}
	if w := s.History(); w != nil {
		res.fail("%s", w.Error())
	}
	return res, nil
}

// verifyChain walks the chain in order and returns the last audited state of every record.
func (s *Store) verifyChain(ctx context.Context, q dbReader, res *VerifyResult) (map[recordKey]lastState, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, at, actor, action, entity, entity_id, assessment_id, payload, prev_hash, hash
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
			if isScanError(err) {
				res.fail("audit entry %d holds a value of the wrong type: it was changed outside safeguard", want)
				return last, nil
			}
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
		res.Anchor = Anchor{Seq: want - 1, Hash: prev}
	}
	return last, nil
}

// verifyRecords compares each audited table with the chain's view of it.
func (s *Store) verifyRecords(ctx context.Context, q dbReader, res *VerifyResult, last map[recordKey]lastState, schema *schemaInfo, missing map[string]bool) error {
	seen := map[recordKey]bool{}
	for _, e := range entities {
		if missing[e.table] {
			continue
		}
		if err := s.verifyTable(ctx, q, res, e, last, seen, schema.columns[e.table]); err != nil {
			return err
		}
	}
	deletedAssessment := func(id string) bool {
		l, ok := last[recordKey{"assessment", id}]
		return id != "" && ok && l.payload == tombstone
	}
	var gone []recordKey
	for k, l := range last {
		e, audited := entityByName(k.entity)
		if !audited || missing[e.table] {
			continue
		}
		if !seen[k] && l.payload != tombstone && !deletedAssessment(l.assessmentID) {
			gone = append(gone, k)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return last[gone[i]].seq < last[gone[j]].seq })
	for _, k := range gone {
		res.fail("%s %s was deleted outside safeguard (its last audit entry, %d, shows it present)", k.entity, k.id, last[k].seq)
		res.alter(k.entity, k.id, nil)
	}
	return nil
}

func (s *Store) verifyTable(ctx context.Context, q dbReader, res *VerifyResult, e entity, last map[recordKey]lastState, seen map[recordKey]bool, cols []columnDef) error {
	rows, err := q.QueryContext(ctx, "SELECT * FROM "+e.table+" ORDER BY "+e.key)
	if err != nil {
		return friendly(s.path, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return friendly(s.path, err)
	}
	rules := columnTypes(cols)
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return friendly(s.path, err)
		}
		id := fmt.Sprint(vals[slicesIndex(names, e.key)])
		k := recordKey{e.name, id}
		seen[k] = true
		res.Records++
		if col, rule, got := wrongType(names, vals, rules); col != "" {
			res.fail("%s %s holds %s in its column %s, where %s belongs: it was changed outside safeguard", e.name, id, got, col, rule.kind)
			res.alter(e.name, id, stateOf(names, vals))
			continue
		}
		state := stateOf(names, vals)
		payload, err := canonicalPayload(state)
		if err != nil {
			return err
		}
		l, ok := last[k]
		switch {
		case !ok:
			res.fail("%s %s has no audit entry: it was added outside safeguard", e.name, id)
			res.alter(e.name, id, state)
		case l.payload != payload && !matchesAddedColumns(l.payload, state, cols):
			res.fail("%s %s differs from its last audited state (entry %d): it was changed outside safeguard", e.name, id, l.seq)
			res.alter(e.name, id, state)
		}
	}
	return friendly(s.path, rows.Err())
}

func slicesIndex(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return 0
}

// wrongType finds a value whose type is not its column's (SQLite stores any type in any
// column; safeguard's code can only read the declared one).
func wrongType(names []string, vals []any, rules map[string]valueRule) (string, valueRule, string) {
	for i, n := range names {
		r, ok := rules[n]
		if !ok || r.kind == "" {
			continue
		}
		got := valueKind(vals[i])
		if vals[i] == nil && r.nullable {
			continue
		}
		if got != r.kind {
			return n, r, got
		}
	}
	return "", valueRule{}, ""
}

// stateOf is a row as the audit payload records it.
func stateOf(names []string, vals []any) map[string]any {
	state := make(map[string]any, len(names))
	for i, c := range names {
		if b, ok := vals[i].([]byte); ok {
			state[c] = blobText(b)
			continue
		}
		state[c] = vals[i]
	}
	return state
}

// matchesAddedColumns compares a row with its audited payload when the two differ as text:
// a column added by a later migration is absent from payloads written before it, and the
// row still matches if that column holds its default. Every other column must be equal.
func matchesAddedColumns(payload string, state map[string]any, cols []columnDef) bool {
	var p struct {
		State map[string]json.RawMessage `json:"state"`
	}
	if payload == tombstone || json.Unmarshal([]byte(payload), &p) != nil || p.State == nil {
		return false
	}
	for c := range p.State {
		if _, ok := state[c]; !ok {
			return false // a column the payload has is gone
		}
	}
	for _, c := range cols {
		v := state[c.name]
		raw, ok := p.State[c.name]
		if !ok {
			if !isDefault(v, c.dflt) {
				return false
			}
			continue
		}
		b, err := canonicalJSON(v)
		if err != nil || string(b) != string(raw) {
			return false
		}
	}
	return true
}

// isDefault reports whether v is the column default written as the SQL literal dflt.
func isDefault(v any, dflt sql.NullString) bool {
	if !dflt.Valid {
		return v == nil
	}
	d := dflt.String
	switch x := v.(type) {
	case string:
		return len(d) >= 2 && d[0] == '\'' && d[len(d)-1] == '\'' && strings.ReplaceAll(d[1:len(d)-1], "''", "'") == x
	case int64:
		n, err := strconv.ParseInt(d, 10, 64)
		return err == nil && n == x
	}
	return false
}

// isScanError reports a value that database/sql could not convert (a wrong-typed column).
func isScanError(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "sql: Scan error")
}
