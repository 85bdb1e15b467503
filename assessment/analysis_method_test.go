package assessment

import (
	"slices"
	"strings"
	"testing"
	"time"

	"safeguard/controls"
)

// demoAnalysis is the demo's analysis as of its first test moment.
func demoAnalysis(t *testing.T) *Analysis {
	t.Helper()
	cat, doc := demoDoc(t, demoNows[0])
	s := SnapshotOf(doc, cat)
	s.GeneratedAt = demoNows[0]
	return Analyze(s)
}

// TestGapTraceability: every current gap appears once in catalog order, proposed-rule
// items and carried answers never; a gap is traced by exactly the confirmed risks that
// list it on its asset (or its organization item); the readiness list names exactly the
// untraced partial and not-implemented gaps.
func TestGapTraceability(t *testing.T) {
	t.Parallel()
	a := demoAnalysis(t)
	seen := map[ItemKey]bool{}
	last := -1
	untraced := 0
	for _, g := range a.Gaps {
		it := a.Items[g.Item]
		if seen[it.Key()] || g.Item <= last {
			t.Fatalf("gap %v repeated or out of order", it.Key())
		}
		seen[it.Key()], last = true, g.Item
		if it.Question.Proposed || it.Carried || !(it.IsGap() || it.Status == Flagged) {
			t.Errorf("%v (%s) is not a current gap", it.Key(), it.Status)
		}
		for _, ri := range g.Risks {
			r := a.Risks[ri]
			if !r.Confirmed() || !slices.Contains(r.Linked, g.Item) {
				t.Errorf("gap %v traced to %s, which is %s or does not list it", it.Key(), r.Ref, r.Status)
			}
		}
		if !g.Traced() && it.IsGap() {
			untraced++
		}
	}
	for i, it := range a.Items {
		if (it.IsGap() || (it.Status == Flagged && !it.Carried)) && !it.Question.Proposed && !seen[it.Key()] {
			t.Errorf("gap %v (item %d) is missing from the traceability", it.Key(), i)
		}
	}
	n := 0
	for _, r := range a.Summary.Readiness {
		if r.Kind == ReadyGapTrace {
			n++
		}
	}
	if n != untraced || n == 0 {
		t.Errorf("%d gap-trace blockers for %d untraced gaps (the demo has some)", n, untraced)
	}
	// The VPN's missing MFA is traced to the VPN risk, and that risk lists it as a trigger.
	network := demoAssetNetwork
	if tr, ok := a.Trace(ItemKey{"312d-mfa-01", network}); !ok || len(tr.Risks) == 0 {
		t.Fatalf("312d-mfa-01 on the network is not traced: %+v", tr)
	} else if r := a.Risks[tr.Risks[0]]; r.ID != "risk-vpn-mfa" || !slices.Contains(r.Triggers, tr.Item) {
		t.Errorf("312d-mfa-01 traced to %s (triggers %v)", r.ID, r.Triggers)
	}
}

// TestRiskMethodViews: each risk's objectives, triggers and existing controls follow from
// the library and the answers.
func TestRiskMethodViews(t *testing.T) {
	t.Parallel()
	a := demoAnalysis(t)
	for _, r := range a.Risks {
		if r.CIA == "" || (r.Risk.CIA == "") != r.CIADefault {
			t.Errorf("%s: objectives %q (default %v)", r.ID, r.CIA, r.CIADefault)
		}
		if r.Threat.ID != r.ThreatID || r.Vulnerability == nil {
			t.Errorf("%s: threat %q / vulnerability not resolved", r.ID, r.Threat.ID)
		}
		for _, i := range r.Controls {
			it := a.Items[i]
			if !it.InPlace() || !slices.Contains(r.Vulnerability.MitigatedBy, it.Question.ID) {
				t.Errorf("%s: control %v is not an in-place answer against %s", r.ID, it.Key(), r.VulnerabilityID)
			}
			if it.Asset != nil && it.Asset.ID != r.AssetID {
				t.Errorf("%s: control %v is on another asset", r.ID, it.Key())
			}
		}
		for _, i := range r.Triggers {
			if !slices.Contains(r.Linked, i) {
				t.Errorf("%s: trigger %d is not linked", r.ID, i)
			}
		}
	}
	// The backup risk was closed by controls now in place: it lists them.
	for _, r := range a.Risks {
		if r.ID == "risk-backup-restore" && len(r.Controls) == 0 {
			t.Error("the closed backup risk lists no existing controls")
		}
	}
}

func TestTreatmentWarnings(t *testing.T) {
	t.Parallel()
	cases := []struct {
		r    Risk
		want string
	}{
		{Risk{Treatment: TreatTransfer, Likelihood: 2, Impact: 5, ResidualL: 2, ResidualI: 3}, "does not lower the harm"},
		{Risk{Treatment: TreatTransfer, Likelihood: 3, Impact: 5, ResidualL: 2, ResidualI: 5}, ""},
		{Risk{Treatment: TreatAccept, Likelihood: 3, Impact: 3, ResidualL: 2, ResidualI: 3}, "accepted risk is left as it is"},
		{Risk{Treatment: TreatAccept, Likelihood: 3, Impact: 3, ResidualL: 3, ResidualI: 3}, ""},
		{Risk{Treatment: TreatMitigate, Likelihood: 3, Impact: 3, ResidualL: 1, ResidualI: 2}, ""},
		{Risk{Treatment: TreatMitigate, Likelihood: 2, Impact: 3, ResidualL: 3, ResidualI: 3}, "above the inherent"},
		{Risk{Treatment: TreatTransfer, Likelihood: 2, Impact: 5}, ""}, // no residual rating yet
	}
	for _, c := range cases {
		got := strings.Join(treatmentWarnings(&c.r, MatrixNIST5x5), " ")
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%+v: warnings %q, want %q", c.r, got, c.want)
		}
	}
}

// TestThreatSources: every source in order with the library's threats; the demo rates
// human, technical threats, rules out the natural source and leaves the environmental one
// to its unconfirmed power-outage proposal, which the readiness list names.
func TestThreatSources(t *testing.T) {
	t.Parallel()
	a := demoAnalysis(t)
	if len(a.ThreatSources) != len(ThreatSources) {
		t.Fatalf("%d sources", len(a.ThreatSources))
	}
	total := 0
	for i, src := range a.ThreatSources {
		if src.Source != ThreatSources[i].Value {
			t.Errorf("source %d is %s", i, src.Source)
		}
		for _, th := range src.Threats {
			if th.Threat.Source != src.Source {
				t.Errorf("%s filed under %s", th.Threat.ID, src.Source)
			}
			for _, ri := range th.Rated {
				if r := a.Risks[ri]; !r.Rated() || r.ThreatID != th.Threat.ID {
					t.Errorf("%s lists %s as rated", th.Threat.ID, r.ID)
				}
			}
		}
		total += len(src.Threats)
	}
	if total != len(LibraryThreats(a.Catalog)) {
		t.Errorf("%d threats grouped of %d", total, len(LibraryThreats(a.Catalog)))
	}
	considered := map[string]bool{}
	for _, src := range a.ThreatSources {
		considered[src.Source] = src.Considered()
	}
	want := map[string]bool{"human-deliberate": true, "human-accidental": true, "technical": true, "natural": true, "environmental": false}
	if !mapsEqual(considered, want) {
		t.Errorf("considered %v, want %v", considered, want)
	}
	var blocked []string
	for _, r := range a.Summary.Readiness {
		if r.Kind == ReadyThreats {
			blocked = append(blocked, r.Source)
		}
	}
	if !slices.Equal(blocked, []string{"environmental"}) {
		t.Errorf("threat-source blockers %v", blocked)
	}
}

// TestEverySpecificationAppears: the findings can list every implementation specification
// of the catalog (and every standard without one), each with items or a reason; the
// clearinghouse specification is N/A for a provider, with the reason, and applies to a
// clearinghouse.
func TestEverySpecificationAppears(t *testing.T) {
	t.Parallel()
	a := demoAnalysis(t)
	want := 0
	for _, st := range a.Catalog.Standards {
		want += len(st.Specifications)
		if len(st.Specifications) == 0 {
			want++
		}
	}
	ids := map[string]SpecCoverage{}
	specs := 0
	for _, c := range a.Specs {
		if c.Spec != nil {
			specs++
		}
		if (len(c.Items) == 0) == (c.NotApplicable == "") {
			t.Errorf("%s: %d items and reason %q", c.ID(), len(c.Items), c.NotApplicable)
		}
		ids[c.ID()] = c
	}
	all := 0
	for _, st := range a.Catalog.Standards {
		all += len(st.Specifications)
	}
	if specs != all || len(a.Specs) < want {
		t.Errorf("%d specification rows of %d, %d rows in all (at least %d)", specs, all, len(a.Specs), want)
	}
	chi := ids["164.308(a)(4)(ii)(A)"]
	if len(chi.Items) != 0 || !strings.Contains(chi.NotApplicable, "clearinghouse") {
		t.Errorf("§164.308(a)(4)(ii)(A) for a provider: %d items, reason %q", len(chi.Items), chi.NotApplicable)
	}
	cat, doc := demoDoc(t, demoNows[0])
	// The specification is about a clearinghouse that is part of a larger organization: the
	// profile's flag decides, whatever the entity type.
	doc.Profile.EntityType = EntityClearinghouse
	for _, part := range []bool{false, true} {
		doc.Profile.ClearinghouseComponent = part
		for _, c := range Analyze(SnapshotOf(doc, cat)).Specs {
			if c.ID() == "164.308(a)(4)(ii)(A)" && (len(c.Items) > 0) != part {
				t.Errorf("§164.308(a)(4)(ii)(A), clearinghouse component %v: %d items (%s)", part, len(c.Items), c.NotApplicable)
			}
		}
	}
}

// TestAddressableSummary: one line per addressable specification, counting only items
// that take a decision, with a single decision only when every decided item agrees.
func TestAddressableSummary(t *testing.T) {
	t.Parallel()
	a := demoAnalysis(t)
	n := 0
	for _, st := range a.Catalog.Standards {
		for _, sp := range st.Specifications {
			if sp.Requirement == controls.Addressable {
				n++
			}
		}
	}
	if len(a.Addressable) != n || n != 22 {
		t.Fatalf("%d addressable lines for %d addressable specifications (the rule has 22)", len(a.Addressable), n)
	}
	for _, s := range a.Addressable {
		total := s.NotApplicable + s.Open
		decided := 0
		for d, k := range s.Decisions {
			total += k
			if d != DecisionNone {
				decided += k
			}
		}
		if total != len(s.Items) {
			t.Errorf("%s: counts %d for %d items", s.Spec.ID, total, len(s.Items))
		}
		for _, i := range s.Items {
			if !TakesDecision(a.Catalog, a.Items[i].Question) {
				t.Errorf("%s counts %s, which takes no decision", s.Spec.ID, a.Items[i].Question.ID)
			}
		}
		if s.Decision != "" && (s.Mixed || s.Decisions[s.Decision] != decided) {
			t.Errorf("%s: single decision %s but %v", s.Spec.ID, s.Decision, s.Decisions)
		}
		if decided > 0 && s.Decided.IsZero() {
			t.Errorf("%s: decided items but no date", s.Spec.ID)
		}
	}
}

// TestSecuredDetermination: the breach safe-harbor view follows the answers, key custody
// and flows, and says "cannot be determined" where they disagree, naming the records.
func TestSecuredDetermination(t *testing.T) {
	t.Parallel()
	a := demoAnalysis(t)
	by := map[string]SecuredView{}
	for _, v := range a.Secured {
		by[v.AssetID] = v
	}
	check := func(asset string, rest, transit SecuredState, names ...string) {
		t.Helper()
		v := by[asset]
		if v.AtRest != rest || v.InTransit != transit {
			t.Errorf("%s: at rest %s (%s), in transit %s (%s); want %s, %s", asset, v.AtRest, v.AtRestWhy, v.InTransit, v.InTransitWhy, rest, transit)
		}
		text := v.AtRestWhy + " " + v.InTransitWhy
		for _, n := range names {
			if !strings.Contains(text, n) {
				t.Errorf("%s: %q does not name %s", asset, text, n)
			}
		}
	}
	// Laptops: the inventory says encrypted, 312a2iv-enc-02 says partial (9 desktops).
	check(demoAssetEndpoints, SecuredUnknown, SecuredCanQualify, "312a2iv-enc-02", "customer-held")
	// PACS: not encrypted at rest; TLS 1.2 recorded, but the archive link is plain DICOM.
	check(demoAssetPACS, SecuredNot, SecuredUnknown, "PACS imaging server → PACS cloud archive", "TLS 1.2")
	check(demoAssetArchive, SecuredCanQualify, SecuredUnknown, "unencrypted")
	// The network stores nothing, but its remote-access and Wi-Fi answers are partial.
	check(demoAssetNetwork, SecuredNoEPHI, SecuredUnknown, "312e2ii-rem-01 is answered partial")
	if v := by[demoAssetEndpoints]; len(v.Conflicts) < 2 {
		t.Errorf("laptop conflicts %+v: want the inventory and the answer", v.Conflicts)
	}
	for _, v := range a.Secured {
		if v.AtRestWhy == "" || v.InTransitWhy == "" {
			t.Errorf("%s: a state without its reason", v.AssetID)
		}
		if (v.AtRest == SecuredUnknown || v.InTransit == SecuredUnknown) && len(v.Conflicts) == 0 &&
			!strings.Contains(v.AtRestWhy+v.InTransitWhy, "Nothing records") {
			t.Errorf("%s: cannot be determined, but names no conflict", v.AssetID)
		}
	}
}

// TestVendorWarnings: the MSP that runs the network with remote access and no BAA is the
// worst warning; BAA terms §164.314(a)(2)(i) requires are checked on signed BAAs.
func TestVendorWarnings(t *testing.T) {
	t.Parallel()
	a := demoAnalysis(t)
	if len(a.VendorWarnings) == 0 {
		t.Fatal("no vendor warnings")
	}
	first := a.VendorWarnings[0]
	if first.VendorID != demoVendorMSP || first.Kind != WarnAdministersNoBAA || first.Severity != SeverityCritical ||
		!slices.Contains(first.AssetIDs, demoAssetNetwork) {
		t.Errorf("first warning %+v: want the MSP running the network without a BAA", first)
	}
	has := func(vendor, kind string) bool {
		return slices.ContainsFunc(a.VendorWarnings, func(w VendorWarning) bool { return w.VendorID == vendor && w.Kind == kind })
	}
	for _, c := range []struct {
		vendor, kind string
		want         bool
	}{
		{demoVendorTelehealth, WarnNoFlowdown, true},
		{demoVendorCloud, WarnNoBreachNotice, true},
		{demoVendorEHR, WarnNoFlowdown, false},
		{demoVendorArchive, WarnLateBreachNotice, false}, // 60 days is the limit, not over it
		{demoVendorMSP, WarnNoFlowdown, false},           // terms of an unsigned BAA are not judged
		{demoVendorArchive, WarnVendorNotReviewed, true},
		{demoVendorEHR, WarnVendorNotReviewed, false},
		{demoVendorTelehealth, IssueSOC2Only, true},
	} {
		if has(c.vendor, c.kind) != c.want {
			t.Errorf("%s %s: %v, want %v", c.vendor, c.kind, !c.want, c.want)
		}
	}
	for i := 1; i < len(a.VendorWarnings); i++ {
		if a.VendorWarnings[i].Severity > a.VendorWarnings[i-1].Severity {
			t.Errorf("warnings not worst first at %d", i)
		}
	}
	if a.AdministeredBy(demoAssetNetwork) != demoVendorMSP || a.AdministeredBy(demoAssetEHR) != "" {
		t.Error("AdministeredBy")
	}
	if a.Vendors.Count != 6 || a.Vendors.Reviewed != 4 || a.Vendors.Critical != 1 {
		t.Errorf("vendors view %+v", a.Vendors)
	}
	// A BAA allowing more than 60 days to report a breach is flagged.
	late := VendorWarning{}
	a.Snap.Vendors[3].BreachNoticeDays = 90
	a2 := Analyze(a.Snap)
	for _, w := range a2.VendorWarnings {
		if w.Kind == WarnLateBreachNotice {
			late = w
		}
	}
	if !strings.Contains(late.Text, "90 days") {
		t.Errorf("a 90-day breach notice is not flagged: %+v", late)
	}
}

// TestNarrativeInputs: the scope, method and vendor views say what the inventory and the
// method record hold, and what they do not.
func TestNarrativeInputs(t *testing.T) {
	t.Parallel()
	a := demoAnalysis(t)
	sc := a.Scope
	if sc.InScope != 10 || sc.WithEPHI != 9 || sc.Part2 != 1 || sc.Records == 0 || sc.Flows != 9 {
		t.Errorf("scope view %+v", sc)
	}
	var absent []string
	for _, k := range sc.KindsAbsent {
		absent = append(absent, k.ID)
	}
	if !slices.Contains(absent, "mobile") || slices.Contains(absent, "ehr") {
		t.Errorf("asset kinds absent %v: want mobile, not ehr", absent)
	}
	m := a.Method
	if m.Counts[MethodInterview] != 4 || m.Counts[MethodTest] != 3 || m.Counts[MethodLimitation] != 2 || !m.Observed {
		t.Errorf("method view counts %v observed %v", m.Counts, m.Observed)
	}
	for i := 1; i < len(m.Entries); i++ {
		if methodKindOrder(m.Entries[i].Kind) < methodKindOrder(m.Entries[i-1].Kind) {
			t.Errorf("method entries out of kind order at %d", i)
		}
	}
	if len(m.OfKind(MethodWalkthrough)) != 2 {
		t.Error("OfKind")
	}
	empty := Analyze(&Snapshot{Catalog: a.Catalog})
	if empty.Method.Observed || len(empty.Scope.KindsAbsent) != len(a.Catalog.AssetKinds) || empty.Vendors.Count != 0 {
		t.Errorf("empty views: %+v %+v", empty.Method, empty.Scope)
	}
}

// TestReviewView: the plan, the previous analysis and what changed since it.
func TestReviewView(t *testing.T) {
	t.Parallel()
	cat, doc := demoDoc(t, demoNows[0])
	older := SnapshotOf(doc, cat)
	older.Assessment.ID = "old"
	older.Assessment.Status = StatusFinal
	older.SignOff = &SignOff{Name: "Dana Whitfield", Date: "2026-03-01"}
	newer := SnapshotOf(doc, cat)
	newer.RevisionOf, newer.Previous = "old", older
	newer.Responses = slices.Clone(newer.Responses)
	newer.Risks = slices.Clone(newer.Risks)
	for i := range newer.Responses {
		if r := &newer.Responses[i]; r.QuestionID == "312d-mfa-01" {
			r.Status = Implemented // MFA switched on
		}
	}
	for i := range newer.Risks {
		switch r := &newer.Risks[i]; r.ID {
		case "risk-vpn-mfa":
			r.Status = RiskClosed
		case "risk-proposed-a":
			r.Status, r.Likelihood, r.Impact = RiskOpen, 3, 3
		}
	}
	newer.GeneratedAt = demoNows[0]
	a := Analyze(newer)
	rv := a.Review
	if rv.Plan.Cadence != "annual" || rv.Cadence != "Every year" || rv.Next.IsZero() || len(rv.Triggers) != 4 || rv.Overdue {
		t.Errorf("review view %+v", rv)
	}
	p := rv.Previous
	if p == nil || p.ID != "old" || p.SignOff == nil || p.DataAsOf.IsZero() {
		t.Fatalf("previous %+v", p)
	}
	if p.Changes.Improved != 1 || p.Changes.Regressed != 0 {
		t.Errorf("changes %+v", p.Changes)
	}
	if len(p.Changes.ClosedRisks) != 1 || p.Changes.ClosedRisks[0].RiskID != "risk-vpn-mfa" ||
		len(p.Changes.NewRisks) != 1 || p.Changes.NewRisks[0].RiskID != "risk-proposed-a" {
		t.Errorf("new %+v closed %+v", p.Changes.NewRisks, p.Changes.ClosedRisks)
	}
	newer.Previous = nil
	if Analyze(newer).Review.Previous != nil {
		t.Error("a previous analysis no longer in the workspace is described")
	}
	late := SnapshotOf(doc, cat)
	late.GeneratedAt = time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	late.Profile.PeriodEnd = ""
	if !Analyze(late).Review.Overdue {
		t.Error("a next review date in the past is not overdue")
	}
}

// TestAnswerDates: the method view states the range of dates the answers carry, ignoring
// answers without one, and nothing when nothing is answered.
func TestAnswerDates(t *testing.T) {
	t.Parallel()
	cat, doc := demoDoc(t, demoNows[0])
	s := SnapshotOf(doc, cat)
	s.Responses = slices.Clone(s.Responses[:3])
	early, late := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC), time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)
	s.Responses[0].At, s.Responses[1].At, s.Responses[2].At = late, time.Time{}, early
	m := Analyze(s).Method
	if !m.AnswersFrom.Equal(early) || !m.AnswersTo.Equal(late) {
		t.Errorf("answers dated %v to %v, want %v to %v", m.AnswersFrom, m.AnswersTo, early, late)
	}
	s.Responses = nil
	if m := Analyze(s).Method; !m.AnswersFrom.IsZero() || !m.AnswersTo.IsZero() {
		t.Errorf("nothing answered, yet answers dated %v to %v", m.AnswersFrom, m.AnswersTo)
	}
}
