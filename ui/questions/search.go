package questions

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// finder finds questions by words or ID: every word must appear in the question's ID,
// text or help, in any case.
type finder struct {
	input   textinput.Model
	query   string
	results []int // question nodes
	cursor  int
	off     int
	rows    int
	top     int // line of the first result in the last view, for the mouse
}

func newFinder(w *Model) *finder {
	ti := textinput.New()
	ti.Prompt = "Find: "
	ti.Placeholder = "words or a question ID, for example: laptop encryption"
	ti.CharLimit = 200
	ti.SetStyles(textinput.DefaultStyles(w.styles.Dark))
	s := &finder{input: ti}
	s.setWidth(w.width)
	s.run(w)
	return s
}

func (s *finder) setWidth(w int) { s.input.SetWidth(max(w-10, 10)) }

// run repeats the search over the current tree.
func (s *finder) run(w *Model) {
	s.query = s.input.Value()
	s.results = s.results[:0]
	q := strings.TrimSpace(s.query)
	words := strings.Fields(strings.ToLower(q))
	if len(words) > 0 {
		exact := -1
		for i := range w.nodes {
			n := &w.nodes[i]
			if n.kind != kindQuestion {
				continue
			}
			if strings.EqualFold(n.cite, q) {
				exact = len(s.results)
			}
			if hasAll(n.hay, words) {
				s.results = append(s.results, i)
			}
		}
		if exact > 0 {
			e := s.results[exact]
			copy(s.results[1:exact+1], s.results[:exact])
			s.results[0] = e
		}
	}
	s.cursor = max(0, min(s.cursor, len(s.results)-1))
}

func hasAll(hay string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

func (s *finder) move(d int) {
	s.cursor = max(0, min(len(s.results)-1, s.cursor+d))
}

func (s *finder) jump(w *Model) tea.Cmd {
	if len(s.results) == 0 {
		return common.Notice("No question matches; try fewer or shorter words.")
	}
	i := s.results[s.cursor]
	w.search = nil
	w.tree = false
	w.focus = focusTree
	w.selectNode(i)
	return nil
}

func (s *finder) update(w *Model, msg tea.Msg) tea.Cmd {
	k := w.e.Keys.Search
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Cancel):
			w.search = nil
			return nil
		case key.Matches(msg, k.Submit):
			return s.jump(w)
		case key.Matches(msg, k.Prev):
			s.move(-1)
			return nil
		case key.Matches(msg, k.Next):
			s.move(1)
			return nil
		case key.Matches(msg, k.PrevPage):
			s.move(-max(s.rows, 1))
			return nil
		case key.Matches(msg, k.NextPage):
			s.move(max(s.rows, 1))
			return nil
		}
	case tea.MouseClickMsg:
		y := msg.Mouse().Y - s.top
		if p := s.off + y; y >= 0 && p < len(s.results) && p < s.off+s.rows {
			s.cursor = p
			return s.jump(w)
		}
		return nil
	case tea.MouseWheelMsg:
		s.move(3 * common.Wheel(msg))
		return nil
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	if s.input.Value() != s.query {
		s.cursor = 0
		s.run(w)
	}
	return cmd
}

func (s *finder) view(w *Model) string {
	st := w.styles
	lines := []string{
		" " + common.Fit(st.Header.Render("Find a question")+st.Subtle.Render("  every word must appear in its text, help or ID"), w.width-2),
		" " + s.input.View(),
	}
	switch {
	case strings.TrimSpace(s.query) == "":
		lines = append(lines, " "+st.Subtle.Render("Type some words, for example “backup test” or “308a1”."))
	case len(s.results) == 0:
		lines = append(lines, " "+st.Subtle.Render("No question matches; try fewer or shorter words."))
	default:
		lines = append(lines, " "+st.Subtle.Render(assessment.Plural(len(s.results), "question matches", "questions match")))
	}
	s.top = len(lines)
	s.rows = max(w.height-s.top, 1)
	if s.cursor < s.off {
		s.off = s.cursor
	}
	if s.cursor >= s.off+s.rows {
		s.off = s.cursor - s.rows + 1
	}
	width := w.width - 2
	for p := s.off; p < len(s.results) && p < s.off+s.rows; p++ {
		n := &w.nodes[s.results[p]]
		prog := progress(n.counts, filterAll)
		const idw = 18
		tw := max(width-idw-4-len(prog)-2, 8)
		text := common.Fit(n.cite, idw) + "  " + common.Fit(n.title, tw) + "  " + prog
		if p == s.cursor {
			lines = append(lines, " "+st.Selected.Render(common.Fit("▸ "+text, width)))
		} else {
			lines = append(lines, " "+common.Fit("  "+text, width))
		}
	}
	return strings.Join(lines, "\n")
}
