package store

import (
	"errors"
	"fmt"
	"io/fs"

	"modernc.org/sqlite"
)

// ErrNotFound is returned when an ID names nothing in the workspace. It is also
// fs.ErrNotExist (errors.Is), so callers outside the store, such as the PDF writer asking
// for evidence content the vault does not hold, can recognize it without importing store.
var ErrNotFound error = notFound{}

type notFound struct{}

func (notFound) Error() string        { return "not found" }
func (notFound) Is(target error) bool { return target == fs.ErrNotExist }

// ErrBusy is returned when another process holds the workspace's write lock for longer
// than the busy timeout.
var ErrBusy = errors.New("the workspace is busy: another safeguard is writing to it; try again in a moment")

// SQLite primary result codes we translate into sentences.
const (
	sqliteBusy     = 5
	sqliteLocked   = 6
	sqliteReadOnly = 8
	sqliteIOErr    = 10
	sqliteCorrupt  = 11
	sqliteFull     = 13
	sqliteCantOpen = 14
	sqliteNotADB   = 26
)

// friendly turns a driver error into one clear sentence; the raw text never reaches a user.
func friendly(path string, err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqliteBusy, sqliteLocked:
		return ErrBusy
	case sqliteReadOnly:
		return fmt.Errorf("the workspace %s is read-only; make it writable or copy it to a folder you can write to", path)
	case sqliteFull:
		return fmt.Errorf("the disk holding %s is full; free some space and try again (nothing was saved)", path)
	case sqliteCorrupt, sqliteNotADB:
		return fmt.Errorf("the workspace %s is damaged; restore it from a backup", path)
	case sqliteCantOpen:
		return fmt.Errorf("cannot open the workspace %s; check that the folder exists and you can write to it", path)
	case sqliteIOErr:
		return fmt.Errorf("reading or writing the workspace %s failed (disk error); check the disk and try again", path)
	}
	return fmt.Errorf("the workspace %s could not be used (%s); try again, and run `safeguard verify` if it persists", path, sqlite.ErrorCodeString[se.Code()])
}
