package common

import tea "charm.land/bubbletea/v2"

// Messages that send the user to a place in the open assessment other than a question or a
// risk (those are GotoMsg).

// GotoFieldMsg asks the open assessment to show where a profile or setup field is edited:
// Field is one of the assessment.Field… names a readiness item carries (scope, period,
// assessors, assets, vendors, threats, review); VendorID and Source narrow it to one vendor
// or one threat source. The Setup section opens the step and the field.
type GotoFieldMsg struct {
	Field    string
	VendorID string
	Source   string
}

// ShowSectionMsg asks the open assessment to switch to the section with this title, as
// the setup wizard does when its last step hands over to the questions.
type ShowSectionMsg struct{ Title string }

// FieldFocuser is a section that can show a field: it reports whether it took the request,
// with the command that follows (say, the form it opens).
type FieldFocuser interface {
	FocusField(GotoFieldMsg) (tea.Cmd, bool)
}

// StartHere is a section that wants to be shown first when an assessment opens, such as
// Setup for an assessment nothing has been described in yet.
type StartHere interface {
	StartHere(*Data) bool
}
