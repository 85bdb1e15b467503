package store

import (
	"os"
	"testing"

	"safeguard/assessment/assessmenttest"
)

// TestMain runs up to 6 tests at once: many wait on the disk (fsync) or on child processes
// (the crash and soak tests), so two at a time left the cores idle.
func TestMain(m *testing.M) { os.Exit(assessmenttest.RunWaiting(m, 6)) }
