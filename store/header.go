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

// checkHeader reads the SQLite file header of an existing workspace before SQLite opens it,
// so that foreign, damaged and newer files are refused without a single byte written.
func checkHeader(path string, size int64, readOnly bool) error {
	if size == 0 {
		if readOnly {
			return fmt.Errorf("the workspace %s is empty; open it without read-only access to initialize it", path)
		}
		return checkWritable(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read the workspace %s (%v); check its permissions", path, unwrapPathErr(err))
	}
	defer f.Close()
	h := make([]byte, 100)
	if _, err := io.ReadFull(f, h); err != nil || !bytes.Equal(h[:16], sqliteMagic) {
		return fmt.Errorf("%s is not a safeguard workspace (it is not an SQLite database); check the --db path", path)
	}
	if err := checkSize(path, h, size); err != nil {
		return err
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

// checkSize compares the page count in the header with the file size; a shorter file has
// been truncated (copied incompletely, or cut off by a full disk).
func checkSize(path string, h []byte, size int64) error {
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	changeCounter := binary.BigEndian.Uint32(h[24:28])
	validFor := binary.BigEndian.Uint32(h[92:96])
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return fmt.Errorf("the workspace %s is damaged (its header is invalid); restore it from a backup", path)
	}
	if validFor == changeCounter && pages > 0 && size < pages*pageSize {
		return fmt.Errorf("the workspace %s is truncated (%d of %d bytes); restore it from a backup", path, size, pages*pageSize)
	}
	return nil
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

// refuseForeignFile opens an SQLite file whose header carries no version read-only and
// refuses it if it holds another program's tables.
func refuseForeignFile(path string) error {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return friendly(path, err)
	}
	defer db.Close()
	// The header in the main file can lag behind the write-ahead log, so ask SQLite.
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
