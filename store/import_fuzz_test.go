package store

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
	"safeguard/controls"
)

// FuzzImport goes one step past FuzzParseDocument (issue 8): whatever the parser accepts
// is imported into a workspace. Import must store it or refuse it with one sentence (it
// checks what the parser cannot: evidence, links, the catalog version), never panic, and
// the workspace must verify afterwards either way: an import is all or nothing.
//
//	go test ./store -run XXX -fuzz '^FuzzImport$' -fuzztime 20s
func FuzzImport(f *testing.F) {
	cat, err := controls.Default()
	if err != nil {
		f.Fatal(err)
	}
	demo, err := json.Marshal(assessmenttest.DemoDocument(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(demo)
	f.Add([]byte(`{"format":"safeguard-assessment","version":1,"assessment":{"title":"T","organization":"O"},"profile":{"entity_type":"provider","matrix":"nist-5x5"}}`))
	f.Add([]byte(`{"format":"safeguard-assessment","version":1,"assessment":{"title":"T","organization":"O"},"profile":{"matrix":"nist-5x5"},` +
		`"evidence":[{"id":"e","name":"n","is_note":true,"note_text":"x","links":[{"question_id":"nope"}]}]}`))
	s, err := Open(filepath.Join(f.TempDir(), "fuzz.db"), Options{Actor: "fuzz"})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := assessment.ParseDocument(bytes.NewReader(data), cat)
		if err != nil {
			return // FuzzParseDocument covers refusals by the parser
		}
		before := auditEntries(t, s)
		if _, err := s.Import(ctx, doc, ImportOptions{}); err != nil {
			fuzzOneSentence(t, err)
			if after := auditEntries(t, s); after != before {
				t.Fatalf("a refused import wrote %d audit entries", after-before)
			}
		}
		res, err := s.Verify(ctx)
		if err != nil || !res.OK() {
			t.Fatalf("the workspace does not verify after the import: %v %q", err, res.Problems)
		}
	})
}

func auditEntries(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM audit_log").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
