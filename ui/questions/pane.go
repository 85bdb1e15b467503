package questions

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/ui/common"
)

// cached renders a short, often repeated text (a symbol, a status cell, a flag) once per
// style set: kind names the style.
func (w *Model) cached(st lipgloss.Style, kind byte, text string) string {
	k := string(kind) + text
	if v, ok := w.memo[k]; ok {
		return v
	}
	if len(w.memo) > 4096 {
		clear(w.memo)
	}
	v := st.Render(text)
	w.memo[k] = v
	return v
}

// paint colors a status's text.
func (w *Model) paint(s assessment.ResponseStatus, text string) string {
	kind := byte('d')
	switch s {
	case assessment.Implemented:
		kind = 'o'
	case assessment.Partial, assessment.Flagged:
		kind = 'w'
	case assessment.NotImplemented:
		kind = 'b'
	}
	return w.cached(w.styles.Answer(s), kind, text)
}

// paintSymbol colors a tree mark.
func (w *Model) paintSymbol(sym string) string {
	st := w.styles
	switch sym {
	case "✔":
		return w.cached(st.OK, 'o', sym)
	case "◐", "?", "…":
		return w.cached(st.Warn, 'w', sym)
	case "✘":
		return w.cached(st.Bad, 'b', sym)
	case "▾", "▸":
		return w.cached(st.Accent, 'a', sym)
	}
	return w.cached(st.Subtle, 'd', sym)
}

// box draws lines in a rounded box of exactly w×h cells with a title in the top edge.
// Lines already fitted to the inner width skip the measuring.
func box(title string, lines []string, w, h int, border lipgloss.Style, fitted bool) []string {
	inner := w - 4
	out := make([]string, 0, h)
	t := common.Fit(" "+title+" ", min(common.Width(title)+2, max(w-4, 0)))
	out = append(out, border.Render("╭─")+t+border.Render(strings.Repeat("─", max(w-3-common.Width(t), 0))+"╮"))
	left, right := border.Render("│")+" ", " "+border.Render("│")
	for i := 0; i < h-2; i++ {
		switch {
		case i >= len(lines):
			out = append(out, left+strings.Repeat(" ", max(inner, 0))+right)
		case fitted:
			out = append(out, left+lines[i]+right)
		default:
			out = append(out, left+common.Fit(lines[i], inner)+right)
		}
	}
	out = append(out, border.Render("╰"+strings.Repeat("─", max(w-2, 0))+"╯"))
	return out
}

func (w *Model) View() string {
	if w.data == nil {
		return w.styles.Subtle.Render("Loading the questionnaire…")
	}
	if w.search != nil {
		return w.search.view(w)
	}
	if len(w.nodes) == 0 {
		return "No questions apply yet. Describe the organization and its systems under Setup,\nthen come back here to answer them."
	}
	st := w.styles
	h := max(w.height, 3)
	w.rowsY = -1
	if w.wide() {
		tw := w.treeWidth()
		w.treeW = tw
		pw := w.width - tw
		tb, pb := st.Border, st.Border
		title, paneTitle := w.treeTitle(), "Overview"
		if n := w.node(); n != nil && n.kind == kindQuestion {
			paneTitle = "Question " + n.q.ID
		}
		// The focused pane says so in its title, so focus shows without color too.
		if w.focus == focusTree {
			tb, title = st.Focus, "▶ "+title
		} else {
			pb, paneTitle = st.Focus, "▶ "+paneTitle+" · answering rows"
		}
		tree := box(title, w.treeLines(tw-4, h-2), tw, h, tb, true)
		pane := box(paneTitle, w.paneLines(pw-4, h-2), pw, h, pb, false)
		if w.rowsY >= 0 {
			w.rowsY++ // under the top border
		}
		var b strings.Builder
		for i := range h {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(tree[i])
			b.WriteString(pane[i])
		}
		return b.String()
	}
	lines := make([]string, 0, h)
	if w.tree {
		lines = append(lines, " "+common.Fit(st.Header.Render("▶ "+w.treeTitle())+st.Subtle.Render("  ↑/↓ move · enter opens · t back to the question"), w.width-2))
		for _, l := range w.treeLines(w.width-2, h-1) {
			lines = append(lines, " "+l)
		}
	} else {
		lines = append(lines, " "+w.breadcrumb(w.width-2))
		for _, l := range w.paneLines(w.width-2, h-1) {
			lines = append(lines, " "+l)
		}
		if w.rowsY >= 0 {
			w.rowsY++ // under the breadcrumb
		}
	}
	return strings.Join(lines, "\n")
}

// treeWidth is the tree's share of a wide layout: about a third, and two fifths from 160
// columns, where question titles then read in full.
func (w *Model) treeWidth() int {
	if w.width >= 160 {
		return w.width * 2 / 5
	}
	return max(32, min(46, w.width*34/100))
}

// treeTitle heads the tree: its filters and the depth the questionnaire asks at.
func (w *Model) treeTitle() string {
	t := "Safeguards · " + w.depth()
	if w.filtered() {
		t += " · " + w.filter.short()
	}
	return t
}

// depth is the depth the assessment asks at, for the header: "standard depth".
func (w *Model) depth() string {
	return string(w.data.Snap.Profile.DepthOrDefault()) + " depth"
}

// breadcrumb says where the cursor is when the tree is folded away.
func (w *Model) breadcrumb(width int) string {
	right := ""
	if w.filtered() {
		right = "filter: " + w.filter.short() + " · "
	}
	right += w.depth() + " · t tree"
	var parts []string
	for i := w.cur; i >= 0; i = w.nodes[i].parent {
		n := &w.nodes[i]
		if n.kind == kindQuestion {
			continue
		}
		l := treeLabel(n)
		if n.kind == kindSafeguard {
			l = safeguardName(n)
		}
		parts = append([]string{l}, parts...)
	}
	left := strings.Join(parts, " › ")
	lw := max(width-common.Width(right)-2, 10)
	return common.Fit(w.styles.Accent.Render(common.Fit(left, lw)), lw) + "  " + w.styles.Subtle.Render(right)
}

// treeLines draws the visible tree rows, width cells each.
func (w *Model) treeLines(width, rows int) []string {
	end := min(len(w.vis), w.treeOff+rows)
	out := make([]string, 0, max(end-w.treeOff, 0))
	if w.rowCacheW != width || len(w.rowCache) != len(w.nodes) {
		w.rowCache, w.rowCacheW = make([]string, len(w.nodes)), width
	}
	for p := w.treeOff; p < end; p++ {
		i := w.vis[p]
		if i == w.cur {
			out = append(out, w.treeRow(i, width))
			continue
		}
		if w.rowCache[i] == "" {
			w.rowCache[i] = w.treeRow(i, width)
		}
		out = append(out, w.rowCache[i])
	}
	return out
}

func (w *Model) treeRow(i, width int) string {
	st := w.styles
	n := &w.nodes[i]
	indent := strings.Repeat(" ", min(n.depth*2, 8))
	sym := nodeSymbol(n, w.folded[n.key])
	prog := progress(n.counts, w.filter)
	if n.counts.Carried > 0 && !w.filtered() && n.kind == kindQuestion {
		prog = "↻ " + prog
	}
	labelW := max(width-len(indent)-2-1-common.Width(prog), 4)
	label := common.Fit(treeLabel(n), labelW)
	if i == w.cur {
		plain := indent + sym + " " + label + " " + prog
		if w.focus == focusTree {
			return st.Selected.Render(common.Fit(plain, width))
		}
		return st.SelectedIdle.Render(common.Fit(plain, width))
	}
	if n.kind == kindSafeguard {
		label = st.Bold.Render(label)
	}
	progS := st.Subtle.Render(prog)
	if !w.filtered() && n.counts.Applicable > 0 && n.counts.Answered() == n.counts.Applicable {
		progS = st.OK.Render(prog)
	}
	return common.Fit(indent+w.paintSymbol(sym)+" "+label+" "+progS, width)
}

// paneLines draws the right side: a group's overview or a question with its answer rows.
func (w *Model) paneLines(width, height int) []string {
	n := w.node()
	if n == nil {
		return []string{w.styles.Subtle.Render("Nothing matches this filter. Press " + w.e.Keys.Questions.Filter.Help().Key +
			" to change it or esc to show everything.")}
	}
	if n.group() {
		return w.groupPane(n, width, height)
	}
	return w.questionPane(n, width, height)
}

// heading is a question's citation, title and kind ("Required", "Addressable" or
// "Standard").
func heading(cat *controls.Catalog, q *controls.Question) (cite, title, kind string) {
	if q.Specification != "" {
		if sp, ok := cat.Specification(q.Specification); ok {
			return citation(sp.ID), sp.Title, sp.Requirement.Label()
		}
	}
	if std, ok := cat.Standard(q.Standard); ok {
		return citation(std.ID), std.Title, "Standard"
	}
	return citation(q.Standard), "", "Standard"
}

func (w *Model) questionPane(n *treeNode, width, height int) []string {
	st, d, q := w.styles, w.data, n.q
	ba := d.Snap.Profile.BusinessAssociate()
	cite, title, kind := heading(d.Catalog, q)
	kindS := st.Subtle.Render(kind)
	if kind == controls.Addressable.Label() {
		kindS = st.Warn.Render(kind)
	}
	lines := make([]string, 0, height)
	lines = append(lines, st.Header.Render(cite+" "+title)+st.Subtle.Render(" · ")+kindS)
	scope := "once for the organization"
	if q.Scope == controls.ScopeAsset {
		scope = fmt.Sprintf("for each system (%d in scope)", len(n.items))
	}
	meta := q.ID + " · " + scope
	if q.Basis != "" {
		meta += " · basis: " + q.Basis.Label()
	}
	if q.AnsweredBy != "" && w.wide() {
		meta += " · usually answered by " + common.AnswererPhrase(q.AnsweredBy)
	}
	l2 := common.Wrap(meta, width)
	for i := range l2 {
		l2[i] = st.Subtle.Render(l2[i])
	}
	if q.Proposed {
		l2 = append([]string{st.Badge.Render(" proposed rule — not law ")}, l2...)
	}
	lines = append(lines, l2...)
	lines = append(lines, w.gateLines(q, width)...)
	lines = append(lines, "")
	for _, l := range common.Wrap(q.TextFor(ba), width) {
		lines = append(lines, st.Bold.Render(l))
	}
	lines = append(lines, "")

	it, _ := w.curItem()
	detail, full := w.rowDetail(it, width)
	details := append(full, w.details(q, width)...)
	nrows := len(n.items)
	reserve := 4 // lines kept for the help under the rows
	if height < 24 {
		reserve = 2
	}
	room := height - len(lines) - 1 - len(detail) - min(len(details), reserve)
	if need := min(nrows, 3); room < need && len(detail) > 0 {
		// Keep a few systems in view: the end of the row's detail moves into the part
		// that scrolls, under the rows.
		k := min(len(detail)-1, need-room)
		if k > 0 {
			details = append(append([]string(nil), detail[len(detail)-k:]...), details...)
			detail = detail[:len(detail)-k]
			room += k
		}
	}
	win := max(1, min(nrows, room))
	if w.row < w.rowOff {
		w.rowOff = w.row
	}
	if w.row >= w.rowOff+win {
		w.rowOff = w.row - win + 1
	}
	w.rowOff = max(0, min(w.rowOff, nrows-win))

	tailW := 0
	for _, ix := range n.items {
		tailW = max(tailW, common.Width(w.rowTail(&d.Items[ix])))
	}
	cols := rowCols(width, tailW)
	lines = append(lines, w.rowsHeader(n, win, cols, width)...)
	w.rowsY, w.rowsN = len(lines), win
	for r := w.rowOff; r < w.rowOff+win; r++ {
		lines = append(lines, w.answerRow(&d.Items[n.items[r]], r == w.row, cols, width))
	}
	lines = append(lines, detail...)
	rem := height - len(lines)
	if rem <= 0 || len(details) == 0 {
		return lines
	}
	if rem <= 3 && details[0] == "" {
		details = details[1:] // no room for the spacer
	}
	w.paneOff = max(0, min(w.paneOff, len(details)-rem))
	shown := details[w.paneOff:min(len(details), w.paneOff+rem)]
	lines = append(lines, shown...)
	if w.paneOff+rem < len(details) {
		lines[len(lines)-1] = st.Subtle.Render("↓ more below: pgdn or the mouse wheel")
	}
	return lines
}

// gateLines say how a question is gated: the follow-ups a gate takes away when it is
// answered not applicable, and for a follow-up the gate it depends on.
func (w *Model) gateLines(q *controls.Question, width int) []string {
	var out []string
	if f := w.follows[q.ID]; len(f) > 0 {
		verb := "are"
		if len(f) == 1 {
			verb = "is"
		}
		text := fmt.Sprintf("Gate: %s (%s) %s asked unless this is answered not applicable.",
			assessment.Plural(len(f), "follow-up question", "follow-up questions"), strings.Join(f, ", "), verb)
		out = append(out, common.Wrap(text, width)...)
	}
	if q.Follows != "" {
		out = append(out, common.Wrap("Follow-up of "+q.Follows+": it goes away if that question is answered not applicable.", width)...)
	}
	for i := range out {
		out[i] = w.styles.Subtle.Render(out[i])
	}
	return out
}

// rowsHeader heads the answer rows: what they are, which rows show, and what ↑/↓ move
// (so the focus shows without color); while A waits for its answer key, that prompt.
func (w *Model) rowsHeader(n *treeNode, win int, cols rowColumns, width int) []string {
	st := w.styles
	if w.applying {
		ls := common.Wrap(w.applyAllPrompt(), width)
		for i := range ls {
			ls[i] = st.Selected.Render(common.Fit(ls[i], width))
		}
		return ls
	}
	what := "Applies to"
	if n.q.Scope == controls.ScopeAsset {
		what = "System"
	}
	if len(n.items) > win {
		what += fmt.Sprintf(" (%d–%d of %d)", w.rowOff+1, w.rowOff+win, len(n.items))
	}
	marker := "  "
	if w.focus == focusRows {
		marker = "▶ "
	}
	head := marker + common.Fit(what, cols.name) + "  " + common.Fit("owner", cols.owner) + "  answer"
	hint := ""
	switch {
	case len(n.items) < 2:
	case w.focus == focusRows:
		hint = "↑/↓: systems · ←: questions"
	default:
		hint = "↑/↓: questions · →: systems"
	}
	if hint != "" && common.Width(head)+2+common.Width(hint) <= width {
		head = common.Fit(head, width-common.Width(hint)) + hint
	}
	return []string{st.Subtle.Render(common.Fit(head, width))}
}

type rowColumns struct{ name, owner, status int }

// rowCols splits an answer row: marker, name, owner, status, then the flags (tail). The
// tail gets more room on wide screens.
func rowCols(width, tail int) rowColumns {
	c := rowColumns{owner: 9, status: 17}
	c.name = max(width-2-2-c.owner-2-c.status-1-min(tail, max(12, width/5)), 12)
	return c
}

// rowName is an answer row's first column: the organization, or the asset with its
// hosting model and vendor.
func (w *Model) rowName(it *assessment.ItemView) string {
	if it.Asset == nil {
		return "The organization"
	}
	a := it.Asset
	s := a.Name + " (" + a.Hosting.Short()
	if v, ok := w.data.Vendor(a.VendorID); ok {
		s += " · " + v.Name
	}
	return s + ")"
}

// rowTail is the end of an answer row: a carried-over answer to re-validate, the vendor an
// inherited row rests on, and the first vendor issue.
func (w *Model) rowTail(it *assessment.ItemView) string {
	var tail []string
	if r := it.Response; r != nil && r.Revalidate {
		tail = append(tail, "↻ re-validate")
	}
	if it.Inherited != nil {
		tail = append(tail, "from "+it.InheritedFrom)
	}
	if fl := it.Issues; len(fl) > 0 {
		f := "⚠ " + fl[0].Short()
		if len(fl) > 1 {
			f += " +" + strconv.Itoa(len(fl)-1)
		}
		tail = append(tail, f)
	}
	return strings.Join(tail, " ")
}

// answerRow draws one row. The highlighted row (the one the answer keys act on) is marked
// ▸ and reversed when the rows have focus, underlined when the tree has it.
func (w *Model) answerRow(it *assessment.ItemView, selected bool, c rowColumns, width int) string {
	st := w.styles
	owner := it.Owner.Label()
	if it.Override != nil {
		owner += "*"
	}
	t := w.rowTail(it)
	marker := "  "
	if selected {
		marker = "▸ "
	}
	name := common.Fit(w.rowName(it), c.name)
	status := it.Status
	if w.pending[it.Key()] > 0 && !it.Answered() {
		status = "" // saving: shown as it was until the reload, but not as "to do"
	}
	stText := common.Symbol(status) + " " + status.Short()
	if w.pending[it.Key()] > 0 {
		stText = "… saving"
	}
	if selected {
		plain := marker + name + "  " + common.Fit(owner, c.owner) + "  " + common.Fit(stText, c.status) + " " + t
		if w.focus == focusRows {
			return st.Selected.Render(common.Fit(plain, width))
		}
		return st.SelectedIdle.Render(common.Fit(plain, width))
	}
	if t != "" {
		t = w.cached(st.Warn, 'w', t)
	}
	return common.Fit(marker+name+"  "+common.Fit(owner, c.owner)+"  "+w.paint(status, common.Fit(stText, c.status))+" "+t, width)
}

// rowDetail is what the pane says about the highlighted row under the rows: its answer,
// note, reason, decision, evidence, owner override, vendor issues and linked risks, each in
// at most two lines; full repeats in full, for the scrolled details, what was cut.
func (w *Model) rowDetail(it *assessment.ItemView, width int) (out, full []string) {
	if it == nil {
		return nil, nil
	}
	st, d := w.styles, w.data
	r := it.Response
	k := w.e.Keys.Questions
	clipped := false
	add := func(prefix, text string) {
		ls := common.Hang(prefix, text, width)
		if len(ls) > 2 {
			clipped = true
			full = append(full, ls...)
		}
		out = append(out, common.Clip(ls, 2)...)
	}
	switch {
	case r == nil && it.Inherited != nil:
		out = append(out, w.paint(it.Status, common.Symbol(it.Status)+" "+it.Status.Label()))
		add("Rests on ", it.Inherited.Basis())
		for _, l := range common.Wrap("Answer the row ("+k.AnswerHint.Help().Key+") to override the vendor review with your own finding.", width) {
			out = append(out, st.Subtle.Render(l))
		}
	case r == nil:
		help := fmt.Sprintf("Not answered yet: %s implemented · %s partial · %s not · %s n/a · %s flag", k.Implemented.Help().Key,
			k.Partial.Help().Key, k.NotImplemented.Help().Key, k.NotApplicable.Help().Key, k.Flag.Help().Key)
		for _, l := range common.Wrap(help, width) {
			out = append(out, st.Subtle.Render(l))
		}
	default:
		by := ""
		if !r.At.IsZero() {
			by = " · " + r.By + ", " + assessment.DocDate(r.At)
		}
		out = append(out, common.Truncate("Answer: "+w.paint(r.Status, common.Symbol(r.Status)+" "+r.Status.Label())+st.Subtle.Render(by), width))
		if r.Revalidate {
			for _, l := range common.Wrap("↻ Carried over from the previous revision: check it still holds, then answer again.", width) {
				out = append(out, st.Warn.Render(l))
			}
		}
		if r.Status == assessment.NotApplicable && r.Reason != "" {
			add("Why not applicable: ", r.Reason)
		}
		if r.Note != "" {
			add("Note: ", r.Note)
		}
	}
	if assessment.TakesDecision(d.Catalog, it.Question) {
		switch {
		case r == nil || r.Decision == assessment.DecisionNone:
			if r == nil || (r.Status != assessment.NotApplicable && r.Status != assessment.Flagged) {
				for _, l := range common.Wrap("Addressable decision (§164.306(d)(3)) not recorded yet; "+k.Implemented.Help().Key+" records implemented as specified, "+k.Decision.Help().Key+" records another.", width) {
					out = append(out, st.Warn.Render(l))
				}
			}
		default:
			text := r.Decision.Label()
			if r.DecisionText != "" {
				text += ": “" + r.DecisionText + "”"
			}
			add("Decision: ", text)
			if r.Decision == assessment.DecisionAlternative && r.Reason != "" {
				add("Rationale: ", r.Reason)
			}
		}
	}
	if len(it.Evidence) > 0 {
		names := make([]string, len(it.Evidence))
		for i, id := range it.Evidence {
			names[i] = w.evName[id]
		}
		add("Evidence: ", strings.Join(names, "; "))
	}
	if ov := it.Override; ov != nil {
		def, _ := assessment.Owner(it.Question, it.Asset, nil)
		add("Owner: ", fmt.Sprintf("%s* (catalog default: %s). Reason: %s", it.Owner.Label(), def.Label(), ov.Reason))
	}
	for _, f := range it.Issues {
		for _, l := range common.Clip(common.Hang("⚠ ", f.Text, width), 2) {
			out = append(out, st.Warn.Render(l))
		}
	}
	if tr, ok := d.Trace(it.Key()); ok {
		text := w.linkedRisks(tr)
		if tr.Reason != "" {
			text = "No risk follows: " + tr.Reason
		} else if len(tr.Risks) == 0 {
			text += " Press " + k.NoRisk.Help().Key + " to record why no risk follows, if none does."
		}
		add("Risks: ", text)
	}
	if clipped {
		full = append([]string{"", st.Header.Render("This row in full")}, full...)
	} else {
		full = nil
	}
	return out, full
}

// details are the question's help, evidence examples, key activities, lenses and
// crosswalk, under the answer rows.
func (w *Model) details(q *controls.Question, width int) []string {
	st, cat := w.styles, w.data.Catalog
	out := []string{""}
	if q.AnsweredBy != "" && !w.wide() {
		out = append(out, st.Subtle.Render("Usually answered by "+common.AnswererPhrase(q.AnsweredBy)+"."), "")
	}
	if ls := common.Wrap(q.HelpFor(w.data.Snap.Profile.BusinessAssociate()), width); len(ls) > 0 {
		out = append(out, st.Header.Render("Why it matters"))
		out = append(out, ls...)
		out = append(out, "")
	}
	if len(q.Evidence) > 0 {
		out = append(out, st.Header.Render("Evidence to look for"))
		for _, e := range q.Evidence {
			out = append(out, common.Hang("• ", e, width)...)
		}
		out = append(out, "")
	}
	if len(q.KeyActivities) > 0 {
		out = append(out, st.Header.Render("Key activity (NIST SP 800-66r2)"))
		for _, ka := range q.KeyActivities {
			out = append(out, common.Hang(strings.TrimPrefix(ka, "KA_")+"  ", cat.KeyActivityTitle(ka), width)...)
		}
	}
	if len(q.Lenses) > 0 {
		var names []string
		for _, id := range q.Lenses {
			if l, ok := cat.Lens(id); ok {
				names = append(names, l.Title)
			} else {
				names = append(names, id)
			}
		}
		out = append(out, common.Hang("Lenses: ", strings.Join(names, "; "), width)...)
	}
	var cw []string
	if len(q.SP80053r5) > 0 {
		cw = append(cw, "SP 800-53 Rev. 5 "+strings.Join(q.SP80053r5, ", "))
	}
	if len(q.CSF20) > 0 {
		cw = append(cw, "CSF 2.0 "+strings.Join(q.CSF20, ", "))
	}
	if len(cw) > 0 {
		for _, l := range common.Hang("Crosswalk: ", strings.Join(cw, " · "), width) {
			out = append(out, st.Subtle.Render(l))
		}
	}
	return out
}

// groupPane is the overview of a safeguard, standard or specification.
func (w *Model) groupPane(n *treeNode, width, height int) []string {
	st := w.styles
	c := n.counts
	var lines []string
	switch n.kind {
	case kindSafeguard:
		lines = append(lines, st.Header.Render(citation(n.cite)+" "+n.title))
	case kindStandard:
		lines = append(lines, st.Header.Render(citation(n.cite)+" "+n.title)+st.Subtle.Render(" · Standard"))
	case kindStdSelf:
		lines = append(lines, st.Header.Render(citation(n.cite)+" "+n.std.Title)+st.Subtle.Render(" · the standard itself"))
	case kindSpec:
		lines = append(lines, st.Header.Render(citation(n.cite)+" "+n.title)+st.Subtle.Render(" · ")+st.Warn.Render(n.req.Label()))
	}
	lines = append(lines, "")
	lines = append(lines, fmt.Sprintf("%s of %s answered (%s)", assessment.FormatInt(c.Answered()), assessment.FormatInt(c.Applicable),
		assessment.Percent(c.Completion())))
	parts := []string{
		st.OK.Render(fmt.Sprintf("✔ %d implemented", c.Implemented)),
		st.Warn.Render(fmt.Sprintf("◐ %d partial", c.Partial)),
		st.Bad.Render(fmt.Sprintf("✘ %d not implemented", c.NotImplemented)),
		st.Subtle.Render(fmt.Sprintf("– %d not applicable", c.NotApplicable)),
		st.Warn.Render(fmt.Sprintf("? %d flagged", c.Flagged)),
		st.Subtle.Render(fmt.Sprintf("· %d unanswered", c.Unanswered)),
	}
	lines = append(lines, common.Flow(parts, "  ", width)...)
	if c.Carried > 0 {
		lines = append(lines, st.Warn.Render("↻ "+assessment.Plural(c.Carried, "answer", "answers")+" carried over from the previous revision need re-validating"))
	}
	if l := n.listed; l.Applicable != c.Applicable || l.Answered() != c.Answered() {
		text := fmt.Sprintf("Counted as in the dashboard and the reports: a question counts under every specification it answers for, and 2025 proposed-rule items are counted apart. The questions listed here hold %s of %s answered.",
			assessment.FormatInt(l.Answered()), assessment.FormatInt(l.Applicable))
		for _, s := range common.Wrap(text, width) {
			lines = append(lines, st.Subtle.Render(s))
		}
	}
	if w.filtered() {
		lines = append(lines, st.Accent.Render(fmt.Sprintf("Filter %s: %d match", w.filter.short(), c.match)))
	}
	lines = append(lines, "")
	switch {
	case n.kind == kindSpec && n.req == controls.Addressable:
		lines = append(lines, common.Wrap("Addressable: implement it where it is reasonable and appropriate. If it is not, document why and put an equivalent alternative measure in place where that is reasonable (§164.306(d)(3)). Press d on a question to record the decision.", width)...)
	case n.kind == kindSpec:
		lines = append(lines, common.Wrap("Required: this specification must be implemented.", width)...)
	case n.kind == kindSafeguard:
		lines = append(lines, common.Wrap(assessment.Plural(questionsUnder(w.nodes, w.cur), "question applies", "questions apply")+" here. Open a standard with → or enter.", width)...)
	}
	if n.std != nil && len(n.std.KeyActivities) > 0 && n.kind != kindSafeguard {
		lines = append(lines, "", st.Header.Render("Key activities (NIST SP 800-66r2)"))
		for _, ka := range n.std.KeyActivities {
			lines = append(lines, common.Hang(strings.TrimPrefix(ka.ID, "KA_")+"  ", ka.Title, width)...)
		}
	}
	lines = append(lines, "")
	for _, l := range common.Wrap("→ or enter opens it · ] next unanswered question · / find", width) {
		lines = append(lines, st.Subtle.Render(l))
	}
	if len(lines) > height {
		lines = lines[:height]
	}
	return lines
}

// questionsUnder counts the question nodes under node i.
func questionsUnder(nodes []treeNode, i int) int {
	n := 0
	for j := i + 1; j < nodes[i].end; j++ {
		if nodes[j].kind == kindQuestion {
			n++
		}
	}
	return n
}
