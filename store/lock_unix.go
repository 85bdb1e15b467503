//go:build unix

package store

import (
	"os"
	"syscall"
)

// walInUse reports whether another process has the workspace open. Every SQLite
// connection to a WAL database holds a shared lock on the "dead man switch" byte of the
// -shm index (offset 128, UNIX_SHM_DMS in SQLite's unix VFS) for as long as it is open;
// SQLite itself asks the same question (F_GETLK) to decide whether to rebuild the index.
// F_GETLK only looks: it takes no lock. The descriptor is opened and closed before this
// process has the workspace open (see holdPath), so closing it drops no lock of ours.
func walInUse(path string) bool {
	f, err := os.Open(path + "-shm")
	if err != nil {
		return false
	}
	defer f.Close()
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: 128, Len: 1}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk); err != nil {
		return true // cannot tell: assume in use, and skip the full check
	}
	return lk.Type != syscall.F_UNLCK
}

// dirWritable reports whether this process may create files in dir.
func dirWritable(dir string) bool {
	return syscall.Access(dir, 2 /* W_OK */) == nil
}

// holdTemp takes an exclusive flock on a temporary file for as long as it is open, as
// reports' writers do, so another run does not take it for a dead write's leftover.
// It reports whether the file is to stay open.
func holdTemp(f *os.File) bool {
	syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	return true
}
