package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"safeguard/assessment"
	"safeguard/store"
	"safeguard/ui/uitest"
)

// storedIncident waits until the workspace holds one incident that passes ok.
func storedIncident(t *testing.T, tm *teatest.TestModel, s *store.Store, id string, ok func(*assessment.Incident) bool) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func([]byte) bool {
		incs, err := s.Incidents(uitest.Ctx, id)
		return err == nil && len(incs) == 1 && ok(&incs[0])
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
}

// TestIncidentFlow drives the Incidents tab of a real workspace through the keys a user
// presses: a refused date keeps the form, then the incident is recorded, its decision
// walked to a conclusion, a notice recorded (the list's clock moves on), and the memo
// written with its SHA-256 shown.
func TestIncidentFlow(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	dir := t.TempDir()
	tm := newTestModel(t, s, 120, 40)
	openDemoTab(t, tm, "Incidents", "No incidents are recorded")

	keys(tm, "a")
	waitFor(t, tm, "Record an incident")
	keys(tm, "=Stolen clinic laptop")
	for range 4 { // title, what happened, type, ransomware: to the discovery date
		keys(tm, "tab")
	}
	keys(tm, "=2026-02-30")
	keys(tm, "ctrl+s")
	waitFor(t, tm, "is not a date")
	for range 10 {
		keys(tm, "backspace")
	}
	keys(tm, "=2026-09-15")
	keys(tm, "ctrl+s")
	waitFor(t, tm, "Overview: where the incident stands")
	storedIncident(t, tm, s, id, func(inc *assessment.Incident) bool {
		return inc.Title == "Stolen clinic laptop" && inc.Discovered == "2026-09-15"
	})

	// Secured? → override to unsecured with a reason.
	keys(tm, "right")
	keys(tm, "right")
	waitFor(t, tm, "Was the PHI unsecured? (§164.402)")
	keys(tm, "e")
	waitFor(t, tm, "Derived from the affected assets")
	keys(tm, "down")
	keys(tm, "down")
	for range 3 {
		keys(tm, "right")
	}
	keys(tm, "down")
	keys(tm, "=No asset is named; the laptop held cached charts.")
	keys(tm, "ctrl+s")
	waitFor(t, tm, "Does an exception apply? (§164.402(1))")

	// No exception, then the four factors, each moving to the next.
	keys(tm, "e")
	waitFor(t, tm, "None of the three exceptions applies")
	keys(tm, "ctrl+s")
	waitFor(t, tm, "The four-factor assessment (§164.402(2))")
	for n := 1; n <= 4; n++ {
		keys(tm, "e")
		waitFor(t, tm, "Factor "+string(rune('0'+n))+" of 4")
		keys(tm, "=What factor "+string(rune('0'+n))+" showed.")
		keys(tm, "ctrl+s")
		storedIncident(t, tm, s, id, func(inc *assessment.Incident) bool { return len(inc.Factors) == n })
	}

	// The conclusion: a breach.
	keys(tm, "e")
	waitFor(t, tm, "Concluded by")
	keys(tm, "tab")
	keys(tm, "=The charts on the laptop were readable.")
	// The workspace's clock is the tests' fixed day (Oct 1, 2026), before today's date the
	// form suggests: date the conclusion within it.
	keys(tm, "tab")
	keys(tm, "tab")
	keys(tm, "ctrl+u")
	keys(tm, "=2026-09-30")
	keys(tm, "ctrl+s")
	waitFor(t, tm, "Notices sent (§§164.404–164.410)")
	storedIncident(t, tm, s, id, func(inc *assessment.Incident) bool {
		return inc.Conclusion != nil && inc.Conclusion.Outcome == assessment.OutcomeBreach && len(inc.MissingFactors()) == 0
	})

	// A notice to the individuals: their duty is met and the list's clock moves on.
	keys(tm, "a")
	waitFor(t, tm, "Record a notice sent")
	keys(tm, "tab")
	keys(tm, "=2026-09-30")
	keys(tm, "ctrl+s")
	waitFor(t, tm, "Recorded the notice to affected individuals")
	incs, err := s.Incidents(uitest.Ctx, id)
	if err != nil || len(incs) != 1 {
		t.Fatal(err)
	}
	v := assessment.ViewIncident(&incs[0], assessment.EntityProvider, assessment.Today(time.Now()))
	next, ok := v.Next()
	if !ok || next.Key == assessment.DutyIndividuals || v.Duties[0].Status != assessment.DutyMet {
		t.Fatalf("after the notice: next %+v, individuals %s", next, v.Duties[0].Status)
	}
	keys(tm, "esc")

	// The memo, from the list, with its path and SHA-256 shown.
	keys(tm, "m")
	waitFor(t, tm, "Write the decision memo (PDF)")
	keys(tm, "ctrl+u")
	path := filepath.Join(dir, "memo.pdf")
	keys(tm, "="+path)
	keys(tm, "ctrl+s")
	waitForFile(t, path)
	trackerOf(tm).settle() // the job's last message after the file's rename
	keys(tm, "q")
	final := ansi.Strip(tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View().Content)
	pdf, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatal("the memo is not a PDF")
	}
	sum := sha256.Sum256(pdf)
	// The list shows the clock that moved on, and the memo with its path and SHA-256.
	for _, want := range []string{next.Title, assessment.DaysLeft(next.DaysLeft), path, "SHA-256 " + hex.EncodeToString(sum[:])} {
		if !strings.Contains(final, want) {
			t.Fatalf("the last frame lacks %q:\n%s", want, final)
		}
	}
}
