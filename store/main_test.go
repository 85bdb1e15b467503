package store

import (
	"flag"
	"os"
	"testing"

	"safeguard/assessment/assessmenttest"
)

// TestMain runs up to 6 tests at once: many wait on the disk (fsync) or on child processes
// (the crash and soak tests), so two at a time left the cores idle. Argon2id at its real
// cost was a quarter of this package's CPU time (every encrypted workspace a test opens
// derives its key again), so new passphrases here get the smallest cost; the cost is
// stored with the workspace, so the code paths are the ones users run. The large-file
// measurements (SAFEGUARD_LARGE_TESTS, scripts/bench.sh) keep the real cost: their memory
// figure counts the key derivation.
func TestMain(m *testing.M) {
	flag.Parse() // largeTests reads -short
	if !largeTests() {
		kdfCost.MemoryKiB, kdfCost.Iterations = 8*kdfParallelism, 1
	}
	os.Exit(assessmenttest.RunWaiting(m, 6))
}
