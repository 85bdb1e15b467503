package store

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bundleFile exports a bundle of id from s to a file and records it.
func bundleFile(t *testing.T, s *Store, id, path string) {
	t.Helper()
	var buf bytes.Buffer
	m, err := s.ExportBundle(ctx, id, filepath.Base(path), nil, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordBundleExport(ctx, m, filepath.Base(path)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readBundle(t *testing.T, path string) (*Bundle, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ReadBundle(bytes.NewReader(data), int64(len(data)), path, catalog(t))
}

// rewriteBundle copies a bundle, letting edit change the manifest (whose digest is then
// recomputed, as a forger without the signing key can) or a part.
func rewriteBundle(t *testing.T, in, out string, edit func(m *BundleManifest), part func(name string, body []byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(in)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "bundle.json" && edit != nil {
			var m BundleManifest
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatal(err)
			}
			edit(&m)
			m.Integrity.SHA256 = m.digest()
			body, _ = canonicalJSON(m)
		}
		if part != nil {
			body = part(f.Name, body)
		}
		w, _ := zw.Create(f.Name)
		w.Write(body)
	}
	zw.Close()
	os.WriteFile(out, buf.Bytes(), 0o600)
}

func TestBundleRefusals(t *testing.T) {
	a, id, _ := demoStore(t)
	dir := t.TempDir()
	b, err := Open(filepath.Join(dir, "b.db"), Options{Actor: "Jordan", Now: func() time.Time { return incidentNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b1 := filepath.Join(dir, "b1.sgb")
	bundleFile(t, a, id, b1)
	bun, err := readBundle(t, b1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportBundle(ctx, bun); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ImportBundle(ctx, bun); err == nil || !strings.Contains(err.Error(), "already in this workspace") {
		t.Errorf("a second import: %v", err)
	}
	b2 := filepath.Join(dir, "b2.sgb")
	bundleFile(t, b, id, b2)

	// A base that names an entry of A's chain with another hash: a rewritten history.
	forged := filepath.Join(dir, "forged.sgb")
	rewriteBundle(t, b2, forged, func(m *BundleManifest) { m.Base.Head.Hash = strings.Repeat("0", 64) }, nil)
	fb, err := readBundle(t, forged)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.PreviewMerge(ctx, id, fb); err == nil || !strings.Contains(err.Error(), "no longer holds unchanged") {
		t.Errorf("a broken chain: %v", err)
	}
	// A manifest edited without recomputing its digest.
	edited := filepath.Join(dir, "edited.sgb")
	rewriteBundle(t, b2, edited, nil, func(name string, body []byte) []byte {
		if name == "bundle.json" {
			return bytes.Replace(body, []byte(`"exported_by":"Jordan"`), []byte(`"exported_by":"Mallory"`), 1)
		}
		return body
	})
	if _, err := readBundle(t, edited); err == nil || !strings.Contains(err.Error(), "does not match its digest") {
		t.Errorf("an edited manifest: %v", err)
	}
	// A line of work this workspace never saw.
	c, cid, _ := demoStore(t)
	stranger := filepath.Join(dir, "stranger.sgb")
	bundleFile(t, c, cid, stranger)
	sb, _ := readBundle(t, stranger)
	if _, err := a.PreviewMerge(ctx, id, sb); err == nil || !strings.Contains(err.Error(), "not of "+id) {
		t.Errorf("an unrelated assessment: %v", err)
	}
	// An extra part.
	extra := filepath.Join(dir, "extra.sgb")
	rewriteBundle(t, b2, extra, nil, nil)
	data, _ := os.ReadFile(extra)
	var buf bytes.Buffer
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, _ := zw.Create(f.Name)
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	w, _ := zw.Create("../../etc/passwd")
	w.Write([]byte("x"))
	zw.Close()
	os.WriteFile(extra, buf.Bytes(), 0o600)
	if _, err := readBundle(t, extra); err == nil || !strings.Contains(err.Error(), "not part of a safeguard bundle") {
		t.Errorf("an extra part: %v", err)
	}
}

func FuzzReadBundle(f *testing.F) {
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Add([]byte("not a zip"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ReadBundle(bytes.NewReader(data), int64(len(data)), "f.sgb", catalog(t)) // must not panic
	})
}
