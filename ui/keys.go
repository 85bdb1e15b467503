package ui

import "charm.land/bubbles/v2/key"

// KeyMap is every binding of the TUI, each with its help text. Screens pick the ones they
// use for their short and full help.
type KeyMap struct {
	Up, Down, Top, Bottom key.Binding
	Open, New, Rename     key.Binding
	Delete, Back, Help    key.Binding
	Quit                  key.Binding
	NextTab, PrevTab      key.Binding
}

func newKeyMap() KeyMap {
	return KeyMap{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:    key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first")),
		Bottom: key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last")),
		Open:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		New:    key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new assessment")),
		Rename: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "rename")),
		Delete: key.NewBinding(key.WithKeys("d", "delete"), key.WithHelp("d", "delete")),
		Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Help:   key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more help")),
		Quit:   key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		// Sections of an open assessment: tab cycles, 1–6 jump.
		NextTab: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab/1-6", "next section")),
		PrevTab: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous section")),
	}
}

// helpKeys adapts a list of bindings to the bubbles help.KeyMap interface.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }
