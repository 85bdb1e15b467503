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
	if len(s.Assets) == 0 {
		d.warnBox("No assets are recorded: the analysis does not yet say where ePHI is created, received, kept or sent.")
	} else {
		d.body(fmt.Sprintf("The %s recorded for this assessment. Assets out of scope are listed for completeness and were not assessed. "+
			"An asset run on the premises by a vendor (a managed IT provider, say) is marked “administered by” the vendor.", assessment.Plural(len(s.Assets), "asset", "assets")))
		t := d.newAutoTable(7.5,
			col{"Asset", 1, "L"}, col{"Kind", 1, "L"}, col{"Hosting / provider", 1, "L"}, col{"ePHI", 1, "L"},
			col{"Records", 1, "R"}, col{"Location", 1, "L"}, col{"Owner", 1, "L"}, col{"Criticality", 1, "L"})
		for _, a := range s.Assets {
			name := cell{text: a.Name, style: "B"}
			if !a.InScope {
				name.text += "\n(out of scope)"
				name.color = &colMuted
			}
			if d.s.Audit.IsAltered("asset", a.ID) {
				name.text += "\n" + alteredMark
				name.fill = &colWarnFill
			}
			host := a.Hosting.Label()
			if a.VendorID != "" {
				if m.AdministeredBy(a.ID) != "" {
					host += "\nadministered by " + m.VendorName(a.VendorID)
				} else {
					host += "\n" + m.VendorName(a.VendorID)
				}
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
		d.body("No data flows are recorded: how ePHI moves between systems and to outside parties (payers, clearinghouses, laboratories, health information exchanges, pharmacies, patients) is not documented.")
		return
	}
	d.body("How ePHI moves between the assets above and to parties outside the organization, by what channel, and whether it is encrypted in transit.")
	t := d.newAutoTable(8, col{"From", 1, "L"}, col{"To", 1, "L"}, col{"Channel and protection", 1, "L"}, col{"What moves", 1, "L"}, col{"Encrypted", 1, "L"})
	outside := 0
	for _, f := range s.Flows {
		enc := cell{text: "Yes", fill: &colOKFill}
		if !f.Encrypted {
			enc = cell{text: "No", fill: &colWarnFill, style: "B"}
		}
		to := m.AssetName(f.To)
		if f.To == "" {
			outside++
			to = "Outside: " + assessment.LabelOr(assessment.OutsideParties, f.ToParty, "party not named")
		}
		ch := assessment.LabelOr(assessment.FlowChannels, f.Channel, "Channel not recorded")
		if f.TLS != "" {
			ch += "\n" + assessment.ChoiceLabel(assessment.TLSChoices, f.TLS)
		}
		t.row(txt(m.AssetName(f.From)), txt(to), txt(ch), txt(f.Description), enc)
	}
	t.end()
	if outside == 0 {
		d.small("No flow to a party outside the organization is recorded. Most practices send ePHI to payers or a clearinghouse, laboratories, pharmacies and patients; if this one does, those flows are missing.")
	}
}

// alteredMark is printed at a record verification found changed outside safeguard.
const alteredMark = "[altered outside safeguard]"

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
		"A dagger marks reliance on a provider whose BAA or attestation has a gap, and an on-premises asset administered by a vendor without a signed BAA (see " + d.ref(secVendors) + "). " +
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
		if len(it.Issues) > 0 || (m.AdministeredBy(it.Asset.ID) != "" && !vendorBAA(m, it.Asset.VendorID)) {
			c.flagged = true
		}
	}
	const per = 6
	for start := 0; start < len(assets); start += per {
		end := min(start+per, len(assets))
		cols := []col{{"Standard", 62, "L"}}
		for _, a := range assets[start:end] {
			h := a.Hosting.Short()
			if m.AdministeredBy(a.ID) != "" {
				h += ", vendor-run"
			}
			cols = append(cols, col{a.Name + "\n" + h, 19.3, "C"})
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
	t := d.newAutoTable(8, col{"Question", 32, "L"}, col{"Asset", 28, "L"}, col{"Default", 16, "L"}, col{"Recorded", 16, "L"}, col{"Reason", 80, "L"})
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

// vendorBAA reports whether the vendor with id has a valid signed BAA.
func vendorBAA(m *model, id string) bool {
	v, ok := m.Vendor(id)
	return ok && v.BAAValid()
}

func (d *doc) vendors() {
	s, m := d.s, d.m
	d.startSection(secVendors)
	d.body(fmt.Sprintf("Business associates and cloud providers that create, receive, keep or send ePHI for the organization. "+
		"A business associate agreement (BAA) is required before a vendor handles ePHI (§164.308(b) and §164.314(a)); it must bind the vendor's "+
		"subcontractors to the same protections and require it to report security incidents and breaches (§164.314(a)(2)(i)). "+
		"Attestations show how far the vendor's own safeguards have been independently checked; a SOC 2 report alone tests criteria the "+
		"vendor chooses rather than the Security Rule. Expiry is judged as of %s; dates within 90 days of it are flagged.", assessment.DocDate(m.AsOf)))
	if len(s.Vendors) == 0 {
		d.vendorWarnings(0)
		return
	}
	t := d.newAutoTable(8, col{"Vendor", 1, "L"}, col{"Services", 1, "L"}, col{"BAA", 1, "L"}, col{"Breach notice", 1, "L"}, col{"Flow-down", 1, "L"}, col{"Assets", 1, "L"}, col{"Reviewed", 1, "L"})
	for _, v := range s.Vendors {
		var baa cell
		switch v.BAA {
		case assessment.BAASigned:
			baa = cell{text: "Signed " + assessment.DocDay(v.BAASigned), fill: &colOKFill}
			if !v.Flowdown || v.BreachNoticeDays == 0 {
				baa = cell{text: "Signed " + assessment.DocDay(v.BAASigned) + "\nterms missing", fill: &colAmber}
			}
		case assessment.BAAExpired:
			baa = cell{text: "Expired", fill: &colWarnFill, style: "B"}
		case assessment.BAARequested:
			baa = cell{text: "Requested, not signed", fill: &colWarnFill, style: "B"}
		default:
			baa = cell{text: "None", fill: &colWarnFill, style: "B"}
		}
		notice := cell{text: "Not stated", fill: &colAmber}
		if v.BreachNoticeDays > 0 {
			notice = txt(fmt.Sprintf("%d days", v.BreachNoticeDays))
		}
		flow := txt("Yes")
		if !v.Flowdown {
			flow = cell{text: "No", fill: &colAmber}
		}
		var names []string
		for _, a := range s.Assets {
			if a.VendorID == v.ID {
				n := a.Name
				if m.AdministeredBy(a.ID) != "" {
					n += " (administers on site)"
				}
				names = append(names, n)
			}
		}
		reviewed := cell{text: "Not reviewed", fill: &colAmber}
		if r, ok := m.Vendors.Reviews[v.ID]; ok {
			reviewed = txt(assessment.DocDay(r.Date))
			if strings.TrimSpace(r.Note) != "" {
				reviewed.text += "\n" + r.Note
			}
		}
		name := cell{text: v.Name, style: "B"}
		if s.Audit.IsAltered("vendor", v.ID) {
			name.text += "\n" + alteredMark
			name.fill = &colWarnFill
		}
		t.row(name, txt(v.Services), baa, notice, flow, txt(strings.Join(names, "\n")), reviewed)
	}
	t.end()

	d.heading2("Attestations", 20)
	t = d.newAutoTable(8, col{"Vendor", 40, "L"}, col{"Attestation", 48, "L"}, col{"Period end", 24, "L"}, col{"Expires", 24, "L"}, col{"Standing (as of " + assessment.DocDate(m.AsOf) + ")", 46, "L"})
	for _, v := range s.Vendors {
		if len(v.Attestations) == 0 {
			t.row(cell{text: v.Name, style: "B"}, cell{text: "None held", fill: &colWarnFill}, txt(""), txt(""), cell{text: "No independent assurance", fill: &colWarnFill})
			continue
		}
		for _, a := range v.Attestations {
			t.row(cell{text: v.Name, style: "B"}, txt(assessment.ChoiceLabel(assessment.AttestationChoices, a.Kind)), txt(assessment.DocDay(a.PeriodEnd)), txt(assessment.DocDay(a.Expires)), d.standing(a.Expires))
		}
	}
	t.end()

	d.heading2("Warnings", 15)
	d.vendorWarnings(0)
}

// standing describes an attestation's expiry as of the report's date.
func (d *doc) standing(expires string) cell {
	days, ok := d.m.DaysUntil(expires)
	switch {
	case !ok:
		return cell{text: "No readable expiry date", fill: &colWarnFill}
	case days < 0:
		return cell{text: fmt.Sprintf("Expired on %s, %s earlier", assessment.DocDay(expires), assessment.Plural(-days, "day", "days")), fill: &colWarnFill, style: "B"}
	case days <= 90:
		return cell{text: fmt.Sprintf("Expires in %s", assessment.Plural(days, "day", "days")), fill: &colAmber, style: "B"}
	}
	return cell{text: "Current", fill: &colOKFill}
}

// ---- encryption and breach safe harbor ----

func (d *doc) encryption() {
	m := d.m
	d.startSection(secEncrypt)
	d.body("Whether each in-scope asset's ePHI can count as secured if it is lost or stolen. Under §164.402 the breach notification rules apply to unsecured " +
		"protected health information: information not made unusable, unreadable or indecipherable to unauthorized people by a method HHS specifies. " +
		"HHS's guidance names encryption consistent with NIST SP 800-111 for data at rest and NIST SP 800-52 (TLS 1.2 or later) for data in transit, " +
		"with the decryption keys kept apart from the data. The determination below is derived from the inventory, the asset's answers to the encryption and " +
		"key-custody questions, and the recorded data flows; where they disagree it says “cannot be determined” and names the records that conflict.")
	if len(m.Secured) == 0 {
		d.body("No asset is in scope, so nothing can be determined.")
	} else {
		t := d.newTable(7.5, col{"Asset", 26, "L"}, col{"At rest", 24, "L"}, col{"Why (at rest)", 50, "L"}, col{"In transit", 24, "L"}, col{"Why (in transit)", 50, "L"})
		for _, v := range m.Secured {
			name := m.AssetName(v.AssetID)
			if v.KeyCustody != "" {
				name += "\n" + assessment.ChoiceLabel(assessment.EncryptionChoices, v.KeyCustody)
			}
			t.row(cell{text: name, style: "B"}, securedCell(v.AtRest), txt(v.AtRestWhy), securedCell(v.InTransit), txt(v.InTransitWhy))
		}
		t.end()
		d.small("“Can qualify as secured” says only that nothing recorded contradicts it; the report records the encryption the organization described and does not test algorithms or key handling, which the evidence for the encryption questions should show.")
	}
	d.heading2("What an unsecured breach means", 30)
	d.leadIn("When unsecured ePHI is acquired, used or disclosed in a way the Privacy Rule does not permit, a breach is presumed "+
		"unless a documented assessment of four factors (the nature of the data, who received it, whether it was actually "+
		"viewed or acquired, and how far the risk was mitigated) shows a low probability that it was compromised (§164.402). "+
		"A breach of unsecured ePHI must then be reported:", 20)
	d.bullets([]string{
		"to each affected individual without unreasonable delay and no later than 60 calendar days after discovery (§164.404);",
		"to prominent media outlets when more than 500 residents of one state or jurisdiction are affected (§164.406);",
		"to HHS at the same time for 500 or more individuals, otherwise within 60 days after the end of the calendar year (§164.408);",
		"by a business associate to the covered entity without unreasonable delay and no later than 60 days after discovery (§164.410).",
	}, 9)
}

func securedCell(s assessment.SecuredState) cell {
	c := cell{text: s.Label(), style: "B"}
	switch s {
	case assessment.SecuredCanQualify:
		c.fill = &colOKFill
	case assessment.SecuredNot:
		c.fill = &colWarnFill
	case assessment.SecuredUnknown:
		c.fill = &colAmber
	}
	return c
}

// ---- 42 CFR Part 2 ----

func (d *doc) part2() {
	s, m := d.s, d.m
	d.startSection(secPart2)
	d.body("Records of a federally assisted substance use disorder (SUD) program are protected by 42 CFR Part 2 on top of HIPAA. " +
		"Under the 2024 final rule, which programs must follow from February 16, 2026, such records no longer have to be kept apart " +
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
		t := d.newAutoTable(8, col{"Asset", 34, "L"}, col{"Hosting / provider", 34, "L"}, col{"How kept apart", 38, "L"}, col{"Encryption at rest", 36, "L"}, col{"Records", 16, "R"})
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
	t := d.newTable(8, col{"Target", 30, "L"}, col{"Status", 22, "L"}, col{"Notes, decisions and evidence", 120, "L"})
	n := 0
	for _, q := range qs {
		items := m.QuestionItems(q.ID)
		if len(items) == 0 {
			continue
		}
		t.group(cell{text: q.ID + "  " + q.Text, style: "B"})
		for _, it := range items {
			t.row(txt(it.TargetName()), cell{text: it.Status.Short(), fill: statusFill(it.Status)}, txt(m.notes(it)))
			n++
		}
	}
	if n == 0 {
		d.body("No Part 2 question applies.")
	} else {
		t.end()
	}
}
