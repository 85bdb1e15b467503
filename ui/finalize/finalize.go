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

	"safeguard/assessment"
	"safeguard/ui/common"
)

// Model shows what blocks finalizing, moves the assessment into review, signs it off and
// locks it, and starts next year's revision from a final one.
type Model struct {
	e      *common.Env
	data   *common.Data
	cursor int // selected readiness item
	offset int
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
	f.cursor = min(f.cursor, max(len(d.Summary.Readiness)-1, 0))
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
	if d, ok := nav.Delta(msg, f.rows(), len(f.data.Summary.Readiness)); ok {
		f.scroll(d)
		return nil
	}
	switch {
	case key.Matches(msg, k.Go):
		if items := f.data.Summary.Readiness; f.cursor < len(items) {
			it := items[f.cursor]
			if it.QuestionID == "" && it.RiskID == "" {
				return common.Notice("Resolve this one in the Setup tab: it concerns a vendor.")
			}
			return common.Goto(it)
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

// rows is how many readiness items fit under the heading.
func (f *Model) rows() int { return max(f.height-4, 1) }

// scroll moves the selection and keeps it on screen.
func (f *Model) scroll(d int) {
	n := len(f.data.Summary.Readiness)
	f.cursor = max(0, min(f.cursor+d, n-1))
	if f.cursor < f.offset {
		f.offset = f.cursor
	}
	if f.cursor >= f.offset+f.rows() {
		f.offset = f.cursor - f.rows() + 1
	}
}

func (f *Model) signForm() common.Screen {
	id := f.data.ID()
	so := assessment.SignOff{Date: time.Now().Format(time.DateOnly), Statement: defaultStatement}
	if len(f.data.Snap.Profile.Assessors) > 0 {
		so.Name = f.data.Snap.Profile.Assessors[0]
	}
	if p := f.e.Person(); p.Name != "" {
		// The person working signs: the workspace's people name them and their role.
		so.Name, so.Role = p.Name, p.Role
	}
	var sure bool
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewInput().Title("Name").Value(&so.Name).Validate(common.Name("signer's name")),
			huh.NewInput().Title("Role").Placeholder("for example Security official").Value(&so.Role).Validate(common.Name("signer's role")),
			huh.NewInput().Title("Date").Description("YYYY-MM-DD").Value(&so.Date).Validate(common.Date("sign-off date", true)),
			huh.NewText().Title("Statement").Value(&so.Statement).Validate(common.Name("sign-off statement")),
			huh.NewConfirm().Title("Lock the assessment?").
				Description("Finalizing records the audit chain head and locks every answer. Later changes need a new revision.").
				Affirmative("Sign and lock").Negative("Not yet").Value(&sure),
		))
	}
	submit := func() tea.Cmd {
		if !sure {
			return common.Emit(common.SavedMsg{Notice: "Not finalized."})
		}
		ctx, st := f.e.Ctx, f.e.Store
		return common.Mutate("Signed off and locked.", func() error { return st.Finalise(ctx, id, so, time.Now()) })
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
	var b strings.Builder
	if so := f.data.Snap.SignOff; a.Status == assessment.StatusFinal && so != nil {
		fmt.Fprintf(&b, "%s\n\n", s.Header.Render("Final and locked"))
		fmt.Fprintf(&b, "Signed by %s (%s) on %s.\n", so.Name, so.Role, assessment.DocDay(so.Date))
		fmt.Fprintf(&b, "Audit chain head at sign-off: %s\n\n", so.ChainHead)
		b.WriteString(strings.Join(common.Wrap(so.Statement, f.width-2), "\n") + "\n\n")
		b.WriteString(s.Subtle.Render("Press " + k.Revision.Help().Key + " to start next year's revision from this one."))
		return b.String()
	}
	items := f.data.Summary.Readiness
	if len(items) == 0 {
		b.WriteString(s.Notice.Render("Ready to finalize: nothing blocks sign-off.") + "\n\n")
		b.WriteString("Press " + k.Sign.Help().Key + " to sign off and lock. The audit chain head is recorded with your signature,\n")
		b.WriteString("so the report shows exactly which history it covers.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "%s  %s\n\n", s.Header.Render("Readiness"),
		s.Subtle.Render(assessment.Plural(len(items), "item blocks", "items block")+" finalizing (status: "+a.Status.Label()+")"))
	// The selected item is shown whole, wrapped; the others take one line each.
	var sel []string
	if f.cursor < len(items) {
		sel = common.Hang(" • ", items[f.cursor].Text, max(f.width-1, 20))
	}
	n := max(f.rows()-max(len(sel)-1, 0), 1)
	start := f.offset
	if f.cursor >= start+n {
		start = f.cursor - n + 1
	}
	end := min(len(items), start+n)
	for i, it := range items[start:end] {
		if start+i == f.cursor {
			for _, l := range sel {
				b.WriteString(s.Selected.Render(common.Fit(l, max(f.width-1, 20))) + "\n")
			}
			continue
		}
		b.WriteString(" • " + common.Truncate(it.Text, f.width-4) + "\n")
	}
	if end < len(items) {
		b.WriteString(s.Subtle.Render(fmt.Sprintf(" … %s more (↓ to scroll)", assessment.FormatInt(len(items)-end))))
	}
	return b.String()
}
