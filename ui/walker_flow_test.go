package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
)

// TestWalkerFlow drives the real program on a real workspace: open the demo assessment, go
// to Questions, answer an organisation question with i, a per-system question with x, and
// record an addressable decision in its dialog; then check what the store holds.
func TestWalkerFlow(t *testing.T) {
	s := testStore(t)
	cat, _ := controls.Default()
	id, err := s.Import(testCtx, assessment.Demo(cat, fixedTime), store.ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	d := wkLoad(t, s, id)
	org := wkFirstItem(t, d, func(it assessment.Item, r *assessment.Response) bool {
		return it.Asset == nil && r == nil
	})
	// The first system of its question, so the row under the cursor after the jump.
	asset := wkFirstItem(t, d, func(it assessment.Item, r *assessment.Response) bool {
		ix := d.index[it.Key()]
		return it.Asset != nil && r == nil && (ix == 0 || d.items[ix-1].Question != it.Question)
	})
	addr := wkFirstItem(t, d, func(it assessment.Item, r *assessment.Response) bool {
		return it.Asset == nil && r != nil && r.Status == assessment.Implemented && (r.Decision == assessment.DecisionNone || r.Decision == assessment.DecisionAsSpecified) &&
			wkAddressable(cat, it.Question)
	})
	// The section's tab number.
	tab := 0
	for i, m := range sectionMakers {
		if m.order == 2 {
			tab = i + 1
		}
	}

	a := testApp(t, s)
	tm := teatest.NewTestModel(t, a, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitFor(t, tm, "Riverbend")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor(t, tm, "answered")
	tm.Send(tea.KeyPressMsg{Code: rune('0' + tab), Text: string(rune('0' + tab))})
	waitFor(t, tm, "Safeguards")

	stored := func(k assessment.ItemKey, ok func(*assessment.Response) bool) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func([]byte) bool {
			snap, err := s.Snapshot(testCtx, id)
			if err != nil {
				return false
			}
			r := snap.ResponseMap()[k]
			return r != nil && ok(r)
		}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	}
	find := func(qid string) {
		tm.Send(tea.KeyPressMsg{Code: '/', Text: "/"})
		tm.Type(qid)
		tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	}

	// An organisation question: i saves "implemented" at once.
	find(org.Question.ID)
	tm.Send(tea.KeyPressMsg{Code: 'i', Text: "i"})
	stored(org.Key(), func(r *assessment.Response) bool { return r.Status == assessment.Implemented })

	// A per-system question: into the rows, x on the first system.
	find(asset.Question.ID)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyRight})
	tm.Send(tea.KeyPressMsg{Code: 'x', Text: "x"})
	var assetKey assessment.ItemKey
	teatest.WaitFor(t, tm.Output(), func([]byte) bool {
		snap, err := s.Snapshot(testCtx, id)
		if err != nil {
			return false
		}
		for _, r := range snap.Responses {
			if r.QuestionID == asset.Question.ID && r.AssetID != "" && r.Status == assessment.NotImplemented {
				a, _ := snap.Asset(r.AssetID)
				if a != nil && a.Name == asset.Asset.Name {
					assetKey = assessment.ItemKey{QuestionID: r.QuestionID, AssetID: r.AssetID}
					return true
				}
			}
		}
		return false
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(50*time.Millisecond))

	// The addressable decision: an equivalent alternative measure with its description.
	find(addr.Question.ID)
	tm.Send(tea.KeyPressMsg{Code: 'd', Text: "d"})
	waitFor(t, tm, "Addressable decision (§164.306(d)(3))")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	waitFor(t, tm, "Describe the equivalent alternative measure")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	// huh moves to the next field with its own command; give it a moment to focus.
	time.Sleep(300 * time.Millisecond)
	tm.Type("Monthly manual review by the practice manager")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor(t, tm, "Why is the specification as written not reasonable")
	time.Sleep(300 * time.Millisecond)
	tm.Type("The logging tool cannot alert on every event")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	stored(addr.Key(), func(r *assessment.Response) bool { return r.Decision == assessment.DecisionAlternative })

	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	snap, err := s.Snapshot(testCtx, id)
	if err != nil {
		t.Fatal(err)
	}
	resp := snap.ResponseMap()
	if r := resp[org.Key()]; r == nil || r.Status != assessment.Implemented || r.By != "tester" {
		t.Fatalf("organisation answer: %+v", r)
	}
	if r := resp[assetKey]; r == nil || r.Status != assessment.NotImplemented {
		t.Fatalf("per-system answer: %+v", r)
	}
	r := resp[addr.Key()]
	if r == nil || r.Status != assessment.Implemented || r.Decision != assessment.DecisionAlternative ||
		!strings.Contains(r.DecisionText, "Monthly manual review") || !strings.Contains(r.Reason, "logging tool") {
		t.Fatalf("addressable decision: %+v", r)
	}
	// The gap proposed risks from the threat library.
	proposed := 0
	for _, rk := range snap.Risks {
		if rk.Status == assessment.RiskProposed && rk.AssetID == assetKey.AssetID {
			for _, q := range rk.QuestionIDs {
				if q == asset.Question.ID {
					proposed++
				}
			}
		}
	}
	if len(asset.Question.Vulnerabilities) > 0 && proposed == 0 {
		t.Error("the gap proposed no risk")
	}
}

// TestAttachEvidenceFlow attaches a file to an organisation question from the walker, by
// typing its path, and checks the vault holds it linked to that answer.
func TestAttachEvidenceFlow(t *testing.T) {
	s := testStore(t)
	cat, _ := controls.Default()
	id, err := s.Import(testCtx, assessment.Demo(cat, fixedTime), store.ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	d := wkLoad(t, s, id)
	org := wkFirstItem(t, d, func(it assessment.Item, r *assessment.Response) bool { return it.Asset == nil })
	file := filepath.Join(t.TempDir(), "restore-test-2026.txt")
	if err := os.WriteFile(file, []byte("Restored the EHR export in 41 minutes on 3 March.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := s.ListEvidence(testCtx, id)

	a := testApp(t, s)
	tm := teatest.NewTestModel(t, a, teatest.WithInitialTermSize(120, 40),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitFor(t, tm, "Riverbend")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor(t, tm, "answered")
	tm.Send(tea.KeyPressMsg{Code: '2', Text: "2"})
	waitFor(t, tm, "Safeguards")
	tm.Send(tea.KeyPressMsg{Code: '/', Text: "/"})
	tm.Type(org.Question.ID)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Send(tea.KeyPressMsg{Code: 'a', Text: "a"})
	waitFor(t, tm, "What do you want to attach?")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter}) // "A file", the first choice
	time.Sleep(300 * time.Millisecond)
	tm.Type(file)
	for range 3 { // path, name (optional), description (optional)
		tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
		time.Sleep(300 * time.Millisecond)
	}
	var added []assessment.Evidence
	teatest.WaitFor(t, tm.Output(), func([]byte) bool {
		added, _ = s.ListEvidence(testCtx, id)
		return len(added) == len(before)+1
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	for _, e := range added {
		if e.Name != filepath.Base(file) {
			continue
		}
		if len(e.Links) != 1 || e.Links[0].QuestionID != org.Question.ID || e.Links[0].AssetID != "" {
			t.Fatalf("links of the attached file: %+v", e.Links)
		}
		return
	}
	t.Fatalf("the attached file is not in the vault: %+v", added)
}
