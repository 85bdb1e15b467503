package pdf

import (
	"fmt"

	"safeguard/assessment"
)

// Charts are drawn with fpdf's primitives: rectangles, lines and text.

// levelFill is the tint of a risk level, from green (very low) to red (very high).
func levelFill(l assessment.Level) rgb {
	switch l {
	case assessment.LevelVeryLow:
		return rgb{205, 230, 200}
	case assessment.LevelLow:
		return rgb{229, 240, 196}
	case assessment.LevelModerate, assessment.LevelMedium:
		return rgb{253, 232, 163}
	case assessment.LevelHigh:
		return rgb{249, 196, 150}
	case assessment.LevelVeryHigh:
		return rgb{238, 144, 134}
	}
	return colFaint
}

// fill is the tint of a level on the assessment's matrix: on the 3×3 matrix high is its
// top level and gets the very-high red.
func (m *model) fill(l assessment.Level) rgb {
	if m.Matrix.Scale() == 3 && l == assessment.LevelHigh {
		return levelFill(assessment.LevelVeryHigh)
	}
	return levelFill(l)
}

func statusFill(st assessment.ResponseStatus) *rgb {
	var c rgb
	switch st {
	case assessment.Implemented:
		c = colOKFill
	case assessment.Partial:
		c = colAmber
	case assessment.NotImplemented:
		c = colWarnFill
	case assessment.NotApplicable:
		c = rgb{234, 236, 239}
	case assessment.Flagged:
		c = rgb{233, 225, 245}
	default:
		return nil
	}
	return &c
}

// figure is one key-figure box of the executive summary.
type figure struct {
	value, caption, detail string
	warn                   bool
}

// keyFigures draws a row of boxes with large numbers.
func (d *doc) keyFigures(figs []figure) {
	gapW := 4.0
	w := (contentW - gapW*float64(len(figs)-1)) / float64(len(figs))
	h := 27.0
	d.ensure(h + 4)
	y := d.y()
	for i, fg := range figs {
		x := marginL + float64(i)*(w+gapW)
		d.fillColor(colFaint)
		d.f.Rect(x, y, w, h, "F")
		bar := colAccent2
		if fg.warn {
			bar = colWarn
		}
		d.fillColor(bar)
		d.f.Rect(x, y, 1.2, h, "F")
		d.font("B", 20)
		d.textColor(colAccent)
		if fg.warn {
			d.textColor(colWarn)
		}
		d.f.SetXY(x+2, y+2.5)
		d.f.CellFormat(w-3, 9, fg.value, "", 0, "L", false, 0, "")
		d.font("B", 8.5)
		d.textColor(colInk)
		d.f.SetXY(x+2, y+12)
		d.f.CellFormat(w-3, 4.5, d.fit(fg.caption, w-3-2*cellPad), "", 0, "L", false, 0, "")
		d.font("", 7.5)
		d.textColor(colMuted)
		for j, ln := range d.lines(fg.detail, w-3) {
			if j >= 2 {
				break
			}
			d.f.SetXY(x+2, y+16.8+float64(j)*3.4)
			d.f.CellFormat(w-3, 3.4, ln, "", 0, "L", false, 0, "")
		}
	}
	d.f.SetXY(marginL, y+h+4)
}

// complianceChart draws compliance by safeguard as horizontal bars with the counts behind
// each figure.
func (d *doc) complianceChart(groups []assessment.GroupCounts) {
	labelW, valueW := 64.0, 40.0
	barW := contentW - labelW - valueW
	rowH := 11.0
	h := float64(len(groups))*rowH + 9
	d.ensure(h)
	top := d.y()
	x0 := marginL + labelW
	// gridlines and scale
	d.font("", 7)
	d.textColor(colMuted)
	for i := 0; i <= 4; i++ {
		gx := x0 + barW*float64(i)/4
		d.drawColor(colRule)
		d.f.SetLineWidth(0.15)
		if i > 0 && i < 4 {
			d.f.SetDashPattern([]float64{0.6, 0.8}, 0)
		}
		d.f.Line(gx, top, gx, top+float64(len(groups))*rowH)
		d.f.SetDashPattern([]float64{}, 0)
		lbl := fmt.Sprintf("%d%%", i*25)
		lw := d.f.GetStringWidth(lbl)
		d.f.SetXY(gx-lw/2-cellPad, top+float64(len(groups))*rowH+0.8)
		d.f.CellFormat(lw+2*cellPad, 4, lbl, "", 0, "C", false, 0, "")
	}
	d.f.SetLineWidth(0.2)
	for i, g := range groups {
		y := top + float64(i)*rowH
		// label: section and title on up to two lines
		d.font("B", 8)
		d.textColor(colInk)
		d.f.SetXY(marginL-cellPad, y+1)
		d.f.CellFormat(labelW, 4, "§"+g.ID, "", 0, "L", false, 0, "")
		d.font("", 7.5)
		d.textColor(colMuted)
		d.f.SetXY(marginL-cellPad, y+4.8)
		d.f.CellFormat(labelW, 4, d.fit(cleanLine(g.Title), labelW-2*cellPad-2), "", 0, "L", false, 0, "")
		// bar
		by, bh := y+2.5, 6.0
		d.fillColor(colTrack)
		d.f.Rect(x0, by, barW, bh, "F")
		share, ok := g.Compliance()
		if ok && share > 0 {
			d.fillColor(colAccent2)
			d.f.Rect(x0, by, barW*share, bh, "F")
		}
		// value and counts
		val := "—"
		if ok {
			val = assessment.Percent(share)
		}
		d.font("B", 9.5)
		d.textColor(colAccent)
		d.f.SetXY(x0+barW+1, y+0.8)
		d.f.CellFormat(valueW, 5, val, "", 0, "L", false, 0, "")
		d.font("", 7)
		d.textColor(colMuted)
		d.f.SetXY(x0+barW+1, y+5.2)
		detail := "nothing assessed yet"
		if ok {
			detail = fmt.Sprintf("%d impl. · %d partial · %d not", g.Implemented, g.Partial, g.NotImplemented)
		}
		d.f.CellFormat(valueW, 4, detail, "", 0, "L", false, 0, "")
	}
	d.f.SetXY(marginL, top+h)
}

// grid draws a likelihood × impact matrix with cells colored by level; text gives each
// cell's content. It returns the height used.
func (d *doc) grid(x, y, cellW, cellH float64, text func(l, i int) string, textSize float64) float64 {
	m := d.m.Matrix
	n := m.Scale()
	names := scaleNames(n)
	axisW := 24.0
	gx := x + axisW + 6
	// likelihood axis title, rotated
	d.font("B", 8)
	d.textColor(colAccent)
	d.f.TransformBegin()
	d.f.TransformRotate(90, x+3, y+cellH*float64(n)/2)
	tw := d.f.GetStringWidth("Likelihood")
	d.f.Text(x+3-tw/2, y+cellH*float64(n)/2+1, "Likelihood")
	d.f.TransformEnd()
	for li := n; li >= 1; li-- {
		cy := y + float64(n-li)*cellH
		d.font("", 7)
		d.textColor(colInk)
		d.f.SetXY(x+5, cy)
		d.f.CellFormat(axisW, cellH, fmt.Sprintf("%s (%d)", names[li-1], li), "", 0, "R", false, 0, "")
		for ii := 1; ii <= n; ii++ {
			cx := gx + float64(ii-1)*cellW
			lv := m.Level(li, ii)
			d.fillColor(d.m.fill(lv))
			d.drawColor(colWhite)
			d.f.SetLineWidth(0.6)
			d.f.Rect(cx, cy, cellW, cellH, "FD")
			if t := text(li, ii); t != "" {
				d.font("B", textSize)
				d.textColor(colInk)
				for j, ln := range d.lines(t, cellW) {
					nl := len(d.lines(t, cellW))
					lh := lineH(textSize)
					d.f.SetXY(cx, cy+cellH/2-float64(nl)*lh/2+float64(j)*lh)
					d.f.CellFormat(cellW, lh, ln, "", 0, "C", false, 0, "")
				}
			}
		}
	}
	d.f.SetLineWidth(0.2)
	by := y + float64(n)*cellH
	d.font("", 7)
	d.textColor(colInk)
	for ii := 1; ii <= n; ii++ {
		cx := gx + float64(ii-1)*cellW
		d.f.SetXY(cx, by+0.5)
		d.f.CellFormat(cellW, 3.6, names[ii-1], "", 0, "C", false, 0, "")
		d.f.SetXY(cx, by+3.8)
		d.f.CellFormat(cellW, 3.6, fmt.Sprintf("(%d)", ii), "", 0, "C", false, 0, "")
	}
	d.font("B", 8)
	d.textColor(colAccent)
	d.f.SetXY(gx, by+8)
	d.f.CellFormat(cellW*float64(n), 4.5, "Impact", "", 0, "C", false, 0, "")
	return float64(n)*cellH + 13
}

// gridWidth is the width grid uses.
func gridWidth(n int, cellW float64) float64 { return 30 + float64(n)*cellW }

func scaleNames(n int) []string {
	if n == 3 {
		return []string{"Low", "Medium", "High"}
	}
	return []string{"Very low", "Low", "Moderate", "High", "Very high"}
}

// heatMap draws the rated risks on the matrix with their counts and a legend by level.
func (d *doc) heatMap() {
	m := d.m.Matrix
	n := m.Scale()
	sum := d.m.Summary
	byLevel, rated := sum.RiskLevels, sum.Rated()
	cellW := 15.0
	if n == 3 {
		cellW = 22
	}
	cellH := 10.0
	if n == 3 {
		cellH = 15
	}
	d.ensure(heatMapHeight(n))
	y := d.y()
	used := d.grid(marginL, y, cellW, cellH, func(l, i int) string {
		if c := sum.Heat.At(l, i); c > 0 {
			return fmt.Sprintf("%d", c)
		}
		return ""
	}, 10)
	// legend
	lx := marginL + gridWidth(n, cellW) + 12
	ly := y + 1
	d.font("B", 8.5)
	d.textColor(colInk)
	d.f.SetXY(lx, ly)
	d.f.CellFormat(60, 5, "Rated risks by level", "", 0, "L", false, 0, "")
	ly += 6.5
	levels := m.Levels()
	for i := len(levels) - 1; i >= 0; i-- {
		lv := levels[i]
		d.fillColor(d.m.fill(lv))
		d.f.Rect(lx+cellPad, ly+0.8, 4, 4, "F")
		d.font("", 8.5)
		d.textColor(colInk)
		d.f.SetXY(lx+6, ly)
		d.f.CellFormat(30, 5.6, m.Label(lv), "", 0, "L", false, 0, "")
		d.font("B", 8.5)
		d.f.SetXY(lx+36, ly)
		d.f.CellFormat(12, 5.6, fmt.Sprintf("%d", byLevel[lv]), "", 0, "R", false, 0, "")
		ly += 6
	}
	d.drawColor(colRule)
	d.f.Line(lx+cellPad, ly+0.5, lx+48, ly+0.5)
	d.font("B", 8.5)
	d.f.SetXY(lx+6, ly+1)
	d.f.CellFormat(30, 5.6, "Total", "", 0, "L", false, 0, "")
	d.f.SetXY(lx+36, ly+1)
	d.f.CellFormat(12, 5.6, fmt.Sprintf("%d", rated), "", 0, "R", false, 0, "")
	ly += 9
	note := "Inherent ratings of every confirmed, rated risk, closed ones included."
	if sum.ProposedRisks > 0 {
		note += fmt.Sprintf(" %s (not yet confirmed) are not shown.", assessment.Plural(sum.ProposedRisks, "proposed risk", "proposed risks"))
	}
	if sum.Unrated > 0 {
		note += fmt.Sprintf(" %s not rated yet and not shown.", assessment.Plural(sum.Unrated, "confirmed risk is", "confirmed risks are"))
	}
	legendW := contentW - (lx - marginL) - 2
	d.font("I", 7.5)
	d.textColor(colMuted)
	for _, ln := range d.lines(note, legendW) {
		d.f.SetXY(lx, ly)
		d.f.CellFormat(legendW, 3.6, ln, "", 0, "L", false, 0, "")
		ly += 3.6
	}
	d.f.SetXY(marginL, y+max(used, ly-y)+3)
}

// heatMapHeight is the height the heat map needs on the page.
func heatMapHeight(n int) float64 {
	if n == 3 {
		return 3*15 + 16
	}
	return 5*10 + 16
}

// matrixDiagram draws the assessment's risk matrix with the level in each cell.
func (d *doc) matrixDiagram() {
	m := d.m.Matrix
	n := m.Scale()
	cellW, cellH := 22.0, 10.0
	if n == 3 {
		cellW, cellH = 30, 12
	}
	h := float64(n)*cellH + 14
	d.ensure(h + 2)
	y := d.y()
	used := d.grid(marginL, y, cellW, cellH, func(l, i int) string { return m.Label(m.Level(l, i)) }, 7.5)
	d.f.SetXY(marginL, y+used+2)
}
