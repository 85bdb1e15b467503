package ui

import (
	"image/color"
	"os"

	"charm.land/lipgloss/v2"
)

// Styles is every style the TUI uses, built for a dark or light background. With NO_COLOR
// set it carries no colour at all, only bold, faint and reverse.
type Styles struct {
	isDark   bool
	noColor  bool
	Title    lipgloss.Style
	Subtle   lipgloss.Style
	Header   lipgloss.Style
	Selected lipgloss.Style
	Row      lipgloss.Style
	Error    lipgloss.Style
	Notice   lipgloss.Style
	Status   map[string]lipgloss.Style
	Box      lipgloss.Style
	Key      lipgloss.Style
}

func noColor() bool {
	_, set := os.LookupEnv("NO_COLOR")
	return set
}

func newStyles(isDark, plain bool) Styles {
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) color.Color {
		if plain {
			return lipgloss.NoColor{}
		}
		return ld(lipgloss.Color(light), lipgloss.Color(dark))
	}
	accent := c("#5A3FC0", "#B4A7F5")
	s := Styles{
		isDark:   isDark,
		noColor:  plain,
		Title:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		Subtle:   lipgloss.NewStyle().Foreground(c("#6B6B6B", "#8A8A8A")),
		Header:   lipgloss.NewStyle().Bold(true).Foreground(c("#303030", "#DADADA")),
		Selected: lipgloss.NewStyle().Bold(true).Foreground(c("#FFFFFF", "#1A1A1A")).Background(accent),
		Row:      lipgloss.NewStyle(),
		Error:    lipgloss.NewStyle().Bold(true).Foreground(c("#B00020", "#FF6B6B")),
		Notice:   lipgloss.NewStyle().Foreground(c("#1B7F3B", "#7BD88F")),
		Box:      lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		Key:      lipgloss.NewStyle().Bold(true),
		Status: map[string]lipgloss.Style{
			"draft":     lipgloss.NewStyle().Foreground(c("#8A6D00", "#F2C94C")),
			"in-review": lipgloss.NewStyle().Foreground(c("#0B5CAD", "#6FB1FF")),
			"final":     lipgloss.NewStyle().Foreground(c("#1B7F3B", "#7BD88F")),
		},
	}
	if plain {
		s.Selected = lipgloss.NewStyle().Reverse(true).Bold(true)
	}
	return s
}
