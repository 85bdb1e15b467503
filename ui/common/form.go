package common

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
)

// Form hosts a huh form as a dialog: every form of the interface is one.
//
// The form's values live in variables its build function binds, so when saving fails
// the form is built again with what the user typed and nothing is lost. build runs in a
// command, never in Update, since some fields read the file system as they are made (a
// file picker lists its folder).
//
// submit runs when the form is completed and returns the command that does the work;
// that command must end in a SavedMsg. On success the form closes and passes the SavedMsg
// on to the screen below (which shows its notice and reloads); on an error it stays open
// and shows the error.
type Form struct {
	e      *Env
	title  string
	build  func() *huh.Form
	submit func() tea.Cmd
	form   *huh.Form // nil until built
	// early holds the keys and pastes that arrive before the form is built; they are
	// replayed into it, so nothing typed right after opening a dialog is lost.
	early  []tea.Msg
	saving bool
	closed bool // saved: ignore whatever arrives before the pop lands
	styles Styles
	width  int
	height int
	// touched are the fields the user has typed or moved in: a prefilled input that is
	// not touched yet is replaced by the first character typed into it.
	touched map[huh.Field]bool
	// dirty is true once anything was typed or chosen: esc then asks before discarding.
	dirty      bool
	confirming bool   // asking whether to discard what was typed
	note       string // a line under the form, until the next key
}

// NewForm makes a dialog titled title.
func NewForm(e *Env, title string, build func() *huh.Form, submit func() tea.Cmd) *Form {
	return &Form{e: e, title: title, build: build, submit: submit}
}

// formBuiltMsg carries a form built off the UI goroutine back to its host.
type formBuiltMsg struct {
	host *Form
	form *huh.Form
}

// Title is the dialog's title.
func (f *Form) Title() string { return f.title }

// rebuild builds the form in a command.
func (f *Form) rebuild() tea.Cmd {
	build := f.build
	return func() tea.Msg {
		km := huh.NewDefaultKeyMap()
		// esc abandons a form as well as ctrl+c.
		km.Quit = key.NewBinding(key.WithKeys("esc", "ctrl+c"), key.WithHelp("esc", "cancel"))
		return formBuiltMsg{f, build().WithKeyMap(km).WithTheme(huh.ThemeFunc(formTheme)).WithShowHelp(true)}
	}
}

func (f *Form) Init() tea.Cmd { return f.rebuild() }

func (f *Form) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch m := msg.(type) {
	case formBuiltMsg:
		if m.host != f || f.closed {
			return f, nil
		}
		f.form = m.form
		f.fit()
		cmds := []tea.Cmd{f.form.Init()}
		for _, msg := range f.early {
			_, cmd := f.Update(msg)
			cmds = append(cmds, cmd)
		}
		f.early = nil
		return f, tea.Sequence(cmds...)
	case SavedMsg:
		f.saving = false
		if m.Err != nil {
			f.form = nil
			return f, tea.Batch(f.rebuild(), Fail(m.Err))
		}
		f.closed = true
		return f, tea.Sequence(Pop, Emit(m))
	}
	if f.form == nil && !f.closed {
		switch msg.(type) {
		case tea.KeyPressMsg, tea.PasteMsg:
			f.early = append(f.early, msg)
		}
		return f, nil
	}
	if f.saving || f.closed {
		return f, nil
	}
	switch m := msg.(type) {
	case tea.KeyPressMsg:
		if done, cmd := f.key(m); done {
			return f, cmd
		}
	case tea.PasteMsg:
		f.dirty = true
		f.replacePrefilled()
	}
	fm, cmd := f.form.Update(msg)
	if form, ok := fm.(*huh.Form); ok {
		f.form = form
	}
	switch f.form.State {
	case huh.StateCompleted:
		f.saving = true
		return f, f.submit()
	case huh.StateAborted:
		f.closed = true
		return f, Pop
	}
	return f, cmd
}

// key handles what the form host adds to huh: the question before discarding typed input,
// ctrl+e without an editor, and typing over a prefilled value. done is true when the key
// is used up here.
func (f *Form) key(m tea.KeyPressMsg) (done bool, cmd tea.Cmd) {
	f.note = ""
	if f.confirming {
		switch m.String() {
		case "y", "Y":
			f.closed = true
			return true, Pop
		case "n", "N", "esc":
			f.confirming = false
		}
		return true, nil
	}
	switch m.String() {
	case "esc", "ctrl+c":
		if f.dirty {
			f.confirming = true
			return true, nil
		}
		return false, nil
	case "ctrl+e":
		if _, ok := f.form.GetFocusedField().(*huh.Text); ok && f.e.Editor == "" {
			f.note = "No editor is set up: set EDITOR (for example EDITOR=nano, or notepad on Windows) before starting safeguard. Meanwhile type here; ctrl+j starts a new line."
			return true, nil
		}
		return false, nil
	case "tab", "shift+tab", "enter", "up", "down":
		if _, ok := f.form.GetFocusedField().(*huh.Input); ok {
			return false, nil // moving between fields
		}
	}
	f.dirty = true
	if m.Text != "" && m.Mod&^tea.ModShift == 0 {
		f.replacePrefilled()
	}
	f.markTouched()
	return false, nil
}

// replacePrefilled clears the focused input before the first character typed into it,
// when it holds a value it was opened with: selecting a prefilled field replaces it.
func (f *Form) replacePrefilled() {
	in, ok := f.form.GetFocusedField().(*huh.Input)
	if !ok || f.touched[in] {
		return
	}
	if v, _ := in.GetValue().(string); v != "" {
		f.form.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // delete to the start
	}
	f.markTouched()
}

func (f *Form) markTouched() {
	if f.touched == nil {
		f.touched = map[huh.Field]bool{}
	}
	if fl := f.form.GetFocusedField(); fl != nil {
		f.touched[fl] = true
	}
}

// prefilled reports whether the focused field is an input holding a value the user has
// not touched yet (typing will replace it).
func (f *Form) prefilled() bool {
	in, ok := f.form.GetFocusedField().(*huh.Input)
	if !ok || f.touched[in] {
		return false
	}
	v, _ := in.GetValue().(string)
	return v != ""
}

// formTheme is huh's Charm theme with placeholders faint and italic, so an example never
// looks like a value (with or without color).
func formTheme(isDark bool) *huh.Styles {
	t := huh.ThemeCharm(isDark)
	t.Focused.TextInput.Placeholder = t.Focused.TextInput.Placeholder.Faint(true).Italic(true)
	t.Blurred.TextInput.Placeholder = t.Blurred.TextInput.Placeholder.Faint(true).Italic(true)
	return t
}

// Saving reports whether the form was submitted and waits for its SavedMsg.
func (f *Form) Saving() bool { return f.saving }

func (f *Form) View() string {
	head := f.styles.Title.Render(f.title)
	switch {
	case f.saving:
		return head + "\n\n" + f.styles.Subtle.Render("Saving…")
	case f.form == nil:
		return head
	}
	parts := []string{head, "", f.form.View()}
	w := max(min(f.width-4, 76), 20)
	switch {
	case f.confirming:
		parts = append(parts, "", f.styles.Warn.Render("Discard what you typed? ")+f.styles.Key.Render("y")+" discard · "+f.styles.Key.Render("n")+" keep editing")
	case f.note != "":
		parts = append(parts, "", f.styles.Warn.Render(strings.Join(Wrap(f.note, w), "\n")))
	case f.prefilled():
		parts = append(parts, "", f.styles.Subtle.Render("Typing replaces the value shown; press ← or → first to edit it instead."))
	}
	return lipgloss.JoinVertical(lipgloss.Left, parts...)
}

func (f *Form) SetSize(w, h int) {
	f.width, f.height = w, h
	f.fit()
}

// fit sizes the form, leaving the title and room under the form, where huh writes its
// validation messages.
func (f *Form) fit() {
	if f.form != nil && f.width > 0 {
		f.form = f.form.WithWidth(min(f.width-4, 76)).WithHeight(max(f.height-5, 5))
	}
}

func (f *Form) SetStyles(s Styles) { f.styles = s }

func (f *Form) Typing() bool { return !f.saving }

func (f *Form) Keys() Help {
	k := f.e.Keys.Form
	return HelpOf(k.Next, k.Cancel)
}
