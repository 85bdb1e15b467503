package assessment_test

import (
	"slices"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
)

// setAnswer sets (or, with status "", removes) the organization answer to q in d.
func setAnswer(d *assessment.Document, q string, st assessment.ResponseStatus, note, by string) {
	for i, r := range d.Responses {
		if r.QuestionID == q && r.AssetID == "" {
			if st == "" {
				d.Responses = slices.Delete(d.Responses, i, i+1)
				return
			}
			d.Responses[i].Status, d.Responses[i].Note, d.Responses[i].By = st, note, by
			return
		}
	}
	if st != "" {
		d.Responses = append(d.Responses, assessment.Response{QuestionID: q, Status: st, Note: note, By: by, At: time.Now()})
	}
}

func clone(d *assessment.Document) *assessment.Document {
	c := *d
	c.Responses = slices.Clone(d.Responses)
	c.Risks = slices.Clone(d.Risks)
	return &c
}

// TestMergeRules checks the three-way rules record by record.
func TestMergeRules(t *testing.T) {
	base := assessmenttest.DemoDocument(t)
	var qs []string
	for _, r := range base.Responses {
		if r.AssetID == "" && r.Status == assessment.Implemented {
			qs = append(qs, r.QuestionID)
		}
	}
	if len(qs) < 7 {
		t.Fatalf("the demo has %d implemented organization answers; the test needs 7", len(qs))
	}
	hashes := assessment.RecordHashes(base)
	mine, theirs := clone(base), clone(base)
	setAnswer(theirs, qs[0], assessment.Partial, "theirs only", "B")               // theirs only: taken
	setAnswer(mine, qs[1], assessment.Partial, "mine only", "A")                   // mine only: kept
	setAnswer(mine, qs[2], assessment.Partial, "both", "A")                        // both, differently: conflict
	setAnswer(theirs, qs[2], assessment.NotImplemented, "both", "B")               //
	setAnswer(mine, qs[3], assessment.Partial, "same", "A")                        // both, the same: nothing
	setAnswer(theirs, qs[3], assessment.Partial, "same", "B")                      // (authors differ)
	setAnswer(theirs, qs[4], "", "", "")                                           // removed there only: taken
	setAnswer(mine, qs[5], "", "", "")                                             // removed here only: kept
	setAnswer(mine, qs[6], "", "", "")                                             // removed here, changed there:
	setAnswer(theirs, qs[6], assessment.Flagged, "check", "B")                     // conflict
	setAnswer(theirs, "308a1iia-ra-99-new", assessment.Implemented, "x", "B")      // added there only: taken (unknown ID is fine here)
	setAnswer(mine, "308a1iia-ra-98-new", assessment.Implemented, "mine", "A")     // added on both sides
	setAnswer(theirs, "308a1iia-ra-98-new", assessment.Implemented, "theirs", "B") // differently: conflict

	p := assessment.PlanMerge(hashes, mine, theirs)
	took := map[string]bool{}
	for _, c := range p.Take {
		took[c.Key.ID] = true
	}
	conflict := map[string]string{}
	for _, c := range p.Conflicts {
		conflict[c.Key.ID] = c.Ref
	}
	want := map[string]string{
		qs[0] + "/": "take", qs[1] + "/": "keep", qs[2] + "/": "conflict", qs[3] + "/": "none", qs[4] + "/": "take",
		qs[5] + "/": "keep", qs[6] + "/": "conflict", "308a1iia-ra-99-new/": "take", "308a1iia-ra-98-new/": "conflict",
	}
	for id, w := range want {
		got := "keep or none"
		switch {
		case took[id]:
			got = "take"
		case conflict[id] != "":
			got = "conflict"
		}
		if (w == "keep" || w == "none") && got != "keep or none" || (w == "take" || w == "conflict") && got != w {
			t.Errorf("%s: %s, want %s", id, got, w)
		}
	}
	if p.Kept != 2 || len(p.Take) != 3 || len(p.Conflicts) != 3 {
		t.Errorf("kept %d, take %d, conflicts %d; want 2, 3, 3", p.Kept, len(p.Take), len(p.Conflicts))
	}
	for i, c := range p.Conflicts {
		if c.Ref != "C"+string(rune('1'+i)) {
			t.Errorf("conflict %d is numbered %s", i, c.Ref)
		}
	}
	// The removal taken from theirs carries no record of theirs.
	for _, c := range p.Take {
		if c.Key.ID == qs[4]+"/" && c.Theirs != nil {
			t.Errorf("a removal carries %v", c.Theirs)
		}
	}
	// Merging theirs in and planning again against the new base changes nothing.
	again := assessment.PlanMerge(assessment.RecordHashes(theirs), theirs, theirs)
	if len(again.Take)+len(again.Conflicts)+again.Kept != 0 {
		t.Errorf("an identical side plans %+v", again)
	}
}
