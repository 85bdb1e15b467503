package pdf

import (
	"bytes"
	"testing"
)

// TestCompressStreamsMatchesFpdf: compressing the page streams after the layout gives the
// very bytes fpdf's own compression gives (same streams, same offsets, same table), for the
// demo report, the report with attached evidence and the large assessment; and the result
// is still a valid PDF.
func TestCompressStreamsMatchesFpdf(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		mk   func() ([]byte, []byte)
	}{
		{"demo", func() ([]byte, []byte) {
			a, _ := demoReport.get(t)
			b, _ := renderT(t, demoSnapshot(t), Options{fpdfCompress: true})
			return a, b
		}},
		{"attached", func() ([]byte, []byte) {
			a, _ := demoAttached.get(t)
			b, _ := renderT(t, demoSnapshot(t), Options{AttachEvidence: true, Evidence: noteContents(t, nil), fpdfCompress: true})
			return a, b
		}},
		{"large", func() ([]byte, []byte) {
			a, _ := largeReport.get(t)
			b, _ := renderT(t, bigSnapshot(t, 1), Options{fpdfCompress: true})
			return a, b
		}},
	}
	for _, c := range cases {
		got, want := c.mk()
		if !bytes.Equal(got, want) {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%s: the output differs from fpdf's compressed output at byte %d of %d/%d:\n got %q\nwant %q",
				c.name, i, len(got), len(want), got[max(i-80, 0):min(i+80, len(got))], want[max(i-80, 0):min(i+80, len(want))])
		}
		if bytes.Contains(got, []byte("obj\n<</Length ")) && !bytes.Contains(want, []byte("obj\n<</Length ")) {
			t.Fatalf("%s: a page stream was left uncompressed", c.name)
		}
	}
}

// TestCompressStreamsRefusesBrokenInput: a stream whose length does not match, or a
// missing cross-reference table, is an error, not a damaged file.
func TestCompressStreamsRefusesBrokenInput(t *testing.T) {
	t.Parallel()
	good, _ := demoPlain.get(t)
	if _, err := compressStreams(good); err != nil {
		t.Fatalf("a good document was refused: %v", err)
	}
	short := bytes.Replace(good, []byte("obj\n<</Length "), []byte("obj\n<</Length 9"), 1)
	if _, err := compressStreams(short); err == nil {
		t.Error("a stream with a wrong length was accepted")
	}
	noXref := bytes.Replace(good, []byte("startxref\n"), []byte("startxrof\n"), -1)
	if _, err := compressStreams(noXref); err == nil {
		t.Error("a document without startxref was accepted")
	}
}

// TestFinisherTakesTheFileInPieces: fpdf hands its file over in one Write, which is
// compressed without a copy; a writer given the same file in pieces gives the same bytes,
// and a write after the end of the file is an error, not a file missing its tail.
func TestFinisherTakesTheFileInPieces(t *testing.T) {
	t.Parallel()
	plain, _ := demoPlain.get(t)
	whole := &finisher{compress: true}
	if _, err := whole.Write(plain); err != nil {
		t.Fatal(err)
	}
	want, err := whole.result()
	if err != nil {
		t.Fatal(err)
	}
	pieces := &finisher{compress: true}
	for rest := plain; len(rest) > 0; {
		n := min(len(rest), 100_000)
		if _, err := pieces.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	got, err := pieces.result()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) || len(got) >= len(plain) {
		t.Fatalf("in pieces: %d bytes, whole: %d bytes, from %d uncompressed", len(got), len(want), len(plain))
	}
	if _, err := whole.Write([]byte("more")); err == nil {
		t.Error("a write after the end of the file was accepted")
	}
}
