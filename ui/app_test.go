package ui

import (
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"safeguard/assessment"
	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/uitest"
)

// testApp is the root model on a workspace, without color (as under NO_COLOR) and with a
// stable title.
func testApp(t testing.TB, s *store.Store) *App {
	t.Helper()
	a := newApp(uitest.Ctx, Options{Store: s, Catalog: uitest.Catalog(t)})
	a.env.Plain = true
	a.applyStyles(uitest.Styles())
	a.where = "ws.db" // the temp path differs per run; golden files need a stable title
	a.pollEvery = 0   // drive runs commands in line: a poll would wait in it
	return a
}

// drive runs a command and feeds its messages (and the ones they lead to) back into the
// app, the way the Bubble Tea runtime would, up to a small depth. A batch or a sequence
// runs its commands in order.
func drive(a *App, cmd tea.Cmd) {
	for i := 0; cmd != nil && i < 10; i++ {
		if isBlink(cmd) {
			return
		}
		msg := cmd()
		if msg == nil {
			return
		}
		if rv := reflect.ValueOf(msg); rv.Kind() == reflect.Slice && rv.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
			for i := range rv.Len() {
				drive(a, rv.Index(i).Interface().(tea.Cmd))
			}
			return
		}
		_, cmd = a.Update(msg)
	}
}

// isBlink says whether cmd is a text cursor's blink timer: the runtime delivers it half a
// second later, and run in line it would only make every key of a test wait for it.
func isBlink(cmd tea.Cmd) bool {
	fn := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer())
	return fn != nil && strings.Contains(fn.Name(), "cursor.(*Model).Blink")
}

// press sends one key to the app and runs what it leads to.
func press(a *App, keys ...string) {
	for _, k := range keys {
		_, cmd := a.Update(uitest.Key(k))
		drive(a, cmd)
	}
}

func sized(a *App, w, h int) { a.Update(tea.WindowSizeMsg{Width: w, Height: h}) }

// tabKey is the number key of the tab titled title.
func tabKey(t testing.TB, title string) string {
	t.Helper()
	for i, s := range sections(uitest.Env(t)) {
		if s.Title() == title {
			return strconv.Itoa(i + 1)
		}
	}
	t.Fatalf("no tab is titled %q", title)
	return ""
}

// waitFor waits until the program's last whole frame shows text. keys returns only when
// the program has handled its keys and drawn the result, so the frame is the screen the
// user sees after them (the output stream holds only the cells each frame changed).
func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	frame := trackerOf(tm).frame
	deadline := time.Now().Add(8 * time.Second)
	for {
		cur := frame()
		if strings.Contains(cur, text) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen does not show %q:\n%s", text, cur)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestHomeEmptyExplainsWhatToDo(t *testing.T) {
	t.Parallel()
	a := testApp(t, uitest.Store(t))
	sized(a, 80, 24)
	drive(a, a.top().Init())
	v := ansi.Strip(a.View().Content)
	if !strings.Contains(v, "No assessments yet") || !strings.Contains(v, "Press n") {
		t.Fatalf("first run does not explain what to do:\n%s", v)
	}
	uitest.Golden(t, v)
}

func TestHomeListsAssessments(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	for _, n := range []struct{ org, title string }{{"Maple Family Practice", "2026 HIPAA risk analysis"}, {"Oak Dental Group", "Annual Security Rule review"}} {
		if _, err := s.CreateAssessment(uitest.Ctx, store.NewAssessment{Title: n.title, Organization: n.org, CatalogVersion: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	a := testApp(t, s)
	for _, size := range uitest.Sizes {
		t.Run(uitest.SizeName(size), func(t *testing.T) {
			sized(a, size[0], size[1])
			drive(a, a.top().Init())
			v := ansi.Strip(a.View().Content)
			for _, want := range []string{"Maple Family", "Oak Dental", "draft", "2 in this workspace", "0%", "ORGANIZATION"} {
				if !strings.Contains(v, want) {
					t.Fatalf("home lacks %q:\n%s", want, v)
				}
			}
			uitest.CheckFrame(t, v, size[0], size[1])
			uitest.Golden(t, v)
		})
	}
}

// TestHomeClickSelectsTheRowUnderIt: the root hands the home screen coordinates under its
// title bar, so a click on a row's terminal line selects that row (enter then opens it).
func TestHomeClickSelectsTheRowUnderIt(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	for _, title := range []string{"First", "Second", "Third"} {
		if _, err := s.CreateAssessment(uitest.Ctx, store.NewAssessment{Title: title, Organization: "Org", CatalogVersion: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	a := testApp(t, s)
	sized(a, 80, 24)
	drive(a, a.top().Init())
	for y, l := range strings.Split(ansi.Strip(a.View().Content), "\n") {
		if !strings.Contains(l, "Second") {
			continue
		}
		a.Update(tea.MouseClickMsg{X: 5, Y: y, Button: tea.MouseLeft})
		press(a, "enter")
		if v := ansi.Strip(a.View().Content); !strings.Contains(strings.Split(v, "\n")[1], "Second") {
			t.Fatalf("a click on line %d, then enter, opened:\n%s", y, v)
		}
		return
	}
	t.Fatal("no row shows the second assessment")
}

func TestTooSmallAsksToEnlarge(t *testing.T) {
	t.Parallel()
	a := testApp(t, uitest.Store(t))
	sized(a, 60, 20)
	if v := a.View().Content; !strings.Contains(v, "Please enlarge") {
		t.Fatalf("small terminal view:\n%s", v)
	}
}

func TestHelpAndQuit(t *testing.T) {
	t.Parallel()
	a := testApp(t, uitest.Store(t))
	sized(a, 80, 24)
	short := a.View().Content
	press(a, "?")
	full := a.View().Content
	if short == full || !strings.Contains(full, "first") {
		t.Fatal("? did not show the full help")
	}
	// q closes the key overlay first; the next q quits.
	if _, cmd := a.Update(uitest.Key("q")); cmd != nil || a.helpOn {
		t.Fatal("q in the key overlay did not just close it")
	}
	_, cmd := a.Update(uitest.Key("q"))
	if cmd == nil {
		t.Fatal("q returned no command")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q does not quit")
	}
}

func TestStoreErrorKeepsFormInput(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	a := testApp(t, s)
	sized(a, 80, 24)
	press(a, "n")
	f, ok := a.top().(*common.Form)
	if !ok {
		t.Fatalf("n did not open the new-assessment form but %T", a.top())
	}
	_, cmd := a.Update(common.SavedMsg{Err: store.ErrBusy})
	drive(a, cmd)
	if a.top() != f {
		t.Fatal("the form closed although saving failed")
	}
	if v := a.View().Content; !strings.Contains(v, "Error: the workspace is busy") || !strings.Contains(v, "Organization") {
		t.Fatalf("no visible error line or no form:\n%s", v)
	}
}

// TestSectionHeight: a section gets what the root and the shell leave, as uitest says.
func TestSectionHeight(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	a := testApp(t, s)
	for _, size := range uitest.Sizes {
		sized(a, size[0], size[1])
		drive(a, common.Emit(common.OpenAssessmentMsg{ID: id}))
		sh := a.top().(*shell)
		if got := sh.bodyHeight(); got != uitest.SectionHeight(size[1]) {
			t.Fatalf("at %v a section gets %d lines, uitest.SectionHeight says %d", size, got, uitest.SectionHeight(size[1]))
		}
		uitest.CheckFrame(t, a.View().Content, size[0], size[1])
		press(a, "esc")
	}
}

// TestHeadingAndDashboardAgree: the shell's heading and the dashboard print the same
// share answered, from the Analysis. At 1 of 8 (12.5 %) they once said 12 % and 13 %.
func TestHeadingAndDashboardAgree(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	sh := newShell(uitest.Env(t), d.ID())
	sh.SetStyles(uitest.Styles())
	sh.SetSize(120, 37)
	sh.Update(snapshotMsg{data: d})
	c := d.Summary.Overall
	want := assessment.Percent(c.Completion()) + " answered"
	head := ansi.Strip(sh.heading())
	dash := ansi.Strip(sh.sections[0].View())
	if !strings.Contains(head, want) || !strings.Contains(dash, want) {
		t.Fatalf("heading %q and dashboard disagree with the Analysis (%s)", head, want)
	}
	if assessment.Percent(0.125) != "13%" {
		t.Fatal("12.5% is not written 13%")
	}
}

// TestMouseReachesSectionRows clicks through the real root and shell: the terminal line
// of the register's third row selects the third row, however tall the chrome above it.
func TestMouseReachesSectionRows(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	a := testApp(t, s)
	sized(a, 100, 30)
	drive(a, common.Emit(common.OpenAssessmentMsg{ID: id}))
	press(a, tabKey(t, "Risks"))
	lines := strings.Split(ansi.Strip(a.View().Content), "\n")
	header := -1
	for y, l := range lines {
		if strings.Contains(l, "LEVEL") && strings.Contains(l, "TITLE") {
			header = y
			break
		}
	}
	if header < 0 {
		t.Fatal("no register on screen")
	}
	third := strings.TrimSpace(lines[header+3])
	a.Update(tea.MouseClickMsg{X: 10, Y: header + 3, Button: tea.MouseLeft})
	a.Update(tea.MouseClickMsg{X: 10, Y: header + 3, Button: tea.MouseLeft}) // the second click opens it
	v := ansi.Strip(a.View().Content)
	title := strings.Fields(third)[2] // level is one or two words; the title follows
	if !strings.Contains(v, "Harms") || !strings.Contains(v, title) {
		t.Fatalf("clicking line %d (%q) did not open that risk:\n%s", header+3, third, v)
	}
}

// TestEscLeavesTheAssessmentAndReloadsHome: leaving an assessment shows the home list
// again, reloaded (a rename in the meantime shows).
func TestEscLeavesTheAssessmentAndReloadsHome(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	a := testApp(t, s)
	sized(a, 100, 30)
	drive(a, a.top().Init())
	press(a, "enter")
	if _, ok := a.top().(*shell); !ok {
		t.Fatalf("enter opened %T", a.top())
	}
	if err := s.RenameAssessment(uitest.Ctx, id, "Renamed while open"); err != nil {
		t.Fatal(err)
	}
	press(a, "esc")
	if _, ok := a.top().(*shell); ok || len(a.stack) != 1 {
		t.Fatalf("esc left %T on top", a.top())
	}
	if v := ansi.Strip(a.View().Content); !strings.Contains(v, "Renamed while open") {
		t.Fatalf("home was not reloaded:\n%s", v)
	}
}

// TestCreateAssessmentFlow drives the real program: create an assessment with the form.
func TestCreateAssessmentFlow(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	a := testApp(t, s)
	tm, _ := newScreen(t, a, 100, 30)
	waitFor(t, tm, "No assessments yet")
	keys(tm, "n")
	waitFor(t, tm, "Organization")
	keys(tm, "=Birch Pediatrics", "enter", "=Q3 review", "enter")
	waitFor(t, tm, "Created Q3 review")
	keys(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))
	list, err := s.Assessments(uitest.Ctx)
	if err != nil || len(list) != 1 || list[0].Organization != "Birch Pediatrics" || list[0].Title != "Q3 review" {
		t.Fatalf("store after the flow: %+v %v", list, err)
	}
}

// TestHomeDoneIsTheAnalysisFigure: the home list's DONE column is the share answered the
// open assessment's heading shows, computed through the Analysis.
func TestHomeDoneIsTheAnalysisFigure(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	a := testApp(t, s)
	sized(a, 120, 40)
	drive(a, a.top().Init())
	want := uitest.Load(t, s, id).Answered()
	home := ansi.Strip(a.View().Content)
	press(a, "enter")
	heading := strings.Split(ansi.Strip(a.View().Content), "\n")[1]
	if !strings.Contains(home, " "+want+" ") || !strings.Contains(heading, want+" answered") {
		t.Fatalf("the Analysis says %s; home shows:\n%s\nthe heading: %s", want, home, heading)
	}
}
