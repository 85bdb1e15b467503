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
		d.watermark("DRAFT")
	}
	x := marginL + 8
	w := contentW - 8
	d.font("B", 10)
	d.textColor(colAccent2)
	d.f.SetXY(x, 40)
	d.f.CellFormat(w, 6, "HIPAA SECURITY RULE RISK ANALYSIS", "", 1, "L", false, 0, "")
	d.f.SetY(d.y() + 3)
	title := cleanLine(s.Assessment.Title)
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
		d.f.CellFormat(w, lead, ln, "", 1, "L", false, 0, "")
	}
	d.f.SetY(d.y() + 3)
	d.font("", 16)
	d.textColor(colInk)
	for _, ln := range d.lines(cleanLine(s.Assessment.Organization), w) {
		d.f.SetXY(x, d.y())
		d.f.CellFormat(w, 8, ln, "", 1, "L", false, 0, "")
	}
	d.f.SetY(d.y() + 2)
	d.font("", 10.5)
	d.textColor(colMuted)
	d.f.SetXY(x, d.y())
	d.f.CellFormat(w, 6, "Prepared under 45 CFR §164.308(a)(1)(ii)(A) following NIST SP 800-66r2 and SP 800-30", "", 1, "L", false, 0, "")
	// accent band beside the title block
	d.fillColor(colAccent)
	d.f.Rect(marginL, 40, 2.2, d.y()-40, "F")

	d.f.SetY(max(130, d.y()+12))
	status := statusText(s.Assessment.Status)
	assessors := strings.Join(s.Profile.Assessors, ", ")
	if assessors == "" {
		assessors = "Not recorded"
	}
	d.kv([][2]string{
		{"Organization", s.Assessment.Organization},
		{"Entity type", entityLabel(s.Profile.EntityType)},
		{"Assessment period", period(s.Profile)},
		{"Assessor(s)", assessors},
		{"Status", status},
		{"Assessment ID", s.Assessment.ID},
		{"Catalog version", s.Assessment.CatalogVersion},
		{"Report date", assessment.DocDate(m.Generated)},
		{"Data as of", assessment.DocTime(m.DataAsOf)},
	})
	if a := s.Audit.Seal; a.Seq > 0 {
		rows := [][2]string{{"Audit chain anchor", a.Anchor()}, {"Workspace", orNotRecorded(a.Workspace)}}
		if a.Signed() {
			rows = append(rows, [2]string{"Signed by key", a.KeyFingerprint})
		}
		d.kv(rows)
	}
	d.f.SetY(max(bottomY-30, d.y()+6))
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

// watermark draws large diagonal text across the current page.
func (d *doc) watermark(text string) {
	d.f.SetAlpha(0.10, "Normal")
	d.font("B", 120)
	d.textColor(colWarn)
	cx, cy := pageW/2, pageH/2+10
	d.f.TransformBegin()
	d.f.TransformRotate(45, cx, cy)
	w := d.f.GetStringWidth(text)
	d.f.Text(cx-w/2, cy+15, text)
	d.f.TransformEnd()
	d.f.SetAlpha(1, "Normal")
}

func orNotRecorded(s string) string {
	if s == "" {
		return "Not recorded"
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
		return "From " + assessment.DocDay(p.PeriodStart)
	case p.PeriodEnd != "":
		return "Until " + assessment.DocDay(p.PeriodEnd)
	}
	return "Not recorded"
}

// ---- executive summary ----

func (d *doc) executiveSummary() {
	m := d.m
	sum := m.Summary
	d.startSection(secSummary)
	o := sum.Overall
	share, ok := o.Compliance()
	high, untreated, current := sum.HighRisks, sum.UntreatedHigh, sum.OpenRisks
	var intro strings.Builder
	fmt.Fprintf(&intro, "This report records the security risk analysis of %s", cleanLine(d.s.Assessment.Organization))
	if p := d.s.Profile; p.PeriodStart != "" && p.PeriodEnd != "" {
		fmt.Fprintf(&intro, " for the period %s", period(p))
	}
	fmt.Fprintf(&intro, ". It covers %d in-scope assets and %s applicable questionnaire items, of which %s (%s) have an answer.",
		sum.AssetsInScope, assessment.FormatInt(o.Applicable), assessment.FormatInt(o.Answered()), assessment.Percent(o.Completion()))
	if ok {
		fmt.Fprintf(&intro, " Of the %s items assessed as implemented, partly implemented or not implemented, the safeguards are in place for %s, counting partial ones as half.",
			assessment.FormatInt(o.Assessed()), assessment.Percent(share))
	}
	fmt.Fprintf(&intro, " The risk register holds %d current confirmed risks, %d of them rated %s", current, high, m.highWords())
	if untreated > 0 {
		fmt.Fprintf(&intro, " (%d without a treatment decision)", untreated)
	}
	intro.WriteString(".")
	if n := len(sum.Readiness); n > 0 {
		fmt.Fprintf(&intro, " %s open items must be resolved before the assessment can be signed off (see %s).", assessment.FormatInt(n), d.ref(secSignOff))
	} else {
		intro.WriteString(" Nothing blocks sign-off.")
	}
	d.body(intro.String())

	compVal, compDetail := "—", "nothing assessed yet"
	if ok {
		compVal = assessment.Percent(share)
		compDetail = fmt.Sprintf("%s impl., %s partial, %s not", assessment.FormatInt(o.Implemented), assessment.FormatInt(o.Partial), assessment.FormatInt(o.NotImplemented))
	}
	d.keyFigures([]figure{
		{value: assessment.Percent(o.Completion()), caption: "Completion", detail: fmt.Sprintf("%s of %s items answered", assessment.FormatInt(o.Answered()), assessment.FormatInt(o.Applicable))},
		{value: compVal, caption: "Compliance", detail: compDetail},
		{value: fmt.Sprintf("%d", high), caption: capitalize(m.highWords()) + " risks", detail: fmt.Sprintf("of %d current risks; %d untreated", current, untreated), warn: high > 0},
		{value: assessment.FormatInt(len(sum.Readiness)), caption: "Items blocking sign-off", detail: "listed in " + d.ref(secSignOff), warn: len(sum.Readiness) > 0},
	})

	d.heading2("Compliance by safeguard", 60)
	d.complianceChart(sum.BySafeguard)
	d.small("Compliance is the share of items answered implemented, partial or not implemented that are implemented, partial ones counting half. " +
		"Not-applicable, flagged and unanswered items are left out" + proposedNote(d.s.Profile) + ".")

	d.heading2("Risk heat map", heatMapHeight(d.m.Matrix.Scale()))
	d.heatMap()

	d.heading2("Top ten risks", 30)
	top := m.TopRisks(10)
	if len(top) == 0 {
		d.body("No current risk is rated yet.")
	} else {
		t := d.newTable(8, col{"Ref", 8, "L"}, col{"Risk", 60, "L"}, col{"Asset", 30, "L"}, col{"Level", 23, "L"}, col{"Treatment", 16, "L"}, col{"Status", 16, "L"})
		for _, r := range top {
			fill := m.fill(r.Level)
			t.row(txt(r.Ref), txt(r.Title), txt(m.AssetName(r.AssetID)), cell{text: levelText(m, r), fill: &fill},
				txt(r.Treatment.Label()), txt(r.Status.Label()))
		}
		t.end()
	}

	d.heading2("Key vendor warnings", 20)
	var warns []string
	for _, v := range d.s.Vendors {
		for _, is := range sum.VendorIssues[v.ID] {
			warns = append(warns, is.Text)
		}
	}
	for _, ri := range sum.Readiness {
		if ri.Kind == assessment.ReadyBAA && ri.VendorID == "" {
			warns = append(warns, ri.Text)
		}
	}
	if len(warns) == 0 {
		d.body("No vendor warnings: every vendor has a signed BAA and a current attestation beyond SOC 2 alone.")
	} else {
		d.bullets(warns, 9)
	}
	d.small(fmt.Sprintf("Vendor dates are judged as of %s.", assessment.DocDate(m.AsOf)))
}

func proposedNote(p assessment.Profile) string {
	if p.IncludeProposed {
		return "; questions that only the January 2025 proposed rule would add are shown in the findings but never counted"
	}
	return ""
}

// levelText is a risk's level with its rating, "High (4×4)".
func levelText(m *model, r assessment.RiskView) string {
	if r.Level == assessment.LevelNone {
		return "Not rated"
	}
	return fmt.Sprintf("%s (%d×%d)", m.Matrix.Label(r.Level), r.Likelihood, r.Impact)
}

// ---- scope and method ----

func (d *doc) scopeAndMethod() {
	s, m := d.s, d.m
	d.startSection(secScope)
	d.heading2("What was assessed", 20)
	scope := strings.TrimSpace(s.Profile.Scope)
	if scope == "" {
		scope = "No scope statement was recorded."
	}
	d.body(scope)
	assessors := strings.Join(s.Profile.Assessors, ", ")
	if assessors == "" {
		assessors = "not recorded"
	}
	out := len(s.Assets) - m.Summary.AssetsInScope
	assets := fmt.Sprintf("%d in scope", m.Summary.AssetsInScope)
	if out > 0 {
		assets += fmt.Sprintf(", %d listed but out of scope", out)
	}
	d.kv([][2]string{
		{"Organization", s.Assessment.Organization},
		{"Assessed by", assessors},
		{"Assessment period", period(s.Profile)},
		{"Work recorded", fmt.Sprintf("%s to %s", assessment.DocDate(s.Assessment.CreatedAt), assessment.DocDate(s.Assessment.UpdatedAt))},
		{"Assets", assets},
		{"Vendors", fmt.Sprintf("%d", len(s.Vendors))},
		{"Applicable items", applicableItems(m.Summary)},
		{"Question catalog", "safeguard catalog version " + s.Assessment.CatalogVersion},
	})

	d.heading2("How the analysis was done", 30)
	d.body("The HIPAA Security Rule requires every covered entity and business associate to carry out an accurate and thorough " +
		"assessment of the potential risks and vulnerabilities to the confidentiality, integrity and availability of the " +
		"electronic protected health information (ePHI) it creates, receives, maintains or transmits (45 CFR §164.308(a)(1)(ii)(A)). " +
		"This analysis meets that requirement in four steps.")
	d.bullets([]string{
		"Inventory. Every system, data store, device class and outside service that handles ePHI was recorded with how it is hosted " +
			"(on premises, IaaS, PaaS or SaaS), its provider, where it runs, its owner and its encryption.",
		"Questionnaire. Plain-language questions cover each standard and implementation specification of the Security Rule " +
			"(§164.308 to §164.316) and the key activities that NIST SP 800-66 Rev. 2, Implementing the HIPAA Security Rule, " +
			"describes for them. Organization-wide questions were answered once; system questions once for each in-scope asset " +
			"they concern.",
		"Shared responsibility. For each system question the party that carries out the control (the organization, the " +
			"provider, or both) follows from the hosting model and was changed only with a recorded reason. Controls a provider " +
			"carries out are relied on through its business associate agreement and third-party attestation, which were checked " +
			"for gaps and expiry.",
		"Risk rating. Each gap (a safeguard not or only partly in place) was traced to the vulnerabilities it leaves open and the " +
			"threat events that could exploit them, following the risk assessment process of NIST SP 800-30 Rev. 1, Guide for " +
			"Conducting Risk Assessments. The assessor rated each risk's likelihood and impact and read its level from the matrix below, " +
			"then chose a treatment: mitigate, accept, transfer or avoid.",
	}, 9.5)
	d.body("For addressable implementation specifications the organization recorded the decision §164.306(d)(3) calls for: " +
		"implemented as specified, an equivalent alternative measure, or a documented finding that the specification is not " +
		"reasonable and appropriate. Answers carry the name of the person who gave them and when; supporting evidence is kept " +
		"with its SHA-256 hash, and every change is written to a hash-chained audit trail (" + d.ref(secAudit) + ").")
	d.body("Completion is the share of applicable items with an answer. Compliance is the share of assessed items that are " +
		"implemented, partial ones counting half; items found not applicable or flagged for follow-up are left out of it." +
		proposedSentence(s.Profile))

	d.heading2("Risk matrix used", 75)
	d.body(matrixSentence(m.Matrix))
	d.matrixDiagram()
	d.small("Likelihood is how likely the threat event is to occur and to succeed against the organization; impact is how much " +
		"harm it would do to patients and the organization if it did. Both are rated on the scale shown.")
}

func proposedSentence(p assessment.Profile) string {
	if p.IncludeProposed {
		return " Questions that exist only because of the January 2025 proposed rule (90 FR 898, not final) were answered to show " +
			"what would become a gap; they never count toward completion or compliance."
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
	assessors := strings.Join(p.Assessors, "\n")
	if assessors == "" {
		assessors = "Not recorded"
	}
	pairs := [][2]string{
		{"Organization", s.Assessment.Organization},
		{"Entity type", entityLabel(p.EntityType)},
		{"Size", size},
		{"42 CFR Part 2", part2},
		{"Medicare or Medicaid", yesNo(p.MedicareMedicaid)},
		{"Assessor(s)", assessors},
		{"Assessment period", period(p)},
		{"Proposed-rule questions", includedText(p.IncludeProposed)},
		{"Risk matrix", assessment.ChoiceLabel(assessment.MatrixKinds, string(d.m.Matrix))},
		{"Assessment", s.Assessment.Title},
		{"Assessment ID", s.Assessment.ID},
		{"Status", statusText(s.Assessment.Status)},
		{"Started", assessment.DocDate(s.Assessment.CreatedAt)},
		{"Last changed", assessment.DocDate(s.Assessment.UpdatedAt)},
		{"Catalog version", s.Assessment.CatalogVersion},
	}
	if s.RevisionOf != "" {
		pairs = append(pairs, [2]string{"Revision of", s.RevisionOf})
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
		d.body("No assets are in scope yet.")
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
		return "Included for planning; not counted toward compliance"
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
