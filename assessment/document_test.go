package assessment

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestParseDocumentRefusesWhatItWouldGuessAt: the import parser takes exactly what an
// export wrote. A BOM is fine; invalid UTF-8, a key given twice, an unknown key, a
// missing assessment ID and an item answered twice are refused with a sentence.
func TestParseDocumentRefusesWhatItWouldGuessAt(t *testing.T) {
	cat, doc := demoDoc(t, time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC))
	good, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseDocument(bytes.NewReader(append([]byte("\xef\xbb\xbf"), good...)), cat); err != nil {
		t.Fatalf("a UTF-8 byte order mark is refused: %v", err)
	}
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		json.Unmarshal(good, &m)
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	dupResponses := edit(func(m map[string]any) {
		rs := m["responses"].([]any)
		m["responses"] = append(rs, rs[0])
	})
	noID := edit(func(m map[string]any) { m["assessment"].(map[string]any)["id"] = "" })
	unknown := edit(func(m map[string]any) { m["assessment"].(map[string]any)["approved"] = true })
	invalid := bytes.Replace(good, []byte(doc.Assessment.Organization), []byte("Riverbend \xff\xfe"), 1)
	dupKey := bytes.Replace(good, []byte(`"format":`), []byte(`"title":"a","title":"b","format":`), 1)
	// A key repeated inside a nested object: two notes for one answer.
	dupNested := bytes.Replace(good, []byte(`"status":"implemented"`), []byte(`"status":"implemented","status":"not-implemented"`), 1)
	cases := map[string]struct {
		data []byte
		want string
	}{
		"two answers to one item": {dupResponses, "twice"},
		"no assessment ID":        {noID, "no ID"},
		"unknown key":             {unknown, "approved"},
		"invalid UTF-8":           {invalid, "not valid UTF-8"},
		"repeated key":            {dupKey, `key "title" twice`},
		"repeated nested key":     {dupNested, `key "status" twice`},
		"two documents":           {append(append([]byte{}, good...), good...), "not valid JSON"},
	}
	for name, c := range cases {
		_, err := ParseDocument(bytes.NewReader(c.data), cat)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", name, err, c.want)
			continue
		}
		if strings.Count(err.Error(), "\n") > 0 {
			t.Errorf("%s: not one sentence: %q", name, err)
		}
	}
}

// TestDigestSurvivesARoundTrip: what an export signs can be checked after parsing.
func TestDigestSurvivesARoundTrip(t *testing.T) {
	cat, doc := demoDoc(t, time.Date(2027, 1, 3, 8, 0, 0, 0, time.FixedZone("EST", -5*3600)))
	d1, err := doc.Digest()
	if err != nil {
		t.Fatal(err)
	}
	doc.Integrity = &Seal{Workspace: "w", Seq: 7, Head: strings.Repeat("a", 64), SHA256: d1}
	data, _ := json.MarshalIndent(doc, "", "  ")
	back, err := ParseDocument(bytes.NewReader(data), cat)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := back.Digest()
	if err != nil || d2 != d1 {
		t.Fatalf("digest changed in a round trip: %s -> %s (%v)", d1, d2, err)
	}
	back.Responses[0].Note += "!"
	if d3, _ := back.Digest(); d3 == d1 {
		t.Fatal("an edited document has the same digest")
	}
}
