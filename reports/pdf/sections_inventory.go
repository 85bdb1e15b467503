package pdf

import (
	"fmt"
	"strings"

	"safeguard/assessment"
	"safeguard/controls"
)

// ---- asset inventory and data flows ----

func (d *doc) inventory() {
	s, m := d.s, d.m
	d.startSection(secInventory)
	d.body("Every system, data store, device class and outside service recorded for this assessment. Assets marked out of " +
		"scope are listed for completeness and were not assessed.")
	if len(s.Assets) == 0 {
		d.body("No assets were recorded.")
	} else {
		t := d.newTable(7.5,
			col{"Asset", 29, "L"}, col{"Kind", 22, "L"}, col{"Hosting / provider", 28, "L"}, col{"ePHI", 12, "L"},
			col{"Records", 13, "R"}, col{"Location", 23, "L"}, col{"Owner", 19, "L"}, col{"Criticality", 17, "L"})
		for _, a := range s.Assets {
			name := cell{text: a.Name, style: "B"}
			if !a.InScope {
				name.text += "\n(out of scope)"
				name.color = &colMuted
			}
			host := a.Hosting.Label()
			if a.VendorID != "" {
				host += "\n" + m.VendorName(a.VendorID)
			}
			ephi := yesNo(a.EPHI)
			if a.Part2 {
				ephi += "\nPart 2 records"
			}
			crit := assessment.LabelOr(assessment.CriticalityChoices, a.Criticality, "")
			recs := ""
			if a.Records > 0 {
				recs = assessment.FormatInt(a.Records)
			}
			t.row(name, txt(shortKind(a.Kind)), txt(host), txt(ephi), txt(recs), txt(a.Location), txt(a.Owner), txt(crit))
		}
		t.end()
		var notes [][2]string
		for _, a := range s.Assets {
			if strings.TrimSpace(a.Notes) != "" {
				notes = append(notes, [2]string{a.Name, a.Notes})
			}
		}
		if len(notes) > 0 {
			d.heading2("Asset notes", 15)
			d.kv(notes)
		}
	}

	d.heading2("Data flows", 20)
	if len(s.Flows) == 0 {
		d.body("No data flows between assets were recorded.")
		return
	}
	d.body("Movements of ePHI between the assets above, and whether each is encrypted in transit.")
	t := d.newTable(8, col{"From", 34, "L"}, col{"To", 34, "L"}, col{"What moves", 82, "L"}, col{"Encrypted", 22, "L"})
	for _, f := range s.Flows {
		enc := cell{text: "Yes", fill: &colOKFill}
		if !f.Encrypted {
			enc = cell{text: "No", fill: &colWarnFill, style: "B"}
		}
		t.row(txt(m.AssetName(f.From)), txt(m.AssetName(f.To)), txt(f.Description), enc)
	}
	t.end()
}

// ---- shared responsibility ----

// respCell is what the matrix shows for one asset and standard.
type respCell struct {
	owners   [3]bool // customer, shared, provider
	override bool
	flagged  bool // provider reliance in doubt
}

func (d *doc) responsibility() {
	s, m := d.s, d.m
	d.startSection(secResp)
	d.body("Who carries out the controls of each Security Rule standard for each in-scope asset: the organization (C), the " +
		"provider hosting the asset (P), or both together (S). The default follows the asset's hosting model; an asterisk marks " +
		"a standard where the owner of at least one control was changed from the default, with the reasons listed below. " +
		"A dagger marks reliance on a provider whose BAA or attestation has a gap (see " + d.ref(secVendors) + "). " +
		"Organization-wide questions are the organization's own program and are not repeated here.")
	var assets []*assessment.Asset
	for i := range s.Assets {
		if s.Assets[i].InScope {
			assets = append(assets, &s.Assets[i])
		}
	}
	if len(assets) == 0 {
		d.body("No assets are in scope, so there is nothing to share.")
		return
	}
	stdIdx := map[string]int{}
	for i, st := range m.cat.Standards {
		stdIdx[st.ID] = i
	}
	assetIdx := map[string]int{}
	for i, a := range assets {
		assetIdx[a.ID] = i
	}
	grid := make([][]respCell, len(m.cat.Standards))
	for i := range grid {
		grid[i] = make([]respCell, len(assets))
	}
	for _, it := range m.Items {
		if it.Asset == nil || it.Question.Proposed {
			continue
		}
		si, ok := stdIdx[it.Question.Standard]
		ai, ok2 := assetIdx[it.Asset.ID]
		if !ok || !ok2 {
			continue
		}
		c := &grid[si][ai]
		switch it.Owner {
		case controls.OwnerCustomer:
			c.owners[0] = true
		case controls.OwnerShared:
			c.owners[1] = true
		case controls.OwnerProvider:
			c.owners[2] = true
		}
		if it.Override != nil {
			c.override = true
		}
		if len(it.Issues) > 0 {
			c.flagged = true
		}
	}
	const per = 6
	for start := 0; start < len(assets); start += per {
		end := min(start+per, len(assets))
		cols := []col{{"Standard", 62, "L"}}
		for _, a := range assets[start:end] {
			cols = append(cols, col{a.Name + "\n" + a.Hosting.Short(), 19.3, "C"})
		}
		for i := end - start; i < per; i++ {
			cols = append(cols, col{"", 19.3, "C"})
		}
		if len(assets) > per {
			d.heading3(fmt.Sprintf("Assets %d to %d of %d", start+1, end, len(assets)), 40)
		}
		t := d.newTable(7, cols...)
		for si, st := range m.cat.Standards {
			row := []cell{{text: "§" + st.ID + " " + st.Title}}
			for ai := start; ai < end; ai++ {
				row = append(row, respText(grid[si][ai]))
			}
			t.row(row...)
		}
		t.end()
	}
	d.small("C = customer (the organization), P = provider, S = shared; several letters mean the standard's controls are split " +
		"differently for different questions. — means no question of the standard applies to that asset.")

	d.heading2("Owner changes from the default", 20)
	if len(s.Overrides) == 0 {
		d.body("No owner was changed: every control follows the default for its hosting model.")
		return
	}
	t := d.newTable(8, col{"Question", 32, "L"}, col{"Asset", 28, "L"}, col{"Default", 16, "L"}, col{"Recorded", 16, "L"}, col{"Reason", 80, "L"})
	for _, o := range s.Overrides {
		q, ok := m.cat.Question(o.QuestionID)
		def := ""
		if ok {
			var a *assessment.Asset
			if o.AssetID != "" {
				a, _ = s.Asset(o.AssetID)
			}
			dflt, _ := assessment.Owner(q, a, nil)
			def = dflt.Label()
		}
		t.row(cell{text: o.QuestionID, style: "M"}, txt(m.AssetName(o.AssetID)), txt(def), cell{text: o.Owner.Label(), style: "B"}, txt(o.Reason))
	}
	t.end()
}

var (
	fillCustomer = rgb{218, 232, 246}
	fillProvider = rgb{252, 229, 205}
	fillShared   = rgb{229, 222, 242}
)

func respText(c respCell) cell {
	letters := []string{"C", "S", "P"}
	var parts []string
	for i, on := range c.owners {
		if on {
			parts = append(parts, letters[i])
		}
	}
	if len(parts) == 0 {
		return cell{text: "—", color: &colMuted}
	}
	text := strings.Join(parts, "/")
	if c.override {
		text += "*"
	}
	if c.flagged {
		text += "†"
	}
	out := cell{text: text, style: "B"}
	if len(parts) == 1 {
		switch parts[0] {
		case "C":
			out.fill = &fillCustomer
		case "P":
			out.fill = &fillProvider
		case "S":
			out.fill = &fillShared
		}
	}
	return out
}

// ---- vendors ----

func (d *doc) vendors() {
	s, m := d.s, d.m
	d.startSection(secVendors)
	d.body(fmt.Sprintf("Business associates and cloud providers that create, receive, keep or send ePHI for the organization. "+
		"A business associate agreement (BAA) is required before a vendor handles ePHI (§164.308(b) and §164.314(a)). "+
		"Attestations show how far the vendor's own safeguards have been independently checked; SOC 2 alone tests criteria the "+
		"vendor chooses rather than the Security Rule. Expiry is judged as of %s; dates within 90 days are flagged.", assessment.DocDate(m.AsOf)))
	if len(s.Vendors) == 0 {
		d.body("No vendors were recorded.")
		return
	}
	t := d.newTable(8, col{"Vendor", 30, "L"}, col{"Services", 54, "L"}, col{"BAA", 28, "L"}, col{"Breach notice", 17, "L"}, col{"Flow-down", 19, "L"}, col{"Assets", 28, "L"})
	for _, v := range s.Vendors {
		var baa cell
		switch v.BAA {
		case assessment.BAASigned:
			baa = cell{text: "Signed " + assessment.DocDay(v.BAASigned), fill: &colOKFill}
		case assessment.BAAExpired:
			baa = cell{text: "Expired", fill: &colWarnFill, style: "B"}
		case assessment.BAARequested:
			baa = cell{text: "Requested, not signed", fill: &colWarnFill, style: "B"}
		default:
			baa = cell{text: "None", fill: &colWarnFill, style: "B"}
		}
		notice := "Not stated"
		if v.BreachNoticeDays > 0 {
			notice = fmt.Sprintf("%d days", v.BreachNoticeDays)
		}
		var names []string
		for _, a := range s.Assets {
			if a.VendorID == v.ID {
				names = append(names, a.Name)
			}
		}
		t.row(cell{text: v.Name, style: "B"}, txt(v.Services), baa, txt(notice), txt(yesNo(v.Flowdown)), txt(strings.Join(names, "\n")))
	}
	t.end()

	d.heading2("Attestations", 20)
	t = d.newTable(8, col{"Vendor", 40, "L"}, col{"Attestation", 48, "L"}, col{"Period end", 24, "L"}, col{"Expires", 24, "L"}, col{"Standing", 46, "L"})
	any := false
	for _, v := range s.Vendors {
		if len(v.Attestations) == 0 {
			t.row(cell{text: v.Name, style: "B"}, cell{text: "None held", fill: &colWarnFill}, txt(""), txt(""), cell{text: "No independent assurance", fill: &colWarnFill})
			any = true
			continue
		}
		for _, a := range v.Attestations {
			t.row(cell{text: v.Name, style: "B"}, txt(assessment.ChoiceLabel(assessment.AttestationChoices, a.Kind)), txt(assessment.DocDay(a.PeriodEnd)), txt(assessment.DocDay(a.Expires)), d.standing(a.Expires))
			any = true
		}
	}
	if any {
		t.end()
	}

	d.heading2("Warnings", 15)
	var warns []string
	for _, v := range s.Vendors {
		for _, is := range m.Summary.VendorIssues[v.ID] {
			warns = append(warns, is.Text)
		}
		for _, a := range v.Attestations {
			if days, ok := m.DaysUntil(a.Expires); ok && days >= 0 && days <= 90 {
				warns = append(warns, fmt.Sprintf("The %s of %s expires on %s, in %d days; ask for the renewed report now.",
					assessment.ChoiceLabel(assessment.AttestationChoices, a.Kind), v.Name, assessment.DocDay(a.Expires), days))
			}
		}
	}
	for _, ri := range m.Summary.Readiness {
		if ri.Kind == assessment.ReadyBAA && ri.VendorID == "" {
			warns = append(warns, ri.Text)
		}
	}
	if len(warns) == 0 {
		d.body("None: every vendor has a signed BAA and a current attestation beyond SOC 2 alone.")
		return
	}
	d.bullets(warns, 9)
}

// standing describes an attestation's expiry as of the report's date.
func (d *doc) standing(expires string) cell {
	days, ok := d.m.DaysUntil(expires)
	switch {
	case !ok:
		return cell{text: "No readable expiry date", fill: &colWarnFill}
	case days < 0:
		return cell{text: fmt.Sprintf("Expired %d days ago", -days), fill: &colWarnFill, style: "B"}
	case days <= 90:
		return cell{text: fmt.Sprintf("Expires in %d days", days), fill: &colAmber, style: "B"}
	}
	return cell{text: "Current", fill: &colOKFill}
}

// ---- encryption and key custody ----

func (d *doc) encryption() {
	s, m := d.s, d.m
	d.startSection(secEncrypt)
	d.body("How each asset's ePHI is encrypted, who holds the keys, and what that means if the data is lost or stolen. " +
		"Under §164.402, the breach notification rules apply to unsecured protected health information: information that has " +
		"not been made unusable, unreadable or indecipherable to unauthorized people by a method HHS specifies in its guidance. " +
		"HHS's guidance on rendering PHI unusable names encryption consistent with NIST SP 800-111 for data at rest and with " +
		"NIST SP 800-52 or SP 800-77 (among others it lists) for data in transit, and it expects the decryption keys to be " +
		"kept apart from the data they protect; a key compromised along with the data leaves the data unsecured.")
	t := d.newTable(7.5, col{"Asset", 28, "L"}, col{"ePHI", 10, "L"}, col{"At rest and key custody", 36, "L"}, col{"In transit", 20, "L"}, col{"For breach purposes", 22, "L"}, col{"Why", 62, "L"})
	n := 0
	for _, a := range s.Assets {
		if !a.InScope {
			continue
		}
		n++
		verdict, why, fill := breachStanding(a)
		rest := assessment.LabelOr(assessment.EncryptionChoices, a.EncAtRest, assessment.NotRecorded)
		tr := assessment.LabelOr(assessment.TLSChoices, a.TLS, assessment.NotRecorded)
		t.row(cell{text: a.Name, style: "B"}, txt(yesNo(a.EPHI)), txt(rest), txt(tr), cell{text: verdict, fill: fill, style: "B"}, txt(why))
	}
	if n == 0 {
		d.body("No assets are in scope.")
	} else {
		t.end()
	}
	d.heading2("What an unsecured breach means", 30)
	d.body("When unsecured ePHI is acquired, used or disclosed in a way the Privacy Rule does not permit, a breach is presumed " +
		"unless a documented assessment of four factors (the nature of the data, who received it, whether it was actually " +
		"viewed or acquired, and how far the risk was mitigated) shows a low probability that it was compromised (§164.402). " +
		"A breach of unsecured ePHI must then be reported:")
	d.bullets([]string{
		"to each affected individual without unreasonable delay and no later than 60 calendar days after discovery (§164.404);",
		"to prominent media outlets when more than 500 residents of one state or jurisdiction are affected (§164.406);",
		"to HHS at the same time for 500 or more individuals, otherwise within 60 days after the end of the calendar year (§164.408);",
		"by a business associate to the covered entity without unreasonable delay and no later than 60 days after discovery (§164.410).",
	}, 9)
	d.body("Encryption that follows the HHS guidance, with keys the attacker did not also obtain, takes a lost or stolen copy " +
		"out of these notification duties. This report records the encryption the organization described; it does not test " +
		"the algorithms or key handling, which the evidence for the encryption questions should show.")

	var weak []string
	for _, f := range s.Flows {
		if !f.Encrypted {
			weak = append(weak, fmt.Sprintf("%s → %s: %s", m.AssetName(f.From), m.AssetName(f.To), cleanLine(f.Description)))
		}
	}
	if len(weak) > 0 {
		d.heading2("Data flows without encryption in transit", 15)
		d.bullets(weak, 9)
	}
}

// breachStanding classifies an asset's ePHI for breach purposes from what was recorded.
func breachStanding(a assessment.Asset) (string, string, *rgb) {
	if !a.EPHI {
		return "No ePHI recorded", "The asset is recorded as holding no ePHI, so the breach rules do not reach its data.", nil
	}
	var why []string
	restOK, transitOK := false, false
	switch a.EncAtRest {
	case "", assessment.EncNone:
		if a.EncAtRest == "" {
			why = append(why, "Encryption at rest is not recorded, so stored data must be treated as unsecured.")
		} else {
			why = append(why, "Stored data is not encrypted: a lost or stolen copy is unsecured.")
		}
	case assessment.EncProviderManaged:
		restOK = true
		why = append(why, "Encrypted at rest with keys the provider manages: secured against theft of media, but a compromise at the provider can reach the keys and the data together.")
	case assessment.EncCustomerManaged:
		restOK = true
		why = append(why, "Encrypted at rest with keys the organization controls in the provider's key service, kept apart from the data.")
	case assessment.EncCustomerHeld:
		restOK = true
		why = append(why, "Encrypted at rest with keys the organization holds itself, outside the provider's reach.")
	}
	switch a.TLS {
	case "tls1.2", "tls1.3":
		transitOK = true
		why = append(why, "TLS 1.2 or later in transit, as NIST SP 800-52 Rev. 2 expects.")
	case "tls1.0", "tls1.1":
		why = append(why, "TLS 1.0 and 1.1 do not meet NIST SP 800-52 Rev. 2: data in transit is unsecured.")
	case "none":
		why = append(why, "Nothing is encrypted in transit: intercepted data is unsecured.")
	default:
		why = append(why, "Encryption in transit is not recorded.")
	}
	switch {
	case restOK && transitOK:
		return "Can qualify as secured", strings.Join(why, " "), &colOKFill
	case restOK:
		return "Unsecured in transit", strings.Join(why, " "), &colWarnFill
	case transitOK:
		return "Unsecured at rest", strings.Join(why, " "), &colWarnFill
	}
	return "Unsecured", strings.Join(why, " "), &colWarnFill
}

// ---- 42 CFR Part 2 ----

func (d *doc) part2() {
	s, m := d.s, d.m
	d.startSection(secPart2)
	d.body("Records of a federally assisted substance use disorder (SUD) program are protected by 42 CFR Part 2 on top of HIPAA. " +
		"Under the 2024 final rule, with compliance required from February 16, 2026, such records no longer have to be kept apart " +
		"from other records, but the added protections travel with them: they must stay identifiable (for example by tagging), " +
		"disclosures must follow the patient's consent, which therefore has to be tracked, and §2.16 requires written policies " +
		"and procedures that secure the records, whether paper or electronic.")
	var rows []assessment.Asset
	for _, a := range s.Assets {
		if a.Part2 {
			rows = append(rows, a)
		}
	}
	d.heading2("Assets holding Part 2 records", 20)
	if len(rows) == 0 {
		d.body("The organization runs a Part 2 program, but no asset is recorded as holding its records; record where they are kept.")
	} else {
		t := d.newTable(8, col{"Asset", 34, "L"}, col{"Hosting / provider", 34, "L"}, col{"How kept apart", 38, "L"}, col{"Encryption at rest", 36, "L"}, col{"Records", 16, "R"})
		for _, a := range rows {
			host := a.Hosting.Label()
			if a.VendorID != "" {
				host += "\n" + m.VendorName(a.VendorID)
			}
			seg := assessment.LabelOr(assessment.SegregationChoices, a.Segregation, assessment.NotRecorded)
			rest := assessment.LabelOr(assessment.EncryptionChoices, a.EncAtRest, assessment.NotRecorded)
			name := a.Name
			if !a.InScope {
				name += " (out of scope)"
			}
			recs := ""
			if a.Records > 0 {
				recs = assessment.FormatInt(a.Records)
			}
			t.row(cell{text: name, style: "B"}, txt(host), txt(seg), txt(rest), txt(recs))
		}
		t.end()
	}
	d.heading2("Part 2 questions", 20)
	qs := m.cat.WithLens("part2")
	t := d.newTable(8, col{"Target", 30, "L"}, col{"Status", 22, "L"}, col{"Notes", 96, "L"}, col{"Evidence", 24, "L"})
	n := 0
	for _, q := range qs {
		items := m.QuestionItems(q.ID)
		if len(items) == 0 {
			continue
		}
		t.group(cell{text: q.ID + "  " + q.Text, style: "B"})
		for _, it := range items {
			t.row(txt(it.TargetName()), cell{text: it.Status.Short(), fill: statusFill(it.Status)}, txt(m.notes(it)), txt(strings.Join(m.EvidenceRefs(it), ", ")))
			n++
		}
	}
	if n == 0 {
		d.body("No Part 2 question applies.")
	} else {
		t.end()
	}
}
