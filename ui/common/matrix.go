package common

import (
	"strings"

	"safeguard/assessment"
)

// The risk matrix as drawn by the dashboard's heat map and the risk editor, so a level
// looks the same everywhere. Color only adds to the text: every cell is written out, so
// NO_COLOR loses nothing.

// MatrixCellWidth is the width of one matrix cell.
const MatrixCellWidth = 5

// MatrixLabelWidth is the width of the likelihood labels: abbreviations or full names.
func MatrixLabelWidth(full bool) int {
	if full {
		return 12
	}
	return 5
}

// MatrixWidth is the width of the drawn grid.
func MatrixWidth(m assessment.MatrixKind, full bool) int {
	return MatrixLabelWidth(full) + MatrixCellWidth*m.Scale()
}

// MatrixHead is the number of lines above the grid's first row (the axis titles).
const MatrixHead = 2

// StepLabel names a rating step as the matrix does ("High"); 0 is "Not rated".
func StepLabel(m assessment.MatrixKind, v int) string { return m.Label(m.Step(v)) }

// Legend explains the matrix's abbreviations: "VL very low", "L low", ….
func Legend(m assessment.MatrixKind) []string {
	var parts []string
	for _, l := range m.Levels() {
		parts = append(parts, l.Short()+" "+strings.ToLower(m.Label(l)))
	}
	return parts
}

// Matrix draws the matrix: likelihood in rows from the highest at the top, impact in
// columns from the lowest at the left, each cell colored by its level. cell gives a cell's
// text; mark says which cells to set off (drawn in brackets and reversed). full writes the
// likelihood steps out ("Very high") instead of abbreviating them. The grid starts on line
// MatrixHead at column MatrixLabelWidth(full).
func Matrix(st Styles, m assessment.MatrixKind, full bool, cell func(l, i int) string, mark func(l, i int) bool) string {
	n := m.Scale()
	lw := MatrixLabelWidth(full)
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", lw) + st.Subtle.Render("Impact →") + "\n")
	corner := ""
	if full {
		corner = "Likelihood"
	}
	b.WriteString(st.Subtle.Render(Fit(corner, lw)))
	for i := 1; i <= n; i++ {
		b.WriteString(st.Subtle.Render(Center(m.Step(i).Short(), MatrixCellWidth)))
	}
	for l := n; l >= 1; l-- {
		label := m.Step(l).Short()
		if full {
			label = StepLabel(m, l)
		}
		b.WriteString("\n" + st.Subtle.Render(Fit(" "+label, lw)))
		for i := 1; i <= n; i++ {
			txt := cell(l, i)
			marked := mark != nil && mark(l, i)
			if marked {
				txt = "[" + txt + "]"
			}
			b.WriteString(st.Cell(m.Level(l, i), marked).Render(Center(txt, MatrixCellWidth)))
		}
	}
	return b.String()
}
