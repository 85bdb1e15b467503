package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/uitest"
)

// The flows of issue 15's defects, on the real program and a real workspace: the
// silent overwrite, the skipped row, / from the dashboard, the addressable answer in one
// key, and answering every system alike.

// openRows finds a per-system question of the demo with at least n rows that need an
// answer, and returns those rows' keys in row order.
func openRows(t *testing.T, s *store.Store, id string, n int, ok func(*controls.Question) bool) []assessment.ItemKey {
	t.Helper()
	d := uitest.Load(t, s, id)
	for _, q := range d.Catalog.Questions {
		ixs := d.ByQuestion[q.ID]
		if q.Scope != controls.ScopeAsset || len(ixs) < n || (ok != nil && !ok(&q)) {
			continue
		}
		var keys []assessment.ItemKey
		for _, ix := range ixs {
			if !d.Items[ix].Answered() {
				keys = append(keys, d.Items[ix].Key())
			}
		}
		if len(keys) >= n {
			return keys
		}
	}
	t.Fatalf("the demo has no per-system question with %d open rows", n)
	return nil
}

// find goes to a question through the search.
func find(tm *teatest.TestModel, qid string) {
	keys(tm, "/")
	keys(tm, "="+qid)
	keys(tm, "enter")
}

// TestOverwriteFlow (D2a): in the tree's focus, x then i answer two rows, not the same
// row twice.
func TestOverwriteFlow(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	rows := openRows(t, s, id, 2, nil)
	tm := newTestModel(t, s, 120, 40)
	openDemoTab(t, tm, "Questions", "Safeguards")
	find(tm, rows[0].QuestionID)
	waitFor(t, tm, "▶ Safeguards") // the tree has focus
	keys(tm, "=xi")
	stored(t, tm, s, id, rows[0], func(r *assessment.Response) bool { return r.Status == assessment.NotImplemented })
	stored(t, tm, s, id, rows[1], func(r *assessment.Response) bool { return r.Status == assessment.Implemented })
	keys(tm, "=q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// TestNoSkipFlow (D2b): answer, then ], then answer again: the row the first answer moved
// to is the one answered next, not skipped.
func TestNoSkipFlow(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	rows := openRows(t, s, id, 3, nil)
	tm := newTestModel(t, s, 120, 40)
	openDemoTab(t, tm, "Questions", "Safeguards")
	find(tm, rows[0].QuestionID)
	keys(tm, "right") // into the rows, as in the review
	keys(tm, "=i]p")
	stored(t, tm, s, id, rows[1], func(r *assessment.Response) bool { return r.Status == assessment.Partial })
	keys(tm, "=q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	m := uitest.Load(t, s, id).Responses
	if r := m[rows[0]]; r == nil || r.Status != assessment.Implemented {
		t.Fatalf("first row: %+v", r)
	}
	if r := m[rows[2]]; r != nil {
		t.Fatalf("the third row was answered: %+v", r)
	}
}

// TestFindFromDashboardFlow: / on the dashboard opens the question search; esc goes back
// to the dashboard, enter goes to the question in Questions.
func TestFindFromDashboardFlow(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	d := uitest.Load(t, s, id)
	q := d.Items[len(d.Items)/2].Question
	tm := newTestModel(t, s, 120, 40)
	waitFor(t, tm, "Riverbend Family Health")
	keys(tm, "enter") // the assessment opens on its dashboard
	waitFor(t, tm, "answered")
	keys(tm, "=/")
	waitFor(t, tm, "Find a question")
	keys(tm, "esc")
	waitFor(t, tm, "Progress by safeguard")
	keys(tm, "=/"+q.ID)
	waitFor(t, tm, "match")
	keys(tm, "enter")
	waitFor(t, tm, "Safeguards")
	keys(tm, "=q")
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(screen).App
	sh, ok := fm.top().(*shell)
	if !ok || sh.cur().Title() != "Questions" {
		t.Fatalf("enter in the search did not go to Questions: %T", fm.top())
	}
	if v := ansi.Strip(fm.View().Content); !strings.Contains(v, "Question "+q.ID) {
		t.Fatalf("Questions does not show %s:\n%s", q.ID, v)
	}
}

// TestAddressableFlow: implemented on an addressable specification records "implemented
// as specified" with the one key; not implemented opens the decision dialog on "no
// decision now", which enter takes.
func TestAddressableFlow(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	cat := uitest.Catalog(t)
	addr := func(q *controls.Question) bool { return assessment.TakesDecision(cat, q) }
	rows := openRows(t, s, id, 2, addr)
	tm := newTestModel(t, s, 120, 40)
	openDemoTab(t, tm, "Questions", "Safeguards")
	find(tm, rows[0].QuestionID)
	keys(tm, "=i")
	stored(t, tm, s, id, rows[0], func(r *assessment.Response) bool {
		return r.Status == assessment.Implemented && r.Decision == assessment.DecisionAsSpecified
	})
	keys(tm, "=x")
	waitFor(t, tm, "No decision now")
	keys(tm, "enter")
	waitFor(t, tm, "No §164.306(d)(3) decision")
	keys(tm, "=q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if r := uitest.Load(t, s, id).Responses[rows[1]]; r == nil || r.Status != assessment.NotImplemented || r.Decision != assessment.DecisionNone {
		t.Fatalf("second row: %+v", r)
	}
}

// TestApplyAllFlow: A then x answers every system of the question not implemented, each
// row its own audited answer.
func TestApplyAllFlow(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	rows := openRows(t, s, id, 2, nil)
	d := uitest.Load(t, s, id)
	all := d.ByQuestion[rows[0].QuestionID]
	tm := newTestModel(t, s, 120, 40)
	openDemoTab(t, tm, "Questions", "Safeguards")
	find(tm, rows[0].QuestionID)
	keys(tm, "=A")
	waitFor(t, tm, "Answer all")
	keys(tm, "=x")
	for _, ix := range all {
		stored(t, tm, s, id, d.Items[ix].Key(), func(r *assessment.Response) bool { return r.Status == assessment.NotImplemented })
	}
	keys(tm, "=q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if res, err := s.Verify(uitest.Ctx); err != nil || !res.OK() {
		t.Fatalf("verify: %+v %v", res, err)
	}
}

// TestHelpFitsFlow: at 80×24 the help bar fits on one line and ends with the key for
// every key; ? lists the answer keys the bar has no room for.
func TestHelpFitsFlow(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	a := testApp(t, s)
	sized(a, 80, 24)
	drive(a, common.Emit(common.OpenAssessmentMsg{ID: id}))
	press(a, tabKey(t, "Questions"))
	v := ansi.Strip(a.View().Content)
	lines := strings.Split(v, "\n")
	bar := lines[len(lines)-1]
	if !strings.Contains(bar, "? all keys") {
		t.Fatalf("the help bar lacks '? all keys': %q", bar)
	}
	uitest.CheckFrame(t, v, 80, 24)
	press(a, "?")
	v = ansi.Strip(a.View().Content)
	for _, want := range []string{"note", "addressable decision", "change owner", "attach evidence", "answer every system alike", "next unanswered", "filter"} {
		if !strings.Contains(v, want) {
			t.Fatalf("the key overlay lacks %q:\n%s", want, v)
		}
	}
	uitest.CheckFrame(t, v, 80, 24)
}
