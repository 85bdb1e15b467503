package ui

import (
	"os"
	"testing"

	"safeguard/assessment/assessmenttest"
)

// TestMain runs up to 8 flows at once: a flow spends most of its time waiting for the
// program to draw between keys.
func TestMain(m *testing.M) { os.Exit(assessmenttest.RunWaiting(m, 8)) }
