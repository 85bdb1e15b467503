package store

import (
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
	"github.com/google/uuid"

	"safeguard/assessment"
	"safeguard/controls"
)

// EvidenceMeta is what the person adding evidence says about it.
type EvidenceMeta struct {
	// Name is kept instead of the file's own name (files, optional) or is the note's
	// title (notes, required).
	Name        string
	Description string
	ValidUntil  string // YYYY-MM-DD, or "" for no expiry
}

// MaxNoteBytes bounds the text of one note.
const MaxNoteBytes = ChunkSize

// NoteMediaType is the media type of notes.
const NoteMediaType = "text/plain; charset=utf-8"

// AddEvidenceFile streams the file at path into the vault and records it as evidence of
// the assessment, with its links, in one transaction. The file must be a regular file
// (a symbolic link only to a regular file in the same folder tree), not empty and not
// larger than the workspace's evidence limit. In an encrypted workspace it needs the
// passphrase (Unlock, or Options.Passphrase). progress, if not nil, is called with the
// bytes stored so far and the file's size. Cancelling ctx stores nothing.
func (s *Store) AddEvidenceFile(ctx context.Context, assessmentID, path string, meta EvidenceMeta, links []assessment.EvidenceLink, progress func(done, total int64)) (assessment.Evidence, error) {
	if err := checkEvidenceMeta(meta, false); err != nil {
		return assessment.Evidence{}, err
	}
	if err := checkLinkShapes(links); err != nil {
		return assessment.Evidence{}, err
	}
	if st, err := os.Stat(path); err == nil && s.isOwnFile(st) {
		// Checked before opening: closing a descriptor of the -shm file would drop
		// SQLite's locks on it.
		return assessment.Evidence{}, fmt.Errorf("%s is this workspace's own file; add a copy made while safeguard is closed (or a backup) instead", path)
	}
	f, st, err := openEvidenceFile(path)
	if err != nil {
		return assessment.Evidence{}, err
	}
	defer f.Close()
	name := meta.Name
	if name == "" {
		name = filepath.Base(path)
		if err := checkFileName(name); err != nil {
			return assessment.Evidence{}, err
		}
	}
	limit, err := s.EvidenceLimit(ctx)
	if err != nil {
		return assessment.Evidence{}, friendly(s.path, err)
	}
	if st.Size() > limit {
		return assessment.Evidence{}, tooBigError(path, st.Size(), limit)
	}
	if st.Size() == 0 {
		return assessment.Evidence{}, fmt.Errorf("%s is empty; choose the file that holds the evidence", path)
	}
	aead, err := s.sealer(ctx)
	if err != nil {
		return assessment.Evidence{}, err
	}
	var step func(int64)
	if progress != nil {
		step = func(done int64) { progress(done, st.Size()) }
	}
	e := assessment.Evidence{Name: name, Description: meta.Description, ValidUntil: meta.ValidUntil}
	err = s.addEvidence(ctx, assessmentID, &e, links, aead, func(t *Tx) (blobRef, error) {
		ref, err := t.putBlob(f, aead, limit, step)
		var tb errTooBig
		var re readError
		switch {
		case errors.As(err, &tb):
			return ref, tooBigError(path, -1, limit)
		case errors.As(err, &re):
			return ref, fmt.Errorf("reading %s failed (%v); check the file and try again (nothing was stored)", path, unwrapPathErr(re.err))
		}
		return ref, err
	})
	if err != nil {
		return assessment.Evidence{}, err
	}
	if e.Size > walTruncateAbove {
		_ = s.checkpoint(ctx) // best effort: while another process reads, the log stays and is reused later
	}
	return e, nil
}

// isOwnFile reports whether st is the workspace file or its -wal or -shm: reading and
// closing one of them while it is open would drop SQLite's locks on it.
func (s *Store) isOwnFile(st os.FileInfo) bool {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if own, err := os.Stat(s.path + suffix); err == nil && os.SameFile(own, st) {
			return true
		}
	}
	return false
}

func tooBigError(path string, size, limit int64) error {
	what := "larger than"
	if size >= 0 {
		what = assessment.FormatSize(size) + ", over"
	}
	return fmt.Errorf("%s is %s the workspace's evidence limit of %s; choose a smaller file or raise the limit with `safeguard evidence limit SIZE`", path, what, assessment.FormatSize(limit))
}

// AddEvidenceNote records a typed note as evidence: its title is meta.Name, its text is
// kept in the vault (encrypted in an encrypted workspace) and it is dated now.
func (s *Store) AddEvidenceNote(ctx context.Context, assessmentID string, meta EvidenceMeta, text string, links []assessment.EvidenceLink) (assessment.Evidence, error) {
	if err := checkEvidenceMeta(meta, true); err != nil {
		return assessment.Evidence{}, err
	}
	if err := checkNoteText(text); err != nil {
		return assessment.Evidence{}, err
	}
	if err := checkLinkShapes(links); err != nil {
		return assessment.Evidence{}, err
	}
	aead, err := s.sealer(ctx)
	if err != nil {
		return assessment.Evidence{}, err
	}
	title, _ := assessment.CleanName("note title", meta.Name)
	e := assessment.Evidence{Name: title, IsNote: true, Description: meta.Description, ValidUntil: meta.ValidUntil}
	err = s.addEvidence(ctx, assessmentID, &e, links, aead, func(t *Tx) (blobRef, error) {
		return t.putBlob(strings.NewReader(text), aead, MaxNoteBytes, nil)
	})
	return e, err
}

func checkNoteText(text string) error {
	switch {
	case strings.TrimSpace(text) == "":
		return errors.New("the note text is empty; type what you observed or were shown")
	case !utf8.ValidString(text):
		return errors.New("the note text is not valid UTF-8 text; retype it")
	case len(text) > MaxNoteBytes:
		return fmt.Errorf("the note text is longer than %s; attach it as a file instead", assessment.FormatSize(MaxNoteBytes))
	}
	for _, r := range text {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r == 0x7f {
			return errors.New("the note text contains a control character; remove it")
		}
	}
	return nil
}

// addEvidence runs the shared part of adding a file or a note in one transaction: checks,
// content (put), the evidence record and its links, each audited.
func (s *Store) addEvidence(ctx context.Context, assessmentID string, e *assessment.Evidence, links []assessment.EvidenceLink, aead cipher.AEAD, put func(*Tx) (blobRef, error)) error {
	cat, err := s.catalog()
	if err != nil {
		return err
	}
	id := uuid.NewString()
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if err := t.sealerMatches(aead); err != nil {
			return err
		}
		for _, l := range links {
			if err := t.checkLink(cat, assessmentID, l); err != nil {
				return err
			}
		}
		ref, err := put(t)
		if err != nil {
			return err
		}
		added, err := time.Parse(time.RFC3339Nano, t.at)
		if err != nil {
			return err
		}
		*e = assessment.Evidence{ID: id, SHA256: ref.sha, Name: e.Name, MediaType: NoteMediaType, Size: ref.size, IsNote: e.IsNote,
			Description: e.Description, ValidUntil: e.ValidUntil, AddedBy: t.actor, AddedAt: added, Links: []assessment.EvidenceLink{}}
		if !e.IsNote {
			e.MediaType = detectMediaType(ref.head, e.Name)
		}
		if ref.new {
			if err := t.restoreContent(ref.sha); err != nil {
				return err
			}
		}
		if err := t.writeEvidence(assessmentID, *e, true); err != nil {
			return err
		}
		for _, l := range links {
			if _, err := t.writeLink(assessmentID, id, l); err != nil {
				return err
			}
		}
		e.Links = sortedLinks(links)
		return nil
	})
}

func (t *Tx) writeEvidence(assessmentID string, e assessment.Evidence, inVault bool) error {
	_, err := t.exec(`INSERT INTO evidence (id, assessment_id, sha256, name, media_type, size, is_note, description, valid_until,
		added_by, added_at, in_vault, imported_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, assessmentID, e.SHA256, e.Name, e.MediaType, e.Size, b2i(e.IsNote), e.Description, e.ValidUntil,
		e.AddedBy, e.AddedAt.UTC().Format(time.RFC3339Nano), b2i(inVault), e.ImportedFrom)
	if err != nil {
		return err
	}
	return t.record(ActionCreate, "evidence", e.ID, assessmentID)
}

// restoreContent marks evidence that was imported by hash only as held in the vault, now
// that content with its hash has been added.
func (t *Tx) restoreContent(sha string) error {
	rows, err := t.QueryContext(t.ctx, "SELECT id, assessment_id FROM evidence WHERE sha256 = ? AND in_vault = 0 ORDER BY id", sha)
	if err != nil {
		return err
	}
	var ids [][2]string
	err = eachRow(rows, func(sc scanner) error {
		var id, aid string
		if err := sc.Scan(&id, &aid); err != nil {
			return err
		}
		ids = append(ids, [2]string{id, aid})
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range ids {
		if _, err := t.exec("UPDATE evidence SET in_vault = 1 WHERE id = ?", r[0]); err != nil {
			return err
		}
		if err := t.record(ActionUpdate, "evidence", r[0], r[1]); err != nil {
			return err
		}
	}
	return nil
}

// checkEvidenceMeta validates the metadata a person gives.
func checkEvidenceMeta(m EvidenceMeta, note bool) error {
	if note {
		if _, err := assessment.CleanName("note title", m.Name); err != nil {
			return err
		}
	} else if m.Name != "" {
		if err := checkFileName(m.Name); err != nil {
			return err
		}
	}
	if err := assessment.CheckText("evidence description", m.Description); err != nil {
		return err
	}
	if err := assessment.CheckDate("valid-until date", m.ValidUntil); err != nil {
		return err
	}
	return nil
}

// checkFileName refuses names that would garble a list, a report or a terminal: invalid
// UTF-8, control characters and bidirectional overrides.
func checkFileName(name string) error {
	switch {
	case name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`):
		return fmt.Errorf("the file name %q is not a usable name; give a plain file name", name)
	case !utf8.ValidString(name):
		return fmt.Errorf("the file name %q is not valid UTF-8; rename the file or give another name (--name)", name)
	case utf8.RuneCountInString(name) > assessment.MaxNameLen:
		return fmt.Errorf("the file name is longer than %d characters; rename the file or give a shorter name (--name)", assessment.MaxNameLen)
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return fmt.Errorf("the file name %q contains control or text-direction characters; rename the file or give another name (--name)", name)
		}
	}
	return nil
}

// openEvidenceFile opens a file to add, refusing what is not a regular file: folders,
// devices, named pipes, sockets, and symbolic links that do not lead to a regular file in
// the folder tree of the link.
func openEvidenceFile(path string) (*os.File, os.FileInfo, error) {
	if path == "" {
		return nil, nil, errors.New("no file was given; name the file to add")
	}
	lst, err := os.Lstat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, nil, fmt.Errorf("there is no file %s; check the path", path)
	case err != nil:
		return nil, nil, fmt.Errorf("cannot read %s (%v); check the path and its permissions", path, unwrapPathErr(err))
	}
	target := path
	if lst.Mode()&os.ModeSymlink != 0 {
		resolved, err := filepath.EvalSymlinks(path)
		if err != nil {
			return nil, nil, fmt.Errorf("%s is a link to something that does not exist; give the file itself", path)
		}
		abs, err1 := filepath.Abs(path)
		absTarget, err2 := filepath.Abs(resolved)
		if err1 != nil || err2 != nil {
			return nil, nil, fmt.Errorf("cannot resolve the link %s; give the file itself", path)
		}
		dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
		if err != nil {
			dir = filepath.Dir(abs)
		}
		if rel, err := filepath.Rel(dir, absTarget); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
			return nil, nil, fmt.Errorf("%s is a link to %s, outside its folder; give that file itself", path, resolved)
		}
		target = resolved
	}
	st, err := os.Stat(target)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read %s (%v); check the path and its permissions", path, unwrapPathErr(err))
	}
	if err := checkRegular(path, st); err != nil {
		return nil, nil, err
	}
	f, err := os.Open(target)
	switch {
	case errors.Is(err, os.ErrPermission):
		return nil, nil, fmt.Errorf("cannot read %s (permission denied); check its permissions", path)
	case err != nil:
		return nil, nil, fmt.Errorf("cannot open %s (%v); check the path and its permissions", path, unwrapPathErr(err))
	}
	fst, err := f.Stat()
	if err == nil {
		err = checkRegular(path, fst)
		if err == nil && !os.SameFile(st, fst) {
			err = fmt.Errorf("%s was replaced while it was being opened; try again", path)
		}
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fst, nil
}

func checkRegular(path string, st os.FileInfo) error {
	m := st.Mode()
	switch {
	case m.IsDir():
		return fmt.Errorf("%s is a folder; give a file (add each file of the folder on its own)", path)
	case m&os.ModeNamedPipe != 0:
		return fmt.Errorf("%s is a named pipe, not a file; save its content to a file and add that", path)
	case m&os.ModeSocket != 0:
		return fmt.Errorf("%s is a socket, not a file; give a regular file", path)
	case m&os.ModeDevice != 0:
		return fmt.Errorf("%s is a device, not a file; give a regular file", path)
	case !m.IsRegular():
		return fmt.Errorf("%s is not a regular file; give a regular file", path)
	}
	return nil
}

// extTypes are media types for common evidence formats that content sniffing reports
// only generically (office documents are zip files, CSV is text).
var extTypes = map[string]string{
	".pdf":  "application/pdf",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".webp": "image/webp",
	".tif":  "image/tiff",
	".tiff": "image/tiff",
	".heic": "image/heic",
	".txt":  "text/plain; charset=utf-8",
	".log":  "text/plain; charset=utf-8",
	".md":   "text/markdown; charset=utf-8",
	".csv":  "text/csv; charset=utf-8",
	".json": "application/json",
	".xml":  "application/xml",
	".yaml": "application/yaml",
	".yml":  "application/yaml",
	".html": "text/html; charset=utf-8",
	".htm":  "text/html; charset=utf-8",
	".eml":  "message/rfc822",
	".msg":  "application/vnd.ms-outlook",
	".zip":  "application/zip",
	".doc":  "application/msword",
	".xls":  "application/vnd.ms-excel",
	".ppt":  "application/vnd.ms-powerpoint",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
}

// detectMediaType sniffs the first bytes (gabriel-vasile/mimetype, which unlike
// net/http's sniffer does not link an HTTP client into an offline tool) and refines a
// generic answer by the file name's extension.
func detectMediaType(head []byte, name string) string {
	sniffed := mimetype.Detect(head).String()
	if t, ok := extTypes[strings.ToLower(filepath.Ext(name))]; ok {
		switch sniffed {
		case "application/octet-stream", "application/zip", "text/plain; charset=utf-8":
			return t
		}
	}
	return sniffed
}

// checkLinkShapes refuses links that name nothing or mix a vendor with an answer or asset.
func checkLinkShapes(links []assessment.EvidenceLink) error {
	for _, l := range links {
		if err := checkLinkShape(l); err != nil {
			return err
		}
	}
	return nil
}

func checkLinkShape(l assessment.EvidenceLink) error {
	switch {
	case l.QuestionID == "" && l.AssetID == "" && l.VendorID == "":
		return errors.New("an evidence link names nothing; give a question, an asset or a vendor")
	case l.VendorID != "" && (l.QuestionID != "" || l.AssetID != ""):
		return errors.New("an evidence link names a vendor together with a question or asset; link them separately")
	}
	return nil
}

// checkLink checks that what a link names exists in the assessment and that a question's
// asset matches its scope (per-asset questions need one, organization questions none).
func (t *Tx) checkLink(cat *controls.Catalog, assessmentID string, l assessment.EvidenceLink) error {
	if err := checkLinkShape(l); err != nil {
		return err
	}
	if l.QuestionID != "" {
		q, ok := cat.Question(l.QuestionID)
		switch {
		case !ok:
			return fmt.Errorf("there is no question %q in the catalog; see `safeguard catalog` for the IDs", l.QuestionID)
		case q.Scope == controls.ScopeAsset && l.AssetID == "":
			return fmt.Errorf("question %s is asked once per asset; name the asset (--asset)", q.ID)
		case q.Scope == controls.ScopeOrganization && l.AssetID != "":
			return fmt.Errorf("question %s is asked once for the whole organization; leave out the asset", q.ID)
		}
	}
	if l.AssetID != "" {
		if err := t.belongs("assets", "asset", l.AssetID, assessmentID); err != nil {
			return err
		}
	}
	if l.VendorID != "" {
		if err := t.belongs("vendors", "vendor", l.VendorID, assessmentID); err != nil {
			return err
		}
	}
	return nil
}

func linkID(evidenceID string, l assessment.EvidenceLink) string {
	return evidenceID + "/" + l.QuestionID + "/" + l.AssetID + "/" + l.VendorID
}

// writeLink adds a link (audited) and reports whether it was new.
func (t *Tx) writeLink(assessmentID, evidenceID string, l assessment.EvidenceLink) (bool, error) {
	id := linkID(evidenceID, l)
	res, err := t.exec(`INSERT INTO evidence_links (id, assessment_id, evidence_id, question_id, asset_id, vendor_id)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		id, assessmentID, evidenceID, l.QuestionID, nullable(l.AssetID), nullable(l.VendorID))
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	return true, t.record(ActionCreate, "evidence_link", id, assessmentID)
}

func sortedLinks(links []assessment.EvidenceLink) []assessment.EvidenceLink {
	out := []assessment.EvidenceLink{}
	seen := map[assessment.EvidenceLink]bool{}
	for _, l := range links {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return linkLess(out[i], out[j]) })
	return out
}

func linkLess(a, b assessment.EvidenceLink) bool {
	if a.QuestionID != b.QuestionID {
		return a.QuestionID < b.QuestionID
	}
	if a.AssetID != b.AssetID {
		return a.AssetID < b.AssetID
	}
	return a.VendorID < b.VendorID
}

// LinkEvidence adds a link from evidence to an answer, asset or vendor (audited). A link
// that already exists is left as it is.
func (s *Store) LinkEvidence(ctx context.Context, assessmentID, evidenceID string, l assessment.EvidenceLink) error {
	cat, err := s.catalog()
	if err != nil {
		return err
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if err := t.belongs("evidence", "evidence item", evidenceID, assessmentID); err != nil {
			return err
		}
		if err := t.checkLink(cat, assessmentID, l); err != nil {
			return err
		}
		_, err := t.writeLink(assessmentID, evidenceID, l)
		return err
	})
}

// UnlinkEvidence removes a link (audited); the evidence itself stays.
func (s *Store) UnlinkEvidence(ctx context.Context, assessmentID, evidenceID string, l assessment.EvidenceLink) error {
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if err := t.belongs("evidence", "evidence item", evidenceID, assessmentID); err != nil {
			return err
		}
		id := linkID(evidenceID, l)
		var n int
		if err := t.queryRow("SELECT count(*) FROM evidence_links WHERE id = ?", id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errors.New("the evidence is not linked that way; see `safeguard evidence list` for its links")
		}
		return t.deleteRecord("evidence_links", "evidence_link", id, assessmentID)
	})
}

// unlinkEvidenceFrom deletes (audited) every evidence link to an asset or a vendor, for
// deleting the asset or vendor.
func (t *Tx) unlinkEvidenceFrom(column, id, assessmentID string) error {
	ids, err := t.ids("SELECT id FROM evidence_links WHERE "+column+" = ? ORDER BY id", id)
	if err != nil {
		return err
	}
	for _, lid := range ids {
		if err := t.deleteRecord("evidence_links", "evidence_link", lid, assessmentID); err != nil {
			return err
		}
	}
	return nil
}

// RemoveEvidence deletes an evidence item and its links (audited). Its content leaves the
// vault with the last item that uses it, in the same transaction, and the freed space is
// overwritten.
func (s *Store) RemoveEvidence(ctx context.Context, assessmentID, evidenceID string) error {
	err := s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if err := t.belongs("evidence", "evidence item", evidenceID, assessmentID); err != nil {
			return err
		}
		if err := t.refuseIfCited(assessmentID, evidenceID); err != nil {
			return err
		}
		if err := t.secureDelete(); err != nil {
			return err
		}
		if err := t.unlinkEvidenceFrom("evidence_id", evidenceID, assessmentID); err != nil {
			return err
		}
		return t.deleteRecord("evidence", "evidence", evidenceID, assessmentID)
	})
	if err != nil {
		return err
	}
	_ = s.checkpoint(ctx) // best effort, as after adding evidence
	return nil
}

// ListEvidence returns the evidence of an assessment with its links, oldest first.
func (s *Store) ListEvidence(ctx context.Context, assessmentID string) ([]assessment.Evidence, error) {
	if _, err := s.Assessment(ctx, assessmentID); err != nil {
		return nil, err
	}
	var snap assessment.Snapshot
	if err := readEvidence(ctx, s.db, assessmentID, &snap); err != nil {
		return nil, friendly(s.path, err)
	}
	if snap.Evidence == nil {
		return []assessment.Evidence{}, nil
	}
	return snap.Evidence, nil
}

// ResolveEvidence finds an assessment's evidence item by its ID, a unique ID prefix of at
// least four characters, or its SHA-256 (or a prefix of at least eight hex digits; items
// with the same content are interchangeable for export, the oldest is returned).
func (s *Store) ResolveEvidence(ctx context.Context, assessmentID, ref string) (assessment.Evidence, error) {
	list, err := s.ListEvidence(ctx, assessmentID)
	if err != nil {
		return assessment.Evidence{}, err
	}
	ref = strings.ToLower(strings.TrimSpace(ref))
	for _, e := range list {
		if e.ID == ref {
			return e, nil
		}
	}
	var byID, bySHA []assessment.Evidence
	for _, e := range list {
		if len(ref) >= 4 && strings.HasPrefix(e.ID, ref) {
			byID = append(byID, e)
		}
		if len(ref) >= 8 && strings.HasPrefix(e.SHA256, ref) {
			bySHA = append(bySHA, e)
		}
	}
	switch {
	case len(byID) == 1 && len(bySHA) == 0:
		return byID[0], nil
	case len(byID) == 0 && len(bySHA) > 0:
		for _, e := range bySHA[1:] {
			if e.SHA256 != bySHA[0].SHA256 {
				return assessment.Evidence{}, fmt.Errorf("%q matches evidence with different content; give more of the SHA-256", ref)
			}
		}
		return bySHA[0], nil
	case len(byID)+len(bySHA) > 1:
		return assessment.Evidence{}, fmt.Errorf("%q matches several evidence items; give more characters", ref)
	case len(ref) < 4:
		return assessment.Evidence{}, fmt.Errorf("the evidence reference %q is too short; give at least four characters of its ID (see `safeguard evidence list`)", ref)
	}
	return assessment.Evidence{}, fmt.Errorf("the assessment has no evidence %q; see `safeguard evidence list` for IDs and SHA-256s: %w", ref, ErrNotFound)
}

// HasContent reports whether the vault holds the content with this SHA-256 (evidence
// imported from another workspace's export may be recorded by hash only).
func (s *Store) HasContent(ctx context.Context, sha string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM blobs WHERE sha256 = ?", strings.ToLower(sha)).Scan(&n)
	return n > 0, friendly(s.path, err)
}

// EvidenceContent writes the content with the given SHA-256 to w, byte for byte as it was
// added, streaming chunk by chunk. It checks the content against its hash on the way; on
// an error, whatever was written must be discarded. An encrypted workspace needs the
// passphrase. w must not use the store (the read holds the workspace connection).
func (s *Store) EvidenceContent(ctx context.Context, sha string, w io.Writer) error {
	sha = strings.ToLower(strings.TrimSpace(sha))
	if b, err := hex.DecodeString(sha); err != nil || len(b) != sha256.Size {
		return fmt.Errorf("%q is not a SHA-256; give the 64 hex digits shown by `safeguard evidence list --json`", sha)
	}
	var sealed bool
	if err := s.db.QueryRowContext(ctx, "SELECT seal_id IS NOT NULL FROM blobs WHERE sha256 = ?", sha).Scan(&sealed); err == sql.ErrNoRows {
		return noContent(sha)
	} else if err != nil {
		return friendly(s.path, err)
	}
	var aead cipher.AEAD
	if sealed {
		var err error
		if aead, err = s.sealer(ctx); err != nil {
			return err
		}
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return friendly(s.path, err)
	}
	defer tx.Rollback()
	b, err := readBlobMeta(ctx, tx, sha)
	if err == sql.ErrNoRows {
		return noContent(sha)
	}
	if err != nil {
		return friendly(s.path, err)
	}
	err = streamBlob(ctx, tx, aead, b, w)
	var dmg *blobDamage
	var sink sinkError
	switch {
	case errors.As(err, &dmg):
		return fmt.Errorf("the stored content %s is damaged (%s); run `safeguard verify` and restore the workspace from a backup", shortSHA(sha), dmg.why)
	case errors.As(err, &sink):
		return sink.err
	}
	return friendly(s.path, err)
}

func noContent(sha string) error {
	return fmt.Errorf("the vault holds no content with SHA-256 %s (evidence imported from another workspace keeps only its hash); add the file again: %w", shortSHA(sha), ErrNotFound)
}

func shortSHA(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// NoteText returns the text of a note (or any small content) by its SHA-256.
func (s *Store) NoteText(ctx context.Context, sha string) (string, error) {
	var buf bytes.Buffer
	lw := &limitWriter{w: &buf, n: MaxNoteBytes}
	if err := s.EvidenceContent(ctx, sha, lw); err != nil {
		if errors.Is(err, errNoteTooLong) {
			return "", errors.New("that evidence is a file too large to show as text; export it instead")
		}
		return "", err
	}
	return buf.String(), nil
}

var errNoteTooLong = errors.New("note too long")

type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if len(p) > l.n {
		return 0, errNoteTooLong
	}
	l.n -= len(p)
	return l.w.Write(p)
}

// readEvidence loads the evidence of an assessment and its links into snap.
func readEvidence(ctx context.Context, q queryer, id string, snap *assessment.Snapshot) error {
	rows, err := q.QueryContext(ctx, `SELECT id, sha256, name, media_type, size, is_note, description, valid_until, added_by, added_at,
		imported_from FROM evidence WHERE assessment_id = ? ORDER BY added_at, name, id`, id)
	if err != nil {
		return err
	}
	index := map[string]int{}
	err = eachRow(rows, func(sc scanner) error {
		var e assessment.Evidence
		var note int
		var at string
		if err := sc.Scan(&e.ID, &e.SHA256, &e.Name, &e.MediaType, &e.Size, &note, &e.Description, &e.ValidUntil, &e.AddedBy, &at,
			&e.ImportedFrom); err != nil {
			return err
		}
		e.IsNote = note == 1
		e.AddedAt, _ = time.Parse(time.RFC3339Nano, at)
		e.Links = []assessment.EvidenceLink{}
		index[e.ID] = len(snap.Evidence)
		snap.Evidence = append(snap.Evidence, e)
		return nil
	})
	if err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT evidence_id, question_id, coalesce(asset_id, ''), coalesce(vendor_id, '')
		FROM evidence_links WHERE assessment_id = ? ORDER BY evidence_id, question_id, asset_id, vendor_id`, id)
	if err != nil {
		return err
	}
	return eachRow(rows, func(sc scanner) error {
		var eid string
		var l assessment.EvidenceLink
		if err := sc.Scan(&eid, &l.QuestionID, &l.AssetID, &l.VendorID); err != nil {
			return err
		}
		if i, ok := index[eid]; ok {
			snap.Evidence[i].Links = append(snap.Evidence[i].Links, l)
		}
		return nil
	})
}

// docHasNotes reports whether a document carries note text to store.
func docHasNotes(d *assessment.Document) bool {
	for _, e := range d.Evidence {
		if e.NoteText != "" {
			return true
		}
	}
	return false
}

// importEvidence adds a document's evidence and links (each audited). Note text is put
// into the vault (sealed with aead in an encrypted workspace) and must match the recorded
// SHA-256; a file item is recorded by its hash, held in the vault if this workspace
// already has that content.
func (t *Tx) importEvidence(cat *controls.Catalog, assessmentID string, docs []assessment.EvidenceDoc, aead cipher.AEAD) error {
	seen := map[string]bool{}
	for _, d := range docs {
		e := d.Evidence
		where := fmt.Sprintf("in the import file, evidence %q", e.Name)
		if e.ID == "" || seen[e.ID] {
			return errors.New("the import file has evidence with a missing or repeated ID")
		}
		seen[e.ID] = true
		if err := checkImportedEvidence(e, d.NoteText != ""); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		inVault := false
		if d.NoteText != "" {
			if !e.IsNote {
				return fmt.Errorf("%s is a file but carries note text; the file was edited by hand", where)
			}
			if err := checkNoteText(d.NoteText); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			sum := sha256.Sum256([]byte(d.NoteText))
			if e.SHA256 != "" && e.SHA256 != hex.EncodeToString(sum[:]) {
				return fmt.Errorf("%s: the note text does not match its SHA-256; the file was edited by hand", where)
			}
			ref, err := t.putBlob(strings.NewReader(d.NoteText), aead, MaxNoteBytes, nil)
			if err != nil {
				return err
			}
			e.SHA256, e.Size, e.MediaType, inVault = ref.sha, ref.size, NoteMediaType, true
		} else {
			var n int
			if err := t.queryRow("SELECT count(*) FROM blobs WHERE sha256 = ?", e.SHA256).Scan(&n); err != nil {
				return err
			}
			inVault = n > 0
		}
		if e.AddedBy == "" {
			e.AddedBy = t.actor
		}
		if e.AddedAt.IsZero() {
			e.AddedAt, _ = time.Parse(time.RFC3339Nano, t.at)
		}
		if err := t.writeEvidence(assessmentID, e, inVault); err != nil {
			return err
		}
		for _, l := range e.Links {
			if err := t.checkLink(cat, assessmentID, l); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			if _, err := t.writeLink(assessmentID, e.ID, l); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkImportedEvidence(e assessment.Evidence, hasText bool) error {
	if e.IsNote {
		if _, err := assessment.CleanName("note title", e.Name); err != nil {
			return err
		}
	} else if err := checkFileName(e.Name); err != nil {
		return err
	}
	if b, err := hex.DecodeString(e.SHA256); (err != nil || len(b) != sha256.Size) && !(hasText && e.SHA256 == "") {
		return errors.New("its SHA-256 is not 64 hex digits")
	}
	if e.SHA256 != strings.ToLower(e.SHA256) {
		return errors.New("its SHA-256 must be written in lower case")
	}
	if e.Size < 0 {
		return errors.New("its size is negative")
	}
	if len(e.MediaType) > 255 || !utf8.ValidString(e.MediaType) {
		return errors.New("its media type is not valid")
	}
	if err := assessment.CheckText("evidence description", e.Description); err != nil {
		return err
	}
	if err := assessment.CheckDate("valid-until date", e.ValidUntil); err != nil {
		return err
	}
	if e.AddedBy != "" {
		if _, err := assessment.CleanName("name of who added it", e.AddedBy); err != nil {
			return err
		}
	}
	return nil
}

// fillNoteText puts the text of each note held in the vault into a document.
func (s *Store) fillNoteText(ctx context.Context, doc *assessment.Document) error {
	for i := range doc.Evidence {
		e := &doc.Evidence[i]
		if !e.IsNote {
			continue
		}
		text, err := s.NoteText(ctx, e.SHA256)
		if errors.Is(err, ErrNotFound) {
			continue // imported by hash only
		}
		if err != nil {
			return err
		}
		e.NoteText = text
	}
	return nil
}

// fillSnapshotNotes loads the text of the snapshot's evidence notes (NoteTexts), for the
// documents that print it; a note whose text cannot be read is left out.
func (s *Store) fillSnapshotNotes(ctx context.Context, snap *assessment.Snapshot) error {
	for _, e := range snap.Evidence {
		if !e.IsNote {
			continue
		}
		text, err := s.NoteText(ctx, e.SHA256)
		if err != nil {
			// Not in this vault (imported by hash), sealed without the passphrase, or
			// damaged (which verification reports): the index then says the text is not
			// available rather than the report failing.
			if ctx.Err() != nil {
				return ctx.Err()
			}
			continue
		}
		if snap.NoteTexts == nil {
			snap.NoteTexts = map[string]string{}
		}
		snap.NoteTexts[e.SHA256] = text
	}
	return nil
}
