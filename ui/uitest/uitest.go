// Package uitest is the test kit of the terminal interface: one builder for the demo and
// the large assessment, one key-press helper, one frame check, the golden-file helper and
// the section height the shell gives. Only tests import it.
package uitest

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/common"
)

// Ctx is the context of every test.
var Ctx = context.Background()

// FixedTime is the clock of every test: the demo and the large assessment are built by
// assessmenttest as of it, and screens analyze them as of it, so views that show dates
// are stable.
var FixedTime = assessmenttest.Now

// Catalog is the embedded catalog.
func Catalog(tb testing.TB) *controls.Catalog { return assessmenttest.Catalog(tb) }

// Env is an environment without a workspace, for sections driven on in-memory data.
func Env(tb testing.TB) *common.Env {
	return &common.Env{Ctx: Ctx, Catalog: Catalog(tb), Keys: common.NewKeyMap(), Plain: true, WorkDir: tb.TempDir(), Working: &common.Working{}}
}

// StoreEnv is an environment on a workspace.
func StoreEnv(tb testing.TB, s *store.Store) *common.Env {
	e := Env(tb)
	e.Store = s
	return e
}

// Styles are the styles of every golden file: dark, without color.
func Styles() common.Styles { return common.NewStyles(true, true) }

// Demo is the sample assessment (assessmenttest.Demo) as an open assessment holds it.
func Demo(tb testing.TB) *common.Data {
	tb.Helper()
	return common.NewData(assessmenttest.Demo(tb), FixedTime)
}

// Reanalyze analyzes a changed snapshot of d again, at FixedTime.
func Reanalyze(d *common.Data) *common.Data { return common.NewData(d.Snap, FixedTime) }

// Big is the large assessment of the budgets (assessmenttest.Large at scale 1): 40 assets
// of every kind and hosting model, every applicable item answered, 500 risks, 200
// evidence items.
func Big(tb testing.TB) *common.Data {
	tb.Helper()
	return common.NewData(assessmenttest.Large(tb, 1), FixedTime)
}

// Store is a fresh workspace whose clock moves a minute per change, from FixedTime, so
// lists have a stable order.
func Store(tb testing.TB) *store.Store {
	tb.Helper()
	clock := FixedTime
	tick := func() time.Time { clock = clock.Add(time.Minute); return clock }
	s, err := store.Open(filepath.Join(tb.TempDir(), "ws.db"), store.Options{Actor: "tester", Now: tick})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// DemoStore is a fresh workspace holding the sample assessment, and its ID.
func DemoStore(tb testing.TB) (*store.Store, string) {
	tb.Helper()
	s := Store(tb)
	id, err := s.Import(Ctx, assessmenttest.DemoDocument(tb), store.ImportOptions{NewIDs: true})
	if err != nil {
		tb.Fatal(err)
	}
	return s, id
}

// Load reads an assessment from a workspace as the shell does, analyzed at FixedTime.
func Load(tb testing.TB, s *store.Store, id string) *common.Data {
	tb.Helper()
	snap, err := s.Snapshot(Ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	return common.NewData(snap, FixedTime)
}

// FirstItem is the first item (in catalog order) for which ok holds.
func FirstItem(tb testing.TB, d *common.Data, ok func(*assessment.ItemView) bool) *assessment.ItemView {
	tb.Helper()
	for i := range d.Items {
		if ok(&d.Items[i]) {
			return &d.Items[i]
		}
	}
	tb.Fatal("no item fits")
	return nil
}

var namedKeys = map[string]rune{
	"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "backspace": tea.KeyBackspace,
	"delete": tea.KeyDelete, "up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"home": tea.KeyHome, "end": tea.KeyEnd, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "space": tea.KeySpace,
}

// Key is the key press written as Bubble Tea spells it: "a", "G", "enter", "ctrl+s",
// "shift+tab", "space".
func Key(s string) tea.KeyPressMsg {
	var mod tea.KeyMod
	rest := s
	for {
		switch {
		case strings.HasPrefix(rest, "ctrl+") && len(rest) > len("ctrl+"):
			mod |= tea.ModCtrl
			rest = rest[len("ctrl+"):]
			continue
		case strings.HasPrefix(rest, "alt+") && len(rest) > len("alt+"):
			mod |= tea.ModAlt
			rest = rest[len("alt+"):]
			continue
		case strings.HasPrefix(rest, "shift+") && len(rest) > len("shift+"):
			mod |= tea.ModShift
			rest = rest[len("shift+"):]
			continue
		}
		break
	}
	if code, ok := namedKeys[rest]; ok {
		k := tea.KeyPressMsg{Code: code, Mod: mod}
		if rest == "space" && mod == 0 {
			k.Text = " "
		}
		return k
	}
	r := []rune(rest)[0]
	if mod != 0 {
		return tea.KeyPressMsg{Code: r, Mod: mod}
	}
	return tea.KeyPressMsg{Code: r, Text: rest}
}

// Press sends keys to a screen and returns the last command.
func Press(sc common.Screen, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = sc.Update(Key(k))
	}
	return cmd
}

// Type types text into a screen, one key per character.
func Type(sc common.Screen, text string) {
	for _, r := range text {
		sc.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// Run runs a command and returns its message; nil for a nil command.
func Run(cmd tea.Cmd) tea.Msg {
	if cmd == nil {
		return nil
	}
	return cmd()
}

// NoticeOf runs a command that must show a notice and returns its text.
func NoticeOf(tb testing.TB, cmd tea.Cmd) string {
	tb.Helper()
	if cmd == nil {
		tb.Fatal("no command")
	}
	msg := cmd()
	m, ok := msg.(common.NoticeMsg)
	if !ok {
		tb.Fatalf("expected a notice, got %T %v", msg, msg)
	}
	return string(m)
}

// Settle feeds a screen the messages its command leads to, the way the runtime would,
// skipping commands that wait (cursor blinks) and stopping after a few rounds.
func Settle(sc common.Screen, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0 && n < 200; n++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		done := make(chan tea.Msg, 1)
		go func() { done <- c() }()
		var msg tea.Msg
		select {
		case msg = <-done:
		case <-time.After(20 * time.Millisecond):
			continue
		}
		if rv := reflect.ValueOf(msg); rv.Kind() == reflect.Slice && rv.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
			for i := range rv.Len() {
				queue = append(queue, rv.Index(i).Interface().(tea.Cmd))
			}
			continue
		}
		if msg == nil {
			continue
		}
		_, next := sc.Update(msg)
		queue = append(queue, next)
	}
}

// CheckFrame fails when a view has more lines than height or a line wider than width.
func CheckFrame(tb testing.TB, view string, width, height int) {
	tb.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > height {
		tb.Fatalf("view has %d lines, more than %d:\n%s", len(lines), height, ansi.Strip(view))
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			tb.Fatalf("line is %d wide, more than %d: %q", w, width, ansi.Strip(l))
		}
	}
}

// SectionHeight is the height a section gets in a terminal termHeight rows high: the root
// draws a title bar, a status line and a help bar, the shell a heading, a tab bar and a
// blank line. ui's TestSectionHeight checks this against the real chrome.
func SectionHeight(termHeight int) int { return termHeight - 6 }

// Sized sets a screen's styles and its size as a section in a width×height terminal.
func Sized(sc common.Screen, width, height int) {
	sc.SetStyles(Styles())
	sc.SetSize(width, SectionHeight(height))
}

// Golden compares a view, color stripped, with testdata/<test name>.golden; run the tests
// with -update to write it.
func Golden(tb testing.TB, view string) {
	tb.Helper()
	golden.RequireEqual(tb, []byte(ansi.Strip(view)))
}

// Sizes are the terminal sizes every screen is checked at.
var Sizes = [][2]int{{80, 24}, {120, 40}}

// SizeName names a terminal size for a subtest: "80x24".
func SizeName(size [2]int) string { return fmt.Sprintf("%dx%d", size[0], size[1]) }

// WheelDown and WheelUp are mouse-wheel turns.
func WheelDown() tea.MouseWheelMsg { return tea.MouseWheelMsg{Button: tea.MouseWheelDown} }
func WheelUp() tea.MouseWheelMsg   { return tea.MouseWheelMsg{Button: tea.MouseWheelUp} }

// Click is a left click at a screen's column x and line y (its own coordinates).
func Click(x, y int) tea.MouseClickMsg { return tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft} }

// OpenForm runs a command that must open a dialog (a common.Form), sizes it as the root
// does in a width×height terminal, builds it and lets it draw its first group.
func OpenForm(tb testing.TB, cmd tea.Cmd, width, height int) *common.Form {
	tb.Helper()
	msg, ok := Run(cmd).(common.PushMsg)
	if !ok {
		tb.Fatalf("no dialog opened: %#v", msg)
	}
	f, ok := msg.Screen.(*common.Form)
	if !ok {
		tb.Fatalf("pushed %T, not a form", msg.Screen)
	}
	f.SetStyles(Styles())
	f.SetSize(width, height-3)
	_, next := f.Update(Run(f.Init())) // the build, waited for
	Settle(f, next)
	return f
}

// Section prepares a section for a test as the shell would in a width×height terminal:
// styles, size, then the data.
func Section[S common.Section](s S, d *common.Data, width, height int) S {
	Sized(s, width, height)
	s.SetData(d)
	return s
}

// DemoHHS is the demo rated on the 3×3 matrix (ratings above 3 brought down to 3).
func DemoHHS(tb testing.TB) *common.Data {
	d := Demo(tb)
	d.Snap.Profile.Matrix = assessment.MatrixHHS3x3
	for i := range d.Snap.Risks {
		r := &d.Snap.Risks[i]
		r.Likelihood, r.Impact = min(r.Likelihood, 3), min(r.Impact, 3)
		r.ResidualL, r.ResidualI = min(r.ResidualL, 3), min(r.ResidualI, 3)
	}
	return Reanalyze(d)
}
