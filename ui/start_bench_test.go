package ui

import (
	"path/filepath"
	"testing"

	tea "charm.land/bubbletea/v2"

	"safeguard/assessment/assessmenttest"
	"safeguard/store"
	"safeguard/ui/uitest"
)

// BenchmarkStartToFirstFrame opens a workspace holding the demo assessment, builds the
// app, runs its start-up commands and renders the first frame: what a user waits for after
// typing `safeguard`. The catalog is decoded once per process (see controls
// BenchmarkLoadCatalog, about 6 ms, to add to this figure). Budget: ≤ 200 ms.
func BenchmarkStartToFirstFrame(b *testing.B) {
	cat := uitest.Catalog(b)
	path := filepath.Join(b.TempDir(), "ws.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Import(uitest.Ctx, assessmenttest.DemoDocument(b), store.ImportOptions{NewIDs: true}); err != nil {
		b.Fatal(err)
	}
	s.Close()
	b.ResetTimer()
	for b.Loop() {
		s, err := store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		a := newApp(uitest.Ctx, Options{Store: s, Catalog: cat})
		a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		drive(a, a.top().Init())
		if v := a.View(); v.Content == "" {
			b.Fatal("empty first frame")
		}
		s.Close()
	}
}
