package ui

import (
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
)

// Shared drawing for risk levels and the risk matrix: the dashboard's heat map, the risk
// register's level column and the rating editor use the same colours and the same grid,
// so a level looks the same everywhere. Colour only adds to the text: every level is also
// written out, so NO_COLOR loses nothing.

// riskLevelColors is the foreground (text) and background (matrix cell) colour of a level.
func riskLevelColors(st Styles, l assessment.Level) (fg, bg color.Color) {
	ld := lipgloss.LightDark(st.isDark)
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	switch l {
	case assessment.LevelVeryLow:
		return c("#1B7F3B", "#7BD88F"), c("#C8E6C9", "#1E4D2B")
	case assessment.LevelLow:
		return c("#4C7A1F", "#B5E48C"), c("#DCEDC8", "#3B5E1E")
	case assessment.LevelModerate, assessment.LevelMedium:
		return c("#8A6D00", "#F2C94C"), c("#FFE082", "#7A5C00")
	case assessment.LevelHigh:
		return c("#B54708", "#FF9F43"), c("#FFB74D", "#9A3F0C")
	case assessment.LevelVeryHigh:
		return c("#B00020", "#FF6B6B"), c("#EF9A9A", "#8B1E2D")
	}
	return c("#6B6B6B", "#8A8A8A"), nil
}

// riskLevelStyle is the text style of a level: its colour, bold for high and very high.
func riskLevelStyle(st Styles, l assessment.Level) lipgloss.Style {
	s := lipgloss.NewStyle().Bold(assessment.IsHigh(l))
	if st.noColor {
		return s
	}
	fg, _ := riskLevelColors(st, l)
	return s.Foreground(fg)
}

// riskCellStyle is the style of one matrix cell of level l; marked cells stand out.
func riskCellStyle(st Styles, l assessment.Level, marked bool) lipgloss.Style {
	s := lipgloss.NewStyle()
	if st.noColor {
		return s.Bold(marked).Reverse(marked)
	}
	_, bg := riskLevelColors(st, l)
	fg := lipgloss.LightDark(st.isDark)(lipgloss.Color("#1A1A1A"), lipgloss.Color("#F5F5F5"))
	s = s.Foreground(fg).Background(bg)
	if marked {
		s = s.Bold(true).Reverse(true)
	}
	return s
}

// riskAxisAbbr are the short names of the rating steps 1..scale, used on matrix axes.
func riskAxisAbbr(m assessment.MatrixKind) []string {
	if m.Scale() == 3 {
		return []string{"L", "M", "H"}
	}
	return []string{"VL", "L", "M", "H", "VH"}
}

// riskStepLabel names a rating step as the matrix does ("4 High"); 0 is "not rated".
func riskStepLabel(m assessment.MatrixKind, v int) string {
	levels := m.Levels()
	if v < 1 || v > len(levels) {
		return "Not rated"
	}
	return m.Label(levels[v-1])
}

// riskLevelAbbr is a level's short form for matrix cells.
func riskLevelAbbr(l assessment.Level) string {
	switch l {
	case assessment.LevelVeryLow:
		return "VL"
	case assessment.LevelLow:
		return "L"
	case assessment.LevelModerate, assessment.LevelMedium:
		return "M"
	case assessment.LevelHigh:
		return "H"
	case assessment.LevelVeryHigh:
		return "VH"
	}
	return "·"
}

// riskLegendItems explain the abbreviations of the matrix's steps ("VL very low").
func riskLegendItems(m assessment.MatrixKind) []string {
	var parts []string
	for _, l := range m.Levels() {
		parts = append(parts, riskLevelAbbr(l)+" "+strings.ToLower(m.Label(l)))
	}
	return parts
}

// riskJoinWrap joins items with sep into lines of at most w cells, breaking only between
// items.
func riskJoinWrap(items []string, sep string, w int) []string {
	var lines []string
	cur := ""
	for _, it := range items {
		switch {
		case cur == "":
			cur = it
		case ansi.StringWidth(cur+sep+it) <= w:
			cur += sep + it
		default:
			lines = append(lines, cur)
			cur = it
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// riskCellWidth is the width of one matrix cell.
const riskCellWidth = 5

// riskRowLabelWidth is the width of the likelihood labels: abbreviations or full names.
func riskRowLabelWidth(full bool) int {
	if full {
		return 12
	}
	return 5
}

// riskMatrixWidth is the width of the drawn grid.
func riskMatrixWidth(m assessment.MatrixKind, full bool) int {
	return riskRowLabelWidth(full) + riskCellWidth*m.Scale()
}

// riskMatrix draws the matrix: likelihood in rows from the highest at the top, impact in
// columns from the lowest at the left, each cell coloured by its level. cell gives a cell's
// text; mark says which cells to set off (drawn in brackets and reversed). full writes the
// likelihood steps out ("Very high") instead of abbreviating them. The grid starts on the
// third line (after the axis titles) at column riskRowLabelWidth(full).
func riskMatrix(st Styles, m assessment.MatrixKind, full bool, cell func(l, i int) string, mark func(l, i int) bool) string {
	n := m.Scale()
	ab := riskAxisAbbr(m)
	lw := riskRowLabelWidth(full)
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", lw) + st.Subtle.Render("Impact →") + "\n")
	corner := ""
	if full {
		corner = "Likelihood"
	}
	b.WriteString(st.Subtle.Render(riskPad(corner, lw)))
	for i := 1; i <= n; i++ {
		b.WriteString(st.Subtle.Render(riskCenter(ab[i-1], riskCellWidth)))
	}
	for l := n; l >= 1; l-- {
		label := ab[l-1]
		if full {
			label = riskStepLabel(m, l)
		}
		b.WriteString("\n" + st.Subtle.Render(riskPad(" "+label, lw)))
		for i := 1; i <= n; i++ {
			txt := cell(l, i)
			marked := mark != nil && mark(l, i)
			if marked {
				txt = "[" + txt + "]"
			}
			b.WriteString(riskCellStyle(st, m.Level(l, i), marked).Render(riskCenter(txt, riskCellWidth)))
		}
	}
	return b.String()
}

// riskPad cuts s to w cells and pads it with spaces to exactly w.
func riskPad(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = ansi.Truncate(s, w, "…")
	if d := w - ansi.StringWidth(s); d > 0 {
		s += strings.Repeat(" ", d)
	}
	return s
}

// riskCenter centres s in w cells.
func riskCenter(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	d := w - ansi.StringWidth(s)
	if d <= 0 {
		return s
	}
	return strings.Repeat(" ", d/2) + s + strings.Repeat(" ", d-d/2)
}

// riskWrap wraps plain text to width w and returns its lines.
func riskWrap(s string, w int) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	lines := strings.Split(ansi.Wrap(s, max(w, 10), ""), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return lines
}
