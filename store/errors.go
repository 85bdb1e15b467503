package store

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

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
// than the busy timeout (30 seconds unless Options say otherwise).
var ErrBusy = errors.New("the workspace is busy: another safeguard has been writing to it for a long time (a large evidence file, an encryption); try again when it has finished")

// SQLite primary result codes we translate into sentences.
const (
	sqliteBusy       = 5
	sqliteLocked     = 6
	sqliteReadOnly   = 8
	sqliteIOErr      = 10
	sqliteCorrupt    = 11
	sqliteFull       = 13
	sqliteCantOpen   = 14
	sqliteConstraint = 19
	sqliteNotADB     = 26
)

// friendly turns a driver error into one clear sentence; the raw text never reaches a user.
func friendly(path string, err error) error {
	if err == nil {
		return nil
	}
	if col, ok := scanColumn(err); ok {
		return fmt.Errorf("the workspace %s holds a value of the wrong type in the column %s, which safeguard did not write; run `safeguard verify` to find the record", path, col)
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
	case sqliteConstraint:
		return fmt.Errorf("the workspace %s refused a record that breaks its rules (%s); nothing was saved", path, constraintKind(se.Code()))
	}
	return fmt.Errorf("the workspace %s could not be used (%s); try again, and run `safeguard verify` if it persists", path, sqlite.ErrorCodeString[se.Code()])
}

// constraintKind names an SQLite constraint failure in words.
func constraintKind(code int) string {
	switch code >> 8 {
	case 3:
		return "a reference to a record that does not exist"
	case 5:
		return "a required value is missing"
	case 6, 8:
		return "a record with that ID already exists"
	case 1:
		return "a value is not one of the allowed ones"
	}
	return "a constraint"
}

// IsConstraint reports an SQLite constraint failure and names it in words.
func IsConstraint(err error) (string, bool) {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqliteConstraint {
		return constraintKind(se.Code()), true
	}
	return "", false
}

// scanColumn reports a database/sql conversion failure and its column: a value of
// another type than the column's, which only an edit behind safeguard's back makes.
func scanColumn(err error) (string, bool) {
	msg := err.Error()
	if !strings.HasPrefix(msg, "sql: Scan error") {
		return "", false
	}
	if i := strings.Index(msg, `name "`); i >= 0 {
		rest := msg[i+6:]
		if j := strings.IndexByte(rest, '"'); j >= 0 {
			return rest[:j], true
		}
	}
	return "(unknown)", true
}
