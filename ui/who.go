package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"safeguard/store"
	"safeguard/ui/common"
)

// Who is working. A workspace that lists its people (`safeguard people`) records one of
// them on every change, so the TUI asks once who is working (the choice is remembered on
// this computer) and shows the name in its title bar; w on the home screen changes it.

// peopleMsg carries the workspace's people and the name the store records now.
type peopleMsg struct {
	people []store.Person
	actor  string
	err    error
}

func loadPeople(ctx context.Context, s *store.Store) tea.Cmd {
	return func() tea.Msg {
		people, err := s.People(ctx)
		return peopleMsg{people: people, actor: s.Actor(), err: err}
	}
}

// listedMsg is the list of people again, for the who screen after someone was added.
type listedMsg struct{ peopleMsg }

// chosen reports whether actor is one of people, and which.
func chosen(people []store.Person, actor string) (store.Person, bool) {
	for _, p := range people {
		if strings.EqualFold(p.Name, actor) {
			return p, true
		}
	}
	return store.Person{}, false
}

// workingMsg says who is working now: the name is recorded on every later change.
type workingMsg struct {
	person store.Person
	err    error
}

// work makes p the person working and remembers the choice on this computer.
func work(ctx context.Context, s *store.Store, name string) tea.Cmd {
	return func() tea.Msg {
		p, err := s.SetActor(ctx, name)
		if err == nil {
			err = s.RememberActor(ctx, p.Name)
		}
		return workingMsg{person: p, err: err}
	}
}

// whoScreen lists the workspace's people to choose who is working. While nobody from the
// list is chosen it cannot be left with esc: every change would otherwise be recorded
// under the computer's login.
type whoScreen struct {
	e       *common.Env
	people  []store.Person
	cursor  int
	must    bool // nobody from the list is working yet
	styles  common.Styles
	width   int
	height  int
	message string
}

func newWhoScreen(e *common.Env, people []store.Person, must bool) *whoScreen {
	w := &whoScreen{e: e, people: people, must: must}
	if p, ok := chosen(people, e.Store.Actor()); ok {
		for i := range people {
			if people[i].ID == p.ID {
				w.cursor = i
			}
		}
	}
	return w
}

func (w *whoScreen) Init() tea.Cmd { return nil }

func (w *whoScreen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.SavedMsg:
		// A person was added: list again and work as them.
		if msg.Err != nil {
			return w, common.Fail(msg.Err)
		}
		ctx, st := w.e.Ctx, w.e.Store
		return w, func() tea.Msg {
			people, err := st.People(ctx)
			return listedMsg{peopleMsg{people: people, actor: st.Actor(), err: err}}
		}
	case listedMsg:
		if msg.err == nil {
			w.people = msg.people
			if p, ok := chosen(msg.people, w.added()); ok {
				return w, work(w.e.Ctx, w.e.Store, p.Name)
			}
		}
	case workingMsg:
		if msg.err != nil {
			return w, common.Fail(msg.err)
		}
		*w.e.Working = common.Working{Name: msg.person.Name, Role: msg.person.Role}
		return w, tea.Sequence(common.Pop, common.Notice(workingNotice(msg.person)))
	case tea.KeyPressMsg:
		return w, w.key(msg)
	}
	return w, nil
}

// added is the name typed into the "add someone" form, once it was saved.
func (w *whoScreen) added() string { return w.message }

func (w *whoScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	nav, g := w.e.Keys.Nav, w.e.Keys.Global
	if d, ok := nav.Delta(msg, 5, len(w.people)); ok {
		w.cursor = max(0, min(len(w.people)-1, w.cursor+d))
		return nil
	}
	switch {
	case msg.String() == "enter" && len(w.people) > 0:
		return work(w.e.Ctx, w.e.Store, w.people[w.cursor].Name)
	case msg.String() == "a":
		return common.Push(w.addForm())
	case key.Matches(msg, g.Back):
		if w.must {
			return common.Notice("Choose who is working first: what you change is recorded under that name (q quits).")
		}
		return common.Pop
	}
	return nil
}

// addForm adds someone to the workspace's people; they then work.
func (w *whoScreen) addForm() common.Screen {
	var name, role string
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewInput().Title("Name").Description("As it should read in the audit trail and on sign-offs.").
				Placeholder("for example Dana Reyes").Value(&name).Validate(common.Name("person's name")),
			huh.NewInput().Title("Role").Placeholder("for example Security official").Value(&role).Validate(common.Text("role")),
		))
	}
	ctx, s := w.e.Ctx, w.e.Store
	submit := func() tea.Cmd {
		w.message = strings.TrimSpace(name)
		return common.Mutate("", func() error {
			_, err := s.AddPerson(ctx, name, role)
			return err
		})
	}
	return common.NewForm(w.e, "Add someone who works here", build, submit)
}

func workingNotice(p store.Person) string {
	if p.Role != "" {
		return fmt.Sprintf("Working as %s (%s): changes are recorded under this name.", p.Name, p.Role)
	}
	return fmt.Sprintf("Working as %s: changes are recorded under this name.", p.Name)
}

func (w *whoScreen) View() string {
	st := w.styles
	var b strings.Builder
	b.WriteString(st.Header.Render("Who is working?") + "\n\n")
	intro := "Answers, evidence, sign-offs and the audit trail record the person working. Choose yourself; this computer remembers the choice for this workspace."
	if len(w.people) == 0 {
		intro = "Nobody is listed yet, so changes are recorded as " + w.e.Store.Actor() + ". Add the people who work in this workspace (a); from then on each change names one of them."
	}
	for _, l := range common.Wrap(intro, max(w.width-2, 20)) {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n")
	for i, p := range w.people {
		line := "  " + p.Name
		if p.Role != "" {
			line += " · " + p.Role
		}
		line = common.Fit(line, max(w.width-2, 20))
		if i == w.cursor {
			line = st.Selected.Render("▸" + line[1:])
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func (w *whoScreen) SetSize(width, height int) { w.width, w.height = width, height }
func (w *whoScreen) SetStyles(s common.Styles) { w.styles = s }
func (w *whoScreen) Typing() bool              { return false }

func (w *whoScreen) Keys() common.Help {
	nav, g := w.e.Keys.Nav, w.e.Keys.Global
	pick := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "this is me"))
	add := key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add someone"))
	short := []key.Binding{pick, add, nav.Up, nav.Down}
	if !w.must {
		short = append(short, g.Back)
	}
	return common.Help{Short: append(short, g.Quit), Full: [][]key.Binding{append(short, g.Quit)}}
}
