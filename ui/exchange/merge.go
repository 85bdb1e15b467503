package exchange

import (
	"fmt"
	"os"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/common"
)

// Merge reviews another assessor's bundle before merging it: what will be taken from it,
// and each conflict with both versions, decided mine or theirs; then the merge runs in
// one transaction, as `safeguard bundle merge` does.
type Merge struct {
	screenBase
	id      string
	step    pathStep
	loading bool
	saving  bool
	bundle  *store.Bundle
	file    *os.File
	preview *store.MergePreview
	theirs  map[string]bool
	cursor  int
	offset  int
}

// NewMerge is the merge review for the open assessment.
func NewMerge(e *common.Env, d *common.Data) *Merge {
	return &Merge{screenBase: screenBase{e: e}, id: d.ID(), theirs: map[string]bool{},
		step: newPathStep("The bundle the other assessor sent back:", "")}
}

type previewMsg struct {
	bundle  *store.Bundle
	file    *os.File
	preview *store.MergePreview
	err     error
}

func (m *Merge) Init() tea.Cmd { return nil }

func (m *Merge) load() tea.Cmd {
	path := m.step.path(m.e)
	ctx, s, id := m.e.Ctx, m.e.Store, m.id
	m.loading, m.err = true, nil
	return func() tea.Msg {
		if err := readable(path); err != nil {
			return previewMsg{err: err}
		}
		cat, err := controls.Default()
		if err != nil {
			return previewMsg{err: err}
		}
		f, err := store.OpenInput(path, "a bundle written by `safeguard bundle export`")
		if err != nil {
			return previewMsg{err: err}
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return previewMsg{err: err}
		}
		b, err := store.ReadBundle(f, st.Size(), path, cat)
		if err != nil {
			f.Close()
			return previewMsg{err: err}
		}
		p, err := s.PreviewMerge(ctx, id, b)
		if err != nil {
			f.Close()
			return previewMsg{err: err}
		}
		return previewMsg{bundle: b, file: f, preview: p}
	}
}

func (m *Merge) close() {
	if m.file != nil {
		m.file.Close()
		m.file = nil
	}
}

func (m *Merge) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case previewMsg:
		m.loading = false
		m.err = msg.err
		m.bundle, m.file, m.preview = msg.bundle, msg.file, msg.preview
		return m, nil
	case common.SavedMsg:
		m.saving = false
		if msg.Err != nil {
			m.err = msg.Err
			return m, nil
		}
		m.close()
		return m, tea.Sequence(common.Pop, common.Emit(msg))
	case tea.KeyPressMsg:
		return m, m.key(msg)
	case tea.PasteMsg:
		var cmd tea.Cmd
		if m.preview == nil {
			m.step.input, cmd = m.step.input.Update(msg)
		}
		return m, cmd
	}
	return m, nil
}

func (m *Merge) key(msg tea.KeyPressMsg) tea.Cmd {
	if m.loading || m.saving {
		return nil
	}
	if m.back(msg) {
		m.close()
		return common.Pop
	}
	if m.preview == nil {
		if msg.String() == "enter" {
			return m.load()
		}
		var cmd tea.Cmd
		m.step.input, cmd = m.step.input.Update(msg)
		return cmd
	}
	cs := m.preview.Plan.Conflicts
	if d, ok := m.e.Keys.Nav.Delta(msg, m.visible(), len(cs)); ok {
		m.cursor = max(0, min(len(cs)-1, m.cursor+d))
		if m.cursor < m.offset {
			m.offset = m.cursor
		}
		if m.cursor >= m.offset+m.visible() {
			m.offset = m.cursor - m.visible() + 1
		}
		return nil
	}
	k := m.e.Keys.Exchange
	switch {
	case key.Matches(msg, k.Toggle) && m.cursor < len(cs):
		ref := cs[m.cursor].Ref
		m.theirs[ref] = !m.theirs[ref]
	case key.Matches(msg, k.Apply):
		if m.preview.Already != nil || len(m.preview.Plan.Take)+len(cs) == 0 {
			m.close()
			return common.Pop
		}
		ctx, s, id, b, p, theirs := m.e.Ctx, m.e.Store, m.id, m.bundle, m.preview, m.theirs
		m.saving = true
		return func() tea.Msg {
			res, err := s.ApplyMerge(ctx, id, b, p, theirs)
			return common.SavedMsg{Err: err, Notice: fmt.Sprintf("Merged the bundle: %s taken, %s decided for theirs, %s kept as here.",
				assessment.Plural(res.Taken, "change", "changes"), assessment.Plural(res.Theirs, "conflict", "conflicts"),
				assessment.Plural(res.Mine, "conflict", "conflicts"))}
		}
	}
	return nil
}

func (m *Merge) visible() int { return max((m.height-12)/3, 1) }

func (m *Merge) View() string {
	s := m.styles
	var b strings.Builder
	b.WriteString(s.Title.Render("Merge another assessor's bundle") + "\n\n")
	switch {
	case m.preview == nil && m.loading:
		b.WriteString(s.Subtle.Render("Reading and checking the bundle…"))
	case m.preview == nil:
		b.WriteString(m.step.view(s, m.width))
	case m.preview.Already != nil:
		fmt.Fprintf(&b, "This bundle was already merged (%s); merging it again changes nothing.\n\n%s",
			assessment.DocTime(m.preview.Already.At), s.Subtle.Render("ctrl+s or esc to go back"))
	default:
		p := m.preview.Plan
		fmt.Fprintf(&b, "From %s, exported %s. %s to take, %s kept as changed here, %s to decide.\n",
			m.bundle.Manifest.ExportedBy, assessment.DocTime(m.bundle.Manifest.ExportedAt),
			assessment.Plural(len(p.Take), "change", "changes"), assessment.Plural(p.Kept, "record", "records"),
			assessment.Plural(len(p.Conflicts), "conflict", "conflicts"))
		for _, n := range p.NotMerged {
			b.WriteString(s.Subtle.Render("Not merged: "+n+".") + "\n")
		}
		for i, c := range p.Take {
			if i == 3 {
				fmt.Fprintf(&b, "  … and %d more\n", len(p.Take)-3)
				break
			}
			b.WriteString(common.Fit("  take "+c.Label+": "+assessment.MergeSummary(c.Theirs), m.width-1) + "\n")
		}
		b.WriteString("\n")
		end := min(len(p.Conflicts), m.offset+m.visible())
		for i := m.offset; i < end; i++ {
			c := p.Conflicts[i]
			choice := "keep mine  "
			if m.theirs[c.Ref] {
				choice = "take theirs"
			}
			line := common.Fit(fmt.Sprintf(" %s  %s  %s", c.Ref, choice, c.Label), m.width-1)
			if i == m.cursor {
				line = s.Selected.Render(line)
			}
			b.WriteString(line + "\n")
			b.WriteString(s.Subtle.Render(common.Fit("      here:   "+assessment.MergeSummary(c.Mine), m.width-1)) + "\n")
			b.WriteString(s.Subtle.Render(common.Fit("      theirs: "+assessment.MergeSummary(c.Theirs), m.width-1)) + "\n")
		}
		if len(p.Take)+len(p.Conflicts) == 0 {
			b.WriteString("Nothing to merge: the bundle holds no change this assessment lacks.\n")
		}
	}
	return b.String() + m.errLine()
}

func (m *Merge) Typing() bool { return m.preview == nil }

func (m *Merge) Keys() common.Help {
	k, g := m.e.Keys.Exchange, m.e.Keys.Global
	if m.preview == nil {
		return common.HelpOf(common.Relabel(m.e.Keys.Home.Open, "enter", "read the bundle"), g.Back)
	}
	return common.HelpOf(k.Toggle, common.Relabel(k.Apply, "ctrl+s", "merge"), g.Back)
}
