package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// identitySetting is the settings row holding the workspace identity: a random ID made
// once, with the workspace's first change, and audited like every setting. Seals and
// signatures name it, and the last-seen record is kept per identity, so a copy of a
// workspace is recognized as the same workspace, and a report as coming from it.
const identitySetting = "workspace.id"

// Identity is the workspace identity, or "" for a workspace nobody has changed yet.
func (s *Store) Identity(ctx context.Context) (string, error) {
	s.mu.Lock()
	id := s.identity
	s.mu.Unlock()
	if id != "" {
		return id, nil
	}
	err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE id = ?", identitySetting).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", friendly(s.path, err)
	}
	s.mu.Lock()
	s.identity = id
	s.mu.Unlock()
	return id, nil
}

// ensureIdentity gives the workspace its identity in the transaction of its first change.
func (t *Tx) ensureIdentity() error {
	t.s.mu.Lock()
	known := t.s.identity != ""
	t.s.mu.Unlock()
	if known {
		return nil
	}
	var id string
	err := t.queryRow("SELECT value FROM settings WHERE id = ?", identitySetting).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		id = uuid.NewString()
		if _, err := t.exec("INSERT INTO settings (id, value) VALUES (?, ?)", identitySetting, id); err != nil {
			return err
		}
		if err := t.record(ActionCreate, "setting", identitySetting, ""); err != nil {
			return err
		}
		t.newIdentity = id
		return nil
	case err != nil:
		return err
	}
	t.s.mu.Lock()
	t.s.identity = id
	t.s.mu.Unlock()
	return nil
}

// Head is the newest entry of the audit chain (zero for an empty chain).
func (s *Store) Head(ctx context.Context) (Anchor, error) {
	a, err := s.head(ctx, s.db)
	return a, friendly(s.path, err)
}

func (s *Store) head(ctx context.Context, q rowQueryer) (Anchor, error) {
	var a Anchor
	err := q.QueryRowContext(ctx, headSQL).Scan(&a.Seq, &a.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return Anchor{}, nil
	}
	return a, err
}

var anchorText = regexp.MustCompile(`^([0-9]{1,18}):([0-9a-f]{64})$`)

// ParseAnchor reads an anchor written "SEQ:HASH" (as reports and exports print it).
func ParseAnchor(s string) (Anchor, error) {
	m := anchorText.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return Anchor{}, fmt.Errorf("%q is not an anchor; write it as SEQ:HASH, the entry number and its 64-digit SHA-256 as a report or export prints them", s)
	}
	seq, _ := strconv.ParseInt(m[1], 10, 64)
	if seq < 1 {
		return Anchor{}, fmt.Errorf("%q is not an anchor: audit entries are numbered from 1", s)
	}
	return Anchor{Seq: seq, Hash: m[2]}, nil
}

// AnchorResult is what CheckAnchor found.
type AnchorResult struct {
	Anchor  Anchor
	Found   bool   // the chain holds the entry unchanged
	Current string // the hash the chain has for the entry ("" if it has no such entry)
	Entries int64  // entries in the chain
}

// Problem is the sentence saying how the chain fails the anchor, or "" when it holds it.
func (r AnchorResult) Problem() string {
	switch {
	case r.Found:
		return ""
	case r.Current == "":
		return fmt.Sprintf("the anchor names audit entry %d, but the chain has only %d entries: entries %d to %d were removed", r.Anchor.Seq, r.Entries, r.Entries+1, r.Anchor.Seq)
	}
	return fmt.Sprintf("audit entry %d differs from the anchor (anchor %s…, chain %s…): the history up to entry %d was rewritten after the anchor was taken", r.Anchor.Seq, r.Anchor.Hash[:12], r.Current[:min(12, len(r.Current))], r.Anchor.Seq)
}

// CheckAnchor reports whether the chain still holds the anchored entry unchanged. Together
// with Verify (the chain links up to its head), that proves nothing before the anchor was
// changed since the anchor was taken.
func (s *Store) CheckAnchor(ctx context.Context, a Anchor) (AnchorResult, error) {
	res := AnchorResult{Anchor: a}
	if err := s.db.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM audit_log").Scan(&res.Entries); err != nil {
		return res, friendly(s.path, err)
	}
	h, err := s.entryHash(ctx, s.db, a.Seq)
	if err != nil {
		return res, err
	}
	res.Current, res.Found = h, h == a.Hash
	return res, nil
}
