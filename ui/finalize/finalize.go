// Package finalize is the tab that takes an assessment to sign-off: what still blocks it
// (enter goes to the item), draft ⇄ in review, signing off and locking, and starting next
// year's revision from a final assessment.
package finalize

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// Model shows what blocks finalizing, moves the assessment into review, signs it off and
// locks it, and starts next year's revision from a final one.
type Model struct {
	e      *common.Env
	data   *common.Data
	items  []assessment.ReadinessItem // in group order
	groups []assessment.ReadinessGroup
	cursor int // selected readiness item (index into items)
	offset int // first line shown
	width  int
	height int
	styles common.Styles
}

// New is the Finalize tab.
func New(e *common.Env) *Model { return &Model{e: e} }

func (f *Model) Title() string { return "Finalize" }
func (f *Model) Init() tea.Cmd { return nil }
func (f *Model) SetData(d *common.Data) {
	f.data = d
	f.groups = d.Summary.ReadinessGroups()
	f.items = f.items[:0]
	for _, g := range f.groups {
		f.items = append(f.items, g.Items...)
	}
	f.cursor = min(f.cursor, max(len(f.items)-1, 0))
}
func (f *Model) SetSize(w, h int)          { f.width, f.height = w, h }
func (f *Model) SetStyles(s common.Styles) { f.styles = s }
func (f *Model) Typing() bool              { return false }
func (f *Model) Back() bool                { return false }

func (f *Model) Keys() common.Help {
	nav, k := f.e.Keys.Nav, f.e.Keys.Finalize
	return common.Help{
		Short: []key.Binding{k.Go, k.Sign, k.Review, k.Revision},
		Full:  [][]key.Binding{{k.Sign, k.Review, k.Revision}, append(nav.All(), k.Go)},
	}
}

func (f *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	if f.data == nil {
		return f, nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return f, f.key(msg)
	case tea.MouseWheelMsg:
		f.scroll(common.Wheel(msg))
	}
	return f, nil
}

func (f *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	nav, k := f.e.Keys.Nav, f.e.Keys.Finalize
	a := f.data.Snap.Assessment
	if d, ok := nav.Delta(msg, max(f.rows()/2, 1), len(f.items)); ok {
		f.scroll(d)
		return nil
	}
	switch {
	case key.Matches(msg, k.Go):
		if f.cursor < len(f.items) {
			return common.Goto(f.items[f.cursor])
		}
	case key.Matches(msg, k.Review):
		if a.Status == assessment.StatusFinal {
			return common.Notice("This assessment is final and locked; start a new revision (" + k.Revision.Help().Key + ") to change it.")
		}
		next := assessment.StatusInReview
		if a.Status == assessment.StatusInReview {
			next = assessment.StatusDraft
		}
		ctx, st := f.e.Ctx, f.e.Store
		return common.Mutate("Status is now "+next.Label()+".", func() error { return st.SetStatus(ctx, a.ID, next) })
	case key.Matches(msg, k.Sign):
		if a.Status == assessment.StatusFinal {
			return common.Notice("This assessment is already final.")
		}
		if n := len(f.data.Summary.Readiness); n > 0 {
			return common.Notice(assessment.Plural(n, "item still blocks", "items still block") + " finalizing; resolve the list first.")
		}
		return common.Push(f.signForm())
	case key.Matches(msg, k.Revision):
		if a.Status != assessment.StatusFinal {
			return common.Notice("Finalize this assessment first; a revision starts from a final one.")
		}
		return common.Push(f.revisionForm())
	}
	return nil
}

// rows is how many lines of the list fit under the heading.
func (f *Model) rows() int { return max(f.height-3, 1) }

// scroll moves the selection; View keeps it on screen.
func (f *Model) scroll(d int) {
	f.cursor = max(0, min(f.cursor+d, len(f.items)-1))
}

func (f *Model) signForm() common.Screen {
	id := f.data.ID()
	lastWork := f.data.Snap.Assessment.UpdatedAt
	so := assessment.SignOff{Date: time.Now().Format(time.DateOnly), Statement: defaultStatement}
	if len(f.data.Snap.Profile.Assessors) > 0 {
		so.Name = f.data.Snap.Profile.Assessors[0]
	}
	if p := f.e.Person(); p.Name != "" {
		// The person working signs: the workspace's people name them and their role.
		so.Name, so.Role = p.Name, p.Role
	}
	var ap assessment.Approver
	var sure bool
	statement := func(s string) error { return assessment.CheckStatement(s) }
	build := func() *huh.Form {
		return huh.NewForm(
			huh.NewGroup(
				huh.NewInput().Title("Name").Value(&so.Name).Validate(common.Name("signer's name")),
				huh.NewInput().Title("Role").Placeholder("Security official").Value(&so.Role).Validate(common.Name("signer's role")),
				huh.NewInput().Title("Date").Description("YYYY-MM-DD; not before the last recorded work ("+assessment.DocDate(lastWork)+") nor after today").
					Value(&so.Date).Validate(common.Date("sign-off date", true)),
				huh.NewText().Title("Statement").Description(fmt.Sprintf("A sentence of at least %d words, ending with a full stop.", assessment.MinStatementWords)).
					Value(&so.Statement).Validate(statement),
			),
			huh.NewGroup(
				huh.NewInput().Title("Approver's name (optional)").Description("Management's approval, separate from the signer: the practice owner, say. Leave empty for none.").Value(&ap.Name),
				huh.NewInput().Title("Approver's role").Value(&ap.Role),
				huh.NewInput().Title("Approval date").Description("YYYY-MM-DD").Value(&ap.Date),
				huh.NewConfirm().Title("Lock the assessment?").
					Description("Signing off records the audit chain head and locks every answer. Later changes need a new revision.").
					Affirmative("Sign and lock").Negative("Not yet").Value(&sure),
			),
		)
	}
	submit := func() tea.Cmd {
		if !sure {
			return common.Emit(common.SavedMsg{Notice: "Not signed off."})
		}
		sign := so
		if strings.TrimSpace(ap.Name+ap.Role+ap.Date) != "" {
			a := ap
			sign.Approver = &a
		}
		ctx, st := f.e.Ctx, f.e.Store
		return common.Mutate("Signed off and locked.", func() error {
			now := time.Now()
			if err := assessment.CheckSignOff(sign, lastWork, now); err != nil {
				return err
			}
			return st.Finalise(ctx, id, sign, now)
		})
	}
	return common.NewForm(f.e, "Sign off", build, submit)
}

const defaultStatement = "I have reviewed this risk analysis. It reflects the organization's safeguards, gaps and risks as assessed during the period stated, and the risk management plan has been accepted by management."

func (f *Model) revisionForm() common.Screen {
	src := f.data.Snap.Assessment
	title := nextTitle(src.Title)
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewInput().Title("Title of the new revision").
				Description("Every answer is carried forward and marked to re-validate.").Value(&title).Validate(common.Name("title")),
		))
	}
	submit := func() tea.Cmd {
		ctx, st := f.e.Ctx, f.e.Store
		return func() tea.Msg {
			id, err := st.NewRevision(ctx, src.ID, title)
			if err != nil {
				return common.SavedMsg{Err: err}
			}
			return common.SavedMsg{Notice: fmt.Sprintf("Started %s (%s); it is on the home screen.", title, id[:8])}
		}
	}
	return common.NewForm(f.e, "New revision", build, submit)
}

// nextTitle proposes next year's title: the first four-digit year in the title, plus one.
func nextTitle(t string) string {
	for i := 0; i+4 <= len(t); i++ {
		var y int
		if _, err := fmt.Sscanf(t[i:i+4], "%4d", &y); err == nil && y > 1990 && y < 3000 {
			return t[:i] + fmt.Sprint(y+1) + t[i+4:]
		}
	}
	return t + " (revision)"
}

func (f *Model) View() string {
	if f.data == nil {
		return ""
	}
	s := f.styles
	k := f.e.Keys.Finalize
	a := f.data.Snap.Assessment
	w := max(f.width, 20)
	var b strings.Builder
	if so := f.data.Snap.SignOff; a.Status == assessment.StatusFinal && so != nil {
		fmt.Fprintf(&b, "%s\n\n", s.Header.Render("Final and locked"))
		fmt.Fprintf(&b, "Signed by %s (%s), dated %s.\n", so.Name, so.Role, assessment.DocDay(so.Date))
		if !so.RecordedAt.IsZero() {
			fmt.Fprintf(&b, "Recorded in the audit trail %s.\n", assessment.DocTime(so.RecordedAt))
		}
		if ap := so.Approver; ap != nil {
			fmt.Fprintf(&b, "Approved by %s (%s), dated %s.\n", ap.Name, ap.Role, assessment.DocDay(ap.Date))
		} else {
			b.WriteString(s.Subtle.Render("No separate management approval is recorded.") + "\n")
		}
		switch {
		case so.Seal != nil:
			fmt.Fprintf(&b, "Sealed audit chain head: %s\n", common.Truncate(so.Seal.Anchor(), w-26))
		case so.ChainHead != "":
			fmt.Fprintf(&b, "Audit chain head at sign-off: %s\n", common.Truncate(so.ChainHead, w-30))
		}
		b.WriteString("\n" + strings.Join(common.Wrap(so.Statement, w-2), "\n") + "\n\n")
		b.WriteString(s.Subtle.Render("Press " + k.Revision.Help().Key + " to start next year's revision from this one."))
		return b.String()
	}
	if len(f.items) == 0 {
		b.WriteString(s.Notice.Render("Ready to sign off: nothing blocks it.") + "\n\n")
		b.WriteString(strings.Join(common.Wrap("Press "+k.Sign.Help().Key+" to sign off and lock. The date may not be before the last recorded work nor after today, the statement must be a sentence, and an approver other than you may be named; the audit chain head is sealed with your sign-off, so the report shows exactly which history it covers.", w-2), "\n") + "\n")
		return b.String()
	}
	// The heading says what blocks and how much; the key hint follows only where it fits
	// whole (the help bar names enter too), so nothing is cut at 80 columns.
	facts := fmt.Sprintf("  %s in %s · status %s", assessment.Plural(len(f.items), "item", "items"),
		assessment.Plural(len(f.groups), "group", "groups"), a.Status.Label())
	if hint := " · enter goes to each"; lipgloss.Width("Before you can sign off"+facts+hint) <= w {
		facts += hint
	}
	head := s.Header.Render("Before you can sign off") + s.Subtle.Render(facts)
	b.WriteString(common.Truncate(head, w) + "\n\n")
	// lay out every line, then show the window around the selection
	var lines []string
	selLine, selEnd := 0, 0
	i := 0
	for _, g := range f.groups {
		lines = append(lines, common.Truncate(s.Header.Render(fmt.Sprintf("%5s  ", assessment.FormatInt(len(g.Items))))+s.Header.Render(g.Title), w))
		for _, it := range g.Items {
			if i == f.cursor {
				// The selected item reads whole, wrapped, with its question.
				selLine = len(lines)
				for _, l := range common.Hang("     ▸ ", it.Text, w) {
					lines = append(lines, s.Selected.Render(common.Fit(l, w)))
				}
				if it.QuestionText != "" {
					for _, l := range common.Hang("         ", it.QuestionText, w) {
						lines = append(lines, s.Subtle.Render(l))
					}
				}
				selEnd = len(lines) - 1
				i++
				continue
			}
			lines = append(lines, "       "+common.Truncate(it.Text, w-8))
			if it.QuestionText != "" {
				lines = append(lines, s.Subtle.Render(common.Truncate("         "+it.QuestionText, w)))
			}
			i++
		}
	}
	h := f.rows()
	if selEnd >= f.offset+h-1 {
		f.offset = selEnd - h + 2
	}
	if selLine < f.offset {
		f.offset = selLine
	}
	f.offset = max(0, min(f.offset, max(len(lines)-h, 0)))
	end := min(len(lines), f.offset+h)
	b.WriteString(strings.Join(lines[f.offset:end], "\n"))
	if end < len(lines) {
		b.WriteString("\n" + s.Subtle.Render(fmt.Sprintf(" … %s more lines (↓ to scroll)", assessment.FormatInt(len(lines)-end))))
	}
	return b.String()
}
