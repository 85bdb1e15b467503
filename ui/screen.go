package ui

import tea "charm.land/bubbletea/v2"

// screen is one full-body view under the root model. Screens render strings; only the
// root returns a tea.View.
type screen interface {
	Init() tea.Cmd
	Update(msg tea.Msg) (screen, tea.Cmd)
	View() string
	SetSize(width, height int)
	SetStyles(Styles)
	// Typing reports whether keys are going into a text field, so q and ? are text.
	Typing() bool
	Keys() helpKeys
}

// pushMsg opens a screen on top of the current one; popMsg closes the current one.
type (
	pushMsg struct{ s screen }
	popMsg  struct{}
)

func push(s screen) tea.Cmd { return func() tea.Msg { return pushMsg{s} } }
func pop() tea.Msg          { return popMsg{} }

// errMsg shows a dismissable error line; the screen below keeps its state and input.
type errMsg struct{ err error }

// noticeMsg shows a short confirmation in the status line.
type noticeMsg string
