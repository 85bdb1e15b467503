package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
	"safeguard/controls"
)

// randomBytes is deterministic pseudo-random content.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), byte(seed >> 16)}))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func writeTemp(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func shaHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func content(t testing.TB, s *Store, sha string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.EvidenceContent(ctx, sha, &buf); err != nil {
		t.Fatalf("EvidenceContent: %v", err)
	}
	return buf.Bytes()
}

func count(t testing.TB, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustVerify(t testing.TB, s *Store) VerifyResult {
	t.Helper()
	res, err := s.Verify(ctx)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if !res.OK() {
		t.Fatalf("verify failed: %v", res.Problems)
	}
	return res
}

// orgQuestion and assetQuestion are catalog questions of each scope.
func orgQuestion(t testing.TB) string {
	return firstQuestion(t, func(q *controls.Question, _ *controls.Catalog) bool { return q.Scope == controls.ScopeOrganization }).ID
}

func assetQuestion(t testing.TB) string {
	return firstQuestion(t, ehrQuestion).ID
}

func TestEvidenceRoundTripIsByteIdentical(t *testing.T) {
	t.Parallel()
	s, id, aid, vid := setup(t)
	dir := t.TempDir()
	sizes := []int{1, 511, ChunkSize - 1, ChunkSize, ChunkSize + 1, 3*ChunkSize + 17}
	for i, n := range sizes {
		data := randomBytes(n, uint64(i))
		path := writeTemp(t, dir, "file-"+string(rune('a'+i))+".bin", data)
		var calls int
		var last, total int64
		e, err := s.AddEvidenceFile(ctx, id, path, EvidenceMeta{Description: "test file"}, []assessment.EvidenceLink{{AssetID: aid}, {VendorID: vid}},
			func(done, tot int64) { calls, last, total = calls+1, done, tot })
		if err != nil {
			t.Fatalf("size %d: %v", n, err)
		}
		if e.SHA256 != shaHex(data) || e.Size != int64(n) || e.Name != filepath.Base(path) || e.AddedBy != "tester" || len(e.Links) != 2 {
			t.Fatalf("size %d: evidence %+v", n, e)
		}
		if last != int64(n) || total != int64(n) || calls != (n+ChunkSize-1)/ChunkSize {
			t.Errorf("size %d: progress calls %d, last %d of %d", n, calls, last, total)
		}
		if got := content(t, s, e.SHA256); !bytes.Equal(got, data) {
			t.Fatalf("size %d: exported content differs", n)
		}
		if want := max(1, (n+ChunkSize-1)/ChunkSize); count(t, s, "SELECT chunks FROM blobs WHERE sha256 = ?", e.SHA256) != want {
			t.Errorf("size %d: want %d chunks", n, want)
		}
	}
	list, err := s.ListEvidence(ctx, id)
	if err != nil || len(list) != len(sizes) {
		t.Fatalf("list: %d items, %v", len(list), err)
	}
	res := mustVerify(t, s)
	if res.Blobs != len(sizes) {
		t.Errorf("verify re-hashed %d blobs, want %d", res.Blobs, len(sizes))
	}
	snap, err := s.Snapshot(ctx, id)
	if err != nil || len(snap.Evidence) != len(sizes) || len(snap.Evidence[0].Links) != 2 {
		t.Fatalf("snapshot evidence: %+v %v", snap.Evidence, err)
	}
}

func TestEvidenceMediaType(t *testing.T) {
	t.Parallel()
	s, id, _, _ := setup(t)
	dir := t.TempDir()
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"report.pdf", []byte("%PDF-1.7\n..."), "application/pdf"},
		{"screen.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image/png"},
		{"inventory.csv", []byte("host,os\nehr01,linux\n"), "text/csv"},
		{"policy.docx", []byte("PK\x03\x04\x14\x00\x06\x00"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"no-extension", []byte("plain words\n"), "text/plain; charset=utf-8"},
		{"mislabelled.pdf", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image/png"},
	}
	for _, c := range cases {
		e, err := s.AddEvidenceFile(ctx, id, writeTemp(t, dir, c.name, c.data), EvidenceMeta{}, nil, nil)
		if err != nil || e.MediaType != c.want {
			t.Errorf("%s: media type %q (%v), want %q", c.name, e.MediaType, err, c.want)
		}
	}
}

func TestEvidenceDeduplicatesAndCollectsGarbage(t *testing.T) {
	t.Parallel()
	s, id, _, _ := setup(t)
	dir := t.TempDir()
	data := randomBytes(2*ChunkSize+5, 7)
	a, err := s.AddEvidenceFile(ctx, id, writeTemp(t, dir, "a.bin", data), EvidenceMeta{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.AddEvidenceFile(ctx, id, writeTemp(t, dir, "b.bin", data), EvidenceMeta{Name: "copy.bin"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == b.ID || a.SHA256 != b.SHA256 || b.Name != "copy.bin" {
		t.Fatalf("a %+v b %+v", a, b)
	}
	if n := count(t, s, "SELECT count(*) FROM blobs"); n != 1 {
		t.Fatalf("%d blobs for one content, want 1", n)
	}
	if n := count(t, s, "SELECT count(*) FROM blob_chunks"); n != 3 {
		t.Fatalf("%d chunks, want 3 (the duplicate's copy must be dropped)", n)
	}
	if err := s.RemoveEvidence(ctx, id, a.ID); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(content(t, s, b.SHA256), data) {
		t.Fatal("content lost while another item still uses it")
	}
	mustVerify(t, s)
	if err := s.RemoveEvidence(ctx, id, b.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT count(*) FROM blobs") + count(t, s, "SELECT count(*) FROM blob_chunks"); n != 0 {
		t.Fatalf("%d blob rows left after the last item was removed", n)
	}
	if err := s.EvidenceContent(ctx, a.SHA256, &bytes.Buffer{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("content of removed evidence: %v", err)
	}
	if err := s.RemoveEvidence(ctx, id, a.ID); err == nil {
		t.Fatal("removing twice succeeded")
	}
	mustVerify(t, s)
}

func TestEvidenceRemovalLeavesNoPlaintext(t *testing.T) {
	t.Parallel()
	s, path := openTemp(t)
	id := newAssessment(t, s)
	marker := []byte("PATIENT-MARKER-7f3a9c")
	data := bytes.Repeat(marker, 200_000) // 4.2 MB
	e, err := s.AddEvidenceFile(ctx, id, writeTemp(t, t.TempDir(), "ephi.txt", data), EvidenceMeta{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.checkpoint(ctx) // the content is now in the main file, not only in the WAL
	if !rawContains(t, path, marker) {
		t.Fatal("test is broken: the marker is not in the plain workspace")
	}
	if err := s.RemoveEvidence(ctx, id, e.ID); err != nil {
		t.Fatal(err)
	}
	if rawContains(t, path, marker) {
		t.Fatal("removed evidence content is still in the workspace files")
	}
}

// rawContains checkpoints the workspace and looks for marker in its files.
func rawContains(t testing.TB, path string, marker []byte) bool {
	t.Helper()
	for _, suffix := range []string{"", "-wal", "-journal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, marker) {
			return true
		}
	}
	return false
}

func TestEvidenceEachChangeIsAudited(t *testing.T) {
	t.Parallel()
	s, id, aid, vid := setup(t)
	before := auditCount(t, s)
	e, err := s.AddEvidenceFile(ctx, id, writeTemp(t, t.TempDir(), "x.txt", []byte("hello")), EvidenceMeta{ValidUntil: "2027-01-31"},
		[]assessment.EvidenceLink{{QuestionID: assetQuestion(t), AssetID: aid}, {VendorID: vid}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := auditCount(t, s) - before; got != 3 {
		t.Fatalf("adding with two links wrote %d audit entries, want 3", got)
	}
	if err := s.LinkEvidence(ctx, id, e.ID, assessment.EvidenceLink{AssetID: aid}); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkEvidence(ctx, id, e.ID, assessment.EvidenceLink{AssetID: aid}); err != nil {
		t.Fatal(err)
	}
	if got := auditCount(t, s) - before; got != 4 {
		t.Fatalf("linking (twice the same) wrote %d entries in all, want 4", got)
	}
	if err := s.UnlinkEvidence(ctx, id, e.ID, assessment.EvidenceLink{VendorID: vid}); err != nil {
		t.Fatal(err)
	}
	if err := s.UnlinkEvidence(ctx, id, e.ID, assessment.EvidenceLink{VendorID: vid}); err == nil {
		t.Fatal("unlinking a missing link succeeded")
	}
	if err := s.RemoveEvidence(ctx, id, e.ID); err != nil {
		t.Fatal(err)
	}
	if got := auditCount(t, s) - before; got != 8 {
		t.Fatalf("after unlink and remove: %d entries, want 8", got)
	}
	mustVerify(t, s)
}

func TestEvidenceLinksAreChecked(t *testing.T) {
	t.Parallel()
	s, id, aid, vid := setup(t)
	other := newAssessment(t, s)
	otherAsset, err := s.SaveAsset(ctx, other, assessment.Asset{Name: "Elsewhere", Kind: "ehr", Hosting: controls.SaaS, InScope: true})
	if err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, t.TempDir(), "x.txt", []byte("hello"))
	cases := []struct {
		link assessment.EvidenceLink
		want string
	}{
		{assessment.EvidenceLink{}, "names nothing"},
		{assessment.EvidenceLink{QuestionID: "000-none-01"}, "no question"},
		{assessment.EvidenceLink{QuestionID: assetQuestion(t)}, "once per asset"},
		{assessment.EvidenceLink{QuestionID: orgQuestion(t), AssetID: aid}, "whole organization"},
		{assessment.EvidenceLink{AssetID: otherAsset}, "no asset has the ID"},
		{assessment.EvidenceLink{VendorID: "nope"}, "no vendor has the ID"},
		{assessment.EvidenceLink{VendorID: vid, AssetID: aid}, "link them separately"},
	}
	before := auditCount(t, s)
	for _, c := range cases {
		_, err := s.AddEvidenceFile(ctx, id, path, EvidenceMeta{}, []assessment.EvidenceLink{c.link}, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("link %+v: %v, want %q", c.link, err, c.want)
		}
	}
	if auditCount(t, s) != before || count(t, s, "SELECT count(*) FROM blobs") != 0 {
		t.Fatal("a refused add left something behind")
	}
}

func TestEvidenceFileRefusals(t *testing.T) {
	t.Parallel()
	s, id, _, _ := setup(t)
	dir := t.TempDir()
	ok := writeTemp(t, dir, "ok.txt", []byte("fine"))
	outside := writeTemp(t, t.TempDir(), "secret.txt", []byte("outside"))
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o700)
	inner := writeTemp(t, sub, "inner.txt", []byte("inner"))
	os.Symlink(outside, filepath.Join(dir, "out-link"))
	os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "dangling"))
	os.Symlink(sub, filepath.Join(dir, "dir-link"))
	os.Symlink(inner, filepath.Join(dir, "in-link"))
	empty := writeTemp(t, dir, "empty.txt", nil)
	big := filepath.Join(dir, "big.bin")
	f, _ := os.Create(big)
	f.Truncate(DefaultEvidenceLimit + 1)
	f.Close()
	fifo := filepath.Join(dir, "pipe")
	hasFIFO := mkfifo(fifo) == nil
	badName := writeTemp(t, dir, "bad\xff\xfename.txt", []byte("x"))
	ctrlName := writeTemp(t, dir, "bell\x07.txt", []byte("x"))
	bidiName := writeTemp(t, dir, "invoice\u202efdp.exe", []byte("x"))
	cases := []struct {
		path string
		meta EvidenceMeta
		want string
	}{
		{filepath.Join(dir, "missing.txt"), EvidenceMeta{}, "there is no file"},
		{sub, EvidenceMeta{}, "is a folder"},
		{filepath.Join(dir, "out-link"), EvidenceMeta{}, "outside its folder"},
		{filepath.Join(dir, "dangling"), EvidenceMeta{}, "does not exist"},
		{filepath.Join(dir, "dir-link"), EvidenceMeta{}, "is a folder"},
		{empty, EvidenceMeta{}, "is empty"},
		{big, EvidenceMeta{}, "over the workspace's evidence limit of 100 MB"},
		{os.DevNull, EvidenceMeta{}, "is a device"},
		{fifo, EvidenceMeta{}, "named pipe"},
		{badName, EvidenceMeta{}, "not valid UTF-8"},
		{ctrlName, EvidenceMeta{}, "control or text-direction"},
		{bidiName, EvidenceMeta{}, "control or text-direction"},
		{ok, EvidenceMeta{Name: "a/b"}, "not a usable name"},
		{ok, EvidenceMeta{ValidUntil: "31/12/2027"}, "write it as YYYY-MM-DD"},
		{ok, EvidenceMeta{Description: "bad \xff"}, "not valid UTF-8"},
	}
	if os.Geteuid() != 0 {
		unreadable := writeTemp(t, dir, "locked.txt", []byte("x"))
		os.Chmod(unreadable, 0)
		cases = append(cases, struct {
			path string
			meta EvidenceMeta
			want string
		}{unreadable, EvidenceMeta{}, "permission denied"})
	}
	before := auditCount(t, s)
	for _, c := range cases {
		if c.path == fifo && !hasFIFO {
			continue
		}
		_, err := s.AddEvidenceFile(ctx, id, c.path, c.meta, nil, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.path, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error is not one line: %q", c.path, err)
		}
	}
	if auditCount(t, s) != before || count(t, s, "SELECT count(*) FROM blobs") != 0 {
		t.Fatal("a refused add left something behind")
	}
	// A link to a file in a subfolder, and a bad name replaced with --name, are fine.
	if e, err := s.AddEvidenceFile(ctx, id, filepath.Join(dir, "in-link"), EvidenceMeta{}, nil, nil); err != nil || e.Name != "in-link" {
		t.Fatalf("link inside the folder tree: %+v %v", e, err)
	}
	if _, err := s.AddEvidenceFile(ctx, id, badName, EvidenceMeta{Name: "renamed.txt"}, nil, nil); err != nil {
		t.Fatalf("bad name with a replacement name: %v", err)
	}
}

func TestEvidenceLimitSetting(t *testing.T) {
	t.Parallel()
	s, id, _, _ := setup(t)
	if n, err := s.EvidenceLimit(ctx); err != nil || n != DefaultEvidenceLimit {
		t.Fatalf("default limit %d %v", n, err)
	}
	before := auditCount(t, s)
	if err := s.SetEvidenceLimit(ctx, 2*MB); err != nil {
		t.Fatal(err)
	}
	if err := s.SetEvidenceLimit(ctx, 2*MB); err != nil {
		t.Fatal(err)
	}
	if auditCount(t, s)-before != 1 {
		t.Fatal("setting the limit (twice the same) should write one audit entry")
	}
	if err := s.SetEvidenceLimit(ctx, 10); err == nil {
		t.Fatal("a tiny limit was accepted")
	}
	path := writeTemp(t, t.TempDir(), "three.bin", randomBytes(3*int(MB), 1))
	if _, err := s.AddEvidenceFile(ctx, id, path, EvidenceMeta{}, nil, nil); err == nil || !strings.Contains(err.Error(), "limit of 2 MB") {
		t.Fatalf("over the limit: %v", err)
	}
	mustVerify(t, s)

	for in, want := range map[string]int64{"250MB": 250 * MB, "1.5 GB": 1500 * MB, "100MiB": 100 << 20, "1048576": 1 << 20, "2g": 2 * GB} {
		if got, err := assessment.ParseSize(in); err != nil || got != want {
			t.Errorf("assessment.ParseSize(%q) = %d %v, want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MB", "-5MB", "12 parsecs", "1e400"} {
		if _, err := assessment.ParseSize(in); err == nil {
			t.Errorf("assessment.ParseSize(%q) accepted", in)
		}
	}
	for n, want := range map[int64]string{1: "1 byte", 512: "512 bytes", 1500: "1.5 KB", 100 * MB: "100 MB", 64 << 20: "67.1 MB", 2 * GB: "2 GB"} {
		if got := assessment.FormatSize(n); got != want {
			t.Errorf("assessment.FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestEvidenceFileGrowingPastLimitStoresNothing(t *testing.T) {
	t.Parallel()
	s, id, _, _ := setup(t)
	s.SetEvidenceLimit(ctx, 1*MB)
	before := auditCount(t, s)
	err := s.mutate(ctx, func(tx *Tx) error {
		_, err := tx.putBlob(bytes.NewReader(make([]byte, 2*MB)), nil, 1*MB, nil)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "larger than the evidence limit") {
		t.Fatalf("stream past the limit: %v", err)
	}
	if auditCount(t, s) != before || count(t, s, "SELECT count(*) FROM blob_chunks") != 0 {
		t.Fatal("a refused stream left chunks behind")
	}
	_ = id
}

func TestEvidenceCancelStoresNothing(t *testing.T) {
	t.Parallel()
	s, id, _, _ := setup(t)
	path := writeTemp(t, t.TempDir(), "big.bin", randomBytes(5*ChunkSize, 3))
	c, cancel := context.WithCancel(ctx)
	_, err := s.AddEvidenceFile(c, id, path, EvidenceMeta{}, nil, func(done, total int64) {
		if done >= 2*ChunkSize {
			cancel()
		}
	})
	if err == nil {
		t.Fatal("a cancelled add succeeded")
	}
	if n := count(t, s, "SELECT count(*) FROM blobs") + count(t, s, "SELECT count(*) FROM evidence"); n != 0 {
		t.Fatalf("a cancelled add left %d rows", n)
	}
	mustVerify(t, s)
}

func TestEvidenceTamperingIsFound(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		tamper func(t *testing.T, s *Store, sha string)
		want   string
	}{
		{"byte flipped in a chunk", func(t *testing.T, s *Store, sha string) {
			mustExec(t, s.db, `UPDATE blob_chunks SET data = substr(data, 1, 100) || x'00' || substr(data, 102)
				WHERE seq = 1 AND blob_id = (SELECT id FROM blobs WHERE sha256 = ?)`, sha)
		}, "its bytes were changed"},
		{"chunk deleted", func(t *testing.T, s *Store, sha string) {
			mustExec(t, s.db, "DELETE FROM blob_chunks WHERE seq = 1 AND blob_id = (SELECT id FROM blobs WHERE sha256 = ?)", sha)
		}, "chunk 1 is missing"},
		{"last chunk dropped and count fixed", func(t *testing.T, s *Store, sha string) {
			mustExec(t, s.db, "DELETE FROM blob_chunks WHERE seq = 2 AND blob_id = (SELECT id FROM blobs WHERE sha256 = ?)", sha)
			mustExec(t, s.db, "UPDATE blobs SET chunks = 2 WHERE sha256 = ?", sha)
		}, "were recorded"},
		{"blob deleted", func(t *testing.T, s *Store, sha string) {
			mustExec(t, s.db, "DELETE FROM blobs WHERE sha256 = ?", sha)
		}, "is missing from the vault"},
		{"evidence renamed", func(t *testing.T, s *Store, sha string) {
			mustExec(t, s.db, "UPDATE evidence SET name = 'innocent.pdf'")
		}, "differs from its last audited state"},
		{"link removed", func(t *testing.T, s *Store, sha string) {
			mustExec(t, s.db, "DELETE FROM evidence_links")
		}, "was deleted outside safeguard"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, id, aid, _ := setup(t)
			e, err := s.AddEvidenceFile(ctx, id, writeTemp(t, t.TempDir(), "scan.pdf", randomBytes(2*ChunkSize+10, 9)),
				EvidenceMeta{}, []assessment.EvidenceLink{{AssetID: aid}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			c.tamper(t, s, e.SHA256)
			res, err := s.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.OK() {
				t.Fatal("verify passed tampered evidence")
			}
			all := strings.Join(res.Problems, "\n")
			if !strings.Contains(all, c.want) {
				t.Fatalf("problems %q, want one mentioning %q", res.Problems, c.want)
			}
			if strings.Contains(c.want, "SHA-256") || strings.Contains(c.want, "chunk") || strings.Contains(c.want, "vault") {
				if !strings.Contains(all, `"scan.pdf" (`+e.ID+")") {
					t.Fatalf("problems %q do not name the evidence", res.Problems)
				}
			}
		})
	}
}

func TestEvidenceNotes(t *testing.T) {
	t.Parallel()
	s, id, aid, _ := setup(t)
	text := "Walked through the backup console with the IT lead.\nRestore tested on 3 March; 2 h 10 min."
	e, err := s.AddEvidenceNote(ctx, id, EvidenceMeta{Name: "  Restore walkthrough ", ValidUntil: "2027-03-03"}, text,
		[]assessment.EvidenceLink{{QuestionID: assetQuestion(t), AssetID: aid}})
	if err != nil {
		t.Fatal(err)
	}
	if !e.IsNote || e.Name != "Restore walkthrough" || e.MediaType != NoteMediaType || e.SHA256 != shaHex([]byte(text)) || e.AddedAt.IsZero() {
		t.Fatalf("note %+v", e)
	}
	if got, err := s.NoteText(ctx, e.SHA256); err != nil || got != text {
		t.Fatalf("note text %q %v", got, err)
	}
	for _, c := range []struct{ title, text, want string }{
		{"", "x", "note title is empty"},
		{"t", "  \n", "note text is empty"},
		{"t", "a\x00b", "control character"},
		{"t", strings.Repeat("x", MaxNoteBytes+1), "longer than"},
	} {
		if _, err := s.AddEvidenceNote(ctx, id, EvidenceMeta{Name: c.title}, c.text, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("note %q: %v, want %q", c.title, err, c.want)
		}
	}
	mustVerify(t, s)
}

func TestEvidenceExportImportAndRevision(t *testing.T) {
	t.Parallel()
	s, id, aid, vid := setup(t)
	data := randomBytes(ChunkSize+3, 4)
	filePath := writeTemp(t, t.TempDir(), "baa.pdf", data)
	file, err := s.AddEvidenceFile(ctx, id, filePath, EvidenceMeta{Description: "signed BAA"}, []assessment.EvidenceLink{{VendorID: vid}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	note, err := s.AddEvidenceNote(ctx, id, EvidenceMeta{Name: "Interview"}, "The admin showed MFA settings.", []assessment.EvidenceLink{{AssetID: aid}})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := s.Export(ctx, id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Evidence) != 2 {
		t.Fatalf("document has %d evidence items", len(doc.Evidence))
	}
	for _, d := range doc.Evidence {
		if d.IsNote != (d.NoteText != "") {
			t.Fatalf("note text in the document: %+v", d)
		}
	}

	// Another workspace: the note comes with its text, the file by hash only.
	s2, _ := openTemp(t)
	newID, err := s2.Import(ctx, doc, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s2.NoteText(ctx, note.SHA256); err != nil || got != "The admin showed MFA settings." {
		t.Fatalf("imported note text %q %v", got, err)
	}
	if ok, _ := s2.HasContent(ctx, file.SHA256); ok {
		t.Fatal("file content appeared from nowhere")
	}
	if err := s2.EvidenceContent(ctx, file.SHA256, &bytes.Buffer{}); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "add the file again") {
		t.Fatalf("content of a hash-only item: %v", err)
	}
	mustVerify(t, s2)
	// Re-adding the same file restores the imported item's content.
	if _, err := s2.AddEvidenceFile(ctx, newID, filePath, EvidenceMeta{}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s2, "SELECT count(*) FROM evidence WHERE in_vault = 0"); n != 0 {
		t.Fatalf("%d items still hash-only after re-adding the file", n)
	}
	mustVerify(t, s2)
	doc2, err := s2.Export(ctx, newID, doc.ExportedAt)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc2.Evidence) != 3 || doc2.Evidence[0].SHA256 != doc.Evidence[0].SHA256 {
		t.Fatalf("re-export: %+v", doc2.Evidence)
	}

	// Tampered note text is refused, nothing stored.
	bad := *doc
	bad.Evidence = append([]assessment.EvidenceDoc(nil), doc.Evidence...)
	for i := range bad.Evidence {
		if bad.Evidence[i].IsNote {
			bad.Evidence[i].NoteText += " (edited)"
		}
	}
	before := auditCount(t, s2)
	if _, err := s2.Import(ctx, &bad, ImportOptions{}); err == nil || !strings.Contains(err.Error(), "does not match its SHA-256") {
		t.Fatalf("import of edited note: %v", err)
	}
	if auditCount(t, s2) != before {
		t.Fatal("a refused import left entries")
	}

	// A revision in the same workspace carries the evidence with new IDs, content shared.
	rev, err := s.NewRevision(ctx, id, "Next year")
	if err != nil {
		t.Fatal(err)
	}
	list, _ := s.ListEvidence(ctx, rev)
	if len(list) != 2 || list[0].ID == file.ID || list[0].SHA256 != file.SHA256 {
		t.Fatalf("revision evidence: %+v", list)
	}
	if n := count(t, s, "SELECT count(*) FROM blobs"); n != 2 {
		t.Fatalf("%d blobs after the revision, want 2 (shared)", n)
	}
	if !bytes.Equal(content(t, s, list[0].SHA256), data) {
		t.Fatal("revision content differs")
	}
	mustVerify(t, s)
}

func TestEvidenceFollowsAssetVendorAndAssessmentDeletes(t *testing.T) {
	t.Parallel()
	s, id, aid, vid := setup(t)
	other, _ := s.SaveVendor(ctx, id, assessment.Vendor{Name: "Shredders Inc", BAA: assessment.BAANone})
	e, err := s.AddEvidenceFile(ctx, id, writeTemp(t, t.TempDir(), "x.txt", []byte("hello")), EvidenceMeta{},
		[]assessment.EvidenceLink{{AssetID: aid}, {QuestionID: assetQuestion(t), AssetID: aid}, {VendorID: vid}, {VendorID: other}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteVendor(ctx, id, other); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAsset(ctx, id, aid); err != nil {
		t.Fatal(err)
	}
	list, _ := s.ListEvidence(ctx, id)
	if len(list) != 1 || len(list[0].Links) != 1 || list[0].Links[0].VendorID != vid {
		t.Fatalf("links after deleting the asset and a vendor: %+v", list)
	}
	mustVerify(t, s)
	if err := s.DeleteAssessment(ctx, id); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT count(*) FROM blobs") + count(t, s, "SELECT count(*) FROM evidence"); n != 0 {
		t.Fatalf("deleting the assessment left %d evidence rows and blobs", n)
	}
	mustVerify(t, s)
	_ = e
}

func TestEvidenceFinalAssessmentIsLocked(t *testing.T) {
	t.Parallel()
	s, id, _, _ := setup(t)
	e, err := s.AddEvidenceNote(ctx, id, EvidenceMeta{Name: "n"}, "text", nil)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, s.db, "UPDATE assessments SET status = 'final' WHERE id = ?", id)
	if _, err := s.AddEvidenceNote(ctx, id, EvidenceMeta{Name: "n2"}, "text 2", nil); err == nil || !strings.Contains(err.Error(), "final") {
		t.Fatalf("add to a final assessment: %v", err)
	}
	if err := s.RemoveEvidence(ctx, id, e.ID); err == nil || !strings.Contains(err.Error(), "final") {
		t.Fatalf("remove from a final assessment: %v", err)
	}
}

func TestEvidenceDemoImportVerifies(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	id, err := s.Import(ctx, assessmenttest.DemoDocument(t), ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.ListEvidence(ctx, id)
	if err != nil || len(list) == 0 {
		t.Fatalf("demo evidence: %d %v", len(list), err)
	}
	for _, e := range list {
		if !e.IsNote || len(e.Links) == 0 {
			t.Fatalf("demo evidence %+v", e)
		}
		if _, err := s.NoteText(ctx, e.SHA256); err != nil {
			t.Fatal(err)
		}
	}
	res := mustVerify(t, s)
	if res.Blobs != len(list) {
		t.Fatalf("verify checked %d blobs for %d notes", res.Blobs, len(list))
	}
}

func TestResolveEvidence(t *testing.T) {
	t.Parallel()
	s, id, _, _ := setup(t)
	e, _ := s.AddEvidenceNote(ctx, id, EvidenceMeta{Name: "n"}, "text one", nil)
	for _, ref := range []string{e.ID, e.ID[:6], e.SHA256, e.SHA256[:10], strings.ToUpper(e.SHA256[:10])} {
		if got, err := s.ResolveEvidence(ctx, id, ref); err != nil || got.ID != e.ID {
			t.Errorf("resolve %q: %v %v", ref, got.ID, err)
		}
	}
	for _, ref := range []string{"ab", "ffffffffffff"} {
		if _, err := s.ResolveEvidence(ctx, id, ref); err == nil {
			t.Errorf("resolve %q succeeded", ref)
		}
	}
}
