package assessment

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"safeguard/controls"
)

// The fixture catalog is small enough to reason about cell by cell: two safeguards, four
// standards (one without specifications), one required and two addressable specifications,
// every condition, a proposed-rule question, and a threat id shared by two vulnerabilities.
const fixtureStructure = `
version: "fixture-1"
safeguards:
  - {id: "164.308", title: "Administrative safeguards"}
  - {id: "164.312", title: "Technical safeguards"}
standards:
  - id: "164.308(a)(1)"
    title: "Security management process"
    section: "164.308"
    specifications:
      - {id: "164.308(a)(1)(ii)(A)", title: "Risk analysis", requirement: required}
    key_activities:
      - {id: "KA_1", title: "Conduct a risk analysis"}
  - id: "164.308(a)(5)"
    title: "Security awareness and training"
    section: "164.308"
    specifications:
      - {id: "164.308(a)(5)(ii)(B)", title: "Protection from malicious software", requirement: addressable}
    key_activities:
      - {id: "KA_2", title: "Train staff"}
  - id: "164.312(a)(1)"
    title: "Access control"
    section: "164.312"
    specifications:
      - {id: "164.312(a)(2)(i)", title: "Unique user identification", requirement: required}
      - {id: "164.312(a)(2)(iv)", title: "Encryption and decryption", requirement: addressable}
    key_activities:
      - {id: "KA_3", title: "Control access"}
  - id: "164.312(d)"
    title: "Person or entity authentication"
    section: "164.312"
    key_activities:
      - {id: "KA_4", title: "Authenticate users"}
asset_kinds:
  - {id: ehr, title: "EHR"}
  - {id: backup, title: "Backup"}
  - {id: email, title: "Email"}
  - {id: other, title: "Other"}
lenses:
  - {id: cloud, title: "Cloud", status: current, description: "Cloud items"}
  - {id: part2, title: "Part 2", status: current, description: "Part 2 items"}
  - {id: nprm-2025, title: "Proposed rule", status: proposed, as_of: "2026-12-01", description: "Proposed rule items"}
`

const fixtureVulnerabilities = `
vulnerabilities:
  - id: no-risk-analysis
    title: "No risk analysis"
    description: "Nobody has assessed the risks."
    threats:
      - {id: ransomware, title: "Ransomware", source: human-deliberate, likelihood: 2, impact: 5}
  - id: weak-auth
    title: "Weak authentication"
    description: "Passwords alone protect access."
    threats:
      - {id: phishing, title: "Phishing", source: human-deliberate, likelihood: 4, impact: 4}
      - {id: guessing, title: "Password guessing", source: human-deliberate, likelihood: 3, impact: 3}
  - id: unencrypted
    title: "Unencrypted data at rest"
    description: "Stored ePHI is readable."
    threats:
      - {id: theft, title: "Device theft", source: human-deliberate, likelihood: 2, impact: 5}
      - {id: phishing, title: "Phishing", source: human-deliberate, likelihood: 1, impact: 2}
  - id: part2-mixing
    title: "SUD records mixed with other records"
    description: "Part 2 records are not kept apart."
    threats:
      - {id: disclosure, title: "Unlawful disclosure", source: human-accidental, likelihood: 3, impact: 4}
`

// fixtureQuestions are written in the order the tests expect Applicable to return them.
var fixtureQuestions = []struct {
	id, std, spec, scope, kinds, resp, vulns, lenses, cond string
	proposed                                               bool
}{
	{"308a1-ra-01", "164.308(a)(1)", "164.308(a)(1)(ii)(A)", "organization", "", "customer,customer,customer,customer", "no-risk-analysis", "", "", false},
	{"308a5-mal-01", "164.308(a)(5)", "164.308(a)(5)(ii)(B)", "organization", "", "customer,customer,customer,customer", "weak-auth", "", "", false},
	{"312d-auth-01", "164.312(d)", "", "asset", "ehr,email", "customer,customer,shared,provider", "weak-auth", "cloud", "", false},
	{"312a2iv-enc-01", "164.312(a)(1)", "164.312(a)(2)(iv)", "asset", "ehr,backup,other", "customer,customer,shared,provider", "unencrypted,weak-auth", "cloud", "", false},
	{"312a2i-uid-01", "164.312(a)(1)", "164.312(a)(2)(i)", "organization", "", "customer,customer,customer,customer", "weak-auth", "", "clearinghouse-component", false},
	{"308a1-hp-01", "164.308(a)(1)", "", "organization", "", "customer,customer,customer,customer", "no-risk-analysis", "", "health-plan", false},
	{"308a1-p2-01", "164.308(a)(1)", "", "organization", "", "customer,customer,customer,customer", "part2-mixing", "part2", "part2", false},
	{"312a2iv-p2-01", "164.312(a)(1)", "164.312(a)(2)(iv)", "asset", "ehr,backup,other", "customer,provider,provider,provider", "part2-mixing", "part2", "part2", false},
	{"308a1-nprm-01", "164.308(a)(1)", "", "organization", "", "customer,customer,customer,customer", "no-risk-analysis", "nprm-2025", "", true},
}

func fixtureQuestionsYAML() string {
	ka := map[string]string{"164.308(a)(1)": "KA_1", "164.308(a)(5)": "KA_2", "164.312(a)(1)": "KA_3", "164.312(d)": "KA_4"}
	out := "questions:\n"
	for _, q := range fixtureQuestions {
		rs := strings.Split(q.resp, ",")
		owner := fmt.Sprintf("responsibility: {on-prem: %s, iaas: %s, paas: %s, saas: %s}", rs[0], rs[1], rs[2], rs[3])
		if q.scope == "organization" {
			owner = "owner: " + rs[0]
		}
		basis := "regulation"
		if q.proposed {
			basis = "proposed-rule"
		}
		out += fmt.Sprintf(`  - id: %s
    standard: %q
    specification: %q
    key_activities: [%s]
    text: Is control %s in place?
    help: Help for %s.
    evidence: [Policy, Screenshot]
    scope: %s
    asset_kinds: [%s]
    %s
    depth: essentials
    basis: %s
    answered_by: office-manager
    vulnerabilities: [%s]
    sp800_53r5: [AC-2]
    csf_2_0: [PR.AA-01]
    lenses: [%s]
    condition: %q
    proposed: %v
`, q.id, q.std, q.spec, ka[q.std], q.id, q.id, q.scope, q.kinds, owner, basis, q.vulns, q.lenses, q.cond, q.proposed)
	}
	return out
}

// fixtureCatalog loads the fixture catalog through the real loader, so it is validated the
// same way as the embedded one.
func fixtureCatalog(tb testing.TB) *controls.Catalog {
	tb.Helper()
	c, err := controls.Load(fstest.MapFS{
		"structure.yaml":       {Data: []byte(fixtureStructure)},
		"vulnerabilities.yaml": {Data: []byte(fixtureVulnerabilities)},
		"questions/a.yaml":     {Data: []byte(fixtureQuestionsYAML())},
		"aliases.yaml":         {Data: []byte("aliases:\n  - {old: 308a1-ra-09, new: 308a1-ra-01, reason: \"merged into 308a1-ra-01\"}\n")},
	})
	if err != nil {
		tb.Fatalf("fixture catalog does not load: %v", err)
	}
	return c
}

// defaultCatalog is the embedded catalog; tests that need the real content use it.
func defaultCatalog(tb testing.TB) *controls.Catalog {
	tb.Helper()
	c, err := controls.Default()
	if err != nil {
		tb.Fatalf("embedded catalog does not load: %v", err)
	}
	return c
}

// day0 is the fixed "as of" date of the tests.
var day0 = time.Date(2025, 6, 1, 15, 30, 0, 0, time.UTC)
