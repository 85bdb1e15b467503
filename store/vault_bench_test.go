package store

import (
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// benchIngest adds a distinct 64 MiB file per iteration and reports MB/s (b.SetBytes).
// The time includes reading, hashing, sealing (encrypted), writing, the commit's fsync
// and the checkpoint that moves the write-ahead log into the workspace file.
func benchIngest(b *testing.B, encrypted bool) {
	const size = 64 << 20
	s, err := Open(filepath.Join(b.TempDir(), "ws.db"), Options{Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	a, err := s.CreateAssessment(ctx, NewAssessment{Title: "t", Organization: "o", CatalogVersion: "v"})
	if err != nil {
		b.Fatal(err)
	}
	if encrypted {
		if err := s.EncryptWorkspace(ctx, []byte(testPass), nil); err != nil {
			b.Fatal(err)
		}
	}
	path := filepath.Join(b.TempDir(), "evidence.bin")
	if err := os.WriteFile(path, randomBytes(size, 42), 0o600); err != nil {
		b.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		var tag [8]byte // make every iteration's content distinct, so nothing is de-duplicated
		binary.BigEndian.PutUint64(tag[:], uint64(i))
		if _, err := f.WriteAt(tag[:], 0); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		e, err := s.AddEvidenceFile(ctx, a.ID, path, EvidenceMeta{}, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := s.RemoveEvidence(ctx, a.ID, e.ID); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkEvidenceIngestPlain budget (issue 7): at least 100 MB/s.
func BenchmarkEvidenceIngestPlain(b *testing.B) { benchIngest(b, false) }

// BenchmarkEvidenceIngestEncrypted budget (issue 7): at least 50 MB/s.
func BenchmarkEvidenceIngestEncrypted(b *testing.B) { benchIngest(b, true) }

// BenchmarkCompact measures `evidence compact` (Compact, opening and closing included) of a workspace holding
// 96 MiB of evidence after a third of it was removed, against the floor the help text
// promises: copying the workspace file once and syncing the copy. Each round builds the
// workspace afresh, copies it (floor) and compacts it, alternately, and the ratio is the
// median of the rounds' ratios. Budget (issue 18): ≤ 1.5×.
func BenchmarkCompact(b *testing.B) {
	const size, files = 16 << 20, 6
	var ratios, compactMS, copyMS []float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		path := filepath.Join(dir, "ws.db")
		s, err := Open(path, Options{Actor: "bench", StateDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		a, err := s.CreateAssessment(ctx, NewAssessment{Title: "t", Organization: "o", CatalogVersion: "v"})
		if err != nil {
			b.Fatal(err)
		}
		var ids []string
		for f := range files {
			file := filepath.Join(dir, "evidence.bin")
			if err := os.WriteFile(file, randomBytes(size, uint64(100*i+f)), 0o600); err != nil {
				b.Fatal(err)
			}
			e, err := s.AddEvidenceFile(ctx, a.ID, file, EvidenceMeta{}, nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			ids = append(ids, e.ID)
		}
		for _, id := range ids[:files/3] {
			if err := s.RemoveEvidence(ctx, a.ID, id); err != nil {
				b.Fatal(err)
			}
		}
		s.checkpoint(ctx)
		s.Close()
		start := time.Now()
		copyFile(b, path, path+".copy")
		floor := time.Since(start)
		os.Remove(path + ".copy")
		b.StartTimer()
		start = time.Now()
		if _, err := Compact(ctx, path, Options{Actor: "bench", StateDir: b.TempDir()}); err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		b.StopTimer()
		ratios = append(ratios, took.Seconds()/floor.Seconds())
		compactMS = append(compactMS, float64(took.Milliseconds()))
		copyMS = append(copyMS, float64(floor.Milliseconds()))
		b.StartTimer()
	}
	med := func(xs []float64) float64 { slices.Sort(xs); return xs[len(xs)/2] }
	b.ReportMetric(med(ratios), "compact-x")
	b.ReportMetric(med(compactMS), "compact-ms")
	b.ReportMetric(med(copyMS), "copy-ms")
}

// copyFile copies src to dst and syncs dst: the floor of any rewrite of a workspace.
func copyFile(b *testing.B, src, dst string) {
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Sync(); err != nil {
		b.Fatal(err)
	}
}
