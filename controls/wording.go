package controls

import (
	"regexp"
	"strings"
)

// hostedTerm matches words that only make sense for a system someone else hosts. "IT
// provider" and "internet provider" are not hosting terms and are skipped by HostedWording.
var hostedTerm = regexp.MustCompile(`(?i)\b(cloud|subscriptions?|tenants?|hosted|hosting|saas|iaas|paas|data cent(?:er|re)s?|providers?(?:'s)?)\b`)

// notHostingProvider are the words before "provider" that name someone who is not a host.
var notHostingProvider = []string{"it", "it-", "internet", "service", "managed", "insurance", "care", "health"}

// HostedWording returns the first word of text that speaks of a provider, a cloud account,
// a subscription, a tenant or a hosted system, or "" when there is none. A question asked
// of on-premises assets must not use such words.
func HostedWording(text string) string {
	for _, m := range hostedTerm.FindAllStringIndex(text, -1) {
		w := text[m[0]:m[1]]
		if strings.HasPrefix(strings.ToLower(w), "provider") && afterNonHost(text[:m[0]]) {
			continue
		}
		return w
	}
	return ""
}

// afterNonHost reports whether the text before "provider" ends with a word such as "IT"
// or "internet", so the provider is not the one hosting the system.
func afterNonHost(before string) bool {
	before = strings.ToLower(strings.TrimRight(before, " "))
	for _, w := range notHostingProvider {
		if strings.HasSuffix(before, w) {
			cut := before[:len(before)-len(w)]
			if cut == "" || !isLetter(cut[len(cut)-1]) {
				return true
			}
		}
	}
	return false
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// presumedHosted matches help phrases that take for granted that the asset is hosted by
// someone else ("this cloud system", "this system's provider"), as opposed to help that
// explains what changes under IaaS, PaaS or SaaS.
var presumedHosted = regexp.MustCompile(`(?i)\b(this (?:cloud|hosted|saas|iaas|paas)\b|this system's (?:provider|cloud|tenant|subscription|host)\b|this provider\b|the hosting provider of this)`)

// PresumesHosted returns the first phrase of help that presumes a hosted system, or "".
func PresumesHosted(help string) string {
	return presumedHosted.FindString(help)
}

// baWording turns a practice's wording into an organization's, for business associates.
// Longer phrases come first so "the practice owner" is not half-replaced.
var baWording = strings.NewReplacer(
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
