package assessment

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"safeguard/controls"
)

// FuzzParseDocument feeds arbitrary bytes to the JSON import parser (issue 8). It must
// return a document or a one-sentence error, never panic; a document it accepts must pass
// Check and survive a second trip through JSON.
//
// Seeds: testdata/fuzz/FuzzParseDocument (a real `safeguard export` of the demo, and
// damaged variants), plus the demo document built here.
//
//	go test ./assessment -run XXX -fuzz '^FuzzParseDocument$' -fuzztime 20s
func FuzzParseDocument(f *testing.F) {
	cat, err := controls.Default()
	if err != nil {
		f.Fatal(err)
	}
	demo, err := json.Marshal(Demo(cat, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(demo)
	f.Add(demo[:len(demo)/2])
	withIncident := Demo(cat, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	withIncident.Incidents = []Incident{{ID: "i1", Title: "Stolen laptop", Discovered: "2026-02-20", DiscoveredBy: DiscoveredByPractice,
		Individuals: 3, States: []StateCount{{State: "OH", Count: 3}}, Delays: []LawEnforcementDelay{{Kind: DelayOral, Stated: "2026-02-21", Official: "x"}},
		Notices:    []Notice{{To: ToIndividuals, Date: "2026-02-25", By: "x", Substitute: &Substitute{Count: 2, By: "phone"}}},
		Conclusion: &Conclusion{Outcome: OutcomeBreach, Rationale: "r", By: "x", On: "2026-02-22"}}}
	if b, err := json.Marshal(withIncident); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"format":"safeguard-assessment","version":1,"assessment":{"title":"T","organization":"O"},"profile":{"matrix":"nist-5x5"}}`))
	f.Add([]byte(`{"format":"safeguard-assessment","version":2}`))
	f.Add([]byte(`{"format":"safeguard-assessment","version":1,"assets":[{"id":"a","name":"x","kind":"ehr","hosting":"saas","records":-1}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseDocument(bytes.NewReader(data), cat)
		if err != nil {
			if doc != nil {
				t.Fatalf("error %q with a document", err)
			}
			oneSentence(t, err)
			return
		}
		if doc == nil {
			t.Fatal("no document and no error")
		}
		if err := doc.Check(cat); err != nil {
			t.Fatalf("accepted a document that fails Check: %v", err)
		}
		again, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("an accepted document does not encode: %v", err)
		}
		if _, err := ParseDocument(bytes.NewReader(again), cat); err != nil {
			t.Fatalf("an accepted document, encoded again, is refused: %v", err)
		}
	})
}

// oneSentence checks an error is what the CLI can print after "safeguard: ": not empty,
// one line.
func oneSentence(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if strings.TrimSpace(msg) == "" || strings.ContainsAny(msg, "\n\r") {
		t.Fatalf("error is not one line: %q", msg)
	}
}
