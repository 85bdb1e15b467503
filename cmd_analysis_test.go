package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/store"
)

const attestation = "I have reviewed this risk analysis and confirm it reflects our systems, safeguards and risks."

// newEmpty makes a workspace with one empty assessment, as `new` leaves it.
func newEmpty(t *testing.T) (string, string) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "ws.db")
	out, e, code := cli(t, "--db", db, "new", "--org", "Oak Street Dental", "--title", "2026 risk analysis")
	if code != 0 {
		t.Fatalf("new: %s", e)
	}
	return db, strings.TrimSpace(out)
}

// TestCLIEmptyAssessmentCannotBeFinalized: the assessment an auditor found signed off as
// "Final, 100% compliance" (no assets, vendors, scope, assessors, period or risks) is
// refused with exit 2, the grouped readiness list on stdout and one sentence on stderr,
// under both spellings of the command, and stays a draft.
func TestCLIEmptyAssessmentCannotBeFinalized(t *testing.T) {
	t.Parallel()
	db, id := newEmpty(t)
	for _, verb := range []string{"finalize", "finalise"} {
		out, e, code := cli(t, "--db", db, verb, id, "--name", "Dana Reyes", "--role", "Security official", "--statement", attestation)
		if code != 2 {
			t.Fatalf("%s: exit %d, want 2", verb, code)
		}
		oneSentence(t, e)
		if !strings.Contains(e, "block finalizing") {
			t.Errorf("%s: stderr %q", verb, e)
		}
		for _, heading := range []string{"Scope statement (1)", "Assessment period (1)", "Named assessors (1)",
			"In-scope assets holding ePHI (1)", "Vendors reviewed (1)", "Questions not answered (", "Threat sources not considered (5)",
			"Periodic review plan (1)"} {
			if !strings.Contains(out, heading) {
				t.Errorf("%s: the grouped list lacks %q:\n%s", verb, heading, out)
			}
		}
		// Every unanswered item is listed, with its question's text under it.
		if n, want := strings.Count(out, "is not answered."), len(items(t, db, id)); n != want || want < 200 || !strings.Contains(out, "\n      ") {
			t.Errorf("%s: the list shows %d unanswered items of %d, or not with its question", verb, n, want)
		}
	}
	out, _, _ := cli(t, "--db", db, "readiness", id, "--json")
	var r readinessJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Ready || r.Count == 0 || r.Groups[0].Kind != assessment.ReadyScope {
		t.Fatalf("readiness --json: %v %+v", err, r)
	}
	out, _, _ = cli(t, "--db", db, "assessments", "--json")
	if !strings.Contains(out, `"status": "draft"`) {
		t.Errorf("the refused assessment is not a draft: %s", out)
	}
}

// TestCLISignOffRefusals: a back-dated or future sign-off and a statement that is not a
// sentence are refused with one sentence and exit 2, before anything else is judged.
func TestCLISignOffRefusals(t *testing.T) {
	t.Parallel()
	db, id := newEmpty(t)
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"back-dated", []string{"--date", "2024-01-15", "--statement", attestation}, "before the last recorded work"},
		{"future", []string{"--date", tomorrow, "--statement", attestation}, "after today"},
		{"ok as a statement", []string{"--statement", "ok"}, "not a sentence"},
		{"no full stop", []string{"--statement", "I have reviewed this risk analysis and confirm it is accurate"}, "full stop"},
		{"not a date", []string{"--date", "2026-02-30", "--statement", attestation}, "YYYY-MM-DD"},
		{"approver is the signer", []string{"--statement", attestation, "--approver", "Dana Reyes", "--approver-role", "Owner"}, "approver is the signer"},
	}
	for _, c := range cases {
		args := append([]string{"--db", db, "finalize", id, "--name", "Dana Reyes", "--role", "Security official"}, c.args...)
		out, e, code := cli(t, args...)
		if code != 2 || !strings.Contains(e, c.want) || out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 mentioning %q", c.name, code, out, e, c.want)
		}
		oneSentence(t, e)
	}
}

// TestCLIMethodCommands: the method record, review plan, no-vendors statement, threats,
// gaps and risk commands record what they say, refuse bad input with one sentence, and
// list what they recorded.
func TestCLIMethodCommands(t *testing.T) {
	t.Parallel()
	db, id := newEmpty(t)
	ok := func(args ...string) string {
		t.Helper()
		out, e, code := cli(t, append([]string{"--db", db}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, e)
		}
		return out
	}
	bad := func(want string, args ...string) {
		t.Helper()
		_, e, code := cli(t, append([]string{"--db", db}, args...)...)
		if code != 2 || !strings.Contains(e, want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 mentioning %q", args, code, e, want)
		}
		oneSentence(t, e)
	}
	eid := strings.TrimSpace(ok("method", "add", id, "interview", "--who", "Dana Reyes", "--role", "Office manager", "--date", "2026-01-05"))
	ok("method", "add", id, "test", "--kind", "scan", "--tool", "OpenVAS", "--scope", "Office network", "--date", "2026-01-06")
	ok("method", "add", id, "limitation", "--text", "The billing service's data center was not visited.")
	bad("--role", "method", "add", id, "interview", "--who", "Dana", "--date", "2026-01-05")
	bad("record kind", "method", "add", id, "rumour", "--text", "x")
	out := ok("method", "list", id)
	for _, s := range []string{"Dana Reyes, Office manager", "Vulnerability scan with OpenVAS of Office network", "not visited"} {
		if !strings.Contains(out, s) {
			t.Errorf("method list lacks %q:\n%s", s, out)
		}
	}
	var entries []assessment.MethodEntry
	if err := json.Unmarshal([]byte(ok("method", "list", id, "--json")), &entries); err != nil || len(entries) != 3 {
		t.Fatalf("method list --json: %v %d", err, len(entries))
	}
	ok("method", "remove", id, eid[:6])
	bad("no method record", "method", "remove", id, eid[:6])

	out = ok("review", id, "--cadence", "annual", "--next", "2027-01-31", "--trigger", "new-system", "--trigger", "When we add a dentist")
	if !strings.Contains(out, "Every year") || !strings.Contains(out, "Jan 31, 2027") || !strings.Contains(out, "When we add a dentist") ||
		!strings.Contains(out, "A new system, service or device") {
		t.Errorf("review:\n%s", out)
	}
	bad("weekly", "review", id, "--cadence", "weekly")
	ok("no-vendors", id, "--statement", "Charts are on paper; the one PC holds no patient data and no outside party handles ePHI.")
	bad("either --statement", "no-vendors", id)
	out = ok("threats", id, "--rule-out", "natural", "--reason", "No flood, storm or wildfire exposure at the office.")
	if !strings.Contains(out, "ruled out: No flood") || !strings.Contains(out, "NOT CONSIDERED") {
		t.Errorf("threats:\n%s", out)
	}
	bad("not in the threat library", "threats", id, "--rule-out", "meteor", "--reason", "x")
	ok("threats", id, "--clear", "natural")
	// Readiness now lacks the vendors and review groups.
	out = ok("readiness", id)
	if strings.Contains(out, "Vendors reviewed") || strings.Contains(out, "Periodic review plan") || !strings.Contains(out, "Threat sources not considered (5)") {
		t.Errorf("readiness after the method records:\n%s", out)
	}
	// A gap, its proposals, and the register.
	ok("answer", id, "308a1iia-ra-01", "partial")
	var rows []gapRow
	json.Unmarshal([]byte(ok("gaps", id, "--json")), &rows)
	if len(rows) != 1 || rows[0].Traced || len(rows[0].Proposed) == 0 {
		t.Fatalf("gaps: %+v", rows)
	}
	ok("no-risk", id, "308a1iia-ra-01", "--reason", "This analysis is being written now; its gaps are tracked as its own risks.")
	json.Unmarshal([]byte(ok("gaps", id, "--json", "--open")), &rows)
	if len(rows) != 0 {
		t.Errorf("gaps --open after the reason: %+v", rows)
	}
	bad("too short", "no-risk", id, "308a1iia-ra-02", "--reason", "n/a")
	var risks []riskJSON
	risks = nil
	json.Unmarshal([]byte(ok("risk", "list", id, "--json")), &risks)
	if len(risks) == 0 || risks[0].Status != assessment.RiskProposed || risks[0].Harms == "" || !risks[0].HarmsDefault {
		t.Fatalf("risk list: %+v", risks)
	}
	ok("risk", "edit", id, "R1", "--confirm", "--likelihood", "3", "--impact", "4", "--treatment", "accept", "--owner", "Office manager",
		"--accepted-by", "Dr. Kim", "--authority", "Practice owner", "--accepted-on", time.Now().Format(time.DateOnly), "--cia", "c,a")
	risks = nil
	json.Unmarshal([]byte(ok("risk", "list", id, "--json")), &risks)
	r := risks[0]
	if r.Status != assessment.RiskOpen || r.Harms != "ca" || r.HarmsDefault || r.AcceptedBy != "Dr. Kim" || r.Level != string(assessment.LevelModerate) {
		t.Errorf("after edit: %+v", r)
	}
	ok("risk", "edit", id, r.ID, "--treatment", "mitigate", "--measures", "Write the analysis.")
	risks = nil
	json.Unmarshal([]byte(ok("risk", "list", id, "--json")), &risks)
	if risks[0].AcceptedBy != "" || risks[0].Treatment != assessment.TreatMitigate {
		t.Errorf("a new treatment kept the acceptance: %+v", risks[0])
	}
	bad("out of range", "risk", "edit", id, "R1", "--likelihood", "9")
	bad("no R99", "risk", "edit", id, "R99", "--confirm")
	bad("contradict", "risk", "edit", id, "R1", "--confirm", "--dismiss")
	// Answers: the alternative measure needs its measure and rationale.
	bad("needs --measure", "answer", id, "308a3iia-auth-01", "implemented", "--decision", "alternative", "--rationale", "Why not.")
	bad("also needs the rationale", "answer", id, "308a3iia-auth-01", "implemented", "--decision", "alternative", "--measure", "Supervised sessions")
	bad("cannot be implemented as specified", "answer", id, "308a3iia-auth-01", "partial", "--decision", "as-specified")
	ok("answer", id, "308a3iia-auth-01", "implemented", "--decision", "alternative", "--measure", "Supervised sessions", "--rationale", "The support tool cannot limit access itself.")
	if out, _, code := cli(t, "--db", db, "verify"); code != 0 {
		t.Fatalf("verify: %s", out)
	}
}

// TestCLIDemoCompletesToSignOff proves every gate can be satisfied from the command line:
// the demo, completed by a scripted sequence of commands (answers, decisions, vendor
// reviews, risk ratings and treatments, reasons for gaps without risks, threat sources),
// is finalized with an approver and verifies.
func TestCLIDemoCompletesToSignOff(t *testing.T) {
	t.Parallel()
	db, id := demoWorkspace(t)
	run := func(args ...string) string {
		t.Helper()
		out, e, code := cli(t, append([]string{"--db", db}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, e)
		}
		return out
	}
	today := time.Now().Format(time.DateOnly)
	takes := decisionQuestions(t)
	readiness := func() readinessJSON {
		var r readinessJSON
		if err := json.Unmarshal([]byte(run("readiness", id, "--json")), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	// 1. Answer every open and flagged item: implemented, as specified where a decision is due.
	for _, g := range readiness().Groups {
		if g.Kind != assessment.ReadyUnanswered && g.Kind != assessment.ReadyFlagged {
			continue
		}
		for _, it := range g.Items {
			args := []string{"answer", id, it.QuestionID, "implemented"}
			if it.AssetID != "" {
				args = append(args, "--asset", it.AssetID)
			}
			if takes[it.QuestionID] {
				args = append(args, "--decision", "as-specified")
			}
			run(args...)
		}
	}
	// 2. Decide the addressable gaps: not reasonable and appropriate, with the rationale.
	var gaps []gapRow
	json.Unmarshal([]byte(run("gaps", id, "--json")), &gaps)
	status := map[assessment.ItemKey]string{}
	for _, g := range gaps {
		status[assessment.ItemKey{QuestionID: g.Question, AssetID: g.Asset}] = g.Status
	}
	for _, g := range readiness().Groups {
		if g.Kind != assessment.ReadyDecision {
			continue
		}
		for _, it := range g.Items {
			st := status[assessment.ItemKey{QuestionID: it.QuestionID, AssetID: it.AssetID}]
			if st == "" {
				t.Fatalf("decision item on %s/%s is no gap: %s", it.QuestionID, it.AssetID, it.Text)
			}
			args := []string{"answer", id, it.QuestionID, st, "--decision", "not-reasonable",
				"--rationale", "The cost outweighs the protection for a practice of this size until the planned upgrade next year."}
			if it.AssetID != "" {
				args = append(args, "--asset", it.AssetID)
			}
			run(args...)
		}
	}
	// 3. Vendors: the managed IT provider signs its BAA; every vendor is reviewed.
	signNorthgateBAA(t, db, id)
	for _, g := range readiness().Groups {
		if g.Kind == assessment.ReadyVendors {
			for _, it := range g.Items {
				run("vendor-review", id, it.VendorID, "--date", today, "--note", "BAA and assurance read for this analysis.")
			}
		}
	}
	// 4. Risks: rate the proposals for environmental threats, dismiss the rest, and give
	// every open high risk a treatment and an owner.
	var risks []riskJSON
	json.Unmarshal([]byte(run("risk", "list", id, "--json")), &risks)
	for _, r := range risks {
		switch {
		case r.Status == assessment.RiskProposed && strings.Contains(r.ThreatID, "power"):
			run("risk", "edit", id, r.ID, "--confirm", "--likelihood", "2", "--impact", "3", "--rationale", "Outages are short and rare here.",
				"--treatment", "mitigate", "--measures", "Put the modality and reading-room PCs on the UPS.", "--owner", "IT lead", "--due", "2027-06-30")
		case r.Status == assessment.RiskProposed:
			run("risk", "edit", id, r.ID, "--dismiss")
		case r.Status != assessment.RiskClosed && r.Status != assessment.RiskDismissed && (r.Level == "high" || r.Level == "very-high") && (r.Treatment == "" || r.Owner == ""):
			run("risk", "edit", id, r.ID, "--treatment", "mitigate", "--measures", "Split the clinical VLAN from the front-desk PCs.",
				"--owner", "IT lead", "--due", "2027-03-31")
		}
	}
	// 5. Every gap without a confirmed risk carries the reason none follows.
	json.Unmarshal([]byte(run("gaps", id, "--json", "--open")), &gaps)
	for _, g := range gaps {
		args := []string{"no-risk", id, g.Question, "--reason", "The confirmed risks on this system already cover what this gap exposes."}
		if g.Asset != "" {
			args = append(args, "--asset", g.Asset)
		}
		run(args...)
	}
	// 6. Any threat source still unconsidered is ruled out with its reason.
	for _, g := range readiness().Groups {
		if g.Kind == assessment.ReadyThreats {
			for _, it := range g.Items {
				run("threats", id, "--rule-out", it.Source, "--reason", "Nothing at either site exposes ePHI to it beyond the rated risks.")
			}
		}
	}
	if r := readiness(); !r.Ready {
		t.Fatalf("the completed demo is still blocked: %+v", r.Groups)
	}
	out := run("finalize", id, "--name", "Dana Whitfield", "--role", "Security official", "--statement", attestation,
		"--approver", "Dr. Helen Okafor", "--approver-role", "Medical director")
	if !strings.Contains(out, "Finalized and locked") {
		t.Fatalf("finalize: %s", out)
	}
	exported := filepath.Join(t.TempDir(), "final.json")
	run("export", id, "--format", "json", "--out", exported)
	doc := readDocument(t, exported)
	if doc.Assessment.Status != assessment.StatusFinal || doc.SignOff == nil || doc.SignOff.RecordedAt.IsZero() ||
		doc.SignOff.Approver == nil || doc.SignOff.Approver.Role != "Medical director" {
		t.Fatalf("final sign-off: %+v", doc.SignOff)
	}
	run("verify")
}

// decisionQuestions are the questions whose answers take a §164.306(d)(3) decision, from
// the catalog the CLI prints.
func decisionQuestions(t *testing.T) map[string]bool {
	t.Helper()
	out, _, _ := cli(t, "catalog", "--format", "json")
	var cat struct {
		Questions []struct {
			ID, Specification, Condition string
			Proposed                     bool
		}
		Standards []struct {
			Specifications []struct{ ID, Requirement string }
		}
	}
	if err := json.Unmarshal([]byte(out), &cat); err != nil {
		t.Fatal(err)
	}
	addressable := map[string]bool{}
	for _, s := range cat.Standards {
		for _, sp := range s.Specifications {
			addressable[sp.ID] = sp.Requirement == "addressable"
		}
	}
	takes := map[string]bool{}
	for _, q := range cat.Questions {
		takes[q.ID] = addressable[q.Specification] && q.Condition != "part2" && !q.Proposed
	}
	return takes
}

// signNorthgateBAA records the managed IT provider's signed BAA. The vendor commands are
// not part of this change, so the test records it through the store, as they will.
func signNorthgateBAA(t *testing.T, db, id string) {
	t.Helper()
	s, err := store.Open(db, store.Options{Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.Snapshot(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range snap.Vendors {
		if v.BAA != assessment.BAASigned {
			v.BAA, v.BAASigned, v.BreachNoticeDays, v.Flowdown = assessment.BAASigned, time.Now().Format(time.DateOnly), 10, true
			if _, err := s.SaveVendor(t.Context(), id, v); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func readDocument(t *testing.T, path string) *assessment.Document {
	t.Helper()
	var doc assessment.Document
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

// describeTinyClinic records, through the store (the profile and asset commands are not
// part of this change) and the CLI, a one-person clinic: scope, period, assessor, one
// on-premises PC holding ePHI, no vendors, every threat source ruled out, a review plan.
func describeTinyClinic(t *testing.T, db, id string) {
	t.Helper()
	s, err := store.Open(db, store.Options{Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.Profile(t.Context(), id)
	p.Scope, p.PeriodStart, p.PeriodEnd = "The front-desk PC that holds the schedule and charts.", "2026-01-01", "2026-12-31"
	p.Assessors = []string{"Dana Reyes"}
	if err := s.SaveProfile(t.Context(), id, p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAsset(t.Context(), id, assessment.Asset{Name: "Front-desk PC", Kind: "endpoint", Hosting: "on-prem", EPHI: true,
		InScope: true, EncAtRest: assessment.EncCustomerHeld, TLS: "tls1.3"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, args := range [][]string{
		{"no-vendors", id, "--statement", "The clinic runs everything on its one PC; no outside party handles ePHI."},
		{"review", id, "--cadence", "annual", "--next", time.Now().AddDate(1, 0, 0).Format(time.DateOnly)},
	} {
		if _, e, code := cli(t, append([]string{"--db", db}, args...)...); code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
	}
	for _, src := range assessment.ThreatSources {
		if _, e, code := cli(t, "--db", db, "threats", id, "--rule-out", src.Value, "--reason", "Every control against it is in place at the clinic."); code != 0 {
			t.Fatalf("rule out %s: %s", src.Value, e)
		}
	}
}

// answerEverything answers every open item implemented (as specified where a decision is
// due), as the readiness list names them.
func answerEverything(t *testing.T, db, id string) {
	t.Helper()
	takes := decisionQuestions(t)
	out, _, _ := cli(t, "--db", db, "readiness", id, "--json")
	var r readinessJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	for _, g := range r.Groups {
		if g.Kind != assessment.ReadyUnanswered {
			continue
		}
		for _, it := range g.Items {
			args := []string{"--db", db, "answer", id, it.QuestionID, "implemented"}
			if it.AssetID != "" {
				args = append(args, "--asset", it.AssetID)
			}
			if takes[it.QuestionID] {
				args = append(args, "--decision", "as-specified")
			}
			if _, e, code := cli(t, args...); code != 0 {
				t.Fatalf("answer %s: %s", it.QuestionID, e)
			}
		}
	}
}
