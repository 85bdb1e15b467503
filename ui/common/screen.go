package common

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Screen is one full-body view on the root model's stack: the home list, an open
// assessment, a dialog. Screens render strings; only the root returns a tea.View.
//
// Coordinates are local: the parent subtracts its own chrome before passing a mouse
// message on, so Y = 0 is the screen's first line (see OffsetMouse).
type Screen interface {
	Init() tea.Cmd
	Update(msg tea.Msg) (Screen, tea.Cmd)
	View() string
	// SetSize gives the screen its width and height in cells.
	SetSize(width, height int)
	SetStyles(Styles)
	// Typing reports whether keys are going into a text field, so q and ? are text.
	Typing() bool
	// Keys are the bindings the help bar shows now.
	Keys() Help
}

// Section is one tab of an open assessment: the shell lists them in order (ui/shell.go)
// and gives each the loaded assessment after every reload. A section changes the
// workspace only through commands that return a SavedMsg (Mutate), or through a dialog
// that does; the shell then reloads, so every section always shows what is committed.
//
// To add a section (say, Incidents): write a package ui/incidents with a type that
// implements Section, give its keys a group in KeyMap (and a context in
// KeyMap.Contexts), and add incidents.New(e) to the shell's list.
type Section interface {
	Screen
	// Title is the tab's name; tests find a tab by it.
	Title() string
	// SetData hands the section a freshly loaded assessment.
	SetData(d *Data)
	// Back handles esc inside the section (closing a pane, clearing a filter) and reports
	// whether it did; otherwise esc leaves the assessment.
	Back() bool
}

// ItemFocuser is a section that can bring one item to the front when asked by a GotoMsg.
type ItemFocuser interface {
	FocusItem(m GotoMsg) bool
}

// Help adapts lists of bindings to the help bar (bubbles help.KeyMap).
type Help struct {
	Short []key.Binding
	Full  [][]key.Binding
}

func (h Help) ShortHelp() []key.Binding  { return h.Short }
func (h Help) FullHelp() [][]key.Binding { return h.Full }

// HelpOf is a Help whose full list is the short one.
func HelpOf(bs ...key.Binding) Help { return Help{Short: bs, Full: [][]key.Binding{bs}} }

// QuestionFinder is the section that finds questions (the questionnaire): the shell opens
// its search when / is pressed in a tab that has no search of its own, and shows the
// question chosen. away says the search was opened from another tab, so esc goes back.
type QuestionFinder interface {
	OpenFind(away bool) tea.Cmd
}

// OwnFinder is a section whose / searches its own records (the risk register): the shell
// leaves / to it.
type OwnFinder interface {
	OwnsFind() bool
}
