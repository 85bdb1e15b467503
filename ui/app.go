// Package ui is safeguard's terminal interface on Bubble Tea v2: one root model that owns a
// stack of screens, the shared styles and key map, the help bar and the error line. Store
// and report work run as tea.Cmds that return typed messages; Update never does I/O.
package ui

import (
	"context"
	"os"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"safeguard/controls"
	"safeguard/store"
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

// env is what every screen shares.
type env struct {
	ctx     context.Context
	store   *store.Store
	catalog *controls.Catalog
	keys    KeyMap
}

// App is the root model.
type App struct {
	env      *env
	styles   Styles
	help     help.Model
	stack    []screen
	width    int
	height   int
	fullHelp bool
	err      error
	notice   string
	// where names the workspace in the title bar (home folder shortened to ~).
	where string
}

// newApp builds the root model on the home screen.
func newApp(ctx context.Context, opts Options) *App {
	e := &env{ctx: ctx, store: opts.Store, catalog: opts.Catalog, keys: newKeyMap()}
	a := &App{env: e, help: help.New(), width: minWidth, height: minHeight, where: shortPath(opts.Store.Path())}
	a.stack = []screen{newHome(e)}
	a.applyStyles(newStyles(true, noColor()))
	return a
}

func (a *App) top() screen { return a.stack[len(a.stack)-1] }

func (a *App) applyStyles(s Styles) {
	a.styles = s
	a.help.Styles = help.DefaultStyles(s.isDark)
	for _, sc := range a.stack {
		sc.SetStyles(s)
	}
}

// Init asks for the terminal background (styles are rebuilt when it arrives) and starts
// the home screen.
func (a *App) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, a.top().Init())
}

// bodyHeight is what is left for a screen under the title bar and above the status line
// and help bar.
func (a *App) bodyHeight() int {
	h := a.height - 3
	if a.fullHelp {
		h -= lipgloss.Height(a.help.FullHelpView(a.top().Keys().FullHelp())) - 1
	}
	return max(h, 1)
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
		a.applyStyles(newStyles(msg.IsDark(), noColor()))
	case pushMsg:
		a.stack = append(a.stack, msg.s)
		msg.s.SetStyles(a.styles)
		a.resize()
		return a, msg.s.Init()
	case popMsg:
		if len(a.stack) > 1 {
			a.stack = a.stack[:len(a.stack)-1]
			a.resize()
		}
		return a, nil
	case errMsg:
		a.err, a.notice = msg.err, ""
		return a, nil
	case noticeMsg:
		a.notice, a.err = string(msg), nil
		return a, nil
	case tea.KeyPressMsg:
		if done, cmd := a.globalKey(msg); done {
			return a, cmd
		}
	case broadcaster:
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
	sc, cmd := a.top().Update(msg)
	a.stack[len(a.stack)-1] = sc
	return a, cmd
}

// globalKey handles quit, help and dismissing the error line. While a screen is typing,
// only ctrl+c is global (and only when no form wants it).
func (a *App) globalKey(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	k := a.env.keys
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
		itoa(a.width) + "×" + itoa(a.height) + ")."
	return lipgloss.Place(max(a.width, 1), max(a.height, 1), lipgloss.Center, lipgloss.Center, msg)
}

func (a *App) frame() string {
	title := a.styles.Title.Render("safeguard") + a.styles.Subtle.Render(" · HIPAA Security Rule risk analysis · "+a.where)
	title = lipgloss.NewStyle().MaxWidth(a.width).Render(title)
	body := lipgloss.NewStyle().Width(a.width).Height(a.bodyHeight()).MaxHeight(a.bodyHeight()).Render(a.top().View())
	var status string
	switch {
	case a.err != nil:
		status = a.styles.Error.Render("Error: "+firstLine(a.err.Error())) + a.styles.Subtle.Render("  (esc to dismiss)")
	case a.notice != "":
		status = a.styles.Notice.Render(a.notice)
	}
	status = lipgloss.NewStyle().MaxWidth(a.width).Render(status)
	var helpView string
	if a.fullHelp {
		helpView = a.help.FullHelpView(a.top().Keys().FullHelp())
	} else {
		helpView = a.help.ShortHelpView(a.top().Keys().ShortHelp())
	}
	return strings.Join([]string{title, body, status, helpView}, "\n")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// shortPath abbreviates the home folder to ~.
func shortPath(p string) string {
	if home, err := os.UserHomeDir(); err == nil && home != "" && strings.HasPrefix(p, home+string(os.PathSeparator)) {
		return "~" + p[len(home):]
	}
	return p
}
