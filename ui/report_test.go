package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
)

// sectionView renders one section on the demo data at a size, colour-stripped.
func sectionView(t *testing.T, s section, w, h int) string {
	t.Helper()
	s.SetStyles(newStyles(true, true))
	s.SetData(riskDemoData(t))
	s.SetSize(w, h)
	return ansi.Strip(s.View())
}

func TestReportAndFinaliseViews(t *testing.T) {
	for _, size := range [][2]int{{80, 21}, {120, 37}} {
		name := itoa(size[0]) + "x" + itoa(size[1]+3)
		rep := sectionView(t, newReportScreen(riskEnv()), size[0], size[1])
		for _, want := range []string{"PDF risk analysis", "Findings (CSV)", "OSCAL", "DRAFT watermark"} {
			if !strings.Contains(rep, want) {
				t.Fatalf("report view lacks %q:\n%s", want, rep)
			}
		}
		golden(t, "report_"+name, rep)
		fin := sectionView(t, newFinalise(riskEnv()), size[0], size[1])
		if !strings.Contains(fin, "block finalising") {
			t.Fatalf("finalise view of the demo shows no readiness list:\n%s", fin)
		}
		golden(t, "finalise_"+name, fin)
	}
}

func TestFinaliseRefusesWhileBlocked(t *testing.T) {
	f := newFinalise(riskEnv())
	f.SetData(riskDemoData(t))
	cmd := f.key(tea.KeyPressMsg{Code: 's', Text: "s"})
	if cmd == nil {
		t.Fatal("s gave no feedback")
	}
	if msg, ok := cmd().(noticeMsg); !ok || !strings.Contains(string(msg), "block finalising") {
		t.Fatalf("s on a blocked assessment: %#v", msg)
	}
}

func TestNextTitle(t *testing.T) {
	for in, want := range map[string]string{
		"2026 HIPAA Security Risk Analysis": "2027 HIPAA Security Risk Analysis",
		"Annual review":                     "Annual review (revision)",
		"FY2025 review":                     "FY2026 review",
	} {
		if got := nextTitle(in); got != want {
			t.Errorf("nextTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReportFlow writes the findings CSV and the PDF from the Report section of a real
// workspace and checks the files and the SHA-256 shown.
func TestReportFlow(t *testing.T) {
	s := testStore(t)
	cat, _ := controls.Default()
	id, err := s.Import(testCtx, assessment.Demo(cat, fixedTime), store.ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a := testApp(t, s)
	tm := teatest.NewTestModel(t, a, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitFor(t, tm, "Riverbend")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor(t, tm, "Dashboard")
	tm.Send(tea.KeyPressMsg{Code: '5', Text: "5"})
	waitFor(t, tm, "Reports and exports")
	for _, out := range []struct {
		key  rune
		name string
	}{{'c', "findings.csv"}, {'g', "report.pdf"}} {
		tm.Send(tea.KeyPressMsg{Code: out.key, Text: string(out.key)})
		waitFor(t, tm, "Save as")
		tm.Send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // clear the suggested name
		tm.Type(filepath.Join(dir, out.name))
		for range 3 { // path, (attach?), overwrite?: accept the defaults
			time.Sleep(300 * time.Millisecond)
			tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
		}
		waitForFile(t, filepath.Join(dir, out.name))
	}
	waitFor(t, tm, "SHA-256")
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	pdf, _ := os.ReadFile(filepath.Join(dir, "report.pdf"))
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatal("the report is not a PDF")
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "findings.csv"))
	if !strings.Contains(string(csv), id) {
		t.Fatal("the findings CSV does not name the assessment")
	}
}

func waitForFile(t *testing.T, path string) {
	t.Helper()
	for range 100 {
		if st, err := os.Stat(path); err == nil && st.Size() > 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s was not written", path)
}

// TestReadinessGoesToTheItem: enter on a readiness item of the Finalise tab opens the
// walker on that question and asset row.
func TestReadinessGoesToTheItem(t *testing.T) {
	e := riskEnv()
	sh := &shell{e: e, id: "x"}
	for _, m := range sectionMakers {
		sh.sections = append(sh.sections, m.make(e))
	}
	sh.SetStyles(newStyles(true, true))
	sh.SetSize(120, 37)
	d := riskDemoData(t)
	sh.id = d.id()
	sh.Update(snapshotMsg{data: d})
	var target assessment.ReadinessItem
	for _, it := range d.sum.Readiness {
		if it.QuestionID != "" && it.AssetID != "" {
			target = it
			break
		}
	}
	fin := -1
	for i, s := range sh.sections {
		if _, ok := s.(*finalise); ok {
			fin = i
		}
	}
	sh.switchTo(fin)
	f := sh.sections[fin].(*finalise)
	for f.data.sum.Readiness[f.cursor] != target {
		f.scroll(1)
	}
	_, cmd := sh.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	sh.Update(cmd())
	w, ok := sh.cur().(*walker)
	if !ok {
		t.Fatalf("enter opened %s, not the questions", sh.cur().Title())
	}
	it, ok := w.curItem()
	if !ok || it.Question.ID != target.QuestionID || it.Asset == nil || it.Asset.ID != target.AssetID {
		t.Fatalf("walker shows %+v, want %s on %s", it, target.QuestionID, target.AssetID)
	}
}
