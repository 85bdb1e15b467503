package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// entity is a table whose rows are audited: every row's current content must equal the
// state recorded by its last audit entry.
type entity struct {
	name  string // as written in the audit trail
	table string
	key   string // primary key column (TEXT)
}

// entities lists every audited table in verification order. A new table that holds user
// data must be added here; verify then covers it.
var entities = []entity{
	{name: "setting", table: "settings", key: "id"},
	{name: "assessment", table: "assessments", key: "id"},
	{name: "profile", table: "profiles", key: "assessment_id"},
	{name: "vendor", table: "vendors", key: "id"},
	{name: "asset", table: "assets", key: "id"},
	{name: "evidence", table: "evidence", key: "id"},
	{name: "evidence_link", table: "evidence_links", key: "id"},
	{name: "flow", table: "flows", key: "id"},
	{name: "profile_scope", table: "profile_scope", key: "assessment_id"},
	{name: "data_flow", table: "data_flows", key: "id"},
	{name: "response", table: "responses", key: "id"},
	{name: "override", table: "overrides", key: "id"},
	{name: "risk", table: "risks", key: "id"},
	{name: "signoff", table: "sign_offs", key: "assessment_id"},
	{name: "seal", table: "seals", key: "id"},
	{name: "method_entry", table: "method_entries", key: "id"},
	{name: "review_plan", table: "review_plans", key: "assessment_id"},
	{name: "no_risk", table: "no_risk_reasons", key: "id"},
	{name: "threat_ruling", table: "threat_rulings", key: "id"},
	{name: "vendor_review", table: "vendor_reviews", key: "vendor_id"},
	{name: "incident", table: "incidents", key: "id"},
	{name: "packet", table: "packets", key: "id"},
	{name: "backup", table: "backups", key: "id"},
	{name: "bundle", table: "bundles", key: "id"},
	{name: "person", table: "people", key: "id"},
}

func entityByName(name string) (entity, bool) {
	for _, e := range entities {
		if e.name == name {
			return e, true
		}
	}
	return entity{}, false
}

// genesisHash is the previous hash of the first entry.
var genesisHash = strings.Repeat("0", 64)

// Audit actions.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
)

// Tx is a workspace transaction. Every change made through it is recorded in the audit
// chain by the same transaction, so a change cannot exist without its record.
type Tx struct {
	tx  *sql.Tx
	ctx context.Context
	s   *Store
	at  string

	actor       string              // who the entries of this transaction name (Store.Actor at BEGIN)
	head        Anchor              // the last entry this transaction appended
	wrote       map[recordKey]int64 // records written, with the entry that wrote them
	newIdentity string              // the workspace identity made by this transaction

	// keepItemContext lets checkItem read the profile and inventory once (items): only
	// for transactions that change neither.
	keepItemContext bool
	items           *itemCache
}

// errReadOnly refuses a change through a store opened read-only (a programming error in
// a caller: commands that change the workspace open it for writing).
var errReadOnly = errors.New("the workspace was opened read-only, so nothing can be changed; run the command that changes it again")

// mutate runs fn in one write transaction and commits it. Errors roll everything back.
// The write lock is taken at BEGIN (immediate transactions), so a transaction that has to
// wait for another process's write waits there, before fn runs, and a BEGIN that finds
// the workspace busy is retried until the busy timeout: fn runs once, with the lock held.
func (s *Store) mutate(ctx context.Context, fn func(*Tx) error) error {
	if s.readOnly {
		return errReadOnly
	}
	var tx *sql.Tx
	err := s.retryBusy(ctx, func() (err error) {
		tx, err = s.db.BeginTx(ctx, nil)
		return friendly(s.path, err)
	})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t := &Tx{tx: tx, ctx: ctx, s: s, at: s.now().UTC().Format(time.RFC3339Nano), actor: s.Actor()}
	if err := t.ensureIdentity(); err != nil {
		return friendly(s.path, err)
	}
	if err := fn(t); err != nil {
		return friendly(s.path, err)
	}
	if err := tx.Commit(); err != nil {
		return friendly(s.path, err)
	}
	s.committed(ctx, t)
	s.prepareWanted(ctx)
	return nil
}

// committed keeps what a committed transaction wrote: the workspace identity, the entries
// that are this Store's own writes (versions.go), and the new head for the last-seen record.
func (s *Store) committed(ctx context.Context, t *Tx) {
	s.mu.Lock()
	if t.newIdentity != "" {
		s.identity = t.newIdentity
	}
	for k, seq := range t.wrote {
		s.written[k] = seq
	}
	s.mu.Unlock()
	if !t.head.IsZero() {
		if s.seen == nil && t.newIdentity != "" {
			s.openSeen(ctx, s.stateDir)
		}
		s.noteHead(ctx, t.head)
	}
}

func (t *Tx) exec(query string, args ...any) (sql.Result, error) {
	if st := t.stmt(query); st != nil {
		return st.ExecContext(t.ctx, args...)
	}
	return t.tx.ExecContext(t.ctx, query, args...)
}

func (t *Tx) queryRow(query string, args ...any) *sql.Row {
	return t.QueryRowContext(t.ctx, query, args...)
}

// record appends the audit entry for the row id of entity name as it now stands in the
// transaction: its full state, or a tombstone if the row is gone.
func (t *Tx) record(action, name, id, assessmentID string) error {
	e, ok := entityByName(name)
	if !ok {
		return fmt.Errorf("internal error: %q is not an audited entity", name)
	}
	state, err := t.rowState(e, id)
	if err != nil {
		return err
	}
	payload, err := canonicalPayload(state)
	if err != nil {
		return err
	}
	var seq int64
	prev := genesisHash
	err = t.tx.StmtContext(t.ctx, t.s.headStmt).QueryRowContext(t.ctx).Scan(&seq, &prev)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	entry := AuditEntry{
		Seq: seq + 1, At: t.at, Actor: t.actor, Action: action, Entity: name,
		EntityID: id, AssessmentID: assessmentID, Payload: payload, PrevHash: prev,
	}
	entry.Hash = entry.computeHash()
	_, err = t.tx.StmtContext(t.ctx, t.s.auditStmt).ExecContext(t.ctx, entry.Seq, entry.At, entry.Actor, entry.Action, entry.Entity, entry.EntityID,
		entry.AssessmentID, entry.Payload, entry.PrevHash, entry.Hash)
	if err != nil {
		return err
	}
	t.head = Anchor{Seq: entry.Seq, Hash: entry.Hash}
	if t.wrote == nil {
		t.wrote = map[recordKey]int64{}
	}
	t.wrote[recordKey{name, id}] = entry.Seq
	return nil
}

const (
	headSQL  = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
	auditSQL = `INSERT INTO audit_log (` + auditColumns + `)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

func stateSQL(e entity) string { return "SELECT * FROM " + e.table + " WHERE " + e.key + " = ?" }

// prepareAudit prepares the statements every audited write runs.
func (s *Store) prepareAudit() (err error) {
	ctx := context.Background()
	if s.headStmt, err = s.db.PrepareContext(ctx, headSQL); err != nil {
		return friendly(s.path, err)
	}
	if s.auditStmt, err = s.db.PrepareContext(ctx, auditSQL); err != nil {
		return friendly(s.path, err)
	}
	if s.lastEntryStmt, err = s.db.PrepareContext(ctx, lastEntrySQL); err != nil {
		return friendly(s.path, err)
	}
	s.stateStmts = make(map[string]*sql.Stmt, len(entities))
	for _, e := range entities {
		st, err := s.db.PrepareContext(ctx, stateSQL(e))
		if err != nil {
			return friendly(s.path, err)
		}
		s.stateStmts[e.name] = st
	}
	return nil
}

// rowState reads one row in the transaction through its prepared statement.
func (t *Tx) rowState(e entity, id string) (map[string]any, error) {
	rows, err := t.tx.StmtContext(t.ctx, t.s.stateStmts[e.name]).QueryContext(t.ctx, id)
	if err != nil {
		return nil, err
	}
	return firstState(rows)
}

// AuditEntry is one link of the audit chain.
type AuditEntry struct {
	Seq          int64  `json:"seq"`
	At           string `json:"at"`
	Actor        string `json:"actor"`
	Action       string `json:"action"`
	Entity       string `json:"entity"`
	EntityID     string `json:"entity_id"`
	AssessmentID string `json:"assessment_id,omitempty"`
	Payload      string `json:"payload"`
	PrevHash     string `json:"prev_hash"`
	Hash         string `json:"hash"`
}

// auditColumns are an entry's columns in the order of its fields (fields).
const auditColumns = "seq, at, actor, action, entity, entity_id, assessment_id, payload, prev_hash, hash"

// fields are the entry's fields as scan destinations, in the order of auditColumns.
func (e *AuditEntry) fields() []any {
	return []any{&e.Seq, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.AssessmentID, &e.Payload, &e.PrevHash, &e.Hash}
}

// computeHash is SHA-256 over a canonical JSON array of every field but the hash itself.
func (e AuditEntry) computeHash() string {
	b, _ := json.Marshal([]any{e.Seq, e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.AssessmentID, e.Payload, e.PrevHash})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// tombstone is the payload of a deleted record.
const tombstone = `{"deleted":true}`

// canonicalPayload is the audit payload for a row state (nil for a deleted row).
func canonicalPayload(state map[string]any) (string, error) {
	if state == nil {
		return tombstone, nil
	}
	b, err := canonicalJSON(map[string]any{"state": state})
	return string(b), err
}

// canonicalJSON encodes with sorted keys (encoding/json sorts map keys) and no HTML
// escaping, so the same state always gives the same bytes.
func canonicalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// rowState reads one row as a column -> value map, or nil if it does not exist.
func rowState(ctx context.Context, q queryer, e entity, id string) (map[string]any, error) {
	rows, err := q.QueryContext(ctx, stateSQL(e), id)
	if err != nil {
		return nil, err
	}
	return firstState(rows)
}

// firstState scans the first row of rows as a state and closes rows.
func firstState(rows *sql.Rows) (map[string]any, error) {
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	return scanState(rows, cols)
}

type queryer interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

func scanState(rows *sql.Rows, cols []string) (map[string]any, error) {
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	state := make(map[string]any, len(cols))
	for i, c := range cols {
		if b, ok := vals[i].([]byte); ok {
			state[c] = blobText(b)
			continue
		}
		state[c] = vals[i]
	}
	return state, nil
}

// blobText is how a payload records binary data: base64 text, so the payload stays JSON.
func blobText(b []byte) string { return "base64:" + base64.StdEncoding.EncodeToString(b) }
