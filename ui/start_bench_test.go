package ui

import (
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
)

// BenchmarkStartToFirstFrame opens a workspace holding the demo assessment, builds the
// app, runs its start-up commands and renders the first frame: what a user waits for after
// typing `safeguard`. The catalog is decoded once per process (see controls
// BenchmarkLoadCatalog, about 6 ms, to add to this figure). Budget (issue 5): ≤ 200 ms.
func BenchmarkStartToFirstFrame(b *testing.B) {
	cat, err := controls.Default()
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "ws.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Import(testCtx, assessment.Demo(cat, time.Now()), store.ImportOptions{NewIDs: true}); err != nil {
		b.Fatal(err)
	}
	s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		a := newApp(testCtx, Options{Store: s, Catalog: cat})
		a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		drive(a, a.top().Init())
		if v := a.View(); v.Content == "" {
			b.Fatal("empty first frame")
		}
		s.Close()
	}
}
