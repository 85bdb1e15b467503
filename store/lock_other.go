//go:build !unix

package store

import "os"

// walInUse cannot ask the operating system who holds SQLite's locks here; a log left
// beside the workspace is then taken as an unclean close, and the check after it runs
// (it only costs time).
func walInUse(string) bool { return false }

// dirWritable reports whether this process may create files in dir: it tries.
func dirWritable(dir string) bool {
	f, err := os.CreateTemp(dir, ".safeguard-probe-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return true
}

// holdTemp takes no lock here: a lock on Windows is mandatory and would stop SQLite
// writing the file, and a rename fails while a handle is open, so the file is closed.
// Removing a file SQLite has open fails here anyway.
func holdTemp(*os.File) bool { return false }
