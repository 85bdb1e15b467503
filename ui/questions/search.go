package questions

import (
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/ui/common"
)

// The question search. Every word must appear somewhere in a question (its ID, the title
// of its specification or standard, its text or its help); results are ranked by where
// the words appear: an exact ID first, then questions whose ID or specification title
// holds every word, then those that need the question text, then those that need the
// help. Matched words are highlighted.

// The search fields of a question, in rank order.
const (
	fieldID = iota
	fieldTitle
	fieldText
	fieldHelp
	fieldCount
)

// searchFields are a question's search fields, lower-cased, as the organization reads
// them (business associate wording where it differs).
func searchFields(cat *controls.Catalog, q *controls.Question, ba bool) [fieldCount]string {
	_, title, _ := heading(cat, q)
	return [fieldCount]string{
		strings.ToLower(q.ID),
		strings.ToLower(title + " " + strings.Join(q.Citations(), " ")),
		strings.ToLower(q.TextFor(ba)),
		strings.ToLower(q.HelpFor(ba)),
	}
}

// findCache keeps each question's search fields between reloads: they depend only on the
// catalog and on whether the organization is a business associate, and lower-casing every
// question's help text again after each save is wasted work.
type findCache struct {
	cat *controls.Catalog
	ba  bool
	m   map[*controls.Question][fieldCount]string
}

// fields returns searchFields(cat, q, ba), worked out once per catalog and kind.
func (c *findCache) fields(cat *controls.Catalog, q *controls.Question, ba bool) [fieldCount]string {
	if c.m == nil || c.cat != cat || c.ba != ba {
		c.cat, c.ba, c.m = cat, ba, map[*controls.Question][fieldCount]string{}
	}
	f, ok := c.m[q]
	if !ok {
		f = searchFields(cat, q, ba)
		c.m[q] = f
	}
	return f
}

// rank scores a question for the query words: -1 when a word is missing; otherwise the
// worst field any word needed (0 ID … 3 help) and the sum over words, lower first.
func rank(f *[fieldCount]string, words []string) (worst, sum int) {
	for _, w := range words {
		best := -1
		for i := range fieldCount {
			if strings.Contains(f[i], w) {
				best = i
				break
			}
		}
		if best < 0 {
			return -1, 0
		}
		worst, sum = max(worst, best), sum+best
	}
	return worst, sum
}

// finder finds questions by words or ID.
type finder struct {
	input   textinput.Model
	query   string
	words   []string
	results []int // question nodes, best first
	worst   []int // per result: the field its words needed (for the "in help" mark)
	cursor  int
	off     int
	rows    int
	top     int // line of the first result in the last view, for the mouse
	// away is true when the search was opened from another tab: esc goes back there.
	away bool
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
	s.results, s.worst = s.results[:0], s.worst[:0]
	q := strings.TrimSpace(s.query)
	s.words = strings.Fields(strings.ToLower(q))
	if len(s.words) > 0 {
		type hit struct{ node, exact, worst, sum int }
		var hits []hit
		for i := range w.nodes {
			n := &w.nodes[i]
			if n.kind != kindQuestion {
				continue
			}
			worst, sum := rank(&n.find, s.words)
			if worst < 0 {
				continue
			}
			exact := 1
			if strings.EqualFold(n.cite, q) {
				exact = 0
			}
			hits = append(hits, hit{i, exact, worst, sum})
		}
		sort.SliceStable(hits, func(a, b int) bool {
			x, y := hits[a], hits[b]
			if x.exact != y.exact {
				return x.exact < y.exact
			}
			if x.worst != y.worst {
				return x.worst < y.worst
			}
			return x.sum < y.sum
		})
		for _, h := range hits {
			s.results = append(s.results, h.node)
			s.worst = append(s.worst, h.worst)
		}
	}
	s.cursor = max(0, min(s.cursor, len(s.results)-1))
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
	w.selectNode(i)
	w.row = w.firstOpenRow()
	return common.Emit(common.FindClosedMsg{Found: true})
}

// close leaves the search without a choice; a search opened from another tab goes back
// there.
func (s *finder) close(w *Model) tea.Cmd {
	w.search = nil
	if s.away {
		return common.Emit(common.FindClosedMsg{})
	}
	return nil
}

func (s *finder) update(w *Model, msg tea.Msg) tea.Cmd {
	k := w.e.Keys.Search
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Cancel):
			return s.close(w)
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
		" " + common.Fit(st.Header.Render("Find a question")+st.Subtle.Render("  in its ID, specification, text or help; best matches first"), w.width-2),
		" " + s.input.View(),
	}
	switch {
	case strings.TrimSpace(s.query) == "":
		lines = append(lines, " "+st.Subtle.Render("Type some words, for example “backup test” or “308a1”."))
	case len(s.results) == 0:
		lines = append(lines, " "+st.Subtle.Render("No question matches; try fewer or shorter words."))
	default:
		lines = append(lines, " "+st.Subtle.Render(assessment.Plural(len(s.results), "question matches", "questions match")+
			" · ↑/↓ choose · enter goes to it · esc closes"))
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
	idw := 16
	titleW := min(max(width/5, 14), 34)
	for p := s.off; p < len(s.results) && p < s.off+s.rows; p++ {
		n := &w.nodes[s.results[p]]
		_, title, _ := heading(w.data.Catalog, n.q)
		prog := progress(n.counts, filterSet{})
		tail := "  " + prog
		if s.worst[p] == fieldHelp {
			tail = "  (help)" + tail
		}
		textW := max(width-2-idw-2-titleW-2-common.Width(tail), 8)
		cells := []string{
			common.Fit(n.cite, idw),
			common.Fit(title, titleW),
			common.Fit(n.title, textW),
		}
		sel := p == s.cursor
		for i, c := range cells {
			cells[i] = highlight(c, s.words, st.Match, sel)
		}
		row := cells[0] + "  " + st.Subtle.Render(cells[1]) + "  " + cells[2] + st.Subtle.Render(tail)
		if sel {
			lines = append(lines, " "+st.Selected.Render("▸ ")+row)
		} else {
			lines = append(lines, "   "+row)
		}
	}
	return strings.Join(lines, "\n")
}

// highlight marks every case-insensitive occurrence of the words in plain text with st;
// the selected row marks them reversed as well, so they stand out on its background.
func highlight(plain string, words []string, st lipgloss.Style, selected bool) string {
	lower := strings.ToLower(plain)
	if len(lower) != len(plain) || len(words) == 0 {
		return plain // lower-casing moved the bytes: show it unmarked rather than wrong
	}
	if selected {
		st = st.Reverse(true)
	}
	mark := make([]bool, len(plain))
	any := false
	for _, w := range words {
		for from := 0; ; {
			i := strings.Index(lower[from:], w)
			if i < 0 {
				break
			}
			for j := from + i; j < from+i+len(w); j++ {
				mark[j] = true
			}
			any = true
			from += i + len(w)
		}
	}
	if !any {
		return plain
	}
	var b strings.Builder
	for i := 0; i < len(plain); {
		j := i
		for j < len(plain) && mark[j] == mark[i] {
			j++
		}
		if mark[i] {
			b.WriteString(st.Render(plain[i:j]))
		} else {
			b.WriteString(plain[i:j])
		}
		i = j
	}
	return b.String()
}
