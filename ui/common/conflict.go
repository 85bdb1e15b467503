package common

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/store"
)

// Saves that carry the version the user saw. When another process changed the record
// since, the store refuses the save with a *store.ConflictError naming who and when; the
// open assessment then shows both values (ConflictDialog), and the user keeps theirs
// (the same save again, over the version the record has now) or takes the other (the
// reload shows it).

// Conflict is a save refused because the record changed after the user saw it.
type Conflict struct {
	Err   *store.ConflictError
	Yours string // the value the user tried to save, as one line
	// Retry runs the same save with another version: the record's current one keeps the
	// user's value over theirs.
	Retry func(version int64) SavedMsg
}

// Versioned runs save with the version the user saw (seen) as a command. A conflict comes
// back as a SavedMsg carrying a Conflict whose Retry is save; yours describes the value
// being saved (Describe).
func Versioned(yours string, seen int64, save func(version int64) SavedMsg) tea.Cmd {
	return func() tea.Msg { return versioned(yours, seen, save) }
}

func versioned(yours string, v int64, save func(int64) SavedMsg) SavedMsg {
	m := save(v)
	var ce *store.ConflictError
	if errors.As(m.Err, &ce) {
		m.Conflict = &Conflict{Err: ce, Yours: yours, Retry: save}
	}
	return m
}

// Describe is a record as the conflict dialog shows it: an answer, an owner override or a
// risk, in one line; nil (a removed record) says so.
func Describe(rec any) string {
	switch r := rec.(type) {
	case nil:
		return "removed"
	case assessment.Response:
		s := r.Status.Label()
		if r.Reason != "" {
			s += " (" + r.Reason + ")"
		}
		if r.Decision != "" {
			s += "; " + r.Decision.Label()
		}
		if r.Note != "" {
			s += "; note: " + r.Note
		}
		return SafeText(s)
	case *assessment.Response:
		if r == nil {
			return "no answer"
		}
		return Describe(*r)
	case assessment.Override:
		return SafeText(fmt.Sprintf("owned by %s: %s", r.Owner, r.Reason))
	case assessment.Risk:
		s := fmt.Sprintf("%s; %s", r.Title, strings.ReplaceAll(string(r.Status), "-", " "))
		if r.Likelihood > 0 && r.Impact > 0 {
			s += fmt.Sprintf("; likelihood %d, impact %d", r.Likelihood, r.Impact)
		}
		if r.Treatment != "" {
			s += "; " + string(r.Treatment)
		}
		return SafeText(s)
	}
	return SafeText(fmt.Sprint(rec))
}

// SafeText is s on one line with nothing that could act on the terminal.
func SafeText(s string) string { return assessment.SafeLine(s) }

// ConflictDialog shows a refused save with both values.
type ConflictDialog struct {
	e      *Env
	c      *Conflict
	styles Styles
	width  int
	busy   bool
}

// NewConflictDialog is the dialog for c.
func NewConflictDialog(e *Env, c *Conflict) *ConflictDialog { return &ConflictDialog{e: e, c: c} }

func (d *ConflictDialog) Init() tea.Cmd { return nil }

func (d *ConflictDialog) Update(msg tea.Msg) (Screen, tea.Cmd) {
	k := d.e.Keys.Conflict
	if m, ok := msg.(tea.KeyPressMsg); ok && !d.busy {
		switch {
		case key.Matches(m, k.Mine):
			d.busy = true
			c := d.c
			retry := func() tea.Msg { return versioned(c.Yours, c.Err.Current, c.Retry) }
			return d, tea.Sequence(Pop, retry)
		case key.Matches(m, k.Theirs):
			return d, tea.Sequence(Pop, Emit(SavedMsg{Notice: "Kept their version: " + FirstLine(d.c.Err.What) + " is as they saved it."}))
		}
	}
	return d, nil
}

func (d *ConflictDialog) View() string {
	s, ce := d.styles, d.c.Err
	verb := "changed"
	if ce.Current == 0 {
		verb = "removed"
	}
	w := max(d.width-4, 40)
	lines := []string{
		s.Title.Render("Someone else changed this record"),
		"",
		Truncate(fmt.Sprintf("%s was %s by %s at %s, after you opened it. Nothing of yours was saved yet.",
			ce.What, verb, SafeText(ce.By), ce.At.Local().Format("2006-01-02 15:04:05")), w),
		"",
		s.Header.Render("Theirs: ") + Truncate(Describe(ce.Theirs), w-8),
		s.Header.Render("Yours:  ") + Truncate(d.c.Yours, w-8),
		"",
		s.Key.Render("m") + " keep yours (save it over theirs)   " + s.Key.Render("t") + " take theirs",
	}
	return strings.Join(lines, "\n")
}

func (d *ConflictDialog) SetSize(w, _ int)    { d.width = w }
func (d *ConflictDialog) SetStyles(st Styles) { d.styles = st }
func (d *ConflictDialog) Typing() bool        { return false }
func (d *ConflictDialog) Keys() Help          { k := d.e.Keys.Conflict; return HelpOf(k.Mine, k.Theirs) }
