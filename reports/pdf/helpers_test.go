package pdf

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
)

var (
	catalog      = assessmenttest.Catalog
	demoSnapshot = assessmenttest.Demo
)

// noteContents serves the demo's evidence notes by hash (the demo's hashes are of the note
// text) and any other content registered in extra.
func noteContents(tb testing.TB, extra map[string][]byte) func(string, io.Writer) error {
	tb.Helper()
	byHash := map[string][]byte{}
	for _, e := range assessmenttest.DemoDocument(tb).Evidence {
		byHash[e.SHA256] = []byte(e.NoteText)
	}
	for k, v := range extra {
		byHash[k] = v
	}
	return func(sha string, w io.Writer) error {
		b, ok := byHash[sha]
		if !ok {
			return fmt.Errorf("no blob %s", sha)
		}
		_, err := w.Write(b)
		return err
	}
}

// bigSnapshot is the shared large assessment scaled (see assessmenttest.Large).
func bigSnapshot(tb testing.TB, scale int) *assessment.Snapshot {
	tb.Helper()
	return assessmenttest.Large(tb, scale)
}

// writeArtifact keeps a rendered PDF for inspection when SAFEGUARD_PDF_OUT names a folder.
func writeArtifact(tb testing.TB, name string, b []byte) {
	if dir := os.Getenv("SAFEGUARD_PDF_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}
