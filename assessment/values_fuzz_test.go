package assessment

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzValues feeds arbitrary strings to the checks behind the CLI's and the forms' typed
// values (issue 8): dates (--date, --valid-until, due dates, BAA and attestation dates),
// names (--org, --title, --name, --role, asset and vendor names) and free text (--note,
// --reason, --rationale, --description). None may panic; every refusal is one sentence;
// what is accepted is what the rules promise.
//
//	go test ./assessment -run XXX -fuzz '^FuzzValues$' -fuzztime 20s
func FuzzValues(f *testing.F) {
	for _, s := range []string{
		"", "2025-03-31", "2024-02-29", "2025-02-29", "2025-3-31", "2025-03-31T00:00:00Z", "+2025-03-31", " 2025-03-31",
		"0000-01-01", "9999-12-31", "2025-13-01", "2025-00-10", "2025/03/31", "31.03.2025", "２０２５-03-31",
		"Maple Family Practice", "  padded  ", "a\x07b", "tab\there", "line\nbreak", "\xff\xfe", "\u200b", "\u00a0",
		"Evil\u009b31mCorp", "rtl \u202eabc", strings.Repeat("é", MaxNameLen), strings.Repeat("x", MaxNameLen+1),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Dates: CheckDate and ParseDate agree, and a parsed date prints back as written.
		cerr := CheckDate("due date", s)
		d, perr := ParseDate(s)
		if cerr != nil {
			oneSentence(t, cerr)
		}
		if perr != nil {
			oneSentence(t, perr)
		}
		if s != "" && (cerr == nil) != (perr == nil) {
			t.Fatalf("CheckDate(%q) = %v but ParseDate = %v", s, cerr, perr)
		}
		if perr == nil && d.Format("2006-01-02") != s {
			t.Fatalf("ParseDate(%q) = %v, which prints as %s", s, d, d.Format("2006-01-02"))
		}

		// Names: trimmed, not empty, valid UTF-8, short, and free of control characters
		// (C0, DEL and C1: a C1 CSI in a name is a terminal escape sequence in every table
		// that prints it).
		name, err := CleanName("organization name", s)
		if err != nil {
			oneSentence(t, err)
		} else {
			switch {
			case name == "" || name != strings.TrimSpace(name):
				t.Fatalf("CleanName(%q) = %q: empty or untrimmed", s, name)
			case !utf8.ValidString(name):
				t.Fatalf("CleanName(%q) = %q: not UTF-8", s, name)
			case utf8.RuneCountInString(name) > MaxNameLen:
				t.Fatalf("CleanName(%q): %d characters accepted", s, utf8.RuneCountInString(name))
			case strings.IndexFunc(name, unicode.IsControl) >= 0:
				t.Fatalf("CleanName(%q) = %q: accepted a control character", s, name)
			case strings.IndexFunc(name, func(r rune) bool { return isBidiControl(r) || isInvisible(r) }) >= 0:
				t.Fatalf("CleanName(%q) = %q: accepted an invisible or text-direction character", s, name)
			}
		}

		// Free text: valid UTF-8, bounded, and no control character but line feed, tab
		// and the CR of CR LF; what a writer prints never holds one.
		if err := CheckText("note", s); err != nil {
			oneSentence(t, err)
		} else if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxTextLen || textProblem(s, true) != "" {
			t.Fatalf("CheckText accepted %q", s)
		}
		for _, r := range SafeText(s) {
			if unicode.IsControl(r) && r != '\n' && r != '\t' {
				t.Fatalf("SafeText(%q) keeps U+%04X", s, r)
			}
		}
	})
}
