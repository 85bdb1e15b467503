package assessment

import (
	"testing"
	"time"
)

// TestAnalyzeAgreesWithItems checks the derived view against the rules it is built from:
// one view per applicable item, each owner as Owner resolves it, each status as answered,
// and counts that add up to the items.
func TestAnalyzeAgreesWithItems(t *testing.T) {
	t.Parallel()
	s := summarySnapshot(t)
	s.GeneratedAt = day0
	a := Analyze(s)
	items := s.Items()
	if len(a.Items) != len(items) {
		t.Fatalf("%d views for %d applicable items", len(a.Items), len(items))
	}
	resp := s.ResponseMap()
	ov := s.OverrideMap()
	for i, it := range items {
		v := a.Items[i]
		if v.Key() != it.Key() || a.Index[it.Key()] != i {
			t.Fatalf("item %d is %v, want %v", i, v.Key(), it.Key())
		}
		owner, _ := Owner(it.Question, it.Asset, ov)
		if v.Owner != owner {
			t.Errorf("%v: owner %s, want %s", it.Key(), v.Owner, owner)
		}
		if r, ok := resp[it.Key()]; ok && validStatus(r.Status) && v.Status != r.Status {
			t.Errorf("%v: status %q, want %q", it.Key(), v.Status, r.Status)
		}
	}
	c := a.Summary.Overall
	if c.Applicable+a.Summary.Proposed.Applicable != len(items) {
		t.Errorf("counts cover %d items, want %d", c.Applicable+a.Summary.Proposed.Applicable, len(items))
	}
}

// TestAnalyzeDates: data as of is the last change; the judging day is the period end once
// it has passed.
func TestAnalyzeDates(t *testing.T) {
	t.Parallel()
	s := summarySnapshot(t)
	s.Assessment.UpdatedAt = time.Date(2026, 5, 1, 10, 0, 0, 500, time.UTC)
	s.GeneratedAt = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	s.Profile.PeriodEnd = "2026-04-30"
	a := Analyze(s)
	if !a.DataAsOf.Equal(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("DataAsOf = %v", a.DataAsOf)
	}
	if !a.AsOf.Equal(time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("AsOf = %v, want the period end", a.AsOf)
	}
	s.GeneratedAt = time.Time{}
	if got := Analyze(s).Generated; !got.Equal(a.DataAsOf) {
		t.Errorf("without a load time the analysis is dated %v, want the last change", got)
	}
}

// TestAnalyzeRiskOrder: confirmed risks come first worst first, then proposals, then
// dismissed ones; references follow that order.
func TestAnalyzeRiskOrder(t *testing.T) {
	t.Parallel()
	s := summarySnapshot(t)
	a := Analyze(s)
	var got []string
	for _, r := range a.Risks {
		got = append(got, r.Ref+"="+r.ID)
	}
	want := []string{"R1=rB", "R2=rC", "R3=rA", "R4=rF", "R5=rG", "R6=rE", "R7=rD"}
	if len(got) != len(want) {
		t.Fatalf("register %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("register %v, want %v", got, want)
		}
	}
	if a.Summary.Heat.Total() != a.Summary.Rated() {
		t.Errorf("heat map holds %d risks, %d rated", a.Summary.Heat.Total(), a.Summary.Rated())
	}
}
