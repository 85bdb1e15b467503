package assessment

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"safeguard/controls"
)

// The demo organization is fictional: Riverbend Family Health, a mid-size outpatient
// practice with a hosted EHR, cloud backups, an on-premises PACS that archives to cloud
// storage, a SOC 2-only telehealth vendor and a small opioid treatment program whose records
// fall under 42 CFR Part 2. Every vendor, person and figure below is invented.
const (
	demoAssessorPM      = "Dana Whitfield"   // practice manager and security official
	demoAssessorIT      = "Marcus Oyelaran"  // IT lead
	demoMedicalDirector = "Dr. Helen Okafor" // medical director, who accepts clinical risks
)

// Symbolic IDs of the demo's assets, vendors and risks. The store replaces them with fresh
// IDs when it imports the document.
const (
	demoVendorEHR        = "vendor-ehr"
	demoVendorCloud      = "vendor-cloud"
	demoVendorTelehealth = "vendor-telehealth"
	demoVendorArchive    = "vendor-archive"
	demoVendorMail       = "vendor-mail"
	demoVendorMSP        = "vendor-msp"

	demoAssetEHR        = "asset-ehr"
	demoAssetBackup     = "asset-backup"
	demoAssetPACS       = "asset-pacs"
	demoAssetArchive    = "asset-pacs-archive"
	demoAssetTelehealth = "asset-telehealth"
	demoAssetSUD        = "asset-sud"
	demoAssetEndpoints  = "asset-endpoints"
	demoAssetEmail      = "asset-email"
	demoAssetNetwork    = "asset-network"
	demoAssetModalities = "asset-modalities"
)

// Demo returns a realistic sample assessment: profile, vendors, assets and flows, a partly
// answered questionnaire with notes and §164.306(d)(3) decisions, rated and treated risks,
// a few proposed ones, evidence notes and responsibility overrides. It is deterministic:
// the same catalog and now give the same document. Dates follow now's year so the demo
// always describes the current assessment period; IDs are symbolic ("asset-ehr",
// "vendor-ehr") and are replaced when the store imports the document.
func Demo(cat *controls.Catalog, now time.Time) *Document {
	now = now.UTC().Truncate(time.Second)
	y := now.Year()
	// Work on the assessment started four weeks before now.
	start := now.Truncate(time.Hour).Add(-28 * 24 * time.Hour)

	profile := Profile{
		EntityType:       EntityProvider,
		Size:             "medium",
		Part2Program:     true,
		MedicareMedicaid: true,
		Assessors:        []string{demoAssessorPM, demoAssessorIT},
		PeriodStart:      demoDate(y, time.January, 1),
		PeriodEnd:        demoDate(y, time.December, 31),
		Scope: "This analysis covers every system, device and outside service that creates, receives, " +
			"stores or sends patient data for Riverbend Family Health's two clinic sites: the hosted EHR " +
			"(which also handles billing), the imaging server and its cloud archive, telehealth, email, " +
			"backups, staff devices and the network. It includes the opioid treatment program's records, " +
			"which are kept under 42 CFR Part 2. Paper charts count only once scanned into an electronic " +
			"system, and questions from the January 2025 proposed rule are answered for planning and kept " +
			"out of the figures.",
		IncludeProposed: true,
		Matrix:          MatrixNIST5x5,
		Depth:           controls.DepthStandard,
		Region:          "midwest-plains",
	}

	vendors := demoVendors(now)
	assets := demoAssets()
	flows := demoFlows()
	responses := demoResponses(cat, profile, assets, vendors, now, start)
	risks := demoRisks(cat, profile, assets, responses, now)
	evidence := demoEvidence(vendors, start)
	overrides := []Override{
		{
			QuestionID: "308a1iid-iar-04", AssetID: demoAssetEHR, Owner: controls.OwnerProvider,
			Reason: "Meridian's master agreement fixes EHR audit-log retention at seven years in the vendor's " +
				"own log store; customers cannot change that setting, so retention is wholly the vendor's duty.",
		},
		{
			QuestionID: "312e1-track-01", AssetID: demoAssetTelehealth, Owner: controls.OwnerCustomer,
			Reason: "The ClearVisit patient app is white-labeled: our staff choose which analytics and tag " +
				"settings are switched on in its admin console, and the vendor adds no trackers of its own.",
		},
	}

	updated := start
	if n := len(responses); n > 0 {
		updated = responses[n-1].At
	}
	return &Document{
		Format:         DocumentFormat,
		Version:        DocumentVersion,
		ExportedAt:     now,
		CatalogVersion: cat.Version,
		Assessment: Assessment{
			ID:             "demo-assessment",
			Title:          fmt.Sprintf("%d HIPAA Security Risk Analysis", y),
			Organization:   "Riverbend Family Health",
			Status:         StatusDraft,
			CatalogVersion: cat.Version,
			CreatedAt:      start.Add(-24 * time.Hour),
			UpdatedAt:      updated,
		},
		Profile:   profile,
		Assets:    assets,
		Flows:     flows,
		Vendors:   vendors,
		Responses: responses,
		Overrides: overrides,
		Risks:     risks,
		Evidence:  evidence,

		Method:        demoMethod(start),
		Review:        demoReview(y),
		ThreatRulings: demoThreatRulings(),
		VendorReviews: demoVendorReviews(start),
	}
}

// demoDate formats a calendar date, normalising overflow the way time.Date does.
func demoDate(y int, m time.Month, d int) string {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// demoArchiveExpiry is when the PACS archive vendor's HITRUST i1 lapsed: the end of August of
// the assessment year, or about six weeks before now when that date is still ahead (but not
// before 1 January when now is later than that), so the attestation reads as expired
// whenever the demo is loaded and still lapses months before the period ends.
func demoArchiveExpiry(now time.Time) string {
	today := day(now)
	exp := time.Date(now.Year(), time.August, 31, 0, 0, 0, 0, time.UTC)
	if !exp.Before(today) {
		exp = today.AddDate(0, 0, -45)
		// Early in January, keep the lapse inside the assessment period when possible.
		if jan1 := time.Date(now.Year(), time.January, 1, 0, 0, 0, 0, time.UTC); exp.Before(jan1) && jan1.Before(today) {
			exp = jan1
		}
	}
	return exp.Format(time.DateOnly)
}

func demoVendors(now time.Time) []Vendor {
	y := now.Year()
	return []Vendor{
		{
			ID: demoVendorEHR, Name: "Meridian Chart Cloud, Inc.",
			Services: "Hosted EHR and practice management (SaaS), including e-prescribing, the patient portal and claims.",
			BAA:      BAASigned, BAASigned: demoDate(y-3, time.March, 14),
			BreachNoticeDays: 5, Flowdown: true,
			Attestations: []Attestation{{Kind: AttHITRUSTr2, Expires: demoDate(y+1, time.May, 31),
				Scope: "Meridian Chart EHR platform, patient portal and e-prescribing, both hosting regions"}},
		},
		{
			ID: demoVendorCloud, Name: "Stratus Harbor Cloud Services",
			Services: "IaaS and managed database hosting: the offsite backup storage account and the SUD program's database.",
			BAA:      BAASigned, BAASigned: demoDate(y-2, time.September, 2),
			BreachNoticeDays: 0, Flowdown: true,
			Attestations: []Attestation{
				{Kind: AttISO27001, Expires: demoDate(y+1, time.September, 30), Scope: "Compute, object storage and managed databases in the US regions"},
				{Kind: AttSOC2Type2, PeriodEnd: demoDate(y-1, time.December, 31), Expires: demoDate(y+1, time.March, 31), Scope: "Security and availability criteria, all US regions"},
			},
		},
		{
			ID: demoVendorTelehealth, Name: "ClearVisit Telehealth LLC",
			Services: "Video visits, secure patient messaging and the white-labeled patient app (SaaS).",
			BAA:      BAASigned, BAASigned: demoDate(y-1, time.June, 20),
			BreachNoticeDays: 30, Flowdown: false,
			Attestations: []Attestation{
				{Kind: AttSOC2Type2, PeriodEnd: demoDate(y-1, time.October, 31), Expires: demoDate(y+1, time.January, 31)},
			},
		},
		{
			ID: demoVendorArchive, Name: "Lumen Vault Imaging Storage",
			Services: "Long-term cloud archive for DICOM imaging studies (PaaS object storage with a DICOM gateway).",
			BAA:      BAASigned, BAASigned: demoDate(y-4, time.November, 8),
			BreachNoticeDays: 60, Flowdown: true,
			Attestations: []Attestation{{Kind: AttHITRUSTi1, Expires: demoArchiveExpiry(now)}},
		},
		{
			ID: demoVendorMail, Name: "Bluefinch Workspace",
			Services: "Email, calendar, shared drives and chat for all staff (SaaS).",
			BAA:      BAASigned, BAASigned: demoDate(y-5, time.February, 1),
			BreachNoticeDays: 10, Flowdown: true,
			Attestations: []Attestation{
				{Kind: AttISO27001, Expires: demoDate(y+2, time.April, 30)},
				{Kind: AttSOC2Type2, PeriodEnd: demoDate(y-1, time.September, 30), Expires: demoDate(y, time.December, 31)},
			},
		},
		{
			ID: demoVendorMSP, Name: "Northgate Managed IT",
			Services:         "Managed IT services: firewall and VPN administration, workstation patching and after-hours support, with remote access to clinic systems.",
			BAA:              BAARequested,
			BreachNoticeDays: 0, Flowdown: false,
			Attestations: []Attestation{},
		},
	}
}

func demoAssets() []Asset {
	return []Asset{
		{
			ID: demoAssetEHR, Name: "Cloud EHR", Kind: "ehr", Hosting: controls.SaaS, VendorID: demoVendorEHR,
			EPHI: true, Records: 48000, Location: "Vendor data centers, us-east-2 with failover to us-west-2",
			Owner: "Practice manager", Criticality: "critical", EncAtRest: EncProviderManaged, TLS: "tls1.2", InScope: true,
			Notes: "Charts, schedules, e-prescribing, billing and the patient portal for both sites.",
		},
		{
			ID: demoAssetBackup, Name: "Offsite backups", Kind: "backup", Hosting: controls.IaaS, VendorID: demoVendorCloud,
			EPHI: true, Records: 52000, Location: "us-east-2 (object storage with a copy in us-west-2)",
			Owner: "IT lead", Criticality: "high", EncAtRest: EncCustomerManaged, TLS: "tls1.3", InScope: true,
			Notes: "Nightly EHR bulk exports, SUD database snapshots and file-share backups; object lock on.",
		},
		{
			ID: demoAssetPACS, Name: "PACS imaging server", Kind: "pacs", Hosting: controls.OnPrem,
			EPHI: true, Records: 21000, Location: "Main clinic server room",
			Owner: "IT lead", Criticality: "high", EncAtRest: EncNone, TLS: "tls1.2", InScope: true,
			Notes: "X-ray and ultrasound studies for the last 3 years; older studies live in the cloud archive.",
		},
		{
			ID: demoAssetArchive, Name: "PACS cloud archive", Kind: "backup", Hosting: controls.PaaS, VendorID: demoVendorArchive,
			EPHI: true, Records: 64000, Location: "us-central (vendor-chosen region)",
			Owner: "IT lead", Criticality: "high", EncAtRest: EncProviderManaged, TLS: "tls1.2", InScope: true,
		},
		{
			ID: demoAssetTelehealth, Name: "Telehealth platform", Kind: "telehealth", Hosting: controls.SaaS, VendorID: demoVendorTelehealth,
			EPHI: true, Records: 9500, Location: "Vendor hosted, United States",
			Owner: "Practice manager", Criticality: "high", EncAtRest: EncProviderManaged, TLS: "tls1.3", InScope: true,
		},
		{
			ID: demoAssetSUD, Name: "SUD program records", Kind: "database", Hosting: controls.PaaS, VendorID: demoVendorCloud,
			EPHI: true, Part2: true, Segregation: "logical", Records: 640, Location: "us-east-2 (managed database)",
			Owner: "SUD program director", Criticality: "critical", EncAtRest: EncCustomerManaged, TLS: "tls1.2", InScope: true,
			Notes: "Opioid treatment program records kept apart from the EHR in their own database and role group.",
		},
		{
			ID: demoAssetEndpoints, Name: "Staff laptops and workstations", Kind: "endpoint", Hosting: controls.OnPrem,
			EPHI: true, Records: 2500, Location: "Main clinic and Eastside satellite clinic",
			Owner: "IT lead", Criticality: "moderate", EncAtRest: EncCustomerHeld, TLS: "tls1.2", InScope: true,
			Notes: "About 60 devices: 42 desktops and 18 laptops. The record count is the scans and exports cached locally.",
		},
		{
			ID: demoAssetEmail, Name: "Practice email", Kind: "email", Hosting: controls.SaaS, VendorID: demoVendorMail,
			EPHI: true, Records: 15000, Location: "Vendor hosted, United States",
			Owner: "Practice manager", Criticality: "high", EncAtRest: EncProviderManaged, TLS: "tls1.2", InScope: true,
		},
		{
			ID: demoAssetModalities, Name: "Ultrasound and X-ray modalities", Kind: "medical-device", Hosting: controls.OnPrem,
			EPHI: true, Records: 400, Location: "Main clinic imaging rooms",
			Owner: "IT lead", Criticality: "high", EncAtRest: EncNone, TLS: "none", InScope: true,
			Notes: "One ultrasound unit and one digital X-ray unit; studies are sent to the PACS and kept on the units for a few days.",
		},
		{
			ID: demoAssetNetwork, Name: "Clinic network and VPN", Kind: "network", Hosting: controls.OnPrem, VendorID: demoVendorMSP,
			EPHI: false, Records: 0, Location: "Main clinic server room and Eastside wiring closet",
			Owner: "IT lead", Criticality: "critical", EncAtRest: EncNone, TLS: "tls1.2", InScope: true,
			Notes: "Firewall, switches, Wi-Fi and the remote-access VPN, administered by Northgate Managed IT. Carries ePHI but stores none.",
		},
	}
}

func demoFlows() []Flow {
	return []Flow{
		{ID: "flow-ehr-backup", From: demoAssetEHR, To: demoAssetBackup, Encrypted: true,
			Description: "Nightly EHR bulk export, downloaded over the vendor's API and written to the backup bucket."},
		{ID: "flow-pacs-archive", From: demoAssetPACS, To: demoAssetArchive, Encrypted: false,
			Description: "Studies older than 90 days pushed nightly to the cloud archive over the legacy DICOM link (port 104, no TLS)."},
		{ID: "flow-telehealth-ehr", From: demoAssetTelehealth, To: demoAssetEHR, Encrypted: true,
			Description: "Visit summaries and signed consent forms posted to the patient chart through the vendor's FHIR interface."},
		{ID: "flow-sud-backup", From: demoAssetSUD, To: demoAssetBackup, Encrypted: true,
			Description: "Hourly snapshots of the SUD database copied to the backup account in the same cloud."},
		{ID: "flow-endpoints-ehr", From: demoAssetEndpoints, To: demoAssetEHR, Encrypted: true,
			Description: "Clinician and front-desk browser sessions to the EHR, from the clinics or over the VPN."},
		{ID: "flow-pacs-endpoints", From: demoAssetPACS, To: demoAssetEndpoints, Encrypted: true,
			Description: "The web viewer streams studies to reading-room and exam-room workstations."},
		{ID: "flow-modalities-pacs", From: demoAssetModalities, To: demoAssetPACS, Channel: "interface", TLS: "none", Encrypted: false,
			Description: "Each study is sent from the modality to the PACS over DICOM on the clinic network."},
		{ID: "flow-ehr-claims", From: demoAssetEHR, ToParty: "clearinghouse", Channel: "interface", TLS: "tls1.2", Encrypted: true,
			Description: "Claims and remittances exchanged daily with the claims clearinghouse through the EHR's billing module."},
		{ID: "flow-ehr-erx", From: demoAssetEHR, ToParty: "pharmacy", Channel: "interface", TLS: "tls1.2", Encrypted: true,
			Description: "Prescriptions sent to pharmacies through the e-prescribing network."},
	}
}

// demoAnswer is a scripted answer.
type demoAnswer struct {
	status    ResponseStatus
	reason    string
	decision  Decision
	text      string // alternative measure or rationale
	rationale string // an alternative measure's rationale
	note      string
}

// demoCurated are hand-written answers to specific items. They tell the practice's story
// and carry most of the notes.
var demoCurated = map[ItemKey]demoAnswer{
	// Organization-wide.
	{"308a1iia-ra-01", ""}: {status: Implemented,
		note: "The IT lead keeps the system register in the compliance folder; reviewed at the January management meeting. It lists 9 systems and about 60 devices."},
	{"308a1iia-ra-10", ""}: {status: Partial,
		note: "The written risk analysis on file dates from 2024 and does not cover telehealth or the cloud archive; this assessment is to replace it once signed off."},
	{"308a1iib-rm-01", ""}: {status: Partial,
		note: "The risk register started with this assessment: owners and due dates are set for the top findings, the rest are still being worked through."},
	{"308a2-sec-01", ""}: {status: Implemented,
		note: "Dana Whitfield (practice manager) is the security official under a signed appointment letter; Marcus Oyelaran deputizes."},
	{"308a3iib-clr-02", ""}: {status: Implemented, decision: DecisionAlternative,
		text:      "For those roles we verify licenses, call two references and check the OIG exclusion list before any account is created.",
		rationale: "State law limits criminal-history checks for some support roles, so the check as specified cannot be run for them."},
	{"308a3iic-term-03", ""}: {status: Partial,
		note: "HR tells the practice manager of every departure, but nobody tells Northgate IT, so VPN and network accounts are removed days late."},
	{"308a3iic-term-07", ""}: {status: NotImplemented,
		note: "Payer, lab and HIE portal accounts are not on the leaver checklist; the spot check found two former billing staff who could still sign in to a payer portal."},
	{"308a5iia-rem-03", ""}: {status: Partial,
		note: "One simulated phishing campaign ran last autumn (11% of staff clicked). The second campaign has not been scheduled."},
	{"308a6ii-ir-01", ""}: {status: Implemented,
		note: "Incident response plan version 2 approved by the medical director; a one-page ransomware checklist is posted at each front desk."},
	{"308a7iid-test-01", ""}: {status: Implemented, decision: DecisionAsSpecified,
		note: "Ransomware tabletop held with the clinical leads and Northgate; minutes and the action list are filed with the contingency plan."},
	{"308b1-ba-06", ""}: {status: NotImplemented,
		note: "ClearVisit offers only a SOC 2 Type II report. We have not asked for a HIPAA mapping, a security questionnaire or a HITRUST roadmap."},
	{"308b3-baa-01", ""}: {status: Partial,
		note: "Signed BAAs are on file for five of six business associates. Northgate Managed IT's BAA was requested and is still with their lawyers, although they already have remote access."},
	{"314a2i-baa-03", ""}: {status: Partial,
		note: "Notice terms run from 5 to 60 days. Stratus Harbor's BAA names no number of days, and Lumen Vault's 60 days would leave no time for our own notifications."},
	{"308b1-ba-08", ""}: {status: Partial,
		note: "Current reports are on file for the EHR, cloud, email and telehealth vendors. Lumen Vault's HITRUST i1 has lapsed and no renewal letter has arrived."},
	{"314a2ii-oth-04", ""}: {status: NotApplicable,
		reason: "Riverbend is not a government body, and every outside party that handles its ePHI works under a BAA; none is required by law to do that work."},
	{"310a2ii-fsp-07", ""}: {status: NotImplemented,
		note: "No temperature or water sensor in the server room; the last air-conditioning failure was noticed by the first staff in the next morning. A sensor is on order."},
	{"312b-rev-02", ""}: {status: NotImplemented,
		note: "No targeted checks on the charts of staff-patients or local public figures yet. The EHR can produce the report, but nobody runs it."},
	{"310d2i-disp-04", ""}: {status: Partial,
		note: "The shredding company signed a BAA; the e-waste recycler that collected the old front-desk PCs did not."},
	{"308a1-sud-03", ""}: {status: Implemented,
		note: "SUD records sit in a separate database with their own role group; the segregation memo records the decision and why physical separation was not chosen."},
	{"308a4-sud-03", ""}: {status: Partial,
		note: "Revocations are recorded, but usually at the end of the week when the program coordinator batches the paperwork."},
	{"316a-sud-02", ""}: {status: Partial,
		note: "Consent form and patient notice were updated for the 2024 rule; the Part 2 policy itself still uses the old redisclosure wording."},

	// PACS imaging server.
	{"312a2iv-enc-01", demoAssetPACS}: {status: NotImplemented,
		note: "Studies sit on a plain RAID volume. This PACS version cannot encrypt at rest without the vendor's upgrade; the decision waits for the upgrade quote."},
	{"312e2ii-enc-01", demoAssetPACS}: {status: Partial,
		note: "The web viewer uses TLS 1.2, but the nightly push to the cloud archive still goes over the legacy plain DICOM link."},
	{"312a2iii-logoff-01", demoAssetPACS}: {status: Implemented, decision: DecisionAlternative,
		text:      "Reading-room and exam-room workstations lock after 5 minutes through group policy, which hides and protects the open viewer session.",
		rationale: "The PACS viewer has no idle timeout of its own in this version, so the timeout cannot be set in the application."},
	{"308a1iib-rm-05", demoAssetPACS}: {status: Partial,
		note: "The PACS software is supported; the modalities are assessed as their own asset."},

	// Imaging modalities.
	{"308a1iib-rm-05", demoAssetModalities}: {status: Partial,
		note: "The X-ray unit is supported, but the ultrasound unit's embedded Windows 10 IoT image is out of vendor support until the unit is replaced."},
	{"308a5iib-mal-06", demoAssetModalities}: {status: NotImplemented,
		note: "Neither unit can run anti-malware, and both sit on the shared clinical VLAN with the front-desk PCs; a separate segment is planned."},
	{"308a7-cp-06", demoAssetPACS}: {status: Partial,
		note: "The PACS server is on the server-room UPS; the ultrasound modality and the reading-room workstations are not."},

	// Clinic network and VPN.
	{"312d-mfa-01", demoAssetNetwork}: {status: NotImplemented,
		note: "The VPN accepts a username and password only. The firewall supports MFA but it was never switched on, and three vendor support accounts share one password."},
	{"308a1iib-rm-11", demoAssetNetwork}: {status: Partial,
		note: "Guest Wi-Fi is separate, but clinical PCs, the PACS modalities and the printers share one internal VLAN."},
	{"310a2iii-acv-07", demoAssetNetwork}: {status: NotImplemented, decision: DecisionNotReasonable,
		text: "An entry log for the Eastside wiring closet is not reasonable and appropriate: the closet is locked, holds no stored ePHI, and only the IT lead and Northgate hold keys. A badge reader was quoted at $4,800. The key register, reviewed quarterly, records who can open it instead."},

	// Vendor-hosted systems.
	{"308b1-ba-05", demoAssetEHR}: {status: Implemented,
		note: "Meridian's HITRUST r2 certification letter reviewed; its scope covers the hosted EHR platform and the failover region."},
	{"308b1-ba-05", demoAssetTelehealth}: {status: Partial,
		note: "The latest SOC 2 Type II report was reviewed. It covers security and availability only, says nothing about the Security Rule, and there is no bridge letter."},
	{"308b1-ba-05", demoAssetArchive}: {status: NotImplemented,
		note: "Lumen Vault's HITRUST i1 letter has expired. The vendor says a reassessment is booked but has sent nothing in writing."},
	{"308a1iia-ra-06", demoAssetArchive}: {status: Flagged,
		note: "The service order names the primary region only; we asked Lumen Vault where replicas are kept."},
	{"308a1iia-ra-21", demoAssetArchive}: {status: Partial,
		note: "The bucket policy was checked by hand at set-up; nothing monitors the archive account's settings since."},
	{"312b-cloud-01", demoAssetTelehealth}: {status: NotImplemented,
		note: "ClearVisit's admin audit log is a paid add-on we have not bought, so staff sign-ins and setting changes are not recorded on our side."},
	{"308a7iia-bak-07", demoAssetTelehealth}: {status: Flagged,
		note: "Ask ClearVisit whether session recordings or chat logs are kept at all; if not, mark this not applicable."},
	{"312a1-ac-18", ""}: {status: Partial,
		note: "A spot check found three EHR accounts of people who left up to six weeks earlier; all were disabled the same day."},
	{"308a1iid-iar-02", demoAssetEHR}: {status: Partial,
		note: "The EHR access report is reviewed quarterly; the procedure's example is monthly. The last review found nothing unusual."},
	{"308a5iia-rem-04", demoAssetEmail}: {status: Partial,
		note: "The external-sender banner shows in the web client but not in the mobile app most clinicians use."},
	{"312e2i-int-03", demoAssetEmail}: {status: Implemented, decision: DecisionAsSpecified,
		note: "SPF, DKIM and DMARC at p=quarantine; Northgate reviews the DMARC reports monthly."},

	// Backups.
	{"308a7iid-test-02", demoAssetBackup}: {status: Implemented, decision: DecisionAsSpecified,
		note: "Full restore of last month's EHR export and of a SUD database snapshot; both opened and matched the record counts."},
	{"308a7iia-bak-03", demoAssetBackup}: {status: Implemented,
		note: "Object lock in compliance mode, 35-day retention, on the backup bucket."},
	{"312a2iv-enc-04", demoAssetBackup}: {status: Implemented,
		note: "Encrypted with a customer-managed key in the provider's key service; only the IT lead and the practice manager can administer the key."},

	// Endpoints.
	{"312a2iv-enc-02", demoAssetEndpoints}: {status: Partial,
		note: "51 of 60 devices report BitLocker on. The 9 front-desk desktops have old TPM chips and wait for replacement."},
	{"312a2iii-logoff-02", demoAssetEndpoints}: {status: Partial, decision: DecisionAlternative,
		text:      "The six shared nursing-station PCs sit behind the staffed nurses' desk with privacy screens, and staff lock them with one key press when they step away.",
		rationale: "A 10-minute idle lock on the shared nursing PCs logs clinicians out in the middle of a visit and delays care, so the specification as written is not reasonable and appropriate there.",
		note:      "Screens lock after 10 minutes on office PCs; the six shared nursing-station PCs are exempt so clinicians are not locked out mid-visit."},

	// SUD program records.
	{"308a4-sud-02", demoAssetSUD}: {status: Partial,
		note: "Consent status lives in a paper binder, so staff must check it by hand before any release."},
}

// demoRule answers every applicable item on one asset ("" for organization-wide items)
// whose question guards against one vulnerability, so the story holds across the catalog
// (no encryption on the PACS server, no MFA on the VPN, and so on).
type demoRule struct {
	asset, vuln string
	ans         demoAnswer
}

var demoRules = []demoRule{
	{demoAssetPACS, "unencrypted-data-at-rest", demoAnswer{status: NotImplemented}},
	{demoAssetPACS, "key-compromise", demoAnswer{status: NotImplemented,
		note: "No key management exists because the PACS volume is not encrypted; this closes with the encryption finding."}},
	{demoAssetPACS, "unencrypted-transmission", demoAnswer{status: Partial}},
	{demoAssetModalities, "unencrypted-data-at-rest", demoAnswer{status: NotImplemented}},
	{demoAssetModalities, "key-compromise", demoAnswer{status: NotApplicable,
		reason: "The modalities do not encrypt the studies they keep, so there are no keys to manage; see the encryption-at-rest finding."}},
	{demoAssetNetwork, "missing-mfa", demoAnswer{status: NotImplemented}},
	{demoAssetNetwork, "insecure-remote-access", demoAnswer{status: Partial}},
	{demoAssetNetwork, "flat-network", demoAnswer{status: Partial}},
	{demoAssetArchive, "unverified-vendor-attestation", demoAnswer{status: Partial}},
	{demoAssetTelehealth, "unverified-vendor-attestation", demoAnswer{status: Partial}},
	{demoAssetEndpoints, "unencrypted-data-at-rest", demoAnswer{status: Partial}},
	{demoAssetEHR, "stale-accounts", demoAnswer{status: Partial}},
	{demoAssetSUD, "missing-part2-consent-tracking", demoAnswer{status: Partial}},
	{demoAssetBackup, "backup-failure", demoAnswer{status: Implemented}},
}

// demoAnsweredPercent is how much of each safeguard the assessors have worked through,
// so the progress screens show an uneven, believable picture. Questions that only the
// proposed rule would require are answered least (demoProposedPercent).
var demoAnsweredPercent = map[string]uint32{
	"164.308": 66,
	"164.310": 55,
	"164.312": 54,
	"164.314": 50,
	"164.316": 35,
}

const demoProposedPercent = 35

func demoHash(parts ...string) uint32 {
	h := fnv.New32a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum32()
}

// demoResponses answers the applicable items: scripted answers first, then story rules, then
// a deterministic share of the rest, mostly implemented. Provider-owned items of a vendor
// whose review lets them be inherited are left to that review rather than answered one by
// one, and follow-up questions whose gate is answered not applicable are not answered.
func demoResponses(cat *controls.Catalog, p Profile, assets []Asset, vendors []Vendor, now time.Time, start time.Time) []Response {
	items := Applicable(cat, p, assets)
	inherits := map[string]bool{}
	for _, v := range vendors {
		inherits[v.ID] = InheritanceOf(v, now) != nil
	}
	var out []Response
	for _, it := range items {
		q := it.Question
		key := it.Key()
		ans, ok := demoCurated[key]
		if !ok {
			ans, ok = demoRuleAnswer(q, key.AssetID)
		}
		if !ok && it.Asset != nil && inherits[it.Asset.VendorID] {
			if owner, _ := Owner(q, it.Asset, nil); owner == controls.OwnerProvider {
				continue
			}
		}
		if !ok {
			ans, ok = demoGeneric(cat, q, key)
		}
		if !ok {
			continue
		}
		// Implemented addressable items are implemented as specified; gaps leave the decision
		// to the treatment of their risks unless a curated answer says otherwise.
		if ans.decision == DecisionNone && TakesDecision(cat, q) && ans.status == Implemented {
			ans.decision = DecisionAsSpecified
		}
		by := demoAssessorPM
		if sg := demoSafeguard(cat, q); sg == "164.310" || sg == "164.312" {
			by = demoAssessorIT
		}
		out = append(out, Response{
			QuestionID:   key.QuestionID,
			AssetID:      key.AssetID,
			Status:       ans.status,
			Reason:       ans.reason + ans.rationale, // why N/A, or an alternative's rationale
			Decision:     ans.decision,
			DecisionText: ans.text,
			Note:         ans.note,
			By:           by,
		})
	}
	out = demoGated(cat, p, assets, out)
	// Spread the answers over 25 days, in catalog order.
	if n := len(out); n > 0 {
		step := 25 * 24 * time.Hour / time.Duration(n)
		for i := range out {
			out[i].At = start.Add(time.Duration(i) * step).Truncate(time.Second)
		}
	}
	return out
}

// demoGated drops answers to follow-up questions whose gate is answered not applicable.
func demoGated(cat *controls.Catalog, p Profile, assets []Asset, rs []Response) []Response {
	snap := &Snapshot{Catalog: cat, Profile: p, Assets: assets, Responses: rs}
	asked := map[ItemKey]bool{}
	for _, it := range snap.Items() {
		asked[it.Key()] = true
	}
	out := rs[:0]
	for _, r := range rs {
		if asked[ItemKey{r.QuestionID, r.AssetID}] {
			out = append(out, r)
		}
	}
	return out
}

func demoRuleAnswer(q *controls.Question, assetID string) (demoAnswer, bool) {
	for _, r := range demoRules {
		if r.asset == assetID && slices.Contains(q.Vulnerabilities, r.vuln) {
			return r.ans, true
		}
	}
	return demoAnswer{}, false
}

func demoSafeguard(cat *controls.Catalog, q *controls.Question) string {
	if st, ok := cat.Standard(q.Standard); ok {
		return st.Section
	}
	return ""
}

// demoGeneric decides from a hash of the item whether it is answered yet and how: about 88%
// implemented, 8% partial, 4% flagged for follow-up.
func demoGeneric(cat *controls.Catalog, q *controls.Question, key ItemKey) (demoAnswer, bool) {
	h := demoHash(key.QuestionID, key.AssetID)
	pct := uint32(demoProposedPercent)
	if !q.Proposed {
		pct = demoAnsweredPercent[demoSafeguard(cat, q)]
	}
	if h%100 >= pct {
		return demoAnswer{}, false
	}
	switch v := (h / 100) % 100; {
	case v < 88:
		return demoAnswer{status: Implemented}, true
	case v < 96:
		return demoAnswer{status: Partial}, true
	default:
		return demoAnswer{status: Flagged}, true
	}
}

// demoRiskSpec is a confirmed, rated risk in the demo register.
type demoRiskSpec struct {
	id, asset, vuln, threat string
	title, rationale        string
	l, i                    int
	treatment               Treatment
	measures, owner, due    string
	rl, ri                  int
	status                  RiskStatus
	// questions are the controls behind a risk whose gaps are all closed; a risk with open
	// gaps lists those instead.
	questions []string
	// accepted is who accepted an accepted risk, with what authority, and when.
	accepted [3]string
}

// demoRisks builds the register: rated risks written by the assessors, each linked to the
// gaps that expose it, and three proposals left unrated from the threat library.
func demoRisks(cat *controls.Catalog, p Profile, assets []Asset, responses []Response, now time.Time) []Risk {
	// Due dates are set from the day the register was drawn up: plans run ahead of now,
	// except one overdue action and the treatment completed during the assessment.
	due := func(days int) string { return day(now).AddDate(0, 0, days).Format(time.DateOnly) }
	specs := []demoRiskSpec{
		{id: "risk-vpn-mfa", asset: demoAssetNetwork, vuln: "missing-mfa", threat: "account-takeover",
			title:     "VPN account takeover with a guessed or phished password",
			rationale: "The VPN is reachable from the internet, accepts passwords alone and three vendor accounts share one password; a takeover reaches every clinic system.",
			l:         4, i: 5, treatment: TreatMitigate,
			measures: "Switch on MFA on the VPN with the authenticator app staff already use for email; give each Northgate technician a named account; block sign-ins from outside the US.",
			owner:    "IT lead", due: due(30), rl: 2, ri: 5, status: RiskInProgress},
		{id: "risk-network-flat", asset: demoAssetNetwork, vuln: "flat-network", threat: "lateral-movement",
			title:     "Malware spreads from a front-desk PC to the PACS and modalities",
			rationale: "Clinical PCs, printers, the PACS server and the modalities share one VLAN, so one infected PC can reach them all.",
			l:         3, i: 5, status: RiskOpen},
		{id: "risk-pacs-at-rest", asset: demoAssetPACS, vuln: "unencrypted-data-at-rest", threat: "disposal-data-recovery",
			title:     "Imaging studies readable from PACS disks swapped under warranty",
			rationale: "Failed drives go back to the hardware vendor under the warranty swap, and the volume is not encrypted.",
			l:         3, i: 4, treatment: TreatMitigate,
			measures: "Upgrade the PACS to the release that supports volume encryption; until then keep failed drives under a no-return warranty option and destroy them on site.",
			owner:    "IT lead", due: due(120), rl: 1, ri: 4, status: RiskInProgress},
		{id: "risk-pacs-link", asset: demoAssetPACS, vuln: "unencrypted-transmission", threat: "traffic-interception",
			title:     "Studies intercepted on the unencrypted link to the cloud archive",
			rationale: "The nightly archive push uses plain DICOM over the internet-facing legacy link.",
			l:         3, i: 4, treatment: TreatMitigate,
			measures: "Move the archive push to DICOM over TLS through a site-to-site tunnel to Lumen Vault's gateway, then close outbound port 104.",
			owner:    "IT lead", due: due(90), rl: 1, ri: 4, status: RiskInProgress},
		{id: "risk-pacs-eos", asset: demoAssetModalities, vuln: "unpatched-systems", threat: "vendor-end-of-support",
			title:     "Ultrasound modality runs an operating system its maker no longer patches",
			rationale: "The modality vendor locks the embedded image; the unit is due for replacement next year. It has no internet access, so exploitation needs a foothold inside.",
			l:         2, i: 3, treatment: TreatAccept,
			measures: "Accepted by the medical director until replacement: the modality stays off the internet, its USB ports are disabled and it will move to an isolated VLAN.",
			owner:    "Medical director", due: due(365), rl: 2, ri: 3, status: RiskOpen,
			accepted: [3]string{demoMedicalDirector, "Medical director, who approves clinical equipment risk", due(-12)}},
		{id: "risk-telehealth-soc2", asset: demoAssetTelehealth, vuln: "unverified-vendor-attestation", threat: "vendor-breach",
			title:     "Telehealth vendor's HIPAA safeguards are unverified (SOC 2 only)",
			rationale: "ClearVisit's SOC 2 covers its own chosen criteria, not the Security Rule, and its BAA has no subcontractor flow-down.",
			l:         3, i: 4, treatment: TreatMitigate,
			measures: "Request the vendor's HIPAA control mapping and a completed security questionnaire; ask for a HITRUST roadmap and add flow-down terms at renewal.",
			owner:    "Practice manager", due: due(150), rl: 2, ri: 4, status: RiskOpen},
		{id: "risk-archive-attestation", asset: demoAssetArchive, vuln: "unverified-vendor-attestation", threat: "vendor-breach",
			title:     "Archive vendor's HITRUST i1 has lapsed",
			rationale: "Nothing current shows that Lumen Vault still operates the controls its certification covered.",
			l:         3, i: 4, treatment: TreatMitigate,
			measures: "Obtain the renewed i1 letter or a bridge letter; if none arrives by the due date, start the contract review and price another archive.",
			owner:    "Practice manager", due: due(60), rl: 2, ri: 4, status: RiskOpen},
		{id: "risk-msp-baa", asset: "", vuln: "missing-baa", threat: "vendor-breach",
			title:     "Managed IT provider handles ePHI without a signed BAA",
			rationale: "Northgate has remote access to every clinic system and no BAA binds it to protect what it sees.",
			l:         3, i: 4, treatment: TreatMitigate,
			measures: "Get the BAA signed; until then, Northgate sessions to ePHI systems only while a staff member watches.",
			owner:    "Practice manager", due: due(-10), rl: 2, ri: 4, status: RiskInProgress},
		{id: "risk-ehr-leavers", asset: demoAssetEHR, vuln: "stale-accounts", threat: "former-staff-access",
			title:     "Former staff still able to sign in to the EHR",
			rationale: "The spot check found three leavers' accounts still active up to six weeks after they left.",
			l:         4, i: 4, treatment: TreatMitigate,
			measures: "The HR leaver form now triggers a same-day disable; monthly reconciliation of EHR users against payroll.",
			owner:    "Practice manager", due: due(45), rl: 1, ri: 4, status: RiskInProgress},
		{id: "risk-email-bec", asset: demoAssetEmail, vuln: "phishing-susceptibility", threat: "business-email-compromise",
			title:     "Business email compromise redirects payments or patient data",
			rationale: "Phishing clicks were 11% in the only simulation, and the external-sender warning is missing on mobile.",
			l:         3, i: 4, treatment: TreatMitigate,
			measures: "Run phishing simulations twice a year, fix the mobile banner and require a call-back before any change to payment details.",
			owner:    "Practice manager", due: due(120), rl: 2, ri: 3, status: RiskInProgress},
		{id: "risk-sud-consent", asset: demoAssetSUD, vuln: "missing-part2-consent-tracking", threat: "part2-unauthorized-disclosure",
			title:     "SUD records released without a valid Part 2 consent",
			rationale: "Consent status is kept in a paper binder and revocations are recorded in weekly batches. A wrongful disclosure of SUD treatment can cost a patient their job, custody or liberty.",
			l:         3, i: 5, treatment: TreatMitigate,
			measures: "Add a consent-status field to the SUD record store, record revocations the same day, and require a consent check in the release-of-information step.",
			owner:    "SUD program director", due: due(90), rl: 1, ri: 4, status: RiskOpen},
		{id: "risk-laptop-theft", asset: demoAssetEndpoints, vuln: "unencrypted-data-at-rest", threat: "device-theft",
			title:     "Stolen unencrypted desktop exposes cached scans",
			rationale: "Nine front-desk desktops are not encrypted and hold cached scans of insurance cards and forms; they are bolted down in staffed areas, so theft is unlikely.",
			l:         2, i: 4, treatment: TreatMitigate,
			measures: "Replace the nine desktops with TPM 2.0 models and turn on BitLocker; stop local caching of scans in the meantime.",
			owner:    "IT lead", due: due(75), rl: 2, ri: 2, status: RiskInProgress},
		{id: "risk-ehr-vendor-breach", asset: demoAssetEHR, vuln: "vendor-breach", threat: "vendor-breach",
			title:     "Breach at the EHR vendor exposes the practice's charts",
			rationale: "All 48,000 charts live with one vendor; its HITRUST r2 lowers but does not remove the chance of a breach.",
			l:         2, i: 5, treatment: TreatTransfer,
			measures: "Cyber liability policy with third-party breach cover, plus the indemnity clause in Meridian's BAA; review both at renewal. Insurance pays for the response but does not lessen the harm to patients, so the residual impact stays very high.",
			owner:    "Practice manager", due: due(200), rl: 2, ri: 5, status: RiskInProgress},
		{id: "risk-backup-restore", asset: demoAssetBackup, vuln: "backup-failure", threat: "backup-corruption",
			title:     "Backups fail silently and cannot be restored when needed",
			rationale: "No restore had been tested before this assessment.",
			l:         3, i: 4, treatment: TreatMitigate,
			measures: "Weekly review of backup job results and a quarterly restore test; the first full restore succeeded during this assessment.",
			owner:    "IT lead", due: due(-7), rl: 1, ri: 3, status: RiskClosed,
			questions: []string{"308a7iia-bak-06", "308a7iid-test-02"}},
	}

	snap := &Snapshot{Catalog: cat, Profile: p, Assets: assets, Responses: responses}
	proposals := map[riskKey]Risk{}
	for _, r := range ProposeRisks(snap) {
		proposals[keyOf(&r)] = r
	}
	var out []Risk
	for _, s := range specs {
		r := Risk{
			ID: s.id, AssetID: s.asset, VulnerabilityID: s.vuln, ThreatID: s.threat,
			Title: s.title, Rationale: s.rationale, Likelihood: s.l, Impact: s.i,
			Treatment: s.treatment, Measures: s.measures, Owner: s.owner,
			ResidualL: s.rl, ResidualI: s.ri, Status: s.status,
			AcceptedBy: s.accepted[0], AcceptedAuthority: s.accepted[1], AcceptedOn: s.accepted[2],
		}
		if s.treatment != TreatNone {
			r.Due = s.due
		}
		switch pr, ok := proposals[keyOf(&r)]; {
		case ok:
			r.QuestionIDs = pr.QuestionIDs
		case len(s.questions) > 0:
			r.QuestionIDs = slices.Clone(s.questions)
		default:
			r.QuestionIDs = demoMitigating(cat, snap, s.asset, s.vuln)
		}
		out = append(out, r)
	}
	// Three proposals the assessors have not looked at yet, taken from the gaps as the
	// tool proposes them, and left unrated.
	for i, k := range []riskKey{
		{demoAssetArchive, "misconfigured-cloud-storage"},
		{demoAssetEndpoints, "no-automatic-logoff"},
		{demoAssetPACS, "no-power-protection"},
	} {
		pr, ok := proposals[k]
		if !ok {
			continue
		}
		pr.ID = "risk-proposed-" + string(rune('a'+i))
		pr.Likelihood, pr.Impact = 0, 0
		out = append(out, pr)
	}
	return out
}

// demoMitigating lists up to four answered questions on the asset (or organization) that guard
// against the vulnerability: the controls behind a risk whose gaps are closed.
func demoMitigating(cat *controls.Catalog, s *Snapshot, assetID, vuln string) []string {
	resp := s.ResponseMap()
	var ids []string
	for _, it := range Applicable(cat, s.Profile, s.Assets) {
		k := it.Key()
		if k.AssetID != assetID || !slices.Contains(it.Question.Vulnerabilities, vuln) {
			continue
		}
		if _, ok := resp[k]; ok && !slices.Contains(ids, k.QuestionID) {
			ids = append(ids, k.QuestionID)
		}
		if len(ids) == 4 {
			break
		}
	}
	return ids
}

// demoNote is an evidence note in the demo vault.
type demoNote struct {
	id, name, text, validUntil string
	links                      []EvidenceLink
}

func demoEvidence(vendors []Vendor, start time.Time) []EvidenceDoc {
	expiry := func(vendorID string) string {
		for _, v := range vendors {
			if v.ID == vendorID && len(v.Attestations) > 0 {
				return v.Attestations[0].Expires
			}
		}
		return ""
	}
	notes := []demoNote{
		{id: "evidence-ehr-hitrust", name: "Meridian HITRUST r2 letter review",
			text: "Reviewed Meridian Chart Cloud's HITRUST r2 certification letter and scope summary. " +
				"The scope names the hosted EHR platform, the patient portal and both hosting regions. " +
				"No corrective action plans affect services we use. Letter filed in Vendors/Meridian.",
			validUntil: expiry(demoVendorEHR),
			links:      []EvidenceLink{{VendorID: demoVendorEHR}, {QuestionID: "308b1-ba-05", AssetID: demoAssetEHR}}},
		{id: "evidence-telehealth-soc2", name: "ClearVisit SOC 2 Type II review memo",
			text: "Read ClearVisit's SOC 2 Type II report. Trust criteria: security and availability. " +
				"Two exceptions, both on change tickets, remediated per management's response. " +
				"The report does not address the HIPAA Security Rule and there is no bridge letter. " +
				"Complementary user controls we own: MFA for staff accounts, timely user removal.",
			links: []EvidenceLink{{VendorID: demoVendorTelehealth}, {AssetID: demoAssetTelehealth}, {QuestionID: "308b1-ba-05", AssetID: demoAssetTelehealth}}},
		{id: "evidence-archive-renewal", name: "Lumen Vault attestation renewal request",
			text: "Emailed Lumen Vault's account manager asking for the renewed HITRUST i1 letter or a bridge letter, " +
				"since the current letter has expired. Reply: reassessment booked, no date for the letter. " +
				"Follow up in 30 days; escalate to contract review if nothing arrives.",
			links: []EvidenceLink{{VendorID: demoVendorArchive}, {QuestionID: "308b1-ba-05", AssetID: demoAssetArchive}}},
		{id: "evidence-restore-test", name: "Backup restore test record",
			text: "Restored last month's EHR bulk export and the latest SUD database snapshot to an isolated test VM. " +
				"Both opened; record counts matched the source (EHR 47,912 charts, SUD 638 records). " +
				"Restore took 3 h 40 min. Next test due next quarter.",
			links: []EvidenceLink{{AssetID: demoAssetBackup}, {QuestionID: "308a7iid-test-02", AssetID: demoAssetBackup}}},
		{id: "evidence-bitlocker", name: "BitLocker status summary",
			text: "Encryption report from the device management console: 60 managed devices, 51 with BitLocker " +
				"fully encrypted and recovery keys escrowed, 9 not encrypted (front-desk desktops with TPM 1.2). " +
				"Replacement order raised for the 9 units.",
			links: []EvidenceLink{{AssetID: demoAssetEndpoints}, {QuestionID: "312a2iv-enc-02", AssetID: demoAssetEndpoints}}},
		{id: "evidence-vpn-review", name: "VPN configuration review",
			text: "Walked through the firewall's VPN settings with Northgate. Authentication is local username and password; " +
				"MFA is licensed but off. Three vendor support accounts share one password. " +
				"Idle timeout 8 hours. Agreed to enable MFA and named accounts.",
			links: []EvidenceLink{{AssetID: demoAssetNetwork}, {QuestionID: "312d-mfa-01", AssetID: demoAssetNetwork}}},
		{id: "evidence-msp-baa", name: "Northgate BAA request",
			text: "Sent our standard BAA to Northgate Managed IT with the engagement renewal. " +
				"Northgate's counsel asked to change the breach-notice clause; we proposed 10 days. " +
				"Awaiting their signature.",
			links: []EvidenceLink{{VendorID: demoVendorMSP}, {QuestionID: "308b3-baa-01"}}},
		{id: "evidence-sud-segregation", name: "Part 2 segregation memo",
			text: "SUD program records are kept in their own managed database with a dedicated role group. " +
				"Only the program's five clinicians and the coordinator hold the role. Physical separation " +
				"was considered and rejected as costly with no added protection over the role separation. " +
				"Disclosures go through the coordinator after a consent check.",
			links: []EvidenceLink{{AssetID: demoAssetSUD}, {QuestionID: "308a1-sud-03"}}},
	}
	out := make([]EvidenceDoc, 0, len(notes))
	for i, n := range notes {
		sum := sha256.Sum256([]byte(n.text))
		by := demoAssessorPM
		if i%2 == 1 {
			by = demoAssessorIT
		}
		out = append(out, EvidenceDoc{
			Evidence: Evidence{
				ID:         n.id,
				SHA256:     hex.EncodeToString(sum[:]),
				Name:       n.name,
				MediaType:  "text/plain",
				Size:       int64(len(n.text)),
				IsNote:     true,
				ValidUntil: n.validUntil,
				AddedBy:    by,
				AddedAt:    start.Add(time.Duration(2+3*i) * 24 * time.Hour).Add(10 * time.Hour),
				Links:      n.links,
			},
			NoteText: n.text,
		})
	}
	return out
}
