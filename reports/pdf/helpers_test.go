package pdf

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// A fixture is a report rendered once for the package: rendering and reading the demo's
// text layer take about a second each, and many tests only read the same report. Tests
// that use one must not change what it returns.
type fixture struct {
	mk   func(testing.TB) (*assessment.Snapshot, Options)
	once sync.Once
	pdf  []byte
	d    *doc
	err  error

	textOnce sync.Once
	text     string
	textErr  error
}

var (
	// demoReport is the demo as `safeguard report` writes it.
	demoReport = &fixture{mk: func(tb testing.TB) (*assessment.Snapshot, Options) { return demoSnapshot(tb), Options{} }}
	// demoPlain is the demo with its page content left uncompressed, for hasText.
	demoPlain = &fixture{mk: func(tb testing.TB) (*assessment.Snapshot, Options) {
		return demoSnapshot(tb), Options{uncompressed: true}
	}}
	// demoAttached is the demo with its evidence notes attached.
	demoAttached = &fixture{mk: func(tb testing.TB) (*assessment.Snapshot, Options) {
		return demoSnapshot(tb), Options{AttachEvidence: true, Evidence: noteContents(tb, nil)}
	}}
	// largeReport is the large assessment (40 assets).
	largeReport = &fixture{mk: func(tb testing.TB) (*assessment.Snapshot, Options) { return bigSnapshot(tb, 1), Options{} }}
)

// get renders the fixture the first time and fails the test on an error or a layout
// warning, as renderT does.
func (f *fixture) get(t testing.TB) ([]byte, *doc) {
	t.Helper()
	f.once.Do(func() {
		s, opt := f.mk(t)
		f.pdf, f.d, f.err = render(s, opt)
	})
	if f.err != nil {
		t.Fatal(f.err)
	}
	if len(f.d.warnings) > 0 {
		t.Errorf("layout warnings:\n%s", strings.Join(f.d.warnings, "\n"))
	}
	return f.pdf, f.d
}

// textLayer is the fixture's pdfText, read once.
func (f *fixture) textLayer(t *testing.T) string {
	t.Helper()
	b, _ := f.get(t)
	f.textOnce.Do(func() { f.text, f.textErr = readText(b) })
	if f.textErr != nil {
		t.Fatalf("pdftotext: %v", f.textErr)
	}
	return f.text
}
