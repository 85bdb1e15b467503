package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"safeguard/controls"
	"safeguard/store"
)

var testCtx = context.Background()

// fixedTime keeps views that show dates stable.
var fixedTime = time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)

func testStore(t testing.TB) *store.Store {
	t.Helper()
	// Each change happens a minute after the last, so lists have a stable order.
	clock := fixedTime
	tick := func() time.Time { clock = clock.Add(time.Minute); return clock }
	s, err := store.Open(filepath.Join(t.TempDir(), "ws.db"), store.Options{Actor: "tester", Now: tick})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func testApp(t testing.TB, s *store.Store) *App {
	t.Helper()
	cat, err := controls.Default()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("NO_COLOR", "1")
	a := newApp(testCtx, Options{Store: s, Catalog: cat})
	a.where = "ws.db" // the temp path differs per run; golden files need a stable title
	return a
}

// drive runs a command and feeds its message (and the ones it leads to) back into the
// app, the way the Bubble Tea runtime would, up to a small depth.
func drive(a *App, cmd tea.Cmd) {
	for i := 0; cmd != nil && i < 10; i++ {
		msg := cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				drive(a, c)
			}
			return
		}
		if msg == nil {
			return
		}
		_, cmd = a.Update(msg)
	}
}

func press(a *App, k string) {
	var msg tea.KeyPressMsg
	switch k {
	case "enter":
		msg = tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		msg = tea.KeyPressMsg{Code: tea.KeyEscape}
	case "down":
		msg = tea.KeyPressMsg{Code: tea.KeyDown}
	default:
		msg = tea.KeyPressMsg{Code: rune(k[0]), Text: k}
	}
	_, cmd := a.Update(msg)
	drive(a, cmd)
}

func sized(a *App, w, h int) {
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
}

func TestHomeEmptyExplainsWhatToDo(t *testing.T) {
	a := testApp(t, testStore(t))
	sized(a, 80, 24)
	drive(a, a.top().Init())
	v := ansi.Strip(a.View().Content)
	if !strings.Contains(v, "No assessments yet") || !strings.Contains(v, "Press n") {
		t.Fatalf("first run does not explain what to do:\n%s", v)
	}
	golden(t, "home_empty_80x24", v)
}

func TestHomeListsAssessments(t *testing.T) {
	s := testStore(t)
	for _, n := range []struct{ org, title string }{{"Maple Family Practice", "2026 HIPAA risk analysis"}, {"Oak Dental Group", "Annual Security Rule review"}} {
		if _, err := s.CreateAssessment(testCtx, store.NewAssessment{Title: n.title, Organization: n.org, CatalogVersion: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	a := testApp(t, s)
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		sized(a, size[0], size[1])
		drive(a, a.top().Init())
		v := ansi.Strip(a.View().Content)
		for _, want := range []string{"Maple Family", "Oak Dental", "draft", "2 in this workspace", "0%"} {
			if !strings.Contains(v, want) {
				t.Fatalf("home at %v lacks %q:\n%s", size, want, v)
			}
		}
		for _, line := range strings.Split(v, "\n") {
			if w := ansi.StringWidth(line); w > size[0] {
				t.Fatalf("line wider than %d: %q", size[0], line)
			}
		}
		golden(t, "home_list_"+itoa(size[0])+"x"+itoa(size[1]), v)
	}
}

func TestTooSmallAsksToEnlarge(t *testing.T) {
	a := testApp(t, testStore(t))
	sized(a, 60, 20)
	if v := a.View().Content; !strings.Contains(v, "Please enlarge") {
		t.Fatalf("small terminal view:\n%s", v)
	}
}

func TestHelpAndQuit(t *testing.T) {
	a := testApp(t, testStore(t))
	sized(a, 80, 24)
	short := a.View().Content
	press(a, "?")
	full := a.View().Content
	if short == full || !strings.Contains(full, "first") {
		t.Fatal("? did not show the full help")
	}
	_, cmd := a.Update(tea.KeyPressMsg{Code: 'q', Text: "q"})
	if cmd == nil {
		t.Fatal("q returned no command")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q does not quit")
	}
}

func TestStoreErrorKeepsFormInput(t *testing.T) {
	s := testStore(t)
	a := testApp(t, s)
	sized(a, 80, 24)
	press(a, "n")
	f, ok := a.top().(*formScreen)
	if !ok {
		t.Fatal("n did not open the new-assessment form")
	}
	// Close the store so saving fails, then submit values through the form's bound state.
	s.Close()
	f.saving = true
	_, cmd := a.Update(savedMsg{err: store.ErrBusy})
	drive(a, cmd)
	if a.top() != f {
		t.Fatal("the form closed although saving failed")
	}
	if v := a.View().Content; !strings.Contains(v, "Error: the workspace is busy") {
		t.Fatalf("no visible error line:\n%s", v)
	}
	press(a, "esc") // leaves the form (typing), the error stays until dismissed
}

// TestCreateAssessmentFlow drives the real program: create an assessment with the form.
func TestCreateAssessmentFlow(t *testing.T) {
	s := testStore(t)
	a := testApp(t, s)
	tm := teatest.NewTestModel(t, a, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitFor(t, tm, "No assessments yet")
	tm.Send(tea.KeyPressMsg{Code: 'n', Text: "n"})
	waitFor(t, tm, "Organisation")
	tm.Type("Birch Pediatrics")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	time.Sleep(300 * time.Millisecond) // huh moves to the next field with its own commands
	tm.Type("Q3 review")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor(t, tm, "Created Q3 review")
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
	list, err := s.Assessments(testCtx)
	if err != nil || len(list) != 1 || list[0].Organization != "Birch Pediatrics" || list[0].Title != "Q3 review" {
		t.Fatalf("store after the flow: %+v %v", list, err)
	}
}

func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), text) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}
