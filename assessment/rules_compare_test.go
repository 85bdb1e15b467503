package assessment

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func changeLines(cs []Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = fmt.Sprintf("%s %s@%s %s→%s", c.Kind, c.QuestionID, c.AssetName, c.From, c.To)
	}
	return out
}

// revision clones a snapshot the way a new revision does: same assets under new IDs, every
// answer carried forward.
func revision(s *Snapshot) *Snapshot {
	n := *s
	n.Assets = slices.Clone(s.Assets)
	newID := map[string]string{}
	for i := range n.Assets {
		newID[n.Assets[i].ID] = n.Assets[i].ID + "-2"
		n.Assets[i].ID += "-2"
	}
	n.Responses = slices.Clone(s.Responses)
	for i := range n.Responses {
		if n.Responses[i].AssetID != "" {
			n.Responses[i].AssetID = newID[n.Responses[i].AssetID]
		}
	}
	return &n
}

func setStatus(s *Snapshot, qid, assetID string, st ResponseStatus) {
	for i := range s.Responses {
		if s.Responses[i].QuestionID == qid && s.Responses[i].AssetID == assetID {
			s.Responses[i].Status = st
			return
		}
	}
	s.Responses = append(s.Responses, Response{QuestionID: qid, AssetID: assetID, Status: st})
}

func TestCompare(t *testing.T) {
	t.Parallel()
	old := summarySnapshot(t)
	old.Profile.IncludeProposed = false
	if got := Compare(old, revision(old)); len(got) != 0 {
		t.Fatalf("an unchanged revision with new asset IDs differs: %v", changeLines(got))
	}
	n := revision(old)
	setStatus(n, "308a5-mal-01", "", Implemented)          // partial → implemented
	setStatus(n, "312d-auth-01", "ehr-2", Partial)         // not implemented → partial
	setStatus(n, "308a1-ra-01", "", NotImplemented)        // implemented → not implemented
	setStatus(n, "312a2iv-enc-01", "ehr-2", NotApplicable) // implemented → N/A
	setStatus(n, "308a1-p2-01", "", Partial)               // unanswered → partial
	n.Profile.Part2Program = true                          // the program stays
	n.Assets[1].Part2 = false                              // Part 2 records moved off the backups…
	n.Assets[2].InScope = true                             // …mail comes into scope
	n.Assets[3].Name = "Warehouse"                         // renamed: a different asset to Compare
	setStatus(n, "312d-auth-01", "mail-2", NotImplemented) // answered on the newly scoped asset
	setStatus(n, "312a2iv-enc-01", "db-2", Implemented)    // was flagged, but under the old name
	got := changeLines(Compare(old, n))
	want := []string{
		"regressed 308a1-ra-01@ implemented→not-implemented",
		"improved 308a5-mal-01@ partial→implemented",
		"improved 312d-auth-01@Cloud EHR not-implemented→partial",
		"appeared 312d-auth-01@Mail →not-implemented",
		"changed 312a2iv-enc-01@Cloud EHR implemented→not-applicable",
		"appeared 312a2iv-enc-01@Warehouse →implemented",
		"changed 308a1-p2-01@ →partial",
		"disappeared 312a2iv-enc-01@Data store flagged→",
		"disappeared 312a2iv-p2-01@Backups implemented→",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Compare =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if !slices.Equal(changeLines(Compare(old, n)), got) {
		t.Error("Compare is not deterministic")
	}
}

// TestCompareKindsByRank checks every pair of statuses: rising along not implemented <
// partial < implemented is an improvement, falling a regression, anything touching N/A,
// flagged or unanswered a plain change, and equal statuses no change. Reversing the two
// revisions swaps improved and regressed.
func TestCompareKindsByRank(t *testing.T) {
	t.Parallel()
	statuses := []ResponseStatus{"", NotImplemented, Partial, Implemented, NotApplicable, Flagged}
	rank := map[ResponseStatus]int{NotImplemented: 1, Partial: 2, Implemented: 3}
	base := summarySnapshot(t)
	for _, from := range statuses {
		for _, to := range statuses {
			a, b := revision(base), revision(base)
			a.Responses, b.Responses = nil, nil
			if from != "" {
				setStatus(a, "308a1-ra-01", "", from)
			}
			if to != "" {
				setStatus(b, "308a1-ra-01", "", to)
			}
			cs := Compare(a, b)
			want := ""
			switch {
			case from == to:
			case rank[from] > 0 && rank[to] > 0 && rank[to] > rank[from]:
				want = ChangeImproved
			case rank[from] > 0 && rank[to] > 0:
				want = ChangeRegressed
			default:
				want = ChangeChanged
			}
			if (want == "") != (len(cs) == 0) || (want != "" && (len(cs) != 1 || cs[0].Kind != want || cs[0].From != from || cs[0].To != to)) {
				t.Errorf("%q → %q: %v, want %q", from, to, changeLines(cs), want)
			}
			back := Compare(b, a)
			if want == ChangeImproved && (len(back) != 1 || back[0].Kind != ChangeRegressed) {
				t.Errorf("%q → %q reversed is not a regression: %v", from, to, changeLines(back))
			}
		}
	}
}

func TestCompareSameNameAssets(t *testing.T) {
	t.Parallel()
	old := summarySnapshot(t)
	old.Profile.IncludeProposed = false
	old.Assets[3].Name = old.Assets[0].Name // two assets called "Cloud EHR"
	n := revision(old)
	setStatus(n, "312a2iv-enc-01", "db-2", Partial)
	got := changeLines(Compare(old, n))
	want := []string{"changed 312a2iv-enc-01@Cloud EHR flagged→partial"}
	if !slices.Equal(got, want) {
		t.Errorf("Compare = %v, want %v", got, want)
	}
	if Compare(nil, nil) != nil {
		t.Error("Compare of nothing should be empty")
	}
}
