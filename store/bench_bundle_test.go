package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
)

// Budget (issue 17): merging two assessors' bundles of the large assessment ≤ 2 s: read
// and check the bundle, compare both sides with the base, apply the merge in one
// transaction. Each side changed 200 answers since the base, 50 of them the same items
// (conflicts, kept as here).
func BenchmarkBundleMerge(b *testing.B) {
	dir := b.TempDir()
	open := func(path, actor string) *Store {
		s, err := Open(path, Options{Actor: actor})
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	aPath := filepath.Join(dir, "a.db")
	a := open(aPath, "Alex")
	id, err := a.Import(ctx, assessmenttest.LargeDocument(b, 1), ImportOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	m, err := a.ExportBundle(ctx, id, "b1.sgb", nil, &buf)
	if err != nil {
		b.Fatal(err)
	}
	if err := a.RecordBundleExport(ctx, m, "b1.sgb"); err != nil {
		b.Fatal(err)
	}
	cat := catalog(b)
	bun, err := ReadBundle(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "b1.sgb", cat)
	if err != nil {
		b.Fatal(err)
	}
	bs := open(filepath.Join(dir, "b.db"), "Jordan")
	if _, err := bs.ImportBundle(ctx, bun); err != nil {
		b.Fatal(err)
	}
	snap, err := a.Snapshot(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	var orgItems []assessment.Response
	for _, it := range assessment.Analyze(snap).Items {
		if r := it.Response; r != nil && r.Status == assessment.Implemented && r.Decision == assessment.DecisionNone && !r.Revalidate {
			orgItems = append(orgItems, *r)
		}
	}
	if len(orgItems) < 350 {
		b.Fatalf("only %d answers to change", len(orgItems))
	}
	change := func(s *Store, rs []assessment.Response, note string) {
		for _, r := range rs {
			r.Status, r.Note, r.Version = assessment.Flagged, note, AnyVersion
			if _, err := s.SaveResponse(ctx, id, r); err != nil {
				b.Fatal(err)
			}
		}
	}
	change(bs, orgItems[:200], "Jordan's review")
	change(a, orgItems[150:350], "Alex's review")
	buf.Reset()
	if _, err := bs.ExportBundle(ctx, id, "b2.sgb", nil, &buf); err != nil {
		b.Fatal(err)
	}
	bs.Close()
	a.Close()
	b2 := buf.Bytes()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := filepath.Join(dir, fmt.Sprintf("a%d.db", i))
		data, err := os.ReadFile(aPath)
		if err != nil {
			b.Fatal(err)
		}
		os.WriteFile(path, data, 0o600)
		s := open(path, "Alex")
		b.StartTimer()
		bun, err := ReadBundle(bytes.NewReader(b2), int64(len(b2)), "b2.sgb", cat)
		if err != nil {
			b.Fatal(err)
		}
		p, err := s.PreviewMerge(ctx, id, bun)
		if err != nil {
			b.Fatal(err)
		}
		res, err := s.ApplyMerge(ctx, id, bun, p, nil)
		if err != nil {
			b.Fatal(err)
		}
		if res.Taken < 150 || res.Mine != 50 {
			b.Fatalf("merge took %d and kept %d conflicts; want at least 150 and 50", res.Taken, res.Mine)
		}
		b.StopTimer()
		s.Close()
		os.Remove(path)
		b.StartTimer()
	}
}
