package controls

import "strings"

// hostedWords only make sense for a system someone else hosts. "Provider" counts unless
// the word before it names someone who is not a host ("IT provider", "internet provider").
var hostedWords = map[string]bool{
	"cloud": true, "subscription": true, "subscriptions": true, "tenant": true, "tenants": true, "hosted": true,
	"hosting": true, "saas": true, "iaas": true, "paas": true, "provider": true, "providers": true,
}

// notHostingProvider are the words before "provider" that name someone who is not a host.
var notHostingProvider = map[string]bool{"it": true, "internet": true, "service": true, "managed": true,
	"insurance": true, "care": true, "health": true}

// HostedWording returns the first word of text that speaks of a provider, a cloud account,
// a subscription, a tenant or a hosted system, or "" when there is none. A question asked
// of on-premises assets must not use such words. It splits words by hand rather than with
// a regular expression: the catalog checks every question at every start.
func HostedWording(text string) string {
	prev, prevData := "", false
	start := -1
	for i := 0; i <= len(text); i++ {
		if i < len(text) && isLetter(text[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start < 0 {
			continue
		}
		word := text[start:i]
		lower := strings.ToLower(word)
		start = -1
		switch {
		case prevData && (lower == "center" || lower == "centers"):
			return "data " + word
		case (lower == "provider" || lower == "providers") && notHostingProvider[prev]:
		case hostedWords[lower]:
			return word
		}
		prev, prevData = lower, lower == "data"
	}
	return ""
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// presumedHosted are help phrases that take for granted that the asset is hosted by
// someone else ("this cloud system", "this system's provider"), as opposed to help that
// explains what changes under IaaS, PaaS or SaaS.
var presumedHosted = []string{"this cloud", "this hosted", "this saas", "this iaas", "this paas", "this system's provider",
	"this system's cloud", "this system's tenant", "this system's subscription", "this system's host", "this provider",
	"the hosting provider of this"}

// PresumesHosted returns the first phrase of help that presumes a hosted system, or "".
func PresumesHosted(help string) string {
	lower := strings.ToLower(help)
	at, found := len(lower), ""
	for _, p := range presumedHosted {
		if i := strings.Index(lower, p); i >= 0 && i < at {
			at, found = i, help[i:i+len(p)]
		}
	}
	return found
}

// baWording turns a practice's wording into an organization's, for business associates.
// Longer phrases come first so "the practice owner" is not half-replaced.
var baWording = strings.NewReplacer(
	"the practice manager", "the office manager",
	"your practice manager", "your office manager",
	"a practice manager", "an office manager",
	"the practice owner", "the owner",
	"practice owner", "owner",
	"practice manager", "office manager",
	"practice leadership", "leadership",
	"practice-approved", "approved",
	"practices like yours", "organizations like yours",
	"your practice's", "your organization's",
	"the practice's", "the organization's",
	"Your practice", "Your organization",
	"your practice", "your organization",
	"The practice", "The organization",
	"the practice", "the organization",
	"a practice", "an organization",
)

// PracticeToOrganization rewrites "your practice", "the practice" and similar phrases for an
// organization that is not a health care practice (a business associate).
func PracticeToOrganization(text string) string { return baWording.Replace(text) }
