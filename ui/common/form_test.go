package common

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"
)

// cmds flattens what a command sends: one message, or the messages of a batch or sequence.
func cmds(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if rv := reflect.ValueOf(msg); rv.Kind() == reflect.Slice && rv.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		var out []tea.Msg
		for i := range rv.Len() {
			out = append(out, cmds(rv.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// testForm is a one-field form whose build calls are counted.
func testForm(t *testing.T, submit func(name string) tea.Cmd) (*Form, *int, *string) {
	name, builds := "", 0
	build := func() *huh.Form {
		builds++
		return huh.NewForm(huh.NewGroup(huh.NewInput().Title("Vendor name").Value(&name)))
	}
	f := NewForm(&Env{Keys: NewKeyMap()}, "New vendor", build, func() tea.Cmd { return submit(name) })
	f.SetStyles(NewStyles(true, true))
	f.SetSize(80, 18)
	return f, &builds, &name
}

// built runs the form's build command and hands the result back, as the runtime would.
func built(t *testing.T, f *Form, cmd tea.Cmd) {
	t.Helper()
	for _, m := range cmds(cmd) {
		if b, ok := m.(formBuiltMsg); ok {
			f.Update(b)
			return
		}
	}
	t.Fatal("no form was built")
}

func TestFormBuildsInACommand(t *testing.T) {
	t.Parallel()
	f, builds, _ := testForm(t, func(string) tea.Cmd { return nil })
	cmd := f.Init()
	f.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
	if *builds != 0 {
		t.Fatal("the form was built inside Init or Update")
	}
	if v := ansi.Strip(f.View()); !strings.Contains(v, "New vendor") {
		t.Fatalf("the unbuilt form does not show its title:\n%s", v)
	}
	built(t, f, cmd)
	if *builds != 1 || !strings.Contains(ansi.Strip(f.View()), "Vendor name") {
		t.Fatalf("after its command the form shows:\n%s", ansi.Strip(f.View()))
	}
}

// TestFormKeepsKeysTypedBeforeItIsBuilt: a user who types as soon as the dialog opens
// loses nothing while the form is being built.
func TestFormKeepsKeysTypedBeforeItIsBuilt(t *testing.T) {
	t.Parallel()
	f, _, name := testForm(t, func(string) tea.Cmd { return nil })
	cmd := f.Init()
	for _, r := range "Acme" {
		f.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	built(t, f, cmd)
	if *name != "Acme" || !strings.Contains(ansi.Strip(f.View()), "Acme") {
		t.Fatalf("keys typed before the form was built: bound value %q, view:\n%s", *name, ansi.Strip(f.View()))
	}
}

func TestFormFailedSaveKeepsInputAndStaysOpen(t *testing.T) {
	t.Parallel()
	busy := errors.New("the workspace is busy")
	f, builds, name := testForm(t, func(string) tea.Cmd { return Emit(SavedMsg{Err: busy}) })
	built(t, f, f.Init())
	*name = "Acme Health Cloud"
	f.saving = true
	_, cmd := f.Update(SavedMsg{Err: busy})
	var gotErr bool
	for _, m := range cmds(cmd) {
		switch m := m.(type) {
		case ErrMsg:
			gotErr = m.Err == busy
		case formBuiltMsg:
			f.Update(m)
		case PopMsg:
			t.Fatal("the form closed although saving failed")
		}
	}
	if !gotErr || f.Saving() || *builds != 2 {
		t.Fatalf("after a failed save: error shown %v, saving %v, builds %d", gotErr, f.Saving(), *builds)
	}
	if v := ansi.Strip(f.View()); !strings.Contains(v, "Acme Health Cloud") {
		t.Fatalf("the rebuilt form lost what was typed:\n%s", v)
	}
}

func TestFormSavedClosesAndPassesTheResultOn(t *testing.T) {
	t.Parallel()
	submits := 0
	f, _, _ := testForm(t, func(string) tea.Cmd { submits++; return Emit(SavedMsg{Notice: "Saved."}) })
	built(t, f, f.Init())
	f.form.State = huh.StateCompleted
	f.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if submits != 1 || !f.Saving() {
		t.Fatalf("a completed form submitted %d times", submits)
	}
	_, cmd := f.Update(SavedMsg{Notice: "Saved."})
	got := cmds(cmd)
	if len(got) != 2 || got[0] != (PopMsg{}) || got[1] != (SavedMsg{Notice: "Saved."}) {
		t.Fatalf("a saved form sends %#v, want a pop and then the SavedMsg for the screen below", got)
	}
	// A message arriving between the save and the pop must not save again.
	if _, cmd := f.Update(tea.KeyPressMsg{Code: tea.KeyEnter}); cmd != nil || submits != 1 {
		t.Fatal("a message after the save started another save")
	}
}

func TestFormEscCloses(t *testing.T) {
	t.Parallel()
	f, _, _ := testForm(t, func(string) tea.Cmd { return nil })
	built(t, f, f.Init())
	f.form.State = huh.StateAborted
	_, cmd := f.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
	if cmd == nil || cmd() != (PopMsg{}) {
		t.Fatal("an abandoned form does not close")
	}
}
