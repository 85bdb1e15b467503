package pdf

import (
	"fmt"
	"strings"

	"safeguard/assessment"
	"safeguard/controls"
)

// ---- cover ----

func (d *doc) cover() {
	s, m := d.s, d.m
	d.newPage()
	d.bookmark("Cover", 0, -1)
	if !d.final {
		// drawn as outlines, so it stays out of the text layer (memo_watermark.go)
		d.outlineWatermark("DRAFT", 120)
	}
	x := marginL + 8
	w := contentW - 8
	d.font("B", 10)
	d.textColor(colAccent2)
	d.f.SetXY(x, 36)
	d.text(w, 6, "HIPAA SECURITY RULE RISK ANALYSIS", "", 1, "L")
	d.f.SetY(d.y() + 3)
	title := d.cleanLine(s.Assessment.Title)
	if title == "" {
		title = "Security risk analysis"
	}
	size, lead := 26.0, 11.0
	d.font("B", size)
	if len(d.lines(title, w)) > 2 {
		size, lead = 19, 8.5
		d.font("B", size)
	}
	d.textColor(colAccent)
	for _, ln := range d.lines(title, w) {
		d.f.SetXY(x, d.y())
		d.cell(w, lead, ln, "", 1, "L")
	}
	d.f.SetY(d.y() + 3)
	d.font("", 16)
	d.textColor(colInk)
	for _, ln := range d.lines(d.cleanLine(s.Assessment.Organization), w) {
		d.f.SetXY(x, d.y())
		d.cell(w, 8, ln, "", 1, "L")
	}
	d.f.SetY(d.y() + 2)
	d.font("", 10.5)
	d.textColor(colMuted)
	for _, ln := range d.lines("Prepared under 45 CFR §164.308(a)(1)(ii)(A) following NIST SP 800-66 Rev. 2 and NIST SP 800-30 Rev. 1", w) {
		d.f.SetXY(x, d.y())
		d.cell(w, 5.5, ln, "", 1, "L")
	}
	d.fillColor(colAccent)
	d.rect(marginL, 36, 2.2, d.y()-36, "F")
	d.f.SetY(d.y() + 6)
	if d.unverified() {
		d.warnBox(d.integrityBanner())
	}

	d.f.SetY(max(d.y(), 112))
	o := m.Summary.Overall
	d.kv([][2]string{
		{"Organization", s.Assessment.Organization},
		{"Entity type", entityLabel(s.Profile.EntityType)},
		{"Assessment period", period(s.Profile)},
		{"Assessor(s)", orNotRecorded(strings.Join(s.Profile.Assessors, ", "))},
		{"Status", statusText(s.Assessment.Status)},
		{"Data as of", assessment.DocTime(m.DataAsOf) + " (the last recorded change; every count and date judgment in this report is as of then or as stated)"},
		{"Depth", depthText(s.Profile)},
		{"Answered", fmt.Sprintf("%s of %s applicable items (%s)", assessment.FormatInt(o.Answered()), assessment.FormatInt(o.Applicable), assessment.Percent(o.Completion()))},
		{assessment.InPlaceLabel, inPlaceText(o)},
		{"Assessment ID", s.Assessment.ID},
		{"Catalog version", s.Assessment.CatalogVersion},
	})
	if a := s.Audit.Seal; a.Seq > 0 {
		rows := [][2]string{{"Audit chain anchor", a.Anchor()}, {"Workspace", orNotRecorded(a.Workspace)}}
		if a.Signed() {
			rows = append(rows, [2]string{"Signed by key", a.KeyFingerprint})
		}
		d.kv(rows)
	}
	d.f.SetY(max(bottomY-26, d.y()+4))
	d.drawColor(colRule)
	d.f.Line(marginL, d.y(), marginL+contentW, d.y())
	d.f.SetY(d.y() + 2)
	d.small("This report describes security weaknesses of the organization's information systems. It is confidential: " +
		"share it only with people who need it to manage, audit or regulate the organization's security, and keep it " +
		"protected as you would the systems it describes.")
	if !d.final {
		d.small("This is a draft. It has not been signed off and may change; the final version carries the assessor's dated sign-off.")
	}
}

// integrityBanner is the warning a report made from a workspace that failed its check
// carries on the cover and in the executive summary.
func (d *doc) integrityBanner() string {
	a := d.s.Audit
	n := len(a.Altered)
	what := assessment.Plural(len(a.Problems), "problem", "problems")
	text := "INTEGRITY CHECK FAILED. When this report was made, verification of the workspace found " + what +
		" (listed in " + d.ref(secAudit) + "): data was changed outside safeguard after it was recorded. "
	if n > 0 {
		text += assessment.Plural(n, "record is", "records are") + " marked “altered outside safeguard” where printed. "
	}
	return text + "Do not rely on this report until the workspace is restored from a backup or the changes are explained."
}

func orNotRecorded(s string) string {
	if strings.TrimSpace(s) == "" {
		return assessment.NotRecorded
	}
	return s
}

func statusText(st assessment.Status) string {
	switch st {
	case assessment.StatusFinal:
		return "Final (signed off)"
	case assessment.StatusInReview:
		return "In review (draft, not signed off)"
	}
	return "Draft (not signed off)"
}

func entityLabel(t assessment.EntityType) string {
	return assessment.LabelOr(assessment.EntityTypes, string(t), assessment.NotRecorded)
}

func period(p assessment.Profile) string {
	switch {
	case p.PeriodStart != "" && p.PeriodEnd != "":
		return assessment.DocDay(p.PeriodStart) + " to " + assessment.DocDay(p.PeriodEnd)
	case p.PeriodStart != "":
		return "From " + assessment.DocDay(p.PeriodStart) + " (no end recorded)"
	case p.PeriodEnd != "":
		return "Until " + assessment.DocDay(p.PeriodEnd) + " (no start recorded)"
	}
	return assessment.NotRecorded
}

// depthText names the depth the questionnaire was asked at and what it means.
func depthText(p assessment.Profile) string {
	switch p.DepthOrDefault() {
	case controls.DepthEssentials:
		return "Essentials: the questions every practice must answer; specifications asked only at deeper levels are listed as “not asked at this depth”"
	case controls.DepthStandard:
		return "Standard: the essential questions and the common follow-ups; the deepest questions are listed as “not asked at this depth”"
	}
	if p.Depth == "" {
		return "Complete (no depth was chosen, so every question was asked)"
	}
	return "Complete: every question of the catalog that applies was asked"
}

// inPlaceText is the share of safeguards reported in place with its counts and evidence
// coverage, or why it is withheld.
func inPlaceText(c assessment.Counts) string {
	share, shown := c.InPlace()
	counts := fmt.Sprintf("%s implemented of %s answered implemented, partial or not implemented", assessment.FormatInt(c.Implemented), assessment.FormatInt(c.Assessed()))
	if !shown {
		if c.Assessed() == 0 {
			return capitalize(assessment.TooFewAnswers) + ": nothing is answered yet"
		}
		return fmt.Sprintf("%s (%s; a share is shown once %d are answered and half the items have an answer)", capitalize(assessment.TooFewAnswers), counts, assessment.MinAssessedForShare)
	}
	return fmt.Sprintf("%s (%s); %s", assessment.Percent(share), counts, coverageText(c))
}

// coverageText is the evidence coverage of the in-place answers.
func coverageText(c assessment.Counts) string {
	cov, ok := c.EvidenceCoverage()
	if !ok {
		return "no in-place answer to cite evidence"
	}
	return fmt.Sprintf("evidence is cited for %s of them (%s)", assessment.FormatInt(c.Evidenced), assessment.Percent(cov))
}

// ---- executive summary ----

func (d *doc) executiveSummary() {
	m := d.m
	sum := m.Summary
	d.startSection(secSummary)
	if d.unverified() {
		d.warnBox(d.integrityBanner())
	}
	o := sum.Overall
	d.body(d.summaryText())

	inVal, inDetail := assessment.TooFewAnswers, "withheld below the threshold (see "+d.ref(secMethod)+")"
	if share, shown := o.InPlace(); shown {
		inVal = assessment.Percent(share)
		inDetail = fmt.Sprintf("%s of %s assessed; self-assessed", assessment.FormatInt(o.Implemented), assessment.FormatInt(o.Assessed()))
	}
	covVal, covDetail := "—", "no in-place answer yet"
	if cov, ok := o.EvidenceCoverage(); ok {
		covVal = assessment.Percent(cov)
		covDetail = fmt.Sprintf("%s of %s in-place answers cite evidence", assessment.FormatInt(o.Evidenced), assessment.FormatInt(o.Implemented))
	}
	d.keyFigures([]figure{
		{value: assessment.Percent(o.Completion()), caption: "Answered", detail: fmt.Sprintf("%s of %s items", assessment.FormatInt(o.Answered()), assessment.FormatInt(o.Applicable))},
		{value: inVal, caption: "In place (self-assessed)", detail: inDetail},
		{value: covVal, caption: "Evidence coverage", detail: covDetail, warn: o.Implemented > 0 && o.Evidenced*2 < o.Implemented},
		{value: assessment.FormatInt(sum.High()), caption: capitalize(m.highWords()) + " risks", detail: fmt.Sprintf("of %s rated; %s proposed, not rated", assessment.FormatInt(sum.Rated()), assessment.FormatInt(sum.ProposedRisks)), warn: sum.High() > 0},
		{value: assessment.FormatInt(len(sum.Readiness)), caption: "Open items", detail: "all listed in " + d.ref(secOpen), warn: len(sum.Readiness) > 0},
	})

	d.heading2(assessment.InPlaceLabel+" by safeguard", 60)
	d.inPlaceChart(sum.BySafeguard)
	d.small(d.inPlaceNote())

	d.heading2("Key vendor warnings", 20)
	d.vendorWarnings(4)

	d.heading2("Risk heat maps: inherent and residual", heatMapHeight(m.Matrix.Scale()))
	d.heatMaps()

	d.heading2("Top risks", 30)
	top := m.TopRisks(10)
	if len(top) == 0 {
		d.body(noRatedRisksText(sum))
	} else {
		t := d.newAutoTable(8, col{"Ref", 8, "L"}, col{"Risk", 60, "L"}, col{"Asset", 30, "L"}, col{"Level (L×I)", 23, "L"}, col{"Treatment", 16, "L"}, col{"Status", 16, "L"})
		for _, r := range top {
			fill := m.fill(r.Level)
			t.row(txt(r.Ref), txt(r.Title), txt(m.AssetName(r.AssetID)), cell{text: levelText(m, r), fill: &fill},
				txt(r.Treatment.Label()), txt(r.Status.Label()))
		}
		t.end()
		d.small(notationNote(m.Matrix))
	}
	if sum.ProposedRisks > 0 {
		d.small(fmt.Sprintf("%s proposed from gaps %s not counted above: nobody has rated them yet, so they are listed as “proposed, not rated” in %s.",
			assessment.Plural(sum.ProposedRisks, "risk", "risks"), isAre(sum.ProposedRisks), d.ref(secRegister)))
	}

}

// summaryText is the executive summary's opening paragraph, every clause from the data,
// saying what is missing where it is.
func (d *doc) summaryText() string {
	m := d.m
	sum := m.Summary
	o := sum.Overall
	var b strings.Builder
	fmt.Fprintf(&b, "This report records the security risk analysis of %s", d.cleanLine(d.s.Assessment.Organization))
	if p := d.s.Profile; p.PeriodStart != "" && p.PeriodEnd != "" {
		fmt.Fprintf(&b, " for the period %s", period(p))
	} else {
		b.WriteString(" (no assessment period is recorded)")
	}
	fmt.Fprintf(&b, ", with data as of %s. ", assessment.DocTime(m.DataAsOf))
	switch {
	case sum.AssetsInScope == 0:
		b.WriteString("No asset is in scope: the inventory of systems that hold ePHI is empty, so this analysis does not yet cover any system. ")
	default:
		fmt.Fprintf(&b, "It covers %s in scope (%s holding ePHI). ", assessment.Plural(sum.AssetsInScope, "asset", "assets"), assessment.FormatInt(m.Scope.WithEPHI))
	}
	fmt.Fprintf(&b, "Of %s applicable questionnaire items, %s (%s) have a current answer", assessment.FormatInt(o.Applicable), assessment.FormatInt(o.Answered()), assessment.Percent(o.Completion()))
	if o.Inherited > 0 {
		fmt.Fprintf(&b, ", %s of them inherited from vendor reviews rather than answered by the practice", assessment.FormatInt(o.Inherited))
	}
	b.WriteString(".")
	if o.Carried > 0 {
		fmt.Fprintf(&b, " %s carried over from the previous analysis %s not re-validated and count as open.", assessment.Plural(o.Carried, "answer", "answers"), isAre(o.Carried))
	}
	if share, shown := o.InPlace(); shown {
		fmt.Fprintf(&b, " By the practice's own answers, %s of the safeguards assessed are in place (%s of %s); this is self-assessed, not an auditor's verdict, and %s.",
			assessment.Percent(share), assessment.FormatInt(o.Implemented), assessment.FormatInt(o.Assessed()), coverageText(o))
	} else {
		fmt.Fprintf(&b, " Too few answers are recorded to state a share of safeguards in place (%s answered implemented, partial or not implemented).", assessment.FormatInt(o.Assessed()))
	}
	fmt.Fprintf(&b, " The risk register holds %s", assessment.Plural(sum.Rated(), "rated risk", "rated risks"))
	if sum.Rated() > 0 {
		fmt.Fprintf(&b, ", %s %s", assessment.FormatInt(sum.High()), m.highWords())
		if sum.UntreatedHigh > 0 {
			fmt.Fprintf(&b, " (%s of the open ones without a treatment decision)", assessment.FormatInt(sum.UntreatedHigh))
		}
	}
	if sum.ProposedRisks > 0 {
		fmt.Fprintf(&b, "; %s proposed from gaps await rating", assessment.FormatInt(sum.ProposedRisks))
	}
	b.WriteString(".")
	if n := len(sum.Readiness); n > 0 {
		fmt.Fprintf(&b, " %s must be resolved before sign-off; %s lists every one.", assessment.Plural(n, "open item", "open items"), d.ref(secOpen))
	} else if !d.final {
		b.WriteString(" Nothing recorded blocks sign-off.")
	}
	return b.String()
}

// inPlaceNote explains the chart's figure, the threshold, the multi-citation counting and
// the proposed-rule items.
func (d *doc) inPlaceNote() string {
	note := fmt.Sprintf("Items answered implemented, out of those answered implemented, partial or not implemented: the practice's own report, "+
		"not an auditor's verdict. The share is withheld (“%s”) until at least %d items are so answered and half the applicable items have an answer. "+
		"Evidence coverage is the share of in-place answers that cite evidence. Inherited items (the vendor's controls) and carried-over answers are left out. "+
		"A question that cites several specifications counts once under each, so per-safeguard counts can add up to more than the overall figure.",
		assessment.TooFewAnswers, assessment.MinAssessedForShare)
	if p := d.m.Summary.Proposed; p.Applicable > 0 {
		note += fmt.Sprintf(" The %s items that only the January 2025 proposed rule would add are counted apart and never here.", assessment.FormatInt(p.Applicable))
	}
	return note
}

func noRatedRisksText(sum assessment.Summary) string {
	switch {
	case sum.ProposedRisks > 0:
		return fmt.Sprintf("No risk is rated yet: %s proposed from gaps %s waiting for the assessor to confirm and rate or dismiss.",
			assessment.Plural(sum.ProposedRisks, "risk", "risks"), isAre(sum.ProposedRisks))
	case sum.Unrated > 0:
		return fmt.Sprintf("No risk is rated yet: %s confirmed but not rated.", assessment.Plural(sum.Unrated, "risk is", "risks are"))
	}
	return "The risk register is empty: no risk has been identified or rated, so this analysis does not yet document any risk."
}

// levelText is a risk's level with its rating, "High (4×4)"; a proposal is "Proposed,
// not rated".
func levelText(m *model, r assessment.RiskView) string {
	if r.Status == assessment.RiskProposed {
		return "Proposed, not rated"
	}
	if r.Level == assessment.LevelNone {
		return "Not rated"
	}
	return fmt.Sprintf("%s (%d×%d)", m.Matrix.Label(r.Level), r.Likelihood, r.Impact)
}

// notationNote explains "(4×5)".
func notationNote(k assessment.MatrixKind) string {
	n := k.Scale()
	l, i := n-1, n
	label := k.Label(k.Level(l, i))
	return fmt.Sprintf("“%s (%d×%d)” reads: level %s, from likelihood %d and impact %d on the 1 to %d scales defined in the method section.",
		label, l, i, strings.ToLower(label), l, i, n)
}

// vendorWarnings lists the vendor warnings, worst first, or says what the vendor record
// holds when there are none. limit > 0 shows that many and counts the rest.
func (d *doc) vendorWarnings(limit int) {
	m := d.m
	v := m.Vendors
	if v.Count == 0 {
		if strings.TrimSpace(v.NoVendors) != "" {
			d.body("No vendors are recorded. The assessor stated that no outside party handles ePHI: “" + d.clean(strings.TrimSpace(v.NoVendors)) + "”.")
		} else {
			d.body("No vendors are recorded and no statement says that no outside party handles ePHI. If any business associate or cloud provider creates, receives, keeps or sends ePHI for the organization, this analysis is incomplete.")
		}
		return
	}
	ws := m.VendorWarnings
	if len(ws) == 0 {
		d.body(fmt.Sprintf("No vendor warnings: each of the %s has a signed BAA with the terms §164.314(a)(2)(i) requires, a current attestation beyond SOC 2 alone, and a recorded review.",
			assessment.Plural(v.Count, "vendor", "vendors")))
		return
	}
	d.body(fmt.Sprintf("%d of %s %s warnings, worst first (dates judged as of %s):", v.Warned, assessment.Plural(v.Count, "vendor", "vendors"),
		map[bool]string{true: "has", false: "have"}[v.Warned == 1], assessment.DocDate(m.AsOf)))
	var items []string
	for i, w := range ws {
		if limit > 0 && i == limit {
			items = append(items, fmt.Sprintf("… and %s more, all listed in %s.", assessment.FormatInt(len(ws)-limit), d.ref(secVendors)))
			break
		}
		items = append(items, assessment.SeverityLabel(w.Severity)+": "+w.Text)
	}
	d.bulletsCont("Vendor warnings", items, 9)
}

// ---- scope ----

func (d *doc) scope() {
	s, m := d.s, d.m
	sc := m.Scope
	d.startSection(secScope)
	d.heading2("Scope statement", 20)
	if st := strings.TrimSpace(sc.Statement); st != "" {
		d.body(st)
	} else {
		d.warnBox("No scope statement is recorded: the analysis does not say which sites, systems and records it covers. An auditor cannot judge it complete without one.")
	}
	d.heading2("What the inventory holds", 20)
	d.body(d.scopeText())
	d.kv([][2]string{
		{"Assets recorded", fmt.Sprintf("%s (%s in scope, %s out of scope)", assessment.FormatInt(sc.Assets), assessment.FormatInt(sc.InScope), assessment.FormatInt(sc.OutOfScope))},
		{"In scope holding ePHI", assessment.FormatInt(sc.WithEPHI)},
		{"Holding Part 2 records", assessment.FormatInt(sc.Part2)},
		{"Hosted by a provider", fmt.Sprintf("%s (IaaS, PaaS or SaaS)", assessment.FormatInt(sc.Hosted))},
		{"Patient records held", recordsText(sc.Records)},
		{"Data flows recorded", assessment.FormatInt(sc.Flows)},
		{"Vendors recorded", assessment.FormatInt(m.Vendors.Count)},
		{"Applicable items", applicableItems(m.Summary)},
		{"Depth", depthText(s.Profile)},
	})
	if len(sc.KindsAbsent) > 0 {
		d.heading2("Kinds of system not in the inventory", 20)
		var names []string
		for _, k := range sc.KindsAbsent {
			names = append(names, k.Title)
		}
		d.body("The inventory records no in-scope asset of these kinds: " + strings.Join(names, "; ") + ". If the organization uses any of them with ePHI, they are outside this analysis and should be added.")
	}
}

// scopeText is the scope narrative from the inventory.
func (d *doc) scopeText() string {
	sc := d.m.Scope
	if sc.InScope == 0 {
		return "No asset is in scope. Without an inventory of the systems, devices and services that create, receive, keep or send ePHI, the analysis cannot say where ePHI is or what threatens it (HHS's guidance on risk analysis asks for every location of ePHI)."
	}
	text := fmt.Sprintf("The analysis covers the %s recorded in scope", assessment.Plural(sc.InScope, "asset", "assets"))
	if sc.WithEPHI < sc.InScope {
		text += fmt.Sprintf(", of which %s ePHI", assessment.Plural(sc.WithEPHI, "holds", "hold"))
	}
	text += ", and the organization-wide program. "
	if sc.Flows == 0 {
		text += "No data flows are recorded, so how ePHI moves between systems and to outside parties is not documented."
	} else {
		text += fmt.Sprintf("%s how ePHI moves (%s).", assessment.Plural(sc.Flows, "recorded data flow shows", "recorded data flows show"), d.ref(secInventory))
	}
	return text
}

func recordsText(n int) string {
	if n <= 0 {
		return "Not recorded"
	}
	return "About " + assessment.FormatInt(n) + " (in-scope assets holding ePHI)"
}

// applicableItems is the count of applicable items the executive summary also gives, split
// into organization-wide and per-asset items, with the proposed-rule questions apart.
func applicableItems(sum assessment.Summary) string {
	o := sum.Overall.Applicable
	text := fmt.Sprintf("%s: %s organization-wide, %s for individual assets", assessment.FormatInt(o),
		assessment.FormatInt(sum.OrganizationItems), assessment.FormatInt(o-sum.OrganizationItems))
	if p := sum.Proposed.Applicable; p > 0 {
		text += fmt.Sprintf("; %s more from the proposed rule, not counted", assessment.FormatInt(p))
	}
	return text
}

// ---- method (after NIST SP 800-30 Rev. 1, Appendix K) ----

func (d *doc) method() {
	s, m := d.s, d.m
	mv := m.Method
	d.startSection(secMethod)
	d.body("This section documents how the analysis was done, laid out after the risk assessment report of NIST SP 800-30 Rev. 1 " +
		"(Guide for Conducting Risk Assessments), Appendix K: who assessed, when, from what sources, under what assumptions and " +
		"limits, and by which scales and threat sources risks were judged.")

	d.heading2("The nine elements of HHS's risk analysis guidance", 40)
	d.leadIn("HHS's Guidance on Risk Analysis Requirements under the HIPAA Security Rule (2010) names nine elements. Where this report covers each:", 25)
	t := d.newAutoTable(8.5, col{"Element", 1, "L"}, col{"Where", 1, "L"})
	for _, e := range [][2]string{
		{"1. Scope of the analysis", d.ref(secScope) + " and " + d.ref(secInventory)},
		{"2. Data collection", d.ref(secMethod) + " (data collection) and " + d.ref(secInventory)},
		{"3. Threats and vulnerabilities", d.ref(secMethod) + " (threat sources), " + d.ref(secRegister) + " and " + d.ref(secTrace)},
		{"4. Current security measures", d.ref(secFindings) + " and " + d.ref(secDecisions) + "; existing controls per risk in " + d.ref(secRegister)},
		{"5. Likelihood of threat occurrence", d.ref(secMethod) + " (likelihood scale) and " + d.ref(secRegister)},
		{"6. Potential impact", d.ref(secMethod) + " (impact scale) and " + d.ref(secRegister)},
		{"7. Level of risk", d.ref(secMethod) + " (risk matrix), " + d.ref(secSummary) + " (heat maps) and " + d.ref(secRegister)},
		{"8. Documentation", "This report, " + d.ref(secEvidence) + ", " + d.ref(secAudit) + " and " + d.ref(secSignOff)},
		{"9. Periodic review and updates", d.ref(secReview)},
	} {
		t.row(cell{text: e[0], style: "B"}, txt(e[1]))
	}
	t.end()

	d.heading2("Who assessed, and when", 20)
	answers := "No answer recorded yet"
	if !mv.AnswersFrom.IsZero() {
		answers = fmt.Sprintf("%s to %s (the date each answer records)", assessment.DocDate(mv.AnswersFrom), assessment.DocDate(mv.AnswersTo))
	}
	d.kv([][2]string{
		{"Assessor(s)", orNotRecorded(strings.Join(mv.Assessors, ", "))},
		{"Assessment period", period(s.Profile)},
		{"Answers dated", answers},
		{"Recorded in this workspace", fmt.Sprintf("%s to %s (from the audit trail)", assessment.DocDate(s.Assessment.CreatedAt), assessment.DocDate(s.Assessment.UpdatedAt))},
		{"Question catalog", "safeguard catalog version " + s.Assessment.CatalogVersion + ", " + depthText(s.Profile)},
	})

	d.heading2("Data collection", 30)
	d.leadIn("The questionnaire covers each standard and implementation specification of the Security Rule (§164.308 to §164.316) and the key "+
		"activities NIST SP 800-66 Rev. 2 describes for them. Organization-wide questions were answered once, system questions once for each in-scope asset they concern. "+
		"Besides the questionnaire, the assessor recorded:", 40)
	for _, k := range assessment.MethodKinds[:4] {
		d.heading3(k.Label, 12)
		list := mv.OfKind(k.Value)
		if len(list) == 0 {
			d.small("None recorded.")
			continue
		}
		d.methodTable(k.Value, list)
	}
	if !mv.Observed {
		d.warnBox("Answers are self-reported: no site walkthrough or technical test is recorded, so no answer was checked by observation or testing. The share of safeguards reported in place rests on the answers and the evidence cited for them.")
	}

	d.heading2("Assumptions and limitations", 20)
	any := false
	for _, k := range assessment.MethodKinds[4:] {
		list := mv.OfKind(k.Value)
		if len(list) == 0 {
			continue
		}
		any = true
		d.heading3(k.Label, 10)
		var items []string
		for _, e := range list {
			items = append(items, e.Text)
		}
		d.bulletsCont(k.Label, items, 9)
	}
	if !any {
		d.body("No assumptions or limitations are recorded. Every analysis has some (what was taken on trust, what could not be reached); an auditor will ask for them.")
	}

	d.heading2("How figures are computed", 20)
	d.body(fmt.Sprintf("Answered is the share of applicable items with a current answer (implemented, partial, not implemented, not applicable, or inherited from a vendor review). "+
		"%s is the share of items answered implemented among those answered implemented, partial or not implemented; it is withheld as “%s” until at least %d items are so answered and half the items are answered. "+
		"Evidence coverage is the share of in-place answers that cite evidence. Answers carried over from a previous analysis count as open until re-validated. "+
		"Inherited items rest on a vendor's signed BAA and current attestation; they are the vendor's controls, counted apart and never as the practice's own implemented.",
		assessment.InPlaceLabel, assessment.TooFewAnswers, assessment.MinAssessedForShare) + proposedSentence(s.Profile))

	d.heading2("Likelihood scale", 40)
	d.body("Likelihood is how likely a threat event is to occur and to succeed against the organization, given the safeguards in place. " + m.Scales.Basis)
	d.scaleTable(m.Scales.Likelihood)
	d.heading2("Impact scale", 40)
	d.body("Impact is the harm to patients and to the organization if the event happens: records exposed or corrupted, downtime of care systems, patient safety, and 42 CFR Part 2 records.")
	d.scaleTable(m.Scales.Impact)

	d.heading2("Risk matrix", 75)
	d.leadIn(matrixSentence(m.Matrix), 60)
	d.matrixDiagram()
	d.small(notationNote(m.Matrix))

	d.heading2("Threat sources considered", 40)
	d.threatSources()
}

// methodTable lists data-collection records of one kind.
func (d *doc) methodTable(kind string, list []assessment.MethodEntry) {
	switch kind {
	case assessment.MethodInterview:
		t := d.newAutoTable(8, col{"Person", 1, "L"}, col{"Role", 1, "L"}, col{"Date", 1, "L"}, col{"Topics", 1, "L"})
		for _, e := range list {
			t.row(txt(e.Who), txt(e.Role), txt(assessment.DocDay(e.Date)), txt(e.Text))
		}
		t.end()
	case assessment.MethodDocument:
		// the findings column is left out when no document has any, rather than printed empty
		showed := false
		for _, e := range list {
			showed = showed || strings.TrimSpace(e.Text) != ""
		}
		cols := []col{{"Document", 1, "L"}, {"Date", 1, "L"}}
		if showed {
			cols = append(cols, col{"What it showed", 1, "L"})
		}
		t := d.newAutoTable(8, cols...)
		for _, e := range list {
			cells := []cell{txt(e.Title), txt(assessment.DocDay(e.Date))}
			if showed {
				cells = append(cells, txt(e.Text))
			}
			t.row(cells...)
		}
		t.end()
	case assessment.MethodWalkthrough:
		t := d.newAutoTable(8, col{"Where", 1, "L"}, col{"Date", 1, "L"}, col{"Observed", 1, "L"})
		for _, e := range list {
			t.row(txt(e.Where), txt(assessment.DocDay(e.Date)), txt(e.Text))
		}
		t.end()
	case assessment.MethodTest:
		t := d.newAutoTable(8, col{"Test", 1, "L"}, col{"Tool or method", 1, "L"}, col{"Scope", 1, "L"}, col{"Date", 1, "L"}, col{"Result", 1, "L"})
		for _, e := range list {
			t.row(txt(assessment.ChoiceLabel(assessment.TestKinds, e.TestKind)), txt(e.Tool), txt(e.Scope), txt(assessment.DocDay(e.Date)), txt(e.Text))
		}
		t.end()
	}
}

// scaleTable prints the levels of one scale with their definitions and yardsticks.
func (d *doc) scaleTable(levels []assessment.ScaleLevel) {
	t := d.newTable(8, col{"Level", 16, "L"}, col{"Definition", 46, "L"}, col{"Yardsticks", 92, "L"})
	for _, l := range levels {
		var ys []string
		for _, c := range l.Criteria {
			ys = append(ys, c.Aspect+": "+c.Text)
		}
		fill := d.m.fill(d.m.Matrix.Level(l.Value, l.Value))
		t.row(cell{text: fmt.Sprintf("%d  %s", l.Value, l.Label), style: "B", fill: &fill}, txt(l.Definition), txt(strings.Join(ys, "\n")))
	}
	t.end()
}

// threatSources lists the threat-source classes with what was rated and ruled out.
func (d *doc) threatSources() {
	m := d.m
	d.body("The threat sources of NIST SP 800-30 Rev. 1 (Appendix D), with the threat events of safeguard's threat library for each: which were rated in confirmed risks (with their register references), which were ruled out and why, and which are still open.")
	t := d.newTable(8, col{"Threat event", 95, "L"}, col{"Rated in", 22, "L"}, col{"Ruled out, or open", 61, "L"})
	for _, src := range m.ThreatSources {
		head := src.Label
		switch {
		case strings.TrimSpace(src.RuledOut) != "":
			head += " — ruled out as a whole: " + src.RuledOut
		case !src.Considered():
			head += " — not yet considered: no risk from this source is rated and it is not ruled out"
		default:
			head += fmt.Sprintf(" — %s of %s threat events rated", assessment.FormatInt(src.RatedCount()), assessment.FormatInt(len(src.Threats)))
		}
		t.group(cell{text: head, style: "B"})
		for _, th := range src.Threats {
			var refs []string
			for _, i := range th.Rated {
				refs = append(refs, m.Risks[i].Ref)
			}
			rated := strings.Join(refs, ", ")
			other := ""
			switch {
			case strings.TrimSpace(th.RuledOut) != "":
				other = "Ruled out: " + th.RuledOut
			case len(th.Rated) > 0:
			case th.Proposed > 0:
				other = fmt.Sprintf("%s, not rated", assessment.Plural(th.Proposed, "proposal", "proposals"))
			case strings.TrimSpace(src.RuledOut) != "":
				other = "Ruled out with its source"
			default:
				other = "No risk recorded"
			}
			t.row(txt(th.Threat.Title), txt(rated), txt(other))
		}
	}
	t.end()
}

func proposedSentence(p assessment.Profile) string {
	if p.IncludeProposed {
		return " Questions that exist only because of the January 2025 proposed rule (90 FR 898, not final) were answered to show " +
			"what would become a gap; they never count toward the figures."
	}
	return ""
}

func matrixSentence(k assessment.MatrixKind) string {
	if k.Scale() == 3 {
		return "Risks are rated on a three-level scale for likelihood and impact (low, medium, high), in the style of the " +
			"HHS Security Risk Assessment Tool. The level of each combination is:"
	}
	return "Risks are rated on the five-level qualitative scale of NIST SP 800-30 Rev. 1 (very low to very high) for both " +
		"likelihood and impact; the level of each combination follows the publication's Table I-2:"
}

// ---- periodic review ----

func (d *doc) review() {
	m := d.m
	rv := m.Review
	d.startSection(secReview)
	d.leadIn("The Security Rule asks for an accurate and current analysis (§164.308(a)(1)(ii)(A) and (B)) and for documentation reviewed periodically and updated as needed (§164.316(b)(2)(iii)). How this analysis is kept current:", 20)
	cad := rv.Cadence
	if cad == "" {
		cad = "Not recorded"
	}
	next := "Not recorded"
	if !rv.Next.IsZero() {
		next = assessment.DocDate(rv.Next)
		if days, ok := m.DaysUntil(rv.Plan.Next); ok {
			switch {
			case rv.Overdue:
				next += fmt.Sprintf(" (overdue by %s, counted from %s)", assessment.Plural(-days, "day", "days"), assessment.DocDate(m.AsOf))
			default:
				next += fmt.Sprintf(" (in %s, counted from %s)", assessment.Plural(days, "day", "days"), assessment.DocDate(m.AsOf))
			}
		}
	}
	trig := "None recorded"
	if len(rv.Triggers) > 0 {
		trig = strings.Join(rv.Triggers, "\n")
	}
	d.kv([][2]string{{"Review cadence", cad}, {"Next review", next}, {"Triggers for an earlier review", trig}})
	if rv.Cadence == "" || rv.Next.IsZero() {
		d.warnBox("No review plan is complete: record the cadence and the next review date, so the analysis is kept current as §164.308(a)(1)(ii)(B) and §164.316(b)(2)(iii) expect.")
	}
	d.heading2("Previous analysis", 20)
	switch {
	case rv.RevisionOf == "":
		d.body("This is a first analysis: it revises no earlier one in this workspace.")
	case rv.Previous == nil:
		d.body("This analysis revises assessment " + rv.RevisionOf + ", which is no longer in this workspace, so what changed since cannot be shown.")
	default:
		p := rv.Previous
		signed := "Not signed off"
		if p.SignOff != nil {
			signed = fmt.Sprintf("Signed off by %s (%s) on %s", p.SignOff.Name, p.SignOff.Role, assessment.DocDay(p.SignOff.Date))
		}
		d.kv([][2]string{{"Title", p.Title}, {"Assessment ID", p.ID}, {"Data as of", assessment.DocTime(p.DataAsOf)}, {"Sign-off", signed}})
		c := p.Changes
		d.heading3("What changed since", 20)
		d.kv([][2]string{
			{"Answers improved", assessment.FormatInt(c.Improved)},
			{"Answers regressed", assessment.FormatInt(c.Regressed)},
			{"Answers otherwise changed", assessment.FormatInt(c.Changed)},
			{"Items new in this analysis", assessment.FormatInt(c.Appeared)},
			{"Items no longer applicable", assessment.FormatInt(c.Disappeared)},
			{"New risks", riskChanges(c.NewRisks)},
			{"Risks closed", riskChanges(c.ClosedRisks)},
		})
		if carried := m.Summary.Overall.Carried; carried > 0 {
			d.small(fmt.Sprintf("%s carried from the previous analysis %s not re-validated yet; they count as open, not as answered.", assessment.Plural(carried, "answer", "answers"), isAre(carried)))
		}
	}
}

func riskChanges(list []assessment.RiskChange) string {
	if len(list) == 0 {
		return "None"
	}
	var out []string
	for _, r := range list {
		out = append(out, r.Title+" ("+r.AssetName+")")
	}
	return strings.Join(out, "\n")
}

// ---- organization profile ----

func (d *doc) profile() {
	s := d.s
	p := s.Profile
	d.startSection(secProfile)
	size := assessment.LabelOr(assessment.Sizes, p.Size, assessment.NotRecorded)
	part2 := "No"
	if p.Part2Program {
		part2 = "Yes: the organization runs a federally assisted substance use disorder program whose records fall under 42 CFR Part 2"
	} else if d.m.Part2 {
		part2 = "No program, but in-scope assets hold Part 2 records"
	}
	pairs := [][2]string{
		{"Organization", s.Assessment.Organization},
		{"Entity type", entityLabel(p.EntityType)},
		{"Size", size},
		{"42 CFR Part 2", part2},
		{"Medicare or Medicaid", yesNo(p.MedicareMedicaid)},
		{"Assessor(s)", orNotRecorded(strings.Join(p.Assessors, "\n"))},
		{"Assessment period", period(p)},
		{"Depth", depthText(p)},
		{"Proposed-rule questions", includedText(p.IncludeProposed)},
		{"Risk matrix", assessment.ChoiceLabel(assessment.MatrixKinds, string(d.m.Matrix))},
		{"Assessment", s.Assessment.Title},
		{"Assessment ID", s.Assessment.ID},
		{"Status", statusText(s.Assessment.Status)},
		{"Started", assessment.DocDate(s.Assessment.CreatedAt)},
		{"Data as of", assessment.DocTime(d.m.DataAsOf)},
		{"Catalog version", s.Assessment.CatalogVersion},
	}
	if rv := d.m.Review; rv.RevisionOf != "" {
		prev := rv.RevisionOf
		if rv.Previous != nil {
			prev = rv.Previous.Title + " (" + rv.RevisionOf + ")"
		}
		pairs = append(pairs, [2]string{"Revision of", prev})
	}
	d.kv(pairs)
	d.heading2("Asset kinds in scope", 20)
	var kinds []string
	for _, k := range d.m.cat.AssetKinds {
		if n := d.m.Summary.InScopeByKind[k.ID]; n > 0 {
			kinds = append(kinds, fmt.Sprintf("%s: %d", k.Title, n))
		}
	}
	if len(kinds) == 0 {
		d.body("No assets are in scope.")
	} else {
		d.bullets(kinds, 9.5)
	}
	if hostings := hostingMix(d.m.Summary.InScopeByHosting); len(hostings) > 0 {
		d.heading2("Hosting models", 20)
		d.bullets(hostings, 9.5)
	}
}

func includedText(b bool) string {
	if b {
		return "Included for planning; counted apart, never in the figures"
	}
	return "Not included"
}

func hostingMix(count map[controls.Hosting]int) []string {
	var out []string
	for _, h := range controls.Hostings {
		if count[h] > 0 {
			out = append(out, fmt.Sprintf("%s: %d", h.Label(), count[h]))
		}
	}
	return out
}

// isAre is the verb for a count: "is" for one, "are" otherwise.
func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
