package assessment

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"safeguard/controls"
)

// demoNows are the moments the demo tests are run at: mid-year, the first days of a year
// (when the archive vendor's attestation must still read as expired) and late in a year.
var demoNows = []time.Time{
	time.Date(2026, time.March, 9, 14, 30, 12, 0, time.UTC),
	time.Date(2027, time.January, 3, 8, 0, 0, 0, time.FixedZone("EST", -5*3600)),
	time.Date(2031, time.November, 20, 23, 59, 59, 999, time.UTC),
}

func demoDoc(t *testing.T, now time.Time) (*controls.Catalog, *Document) {
	t.Helper()
	cat := controls.MustDefault()
	return cat, Demo(cat, now)
}

func TestDemoDeterministic(t *testing.T) {
	t.Parallel()
	cat := controls.MustDefault()
	for _, now := range demoNows {
		a, b := Demo(cat, now), Demo(cat, now)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("Demo(%v) differs between two calls", now)
		}
		ja, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Fatalf("Demo(%v) JSON differs between two calls", now)
		}
	}
}

func TestDemoPassesChecks(t *testing.T) {
	t.Parallel()
	for _, now := range demoNows {
		cat, doc := demoDoc(t, now)
		if err := doc.Check(cat); err != nil {
			t.Fatalf("Demo(%v).Check: %v", now, err)
		}
		if err := CheckProfile(doc.Profile); err != nil {
			t.Fatalf("Demo(%v) profile: %v", now, err)
		}
		for _, o := range doc.Overrides {
			if err := ValidateOverride(cat, o); err != nil {
				t.Errorf("override %s/%s: %v", o.QuestionID, o.AssetID, err)
			}
		}
		if doc.Format != DocumentFormat || doc.Version != DocumentVersion || doc.CatalogVersion != cat.Version ||
			doc.Assessment.CatalogVersion != cat.Version || doc.ExportedAt.IsZero() {
			t.Errorf("Demo(%v) header is incomplete: %q %d %q", now, doc.Format, doc.Version, doc.CatalogVersion)
		}
		// The document survives the import path: JSON out, ParseDocument in.
		data, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseDocument(bytes.NewReader(data), cat)
		if err != nil {
			t.Fatalf("Demo(%v) does not parse back: %v", now, err)
		}
		if len(back.Responses) != len(doc.Responses) || len(back.Risks) != len(doc.Risks) {
			t.Errorf("Demo(%v) lost data in a JSON round trip", now)
		}
	}
}

func TestDemoProfileFollowsYear(t *testing.T) {
	t.Parallel()
	for _, now := range demoNows {
		_, doc := demoDoc(t, now)
		y := now.UTC().Year()
		p := doc.Profile
		if p.PeriodStart != demoDate(y, time.January, 1) || p.PeriodEnd != demoDate(y, time.December, 31) {
			t.Errorf("Demo(%v) period %s..%s, want the year %d", now, p.PeriodStart, p.PeriodEnd, y)
		}
		if p.EntityType != EntityProvider || !p.Part2Program || !p.MedicareMedicaid || !p.IncludeProposed ||
			p.Matrix != MatrixNIST5x5 || len(p.Assessors) != 2 || p.Size != "medium" {
			t.Errorf("Demo(%v) profile = %+v", now, p)
		}
		if doc.Assessment.Organization != "Riverbend Family Health" || doc.Assessment.Status != StatusDraft {
			t.Errorf("Demo(%v) assessment = %+v", now, doc.Assessment)
		}
	}
	_, doc := demoDoc(t, demoNows[0])
	if doc.Assessment.Title != "2026 HIPAA Security Risk Analysis" {
		t.Errorf("title = %q", doc.Assessment.Title)
	}
}

func TestDemoReferences(t *testing.T) {
	t.Parallel()
	cat, doc := demoDoc(t, demoNows[0])
	assets := map[string]*Asset{}
	for i := range doc.Assets {
		a := &doc.Assets[i]
		assets[a.ID] = a
		if !cat.HasAssetKind(a.Kind) {
			t.Errorf("asset %s has unknown kind %q", a.ID, a.Kind)
		}
		if !a.InScope {
			t.Errorf("asset %s is out of scope", a.ID)
		}
		if a.Hosting != controls.OnPrem && a.VendorID == "" {
			t.Errorf("hosted asset %s names no vendor", a.ID)
		}
	}
	vendors := map[string]*Vendor{}
	for i := range doc.Vendors {
		vendors[doc.Vendors[i].ID] = &doc.Vendors[i]
	}
	for _, a := range doc.Assets {
		if a.VendorID != "" && vendors[a.VendorID] == nil {
			t.Errorf("asset %s names unknown vendor %q", a.ID, a.VendorID)
		}
	}
	if len(doc.Flows) < 5 {
		t.Errorf("%d flows, want at least 5", len(doc.Flows))
	}
	var unencrypted []string
	outside := 0
	for _, f := range doc.Flows {
		if assets[f.From] == nil || (f.To != "" && assets[f.To] == nil) || (f.To == "") == (f.ToParty == "") {
			t.Errorf("flow %s names an unknown asset or no single destination", f.ID)
		}
		if err := CheckFlow(f); err != nil {
			t.Errorf("flow %s: %v", f.ID, err)
		}
		if f.Outside() {
			outside++
		}
		if !f.Encrypted {
			unencrypted = append(unencrypted, f.ID)
		}
	}
	if !slices.Equal(unencrypted, []string{"flow-pacs-archive", "flow-modalities-pacs"}) {
		t.Errorf("unencrypted flows %v, want the PACS archive link and the modalities' DICOM link", unencrypted)
	}
	if outside < 2 {
		t.Errorf("%d flows to outside parties, want the claims clearinghouse and e-prescribing", outside)
	}

	// Every response answers an applicable item, once.
	applicable := map[ItemKey]bool{}
	for _, it := range Applicable(cat, doc.Profile, doc.Assets) {
		applicable[it.Key()] = true
	}
	seen := map[ItemKey]bool{}
	for _, r := range doc.Responses {
		k := ItemKey{r.QuestionID, r.AssetID}
		if !applicable[k] {
			t.Errorf("response %v is not an applicable item", k)
		}
		if seen[k] {
			t.Errorf("response %v is given twice", k)
		}
		seen[k] = true
		if r.By != doc.Profile.Assessors[0] && r.By != doc.Profile.Assessors[1] {
			t.Errorf("response %v by %q, not an assessor", k, r.By)
		}
		if r.At.IsZero() || r.At.After(doc.ExportedAt) {
			t.Errorf("response %v at %v, want a time before the export", k, r.At)
		}
	}
	for k := range demoCurated {
		if !seen[k] {
			t.Errorf("scripted answer %v is not applicable, so it is never used", k)
		}
	}
	for _, o := range doc.Overrides {
		if !applicable[ItemKey{o.QuestionID, o.AssetID}] || o.Reason == "" {
			t.Errorf("override %s/%s is not an applicable item with a reason", o.QuestionID, o.AssetID)
		}
	}

	for _, e := range doc.Evidence {
		if !e.IsNote || e.MediaType != "text/plain" || e.Name == "" || e.NoteText == "" || e.AddedBy == "" || e.AddedAt.IsZero() {
			t.Errorf("evidence %s is not a complete note: %+v", e.ID, e.Evidence)
		}
		sum := sha256.Sum256([]byte(e.NoteText))
		if e.SHA256 != hex.EncodeToString(sum[:]) || e.Size != int64(len(e.NoteText)) {
			t.Errorf("evidence %s: hash or size does not match its text", e.ID)
		}
		if len(e.Links) == 0 {
			t.Errorf("evidence %s is linked to nothing", e.ID)
		}
		for _, l := range e.Links {
			switch {
			case l.VendorID != "" && vendors[l.VendorID] == nil:
				t.Errorf("evidence %s links unknown vendor %q", e.ID, l.VendorID)
			case l.AssetID != "" && assets[l.AssetID] == nil:
				t.Errorf("evidence %s links unknown asset %q", e.ID, l.AssetID)
			case l.QuestionID != "" && !seen[ItemKey{l.QuestionID, l.AssetID}]:
				t.Errorf("evidence %s links %s/%s, which has no response", e.ID, l.QuestionID, l.AssetID)
			}
		}
	}
	if n := len(doc.Evidence); n < 6 || n > 8 {
		t.Errorf("%d evidence notes, want 6 to 8", n)
	}
}

func TestDemoResponses(t *testing.T) {
	t.Parallel()
	cat, doc := demoDoc(t, demoNows[0])
	items := Applicable(cat, doc.Profile, doc.Assets)
	share := float64(len(doc.Responses)) / float64(len(items))
	if share < 0.5 || share > 0.7 {
		t.Errorf("%d of %d applicable items answered (%.0f%%), want about 60%%", len(doc.Responses), len(items), 100*share)
	}
	statuses := map[ResponseStatus]int{}
	decisions := map[Decision]int{}
	notes := 0
	for _, r := range doc.Responses {
		statuses[r.Status]++
		decisions[r.Decision]++
		if r.Note != "" {
			notes++
		}
		if err := ValidateResponse(cat, r); err != nil {
			t.Errorf("response %s/%s: %v", r.QuestionID, r.AssetID, err)
		}
	}
	for _, c := range ResponseStatuses {
		if statuses[ResponseStatus(c.Value)] == 0 {
			t.Errorf("no response is %s", c.Value)
		}
	}
	if statuses[Implemented] <= len(doc.Responses)/2 {
		t.Errorf("only %d of %d responses implemented; most should be", statuses[Implemented], len(doc.Responses))
	}
	for _, d := range []Decision{DecisionAsSpecified, DecisionAlternative, DecisionNotReasonable} {
		if decisions[d] == 0 {
			t.Errorf("no response records the %s decision", d)
		}
	}
	if notes < 25 {
		t.Errorf("%d responses have notes, want about 30", notes)
	}

	// The story holds: no encryption on the PACS server, no MFA on the VPN.
	resp := (&Snapshot{Responses: doc.Responses}).ResponseMap()
	for _, c := range []struct {
		key  ItemKey
		want ResponseStatus
	}{
		{ItemKey{"312a2iv-enc-01", demoAssetPACS}, NotImplemented},
		{ItemKey{"312d-mfa-01", demoAssetNetwork}, NotImplemented},
		{ItemKey{"308b1-ba-05", demoAssetTelehealth}, Partial},
		{ItemKey{"308b1-ba-05", demoAssetArchive}, NotImplemented},
		{ItemKey{"308b1-ba-05", demoAssetEHR}, Implemented},
	} {
		if r := resp[c.key]; r == nil || r.Status != c.want {
			t.Errorf("response %v = %v, want %s", c.key, r, c.want)
		}
	}
}

func TestDemoVendorStories(t *testing.T) {
	t.Parallel()
	for _, now := range demoNows {
		_, doc := demoDoc(t, now)
		byID := map[string]Vendor{}
		for _, v := range doc.Vendors {
			byID[v.ID] = v
		}
		kinds := func(id string) []string {
			var ks []string
			for _, is := range VendorIssues(byID[id], now) {
				ks = append(ks, is.Kind)
			}
			return ks
		}
		if ks := kinds(demoVendorEHR); len(ks) != 0 || byID[demoVendorEHR].Attestations[0].Kind != AttHITRUSTr2 {
			t.Errorf("%v: EHR vendor should hold a valid HITRUST r2 and a BAA, issues %v", now, ks)
		}
		cloud := byID[demoVendorCloud]
		if ks := kinds(demoVendorCloud); len(ks) != 0 || len(cloud.Attestations) != 2 {
			t.Errorf("%v: cloud vendor should hold ISO 27001 and SOC 2 with a BAA, issues %v", now, ks)
		}
		th := byID[demoVendorTelehealth]
		if ks := kinds(demoVendorTelehealth); !slices.Equal(ks, []string{IssueSOC2Only}) ||
			th.BAA != BAASigned || len(th.Attestations) != 1 || th.Attestations[0].Kind != AttSOC2Type2 {
			t.Errorf("%v: telehealth vendor should be SOC 2 only with a signed BAA, issues %v", now, ks)
		}
		arch := byID[demoVendorArchive]
		if ks := kinds(demoVendorArchive); !slices.Equal(ks, []string{IssueAttestationLapsed}) || arch.Attestations[0].Kind != AttHITRUSTi1 {
			t.Errorf("%v: archive vendor's HITRUST i1 should have lapsed, issues %v", now, ks)
		}
		if exp := arch.Attestations[0].Expires; exp >= doc.Profile.PeriodEnd || exp >= day(now).Format(time.DateOnly) {
			t.Errorf("%v: archive attestation expires %s, want before now and before the period end %s", now, exp, doc.Profile.PeriodEnd)
		}
		if ks := kinds(demoVendorMSP); byID[demoVendorMSP].BAA != BAARequested || !slices.Contains(ks, IssueBAAMissing) {
			t.Errorf("%v: MSP should have only a requested BAA, issues %v", now, ks)
		}
		if _, ok := byID[demoVendorMail]; !ok || len(doc.Vendors) < 6 {
			t.Errorf("%v: %d vendors, want the six of the story", now, len(doc.Vendors))
		}
		days := map[int]bool{}
		flow := map[bool]bool{}
		for _, v := range doc.Vendors {
			days[v.BreachNoticeDays] = true
			flow[v.Flowdown] = true
		}
		if len(days) < 4 || !days[0] || len(flow) != 2 {
			t.Errorf("%v: breach-notice days %v and flow-down %v are not varied", now, days, flow)
		}
	}
}

func TestDemoRisks(t *testing.T) {
	t.Parallel()
	cat, doc := demoDoc(t, demoNows[0])
	m := doc.Profile.Matrix
	var proposed, rated int
	statuses := map[RiskStatus]int{}
	treatments := map[Treatment]int{}
	levels := map[Level]int{}
	ids := map[string]bool{}
	for _, r := range doc.Risks {
		if ids[r.ID] {
			t.Errorf("risk ID %s repeated", r.ID)
		}
		ids[r.ID] = true
		statuses[r.Status]++
		treatments[r.Treatment]++
		if err := ValidateRisk(m, r); err != nil {
			t.Errorf("risk %s: %v", r.ID, err)
		}
		v, ok := cat.Vulnerability(r.VulnerabilityID)
		if !ok {
			t.Errorf("risk %s: unknown vulnerability %q", r.ID, r.VulnerabilityID)
			continue
		}
		if !slices.ContainsFunc(v.Threats, func(th controls.Threat) bool { return th.ID == r.ThreatID }) {
			t.Errorf("risk %s: threat %q is not a threat of %s", r.ID, r.ThreatID, v.ID)
		}
		if len(r.QuestionIDs) == 0 {
			t.Errorf("risk %s names no question", r.ID)
		}
		for _, qid := range r.QuestionIDs {
			q, ok := cat.Question(qid)
			if !ok || !slices.Contains(q.Vulnerabilities, r.VulnerabilityID) {
				t.Errorf("risk %s: question %s does not guard against %s", r.ID, qid, r.VulnerabilityID)
			}
		}
		if r.Status == RiskProposed {
			proposed++
			if r.Likelihood != 0 || r.Impact != 0 || r.Treatment != TreatNone {
				t.Errorf("proposed risk %s should be unrated and untreated", r.ID)
			}
			continue
		}
		rated++
		l := m.Level(r.Likelihood, r.Impact)
		levels[l]++
		if l == LevelNone {
			t.Errorf("confirmed risk %s is not rated", r.ID)
		}
		if r.Treatment != TreatNone && (r.Measures == "" || r.Owner == "" || r.Due == "" || r.ResidualL == 0) {
			t.Errorf("treated risk %s lacks measures, owner, due date or residual rating", r.ID)
		}
	}
	if proposed < 3 || rated < 8 {
		t.Errorf("%d proposed and %d rated risks, want at least 3 and 8", proposed, rated)
	}
	for _, st := range []RiskStatus{RiskOpen, RiskInProgress, RiskClosed} {
		if statuses[st] == 0 {
			t.Errorf("no risk is %s", st)
		}
	}
	if treatments[TreatAccept] != 1 || treatments[TreatMitigate] == 0 {
		t.Errorf("treatments %v, want mostly mitigate and one accept", treatments)
	}
	if len(levels) < 3 {
		t.Errorf("rated risks span levels %v, want at least three", levels)
	}
}

// The demo must give every screen something to show: scores, vendor issues, readiness
// items of several kinds and risks at several levels.
func TestDemoSummary(t *testing.T) {
	t.Parallel()
	cat, doc := demoDoc(t, demoNows[0])
	s := &Snapshot{
		Assessment: doc.Assessment, Profile: doc.Profile, Assets: doc.Assets, Flows: doc.Flows,
		Vendors: doc.Vendors, Responses: doc.Responses, Overrides: doc.Overrides, Risks: doc.Risks,
		Catalog: cat,
	}
	sum := summarizeAt(s, demoNows[0])
	if c := sum.Overall.Completion(); c < 0.5 || c > 0.75 {
		t.Errorf("overall completion %.2f, want about 0.6", c)
	}
	if sum.Proposed.Applicable == 0 || sum.Proposed.Unanswered == 0 || sum.Proposed.Implemented == 0 {
		t.Errorf("proposed-rule counts %+v should be partly answered", sum.Proposed)
	}
	for _, g := range sum.BySafeguard {
		if g.Applicable == 0 || g.Implemented == 0 {
			t.Errorf("safeguard %s has counts %+v", g.ID, g.Counts)
		}
	}
	kinds := map[string]int{}
	for _, r := range sum.Readiness {
		kinds[r.Kind]++
	}
	for _, k := range []string{ReadyUnanswered, ReadyFlagged, ReadyDecision, ReadyRiskTreat, ReadyRiskProposed} {
		if kinds[k] == 0 {
			t.Errorf("no readiness item of kind %s (have %v)", k, kinds)
		}
	}
	if len(sum.VendorIssues) != 3 {
		t.Errorf("vendor issues for %d vendors, want telehealth, archive and MSP", len(sum.VendorIssues))
	}
	if sum.ProposedRisks < 3 || len(sum.RiskLevels) < 3 {
		t.Errorf("risk levels %v, proposed %d", sum.RiskLevels, sum.ProposedRisks)
	}
	if flags := flagsAt(s, demoNows[0]); len(flags) == 0 {
		t.Error("no provider-owned item is flagged, though the telehealth and archive vendors have issues")
	}
}
