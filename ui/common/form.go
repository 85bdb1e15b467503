package common

import (
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
		return formBuiltMsg{f, build().WithKeyMap(km).WithTheme(huh.ThemeFunc(huh.ThemeCharm)).WithShowHelp(true)}
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
	return lipgloss.JoinVertical(lipgloss.Left, head, "", f.form.View())
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
