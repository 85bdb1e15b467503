package store

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"safeguard/assessment/assessmenttest"
)

const testPass = "correct horse battery staple"

// openWithPass opens the workspace with a passphrase source, as the CLI does.
func openWithPass(t *testing.T, path, pass string) *Store {
	t.Helper()
	s, err := Open(path, Options{Actor: "tester", Passphrase: func() ([]byte, error) { return []byte(pass), nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// snapshotFiles reads the workspace file and its WAL.
func snapshotFiles(t *testing.T, path string) [2][]byte {
	t.Helper()
	var out [2][]byte
	for i, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

func TestEncryptKeepsNoPlaintextInTheWorkspace(t *testing.T) {
	t.Parallel()
	s, path := openTemp(t)
	id := newAssessment(t, s)
	before := []byte("MARKER-BEFORE-ENCRYPTION-41c9")
	after := []byte("MARKER-AFTER-ENCRYPTION-77d2")
	noteMarker := "MARKER-IN-A-NOTE-9e01"
	dir := t.TempDir()
	oldData := bytes.Repeat(before, 100_000) // ~2.9 MB: several chunks
	old, err := s.AddEvidenceFile(ctx, id, writeTemp(t, dir, "old.txt", oldData), EvidenceMeta{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	oldNote, err := s.AddEvidenceNote(ctx, id, EvidenceMeta{Name: "before"}, "typed before: "+noteMarker, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.checkpoint(ctx) // the plaintext is now in the main file, not only in the WAL
	if !rawContains(t, path, before) {
		t.Fatal("test is broken: the marker is not in the plain workspace")
	}
	if err := s.EncryptWorkspace(ctx, []byte(testPass), nil); err != nil {
		t.Fatal(err)
	}
	newData := bytes.Repeat(after, 100_000)
	e, err := s.AddEvidenceFile(ctx, id, writeTemp(t, dir, "new.txt", newData), EvidenceMeta{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	note, err := s.AddEvidenceNote(ctx, id, EvidenceMeta{Name: "after"}, "typed after: "+noteMarker, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Before a checkpoint (the new content is in the WAL) and after one.
	for _, m := range [][]byte{before, after, []byte(noteMarker)} {
		if rawContains(t, path, m) {
			t.Fatalf("%s found in the workspace files before a checkpoint", m)
		}
	}
	s.checkpoint(ctx)
	for _, m := range [][]byte{before, after, []byte(noteMarker)} {
		if rawContains(t, path, m) {
			t.Fatalf("%s found in the workspace files after a checkpoint", m)
		}
	}
	// The same store holds the key: content comes back byte for byte.
	if !bytes.Equal(content(t, s, old.SHA256), oldData) || !bytes.Equal(content(t, s, e.SHA256), newData) {
		t.Fatal("encrypted content does not round-trip")
	}
	if txt, _ := s.NoteText(ctx, oldNote.SHA256); txt != "typed before: "+noteMarker {
		t.Fatalf("old note %q", txt)
	}
	if txt, _ := s.NoteText(ctx, note.SHA256); txt != "typed after: "+noteMarker {
		t.Fatalf("new note %q", txt)
	}
	if n := count(t, s, "SELECT count(*) FROM blobs WHERE seal_id IS NULL"); n != 0 {
		t.Fatalf("%d plaintext blobs in an encrypted workspace", n)
	}
	mustVerify(t, s)
	s.Close()

	// A new session without the passphrase can list but not read, add or verify.
	locked, err := Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer locked.Close()
	if list, err := locked.ListEvidence(ctx, id); err != nil || len(list) != 4 {
		t.Fatalf("list without the passphrase: %d %v", len(list), err)
	}
	if err := locked.EvidenceContent(ctx, e.SHA256, &bytes.Buffer{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("content without the passphrase: %v", err)
	}
	if _, err := locked.AddEvidenceNote(ctx, id, EvidenceMeta{Name: "x"}, "y", nil); !errors.Is(err, ErrLocked) {
		t.Fatalf("add without the passphrase: %v", err)
	}
	// Without the passphrase verify checks everything but the sealed content, and says so.
	if res, err := locked.Verify(ctx); err != nil || !res.OK() || res.SealedSkipped != 4 || res.Blobs != 0 {
		t.Fatalf("verify without the passphrase: %+v %v", res, err)
	}
	if _, err := locked.Export(ctx, id, time.Now()); !errors.Is(err, ErrLocked) {
		t.Fatalf("JSON export without the passphrase: %v", err)
	}
	if err := locked.Unlock(ctx, []byte("wrong passphrase!!")); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("unlock with a wrong passphrase: %v", err)
	}
	if err := locked.Unlock(ctx, []byte(testPass)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(content(t, locked, e.SHA256), newData) {
		t.Fatal("content after Unlock differs")
	}
	doc, err := locked.Export(ctx, id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	notes := 0
	for _, d := range doc.Evidence {
		if strings.Contains(d.NoteText, noteMarker) {
			notes++
		}
	}
	if notes != 2 {
		t.Fatalf("%d notes exported with their text, want 2", notes)
	}
}

func TestWrongPassphraseWritesNothing(t *testing.T) {
	t.Parallel()
	s, path := openTemp(t)
	id := newAssessment(t, s)
	if err := s.EncryptWorkspace(ctx, []byte(testPass), nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	w := openWithPass(t, path, "not the passphrase at all")
	file := writeTemp(t, t.TempDir(), "x.txt", []byte("secret content"))
	w.checkpoint(ctx)
	entries := auditCount(t, w)
	files := snapshotFiles(t, path)
	if _, err := w.AddEvidenceFile(ctx, id, file, EvidenceMeta{}, nil, nil); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("add with a wrong passphrase: %v", err)
	}
	if _, err := w.AddEvidenceNote(ctx, id, EvidenceMeta{Name: "n"}, "t", nil); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("note with a wrong passphrase: %v", err)
	}
	if auditCount(t, w) != entries || count(t, w, "SELECT count(*) FROM blobs") != 0 {
		t.Fatal("a wrong passphrase wrote something")
	}
	if got := snapshotFiles(t, path); !bytes.Equal(got[0], files[0]) || !bytes.Equal(got[1], files[1]) {
		t.Fatal("a wrong passphrase changed the workspace files")
	}
	r := openWithPass(t, path, testPass)
	if _, err := r.AddEvidenceFile(ctx, id, file, EvidenceMeta{}, nil, nil); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, r)
}

func TestEncryptRefusals(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	if err := s.EncryptWorkspace(ctx, []byte("short"), nil); err == nil || !strings.Contains(err.Error(), "shorter than") {
		t.Fatalf("short passphrase: %v", err)
	}
	if err := s.EncryptWorkspace(ctx, []byte("invalid \xff utf-8 passphrase"), nil); err == nil {
		t.Fatal("invalid UTF-8 passphrase accepted")
	}
	if auditCount(t, s) != 0 {
		t.Fatal("a refused encrypt wrote something")
	}
	if err := s.EncryptWorkspace(ctx, []byte(testPass), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.EncryptWorkspace(ctx, []byte(testPass), nil); err == nil || !strings.Contains(err.Error(), "already encrypted") {
		t.Fatalf("encrypting twice: %v", err)
	}
	if enc, _ := s.Encrypted(ctx); !enc {
		t.Fatal("Encrypted() is false")
	}
	mustVerify(t, s)
}

func TestEncryptRefusesDamagedPlainBlob(t *testing.T) {
	t.Parallel()
	s, id, _, _ := setup(t)
	e, err := s.AddEvidenceNote(ctx, id, EvidenceMeta{Name: "n"}, "some text", nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, s.db, "UPDATE blob_chunks SET data = CAST('other text' AS BLOB)")
	entries := auditCount(t, s)
	if err := s.EncryptWorkspace(ctx, []byte(testPass), nil); err == nil || !strings.Contains(err.Error(), "does not match its SHA-256") {
		t.Fatalf("encrypting a damaged blob: %v", err)
	}
	if auditCount(t, s) != entries {
		t.Fatal("a refused encrypt wrote something")
	}
	if enc, _ := s.Encrypted(ctx); enc {
		t.Fatal("the workspace is marked encrypted after a refused encrypt")
	}
	_ = e
}

func TestSealedChunksCannotBeMovedOrTruncated(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		tamper func(t *testing.T, s *Store, a, b string)
		want   string
	}{
		{"byte flipped", func(t *testing.T, s *Store, a, _ string) {
			mustExec(t, s.db, `UPDATE blob_chunks SET data = substr(data, 1, 40) || x'ff' || substr(data, 42)
				WHERE seq = 0 AND blob_id = (SELECT id FROM blobs WHERE sha256 = ?)`, a)
		}, "chunk 0 fails authentication"},
		{"chunks swapped", func(t *testing.T, s *Store, a, _ string) {
			mustExec(t, s.db, "UPDATE blob_chunks SET seq = -1 WHERE seq = 0 AND blob_id = (SELECT id FROM blobs WHERE sha256 = ?)", a)
			mustExec(t, s.db, "UPDATE blob_chunks SET seq = 0 WHERE seq = 1 AND blob_id = (SELECT id FROM blobs WHERE sha256 = ?)", a)
			mustExec(t, s.db, "UPDATE blob_chunks SET seq = 1 WHERE seq = -1 AND blob_id = (SELECT id FROM blobs WHERE sha256 = ?)", a)
		}, "chunk 0 fails authentication"},
		{"truncated, count fixed", func(t *testing.T, s *Store, a, _ string) {
			mustExec(t, s.db, "DELETE FROM blob_chunks WHERE seq = 2 AND blob_id = (SELECT id FROM blobs WHERE sha256 = ?)", a)
			mustExec(t, s.db, "UPDATE blobs SET chunks = 2 WHERE sha256 = ?", a)
		}, "chunk 1 fails authentication"},
		{"truncated, count and size fixed", func(t *testing.T, s *Store, a, _ string) {
			mustExec(t, s.db, "DELETE FROM blob_chunks WHERE seq = 2 AND blob_id = (SELECT id FROM blobs WHERE sha256 = ?)", a)
			mustExec(t, s.db, "UPDATE blobs SET chunks = 2, size = ? WHERE sha256 = ?", 2*ChunkSize, a)
		}, "chunk 1 fails authentication"},
		{"chunk taken from another blob", func(t *testing.T, s *Store, a, b string) {
			mustExec(t, s.db, `UPDATE blob_chunks SET data = (SELECT data FROM blob_chunks WHERE seq = 0 AND blob_id = (SELECT id FROM blobs WHERE sha256 = ?))
				WHERE seq = 0 AND blob_id = (SELECT id FROM blobs WHERE sha256 = ?)`, b, a)
		}, "chunk 0 fails authentication"},
		{"seal IDs exchanged", func(t *testing.T, s *Store, a, b string) {
			mustExec(t, s.db, `UPDATE blobs SET seal_id = (SELECT seal_id FROM blobs WHERE sha256 = ?) WHERE sha256 = ?`, b, a)
		}, "fails authentication"},
		{"stored as plaintext", func(t *testing.T, s *Store, a, _ string) {
			mustExec(t, s.db, "UPDATE blobs SET seal_id = NULL WHERE sha256 = ?", a)
		}, "unencrypted in an encrypted workspace"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, id, _, _ := setup(t)
			if err := s.EncryptWorkspace(ctx, []byte(testPass), nil); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			a, err := s.AddEvidenceFile(ctx, id, writeTemp(t, dir, "a.bin", randomBytes(2*ChunkSize+100, 1)), EvidenceMeta{}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			b, err := s.AddEvidenceFile(ctx, id, writeTemp(t, dir, "b.bin", randomBytes(2*ChunkSize+100, 2)), EvidenceMeta{}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			mustVerify(t, s)
			c.tamper(t, s, a.SHA256, b.SHA256)
			res, err := s.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(res.Problems, "\n")
			if res.OK() || !strings.Contains(all, c.want) || !strings.Contains(all, `"a.bin" (`+a.ID+")") {
				t.Fatalf("problems %q, want one naming a.bin and mentioning %q", res.Problems, c.want)
			}
			if err := s.EvidenceContent(ctx, a.SHA256, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "damaged") {
				t.Fatalf("export of tampered content: %v", err)
			}
		})
	}
}

func TestEncryptedImportSealsNotes(t *testing.T) {
	t.Parallel()
	s, path := openTemp(t)
	if err := s.EncryptWorkspace(ctx, []byte(testPass), nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	locked, err := Open(path, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer locked.Close()
	demo := assessmenttest.DemoDocument(t)
	if _, err := locked.Import(ctx, demo, ImportOptions{NewIDs: true}); !errors.Is(err, ErrLocked) {
		t.Fatalf("importing notes without the passphrase: %v", err)
	}
	if auditCount(t, locked) != 2 { // the workspace identity and the encryption setting
		t.Fatal("a refused import wrote something")
	}
	w := openWithPass(t, path, testPass)
	if _, err := w.Import(ctx, demo, ImportOptions{NewIDs: true}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, w, "SELECT count(*) FROM blobs WHERE seal_id IS NULL"); n != 0 {
		t.Fatalf("%d imported notes stored unencrypted", n)
	}
	w.checkpoint(ctx)
	if rawContains(t, path, []byte("Restored last month's EHR bulk export")) {
		t.Fatal("imported note text found in the encrypted workspace")
	}
	mustVerify(t, w)
}
