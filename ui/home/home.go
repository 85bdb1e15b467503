// Package home is the first screen: the workspace's assessments with their status, share
// answered and last change, and the dialogs that create, rename and delete them. Opening
// one asks the root model to show it; the list reloads when it closes.
package home

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/exchange"
)

// Model lists the workspace's assessments.
type Model struct {
	e       *common.Env
	list    []assessment.Assessment
	loaded  bool
	cursor  int
	offset  int
	width   int
	height  int
	styles  common.Styles
	version string
	done    completionMsg // share answered per assessment ID, once computed
	away    bool          // an assessment was opened; reload the list when it closes
	// lastFull is the last verify of the whole workspace on this computer (nil: none);
	// verifying is set while one runs from here.
	lastFull  *store.FullVerify
	verifying bool
}

// New is the home screen.
func New(e *common.Env) *Model {
	h := &Model{e: e}
	if e.Catalog != nil {
		h.version = e.Catalog.Version
	}
	return h
}

// Store work of the home screen, as commands.

type assessmentsMsg struct {
	list     []assessment.Assessment
	lastFull *store.FullVerify // read from the last-seen record in the command, not in Update
	err      error
}

func loadAssessments(ctx context.Context, s *store.Store) tea.Cmd {
	return func() tea.Msg {
		list, err := s.Assessments(ctx)
		return assessmentsMsg{list: list, lastFull: s.LastFullVerify(), err: err}
	}
}

// completionMsg carries each assessment's share of answered items, computed after the
// list is shown. store.Completion takes it from the Analysis, as the open assessment's
// heading does, and keeps it per assessment until the assessment changes, so showing the
// list again costs an index lookup per assessment rather than an analysis of each.
type completionMsg map[string]float64

func loadCompletion(ctx context.Context, s *store.Store, list []assessment.Assessment) tea.Cmd {
	return func() tea.Msg {
		ids := make([]string, len(list))
		for i, a := range list {
			ids[i] = a.ID
		}
		out, err := s.Completion(ctx, ids)
		if err != nil {
			return completionMsg{} // the list still shows; the column stays blank
		}
		return completionMsg(out)
	}
}

// verifiedMsg is the outcome of a full verify started from the list.
type verifiedMsg struct {
	res      store.VerifyResult
	lastFull *store.FullVerify
	err      error
}

// verifyAll checks the whole workspace, as `safeguard verify` does (the chain, every
// record of every assessment, every evidence blob): reports check only their own
// assessment, so this is where everything is checked from the TUI.
func verifyAll(ctx context.Context, s *store.Store) tea.Cmd {
	return func() tea.Msg {
		res, err := s.Verify(ctx)
		return verifiedMsg{res: res, lastFull: s.LastFullVerify(), err: err}
	}
}

// demoAddedMsg reports the sample assessment's ID so home can open it.
type demoAddedMsg struct {
	id  string
	err error
}

func addDemo(ctx context.Context, s *store.Store, cat *controls.Catalog) tea.Cmd {
	return func() tea.Msg {
		id, err := s.Import(ctx, assessment.Demo(cat, time.Now()), store.ImportOptions{NewIDs: true})
		return demoAddedMsg{id: id, err: err}
	}
}

// demoWorkspaceMsg carries the sample assessment's own workspace, opened.
type demoWorkspaceMsg struct {
	store *store.Store
	err   error
}

// closedMsg reports that the sample workspace was closed.
type closedMsg struct{ err error }

func (h *Model) Init() tea.Cmd { return h.reload() }

func (h *Model) reload() tea.Cmd { return loadAssessments(h.e.Ctx, h.e.Store) }

func (h *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case assessmentsMsg:
		if msg.err != nil {
			return h, common.Fail(msg.err)
		}
		h.list, h.loaded, h.lastFull = msg.list, true, msg.lastFull
		h.cursor = min(h.cursor, max(len(h.list)-1, 0))
		h.scroll()
		return h, loadCompletion(h.e.Ctx, h.e.Store, msg.list)
	case completionMsg:
		h.done = msg
	case common.ExternalChangeMsg:
		return h, h.reload()
	case verifiedMsg:
		h.verifying, h.lastFull = false, msg.lastFull
		switch {
		case msg.err != nil:
			return h, common.Fail(msg.err)
		case !msg.res.OK():
			return h, common.Fail(fmt.Errorf("verify found %s; the first: %s (run `safeguard verify` for the full list)",
				assessment.Plural(len(msg.res.Problems), "problem", "problems"), msg.res.Problems[0]))
		}
		return h, common.Notice(fmt.Sprintf("Verified the whole workspace: %s audit entries, %s records and %s evidence blobs matched.",
			assessment.FormatInt(int(msg.res.Entries)), assessment.FormatInt(msg.res.Records), assessment.FormatInt(msg.res.Blobs)))
	case common.SavedMsg:
		if msg.Err != nil {
			return h, tea.Batch(common.Fail(msg.Err), h.reload())
		}
		if msg.Created != "" {
			// A new assessment opens at once, in its setup.
			return h, tea.Batch(common.Notice(msg.Notice), h.open(msg.Created))
		}
		return h, tea.Batch(common.Notice(msg.Notice), h.reload())
	case common.ShownMsg:
		// Back on top: after an open assessment closed, or a screen that opened before the
		// list arrived (who is working) took the list's message.
		if h.away || !h.loaded {
			h.away = false
			return h, h.reload()
		}
	case demoAddedMsg:
		if msg.err != nil {
			return h, common.Fail(msg.err)
		}
		return h, tea.Batch(h.open(msg.id), common.Notice("Added the sample assessment."))
	case demoWorkspaceMsg:
		if msg.err != nil {
			return h, common.Fail(msg.err)
		}
		demo := New(h.e.For(msg.store, true))
		return h, tea.Sequence(common.Push(demo), common.Notice("This is the sample workspace: fictional data, kept apart from yours. esc goes back to your workspace."))
	case closedMsg:
		if msg.err != nil {
			return h, common.Fail(msg.err)
		}
	case tea.KeyPressMsg:
		return h, h.key(msg)
	case tea.MouseClickMsg:
		h.click(msg.Mouse())
	case tea.MouseWheelMsg:
		h.move(common.Wheel(msg))
	}
	return h, nil
}

// open asks the root to open an assessment; the list is reloaded when it closes.
func (h *Model) open(id string) tea.Cmd {
	h.away = true
	return common.Emit(common.OpenAssessmentMsg{ID: id, Env: h.e})
}

// Env is the environment of the workspace listed (the title bar names it).
func (h *Model) Env() *common.Env { return h.e }

// demo opens the sample assessment: in the sample workspace, the sample itself; else the
// sample's own workspace, so sample records never go into a client's workspace and its
// permanent audit trail. Without one (OpenDemo nil) it asks before adding the sample here.
func (h *Model) demo() tea.Cmd {
	switch {
	case h.e.Demo:
		if len(h.list) > 0 {
			return h.open(h.list[0].ID)
		}
		return addDemo(h.e.Ctx, h.e.Store, h.e.Catalog)
	case h.e.OpenDemo != nil:
		open, ctx, actor := h.e.OpenDemo, h.e.Ctx, h.e.Store.Actor()
		return func() tea.Msg {
			s, err := open()
			if err == nil {
				_, _ = s.SetActor(ctx, actor) // the sample lists no people: the same name works
			}
			return demoWorkspaceMsg{store: s, err: err}
		}
	}
	return common.Push(h.addDemoForm())
}

// addDemoForm asks before adding the fictional sample to this workspace.
func (h *Model) addDemoForm() common.Screen {
	var sure bool
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewConfirm().Title("Add the fictional sample assessment to this workspace?").
				Description("Its records go into this workspace and its audit trail for good. For a client's workspace, " +
					"look at the sample in a workspace of its own instead: safeguard --db sample.db demo").
				Affirmative("Add it here").Negative("Cancel").Value(&sure),
		))
	}
	submit := func() tea.Cmd {
		if !sure {
			return common.Emit(common.SavedMsg{Notice: "Nothing was added."})
		}
		ctx, s, cat := h.e.Ctx, h.e.Store, h.e.Catalog
		return func() tea.Msg {
			_, err := s.Import(ctx, assessment.Demo(cat, time.Now()), store.ImportOptions{NewIDs: true})
			return common.SavedMsg{Notice: "Added the sample assessment; it is in the list.", Err: err}
		}
	}
	return common.NewForm(h.e, "Sample assessment", build, submit)
}

func (h *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	nav, k := h.e.Keys.Nav, h.e.Keys.Home
	if d, ok := nav.Delta(msg, h.rowsVisible(), len(h.list)); ok {
		h.move(d)
		return nil
	}
	switch {
	case key.Matches(msg, k.New):
		return common.Push(h.newForm())
	case key.Matches(msg, k.Demo):
		return h.demo()
	case key.Matches(msg, h.e.Keys.Global.Back) && h.e.Demo:
		// Leave the sample workspace: back to the user's own, and close it.
		s := h.e.Store
		return tea.Sequence(common.Pop, func() tea.Msg { return closedMsg{s.Close()} })
	case key.Matches(msg, k.Verify):
		if h.verifying {
			return common.Notice("The verify is still running.")
		}
		h.verifying = true
		return tea.Batch(common.Notice("Verifying the whole workspace (the chain, every record, every evidence file)…"), verifyAll(h.e.Ctx, h.e.Store))
	case key.Matches(msg, k.Open):
		if a, ok := h.selected(); ok {
			return h.open(a.ID)
		}
	case key.Matches(msg, k.Rename):
		if a, ok := h.selected(); ok {
			return common.Push(h.renameForm(a))
		}
	case key.Matches(msg, k.Delete):
		if a, ok := h.selected(); ok {
			return common.Push(h.deleteForm(a))
		}
	case key.Matches(msg, h.e.Keys.Exchange.Backup):
		return common.Push(exchange.NewBackup(h.e))
	}
	return nil
}

func (h *Model) selected() (assessment.Assessment, bool) {
	if h.cursor < 0 || h.cursor >= len(h.list) {
		return assessment.Assessment{}, false
	}
	return h.list[h.cursor], true
}

func (h *Model) move(d int) {
	h.cursor = max(0, min(len(h.list)-1, h.cursor+d))
	h.scroll()
}

// headLines is the number of lines above the first row: the heading, a blank line and
// the column header.
const headLines = 3

// rowsVisible is how many list rows fit under the heading and column header.
func (h *Model) rowsVisible() int { return max(h.height-headLines-1, 1) }

func (h *Model) scroll() {
	n := h.rowsVisible()
	if h.cursor < h.offset {
		h.offset = h.cursor
	}
	if h.cursor >= h.offset+n {
		h.offset = h.cursor - n + 1
	}
}

// click selects the row under the mouse (y is relative to the screen's first line).
func (h *Model) click(m tea.Mouse) {
	row := m.Y - headLines + h.offset
	if m.Y >= headLines && row < len(h.list) && row < h.offset+h.rowsVisible() {
		h.cursor = row
	}
}

func (h *Model) newForm() common.Screen {
	// The title starts filled in (Enter keeps it, typing replaces it): shown as a
	// placeholder it looked like a value and Enter then said "the title is empty".
	org, title := "", fmt.Sprintf("%d HIPAA Security Rule risk analysis", time.Now().Year())
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewInput().Title("Organization").Description("The covered entity or business associate you are assessing.").
				Placeholder("e.g. Maple Family Practice").Value(&org).Validate(common.Name("organization name")),
			huh.NewInput().Title("Title").Description("How this assessment will be named on the report.").
				Value(&title).Validate(common.Name("title")),
		))
	}
	submit := func() tea.Cmd {
		ctx, s, n := h.e.Ctx, h.e.Store, store.NewAssessment{Title: title, Organization: org, CatalogVersion: h.version}
		return func() tea.Msg {
			a, err := s.CreateAssessment(ctx, n)
			return common.SavedMsg{Notice: "Created " + a.Title + ".", Err: err, Created: a.ID}
		}
	}
	return common.NewForm(h.e, "New assessment", build, submit)
}

func (h *Model) renameForm(a assessment.Assessment) common.Screen {
	title := a.Title
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewInput().Title("New title").Value(&title).Validate(common.Name("title")),
		))
	}
	submit := func() tea.Cmd {
		ctx, s := h.e.Ctx, h.e.Store
		return common.Mutate("Renamed to "+title+".", func() error { return s.RenameAssessment(ctx, a.ID, title) })
	}
	return common.NewForm(h.e, "Rename "+a.Title, build, submit)
}

func (h *Model) deleteForm(a assessment.Assessment) common.Screen {
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
			return common.Emit(common.SavedMsg{Notice: "Kept " + a.Title + "."})
		}
		ctx, s := h.e.Ctx, h.e.Store
		return common.Mutate("Deleted "+a.Title+".", func() error { return s.DeleteAssessment(ctx, a.ID) })
	}
	return common.NewForm(h.e, "Delete assessment", build, submit)
}

func (h *Model) View() string {
	s := h.styles
	var b strings.Builder
	where := "  " + assessment.FormatInt(len(h.list)) + " in this workspace"
	if h.e.Demo {
		where = "  in the sample workspace: fictional data; esc goes back to yours"
	}
	b.WriteString(s.Header.Render("Assessments") + s.Subtle.Render(where) + "\n")
	b.WriteString(common.Truncate(h.verifyLine(), max(h.width, 20)) + "\n")
	if !h.loaded {
		b.WriteString(s.Subtle.Render("Loading…"))
		return b.String()
	}
	if len(h.list) == 0 {
		text := "No assessments yet. Press n to start one: name the organization, then describe its systems and vendors and answer the Security Rule questions. " +
			"Or press o to look around a sample assessment first, in a workspace of its own (nothing is added here)."
		for _, l := range common.Wrap(text, max(h.width-2, 20)) {
			b.WriteString(l + "\n")
		}
		return b.String()
	}
	cols := h.columns()
	b.WriteString(s.Subtle.Render(h.row(cols, "TITLE", "ORGANIZATION", "STATUS", "DONE", "CHANGED")) + "\n")
	end := min(len(h.list), h.offset+h.rowsVisible())
	for i := h.offset; i < end; i++ {
		a := h.list[i]
		done := "…"
		if share, ok := h.done[a.ID]; ok {
			done = assessment.Percent(share)
		}
		changed := assessment.DocDate(a.UpdatedAt)
		if cols[4] >= len("Jan 02, 2006 15:04 UTC") {
			changed = assessment.DocTime(a.UpdatedAt)
		}
		line := h.row(cols, a.Title, a.Organization, a.Status.Label(), done, changed)
		if i == h.cursor {
			line = s.Selected.Render(line)
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// verifyLine says when the whole workspace was last verified on this computer and how to
// do it: reports verify only their own assessment.
func (h *Model) verifyLine() string {
	s := h.styles
	if h.verifying {
		return s.Subtle.Render("Verifying the whole workspace…")
	}
	f := h.lastFull
	if f == nil {
		return s.Subtle.Render("Whole workspace not verified on this computer yet · ") + s.Key.Render("V") + s.Subtle.Render(" verify it")
	}
	result := "passed"
	if f.Problems > 0 {
		result = "found " + assessment.Plural(f.Problems, "problem", "problems")
	}
	return s.Subtle.Render("Last full verify "+assessment.DocTime(f.At)+": "+result+" · ") + s.Key.Render("V") + s.Subtle.Render(" verify again")
}

// columns splits the width between title and organization; status, share answered and
// the date of the last change are fixed (the date gets its time of day from 100 columns).
func (h *Model) columns() [5]int {
	const status, done = 10, 4
	changed := 12
	if h.width >= 100 {
		changed = 22
	}
	rest := max(h.width-status-done-changed-9, 20) // 1 leading space and four 2-space gaps
	title := rest * 55 / 100
	return [5]int{title, rest - title, status, done, changed}
}

func (h *Model) row(cols [5]int, fields ...string) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = common.Fit(f, cols[i])
	}
	return " " + strings.Join(parts, "  ")
}

func (h *Model) SetSize(w, hgt int) {
	h.width, h.height = w, hgt
	h.scroll()
}

func (h *Model) SetStyles(s common.Styles) { h.styles = s }

func (h *Model) Typing() bool { return false }

func (h *Model) Keys() common.Help {
	g, nav, k := h.e.Keys.Global, h.e.Keys.Nav, h.e.Keys.Home
	if h.e.Demo {
		back := common.Relabel(g.Back, "esc", "back to your workspace")
		return common.Help{
			Short: []key.Binding{k.Open, back, g.Quit},
			Full:  [][]key.Binding{nav.All(), {k.Open, k.Rename}, {back, g.Help, g.Quit}},
		}
	}
	return common.Help{
		Short: []key.Binding{k.Open, k.New, k.Demo, k.Who, k.Delete, g.Quit},
		Full:  [][]key.Binding{nav.All(), {k.Open, k.New, k.Demo, k.Rename, k.Delete, k.Who, k.Verify, h.e.Keys.Exchange.Backup}, {g.Help, g.Quit}},
	}
}
