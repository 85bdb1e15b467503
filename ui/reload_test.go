package ui

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/uitest"
)

// Two TUIs (or a TUI and the CLI) on one workspace: each sees the other's answers within
// one poll of store.Changed, and a save over a record the other changed since opens the
// conflict dialog with both values.

// sharedWorkspace opens one workspace twice, as two processes would (each Store has its
// own connections, so each sees the other's commits as changes), with the demo assessment.
func sharedWorkspace(t *testing.T) (a, b *store.Store, id string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ws.db")
	open := func(actor string) *store.Store {
		s, err := store.Open(path, store.Options{Actor: actor})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b = open("alice"), open("bob")
	id, err := a.Import(uitest.Ctx, assessmenttest.DemoDocument(t), store.ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	return a, b, id
}

// settle feeds the app the messages cmd leads to, as the runtime would, until every
// command has brought its message (up to 10 s on a busy machine). Timers (a cursor's
// blink, a poll, tea.Tick) are left waiting, so typing does not sleep in the test.
func settle(app *App, cmd tea.Cmd) { settleUntil(app, cmd, nil) }

// settleUntil is settle that also waits (up to 10 s) until a message want accepts has
// arrived: a save's result.
func settleUntil(app *App, cmd tea.Cmd, want func(tea.Msg) bool) {
	results := make(chan tea.Msg, 512)
	inflight := 0
	run := func(c tea.Cmd) {
		if c != nil && !isTimer(cmdName(c)) {
			inflight++
			go func() { results <- c() }()
		}
	}
	run(cmd)
	deadline := time.After(10 * time.Second)
	for n := 0; (inflight > 0 || want != nil) && n < 500; n++ {
		var msg tea.Msg
		select {
		case msg = <-results:
		case <-deadline:
			return
		}
		inflight--
		if cmds, ok := cmdSlice(msg); ok {
			for _, c := range cmds {
				run(c)
			}
			continue
		}
		if msg == nil {
			continue
		}
		if want != nil && want(msg) {
			want = nil
		}
		_, next := app.Update(msg)
		run(next)
	}
}

// pressSaved presses a key that saves, and settles until its result has arrived.
func pressSaved(app *App, k string) {
	_, cmd := app.Update(uitest.Key(k))
	settleUntil(app, cmd, func(msg tea.Msg) bool { _, ok := msg.(common.SavedMsg); return ok })
}

// pressSettled presses each key and settles what it leads to.
func pressSettled(app *App, ks ...string) {
	for _, k := range ks {
		_, cmd := app.Update(uitest.Key(k))
		settle(app, cmd)
	}
}

// openQuestion opens the assessment in app and finds question qid in the Questions tab.
func openQuestion(t *testing.T, app *App, qid string) {
	t.Helper()
	sized(app, 120, 40)
	settle(app, app.Init())
	pressSettled(app, "enter", tabKey(t, "Questions"), "/")
	pressSettled(app, strings.Split(qid, "")...)
	pressSettled(app, "enter")
}

func shellOf(t testing.TB, app *App) *shell {
	t.Helper()
	for _, sc := range app.stack {
		if sh, ok := sc.(*shell); ok {
			return sh
		}
	}
	t.Fatal("no assessment is open")
	return nil
}

// poll runs one poll of app (waiting its interval) and what it leads to; it reports
// whether the poll saw a change.
func poll(t *testing.T, app *App) bool {
	t.Helper()
	app.pollEvery = 20 * time.Millisecond
	msg := app.pollChanges()()
	app.pollEvery = 0 // the re-armed poll is not driven
	_, cmd := app.Update(msg)
	changed := msg.(changeCheckMsg).changed
	if changed { // the reload it starts can take longer than settle's 100 ms
		settleUntil(app, cmd, func(m tea.Msg) bool { _, ok := m.(snapshotMsg); return ok })
	} else {
		settle(app, cmd)
	}
	return changed
}

func TestTwoTUIsSeeEachOthersAnswersAndConflicts(t *testing.T) {
	t.Parallel()
	sa, sb, id := sharedWorkspace(t)
	d := uitest.Load(t, sa, id)
	it := uitest.FirstItem(t, d, func(it *assessment.ItemView) bool { return it.Asset == nil && it.Response == nil })
	k := it.Key()
	alice, bob := testApp(t, sa), testApp(t, sb)
	openQuestion(t, alice, k.QuestionID)
	openQuestion(t, bob, k.QuestionID)
	if poll(t, bob) {
		t.Fatal("bob's poll saw a change before anyone saved")
	}

	// Alice answers "implemented" in her TUI; bob's next poll shows it.
	pressSaved(alice, "i")
	if r := uitest.Load(t, sa, id).Responses[k]; r == nil || r.Status != assessment.Implemented {
		t.Fatalf("alice's answer was not saved: %+v", r)
	}
	if poll(t, alice) {
		t.Fatal("alice's own save counted as another process's change")
	}
	if !poll(t, bob) {
		t.Fatal("bob's poll did not see alice's answer")
	}
	if r := shellOf(t, bob).data.Responses[k]; r == nil || r.Status != assessment.Implemented || r.By != "alice" {
		t.Fatalf("bob's screen does not hold alice's answer after one poll: %+v", r)
	}
	if v := ansi.Strip(bob.View().Content); !strings.Contains(v, "Another process changed the workspace") {
		t.Fatalf("bob's status line does not say the screen changed:\n%s", v)
	}

	// Alice changes it again (with a note) before bob's next poll; bob, still seeing
	// "implemented", answers "not implemented": refused, and the dialog shows both.
	r := *uitest.Load(t, sa, id).Responses[k]
	r.Status, r.Note = assessment.Partial, "Only the front desk is covered."
	if _, err := sa.SaveResponse(uitest.Ctx, id, r); err != nil {
		t.Fatal(err)
	}
	pressSaved(bob, "x")
	dlg, ok := bob.top().(*common.ConflictDialog)
	if !ok {
		t.Fatalf("bob's conflicting save did not open the conflict dialog; the screen is %T:\n%s", bob.top(), ansi.Strip(bob.View().Content))
	}
	v := ansi.Strip(bob.View().Content)
	for _, want := range []string{"Someone else changed this record", "alice", "Theirs: Partially implemented", "Only the front desk is covered.", "Yours:  Not implemented"} {
		if !strings.Contains(v, want) {
			t.Fatalf("the conflict dialog lacks %q:\n%s", want, v)
		}
	}
	_ = dlg
	// Keep mine: bob's answer is saved over alice's.
	pressSaved(bob, "m")
	if r := uitest.Load(t, sa, id).Responses[k]; r == nil || r.Status != assessment.NotImplemented || r.By != "bob" {
		t.Fatalf("keeping bob's answer did not save it: %+v", r)
	}
	if _, still := bob.top().(*common.ConflictDialog); still {
		t.Fatal("the dialog stayed open after keeping mine")
	}

	// And taking theirs leaves the record as the other saved it.
	if !poll(t, alice) {
		t.Fatal("alice's poll did not see bob's answer")
	}
	r = *uitest.Load(t, sb, id).Responses[k]
	r.Status, r.Note = assessment.Implemented, "Fixed on Monday."
	if _, err := sb.SaveResponse(uitest.Ctx, id, r); err != nil {
		t.Fatal(err)
	}
	// Her answer moved her on: back to the question first.
	pressSettled(alice, "/")
	pressSettled(alice, strings.Split(k.QuestionID, "")...)
	pressSettled(alice, "enter")
	pressSaved(alice, "x")
	if _, ok := alice.top().(*common.ConflictDialog); !ok {
		t.Fatalf("alice's conflicting save did not open the dialog:\n%s", ansi.Strip(alice.View().Content))
	}
	pressSettled(alice, "t")
	if r := uitest.Load(t, sa, id).Responses[k]; r.Status != assessment.Implemented || r.Note != "Fixed on Monday." {
		t.Fatalf("taking theirs changed the record: %+v", r)
	}
	if r := shellOf(t, alice).data.Responses[k]; r.Note != "Fixed on Monday." {
		t.Fatalf("alice's screen does not show theirs after taking it: %+v", r)
	}
}

// TestRefreshShowsWhatAWholeLoadShows: after random saves, each answered through the
// shell's refresh (only the changed records re-read, only the tab on screen updated at
// once), every tab draws exactly what a freshly opened assessment draws.
func TestRefreshShowsWhatAWholeLoadShows(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	app := testApp(t, s)
	sized(app, 120, 40)
	settle(app, app.Init())
	pressSettled(app, "enter")
	d := uitest.Load(t, s, id)
	rng := rand.New(rand.NewPCG(18, 4))
	statuses := []assessment.ResponseStatus{assessment.Implemented, assessment.Partial, assessment.NotImplemented, assessment.Flagged}
	titles := sections(app.env)
	for round := range 30 {
		it := d.Items[rng.IntN(len(d.Items))]
		k := it.Key()
		r := assessment.Response{QuestionID: k.QuestionID, AssetID: k.AssetID, Status: statuses[rng.IntN(len(statuses))],
			Note: fmt.Sprintf("round %d", round), Version: store.AnyVersion}
		res, err := s.SaveResponse(uitest.Ctx, id, r)
		msg := common.SavedMsg{Notice: fmt.Sprintf("saved %d (%d proposed)", round, res.Proposed), Err: err}
		_, cmd := app.Update(msg)
		settle(app, cmd)
		if round%5 != 4 {
			continue
		}
		fresh := testApp(t, s)
		sized(fresh, 120, 40)
		settle(fresh, fresh.Init())
		pressSettled(fresh, "enter")
		for i, sec := range titles {
			pressSettled(app, tabKey(t, sec.Title()))
			pressSettled(fresh, tabKey(t, sec.Title()))
			if sec.Title() == "Questions" {
				// A fresh screen opens on the first question to answer, the refreshed one
				// stays where the user was: put both on the same question.
				for _, a := range []*App{app, fresh} {
					pressSettled(a, "/")
					pressSettled(a, strings.Split(d.Items[0].Question.ID, "")...)
					pressSettled(a, "enter")
				}
			}
			got, want := body(app), body(fresh)
			if got != want {
				t.Fatalf("round %d, tab %d %s: the refreshed screen differs from a fresh load\n--- refreshed\n%s\n--- fresh\n%s", round, i+1, sec.Title(), got, want)
			}
		}
	}
}

// body is the app's frame without the status line and the help bar.
func body(a *App) string {
	lines := strings.Split(ansi.Strip(a.View().Content), "\n")
	return strings.Join(lines[:len(lines)-2], "\n")
}
