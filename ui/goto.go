package ui

import (
	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
)

// gotoMsg asks the shell to show an item in the section that owns it: a question (with
// its asset row) in the walker, a risk in the register.
type gotoMsg struct {
	item   assessment.ItemKey
	riskID string
}

func gotoItem(it assessment.ReadinessItem) tea.Cmd {
	return func() tea.Msg {
		return gotoMsg{item: assessment.ItemKey{QuestionID: it.QuestionID, AssetID: it.AssetID}, riskID: it.RiskID}
	}
}

// itemFocuser is a section that can bring one item to the front.
type itemFocuser interface {
	focusItem(m gotoMsg) bool
}

// focusItem selects the question and asset row of m in the tree, clearing a filter that
// would hide it.
func (w *walker) focusItem(m gotoMsg) bool {
	if w.data == nil || m.item.QuestionID == "" {
		return false
	}
	ix, ok := w.data.index[m.item]
	if !ok {
		return false
	}
	if w.filter != wkAll {
		w.setFilter(wkAll)
	}
	w.gotoItem(ix)
	return true
}

// focusItem selects a risk in the register, showing all risks so the filter cannot hide it.
func (k *risks) focusItem(m gotoMsg) bool {
	if m.riskID == "" || k.data == nil {
		return false
	}
	k.filter, k.query = len(rkFilters)-1, "" // "all"
	k.refresh(m.riskID)
	return k.selectedID() == m.riskID
}
