package common

import (
	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
)

// The messages screens exchange, and the commands that send them. Store and file work run
// inside commands (Mutate, or a section's own), never inside Update; each reports back with
// a typed message.

// PushMsg opens a screen on top of the current one; PopMsg closes the current one.
type (
	PushMsg struct{ Screen Screen }
	PopMsg  struct{}
)

// Push opens s on top of the current screen.
func Push(s Screen) tea.Cmd { return func() tea.Msg { return PushMsg{s} } }

// Pop closes the current screen.
func Pop() tea.Msg { return PopMsg{} }

// ShownMsg tells a screen that the one above it closed and it is on top again.
type ShownMsg struct{}

// ErrMsg shows a dismissable error line; the screen keeps its state and input.
type ErrMsg struct{ Err error }

// NoticeMsg shows a short confirmation in the status line.
type NoticeMsg string

// Notice shows s in the status line.
func Notice(s string) tea.Cmd { return func() tea.Msg { return NoticeMsg(s) } }

// Fail shows err in the error line.
func Fail(err error) tea.Cmd { return func() tea.Msg { return ErrMsg{err} } }

// Emit sends msg as it is: how a closing dialog hands its result to the screen below.
func Emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// SavedMsg reports a finished change to the workspace: Notice says what was done, Err why
// it was not. It is the one way results come back: a dialog that receives it closes (or
// stays open with what was typed, on an error) and passes it on to the screen below; the
// open assessment reloads on it and the home screen reloads its list.
type SavedMsg struct {
	Notice string
	Err    error
	// Conflict is set when the save was refused because another process changed the
	// record since the user saw it (Err is then its *store.ConflictError): the open
	// assessment shows both values and lets the user keep theirs (see Versioned).
	Conflict *Conflict
	// Created is the ID of the record the save created, when it made one: a sub-form
	// hands it to the form that opened it (a new vendor picked as an asset's provider),
	// the home screen opens the assessment it created.
	Created string
}

// ExternalChangeMsg tells every screen that another process committed a change to the
// workspace (store.Changed, polled about once a second by the root): each loads what it
// shows again, keeping its place, and the status line says so.
type ExternalChangeMsg struct{}

func (ExternalChangeMsg) Broadcast() {}

// Mutate runs a store change as a command and reports it as a SavedMsg.
func Mutate(notice string, fn func() error) tea.Cmd {
	return func() tea.Msg { return SavedMsg{Notice: notice, Err: fn()} }
}

// Broadcaster marks messages the root delivers to every screen on the stack, not just the
// top one: loaded data, and the progress of background work, so a screen under a dialog
// stays current.
type Broadcaster interface{ Broadcast() }

// GotoMsg asks the open assessment to show an item in the section that owns it: a
// question (with its asset row) or a risk.
type GotoMsg struct {
	Item   assessment.ItemKey
	RiskID string
}

// Goto shows a readiness item where it can be resolved: an answer or a gap in the
// questionnaire, a risk in the register, or an assessment-level field in Setup.
func Goto(it assessment.ReadinessItem) tea.Cmd {
	switch {
	case it.RiskID != "":
		return Emit(GotoMsg{RiskID: it.RiskID})
	case it.QuestionID != "":
		return Emit(GotoMsg{Item: assessment.ItemKey{QuestionID: it.QuestionID, AssetID: it.AssetID}})
	}
	return Emit(GotoFieldMsg{Field: it.Field, VendorID: it.VendorID, Source: it.Source})
}

// OpenAssessmentMsg asks the root to open an assessment; Env is the workspace it is in
// (nil: the one safeguard started on).
type OpenAssessmentMsg struct {
	ID  string
	Env *Env
}

// OffsetMouse moves a mouse message dy rows (negative: up), so a parent can hand its child
// coordinates relative to the child's first line. Other messages pass unchanged.
func OffsetMouse(msg tea.Msg, dy int) tea.Msg {
	switch m := msg.(type) {
	case tea.MouseClickMsg:
		m.Y += dy
		return m
	case tea.MouseReleaseMsg:
		m.Y += dy
		return m
	case tea.MouseWheelMsg:
		m.Y += dy
		return m
	case tea.MouseMotionMsg:
		m.Y += dy
		return m
	}
	return msg
}

// Wheel is the direction of a wheel turn: -1 up, 1 down, 0 for any other button.
func Wheel(m tea.MouseWheelMsg) int {
	switch m.Button {
	case tea.MouseWheelUp:
		return -1
	case tea.MouseWheelDown:
		return 1
	}
	return 0
}

// FindClosedMsg reports that the question search closed: Found when it went to a
// question. The shell takes a search opened from another tab back there when nothing was
// found.
type FindClosedMsg struct{ Found bool }
