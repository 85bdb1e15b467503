package assessment

import (
	"time"

	"safeguard/controls"
)

// The demo's record of how the analysis was done: who the assessors interviewed, what they
// read, where they walked, what they tested, what they assumed and what limited them; the
// periodic-review plan; the threat source they ruled out; and the vendors they have
// reviewed so far (Lumen Vault and Northgate are still waiting, which the readiness list
// shows). Dates fall in the four weeks of work before now.

func demoMethod(start time.Time) []MethodEntry {
	d := func(days int) string { return start.AddDate(0, 0, days).Format(time.DateOnly) }
	return []MethodEntry{
		{ID: "method-interview-pm", Kind: MethodInterview, Who: demoAssessorPM, Role: "Practice manager and security official", Date: d(1),
			Text: "Policies, workforce clearance and termination, vendor contracts, incident response."},
		{ID: "method-interview-it", Kind: MethodInterview, Who: demoAssessorIT, Role: "IT lead", Date: d(2),
			Text: "Systems, backups, encryption, remote access and the PACS."},
		{ID: "method-interview-sud", Kind: MethodInterview, Who: "Lena Marsh", Role: "SUD program director", Date: d(6),
			Text: "Part 2 consent handling, disclosures and the program's record store."},
		{ID: "method-interview-msp", Kind: MethodInterview, Who: "Ray Costa", Role: "Northgate Managed IT, account engineer", Date: d(9),
			Text: "Firewall, VPN and patching duties; who holds administrator accounts."},
		{ID: "method-doc-policies", Kind: MethodDocument, Title: "Security policy manual, version 4", Date: d(3)},
		{ID: "method-doc-baas", Kind: MethodDocument, Title: "Business associate agreements on file (five signed, one requested)", Date: d(4)},
		{ID: "method-doc-ir", Kind: MethodDocument, Title: "Incident response plan, version 2, and the ransomware tabletop minutes", Date: d(5)},
		{ID: "method-walk-main", Kind: MethodWalkthrough, Where: "Main clinic: front desk, exam rooms, server room", Date: d(7),
			Text: "Checked screen positions, locked server room, UPS coverage and visitor sign-in."},
		{ID: "method-walk-east", Kind: MethodWalkthrough, Where: "Eastside satellite clinic and its wiring closet", Date: d(8)},
		{ID: "method-test-bitlocker", Kind: MethodTest, TestKind: "config-review", Tool: "Device management console encryption report",
			Scope: "All 60 managed laptops and workstations", Date: d(10), Text: "51 encrypted, 9 front-desk desktops not encrypted."},
		{ID: "method-test-vpn", Kind: MethodTest, TestKind: "config-review", Tool: "Firewall administration console, with Northgate",
			Scope: "Remote-access VPN settings and accounts", Date: d(12), Text: "Password-only sign-in; three vendor accounts share one password."},
		{ID: "method-test-restore", Kind: MethodTest, TestKind: "restore-test", Tool: "Isolated test VM",
			Scope: "Last month's EHR export and the latest SUD database snapshot", Date: d(13)},
		{ID: "method-assume-vendors", Kind: MethodAssumption,
			Text: "Vendors' controls are taken as described in their current attestation reports; no vendor site was visited."},
		{ID: "method-limit-scan", Kind: MethodLimitation,
			Text: "No vulnerability scan was run: Northgate's scanning license lapsed in the spring, so patch levels were taken from its monthly report."},
		{ID: "method-limit-paper", Kind: MethodLimitation,
			Text: "Paper charts were not assessed; they count only once scanned into an electronic system."},
	}
}

func demoReview(year int) *ReviewPlan {
	return &ReviewPlan{
		Cadence:  "annual",
		Next:     demoDate(year+1, time.November, 30),
		Triggers: []string{"new-system", "vendor-change", "security-incident", "move-or-expansion"},
	}
}

func demoThreatRulings() []ThreatRuling {
	return []ThreatRuling{
		{Source: controls.SourceNatural, Reason: "Both clinics sit outside flood zones and wildfire areas, and the ePHI that matters most is in cloud systems hosted in two regions; a local natural event would close a clinic, not lose records."},
		{Source: controls.SourceHumanDeliberate, ThreatID: "sponsor-employment-misuse", Reason: "Riverbend is a provider, not a group health plan; no plan sponsor receives its ePHI."},
	}
}

func demoVendorReviews(start time.Time) []VendorReview {
	d := func(days int) string { return start.AddDate(0, 0, days).Format(time.DateOnly) }
	return []VendorReview{
		{VendorID: demoVendorEHR, Date: d(4), Note: "BAA (flow-down, 5-day notice) and HITRUST r2 letter read; scope covers the EHR and both regions."},
		{VendorID: demoVendorCloud, Date: d(4), Note: "BAA read: it states no breach-notice deadline. ISO 27001 certificate and SOC 2 report current."},
		{VendorID: demoVendorTelehealth, Date: d(5), Note: "BAA has no subcontractor flow-down; only a SOC 2 Type II report is offered."},
		{VendorID: demoVendorMail, Date: d(5), Note: "BAA and ISO 27001 certificate read; SOC 2 report expires at year end."},
	}
}
