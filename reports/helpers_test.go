package reports

import (
	"testing"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
)

// fixedNow is the clock of every test snapshot, so outputs can be compared byte for byte.
var fixedNow = assessmenttest.Now

var (
	catalog      = assessmenttest.Catalog
	demoSnapshot = assessmenttest.Demo
)

// largeSnapshot is the shared large assessment scaled by n (see assessmenttest.Large).
func largeSnapshot(tb testing.TB, n int) *assessment.Snapshot {
	tb.Helper()
	return assessmenttest.Large(tb, n)
}

// answeredItems counts the applicable items that have a response.
func answeredItems(s *assessment.Snapshot) int {
	resp := s.ResponseMap()
	n := 0
	for _, it := range s.Items() {
		if _, ok := resp[it.Key()]; ok {
			n++
		}
	}
	return n
}
