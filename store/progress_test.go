package store

import (
	"context"
	"testing"
	"time"

	"safeguard/assessment"
)

// TestAnswersSnapshotGivesTheSameCompletion: the light snapshot the home screen reads
// holds everything completion depends on, so its analysis answers the same figure as the
// full snapshot's, and it reads no risks, evidence or audit trail.
func TestAnswersSnapshotGivesTheSameCompletion(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	id, err := s.Import(ctx, assessment.Demo(catalog(t), now), ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	full, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	light, err := s.AnswersSnapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(light.Risks) != 0 || len(light.Evidence) != 0 || light.Audit.Entries != 0 || light.SignOff != nil {
		t.Fatal("the answers snapshot read more than answers and inventory")
	}
	if len(light.Responses) != len(full.Responses) || len(light.Assets) != len(full.Assets) || light.Profile.EntityType != full.Profile.EntityType {
		t.Fatal("the answers snapshot lacks answers, assets or the profile")
	}
	full.GeneratedAt, light.GeneratedAt = now, now
	a, b := assessment.Analyze(full).Summary.Overall, assessment.Analyze(light).Summary.Overall
	if a.Completion() != b.Completion() || a.Applicable != b.Applicable || a.Answered() != b.Answered() {
		t.Fatalf("completion differs: full %+v, light %+v", a, b)
	}
	if _, err := s.AnswersSnapshot(ctx, "no-such-id"); err == nil {
		t.Fatal("an unknown ID gave a snapshot")
	}
}
