package questions

import (
	"fmt"
	"slices"

	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/common"
)

// The answer model, in one place: the answer keys act on the highlighted row (the current
// question's answer row under the cursor), whichever pane has focus; after an answer the
// cursor moves to the next unanswered row of the same question, then to the next question.
// Every change to an answer is saved by save or saveAll, each a command ending in a
// SavedMsg (after which the shell reloads).

// handled reports whether item ix needs no answer from the assessor now: it has one
// (inherited included), or one was just given here and the reload has not come back yet.
func (w *Model) handled(ix int) bool {
	it := &w.data.Items[ix]
	return it.Answered() || w.pending[it.Key()] > 0
}

// markPending remembers that k was answered here, until a reload shows it (or two more
// reloads pass, when the save failed).
func (w *Model) markPending(k assessment.ItemKey) {
	if w.pending == nil {
		w.pending = map[assessment.ItemKey]int{}
	}
	w.pending[k] = w.loads + 1
}

// prunePending drops the keys the fresh data shows answered, and those whose save must have
// failed (its reload came and went without the answer).
func (w *Model) prunePending() {
	for k, at := range w.pending {
		ix, ok := w.data.Index[k]
		if !ok || w.data.Items[ix].Answered() || w.loads > at+1 {
			delete(w.pending, k)
		}
	}
}

// target is the item the answer keys act on, or a notice saying why there is none.
func (w *Model) target() (*assessment.ItemView, tea.Cmd) {
	if cmd := w.readOnly(); cmd != nil {
		return nil, cmd
	}
	it, ok := w.curItem()
	if !ok {
		return nil, common.Notice("Choose a question first: move onto one with ↑/↓ (enter opens a group).")
	}
	return it, nil
}

// readOnly refuses changes to a final assessment.
func (w *Model) readOnly() tea.Cmd {
	if w.data.Final() {
		return common.Notice("This assessment is final and read-only. Start a new revision (Finalize tab) to change answers.")
	}
	return nil
}

// baseResponse is the item's stored answer, or a new one, ready to change.
func baseResponse(it *assessment.ItemView) (assessment.Response, bool) {
	if it.Response != nil {
		return *it.Response, true
	}
	k := it.Key()
	return assessment.Response{QuestionID: k.QuestionID, AssetID: k.AssetID}, false
}

// answer saves a status on the highlighted row at once and moves on. On an addressable
// specification implemented records "implemented as specified" in the same key; a gap
// without a decision opens the decision dialog on the choices the rules allow.
func (w *Model) answer(st assessment.ResponseStatus) tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	base, _ := baseResponse(it)
	r, ask := assessment.AnswerAs(w.data.Catalog, it.Question, base, st)
	what := st.Phrase()
	if r.Decision == assessment.DecisionAsSpecified && base.Decision != assessment.DecisionAsSpecified {
		what += ", as specified (§164.306(d)(3))"
	}
	save := w.save(r, what, it)
	w.tree = false
	if f := w.follows[it.Question.ID]; len(f) > 0 && base.Status == assessment.NotApplicable && st != assessment.NotApplicable {
		// The gate applies again: its follow-ups come back after the reload; go to the first.
		w.jumpTo = "q:" + f[0]
	}
	w.advance()
	if ask {
		return tea.Sequence(save, w.decisionAfter(it, r))
	}
	return save
}

// advance moves the cursor after an answer: to the next unanswered row of the same
// question (after the current one, then before it), else to the first unanswered row of
// the next question that has one (wrapping around once), so the next answer key never
// lands on an answer already given. When nothing is left open, the cursor stays. Questions
// named in skip are passed over (the follow-ups a gate answered not applicable takes away).
func (w *Model) advance(skip ...string) {
	n := w.node()
	if n == nil || n.kind != kindQuestion {
		return
	}
	if len(n.items) > 0 {
		w.markPending(w.data.Items[n.items[w.row]].Key())
	}
	for d := 1; d < len(n.items); d++ {
		r := (w.row + d) % len(n.items)
		if !w.handled(n.items[r]) {
			w.row, w.landed = r, true
			return
		}
	}
	for d := 1; d < len(w.nodes); d++ {
		i := (w.cur + d) % len(w.nodes)
		q := &w.nodes[i]
		if q.kind != kindQuestion || (w.filtered() && q.counts.match == 0) || slices.Contains(skip, q.q.ID) {
			continue
		}
		for r, ix := range q.items {
			if !w.handled(ix) {
				w.selectNode(i)
				w.row, w.landed = r, true
				return
			}
		}
	}
}

// save stores one response as a command; the notice says what else happened. It is the
// one way a single answer reaches the workspace.
func (w *Model) save(r assessment.Response, what string, it *assessment.ItemView) tea.Cmd {
	ctx, s, id := w.e.Ctx, w.e.Store, w.data.ID()
	where := itemName(it)
	// A conflict (another process changed the answer since the user saw it) opens the
	// conflict dialog with both values (common.Versioned).
	return common.Versioned(common.Describe(r), r.Version, func(version int64) common.SavedMsg {
		r.Version = version
		res, err := s.SaveResponse(ctx, id, r)
		return common.SavedMsg{Notice: savedNotice(what, where, r.QuestionID, res), Err: err}
	})
}

// saveAll stores several responses of one question in one transaction.
func (w *Model) saveAll(rs []assessment.Response, what string, qid string) tea.Cmd {
	ctx, s, id := w.e.Ctx, w.e.Store, w.data.ID()
	where := assessment.Plural(len(rs), "system", "systems")
	return func() tea.Msg {
		res, err := s.SaveResponses(ctx, id, rs)
		return common.SavedMsg{Notice: savedNotice(what, where, qid, res), Err: err}
	}
}

func savedNotice(what, where, qid string, res store.SaveResult) string {
	s := "Saved " + what + " for " + where + " (" + qid + ")."
	switch {
	case res.Proposed == 1:
		s += " 1 risk proposed from this gap; rate it under Risks."
	case res.Proposed > 1:
		s += " " + assessment.FormatInt(res.Proposed) + " risks proposed from this gap; rate them under Risks."
	}
	if res.Withdrawn > 0 {
		s += " " + assessment.Plural(res.Withdrawn, "unconfirmed risk proposal", "unconfirmed risk proposals") + " withdrawn."
	}
	return s
}

// clear removes the answer of the highlighted row.
func (w *Model) clear() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	r, ok := w.data.Responses[it.Key()]
	if !ok || r == nil {
		return common.Notice("This row has no answer to clear.")
	}
	ctx, s, id, k, seen := w.e.Ctx, w.e.Store, w.data.ID(), it.Key(), r.Version
	note := "Cleared the answer for " + itemName(it) + " (" + k.QuestionID + ")."
	return common.Mutate(note, func() error { return s.ClearResponse(ctx, id, k.QuestionID, k.AssetID, seen) })
}

// itemName names an item's row: the asset, or the organization.
func itemName(it *assessment.ItemView) string {
	if it.Asset == nil {
		return "the organization"
	}
	return it.Asset.Name
}

// startApplyAll arms "answer every system alike": the next answer key answers every row
// of the current per-system question.
func (w *Model) startApplyAll() tea.Cmd {
	if cmd := w.readOnly(); cmd != nil {
		return cmd
	}
	n := w.node()
	if n == nil || n.kind != kindQuestion {
		return common.Notice("Choose a per-system question first.")
	}
	if n.q.Scope != controls.ScopeAsset {
		return common.Notice("This question is answered once for the whole organization, so there are no systems to answer alike.")
	}
	if len(n.items) < 2 {
		return common.Notice("This question is asked of one system only; answer its row directly.")
	}
	w.applying = true
	return nil
}

// applyAllPrompt is the line the rows header shows while "answer every system" waits for
// its answer key.
func (w *Model) applyAllPrompt() string {
	n := w.node()
	k := w.e.Keys.Questions
	answered := 0
	for _, ix := range n.items {
		if w.data.Items[ix].Response != nil {
			answered++
		}
	}
	s := fmt.Sprintf("Answer all %d systems: %s implemented · %s partial · %s not · %s n/a · %s flag · esc cancel",
		len(n.items), k.Implemented.Help().Key, k.Partial.Help().Key, k.NotImplemented.Help().Key,
		k.NotApplicable.Help().Key, k.Flag.Help().Key)
	if answered > 0 {
		s += fmt.Sprintf(" (replaces %s)", assessment.Plural(answered, "answer", "answers"))
	}
	return s
}

// applyAll answers every row of the current question st (not applicable with one reason,
// asked first) in one transaction, each row audited, and moves to the next question.
func (w *Model) applyAll(st assessment.ResponseStatus, reason string) tea.Cmd {
	n := w.node()
	if n == nil || n.kind != kindQuestion {
		return nil
	}
	rs := make([]assessment.Response, 0, len(n.items))
	undecided := 0
	for _, ix := range n.items {
		it := &w.data.Items[ix]
		base, _ := baseResponse(it)
		r, ask := assessment.AnswerAs(w.data.Catalog, it.Question, base, st)
		if st == assessment.NotApplicable {
			r.Reason = reason
		}
		if ask {
			undecided++
		}
		rs = append(rs, r)
		w.markPending(it.Key())
	}
	qid := n.q.ID
	w.row = len(n.items) - 1
	w.advance()
	save := w.saveAll(rs, st.Phrase(), qid)
	if undecided == 0 {
		return save
	}
	return tea.Sequence(save, common.Notice(fmt.Sprintf("%s of %s no §164.306(d)(3) decision: record one with %s on the row, or plan a treatment on a risk linked to the gap.",
		assessment.Plural(undecided, "row has", "rows have"), qid, w.e.Keys.Questions.Decision.Help().Key)))
}

// applyAllKey takes the key after "answer every system": an answer key applies it, any
// other key cancels.
func (w *Model) applyAllKey(st assessment.ResponseStatus, ok bool) tea.Cmd {
	w.applying = false
	if !ok {
		return common.Notice("Nothing changed: no answer was given to every system.")
	}
	if st == assessment.NotApplicable {
		return w.notApplicableAll()
	}
	return w.applyAll(st, "")
}
