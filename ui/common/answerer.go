package common

import (
	"strings"

	"safeguard/controls"
)

// AnswererPhrase names who can usually answer a question, inside a sentence: "the office
// manager", "anyone in the practice".
func AnswererPhrase(a controls.Answerer) string {
	switch a {
	case controls.ByAnyone:
		return "anyone in the practice"
	case controls.ByOfficeManager:
		return "the office manager"
	case controls.ByITProvider:
		return "the IT provider"
	case controls.ByVendor:
		return "the vendor"
	}
	return strings.ToLower(a.Label())
}
