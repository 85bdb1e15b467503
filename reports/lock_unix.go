//go:build unix

package reports

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive lock on a temporary file for as long as it is open (the
// kernel drops it when the process ends, however it ends).
func lockFile(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) }

// inUse reports whether another process holds the lock of a temporary file.
func inUse(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return true
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return true
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return false
}
