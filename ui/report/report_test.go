package report

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"golang.org/x/image/font/gofont/goregular"

	"safeguard/reports"
	"safeguard/ui/common"
	"safeguard/ui/uitest"

	_ "modernc.org/sqlite"
)

func TestReportView(t *testing.T) {
	t.Parallel()
	for _, size := range uitest.Sizes {
		t.Run(uitest.SizeName(size), func(t *testing.T) {
			r := uitest.Section(New(uitest.Env(t)), uitest.Demo(t), size[0], size[1])
			v := ansi.Strip(r.View())
			for _, want := range []string{"PDF risk analysis", "Findings (CSV)", "OSCAL", "DRAFT watermark"} {
				if !strings.Contains(v, want) {
					t.Fatalf("report view lacks %q:\n%s", want, v)
				}
			}
			uitest.Golden(t, v)
		})
	}
}

// TestReportChecksTheFolderWhenWriting: the form does no I/O; a path into a folder that
// does not exist is refused when the job's command runs, before anything starts, so the
// form (common.Form) stays open with what was typed.
func TestReportChecksTheFolderWhenWriting(t *testing.T) {
	t.Parallel()
	e := uitest.Env(t)
	r := New(e)
	missing := filepath.Join(t.TempDir(), "no-such-folder", "findings.csv")
	msg := outputJob{e: e, id: "x", kind: r.kinds[1], path: missing}.start()
	saved, ok := msg.(common.SavedMsg)
	if !ok || saved.Err == nil || !strings.Contains(saved.Err.Error(), "no-such-folder does not exist") {
		t.Fatalf("writing into a missing folder: %#v", msg)
	}
	if _, err := os.Stat(filepath.Dir(missing)); err == nil {
		t.Fatal("the folder was created")
	}
}

// TestReportJobStartsInACommand: the output job's goroutine starts when its command runs,
// not when the form is submitted; the command hands the report screen its progress
// channel and closes the form.
func TestReportJobStartsInACommand(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	e := uitest.StoreEnv(t, s)
	r := uitest.Section(New(e), uitest.Load(t, s, id), 100, 30)
	path := filepath.Join(t.TempDir(), "risks.csv")
	job := outputJob{e: e, id: id, kind: r.kinds[2], path: path}
	batch, ok := job.start().(tea.BatchMsg)
	if !ok || len(batch) != 2 {
		t.Fatalf("the job's command gave %T", batch)
	}
	start, ok := batch[0]().(startOutputMsg)
	if !ok || batch[1]().(common.SavedMsg).Err != nil {
		t.Fatal("the job does not report its start and close the form")
	}
	_, cmd := r.Update(start)
	for {
		msg := uitest.Run(cmd)
		if done, ok := msg.(outputDoneMsg); ok {
			r.Update(done)
			if done.err != nil {
				t.Fatal(done.err)
			}
			break
		}
		_, cmd = r.Update(msg)
	}
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		t.Fatalf("the risks CSV was not written: %v", err)
	}
	if v := ansi.Strip(r.View()); !strings.Contains(v, "SHA-256") || !strings.Contains(v, "Risk register (CSV)") {
		t.Fatalf("the written file is not listed:\n%s", v)
	}
	// At 80×24 the result, with its SHA-256, still fits under the menu.
	uitest.Sized(r, 80, 24)
	v := ansi.Strip(r.View())
	if lines := strings.Split(strings.TrimRight(v, "\n"), "\n"); len(lines) > uitest.SectionHeight(24) || !strings.Contains(v, "SHA-256") {
		t.Fatalf("at 80×24 the written file's SHA-256 does not fit in %d lines:\n%s", uitest.SectionHeight(24), v)
	}
}

// TestEveryFormatHasAKey: the tab offers every output the CLI can write.
func TestEveryFormatHasAKey(t *testing.T) {
	t.Parallel()
	r := New(uitest.Env(t))
	if len(r.kinds) != len(reports.Formats) {
		t.Fatalf("the Report tab offers %d outputs, reports.Formats lists %d", len(r.kinds), len(reports.Formats))
	}
}

// TestTUIReportIsRecordedAndRefusesUnverified: the tab's PDF is recorded in the audit
// trail like the CLI's (its SHA-256 in a report seal), and a workspace that fails
// verification gets no PDF until the user confirms, after which the PDF says so.
func TestTUIReportIsRecordedAndRefusesUnverified(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	e := uitest.StoreEnv(t, s)
	r := uitest.Section(New(e), uitest.Load(t, s, id), 100, 30)
	path := filepath.Join(t.TempDir(), "report.pdf")
	job := outputJob{e: e, id: id, kind: r.kinds[0], path: path}
	var file writtenFile
	if err := job.write(make(chan tea.Msg, 1000), &file); err != nil {
		t.Fatal(err)
	}
	seals, err := s.Seals(t.Context(), "report")
	if err != nil {
		t.Fatal(err)
	}
	if len(seals) != 1 || seals[0].Seal.SHA256 != file.sha || !file.recorded {
		t.Fatalf("the PDF is not recorded in the audit trail: %+v", seals)
	}
	// Change an answer behind safeguard's back.
	db, err := sql.Open("sqlite", s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE responses SET note = 'changed outside' WHERE rowid = (SELECT min(rowid) FROM responses)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	path2 := filepath.Join(t.TempDir(), "tampered.pdf")
	job = outputJob{e: e, id: id, kind: r.kinds[0], path: path2}
	err = job.write(make(chan tea.Msg, 1000), &file)
	var uv *unverifiedError
	if !errors.As(err, &uv) {
		t.Fatalf("a tampered workspace gave %v", err)
	}
	if _, err := os.Stat(path2); err == nil {
		t.Fatal("a PDF was written for a workspace that failed verification")
	}
	r.Update(outputDoneMsg{err: err})
	if v := ansi.Strip(r.View()); !strings.Contains(v, "failed verification") {
		t.Fatalf("the tab does not ask:\n%s", v)
	}
	cmd := uitest.Press(r, "y")
	if cmd == nil || r.retry != nil {
		t.Fatal("y does not start the confirmed job")
	}
	job.allowUnverified = true
	if err := job.write(make(chan tea.Msg, 1000), &file); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path2); err != nil || st.Size() == 0 {
		t.Fatal("the confirmed PDF was not written")
	}
}

// TestWorkspaceFontIsReadAsTheCommandReadsIt: the font the workspace saved is read with
// the checks the report command makes: a folder, a file that is not a font, or one larger
// than 64 MB is refused with one sentence naming it; a real font is read.
func TestWorkspaceFontIsReadAsTheCommandReadsIt(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	e := uitest.StoreEnv(t, s)
	dir := t.TempDir()
	big := filepath.Join(dir, "big.ttf") // a real font, padded past the limit
	if err := os.WriteFile(big, goregular.TTF, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 64<<20+1); err != nil {
		t.Fatal(err)
	}
	notFont := filepath.Join(dir, "notes.ttf")
	os.WriteFile(notFont, []byte("not a font"), 0o600)
	for _, path := range []string{dir, notFont, big} {
		if err := s.SetReportFont(uitest.Ctx, path); err != nil {
			t.Fatal(err)
		}
		b, err := workspaceFont(e)
		if err == nil || b != nil || !strings.Contains(err.Error(), path) {
			t.Errorf("saved font %s: %v", path, err)
		}
		if path == big && (err == nil || !strings.Contains(err.Error(), "larger than 64 MB")) {
			t.Errorf("a font past the limit: %v", err)
		}
	}
	good := filepath.Join(dir, "go.ttf")
	os.WriteFile(good, goregular.TTF, 0o600)
	if err := s.SetReportFont(uitest.Ctx, good); err != nil {
		t.Fatal(err)
	}
	if b, err := workspaceFont(e); err != nil || len(b) != len(goregular.TTF) {
		t.Errorf("a real font: %d bytes, %v", len(b), err)
	}
}
