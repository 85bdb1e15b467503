package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment/assessmenttest"
	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/home"
	"safeguard/ui/uitest"
)

// TestWhoIsWorkingAskedOnce: in a workspace that lists people, the TUI asks who is
// working before anything else, esc cannot skip it, the choice is recorded on changes and
// shown in the title bar, and the home list is there afterwards.
func TestWhoIsWorkingAskedOnce(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	if _, err := s.CreateAssessment(uitest.Ctx, store.NewAssessment{Title: "2026 risk analysis", Organization: "Cedar Clinic", CatalogVersion: "test"}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"Dana Reyes", "Lee Park"} {
		if _, err := s.AddPerson(uitest.Ctx, n, "Assessor"); err != nil {
			t.Fatal(err)
		}
	}
	a := testApp(t, s)
	sized(a, 80, 24)
	drive(a, a.Init())
	if _, ok := a.top().(*whoScreen); !ok {
		t.Fatalf("the TUI did not ask who is working but shows %T", a.top())
	}
	press(a, "esc")
	if _, ok := a.top().(*whoScreen); !ok {
		t.Fatal("esc skipped the question of who is working")
	}
	press(a, "down", "enter")
	if s.Actor() != "Lee Park" || a.env.Person().Name != "Lee Park" {
		t.Fatalf("actor %q, person %+v", s.Actor(), a.env.Person())
	}
	v := ansi.Strip(a.View().Content)
	if !strings.Contains(v, "working as Lee Park") || !strings.Contains(v, "Cedar Clinic") {
		t.Fatalf("after choosing, the title bar or the list is missing:\n%s", v)
	}
	if got := s.RememberedActor(uitest.Ctx); got != "" && got != "Lee Park" {
		t.Fatalf("remembered %q", got)
	}
}

// TestEscGoesBackPastAMessage (D9): esc with a message on the status line clears it and
// goes back in the same press.
func TestEscGoesBackPastAMessage(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	a := testApp(t, s)
	sized(a, 120, 40)
	drive(a, common.Emit(common.OpenAssessmentMsg{ID: id}))
	press(a, tabKey(t, "Questions"), "right")
	a.Update(common.NoticeMsg("Saved something."))
	sh := a.top().(*shell)
	press(a, "esc")
	if a.notice != "" {
		t.Fatal("esc left the message")
	}
	if sh.cur().Back() {
		t.Fatal("esc only cleared the message: the rows still had the focus")
	}
}

// TestDemoOpensInItsOwnWorkspace (D15): o opens the sample in a workspace of its own; the
// workspace safeguard started on gets no record, however often o is pressed.
func TestDemoOpensInItsOwnWorkspace(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	demoPath := t.TempDir() + "/sample.db"
	opened := 0
	a := newApp(uitest.Ctx, Options{Store: s, Catalog: uitest.Catalog(t), OpenDemo: func() (*store.Store, error) {
		opened++
		ds, err := store.Open(demoPath, store.Options{Actor: "tester"})
		if err == nil {
			list, _ := ds.Assessments(uitest.Ctx)
			if len(list) == 0 {
				_, err = ds.Import(uitest.Ctx, assessmenttest.DemoDocument(t), store.ImportOptions{NewIDs: true})
			}
		}
		return ds, err
	}})
	a.applyStyles(uitest.Styles())
	a.pollEvery = 0 // drive runs commands in line: a poll would wait in it
	sized(a, 100, 30)
	drive(a, a.Init())
	for range 2 {
		press(a, "o")
		h, ok := a.top().(*home.Model)
		if !ok || !h.Env().Demo {
			t.Fatalf("o did not open the sample workspace: %T", a.top())
		}
		if v := ansi.Strip(a.View().Content); !strings.Contains(v, "sample workspace") {
			t.Fatalf("the sample workspace is not named as such:\n%s", v)
		}
		press(a, "esc")
	}
	if opened != 2 {
		t.Fatalf("OpenDemo ran %d times", opened)
	}
	if list, _ := s.Assessments(uitest.Ctx); len(list) != 0 {
		t.Fatalf("the demo went into the user's workspace: %+v", list)
	}
	if _, ok := a.top().(*home.Model); !ok || len(a.stack) != 1 {
		t.Fatalf("esc did not come back to the user's workspace: %d screens", len(a.stack))
	}
}

// TestDemoAsksWithoutItsOwnWorkspace: without a sample workspace, o asks before adding the
// sample here, and "Cancel" adds nothing.
func TestDemoAsksWithoutItsOwnWorkspace(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	a := testApp(t, s)
	sized(a, 100, 30)
	drive(a, a.Init())
	press(a, "o")
	_, ok := a.top().(*common.Form)
	if !ok {
		t.Fatalf("o without a sample workspace did not ask: %T", a.top())
	}
	if v := ansi.Strip(a.View().Content); !strings.Contains(v, "audit trail for good") {
		t.Fatalf("the question does not say what adding means:\n%s", v)
	}
	press(a, "enter") // the default answer: "Cancel"
	if list, _ := s.Assessments(uitest.Ctx); len(list) != 0 {
		t.Fatalf("Cancel added the sample: %+v", list)
	}
}
