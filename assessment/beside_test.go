package assessment

import "testing"

// TestBesideCarriesAPanic: a stage of Analyze that panics on its own goroutine raises the
// panic where it is waited for, so a recover in the caller sees it instead of the process
// dying with the terminal left in raw mode.
func TestBesideCarriesAPanic(t *testing.T) {
	t.Parallel()
	wait := beside(func() { panic("stage failed") })
	defer func() {
		if p := recover(); p != "stage failed" {
			t.Fatalf("recovered %v, want the stage's panic", p)
		}
	}()
	wait()
	t.Fatal("the wait returned although the stage panicked")
}
