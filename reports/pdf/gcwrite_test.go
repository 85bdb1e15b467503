package pdf

import (
	"runtime/debug"
	"sync"
	"testing"
)

// TestWriteGCRestores: the collector target is lowered while files are written and put
// back when the last write ends, with writes overlapping; a target the user set lower, or
// the collector turned off, is left alone. Not parallel: it sets the process's target.
func TestWriteGCRestores(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	if got := currentGCPercent(); got != 100 {
		t.Fatalf("the target is %d before the test", got)
	}
	first := lowGCWhileWriting()
	if got := currentGCPercent(); got != writeGCPercent {
		t.Fatalf("while writing, the target is %d, want %d", got, writeGCPercent)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lowGCWhileWriting()()
		}()
	}
	wg.Wait()
	if got := currentGCPercent(); got != writeGCPercent {
		t.Fatalf("after overlapping writes ended, with one still going, the target is %d", got)
	}
	first()
	if got := currentGCPercent(); got != 100 {
		t.Fatalf("after the last write, the target is %d, want 100 back", got)
	}
	for _, user := range []int{10, -1} {
		debug.SetGCPercent(user)
		restore := lowGCWhileWriting()
		if got := currentGCPercent(); got != user {
			t.Errorf("the user's target %d became %d while writing", user, got)
		}
		restore()
		if got := currentGCPercent(); got != user {
			t.Errorf("the user's target %d became %d after writing", user, got)
		}
	}
}

func currentGCPercent() int {
	p := debug.SetGCPercent(0)
	debug.SetGCPercent(p)
	return p
}
