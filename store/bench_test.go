package store

import (
	"fmt"
	"os"
	"testing"

	"safeguard/assessment"
)

// BenchmarkAuditedWrite is one committed mutation with its audit entry, and the update
// of the last-seen record that follows every commit. Budget (issues 2 and 12): at most 2x
// BenchmarkBareWrite.
func BenchmarkAuditedWrite(b *testing.B) {
	path := b.TempDir() + "/ws.db"
	s, err := Open(path, Options{Actor: "bench", StateDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	a, err := s.CreateAssessment(ctx, NewAssessment{Title: "t", Organization: "o", CatalogVersion: "v"})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.RenameAssessment(ctx, a.ID, fmt.Sprint("title ", i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareWrite is a plain INSERT and COMMIT on the same kind of connection (WAL,
// synchronous=FULL, foreign keys, immediate transactions), without auditing.
func BenchmarkBareWrite(b *testing.B) {
	path := b.TempDir() + "/ws.db"
	s, err := Open(path, Options{Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.db.Exec("CREATE TABLE bare (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tx, err := s.db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO bare (v) VALUES (?)", fmt.Sprint("title ", i)); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuditedAnswer saves one answer (no gap, so no risk proposals) with everything a
// save does: the applicability check, the version check, the audit entry and the
// last-seen record. Budget (issue 12): at most 2x BenchmarkBareWrite.
func BenchmarkAuditedAnswer(b *testing.B) {
	s, err := Open(b.TempDir()+"/ws.db", Options{Actor: "bench", StateDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	a, err := s.CreateAssessment(ctx, NewAssessment{Title: "t", Organization: "o", CatalogVersion: "v"})
	if err != nil {
		b.Fatal(err)
	}
	q := firstQuestion(b, required)
	r := assessment.Response{QuestionID: q.ID, Status: assessment.Implemented}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Note = fmt.Sprint("note ", i)
		res, err := s.SaveResponse(ctx, a.ID, r)
		if err != nil {
			b.Fatal(err)
		}
		_ = res
		r.Version = AnyVersion
	}
}

// BenchmarkOpenReadOnly1GB opens a workspace of 1 GB (evidence) read-only, with the
// last-seen check, and closes it. Budget (issue 12): at most 100 ms. Opening reads the
// header, the schema version and one audit entry: it does not grow with the file.
func BenchmarkOpenReadOnly1GB(b *testing.B) {
	path := b.TempDir() + "/ws.db"
	state := b.TempDir()
	s, err := Open(path, Options{Actor: "bench", StateDir: state})
	if err != nil {
		b.Fatal(err)
	}
	a, err := s.CreateAssessment(ctx, NewAssessment{Title: "t", Organization: "o", CatalogVersion: "v"})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SetEvidenceLimit(ctx, 2*GB); err != nil {
		b.Fatal(err)
	}
	big, _ := sparseFile(b, 1<<30)
	if _, err := s.AddEvidenceFile(ctx, a.ID, big, EvidenceMeta{}, nil, nil); err != nil {
		b.Fatal(err)
	}
	s.Close()
	if st, err := os.Stat(path); err != nil || st.Size() < 1<<30 {
		b.Fatalf("the workspace is not 1 GB: %v", err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Open(path, Options{ReadOnly: true, StateDir: state})
		if err != nil {
			b.Fatal(err)
		}
		if s.History() != nil {
			b.Fatal(s.History())
		}
		s.Close()
	}
}

// BenchmarkChanged is the change check the TUI makes about once a second. Budget (issue
// 12): under 1% of one core at one call a second, reported as cpu-%-at-1Hz.
func BenchmarkChanged(b *testing.B) {
	s, err := Open(b.TempDir()+"/ws.db", Options{Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CreateAssessment(ctx, NewAssessment{Title: "t", Organization: "o", CatalogVersion: "v"}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Changed(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	perCall := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perCall/1e9*100, "cpu-%-at-1Hz")
}
