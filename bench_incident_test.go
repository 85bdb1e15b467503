package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
)

// Budget (issue 16): `safeguard incident list` of an assessment with 1,000 incidents
// ≤ 50 ms, the whole command: open the workspace, resolve the ID, load, derive every
// clock, print.
func BenchmarkIncidentList(b *testing.B) {
	db, id := thousandIncidents(b)
	args := []string{"--db", db, "incident", "list", id}
	cpu0 := cpuTime()
	for b.Loop() {
		var out bytes.Buffer
		if code := run(context.Background(), args, strings.NewReader(""), &out, io.Discard); code != 0 || out.Len() == 0 {
			b.Fatalf("incident list: exit %d", code)
		}
	}
	// CPU time per list, which a busy machine does not inflate the way it does wall time.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/float64(time.Millisecond), "cpu-ms")
}

// thousandIncidents is a workspace holding the demo with 1,000 incidents of every kind:
// open and concluded, with states, notices, delays and an affected asset.
func thousandIncidents(b *testing.B) (string, string) {
	b.Helper()
	cat, err := controls.Default()
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	doc := assessment.Demo(cat, now)
	snap := assessment.SnapshotOf(doc, cat)
	asset, _ := assessment.CaptureAsset(snap, doc.Assets[0].ID, "2026-01-01")
	for i := 0; i < 1000; i++ {
		day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%300)
		inc := assessment.Incident{ID: fmt.Sprintf("%08d-0000-4000-8000-000000000000", i), Title: fmt.Sprintf("Incident %d", i),
			Discovered: assessment.ISODate(day), DiscoveredBy: assessment.DiscoveredByPractice, Type: "hacking",
			Individuals: 100 + i, States: []assessment.StateCount{{State: "OH", Count: 60 + i}, {State: "KY", Count: 40}},
			Data: []string{"name", "dob"}, Assets: []assessment.IncidentAsset{asset}}
		if i%2 == 0 {
			on := assessment.ISODate(day.AddDate(0, 0, 5))
			inc.Conclusion = &assessment.Conclusion{Outcome: assessment.OutcomeBreach, Rationale: "Presumed.", By: "Dana", On: on}
			inc.Notices = []assessment.Notice{{To: assessment.ToIndividuals, Date: on, By: "Dana"}}
			inc.Delays = []assessment.LawEnforcementDelay{{Kind: assessment.DelayOral, Stated: on, Official: "Det. Ortiz"}}
		}
		doc.Incidents = append(doc.Incidents, inc)
	}
	db := filepath.Join(b.TempDir(), "ws.db")
	s, err := store.Open(db, store.Options{Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	id, err := s.Import(context.Background(), doc, store.ImportOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return db, id
}
