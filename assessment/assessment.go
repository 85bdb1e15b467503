// Package assessment is safeguard's domain: the types of a HIPAA Security Rule risk
// analysis and the rules over them (applicability, responsibility, scoring, risk). It is
// pure: no SQL, no files, no terminal, no PDF.
package assessment

import (
	"fmt"
	"strings"
	"time"
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

// CleanName trims a title or name and checks it is usable: not empty, valid UTF-8, at most
// MaxNameLen characters, and one line without control, text-direction or invisible
// characters (see text.go). what names the field in the error.
func CleanName(what, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("the %s is empty; enter one", what)
	}
	if err := CheckLine(what, s); err != nil {
		return "", err
	}
	return s, nil
}
