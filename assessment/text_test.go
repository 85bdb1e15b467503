package assessment

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// Every character class the hygiene rules name, as the review found them: a terminal
// escape (ESC [ 2 J clears the screen), a C1 CSI, DEL, a bidi override, a direction
// mark, and the invisible characters that make two names look alike.
var hostileText = map[string]string{
	"ESC":                "Acme\x1b[2JCorp",
	"C1 CSI":             "Evil\u009b31mCorp",
	"DEL":                "Maple\x7fClinic",
	"NUL":                "Maple\x00Clinic",
	"bell":               "Maple\aClinic",
	"right-to-left":      "invoice\u202efdp.exe",
	"isolate":            "name\u2066x\u2069",
	"left-to-right mark": "name\u200e",
	"zero-width space":   "Ma\u200bple",
	"word joiner":        "Ma\u2060ple",
	"byte order mark":    "\ufeffMaple",
	"tag character":      "Maple\U000E0041",
	"Hangul filler":      "Maple\u3164",
	"lone CR":            "first\rsecond",
}

func TestSingleLineRefusesHostileCharacters(t *testing.T) {
	for name, s := range hostileText {
		if _, err := CleanName("organization name", s); err == nil {
			t.Errorf("%s: CleanName accepted %q", name, s)
		} else if strings.Count(err.Error(), "; ") != 1 {
			t.Errorf("%s: %q is not one sentence saying what to do", name, err)
		}
		if err := CheckLine("owner", s); err == nil {
			t.Errorf("%s: CheckLine accepted %q", name, s)
		}
		if err := CheckText("note", s); err == nil {
			t.Errorf("%s: CheckText accepted %q", name, s)
		}
	}
	for _, s := range []string{"line\nbreak", "tab\there"} {
		if _, err := CleanName("title", s); err == nil {
			t.Errorf("CleanName accepted the multi-line %q", s)
		}
	}
}

func TestMultiLineKeepsNewlinesAndTabs(t *testing.T) {
	ok := []string{"", "first line\nsecond line", "item:\tvalue", "windows\r\nline ends", "Zürich — 東京 👩\u200d⚕️", "ZWNJ می\u200cخواهم"}
	for _, s := range ok {
		if err := CheckText("note", s); err != nil {
			t.Errorf("CheckText(%q) = %v, want accepted", s, err)
		}
	}
	for _, s := range []string{"Zürich — 東京", "Dr. O'Brien & Co.", "👩\u200d⚕️ clinic"} {
		if _, err := CleanName("name", s); err != nil {
			t.Errorf("CleanName(%q) = %v, want accepted", s, err)
		}
	}
}

func TestSafeOutputHasNoControlCharacters(t *testing.T) {
	inputs := []string{"Maple\xff\xfeClinic", "a\r\nb", "plain"}
	for _, s := range hostileText {
		inputs = append(inputs, s)
	}
	for _, s := range inputs {
		for _, out := range []string{SafeLine(s), SafeText(s)} {
			if !utf8.ValidString(out) {
				t.Errorf("%q -> %q: not UTF-8", s, out)
			}
			for _, r := range out {
				if (unicode.IsControl(r) && r != '\n' && r != '\t') || isBidiControl(r) || isInvisible(r) {
					t.Errorf("%q -> %q: U+%04X survived", s, out, r)
				}
			}
		}
		if strings.ContainsAny(SafeLine(s), "\n\t") {
			t.Errorf("SafeLine(%q) = %q keeps a line break", s, SafeLine(s))
		}
	}
	if got := SafeText("a\r\nb\tc"); got != "a\nb\tc" {
		t.Errorf("SafeText kept CR LF or lost the tab: %q", got)
	}
	if got := SafeLine("a\nb"); got != "a b" {
		t.Errorf("SafeLine(a\\nb) = %q, want \"a b\"", got)
	}
	if got := SafeLine("Maple Clinic"); got != "Maple Clinic" {
		t.Errorf("clean text changed: %q", got)
	}
}
