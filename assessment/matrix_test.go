package assessment

import (
	"slices"
	"testing"
)

// TestNISTMatrixIsTableI2 spells out NIST SP 800-30 Rev. 1 Table I-2 row by row, with
// likelihood rows from very high down to very low and impact columns from very low to very
// high, exactly as the publication prints it.
func TestNISTMatrixIsTableI2(t *testing.T) {
	t.Parallel()
	const (
		VL = LevelVeryLow
		L  = LevelLow
		M  = LevelModerate
		H  = LevelHigh
		VH = LevelVeryHigh
	)
	table := map[int][5]Level{ // likelihood -> impact 1..5
		5: {VL, L, M, H, VH},
		4: {VL, L, M, H, VH},
		3: {VL, L, M, M, H},
		2: {VL, L, L, L, M},
		1: {VL, VL, VL, L, L},
	}
	for l, row := range table {
		for i, want := range row {
			if got := MatrixNIST5x5.Level(l, i+1); got != want {
				t.Errorf("NIST likelihood %d × impact %d = %q, want %q", l, i+1, got, want)
			}
		}
	}
}

func TestHHSMatrix(t *testing.T) {
	t.Parallel()
	cases := []struct {
		l, i int
		want Level
	}{
		{1, 1, LevelLow}, {1, 2, LevelLow}, {1, 3, LevelMedium},
		{2, 1, LevelLow}, {2, 2, LevelMedium}, {2, 3, LevelHigh},
		{3, 1, LevelMedium}, {3, 2, LevelHigh}, {3, 3, LevelHigh},
	}
	for _, c := range cases {
		if got := MatrixHHS3x3.Level(c.l, c.i); got != c.want {
			t.Errorf("HHS %d × %d = %q, want %q", c.l, c.i, got, c.want)
		}
	}
}

var allMatrices = []MatrixKind{MatrixNIST5x5, MatrixHHS3x3}

// TestMatrixProperties checks what must hold for any sensible matrix: every cell on the
// scale has one of the matrix's levels; nothing off the scale has a level; raising
// likelihood or impact never lowers the level; the corners are the lowest and highest
// levels.
func TestMatrixProperties(t *testing.T) {
	t.Parallel()
	for _, m := range allMatrices {
		n := m.Scale()
		levels := m.Levels()
		if len(levels) != n {
			t.Errorf("%s has %d levels on a scale of %d", m, len(levels), n)
		}
		for l := -1; l <= n+1; l++ {
			for i := -1; i <= n+1; i++ {
				got := m.Level(l, i)
				onScale := l >= 1 && l <= n && i >= 1 && i <= n
				if !onScale {
					if got != LevelNone {
						t.Errorf("%s.Level(%d, %d) = %q off the scale, want none", m, l, i, got)
					}
					continue
				}
				if !slices.Contains(levels, got) || m.Rank(got) == 0 {
					t.Errorf("%s.Level(%d, %d) = %q is not one of its levels", m, l, i, got)
				}
				if l < n && m.Rank(m.Level(l+1, i)) < m.Rank(got) {
					t.Errorf("%s: raising likelihood from %d at impact %d lowers the level", m, l, i)
				}
				if i < n && m.Rank(m.Level(l, i+1)) < m.Rank(got) {
					t.Errorf("%s: raising impact from %d at likelihood %d lowers the level", m, i, l)
				}
			}
		}
		if m.Level(1, 1) != levels[0] || m.Level(n, n) != levels[n-1] {
			t.Errorf("%s corners are %q and %q, want %q and %q", m, m.Level(1, 1), m.Level(n, n), levels[0], levels[n-1])
		}
		// Every level is reachable, so legends never show a level no cell can have.
		for _, lv := range levels {
			found := false
			for l := 1; l <= n && !found; l++ {
				for i := 1; i <= n && !found; i++ {
					found = m.Level(l, i) == lv
				}
			}
			if !found {
				t.Errorf("%s level %q is in no cell", m, lv)
			}
		}
	}
}

func TestHHSMatrixIsSymmetric(t *testing.T) {
	t.Parallel()
	for l := 1; l <= 3; l++ {
		for i := 1; i <= 3; i++ {
			if MatrixHHS3x3.Level(l, i) != MatrixHHS3x3.Level(i, l) {
				t.Errorf("HHS %d×%d = %q but %d×%d = %q", l, i, MatrixHHS3x3.Level(l, i), i, l, MatrixHHS3x3.Level(i, l))
			}
		}
	}
	// NIST's table is not symmetric: a very likely, very low impact event stays very low,
	// while a very unlikely, very high impact one is low. Guard against "fixing" that.
	if MatrixNIST5x5.Level(5, 1) != LevelVeryLow || MatrixNIST5x5.Level(1, 5) != LevelLow {
		t.Error("NIST matrix lost its asymmetry between likelihood and impact")
	}
}

func TestMatrixKindBasics(t *testing.T) {
	t.Parallel()
	if !MatrixNIST5x5.Valid() || !MatrixHHS3x3.Valid() || MatrixKind("").Valid() || MatrixKind("4x4").Valid() {
		t.Error("Valid accepts the wrong kinds")
	}
	if MatrixNIST5x5.Scale() != 5 || MatrixHHS3x3.Scale() != 3 || MatrixKind("").Scale() != 5 {
		t.Error("Scale: want 5, 3, and 5 for the default")
	}
	if MatrixKind("").OrDefault() != MatrixNIST5x5 || MatrixHHS3x3.OrDefault() != MatrixHHS3x3 {
		t.Error("OrDefault does not fall back to NIST")
	}
	if got := MatrixNIST5x5.Levels(); !slices.Equal(got, []Level{LevelVeryLow, LevelLow, LevelModerate, LevelHigh, LevelVeryHigh}) {
		t.Errorf("NIST levels = %v", got)
	}
	if got := MatrixHHS3x3.Levels(); !slices.Equal(got, []Level{LevelLow, LevelMedium, LevelHigh}) {
		t.Errorf("HHS levels = %v", got)
	}
	MatrixHHS3x3.Levels()[0] = LevelVeryHigh // must not change the matrix
	if MatrixHHS3x3.Levels()[0] != LevelLow {
		t.Error("Levels returns the matrix's own slice")
	}
	if MatrixHHS3x3.Rank(LevelModerate) != 0 || MatrixNIST5x5.Rank(LevelMedium) != 0 || MatrixNIST5x5.Rank(LevelNone) != 0 {
		t.Error("Rank gives a place to a level the matrix does not have")
	}
	if MatrixNIST5x5.Rank(LevelVeryHigh) != 5 || MatrixHHS3x3.Rank(LevelHigh) != 3 {
		t.Error("Rank of the top level is not the scale")
	}
	labels := map[Level]string{LevelNone: "Not rated", LevelVeryLow: "Very low", LevelModerate: "Moderate", LevelMedium: "Medium", LevelVeryHigh: "Very high"}
	for l, want := range labels {
		if got := MatrixHHS3x3.Label(l); got != want {
			t.Errorf("Label(%q) = %q, want %q", l, got, want)
		}
	}
	for _, l := range []Level{LevelHigh, LevelVeryHigh} {
		if !IsHigh(l) {
			t.Errorf("IsHigh(%q) = false", l)
		}
	}
	for _, l := range []Level{LevelNone, LevelVeryLow, LevelLow, LevelModerate, LevelMedium} {
		if IsHigh(l) {
			t.Errorf("IsHigh(%q) = true", l)
		}
	}
}

func TestFromHint(t *testing.T) {
	t.Parallel()
	want3 := map[int]int{-1: 0, 0: 0, 1: 1, 2: 1, 3: 2, 4: 3, 5: 3, 6: 0}
	for h, w := range want3 {
		if got := MatrixHHS3x3.FromHint(h); got != w {
			t.Errorf("HHS FromHint(%d) = %d, want %d", h, got, w)
		}
		w5 := h
		if h < 1 || h > 5 {
			w5 = 0
		}
		if got := MatrixNIST5x5.FromHint(h); got != w5 {
			t.Errorf("NIST FromHint(%d) = %d, want %d", h, got, w5)
		}
	}
	// Property: mapping keeps order, so a worse hint never gives a lower rating, and every
	// hint lands on the scale.
	for _, m := range allMatrices {
		for h := 1; h < 5; h++ {
			if m.FromHint(h+1) < m.FromHint(h) {
				t.Errorf("%s.FromHint is not monotone at %d", m, h)
			}
			if r := m.FromHint(h); r < 1 || r > m.Scale() {
				t.Errorf("%s.FromHint(%d) = %d off the scale", m, h, r)
			}
		}
	}
}
