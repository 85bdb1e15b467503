package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/dashboard"
	"safeguard/ui/finalize"
	"safeguard/ui/incidents"
	"safeguard/ui/questions"
	"safeguard/ui/report"
	"safeguard/ui/risks"
	"safeguard/ui/setup"
)

// sections are the tabs of an open assessment, in their order: the one place the order is
// written. Adding a tab is adding its constructor here (see common.Section).
func sections(e *common.Env) []common.Section {
	return []common.Section{
		dashboard.New(e),
		questions.New(e),
		risks.New(e),
		setup.New(e),
		report.New(e),
		finalize.New(e),
		incidents.New(e),
	}
}

// shell is an open assessment: a heading and a tab bar over its sections. It loads the
// assessment, hands the data to the sections, and refreshes after every SavedMsg, so the
// sections always show what is committed.
//
// After a save it does not load the whole assessment again: store.Refresh re-reads only
// the records changed since the data was loaded (at 160 assets a whole load was 60 of the
// 93 ms from key to settled screen), and only the section on screen gets the new data at
// once; the others get it when they are shown (stale). A change by another process
// (common.ExternalChangeMsg) loads everything again.
type shell struct {
	e        *common.Env
	id       string
	data     *common.Data
	sections []common.Section
	stale    []bool // sections that have not had the latest data yet
	// refreshing is set while a refresh runs; again, when saves landed meanwhile: one more
	// refresh follows it, so a burst of saves costs two or three refreshes, not one each.
	// A refresh whose answer never came (a command dropped when the program quits) holds
	// no one up for longer than refreshWait.
	refreshing, again bool
	refreshAt         time.Time
	active            int
	width             int
	height            int
	styles            common.Styles
	// findFrom is the tab the question search was opened from (-1: none), so esc in the
	// search goes back there.
	findFrom int
}

func newShell(e *common.Env, id string) *shell {
	secs := sections(e)
	return &shell{e: e, id: id, sections: secs, stale: make([]bool, len(secs)), findFrom: -1}
}

// snapshotMsg carries a freshly loaded assessment. It is broadcast to every screen on the
// stack, so an open assessment under a dialog stays current.
type snapshotMsg struct {
	data    *common.Data
	err     error
	refresh bool // the answer to a refresh: data is nil when nothing changed
}

func (snapshotMsg) Broadcast() {}

// loadSnapshot loads and analyzes an assessment as of now.
func loadSnapshot(ctx context.Context, s *store.Store, id string) tea.Cmd {
	return func() tea.Msg {
		snap, err := s.Snapshot(ctx, id)
		if err != nil {
			return snapshotMsg{err: err}
		}
		return snapshotMsg{data: common.NewData(snap, time.Now())}
	}
}

func (sh *shell) Init() tea.Cmd { return sh.reload() }

func (sh *shell) reload() tea.Cmd { return loadSnapshot(sh.e.Ctx, sh.e.Store, sh.id) }

// refreshWait is how long a refresh may run before a save starts another beside it.
const refreshWait = 5 * time.Second

// refresh brings the data up to date after a save (store.Refresh); one at a time (see
// refreshing).
func (sh *shell) refresh() tea.Cmd {
	if sh.data == nil {
		return sh.reload()
	}
	if sh.refreshing && time.Since(sh.refreshAt) < refreshWait {
		sh.again = true
		return nil
	}
	sh.refreshing, sh.refreshAt = true, time.Now()
	ctx, s, prev := sh.e.Ctx, sh.e.Store, sh.data.Snap
	return func() tea.Msg {
		snap, _, err := s.Refresh(ctx, prev)
		if err != nil {
			return snapshotMsg{err: err, refresh: true}
		}
		if snap == prev {
			return snapshotMsg{refresh: true}
		}
		return snapshotMsg{data: common.NewData(snap, time.Now()), refresh: true}
	}
}

// setData hands d to the section on screen and marks the others to take it when shown.
func (sh *shell) setData(d *common.Data) {
	sh.data = d
	for i := range sh.sections {
		sh.stale[i] = i != sh.active
	}
	sh.cur().SetData(d)
}

// fresh gives section i the latest data if it has not had it.
func (sh *shell) fresh(i int) {
	if sh.stale[i] && sh.data != nil {
		sh.stale[i] = false
		sh.sections[i].SetData(sh.data)
	}
}

func (sh *shell) cur() common.Section { return sh.sections[sh.active] }

func (sh *shell) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case snapshotMsg:
		cmd := sh.takeSnapshot(msg)
		if msg.refresh {
			sh.refreshing = false
			if sh.again { // saves landed while it ran: bring those in too
				sh.again = false
				cmd = tea.Batch(cmd, sh.refresh())
			}
		}
		return sh, cmd
	case common.ExternalChangeMsg:
		return sh, sh.reload()
	case common.SavedMsg:
		switch {
		case msg.Conflict != nil:
			return sh, tea.Batch(common.Push(common.NewConflictDialog(sh.e, msg.Conflict)), sh.refresh())
		case msg.Err != nil:
			return sh, tea.Batch(common.Fail(msg.Err), sh.refresh())
		}
		var notice tea.Cmd
		if msg.Notice != "" {
			notice = common.Notice(msg.Notice)
		}
		return sh, tea.Batch(notice, sh.refresh())
	case common.GotoMsg:
		for i, s := range sh.sections {
			sh.fresh(i)
			if f, ok := s.(common.ItemFocuser); ok && f.FocusItem(msg) {
				sh.switchTo(i)
				return sh, nil
			}
		}
		if msg.RiskID != "" {
			return sh, common.Notice("That risk is not in the register's view.")
		}
		return sh, common.Notice("That item is not in the questionnaire's view.")
	case common.GotoFieldMsg:
		for i, s := range sh.sections {
			if f, ok := s.(common.FieldFocuser); ok {
				sh.fresh(i)
				if cmd, took := f.FocusField(msg); took {
					sh.switchTo(i)
					return sh, cmd
				}
			}
		}
		return sh, common.Notice("Fix this in the Setup tab (" + fieldPlace(msg.Field) + ").")
	case common.ShowSectionMsg:
		for i, s := range sh.sections {
			if s.Title() == msg.Title {
				sh.switchTo(i)
			}
		}
		return sh, nil
	case common.ShownMsg:
		return sh, nil
	case common.FindClosedMsg:
		if !msg.Found && sh.findFrom >= 0 {
			sh.switchTo(sh.findFrom)
		}
		sh.findFrom = -1
		return sh, nil
	case tea.KeyPressMsg:
		if cmd, done := sh.key(msg); done {
			return sh, cmd
		}
	case tea.MouseMsg:
		// The section starts under the heading, the tab bar and a blank line.
		return sh, sh.updateCur(common.OffsetMouse(msg, -sh.chromeHeight()))
	case common.Broadcaster:
		var cmds []tea.Cmd
		for i, s := range sh.sections {
			sec, cmd := s.Update(msg)
			sh.sections[i] = sec.(common.Section)
			cmds = append(cmds, cmd)
		}
		return sh, tea.Batch(cmds...)
	}
	return sh, sh.updateCur(msg)
}

// takeSnapshot shows newly loaded data (or the error that stopped it).
func (sh *shell) takeSnapshot(msg snapshotMsg) tea.Cmd {
	if msg.err != nil {
		return common.Fail(msg.err)
	}
	if msg.data == nil || msg.data.ID() != sh.id {
		return nil
	}
	if sh.data != nil && msg.data.Snap.Position < sh.data.Snap.Position {
		return nil // an older refresh that finished after a newer one
	}
	first := sh.data == nil
	sh.setData(msg.data)
	if first {
		// An assessment nothing has been described in yet opens where it is set up.
		for i, s := range sh.sections {
			if st, ok := s.(common.StartHere); ok && st.StartHere(msg.data) {
				sh.switchTo(i)
				break
			}
		}
	}
	return nil
}

func (sh *shell) updateCur(msg tea.Msg) tea.Cmd {
	sec, cmd := sh.cur().Update(msg)
	sh.sections[sh.active] = sec.(common.Section)
	return cmd
}

// key switches sections and leaves the assessment; everything else goes to the section.
func (sh *shell) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if sh.cur().Typing() {
		return nil, false
	}
	k := sh.e.Keys.Global
	switch {
	case key.Matches(msg, k.NextTab):
		sh.switchTo((sh.active + 1) % len(sh.sections))
		return nil, true
	case key.Matches(msg, k.PrevTab):
		sh.switchTo((sh.active + len(sh.sections) - 1) % len(sh.sections))
		return nil, true
	case key.Matches(msg, k.Back):
		if sh.cur().Back() {
			return nil, true
		}
		return common.Pop, true
	case key.Matches(msg, k.Tab):
		if i := int(msg.String()[0] - '1'); i < len(sh.sections) {
			sh.switchTo(i)
			return nil, true
		}
	case key.Matches(msg, sh.e.Keys.Questions.Find):
		if i, ok := sh.finder(); ok && i != sh.active {
			sh.findFrom = sh.active
			sh.switchTo(i)
			return sh.sections[i].(common.QuestionFinder).OpenFind(true), true
		}
	}
	return nil, false
}

// finder is the tab whose search / opens from the current one: the question search,
// unless the current tab searches its own records.
func (sh *shell) finder() (int, bool) {
	if own, ok := sh.cur().(common.OwnFinder); ok && own.OwnsFind() {
		return 0, false
	}
	for i, s := range sh.sections {
		if _, ok := s.(common.QuestionFinder); ok {
			return i, true
		}
	}
	return 0, false
}

func (sh *shell) switchTo(i int) {
	sh.active = i
	sh.fresh(i)
	sh.cur().SetSize(sh.width, sh.bodyHeight())
}

// chromeHeight is what the shell draws above a section: the heading, the tab bar and a
// blank line, measured.
func (sh *shell) chromeHeight() int {
	return lipgloss.Height(sh.heading()) + lipgloss.Height(sh.tabs()) + 1
}

func (sh *shell) bodyHeight() int { return max(sh.height-sh.chromeHeight(), 1) }

func (sh *shell) heading() string {
	if sh.data == nil {
		return sh.styles.Subtle.Render("Loading the assessment…")
	}
	a := sh.data.Snap.Assessment
	tail := " · " + a.Status.Label() + " · " + sh.data.Answered() + " answered"
	// Title and organization share what the status leaves, each cut with an ellipsis
	// rather than mid-word at the edge.
	room := max(sh.width-common.Width(tail)-3, 20)
	tw := min(common.Width(a.Title), max(room/2, room-common.Width(a.Organization)))
	head := sh.styles.Header.Render(common.Truncate(a.Title, tw)) +
		sh.styles.Subtle.Render(" · "+common.Truncate(a.Organization, room-tw)+" · ") +
		sh.styles.Status[a.Status].Render(a.Status.Label()) +
		sh.styles.Subtle.Render(" · "+sh.data.Answered()+" answered")
	return common.Truncate(head, sh.width)
}

func (sh *shell) View() string {
	if sh.data == nil {
		return sh.heading()
	}
	return lipgloss.JoinVertical(lipgloss.Left, sh.heading(), sh.tabs(), "", sh.cur().View())
}

func (sh *shell) tabs() string {
	parts := make([]string, len(sh.sections))
	for i, s := range sh.sections {
		label := fmt.Sprintf(" %d %s ", i+1, s.Title())
		if i == sh.active {
			parts[i] = sh.styles.Selected.Render(label)
		} else {
			parts[i] = sh.styles.Subtle.Render(label)
		}
	}
	return lipgloss.NewStyle().MaxWidth(sh.width).Render(strings.Join(parts, ""))
}

func (sh *shell) SetSize(w, h int) {
	sh.width, sh.height = w, h
	for _, s := range sh.sections {
		s.SetSize(w, sh.bodyHeight())
	}
}

func (sh *shell) SetStyles(st common.Styles) {
	sh.styles = st
	for _, s := range sh.sections {
		s.SetStyles(st)
	}
}

func (sh *shell) Typing() bool { return sh.cur().Typing() }

// Env is the environment of the assessment's workspace (the title bar names it).
func (sh *shell) Env() *common.Env { return sh.e }

func (sh *shell) Keys() common.Help {
	k := sh.e.Keys.Global
	inner := sh.cur().Keys()
	next := common.Relabel(k.NextTab, fmt.Sprintf("tab/1-%d", len(sh.sections)), "next section")
	short := append([]key.Binding{}, inner.Short...)
	shellKeys := []key.Binding{next, k.PrevTab, k.Back, k.Help, k.Quit}
	if i, ok := sh.finder(); ok && i != sh.active {
		find := common.Relabel(sh.e.Keys.Questions.Find, "/", "find a question")
		short = append(short, find)
		shellKeys = append([]key.Binding{find}, shellKeys...)
	}
	short = append(short, next, k.Back)
	full := append(append([][]key.Binding{}, inner.Full...), shellKeys)
	return common.Help{Short: short, Full: full}
}

// fieldPlace says where in Setup an assessment-level field is edited, for the notice shown
// when no section takes a GotoFieldMsg.
func fieldPlace(field string) string {
	switch field {
	case "scope", "period", "assessors", "review":
		return "the profile step"
	case "assets":
		return "the assets step"
	case "vendors", "vendor-baa":
		return "the vendors step"
	case "threats":
		return "the threat sources"
	}
	return field
}
