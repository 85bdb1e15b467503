package assessment

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"safeguard/controls"
)

// gapSnapshot is the fixture assessment with a spread of answers: organization gaps, two
// gaps on the EHR that expose the same weakness, a Part 2 gap on the backups, answers that
// are not gaps, a gap on an out-of-scope asset, a proposed-rule gap, and one risk the
// assessor already dismissed.
func gapSnapshot(t *testing.T, m MatrixKind) *Snapshot {
	t.Helper()
	return &Snapshot{
		Profile: Profile{EntityType: EntityProvider, IncludeProposed: true, Matrix: m},
		Assets:  fixtureAssets(),
		Responses: []Response{
			{QuestionID: "308a1-ra-01", Status: NotImplemented},
			{QuestionID: "308a5-mal-01", Status: Partial},
			{QuestionID: "312d-auth-01", AssetID: "ehr", Status: NotImplemented},
			{QuestionID: "312a2iv-enc-01", AssetID: "ehr", Status: Partial},
			{QuestionID: "312a2iv-enc-01", AssetID: "bak", Status: Implemented},
			{QuestionID: "312a2iv-enc-01", AssetID: "db", Status: Flagged},
			{QuestionID: "308a1-p2-01", Status: NotApplicable, Reason: "x"},
			{QuestionID: "312a2iv-p2-01", AssetID: "bak", Status: NotImplemented},
			{QuestionID: "312d-auth-01", AssetID: "mail", Status: NotImplemented}, // out of scope
			{QuestionID: "308a1-nprm-01", Status: NotImplemented},                 // proposed rule
		},
		Risks: []Risk{
			{ID: "r1", AssetID: "ehr", VulnerabilityID: "unencrypted", ThreatID: "theft", Status: RiskDismissed},
		},
		Catalog: fixtureCatalog(t),
	}
}

func riskLine(r Risk) string {
	return fmt.Sprintf("%s|%s|%s|%s|%d/%d|%s", r.AssetID, r.VulnerabilityID, r.ThreatID, strings.Join(r.QuestionIDs, ","), r.Likelihood, r.Impact, r.Title)
}

func TestProposeRisks(t *testing.T) {
	t.Parallel()
	got := ProposeRisks(gapSnapshot(t, MatrixNIST5x5))
	// One proposal per asset × vulnerability, rated from its worst threat and listing every
	// gap behind it; the EHR's unencrypted-data proposal stays away because the assessor
	// dismissed a risk for that asset and vulnerability.
	want := []string{
		"|no-risk-analysis|ransomware|308a1-ra-01|2/5|No risk analysis",
		"|weak-auth|phishing|308a5-mal-01|4/4|Weak authentication",
		"ehr|weak-auth|phishing|312a2iv-enc-01,312d-auth-01|4/4|Weak authentication (Cloud EHR)",
		"bak|part2-mixing|disclosure|312a2iv-p2-01|3/4|SUD records mixed with other records (Backups)",
	}
	var lines []string
	for _, r := range got {
		lines = append(lines, riskLine(r))
		if r.Status != RiskProposed || r.ID != "" {
			t.Errorf("proposed risk %q has status %q and ID %q", r.Title, r.Status, r.ID)
		}
	}
	if !slices.Equal(lines, want) {
		t.Errorf("ProposeRisks =\n  %s\nwant\n  %s", strings.Join(lines, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestProposeRisksMapsHintsToTheMatrix(t *testing.T) {
	t.Parallel()
	got := ProposeRisks(gapSnapshot(t, MatrixHHS3x3))
	// ransomware hints 2/5 → 1/3; phishing 4/4 → 3/3.
	want := map[string][2]int{"ransomware": {1, 3}, "phishing": {3, 3}}
	for _, r := range got[:2] {
		if w := want[r.ThreatID]; r.Likelihood != w[0] || r.Impact != w[1] {
			t.Errorf("%s on the 3×3 matrix rated %d/%d, want %d/%d", r.ThreatID, r.Likelihood, r.Impact, w[0], w[1])
		}
	}
}

func TestValidateRisk(t *testing.T) {
	t.Parallel()
	base := Risk{Title: "Ransomware — No backups", Status: RiskOpen, Likelihood: 3, Impact: 4}
	with := func(f func(*Risk)) Risk { r := base; f(&r); return r }
	cases := []struct {
		name string
		m    MatrixKind
		r    Risk
		want string
	}{
		{"rated open risk", MatrixNIST5x5, base, ""},
		{"unrated open risk", MatrixNIST5x5, with(func(r *Risk) { r.Likelihood, r.Impact = 0, 0 }), ""},
		{"top of the 5×5", MatrixNIST5x5, with(func(r *Risk) { r.Likelihood, r.Impact = 5, 5 }), ""},
		{"4 on the 3×3", MatrixHHS3x3, base, "impact 4 is out of range; rate it from 1 to 3"},
		{"negative", MatrixNIST5x5, with(func(r *Risk) { r.Likelihood = -1 }), "likelihood -1 is out of range"},
		{"6 on the 5×5", MatrixNIST5x5, with(func(r *Risk) { r.Impact = 6 }), "from 1 to 5"},
		{"one axis only", MatrixNIST5x5, with(func(r *Risk) { r.Impact = 0 }), "give both likelihood and impact"},
		{"proposed with one axis", MatrixNIST5x5, with(func(r *Risk) { r.Status = RiskProposed; r.Impact = 0 }), ""},
		{"residual ok", MatrixNIST5x5, with(func(r *Risk) { r.ResidualL, r.ResidualI = 1, 2 }), ""},
		{"residual out of range", MatrixHHS3x3, with(func(r *Risk) { r.Likelihood, r.Impact, r.ResidualL, r.ResidualI = 1, 1, 4, 1 }), "residual likelihood 4"},
		{"residual one axis", MatrixNIST5x5, with(func(r *Risk) { r.ResidualL = 2 }), "residual likelihood and impact"},
		{"treatment", MatrixNIST5x5, with(func(r *Risk) { r.Treatment = TreatTransfer }), ""},
		{"bad treatment", MatrixNIST5x5, with(func(r *Risk) { r.Treatment = "ignore" }), "mitigate, accept, transfer, avoid"},
		{"bad status", MatrixNIST5x5, with(func(r *Risk) { r.Status = "" }), "proposed, open, in-progress, closed, dismissed"},
		{"due date", MatrixNIST5x5, with(func(r *Risk) { r.Due = "2025-09-30" }), ""},
		{"bad due date", MatrixNIST5x5, with(func(r *Risk) { r.Due = "30/09/2025" }), "due date \"30/09/2025\" is not a date"},
		{"no title", MatrixNIST5x5, with(func(r *Risk) { r.Title = " " }), "no title"},
		{"long measures", MatrixNIST5x5, with(func(r *Risk) { r.Measures = strings.Repeat("x", MaxTextLen+1) }), "planned measures"},
	}
	for _, c := range cases {
		assertErr(t, c.name, ValidateRisk(c.m, c.r), c.want)
	}
}

// TestRegionSetsNaturalHazardLikelihood: a region raises or lowers the likelihood of the
// natural hazards it lists, and with it which threat a proposal is rated from; other threats
// keep their national hints.
func TestRegionSetsNaturalHazardLikelihood(t *testing.T) {
	cat := defaultCatalog(t)
	v, _ := cat.Vulnerability("no-power-protection")
	national, l := WorstThreat(cat, v, "")
	gulf, lg := WorstThreat(cat, v, "gulf-coast")
	if national.ID == "hurricane" || gulf.ID != "hurricane" || lg <= l-1 {
		t.Errorf("no-power-protection: worst threat %s (%d) nationally and %s (%d) on the Gulf Coast; want hurricane to lead only on the coast",
			national.ID, l, gulf.ID, lg)
	}
	for _, th := range v.Threats {
		if th.Source != controls.SourceNatural && cat.Likelihood(th, "gulf-coast") != th.Likelihood {
			t.Errorf("the region changed the likelihood of %s, which is not a natural hazard", th.ID)
		}
	}
	s := &Snapshot{Catalog: cat, Profile: Profile{EntityType: EntityProvider, Region: "gulf-coast"},
		Assets:    []Asset{{ID: "srv", Name: "Server", Kind: "ehr", Hosting: controls.OnPrem, InScope: true}},
		Responses: []Response{{QuestionID: "308a7-cp-06", AssetID: "srv", Status: NotImplemented}}}
	var got *Risk
	for _, r := range ProposeRisks(s) {
		if r.VulnerabilityID == "no-power-protection" {
			got = &r
		}
	}
	if got == nil || got.ThreatID != "hurricane" || got.Likelihood != 4 {
		t.Errorf("Gulf Coast proposal for the UPS gap: %+v, want hurricane at likelihood 4", got)
	}
}
