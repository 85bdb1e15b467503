package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"modernc.org/sqlite"
)

// Backups. A backup is a consistent copy of the whole open workspace, made with SQLite's
// online backup API in one step: the step holds one read transaction, so the copy is the
// workspace as of one commit even while other processes write, and memory stays flat
// whatever the size (pages go through SQLite's page cache one at a time). Evidence stays
// exactly as stored, sealed chunks included, so an encrypted workspace gives an encrypted
// copy. The copy is written under a temporary name beside the target, verified (schema,
// audit chain, every record, every blob), synced and only then renamed into place; the
// workspace records the backup (path, size, the chain head the copy holds) as entity
// "backup", which does not count as a change to signed-off data.
//
// The backup API and VACUUM INTO were both measured on a 1 GB workspace (BENCHMARKS.md):
// the same speed (about 450 MB/s for the copy alone) and flat memory. The backup API is
// used because it copies the pages as they are, rather than rebuilding every table and
// index into a new file. Stepping the backup in parts would let it report progress
// itself, but a write by another process between two steps restarts it from the first
// page; one step never restarts, and progress is read from the growing file instead.

// BackupResult says what Backup wrote and what the check of the copy found.
type BackupResult struct {
	Path    string
	Size    int64  // bytes of the copy
	Head    Anchor // the audit chain head the copy holds
	Entries int64  // audit entries in the copy
	Records int    // audited records checked
	Blobs   int    // evidence blobs re-hashed
	// SealedSkipped counts encrypted blobs that could not be re-hashed because the
	// workspace was not unlocked.
	SealedSkipped int
}

// backupTemp is the name pattern of a backup being written.
const backupTemp = ".safeguard-backup-*.tmp"

// Backup writes a verified copy of the workspace to path. An existing file is refused
// unless force; a folder, device, pipe or the workspace itself always is. progress, if
// not nil, gets the bytes written so far and the expected total (polled from the file
// as it grows). On any error nothing is left at path or beside it.
func (s *Store) Backup(ctx context.Context, path string, force bool, progress func(done, total int64)) (BackupResult, error) {
	res := BackupResult{Path: path}
	if err := s.checkBackupTarget(path, force); err != nil {
		return res, err
	}
	total, err := s.usedBytes(ctx)
	if err != nil {
		return res, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), backupTemp)
	if err != nil {
		return res, fmt.Errorf("cannot write to %s (%v); choose a folder you can write to", filepath.Dir(path), unwrapPathErr(err))
	}
	tmpName := tmp.Name()
	tmp.Close()
	done := false
	defer func() {
		if !done {
			removeWorkspaceFiles(tmpName)
		}
	}()
	stop := pollSize(tmpName, total, progress)
	err = s.copyTo(ctx, tmpName)
	stop()
	if err != nil {
		if ctx.Err() != nil {
			return res, fmt.Errorf("the backup was interrupted; nothing was written to %s", path)
		}
		return res, fmt.Errorf("writing the backup failed (%v); check the disk has space, nothing was written to %s", friendly(s.path, err), path)
	}
	check, err := s.verifyCopy(ctx, tmpName)
	// A read-only open of the copy (a WAL database, like the workspace) leaves an empty
	// log and its index beside it; the copy needs neither.
	for _, side := range []string{"-wal", "-shm"} {
		os.Remove(tmpName + side)
	}
	if err != nil {
		return res, err
	}
	if !check.OK() {
		return res, fmt.Errorf("the copy failed its check (%s); nothing was written to %s, run `safeguard verify` on the workspace", check.Problems[0], path)
	}
	if err := syncFile(tmpName); err != nil {
		return res, fmt.Errorf("writing %s failed (%v); check the disk has space", path, err)
	}
	st, err := os.Stat(tmpName)
	if err != nil {
		return res, err
	}
	if err := os.Rename(tmpName, path); err != nil {
		return res, fmt.Errorf("cannot create %s (%v); choose another name", path, unwrapLinkErr(err))
	}
	done = true
	syncDir(filepath.Dir(path))
	if progress != nil {
		progress(st.Size(), st.Size())
	}
	res.Size, res.Head, res.Entries = st.Size(), check.Anchor, check.Entries
	res.Records, res.Blobs, res.SealedSkipped = check.Records, check.Blobs, check.SealedSkipped
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	var recorded Anchor
	err = s.mutate(ctx, func(t *Tx) error {
		id := uuid.NewString()
		if _, err := t.exec("INSERT INTO backups (id, path, size, chain_seq, chain_head, at) VALUES (?, ?, ?, ?, ?, ?)",
			id, abs, res.Size, res.Head.Seq, res.Head.Hash, t.at); err != nil {
			return err
		}
		err := t.record(ActionCreate, "backup", id, "")
		recorded = t.head
		return err
	})
	if err != nil {
		return res, fmt.Errorf("the backup %s was written and checked, but recording it in the audit trail failed: %w", path, err)
	}
	// The copy holds every entry but this record: opening it is no loss until the
	// workspace moves on.
	if recorded.Seq == res.Head.Seq+1 {
		s.noteBackup(res.Head, recorded)
	}
	return res, nil
}

// checkBackupTarget refuses a target that is not a new or replaceable regular file.
func (s *Store) checkBackupTarget(path string, force bool) error {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("cannot write to %s (it is not an existing folder); choose a folder you can write to", dir)
	}
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("cannot use %s (%v); choose another file", path, unwrapPathErr(err))
	}
	if err := CheckRegular(path, st, "a file a backup can be written to; give the name of a new file"); err != nil {
		return err
	}
	if ws, err := os.Stat(s.path); err == nil && os.SameFile(ws, st) {
		return fmt.Errorf("%s is the open workspace itself; give the backup another name", path)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if strings.HasSuffix(path, suffix) && strings.TrimSuffix(filepath.Clean(path), suffix) == s.path {
			return fmt.Errorf("%s belongs to the open workspace; give the backup another name", path)
		}
	}
	if !force {
		return fmt.Errorf("%s already exists; choose another name or overwrite it (--force)", path)
	}
	return nil
}

// copyTo copies the workspace page by page into the empty file path with SQLite's online
// backup API, in one step: the step holds a read transaction on the workspace for the
// whole copy, so the copy is the workspace as of one commit (other processes keep
// writing to the log meanwhile), and it never restarts.
func (s *Store) copyTo(ctx context.Context, path string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		b, ok := dc.(interface {
			NewBackup(string) (*sqlite.Backup, error)
		})
		if !ok {
			return errors.New("internal error: the SQLite driver offers no online backup")
		}
		bk, err := b.NewBackup(path)
		if err != nil {
			return err
		}
		if _, err := bk.Step(-1); err != nil {
			bk.Finish()
			return err
		}
		return bk.Finish()
	})
}

// usedBytes is about the size of the copy: the pages in use.
func (s *Store) usedBytes(ctx context.Context) (int64, error) {
	var pages, free, size int64
	err := s.db.QueryRowContext(ctx, "SELECT (SELECT page_count FROM pragma_page_count), (SELECT freelist_count FROM pragma_freelist_count), (SELECT page_size FROM pragma_page_size)").
		Scan(&pages, &free, &size)
	return (pages - free) * size, friendly(s.path, err)
}

// pollSize reports the growing size of path to progress every 100 ms until stopped.
func pollSize(path string, total int64, progress func(done, total int64)) (stop func()) {
	if progress == nil {
		return func() {}
	}
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
				if st, err := os.Stat(path); err == nil {
					progress(min(st.Size(), total), total)
				}
			}
		}
	}()
	return func() { close(quit); wg.Wait() }
}

// verifyCopy opens a copy read-only and verifies it, with this workspace's evidence key
// when it is unlocked (the copy's chunks are sealed with the same key).
func (s *Store) verifyCopy(ctx context.Context, path string) (VerifyResult, error) {
	// Unlocked: the copy is a temporary file nobody else knows of; a lock file would be left
	// beside the backup.
	c, err := Open(path, Options{ReadOnly: true, Actor: s.Actor(), unlocked: true})
	if err != nil {
		return VerifyResult{}, fmt.Errorf("the copy cannot be opened (%v); nothing was written", err)
	}
	defer c.Close()
	s.vault.mu.Lock()
	aead, check := s.vault.aead, s.vault.check
	s.vault.mu.Unlock()
	c.vault.mu.Lock()
	c.vault.aead, c.vault.check = aead, check
	c.vault.mu.Unlock()
	return c.Verify(ctx)
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return unwrapPathErr(err)
	}
	defer f.Close()
	return unwrapPathErr(f.Sync())
}

// syncDir makes a rename in dir durable (best effort: not every platform syncs folders).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

func unwrapLinkErr(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// Backups lists the backups recorded in the workspace, newest first.
func (s *Store) Backups(ctx context.Context) ([]BackupResult, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT path, size, chain_seq, chain_head FROM backups ORDER BY at DESC, id")
	if err != nil {
		return nil, friendly(s.path, err)
	}
	var out []BackupResult
	err = eachRow(rows, func(sc scanner) error {
		var b BackupResult
		if err := sc.Scan(&b.Path, &b.Size, &b.Head.Seq, &b.Head.Hash); err != nil {
			return err
		}
		out = append(out, b)
		return nil
	})
	return out, friendly(s.path, err)
}
