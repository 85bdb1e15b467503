package reports

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Temporary files. A write goes to ".safeguard-*.tmp" in the folder of the file asked
// for, and is renamed into place when complete. The temporary file can hold decrypted
// evidence, so it must not outlive the write: the process removes it on every error, on
// SIGINT, SIGTERM and SIGHUP (RemoveTempFiles, from the signal handler), and a file left
// by a process that was killed outright (SIGKILL, power loss) is removed by the next run
// that writes to that folder (RemoveStaleTemp). A writer holds an exclusive lock on its
// temporary file while it writes, which is how a later run tells a live write from a
// dead one.

// TempPattern is the name of temporary files.
const TempPattern = ".safeguard-*.tmp"

var (
	liveMu sync.Mutex
	live   = map[string]bool{}
)

// RemoveTempFiles removes the temporary files of the writes in progress. A signal
// handler calls it before the process exits.
func RemoveTempFiles() {
	liveMu.Lock()
	defer liveMu.Unlock()
	for name := range live {
		os.Remove(name)
		delete(live, name)
	}
}

// staleAge is how old a temporary file must be before another run removes it: the short
// moment between creating a file and locking it must not look like a dead write.
const staleAge = 10 * time.Second

// RemoveStaleTemp removes the temporary files in dir that no running process is writing
// (their writer was killed) and returns their names.
func RemoveStaleTemp(dir string) []string {
	names, err := filepath.Glob(filepath.Join(dir, TempPattern))
	if err != nil {
		return nil
	}
	var removed []string
	for _, name := range names {
		st, err := os.Lstat(name)
		if err != nil || !st.Mode().IsRegular() || time.Since(st.ModTime()) < staleAge {
			continue
		}
		liveMu.Lock()
		mine := live[name]
		liveMu.Unlock()
		if mine || inUse(name) {
			continue
		}
		if os.Remove(name) == nil {
			removed = append(removed, strings.TrimPrefix(name, dir+string(filepath.Separator)))
		}
	}
	return removed
}

// WriteFileAtomic writes a report or export to path through a temporary file in the same
// folder that is synced and renamed into place, so a failure (full disk, killed process)
// never leaves a half-written file. An existing file is refused unless force is set.
func WriteFileAtomic(path string, force bool, write func(io.Writer) error) error {
	if st, err := os.Lstat(path); err == nil {
		if st.IsDir() {
			return fmt.Errorf("%s is a folder; give a file name", path)
		}
		if !st.Mode().IsRegular() {
			// A device, pipe or link would be replaced by the rename, not written to.
			return fmt.Errorf("%s is not a regular file; give the name of a new or existing file", path)
		}
		if !force {
			return fmt.Errorf("%s already exists; choose another name or overwrite it (--force)", path)
		}
	}
	dir := filepath.Dir(path)
	// The file is made and registered under the lock, so a signal handler's
	// RemoveTempFiles cannot run between the two and miss it.
	liveMu.Lock()
	tmp, err := os.CreateTemp(dir, TempPattern)
	if err == nil {
		live[tmp.Name()] = true
	}
	liveMu.Unlock()
	if err != nil {
		return fmt.Errorf("cannot write to %s (%v); choose a folder you can write to", dir, pathErr(err))
	}
	lockFile(tmp)
	defer func() {
		liveMu.Lock()
		delete(live, tmp.Name())
		liveMu.Unlock()
		os.Remove(tmp.Name())
	}()
	if err := write(tmp); err != nil {
		tmp.Close()
		if pe, ok := errors.AsType[*os.PathError](err); ok && pe.Path == tmp.Name() {
			// The temporary file is ours, not the user's: name the file they asked for.
			return fmt.Errorf("writing %s failed (%v); check the disk has space", path, pe.Err)
		}
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s failed (%v); check the disk has space", path, pathErr(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s failed (%v); check the disk has space", path, pathErr(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		var le *os.LinkError
		if errors.As(err, &le) {
			err = le.Err
		}
		return fmt.Errorf("cannot create %s (%v); choose another name", path, pathErr(err))
	}
	return nil
}

// pathErr drops the path from an *os.PathError; the sentences above name it themselves.
func pathErr(err error) error {
	if pe, ok := errors.AsType[*os.PathError](err); ok {
		return pe.Err
	}
	return err
}
