package ui

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
	"safeguard/controls"
)

// wkStyles are the walker's own styles, derived from the app's: answer colours (green
// implemented, amber partial or warning, red gap, dim unanswered) that the symbols repeat
// for NO_COLOR.
type wkStyles struct {
	ok, warn, bad, dim, bold, head, badge lipgloss.Style
	sel, selIdle, accent, border, focus   lipgloss.Style
	memo                                  map[string]string // short renders, see cached
}

// cached renders a short, often repeated text (a symbol, a status cell, a flag) once.
func (st wkStyles) cached(s lipgloss.Style, kind byte, text string) string {
	k := string(kind) + text
	if v, ok := st.memo[k]; ok {
		return v
	}
	if len(st.memo) > 4096 {
		clear(st.memo)
	}
	v := s.Render(text)
	st.memo[k] = v
	return v
}

func newWkStyles(s Styles) wkStyles {
	ld := lipgloss.LightDark(s.isDark)
	c := func(light, dark string) color.Color {
		if s.noColor {
			return lipgloss.NoColor{}
		}
		return ld(lipgloss.Color(light), lipgloss.Color(dark))
	}
	accent := c("#5A3FC0", "#B4A7F5")
	st := wkStyles{
		ok:      lipgloss.NewStyle().Foreground(c("#1B7F3B", "#7BD88F")),
		warn:    lipgloss.NewStyle().Foreground(c("#8A6D00", "#F2C94C")),
		bad:     lipgloss.NewStyle().Foreground(c("#B00020", "#FF6B6B")),
		dim:     s.Subtle,
		bold:    lipgloss.NewStyle().Bold(true),
		head:    s.Header,
		badge:   lipgloss.NewStyle().Bold(true).Foreground(c("#FFFFFF", "#1A1A1A")).Background(c("#8A6D00", "#F2C94C")),
		sel:     s.Selected,
		selIdle: lipgloss.NewStyle().Bold(true).Foreground(accent).Underline(true),
		accent:  lipgloss.NewStyle().Foreground(accent),
		border:  s.Subtle,
		focus:   lipgloss.NewStyle().Foreground(accent),
		memo:    map[string]string{},
	}
	if s.noColor {
		st.badge = lipgloss.NewStyle().Reverse(true)
		st.selIdle = lipgloss.NewStyle().Bold(true).Underline(true)
	}
	return st
}

// wkSymbol is a status's mark.
func wkSymbol(st assessment.ResponseStatus) string {
	switch st {
	case assessment.Implemented:
		return "✔"
	case assessment.Partial:
		return "◐"
	case assessment.NotImplemented:
		return "✘"
	case assessment.NotApplicable:
		return "–"
	case assessment.Flagged:
		return "?"
	}
	return "·"
}

// paint colours a status's text.
func (st wkStyles) paint(s assessment.ResponseStatus, text string) string {
	switch s {
	case assessment.Implemented:
		return st.cached(st.ok, 'o', text)
	case assessment.Partial, assessment.Flagged:
		return st.cached(st.warn, 'w', text)
	case assessment.NotImplemented:
		return st.cached(st.bad, 'b', text)
	}
	return st.cached(st.dim, 'd', text)
}

// paintSymbol colours a tree mark.
func (st wkStyles) paintSymbol(sym string) string {
	switch sym {
	case "✔":
		return st.cached(st.ok, 'o', sym)
	case "◐", "?", "…":
		return st.cached(st.warn, 'w', sym)
	case "✘":
		return st.cached(st.bad, 'b', sym)
	case "▾", "▸":
		return st.cached(st.accent, 'a', sym)
	}
	return st.cached(st.dim, 'd', sym)
}

// wkFit pads or cuts a (possibly styled) line to exactly width cells.
func wkFit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	n := wkWidth(s)
	if n > width {
		s = ansi.Truncate(s, width, "…")
		n = ansi.StringWidth(s)
	}
	if n < width {
		s += strings.Repeat(" ", width-n)
	}
	return s
}

// wkWidth is ansi.StringWidth with a fast path for plain printable ASCII.
func wkWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// wkWrap wraps plain text to width and splits it into lines.
func wkWrap(s string, width int) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return strings.Split(ansi.Wrap(s, max(width, 8), ""), "\n")
}

// wkHang wraps text under a prefix, continuing lines indented by the prefix's width.
func wkHang(prefix, s string, width int) []string {
	pw := ansi.StringWidth(prefix)
	ls := wkWrap(s, width-pw)
	for i := range ls {
		if i == 0 {
			ls[i] = prefix + ls[i]
		} else {
			ls[i] = strings.Repeat(" ", pw) + ls[i]
		}
	}
	return ls
}

// wkBox draws lines in a rounded box of exactly w×h cells with a title in the top edge.
// Lines already fitted to the inner width skip the measuring.
func wkBox(title string, lines []string, w, h int, border lipgloss.Style, fitted bool) []string {
	inner := w - 4
	out := make([]string, 0, h)
	t := wkFit(" "+title+" ", min(ansi.StringWidth(title)+2, max(w-4, 0)))
	out = append(out, border.Render("╭─")+t+border.Render(strings.Repeat("─", max(w-3-ansi.StringWidth(t), 0))+"╮"))
	left, right := border.Render("│")+" ", " "+border.Render("│")
	for i := 0; i < h-2; i++ {
		switch {
		case i >= len(lines):
			out = append(out, left+strings.Repeat(" ", max(inner, 0))+right)
		case fitted:
			out = append(out, left+lines[i]+right)
		default:
			out = append(out, left+wkFit(lines[i], inner)+right)
		}
	}
	out = append(out, border.Render("╰"+strings.Repeat("─", max(w-2, 0))+"╯"))
	return out
}

func (w *walker) View() string {
	if w.data == nil {
		return w.styles.Subtle.Render("Loading the questionnaire…")
	}
	if w.search != nil {
		return w.search.view(w)
	}
	if len(w.nodes) == 0 {
		return "No questions apply yet. Describe the organisation and its systems under Setup,\nthen come back here to answer them."
	}
	h := max(w.height, 3)
	w.rowsY = -1
	if w.wide() {
		tw := max(32, min(46, w.width*34/100))
		w.treeW = tw
		pw := w.width - tw
		tb, pb := w.st.border, w.st.border
		if w.focus == wkFocusTree {
			tb = w.st.focus
		} else {
			pb = w.st.focus
		}
		title := "Safeguards"
		if w.filter != wkAll {
			title += " · " + wkFilterShort[w.filter]
		}
		tree := wkBox(title, w.treeLines(tw-4, h-2), tw, h, tb, true)
		paneTitle := "Overview"
		if n := w.node(); n != nil && n.kind == wkQuestion {
			paneTitle = "Question " + n.q.ID
		}
		pane := wkBox(paneTitle, w.paneLines(pw-4, h-2), pw, h, pb, false)
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
		title := "Safeguards"
		if w.filter != wkAll {
			title += " · " + wkFilterShort[w.filter]
		}
		lines = append(lines, " "+wkFit(w.st.head.Render(title)+w.st.dim.Render("  ↑/↓ move · enter opens · t back to the question"), w.width-2))
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

// breadcrumb says where the cursor is when the tree is folded away.
func (w *walker) breadcrumb(width int) string {
	right := ""
	if w.filter != wkAll {
		right = "filter: " + wkFilterShort[w.filter] + " · "
	}
	right += "t tree"
	var parts []string
	for i := w.cur; i >= 0; i = w.nodes[i].parent {
		n := &w.nodes[i]
		if n.kind == wkQuestion {
			continue
		}
		l := wkTreeLabel(n)
		if n.kind == wkSafeguard {
			l = wkShortSafeguard(n.title)
		}
		parts = append([]string{l}, parts...)
	}
	left := strings.Join(parts, " › ")
	lw := max(width-ansi.StringWidth(right)-2, 10)
	return wkFit(w.st.accent.Render(wkFit(left, lw)), lw) + "  " + w.st.dim.Render(right)
}

// treeLines draws the visible tree rows, width cells each.
func (w *walker) treeLines(width, rows int) []string {
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

func (w *walker) treeRow(i, width int) string {
	st := w.st
	n := &w.nodes[i]
	indent := strings.Repeat(" ", min(n.depth*2, 8))
	sym := wkNodeSymbol(n, w.folded[n.key])
	prog := wkProgress(n.counts, w.filter)
	if n.counts.reval > 0 && w.filter == wkAll && n.kind == wkQuestion {
		prog = "↻ " + prog
	}
	labelW := max(width-len(indent)-2-1-ansi.StringWidth(prog), 4)
	label := wkFit(truncate(wkTreeLabel(n), labelW), labelW)
	if i == w.cur {
		plain := indent + sym + " " + label + " " + prog
		if w.focus == wkFocusTree {
			return st.sel.Render(wkFit(plain, width))
		}
		return st.selIdle.Render(wkFit(plain, width))
	}
	if n.kind == wkSafeguard {
		label = st.bold.Render(label)
	}
	progS := st.dim.Render(prog)
	if w.filter == wkAll && n.counts.applicable > 0 && n.counts.answered() == n.counts.applicable {
		progS = st.ok.Render(prog)
	}
	return wkFit(indent+st.paintSymbol(sym)+" "+label+" "+progS, width)
}

// paneLines draws the right side: a group's overview or a question with its answer rows.
func (w *walker) paneLines(width, height int) []string {
	n := w.node()
	if n == nil {
		return []string{w.st.dim.Render("Nothing matches this filter. Press F to change it or esc to show everything.")}
	}
	if n.group() {
		return w.groupPane(n, width, height)
	}
	return w.questionPane(n, width, height)
}

// wkHeading is a question's citation, title and kind ("Required", "Addressable" or
// "Standard").
func wkHeading(cat *controls.Catalog, q *controls.Question) (cite, title, kind string) {
	if q.Specification != "" {
		if sp, ok := cat.Specification(q.Specification); ok {
			return wkCite(sp.ID), sp.Title, wkReqLabel(sp.Requirement)
		}
	}
	if std, ok := cat.Standard(q.Standard); ok {
		return wkCite(std.ID), std.Title, "Standard"
	}
	return wkCite(q.Standard), "", "Standard"
}

func (w *walker) questionPane(n *wkNode, width, height int) []string {
	st, d, q := w.st, w.data, n.q
	cat := d.cat()
	cite, title, kind := wkHeading(cat, q)
	kindS := st.dim.Render(kind)
	if kind == "Addressable" {
		kindS = st.warn.Render(kind)
	}
	lines := make([]string, 0, height)
	lines = append(lines, st.head.Render(cite+" "+title)+st.dim.Render(" · ")+kindS)
	scope := "asked once for the whole organisation"
	if q.Scope == controls.ScopeAsset {
		scope = fmt.Sprintf("asked for each system (%d in scope)", len(n.items))
	}
	l2 := st.dim.Render(q.ID + " · " + scope)
	if q.Proposed {
		l2 = st.badge.Render(" proposed rule — not law ") + " " + l2
	}
	lines = append(lines, l2, "")
	for _, l := range wkWrap(q.Text, width) {
		lines = append(lines, st.bold.Render(l))
	}
	lines = append(lines, "")

	it, _ := w.curItem()
	detail := w.rowDetail(it, width)
	details := w.details(q, width)
	nrows := len(n.items)
	reserve := 4 // lines kept for the help under the rows
	if height < 24 {
		reserve = 2
	}
	room := height - len(lines) - 1 - len(detail) - min(len(details), reserve)
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
		tailW = max(tailW, ansi.StringWidth(w.rowTail(d.items[ix])))
	}
	cols := wkRowCols(width, tailW)
	what := "Applies to"
	if q.Scope == controls.ScopeAsset {
		what = "System"
	}
	if nrows > win {
		what += fmt.Sprintf(" (%d–%d of %d)", w.rowOff+1, w.rowOff+win, nrows)
	}
	lines = append(lines, st.dim.Render(wkFit("  "+wkFit(what, cols.name)+"  "+wkFit("owner", cols.owner)+"  answer", width)))
	w.rowsY, w.rowsN = len(lines), win
	for r := w.rowOff; r < w.rowOff+win; r++ {
		lines = append(lines, w.answerRow(d.items[n.items[r]], r == w.row, cols, width))
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
		lines[len(lines)-1] = st.dim.Render("↓ more below: pgdn or the mouse wheel")
	}
	return lines
}

type wkCols struct{ name, owner, status int }

// wkRowCols splits an answer row: marker, name, owner, status, then the flags (tail).
func wkRowCols(width, tail int) wkCols {
	c := wkCols{owner: 9, status: 17}
	c.name = max(width-2-2-c.owner-2-c.status-1-min(tail, 24), 12)
	return c
}

// wkHosting is a hosting model as people write it.
func wkHosting(h controls.Hosting) string {
	switch h {
	case controls.IaaS:
		return "IaaS"
	case controls.PaaS:
		return "PaaS"
	case controls.SaaS:
		return "SaaS"
	}
	return "on-prem"
}

// wkStatusShort is a status in at most 15 cells, for the answer rows.
func wkStatusShort(st assessment.ResponseStatus) string {
	if st == assessment.Partial {
		return "partial"
	}
	return wkStatusLabel(st)
}

// wkIssueShort is a vendor issue in two or three words.
func wkIssueShort(kind string) string {
	switch kind {
	case assessment.IssueBAAMissing:
		return "no signed BAA"
	case assessment.IssueBAAExpired:
		return "BAA expired"
	case assessment.IssueAttestationLapsed:
		return "attestation lapsed"
	case assessment.IssueSOC2Only:
		return "SOC 2 only"
	case assessment.IssueNoAttestation:
		return "no attestation"
	case assessment.IssueNoProvider:
		return "no vendor named"
	}
	return kind
}

// rowName is an answer row's first column: the organisation, or the asset with its
// hosting model and vendor.
func (w *walker) rowName(it assessment.Item) string {
	if it.Asset == nil {
		return "The organisation"
	}
	a := it.Asset
	s := a.Name + " (" + wkHosting(a.Hosting)
	if v, ok := w.data.snap.Vendor(a.VendorID); ok && a.VendorID != "" {
		s += " · " + v.Name
	}
	return s + ")"
}

// rowTail is the end of an answer row: a carried-over answer to re-validate and the
// first vendor flag.
func (w *walker) rowTail(it assessment.Item) string {
	key := it.Key()
	var tail []string
	if r := w.data.resp[key]; r != nil && r.Revalidate {
		tail = append(tail, "↻ re-validate")
	}
	if fl := w.data.flags[key]; len(fl) > 0 {
		f := "⚠ " + wkIssueShort(fl[0].Kind)
		if len(fl) > 1 {
			f += " +" + strconv.Itoa(len(fl)-1)
		}
		tail = append(tail, f)
	}
	return strings.Join(tail, " ")
}

func (w *walker) answerRow(it assessment.Item, selected bool, c wkCols, width int) string {
	st, d := w.st, w.data
	key := it.Key()
	r := d.resp[key]
	status := assessment.ResponseStatus("")
	if r != nil {
		status = r.Status
	}
	owner, ov := d.owner(it)
	ownerS := string(owner)
	if ov != nil {
		ownerS += "*"
	}
	t := w.rowTail(it)
	marker := "  "
	if selected {
		marker = "▸ "
	}
	name := wkFit(truncate(w.rowName(it), c.name), c.name)
	stText := wkSymbol(status) + " " + wkStatusShort(status)
	if selected && w.focus == wkFocusRows {
		plain := marker + name + "  " + wkFit(ownerS, c.owner) + "  " + wkFit(stText, c.status) + " " + t
		return st.sel.Render(wkFit(plain, width))
	}
	if selected {
		marker = st.cached(st.accent, 'a', marker)
	}
	if t != "" {
		t = st.cached(st.warn, 'w', t)
	}
	return wkFit(marker+name+"  "+wkFit(ownerS, c.owner)+"  "+st.paint(status, wkFit(stText, c.status))+" "+t, width)
}

// rowDetail is what the pane says about the current row: its answer, note, reason,
// decision, owner override and vendor flags.
func (w *walker) rowDetail(it assessment.Item, width int) []string {
	if it.Question == nil {
		return nil
	}
	st, d := w.st, w.data
	key := it.Key()
	r := d.resp[key]
	var out []string
	if r == nil {
		out = append(out, st.dim.Render(wkFit("Not answered yet: i implemented · p partial · x not · n n/a · f flag", width)))
	} else {
		by := ""
		if !r.At.IsZero() {
			by = " · " + r.By + ", " + r.At.UTC().Format("2006-01-02")
		}
		out = append(out, "Answer: "+st.paint(r.Status, wkSymbol(r.Status)+" "+wkStatusLabel(r.Status))+st.dim.Render(by))
		if r.Revalidate {
			out = append(out, st.warn.Render(wkFit("↻ Carried over from the previous revision: check it still holds, then answer again.", width)))
		}
		if r.Status == assessment.NotApplicable && r.Reason != "" {
			out = append(out, wkClip(wkHang("Why not applicable: ", r.Reason, width), 2)...)
		}
		if r.Note != "" {
			out = append(out, wkClip(wkHang("Note: ", r.Note, width), 2)...)
		}
	}
	if wkAddressable(d.cat(), it.Question) {
		switch {
		case r == nil || r.Decision == assessment.DecisionNone:
			out = append(out, st.warn.Render(wkFit("Addressable decision (§164.306(d)(3)) not recorded yet; press d.", width)))
		default:
			text := wkDecisionLabel(r.Decision)
			if r.DecisionText != "" {
				text += ": “" + r.DecisionText + "”"
			}
			out = append(out, wkClip(wkHang("Decision: ", text, width), 2)...)
		}
	}
	if ev := w.evid[key]; len(ev) > 0 {
		out = append(out, wkClip(wkHang("Evidence: ", strings.Join(ev, "; "), width), 2)...)
	}
	if owner, ov := d.owner(it); ov != nil {
		def, _ := assessment.Owner(it.Question, it.Asset, nil)
		out = append(out, wkClip(wkHang("Owner: ", fmt.Sprintf("%s* (catalog default: %s). Reason: %s", owner, def, ov.Reason), width), 2)...)
	}
	for _, f := range d.flags[key] {
		for _, l := range wkClip(wkHang("⚠ ", f.Text, width), 2) {
			out = append(out, st.warn.Render(l))
		}
	}
	return out
}

// wkClip keeps at most n lines, marking the cut.
func wkClip(ls []string, n int) []string {
	if len(ls) <= n {
		return ls
	}
	ls = ls[:n]
	ls[n-1] = strings.TrimRight(ls[n-1], " ") + " …"
	return ls
}

// wkDecisionLabel is a decision in words.
func wkDecisionLabel(dec assessment.Decision) string {
	for _, c := range assessment.Decisions {
		if c.Value == string(dec) {
			return c.Label
		}
	}
	return string(dec)
}

// details are the question's help, evidence examples, key activities, lenses and
// crosswalk, under the answer rows.
func (w *walker) details(q *controls.Question, width int) []string {
	st, cat := w.st, w.data.cat()
	out := []string{""}
	if ls := wkWrap(q.Help, width); len(ls) > 0 {
		out = append(out, st.head.Render("Why it matters"))
		out = append(out, ls...)
		out = append(out, "")
	}
	if len(q.Evidence) > 0 {
		out = append(out, st.head.Render("Evidence to look for"))
		for _, e := range q.Evidence {
			out = append(out, wkHang("• ", e, width)...)
		}
		out = append(out, "")
	}
	if len(q.KeyActivities) > 0 {
		out = append(out, st.head.Render("Key activity (NIST SP 800-66r2)"))
		for _, ka := range q.KeyActivities {
			out = append(out, wkHang(strings.TrimPrefix(ka, "KA_")+"  ", cat.KeyActivityTitle(ka), width)...)
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
		out = append(out, wkHang("Lenses: ", strings.Join(names, "; "), width)...)
	}
	var cw []string
	if len(q.SP80053r5) > 0 {
		cw = append(cw, "SP 800-53 Rev. 5 "+strings.Join(q.SP80053r5, ", "))
	}
	if len(q.CSF20) > 0 {
		cw = append(cw, "CSF 2.0 "+strings.Join(q.CSF20, ", "))
	}
	if len(cw) > 0 {
		for _, l := range wkHang("Crosswalk: ", strings.Join(cw, " · "), width) {
			out = append(out, st.dim.Render(l))
		}
	}
	return out
}

// groupPane is the overview of a safeguard, standard or specification.
func (w *walker) groupPane(n *wkNode, width, height int) []string {
	st := w.st
	c := n.counts
	var lines []string
	switch n.kind {
	case wkSafeguard:
		lines = append(lines, st.head.Render(wkCite(n.cite)+" "+n.title))
	case wkStandard:
		lines = append(lines, st.head.Render(wkCite(n.cite)+" "+n.title)+st.dim.Render(" · Standard"))
	case wkStdSelf:
		lines = append(lines, st.head.Render(wkCite(n.cite)+" "+n.std.Title)+st.dim.Render(" · the standard itself"))
	case wkSpec:
		lines = append(lines, st.head.Render(wkCite(n.cite)+" "+n.title)+st.dim.Render(" · ")+st.warn.Render(wkReqLabel(n.req)))
	}
	lines = append(lines, "")
	pct := 0
	if c.applicable > 0 {
		pct = 100 * c.answered() / c.applicable
	}
	lines = append(lines, fmt.Sprintf("%d of %d answered (%d%%)", c.answered(), c.applicable, pct))
	parts := []string{
		st.ok.Render(fmt.Sprintf("✔ %d implemented", c.implemented)),
		st.warn.Render(fmt.Sprintf("◐ %d partial", c.partial)),
		st.bad.Render(fmt.Sprintf("✘ %d not implemented", c.notImpl)),
		st.dim.Render(fmt.Sprintf("– %d not applicable", c.notApp)),
		st.warn.Render(fmt.Sprintf("? %d flagged", c.flagged)),
		st.dim.Render(fmt.Sprintf("· %d unanswered", c.unanswered())),
	}
	lines = append(lines, wkFlow(parts, width)...)
	if c.reval > 0 {
		lines = append(lines, st.warn.Render(fmt.Sprintf("↻ %d answers carried over from the previous revision need re-validating", c.reval)))
	}
	if w.filter != wkAll {
		lines = append(lines, st.accent.Render(fmt.Sprintf("Filter %s: %d match", wkFilterLabels[w.filter], c.match)))
	}
	lines = append(lines, "")
	switch {
	case n.kind == wkSpec && n.req == controls.Addressable:
		lines = append(lines, wkWrap("Addressable: implement it where it is reasonable and appropriate. If it is not, document why and put an equivalent alternative measure in place where that is reasonable (§164.306(d)(3)). Press d on a question to record the decision.", width)...)
	case n.kind == wkSpec:
		lines = append(lines, wkWrap("Required: this specification must be implemented.", width)...)
	case n.kind == wkSafeguard:
		lines = append(lines, wkWrap(fmt.Sprintf("%d questions apply here. Open a standard with → or enter.", wkQuestionsUnder(w.nodes, w.cur)), width)...)
	}
	if n.std != nil && len(n.std.KeyActivities) > 0 && n.kind != wkSafeguard {
		lines = append(lines, "", st.head.Render("Key activities (NIST SP 800-66r2)"))
		for _, ka := range n.std.KeyActivities {
			lines = append(lines, wkHang(strings.TrimPrefix(ka.ID, "KA_")+"  ", ka.Title, width)...)
		}
	}
	lines = append(lines, "", st.dim.Render(wkFit("→ or enter opens it · ] next unanswered question · / find", width)))
	if len(lines) > height {
		lines = lines[:height]
	}
	return lines
}

// wkQuestionsUnder counts the question nodes under node i.
func wkQuestionsUnder(nodes []wkNode, i int) int {
	n := 0
	for j := i + 1; j < nodes[i].end; j++ {
		if nodes[j].kind == wkQuestion {
			n++
		}
	}
	return n
}

// wkFlow lays styled parts out on lines of at most width cells.
func wkFlow(parts []string, width int) []string {
	var out []string
	line, lw := "", 0
	for _, p := range parts {
		pw := ansi.StringWidth(p)
		if lw > 0 && lw+2+pw > width {
			out = append(out, line)
			line, lw = "", 0
		}
		if lw > 0 {
			line += "  "
			lw += 2
		}
		line += p
		lw += pw
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
