package incidents

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
	"safeguard/ui/common"
	"safeguard/ui/uitest"
)

// The tests run on the demo as of uitest.FixedTime (Oct 1, 2026), with incidents whose
// clocks stand at known places on that day.

// assetID is the demo's asset with this name.
func assetID(tb testing.TB, d *common.Data, name string) string {
	tb.Helper()
	for _, a := range d.Snap.Assets {
		if a.Name == name {
			return a.ID
		}
	}
	tb.Fatalf("the demo has no asset %q", name)
	return ""
}

// sampleIncidents are four incidents of the demo: a laptop theft whose clocks run (18 days
// left on Oct 1), a misdirected email overdue, a concluded and closed phishing attempt,
// and a business associate's ransomware incident under a law-enforcement delay.
func sampleIncidents(tb testing.TB, d *common.Data) []assessment.Incident {
	laptop, _ := assessment.CaptureAsset(d.Snap, assetID(tb, d, "Staff laptops and workstations"), "2026-08-20")
	backup, _ := assessment.CaptureAsset(d.Snap, assetID(tb, d, "Offsite backups"), "2026-09-02")
	return []assessment.Incident{
		{ID: "11111111-aaaa-4000-8000-000000000001", Title: "Stolen clinic laptop", Discovered: "2026-08-20", DiscoveredBy: assessment.DiscoveredByPractice,
			Type: "theft", Individuals: 620, States: []assessment.StateCount{{State: "KY", Count: 60}, {State: "OH", Count: 560}},
			Data: []string{"name", "dob", "diagnosis"}, Assets: []assessment.IncidentAsset{laptop}, RecordedBy: "Dana Whitfield", RecordedOn: "2026-08-21"},
		{ID: "22222222-aaaa-4000-8000-000000000002", Title: "Lab results emailed to the wrong patient", Discovered: "2026-07-15",
			DiscoveredBy: assessment.DiscoveredByPractice, Type: "unauthorized", Exposure: assessment.ExposureDisclosure, Individuals: 3,
			States: []assessment.StateCount{{State: "OH", Count: 3}}, Data: []string{"name", "lab"}},
		{ID: "33333333-aaaa-4000-8000-000000000003", Title: "Phishing email, no click", Discovered: "2026-03-02",
			DiscoveredBy: assessment.DiscoveredByPractice, Type: "hacking", Individuals: 0,
			Exception:  &assessment.ExceptionDecision{Applies: assessment.ExceptionNone, By: "Dana Whitfield", On: "2026-03-03"},
			Conclusion: &assessment.Conclusion{Outcome: assessment.OutcomeNotPHI, Rationale: "No account was reached.", By: "Dana Whitfield", On: "2026-03-04"},
			Closed:     "2026-03-05", ClosedBy: "Dana Whitfield"},
		{ID: "44444444-aaaa-4000-8000-000000000004", Title: "Backup provider ransomware", Discovered: "2026-09-01",
			DiscoveredBy: assessment.DiscoveredByBA, Agent: true, Type: "hacking", Ransomware: true, Individuals: 1200,
			Data: []string{"name", "ssn"}, Assets: []assessment.IncidentAsset{backup},
			Delays: []assessment.LawEnforcementDelay{{Kind: assessment.DelayOral, Stated: "2026-09-10", Official: "Det. R. Ortiz, Columbus PD"}}},
	}
}

// withIncidents is d with the sample incidents recorded, analyzed again at the fixed time.
func withIncidents(tb testing.TB) *common.Data {
	d := uitest.Demo(tb)
	d.Snap.Incidents = sampleIncidents(tb, d)
	return uitest.Reanalyze(d)
}

func section(tb testing.TB, d *common.Data, w, h int) *Model {
	return uitest.Section(New(uitest.Env(tb)), d, w, h)
}

func plainView(m common.Screen) string { return ansi.Strip(m.View()) }

func TestIncidentListGolden(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	for _, size := range uitest.Sizes {
		t.Run(uitest.SizeName(size), func(t *testing.T) {
			m := section(t, d, size[0], size[1])
			v := m.View()
			uitest.CheckFrame(t, v, size[0], uitest.SectionHeight(size[1]))
			plain := ansi.Strip(v)
			for _, want := range []string{"Incidents", "DISCOVERED", "NEXT DUTY", "LEFT", "Stolen clinic lap", "18 days overdue", "Counted from discovery on Jul 15, 2026"} {
				if !strings.Contains(plain, want) {
					t.Fatalf("the list lacks %q:\n%s", want, plain)
				}
			}
			uitest.Golden(t, v)
		})
	}
}

// TestListIsTheDomainsOrder: the list shows the incidents in the domain's order (open work
// first, the earliest date first) with the domain's next duty and days left.
func TestListIsTheDomainsOrder(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 120, 40)
	if len(m.rows) != len(d.Incidents) {
		t.Fatalf("%d rows for %d incidents", len(m.rows), len(d.Incidents))
	}
	for i := range m.rows {
		v := &d.Incidents[i]
		if m.rows[i].v.ID != v.ID {
			t.Fatalf("row %d is %s, the domain's order has %s", i, m.rows[i].v.Title, v.Title)
		}
		next, ok := v.Next()
		if ok != m.rows[i].hasNext || (ok && next.Title != m.rows[i].next.Title) {
			t.Fatalf("row %d's next duty differs from the domain's", i)
		}
	}
	// The overdue email comes first, the closed phishing last.
	if m.rows[0].v.Title != "Lab results emailed to the wrong patient" || m.rows[len(m.rows)-1].v.Closed == "" {
		t.Fatalf("order: %v", titles(m))
	}
	view := plainView(m)
	next, _ := d.Incidents[0].Next()
	if want := assessment.DaysLeft(next.DaysLeft); !strings.Contains(view, want) || next.DaysLeft != -18 {
		t.Fatalf("the overdue duty (%d days) is not shown as %q:\n%s", next.DaysLeft, want, view)
	}
}

func titles(m *Model) []string {
	var out []string
	for _, r := range m.rows {
		out = append(out, r.v.Title)
	}
	return out
}

func TestEmptyRegisterSaysWhatToDo(t *testing.T) {
	t.Parallel()
	m := section(t, uitest.Demo(t), 80, 24)
	v := plainView(m)
	if !strings.Contains(v, "No incidents are recorded") || !strings.Contains(v, "press a to record it") {
		t.Fatalf("the empty register does not say what to do:\n%s", v)
	}
	uitest.CheckFrame(t, m.View(), 80, uitest.SectionHeight(24))
}

// TestDeleteIsRefused: D never deletes an incident, in the list or on its page, and says
// why.
func TestDeleteIsRefused(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 80, 24)
	for _, open := range []bool{false, true} {
		if open {
			uitest.Press(m, "enter")
		}
		for _, k := range []string{"D", "delete"} {
			n := uitest.NoticeOf(t, uitest.Press(m, k))
			if !strings.Contains(n, "cannot be deleted") || !strings.Contains(n, "§164.316(b)(2)(i)") || !strings.Contains(n, "Close") {
				t.Fatalf("delete says %q", n)
			}
		}
	}
	if len(m.rows) != len(d.Incidents) {
		t.Fatal("an incident went missing")
	}
}

func TestIncidentPageGolden(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	for _, size := range uitest.Sizes {
		for _, st := range []step{stepOverview, stepSecured, stepFactors, stepClose} {
			t.Run(fmt.Sprintf("%s/%s", uitest.SizeName(size), strings.ReplaceAll(stepNames[st], "?", "")), func(t *testing.T) {
				m := section(t, d, size[0], size[1])
				uitest.Press(m, "j", "j", "enter") // the ransomware incident under a delay
				m.goStep(st)
				v := m.View()
				uitest.CheckFrame(t, v, size[0], uitest.SectionHeight(size[1]))
				plain := ansi.Strip(v)
				if !strings.Contains(plain, "Backup provider ransomware") || !strings.Contains(plain, stepTitles[st]) {
					t.Fatalf("the page lacks its title or step:\n%s", plain)
				}
				uitest.Golden(t, v)
			})
		}
	}
}

// TestPageShowsTheDomainsClocks: the overview lists every duty of the domain with its due
// date and days, the law-enforcement pause included, and what the record lacks.
func TestPageShowsTheDomainsClocks(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 120, 60)
	var v *assessment.IncidentView
	for i := range d.Incidents {
		if d.Incidents[i].Title == "Backup provider ransomware" {
			v = &d.Incidents[i]
			m.cursor = i
		}
	}
	uitest.Press(m, "enter")
	page := plainView(m)
	for _, du := range v.Duties {
		if !strings.Contains(page, du.Title) {
			t.Fatalf("the overview lacks the duty %q:\n%s", du.Title, page)
		}
		if !du.Due.IsZero() && !strings.Contains(page, "due "+assessment.DocDate(du.Due)) {
			t.Fatalf("the overview lacks %q's date %s:\n%s", du.Title, assessment.DocDate(du.Due), page)
		}
		if du.Paused > 0 && !strings.Contains(page, fmt.Sprintf("+%s paused", assessment.Plural(du.Paused, "day", "days"))) {
			t.Fatalf("the overview hides the pause of %q:\n%s", du.Title, page)
		}
	}
	if v.Duties[0].Paused == 0 {
		t.Fatal("the sample's oral delay should pause the clocks")
	}
	for _, g := range v.Gaps {
		if !strings.Contains(strings.Join(strings.Fields(page), " "), g) {
			t.Fatalf("the overview lacks the gap %q:\n%s", g, page)
		}
	}
	// Walking the steps shows the derivation with the asset data behind it.
	m.goStep(stepSecured)
	page = plainView(m)
	for _, want := range []string{v.Derived.Summary[:30], "Offsite backups", "at rest: Encrypted, customer-managed keys"} {
		if !strings.Contains(strings.Join(strings.Fields(page), " "), want) {
			t.Fatalf("the secured step lacks %q:\n%s", want, page)
		}
	}
}

// TestStepsMoveAndScroll: ←/→ walk the steps, ↑/↓ pick a factor, esc goes back to the
// list, and the mouse picks a step on wide screens.
func TestStepsMoveAndScroll(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 120, 40)
	uitest.Press(m, "enter", "right", "right")
	if m.step != stepSecured {
		t.Fatalf("step %d after two →", m.step)
	}
	uitest.Press(m, "left")
	if m.step != stepFacts {
		t.Fatalf("step %d after ←", m.step)
	}
	m.goStep(stepFactors)
	uitest.Press(m, "down", "down")
	if m.item != 2 {
		t.Fatalf("factor %d after two ↓", m.item+1)
	}
	m.Update(uitest.Click(3, 2+int(stepClose)))
	if m.step != stepClose {
		t.Fatalf("a click on Close went to step %d", m.step)
	}
	if !m.Back() || m.open {
		t.Fatal("esc does not close the page")
	}
	if m.Back() {
		t.Fatal("esc in the list should leave the assessment")
	}
	// enter on the overview goes to the next step the record needs.
	uitest.Press(m, "enter", "enter")
	if m.step != stepSecured {
		t.Fatalf("the next step to do of an undecided incident is %s", stepNames[m.step])
	}
}

func TestClosedIncidentRefusesChanges(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 80, 24)
	uitest.Press(m, "G", "enter", "right")
	if m.selected().Closed == "" {
		t.Fatal("the last row should be the closed incident")
	}
	n := uitest.NoticeOf(t, uitest.Press(m, "e"))
	if !strings.Contains(n, "closed") || !strings.Contains(n, "reopen") {
		t.Fatalf("editing a closed incident says %q", n)
	}
	m.goStep(stepClose)
	msg, ok := uitest.Run(uitest.Press(m, "e")).(common.PushMsg)
	if !ok || msg.Screen.(*form).title != "Reopen the incident" {
		t.Fatalf("e on a closed incident's Close step does not offer to reopen: %#v", msg)
	}
}

// open runs a command that must push one of this tab's forms and sizes it as the root
// would.
func open(tb testing.TB, cmd tea.Cmd, w, h int) *form {
	tb.Helper()
	msg, ok := uitest.Run(cmd).(common.PushMsg)
	if !ok {
		tb.Fatalf("no form opened: %#v", msg)
	}
	f, ok := msg.Screen.(*form)
	if !ok {
		tb.Fatalf("pushed %T", msg.Screen)
	}
	f.SetStyles(uitest.Styles())
	f.SetSize(w, h-3)
	f.Init()
	return f
}

// TestRefusedDateKeepsTheForm: a discovery date that is not a date, or in the future, is
// refused in one sentence, nothing is saved, and every value typed stays.
func TestRefusedDateKeepsTheForm(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 80, 24)
	f := open(t, uitest.Press(m, "a"), 80, 24)
	uitest.Type(f, "Lost USB stick")
	uitest.Press(f, "tab", "tab", "tab", "tab") // to Discovered on
	if f.cur().id != "discovered" {
		t.Fatalf("focus on %s", f.cur().id)
	}
	uitest.Type(f, "2026-02-30")
	if cmd := uitest.Press(f, "ctrl+s"); f.saving || cmd != nil && isSave(cmd) {
		t.Fatal("a bad date was saved")
	}
	if f.cur().err == "" || !strings.Contains(plainView(f), "2026-02-30") || !strings.Contains(plainView(f), "Lost USB stick") {
		t.Fatalf("the refusal lost the typing or says nothing:\n%s", plainView(f))
	}
	for range 10 {
		uitest.Press(f, "backspace")
	}
	uitest.Type(f, "2026-12-24") // after the fixed clock's day
	uitest.Press(f, "ctrl+s")
	view := plainView(f)
	if f.saving || !strings.Contains(view, "is in the future") || !strings.Contains(view, "Lost USB stick") {
		t.Fatalf("a discovery date in the future was not refused in the form:\n%s", view)
	}
	if strings.Contains(view, "--") {
		t.Fatalf("the refusal names a CLI flag:\n%s", view)
	}
	uitest.CheckFrame(t, f.View(), 80, 21)
}

// isSave reports whether a command saves (ends in a SavedMsg or a batch holding one).
func isSave(cmd tea.Cmd) bool {
	switch msg := cmd().(type) {
	case common.SavedMsg:
		return true
	case tea.BatchMsg:
		return len(msg) > 0
	}
	return false
}

// TestEscOnAChangedFormAsks: esc closes an untouched form at once; on a changed one it
// asks, n keeps editing with the typing intact, y discards.
func TestEscOnAChangedFormAsks(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 80, 24)
	f := open(t, uitest.Press(m, "a"), 80, 24)
	if _, ok := uitest.Run(uitest.Press(f, "esc")).(common.PopMsg); !ok {
		t.Fatal("esc on an untouched form does not close it")
	}
	f = open(t, uitest.Press(m, "a"), 80, 24)
	uitest.Type(f, "Stolen badge")
	if cmd := uitest.Press(f, "esc"); cmd != nil || !f.confirm {
		t.Fatal("esc on a changed form closed it without asking")
	}
	if !strings.Contains(plainView(f), "Discard what you typed in this form?") {
		t.Fatalf("no question:\n%s", plainView(f))
	}
	uitest.Press(f, "n")
	if f.confirm || f.field("title").value() != "Stolen badge" {
		t.Fatal("n did not keep editing with the typing")
	}
	uitest.Press(f, "esc")
	if _, ok := uitest.Run(uitest.Press(f, "y")).(common.PopMsg); !ok {
		t.Fatal("y does not discard")
	}
}

// TestStatesMustAddUp: per-state counts that do not add up to the individuals are refused
// with the sums in the sentence; a blank total takes their sum.
func TestStatesMustAddUp(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 120, 40)
	f := open(t, uitest.Press(m, "a"), 120, 40)
	f.field("title").line.SetValue("Misfiled charts")
	f.field("discovered").line.SetValue("2026-09-20")
	f.field("individuals").line.SetValue("700")
	f.field("states").line.SetValue("OH=560, KY=60")
	uitest.Press(f, "ctrl+s")
	if f.saving || !strings.Contains(f.err, "add up to 620") || !strings.Contains(f.err, "700") {
		t.Fatalf("counts that do not add up: %q", f.err)
	}
	f.field("individuals").line.SetValue("")
	inc, err := m.readFacts(f, assessment.Incident{})
	if err != nil || inc.Individuals != 620 {
		t.Fatalf("a blank total should be the states' sum: %d, %v", inc.Individuals, err)
	}
}

// TestBusinessAssociateFieldsFollowTheChoice: the agent and notice-date fields show only
// for a business associate's discovery, and a non-agent needs its notice date.
func TestBusinessAssociateFieldsFollowTheChoice(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 120, 40)
	f := open(t, uitest.Press(m, "a"), 120, 40)
	if f.field("agent").visible() || strings.Contains(plainView(f), "BA gave notice on") {
		t.Fatal("business associate fields show for the practice's own discovery")
	}
	f.field("by").choose(assessment.DiscoveredByBA)
	if !f.field("agent").visible() || !strings.Contains(plainView(f), "BA gave notice on") {
		t.Fatal("business associate fields hidden for its discovery")
	}
	f.field("title").line.SetValue("Vendor lost a disk")
	f.field("discovered").line.SetValue("2026-09-20")
	uitest.Press(f, "ctrl+s")
	if f.saving || !strings.Contains(f.err, "BA gave notice on") {
		t.Fatalf("a non-agent's discovery without its notice date: %q", f.err)
	}
}

// TestSecuredPreviewFollowsTheValues: the derivation above the secured step's fields is
// the domain's for the values chosen, before anything is saved.
func TestSecuredPreviewFollowsTheValues(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 120, 40)
	var v *assessment.IncidentView
	for i := range d.Incidents {
		if d.Incidents[i].Title == "Backup provider ransomware" {
			v, m.cursor = &d.Incidents[i], i
		}
	}
	f := m.securedForm(v)
	f.SetStyles(uitest.Styles())
	f.SetSize(120, 37)
	for _, c := range []struct{ exposure, keys string }{
		{assessment.ExposureMedia, assessment.KeysSafe},
		{assessment.ExposureMedia, assessment.KeysCompromised},
		{assessment.ExposureSystem, assessment.KeysSafe},
	} {
		f.field("exposure").choose(c.exposure)
		f.field("keys").choose(c.keys)
		inc := *v.Incident
		inc.Exposure, inc.Keys = c.exposure, c.keys
		want := assessment.DeriveSecured(&inc).Result
		if got := plainView(f); !strings.Contains(got, "Derived from the affected assets: "+want) {
			t.Fatalf("%s/%s: the preview does not say %s:\n%s", c.exposure, c.keys, want, got)
		}
	}
	// Confirming an undetermined derivation is refused in a sentence that says what to do.
	f.field("keys").choose("")
	f.field("exposure").choose(assessment.ExposureMedia)
	f.field("decision").choose(assessment.DecideConfirm)
	uitest.Press(f, "ctrl+s")
	if f.saving || !strings.Contains(f.err, "nothing to confirm") {
		t.Fatalf("confirming an undetermined derivation: %q", f.err)
	}
	// Overriding needs a reason.
	f.field("decision").choose(assessment.Secured)
	uitest.Press(f, "ctrl+s")
	if f.saving || !strings.Contains(f.err, "needs a reason") {
		t.Fatalf("an override without a reason: %q", f.err)
	}
}

// TestConclusionNeedsTheFactors: a low probability of compromise without all four factors
// is refused, naming the factors and the step that records them.
func TestConclusionNeedsTheFactors(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 120, 40)
	v := &d.Incidents[0]
	f := m.conclusionForm(v)
	f.SetStyles(uitest.Styles())
	f.SetSize(120, 37)
	f.field("outcome").choose(assessment.OutcomeLowProbability)
	if !strings.Contains(plainView(f), "does not support this outcome") {
		t.Fatalf("the form does not warn before saving:\n%s", plainView(f))
	}
	f.field("rationale").area.SetValue("Recovered unopened.")
	f.field("by").line.SetValue("Dana Whitfield")
	uitest.Press(f, "ctrl+s")
	if f.saving || !strings.Contains(f.err, "factors 1, 2, 3 and 4") || !strings.Contains(f.err, "Four factors step") {
		t.Fatalf("a low probability without the factors: %q", f.err)
	}
}

// TestNoticeContentCheckIsLive: the §164.404(c) check above the notice form follows the
// boxes ticked.
func TestNoticeContentCheckIsLive(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 120, 60)
	f := m.noticeForm(&d.Incidents[0])
	f.SetStyles(uitest.Styles())
	f.SetSize(120, 57)
	if !strings.Contains(plainView(f), "no contact procedures") {
		t.Fatalf("an empty notice shows no missing elements:\n%s", plainView(f))
	}
	f.field("content").tick([]string{"what-happened", "phi-types", "steps", "mitigation"})
	f.field("contact").tick([]string{"toll-free"})
	f.field("plain").choose(yes)
	if !strings.Contains(plainView(f), "every element is there") {
		t.Fatalf("a complete notice still shows gaps:\n%s", plainView(f))
	}
	// Fields follow the recipient.
	f.field("to").choose(assessment.ToMedia)
	if !f.field("state").visible() || f.field("count").visible() || f.field("subcount").visible() {
		t.Fatal("the media notice's fields do not follow the recipient")
	}
	f.field("to").choose(assessment.ToHHS)
	if f.field("content").visible() || plainView(f) == "" || strings.Contains(plainView(f), "content check") {
		t.Fatal("a notice to HHS shows the individuals' content check")
	}
}

// TestMultiChoiceKeys: ↑/↓ move within a multiple-choice field, space ticks, and ↓ past
// the last option moves on.
func TestMultiChoiceKeys(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 120, 40)
	f := open(t, uitest.Press(m, "a"), 120, 40)
	for f.cur().id != "data" {
		uitest.Press(f, "tab")
	}
	uitest.Press(f, "space", "down", "down", "x")
	if got := f.field("data").values(); len(got) != 2 || got[0] != "name" || got[1] != "dob" {
		t.Fatalf("ticked %v", got)
	}
	for range len(assessment.DataTypes) {
		uitest.Press(f, "down")
	}
	if f.cur().id == "data" {
		t.Fatal("↓ past the last option stays in the field")
	}
	if !f.Dirty() {
		t.Fatal("ticking does not make the form changed")
	}
}

// BenchmarkIncidentsView draws the register of 1,000 incidents, as scrolling does.
// Budget: ≤ 4 ms.
func BenchmarkIncidentsView(b *testing.B) {
	m := section(b, thousand(b), 120, 40)
	m.View()
	b.ResetTimer()
	for b.Loop() {
		m.Update(uitest.Key("j"))
		if m.View() == "" {
			b.Fatal("empty view")
		}
	}
}

// BenchmarkIncidentsPageView draws an incident's page, as walking the steps does.
func BenchmarkIncidentsPageView(b *testing.B) {
	m := section(b, thousand(b), 120, 40)
	uitest.Press(m, "enter")
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.goStep(step(i % int(stepCount)))
		if m.View() == "" {
			b.Fatal("empty view")
		}
	}
}

// BenchmarkIncidentsSetData re-lays the register out after a save.
func BenchmarkIncidentsSetData(b *testing.B) {
	d := thousand(b)
	m := section(b, d, 120, 40)
	b.ResetTimer()
	for b.Loop() {
		m.SetData(d)
		m.View()
	}
}

// thousand is the demo with 1,000 incidents of every kind: open and concluded, with
// states, notices, delays and an affected asset (as the CLI's list budget uses).
func thousand(tb testing.TB) *common.Data {
	d := uitest.Demo(tb)
	asset, _ := assessment.CaptureAsset(d.Snap, d.Snap.Assets[0].ID, "2026-01-01")
	for i := range 1000 {
		day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%270)
		inc := assessment.Incident{ID: fmt.Sprintf("%08d-0000-4000-8000-000000000000", i), Title: fmt.Sprintf("Incident %d", i),
			Discovered: assessment.ISODate(day), DiscoveredBy: assessment.DiscoveredByPractice, Type: "hacking",
			Individuals: 100 + i, States: []assessment.StateCount{{State: "OH", Count: 60 + i}, {State: "KY", Count: 40}},
			Data: []string{"name", "dob"}, Assets: []assessment.IncidentAsset{asset}}
		if i%2 == 0 {
			on := assessment.ISODate(day.AddDate(0, 0, 5))
			inc.Conclusion = &assessment.Conclusion{Outcome: assessment.OutcomeBreach, Rationale: "Presumed.", By: "Dana", On: on}
			inc.Notices = []assessment.Notice{{To: assessment.ToIndividuals, Date: on, By: "Dana"}}
			inc.Delays = []assessment.LawEnforcementDelay{{Kind: assessment.DelayOral, Stated: on, Official: "Det. Ortiz"}}
		}
		d.Snap.Incidents = append(d.Snap.Incidents, inc)
	}
	return uitest.Reanalyze(d)
}

// TestEveryFormFits: every step's form, focused on each of its fields in turn, fits the
// dialog area of an 80×24 and a 120×40 terminal.
func TestEveryFormFits(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 120, 40)
	v := &d.Incidents[0]
	forms := []*form{m.factsForm(nil), m.factsForm(v), m.securedForm(v), m.exceptionForm(v), m.factorForm(v, 1),
		m.conclusionForm(v), m.noticeForm(v), m.delayForm(v), m.deadlineForm(v, -1), m.reopenForm(v)}
	for _, size := range uitest.Sizes {
		for _, f := range forms {
			f.SetStyles(uitest.Styles())
			f.SetSize(size[0], size[1]-3)
			for range f.fields {
				uitest.CheckFrame(t, f.View(), size[0], size[1]-3)
				f.Move(1)
			}
			f.err = strings.Repeat("A refusal that is long enough to wrap over more than one line of the dialog. ", 3)
			uitest.CheckFrame(t, f.View(), size[0], size[1]-3)
			f.err = ""
		}
	}
}

// TestClickSelectsThenOpens: a click on a row selects it (Y is the section's own line); a
// second click on the selected row opens its page.
func TestClickSelectsThenOpens(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 80, 24)
	m.Update(uitest.Click(10, headLines+2))
	if m.cursor != 2 || m.open {
		t.Fatalf("a click on the third row: cursor %d, open %v", m.cursor, m.open)
	}
	m.Update(uitest.Click(10, headLines+2))
	if !m.open || m.selected().ID != d.Incidents[2].ID {
		t.Fatal("a second click does not open the incident")
	}
	m.Back()
	m.Update(uitest.Click(10, 0)) // the heading
	if m.cursor != 2 || m.open {
		t.Fatal("a click on the heading changed the selection")
	}
	m.Update(uitest.WheelDown())
	if m.cursor != 3 {
		t.Fatalf("the wheel moved to %d", m.cursor)
	}
}

// TestTypingReplacesAPrefilledLine: as in every form, the first character typed into a
// line that arrived with a value replaces it; an arrow key first keeps it for editing.
func TestTypingReplacesAPrefilledLine(t *testing.T) {
	t.Parallel()
	d := withIncidents(t)
	m := section(t, d, 120, 40)
	f := m.conclusionForm(&d.Incidents[0])
	f.SetStyles(uitest.Styles())
	f.SetSize(120, 37)
	f.Init()
	for f.cur().id != "on" {
		uitest.Press(f, "tab")
	}
	if f.cur().value() == "" {
		t.Fatal("the conclusion date is not prefilled")
	}
	uitest.Type(f, "2026-09-30")
	if got := f.cur().value(); got != "2026-09-30" {
		t.Fatalf("typing into the prefilled date gave %q", got)
	}
	uitest.Press(f, "shift+tab", "tab", "end", "backspace")
	uitest.Type(f, "1")
	if got := f.cur().value(); got != "2026-09-31" {
		t.Fatalf("typing after an arrow key gave %q", got)
	}
}
