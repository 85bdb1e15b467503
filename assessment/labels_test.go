package assessment

import (
	"reflect"
	"testing"
	"time"

	"safeguard/controls"
)

func TestStatusWords(t *testing.T) {
	t.Parallel()
	for st, want := range map[ResponseStatus][3]string{
		Implemented:    {"Implemented", "Implemented", "implemented"},
		Partial:        {"Partially implemented", "Partial", "partially implemented"},
		NotImplemented: {"Not implemented", "Not implemented", "not implemented"},
		NotApplicable:  {"Not applicable", "Not applicable", "not applicable"},
		Flagged:        {"Unknown / flagged for follow-up", "Flagged", "flagged"},
		"":             {"Not answered", "Not answered", "not answered"},
	} {
		if got := [3]string{st.Label(), st.Short(), st.Phrase()}; got != want {
			t.Errorf("%q: %q, want %q", st, got, want)
		}
	}
	for st, want := range map[ResponseStatus]bool{Implemented: true, Partial: true, NotImplemented: true, NotApplicable: true, Flagged: false, Inherited: true, "": false, "maybe": false} {
		if IsAnswered(st) != want {
			t.Errorf("IsAnswered(%q) = %v", st, !want)
		}
	}
}

func TestShortLabels(t *testing.T) {
	t.Parallel()
	m := MatrixNIST5x5
	var shorts []string
	for v := 1; v <= m.Scale(); v++ {
		shorts = append(shorts, m.Step(v).Short())
	}
	if got := shorts; len(got) != 5 || got[0] != "VL" || got[4] != "VH" || m.Step(0) != LevelNone || m.Step(6) != LevelNone {
		t.Errorf("5×5 steps: %q", got)
	}
	if h := MatrixHHS3x3; h.Step(2) != LevelMedium || h.Step(2).Short() != "M" || h.Name() == m.Name() {
		t.Errorf("3×3 steps or name")
	}
	for _, c := range BAAChoices {
		if BAAStatus(c.Value).Label() == c.Value {
			t.Errorf("BAA %q has no label", c.Value)
		}
	}
	for _, c := range EncryptionChoices {
		if s := EncryptionShort(c.Value); s == "" || len(s) > 14 {
			t.Errorf("encryption %q has short label %q", c.Value, s)
		}
	}
	for _, c := range AttestationChoices {
		if AttestationShort(c.Value) == c.Value {
			t.Errorf("attestation %q has no short label", c.Value)
		}
	}
	for _, k := range []string{IssueBAAMissing, IssueBAAExpired, IssueAttestationLapsed, IssueSOC2Only, IssueNoAttestation, IssueNoProvider} {
		if (VendorIssue{Kind: k}).Short() == k {
			t.Errorf("vendor issue %q has no short label", k)
		}
	}
}

func TestRiskOverdueAndHint(t *testing.T) {
	t.Parallel()
	asOf := time.Date(2026, 6, 15, 23, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		due    string
		status RiskStatus
		want   bool
	}{
		{"2026-06-14", RiskOpen, true},
		{"2026-06-15", RiskOpen, false}, // due today is not late yet
		{"2026-06-14", RiskClosed, false},
		{"2026-06-14", RiskDismissed, false},
		{"2026-06-14", RiskProposed, true},
		{"", RiskOpen, false},
		{"soon", RiskInProgress, false},
	} {
		r := Risk{Due: c.due, Status: c.status}
		if got := r.Overdue(asOf); got != c.want {
			t.Errorf("due %q, %s, on %s: overdue %v", c.due, c.status, asOf.Format(time.DateOnly), got)
		}
	}
	cat, err := controls.Default()
	if err != nil {
		t.Fatal(err)
	}
	v := cat.Vulnerabilities[0]
	th := v.Threats[0]
	r := Risk{VulnerabilityID: v.ID, ThreatID: th.ID}
	nist, hhs := Profile{Matrix: MatrixNIST5x5}, Profile{Matrix: MatrixHHS3x3}
	want := cat.Likelihood(th, "")
	if l, i := ThreatHint(cat, nist, r); l != want || i != th.Impact {
		t.Errorf("5×5 hint %d×%d, want the library's %d×%d", l, i, want, th.Impact)
	}
	if l, i := ThreatHint(cat, hhs, r); l != MatrixHHS3x3.FromHint(want) || i != MatrixHHS3x3.FromHint(th.Impact) {
		t.Errorf("3×3 hint %d×%d", l, i)
	}
	if l, i := ThreatHint(cat, nist, Risk{VulnerabilityID: "nope"}); l != 0 || i != 0 {
		t.Error("an unknown threat has a hint")
	}
}

func TestCountsAddAndPlus(t *testing.T) {
	t.Parallel()
	var a, b Counts
	for _, st := range []ResponseStatus{Implemented, Partial, NotImplemented, NotApplicable, Flagged, ""} {
		v := ItemView{Status: st}
		if st == Implemented {
			v.Evidence = []string{"e1"}
		}
		a.Add(v)
	}
	b.Add(ItemView{Status: Implemented, Carried: true}) // carried over: open until re-validated
	b.Plus(a)
	if b.Applicable != 7 || b.Implemented != 1 || b.Evidenced != 1 || b.Unanswered != 2 || b.Carried != 1 || b.Answered() != 4 {
		t.Errorf("counts %+v", b)
	}
	// Plus adds every count: a field added to Counts without a line in Plus fails here.
	var one, sum Counts
	ov := reflect.ValueOf(&one).Elem()
	for i := range ov.NumField() {
		ov.Field(i).SetInt(1)
	}
	sum.Plus(one)
	if sum != one {
		t.Errorf("Plus drops a count: %+v", sum)
	}
	s := Summary{RiskLevels: map[Level]int{LevelHigh: 2, LevelVeryHigh: 1, LevelModerate: 4}}
	if s.High() != 3 || s.Rated() != 7 {
		t.Errorf("high %d of %d rated", s.High(), s.Rated())
	}
}
