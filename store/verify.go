package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"safeguard/assessment"
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
	// Assessment is the assessment a report's verify covered (VerifyAssessment); "" for a
	// verify of the whole workspace. ChainFrom is the first entry the chain walk checked:
	// the entries before it were verified earlier on this computer (1: the whole chain).
	Assessment string
	ChainFrom  int64
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

// lastState is what verify keeps of a record's last audit entry: a fixed-size digest of
// its payload rather than the payload (about 1.8 KB each: a workspace of many clients held
// hundreds of megabytes of them), so verify's memory stays small whatever the history.
type lastState struct {
	seq    int64
	digest [sha256.Size]byte
	tomb   bool  // the entry records a deletion
	seen   bool  // verifyTable found the row
	asmt   int32 // the entry's assessment, an index into trail.asmts
}

// trail is the last audit state of every record verify has met, keyed by entity and ID.
type trail struct {
	last    map[string]lastState
	asmts   []string
	asmtIdx map[string]int32
}

func newTrail() *trail {
	return &trail{last: map[string]lastState{}, asmtIdx: map[string]int32{}}
}

func recKey(entity, id string) string { return entity + "\x00" + id }

func splitTrailKey(k string) (entity, id string) {
	entity, id, _ = strings.Cut(k, "\x00")
	return entity, id
}

// note keeps e as its record's last state.
func (t *trail) note(e *AuditEntry) {
	i, ok := t.asmtIdx[e.AssessmentID]
	if !ok {
		i = int32(len(t.asmts))
		t.asmts = append(t.asmts, e.AssessmentID)
		t.asmtIdx[e.AssessmentID] = i
	}
	t.last[recKey(e.Entity, e.EntityID)] = lastState{seq: e.Seq, digest: sha256.Sum256([]byte(e.Payload)),
		tomb: e.Payload == tombstone, asmt: i}
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
	res.ChainFrom = 1
	if err := s.recheckSeen(ctx); err != nil {
		return res, err
	}
	// Before the transaction: these read the workspace on the Store's one connection.
	id, err := s.Identity(ctx)
	if err != nil {
		return res, err
	}
	key := s.prepareBlobKey(ctx)
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return res, friendly(s.path, err)
	}
	defer tx.Rollback()
	schema, missing, err := s.verifySchema(ctx, tx, &res, &later)
	if err != nil {
		return res, err
	}
	last := newTrail()
	if !missing["audit_log"] {
		if err := s.verifyChain(ctx, tx, &res, Anchor{}, last.note); err != nil {
			return res, err
		}
	}
	if err := s.verifyRecords(ctx, tx, &res, last, schema, missing); err != nil {
		return res, err
	}
	if !missing["seals"] && !missing["audit_log"] {
		if err := s.verifySeals(ctx, tx, &res, id, ""); err != nil {
			return res, err
		}
	}
	if !missing["blobs"] && !missing["blob_chunks"] && !missing["evidence"] && !missing["settings"] {
		if err := s.verifyBlobs(ctx, tx, &res, key, nil); err != nil {
			return res, err
		}
	}
	for _, p := range later.Problems {
		res.fail("%s", p)
	}
	if w := s.History(); w != nil {
		res.fail("%s", w.Error())
	}
	s.noteVerified(res.Anchor, true, len(res.Problems))
	return res, nil
}

// verifyChain walks the chain in order from the entry after `from` (the start when from
// is zero; otherwise from's entry must still have its hash), checking every entry's hash
// and link, and hands each entry to keep (nil: none). It holds one entry at a time.
func (s *Store) verifyChain(ctx context.Context, q dbReader, res *VerifyResult, from Anchor, keep func(*AuditEntry)) error {
	prev, want := genesisHash, int64(1)
	if !from.IsZero() {
		prev, want = from.Hash, from.Seq+1
	}
	rows, err := q.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE seq >= ? ORDER BY seq", want)
	if err != nil {
		return friendly(s.path, err)
	}
	defer rows.Close()
	var e AuditEntry
	var buf []byte
	for rows.Next() {
		if err := rows.Scan(e.fields()...); err != nil {
			if isScanError(err) {
				res.fail("audit entry %d holds a value of the wrong type: it was changed outside safeguard", want)
				return nil
			}
			return friendly(s.path, err)
		}
		res.Entries++
		var hash string
		hash, buf = e.fastHash(buf)
		switch {
		case e.Seq != want:
			res.fail("audit entry %d is missing from the chain (the next entry is %d)", want, e.Seq)
		case e.PrevHash != prev:
			res.fail("audit entry %d does not follow from entry %d (its previous hash differs): the chain was altered", e.Seq, e.Seq-1)
		case hash != e.Hash:
			res.fail("audit entry %d (%s %s %s) was altered after it was written (its hash does not match)", e.Seq, e.Action, e.Entity, e.EntityID)
		}
		prev, want = e.Hash, e.Seq+1
		if keep != nil {
			keep(&e)
		}
	}
	if err := rows.Err(); err != nil {
		return friendly(s.path, err)
	}
	if want > 1 {
		res.Head = prev
		res.Anchor = Anchor{Seq: want - 1, Hash: prev}
	}
	return nil
}

// verifyRecords compares each audited table with the chain's view of it.
func (s *Store) verifyRecords(ctx context.Context, q dbReader, res *VerifyResult, last *trail, schema *schemaInfo, missing map[string]bool) error {
	for _, e := range entities {
		if missing[e.table] {
			continue
		}
		if err := s.verifyTable(ctx, q, res, e, last, schema.columns[e.table], "", nil); err != nil {
			return err
		}
	}
	return s.reportGone(ctx, q, res, last, missing)
}

// reportGone names the records whose last audit entry shows them present but which no
// table holds (deleted outside safeguard); the records of a deleted assessment went with it.
func (s *Store) reportGone(ctx context.Context, q dbReader, res *VerifyResult, last *trail, missing map[string]bool) error {
	deletedAssessment := func(i int32) bool {
		id := last.asmts[i]
		l, ok := last.last[recKey("assessment", id)]
		return id != "" && ok && l.tomb
	}
	type goneRec struct {
		entity, id string
		seq        int64
	}
	var gone []goneRec
	for k, l := range last.last {
		if l.seen || l.tomb || deletedAssessment(l.asmt) {
			continue
		}
		entity, id := splitTrailKey(k)
		e, audited := entityByName(entity)
		if !audited || missing[e.table] {
			continue
		}
		gone = append(gone, goneRec{entity, id, l.seq})
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i].seq < gone[j].seq })
	for _, g := range gone {
		res.fail("%s %s was deleted outside safeguard (its last audit entry, %d, shows it present)", g.entity, g.id, g.seq)
		res.alter(g.entity, g.id, nil)
	}
	return nil
}

// verifyTable compares the rows of one audited table with their last audited states; with
// a where clause ("assessment_id = ?"), only the rows it selects.
func (s *Store) verifyTable(ctx context.Context, q dbReader, res *VerifyResult, e entity, last *trail, cols []columnDef, where string, args []any) error {
	query := "SELECT * FROM " + e.table
	if where != "" {
		query += " WHERE " + where
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY "+e.key, args...)
	if err != nil {
		return friendly(s.path, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return friendly(s.path, err)
	}
	rules := columnTypes(cols)
	enc := newRowEncoder(names)
	keyCol := slicesIndex(names, e.key)
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return friendly(s.path, err)
		}
		id := fmt.Sprint(vals[keyCol])
		k := recKey(e.name, id)
		l, ok := last.last[k]
		if ok {
			l.seen = true
			last.last[k] = l
		}
		res.Records++
		if col, rule, got := wrongType(names, vals, rules); col != "" {
			res.fail("%s %s holds %s in its column %s, where %s belongs: it was changed outside safeguard", e.name, id, got, col, rule.kind)
			res.alter(e.name, id, stateOf(names, vals))
			continue
		}
		payload, fast := enc.payload(vals)
		if !fast {
			p, err := canonicalPayload(stateOf(names, vals))
			if err != nil {
				return err
			}
			payload = []byte(p)
		}
		switch {
		case !ok:
			res.fail("%s %s has no audit entry: it was added outside safeguard", e.name, id)
			res.alter(e.name, id, stateOf(names, vals))
		case l.digest != sha256.Sum256(payload):
			same, err := s.matchesAudited(ctx, q, l.seq, stateOf(names, vals), cols)
			if err != nil {
				return err
			}
			if !same {
				res.fail("%s %s differs from its last audited state (entry %d): it was changed outside safeguard", e.name, id, l.seq)
				res.alter(e.name, id, stateOf(names, vals))
			}
		}
	}
	return friendly(s.path, rows.Err())
}

// matchesAudited reads the payload of entry seq and compares it with a row whose payload
// differs as text (matchesAddedColumns): rare, so the payload is read only then.
func (s *Store) matchesAudited(ctx context.Context, q dbReader, seq int64, state map[string]any, cols []columnDef) (bool, error) {
	var payload string
	err := q.QueryRowContext(ctx, "SELECT payload FROM audit_log WHERE seq = ?", seq).Scan(&payload)
	if err == sql.ErrNoRows || isScanError(err) {
		return false, nil
	}
	if err != nil {
		return false, friendly(s.path, err)
	}
	return matchesAddedColumns(payload, state, cols), nil
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
