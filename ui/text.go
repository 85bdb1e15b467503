package ui

import (
	"strconv"

	"github.com/charmbracelet/x/ansi"
)

// truncate cuts s to width cells, ending in an ellipsis when it was cut.
func truncate(s string, width int) string { return ansi.Truncate(s, width, "…") }

func itoa(n int) string { return strconv.Itoa(n) }
