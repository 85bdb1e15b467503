package pdf

import (
	"fmt"
	"strings"

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

// keyFigures draws a row of boxes with large numbers; captions and details wrap.
func (d *doc) keyFigures(figs []figure) {
	gapW := 3.0
	w := (contentW - gapW*float64(len(figs)-1)) / float64(len(figs))
	h := 31.0
	d.room(h + 4)
	y := d.y()
	for i, fg := range figs {
		x := marginL + float64(i)*(w+gapW)
		d.fillColor(colFaint)
		d.rect(x, y, w, h, "F")
		bar := colAccent2
		if fg.warn {
			bar = colWarn
		}
		d.fillColor(bar)
		d.rect(x, y, 1.2, h, "F")
		size := 18.0
		d.font("B", size)
		for d.width(fg.value) > w-4 && size > 9 {
			size--
			d.font("B", size)
		}
		d.textColor(colAccent)
		if fg.warn {
			d.textColor(colWarn)
		}
		d.f.SetXY(x+1.5, y+2.5)
		d.cell(w-2, 8, fg.value, "", 0, "L")
		d.font("B", 8)
		d.textColor(colInk)
		ly := y + 11.5
		for j, ln := range d.lines(fg.caption, w-2) {
			if j >= 2 {
				break
			}
			d.f.SetXY(x+1.5, ly)
			d.cell(w-2, 3.6, ln, "", 0, "L")
			ly += 3.6
		}
		d.font("", 7)
		d.textColor(colMuted)
		for j, ln := range d.lines(fg.detail, w-2) {
			if j >= 3 {
				break
			}
			d.f.SetXY(x+1.5, ly+0.6)
			d.cell(w-2, 3.2, ln, "", 0, "L")
			ly += 3.2
		}
	}
	d.f.SetXY(marginL, y+h+4)
}

// inPlaceChart draws the share of safeguards reported in place per safeguard as
// horizontal bars, with the counts and the evidence coverage behind each figure. Labels
// wrap rather than being cut; a withheld share shows an empty track and "too few answers".
func (d *doc) inPlaceChart(groups []assessment.GroupCounts) {
	any := false
	for _, g := range groups {
		if _, shown := g.InPlace(); shown {
			any = true
		}
	}
	if !any {
		var parts []string
		for _, g := range groups {
			if g.Implemented+g.Partial+g.NotImplemented == 0 {
				continue
			}
			parts = append(parts, fmt.Sprintf("§%s %s: %d implemented, %d partial, %d not implemented", g.ID, g.Title, g.Implemented, g.Partial, g.NotImplemented))
		}
		if len(parts) == 0 {
			d.body("Too few answers to show a share for any safeguard: no safeguard question is answered implemented, partial or not implemented yet.")
			return
		}
		d.body("Too few answers to show a share for any safeguard. The answers so far: " + strings.Join(parts, "; ") + ".")
		return
	}
	labelW, valueW := 60.0, 50.0
	barW := contentW - labelW - valueW
	type lay struct {
		label []string
		h     float64
	}
	rows := make([]lay, len(groups))
	total := 0.0
	for i, g := range groups {
		d.font("", 7.5)
		ls := d.lines(d.cleanLine(g.Title), labelW)
		h := max(12.0, 5+float64(len(ls))*3.4+1)
		rows[i] = lay{ls, h}
		total += h
	}
	d.room(total + 9)
	top := d.y()
	x0 := marginL + labelW
	d.font("", 7)
	d.textColor(colMuted)
	for i := 0; i <= 4; i++ {
		gx := x0 + barW*float64(i)/4
		d.drawColor(colRule)
		d.lineWidth(0.15)
		if i > 0 && i < 4 {
			d.f.SetDashPattern([]float64{0.6, 0.8}, 0)
		}
		d.f.Line(gx, top, gx, top+total)
		d.f.SetDashPattern([]float64{}, 0)
		lbl := fmt.Sprintf("%d%%", i*25)
		lw := d.width(lbl)
		d.f.SetXY(gx-lw/2-cellPad, top+total+0.8)
		d.text(lw+2*cellPad, 4, lbl, "", 0, "C")
	}
	d.lineWidth(0.2)
	y := top
	for i, g := range groups {
		r := rows[i]
		d.font("B", 8)
		d.textColor(colInk)
		d.f.SetXY(marginL-cellPad, y+1)
		d.text(labelW, 4, "§"+g.ID, "", 0, "L")
		d.font("", 7.5)
		d.textColor(colMuted)
		for j, ln := range r.label {
			d.f.SetXY(marginL-cellPad, y+4.8+float64(j)*3.4)
			d.cell(labelW, 3.4, ln, "", 0, "L")
		}
		by, bh := y+2.5, 6.0
		d.fillColor(colTrack)
		d.rect(x0, by, barW, bh, "F")
		share, shown := g.InPlace()
		if shown && share > 0 {
			d.fillColor(colAccent2)
			d.rect(x0, by, barW*share, bh, "F")
		}
		val := assessment.TooFewAnswers
		if shown {
			val = assessment.Percent(share)
		}
		d.font("B", 9)
		d.textColor(colAccent)
		d.f.SetXY(x0+barW+1, y+0.6)
		d.text(valueW, 5, val, "", 0, "L")
		d.font("", 6.8)
		d.textColor(colMuted)
		detail := fmt.Sprintf("%d impl. · %d partial · %d not", g.Implemented, g.Partial, g.NotImplemented)
		if g.Assessed() == 0 {
			detail = "nothing assessed yet"
		}
		d.f.SetXY(x0+barW+1, y+4.9)
		d.text(valueW, 3.4, detail, "", 0, "L")
		if cov, ok := g.EvidenceCoverage(); ok {
			d.f.SetXY(x0+barW+1, y+8.2)
			d.text(valueW, 3.4, fmt.Sprintf("evidence for %d of %d (%s)", g.Evidenced, g.Implemented, assessment.Percent(cov)), "", 0, "L")
		}
		y += r.h
	}
	d.f.SetXY(marginL, top+total+7)
}

// grid draws a likelihood × impact matrix with cells colored by level; text gives each
// cell's content. It returns the height used.
func (d *doc) grid(x, y, cellW, cellH float64, text func(l, i int) string, textSize float64) float64 {
	m := d.m.Matrix
	n := m.Scale()
	names := scaleNames(n)
	axisW := 22.0
	gx := x + axisW + 6
	d.font("B", 8)
	d.textColor(colAccent)
	// The font is set before the rotation: a font set inside it would end with it (Q),
	// while fpdf would still count it as in effect.
	d.applyFont()
	d.f.TransformBegin()
	d.f.TransformRotate(90, x+3, y+cellH*float64(n)/2)
	tw := d.width("Likelihood")
	d.f.Text(x+3-tw/2, y+cellH*float64(n)/2+1, "Likelihood")
	d.f.TransformEnd()
	for li := n; li >= 1; li-- {
		cy := y + float64(n-li)*cellH
		d.font("", 7)
		d.textColor(colInk)
		d.f.SetXY(x+5, cy)
		d.text(axisW, cellH, fmt.Sprintf("%s (%d)", names[li-1], li), "", 0, "R")
		for ii := 1; ii <= n; ii++ {
			cx := gx + float64(ii-1)*cellW
			lv := m.Level(li, ii)
			d.fillColor(d.m.fill(lv))
			d.drawColor(colWhite)
			d.lineWidth(0.6)
			d.rect(cx, cy, cellW, cellH, "FD")
			if t := text(li, ii); t != "" {
				d.font("B", textSize)
				d.textColor(colInk)
				ls := d.lines(t, cellW)
				lh := lineH(textSize)
				for j, ln := range ls {
					d.f.SetXY(cx, cy+cellH/2-float64(len(ls))*lh/2+float64(j)*lh)
					d.text(cellW, lh, ln, "", 0, "C")
				}
			}
		}
	}
	d.lineWidth(0.2)
	by := y + float64(n)*cellH
	d.font("", 6.5)
	d.textColor(colInk)
	for ii := 1; ii <= n; ii++ {
		cx := gx + float64(ii-1)*cellW
		ls := d.lines(names[ii-1], cellW+2*cellPad-0.4)
		for j, ln := range ls {
			d.f.SetXY(cx-cellPad, by+0.5+float64(j)*3.2)
			d.text(cellW+2*cellPad, 3.2, ln, "", 0, "C")
		}
		d.f.SetXY(cx, by+0.5+float64(len(ls))*3.2)
		d.text(cellW, 3.2, fmt.Sprintf("(%d)", ii), "", 0, "C")
	}
	d.font("B", 8)
	d.textColor(colAccent)
	d.f.SetXY(gx, by+10)
	d.text(cellW*float64(n), 4.5, "Impact", "", 0, "C")
	return float64(n)*cellH + 15
}

func scaleNames(n int) []string {
	if n == 3 {
		return []string{"Low", "Medium", "High"}
	}
	return []string{"Very low", "Low", "Moderate", "High", "Very high"}
}

// heatMaps draws the confirmed, rated risks on the matrix twice, side by side: by their
// inherent rating and by their residual rating (those that have one), each with its
// counts by level. Proposed risks, unrated and dismissed ones are not drawn; a note says
// how many there are.
func (d *doc) heatMaps() {
	m := d.m.Matrix
	n := m.Scale()
	sum := d.m.Summary
	cellW, cellH := 12.0, 8.0
	if n == 3 {
		cellW, cellH = 18, 13
	}
	h := heatMapHeight(n)
	d.room(h)
	y := d.y()
	half := contentW / 2
	count := func(hm assessment.HeatMap) func(l, i int) string {
		return func(l, i int) string {
			if c := hm.At(l, i); c > 0 {
				return fmt.Sprintf("%d", c)
			}
			return ""
		}
	}
	for k, side := range []struct {
		title  string
		hm     assessment.HeatMap
		levels map[assessment.Level]int
	}{
		{"Inherent (before treatment)", sum.Heat, sum.RiskLevels},
		{"Residual (after planned treatment)", sum.ResidualHeat, sum.ResidualLevels},
	} {
		x := marginL + float64(k)*half
		d.font("B", 8.5)
		d.textColor(colInk)
		d.f.SetXY(x-cellPad, y)
		d.text(half, 5, side.title+": "+assessment.Plural(side.hm.Total(), "risk", "risks"), "", 0, "L")
		used := d.grid(x, y+6, cellW, cellH, count(side.hm), 8.5)
		var parts []string
		levels := m.Levels()
		for i := len(levels) - 1; i >= 0; i-- {
			parts = append(parts, fmt.Sprintf("%s %d", m.Label(levels[i]), side.levels[levels[i]]))
		}
		d.font("", 7)
		d.textColor(colMuted)
		for j, ln := range d.lines(strings.Join(parts, " · "), half-2) {
			d.f.SetXY(x-cellPad, y+6+used+float64(j)*3.4)
			d.cell(half-2, 3.4, ln, "", 0, "L")
		}
	}
	d.f.SetXY(marginL, y+h-9)
	note := "Both maps show the confirmed, rated risks (closed ones included); the residual map shows those with a residual rating."
	if sum.ProposedRisks > 0 {
		note += fmt.Sprintf(" %s, proposed and not rated, %s not drawn.", assessment.Plural(sum.ProposedRisks, "risk", "risks"), isAre(sum.ProposedRisks))
	}
	if sum.Unrated > 0 {
		note += fmt.Sprintf(" %s confirmed but not rated yet.", assessment.Plural(sum.Unrated, "risk is", "risks are"))
	}
	if sum.DismissedRisks > 0 {
		note += fmt.Sprintf(" %s dismissed.", assessment.Plural(sum.DismissedRisks, "proposal was", "proposals were"))
	}
	d.small(note)
}

// heatMapHeight is the height the heat maps need on the page, the note included.
func heatMapHeight(n int) float64 {
	if n == 3 {
		return 3*13 + 6 + 15 + 18
	}
	return 5*8 + 6 + 15 + 18
}

// matrixDiagram draws the assessment's risk matrix with the level in each cell.
func (d *doc) matrixDiagram() {
	m := d.m.Matrix
	n := m.Scale()
	cellW, cellH := 22.0, 10.0
	if n == 3 {
		cellW, cellH = 30, 12
	}
	h := float64(n)*cellH + 16
	d.room(h + 2)
	y := d.y()
	used := d.grid(marginL, y, cellW, cellH, func(l, i int) string { return m.Label(m.Level(l, i)) }, 7.5)
	d.f.SetXY(marginL, y+used+2)
}
