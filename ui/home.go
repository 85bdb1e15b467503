package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"safeguard/assessment"
	"safeguard/store"
)

// homeDemo adds the sample assessment and opens it.
var homeDemo = key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open the demo"))

// home lists the workspace's assessments.
type home struct {
	e       *env
	list    []assessment.Assessment
	loaded  bool
	cursor  int
	offset  int
	width   int
	height  int
	styles  Styles
	version string
	done    completionMsg // share answered per assessment ID, once computed
}

func newHome(e *env) *home {
	h := &home{e: e}
	if e.catalog != nil {
		h.version = e.catalog.Version
	}
	return h
}

func (h *home) Init() tea.Cmd { return loadAssessments(h.e.ctx, h.e.store) }

func (h *home) reload() tea.Cmd { return loadAssessments(h.e.ctx, h.e.store) }

func (h *home) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case assessmentsMsg:
		if msg.err != nil {
			return h, func() tea.Msg { return errMsg{msg.err} }
		}
		h.list, h.loaded = msg.list, true
		h.cursor = min(h.cursor, max(len(h.list)-1, 0))
		h.scroll()
		return h, loadCompletion(h.e.ctx, h.e.store, msg.list)
	case completionMsg:
		h.done = msg
	case demoAddedMsg:
		if msg.err != nil {
			return h, func() tea.Msg { return errMsg{msg.err} }
		}
		// Home reloads its list when the assessment is closed again.
		return h, tea.Batch(push(newShell(h.e, msg.id)), notice("Added the sample assessment."))
	case tea.KeyPressMsg:
		return h, h.key(msg)
	case tea.MouseClickMsg:
		h.click(msg.Mouse())
	case tea.MouseWheelMsg:
		if msg.Mouse().Button == tea.MouseWheelUp {
			h.move(-1)
		} else if msg.Mouse().Button == tea.MouseWheelDown {
			h.move(1)
		}
	}
	return h, nil
}

func (h *home) key(msg tea.KeyPressMsg) tea.Cmd {
	k := h.e.keys
	switch {
	case key.Matches(msg, k.Up):
		h.move(-1)
	case key.Matches(msg, k.Down):
		h.move(1)
	case key.Matches(msg, k.Top):
		h.move(-len(h.list))
	case key.Matches(msg, k.Bottom):
		h.move(len(h.list))
	case key.Matches(msg, k.New):
		return push(h.newForm())
	case key.Matches(msg, homeDemo):
		return addDemo(h.e.ctx, h.e.store, h.e.catalog)
	case key.Matches(msg, k.Open):
		if a, ok := h.selected(); ok {
			return push(newShell(h.e, a.ID))
		}
	case key.Matches(msg, k.Rename):
		if a, ok := h.selected(); ok {
			return push(h.renameForm(a))
		}
	case key.Matches(msg, k.Delete):
		if a, ok := h.selected(); ok {
			return push(h.deleteForm(a))
		}
	}
	return nil
}

func (h *home) selected() (assessment.Assessment, bool) {
	if h.cursor < 0 || h.cursor >= len(h.list) {
		return assessment.Assessment{}, false
	}
	return h.list[h.cursor], true
}

func (h *home) move(d int) {
	h.cursor = max(0, min(len(h.list)-1, h.cursor+d))
	h.scroll()
}

// rowsVisible is how many list rows fit under the heading and column header.
func (h *home) rowsVisible() int { return max(h.height-4, 1) }

func (h *home) scroll() {
	n := h.rowsVisible()
	if h.cursor < h.offset {
		h.offset = h.cursor
	}
	if h.cursor >= h.offset+n {
		h.offset = h.cursor - n + 1
	}
}

// click selects the row under the mouse. Row 0 of the screen is the app's title bar.
func (h *home) click(m tea.Mouse) {
	row := m.Y - 1 - 4 + h.offset
	if row >= 0 && row < len(h.list) {
		h.cursor = row
	}
}

func (h *home) newForm() screen {
	var title, org string
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewInput().Title("Organisation").Description("The covered entity or business associate you are assessing.").
				Placeholder("Maple Family Practice").Value(&org).Validate(validName("organisation name")),
			huh.NewInput().Title("Title").Description("How this assessment will be named on the report.").
				Placeholder(fmt.Sprintf("%d HIPAA Security Rule risk analysis", time.Now().Year())).Value(&title).Validate(validName("title")),
		))
	}
	submit := func() tea.Cmd {
		return createAssessment(h.e.ctx, h.e.store, store.NewAssessment{Title: title, Organization: org, CatalogVersion: h.version})
	}
	return newFormScreen(h.e, "New assessment", build, submit, h.reload)
}

func (h *home) renameForm(a assessment.Assessment) screen {
	title := a.Title
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewInput().Title("New title").Value(&title).Validate(validName("title")),
		))
	}
	submit := func() tea.Cmd { return renameAssessment(h.e.ctx, h.e.store, a.ID, title) }
	return newFormScreen(h.e, "Rename "+a.Title, build, submit, h.reload)
}

func (h *home) deleteForm(a assessment.Assessment) screen {
	var sure bool
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewConfirm().Title(fmt.Sprintf("Delete %q of %s?", a.Title, a.Organization)).
				Description("Every answer, risk and evidence link in it goes too. The audit trail keeps the history.").
				Affirmative("Delete").Negative("Keep").Value(&sure),
		))
	}
	submit := func() tea.Cmd {
		if !sure {
			return func() tea.Msg { return savedMsg{notice: "Kept " + a.Title + "."} }
		}
		return deleteAssessment(h.e.ctx, h.e.store, a)
	}
	return newFormScreen(h.e, "Delete assessment", build, submit, h.reload)
}

func validName(what string) func(string) error {
	return func(s string) error {
		_, err := assessment.CleanName(what, s)
		return err
	}
}

func (h *home) View() string {
	s := h.styles
	var b strings.Builder
	b.WriteString(s.Header.Render("Assessments") + s.Subtle.Render(fmt.Sprintf("  %d in this workspace", len(h.list))) + "\n\n")
	if !h.loaded {
		b.WriteString(s.Subtle.Render("Loading…"))
		return b.String()
	}
	if len(h.list) == 0 {
		b.WriteString("No assessments yet. Press " + s.Key.Render("n") + " to start one: name the organisation,\n")
		b.WriteString("then describe its systems and vendors and answer the Security Rule questions.\n")
		b.WriteString("Or press " + s.Key.Render("o") + " to open a sample assessment and look around first.\n")
		return b.String()
	}
	cols := h.columns()
	b.WriteString(s.Subtle.Render(h.row(cols, "TITLE", "ORGANISATION", "STATUS", "DONE", "CHANGED")) + "\n")
	end := min(len(h.list), h.offset+h.rowsVisible())
	for i := h.offset; i < end; i++ {
		a := h.list[i]
		done := "…"
		if share, ok := h.done[a.ID]; ok {
			done = fmt.Sprintf("%.0f%%", 100*share)
		}
		line := h.row(cols, a.Title, a.Organization, a.Status.Label(), done, a.UpdatedAt.Local().Format("2006-01-02 15:04"))
		if i == h.cursor {
			line = s.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// columns splits the width between title and organisation; status, share answered and
// date are fixed.
func (h *home) columns() [5]int {
	const status, done, changed = 10, 4, 16
	rest := max(h.width-status-done-changed-9, 20) // 1 leading space and four 2-space gaps
	title := rest * 55 / 100
	return [5]int{title, rest - title, status, done, changed}
}

func (h *home) row(cols [5]int, fields ...string) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = lipgloss.NewStyle().Width(cols[i]).MaxWidth(cols[i]).Render(truncate(f, cols[i]))
	}
	return " " + strings.Join(parts, "  ")
}

func (h *home) SetSize(w, hgt int) {
	h.width, h.height = w, hgt
	h.scroll()
}

func (h *home) SetStyles(s Styles) { h.styles = s }

func (h *home) Typing() bool { return false }

func (h *home) Keys() helpKeys {
	k := h.e.keys
	return helpKeys{
		short: []key.Binding{k.Open, k.New, homeDemo, k.Delete, k.Help, k.Quit},
		full:  [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Open, k.New, homeDemo, k.Rename, k.Delete}, {k.Back, k.Help, k.Quit}},
	}
}
