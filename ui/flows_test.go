package ui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/uitest"
)

// The flows drive the real program on a real workspace, through the keys a user presses.

func newTestModel(t *testing.T, s *store.Store, w, h int) *teatest.TestModel {
	tm, _ := newScreen(t, testApp(t, s), w, h)
	return tm
}

// openDemoTab opens the demo assessment from the home list and goes to the tab titled
// title; want is a phrase that tab draws.
func openDemoTab(t *testing.T, tm *teatest.TestModel, title, want string) {
	t.Helper()
	waitFor(t, tm, "Riverbend Family Health")
	keys(tm, "enter")
	waitFor(t, tm, "answered")
	keys(tm, "="+tabKey(t, title))
	waitFor(t, tm, want)
}

// stored waits until the workspace holds an answer for k that passes ok.
func stored(t *testing.T, tm *teatest.TestModel, s *store.Store, id string, k assessment.ItemKey, ok func(*assessment.Response) bool) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func([]byte) bool {
		snap, err := s.Snapshot(uitest.Ctx, id)
		if err != nil {
			return false
		}
		r := snap.ResponseMap()[k]
		return r != nil && ok(r)
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
}

// TestWalkerFlow: open the demo assessment, go to Questions, answer an organization
// question with i, a per-system question with x, and record an addressable decision in
// its dialog; then check what the store holds.
func TestWalkerFlow(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	d := uitest.Load(t, s, id)
	org := uitest.FirstItem(t, d, func(it *assessment.ItemView) bool { return it.Asset == nil && it.Response == nil })
	// The first system of its question, so the row under the cursor after the jump.
	asset := uitest.FirstItem(t, d, func(it *assessment.ItemView) bool {
		return it.Asset != nil && it.Response == nil && d.ByQuestion[it.Question.ID][0] == d.Index[it.Key()]
	})
	addr := uitest.FirstItem(t, d, func(it *assessment.ItemView) bool {
		r := it.Response
		return it.Asset == nil && r != nil && r.Status == assessment.Implemented &&
			(r.Decision == assessment.DecisionNone || r.Decision == assessment.DecisionAsSpecified) && it.Addressable(d.Catalog)
	})

	tm := newTestModel(t, s, 120, 40)
	openDemoTab(t, tm, "Questions", "Safeguards")
	find := func(qid string) {
		keys(tm, "/")
		keys(tm, "="+qid)
		keys(tm, "enter")
	}

	// An organization question: i saves "implemented" at once.
	find(org.Question.ID)
	keys(tm, "i")
	stored(t, tm, s, id, org.Key(), func(r *assessment.Response) bool { return r.Status == assessment.Implemented })

	// A per-system question: into the rows, x on the first system.
	find(asset.Question.ID)
	keys(tm, "right")
	keys(tm, "x")
	stored(t, tm, s, id, asset.Key(), func(r *assessment.Response) bool { return r.Status == assessment.NotImplemented })

	// The addressable decision: an equivalent alternative measure with its description.
	find(addr.Question.ID)
	keys(tm, "d")
	waitFor(t, tm, "Addressable decision (§164.306(d)(3))")
	keys(tm, "down")
	keys(tm, "enter")
	waitFor(t, tm, "Describe the equivalent alternative measure")
	keys(tm, "=Monthly manual review by the practice manager")
	keys(tm, "enter")
	waitFor(t, tm, "Why is the specification as written not reasonable")
	keys(tm, "=The logging tool cannot alert on every event")
	keys(tm, "enter")
	stored(t, tm, s, id, addr.Key(), func(r *assessment.Response) bool { return r.Decision == assessment.DecisionAlternative })

	keys(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	after := uitest.Load(t, s, id)
	if r, _ := after.Item(org.Key()); r.Status != assessment.Implemented || r.Response.By != "tester" {
		t.Fatalf("organization answer: %+v", r.Response)
	}
	if r, _ := after.Item(asset.Key()); r.Status != assessment.NotImplemented {
		t.Fatalf("per-system answer: %+v", r.Response)
	}
	r, _ := after.Item(addr.Key())
	if r.Status != assessment.Implemented || r.Response.Decision != assessment.DecisionAlternative ||
		!strings.Contains(r.Response.DecisionText, "Monthly manual review") || !strings.Contains(r.Response.Reason, "logging tool") {
		t.Fatalf("addressable decision: %+v", r.Response)
	}
	// The gap proposed risks from the threat library.
	proposed := 0
	for _, rk := range after.Risks {
		if rk.Status == assessment.RiskProposed && rk.AssetID == asset.Asset.ID {
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

// TestAttachEvidenceFlow attaches a file to an organization question from the walker, by
// typing its path, and checks the vault holds it linked to that answer.
func TestAttachEvidenceFlow(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	org := uitest.FirstItem(t, uitest.Load(t, s, id), func(it *assessment.ItemView) bool { return it.Asset == nil })
	file := filepath.Join(t.TempDir(), "restore-test-2026.txt")
	if err := os.WriteFile(file, []byte("Restored the EHR export in 41 minutes on 3 March.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := s.ListEvidence(uitest.Ctx, id)

	tm := newTestModel(t, s, 120, 40)
	openDemoTab(t, tm, "Questions", "Safeguards")
	keys(tm, "/")
	keys(tm, "="+org.Question.ID)
	keys(tm, "enter")
	keys(tm, "a")
	waitFor(t, tm, "What do you want to attach?")
	keys(tm, "enter")                           // "A file", the first choice
	waitFor(t, tm, "copied into the workspace") // the file group is showing
	keys(tm, "="+file)
	for range 3 { // path, name (optional), description (optional)
		keys(tm, "enter")
	}
	var added []assessment.Evidence
	teatest.WaitFor(t, tm.Output(), func([]byte) bool {
		added, _ = s.ListEvidence(uitest.Ctx, id)
		return len(added) == len(before)+1
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(50*time.Millisecond))
	keys(tm, "q")
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

// TestRiskAcceptFlow: open the demo, go to Risks, accept a proposed risk, rate it while
// watching the level change, save, and find the rating in the store.
func TestRiskAcceptFlow(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	const title = "Cloud storage or services are misconfigured and exposed (PACS cloud archive)"
	d := uitest.Load(t, s, id)
	var before assessment.Risk
	for _, r := range d.Snap.Risks {
		if strings.HasPrefix(r.Title, title) {
			before = r
		}
	}
	if before.Status != assessment.RiskProposed {
		t.Fatalf("demo risk %q is %q, want proposed", title, before.Status)
	}
	m := d.Matrix
	l0, i0 := assessment.ThreatHint(d.Catalog, d.Snap.Profile, before)
	// Two likelihoods whose levels differ from the one before, so each move shows.
	var v1, v2 int
	for v := 1; v <= m.Scale() && v2 == 0; v++ {
		switch {
		case v1 == 0 && m.Level(v, i0) != m.Level(l0, i0):
			v1 = v
		case v1 != 0 && m.Level(v, i0) != m.Level(v1, i0):
			v2 = v
		}
	}
	if v1 == 0 || v2 == 0 {
		t.Fatalf("no two distinct levels in impact column %d", i0)
	}

	tm := newTestModel(t, s, 100, 30)
	openDemoTab(t, tm, "Risks", "Risk register")
	keys(tm, "=F")
	waitFor(t, tm, "showing proposed")
	keys(tm, "=a")
	waitFor(t, tm, "Accept and rate this risk")
	keys(tm, "="+strconv.Itoa(v1))
	waitFor(t, tm, m.Label(m.Level(v1, i0)))
	keys(tm, "="+strconv.Itoa(v2))
	waitFor(t, tm, m.Label(m.Level(v2, i0)))
	keys(tm, "tab")
	keys(tm, "tab") // C, I, A: the library's default stands
	keys(tm, "tab")
	keys(tm, "=Bucket listing is public")
	keys(tm, "ctrl+s")
	waitFor(t, tm, "Accepted the risk")
	keys(tm, "=q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))

	after, err := s.Risk(uitest.Ctx, id, before.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Status != assessment.RiskOpen || after.Likelihood != v2 || after.Impact != i0 || after.Rationale != "Bucket listing is public" {
		t.Fatalf("stored risk: %+v", after)
	}
}

// TestReportFlow writes the findings CSV and the PDF from the Report section of a real
// workspace and checks the files and the SHA-256 shown.
func TestReportFlow(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	dir := t.TempDir()
	tm := newTestModel(t, s, 120, 40)
	openDemoTab(t, tm, "Report", "Reports and exports")
	for _, out := range []struct{ key, name string }{{"c", "findings.csv"}, {"g", "report.pdf"}} {
		keys(tm, out.key)
		waitFor(t, tm, "Save as")
		keys(tm, "ctrl+u") // clear the suggested name
		keys(tm, "="+filepath.Join(dir, out.name))
		for range 3 { // path, (attach?), overwrite?: accept the defaults
			keys(tm, "enter")
		}
		waitForFile(t, filepath.Join(dir, out.name))
	}
	waitFor(t, tm, "SHA-256")
	keys(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	pdf, _ := os.ReadFile(filepath.Join(dir, "report.pdf"))
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatal("the report is not a PDF")
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "findings.csv"))
	if !strings.Contains(string(csv), id) {
		t.Fatal("the findings CSV does not name the assessment")
	}
}

func waitForFile(t *testing.T, path string) {
	t.Helper()
	for range 100 {
		if st, err := os.Stat(path); err == nil && st.Size() > 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s was not written", path)
}

// TestReadinessGoesToTheItem: enter on a readiness item of the Finalize tab opens the
// Questions tab on that question and asset row.
func TestReadinessGoesToTheItem(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	sh := newShell(uitest.Env(t), d.ID())
	sh.SetStyles(uitest.Styles())
	sh.SetSize(120, 37)
	sh.Update(snapshotMsg{data: d})
	pos := -1
	for i, it := range d.Summary.Readiness {
		if it.QuestionID != "" && it.AssetID != "" {
			pos = i
			break
		}
	}
	target := d.Summary.Readiness[pos]
	press := func(k string) {
		_, cmd := sh.Update(uitest.Key(k))
		if msg := uitest.Run(cmd); msg != nil {
			sh.Update(msg)
		}
	}
	press(tabKey(t, "Finalize"))
	for range pos {
		press("down")
	}
	press("enter")
	if got := sh.cur().Title(); got != "Questions" {
		t.Fatalf("enter opened %s, not the questions", got)
	}
	asset, _ := d.Asset(target.AssetID)
	v := ansi.Strip(sh.View())
	if !strings.Contains(v, "Question "+target.QuestionID) || !strings.Contains(v, "▸ "+asset.Name) {
		t.Fatalf("the questions tab does not show %s on %s:\n%s", target.QuestionID, asset.Name, v)
	}
}

// flowDriver types into a running program: after each key it waits until the program has
// handled it and finished what it led to (huh changes fields with its own commands, which
// must run before the next key arrives), then checks the screen.
type flowDriver struct {
	t  *testing.T
	tm *teatest.TestModel
}

func newFlowDriver(t *testing.T, tm *teatest.TestModel) *flowDriver {
	return &flowDriver{t: t, tm: tm}
}

// keys sends keys one by one, each when the program is done with the last (settle_test.go).
func (d *flowDriver) keys(ks ...string) { keys(d.tm, ks...) }

// typ types s and waits until the program has handled it.
func (d *flowDriver) typ(s string) { keys(d.tm, "="+s) }

// wait waits until the program's last whole frame shows text (waitFor).
func (d *flowDriver) wait(text string) {
	d.t.Helper()
	waitFor(d.t, d.tm, text)
}

// openSetup switches an assessment that is opening to its Setup tab.
func (d *flowDriver) openSetup() {
	d.t.Helper()
	d.wait("answered")
	d.keys(tabKey(d.t, "Setup"))
	d.wait("Organization profile")
}

// TestSetupFlowSaaSVendorAndAsset creates an assessment in a real workspace, opens it, and
// describes a SaaS EHR: first its vendor with a signed BAA and a HITRUST report, then the
// asset hosted by that vendor.
func TestSetupFlowSaaSVendorAndAsset(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	cat := uitest.Catalog(t)
	a, err := s.CreateAssessment(uitest.Ctx, store.NewAssessment{Title: "2026 risk analysis", Organization: "Birch Pediatrics", CatalogVersion: cat.Version})
	if err != nil {
		t.Fatal(err)
	}
	tm := newTestModel(t, s, 100, 30)
	d := newFlowDriver(t, tm)
	d.wait("Birch Pediatrics")
	d.keys("enter")
	d.wait("Guided setup, step 1 of 6") // nothing described yet: it opens in the guided setup

	// Vendors: a SaaS EHR vendor with a signed BAA and a HITRUST r2 certification.
	d.keys("l")
	d.wait("add a business associate")
	d.keys("a")
	d.wait("The company as named in the contract") // a field: the form is built
	d.typ("Acme Health Cloud")
	d.keys("enter")
	d.typ("Hosted EHR and patient portal (SaaS)")
	d.keys("enter")
	d.wait("Business associate agreement")
	d.keys("down", "down", "enter") // Signed
	d.typ("2025-03-14")
	d.keys("enter")
	d.wait("Breach notice")
	d.typ("5")
	d.keys("enter", "y") // flows down to subcontractors
	d.wait("attestation or certificate")
	d.keys("y")
	d.wait("The report or certificate")
	d.keys("enter") // HITRUST r2
	d.wait("Expires")
	d.typ("2027-05-31")
	d.keys("enter")
	d.wait("Add another")
	d.keys("n")
	d.wait("Saved the vendor Acme Health Cloud.")

	// Assets: the EHR, hosted as SaaS by that vendor.
	d.keys("l")
	d.wait("add the first one")
	d.keys("a")
	d.wait("What people in the practice call it") // a field: the form is built
	d.typ("Cloud EHR")
	d.keys("enter", "enter") // name, kind (EHR)
	d.wait("Hosting model")
	d.keys("down", "down", "down", "enter") // SaaS
	d.wait("Add a new vendor")
	d.keys("down", "enter") // provider: Acme Health Cloud
	d.wait("Does it hold ePHI?")
	d.keys("y")
	d.typ("1200")
	d.keys("enter")
	d.wait("Location or region")
	d.typ("us-east-2")
	d.keys("enter")
	d.typ("Practice manager")
	d.keys("enter", "enter") // owner, criticality (moderate)
	d.wait("Encryption at rest")
	d.keys("down", "enter", "down", "enter") // provider-managed keys, TLS 1.3
	d.wait("in scope")
	d.keys("y", "enter") // in scope, no notes
	d.wait("Where: us-east-2")
	d.keys("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))

	snap, err := s.Snapshot(uitest.Ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Vendors) != 1 || len(snap.Assets) != 1 {
		t.Fatalf("store holds %d vendors and %d assets, want 1 and 1", len(snap.Vendors), len(snap.Assets))
	}
	v, as := snap.Vendors[0], snap.Assets[0]
	if v.Name != "Acme Health Cloud" || v.BAA != assessment.BAASigned || v.BAASigned != "2025-03-14" ||
		v.BreachNoticeDays != 5 || !v.Flowdown || len(v.Attestations) != 1 ||
		v.Attestations[0] != (assessment.Attestation{Kind: assessment.AttHITRUSTr2, Expires: "2027-05-31"}) {
		t.Errorf("vendor in the store: %+v", v)
	}
	if as.Name != "Cloud EHR" || as.Kind != "ehr" || as.Hosting != controls.SaaS || as.VendorID != v.ID || !as.EPHI ||
		as.Records != 1200 || as.Location != "us-east-2" || as.Owner != "Practice manager" || as.Criticality != "moderate" ||
		as.EncAtRest != assessment.EncProviderManaged || as.TLS != "tls1.3" || !as.InScope || as.Part2 {
		t.Errorf("asset in the store: %+v", as)
	}
}

// TestSetupFlowMatrixChangeRefused edits the profile of an assessment whose risks are rated:
// the store refuses the new risk matrix, the error shows, and the form keeps what was typed.
func TestSetupFlowMatrixChangeRefused(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	tm := newTestModel(t, s, 100, 30)
	d := newFlowDriver(t, tm)
	d.wait("Riverbend")
	d.keys("enter")
	d.openSetup()
	d.keys("e")
	d.wait("Title of the assessment")
	d.keys("enter", "enter") // organization, title
	d.wait("Type of organization")
	d.keys("enter", "enter") // entity type, size
	d.wait("clearinghouse")
	d.keys("enter")
	d.wait("Part 2 program")
	d.keys("enter", "enter", "enter") // Part 2, Medicare, proposed rule
	d.wait("Depth of the questionnaire")
	d.keys("enter", "enter") // depth, region
	d.wait("Assessors")
	d.keys("enter", "enter") // assessors, period start
	for range 10 {
		d.keys("backspace")
	}
	d.typ("2026-11-30")
	d.keys("enter")
	d.wait("Scope statement")
	d.keys("enter")
	d.wait("How often is the analysis reviewed?")
	d.keys("enter", "enter", "enter") // cadence, next review, triggers
	d.wait("risks are rated already")
	d.keys("down", "enter") // the 3×3 matrix
	d.wait("the risk matrix is fixed once risks are rated")

	// The form is still open with what was typed: walk back to the period.
	d.keys("enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter")
	d.wait("2026-11-30")
	d.keys("esc") // abandon the form: it asks first, since something was typed
	d.wait("Discard what you typed")
	d.keys("y")
	d.wait("to edit")
	d.keys("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))

	p, err := s.Profile(uitest.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Matrix != assessment.MatrixNIST5x5 || p.PeriodEnd == "2026-11-30" {
		t.Fatalf("the refused profile was saved: %+v", p)
	}
}
