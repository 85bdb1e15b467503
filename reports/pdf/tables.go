package pdf

import "strings"

// Tables: rows wrap text inside their cells, grow to the tallest cell, break across pages
// with the header repeated, and split a row that is taller than a page between pages
// rather than letting text run off it.

// col is a table column: its heading, relative width and alignment.
type col struct {
	head  string
	w     float64 // relative; the table scales the columns to the content width
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

type table struct {
	d       *doc
	cols    []col
	widths  []float64
	size    float64 // font size in points
	lh      float64
	padY    float64
	pending *cell // a group row waiting to be kept with the next row
	cur     *cell // the group the rows being drawn belong to
	drawn   bool  // any row drawn on the current page since the header
	// headerPage is the page the header was last drawn on.
	headerPage int
	hh         float64
}

// newTable starts a table at the current position; the header is drawn with the first
// row so a table never starts with a lonely header at the foot of a page.
func (d *doc) newTable(size float64, cols ...col) *table {
	t := &table{d: d, cols: cols, size: size, lh: lineH(size), padY: 1.1}
	total := 0.0
	for _, c := range cols {
		total += c.w
	}
	t.widths = make([]float64, len(cols))
	for i, c := range cols {
		t.widths[i] = contentW * c.w / total
	}
	d.font("B", size)
	for i, c := range cols {
		for _, w := range strings.Fields(c.head) {
			if d.f.GetStringWidth(w)+2*cellPad > t.widths[i] {
				d.warn("table heading word %q is wider than its %.1f mm column", w, t.widths[i])
			}
		}
	}
	return t
}

// headerLines wraps the column headings and returns the header row's height.
func (t *table) headerLines() ([][]string, float64) {
	d := t.d
	d.font("B", t.size)
	ls := make([][]string, len(t.cols))
	n := 1
	for i, c := range t.cols {
		ls[i] = d.lines(cleanLine(c.head), t.widths[i])
		n = max(n, len(ls[i]))
	}
	return ls, float64(n)*t.lh + 2*t.padY
}

func (t *table) header() {
	d := t.d
	ls, h := t.headerLines()
	d.ensure(h + t.lh + 2*t.padY)
	y := d.y()
	d.fillColor(colHeadFill)
	d.f.Rect(marginL, y, contentW, h, "F")
	d.font("B", t.size)
	d.textColor(colWhite)
	x := marginL
	for i, c := range t.cols {
		for j, ln := range ls[i] {
			d.f.SetXY(x, y+t.padY+float64(j)*t.lh)
			d.f.CellFormat(t.widths[i], t.lh, ln, "", 0, c.align, false, 0, "")
		}
		x += t.widths[i]
	}
	d.f.SetXY(marginL, y+h)
	t.drawn = false
	t.headerPage = d.f.PageNo()
}

// rowLines wraps every cell of a row.
func (t *table) rowLines(cells []cell) ([][]string, int) {
	d := t.d
	ls := make([][]string, len(t.cols))
	n := 1
	for i := range t.cols {
		var c cell
		if i < len(cells) {
			c = cells[i]
		}
		t.cellFont(c.style)
		ls[i] = d.lines(clean(c.text), t.widths[i])
		n = max(n, len(ls[i]))
		if c.style == "M" && len(ls[i]) > 1 && len(c.text) < 40 && !strings.ContainsAny(c.text, " \n") {
			d.warn("identifier %q is broken across lines in a %.1f mm column", c.text, t.widths[i])
		}
	}
	return ls, n
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

// group adds a full-width row (a question, a vendor) kept with the row after it.
func (t *table) group(c cell) {
	t.flush()
	t.pending = &c
	t.cur = &c
}

// breakPage continues the table on a new page: the header again, and the current group
// row marked as continued so the rows below it keep their context.
func (t *table) breakPage() {
	t.d.newPage()
	t.header()
	if t.cur != nil {
		c := *t.cur
		c.text = cleanLine(c.text)
		t.d.font(c.style, t.size)
		c.text = t.d.fit(c.text, contentW-2*cellPad-t.d.f.GetStringWidth(" (continued)")) + " (continued)"
		c.color = &colMuted
		t.drawGroup(c, 0)
	}
}

// flush draws a pending group row on its own.
func (t *table) flush() {
	if t.pending == nil {
		return
	}
	c := *t.pending
	t.pending = nil
	t.drawGroup(c, 0)
}

func (t *table) groupLines(c cell) []string {
	t.d.font(c.style, t.size)
	return t.d.lines(clean(c.text), contentW)
}

// drawGroup draws a group row, first making room for it and keep millimetres more.
func (t *table) drawGroup(c cell, keep float64) {
	d := t.d
	ls := t.groupLines(c)
	h := float64(len(ls))*t.lh + 2*t.padY
	need := h + keep
	if !t.started() {
		need += t.headerHeight()
	}
	if d.y()+need > bottomY {
		d.newPage()
	}
	if !t.started() {
		t.header()
	}
	y := d.y()
	fill := colFaint
	if c.fill != nil {
		fill = *c.fill
	}
	d.fillColor(fill)
	d.f.Rect(marginL, y, contentW, h, "F")
	d.font(c.style, t.size)
	col := colInk
	if c.color != nil {
		col = *c.color
	}
	d.textColor(col)
	for j, ln := range ls {
		d.f.SetXY(marginL, y+t.padY+float64(j)*t.lh)
		d.f.CellFormat(contentW, t.lh, ln, "", 0, "L", false, 0, "")
	}
	d.drawColor(colRule)
	d.f.Line(marginL, y+h, marginL+contentW, y+h)
	d.f.SetXY(marginL, y+h)
	t.drawn = true
}

// started reports whether the header is on the current page above the cursor.
func (t *table) started() bool { return t.headerPage == t.d.f.PageNo() }

// row adds a row of cells.
func (t *table) row(cells ...cell) {
	d := t.d
	ls, n := t.rowLines(cells)
	if t.pending != nil {
		c := *t.pending
		t.pending = nil
		t.drawGroup(c, min(float64(n), 3)*t.lh+2*t.padY)
	}
	if !t.started() {
		t.header()
	}
	for from := 0; from < n; {
		avail := bottomY - d.y()
		need := float64(n-from)*t.lh + 2*t.padY
		if need <= avail {
			t.drawPart(cells, ls, from, n)
			break
		}
		fits := int((avail - 2*t.padY) / t.lh)
		fresh := bottomY - marginT - t.headerHeight() - t.groupHeight()
		// Move the rest of the row to a fresh page when it fits there whole, or when too
		// little of it fits here to be worth splitting; split it only when it is taller
		// than a page or the page has nothing else on it.
		if fits < 1 || (t.drawn && (need <= fresh || (from == 0 && fits < 3))) {
			t.breakPage()
			continue
		}
		t.drawPart(cells, ls, from, from+fits)
		from += fits
		t.breakPage()
	}
}

// groupHeight is the height of the continued group row a page break repeats.
func (t *table) groupHeight() float64 {
	if t.cur == nil {
		return 0
	}
	return t.lh + 2*t.padY
}

func (t *table) headerHeight() float64 {
	if t.hh == 0 {
		_, t.hh = t.headerLines()
	}
	return t.hh
}

// drawPart draws lines [from, to) of a row's cells at the cursor.
func (t *table) drawPart(cells []cell, ls [][]string, from, to int) {
	d := t.d
	y := d.y()
	h := float64(to-from)*t.lh + 2*t.padY
	x := marginL
	for i, c := range t.cols {
		var ce cell
		if i < len(cells) {
			ce = cells[i]
		}
		w := t.widths[i]
		if ce.fill != nil {
			d.fillColor(*ce.fill)
			d.f.Rect(x+0.3, y+0.3, w-0.6, h-0.6, "F")
		}
		t.cellFont(ce.style)
		colr := colInk
		if ce.color != nil {
			colr = *ce.color
		}
		d.textColor(colr)
		for j := from; j < to && j < len(ls[i]); j++ {
			d.f.SetXY(x, y+t.padY+float64(j-from)*t.lh)
			d.f.CellFormat(w, t.lh, ls[i][j], "", 0, c.align, false, 0, "")
		}
		if from == 0 {
			if ce.attach != nil {
				d.linkAttachment(ce.attach, x, y, w, h)
			}
		}
		x += w
	}
	d.drawColor(colRule)
	d.f.SetLineWidth(0.2)
	d.f.Line(marginL, y+h, marginL+contentW, y+h)
	d.f.SetXY(marginL, y+h)
	t.drawn = true
}

// end finishes the table and leaves a small gap below it.
func (t *table) end() {
	t.flush()
	t.d.f.SetY(t.d.y() + 3)
}

// kv writes label–value pairs as a two-column table without a header.
func (d *doc) kv(pairs [][2]string) {
	size := 9.0
	lh := lineH(size)
	lw := 50.0
	for _, p := range pairs {
		d.font("", size)
		vl := d.lines(clean(p[1]), contentW-lw)
		d.font("B", size)
		kl := d.lines(cleanLine(p[0]), lw)
		n := max(len(vl), len(kl))
		h := float64(n)*lh + 2
		if h > bottomY-marginT {
			h = bottomY - marginT
		}
		d.ensure(min(h, 3*lh+2))
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
				d.f.CellFormat(lw, lh, kl[j], "", 0, "L", false, 0, "")
			}
			if j < len(vl) {
				d.font("", size)
				d.textColor(colInk)
				d.f.SetXY(marginL+lw, y+1+float64(j)*lh)
				d.f.CellFormat(contentW-lw, lh, vl[j], "", 0, "L", false, 0, "")
			}
		}
		end := y + 1 + float64(n)*lh + 1
		d.drawColor(colRule)
		d.f.SetLineWidth(0.15)
		d.f.Line(marginL, end, marginL+contentW, end)
		d.f.SetLineWidth(0.2)
		d.f.SetXY(marginL, end)
	}
	d.f.SetY(d.y() + 3)
}
