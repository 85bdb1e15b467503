package assessment

import "safeguard/controls"

// threatCIA is the default harm of each threat event of the library: which of
// confidentiality (c), integrity (i) and availability (a) of ePHI it damages when it
// succeeds. A risk takes its threat's default until the assessor names its objectives
// (Risk.CIA). The judgement per event:
//
//   - disclosure events (theft, snooping, interception, exposure, misdirection) harm
//     confidentiality;
//   - events that alter or destroy records harm integrity, and availability where the
//     records are then missing;
//   - outages, hazards and lost keys harm availability;
//   - intrusions that give an attacker control (account takeover, ransomware, malware,
//     remote access) can do all three.
//
// A test checks that every threat of the embedded library has an entry; a threat added to
// the library without one gets no default, and readiness then asks the assessor to name
// the objectives of any confirmed risk that uses it.
var threatCIA = map[string]CIA{
	"accidental-deletion":           "ia",
	"account-takeover":              "cia",
	"admin-unavailable":             "a",
	"ai-tool-data-retention":        "c",
	"backup-corruption":             "ia",
	"business-email-compromise":     "ci",
	"cloud-provider-outage":         "a",
	"cloud-resource-abuse":          "a",
	"cloud-storage-exposure":        "c",
	"credential-stuffing":           "ci",
	"critical-third-party-outage":   "a",
	"data-exfiltration":             "c",
	"data-theft-extortion":          "c",
	"ddos":                          "a",
	"device-loss":                   "ca",
	"device-theft":                  "ca",
	"disgruntled-sabotage":          "ia",
	"disposal-data-recovery":        "c",
	"domain-hijack":                 "cia",
	"earthquake":                    "a",
	"encryption-key-compromise":     "ci",
	"equipment-resold-with-data":    "c",
	"facility-inaccessible":         "a",
	"faulty-vendor-update":          "ia",
	"fire":                          "a",
	"flood":                         "a",
	"former-staff-access":           "ci",
	"hardware-failure":              "a",
	"helpdesk-mfa-reset":            "cia",
	"hurricane":                     "a",
	"hvac-failure":                  "a",
	"incident-mishandled":           "cia",
	"incident-unreported":           "cia",
	"incidental-disclosure":         "c",
	"insider-data-theft":            "c",
	"insider-snooping":              "c",
	"interface-error":               "i",
	"internal-unauthorized-use":     "c",
	"key-loss":                      "a",
	"lateral-movement":              "cia",
	"log-loss":                      "i",
	"log-tampering":                 "i",
	"login-service-outage":          "a",
	"maintenance-error":             "ca",
	"malware-infection":             "cia",
	"media-reissued-with-data":      "c",
	"medical-device-exploit":        "cia",
	"mfa-fatigue":                   "cia",
	"misconfiguration":              "cia",
	"misdirected-communication":     "c",
	"missed-breach-notification":    "c",
	"oauth-consent-phishing":        "ci",
	"pandemic":                      "a",
	"part2-unauthorized-disclosure": "c",
	"password-guessing":             "ci",
	"phishing-credential-theft":     "ci",
	"physical-intrusion":            "ca",
	"power-outage":                  "a",
	"power-surge":                   "ia",
	"pretext-calling":               "c",
	"ransomware":                    "cia",
	"record-tampering":              "ia",
	"remote-access-attack":          "cia",
	"rogue-device":                  "ci",
	"saas-integration-abuse":        "ci",
	"session-token-theft":           "cia",
	"severe-storm":                  "a",
	"shadow-it":                     "c",
	"sim-swap":                      "ci",
	"software-bug":                  "ia",
	"sponsor-employment-misuse":     "c",
	"supply-chain-compromise":       "cia",
	"telecom-outage":                "a",
	"tracking-pixel-disclosure":     "c",
	"traffic-interception":          "ci",
	"unattended-workstation-misuse": "ci",
	"unpatched-exploit":             "cia",
	"unreturned-keys":               "ca",
	"unsafe-data-handling":          "c",
	"untracked-data-copy":           "c",
	"vendor-breach":                 "c",
	"vendor-data-misuse":            "c",
	"vendor-end-of-support":         "cia",
	"water-leak":                    "a",
	"wildfire":                      "a",
}

// DefaultCIA is the threat library's default harm of a threat event; "" when the library
// has none for it.
func DefaultCIA(threatID string) CIA { return threatCIA[threatID] }

// threatsWithoutCIA lists the library's threats that have no default harm (for the test).
func threatsWithoutCIA(cat *controls.Catalog) []string {
	var out []string
	for _, t := range LibraryThreats(cat) {
		if threatCIA[t.ID] == "" {
			out = append(out, t.ID)
		}
	}
	return out
}
