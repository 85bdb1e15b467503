package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
	"safeguard/store"
)

// largeWorkspace is a workspace holding the large assessment.
func largeWorkspace(b *testing.B) (*store.Store, string) {
	b.Helper()
	s, err := store.Open(filepath.Join(b.TempDir(), "ws.db"), store.Options{Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	id, err := s.Import(context.Background(), assessmenttest.LargeDocument(b, 1), store.ImportOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return s, id
}

// packet600 makes a packet of the first 600 items of the large assessment (of those with
// no §164.306(d)(3) decision when plain, so that any status returned is valid).
func packet600(b *testing.B, s *store.Store, id string, plain bool) *assessment.Packet {
	b.Helper()
	ctx := context.Background()
	a, err := analyze(ctx, s, id)
	if err != nil {
		b.Fatal(err)
	}
	p, err := s.NewPacket(ctx, a, assessment.PacketFilter{}, "Dana Reyes, office manager", "2026-12-31")
	if err != nil {
		b.Fatal(err)
	}
	if plain {
		var items []assessment.PacketItem
		var pre []assessment.PacketAnswer
		for i, it := range p.Items {
			if v, ok := a.Item(it.Key()); ok && (v.Response == nil || v.Response.Decision == assessment.DecisionNone) {
				it.Row = len(items) + 2
				items, pre = append(items, it), append(pre, p.Prefill[i])
			}
		}
		p.Items, p.Prefill = items, pre
	}
	if len(p.Items) < 600 {
		b.Fatalf("the large assessment has %d items, want 600", len(p.Items))
	}
	p.Items, p.Prefill = p.Items[:600], p.Prefill[:600]
	return p
}

// Budget (issue 17): a packet of 600 items exports in ≤ 1 s: choose the items, write the
// protected workbook, record the packet.
func BenchmarkPacketExport600(b *testing.B) {
	s, id := largeWorkspace(b)
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		p := packet600(b, s, id, false)
		i++
		if err := writePacket(context.Background(), io.Discard, s, p, filepath.Join(dir, fmt.Sprintf("p%d.xlsx", i)), false); err != nil {
			b.Fatal(err)
		}
	}
}

// Budget (issue 17): a returned packet of 600 answers imports in ≤ 2 s: read and check the
// workbook, judge every answer, apply them all in one transaction.
func BenchmarkPacketImport600(b *testing.B) {
	s, id := largeWorkspace(b)
	ctx := context.Background()
	dir := b.TempDir()
	labels := assessment.PacketStatusLabels()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p := packet600(b, s, id, true)
		out := filepath.Join(dir, fmt.Sprintf("p%d.xlsx", i))
		if err := writePacket(ctx, io.Discard, s, p, out, false); err != nil {
			b.Fatal(err)
		}
		f, err := excelize.OpenFile(out)
		if err != nil {
			b.Fatal(err)
		}
		for j, it := range p.Items {
			// Every answer changes: implemented and flagged in turn, with a note.
			f.SetCellStr("Questionnaire", fmt.Sprintf("E%d", it.Row), labels[[]int{0, 4}[(i+j)%2]])
			f.SetCellStr("Questionnaire", fmt.Sprintf("F%d", it.Row), fmt.Sprintf("Round %d: checked on site.", i))
		}
		if err := f.SaveAs(out); err != nil {
			b.Fatal(err)
		}
		f.Close()
		b.StartTimer()
		ret, err := readPacketFile(out)
		if err != nil {
			b.Fatal(err)
		}
		plan, err := s.PlanReturn(ctx, id, ret, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		n, err := s.ApplyPacket(ctx, id, ret.ID, store.PacketDecisions(plan, true))
		if err != nil {
			b.Fatal(err)
		}
		if n != 600 {
			for _, c := range plan.Changes {
				if c.Kind == assessment.PacketInvalid {
					b.Log(c.Why)
					break
				}
			}
			b.Fatalf("applied %d answers of 600 (%d invalid, %d not asked)", n, plan.Count(assessment.PacketInvalid), plan.Count(assessment.PacketNotAsked))
		}
	}
}
