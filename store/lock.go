package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gofrs/flock"
)

// Workspace locks. Compact writes the workspace once, into a new file, and renames it over
// the old one. A process that still had the old file open would go on reading and writing
// the unlinked file, and its writes would be lost. SQLite cannot lock other processes out
// for the length of a rename, so safeguard keeps its own lock: the file "<workspace>.lock"
// beside the workspace (ours, like the -wal and -shm files, and like them gone once nobody
// has the workspace open). Every Store holds a shared lock on it for as long as it is
// open, read-only or not; Compact takes it exclusively, without waiting, and an open waits
// for a compact to finish.
//
// The lock belongs to the file a path stands for: a symlink is followed (realPath), so a
// workspace opened through a link and through its target share one lock, and Compact
// replaces the target, leaving the link pointing at the new file.

// lockSuffix names the lock file beside a workspace.
const lockSuffix = ".lock"

// ErrInUse is returned by Compact when another Store, in this or another process, has the
// workspace open.
var ErrInUse = errors.New("workspace in use")

// ErrCompacting is returned by Open when a compact of the workspace did not finish within
// the busy timeout.
var ErrCompacting = errors.New("workspace being compacted")

// kindError is a sentence for the user that errors.Is matches to its kind.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// realPath is the file path stands for, symlinks followed; path itself when it does not
// resolve (a workspace not created yet).
func realPath(path string) string {
	if p, err := filepath.EvalSymlinks(path); err == nil {
		return p
	}
	return path
}

// lockShared takes the shared lock of the workspace file real (a link followed), waiting up to wait while a
// compact holds it. A read-only open proceeds without the lock when the lock file cannot
// be created because the folder is read-only: nothing can compact a workspace in a folder
// nobody can write to (compact writes its new file there), and a reader of a replaced file
// loses nothing, it only reads the old state.
func lockShared(real string, wait time.Duration, readOnly bool) (release func(), err error) {
	name := real + lockSuffix
	deadline := time.Now().Add(wait)
	for {
		fl, ok, err := acquire(name, (*flock.Flock).TryRLock)
		switch {
		case ok:
			return func() { letGoLock(fl) }, nil
		case err != nil && readOnly && cannotCreate(err):
			return func() {}, nil
		case err != nil && cannotCreate(err):
			return nil, fmt.Errorf("cannot write in the folder %s, where the workspace keeps its lock file %s; make the folder writable or copy the workspace to a folder you can write to",
				filepath.Dir(name), filepath.Base(name))
		case err != nil:
			return nil, fmt.Errorf("cannot use the lock file %s (%v); check the folder's permissions", name, unwrapPathErr(err))
		case time.Now().After(deadline):
			return nil, &kindError{ErrCompacting, fmt.Sprintf("the workspace %s is being compacted by another safeguard process and it did not finish within %s; try again when `evidence compact` is done",
				real, wait.Round(time.Millisecond))}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// acquire locks the lock file name with try, and makes sure the lock held is on the file
// the name stands for now: the last process to let go of a workspace removes its lock
// file (letGoLock), so a lock taken on a file removed meanwhile is let go and taken again
// on the new one.
func acquire(name string, try func(*flock.Flock) (bool, error)) (*flock.Flock, bool, error) {
	for {
		fl := flock.New(name)
		ok, err := try(fl)
		if !ok || err != nil {
			return nil, ok, err
		}
		onDisk, err1 := os.Stat(name)
		held, err2 := fl.Stat()
		if err1 == nil && err2 == nil && os.SameFile(onDisk, held) {
			return fl, true, nil
		}
		fl.Unlock()
	}
}

// letGoLock releases a workspace lock, removing the lock file first when no other process
// holds it (the exclusive lock is free), so a workspace leaves nothing in its folder once
// nobody has it open. Where the file cannot be removed (a read-only folder; Windows, while
// any process has it open) it stays, which is harmless.
func letGoLock(fl *flock.Flock) {
	if ok, _ := fl.TryLock(); ok {
		os.Remove(fl.Path())
	}
	fl.Unlock()
}

// cannotCreate reports whether err says a file could not be made for lack of permission
// or because the file system is read-only.
func cannotCreate(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

// lockExclusive takes the workspace's lock exclusively, or fails at once with ErrInUse
// when any Store (another process's, or another one of this process) has it open.
func lockExclusive(path string) (release func(), err error) {
	name := realPath(path) + lockSuffix
	fl, ok, err := acquire(name, (*flock.Flock).TryLock)
	if err != nil {
		return nil, fmt.Errorf("cannot use the lock file %s (%v); check the folder's permissions", name, unwrapPathErr(err))
	}
	if !ok {
		return nil, &kindError{ErrInUse, fmt.Sprintf("another safeguard process has the workspace %s open (the full-screen view or a command still running); close it and run compact again, nothing was changed",
			path)}
	}
	return func() { letGoLock(fl) }, nil
}

// Temporary files of a compact: ".safeguard-compact-<workspace name>-<digits>.tmp" in the
// workspace's folder. They match the ".safeguard-*.tmp" pattern of every temporary file
// safeguard writes. The workspace's name in them lets an open remove only its own
// workspace's leftovers: it holds the shared lock, so no compact of that workspace runs,
// while one of another workspace in the same folder may.
const compactTempPrefix = ".safeguard-compact-"

// The compacts of this process in progress, so a signal handler can remove their files.
var (
	compactLiveMu sync.Mutex
	compactLive   = map[string]*os.File{} // open, and locked where flock exists (holdTemp)
)

// RemoveTempFiles removes the files of a compact in progress. A signal handler calls it
// before the process exits; the workspace itself is untouched until the final rename.
func RemoveTempFiles() {
	compactLiveMu.Lock()
	defer compactLiveMu.Unlock()
	for name, f := range compactLive {
		if f != nil {
			f.Close()
		}
		removeWorkspaceFiles(name)
		delete(compactLive, name)
	}
}

// createCompactTemp creates the empty file a compact writes the workspace at path into,
// registered for RemoveTempFiles.
func createCompactTemp(path string) (string, error) {
	compactLiveMu.Lock()
	defer compactLiveMu.Unlock()
	f, err := os.CreateTemp(filepath.Dir(path), compactTempPrefix+filepath.Base(path)+"-*.tmp")
	if err != nil {
		return "", err
	}
	// Another run's removal of stale temporary files (reports.RemoveStaleTemp) skips a
	// file whose lock is held.
	// On Windows the file is closed at once: a rename fails while a handle is open.
	name := f.Name()
	if !holdTemp(f) {
		f.Close()
		f = nil
	}
	compactLive[name] = f
	return name, nil
}

// dropCompactTemp removes a compact's file (and any file SQLite kept beside it) unless
// keep, and forgets it.
func dropCompactTemp(name string, keep bool) {
	compactLiveMu.Lock()
	defer compactLiveMu.Unlock()
	if f := compactLive[name]; f != nil {
		f.Close()
	}
	delete(compactLive, name)
	if keep {
		removeSideFiles(name)
		return
	}
	removeWorkspaceFiles(name)
}

// removeStaleCompacts removes what a compact of the workspace at path left when it was
// killed, and returns the names removed. The caller holds the workspace's lock (shared or
// exclusive), so no compact of this workspace is running.
func removeStaleCompacts(path string) []string {
	dir, base := filepath.Split(path)
	names, err := filepath.Glob(filepath.Join(dir, compactTempPrefix+"*.tmp"))
	if err != nil {
		return nil
	}
	var removed []string
	for _, name := range names {
		rest := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(name), compactTempPrefix+base+"-"), ".tmp")
		if rest == strings.TrimSuffix(filepath.Base(name), ".tmp") || !allDigits(rest) {
			continue // another workspace's, or not ours
		}
		if st, err := os.Lstat(name); err != nil || !st.Mode().IsRegular() {
			continue
		}
		removeWorkspaceFiles(name)
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			removed = append(removed, filepath.Base(name))
		}
	}
	return removed
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
