package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"safeguard/assessment"
)

func init() { registerSection(6, func(e *env) section { return newFinalise(e) }) }

var (
	finGo       = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go to the item"))
	finReview   = key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "draft ⇄ in review"))
	finSign     = key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sign off and lock"))
	finRevision = key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new revision"))
)

// finalise shows what blocks finalising, moves the assessment into review, signs it off
// and locks it, and starts next year's revision from a final one.
type finalise struct {
	e      *env
	data   *assessData
	cursor int // selected readiness item
	offset int
	width  int
	height int
	styles Styles
}

func newFinalise(e *env) *finalise { return &finalise{e: e} }

func (f *finalise) Title() string { return "Finalise" }
func (f *finalise) Init() tea.Cmd { return nil }
func (f *finalise) SetData(d *assessData) {
	f.data = d
	f.cursor = min(f.cursor, max(len(d.sum.Readiness)-1, 0))
}
func (f *finalise) SetSize(w, h int)   { f.width, f.height = w, h }
func (f *finalise) SetStyles(s Styles) { f.styles = s }
func (f *finalise) Typing() bool       { return false }
func (f *finalise) Back() bool         { return false }

func (f *finalise) Keys() helpKeys {
	k := f.e.keys
	return helpKeys{
		short: []key.Binding{finGo, finSign, finReview, finRevision},
		full:  [][]key.Binding{{finSign, finReview, finRevision}, {k.Up, k.Down, finGo}},
	}
}

func (f *finalise) Update(msg tea.Msg) (screen, tea.Cmd) {
	if f.data == nil {
		return f, nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return f, f.key(msg)
	case tea.MouseWheelMsg:
		f.scroll(map[bool]int{true: -1, false: 1}[msg.Mouse().Button == tea.MouseWheelUp])
	}
	return f, nil
}

func (f *finalise) key(msg tea.KeyPressMsg) tea.Cmd {
	k := f.e.keys
	a := f.data.snap.Assessment
	switch {
	case key.Matches(msg, k.Up):
		f.scroll(-1)
	case key.Matches(msg, k.Down):
		f.scroll(1)
	case key.Matches(msg, finGo):
		if items := f.data.sum.Readiness; f.cursor < len(items) {
			it := items[f.cursor]
			if it.QuestionID == "" && it.RiskID == "" {
				return notice("Resolve this one in Setup (tab 4): it concerns a vendor.")
			}
			return gotoItem(it)
		}
	case key.Matches(msg, finReview):
		if a.Status == assessment.StatusFinal {
			return notice("This assessment is final and locked; start a new revision (n) to change it.")
		}
		next := assessment.StatusInReview
		if a.Status == assessment.StatusInReview {
			next = assessment.StatusDraft
		}
		return mutate("Status is now "+next.Label()+".", func() error { return f.e.store.SetStatus(f.e.ctx, a.ID, next) })
	case key.Matches(msg, finSign):
		if a.Status == assessment.StatusFinal {
			return notice("This assessment is already final.")
		}
		if n := len(f.data.sum.Readiness); n > 0 {
			return notice(fmt.Sprintf("%d items still block finalising; resolve the list first.", n))
		}
		return push(f.signForm())
	case key.Matches(msg, finRevision):
		if a.Status != assessment.StatusFinal {
			return notice("Finalise this assessment first; a revision starts from a final one.")
		}
		return push(f.revisionForm())
	}
	return nil
}

func notice(s string) tea.Cmd { return func() tea.Msg { return noticeMsg(s) } }

// scroll moves the selection and keeps it on screen.
func (f *finalise) scroll(d int) {
	n := len(f.data.sum.Readiness)
	f.cursor = max(0, min(f.cursor+d, n-1))
	rows := max(f.height-4, 1)
	if f.cursor < f.offset {
		f.offset = f.cursor
	}
	if f.cursor >= f.offset+rows {
		f.offset = f.cursor - rows + 1
	}
}

func (f *finalise) signForm() screen {
	id := f.data.id()
	so := assessment.SignOff{Date: time.Now().Format(time.DateOnly), Statement: defaultStatement}
	if len(f.data.snap.Profile.Assessors) > 0 {
		so.Name = f.data.snap.Profile.Assessors[0]
	}
	var sure bool
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewInput().Title("Name").Value(&so.Name).Validate(validName("signer's name")),
			huh.NewInput().Title("Role").Placeholder("Security official").Value(&so.Role).Validate(validName("signer's role")),
			huh.NewInput().Title("Date").Description("YYYY-MM-DD").Value(&so.Date).Validate(requiredDate("sign-off date")),
			huh.NewText().Title("Statement").Value(&so.Statement).Validate(validName("sign-off statement")),
			huh.NewConfirm().Title("Lock the assessment?").
				Description("Finalising records the audit chain head and locks every answer. Later changes need a new revision.").
				Affirmative("Sign and lock").Negative("Not yet").Value(&sure),
		))
	}
	submit := func() tea.Cmd {
		if !sure {
			return func() tea.Msg { return savedMsg{notice: "Not finalised."} }
		}
		return mutate("Signed off and locked.", func() error { return f.e.store.Finalise(f.e.ctx, id, so, time.Now()) })
	}
	return newFormScreen(f.e, "Sign off", build, submit, func() tea.Cmd { return loadSnapshot(f.e.ctx, f.e.store, id) })
}

const defaultStatement = "I have reviewed this risk analysis. It reflects the organisation's safeguards, gaps and risks as assessed during the period stated, and the risk management plan has been accepted by management."

func requiredDate(what string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("the %s is empty; write it as YYYY-MM-DD", what)
		}
		return assessment.CheckDate(what, strings.TrimSpace(s))
	}
}

func (f *finalise) revisionForm() screen {
	src := f.data.snap.Assessment
	title := nextTitle(src.Title)
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewInput().Title("Title of the new revision").
				Description("Every answer is carried forward and marked to re-validate.").Value(&title).Validate(validName("title")),
		))
	}
	submit := func() tea.Cmd {
		return func() tea.Msg {
			id, err := f.e.store.NewRevision(f.e.ctx, src.ID, title)
			if err != nil {
				return savedMsg{err: err}
			}
			return savedMsg{notice: fmt.Sprintf("Started %s (%s); it is on the home screen.", title, id[:8])}
		}
	}
	return newFormScreen(f.e, "New revision", build, submit, func() tea.Cmd { return loadAssessments(f.e.ctx, f.e.store) })
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

func (f *finalise) View() string {
	if f.data == nil {
		return ""
	}
	s := f.styles
	a := f.data.snap.Assessment
	var b strings.Builder
	if so := f.data.snap.SignOff; a.Status == assessment.StatusFinal && so != nil {
		fmt.Fprintf(&b, "%s\n\n", s.Header.Render("Final and locked"))
		fmt.Fprintf(&b, "Signed by %s (%s) on %s.\n", so.Name, so.Role, so.Date)
		fmt.Fprintf(&b, "Audit chain head at sign-off: %s\n\n", so.ChainHead)
		b.WriteString(wordWrap(so.Statement, f.width-2) + "\n\n")
		b.WriteString(s.Subtle.Render("Press n to start next year's revision from this one."))
		return b.String()
	}
	items := f.data.sum.Readiness
	if len(items) == 0 {
		b.WriteString(s.Notice.Render("Ready to finalise: nothing blocks sign-off.") + "\n\n")
		b.WriteString("Press s to sign off and lock. The audit chain head is recorded with your signature,\n")
		b.WriteString("so the report shows exactly which history it covers.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "%s  %s\n\n", s.Header.Render("Readiness"), s.Subtle.Render(fmt.Sprintf("%d items block finalising (status: %s)", len(items), a.Status.Label())))
	rows := max(f.height-4, 1)
	end := min(len(items), f.offset+rows)
	for i, it := range items[f.offset:end] {
		line := " • " + truncate(it.Text, f.width-4)
		if f.offset+i == f.cursor {
			line = s.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	if end < len(items) {
		b.WriteString(s.Subtle.Render(fmt.Sprintf(" … %d more (↓ to scroll)", len(items)-end)))
	}
	return b.String()
}
