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

// reportedItems counts the items OSCAL reports a finding for: those with a response and
// those inherited from a vendor review.
func reportedItems(s *assessment.Snapshot) int {
	n := 0
	for _, it := range assessment.Analyze(s).Items {
		if it.Response != nil || it.Inherited != nil {
			n++
		}
	}
	return n
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
