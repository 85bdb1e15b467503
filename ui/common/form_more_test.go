package common

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"
)

func press(s string) tea.KeyPressMsg {
	switch s {
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "ctrl+e":
		return tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "ctrl+j":
		return tea.KeyPressMsg{Code: 'j', Mod: tea.ModCtrl}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	}
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

// prefilled is a form with one input holding a value it opened with.
func prefilled(t *testing.T, value string) (*Form, *string) {
	t.Helper()
	v := value
	f := NewForm(&Env{Keys: NewKeyMap()}, "Save as", func() *huh.Form {
		return huh.NewForm(huh.NewGroup(huh.NewInput().Title("Save as").Value(&v)))
	}, func() tea.Cmd { return nil })
	f.SetStyles(NewStyles(true, true))
	f.SetSize(80, 18)
	built(t, f, f.Init())
	return f, &v
}

// TestPrefilledValueIsReplaced (D16): typing into a field that opened with a value
// replaces the value; moving the cursor first edits it instead. The form says which.
func TestPrefilledValueIsReplaced(t *testing.T) {
	t.Parallel()
	f, v := prefilled(t, "riverbend-2026.pdf")
	if !strings.Contains(ansi.Strip(f.View()), "Typing replaces the value shown") {
		t.Fatalf("the form does not say typing replaces the value:\n%s", ansi.Strip(f.View()))
	}
	for _, r := range "/tmp/out.pdf" {
		f.Update(press(string(r)))
	}
	f.Update(press("enter"))
	if *v != "/tmp/out.pdf" {
		t.Fatalf("typing over a prefilled value gave %q", *v)
	}
	f, v = prefilled(t, "report.pdf")
	f.Update(press("left"))
	f.Update(press("X"))
	f.Update(press("enter"))
	if *v != "report.pdXf" {
		t.Fatalf("editing after ← gave %q", *v)
	}
}

// TestEscAsksBeforeDiscarding: esc on a form with typed input asks first; n keeps
// editing, y discards. esc on an untouched form closes it at once.
func TestEscAsksBeforeDiscarding(t *testing.T) {
	t.Parallel()
	f, _ := prefilled(t, "")
	f.Update(press("a"))
	if _, cmd := f.Update(press("esc")); cmd != nil || !strings.Contains(ansi.Strip(f.View()), "Discard what you typed") {
		t.Fatalf("esc after typing did not ask:\n%s", ansi.Strip(f.View()))
	}
	f.Update(press("n"))
	if f.confirming || f.closed {
		t.Fatal("n did not go back to the form")
	}
	f.Update(press("esc"))
	_, cmd := f.Update(press("y"))
	if !f.closed || cmd == nil {
		t.Fatal("y did not discard the form")
	}
	if _, ok := cmd().(PopMsg); !ok {
		t.Fatal("discarding did not close the dialog")
	}
	g, _ := prefilled(t, "")
	_, cmd = g.Update(press("esc"))
	if g.confirming || cmd == nil {
		t.Fatal("esc on an untouched form asked or did nothing")
	}
}

// TestCtrlEWithoutEditor (D14): ctrl+e in a text field with no editor says how to set
// one and leaves the field as it was.
func TestCtrlEWithoutEditor(t *testing.T) {
	t.Parallel()
	note := "seen on site"
	f := NewForm(&Env{Keys: NewKeyMap()}, "Note", func() *huh.Form {
		return huh.NewForm(huh.NewGroup(huh.NewText().Title("Note").Value(&note)))
	}, func() tea.Cmd { return nil })
	f.SetStyles(NewStyles(true, true))
	f.SetSize(80, 18)
	built(t, f, f.Init())
	if _, cmd := f.Update(press("ctrl+e")); cmd != nil {
		t.Fatal("ctrl+e without an editor started something")
	}
	if v := ansi.Strip(f.View()); !strings.Contains(v, "set EDITOR") {
		t.Fatalf("ctrl+e without an editor said nothing:\n%s", v)
	}
}

// TestFileCheckAsTyped (D13): the path is looked at while it is typed (in huh's
// description command), and enter on a path that is no file is refused at the field.
func TestFileCheckAsTyped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "policy.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.7"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := NewFileCheck()
	missing := filepath.Join(dir, "nope.pdf")
	if d := c.Describe(&missing, "intro")(); !strings.Contains(d, "there is no file") {
		t.Fatalf("description of a missing file: %q", d)
	}
	if err := c.Validate(missing); err == nil {
		t.Fatal("a missing file passed once looked at")
	}
	if d := c.Describe(&dir, "intro")(); !strings.Contains(d, "is a folder") {
		t.Fatalf("description of a folder: %q", d)
	}
	if d := c.Describe(&file, "intro")(); !strings.Contains(d, "✔ found") {
		t.Fatalf("description of a file: %q", d)
	}
	if err := c.Validate("'" + file + "'"); err != nil {
		t.Fatalf("a dragged-in (quoted) path was refused: %v", err)
	}
	if err := c.Validate("  "); err == nil {
		t.Fatal("a blank path passed")
	}
}
