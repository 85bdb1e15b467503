// Package store is safeguard's workspace: one SQLite file holding assessments, their
// answers and evidence, and the audit chain that makes every change tamper-evident. It is
// the only package that knows SQL. Every mutating method runs in one transaction that also
// appends the audit entry for the change.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/adrg/xdg"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver

	"safeguard/assessment"
)

// Options tune how a workspace is opened.
type Options struct {
	// Actor is recorded in every audit entry; empty means the OS user.
	Actor string
	// CreateDir creates a missing parent folder (owner-only). Only the default location
	// does this: a mistyped --db folder is an error, not a new directory tree.
	CreateDir bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ReadOnly opens an existing workspace without migrating or writing anything.
	ReadOnly bool
	// Passphrase is asked when an encrypted workspace's evidence needs its key (adding,
	// exporting or verifying evidence) and Unlock has not been called; nil means only
	// Unlock provides the key.
	Passphrase func() ([]byte, error)
}

// Store is an open workspace.
type Store struct {
	// Statements of every audited write, prepared once at open: parsing SQL is a large
	// share of a small write's cost. They are prepared before any transaction because the
	// pool has a single connection.
	headStmt, auditStmt *sql.Stmt
	stateStmts          map[string]*sql.Stmt // entity name -> SELECT * of one row
	db                  *sql.DB
	path                string
	actor               string
	now                 func() time.Time
	vault               vault // evidence encryption key, once unlocked (crypto.go)
}

// busyTimeout is how long a writer waits for another process holding the write lock.
const busyTimeout = 5 * time.Second

// DefaultPath is the workspace in the user data directory
// ($XDG_DATA_HOME/safeguard/workspace.db on Linux, the platform equivalent elsewhere).
func DefaultPath() string {
	return filepath.Join(xdg.DataHome, "safeguard", "workspace.db")
}

// Open opens the workspace at path, creating and migrating it if needed. A file that is
// not a safeguard workspace, is damaged, or was written by a newer safeguard is refused
// with a clear error and left byte-for-byte unchanged.
func Open(path string, opt Options) (*Store, error) {
	path = filepath.Clean(path)
	if opt.Actor != "" {
		// The actor goes into every audit entry: refuse what would make the trail unreadable.
		actor, err := assessment.CleanName("actor name", opt.Actor)
		if err != nil {
			return nil, err
		}
		opt.Actor = actor
	}
	created, err := prepareFile(path, opt)
	if err != nil {
		return nil, err
	}
	s, err := openDB(path, opt)
	if err != nil && created {
		removeWorkspaceFiles(path)
	}
	return s, err
}

func openDB(path string, opt Options) (*Store, error) {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	q.Set("_foreign_keys", "1")
	q.Set("_txlock", "immediate")
	// Deleted content is overwritten with zeros, so removed evidence (and anything else)
	// does not linger in free pages of the workspace file.
	q.Add("_pragma", "secure_delete(1)")
	// New workspaces use 32 KiB pages: evidence blobs are most of a workspace's bytes, and
	// SQLite writes, logs and checkpoints them a page (one system call or more) at a time;
	// 32 KiB pages make adding evidence about 2x cheaper in CPU than the 4 KiB default
	// (see BENCHMARKS.md). Existing workspaces keep their page size.
	q.Add("_pragma", "page_size(32768)")
	if opt.ReadOnly {
		q.Set("mode", "ro")
	} else {
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "FULL")
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, friendly(path, err)
	}
	// One connection: writes are serialized inside the process anyway, and a single
	// connection means no in-process lock contention between our own goroutines.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, path: path, actor: opt.Actor, now: opt.Now}
	s.vault.ask = opt.Passphrase
	if s.now == nil {
		s.now = time.Now
	}
	if s.actor == "" {
		s.actor = osUser()
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, friendly(path, err)
	}
	if opt.ReadOnly {
		err = s.checkVersion(context.Background())
	} else {
		err = s.migrate(context.Background())
	}
	if err == nil && !opt.ReadOnly {
		err = s.prepareAudit()
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the workspace.
func (s *Store) Close() error {
	for _, st := range append([]*sql.Stmt{s.headStmt, s.auditStmt}, mapValues(s.stateStmts)...) {
		if st != nil {
			st.Close()
		}
	}
	return s.db.Close()
}

func mapValues(m map[string]*sql.Stmt) []*sql.Stmt {
	out := make([]*sql.Stmt, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// Path is the workspace file.
func (s *Store) Path() string { return s.path }

// Actor is who the audit trail records for this session.
func (s *Store) Actor() string { return s.actor }

// osUser is the login name of the current OS user, for the audit trail.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "unknown"
}

// prepareFile checks the workspace path before SQLite touches it and creates a new, empty,
// owner-only file when there is none. It reports whether it created the file.
func prepareFile(path string, opt Options) (bool, error) {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil {
		if !errors.Is(err, os.ErrNotExist) || !opt.CreateDir || opt.ReadOnly {
			return false, fmt.Errorf("the folder %s does not exist; create it first or choose another --db path", dir)
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return false, fmt.Errorf("cannot create the folder %s (%v); choose another --db path", dir, unwrapPathErr(err))
		}
	} else if !st.IsDir() {
		return false, fmt.Errorf("%s is not a folder; choose another --db path", dir)
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if opt.ReadOnly {
			return false, fmt.Errorf("there is no workspace at %s; check the --db path", path)
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return false, fmt.Errorf("cannot create a workspace at %s (%v); choose a folder you can write to", path, unwrapPathErr(err))
		}
		return true, f.Close()
	case err != nil:
		return false, fmt.Errorf("cannot read the workspace %s (%v); check the --db path and its permissions", path, unwrapPathErr(err))
	case st.IsDir():
		return false, fmt.Errorf("%s is a folder, not a workspace file; give a file path with --db", path)
	}
	return false, checkHeader(path, st.Size(), opt.ReadOnly)
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func removeWorkspaceFiles(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}
