package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"safeguard/store"
)

// TestPeopleCommands: people add, list and remove; once the workspace lists people, a
// change needs --actor naming one of them, the answer carries that name, and a name
// outside the list is refused with exit 2 and one sentence.
func TestPeopleCommands(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "ws.db")
	out, errOut, code := cli(t, "--db", db, "--actor", "setup", "new", "--org", "Maple Family Practice", "--title", "2026 risk analysis")
	if code != 0 {
		t.Fatalf("new: %d %s", code, errOut)
	}
	id := strings.TrimSpace(out)
	if out, errOut, code = cli(t, "--db", db, "people", "list"); code != 0 || !strings.Contains(out, "No people recorded") {
		t.Fatalf("people list on a workspace without people: %d %q %q", code, out, errOut)
	}
	// The first person is added by whoever works without a list; the next one by a person
	// of the list.
	for _, p := range [][]string{{"setup", "Dana Reyes", "Security official"}, {"Dana Reyes", "Lee Park", "Office manager"}} {
		if _, errOut, code := cli(t, "--db", db, "--actor", p[0], "people", "add", p[1], "--role", p[2]); code != 0 {
			t.Fatalf("people add %s: %d %s", p[1], code, errOut)
		}
	}
	out, _, code = cli(t, "--db", db, "people", "list", "--json")
	var people []store.Person
	if code != 0 || json.Unmarshal([]byte(out), &people) != nil || len(people) != 2 || people[0].Name != "Dana Reyes" {
		t.Fatalf("people list --json: %d %s", code, out)
	}

	// Someone outside the list cannot answer.
	_, errOut, code = cli(t, "--db", db, "--actor", "root", "answer", id, "308a1iia-ra-01", "implemented")
	if code != 2 || !strings.Contains(errOut, "Dana Reyes, Lee Park") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Fatalf("an actor outside the list: code %d, stderr %q", code, errOut)
	}
	if _, errOut, code = cli(t, "--db", db, "--actor", "lee park", "answer", id, "308a1iia-ra-01", "implemented"); code != 0 {
		t.Fatalf("answer as Lee Park: %d %s", code, errOut)
	}
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(t.Context(), id)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if r := snap.Responses; len(r) != 1 || r[0].By != "Lee Park" {
		t.Fatalf("the answer names %+v, want Lee Park as recorded", r)
	}

	if out, errOut, code = cli(t, "--db", db, "--actor", "Dana Reyes", "people", "remove", "Lee Park"); code != 0 || !strings.Contains(out, "keeps their name") {
		t.Fatalf("people remove: %d %q %q", code, out, errOut)
	}
	if _, errOut, code = cli(t, "--db", db, "--actor", "Lee Park", "answer", id, "308a1iia-ra-01", "partial"); code != 2 {
		t.Fatalf("a removed person could still answer: %d %s", code, errOut)
	}
	if out, errOut, code = cli(t, "--db", db, "verify"); code != 0 {
		t.Fatalf("verify: %d %s %s", code, out, errOut)
	}
}
