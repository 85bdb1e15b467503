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

	tm.Send(uitest.Key("a"))
	waitFor(t, tm, "Record an incident")
	tm.Type("Stolen clinic laptop")
	for range 4 { // title, what happened, type, ransomware: to the discovery date
		tm.Send(uitest.Key("tab"))
	}
	tm.Type("2026-02-30")
	tm.Send(uitest.Key("ctrl+s"))
	waitFor(t, tm, "is not a date")
	for range 10 {
		tm.Send(uitest.Key("backspace"))
	}
	tm.Type("2026-09-15")
	tm.Send(uitest.Key("ctrl+s"))
	waitFor(t, tm, "Overview: where the incident stands")
	storedIncident(t, tm, s, id, func(inc *assessment.Incident) bool {
		return inc.Title == "Stolen clinic laptop" && inc.Discovered == "2026-09-15"
	})

	// Secured? → override to unsecured with a reason.
	tm.Send(uitest.Key("right"))
	tm.Send(uitest.Key("right"))
	waitFor(t, tm, "Was the PHI unsecured? (§164.402)")
	tm.Send(uitest.Key("e"))
	waitFor(t, tm, "Derived from the affected assets")
	tm.Send(uitest.Key("down"))
	tm.Send(uitest.Key("down"))
	for range 3 {
		tm.Send(uitest.Key("right"))
	}
	// The form takes keys as they come (no command between them): no need to wait.
	tm.Send(uitest.Key("down"))
	tm.Type("No asset is named; the laptop held cached charts.")
	tm.Send(uitest.Key("ctrl+s"))
	waitFor(t, tm, "Does an exception apply? (§164.402(1))")

	// No exception, then the four factors, each moving to the next.
	tm.Send(uitest.Key("e"))
	waitFor(t, tm, "None of the three exceptions applies")
	tm.Send(uitest.Key("ctrl+s"))
	waitFor(t, tm, "The four-factor assessment (§164.402(2))")
	for n := 1; n <= 4; n++ {
		tm.Send(uitest.Key("e"))
		waitFor(t, tm, "Factor "+string(rune('0'+n))+" of 4")
		tm.Type("What factor " + string(rune('0'+n)) + " showed.")
		tm.Send(uitest.Key("ctrl+s"))
		storedIncident(t, tm, s, id, func(inc *assessment.Incident) bool { return len(inc.Factors) == n })
		// The status line repeats most of its text from one factor to the next, so the
		// screen diff has no phrase to wait for: give the reload a moment.
		time.Sleep(300 * time.Millisecond)
	}
	// (storedIncident reads the screen's output while it waits, so the page's text is not
	// waited for again here.)

	// The conclusion: a breach.
	tm.Send(uitest.Key("e"))
	waitFor(t, tm, "Concluded by")
	tm.Send(uitest.Key("tab"))
	tm.Type("The charts on the laptop were readable.")
	// The workspace's clock is the tests' fixed day (Oct 1, 2026), before today's date the
	// form suggests: date the conclusion within it.
	tm.Send(uitest.Key("tab"))
	tm.Send(uitest.Key("tab"))
	tm.Send(uitest.Key("ctrl+u"))
	tm.Type("2026-09-30")
	tm.Send(uitest.Key("ctrl+s"))
	waitFor(t, tm, "Notices sent (§§164.404–164.410)")
	storedIncident(t, tm, s, id, func(inc *assessment.Incident) bool {
		return inc.Conclusion != nil && inc.Conclusion.Outcome == assessment.OutcomeBreach && len(inc.MissingFactors()) == 0
	})

	// A notice to the individuals: their duty is met and the list's clock moves on.
	tm.Send(uitest.Key("a"))
	waitFor(t, tm, "Record a notice sent")
	tm.Send(uitest.Key("tab"))
	tm.Type("2026-09-30")
	tm.Send(uitest.Key("ctrl+s"))
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
	tm.Send(uitest.Key("esc"))

	// The memo, from the list, with its path and SHA-256 shown.
	tm.Send(uitest.Key("m"))
	waitFor(t, tm, "Write the decision memo (PDF)")
	tm.Send(uitest.Key("ctrl+u"))
	path := filepath.Join(dir, "memo.pdf")
	tm.Type(path)
	tm.Send(uitest.Key("ctrl+s"))
	waitForFile(t, path)
	time.Sleep(300 * time.Millisecond) // the job's last message after the file's rename
	tm.Send(uitest.Key("q"))
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
