package store

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"safeguard/assessment"
)

// FuzzEvidenceValues feeds arbitrary strings to the parsers of evidence metadata and of the
// size argument (issue 8): file names (the file's own or --name), media type detection
// from a file's first bytes and name, and `evidence limit SIZE`. None may panic; refusals
// are one sentence; accepted values keep their promises.
//
//	go test ./store -run XXX -fuzz '^FuzzEvidenceValues$' -fuzztime 20s
func FuzzEvidenceValues(f *testing.F) {
	for _, s := range []string{
		"", ".", "..", "report.pdf", "scan 2025-03.PNG", "a/b", `a\b`, "\xff.txt", "rtl\u202efdp.exe", "bell\a.txt",
		"\u009b31m.txt", strings.Repeat("n", 201) + ".txt", "%PDF-1.7\n", "\x89PNG\r\n\x1a\n", "PK\x03\x04", "<html>",
		"250MB", "1.5 GB", "100MiB", "1048576", "0", "-1", "1e9", "9999999999999GB", ".5k", "1..2mb", " 12 kb ", "NaN", "inf",
	} {
		f.Add(s, []byte(s))
	}
	f.Fuzz(func(t *testing.T, s string, head []byte) {
		if err := checkFileName(s); err != nil {
			fuzzOneSentence(t, err)
		} else {
			switch {
			case !utf8.ValidString(s) || utf8.RuneCountInString(s) > assessment.MaxNameLen || strings.ContainsAny(s, `/\`) || s == "." || s == "..":
				t.Fatalf("checkFileName accepted %q", s)
			case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }) >= 0:
				t.Fatalf("checkFileName accepted %q with a control or direction character", s)
			}
		}
		if len(head) > 512 {
			head = head[:512]
		}
		if mt := detectMediaType(head, s); mt == "" || !utf8.ValidString(mt) || strings.ContainsAny(mt, "\r\n") {
			t.Fatalf("detectMediaType(%q, %q) = %q", head, s, mt)
		}
		n, err := assessment.ParseSize(s)
		if err != nil {
			fuzzOneSentence(t, err)
			return
		}
		if n < 0 {
			t.Fatalf("assessment.ParseSize(%q) = %d", s, n)
		}
		if f := assessment.FormatSize(n); f == "" || !utf8.ValidString(f) {
			t.Fatalf("assessment.FormatSize(%d) = %q", n, f)
		}
	})
}

func fuzzOneSentence(t *testing.T, err error) {
	t.Helper()
	if msg := err.Error(); strings.TrimSpace(msg) == "" || strings.ContainsAny(msg, "\n\r") {
		t.Fatalf("error is not one line: %q", msg)
	}
}
