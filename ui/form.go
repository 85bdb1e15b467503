package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
)

// formScreen hosts a huh form. Its values live in variables the build function binds, so
// when saving fails the form is rebuilt with what the user typed and nothing is lost.
type formScreen struct {
	e      *env
	title  string
	build  func() *huh.Form
	submit func() tea.Cmd // store work returning a savedMsg
	done   func() tea.Cmd // what to run after a successful save (besides closing)
	form   *huh.Form
	saving bool
	closed bool // saved: ignore whatever arrives before the pop lands
	styles Styles
	width  int
	height int
}

func newFormScreen(e *env, title string, build func() *huh.Form, submit, done func() tea.Cmd) *formScreen {
	f := &formScreen{e: e, title: title, build: build, submit: submit, done: done}
	f.reset()
	return f
}

// formKeyMap lets esc abandon a form as well as ctrl+c.
func formKeyMap() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("esc", "ctrl+c"), key.WithHelp("esc", "cancel"))
	return km
}

func (f *formScreen) reset() {
	f.form = f.build().
		WithKeyMap(formKeyMap()).
		WithTheme(huh.ThemeFunc(huh.ThemeCharm)).
		WithShowHelp(true)
	if f.width > 0 {
		f.form = f.form.WithWidth(min(f.width-4, 76))
	}
}

func (f *formScreen) Init() tea.Cmd { return f.form.Init() }

func (f *formScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if m, ok := msg.(savedMsg); ok {
		f.saving = false
		if m.err != nil {
			f.reset()
			return f, tea.Batch(f.form.Init(), func() tea.Msg { return errMsg{m.err} })
		}
		notice := func() tea.Msg { return noticeMsg(m.notice) }
		f.closed = true
		return f, tea.Sequence(pop, notice, f.done())
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
		return f, pop
	}
	return f, cmd
}

func (f *formScreen) View() string {
	head := f.styles.Title.Render(f.title)
	if f.saving {
		return head + "\n\n" + f.styles.Subtle.Render("Saving…")
	}
	return lipgloss.JoinVertical(lipgloss.Left, head, "", f.form.View())
}

func (f *formScreen) SetSize(w, h int) {
	f.width, f.height = w, h
	// Leave two lines under the form: huh adds validation messages below its fixed height.
	f.form = f.form.WithWidth(min(w-4, 76)).WithHeight(max(h-5, 5))
}

func (f *formScreen) SetStyles(s Styles) { f.styles = s }

func (f *formScreen) Typing() bool { return !f.saving }

func (f *formScreen) Keys() helpKeys {
	k := f.e.keys
	esc := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	next := key.NewBinding(key.WithKeys("enter", "tab"), key.WithHelp("enter/tab", "next field"))
	_ = k
	return helpKeys{short: []key.Binding{next, esc}, full: [][]key.Binding{{next, esc}}}
}
