package common

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// The field editors (the risk editor, the incident form) lay out their own rows, but a key
// means the same in both: these say what, so the two cannot drift apart.

// editorAction is what a key means in a field editor before the focused field sees it.
type editorAction int

const (
	editorNone    editorAction = iota // the focused field's key
	editorCancel                      // esc: close, asking first if something was typed
	editorSave                        // ctrl+s, or enter on the save button
	editorNewLine                     // a new line in a text area
	editorNext                        // the next field
	editorPrev                        // the previous field
)

// FieldEditor is a field editor as EditorKey drives it.
type FieldEditor interface {
	Dirty() bool // something was changed since it opened
	Save() tea.Cmd
	PassToField(tea.Msg) tea.Cmd
	Move(d int) tea.Cmd // focus the field d rows away
}

// EditorKey handles the keys every field editor shares: the answer while it asks whether
// to discard what was typed (*asking), esc (which asks first when something changed),
// saving, a new line in a text area and moving between fields. handled is false for the
// focused field's own keys.
func (k KeyMap) EditorKey(msg tea.KeyPressMsg, ed FieldEditor, asking *bool, onButton, inArea bool) (cmd tea.Cmd, handled bool) {
	if *asking {
		discard, answered := k.discardAnswer(msg)
		*asking = !answered
		if discard {
			return Pop, true
		}
		return nil, true
	}
	switch k.editorActionOf(msg, onButton, inArea) {
	case editorCancel:
		if ed.Dirty() {
			*asking = true
			return nil, true
		}
		return Pop, true
	case editorSave:
		return ed.Save(), true
	case editorNewLine:
		return ed.PassToField(msg), true
	case editorNext:
		return ed.Move(1), true
	case editorPrev:
		return ed.Move(-1), true
	}
	return nil, false
}

// editorActionOf says what msg means in a field editor whose focused row is the save
// button (onButton) or a text area (inArea).
func (k KeyMap) editorActionOf(msg tea.KeyPressMsg, onButton, inArea bool) editorAction {
	e := k.Editor
	switch {
	case key.Matches(msg, e.Cancel):
		return editorCancel
	case key.Matches(msg, e.Save), onButton && msg.String() == "enter":
		return editorSave
	case inArea && key.Matches(msg, e.NewLine):
		return editorNewLine
	case key.Matches(msg, e.Next):
		return editorNext
	case key.Matches(msg, e.Prev):
		return editorPrev
	}
	return editorNone
}

// discardAnswer reads the answer to DiscardQuestion: answered is false for any other key
// (the question stays, enter included: a reflex enter must not throw work away); discard
// is true for yes.
func (k KeyMap) discardAnswer(msg tea.KeyPressMsg) (discard, answered bool) {
	switch {
	case key.Matches(msg, k.Discard.Yes):
		return true, true
	case key.Matches(msg, k.Discard.No):
		return false, true
	}
	return false, false
}

// Row is the kind of a field editor's focused row, for StepOf.
type Row int

const (
	RowChoice Row = iota // ↑/↓ and k/j move on
	RowButton            // also ←/→: the button has nothing to change
	RowLine              // only ↑/↓: k and j are letters typed into the text
)

// StepOf is the field to move to from a row that takes no up/down keys of its own: 1 for
// down, -1 for up, 0 for any other key.
func (k KeyMap) StepOf(msg tea.KeyPressMsg, row Row) int {
	s := msg.String()
	switch {
	case row == RowLine:
		if s == "down" {
			return 1
		}
		if s == "up" {
			return -1
		}
	case key.Matches(msg, k.Nav.Down), row == RowButton && s == "right":
		return 1
	case key.Matches(msg, k.Nav.Up), row == RowButton && s == "left":
		return -1
	}
	return 0
}

// ChoiceOf applies a key to the selection sel of a choice among n options: ←/→ step, and
// the top and bottom keys jump. ok is false for any other key.
func (k KeyMap) ChoiceOf(msg tea.KeyPressMsg, sel, n int) (next int, ok bool) {
	switch {
	case key.Matches(msg, k.Editor.Change):
		if s := msg.String(); s == "left" || s == "h" {
			return max(sel-1, 0), true
		}
		return min(sel+1, n-1), true
	case key.Matches(msg, k.Nav.Top):
		return 0, true
	case key.Matches(msg, k.Nav.Bottom):
		return n - 1, true
	}
	return sel, false
}
