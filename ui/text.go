package ui

import (
	"strconv"

	"charm.land/lipgloss/v2"

	"github.com/charmbracelet/x/ansi"
)

// truncate cuts s to width cells, ending in an ellipsis when it was cut.
func truncate(s string, width int) string { return ansi.Truncate(s, width, "…") }

func itoa(n int) string { return strconv.Itoa(n) }

// wordWrap wraps plain text to width cells.
func wordWrap(s string, width int) string { return lipgloss.NewStyle().Width(max(width, 10)).Render(s) }
