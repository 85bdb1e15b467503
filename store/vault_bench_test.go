package store

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
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
