package reports

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTemporaryFilesDoNotOutliveTheirWrite: a failed write removes its temporary file;
// RemoveTempFiles (the signal handler's) removes those of writes in progress; a stale one
// (no writer holds its lock) is removed by the next run, a live or fresh one is not.
func TestTemporaryFilesDoNotOutliveTheirWrite(t *testing.T) {
	dir := t.TempDir()
	err := WriteFileAtomic(filepath.Join(dir, "out.txt"), false, func(w io.Writer) error {
		w.Write([]byte("half"))
		return errors.New("failed")
	})
	if err == nil || len(glob(dir)) != 0 {
		t.Fatalf("a failed write left %v (%v)", glob(dir), err)
	}
	// A write in progress, interrupted by a signal.
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- WriteFileAtomic(filepath.Join(dir, "slow.txt"), false, func(w io.Writer) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	if n := len(glob(dir)); n != 1 {
		t.Fatalf("%d temporary files during a write", n)
	}
	if removed := RemoveStaleTemp(dir); len(removed) != 0 {
		t.Fatalf("a live write's file was taken as stale: %v", removed)
	}
	RemoveTempFiles()
	if len(glob(dir)) != 0 {
		t.Fatal("RemoveTempFiles left the file of a write in progress")
	}
	close(release)
	if err := <-done; err == nil {
		t.Error("a write whose temporary file was removed reported success")
	}
	// A stale file (left by a killed process): removed, but only once old enough.
	stale := filepath.Join(dir, ".safeguard-123.tmp")
	os.WriteFile(stale, []byte("decrypted evidence"), 0o600)
	if removed := RemoveStaleTemp(dir); len(removed) != 0 {
		t.Fatal("a fresh temporary file was removed: its writer may not have locked it yet")
	}
	old := time.Now().Add(-time.Minute)
	os.Chtimes(stale, old, old)
	if removed := RemoveStaleTemp(dir); len(removed) != 1 || removed[0] != ".safeguard-123.tmp" {
		t.Fatalf("stale file not removed: %v", removed)
	}
}

func glob(dir string) []string {
	m, _ := filepath.Glob(filepath.Join(dir, TempPattern))
	return m
}

// TestCSVHasNoControlCharacters: text from the workspace reaches a CSV cell without
// escape sequences, direction overrides or invisible characters.
func TestCSVHasNoControlCharacters(t *testing.T) {
	s := demoSnapshot(t)
	s.Risks[0].Title = "Evil\x1b[2J\u202eRisk\u200b"
	s.Risks[0].Measures = "line one\r\nline two\x07"
	var b bytes.Buffer
	if err := WriteRisksCSV(&b, s); err != nil {
		t.Fatal(err)
	}
	out := strings.TrimPrefix(b.String(), BOM)
	out = strings.ReplaceAll(out, "\r\n", "\n") // the CSV's own line ends
	if strings.ContainsAny(out, "\x1b\x07\u202e\u200b\r") {
		t.Fatalf("a control, direction or invisible character reached the CSV: %q", out)
	}
	if !strings.Contains(out, "line one\nline two") {
		t.Error("a multi-line cell lost its line break")
	}
}
