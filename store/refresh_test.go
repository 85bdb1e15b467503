package store

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
	"safeguard/controls"
)

// TestRefreshEqualsAWholeLoad: after random saves (answers, gap answers that propose and
// withdraw risks, cleared answers, owner overrides, risk edits), the refreshed snapshot is
// exactly what a whole load gives; a change outside what Refresh patches loads it whole.
func TestRefreshEqualsAWholeLoad(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	id, err := s.Import(ctx, assessmenttest.DemoDocument(t), ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	same, full, err := s.Refresh(ctx, snap)
	if err != nil || full || same != snap {
		t.Fatalf("an unchanged snapshot was not returned as it is: full %v, %v", full, err)
	}
	rng := rand.New(rand.NewPCG(7, 18))
	items := snap.Items()
	statuses := []assessment.ResponseStatus{assessment.Implemented, assessment.Partial, assessment.NotImplemented, assessment.Flagged}
	patched := 0
	for round := range 60 {
		it := items[rng.IntN(len(items))]
		k := it.Key()
		var what string
		switch n := rng.IntN(10); {
		case n < 6:
			what = "answer"
			r := assessment.Response{QuestionID: k.QuestionID, AssetID: k.AssetID, Status: statuses[rng.IntN(len(statuses))],
				Note: fmt.Sprintf("round %d", round), Version: AnyVersion}
			s.SaveResponse(ctx, id, r) // a refusal (consistency rules) changes nothing, which Refresh must also see
		case n < 7:
			what = "clear"
			s.ClearResponse(ctx, id, k.QuestionID, k.AssetID, AnyVersion)
		case n < 8:
			what = "override"
			s.SetOverride(ctx, id, assessment.Override{QuestionID: k.QuestionID, AssetID: k.AssetID, Owner: controls.OwnerShared,
				Reason: "Split with the provider", Version: AnyVersion})
		default:
			what = "risk"
			cur, _ := s.Snapshot(ctx, id)
			if len(cur.Risks) > 0 {
				r := cur.Risks[rng.IntN(len(cur.Risks))]
				r.Title = fmt.Sprintf("Risk edited in round %d", round)
				r.Version = AnyVersion
				s.SaveRisk(ctx, id, r)
			}
		}
		got, full, err := s.Refresh(ctx, snap)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.Snapshot(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d (%s): the refreshed snapshot differs from a whole load (full %v)", round, what, full)
		}
		if !full {
			patched++
		}
		snap = got
	}
	if patched < 40 {
		t.Fatalf("only %d of 60 refreshes patched the snapshot; the rest loaded it whole", patched)
	}
	// An inventory change loads the whole snapshot.
	if err := s.RenameAssessment(ctx, id, "Renamed"); err != nil {
		t.Fatal(err)
	}
	got, full, err := s.Refresh(ctx, snap)
	if err != nil || !full || got.Assessment.Title != "Renamed" {
		t.Fatalf("after a rename: full %v, title %q, %v", full, got.Assessment.Title, err)
	}
}
