// Package passphrase holds the rules for the passphrases safeguard derives keys from (an
// encrypted workspace's, and a signing key's): how they are normalized, and which new ones
// are refused.
package passphrase

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MinLen is the fewest characters a new passphrase may have.
const MinLen = 12

// Normalize is the passphrase as keys are derived from it: Unicode NFC, so "é" typed as
// one code point or as "e" plus a combining accent (as some keyboards and platforms
// produce it) is the same passphrase.
func Normalize(p []byte) []byte {
	if !utf8.Valid(p) {
		return p
	}
	return norm.NFC.Bytes(p)
}

// Check refuses a new passphrase that is not text, empty or only spaces, or shorter than
// MinLen characters. Existing passphrases are not checked again when they unlock
// something: only new ones.
func Check(p []byte) error {
	switch {
	case !utf8.Valid(p):
		return errors.New("the passphrase is not valid UTF-8 text; type it again")
	case strings.TrimSpace(string(p)) == "":
		return errors.New("the passphrase is empty or only spaces; choose one of at least 12 characters")
	case utf8.RuneCount(Normalize(p)) < MinLen:
		return fmt.Errorf("the passphrase is shorter than %d characters; choose a longer one", MinLen)
	}
	return nil
}
