// Package ui is safeguard's terminal interface on Bubble Tea v2: the root model, which
// owns a stack of screens (the home list, an open assessment, dialogs), the help bar and
// the error line; the shell, which shows an open assessment's sections as tabs; and the
// accessible, line-by-line mode. What the screens share is in ui/common; each section of
// an open assessment has its own package. Store and report work run as tea.Cmds that
// return typed messages; Update never does I/O.
package ui

import (
	"context"
	"os"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
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

// Options configure the TUI.
type Options struct {
	Store      *store.Store
	Catalog    *controls.Catalog
	Accessible bool
}

// App is the root model.
type App struct {
	env      *common.Env
	styles   common.Styles
	help     help.Model
	stack    []common.Screen
	width    int
	height   int
	fullHelp bool
	err      error
	notice   string
	// where names the workspace in the title bar (home folder shortened to ~).
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
	a := &App{env: e, help: help.New(), width: minWidth, height: minHeight, where: shortPath(opts.Store.Path()), pollEvery: pollInterval}
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
	a.help.Styles = help.DefaultStyles(s.Dark)
	for _, sc := range a.stack {
		sc.SetStyles(s)
	}
}

// Init asks for the terminal background (styles are rebuilt when it arrives) and starts
// the home screen.
func (a *App) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, a.top().Init(), a.pollChanges())
}

// bodyHeight is what is left for a screen under the title bar and above the status line
// and the help bar.
func (a *App) bodyHeight() int {
	return max(a.height-lipgloss.Height(a.titleBar())-1-lipgloss.Height(a.helpView()), 1)
}

func (a *App) resize() {
	a.help.SetWidth(a.width)
	h := a.bodyHeight()
	for _, sc := range a.stack {
		sc.SetSize(a.width, h)
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
		return a, a.push(newShell(a.env, msg.ID))
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
		a.err, a.notice = msg.Err, ""
		return a, nil
	case common.NoticeMsg:
		a.notice, a.err = string(msg), nil
		return a, nil
	case tea.KeyPressMsg:
		if done, cmd := a.globalKey(msg); done {
			return a, cmd
		}
	case tea.MouseMsg:
		// The top screen starts under the title bar.
		return a, a.updateTop(common.OffsetMouse(msg, -lipgloss.Height(a.titleBar())))
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

// globalKey handles quit, help and dismissing the error line. While a screen is typing,
// none of them is global: the keys are text.
func (a *App) globalKey(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	k := a.env.Keys.Global
	if a.top().Typing() {
		return false, nil
	}
	switch {
	case key.Matches(msg, k.Quit):
		return true, tea.Quit
	case key.Matches(msg, k.Help):
		a.fullHelp = !a.fullHelp
		a.resize()
		return true, nil
	case key.Matches(msg, k.Back) && (a.err != nil || a.notice != ""):
		a.err, a.notice = nil, ""
		return true, nil
	}
	return false, nil
}

// View draws the title bar, the top screen, the status line and the help bar.
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

func (a *App) titleBar() string {
	title := a.styles.Title.Render("safeguard") + a.styles.Subtle.Render(" · HIPAA Security Rule risk analysis · "+a.where)
	return lipgloss.NewStyle().MaxWidth(a.width).Render(title)
}

func (a *App) helpView() string {
	if a.fullHelp {
		return a.help.FullHelpView(a.top().Keys().FullHelp())
	}
	return a.help.ShortHelpView(a.top().Keys().ShortHelp())
}

func (a *App) frame() string {
	h := a.bodyHeight()
	body := lipgloss.NewStyle().Width(a.width).Height(h).MaxHeight(h).Render(a.top().View())
	var status string
	switch {
	case a.err != nil:
		status = a.styles.Error.Render("Error: "+common.FirstLine(a.err.Error())) + a.styles.Subtle.Render("  (esc to dismiss)")
	case a.notice != "":
		status = a.styles.Notice.Render(a.notice)
	}
	status = lipgloss.NewStyle().MaxWidth(a.width).Render(status)
	return strings.Join([]string{a.titleBar(), body, status, a.helpView()}, "\n")
}

// shortPath abbreviates the home folder to ~.
func shortPath(p string) string {
	if home, err := os.UserHomeDir(); err == nil && home != "" && strings.HasPrefix(p, home+string(os.PathSeparator)) {
		return "~" + p[len(home):]
	}
	return p
}
