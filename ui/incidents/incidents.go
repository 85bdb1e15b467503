// Package incidents is the Incidents tab: the assessment's incident register with the
// breach notification clocks (45 CFR §§164.400–414), most urgent first; an incident's page,
// whose steps walk the decision of §164.402 (facts, secured or not, exception, the four
// factors, conclusion) and the notices, law-enforcement delays, other deadlines, risk
// links and closing, each step a form that saves through the store's audited changes;
// and the decision memo PDF, written in the background with a progress bar.
//
// Every figure is the domain's: the clocks and what the record lacks come from
// assessment.ViewIncident (common.Data.Incidents), the checks from assessment's Check*
// functions, the changes from store's incident methods. Incidents are never deleted.
package incidents

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// Model is the Incidents tab.
type Model struct {
	e    *common.Env
	data *common.Data
	rows []entry
	// cursor and offset are the list's selection and first row shown.
	cursor, offset int
	// open shows the selected incident's page, at step, with item selected in the
	// steps that list things (factors, deadlines) and the page scrolled by pageOff.
	open    bool
	step    step
	item    int
	pageOff int
	// focusID is an incident to select (and open) when the data that holds it arrives:
	// the one just added.
	focusID   string
	focusStep step
	stamp     int // layout generation; rows drawn under another stamp are redrawn
	memo      memoState
	bar       progress.Model
	width     int
	height    int
	styles    common.Styles
}

// entry is one incident of the list with its drawn row, plain and selected.
type entry struct {
	v         *assessment.IncidentView
	next      assessment.Duty
	hasNext   bool
	line, sel string
	stamp     int
}

// New is the Incidents tab.
func New(e *common.Env) *Model {
	return &Model{e: e, bar: progress.New(progress.WithDefaultBlend(), progress.WithWidth(40))}
}

func (m *Model) Title() string { return "Incidents" }
func (m *Model) Init() tea.Cmd { return nil }
func (m *Model) Typing() bool  { return false }

// SetData takes a freshly loaded assessment, keeping the selected incident.
func (m *Model) SetData(d *common.Data) {
	sel := m.selectedID()
	if m.focusID != "" {
		sel = m.focusID
	}
	m.data = d
	m.rows = make([]entry, len(d.Incidents))
	for i := range d.Incidents {
		v := &d.Incidents[i]
		n, ok := v.Next()
		m.rows[i] = entry{v: v, next: n, hasNext: ok}
	}
	m.stamp++
	found := false
	for i := range m.rows {
		if m.rows[i].v.ID == sel {
			m.cursor, found = i, true
			break
		}
	}
	if !found {
		m.cursor = min(m.cursor, max(len(m.rows)-1, 0))
		if m.open && sel != "" {
			m.open = false
		}
	}
	if m.focusID != "" && found {
		m.open, m.step, m.item, m.pageOff = true, m.focusStep, 0, 0
		m.focusID = ""
	}
	if len(m.rows) == 0 {
		m.open = false
	}
	m.scroll()
}

func (m *Model) selected() *assessment.IncidentView {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return nil
	}
	return m.rows[m.cursor].v
}

func (m *Model) selectedID() string {
	if v := m.selected(); v != nil {
		return v.ID
	}
	return ""
}

func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.stamp++
	m.bar.SetWidth(min(40, max(w-30, 10)))
	m.scroll()
}

func (m *Model) SetStyles(s common.Styles) {
	m.styles = s
	m.stamp++
}

// Back closes the incident's page; in the list, esc leaves the assessment.
func (m *Model) Back() bool {
	if m.open {
		m.open = false
		return true
	}
	return false
}

func (m *Model) Keys() common.Help {
	ik, nav := m.e.Keys.Incidents, m.e.Keys.Nav
	if m.open {
		edit := common.Relabel(ik.Edit, "e/enter", m.editLabel())
		short := []key.Binding{common.Relabel(ik.NextStep, "←/→", "step"), edit}
		if m.step.lists() {
			short = append(short, common.Relabel(ik.Add, "a", m.addLabel()))
		}
		short = append(short, ik.Memo)
		return common.Help{Short: short,
			Full: [][]key.Binding{{ik.PrevStep, ik.NextStep, edit, common.Relabel(ik.Add, "a", "add (notices, delays, deadlines, risk links)")},
				{ik.Memo, ik.Delete}, nav.All()}}
	}
	short := []key.Binding{ik.Open, common.Relabel(ik.Add, "a", "record an incident"), ik.Memo}
	return common.Help{Short: short,
		Full: [][]key.Binding{nav.All(), {ik.Open, common.Relabel(ik.Add, "a", "record an incident"), ik.Memo, ik.Delete}}}
}

// Messages of the tab. They are broadcast, so they arrive whichever screen is on top.
type (
	// focusMsg selects an incident (and opens its page at a step) once it is loaded:
	// sent after a save, so the page follows the decision.
	focusMsg struct {
		id   string
		step step
		item int
	}
)

func (focusMsg) Broadcast() {}

func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case focusMsg:
		if m.data != nil && m.selectIncident(msg.id) {
			m.open, m.step, m.item, m.pageOff = true, msg.step, msg.item, 0
		} else {
			m.focusID, m.focusStep = msg.id, msg.step
		}
		return m, nil
	case memoStartMsg, memoProgressMsg, memoDoneMsg:
		return m, m.memoUpdate(msg)
	}
	if m.data == nil {
		return m, nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if m.open {
			return m, m.pageKey(msg)
		}
		return m, m.listKey(msg)
	case tea.MouseClickMsg:
		if msg.Mouse().Button == tea.MouseLeft {
			m.click(msg.Mouse())
		}
	case tea.MouseWheelMsg:
		d := common.Wheel(msg)
		if m.open {
			m.pageOff = max(m.pageOff+d, 0)
		} else {
			m.move(d)
		}
	}
	return m, nil
}

// selectIncident puts the cursor on the incident with this ID, if it is listed.
func (m *Model) selectIncident(id string) bool {
	for i := range m.rows {
		if m.rows[i].v.ID == id {
			m.cursor = i
			m.scroll()
			return true
		}
	}
	return false
}

func (m *Model) listKey(msg tea.KeyPressMsg) tea.Cmd {
	ik := m.e.Keys.Incidents
	if d, ok := m.e.Keys.Nav.Delta(msg, m.rowsVisible(), len(m.rows)); ok {
		m.move(d)
		return nil
	}
	switch {
	case key.Matches(msg, ik.Open):
		if m.selected() != nil {
			m.open, m.step, m.item, m.pageOff = true, stepOverview, 0, 0
		}
	case key.Matches(msg, ik.Add):
		return common.Push(m.factsForm(nil))
	case key.Matches(msg, ik.Memo):
		return m.memoForm()
	case key.Matches(msg, ik.Delete):
		return common.Notice(neverDeleted)
	}
	return nil
}

// neverDeleted says why D does nothing here.
const neverDeleted = "Incidents cannot be deleted: the record is the proof of the decision (§164.414(b)) and is kept six years (§164.316(b)(2)(i)). Close it instead (Close step)."

func (m *Model) move(d int) {
	m.cursor = max(0, min(len(m.rows)-1, m.cursor+d))
	m.scroll()
}

// headLines are the list's lines above its first row: the heading and the column titles.
const headLines = 2

// footLines are the list's lines under its rows: the selected incident's title, its next
// duty in two lines, and the memo's progress or result.
func (m *Model) footLines() int { return 3 + m.memoLines() }

func (m *Model) rowsVisible() int { return max(m.height-headLines-m.footLines(), 1) }

func (m *Model) scroll() {
	n := m.rowsVisible()
	m.offset = min(m.offset, max(len(m.rows)-n, 0))
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+n {
		m.offset = m.cursor - n + 1
	}
	m.offset = max(m.offset, 0)
}

// click selects the row under the pointer (a second click opens it); on an incident's
// page it picks the step under the pointer in the list of steps.
func (m *Model) click(p tea.Mouse) {
	if m.open {
		if i, ok := m.stepAt(p.X, p.Y); ok {
			m.goStep(i)
		}
		return
	}
	i := p.Y - headLines + m.offset
	if p.Y < headLines || i < 0 || i >= len(m.rows) || i >= m.offset+m.rowsVisible() {
		return
	}
	if i == m.cursor {
		m.open, m.step, m.item, m.pageOff = true, stepOverview, 0, 0
		return
	}
	m.cursor = i
	m.scroll()
}

func (m *Model) View() string {
	if m.data == nil {
		return ""
	}
	if m.open && m.selected() != nil {
		return m.pageView()
	}
	return m.listView()
}

// oneLine is user text fit for one line of a table.
func oneLine(s string) string { return strings.Join(strings.Fields(assessment.SafeLine(s)), " ") }
