package store

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
)

// applicationID marks a SQLite file as a safeguard workspace ("SFGD").
const applicationID = 0x53464744

var sqliteMagic = []byte("SQLite format 3\x00")

// checkHeader reads the SQLite file header of an existing, non-empty workspace before
// SQLite opens it, so that files that are not workspaces, and workspaces of a newer
// safeguard, are refused without a byte written or a file created beside them. It does
// not judge the file's size: the header can lawfully promise pages that are still in the
// write-ahead log (a checkpoint writes page 1 first), and only SQLite, reading the log,
// can tell a recoverable file from a truncated one.
func checkHeader(path string, readOnly bool) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read the workspace %s (%v); check its permissions", path, unwrapPathErr(err))
	}
	defer f.Close()
	h := make([]byte, 100)
	if _, err := io.ReadFull(f, h); err != nil || !bytes.Equal(h[:16], sqliteMagic) {
		return fmt.Errorf("%s is not a safeguard workspace (it is not an SQLite database); check the --db path", path)
	}
	if app := binary.BigEndian.Uint32(h[68:72]); app != 0 && app != applicationID {
		return fmt.Errorf("%s is an SQLite database of another program, not a safeguard workspace; check the --db path", path)
	}
	v := int(binary.BigEndian.Uint32(h[60:64]))
	if v > len(migrations) {
		return newerSchemaError(path, v)
	}
	if v == 0 {
		// Not yet a workspace: refuse another program's database before our connection
		// settings (WAL mode) change a byte of it.
		if err := refuseForeignFile(path); err != nil {
			return err
		}
	}
	if readOnly {
		return nil
	}
	return checkWritable(path)
}

func checkWritable(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		if errors.Is(err, os.ErrPermission) {
			return fmt.Errorf("the workspace %s is read-only; make it writable or copy it to a folder you can write to", path)
		}
		return fmt.Errorf("cannot open the workspace %s (%v); check its permissions", path, unwrapPathErr(err))
	}
	return f.Close()
}

func newerSchemaError(path string, v int) error {
	return fmt.Errorf("the workspace %s was written by a newer safeguard (schema %d, this one knows %d); upgrade safeguard to open it", path, v, len(migrations))
}

// refuseForeignFile reads an SQLite file whose header carries no version and refuses it
// if it holds another program's tables. Without a write-ahead log beside it, the file is
// read immutable, so SQLite creates nothing next to a file that may not be ours; with
// one, it is read through the log (read-only), since the header can lag behind the log.
func refuseForeignFile(path string) error {
	params := "mode=ro&immutable=1"
	if fileHasContent(path + "-wal") {
		params = "mode=ro"
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+params)
	if err != nil {
		return friendly(path, err)
	}
	defer db.Close()
	var n, app, version int
	err = db.QueryRow("SELECT (SELECT count(*) FROM sqlite_master), (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version)").Scan(&n, &app, &version)
	if err != nil {
		return friendly(path, err)
	}
	if app == applicationID {
		if version > len(migrations) {
			return newerSchemaError(path, version)
		}
		return nil
	}
	if n > 0 {
		return fmt.Errorf("%s is an SQLite database of another program, not a safeguard workspace; check the --db path", path)
	}
	return nil
}
