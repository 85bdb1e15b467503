package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
)

// setupTabKey is the number key that opens the Setup tab of an open assessment.
func setupTabKey(t *testing.T) string {
	t.Helper()
	for i, m := range sectionMakers {
		if m.order == 4 {
			if i > 8 {
				t.Fatal("the setup tab has no number key")
			}
			return itoa(i + 1)
		}
	}
	t.Fatal("the setup section is not registered")
	return ""
}

// setupDriver types into a running program. After each key it waits until the program
// has gone quiet (huh changes fields with its own commands, which must run before the next
// key arrives); it keeps all output so waits can look back to the previous match.
type setupDriver struct {
	t    *testing.T
	tm   *teatest.TestModel
	out  *bytes.Buffer
	mark int
}

func newSetupDriver(t *testing.T, tm *teatest.TestModel) *setupDriver {
	return &setupDriver{t: t, tm: tm, out: &bytes.Buffer{}}
}

// read appends what the program has drawn since the last read and reports how much.
func (d *setupDriver) read() int {
	buf := make([]byte, 64<<10)
	total := 0
	for {
		n, _ := d.tm.Output().Read(buf)
		if n == 0 {
			return total
		}
		d.out.Write(buf[:n])
		total += n
	}
}

// settle waits until nothing new has been drawn for a short while.
func (d *setupDriver) settle() {
	quiet, deadline := 0, time.Now().Add(3*time.Second)
	for quiet < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		if d.read() == 0 {
			quiet++
		} else {
			quiet = 0
		}
	}
}

func (d *setupDriver) keys(keys ...string) {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		case "backspace":
			msg = tea.KeyPressMsg{Code: tea.KeyBackspace}
		default:
			msg = tea.KeyPressMsg{Code: rune(k[0]), Text: k}
		}
		d.tm.Send(msg)
		d.settle()
	}
}

func (d *setupDriver) typ(s string) {
	d.tm.Type(s)
	d.settle()
}

// wait reads the program's output until text appears in what was drawn since the last
// match. The output is a stream of screen updates with styles, so it is stripped first, and
// text should be a phrase the update draws anew (not one left on screen from before).
func (d *setupDriver) wait(text string) {
	d.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		d.read()
		seen := ansi.Strip(d.out.String()[d.mark:])
		if i := strings.Index(seen, text); i >= 0 {
			d.mark = d.out.Len()
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("%q did not appear within 5s; the screen updates since the last match were:\n%s", text, seen)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// openSetup switches an assessment that is opening to its Setup tab.
func (d *setupDriver) openSetup() {
	d.t.Helper()
	k := setupTabKey(d.t)
	if k == "1" { // the first tab shows as soon as the assessment opens
		d.wait("Organisation profile")
		return
	}
	d.wait("answered")
	d.keys(k)
	d.wait("Organisation profile")
}

// TestSetupFlowSaaSVendorAndAsset creates an assessment in a real workspace, opens it, and
// describes a SaaS EHR: first its vendor with a signed BAA and a HITRUST report, then the
// asset hosted by that vendor.
func TestSetupFlowSaaSVendorAndAsset(t *testing.T) {
	s := testStore(t)
	cat, err := controls.Default()
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.CreateAssessment(testCtx, store.NewAssessment{Title: "2026 risk analysis", Organization: "Birch Pediatrics", CatalogVersion: cat.Version})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, testApp(t, s), teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	d := newSetupDriver(t, tm)
	d.wait("Birch Pediatrics")
	d.keys("enter")
	d.openSetup()

	// Vendors: a SaaS EHR vendor with a signed BAA and a HITRUST r2 certification.
	d.keys("l", "l")
	d.wait("add a business associate")
	d.keys("a")
	d.wait("New vendor")
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
	d.wait("Saved Acme Health Cloud.")

	// Assets: the EHR, hosted as SaaS by that vendor.
	d.keys("h")
	d.wait("add the first one")
	d.keys("a")
	d.wait("New asset")
	d.typ("Cloud EHR")
	d.keys("enter", "enter") // name, kind (EHR)
	d.wait("Hosting model")
	d.keys("down", "down", "down", "enter") // SaaS
	d.keys("down", "enter")                 // provider: Acme Health Cloud
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

	snap, err := s.Snapshot(testCtx, a.ID)
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
	s := testStore(t)
	cat, err := controls.Default()
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Import(testCtx, assessment.Demo(cat, fixedTime), store.ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, testApp(t, s), teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	d := newSetupDriver(t, tm)
	d.wait("Riverbend")
	d.keys("enter")
	d.openSetup()
	d.keys("e")
	d.wait("Type of organisation")
	d.keys("enter", "enter") // entity type, size
	d.wait("Part 2 program")
	d.keys("enter", "enter", "enter") // Part 2, Medicare, proposed rule
	d.wait("Assessors")
	d.keys("enter", "enter") // assessors, period start
	for range 10 {
		d.keys("backspace")
	}
	d.typ("2026-11-30")
	d.keys("enter")
	d.wait("Scope statement")
	d.keys("enter")
	d.wait("risks are rated already")
	d.keys("down", "enter") // the 3×3 matrix
	d.wait("the risk matrix is fixed once risks are rated")

	// The form is still open with what was typed: walk back to the period.
	d.keys("enter", "enter", "enter", "enter", "enter")
	d.wait("2026-11-30")
	d.keys("esc") // abandon the form
	d.wait("press e to edit")
	d.keys("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))

	p, err := s.Profile(testCtx, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Matrix != assessment.MatrixNIST5x5 || p.PeriodEnd == "2026-11-30" {
		t.Fatalf("the refused profile was saved: %+v", p)
	}
}
