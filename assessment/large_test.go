package assessment_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
)

// TestSummarizeProperties runs the large assessment: safeguards, standards and
// specifications count each item once for every one its question cites (and each item
// cites at least one standard and safeguard, so they cover the overall counts); every
// applicable item is counted once overall; every non-dismissed risk is rated or unrated;
// the figures do not depend on map order.
func TestSummarizeProperties(t *testing.T) {
	t.Parallel()
	s := assessmenttest.Large(t, 1)
	a := assessment.Analyze(s)
	sum := a.Summary
	var sg, st, sp assessment.Counts
	for _, g := range sum.BySafeguard {
		sg = plus(sg, g.Counts)
	}
	for _, g := range sum.ByStandard {
		st = plus(st, g.Counts)
	}
	for _, g := range sum.BySpecification {
		sp = plus(sp, g.Counts)
	}
	var wantSG, wantST, wantSP int
	wantStatus := map[assessment.ResponseStatus]int{} // by standard
	for _, it := range a.Items {
		q := it.Question
		if q.Proposed {
			continue
		}
		stds, sgs := map[string]bool{}, map[string]bool{}
		for _, id := range q.Citations() {
			if _, ok := s.Catalog.Specification(id); ok {
				wantSP++
			}
			std, _ := s.Catalog.StandardOf(id)
			stds[std] = true
			x, _ := s.Catalog.Standard(std)
			sgs[x.Section] = true
		}
		wantST += len(stds)
		wantSG += len(sgs)
		if !it.Carried {
			wantStatus[it.Status] += len(stds)
		}
	}
	if sg.Applicable != wantSG || st.Applicable != wantST || sp.Applicable != wantSP {
		t.Errorf("counted %d by safeguard, %d by standard, %d by specification; want %d, %d, %d",
			sg.Applicable, st.Applicable, sp.Applicable, wantSG, wantST, wantSP)
	}
	if st.Implemented != wantStatus[assessment.Implemented] || st.NotImplemented != wantStatus[assessment.NotImplemented] ||
		st.Inherited != wantStatus[assessment.Inherited] {
		t.Errorf("status counts by standard do not match the items")
	}
	if st.Applicable <= sum.Overall.Applicable || sg.Applicable < sum.Overall.Applicable {
		t.Errorf("standards count %d and safeguards %d, overall %d: multi-citation questions should count under each standard",
			st.Applicable, sg.Applicable, sum.Overall.Applicable)
	}
	if n := len(s.Items()); sum.Overall.Applicable+sum.Proposed.Applicable != n {
		t.Errorf("%d + %d items counted, %d applicable", sum.Overall.Applicable, sum.Proposed.Applicable, n)
	}
	if sum.Proposed.Applicable == 0 {
		t.Error("the large assessment includes proposed-rule questions but none were counted")
	}
	live, rated := 0, sum.Unrated+sum.ProposedRisks
	for _, r := range s.Risks {
		if r.Status != assessment.RiskDismissed {
			live++
		}
	}
	for _, n := range sum.RiskLevels {
		rated += n
	}
	if rated != live {
		t.Errorf("%d risks counted, %d not dismissed", rated, live)
	}
	again := assessment.Analyze(s).Summary
	if !slices.Equal(again.Readiness, sum.Readiness) || !slices.Equal(again.ByStandard, sum.ByStandard) {
		t.Error("Summarize is not deterministic")
	}
	for _, r := range sum.Readiness {
		if r.QuestionID != "" {
			if q, _ := s.Catalog.Question(r.QuestionID); q.Proposed {
				t.Fatalf("proposed-rule question %s blocks finalizing", q.ID)
			}
		}
	}
}

func plus(a, b assessment.Counts) assessment.Counts {
	return assessment.Counts{Applicable: a.Applicable + b.Applicable, Implemented: a.Implemented + b.Implemented, Partial: a.Partial + b.Partial,
		NotImplemented: a.NotImplemented + b.NotImplemented, NotApplicable: a.NotApplicable + b.NotApplicable, Flagged: a.Flagged + b.Flagged,
		Unanswered: a.Unanswered + b.Unanswered, Inherited: a.Inherited + b.Inherited, Evidenced: a.Evidenced + b.Evidenced, Carried: a.Carried + b.Carried}
}

// TestProposeRisksProperties runs the whole embedded catalog: proposals are unique by
// asset × vulnerability (whichever threats and gaps expose it), name only gap questions that guard against the
// vulnerability, validate, and proposing again after storing them yields nothing.
func TestProposeRisksProperties(t *testing.T) {
	t.Parallel()
	s := assessmenttest.Large(t, 1)
	s.Risks = nil
	resp := s.ResponseMap()
	props := assessment.ProposeRisks(s)
	if len(props) == 0 {
		t.Fatal("no risks proposed from a snapshot full of gaps")
	}
	type key struct{ asset, vuln string }
	line := func(r assessment.Risk) string {
		return fmt.Sprintf("%s|%s|%s|%v|%d|%d", r.AssetID, r.VulnerabilityID, r.ThreatID, r.QuestionIDs, r.Likelihood, r.Impact)
	}
	seen := map[key]bool{}
	for _, r := range props {
		k := key{r.AssetID, r.VulnerabilityID}
		if seen[k] {
			t.Fatalf("risk %v proposed twice", k)
		}
		seen[k] = true
		if !slices.IsSorted(r.QuestionIDs) || len(r.QuestionIDs) == 0 {
			t.Errorf("risk %v question IDs %v are empty or unsorted", k, r.QuestionIDs)
		}
		for _, qid := range r.QuestionIDs {
			q, _ := s.Catalog.Question(qid)
			if q.Proposed || !slices.Contains(q.Vulnerabilities, r.VulnerabilityID) {
				t.Errorf("risk %v names question %s, which does not expose it", k, qid)
			}
			if x := resp[assessment.ItemKey{QuestionID: qid, AssetID: r.AssetID}]; x == nil || !assessment.IsGap(x.Status) {
				t.Errorf("risk %v names question %s, which is not a gap there", k, qid)
			}
		}
		if err := assessment.ValidateRisk(s.Profile.Matrix, r); err != nil {
			t.Errorf("proposed risk does not validate: %v", err)
		}
	}
	again := assessment.ProposeRisks(s)
	if !slices.EqualFunc(props, again, func(a, b assessment.Risk) bool { return line(a) == line(b) }) {
		t.Error("ProposeRisks is not deterministic")
	}
	s.Risks = props
	if more := assessment.ProposeRisks(s); len(more) != 0 {
		t.Errorf("after storing the proposals, %d more were proposed", len(more))
	}
}

// BenchmarkSummarize derives the analysis (scores, readiness, risk counts) of the large
// assessment: 40 assets × the whole catalog with every item answered and 500 risks.
// Budget: 50 ms (scripts/bench.sh).
func BenchmarkSummarize(b *testing.B) {
	s := assessmenttest.Large(b, 1)
	b.ReportAllocs()
	for b.Loop() {
		assessment.Analyze(s)
	}
	b.ReportMetric(float64(len(s.Items())), "items")
	b.ReportMetric(float64(len(s.Risks)), "risks")
}

// BenchmarkItemListing lists the items of the large assessment (40 assets × the whole
// catalog) with everything resolved per item: applicability (depth, conditions, hosting,
// gates), owner, answer, vendor issues, inheritance and evidence. Budget (issue 14): 20 ms.
func BenchmarkItemListing(b *testing.B) {
	s := assessmenttest.Large(b, 1)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(assessment.ListItems(s))
	}
	b.ReportMetric(float64(len(s.Assets)), "assets")
	b.ReportMetric(float64(n), "items")
}

// TestAnalyzeIsDeterministic analyzes the same snapshots several times: Analyze runs some
// of its stages side by side, and no figure, order or sentence may depend on which
// finishes first. Every exported field is compared (the item-keyed maps as maps, the rest
// as JSON).
func TestAnalyzeIsDeterministic(t *testing.T) {
	t.Parallel()
	for name, s := range map[string]*assessment.Snapshot{"demo": assessmenttest.Demo(t), "large": assessmenttest.Large(t, 1)} {
		first := assessment.Analyze(s)
		want := analysisJSON(t, first)
		for range 3 {
			a := assessment.Analyze(s)
			if !maps.Equal(a.Index, first.Index) || !maps.Equal(a.Responses, first.Responses) || !maps.Equal(a.Overrides, first.Overrides) {
				t.Fatalf("%s: the item-keyed maps differ between two analyses", name)
			}
			if got := analysisJSON(t, a); !bytes.Equal(got, want) {
				t.Fatalf("%s: two analyses of one snapshot differ (%d and %d bytes of JSON)", name, len(got), len(want))
			}
		}
	}
}

// analysisJSON is every exported field of a but the item-keyed maps, as JSON.
func analysisJSON(t *testing.T, a *assessment.Analysis) []byte {
	t.Helper()
	fields := map[string]any{}
	v := reflect.ValueOf(*a)
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.IsExported() && f.Type.Kind() != reflect.Map || f.Name == "EvidenceRef" || f.Name == "RiskRef" || f.Name == "ByQuestion" {
			fields[f.Name] = v.Field(i).Interface()
		}
	}
	b, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
