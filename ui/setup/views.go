package setup

import (
	"fmt"
	"strings"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/ui/common"
)

// ---- profile ----

// profileView draws the profile in at most room lines; the scope statement takes what is
// left. At 160 columns and more the fields run in two columns.
func (s *Model) profileView(room int) []string {
	st := s.styles
	a := s.data.Snap.Assessment
	p := s.data.Snap.Profile
	snap := s.data.Snap
	yes := func(b bool, y, n string) string {
		if b {
			return y
		}
		return n
	}
	period := "not set"
	if p.PeriodStart != "" || p.PeriodEnd != "" {
		period = common.Or(assessment.DocDay(p.PeriodStart), "—") + " to " + common.Or(assessment.DocDay(p.PeriodEnd), "—")
	}
	entity := assessment.ChoiceLabel(assessment.EntityTypes, string(p.EntityType))
	if p.ClearinghouseComponent {
		entity += "; includes a clearinghouse component"
	}
	if p.EntityType == assessment.EntityHealthPlan {
		entity += yes(p.SponsorReceivesEPHI, "; plan sponsor receives ePHI", "; plan sponsor receives no ePHI")
	}
	depth := p.DepthOrDefault()
	// The dashboard's count: proposed-rule items are counted apart.
	depthText := depthShort(depth) + " · " + assessment.Plural(s.data.Summary.Overall.Applicable, "item", "items") + " for this practice"
	if n := s.data.Summary.Proposed.Applicable; n > 0 {
		depthText += ", plus " + assessment.Plural(n, "proposed-rule item", "proposed-rule items")
	}
	if p.Depth == "" {
		depthText += " (no depth chosen yet)"
	}
	region := "National hints (no region chosen)"
	if r, ok := s.data.Catalog.Region(p.Region); ok && p.Region != "" {
		region = r.Title
	}
	plan := snap.Review
	review := "not planned"
	if plan.Cadence != "" || plan.Next != "" {
		review = common.Or(assessment.ChoiceLabel(assessment.ReviewCadences, plan.Cadence), "no cadence") +
			", next " + common.Or(assessment.DocDay(plan.Next), "not dated")
	}
	if len(plan.Triggers) > 0 {
		triggers := make([]string, len(plan.Triggers))
		for i, t := range plan.Triggers {
			triggers[i] = strings.ToLower(assessment.TriggerLabel(t))
		}
		review += "; earlier after " + strings.Join(triggers, "; ")
	}
	vendors := assessment.Plural(len(snap.Vendors), "vendor", "vendors") + " recorded"
	if snap.NoVendors != "" {
		vendors = "Stated none: " + snap.NoVendors
	}
	fields := [][2]string{
		{"Organization", a.Organization},
		{"Entity type", entity},
		{"Size", common.Or(assessment.ChoiceLabel(assessment.Sizes, p.Size), "not stated")},
		{"Programs", yes(p.Part2Program, "42 CFR Part 2 program", "no Part 2 program") + " · " +
			yes(p.MedicareMedicaid, "bills Medicare or Medicaid", "no Medicare or Medicaid") + " · " +
			yes(p.IncludeProposed, "proposed-rule items shown, never counted", "proposed-rule items not shown")},
		{"Depth", depthText},
		{"Region", region},
		{"Assessors", common.Or(strings.Join(p.Assessors, ", "), "not named yet")},
		{"Period", period},
		{"Risk matrix", assessment.ChoiceLabel(assessment.MatrixKinds, string(p.Matrix.OrDefault()))},
		{"Periodic review", review},
		{"Vendors", vendors},
	}
	edit := ""
	if !s.data.Final() {
		edit = st.Subtle.Render("   press ") + st.Key.Render(s.e.Keys.Setup.Edit.Help().Key) + st.Subtle.Render(" to edit any of it")
	}
	lines := []string{" " + st.Header.Render("Organization profile") + edit}
	const lw = 17
	twoCols := s.width >= 160
	colW := s.width - 1
	if twoCols {
		colW = (s.width - 3) / 2
	}
	vw := max(colW-lw, 10)
	cell := func(f [2]string) []string {
		var out []string
		for i, l := range common.Wrap(f[1], vw) {
			label := ""
			if i == 0 {
				label = f[0]
			}
			out = append(out, st.Subtle.Render(common.Fit(label, lw))+l)
		}
		if len(out) == 0 {
			out = []string{st.Subtle.Render(common.Fit(f[0], lw))}
		}
		return out
	}
	var body []string
	if twoCols {
		half := (len(fields) + 1) / 2
		var left, right []string
		for _, f := range fields[:half] {
			left = append(left, cell(f)...)
		}
		for _, f := range fields[half:] {
			right = append(right, cell(f)...)
		}
		for i := range max(len(left), len(right)) {
			l, r := "", ""
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			body = append(body, " "+common.Fit(l, colW)+"  "+r)
		}
	} else {
		for _, f := range fields {
			body = append(body, " "+strings.Join(cell(f), "\n "))
		}
		body = strings.Split(strings.Join(body, "\n"), "\n")
	}
	left := room - len(lines) - 1
	scope := common.Wrap(common.Or(p.Scope, "not written yet"), max(s.width-lw-2, 10))
	if len(body) > left {
		// Short terminals: keep whole fields, then say what is hidden.
		body = common.Clip(body, max(left, 1))
		return append(lines, append(body, "")...)
	}
	lines = append(lines, body...)
	for i, l := range common.Clip(scope, room-len(lines)) {
		label := ""
		if i == 0 {
			label = "Scope"
		}
		lines = append(lines, " "+st.Subtle.Render(common.Fit(label, lw))+l)
	}
	return lines
}

// depthShort is a depth in a few words.
func depthShort(d controls.Depth) string {
	switch d {
	case controls.DepthEssentials:
		return "Essentials (the core)"
	case controls.DepthStandard:
		return "Standard (the core and common practices)"
	}
	return "Complete (every question)"
}

// depthLabel is a depth with its one-line meaning.
func depthLabel(d controls.Depth) string {
	switch d {
	case controls.DepthEssentials:
		return "Essentials: the core every practice answers, reaching every standard and required specification"
	case controls.DepthStandard:
		return "Standard: the essentials plus the common addressable practices"
	}
	return "Complete: every question in the catalog"
}

// ---- assets ----

func (s *Model) kindLabel(kind string, short bool) string {
	k := common.AssetKind(s.data.Catalog, kind)
	if short {
		return k.Short()
	}
	return k.Title
}

// needsProvider reports whether an asset is hosted by someone else but names no provider.
func needsProvider(a assessment.Asset) bool {
	return a.Hosting != controls.OnPrem && a.VendorID == ""
}

// vendorName is the name of a vendor, "" for none.
func (s *Model) vendorName(id string) string {
	if id == "" {
		return ""
	}
	return s.data.VendorName(id)
}

func (s *Model) assetName(id string) string { return s.data.AssetName(id) }

func (s *Model) assetColumns() []int {
	const hosting, ephi, enc = 8, 4, 14
	flex := s.spread([]int{hosting, ephi, enc}, 40, 25, 35)
	return []int{flex[0], flex[1], hosting, flex[2], ephi, enc}
}

func (s *Model) assetRow(i int, _ []int) []string {
	a := s.data.Snap.Assets[i]
	provider := s.vendorName(a.VendorID)
	if needsProvider(a) {
		provider = "⚠ none chosen"
	} else if provider == "" {
		provider = "—"
	}
	ephi := "no"
	if a.EPHI {
		ephi = "yes"
	}
	name := a.Name
	if !a.InScope {
		name += " (out of scope)"
	}
	return []string{name, s.kindLabel(a.Kind, true), a.Hosting.Short(), provider, ephi, encryption(a)}
}

// encryption is an asset's encryption at rest in a word or two, marked when there is none.
func encryption(a assessment.Asset) string {
	if a.EncAtRest == assessment.EncNone {
		return "✘ " + assessment.EncryptionShort(a.EncAtRest)
	}
	return assessment.EncryptionShort(a.EncAtRest)
}

func (s *Model) assetDetail(i, n int) []string {
	a := s.data.Snap.Assets[i]
	run := "hosted " + a.Hosting.Phrase()
	if v := s.vendorName(a.VendorID); v != "" && a.Hosting == controls.OnPrem {
		run += ", supported by " + v
	} else if v != "" {
		run += " by " + v
	}
	out := []string{a.Name + " · " + s.kindLabel(a.Kind, s.width < 140) + " · " + run}
	if needsProvider(a) {
		out = append(out, s.styles.Warn.Render("⚠ Hosted ("+a.Hosting.Short()+") but no provider chosen: edit the asset and pick or add its vendor."))
	}
	facts := []string{}
	switch {
	case a.EPHI && a.Records > 0:
		facts = append(facts, "ePHI, about "+assessment.FormatInt(a.Records)+" records")
	case a.EPHI:
		facts = append(facts, "ePHI, number of records not recorded")
	default:
		facts = append(facts, "no ePHI")
	}
	if a.Part2 {
		facts = append(facts, "Part 2 ("+strings.ToLower(assessment.ChoiceLabel(assessment.SegregationChoices, a.Segregation))+")")
	}
	facts = append(facts, "at rest: "+encryption(a), "in transit: "+assessment.ChoiceLabel(assessment.TLSChoices, a.TLS))
	if a.Criticality != "" {
		facts = append(facts, "criticality "+strings.ToLower(assessment.ChoiceLabel(assessment.CriticalityChoices, a.Criticality)))
	}
	out = append(out, strings.Join(facts, " · "),
		"Where: "+common.Or(a.Location, "not recorded")+" · Owner: "+common.Or(a.Owner, "not named"))
	if a.Notes != "" && len(out) < n {
		out = append(out, "Notes: "+a.Notes)
	}
	return out
}

// ---- vendors ----

// baaCell is a vendor's BAA in a table cell, its mark carrying the meaning.
func baaCell(v assessment.Vendor) string {
	switch v.BAA {
	case assessment.BAASigned:
		return "✔ signed " + assessment.DocDay(v.BAASigned)
	case assessment.BAARequested:
		return "◐ requested"
	case assessment.BAAExpired:
		return "✘ expired"
	}
	return "✘ none"
}

// hasBAA reports whether a BAA was ever signed with the vendor, so its terms can be asked.
func hasBAA(b assessment.BAAStatus) bool {
	return b == assessment.BAASigned || b == assessment.BAAExpired
}

// attestationLine is an attestation with its one date: "SOC 2 period to 31 Dec 2025".
func attestationLine(a assessment.Attestation) string {
	if assessment.AttestationAsksPeriodEnd(a.Kind) && a.PeriodEnd != "" {
		return assessment.AttestationShort(a.Kind) + " period to " + assessment.DocDay(a.PeriodEnd)
	}
	return assessment.AttestationShort(a.Kind) + " to " + assessment.DocDay(a.Expires)
}

func attestations(v assessment.Vendor) string {
	if len(v.Attestations) == 0 {
		return "none"
	}
	parts := make([]string, len(v.Attestations))
	for i, a := range v.Attestations {
		parts[i] = attestationLine(a)
	}
	return strings.Join(parts, ", ")
}

func (s *Model) vendorColumns() []int {
	const baa, reviewed, warn = 21, 11, 9
	flex := s.spread([]int{baa, reviewed, warn}, 45, 55)
	return []int{flex[0], baa, flex[1], reviewed, warn}
}

// reviewOf is the recorded review of a vendor, if any.
func (s *Model) reviewOf(id string) (assessment.VendorReview, bool) {
	for _, r := range s.data.Snap.VendorReviews {
		if r.VendorID == id {
			return r, true
		}
	}
	return assessment.VendorReview{}, false
}

func (s *Model) vendorRow(i int, _ []int) []string {
	v := s.data.Snap.Vendors[i]
	warn := "✔ ok"
	if n := len(s.data.WarningsOf(v.ID)); n > 0 {
		warn = fmt.Sprintf("⚠ %d", n)
	}
	reviewed := "✘ not yet"
	if r, ok := s.reviewOf(v.ID); ok {
		reviewed = "✔ " + assessment.DocDay(r.Date)
	}
	return []string{v.Name, baaCell(v), attestations(v), reviewed, warn}
}

func (s *Model) vendorDetail(i, n int) []string {
	v := s.data.Snap.Vendors[i]
	out := []string{common.Or(v.Services, "No services described.")}
	warn := s.styles.Warn
	// the warnings the dashboard and the report list for this vendor (Analysis.VendorWarnings)
	issues := s.data.WarningsOf(v.ID)
	if len(issues) == 0 {
		out = append(out, s.styles.Notice.Render("✔ No warnings on "+assessment.DocDate(s.data.AsOf)+
			": the BAA is signed with its required terms and a current attestation is on file."))
	}
	for _, is := range issues {
		out = append(out, warn.Render("⚠ "+assessment.SeverityLabel(is.Severity)+": "+is.Text))
	}
	if r, ok := s.reviewOf(v.ID); ok {
		line := "Reviewed on " + assessment.DocDay(r.Date)
		if r.Note != "" {
			line += ": " + r.Note
		}
		if ev := s.data.VendorEvidence(v.ID); ev > 0 {
			line += " · " + assessment.Plural(ev, "evidence item", "evidence items")
		}
		out = append(out, line)
	} else {
		out = append(out, warn.Render("⚠ Press r to record the review of its BAA and assurance."))
	}
	if hasBAA(v.BAA) {
		notice := "not stated"
		if v.BreachNoticeDays > 0 {
			notice = assessment.Plural(v.BreachNoticeDays, "day", "days")
		}
		flow := "no"
		if v.Flowdown {
			flow = "yes"
		}
		out = append(out, "BAA terms: breach notice "+notice+" · subcontractor flow-down "+flow)
	}
	for _, a := range v.Attestations {
		line := assessment.ChoiceLabel(assessment.AttestationChoices, a.Kind)
		if assessment.AttestationAsksPeriodEnd(a.Kind) && a.PeriodEnd != "" {
			line += ", examined period ended " + assessment.DocDay(a.PeriodEnd) + "; current until " + assessment.DocDay(a.Expires)
		} else {
			line += ", expires " + common.Or(assessment.DocDay(a.Expires), "not given")
		}
		out = append(out, line)
	}
	return out
}

// ---- flows ----

// flowKey names a flow before it has an ID: its two ends.
func flowKey(f assessment.Flow) string { return f.From + "→" + f.To + f.ToParty }

// flowTo is where a flow goes, as people read it.
func (s *Model) flowTo(f assessment.Flow) string {
	if f.Outside() {
		return assessment.ChoiceLabel(assessment.OutsideParties, f.ToParty) + " (outside)"
	}
	return s.assetName(f.To)
}

func (s *Model) flowColumns() []int {
	const protection = 24
	flex := s.spread([]int{protection}, 65, 35)
	return []int{flex[0], flex[1], protection}
}

// protection is how a flow is protected on the way, marked when it is not.
func protection(f assessment.Flow) string {
	switch {
	case !f.Encrypted:
		return "✘ not encrypted"
	case f.TLS != "" && f.TLS != "none":
		return "✔ " + assessment.ChoiceLabel(assessment.TLSChoices, f.TLS)
	}
	return "✔ encrypted"
}

func (s *Model) flowRow(i int, _ []int) []string {
	f := s.data.Snap.Flows[i]
	return []string{s.assetName(f.From) + " → " + s.flowTo(f),
		common.Or(assessment.ChoiceLabel(assessment.FlowChannels, f.Channel), "not recorded"), protection(f)}
}

func (s *Model) flowDetail(i, n int) []string {
	f := s.data.Snap.Flows[i]
	head := s.assetName(f.From) + " → " + s.flowTo(f)
	if f.Encrypted {
		head += " · encrypted in transit"
	} else {
		head += " · " + s.styles.Warn.Render("⚠ not encrypted in transit (§164.312(e)(2)(ii))")
	}
	return []string{head, common.Or(f.Description, "No description.")}
}

// ---- method ----

// methodKey names a method record before it has an ID.
func methodKey(e assessment.MethodEntry) string {
	return e.Kind + "|" + e.Who + e.Title + e.Where + e.Tool + e.Text + "|" + e.Date
}

func (s *Model) methodColumns() []int {
	const kind, date = 20, 11
	flex := s.spread([]int{kind, date}, 1)
	return []int{kind, flex[0], date}
}

// methodKindLabel is the singular name of a method record's kind.
func methodKindLabel(kind string) string {
	switch kind {
	case assessment.MethodInterview:
		return "Interview"
	case assessment.MethodDocument:
		return "Document reviewed"
	case assessment.MethodWalkthrough:
		return "Site walkthrough"
	case assessment.MethodTest:
		return "Technical test"
	case assessment.MethodAssumption:
		return "Assumption"
	case assessment.MethodLimitation:
		return "Limitation"
	}
	return kind
}

// methodWhat is what a method record is about, in a line.
func methodWhat(e assessment.MethodEntry) string {
	switch e.Kind {
	case assessment.MethodInterview:
		return e.Who + ", " + e.Role
	case assessment.MethodDocument:
		return e.Title
	case assessment.MethodWalkthrough:
		return e.Where
	case assessment.MethodTest:
		return assessment.ChoiceLabel(assessment.TestKinds, e.TestKind) + " with " + e.Tool + " of " + e.Scope
	}
	return e.Text
}

func (s *Model) methodRow(i int, _ []int) []string {
	e := s.data.Snap.Method[i]
	return []string{methodKindLabel(e.Kind), methodWhat(e), common.Or(assessment.DocDay(e.Date), "—")}
}

func (s *Model) methodDetail(i, n int) []string {
	e := s.data.Snap.Method[i]
	out := []string{methodKindLabel(e.Kind) + ": " + methodWhat(e)}
	if e.Date != "" {
		out[0] += " · " + assessment.DocDay(e.Date)
	}
	if e.Text != "" && e.Kind != assessment.MethodAssumption && e.Kind != assessment.MethodLimitation {
		out = append(out, e.Text)
	}
	return out
}

// ---- threats ----

func (s *Model) threatColumns() []int {
	flex := s.spread(nil, 35, 65)
	return flex
}

// threatStatus says how a threat source was weighed.
func threatStatus(src assessment.ThreatSourceView) string {
	switch {
	case strings.TrimSpace(src.RuledOut) != "":
		return "✔ ruled out: " + src.RuledOut
	case src.RatedCount() > 0:
		return fmt.Sprintf("✔ rated: %s of %d", assessment.Plural(src.RatedCount(), "threat", "threats"), len(src.Threats))
	}
	return "✘ not weighed: rate a risk from it, or rule it out"
}

func (s *Model) threatRow(i int, _ []int) []string {
	src := s.data.ThreatSources[i]
	return []string{src.Label, threatStatus(src)}
}

func (s *Model) threatDetail(i, n int) []string {
	src := s.data.ThreatSources[i]
	out := []string{src.Label + " · " + assessment.Plural(len(src.Threats), "threat", "threats") + " in the library"}
	if src.RuledOut != "" {
		out = append(out, "Ruled out: "+src.RuledOut)
	}
	var rated, open []string
	for _, t := range src.Threats {
		switch {
		case len(t.Rated) > 0:
			rated = append(rated, t.Threat.Title)
		case t.RuledOut == "":
			open = append(open, t.Threat.Title)
		}
	}
	if len(rated) > 0 {
		out = append(out, "Rated: "+strings.Join(rated, "; "))
	}
	if len(open) > 0 && src.RuledOut == "" {
		out = append(out, "Not rated: "+strings.Join(open, "; "))
	}
	return out
}
