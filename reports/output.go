package reports

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

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
	tmp, err := os.CreateTemp(dir, ".safeguard-*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write to %s (%v); choose a folder you can write to", dir, pathErr(err))
	}
	defer os.Remove(tmp.Name())
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
