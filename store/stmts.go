package store

import (
	"context"
	"database/sql"
)

// Prepared statements. Parsing SQL is the largest share of a small write's CPU (a third
// of saving an answer), and database/sql does not keep statements. So the queries a write
// transaction runs are prepared once and reused: a query met inside a transaction for the
// first time runs unprepared and is noted, and is prepared on the Store's connection
// right after the commit, when the connection is free (the pool has one connection, so
// nothing can be prepared on it while a transaction holds it). The queries are the
// package's own SQL text, so the cache stays small; maxStmts bounds it anyway.

const maxStmts = 256

// stmt returns the prepared form of query bound to the transaction, or nil (noting the
// query for preparing after the commit).
func (t *Tx) stmt(query string) *sql.Stmt {
	t.s.stmtMu.Lock()
	st, ok := t.s.stmts[query]
	if !ok && len(t.s.stmts)+len(t.s.wantStmts) < maxStmts {
		if t.s.wantStmts == nil {
			t.s.wantStmts = map[string]bool{}
		}
		t.s.wantStmts[query] = true
	}
	t.s.stmtMu.Unlock()
	if !ok {
		return nil
	}
	return t.tx.StmtContext(t.ctx, st)
}

// prepareWanted prepares the queries transactions noted. It runs after a commit.
func (s *Store) prepareWanted(ctx context.Context) {
	s.stmtMu.Lock()
	want := s.wantStmts
	s.wantStmts = nil
	s.stmtMu.Unlock()
	for q := range want {
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			continue // it runs unprepared next time too
		}
		s.stmtMu.Lock()
		if s.stmts == nil {
			s.stmts = map[string]*sql.Stmt{}
		}
		if old, ok := s.stmts[q]; ok {
			old.Close()
		}
		s.stmts[q] = st
		s.stmtMu.Unlock()
	}
}

// closeStmts closes the prepared statements.
func (s *Store) closeStmts() {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
}

// QueryContext runs a query in the transaction, prepared when it has run before: Tx is
// a queryer for the readers shared with snapshots.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// QueryRowContext is QueryContext for one row.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}
