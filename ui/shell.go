package ui

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// section is one tab of an open assessment (dashboard, questions, risks, …). Sections get
// the shared data after every reload; their changes go through commands that return a
// savedMsg, after which the shell reloads.
type section interface {
	screen
	Title() string
	SetData(d *assessData)
	// Back handles esc inside the section (closing a pane or clearing a filter) and
	// reports whether it did; otherwise esc leaves the assessment.
	Back() bool
}

// shell is an open assessment: a tab bar over its sections.
type shell struct {
	e        *env
	id       string
	data     *assessData
	sections []section
	active   int
	width    int
	height   int
	styles   Styles
}

// sectionMaker builds one section; order places its tab.
type sectionMaker struct {
	order int
	make  func(*env) section
}

// sectionMakers are registered by each section's file from init, so sections stay in
// their own files: 1 dashboard, 2 questions, 3 risks, 4 setup, 5 report, 6 finalise.
var sectionMakers []sectionMaker

func registerSection(order int, mk func(*env) section) {
	sectionMakers = append(sectionMakers, sectionMaker{order, mk})
	sort.SliceStable(sectionMakers, func(i, j int) bool { return sectionMakers[i].order < sectionMakers[j].order })
}

func newShell(e *env, id string) *shell {
	sh := &shell{e: e, id: id}
	for _, m := range sectionMakers {
		sh.sections = append(sh.sections, m.make(e))
	}
	return sh
}

func (sh *shell) Init() tea.Cmd { return sh.reload() }

func (sh *shell) reload() tea.Cmd { return loadSnapshot(sh.e.ctx, sh.e.store, sh.id) }

func (sh *shell) cur() section { return sh.sections[sh.active] }

func (sh *shell) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case snapshotMsg:
		if msg.err != nil {
			return sh, func() tea.Msg { return errMsg{msg.err} }
		}
		if msg.data.id() != sh.id {
			return sh, nil
		}
		sh.data = msg.data
		for _, s := range sh.sections {
			s.SetData(msg.data)
		}
		return sh, nil
	case savedMsg:
		if msg.err != nil {
			return sh, tea.Batch(func() tea.Msg { return errMsg{msg.err} }, sh.reload())
		}
		var notice tea.Cmd
		if msg.notice != "" {
			notice = func() tea.Msg { return noticeMsg(msg.notice) }
		}
		return sh, tea.Batch(notice, sh.reload())
	case gotoMsg:
		for i, s := range sh.sections {
			if f, ok := s.(itemFocuser); ok && f.focusItem(msg) {
				sh.switchTo(i)
				return sh, nil
			}
		}
		return sh, notice("That item is not in the questionnaire's view.")
	case tea.KeyPressMsg:
		if cmd, done := sh.key(msg); done {
			return sh, cmd
		}
	case broadcaster:
		var cmds []tea.Cmd
		for i, s := range sh.sections {
			sec, cmd := s.Update(msg)
			sh.sections[i] = sec.(section)
			cmds = append(cmds, cmd)
		}
		return sh, tea.Batch(cmds...)
	}
	sec, cmd := sh.cur().Update(msg)
	sh.sections[sh.active] = sec.(section)
	return sh, cmd
}

// key switches sections and leaves the assessment; everything else goes to the section.
func (sh *shell) key(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if sh.cur().Typing() {
		return nil, false
	}
	k := sh.e.keys
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
		return tea.Sequence(pop, loadAssessments(sh.e.ctx, sh.e.store)), true
	}
	if s := msg.String(); len(s) == 1 && s[0] >= '1' && int(s[0]-'1') < len(sh.sections) {
		sh.switchTo(int(s[0] - '1'))
		return nil, true
	}
	return nil, false
}

func (sh *shell) switchTo(i int) {
	sh.active = i
	sh.cur().SetSize(sh.width, sh.bodyHeight())
}

func (sh *shell) bodyHeight() int { return max(sh.height-3, 1) }

func (sh *shell) View() string {
	if sh.data == nil {
		return sh.styles.Subtle.Render("Loading the assessment…")
	}
	a := sh.data.snap.Assessment
	head := sh.styles.Header.Render(truncate(a.Title, max(sh.width/3, 20))) + sh.styles.Subtle.Render(" · "+a.Organization+" · ") +
		sh.styles.Status[string(a.Status)].Render(a.Status.Label()) +
		sh.styles.Subtle.Render(fmt.Sprintf(" · %.0f%% answered", 100*sh.data.sum.Overall.Completion()))
	return lipgloss.JoinVertical(lipgloss.Left, lipgloss.NewStyle().MaxWidth(sh.width).Render(head), sh.tabs(), "", sh.cur().View())
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

func (sh *shell) SetStyles(st Styles) {
	sh.styles = st
	for _, s := range sh.sections {
		s.SetStyles(st)
	}
}

func (sh *shell) Typing() bool { return sh.cur().Typing() }

func (sh *shell) Keys() helpKeys {
	k := sh.e.keys
	inner := sh.cur().Keys()
	short := append(append([]key.Binding{}, inner.short...), k.NextTab, k.Back)
	full := append(append([][]key.Binding{}, inner.full...), []key.Binding{k.NextTab, k.PrevTab, k.Back, k.Help, k.Quit})
	return helpKeys{short: short, full: full}
}
