package common

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"safeguard/assessment"
)

// FileCheck checks a file path while it is typed into a form field. Its Describe function
// is what the field shows under its title: huh computes a description in a command, off
// the Update goroutine, so the file is looked at there, never in Update. Validate then
// refuses, when enter is pressed, a path the check found wrong, so the mistake is shown at
// the field instead of after the whole form.
type FileCheck struct {
	mu    sync.Mutex
	found map[string]error // path as typed -> what the check found (nil: a readable file)
}

// NewFileCheck is a check with nothing seen yet.
func NewFileCheck() *FileCheck { return &FileCheck{found: map[string]error{}} }

// Describe is a description function for the field bound to typed: intro, then on a
// second line what is at the path typed so far.
func (c *FileCheck) Describe(typed *string, intro string) func() string {
	return func() string {
		p := CleanPath(*typed)
		if p == "" {
			return intro
		}
		size, err := statFile(p)
		c.mu.Lock()
		c.found[p] = err
		c.mu.Unlock()
		if err != nil {
			return intro + "\n✘ " + err.Error()
		}
		return intro + "\n✔ found, " + assessment.FormatSize(size)
	}
}

// Validate refuses a blank path and one the check found wrong; a path not looked at yet
// passes (the save checks it again).
func (c *FileCheck) Validate(s string) error {
	p := CleanPath(s)
	if p == "" {
		return errors.New("type the path of the file to attach")
	}
	c.mu.Lock()
	err, ok := c.found[p]
	c.mu.Unlock()
	if ok && err != nil {
		return err
	}
	return nil
}

// statFile says whether p (after ~ is expanded) is a regular file that can be read, and
// its size.
func statFile(p string) (int64, error) {
	full := ExpandHome(p)
	f, err := os.Open(full)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return 0, fmt.Errorf("there is no file at %s; check the path (tab completes nothing here: type it whole)", p)
		case errors.Is(err, fs.ErrPermission):
			return 0, fmt.Errorf("%s cannot be read (no permission); copy it somewhere you can read", p)
		}
		return 0, fmt.Errorf("%s cannot be opened: %v", p, unwrapPath(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("%s cannot be read: %v", p, unwrapPath(err))
	}
	switch {
	case fi.IsDir():
		return 0, fmt.Errorf("%s is a folder; give a file in it", p)
	case !fi.Mode().IsRegular():
		return 0, fmt.Errorf("%s is not a regular file (a device, pipe or socket); give a file", p)
	}
	return fi.Size(), nil
}

func unwrapPath(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// CleanPath trims the spaces and the quotes a terminal adds to a dragged-in path.
func CleanPath(p string) string {
	p = strings.TrimSpace(p)
	if len(p) >= 2 && (p[0] == '\'' || p[0] == '"') && p[len(p)-1] == p[0] {
		p = p[1 : len(p)-1]
	}
	return p
}

// ExpandHome expands a leading ~/ to the home folder. It reads the environment, so it
// runs inside commands.
func ExpandHome(p string) string {
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	return p
}
