package assessment

import (
	"slices"
	"testing"
	"time"

	"safeguard/controls"
)

func TestCheckMethodEntry(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		e    MethodEntry
		want string
	}{
		{"interview", MethodEntry{Kind: MethodInterview, Who: "Dana", Role: "Practice manager", Date: "2026-12-01"}, ""},
		{"interview without role", MethodEntry{Kind: MethodInterview, Who: "Dana", Date: "2026-12-01"}, "their role (--role)"},
		{"interview without date", MethodEntry{Kind: MethodInterview, Who: "Dana", Role: "PM"}, "the date (--date)"},
		{"interview in the future", MethodEntry{Kind: MethodInterview, Who: "Dana", Role: "PM", Date: "2026-12-07"}, "after today"},
		{"interview today", MethodEntry{Kind: MethodInterview, Who: "Dana", Role: "PM", Date: "2026-12-06"}, ""},
		{"document without date", MethodEntry{Kind: MethodDocument, Title: "Policy manual"}, ""},
		{"document without title", MethodEntry{Kind: MethodDocument, Date: "2026-12-01"}, "title (--title)"},
		{"walkthrough", MethodEntry{Kind: MethodWalkthrough, Where: "Server room", Date: "2026-11-30"}, ""},
		{"walkthrough without place", MethodEntry{Kind: MethodWalkthrough, Date: "2026-11-30"}, "--where"},
		{"test", MethodEntry{Kind: MethodTest, TestKind: "scan", Tool: "OpenVAS", Scope: "10.0.0.0/24", Date: "2026-11-30"}, ""},
		{"test of unknown kind", MethodEntry{Kind: MethodTest, TestKind: "vibes", Tool: "x", Scope: "y", Date: "2026-11-30"}, "test kind \"vibes\""},
		{"test without scope", MethodEntry{Kind: MethodTest, TestKind: "scan", Tool: "x", Date: "2026-11-30"}, "--scope"},
		{"bad date", MethodEntry{Kind: MethodWalkthrough, Where: "Lobby", Date: "30/11/2026"}, "YYYY-MM-DD"},
		{"assumption", MethodEntry{Kind: MethodAssumption, Text: "Vendor reports are accurate."}, ""},
		{"limitation without text", MethodEntry{Kind: MethodLimitation}, "its text"},
		{"unknown kind", MethodEntry{Kind: "rumour"}, "record kind"},
		{"control character in a name", MethodEntry{Kind: MethodInterview, Who: "Da\x07na", Role: "PM", Date: "2026-12-01"}, "control character"},
	}
	for _, c := range cases {
		assertErr(t, c.name, CheckMethodEntry(c.e, today), c.want)
	}
}

func TestReviewPlanAndRulings(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p    ReviewPlan
		want string
	}{
		{ReviewPlan{Cadence: "annual", Next: "2027-11-30", Triggers: []string{"new-system", "When we open a third site"}}, ""},
		{ReviewPlan{Cadence: "weekly"}, "review cadence \"weekly\" is unknown"},
		{ReviewPlan{Next: "next year"}, "YYYY-MM-DD"},
		{ReviewPlan{Triggers: []string{""}}, "empty"},
	} {
		assertErr(t, "review plan", CheckReviewPlan(c.p), c.want)
	}
	if CadenceMonths("annual") != 12 || CadenceMonths("nope") != 0 {
		t.Error("cadence months")
	}
	cat := defaultCatalog(t)
	r, err := CheckThreatRuling(cat, ThreatRuling{ThreatID: "flood", Reason: "Second floor, no river."})
	if err != nil || r.Source != controls.SourceNatural {
		t.Errorf("ruling on flood: %+v %v", r, err)
	}
	for _, c := range []struct {
		r    ThreatRuling
		want string
	}{
		{ThreatRuling{Source: controls.SourceNatural, Reason: "Low-hazard area."}, ""},
		{ThreatRuling{Source: "aliens", Reason: "x"}, "threat source \"aliens\" is unknown"},
		{ThreatRuling{ThreatID: "meteor", Reason: "x"}, "not in the threat library"},
		{ThreatRuling{Source: controls.SourceTechnical, ThreatID: "flood", Reason: "x"}, "is a natural threat"},
		{ThreatRuling{Source: controls.SourceNatural, Reason: " "}, "needs the reason"},
	} {
		_, err := CheckThreatRuling(cat, c.r)
		assertErr(t, "ruling", err, c.want)
	}
	for _, c := range []struct {
		n    NoRiskReason
		want string
	}{
		{NoRiskReason{QuestionID: "308a1iia-ra-01", Reason: "Covered by the register's R2 and R5."}, ""},
		{NoRiskReason{QuestionID: "308a1iia-ra-01", Reason: "covered"}, "too short"},
		{NoRiskReason{QuestionID: "312a2iv-enc-01", Reason: "Covered by the register's R2 and R5."}, "name the asset"},
		{NoRiskReason{QuestionID: "nope", Reason: "Covered by the register's R2."}, "unknown question"},
	} {
		assertErr(t, "no-risk reason", CheckNoRiskReason(cat, c.n), c.want)
	}
}

func TestCIA(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]CIA{
		"c,a": "ca", "ac": "ca", "confidentiality, integrity": "ci", "CIA": "cia", "": "", "a / i": "ia",
	} {
		got, err := ParseCIA(in)
		if err != nil || got != want {
			t.Errorf("ParseCIA(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"x", "c,q", "secrecy"} {
		if _, err := ParseCIA(bad); err == nil {
			t.Errorf("ParseCIA(%q) accepted", bad)
		}
	}
	if CIA("ca").Label() != "Confidentiality, availability" || CIA("").Label() != "Not stated" || CIA("ia").Short() != "– I A" {
		t.Errorf("labels: %q %q %q", CIA("ca").Label(), CIA("").Label(), CIA("ia").Short())
	}
	if CIA("ac").Valid() || !CIA("ca").Valid() {
		t.Error("only canonical letters are valid")
	}
	if err := ValidateRisk(MatrixNIST5x5, Risk{Title: "T", Status: RiskOpen, CIA: "xyz"}); err == nil {
		t.Error("a risk with objectives xyz was accepted")
	}
}

// TestEveryLibraryThreatHasItsHarm: the threat library gives every threat its default
// objectives, so a risk never lacks them unless the assessor clears them; a threat added
// to the library needs a line in threat_effects.go.
func TestEveryLibraryThreatHasItsHarm(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	if missing := threatsWithoutCIA(cat); len(missing) > 0 {
		t.Errorf("threats without default objectives (add them to threatCIA in threat_effects.go): %v", missing)
	}
	known := map[string]bool{}
	for _, th := range LibraryThreats(cat) {
		known[th.ID] = true
	}
	for id, c := range threatCIA {
		if !known[id] {
			t.Errorf("threatCIA names %s, which the library does not have", id)
		}
		if c == "" || !c.Valid() {
			t.Errorf("threatCIA[%s] = %q is not canonical", id, c)
		}
	}
}

// TestScales: each matrix has one definition per level, in order, with every impact level
// covering records, downtime, patient safety and Part 2 records.
func TestScales(t *testing.T) {
	t.Parallel()
	for _, m := range []MatrixKind{MatrixNIST5x5, MatrixHHS3x3} {
		sc := ScalesFor(m)
		for _, axis := range [][]ScaleLevel{sc.Likelihood, sc.Impact} {
			if len(axis) != m.Scale() {
				t.Fatalf("%s: %d levels, want %d", m, len(axis), m.Scale())
			}
			for i, l := range axis {
				if l.Value != i+1 || l.Label == "" || l.Definition == "" || len(l.Criteria) == 0 {
					t.Errorf("%s level %d: %+v", m, i+1, l)
				}
			}
		}
		for _, l := range sc.Impact {
			var aspects []string
			for _, c := range l.Criteria {
				aspects = append(aspects, c.Aspect)
			}
			for _, want := range []string{AspectRecords, AspectDowntime, AspectSafety, AspectPart2} {
				if !slices.Contains(aspects, want) {
					t.Errorf("%s impact %q lacks %s", m, l.Label, want)
				}
			}
		}
		if m.AxisLabel(0) != "Not rated" || m.AxisLabel(m.Scale()) == "Not rated" {
			t.Errorf("%s axis labels", m)
		}
	}
	if MatrixNIST5x5.AxisLabel(4) != "High" || MatrixHHS3x3.AxisLabel(2) != "Medium" {
		t.Error("axis labels do not follow the matrices' level names")
	}
}
