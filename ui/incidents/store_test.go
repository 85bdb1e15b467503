package incidents

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/uitest"
)

// These tests drive the tab on a real workspace: each form's save goes through the store
// (audited), and the tab gets the reloaded assessment the way the shell hands it over.

type bench struct {
	t  *testing.T
	s  *store.Store
	id string
	m  *Model
}

func newBench(t *testing.T) *bench {
	s, id := uitest.DemoStore(t)
	b := &bench{t: t, s: s, id: id}
	b.m = uitest.Section(New(uitest.StoreEnv(t, s)), uitest.Load(t, s, id), 120, 40)
	return b
}

// entries is the audit trail's length.
func (b *bench) entries() int64 {
	snap, err := b.s.Snapshot(uitest.Ctx, b.id)
	if err != nil {
		b.t.Fatal(err)
	}
	return snap.Audit.Entries
}

// save presses ctrl+s in f, runs the save, hands the result to the form and the tab as the
// root would, and reloads. It returns the SavedMsg.
func (b *bench) save(f *form) common.SavedMsg {
	b.t.Helper()
	cmd := uitest.Press(f, "ctrl+s")
	if cmd == nil {
		b.t.Fatalf("the form did not save: %q\n%s", f.err, plainView(f))
	}
	var saved common.SavedMsg
	found := false
	var deliver func(tea.Msg)
	deliver = func(msg tea.Msg) {
		switch msg := msg.(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				deliver(c())
			}
		case common.SavedMsg:
			saved, found = msg, true
			f.Update(msg)
		default:
			b.m.Update(msg)
		}
	}
	deliver(cmd())
	if !found {
		b.t.Fatal("no SavedMsg")
	}
	if saved.Err == nil {
		b.m.SetData(uitest.Load(b.t, b.s, b.id))
	}
	return saved
}

// mustSave saves and fails on a refusal; each save adds to the audit trail.
func (b *bench) mustSave(f *form) {
	b.t.Helper()
	before := b.entries()
	if msg := b.save(f); msg.Err != nil {
		b.t.Fatalf("%s refused: %v", f.title, msg.Err)
	}
	if b.entries() <= before {
		b.t.Fatalf("%s saved without an audit entry", f.title)
	}
}

// edit presses e on the page's current step and returns the form.
func (b *bench) edit(k string) *form { return open(b.t, uitest.Press(b.m, k), 120, 40) }

func (b *bench) stored() assessment.Incident {
	b.t.Helper()
	incs, err := b.s.Incidents(uitest.Ctx, b.id)
	if err != nil || len(incs) != 1 {
		b.t.Fatalf("%d incidents stored, %v", len(incs), err)
	}
	return incs[0]
}

// TestWalkTheDecision records an incident and walks its decision to a conclusion, a
// notice, a delay, a deadline and closing, through the forms, checking after every step
// what the store holds and where the page went.
func TestWalkTheDecision(t *testing.T) {
	t.Parallel()
	b := newBench(t)
	m := b.m
	f := b.edit("a")
	f.field("title").line.SetValue("Stolen clinic laptop")
	f.field("discovered").line.SetValue("2026-09-15")
	f.field("type").choose("theft")
	f.field("assets").tick([]string{assetID(t, m.data, "Offsite backups")})
	f.field("data").tick([]string{"name", "dob", "diagnosis"})
	f.field("states").line.SetValue("OH=560, KY=60")
	b.mustSave(f)
	inc := b.stored()
	if inc.Individuals != 620 || len(inc.Assets) != 1 || inc.RecordedBy != "tester" || inc.DiscoveredBy != assessment.DiscoveredByPractice {
		t.Fatalf("stored: %+v", inc)
	}
	if !m.open || m.step != stepOverview || m.selected().ID != inc.ID {
		t.Fatalf("after adding, the page is not open on the new incident's overview (open %v, step %d)", m.open, m.step)
	}
	before, _ := m.selected().Next()

	// Secured? The backup is encrypted with customer-managed keys; stolen media with the
	// keys safe derives secured, which we override to unsecured with a reason.
	m.goStep(stepSecured)
	f = b.edit("e")
	f.field("exposure").choose(assessment.ExposureMedia)
	f.field("keys").choose(assessment.KeysSafe)
	if !strings.Contains(plainView(f), "Derived from the affected assets: secured") {
		t.Fatalf("the preview:\n%s", plainView(f))
	}
	f.field("decision").choose(assessment.Unsecured)
	f.field("reason").area.SetValue("The drive was a copy made before encryption was switched on.")
	b.mustSave(f)
	if sd := b.stored().Secured; sd == nil || sd.Decision != assessment.Unsecured || sd.Derived != assessment.Secured || sd.By != "tester" {
		t.Fatalf("secured decision: %+v", sd)
	}
	if m.step != stepException {
		t.Fatalf("after the secured step the page is on %s", stepNames[m.step])
	}

	f = b.edit("e")
	b.mustSave(f) // none applies
	if e := b.stored().Exception; e == nil || e.Applies != assessment.ExceptionNone {
		t.Fatalf("exception: %+v", e)
	}
	if m.step != stepFactors || m.item != 0 {
		t.Fatalf("after the exception the page is on %s, item %d", stepNames[m.step], m.item)
	}

	for n := 1; n <= 4; n++ {
		if m.item != n-1 {
			t.Fatalf("factor %d is not the one selected (item %d)", n, m.item)
		}
		f = b.edit("e")
		f.field("findings").area.SetValue("Findings of factor " + string(rune('0'+n)) + ".")
		b.mustSave(f)
	}
	if st := b.stored(); len(st.MissingFactors()) != 0 || m.step != stepConclusion {
		t.Fatalf("factors missing %v, step %s", st.MissingFactors(), stepNames[m.step])
	}

	f = b.edit("e")
	f.field("outcome").choose(assessment.OutcomeBreach)
	f.field("rationale").area.SetValue("The data on the drive was readable.")
	b.mustSave(f)
	if c := b.stored().Conclusion; c == nil || c.Outcome != assessment.OutcomeBreach || c.By != "tester" {
		t.Fatalf("conclusion: %+v", c)
	}
	if m.step != stepNotices || m.selected().Notify != assessment.NotifyRequired {
		t.Fatalf("after a breach conclusion the page is on %s", stepNames[m.step])
	}

	// A notice to individuals meets that duty: the clock the list shows moves on.
	f = b.edit("a")
	f.field("date").line.SetValue("2026-09-30")
	f.field("method").choose("mail")
	f.field("content").tick([]string{"what-happened", "phi-types", "steps", "mitigation"})
	f.field("contact").tick([]string{"toll-free"})
	f.field("plain").choose(yes)
	b.mustSave(f)
	n := b.stored().Notices
	if len(n) != 1 || n[0].To != assessment.ToIndividuals || len(assessment.NoticeGaps(n[0])) != 0 {
		t.Fatalf("notices: %+v", n)
	}
	v := m.selected()
	if v.Duties[0].Key != assessment.DutyIndividuals || v.Duties[0].Status != assessment.DutyMet {
		t.Fatalf("the individuals' duty after the notice: %+v", v.Duties[0])
	}
	after, _ := v.Next()
	if before.Key != assessment.DutyIndividuals || after.Key == assessment.DutyIndividuals {
		t.Fatalf("the next duty did not move on: %s then %s", before.Title, after.Title)
	}
	m.Back()
	if list := plainView(m); !strings.Contains(list, after.Title) || !strings.Contains(list, assessment.DaysLeft(after.DaysLeft)) {
		t.Fatalf("the list does not show the new next duty %q:\n%s", after.Title, list)
	}
	uitest.Press(m, "enter")

	// A law-enforcement delay pauses the open clocks.
	m.goStep(stepDelays)
	f = b.edit("a")
	f.field("kind").choose(assessment.DelayOral)
	f.field("stated").line.SetValue("2026-09-20")
	f.field("official").line.SetValue("Det. R. Ortiz, Columbus PD")
	b.mustSave(f)
	paused, _ := m.selected().Next()
	if paused.Paused == 0 || !paused.Due.After(after.Due) {
		t.Fatalf("the delay did not pause the clock: %+v", paused)
	}

	// Another deadline, then marked met.
	m.goStep(stepDeadlines)
	f = b.edit("a")
	f.field("name").line.SetValue("Notice to the Ohio attorney general")
	f.field("due").line.SetValue("2026-10-20")
	f.field("basis").line.SetValue("Ohio Rev. Code 1349.19")
	b.mustSave(f)
	f = b.edit("e")
	if f.field("name").value() != "Notice to the Ohio attorney general" {
		t.Fatal("e does not edit the selected deadline")
	}
	f.field("done").line.SetValue("2026-09-30")
	b.mustSave(f)
	if dl := b.stored().Deadlines; len(dl) != 1 || dl[0].Done != "2026-09-30" {
		t.Fatalf("deadlines: %+v", dl)
	}

	// Closing is refused while notices are owed, and says which.
	m.goStep(stepClose)
	if n := uitest.NoticeOf(t, uitest.Press(m, "e")); !strings.Contains(n, "Not ready to close") {
		t.Fatalf("closing with notices owed says %q", n)
	}
}

// TestStoreRefusalKeepsTheForm: what the store refuses (a notice dated before the
// discovery) comes back as one sentence in the open form, with every value kept and
// nothing written.
func TestStoreRefusalKeepsTheForm(t *testing.T) {
	t.Parallel()
	b := newBench(t)
	f := b.edit("a")
	f.field("title").line.SetValue("Misdirected fax")
	f.field("discovered").line.SetValue("2026-09-10")
	f.field("individuals").line.SetValue("2")
	b.mustSave(f)
	m := b.m
	m.goStep(stepNotices)
	f = b.edit("a")
	f.field("date").line.SetValue("2026-09-01")
	uitest.Press(f, "ctrl+s")
	if f.saving || !strings.Contains(f.err, "before the breach was discovered") || f.field("date").value() != "2026-09-01" {
		t.Fatalf("a notice before discovery: %q", f.err)
	}
	// Someone else changes the incident while the form is open (its discovery moves
	// later): the save is refused as a conflict, never a silent overwrite, and the typing
	// is kept.
	other, err := store.Open(b.s.Path(), store.Options{Actor: "Another assessor"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.EditIncident(uitest.Ctx, m.selected().ID, store.AnyVersion, func() assessment.Incident {
		x := *m.selected().Incident
		x.Discovered = "2026-09-25"
		return x
	}(), nil, nil); err != nil {
		t.Fatal(err)
	}
	other.Close()
	before := b.entries()
	f.field("date").line.SetValue("2026-09-20")
	msg := b.save(f)
	if msg.Err == nil || !strings.Contains(f.err, "changed by Another assessor") || f.saving {
		t.Fatalf("a save over someone else's change: %v / %q", msg.Err, f.err)
	}
	if f.field("date").value() != "2026-09-20" || b.entries() != before {
		t.Fatal("the refusal lost the typing or wrote something")
	}
	if strings.Contains(f.err, "--") {
		t.Fatalf("the refusal names a CLI flag: %q", f.err)
	}
}

// TestCloseAndReopen: a concluded incident with nothing owed closes with a note and
// reopens with a reason, both kept in the record.
func TestCloseAndReopen(t *testing.T) {
	t.Parallel()
	b := newBench(t)
	f := b.edit("a")
	f.field("title").line.SetValue("Phishing email, no click")
	f.field("discovered").line.SetValue("2026-09-10")
	b.mustSave(f)
	m := b.m
	m.goStep(stepConclusion)
	f = b.edit("e")
	f.field("outcome").choose(assessment.OutcomeNotPHI)
	f.field("rationale").area.SetValue("No account was reached.")
	b.mustSave(f)
	if m.step != stepClose {
		t.Fatalf("after a not-a-breach conclusion the page is on %s", stepNames[m.step])
	}
	f = b.edit("e")
	f.field("note").area.SetValue("Reported to the phishing mailbox.")
	b.mustSave(f)
	if inc := b.stored(); inc.Closed == "" || inc.ClosedNote != "Reported to the phishing mailbox." {
		t.Fatalf("closed: %+v", inc)
	}
	if !strings.Contains(plainView(m), "Closed on") {
		t.Fatalf("the page does not say it is closed:\n%s", plainView(m))
	}
	f = b.edit("e")
	if f.title != "Reopen the incident" {
		t.Fatalf("e on a closed incident opens %q", f.title)
	}
	uitest.Press(f, "ctrl+s")
	if f.saving || !strings.Contains(f.err+f.field("reason").err, "Say why") {
		t.Fatal("reopening without a reason was not refused")
	}
	f.field("reason").area.SetValue("The user did click after all.")
	b.mustSave(f)
	if inc := b.stored(); inc.Closed != "" || !strings.Contains(inc.ClosedNote, "The user did click after all.") {
		t.Fatalf("reopened: %+v", inc)
	}
}

// TestMemoWritten writes an undecided incident's memo from the tab: a draft, at the path
// given, with the size and SHA-256 shown; a second try without overwrite keeps the form
// open with one sentence.
func TestMemoWritten(t *testing.T) {
	t.Parallel()
	b := newBench(t)
	f := b.edit("a")
	f.field("title").line.SetValue("Lost USB stick")
	f.field("discovered").line.SetValue("2026-09-10")
	b.mustSave(f)
	m := b.m
	path := filepath.Join(t.TempDir(), "memo.pdf")
	write := func() *form {
		f := b.edit("m")
		if !strings.Contains(plainView(f), "draft") {
			t.Fatalf("the memo form does not say the memo is a draft:\n%s", plainView(f))
		}
		f.field("path").line.SetValue(path)
		return f
	}
	f = write()
	cmd := uitest.Press(f, "ctrl+s")
	batch, ok := cmd().(tea.BatchMsg)
	if !ok {
		t.Fatal("the memo did not start")
	}
	var next tea.Cmd
	for _, c := range batch {
		switch msg := c().(type) {
		case memoStartMsg:
			_, next = m.Update(msg)
		case common.SavedMsg:
			f.Update(msg)
		}
	}
	if !strings.Contains(plainView(m), "Writing the memo") {
		t.Fatalf("no progress shown:\n%s", plainView(m))
	}
	for range 1000 {
		msg := next()
		_, next = m.Update(msg)
		if _, done := msg.(memoDoneMsg); done {
			break
		}
	}
	w := m.memo.done
	if w == nil || !w.draft || w.path != path {
		t.Fatalf("memo: %+v", w)
	}
	content, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(content), "%PDF-") {
		t.Fatalf("no PDF written: %v", err)
	}
	sum := sha256.Sum256(content)
	view := plainView(m)
	if !strings.Contains(view, hex.EncodeToString(sum[:])) || !strings.Contains(view, path) || !strings.Contains(view, "(draft)") {
		t.Fatalf("the view does not show the file and its SHA-256:\n%s", view)
	}
	// Again, without overwrite: refused in the form, the file untouched.
	f = write()
	msg := b.save(f)
	if msg.Err == nil || !strings.Contains(f.err, "already exists") {
		t.Fatalf("an existing file without overwrite: %v", msg.Err)
	}
	again, _ := os.ReadFile(path)
	if !reflect.DeepEqual(again, content) {
		t.Fatal("the file changed")
	}
}

// TestLinkRaisesTheRisk: the risk links step raises a confirmed risk's likelihood in the
// register and keeps the note on the incident, in one audited change; a value that does
// not raise it is refused in the form.
func TestLinkRaisesTheRisk(t *testing.T) {
	t.Parallel()
	b := newBench(t)
	f := b.edit("a")
	f.field("title").line.SetValue("VPN account taken over")
	f.field("discovered").line.SetValue("2026-09-10")
	b.mustSave(f)
	m := b.m
	m.goStep(stepRisks)
	f = b.edit("a")
	riskID := f.field("risk").value()
	var before assessment.RiskView
	for _, r := range m.data.Risks {
		if r.ID == riskID {
			before = r
		}
	}
	if before.ID == "" || f.field("likelihood").value() != strconv.Itoa(before.Likelihood+1) {
		t.Fatalf("the form suggests %s for a risk at %d", f.field("likelihood").value(), before.Likelihood)
	}
	f.field("likelihood").choose(strconv.Itoa(before.Likelihood))
	f.field("note").area.SetValue("The takeover used a reused password.")
	if before.Likelihood >= 2 {
		uitest.Press(f, "ctrl+s")
		if f.saving || !strings.Contains(f.err, "choose a higher value") {
			t.Fatalf("a likelihood that does not raise the risk: %q", f.err)
		}
	}
	f.field("likelihood").choose(strconv.Itoa(before.Likelihood + 1))
	b.mustSave(f)
	links := b.stored().RiskLinks
	if len(links) != 1 || links[0].RiskID == "" || links[0].To != before.Likelihood+1 || links[0].Note != "The takeover used a reused password." {
		t.Fatalf("links: %+v", links)
	}
	for _, r := range m.data.Risks {
		if r.ID == links[0].RiskID && r.Likelihood != before.Likelihood+1 {
			t.Fatalf("the risk's likelihood is %d", r.Likelihood)
		}
	}
	if !strings.Contains(plainView(m), "likelihood "+strconv.Itoa(before.Likelihood)+" → "+strconv.Itoa(before.Likelihood+1)) {
		t.Fatalf("the step does not show the link:\n%s", plainView(m))
	}
}
