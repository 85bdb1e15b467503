package common

import (
	"fmt"
	"strings"
	"sync"

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

	gen int // the build in use; a build of an earlier generation is dropped

	// back is set while shift+tab is being handled, so validators wrapped by Lenient let
	// the user step back past a field they have not finished (a refused step back used to
	// leave no field focused: the form froze).
	back bool
	// dirty is set by the first key that may change a value; esc then asks before
	// discarding, and confirming holds that question.
	dirty, confirming bool
	// focused is the field that had focus after the last update; fresh says it is a text
	// input with a prefilled value not yet touched, which the first typed character
	// replaces (as a selected value would be).
	focused Field
	fresh   bool
	// note is a line under the form until the next key (ctrl+e with no editor set up).
	note string

	// A sub-form opened from this one (say, a new vendor from the asset form) runs inside
	// it: child is it while open, opener decides after each change whether to open one,
	// resumed is told how it ended and returns where to resume; childSaved says a sub-form
	// saved something, so the screen below reloads even if this form is then cancelled.
	nested     bool
	child      *Form
	opener     func(*huh.Form) *Form
	resumed    func(m SavedMsg, saved bool) func(Field) bool
	resumeAt   func(Field) bool
	childSaved bool
}

// Field is a huh field, as Form's hooks see them.
type Field = huh.Field

// NewForm makes a dialog titled title.
func NewForm(e *Env, title string, build func() *huh.Form, submit func() tea.Cmd) *Form {
	return &Form{e: e, title: title, build: build, submit: submit}
}

// formBuiltMsg carries a form built off the UI goroutine back to its host.
type formBuiltMsg struct {
	host *Form
	gen  int
	form *huh.Form
}

// childDoneMsg tells a form that the sub-form it hosts closed: saved with msg, or not.
type childDoneMsg struct {
	child *Form
	msg   SavedMsg
	saved bool
}

// Lenient wraps a validator so it lets the user step back (shift+tab) past a field that is
// not valid yet; the check runs again when they move forward, and the store checks
// everything on save.
func (f *Form) Lenient(v func(string) error) func(string) error {
	return func(s string) error {
		if f.back {
			return nil
		}
		return v(s)
	}
}

// WithSubForm lets the form open another inside it: open is asked after every change and
// returns the sub-form to open (or nil); when the sub-form closes, done is told its
// SavedMsg and whether it saved, and returns the field to resume at (nil for the first).
// The form is then built again from its bound values.
func (f *Form) WithSubForm(open func(*huh.Form) *Form, done func(m SavedMsg, saved bool) func(Field) bool) *Form {
	f.opener, f.resumed = open, done
	return f
}

// ResumeAt makes the form open at the first field for which at holds (the groups before it
// are stepped through), as when a readiness item sends the user to one field.
func (f *Form) ResumeAt(at func(Field) bool) *Form {
	f.resumeAt = at
	return f
}

// Dirty reports whether a key that may have changed a value was typed.
func (f *Form) Dirty() bool { return f.dirty }

// Title is the dialog's title.
func (f *Form) Title() string { return f.title }

// rebuild builds the form in a command.
func (f *Form) rebuild() tea.Cmd {
	build := f.build
	f.gen++
	gen := f.gen
	return func() tea.Msg {
		km := huh.NewDefaultKeyMap()
		// esc abandons a form as well as ctrl+c.
		km.Quit = key.NewBinding(key.WithKeys("esc", "ctrl+c"), key.WithHelp("esc", "cancel"))
		return formBuiltMsg{f, gen, build().WithKeyMap(km).WithTheme(huh.ThemeFunc(theme)).WithShowHelp(true)}
	}
}

func (f *Form) Init() tea.Cmd { return f.rebuild() }

func (f *Form) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if f.child != nil {
		return f, f.updateChild(msg)
	}
	switch m := msg.(type) {
	case formBuiltMsg:
		if m.host != f || m.gen != f.gen || f.closed {
			return f, nil
		}
		f.form = m.form
		f.fit()
		cmds := []tea.Cmd{f.form.Init()}
		if at := f.resumeAt; at != nil {
			f.resumeAt = nil
			// Step forward group by group to the field the form resumes at; the fields
			// passed were filled before, so none refuses.
			for range 64 {
				if at(f.form.GetFocusedField()) || f.form.State != huh.StateNormal {
					break
				}
				cmds = append(cmds, f.form.NextGroup())
			}
		}
		f.noteFocus()
		for _, msg := range f.early {
			_, cmd := f.Update(msg)
			cmds = append(cmds, cmd)
		}
		f.early = nil
		return f, tea.Sequence(cmds...)
	case SavedMsg:
		f.saving = false
		if m.Conflict != nil {
			// Someone else changed the record: the conflict dialog below shows both
			// values and saves this one again if the user keeps it.
			f.closed = true
			return f, tea.Sequence(Pop, Emit(m))
		}
		if m.Err != nil {
			f.form = nil
			return f, tea.Batch(f.rebuild(), Fail(m.Err))
		}
		f.closed = true
		return f, f.finish(m, true)
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
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if done, cmd := f.key(k); done {
			return f, cmd
		}
	}
	if _, ok := msg.(tea.PasteMsg); ok {
		f.dirty, f.fresh = true, false
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
		return f, f.finish(SavedMsg{}, false)
	}
	if fmt.Sprintf("%T", msg) == "huh.prevGroupMsg" {
		// huh refuses to step back out of a group whose field has an error and leaves no
		// field focused; focus it again so the error can be fixed (validators wrapped by
		// Lenient never refuse a step back).
		cmd = tea.Batch(cmd, f.form.GetFocusedField().Focus())
	}
	f.noteFocus()
	if f.opener != nil {
		if child := f.opener(f.form); child != nil {
			return f, tea.Batch(cmd, f.openChild(child))
		}
	}
	return f, cmd
}

// key handles what the form does before huh sees a key: the discard question, esc on a
// changed form, stepping back, and replacing a prefilled value.
func (f *Form) key(k tea.KeyPressMsg) (bool, tea.Cmd) {
	f.note = ""
	if f.confirming {
		discard, answered := f.e.Keys.discardAnswer(k)
		f.confirming = !answered
		if discard {
			f.closed = true
			return true, f.finish(SavedMsg{}, false)
		}
		return true, nil
	}
	switch s := k.String(); {
	case s == "esc" && f.dirty:
		f.confirming = true
		return true, nil
	case s == "ctrl+e":
		if _, ok := f.form.GetFocusedField().(*huh.Text); ok && f.e.Editor == "" {
			f.note = "No editor is set up: set EDITOR (for example EDITOR=nano, or notepad on Windows) before starting safeguard. Meanwhile type here; ctrl+j starts a new line."
			return true, nil
		}
	case s == "shift+tab":
		f.back = true
	case s == "tab" || s == "enter" || s == "esc" || s == "ctrl+c":
		f.back = false
	default:
		f.back = false
		f.dirty = true
		if f.fresh && k.Text != "" && k.Mod&^tea.ModShift == 0 {
			// The first character typed into an untouched prefilled value replaces it.
			f.form.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
			f.form.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
		}
		f.fresh = false
	}
	return false, nil
}

// noteFocus notices a change of focused field: a text input that arrives with a value is
// fresh until a key touches it.
func (f *Form) noteFocus() {
	cur := f.form.GetFocusedField()
	if cur == f.focused {
		return
	}
	f.focused = cur
	in, ok := cur.(*huh.Input)
	f.fresh = false
	if ok {
		v, _ := in.GetValue().(string)
		f.fresh = v != ""
	}
}

// finish closes the form: a top-level form pops and hands the result to the screen below
// (a cancelled form that hosted a saved sub-form still makes it reload); a sub-form tells
// its host.
func (f *Form) finish(m SavedMsg, saved bool) tea.Cmd {
	if f.nested {
		return Emit(childDoneMsg{child: f, msg: m, saved: saved})
	}
	if saved {
		return tea.Sequence(Pop, Emit(m))
	}
	if f.childSaved {
		return tea.Sequence(Pop, Emit(SavedMsg{}))
	}
	return Pop
}

func (f *Form) openChild(c *Form) tea.Cmd {
	c.nested = true
	f.child = c
	c.SetStyles(f.styles)
	c.SetSize(f.width, f.height)
	return c.Init()
}

// updateChild passes a message to the open sub-form, and takes it back when it closes.
func (f *Form) updateChild(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case childDoneMsg:
		if m.child != f.child {
			return nil
		}
		f.child = nil
		if m.saved {
			f.childSaved = true
		}
		var notice tea.Cmd
		if m.saved && m.msg.Notice != "" {
			notice = Notice(m.msg.Notice)
		}
		f.resumeAt = f.resumed(m.msg, m.saved)
		f.form, f.focused, f.fresh = nil, nil, false
		return tea.Batch(notice, f.rebuild())
	case formBuiltMsg:
		if m.host == f {
			return nil // a build of this form from before the sub-form opened
		}
	}
	_, cmd := f.child.Update(msg)
	return cmd
}

// Saving reports whether the form was submitted and waits for its SavedMsg.
func (f *Form) Saving() bool { return f.saving }

func (f *Form) View() string {
	if f.child != nil {
		return f.styles.Subtle.Render(f.title+" › ") + f.child.View()
	}
	head := f.styles.Title.Render(f.title)
	switch {
	case f.saving:
		return head + "\n\n" + f.styles.Subtle.Render("Saving…")
	case f.form == nil:
		return head
	}
	if f.confirming {
		return lipgloss.JoinVertical(lipgloss.Left, head, "", DiscardQuestion(f.styles))
	}
	parts := []string{head, "", f.form.View()}
	switch {
	case f.note != "":
		parts = append(parts, "", f.styles.Warn.Render(strings.Join(Wrap(f.note, max(min(f.width-4, 76), 20)), "\n")))
	case f.fresh:
		parts = append(parts, "", f.styles.Subtle.Render("Typing replaces the value shown; press ← or → first to edit it instead."))
	}
	return lipgloss.JoinVertical(lipgloss.Left, parts...)
}

func (f *Form) SetSize(w, h int) {
	f.width, f.height = w, h
	f.fit()
	if f.child != nil {
		f.child.SetSize(w, h)
	}
}

// fit sizes the form, leaving the title and room under the form, where huh writes its
// validation messages.
func (f *Form) fit() {
	if f.form != nil && f.width > 0 {
		f.form = f.form.WithWidth(min(f.width-4, 76)).WithHeight(max(f.height-5, 5))
	}
}

func (f *Form) SetStyles(s Styles) {
	f.styles = s
	if f.child != nil {
		f.child.SetStyles(s)
	}
}

func (f *Form) Typing() bool { return !f.saving }

func (f *Form) Keys() Help {
	if f.child != nil {
		return f.child.Keys()
	}
	if f.confirming {
		return f.e.Keys.DiscardHelp()
	}
	k := f.e.Keys.Form
	return HelpOf(k.Next, k.Cancel)
}

// theme is huh's Charm theme with placeholders set apart from values: faint and italic,
// so an example is not mistaken for something already filled in. huh asks for the theme
// each time a field draws or updates, so it is built once per background, not each time
// (building it was a seventh of a form's CPU time); huh only reads the styles.
func theme(dark bool) *huh.Styles {
	if dark {
		return darkTheme()
	}
	return lightTheme()
}

var (
	darkTheme  = sync.OnceValue(func() *huh.Styles { return buildTheme(true) })
	lightTheme = sync.OnceValue(func() *huh.Styles { return buildTheme(false) })
)

func buildTheme(dark bool) *huh.Styles {
	t := huh.ThemeCharm(dark)
	for _, fs := range []*huh.FieldStyles{&t.Focused, &t.Blurred} {
		fs.TextInput.Placeholder = fs.TextInput.Placeholder.Faint(true).Italic(true)
	}
	return t
}

// DiscardQuestion is the line every form shows when esc is pressed after something was
// typed: nothing typed is thrown away without asking.
func DiscardQuestion(s Styles) string {
	return s.Warn.Render("Discard what you typed in this form?") + "  " +
		s.Key.Render("y") + s.Subtle.Render(" discard · ") + s.Key.Render("n") + s.Subtle.Render("/esc keep editing")
}

// DiscardHelp is the key help while a form asks DiscardQuestion.
func (k KeyMap) DiscardHelp() Help {
	return HelpOf(k.Discard.Yes, k.Discard.No)
}
