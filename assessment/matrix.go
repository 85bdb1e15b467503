package assessment

// MatrixKind names a risk matrix.
type MatrixKind string

const (
	// MatrixNIST5x5 is the qualitative matrix of NIST SP 800-30 Rev. 1, Table I-2.
	MatrixNIST5x5 MatrixKind = "nist-5x5"
	// MatrixHHS3x3 is a low/medium/high matrix like the HHS SRA Tool's.
	MatrixHHS3x3 MatrixKind = "hhs-3x3"
)

// DefaultMatrix is the matrix an assessment uses until the assessor picks another. The
// design makes NIST SP 800-30's 5×5 the default because it is the method the report cites.
const DefaultMatrix = MatrixNIST5x5

// Level is a risk level from a matrix.
type Level string

const (
	LevelNone     Level = "" // not rated
	LevelVeryLow  Level = "very-low"
	LevelLow      Level = "low"
	LevelModerate Level = "moderate"
	LevelMedium   Level = "medium"
	LevelHigh     Level = "high"
	LevelVeryHigh Level = "very-high"
)

// MatrixKinds in display order, with labels.
var MatrixKinds = []Choice{
	{string(MatrixNIST5x5), "NIST SP 800-30 Rev. 1 qualitative 5×5 (default)"},
	{string(MatrixHHS3x3), "Low / medium / high 3×3 (HHS SRA Tool style)"},
}

// nistTable is NIST SP 800-30 Rev. 1, Table I-2, indexed [likelihood-1][impact-1] with
// both axes running very low (1) to very high (5). Written out cell by cell rather than
// computed so it can be checked against the publication by eye.
var nistTable = [5][5]Level{
	/* likelihood very low  */ {LevelVeryLow, LevelVeryLow, LevelVeryLow, LevelLow, LevelLow},
	/* likelihood low       */ {LevelVeryLow, LevelLow, LevelLow, LevelLow, LevelModerate},
	/* likelihood moderate  */ {LevelVeryLow, LevelLow, LevelModerate, LevelModerate, LevelHigh},
	/* likelihood high      */ {LevelVeryLow, LevelLow, LevelModerate, LevelHigh, LevelVeryHigh},
	/* likelihood very high */ {LevelVeryLow, LevelLow, LevelModerate, LevelHigh, LevelVeryHigh},
}

// hhsTable is the 3×3 low/medium/high matrix, indexed [likelihood-1][impact-1].
var hhsTable = [3][3]Level{
	/* likelihood low    */ {LevelLow, LevelLow, LevelMedium},
	/* likelihood medium */ {LevelLow, LevelMedium, LevelHigh},
	/* likelihood high   */ {LevelMedium, LevelHigh, LevelHigh},
}

var (
	nistLevels = []Level{LevelVeryLow, LevelLow, LevelModerate, LevelHigh, LevelVeryHigh}
	hhsLevels  = []Level{LevelLow, LevelMedium, LevelHigh}
)

// Valid reports whether m is one of the matrices safeguard knows. The empty kind is not
// valid: a stored profile should always name its matrix, even though the methods below
// treat an unknown kind as the default so that nothing panics on old or partial data.
func (m MatrixKind) Valid() bool { return m == MatrixNIST5x5 || m == MatrixHHS3x3 }

// OrDefault returns m, or DefaultMatrix when m is empty or unknown. Every method resolves
// the kind this way, so an assessment whose matrix was never chosen rates with NIST's.
func (m MatrixKind) OrDefault() MatrixKind {
	if m.Valid() {
		return m
	}
	return DefaultMatrix
}

// Scale is the number of steps on each axis: 5 for NIST, 3 for the HHS-style matrix.
// Likelihood and impact ratings run from 1 to Scale (0 meaning not rated).
func (m MatrixKind) Scale() int {
	if m.OrDefault() == MatrixHHS3x3 {
		return 3
	}
	return 5
}

// Level is the risk level for a likelihood and impact on this matrix's scale. It returns
// LevelNone when either rating is 0 (not rated) or out of range, so an incomplete or
// corrupt rating never shows up as a real level.
func (m MatrixKind) Level(likelihood, impact int) Level {
	n := m.Scale()
	if likelihood < 1 || likelihood > n || impact < 1 || impact > n {
		return LevelNone
	}
	if n == 3 {
		return hhsTable[likelihood-1][impact-1]
	}
	return nistTable[likelihood-1][impact-1]
}

// Levels lists the matrix's levels from lowest to highest, for legends, heat maps and
// per-level counts. The slice is a copy the caller may keep.
func (m MatrixKind) Levels() []Level {
	if m.Scale() == 3 {
		return append([]Level(nil), hhsLevels...)
	}
	return append([]Level(nil), nistLevels...)
}

// Step is the level a rating step stands for on this matrix: 1 is the lowest level, Scale
// the highest; LevelNone outside that range. "Likelihood 4" on the 5×5 matrix is "High".
func (m MatrixKind) Step(v int) Level {
	levels := m.Levels()
	if v < 1 || v > len(levels) {
		return LevelNone
	}
	return levels[v-1]
}

// Name is the matrix in a few words, for headings: "NIST SP 800-30 Rev. 1 5×5".
func (m MatrixKind) Name() string {
	if m.OrDefault() == MatrixHHS3x3 {
		return "3×3 low/medium/high (HHS SRA Tool style)"
	}
	return "NIST SP 800-30 Rev. 1 5×5"
}

// Label is the level as people read it. It labels any known level, even one from the other
// matrix, so that a risk rated before the matrix changed still prints sensibly.
func (m MatrixKind) Label(l Level) string {
	switch l {
	case LevelVeryLow:
		return "Very low"
	case LevelLow:
		return "Low"
	case LevelModerate:
		return "Moderate"
	case LevelMedium:
		return "Medium"
	case LevelHigh:
		return "High"
	case LevelVeryHigh:
		return "Very high"
	case LevelNone:
		return "Not rated"
	}
	return string(l)
}

// Rank is the level's position on this matrix, 1 for the lowest; 0 for LevelNone or a level
// the matrix does not have. Sorting risks by Rank puts the worst last.
func (m MatrixKind) Rank(l Level) int {
	levels := nistLevels
	if m.Scale() == 3 {
		levels = hhsLevels
	}
	for i, x := range levels {
		if x == l {
			return i + 1
		}
	}
	return 0
}

// FromHint maps a catalog likelihood or impact hint (1 very low … 5 very high) onto this
// matrix's scale, so proposed risks start from the threat library's judgement whichever
// matrix is in use. 5×5 keeps the hint; 3×3 folds 1–2 to low, 3 to medium and 4–5 to high.
// A hint outside 1–5 gives 0 (not rated).
func (m MatrixKind) FromHint(h int) int {
	if h < 1 || h > 5 {
		return 0
	}
	if m.Scale() == 5 {
		return h
	}
	switch {
	case h <= 2:
		return 1
	case h == 3:
		return 2
	}
	return 3
}

// IsHigh reports whether a level is high or very high: the levels that must have a
// treatment decision before an assessment can be finalized. It is the same on both
// matrices, since both call their top levels "high".
func IsHigh(l Level) bool { return l == LevelHigh || l == LevelVeryHigh }
