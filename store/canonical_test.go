package store

import (
	"math/rand/v2"
	"testing"
)

// The hand-written encoders must write exactly what encoding/json writes, or verify would
// report every record as changed (or, worse, hash entries differently from how they were
// written).
func TestCanonicalEncodersMatchEncodingJSON(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "Z", " ", "\"", "\\", "<", ">", "&", "\n", "\r", "\t", "\b", "\f", "\x00", "\x1f", "\x7f",
		"é", "\u2028", "\u2029", "\u200b", "\ufeff", "😀", "\xff", "\xc3", "\xe2\x80", "{\"state\":1}", "</script>"}
	randString := func() string {
		n := rng.IntN(12)
		var b []byte
		for range n {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		return string(b)
	}
	var buf []byte
	for i := range 5000 {
		e := AuditEntry{Seq: rng.Int64N(1 << 40), At: randString(), Actor: randString(), Action: randString(), Entity: randString(),
			EntityID: randString(), AssessmentID: randString(), Payload: randString(), PrevHash: randString()}
		var got string
		got, buf = e.fastHash(buf)
		if want := e.computeHash(); got != want {
			t.Fatalf("entry %d %+v: fast hash %s, encoding/json %s", i, e, got, want)
		}
	}
	names := []string{"id", "b_col", "a", "note", "n", "blob", "z"}
	enc := newRowEncoder(names)
	for i := range 5000 {
		vals := []any{randString(), nil, rng.Int64N(1000) - 500, randString(), int64(i), []byte(randString()), randString()}
		if i%3 == 0 {
			vals[1] = randString()
		}
		got, ok := enc.payload(vals)
		if !ok {
			t.Fatalf("row %d: the fast encoder refused plain values", i)
		}
		want, err := canonicalPayload(stateOf(names, vals))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Fatalf("row %d: fast payload\n%s\nencoding/json\n%s", i, got, want)
		}
	}
	if _, ok := enc.payload([]any{"x", 1.5, int64(1), "", int64(2), nil, ""}); ok {
		t.Fatal("the fast encoder accepted a float, which it does not write")
	}
}
