package common

import (
	"context"
	"strings"
	"testing"

	"safeguard/assessment"
)

// TestPlainStylesCarryNoColor: under NO_COLOR no style emits a color, and the selected
// row still stands out (reverse video).
func TestPlainStylesCarryNoColor(t *testing.T) {
	t.Parallel()
	s := NewStyles(true, true)
	rendered := []string{
		s.Title.Render("x"), s.Subtle.Render("x"), s.OK.Render("x"), s.Warn.Render("x"), s.Bad.Render("x"),
		s.Error.Render("x"), s.Notice.Render("x"), s.Badge.Render("x"), s.Status[assessment.StatusDraft].Render("x"),
		s.Level(assessment.LevelVeryHigh).Render("x"), s.Cell(assessment.LevelHigh, false).Render("x"), s.Answer(assessment.Partial).Render("x"),
	}
	for i, r := range rendered {
		if strings.Contains(r, "38;") || strings.Contains(r, "48;") {
			t.Errorf("style %d renders a color under NO_COLOR: %q", i, r)
		}
	}
	if sel := s.Selected.Render("row"); !strings.Contains(sel, "7") {
		t.Errorf("the selected row does not stand out without color: %q", sel)
	}
	colored := NewStyles(true, false)
	if r := colored.Bad.Render("x"); !strings.Contains(r, "38;") {
		t.Errorf("the colored styles carry no color: %q", r)
	}
	for _, st := range []assessment.Status{assessment.StatusDraft, assessment.StatusInReview, assessment.StatusFinal} {
		if _, ok := colored.Status[st]; !ok {
			t.Errorf("no style for status %s", st)
		}
	}
}

func TestNewEnvReadsNoColorOnce(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	if e := NewEnv(context.Background(), nil, nil); !e.Plain || e.WorkDir == "" {
		t.Fatalf("NO_COLOR set (even empty): Plain %v, WorkDir %q", e.Plain, e.WorkDir)
	}
}
