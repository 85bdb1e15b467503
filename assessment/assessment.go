// Package assessment is safeguard's domain: the types of a HIPAA Security Rule risk
// analysis and the rules over them (applicability, responsibility, scoring, risk). It is
// pure: no SQL, no files, no terminal, no PDF.
package assessment

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Status is where an assessment is in its life.
type Status string

const (
	StatusDraft    Status = "draft"
	StatusInReview Status = "in-review"
	StatusFinal    Status = "final"
)

// Label is the status as people read it.
func (s Status) Label() string {
	switch s {
	case StatusInReview:
		return "in review"
	case StatusFinal:
		return "final"
	}
	return "draft"
}

// Assessment is one risk analysis of one organization, pinned to a catalog version.
type Assessment struct {
	ID             string    `json:"id"`
	Title          string    `json:"title"`
	Organization   string    `json:"organization"`
	Status         Status    `json:"status"`
	CatalogVersion string    `json:"catalog_version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// MaxNameLen bounds titles and names so reports and tables stay readable.
const MaxNameLen = 200

// CleanName trims a title or name and checks it is usable: not empty, valid UTF-8, no
// control characters, at most MaxNameLen characters. what names the field in the error.
func CleanName(what, s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", fmt.Errorf("the %s is empty; enter one", what)
	case !utf8.ValidString(s):
		return "", fmt.Errorf("the %s is not valid UTF-8 text; retype it", what)
	case utf8.RuneCountInString(s) > MaxNameLen:
		return "", fmt.Errorf("the %s is longer than %d characters; shorten it", what, MaxNameLen)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", fmt.Errorf("the %s contains a control character; remove it", what)
		}
		if isBidiControl(r) {
			return "", fmt.Errorf("the %s contains an invisible text-direction character; retype it", what)
		}
	}
	return s, nil
}

// isBidiControl reports the invisible characters that reorder text (U+202A–U+202E,
// U+2066–U+2069, and the marks U+200E, U+200F, U+061C): in a name they can make a report
// show something other than what was typed.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}
