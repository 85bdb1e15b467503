package common

import (
	"slices"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

func TestWidthMatchesAnsi(t *testing.T) {
	t.Parallel()
	red := lipgloss.NewStyle().Foreground(lipgloss.Color("#FF0000")).Render("red")
	for _, s := range []string{"", "plain ascii", "§164.312 · ✔ done", red + " and plain", "漢字", "tab\there"} {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestFitIsExactAndKeepsStyles(t *testing.T) {
	t.Parallel()
	bold := lipgloss.NewStyle().Bold(true).Render("Administrative §164.308")
	for _, w := range []int{1, 5, 10, 23, 30} {
		for _, s := range []string{"", "short", "a line that is clearly too long for the cell", bold, "✔ ✘ ◐ · –"} {
			got := Fit(s, w)
			if ansi.StringWidth(got) != w {
				t.Errorf("Fit(%q, %d) is %d wide", s, w, ansi.StringWidth(got))
			}
			if plain := ansi.Strip(s); ansi.StringWidth(plain) > w && !strings.HasSuffix(ansi.Strip(got), "…") {
				t.Errorf("Fit(%q, %d) = %q cut without an ellipsis", s, w, ansi.Strip(got))
			}
		}
	}
	if Fit("x", 0) != "" || Truncate("abc", 0) != "" {
		t.Error("a zero width gives something")
	}
	if got := Truncate("abcdef", 4); got != "abc…" {
		t.Errorf("Truncate = %q", got)
	}
	if got := Center("ab", 6); got != "  ab  " {
		t.Errorf("Center = %q", got)
	}
}

func TestWrapHangClipFlow(t *testing.T) {
	t.Parallel()
	text := "Encryption at rest turns a lost laptop or a leaked backup from a reportable breach into a non-event."
	lines := Wrap(text, 30)
	if len(lines) < 3 || strings.Join(strings.Fields(strings.Join(lines, " ")), " ") != text {
		t.Fatalf("Wrap lost words: %q", lines)
	}
	for _, l := range lines {
		if Width(l) > 30 || strings.HasSuffix(l, " ") {
			t.Errorf("wrapped line %q is too wide or ends in a space", l)
		}
	}
	if Wrap("   ", 30) != nil {
		t.Error("blank text gives lines")
	}
	hung := Hang("Note: ", text, 30)
	for i, l := range hung {
		if Width(l) > 30 || (i > 0 && !strings.HasPrefix(l, "      ")) {
			t.Errorf("hung line %d %q", i, l)
		}
	}
	clipped := Clip(slices.Clone(lines), 2)
	if len(clipped) != 2 || !strings.HasSuffix(clipped[1], " …") || Width(clipped[1]) > Width(lines[1]) {
		t.Errorf("Clip: %q from %q", clipped, lines)
	}
	if got := Clip(lines, 10); len(got) != len(lines) {
		t.Error("Clip cut lines that fit")
	}
	flow := Flow([]string{"VL very low", "L low", "M moderate", "H high", "VH very high"}, " · ", 30)
	for _, l := range flow {
		if Width(l) > 30 || strings.HasPrefix(l, " · ") || strings.HasSuffix(l, " · ") {
			t.Errorf("flowed line %q", l)
		}
	}
	if strings.Join(flow, " · ") != "VL very low · L low · M moderate · H high · VH very high" {
		t.Errorf("Flow lost items: %q", flow)
	}
	if Or(" ", "—") != "—" || Or("x", "—") != "x" {
		t.Error("Or")
	}
}

// TestWrapKeepsIDsWhole: a question ID is never split at its hyphens over two lines, and
// the hyphens come back as typed.
func TestWrapKeepsIDsWhole(t *testing.T) {
	t.Parallel()
	text := "Gate: 3 follow-up questions (310d2ii-reuse-04, 310d2iii-acct-06, 312a2iv-enc-05) are asked."
	lines := Wrap(text, 76)
	if strings.Join(lines, " ") != text {
		t.Fatalf("Wrap changed the text: %q", lines)
	}
	for _, l := range lines {
		if Width(l) > 76 || strings.HasSuffix(l, "-") {
			t.Errorf("line %q is too wide or ends at a hyphen", l)
		}
	}
}
