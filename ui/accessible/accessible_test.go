package accessible

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/reports"
	"safeguard/store"
	"safeguard/ui/uitest"
)

// session runs the plain-prompt mode on a workspace with the lines as its input (then
// the end of the input) and returns what it wrote.
func runLines(t *testing.T, s *store.Store, dir string, lines ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	in := strings.NewReader(strings.Join(lines, "\n") + "\n")
	done := make(chan error, 1)
	go func() {
		done <- Run(uitest.Ctx, Options{Store: s, Catalog: uitest.Catalog(t), In: in, Out: &out, WorkDir: dir, Now: func() time.Time { return uitest.FixedTime }})
	}()
	select {
	case err := <-done:
		if bytes.IndexByte(out.Bytes(), 0x1b) >= 0 {
			t.Fatalf("the plain-prompt mode wrote an escape sequence:\n%q", out.String())
		}
		return out.String(), err
	case <-time.After(20 * time.Second):
		t.Fatalf("the session did not end at the end of its input; it wrote:\n%s", out.String())
		return "", nil
	}
}

func only(t *testing.T, s *store.Store) *assessment.Snapshot {
	t.Helper()
	list, err := s.Assessments(uitest.Ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("assessments: %v %v", list, err)
	}
	snap, err := s.Snapshot(uitest.Ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// TestEndOfInputQuits: the end of the input at a menu ends the session cleanly, at once
// (no loop); inside an entry it fails, naming what was cut short, and saves nothing of it;
// a bare Enter at a menu picks nothing.
func TestEndOfInputQuits(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	out, err := runLines(t, s, t.TempDir()) // one empty line, then the end
	if err != nil || !strings.Contains(out, "Nothing was chosen") || !strings.Contains(out, "The input ended") {
		t.Fatalf("end of input at the menu: %v\n%s", err, out)
	}
	if n := strings.Count(out, "What next?"); n != 1 {
		t.Fatalf("the menu was shown %d times: the session looped", n)
	}
	var none bytes.Buffer
	if err := Run(uitest.Ctx, Options{Store: s, Catalog: uitest.Catalog(t), In: io.LimitReader(nil, 0), Out: &none}); err != nil {
		t.Fatalf("an empty input: %v", err)
	}
	_, err = runLines(t, s, t.TempDir(), "1", "Cedar Clinic") // the title never comes
	if err == nil || !strings.Contains(err.Error(), "creating an assessment") {
		t.Fatalf("the end of input inside an entry gave %v", err)
	}
	if list, _ := s.Assessments(uitest.Ctx); len(list) != 0 {
		t.Fatalf("a half-entered assessment was saved: %+v", list)
	}
}

// TestWholeJourney walks the plain-prompt mode through the journey, in stages, checking
// the workspace after each: create, set up (renaming the organization, a vendor, a
// system run by it), answer (addressable implemented = as specified; not applicable with a
// reason; a gap with its decision question), accept, rate and treat a risk, export, and
// move the assessment into review.
func TestWholeJourney(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	dir := t.TempDir()
	cat := uitest.Catalog(t)
	ehr := slices.IndexFunc(cat.AssetKinds, func(k controls.AssetKind) bool { return k.ID == "ehr" }) + 1
	saas := slices.Index(controls.Hostings, controls.SaaS) + 1
	signed := slices.IndexFunc(assessment.BAAChoices, func(c assessment.Choice) bool { return c.Value == string(assessment.BAASigned) }) + 1

	// Stage 1: create and set up.
	out, err := runLines(t, s, dir,
		"1", "Cedar Clinc", "2026 risk analysis", // create (a typo in the name)
		"1",                                                                                                                   // open it
		"2", "Cedar Clinic", "1", "1", "1", "n", "y", "n", "Dana Reyes", "2026-01-01", "2026-12-31", "The clinic and its EHR", // profile
		"4", "1", "PracticeCloud EHR Inc.", "Cloud EHR", strconv.Itoa(signed), "2025-02-01", "30", "y", "y", "1", "2027-06-30", "n", "2", // vendor
		"3", "1", "PracticeCloud EHR", strconv.Itoa(ehr), strconv.Itoa(saas), "2", "y", "4", "2", "4", "", "", "3", // system
	)
	if err != nil {
		t.Fatalf("stage 1: %v\n%s", err, out)
	}
	snap := only(t, s)
	if snap.Assessment.Organization != "Cedar Clinic" || snap.Profile.PeriodEnd != "2026-12-31" || snap.Profile.Depth != controls.DepthEssentials {
		t.Fatalf("profile: %q %+v\n%s", snap.Assessment.Organization, snap.Profile, out)
	}
	if len(snap.Vendors) != 1 || snap.Vendors[0].BAA != assessment.BAASigned || len(snap.Vendors[0].Attestations) != 1 {
		t.Fatalf("vendor: %+v\n%s", snap.Vendors, out)
	}
	if len(snap.Assets) != 1 || snap.Assets[0].VendorID != snap.Vendors[0].ID || snap.Assets[0].Hosting != controls.SaaS {
		t.Fatalf("system: %+v", snap.Assets)
	}

	// Stage 2: answer the first open items: the script follows what each item asks.
	d := uitest.Load(t, s, snap.Assessment.ID)
	var addr, na, gap assessment.ItemKey
	script := []string{"1", "1"}
	for _, it := range d.Items {
		if !it.Open() {
			continue
		}
		takes := assessment.TakesDecision(cat, it.Question)
		switch {
		case takes && addr == (assessment.ItemKey{}):
			addr = it.Key()
			script = append(script, "1") // implemented
		case !takes && na == (assessment.ItemKey{}):
			na = it.Key()
			script = append(script, "4", "This practice keeps no such thing at all") // not applicable
		case takes && gap == (assessment.ItemKey{}) && len(it.Question.Vulnerabilities) > 0:
			gap = it.Key()
			script = append(script, "3", "1") // not implemented, "no decision now"
		default:
			script = append(script, "9") // skip
		}
		if addr != (assessment.ItemKey{}) && na != (assessment.ItemKey{}) && gap != (assessment.ItemKey{}) {
			break
		}
	}
	out, err = runLines(t, s, dir, append(script, "10", "10")...)
	if err != nil {
		t.Fatalf("stage 2: %v\n%s", err, out)
	}
	m := only(t, s).ResponseMap()
	if r := m[addr]; r == nil || r.Status != assessment.Implemented || r.Decision != assessment.DecisionAsSpecified || r.By != "tester" {
		t.Fatalf("addressable implemented: %+v", r)
	}
	if r := m[na]; r == nil || r.Status != assessment.NotApplicable || !strings.Contains(r.Reason, "no such thing") {
		t.Fatalf("not applicable: %+v", r)
	}
	if r := m[gap]; r == nil || r.Status != assessment.NotImplemented || r.Decision != assessment.DecisionNone {
		t.Fatalf("gap: %+v\n%s", r, out)
	}

	// Stage 3: accept and rate a proposed risk, then plan its treatment.
	d = uitest.Load(t, s, snap.Assessment.ID)
	pick := slices.IndexFunc(d.Risks, func(r assessment.RiskView) bool { return r.Status == assessment.RiskProposed })
	if pick < 0 {
		t.Fatal("the gap proposed no risk")
	}
	id := d.Risks[pick].ID
	back := strconv.Itoa(len(d.Risks) + 1)
	out, err = runLines(t, s, dir, "1", "6", strconv.Itoa(pick+1), "1", "4", "3", "Laptops leave the clinic daily", back, "10")
	if err != nil {
		t.Fatalf("stage 3: %v\n%s", err, out)
	}
	d = uitest.Load(t, s, snap.Assessment.ID)
	at := slices.IndexFunc(d.Risks, func(r assessment.RiskView) bool { return r.ID == id })
	if r := d.Risks[at]; r.Status != assessment.RiskOpen || r.Likelihood != 4 || r.Impact != 3 {
		t.Fatalf("accepted risk: %+v\n%s", r.Risk, out)
	}
	out, err = runLines(t, s, dir, "1", "6", strconv.Itoa(at+1), "2", "1", "Encrypt the laptops", "Dana Reyes", "2026-09-30", "2", "2", "1", back, "10")
	if err != nil {
		t.Fatalf("stage 3b: %v\n%s", err, out)
	}
	d = uitest.Load(t, s, snap.Assessment.ID)
	if r := d.Risks[slices.IndexFunc(d.Risks, func(r assessment.RiskView) bool { return r.ID == id })]; r.Treatment != assessment.TreatMitigate || r.Due != "2026-09-30" || r.ResidualL != 1 {
		t.Fatalf("treatment: %+v\n%s", r.Risk, out)
	}

	// Stage 4: export the JSON document and move the assessment into review.
	jsonAt := slices.IndexFunc(reportsFormats(), func(name string) bool { return name == "json" }) + 1
	out, err = runLines(t, s, dir, "1", "7", strconv.Itoa(jsonAt), "cedar.json", "8", "1", "10")
	if err != nil {
		t.Fatalf("stage 4: %v\n%s", err, out)
	}
	if fi, err := os.Stat(filepath.Join(dir, "cedar.json")); err != nil || fi.Size() == 0 || !strings.Contains(out, "SHA-256") {
		t.Fatalf("the export was not written: %v\n%s", err, out)
	}
	if st := only(t, s).Assessment.Status; st != assessment.StatusInReview || !strings.Contains(out, "items block finalizing") {
		t.Fatalf("status %s\n%s", st, out)
	}
	if res, err := s.Verify(uitest.Ctx); err != nil || !res.OK() {
		t.Fatalf("verify after the journey: %+v %v", res, err)
	}
}

// TestPeopleAsked: in a workspace that lists people, the session first asks who is
// working, records that person on answers, and quitting there changes nothing.
func TestPeopleAsked(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	if _, err := s.AddPerson(uitest.Ctx, "Dana Reyes", "Security official"); err != nil {
		t.Fatal(err)
	}
	out, err := runLines(t, s, t.TempDir(), "3") // Quit, in the who-is-working menu
	if err != nil || !strings.Contains(out, "Who is working?") || !strings.Contains(out, "I am Dana Reyes, Security official") {
		t.Fatalf("%v\n%s", err, out)
	}
	out, err = runLines(t, s, t.TempDir(), "1", "1", "Cedar", "2026")
	if err != nil || s.Actor() != "Dana Reyes" || !strings.Contains(out, "Working as Dana Reyes") {
		t.Fatalf("%v, actor %q\n%s", err, s.Actor(), out)
	}
	if list, _ := s.Assessments(uitest.Ctx); len(list) != 1 {
		t.Fatalf("the assessment was not created: %+v", list)
	}
}

// reportsFormats are the names of the outputs, in the order the report menu lists them.
func reportsFormats() []string {
	var out []string
	for _, f := range reports.Formats {
		out = append(out, f.Name)
	}
	return out
}

// TestIncidentsFromTheMenu: an assessment's menu opens its incident register (the
// Incidents tab's own prompts, reading the same input); the end of the input at the
// register's menu quits cleanly, inside its form it fails naming the form and saves
// nothing of it.
func TestIncidentsFromTheMenu(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	before, err := s.Snapshot(uitest.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	out, err := runLines(t, s, t.TempDir(), "1", "9")
	if err != nil || !strings.Contains(out, "Incidents and breach notification") || !strings.Contains(out, "Incidents of "+before.Assessment.Title) ||
		!strings.Contains(out, "The input ended") {
		t.Fatalf("opening the register: %v\n%s", err, out)
	}
	out, err = runLines(t, s, t.TempDir(), "1", "9", "1", "Lost USB stick")
	if err == nil || !strings.Contains(err.Error(), `the form "Record an incident"`) {
		t.Fatalf("the end of input inside the incident form gave %v\n%s", err, out)
	}
	after, err := s.Snapshot(uitest.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Incidents) != len(before.Incidents) {
		t.Fatalf("a half-entered incident was saved: %d then %d", len(before.Incidents), len(after.Incidents))
	}
}

// TestAnswerEntryAddsUp: the answer entry's figures add up to the heading's (answered of
// applicable), with proposed-rule items counted apart as the heading counts them.
func TestAnswerEntryAddsUp(t *testing.T) {
	t.Parallel()
	s, _ := uitest.DemoStore(t)
	out, err := runLines(t, s, t.TempDir(), "1")
	if err != nil {
		t.Fatal(err)
	}
	num := func(s string) int {
		n, _ := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
		return n
	}
	var answered, applicable, open, flagged, proposed int
	if m := regexp.MustCompile(`answered \(([\d,]+) of ([\d,]+) items\)`).FindStringSubmatch(out); m != nil {
		answered, applicable = num(m[1]), num(m[2])
	}
	if m := regexp.MustCompile(`Answer questions \(([\d,]+) without an answer, ([\d,]+) flagged for follow-up, ([\d,]+) open`).FindStringSubmatch(out); m != nil {
		open, flagged, proposed = num(m[1]), num(m[2]), num(m[3])
	}
	if applicable == 0 || open == 0 || proposed == 0 || applicable-answered != open+flagged {
		t.Fatalf("answered %d of %d, open %d + flagged %d (+ %d proposed) do not add up:\n%s", answered, applicable, open, flagged, proposed, out)
	}
}

// TestItemSaysBasisAndWho: an item read out says its basis (regulation, guidance or good
// practice) and who can usually answer it, as the full-screen pane does.
func TestItemSaysBasisAndWho(t *testing.T) {
	t.Parallel()
	s, _ := uitest.DemoStore(t)
	out, err := runLines(t, s, t.TempDir(), "1", "1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Item 1 of") || !strings.Contains(out, "Basis: ") || !strings.Contains(out, "Usually answered by ") {
		t.Fatalf("the first item does not say its basis and who can answer it:\n%s", out)
	}
}

// TestMethodAndReviews: the method records, a threat-source ruling, the review plan and a
// vendor review are recorded from the plain prompts, so the readiness items they answer
// can be cleared without the full-screen interface.
func TestMethodAndReviews(t *testing.T) {
	t.Parallel()
	s := uitest.Store(t)
	a, err := s.CreateAssessment(uitest.Ctx, store.NewAssessment{Title: "2026 risk analysis", Organization: "Cedar Clinic", CatalogVersion: uitest.Catalog(t).Version})
	if err != nil {
		t.Fatal(err)
	}
	vid, err := s.SaveVendor(uitest.Ctx, a.ID, assessment.Vendor{Name: "NimbusCompute", BAA: assessment.BAASigned, BAASigned: "2025-02-01"})
	if err != nil {
		t.Fatal(err)
	}
	natural := strconv.Itoa(slices.IndexFunc(assessment.ThreatSources, func(c assessment.Choice) bool { return c.Value == controls.SourceNatural }) + 1)
	annual := strconv.Itoa(slices.IndexFunc(assessment.ReviewCadences, func(c assessment.Choice) bool { return c.Value == "annual" }) + 1)
	interview := strconv.Itoa(slices.IndexFunc(assessment.MethodKinds, func(c assessment.Choice) bool { return c.Value == assessment.MethodInterview }) + 1)
	out, err := runLines(t, s, t.TempDir(), "1", "5",
		"1", interview, "Dana Reyes", "Office manager", "", "", // an interview, today
		"2", natural, "The clinic sits on high ground far from any flood plain",
		"3", annual, "2027-11-30",
		"4", "1", "", "BAA and SOC 2 report read",
		"6", "10")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	snap := only(t, s)
	if len(snap.Method) != 1 || snap.Method[0].Who != "Dana Reyes" || snap.Method[0].Date != assessment.ISODate(uitest.FixedTime) {
		t.Fatalf("method: %+v\n%s", snap.Method, out)
	}
	if len(snap.ThreatRulings) != 1 || snap.ThreatRulings[0].Source != controls.SourceNatural {
		t.Fatalf("rulings: %+v\n%s", snap.ThreatRulings, out)
	}
	if snap.Review.Cadence != "annual" || snap.Review.Next != "2027-11-30" {
		t.Fatalf("review plan: %+v\n%s", snap.Review, out)
	}
	if len(snap.VendorReviews) != 1 || snap.VendorReviews[0].VendorID != vid || !strings.Contains(snap.VendorReviews[0].Note, "SOC 2") {
		t.Fatalf("vendor reviews: %+v\n%s", snap.VendorReviews, out)
	}
}
