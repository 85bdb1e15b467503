package ui

import (
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/uitest"
)

// The setup flows drive the real program through the setup wizard and its forms, with the
// keys a user presses, and check what the workspace holds afterwards.

// screen is the app under teatest that keeps its last whole frame, so a flow waits for
// what is on the screen rather than for the renderer's partial updates, and that tracks
// the work in hand, so a flow sends its next key only when the program is done with the
// last one (settle_test.go).
type screen struct {
	*App
	mu   *sync.Mutex
	last *string
	tr   *tracker
}

func (s screen) Init() tea.Cmd { return s.tr.wrap(s.App.Init()) }

func (s screen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := s.tr.update(msg, func(msg tea.Msg) tea.Cmd {
		m, cmd := s.App.Update(msg)
		s.App = m.(*App)
		return cmd
	})
	return s, cmd
}

func (s screen) View() tea.View {
	v := s.App.View()
	s.mu.Lock()
	*s.last = ansi.Strip(v.Content)
	s.mu.Unlock()
	s.tr.drawn()
	return v
}

// flow is a teatest program on the workspace with its screen.
type flow struct {
	*teatest.TestModel
	t   *testing.T
	scr screen
}

func newFlow(t *testing.T, s *store.Store, w, h int) *flow {
	tm, scr := newScreen(t, testApp(t, s), w, h)
	return &flow{tm, t, scr}
}

// newScreen runs app under teatest as a tracked screen.
func newScreen(t *testing.T, app *App, w, h int) (*teatest.TestModel, screen) {
	scr := screen{app, &sync.Mutex{}, new(string), newTracker(t)}
	scr.tr.frame = func() string {
		scr.mu.Lock()
		defer scr.mu.Unlock()
		return *scr.last
	}
	tm := teatest.NewTestModel(t, scr, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	trackers.Store(tm, scr.tr)
	t.Cleanup(func() { trackers.Delete(tm) })
	return tm, scr
}

// see waits until the screen shows text.
func (f *flow) see(text string) {
	f.t.Helper()
	deadline := time.Now().Add(8 * time.Second)
	for {
		f.scr.mu.Lock()
		cur := *f.scr.last
		f.scr.mu.Unlock()
		if strings.Contains(cur, text) {
			return
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("the screen does not show %q:\n%s", text, cur)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// quit leaves the program and waits for it to end.
func (f *flow) quit() {
	f.t.Helper()
	keys(f.TestModel, "q")
	f.WaitFinished(f.t, teatest.WithFinalTimeout(5*time.Second))
}

// keys sends keys one by one and waits after each until the program has handled it and
// finished what it led to (huh moves between fields with its own commands). A key written
// "=text" types the text instead.
func keys(tm *teatest.TestModel, ks ...string) {
	tr := trackerOf(tm)
	for _, k := range ks {
		if text, ok := strings.CutPrefix(k, "="); ok {
			tr.sent.Add(int64(utf8.RuneCountInString(text)))
			tm.Type(text)
		} else {
			tr.sent.Add(1)
			tm.Send(uitest.Key(k))
		}
		tr.settle()
	}
}

// snapshotWhen waits until the assessment's snapshot passes ok.
func snapshotWhen(t *testing.T, tm *teatest.TestModel, s *store.Store, id string, ok func(*assessment.Snapshot) bool) *assessment.Snapshot {
	t.Helper()
	var snap *assessment.Snapshot
	teatest.WaitFor(t, tm.Output(), func([]byte) bool {
		var err error
		snap, err = s.Snapshot(uitest.Ctx, id)
		return err == nil && ok(snap)
	}, teatest.WithDuration(8*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	return snap
}

// emptyAssessment is an assessment created as the CLI does, with nothing described yet.
func emptyAssessment(t *testing.T, s *store.Store, org string) string {
	t.Helper()
	a, err := s.CreateAssessment(uitest.Ctx, store.NewAssessment{Title: "2026 risk analysis", Organization: org})
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// TestVendorFormDoesNotFreeze: the review's keystrokes. shift+tab from an attestation's
// empty date field used to leave no field focused, with esc (which threw the vendor away)
// the only way out. Now it steps back to the kind, and the vendor is saved with the one
// date its kind asks: an expiry for HITRUST, the examined period's end for SOC 2.
func TestVendorFormDoesNotFreeze(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	id := emptyAssessment(t, s, "Cedar Clinic")
	tm := newFlow(t, s, 80, 24)
	tm.see("Cedar Clinic")
	keys(tm.TestModel, "enter")
	tm.see("Guided setup, step 1 of 6")
	keys(tm.TestModel, "right")
	tm.see("No vendors yet")

	keys(tm.TestModel, "a")
	tm.see("The company as named in the contract") // a field: the form is built
	keys(tm.TestModel, "=V2", "enter")
	tm.see("What it does for you with ePHI")
	keys(tm.TestModel, "=svc", "enter")
	tm.see("Business associate agreement")
	keys(tm.TestModel, "enter") // "No BAA": no terms asked
	tm.see("Does the vendor give you an attestation")
	keys(tm.TestModel, "y", "enter") // an attestation, HITRUST r2
	tm.see("Expires")
	keys(tm.TestModel, "shift+tab")
	tm.see("The report or certificate the vendor gave you")
	// The kind is focused again: change it to SOC 2 Type II (fourth) and go on.
	keys(tm.TestModel, "down", "down", "down", "enter")
	tm.see("End of the examined period")
	keys(tm.TestModel, "shift+tab")
	tm.see("The report or certificate the vendor gave you")
	keys(tm.TestModel, "enter", "=2025-12-31", "enter", "n")
	snap := snapshotWhen(t, tm.TestModel, s, id, func(sn *assessment.Snapshot) bool { return len(sn.Vendors) == 1 })
	v := snap.Vendors[0]
	if v.Name != "V2" || v.BAA != assessment.BAANone || v.BreachNoticeDays != 0 || len(v.Attestations) != 1 {
		t.Fatalf("vendor saved as %+v", v)
	}
	if a := v.Attestations[0]; a.Kind != assessment.AttSOC2Type2 || a.PeriodEnd != "2025-12-31" || a.Expires != "2026-12-31" {
		t.Fatalf("SOC 2 saved as %+v", a)
	}
	tm.quit()
}

// TestFormAsksBeforeDiscarding: esc on a form with typed input asks; n keeps the input,
// y discards it; esc on an untouched form closes it at once.
func TestFormAsksBeforeDiscarding(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	id := emptyAssessment(t, s, "Cedar Clinic")
	tm := newFlow(t, s, 80, 24)
	tm.see("Cedar Clinic")
	keys(tm.TestModel, "enter")
	tm.see("Guided setup, step 1 of 6")
	keys(tm.TestModel, "right", "a")
	tm.see("New vendor")
	keys(tm.TestModel, "esc")
	tm.see("No vendors yet") // nothing typed: closed at once

	keys(tm.TestModel, "a")
	tm.see("The company as named in the contract")
	keys(tm.TestModel, "=Northgate Managed IT", "esc")
	tm.see("Discard what you typed in this form?")
	keys(tm.TestModel, "n", "enter")
	tm.see("What it does for you with ePHI")
	keys(tm.TestModel, "esc")
	tm.see("Discard what you typed in this form?")
	keys(tm.TestModel, "y")
	tm.see("No vendors yet")
	if snap, err := s.Snapshot(uitest.Ctx, id); err != nil || len(snap.Vendors) != 0 {
		t.Fatalf("discarded vendor was saved: %v %v", snap.Vendors, err)
	}
	tm.quit()
}

// TestAssetFormAddsVendorInline: from the asset form, "Add a new vendor" opens the vendor
// form inside it; once saved, the asset form comes back at the provider with the new vendor
// chosen, and the asset is saved with it.
func TestAssetFormAddsVendorInline(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	id := emptyAssessment(t, s, "Cedar Clinic")
	tm := newFlow(t, s, 120, 40)
	tm.see("Cedar Clinic")
	keys(tm.TestModel, "enter")
	tm.see("Guided setup, step 1 of 6")
	keys(tm.TestModel, "right", "right")
	tm.see("No assets yet")
	keys(tm.TestModel, "a")
	tm.see("What people in the practice call it")
	keys(tm.TestModel, "=PracticeCloud EHR", "enter", "enter") // name, kind (EHR)
	tm.see("Hosting model")
	keys(tm.TestModel, "down", "down", "down", "enter") // SaaS
	tm.see("Add a new vendor")
	keys(tm.TestModel, "down", "enter") // past "None" to "Add a new vendor"
	tm.see("New asset › ")
	tm.see("The company as named in the contract")
	keys(tm.TestModel, "=PracticeCloud EHR Inc.", "enter")
	tm.see("What it does for you with ePHI")
	keys(tm.TestModel, "=Hosted EHR", "enter",
		"down", "down", "enter") // BAA signed
	tm.see("Date the BAA was signed")
	keys(tm.TestModel, "=2024-03-14", "enter", "=5", "enter", "y") // its terms
	tm.see("Does the vendor give you an attestation")
	keys(tm.TestModel, "y", "enter") // HITRUST r2
	tm.see("The expiry date on the certificate")
	keys(tm.TestModel, "=2027-05-31", "enter")
	tm.see("Add another attestation?")
	keys(tm.TestModel, "n")
	snapshotWhen(t, tm.TestModel, s, id, func(sn *assessment.Snapshot) bool { return len(sn.Vendors) == 1 })
	// Back in the asset form at the provider, the new vendor chosen: go on to the end.
	tm.see("> PracticeCloud EHR Inc.")
	keys(tm.TestModel, "enter")
	tm.see("Does it hold ePHI?")
	enters(tm, 2) // ePHI, records
	tm.see("Location or region")
	enters(tm, 3) // location, owner, criticality
	tm.see("Encryption at rest")
	enters(tm, 2)
	tm.see("Is it in scope of this analysis?")
	enters(tm, 2) // scope, notes
	tm.see("Saved the asset")
	snap := snapshotWhen(t, tm.TestModel, s, id, func(sn *assessment.Snapshot) bool { return len(sn.Assets) == 1 })
	a, v := snap.Assets[0], snap.Vendors[0]
	if a.Name != "PracticeCloud EHR" || a.VendorID != v.ID || v.Name != "PracticeCloud EHR Inc." || v.BAA != assessment.BAASigned ||
		v.BreachNoticeDays != 5 || !v.Flowdown || len(v.Attestations) != 1 || v.Attestations[0].Expires != "2027-05-31" {
		t.Fatalf("asset %+v with vendor %+v", a, v)
	}
	tm.quit()
}

// enters presses enter n times.
func enters(tm *flow, n int) {
	for range n {
		keys(tm.TestModel, "enter")
	}
}

// TestRenameOrganizationFlow: the profile form edits the organization's name; typing
// replaces the prefilled name; the rename is one audit entry, and the heading and the home
// list show the new name.
func TestRenameOrganizationFlow(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	id := emptyAssessment(t, s, "Cedar Clinc")
	before, err := s.Snapshot(uitest.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	tm := newFlow(t, s, 80, 24)
	tm.see("Cedar Clinc")
	keys(tm.TestModel, "enter")
	tm.see("Guided setup, step 1 of 6")
	keys(tm.TestModel, "e")
	tm.see("> Cedar Clinc")
	keys(tm.TestModel, "=Cedar Clinic")
	tm.see("> Cedar Clinic")
	// Organization, title, entity type, size, clearinghouse, Part 2, Medicare, proposed rule,
	// depth, region, assessors, period start and end, scope, cadence, next review, triggers,
	// risk matrix.
	enters(tm, 18)
	tm.see("the organization is now Cedar Clinic")
	tm.see("Guided setup, step 2 of 6") // the wizard went on to the vendors
	tm.see("2026 risk analysis · Cedar Clinic")
	after := snapshotWhen(t, tm.TestModel, s, id, func(sn *assessment.Snapshot) bool { return sn.Assessment.Organization == "Cedar Clinic" })
	if n := after.Audit.Entries - before.Audit.Entries; n != 1 {
		t.Fatalf("the rename made %d audit entries, want 1", n)
	}
	if v, err := s.Verify(uitest.Ctx); err != nil || !v.OK() {
		t.Fatalf("verify after the rename: %+v %v", v, err)
	}
	keys(tm.TestModel, "esc")
	tm.see("Cedar Clinic")
	tm.quit()
}

// TestGuidedSetupFlow: a new assessment made on the home screen opens in the guided setup;
// each step is filled in or skipped with →, the last hands over to the questions, and the
// steps stay there to come back to.
func TestGuidedSetupFlow(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	tm := newFlow(t, s, 120, 40)
	tm.see("No assessments yet")
	keys(tm.TestModel, "n", "=Maple Family Practice", "enter", "=2026 risk analysis", "enter")
	tm.see("Guided setup, step 1 of 6")
	list, err := s.Assessments(uitest.Ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("assessments: %v %v", list, err)
	}
	id := list[0].ID

	// 1 Profile: essentials depth, an assessor, the period, the scope, a yearly review.
	keys(tm.TestModel, "e")
	tm.see("> Maple Family Practice")
	time.Sleep(100 * time.Millisecond)
	enters(tm, 8) // organization, title, entity type, size, clearinghouse, Part 2, Medicare, proposed rule
	tm.see("Depth of the questionnaire")
	keys(tm.TestModel, "up", "up", "enter", "enter") // essentials; no region
	keys(tm.TestModel, "=Dana Whitfield", "enter", "=2026-01-01", "enter", "=2026-12-31", "enter",
		"=Every system of the practice that holds or moves ePHI.", "enter")
	tm.see("How often is the analysis reviewed?")
	keys(tm.TestModel, "down", "down", "down", "enter", "=2027-01-15", "enter", "enter", "enter")
	tm.see("Guided setup, step 2 of 6")

	// 2 Vendors: one without BAA or attestation.
	keys(tm.TestModel, "a")
	tm.see("The company as named in the contract")
	keys(tm.TestModel, "=Northgate Managed IT", "enter")
	tm.see("What it does for you with ePHI")
	keys(tm.TestModel, "=Remote IT support", "enter")
	tm.see("Business associate agreement")
	keys(tm.TestModel, "enter")
	tm.see("Does the vendor give you an attestation")
	keys(tm.TestModel, "n")
	tm.see("Saved the vendor Northgate Managed IT")
	keys(tm.TestModel, "right")
	tm.see("Guided setup, step 3 of 6")

	// 3 Assets: an on-premises file server.
	keys(tm.TestModel, "a")
	tm.see("What people in the practice call it")
	keys(tm.TestModel, "=Front-office file server", "enter", "enter")
	tm.see("Hosting model")
	keys(tm.TestModel, "enter")
	tm.see("None: we run it ourselves")
	keys(tm.TestModel, "enter")
	tm.see("Does it hold ePHI?")
	enters(tm, 2) // ePHI, records
	tm.see("Location or region")
	enters(tm, 3) // location, owner, criticality
	tm.see("Encryption at rest")
	enters(tm, 2)
	tm.see("Is it in scope of this analysis?")
	enters(tm, 2) // scope, notes
	tm.see("Saved the asset Front-office file server")
	keys(tm.TestModel, "right")
	tm.see("Guided setup, step 4 of 6")

	// 4 Data flows: skipped.
	keys(tm.TestModel, "right")
	tm.see("Guided setup, step 5 of 6")

	// 5 Method: an assumption.
	keys(tm.TestModel, "a")
	tm.see("What do you record?")
	keys(tm.TestModel, "down", "down", "down", "down", "enter")
	tm.see("The assumption or limitation")
	keys(tm.TestModel, "=The MSP's configuration is as its contract describes.", "enter")
	tm.see("Saved the assumption record")
	keys(tm.TestModel, "right")
	tm.see("Guided setup, step 6 of 6")

	// 6 Threats: rule out the natural source (the fifth).
	keys(tm.TestModel, "G", "e")
	tm.see("Why can natural threats not reasonably affect the practice?")
	keys(tm.TestModel, "=The office is outside flood, wildfire and hurricane zones.", "enter")
	tm.see("Ruled out natural threats")
	keys(tm.TestModel, "right")
	tm.see("Next, answer the questions")
	tm.see("Safeguards")

	// Revisit: the skipped flows step is still there, outside the wizard.
	keys(tm.TestModel, tabKey(t, "Setup"))
	tm.see("[Profile]")
	keys(tm.TestModel, "right", "right", "right")
	tm.see("No data flows yet")
	keys(tm.TestModel, "left")
	tm.see("Front-office file server")

	snap, err := s.Snapshot(uitest.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	p := snap.Profile
	if p.Depth != "essentials" || len(p.Assessors) != 1 || p.PeriodStart != "2026-01-01" || p.Scope == "" ||
		snap.Review.Cadence != "annual" || snap.Review.Next != "2027-01-15" {
		t.Fatalf("profile %+v, review %+v", p, snap.Review)
	}
	if len(snap.Vendors) != 1 || len(snap.Assets) != 1 || len(snap.Flows) != 0 || len(snap.Method) != 1 ||
		len(snap.ThreatRulings) != 1 || snap.ThreatRulings[0].Source != assessment.ThreatSources[4].Value {
		t.Fatalf("vendors %d, assets %d, flows %d, method %v, rulings %v", len(snap.Vendors), len(snap.Assets), len(snap.Flows), snap.Method, snap.ThreatRulings)
	}
	tm.quit()
}

// TestFlowFormTransportEncryption: a recorded TLS version decides whether a flow is
// encrypted (no second question that could contradict it); with no version recorded the
// form asks, so a VPN or an encrypted file transfer can be recorded as encrypted.
func TestFlowFormTransportEncryption(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	id := emptyAssessment(t, s, "Aspen Clinic")
	for _, name := range []string{"Aspen EHR", "Aspen backups"} {
		if _, err := s.SaveAsset(uitest.Ctx, id, assessment.Asset{Name: name, Kind: "ehr", Hosting: controls.OnPrem, EPHI: true, InScope: true}); err != nil {
			t.Fatal(err)
		}
	}
	tm := newFlow(t, s, 100, 30)
	tm.see("Aspen Clinic")
	keys(tm.TestModel, "enter")
	tm.see("Setup")
	keys(tm.TestModel, tabKey(t, "Setup"))
	keys(tm.TestModel, "right", "right", "right")
	tm.see("No data flows yet")
	// To a payer outside the organization, channel not recorded, TLS 1.2: nothing else is
	// asked.
	keys(tm.TestModel, "a")
	tm.see("New data flow")
	keys(tm.TestModel, "enter", "down", "enter")
	tm.see("Channel")
	keys(tm.TestModel, "/", "=Not rec", "enter") // channel: not recorded
	tm.see("Transport encryption")
	keys(tm.TestModel, "/", "=TLS 1.2", "enter")
	tm.see("What moves") // straight on: a recorded version is not asked about again
	keys(tm.TestModel, "enter")
	snap := snapshotWhen(t, tm.TestModel, s, id, func(sn *assessment.Snapshot) bool { return len(sn.Flows) == 1 })
	if f := snap.Flows[0]; f.TLS != "tls1.2" || !f.Encrypted {
		t.Fatalf("a flow with TLS 1.2 was saved as %+v", f)
	}
	// The same with no TLS version recorded: the form asks, and yes (a VPN) is kept.
	keys(tm.TestModel, "a")
	tm.see("New data flow")
	keys(tm.TestModel, "enter", "down", "enter") // to a payer outside the organization
	tm.see("Channel")
	keys(tm.TestModel, "/", "=Not rec", "enter") // channel: not recorded
	tm.see("Transport encryption")
	keys(tm.TestModel, "/", "=Not rec", "enter") // TLS: not recorded
	tm.see("Is it encrypted on the way?")
	keys(tm.TestModel, "y")
	tm.see("What moves")
	keys(tm.TestModel, "enter")
	snap = snapshotWhen(t, tm.TestModel, s, id, func(sn *assessment.Snapshot) bool { return len(sn.Flows) == 2 })
	for _, f := range snap.Flows {
		if f.TLS == "" && !f.Encrypted {
			t.Fatalf("a flow encrypted without a TLS version was saved as %+v", f)
		}
	}
	tm.quit()
}

// TestNewAssessmentKeepsTheOfferedTitle: the new-assessment form offers a title; Enter
// keeps it (it once was only a placeholder, and Enter said the title was empty).
func TestNewAssessmentKeepsTheOfferedTitle(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	tm := newFlow(t, s, 80, 24)
	tm.see("No assessments yet")
	keys(tm.TestModel, "n")
	tm.see("The covered entity or business associate")
	keys(tm.TestModel, "=Oak Clinic", "enter")
	tm.see("How this assessment will be named")
	keys(tm.TestModel, "enter")
	tm.see("Guided setup, step 1 of 6")
	list, err := s.Assessments(uitest.Ctx)
	if err != nil || len(list) != 1 || !strings.HasSuffix(list[0].Title, "HIPAA Security Rule risk analysis") || list[0].Organization != "Oak Clinic" {
		t.Fatalf("assessments %+v (%v)", list, err)
	}
	tm.quit()
}
