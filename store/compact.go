package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// CompactResult says what Compact did.
type CompactResult struct {
	Path          string // the workspace file rewritten (a symlink followed)
	Before, After int64  // bytes of the workspace (with its write-ahead log) before and after
	Head          Anchor // the audit chain head, the same in the old and the new file
	// RemovedTemp names the leftovers of an earlier, killed compact that were removed.
	RemovedTemp []string
	// History is what comparing the chain with this computer's last-seen record found, as
	// every open reports it (Store.History).
	History *HistoryWarning
}

// Compact rewrites the workspace at path without free space, writing it once: SQLite's
// VACUUM INTO copies every table and index into a new file beside the workspace, which is
// synced, checked (it opens, holds the same audit chain head and as many rows in every
// table) and renamed over the workspace. VACUUM in place would write it three times (a
// temporary database, the write-ahead log, then the checkpoint into the file).
//
// Replacing the file is only safe while nobody else has it open, so Compact takes the
// workspace lock exclusively (lock.go) and fails at once with ErrInUse when another Store
// holds it; opens wait meanwhile. A kill at any moment leaves the old workspace or the new
// one, each complete, and at most a temporary file that the next open removes.
//
// Compact changes no record, so it writes no audit entry: the chain, and its head, are
// the same before and after, which is what the check of the new file compares.
//
// What it means for removed evidence: evidence is overwritten with zeros when it is
// removed (secure_delete); the new file also leaves out leftover fragments that b-tree
// pages may keep. The old file is deleted by the rename, not overwritten: the file system
// frees its blocks, and until they are reused they can be read from the raw disk by
// someone with access to the device (so could the blocks a file shrunk in place gives
// back). Encrypted evidence is stored only sealed, so those blocks hold no plaintext
// evidence of an encrypted workspace, except what was there before it was encrypted.
func Compact(ctx context.Context, path string, opt Options) (CompactResult, error) {
	path = filepath.Clean(path)
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return CompactResult{}, fmt.Errorf("there is no workspace at %s; check the --db path", path)
		}
		return CompactResult{}, fmt.Errorf("cannot read the workspace %s (%v); check the --db path and its permissions", path, unwrapPathErr(err))
	}
	if err := CheckRegular(path, st, "a workspace file; give the path of a workspace file with --db"); err != nil {
		return CompactResult{}, err
	}
	real := realPath(path)
	res := CompactResult{Path: real}
	if dir := filepath.Dir(real); !dirWritable(dir) {
		return res, fmt.Errorf("cannot compact %s: its folder %s is not writable, and compact writes the new copy there; nothing was changed", path, dir)
	}
	unlock, err := lockExclusive(real)
	if err != nil {
		return res, err
	}
	defer unlock()
	res.RemovedTemp = removeStaleCompacts(real)
	opt.ReadOnly, opt.CreateDir, opt.unlocked = false, false, true
	s, err := Open(real, opt)
	if err != nil {
		return res, err
	}
	defer func() {
		if s != nil {
			s.Close()
		}
	}()
	res.History = s.History()
	res.Before = fileSize(real) + fileSize(real+"-wal")
	if res.Head, err = s.Head(ctx); err != nil {
		return res, err
	}
	rows, err := tableRows(ctx, s.db)
	if err != nil {
		return res, friendly(real, err)
	}
	tmp, err := createCompactTemp(real)
	if err != nil {
		return res, fmt.Errorf("cannot write to %s (%v); compact needs room for a new copy of the workspace beside it", filepath.Dir(real), unwrapPathErr(err))
	}
	renamed := false
	defer func() { dropCompactTemp(tmp, renamed) }()
	// The log into the file first: the old file is then complete on disk should the
	// rename not happen, and closing it later writes nothing. (No log of the old file may
	// be left for the new one either: SQLite would apply it to the new file.)
	if err := s.checkpoint(ctx); err != nil {
		return res, err
	}
	if err := s.vacuumInto(ctx, tmp, st.Mode().Perm()); err != nil {
		return res, err
	}
	// The new file goes to disk while the rest runs: checking it reads it from memory, and
	// closing the old file and dropping it from the cache (which the rename would
	// otherwise do, in about a third of the time of the copy) need no disk.
	synced := make(chan error, 1)
	go func() { synced <- syncFile(tmp) }()
	err = checkCompacted(ctx, tmp, res.Head, rows)
	if err == nil {
		err = s.Close()
		s = nil
		if err != nil {
			err = friendly(real, err)
		} else {
			dropCache(real)
		}
	}
	if serr := <-synced; err == nil && serr != nil {
		err = fmt.Errorf("writing the compacted copy failed (%v); check the disk has room, nothing was changed", serr)
	}
	if err != nil {
		return res, err
	}
	if walInUse(real) || fileHasContent(real+"-wal") {
		// Only a program other than safeguard (which takes the lock) can have it open now.
		return res, fmt.Errorf("another program has the workspace %s open; close it and run compact again, nothing was changed", real)
	}
	for _, side := range sideFiles {
		if err := os.Remove(real + side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return res, fmt.Errorf("cannot remove %s%s (%v); check the folder's permissions, nothing was changed", real, side, unwrapPathErr(err))
		}
	}
	if err := os.Rename(tmp, real); err != nil {
		return res, fmt.Errorf("cannot replace %s (%v); check the folder's permissions, nothing was changed", real, unwrapLinkErr(err))
	}
	renamed = true
	syncDir(filepath.Dir(real))
	res.After = fileSize(real)
	return res, nil
}

// vacuumInto writes the workspace into the empty file tmp, with the workspace's
// permissions. It does not sync the file; Compact does, while it checks the copy.
func (s *Store) vacuumInto(ctx context.Context, tmp string, perm os.FileMode) error {
	// A small page cache: the copy reads and writes each page once, so caching gains
	// nothing, and with few pages cached SQLite writes them out as it goes instead of
	// gathering 2 MB at a time: 20-25% faster in a measurement of 64 MB (median of ten).
	// No sync inside VACUUM INTO (it follows the workspace's synchronous setting): the
	// connection writes nothing more to the workspace, and Compact syncs the copy.
	for _, pragma := range []string{"PRAGMA cache_size = 16", "PRAGMA synchronous = OFF"} {
		if _, err := s.db.ExecContext(ctx, pragma); err != nil {
			return friendly(s.path, err)
		}
	}
	// Nothing is written to the workspace after this: Compact closes the Store, so the
	// settings are not put back.
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("compact was interrupted; the workspace %s is unchanged", s.path)
		}
		return fmt.Errorf("writing the compacted copy failed (%v); check the disk has room for another copy of the workspace, nothing was changed", friendly(s.path, err))
	}
	if err := os.Chmod(tmp, perm); err != nil {
		return fmt.Errorf("cannot set the permissions of the compacted copy (%v); nothing was changed", unwrapPathErr(err))
	}
	return nil
}

// checkCompacted opens the new file read-only and checks it holds what the workspace
// holds: the same audit chain head, and as many rows in every table. (SQLite's quick
// check of the whole file cost a tenth of the compact's time; VACUUM INTO writes the new
// file with the same b-tree code that writes every save, and the file is synced.)
func checkCompacted(ctx context.Context, tmp string, head Anchor, rows map[string]int64) error {
	c, err := Open(tmp, Options{ReadOnly: true, unlocked: true})
	if err != nil {
		return fmt.Errorf("the compacted copy cannot be opened (%v); nothing was changed, run `safeguard verify`", err)
	}
	defer c.Close()
	got, err := c.Head(ctx)
	if err != nil {
		return fmt.Errorf("the compacted copy cannot be read (%v); nothing was changed, run `safeguard verify`", err)
	}
	if got != head {
		return fmt.Errorf("the compacted copy holds audit chain head %s, the workspace %s; nothing was changed, run `safeguard verify`", got, head)
	}
	copied, err := tableRows(ctx, c.db)
	if err != nil {
		return fmt.Errorf("the compacted copy cannot be read (%v); nothing was changed, run `safeguard verify`", err)
	}
	for table, n := range rows {
		if copied[table] != n {
			return fmt.Errorf("the compacted copy holds %d rows in table %s, the workspace %d; nothing was changed, run `safeguard verify`", copied[table], table, n)
		}
	}
	if len(copied) != len(rows) {
		return fmt.Errorf("the compacted copy holds %d tables, the workspace %d; nothing was changed, run `safeguard verify`", len(copied), len(rows))
	}
	return nil
}

// tableRows counts the rows of every table. It reads the tables' b-trees, not the
// overflow pages that hold most of evidence's bytes.
func tableRows(ctx context.Context, db *sql.DB) (map[string]int64, error) {
	rs, err := db.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
	if err != nil {
		return nil, err
	}
	var names []string
	err = eachRow(rs, func(sc scanner) error {
		var n string
		err := sc.Scan(&n)
		names = append(names, n)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(names))
	for _, n := range names {
		var count int64
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM "`+strings.ReplaceAll(n, `"`, `""`)+`"`).Scan(&count); err != nil {
			return nil, err
		}
		out[n] = count
	}
	return out, nil
}

// checkpoint copies the write-ahead log into the workspace file and empties it. ErrBusy
// when another process's read kept part of the log.
func (s *Store) checkpoint(ctx context.Context) error {
	var busy, logFrames, done int
	if err := s.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done); err != nil {
		return friendly(s.path, err)
	}
	if busy != 0 {
		return ErrBusy
	}
	return nil
}

// vacuum rewrites the open workspace in place without free space (SQLite VACUUM) and
// empties the write-ahead log. Encrypt uses it: the Store stays open, so Compact's
// rename is not possible. It writes the workspace three times.
func (s *Store) vacuum(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, "VACUUM"); err != nil {
		return friendly(s.path, err)
	}
	return s.checkpoint(ctx)
}

// RemovedTemp names the leftovers of a killed compact that opening the workspace removed.
func (s *Store) RemovedTemp() []string { return s.removedTemp }
