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
	"sync"
	"time"

	"modernc.org/sqlite"

	"safeguard/assessment"
	"safeguard/store/signing"
)

func init() {
	// Database-file locks as Linux open-file-description locks: a POSIX record lock is
	// dropped by any close(2) of any descriptor of the file in the process (reading the
	// workspace's header, hashing it), which would leave a transaction unprotected. Other
	// platforms keep POSIX locks; ErrOFDLockingUnavailable is expected there.
	sqlite.OFDLocking(true)
}

// Options tune how a workspace is opened.
type Options struct {
	// Actor is recorded in every audit entry; empty means the OS user.
	Actor string
	// CreateDir creates a missing parent folder (owner-only). Only the default location
	// does this: a mistyped --db folder is an error, not a new directory tree.
	CreateDir bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ReadOnly opens an existing workspace for reading only: no write lock, no migration,
	// nothing written to the file (see openDB); it works on a read-only file or folder and
	// while another process writes.
	ReadOnly bool
	// Passphrase is asked when an encrypted workspace's evidence needs its key (adding,
	// exporting or verifying evidence) and Unlock has not been called; nil means only
	// Unlock provides the key.
	Passphrase func() ([]byte, error)
	// StateDir is the folder, outside any workspace, where the last audit chain head this
	// computer saw of each workspace is kept (see seen.go). "" keeps no record.
	StateDir string
	// BusyTimeout is how long a write waits for another process's write, and an open for
	// a compact to finish; 0 means DefaultBusyTimeout.
	BusyTimeout time.Duration

	// unlocked opens without the workspace lock (lock.go): Compact, which holds it
	// exclusively, and the check of a temporary copy nobody else knows of.
	unlocked bool
}

// Store is an open workspace.
type Store struct {
	// Statements of every audited write, prepared once at open: parsing SQL is a large
	// share of a small write's cost. They are prepared before any transaction because the
	// pool has a single connection.
	headStmt, auditStmt, lastEntryStmt *sql.Stmt
	stateStmts                         map[string]*sql.Stmt // entity name -> SELECT * of one row
	db                                 *sql.DB
	rdb                                *sql.DB // reads of a writable Store (reader); nil when read-only
	path                               string
	actor                              string
	now                                func() time.Time
	readOnly                           bool
	busyTimeout                        time.Duration
	vault                              vault // evidence encryption key, once unlocked (crypto.go)
	seen                               *seenRecord
	release                            func()   // lets go of the path (holdPath) and the workspace lock
	removedTemp                        []string // leftovers of a killed compact removed at open
	stateDir                           string

	mu          sync.Mutex
	identity    string              // workspace identity, once known
	written     map[recordKey]int64 // audit entry this Store last wrote per record (versions.go)
	dataVersion int64               // PRAGMA data_version at the last Changed call
	signer      func() (*signing.Key, error)

	progress progressCache // completions for the list of assessments (progress.go)

	stmtMu    sync.Mutex
	stmts     map[string]*sql.Stmt // prepared queries of write transactions (stmts.go)
	wantStmts map[string]bool      // queries to prepare after the next commit
}

// DefaultBusyTimeout is how long a write waits for another process's write before giving
// up with ErrBusy. Writes are short; only a large evidence file or an encryption holds the
// lock for long.
const DefaultBusyTimeout = 30 * time.Second

// ErrNoWorkspace is returned by a read-only open of a path that holds no workspace yet.
var ErrNoWorkspace = errors.New("no workspace")

// Open opens the workspace at path, creating and migrating it if needed (unless
// opt.ReadOnly). A file that is not a safeguard workspace, is damaged, or was written by a
// newer safeguard is refused with a clear error and left byte-for-byte unchanged.
//
// Opening lets SQLite decide: a workspace whose write-ahead log holds committed changes
// that were not yet copied into the file (after a crash, a kill or a full disk) is
// recovered by SQLite, not refused by a guess from the file's size. When the previous
// process did not close the workspace (its log is still there and no process has it
// open), PRAGMA quick_check runs before anything else, and a workspace that fails it is
// refused as damaged.
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
	if opt.BusyTimeout <= 0 {
		opt.BusyTimeout = DefaultBusyTimeout
	}
	release := holdPath(path)
	created, unclean := false, false
	if !release.shared {
		// The first Store of this workspace in the process: look at the file before SQLite
		// does. (Later ones skip this: the file is known, and closing a descriptor of it
		// would drop SQLite's POSIX locks on the -shm file.) A compact may be replacing the
		// file meanwhile; the rename is atomic, so the check sees the old file or the new.
		var err error
		if created, err = prepareFile(path, opt); err != nil {
			release.done()
			return nil, err
		}
	}
	real := realPath(path) // the lock and a compact's copies are beside the file a link names
	unlock := func() {}
	if !opt.unlocked {
		// Before SQLite opens the file or anything looks at its log: a compact may be about
		// to replace them.
		var err error
		if unlock, err = lockShared(real, opt.BusyTimeout, opt.ReadOnly); err != nil {
			release.done()
			if created {
				removeWorkspaceFiles(path)
			}
			return nil, err
		}
	}
	letGo := func() { unlock(); release.done() }
	var removed []string
	if !opt.unlocked && !release.shared {
		// Nothing is removed in a folder nobody can write to, and there is nothing to say.
		removed = removeStaleCompacts(real)
	}
	if !release.shared && !created {
		unclean = walLeftBehind(path)
		if fileHasContent(path + "-wal") {
			if err := refuseForeignLog(path); err != nil {
				letGo()
				return nil, err
			}
		}
	}
	s, err := openDB(path, opt, unclean)
	if err != nil {
		letGo()
		if created {
			removeWorkspaceFiles(path)
			os.Remove(real + lockSuffix) // made a moment ago with the workspace
		}
		return nil, err
	}
	s.release, s.removedTemp = letGo, removed
	return s, nil
}

func openDB(path string, opt Options, unclean bool) (*Store, error) {
	s := &Store{path: path, actor: opt.Actor, now: opt.Now, readOnly: opt.ReadOnly, busyTimeout: opt.BusyTimeout,
		stateDir: opt.StateDir, written: map[recordKey]int64{}}
	s.vault.ask = opt.Passphrase
	if s.now == nil {
		s.now = time.Now
	}
	if s.actor == "" {
		s.actor = osUser()
	}
	db, err := sql.Open("sqlite", s.dsn(opt.ReadOnly))
	if err != nil {
		return nil, friendly(path, err)
	}
	// One connection: writes are serialized inside the process anyway, a single connection
	// means no in-process lock contention between our own goroutines, and PRAGMA
	// data_version (Changed) counts only other connections' commits.
	db.SetMaxOpenConns(1)
	s.db = db
	ctx := context.Background()
	err = s.retryBusy(ctx, func() error {
		if err := db.PingContext(ctx); err != nil {
			return friendly(path, err)
		}
		if unclean {
			if err := s.quickCheck(ctx); err != nil {
				return err
			}
		}
		if opt.ReadOnly {
			return s.checkVersion(ctx)
		}
		return s.migrate(ctx)
	})
	if err == nil && !opt.ReadOnly {
		err = s.prepareAudit()
	}
	if err == nil && !opt.ReadOnly {
		err = s.openReader()
	}
	if err == nil {
		err = s.openSeen(ctx, opt.StateDir)
	}
	if err != nil {
		s.closeDB()
		return nil, err
	}
	return s, nil
}

// dsn is the connection string. A writer uses WAL with synchronous=FULL (a committed
// answer survives power loss), foreign keys and immediate transactions (the write lock
// is taken at BEGIN, where waiting for it is safe to retry).
//
// A reader opens with mode=ro: SQLite opens the file read-only, takes no write lock, and
// cannot checkpoint or remove the write-ahead log, so reading (verify included) changes
// nothing in the file, even beside a log that is not the workspace's. A WAL reader needs
// the -shm index beside the file; in a folder it cannot write, with no log left there, it
// opens the file immutable instead: nobody can be writing it, since a writer would have
// to create the log in that folder.
func (s *Store) dsn(readOnly bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(s.busyTimeout.Milliseconds()))
	q.Set("_foreign_keys", "1")
	if readOnly {
		q.Set("mode", "ro")
		if !dirWritable(filepath.Dir(s.path)) && !fileHasContent(s.path+"-wal") {
			q.Set("immutable", "1")
		}
	} else {
		q.Set("_txlock", "immediate")
		// Deleted content is overwritten with zeros, so removed evidence (and anything
		// else) does not linger in free pages of the workspace file.
		q.Add("_pragma", "secure_delete(1)")
		// New workspaces use 32 KiB pages: evidence blobs are most of a workspace's bytes,
		// and SQLite writes, logs and checkpoints them a page (one system call or more) at a
		// time; 32 KiB pages make adding evidence about 2x cheaper in CPU than the 4 KiB
		// default (see BENCHMARKS.md). Existing workspaces keep their page size.
		q.Add("_pragma", "page_size(32768)")
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "FULL")
	}
	return "file:" + (&url.URL{Path: s.path}).EscapedPath() + "?" + q.Encode()
}

// quickCheck runs SQLite's structural check after an unclean close and refuses a damaged
// workspace. It does not run on every open: it reads the whole file.
func (s *Store) quickCheck(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA quick_check(5)")
	if err != nil {
		return friendly(s.path, err)
	}
	defer rows.Close()
	var first string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return friendly(s.path, err)
		}
		if first == "" {
			first = line
		}
	}
	if err := rows.Err(); err != nil {
		return friendly(s.path, err)
	}
	if first != "ok" {
		return fmt.Errorf("the workspace %s is damaged (SQLite's check after an interrupted session found: %s); restore it from a backup", s.path, assessment.SafeLine(first))
	}
	return nil
}

// retryBusy runs fn again while it fails with ErrBusy, until the busy timeout has passed
// since the first attempt. SQLite waits for locks itself (busy_timeout); this covers the
// cases where it returns SQLITE_BUSY at once, such as while another process recovers the
// write-ahead log after a crash.
func (s *Store) retryBusy(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(s.busyTimeout)
	delay := 5 * time.Millisecond
	for {
		err := fn()
		if !errors.Is(err, ErrBusy) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(delay):
		}
		delay = min(2*delay, 100*time.Millisecond)
	}
}

// Close records the last chain head seen and closes the workspace.
func (s *Store) Close() error {
	s.closeSeen()
	err := s.closeDB()
	if s.release != nil {
		s.release()
		s.release = nil
	}
	return err
}

// openReader opens the connection that loads snapshots, lists and verifies for a writable
// Store: in WAL mode a reader sees the last commit without waiting for the writer, so a
// screen's reload never holds up the next save (the single write connection would
// otherwise queue a save behind a snapshot being read), and a long verify does not block
// writes. Reads in one read transaction stay consistent as before.
func (s *Store) openReader() error {
	rdb, err := sql.Open("sqlite", s.dsn(true))
	if err != nil {
		return friendly(s.path, err)
	}
	rdb.SetMaxOpenConns(2)
	s.rdb = rdb
	return nil
}

// reader is the connection pool for reads that need no write lock.
func (s *Store) reader() *sql.DB {
	if s.rdb != nil {
		return s.rdb
	}
	return s.db
}

func (s *Store) closeDB() error {
	if s.rdb != nil {
		s.rdb.Close()
	}
	s.closeStmts()
	for _, st := range append([]*sql.Stmt{s.headStmt, s.auditStmt, s.lastEntryStmt}, mapValues(s.stateStmts)...) {
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

// Actor is who the audit trail records for this session: the person working (SetActor),
// else the name given when the workspace was opened, else the OS user.
func (s *Store) Actor() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.actor
}

// ReadOnly reports whether the workspace was opened for reading only.
func (s *Store) ReadOnly() bool { return s.readOnly }

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
			if opt.ReadOnly && opt.CreateDir && errors.Is(err, os.ErrNotExist) {
				// The default location, before the first workspace was made there.
				return false, fmt.Errorf("there is no workspace at %s yet: %w", path, ErrNoWorkspace)
			}
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
			return false, fmt.Errorf("there is no workspace at %s yet; check the --db path: %w", path, ErrNoWorkspace)
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return false, fmt.Errorf("cannot create a workspace at %s (%v); choose a folder you can write to", path, unwrapPathErr(err))
		}
		return true, f.Close()
	case err != nil:
		return false, fmt.Errorf("cannot read the workspace %s (%v); check the --db path and its permissions", path, unwrapPathErr(err))
	}
	if err := CheckRegular(path, st, "a workspace file; give the path of a workspace file with --db"); err != nil {
		return false, err
	}
	if st.Size() == 0 {
		// SQLite would silently make an empty file a new database; an empty file is not
		// one we made (a new workspace gets its first page before Open returns).
		return false, fmt.Errorf("%s is an empty file, not a safeguard workspace; check the --db path (delete the file if a workspace should be created there)", path)
	}
	return false, checkHeader(path, opt.ReadOnly)
}

// CheckRegular refuses anything but a regular file — folders, devices, named pipes,
// sockets — before it is opened: SQLite would write its header over a block device,
// and reading a named pipe waits forever. want ends the sentence: "… is a device, not
// <want>".
func CheckRegular(path string, st os.FileInfo, want string) error {
	m := st.Mode()
	switch {
	case m.IsDir():
		return fmt.Errorf("%s is a folder, not %s", path, want)
	case m&os.ModeNamedPipe != 0:
		return fmt.Errorf("%s is a named pipe, not %s", path, want)
	case m&os.ModeSocket != 0:
		return fmt.Errorf("%s is a socket, not %s", path, want)
	case m&os.ModeDevice != 0:
		return fmt.Errorf("%s is a device, not %s", path, want)
	case !m.IsRegular():
		return fmt.Errorf("%s is not a regular file, not %s", path, want)
	}
	return nil
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// sideFiles are the suffixes of the files SQLite keeps beside a workspace.
var sideFiles = []string{"-wal", "-shm", "-journal"}

// removeSideFiles removes the files SQLite keeps beside the workspace at path.
func removeSideFiles(path string) {
	for _, side := range sideFiles {
		os.Remove(path + side)
	}
}

// removeWorkspaceFiles removes the workspace at path with its side files.
func removeWorkspaceFiles(path string) {
	os.Remove(path)
	removeSideFiles(path)
}

// fileHasContent reports whether path is a file with at least one byte.
func fileHasContent(path string) bool { return fileSize(path) > 0 }

// fileSize is the size of the file at path, 0 when it cannot be read.
func fileSize(path string) int64 {
	if st, err := os.Stat(path); err == nil {
		return st.Size()
	}
	return 0
}

// walLeftBehind reports whether the previous session did not close the workspace: its
// write-ahead log still holds frames, and no process has the workspace open now (SQLite
// removes the log when the last connection closes cleanly).
func walLeftBehind(path string) bool {
	return fileHasContent(path+"-wal") && !walInUse(path)
}

// refuseForeignLog refuses a workspace whose write-ahead log belongs to another one (a
// -wal copied or left beside it). SQLite cannot tell: a log's pages would be read as this
// workspace's, and the first writer's checkpoint would copy them into the file. So the
// identity the file itself records is compared with the one read through the log, both
// read-only (a read-only connection never checkpoints), before anything opens the
// workspace for writing. A file that records no identity yet is not checked.
func refuseForeignLog(path string) error {
	read := func(params string) string {
		db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+params)
		if err != nil {
			return ""
		}
		defer db.Close()
		var id string
		db.QueryRow("SELECT value FROM settings WHERE id = ?", identitySetting).Scan(&id)
		return id
	}
	inFile := read("mode=ro&immutable=1")
	if inFile == "" {
		return nil
	}
	if throughLog := read("mode=ro"); throughLog != "" && throughLog != inFile {
		return fmt.Errorf("the write-ahead log %s-wal belongs to another workspace (%s, this file is %s); move that file away and try again, nothing was changed", path, throughLog, inFile)
	}
	return nil
}

// Paths this process has open, so that a second Store of the same workspace neither
// re-reads the file nor closes descriptors under SQLite's locks.
var (
	heldMu sync.Mutex
	held   = map[string]int{}
)

type pathHold struct {
	key    string
	shared bool // another Store of this process already has the workspace open
	once   sync.Once
}

func holdPath(path string) *pathHold {
	key, err := filepath.Abs(path)
	if err != nil {
		key = path
	}
	heldMu.Lock()
	defer heldMu.Unlock()
	h := &pathHold{key: key, shared: held[key] > 0}
	held[key]++
	return h
}

func (h *pathHold) done() {
	h.once.Do(func() {
		heldMu.Lock()
		defer heldMu.Unlock()
		if held[h.key]--; held[h.key] <= 0 {
			delete(held, h.key)
		}
	})
}

// OpenInput opens a file safeguard reads (an import), refusing anything but a regular
// file before opening it: opening a named pipe would wait for a writer forever. want ends
// the refusal ("… is a named pipe, not <want>").
func OpenInput(path, want string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("cannot open %s (there is no such file); check the path", path)
		}
		return nil, fmt.Errorf("cannot open %s (%v); check the path and its permissions", path, unwrapPathErr(err))
	}
	if err := CheckRegular(path, st, want); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot open %s (%v); check the path and its permissions", path, unwrapPathErr(err))
	}
	fst, err := f.Stat()
	if err == nil && !os.SameFile(st, fst) {
		err = fmt.Errorf("%s was replaced while it was being opened; try again", path)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
