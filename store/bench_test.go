package store

import (
	"fmt"
	"testing"
)

// BenchmarkAuditedWrite is one committed mutation with its audit entry.
// Budget (issue 2): at most 2x BenchmarkBareWrite.
func BenchmarkAuditedWrite(b *testing.B) {
	path := b.TempDir() + "/ws.db"
	s, err := Open(path, Options{Actor: "bench"})
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
