// Package ui is safeguard's terminal interface on Bubble Tea v2: the root model, which
// owns a stack of screens (the home list, an open assessment, dialogs), the help bar, the
// key overlay and the status line; the shell, which shows an open assessment's sections
// as tabs; and the question of who is working. What the screens share is in ui/common;
// each section of an open assessment has its own package, and the accessible,
// line-by-line mode is ui/accessible. Store and report work run as tea.Cmds that return
// typed messages; Update never does I/O.
package ui

import (
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/home"
)

// Minimum terminal size; below it the app asks to be enlarged instead of drawing a broken
// layout.
const (
	minWidth  = 80
	minHeight = 24
)

// maxStatusLines bounds the status line: a long notice wraps to at most this many lines.
const maxStatusLines = 3

// Options configure the TUI.
type Options struct {
	Store      *store.Store
	Catalog    *controls.Catalog
	Accessible bool
	// OpenDemo opens the sample assessment's own workspace (see common.Env.OpenDemo).
	OpenDemo func() (*store.Store, error)
}

// App is the root model.
type App struct {
	env     *common.Env
	styles  common.Styles
	stack   []common.Screen
	width   int
	height  int
	err     error
	notice  string
	people  []store.Person
	helpOn  bool // the key overlay is open
	helpOff int  // its scroll
	// where names the workspace in the title bar (home folder shortened to ~); "" takes
	// the top screen's workspace.
	where string
	// pollEvery is how often the root asks the store whether another process changed
	// the workspace (store.Changed); 0 does not poll.
	pollEvery time.Duration
}

// pollInterval is how often the TUI checks for changes by other processes: one PRAGMA
// data_version, well under 1% of a core (BenchmarkChanged).
const pollInterval = time.Second

// changeCheckMsg is one poll's answer.
type changeCheckMsg struct{ changed bool }

// pollChanges waits pollEvery, then asks the store (in the command, not in Update).
func (a *App) pollChanges() tea.Cmd {
	if a.pollEvery <= 0 {
		return nil
	}
	ctx, s := a.env.Ctx, a.env.Store
	return tea.Tick(a.pollEvery, func(time.Time) tea.Msg {
		changed, err := s.Changed(ctx)
		return changeCheckMsg{changed: changed && err == nil}
	})
}

// newApp builds the root model on the home screen.
func newApp(ctx context.Context, opts Options) *App {
	e := common.NewEnv(ctx, opts.Store, opts.Catalog)
	e.OpenDemo = opts.OpenDemo
	a := &App{env: e, width: minWidth, height: minHeight, pollEvery: pollInterval}
	a.stack = []common.Screen{home.New(e)}
	a.applyStyles(common.NewStyles(true, e.Plain))
	// The starting point of the change polls (the first call only records it).
	opts.Store.Changed(ctx)
	// A chain shorter than, or diverging from, the one this computer saw last: say so
	// before anything else (the warning says what to check and how to accept a restore).
	if w := opts.Store.History(); w != nil {
		a.err = w
	}
	return a
}

func (a *App) top() common.Screen { return a.stack[len(a.stack)-1] }

func (a *App) applyStyles(s common.Styles) {
	a.styles = s
	for _, sc := range a.stack {
		sc.SetStyles(s)
	}
}

// Init asks for the terminal background (styles are rebuilt when it arrives), starts the
// home screen, and finds out who is working.
func (a *App) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, a.top().Init(), loadPeople(a.env.Ctx, a.env.Store), a.pollChanges())
}

// bodyHeight is what is left for a screen under the title bar and above the status line
// and the help bar.
func (a *App) bodyHeight() int {
	return max(a.height-1-len(a.statusLines())-1, 1)
}

func (a *App) resize() {
	h := a.bodyHeight()
	for _, sc := range a.stack {
		sc.SetSize(a.width, h)
	}
}

// setStatus shows an error or a notice (both empty clears the line); the body shrinks or
// grows with the line.
func (a *App) setStatus(err error, notice string) {
	before := len(a.statusLines())
	a.err, a.notice = err, notice
	if len(a.statusLines()) != before {
		a.resize()
	}
}

// Update routes messages: global keys and navigation here, everything else to the top
// screen.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.resize()
	case tea.BackgroundColorMsg:
		a.applyStyles(common.NewStyles(msg.IsDark(), a.env.Plain))
	case common.PushMsg:
		return a, a.push(msg.Screen)
	case common.OpenAssessmentMsg:
		e := a.env
		if msg.Env != nil {
			e = msg.Env
		}
		return a, a.push(newShell(e, msg.ID))
	case common.PopMsg:
		if len(a.stack) == 1 {
			return a, nil
		}
		a.stack = a.stack[:len(a.stack)-1]
		a.resize()
		return a, a.updateTop(common.ShownMsg{})
	case changeCheckMsg:
		if !msg.changed {
			return a, a.pollChanges()
		}
		// Every screen loads what it shows again, keeping its place.
		return a, tea.Batch(a.pollChanges(), common.Emit(common.ExternalChangeMsg{}),
			common.Notice("Another process changed the workspace; the screen shows its changes."))
	case common.ErrMsg:
		a.setStatus(msg.Err, "")
		return a, nil
	case common.NoticeMsg:
		a.setStatus(nil, string(msg))
		return a, nil
	case peopleMsg:
		return a, a.gotPeople(msg)
	case tea.KeyPressMsg:
		if done, cmd := a.globalKey(msg); done {
			return a, cmd
		}
	case tea.MouseWheelMsg:
		if a.helpOn {
			a.scrollHelp(3 * common.Wheel(msg))
			return a, nil
		}
		return a, a.updateTop(common.OffsetMouse(msg, -1))
	case tea.MouseMsg:
		// The top screen starts under the title bar.
		return a, a.updateTop(common.OffsetMouse(msg, -1))
	case common.Broadcaster:
		// Data arrived: every screen on the stack takes it, so those under a dialog stay
		// current.
		var cmds []tea.Cmd
		for i, sc := range a.stack {
			var cmd tea.Cmd
			a.stack[i], cmd = sc.Update(msg)
			cmds = append(cmds, cmd)
		}
		return a, tea.Batch(cmds...)
	}
	return a, a.updateTop(msg)
}

// gotPeople asks who is working when the workspace lists people and none of them is
// working yet.
func (a *App) gotPeople(msg peopleMsg) tea.Cmd {
	if msg.err != nil {
		return common.Fail(msg.err)
	}
	a.people = msg.people
	if len(msg.people) == 0 {
		return nil
	}
	if p, ok := chosen(msg.people, msg.actor); ok {
		*a.env.Working = common.Working{Name: p.Name, Role: p.Role}
		return nil
	}
	return a.push(newWhoScreen(a.env, msg.people, true))
}

func (a *App) push(s common.Screen) tea.Cmd {
	a.stack = append(a.stack, s)
	s.SetStyles(a.styles)
	a.resize()
	return s.Init()
}

func (a *App) updateTop(msg tea.Msg) tea.Cmd {
	sc, cmd := a.top().Update(msg)
	a.stack[len(a.stack)-1] = sc
	return cmd
}

// globalKey handles quit, the key overlay and the status line. While a screen is typing,
// none of them is global: the keys are text. A notice goes at the next key; esc also
// takes an error away, and then goes back as well.
func (a *App) globalKey(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	k := a.env.Keys.Global
	if a.helpOn {
		return true, a.helpKey(msg)
	}
	if a.top().Typing() {
		return false, nil
	}
	if a.notice != "" || (a.err != nil && key.Matches(msg, k.Back)) {
		a.setStatus(nil, "")
	}
	switch {
	case key.Matches(msg, k.Quit):
		return true, tea.Quit
	case key.Matches(msg, k.Help):
		a.helpOn, a.helpOff = true, 0
		return true, nil
	case key.Matches(msg, a.env.Keys.Home.Who) && len(a.stack) == 1:
		return true, a.push(newWhoScreen(a.env, a.people, false))
	}
	return false, nil
}

// View draws the title bar, the top screen (or the key overlay), the status line and the
// help bar.
func (a *App) View() tea.View {
	var body string
	if a.width < minWidth || a.height < minHeight {
		body = a.tooSmall()
	} else {
		body = a.frame()
	}
	v := tea.NewView(body)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "safeguard"
	return v
}

func (a *App) tooSmall() string {
	msg := "Please enlarge the terminal to at least 80×24\n(it is now " +
		strconv.Itoa(a.width) + "×" + strconv.Itoa(a.height) + ")."
	return lipgloss.Place(max(a.width, 1), max(a.height, 1), lipgloss.Center, lipgloss.Center, msg)
}

// titleBar names the product, who is working and the workspace.
func (a *App) titleBar() string {
	where := a.where
	e := a.topEnv()
	if where == "" {
		where = shortPath(e.Store.Path())
	}
	if e.Demo {
		where = "sample workspace (fictional data) " + where
	}
	who := e.Store.Actor()
	text := a.styles.Title.Render("safeguard") + a.styles.Subtle.Render(" · working as ") + a.styles.Bold.Render(who) +
		a.styles.Subtle.Render(" · "+where)
	return common.Truncate(text, a.width)
}

// topEnv is the environment of the workspace on top: the sample workspace's while it is
// open, else the one safeguard started on.
func (a *App) topEnv() *common.Env {
	for i := len(a.stack) - 1; i >= 0; i-- {
		if s, ok := a.stack[i].(interface{ Env() *common.Env }); ok {
			return s.Env()
		}
	}
	return a.env
}

// statusLines are the error or notice, wrapped to the width (at most maxStatusLines), or
// one blank line.
func (a *App) statusLines() []string {
	w := max(a.width, minWidth)
	var lines []string
	switch {
	case a.err != nil:
		lines = common.Hang("Error: ", common.FirstLine(a.err.Error())+"  (esc to dismiss)", w)
		for i := range lines {
			lines[i] = a.styles.Error.Render(lines[i])
		}
	case a.notice != "":
		lines = common.Wrap(a.notice, w)
		for i := range lines {
			lines[i] = a.styles.Notice.Render(lines[i])
		}
	}
	if len(lines) == 0 {
		return []string{""}
	}
	return common.Clip(lines, maxStatusLines)
}

func (a *App) frame() string {
	h := a.bodyHeight()
	var view string
	if a.helpOn {
		view = a.helpOverlay(h)
	} else {
		view = a.top().View()
	}
	body := lipgloss.NewStyle().Width(a.width).Height(h).MaxHeight(h).Render(view)
	parts := append([]string{a.titleBar(), body}, a.statusLines()...)
	return strings.Join(append(parts, a.helpBar()), "\n")
}

// shortPath abbreviates the home folder to ~.
func shortPath(p string) string {
	if home, err := os.UserHomeDir(); err == nil && home != "" && strings.HasPrefix(p, home+string(os.PathSeparator)) {
		return "~" + p[len(home):]
	}
	return p
}
