package pdf

import (
	"math"
	"slices"
	"sort"
	"strings"
)

// Tables: rows are collected, then laid out at end(): column widths can follow the
// content (auto), rows wrap text inside their cells (breaking only between words, or with
// a hyphen), grow to the tallest cell, break across pages with the header repeated and the
// table's context ("§164.310(b) Workstation Use (continued)") above it, split a row that
// is taller than a page, and never leave fewer than widowRows rows alone on a page.

// col is a table column: its heading, relative width and alignment.
type col struct {
	head  string
	w     float64 // relative; fixed tables scale the columns to the content width
	align string  // "L", "C" or "R"
}

// cell is one table cell. Style is "", "B", "I" or "M" (monospaced).
type cell struct {
	text   string
	style  string
	fill   *rgb
	color  *rgb
	attach *attachment // evidence attachment opened from this cell
}

// txt is a plain cell.
func txt(s string) cell { return cell{text: s} }

type entryKind int

const (
	rowEntry   entryKind = iota
	groupEntry           // a full-width heading row (a question, a vendor), kept with the next row
	spanEntry            // a full-width row kept with the row before it (a hash, a note)
)

type tableEntry struct {
	kind  entryKind
	cells []cell
	lines [][]string // wrapped, at layout
	n     int        // lines
}

type table struct {
	d       *doc
	cols    []col
	widths  []float64
	auto    bool
	size    float64 // font size in points
	lh      float64
	padY    float64
	context string // what the table is about, repeated above it on continuation pages
	entries []tableEntry

	cur   *tableEntry // the group the rows being drawn belong to
	drawn bool        // any row drawn on the current page since the header
	// headerPage is the page the header was last drawn on.
	headerPage int
	hh         float64
}

// widowRows is the fewest rows of a table that go to a page of their own: a table that
// would leave fewer breaks earlier, so no page holds one lonely row.
const widowRows = 3

// newTable starts a table with fixed relative column widths.
func (d *doc) newTable(size float64, cols ...col) *table {
	t := &table{d: d, cols: cols, size: size, lh: lineH(size), padY: 1.1, context: d.head}
	total := 0.0
	for _, c := range cols {
		total += c.w
	}
	t.widths = make([]float64, len(cols))
	for i, c := range cols {
		t.widths[i] = contentW * c.w / total
	}
	return t
}

// newAutoTable starts a table whose column widths follow its content: each column is at
// least as wide as its longest word, and the space left goes to the columns whose text
// would otherwise wrap most. The relative widths of cols are ignored.
func (d *doc) newAutoTable(size float64, cols ...col) *table {
	t := d.newTable(size, cols...)
	t.auto = true
	return t
}

// group adds a full-width row (a question, a vendor) kept with the row after it.
func (t *table) group(c cell) {
	t.entries = append(t.entries, tableEntry{kind: groupEntry, cells: []cell{c}})
}

// span adds a full-width row kept with the row before it.
func (t *table) span(c cell) {
	t.entries = append(t.entries, tableEntry{kind: spanEntry, cells: []cell{c}})
}

// row adds a row of cells.
func (t *table) row(cells ...cell) {
	t.entries = append(t.entries, tableEntry{kind: rowEntry, cells: cells})
}

// end lays the table out and leaves a small gap below it.
func (t *table) end() {
	if len(t.entries) == 0 {
		return
	}
	if t.auto {
		t.fitColumns()
	}
	t.checkHeadings()
	for i := range t.entries {
		t.wrapEntry(&t.entries[i])
	}
	for i := 0; i < len(t.entries); i++ {
		e := &t.entries[i]
		switch e.kind {
		case groupEntry:
			t.cur = e
			t.drawGroup(e, t.keepAfter(i))
		case spanEntry:
			t.drawSpan(e)
		default:
			t.drawRow(i)
		}
	}
	t.d.f.SetY(t.d.y() + 3)
}

func (t *table) checkHeadings() {
	d := t.d
	d.font("B", t.size)
	for i, c := range t.cols {
		for _, w := range strings.Fields(c.head) {
			if d.width(w)+2*cellPad > t.widths[i]+0.01 {
				d.warn("table heading word %q is wider than its %.1f mm column", w, t.widths[i])
			}
		}
	}
}

// cellFont sets a cell's font; monospaced identifiers are set a little smaller so they fit
// narrow columns on one line.
func (t *table) cellFont(style string) {
	size := t.size
	if style == "M" {
		size *= 0.88
	}
	t.d.font(style, size)
}

// fitColumns sets auto widths (the automatic table layout of HTML, simplified): every
// column gets its minimum (longest word); a column whose natural width (its typical
// longest line) is no more than an even share of the width left gets all of it, so
// short columns (dates, statuses) never wrap; the rest is shared among the wide columns
// in proportion to how much more each needs.
func (t *table) fitColumns() {
	d := t.d
	n := len(t.cols)
	minW, natW := make([]float64, n), make([]float64, n)
	cellW := make([][]float64, n)
	d.font("B", t.size)
	for i, c := range t.cols {
		for _, w := range strings.Fields(c.head) {
			minW[i] = max(minW[i], d.width(w))
		}
		natW[i] = d.width(c.head)
	}
	for _, e := range t.entries {
		if e.kind != rowEntry {
			continue
		}
		for i, c := range e.cells {
			if i >= n {
				break
			}
			t.cellFont(c.style)
			longest := 0.0
			for _, ln := range strings.Split(d.clean(c.text), "\n") {
				longest = max(longest, d.width(ln))
				for _, w := range words(ln, 0, d.width) {
					for _, p := range splitAfter(w) {
						minW[i] = max(minW[i], d.width(p))
					}
				}
			}
			cellW[i] = append(cellW[i], longest)
		}
	}
	for i := range natW {
		natW[i] = max(natW[i], typical(cellW[i]))
	}
	sumMin, sumNat := 0.0, 0.0
	for i := range minW {
		minW[i] += 2*cellPad + 0.2
		natW[i] = max(natW[i]+2*cellPad+0.2, minW[i])
		// a single long word (an identifier, a hash) may not claim more than half the page
		minW[i] = min(minW[i], contentW/2)
		sumMin += minW[i]
		sumNat += natW[i]
	}
	switch {
	case sumNat <= contentW:
		extra := contentW - sumNat
		for i := range t.widths {
			t.widths[i] = natW[i] + extra*natW[i]/sumNat
		}
	case sumMin >= contentW:
		for i := range t.widths {
			t.widths[i] = minW[i] * contentW / sumMin
		}
	default:
		t.shareWidths(minW, natW)
	}
}

// typical is the width a column's lines mostly need: the longest, except that in a
// column of ten or more cells the longest tenth may wrap rather than widen the column
// for everyone.
func typical(ws []float64) float64 {
	if len(ws) == 0 {
		return 0
	}
	s := append([]float64(nil), ws...)
	sort.Float64s(s)
	return s[int(math.Ceil(0.9*float64(len(s))))-1]
}

// shareWidths sets widths when the natural widths do not fit but the minimums do:
// narrow columns first get their natural width, then the wide ones share what is left.
func (t *table) shareWidths(minW, natW []float64) {
	n := len(minW)
	fixed := make([]bool, n)
	left, free := contentW, n
	for changed := true; changed && free > 1; {
		changed = false
		for i := range natW {
			if fixed[i] || natW[i] > left/float64(free) {
				continue
			}
			// fixing this column must leave the others at least their minimum
			rest := 0.0
			for j := range minW {
				if !fixed[j] && j != i {
					rest += minW[j]
				}
			}
			if left-natW[i] < rest {
				continue
			}
			fixed[i], changed = true, true
			t.widths[i] = natW[i]
			left -= natW[i]
			free--
		}
	}
	sumMin, sumNat := 0.0, 0.0
	for i := range minW {
		if !fixed[i] {
			sumMin += minW[i]
			sumNat += natW[i]
		}
	}
	k := 0.0
	if sumNat > sumMin {
		k = min(1, (left-sumMin)/(sumNat-sumMin))
	}
	for i := range minW {
		if !fixed[i] {
			t.widths[i] = minW[i] + (natW[i]-minW[i])*k
		}
	}
	// whatever is still left (every free column at its natural width) widens the last
	// free column, so the table keeps the full width
	used := 0.0
	for _, w := range t.widths {
		used += w
	}
	for i := n - 1; i >= 0; i-- {
		if !fixed[i] || i == 0 {
			t.widths[i] += contentW - used
			break
		}
	}
}

// wrapEntry wraps every cell of an entry.
func (t *table) wrapEntry(e *tableEntry) {
	d := t.d
	if e.kind != rowEntry {
		c := e.cells[0]
		t.cellFont(c.style)
		if c.style == "" || c.style == "M" {
			d.font(c.style, t.size)
		}
		e.lines = [][]string{d.lines(d.clean(c.text), contentW)}
		e.n = len(e.lines[0])
		return
	}
	e.lines = make([][]string, len(t.cols))
	e.n = 1
	for i := range t.cols {
		var c cell
		if i < len(e.cells) {
			c = e.cells[i]
		}
		t.cellFont(c.style)
		e.lines[i] = d.lines(d.clean(c.text), t.widths[i])
		e.n = max(e.n, len(e.lines[i]))
	}
}

func (t *table) height(e *tableEntry) float64 { return float64(e.n)*t.lh + 2*t.padY }

// keepAfter is the height a group row keeps with it: the rows of its group up to three.
func (t *table) keepAfter(i int) float64 {
	h := 0.0
	rows := 0
	for j := i + 1; j < len(t.entries) && rows < 1; j++ {
		e := &t.entries[j]
		if e.kind == groupEntry {
			break
		}
		h += min(t.height(e), 3*t.lh+2*t.padY)
		if e.kind == rowEntry {
			rows++
		}
	}
	return h
}

// headerLines wraps the column headings and returns the header row's height.
func (t *table) headerLines() ([][]string, float64) {
	d := t.d
	d.font("B", t.size)
	ls := make([][]string, len(t.cols))
	n := 1
	for i, c := range t.cols {
		ls[i] = d.lines(d.cleanLine(c.head), t.widths[i])
		n = max(n, len(ls[i]))
	}
	return ls, float64(n)*t.lh + 2*t.padY
}

func (t *table) headerHeight() float64 {
	if t.hh == 0 {
		_, t.hh = t.headerLines()
	}
	return t.hh
}

func (t *table) header() {
	d := t.d
	ls, h := t.headerLines()
	y := d.y()
	d.fillColor(colHeadFill)
	d.rect(marginL, y, contentW, h, "F")
	d.font("B", t.size)
	d.textColor(colWhite)
	x := marginL
	for i, c := range t.cols {
		for j, ln := range ls[i] {
			d.f.SetXY(x, y+t.padY+float64(j)*t.lh)
			d.cell(t.widths[i], t.lh, ln, "", 0, c.align)
		}
		x += t.widths[i]
	}
	d.f.SetXY(marginL, y+h)
	t.drawn = false
	t.headerPage = d.f.PageNo()
}

// started reports whether the header is on the current page above the cursor.
func (t *table) started() bool { return t.headerPage == t.d.f.PageNo() }

// begin makes room for h millimetres of the table's first content with its header (and
// the headings waiting above the table), and draws the header.
func (t *table) begin(h float64) {
	t.d.room(t.headerHeight() + h)
	if !t.started() {
		t.header()
	}
}

// breakPage continues the table on a new page: its context, the header again, and the
// current group row marked as continued, so the rows below keep their context.
func (t *table) breakPage() {
	d := t.d
	d.newPage()
	if t.context != "" {
		d.continued(t.context)
	}
	t.header()
	if t.cur != nil {
		c := t.cur.cells[0]
		c.text = d.cleanLine(c.text) + " (continued)"
		c.color = &colMuted
		e := tableEntry{kind: groupEntry, cells: []cell{c}}
		t.wrapEntry(&e)
		t.paintGroup(&e)
	}
}

// contextHeight is what a continuation page repeats above the header.
func (t *table) contextHeight() float64 {
	h := t.headerHeight()
	if t.context != "" {
		h += lineH(9.5) + 1
	}
	if t.cur != nil {
		h += t.height(t.cur)
	}
	return h
}

// drawGroup draws a group row, first making room for it and keep millimetres more.
func (t *table) drawGroup(e *tableEntry, keep float64) {
	d := t.d
	need := t.height(e) + keep
	if !t.started() {
		t.begin(need)
	} else if d.y()+need > bottomY {
		t.cur = nil // the new page starts with this group, not a continued one
		t.breakPage()
		t.cur = e
	}
	t.paintGroup(e)
}

func (t *table) paintGroup(e *tableEntry) {
	fill := colFaint
	if c := e.cells[0]; c.fill != nil {
		fill = *c.fill
	}
	t.paintWide(e, &fill)
	t.drawn = true
}

// drawSpan draws a full-width row on the page of the row before it when it fits.
func (t *table) drawSpan(e *tableEntry) {
	if !t.started() {
		t.begin(t.height(e))
	} else if t.d.y()+t.height(e) > bottomY {
		t.breakPage()
	}
	t.paintWide(e, e.cells[0].fill)
}

// paintWide draws a full-width entry (a group heading or a span) at the current position:
// its fill when it has one, its lines in its cell's font and color, and the rule under it.
func (t *table) paintWide(e *tableEntry, fill *rgb) {
	d := t.d
	c := e.cells[0]
	h := t.height(e)
	y := d.y()
	if fill != nil {
		d.fillColor(*fill)
		d.rect(marginL, y, contentW, h, "F")
	}
	t.cellFont(c.style)
	col := colInk
	if c.color != nil {
		col = *c.color
	}
	d.textColor(col)
	for j, ln := range e.lines[0] {
		d.f.SetXY(marginL, y+t.padY+float64(j)*t.lh)
		d.cell(contentW, t.lh, ln, "", 0, "L")
	}
	d.drawColor(colRule)
	d.f.Line(marginL, y+h, marginL+contentW, y+h)
	d.f.SetXY(marginL, y+h)
}

// rest is the height of the entries from i to the end of the table.
func (t *table) rest(i int) (h float64, rows int) {
	for j := i; j < len(t.entries); j++ {
		h += t.height(&t.entries[j])
		if t.entries[j].kind == rowEntry {
			rows++
		}
	}
	return h, rows
}

// drawRow draws row i, breaking the page before it when it does not fit, when the rows
// left would make a lonely page, or inside it when it is taller than a page.
func (t *table) drawRow(i int) {
	d := t.d
	e := &t.entries[i]
	cells := e.cells
	n := e.n
	spanH := 0.0
	if i+1 < len(t.entries) && t.entries[i+1].kind == spanEntry {
		spanH = t.height(&t.entries[i+1])
	}
	if !t.started() {
		// keep the first two rows (or the only one) together with the header
		first := t.height(e) + spanH
		if j := i + 1 + min(1, int(spanH)); j < len(t.entries) && t.entries[j].kind == rowEntry {
			first += t.height(&t.entries[j])
		}
		// a short table moves whole rather than leave a row or two behind
		if restH, restRows := t.rest(i); restRows <= 2*widowRows && restH <= bottomY-marginT-t.contextHeight() {
			first = restH
		}
		t.begin(min(first, bottomY-marginT-t.headerHeight()))
	}
	// Widow control: when the rest of the table will not fit here, leave at least
	// widowRows rows (or all that are left) for the next page.
	if t.drawn {
		restH, restRows := t.rest(i)
		if d.y()+restH > bottomY && restRows <= widowRows && restH <= bottomY-marginT-t.contextHeight() {
			t.breakPage()
		}
	}
	for from := 0; from < n; {
		avail := bottomY - d.y()
		need := float64(n-from)*t.lh + 2*t.padY
		if from == 0 {
			need += spanH
		}
		if need <= avail {
			t.drawPart(cells, e.lines, from, n)
			break
		}
		fits := int((avail - 2*t.padY) / t.lh)
		fresh := bottomY - marginT - t.contextHeight()
		// Move the rest of the row to a fresh page when it fits there whole, or when too
		// little of it fits here to be worth splitting; split it only when it is taller
		// than a page or the page has nothing else on it.
		if fits < 1 || (t.drawn && (need <= fresh || (from == 0 && fits < 3))) {
			t.breakPage()
			continue
		}
		t.drawPart(cells, e.lines, from, from+fits)
		from += fits
		t.breakPage()
	}
	t.d.prog.step(0)
}

// drawPart draws lines [from, to) of a row's cells at the cursor.
func (t *table) drawPart(cells []cell, ls [][]string, from, to int) {
	d := t.d
	y := d.y()
	h := float64(to-from)*t.lh + 2*t.padY
	at := func(i int) cell {
		if i < len(cells) {
			return cells[i]
		}
		return cell{}
	}
	// The fills (and attachment links) first, then the text grouped by font. Cells do not
	// overlap, so the page looks the same; fpdf writes a font operator at every change, and
	// drawn column by column a row changed fonts at every monospaced cell and back.
	xs := make([]float64, len(t.cols))
	x := marginL
	for i := range t.cols {
		xs[i] = x
		ce, w := at(i), t.widths[i]
		if ce.fill != nil {
			d.fillColor(*ce.fill)
			d.rect(x+0.3, y+0.3, w-0.6, h-0.6, "F")
		}
		if from == 0 && ce.attach != nil {
			d.linkAttachment(ce.attach, x, y, w, h)
		}
		x += w
	}
	for _, i := range t.byFont(at) {
		ce, c := at(i), t.cols[i]
		t.cellFont(ce.style)
		colr := colInk
		if ce.color != nil {
			colr = *ce.color
		}
		d.textColor(colr)
		for j := from; j < to && j < len(ls[i]); j++ {
			d.f.SetXY(xs[i], y+t.padY+float64(j-from)*t.lh)
			d.cell(t.widths[i], t.lh, ls[i][j], "", 0, c.align)
		}
	}
	d.drawColor(colRule)
	d.lineWidth(0.2)
	d.f.Line(marginL, y+h, marginL+contentW, y+h)
	d.f.SetXY(marginL, y+h)
	t.drawn = true
}

// byFont orders the columns for drawing: those in the font already in effect first, then
// each other style in the order it first appears.
func (t *table) byFont(at func(int) cell) []int {
	order := make([]int, 0, len(t.cols))
	styles := []string{t.d.styleInEffect()}
	for i := range t.cols {
		if s := at(i).style; !slices.Contains(styles, s) {
			styles = append(styles, s)
		}
	}
	for _, s := range styles {
		for i := range t.cols {
			if at(i).style == s {
				order = append(order, i)
			}
		}
	}
	return order
}

// kv writes label–value pairs as a two-column table without a header.
func (d *doc) kv(pairs [][2]string) {
	size := 9.0
	lh := lineH(size)
	lw := 50.0
	for _, p := range pairs {
		d.font("", size)
		vl := d.lines(d.clean(p[1]), contentW-lw)
		d.font("B", size)
		kl := d.lines(d.cleanLine(p[0]), lw)
		n := max(len(vl), len(kl))
		h := float64(n)*lh + 2
		d.room(min(h, 3*lh+2))
		y := d.y()
		for j := 0; j < n; j++ {
			if y+1+float64(j+1)*lh > bottomY {
				d.newPage()
				y = d.y() - float64(j)*lh
			}
			if j < len(kl) {
				d.font("B", size)
				d.textColor(colMuted)
				d.f.SetXY(marginL, y+1+float64(j)*lh)
				d.cell(lw, lh, kl[j], "", 0, "L")
			}
			if j < len(vl) {
				d.font("", size)
				d.textColor(colInk)
				d.f.SetXY(marginL+lw, y+1+float64(j)*lh)
				d.cell(contentW-lw, lh, vl[j], "", 0, "L")
			}
		}
		end := y + 1 + float64(n)*lh + 1
		d.drawColor(colRule)
		d.lineWidth(0.15)
		d.f.Line(marginL, end, marginL+contentW, end)
		d.lineWidth(0.2)
		d.f.SetXY(marginL, end)
	}
	d.f.SetY(d.y() + 3)
}
