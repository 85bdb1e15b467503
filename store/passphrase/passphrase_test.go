package passphrase

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, bad := range []string{"", " ", "            ", "\t\t\t\t\t\t\t\t\t\t\t\t", "eleven char", "\xff\xfe not text at all"} {
		if err := Check([]byte(bad)); err == nil {
			t.Errorf("Check(%q) accepted", bad)
		} else if strings.Count(err.Error(), "; ") != 1 {
			t.Errorf("Check(%q): %q is not one sentence saying what to do", bad, err)
		}
	}
	for _, good := range []string{"twelve chars", "correct horse battery staple", "ünïcödé pässphräsé"} {
		if err := Check([]byte(good)); err != nil {
			t.Errorf("Check(%q) = %v", good, err)
		}
	}
	// Characters, not bytes: twelve accented letters typed decomposed are twelve.
	if err := Check([]byte("e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301")); err != nil {
		t.Errorf("twelve decomposed characters refused: %v", err)
	}
}

func TestNormalize(t *testing.T) {
	if string(Normalize([]byte("Cafe\u0301"))) != "Caf\u00e9" {
		t.Error("NFD is not normalized to NFC")
	}
	if string(Normalize([]byte("plain"))) != "plain" {
		t.Error("ASCII changed")
	}
}
