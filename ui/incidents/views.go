package incidents

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// The content of each step of an incident's page: what the record holds, what the domain
// derives from it, and what the record still lacks. Nothing here computes a date or a
// status; the IncidentView has them.

func (m *Model) overview(p *page, v *assessment.IncidentView) {
	s := m.styles
	p.add("")
	p.kv("Status", v.Status.Label()+"; "+notifyLabel(v))
	p.kv("Clock starts", v.StartBasis)
	if v.RecordedBy != "" {
		p.kv("Recorded", "by "+v.RecordedBy+" on "+assessment.DocDay(v.RecordedOn))
	}
	p.head("Notification clocks as of " + assessment.DocDate(m.data.Today))
	m.duties(p, v)
	p.head("What the record still lacks")
	if len(v.Gaps) == 0 {
		p.add(s.OK.Render("  ✔ Nothing: every step of the decision is recorded."))
	}
	for _, g := range v.Gaps {
		p.bullet("•", g, s.Warn)
	}
	if v.Closed != "" {
		p.head("Closed")
		p.para(fmt.Sprintf("Closed on %s by %s.", assessment.DocDay(v.Closed), v.ClosedBy), lipgloss.NewStyle())
	}
	if v.Closed == "" {
		p.hint(fmt.Sprintf("Press enter to go to the next step to do (%s), or ←/→ to walk the steps.", stepNames[nextToDo(v)]))
	} else {
		p.hint("The incident is closed. Reopen it in the Close step to change it.")
	}
}

// duties lists every duty with its date, days left, status and how the date was reached.
func (m *Model) duties(p *page, v *assessment.IncidentView) {
	s := m.styles
	for _, d := range v.Duties {
		title := d.Title
		if c := dutyCite(d); c != "" {
			title += " " + c
		}
		if !d.Ours {
			title += " (owed to the organization)"
		}
		p.bullet(dutyMark(d), title, dutyStyle(s, d).Bold(d.Open()))
		var parts []string
		switch {
		case !d.Due.IsZero():
			due := "due " + assessment.DocDate(d.Due)
			if d.Paused > 0 {
				due += fmt.Sprintf(" (+%s paused by law enforcement)", assessment.Plural(d.Paused, "day", "days"))
			}
			parts = append(parts, due)
		case d.Status != assessment.DutyNotRequired:
			parts = append(parts, "no date yet")
		}
		switch {
		case d.Done != "" && d.Status == assessment.DutyLate:
			parts = append(parts, dutyStyle(s, d).Render("done late, "+assessment.DocDay(d.Done)))
		case d.Done != "":
			parts = append(parts, dutyStyle(s, d).Render("done "+assessment.DocDay(d.Done)))
		case d.Status != assessment.DutyNotRequired && !d.Due.IsZero():
			parts = append(parts, dutyStyle(s, d).Render(assessment.DaysLeft(d.DaysLeft)), d.Status.Label())
		default:
			parts = append(parts, d.Status.Label())
		}
		for _, l := range common.Hang("    ", strings.Join(parts, " · "), p.w) {
			p.add(l)
		}
		basis := d.Basis
		if d.Key == assessment.DutyOther {
			basis = "Set by the assessor: " + d.Basis
		}
		if d.Note != "" {
			basis += " " + d.Note
		}
		for _, l := range common.Hang("    ", assessment.SafeText(basis), p.w) {
			p.add(s.Subtle.Render(l))
		}
	}
}

func dutyMark(d assessment.Duty) string {
	switch d.Status {
	case assessment.DutyMet:
		return "✔"
	case assessment.DutyLate:
		return "✔"
	case assessment.DutyOverdue:
		return "!"
	case assessment.DutyNotRequired:
		return "–"
	}
	return "■"
}

func dutyStyle(s common.Styles, d assessment.Duty) lipgloss.Style {
	switch d.Status {
	case assessment.DutyOverdue, assessment.DutyLate:
		return s.Error
	case assessment.DutyMet:
		return s.OK
	case assessment.DutyNotRequired:
		return s.Subtle
	case assessment.DutyDue, assessment.DutyPending:
		if d.DaysLeft <= 7 {
			return s.Warn
		}
	}
	return lipgloss.NewStyle()
}

func (m *Model) facts(p *page, v *assessment.IncidentView) {
	s := m.styles
	p.add("")
	p.kv("What happened", v.Description)
	typ := assessment.LabelOr(assessment.IncidentTypes, v.Type, "")
	if v.Ransomware {
		typ = strings.TrimPrefix(typ+"; ransomware", "; ")
	}
	p.kv("Type", typ)
	p.kv("Discovery", v.StartBasis)
	occ := ""
	if v.OccurredFrom != "" || v.OccurredTo != "" {
		occ = common.Or(assessment.DocDay(v.OccurredFrom), "unknown") + " to " + common.Or(assessment.DocDay(v.OccurredTo), "unknown")
	}
	p.kv("Occurred", occ)
	p.kv("Found by", v.FoundBy)
	ind := ""
	if v.Individuals > 0 {
		ind = assessment.FormatInt(v.Individuals)
		if len(v.States) > 0 {
			var st []string
			for _, x := range v.States {
				st = append(st, x.State+" "+assessment.FormatInt(x.Count))
			}
			ind += " (" + strings.Join(st, ", ") + ")"
		}
	}
	p.kv("Individuals", ind)
	var data []string
	for _, d := range v.Data {
		data = append(data, assessment.ChoiceLabel(assessment.DataTypes, d))
	}
	p.kv("Information", strings.Join(data, ", "))
	if v.Part2 {
		p.kv("Part 2", "42 CFR Part 2 substance use disorder records were involved.")
	}
	p.head("Affected assets, as copied from the inventory")
	if len(v.Assets) == 0 {
		p.para("No asset is named.", s.Subtle)
	}
	for _, a := range v.Assets {
		m.assetLines(p, a)
	}
	p.head("Vendors involved")
	if len(v.Vendors) == 0 {
		p.para("No vendor is named.", s.Subtle)
	}
	for _, x := range v.Vendors {
		line := x.Name + ": BAA " + strings.ToLower(x.BAA.Label())
		if x.BreachNoticeDays > 0 {
			line += "; its agreement sets " + assessment.Plural(x.BreachNoticeDays, "day", "days") + " for breach notice"
		}
		p.bullet("•", line, lipgloss.NewStyle())
	}
	p.hint("Press e to correct the facts (counts, states, dates, data, assets). The decision and notices stay; a change they no longer agree with is refused.")
}

// assetLines is one affected asset as recorded: kind, hosting, vendor, encryption at rest
// and in transit, flows and the answers on encryption that fall short.
func (m *Model) assetLines(p *page, a assessment.IncidentAsset) {
	s := m.styles
	kind := common.AssetKind(m.data.Catalog, a.Kind).Title
	head := a.Name + " (" + kind + ", " + strings.ToLower(a.Hosting)
	if a.VendorName != "" {
		head += ", " + a.VendorName
	}
	head += ")"
	p.bullet("•", head, s.Bold)
	ephi := "holds ePHI"
	if !a.EPHI {
		ephi = "no ePHI recorded"
	}
	if a.Part2 {
		ephi += ", Part 2 records"
	}
	rest := assessment.LabelOr(assessment.EncryptionChoices, a.EncAtRest, assessment.NotRecorded)
	tls := assessment.LabelOr(assessment.TLSChoices, a.TLS, assessment.NotRecorded)
	for _, l := range common.Hang("    ", fmt.Sprintf("%s · at rest: %s · in transit: %s · copied %s", ephi, rest, tls, assessment.DocDay(a.Recorded)), p.w) {
		p.add(l)
	}
	for _, f := range a.Flows {
		dir := "from"
		if f.Outbound {
			dir = "to"
		}
		enc := "encrypted"
		st := s.Subtle
		if !f.Encrypted {
			enc, st = "not encrypted", s.Warn
		}
		for _, l := range common.Hang("    ", fmt.Sprintf("flow %s %s: %s", dir, f.Peer, enc), p.w) {
			p.add(st.Render(l))
		}
	}
	for _, f := range a.Findings {
		for _, l := range common.Hang("    ", fmt.Sprintf("answer to %s: %s (%s)", f.QuestionID, strings.ToLower(f.Status.Short()), concernWord(f.Concern)), p.w) {
			p.add(s.Warn.Render(l))
		}
	}
}

func concernWord(c string) string {
	switch c {
	case assessment.ConcernRest:
		return "encryption at rest"
	case assessment.ConcernTransit:
		return "encryption in transit"
	}
	return "key management"
}

func resultStyle(s common.Styles, r string) lipgloss.Style {
	switch r {
	case assessment.Secured:
		return s.OK
	case assessment.Unsecured:
		return s.Error
	}
	return s.Warn
}

func (m *Model) secured(p *page, v *assessment.IncidentView) {
	s := m.styles
	p.add("")
	p.para("Notification is owed only for unsecured PHI: PHI secured means encrypted as HHS's guidance specifies with the keys not compromised, or destroyed.", s.Subtle)
	p.add("")
	exp := assessment.LabelOr(assessment.ExposureChoices, v.Exposure, "")
	if v.Exposure == "" {
		if def := assessment.DefaultExposure(v.Type); def != "" {
			exp = "Not recorded; taken from the type as " + lowerFirst(assessment.ChoiceLabel(assessment.ExposureChoices, def))
		}
	}
	p.kv("How reached", exp)
	p.kv("Keys", keysLabel(v.Keys))
	d := v.Derived
	p.add(s.Subtle.Render(common.Fit("Derived", kvLabel)) + resultStyle(s, d.Result).Render(d.Result))
	p.para(d.Summary, lipgloss.NewStyle())
	for _, a := range d.Assets {
		p.bullet("•", a.Name+": "+a.Result, resultStyle(s, a.Result))
		for _, r := range a.Reasons {
			for _, l := range common.Hang("    ", r, p.w) {
				p.add(s.Subtle.Render(l))
			}
		}
	}
	p.head("The assessor's determination")
	if dec := v.Secured; dec != nil {
		what := fmt.Sprintf("%s confirmed the derived determination (%s) on %s.", dec.By, dec.Derived, assessment.DocDay(dec.On))
		if dec.Decision != assessment.DecideConfirm {
			what = fmt.Sprintf("%s decided %s on %s", dec.By, dec.Decision, assessment.DocDay(dec.On))
			if dec.Basis != "" {
				what += " (basis: " + dec.Basis + ")"
			}
			if dec.Decision != dec.Derived {
				what += ", overriding the derived determination (" + dec.Derived + ")"
			}
			what += "."
		}
		p.para(what, lipgloss.NewStyle())
		if dec.Reason != "" {
			p.kv("Reason", dec.Reason)
		}
		p.add(s.Subtle.Render(common.Fit("Determination", kvLabel)) + resultStyle(s, v.Final).Render(v.Final))
		if dec.Decision == assessment.DecideConfirm && dec.Derived != d.Result {
			p.para("The derivation reads "+d.Result+" now (the record changed since); record the determination again.", s.Warn)
		}
	} else {
		p.para("Not recorded yet.", s.Warn)
	}
	if len(v.Assets) > 0 {
		p.head("Asset data behind it")
		for _, a := range v.Assets {
			m.assetLines(p, a)
		}
	}
	p.hint("Press e to record how the data was reached, whether the keys were compromised, and to confirm the derived determination or override it with a reason.")
}

func keysLabel(k string) string {
	if k == "" {
		return "Not known whether the keys were compromised"
	}
	return assessment.ChoiceLabel(assessment.KeyChoices, k)
}

func (m *Model) exception(p *page, v *assessment.IncidentView) {
	s := m.styles
	p.add("")
	if e := v.Exception; e != nil {
		p.kv("Recorded", exceptionLabel(e.Applies))
		p.kv("Facts", e.Reason)
		p.kv("By", e.By+" on "+assessment.DocDay(e.On))
	} else {
		p.para("Not recorded yet.", s.Warn)
	}
	p.head("The three exceptions")
	for _, x := range assessment.Exceptions {
		p.bullet("•", x.Label, s.Subtle)
	}
	p.hint("Press e to record whether one applies. Without an exception (and unless the PHI was secured), a breach is presumed unless the four-factor assessment shows a low probability of compromise.")
}

func exceptionLabel(v string) string {
	if v == assessment.ExceptionNone {
		return "None of the three exceptions applies."
	}
	return assessment.ChoiceLabel(assessment.Exceptions, v)
}

func (m *Model) factors(p *page, v *assessment.IncidentView) {
	s := m.styles
	p.add("")
	if factorsMoot(v) {
		why := "The PHI was determined secured"
		if v.Final != assessment.Secured {
			why = "An exception applies"
		}
		p.para(why+", so the four factors are not needed for the conclusion; they may still be recorded.", s.Subtle)
	} else {
		p.para("A breach is presumed unless this assessment of all four factors shows a low probability that the PHI was compromised.", s.Subtle)
	}
	if v.Ransomware {
		p.add("")
		p.para(assessment.RansomwareNote, s.Warn)
	}
	for n := 1; n <= 4; n++ {
		p.add("")
		from := len(p.lines)
		head := fmt.Sprintf("%d %s %s", n, assessment.FactorCites[n-1], assessment.FactorTitles[n-1])
		mark := "▸"
		st := s.Header
		if m.item == n-1 {
			mark = "▶"
			st = s.Title
		}
		for i, l := range common.Hang(mark+" ", head, p.w) {
			if i == 0 && m.item == n-1 {
				p.add(s.Selected.Render(l))
				continue
			}
			p.add(st.Render(l))
		}
		f, ok := v.Factor(n)
		if !ok {
			p.add(s.Warn.Render("    not assessed yet"))
			p.markIf(m.item == n-1, from)
			continue
		}
		for _, l := range common.Hang("    ", assessment.SafeText(f.Findings), p.w) {
			p.add(l)
		}
		by := "    " + f.By + ", " + assessment.DocDay(f.On)
		if len(f.Evidence) > 0 {
			by += " · evidence " + strings.Join(m.evidenceRefs(f.Evidence), ", ")
		}
		p.add(s.Subtle.Render(common.Truncate(by, p.w)))
		p.markIf(m.item == n-1, from)
	}
	p.hint("↑/↓ picks a factor; e records its findings and the evidence from the vault.")
}

func (p *page) markIf(ok bool, from int) {
	if ok {
		p.markSel(from)
	}
}

// evidenceRefs names evidence by its reference in the report (E3) and name.
func (m *Model) evidenceRefs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		ref := m.data.EvidenceRef[id]
		name := id
		for _, e := range m.data.Evidence {
			if e.ID == id {
				name = e.Name
				break
			}
		}
		out[i] = strings.TrimSpace(ref + " " + oneLine(name))
	}
	return out
}

func (m *Model) conclusion(p *page, v *assessment.IncidentView) {
	s := m.styles
	p.add("")
	if c := v.Conclusion; c != nil {
		st := s.OK
		if c.Notify() {
			st = s.Error
		}
		p.para(assessment.ChoiceLabel(assessment.Outcomes, c.Outcome), st.Bold(true))
		p.kv("Rationale", c.Rationale)
		p.kv("Concluded", "by "+c.By+" on "+assessment.DocDay(c.On))
	} else {
		p.para("No conclusion is recorded yet. The notification clocks run from discovery whatever the state of the investigation.", s.Warn)
	}
	if v.Ransomware {
		p.add("")
		p.para(assessment.RansomwareNote, s.Warn)
	}
	p.head("What the record supports now")
	for _, o := range assessment.Outcomes {
		if err := supports(v.Incident, o.Value); err != nil {
			p.bullet("✘", o.Label, s.Subtle)
			for _, l := range common.Hang("    ", plain(err).Error(), p.w) {
				p.add(s.Warn.Render(l))
			}
		} else {
			p.bullet("✔", o.Label, lipgloss.NewStyle())
		}
	}
	p.hint("Press e to record the conclusion: the outcome, the rationale, who concluded and when.")
}

// supports is why the record does not support an outcome, or nil when it does: the
// domain's check of a conclusion, on a stand-in rationale, name and date.
func supports(inc *assessment.Incident, outcome string) error {
	c := assessment.Conclusion{Outcome: outcome, Rationale: "-", By: "-", On: inc.Discovered}
	return assessment.CheckConclusion(inc, c, time.Time{})
}

func (m *Model) notices(p *page, v *assessment.IncidentView) {
	s := m.styles
	owed := false
	for _, d := range v.Duties {
		if d.Open() && d.Key != assessment.DutyOther {
			if !owed {
				p.head("Still owed")
				owed = true
			}
			due := ""
			if !d.Due.IsZero() {
				due = " · due " + assessment.DocDate(d.Due) + " · " + assessment.DaysLeft(d.DaysLeft)
			}
			p.bullet(dutyMark(d), d.Title+" "+dutyCite(d)+due, dutyStyle(s, d))
		}
	}
	p.head("Recorded")
	if len(v.Notices) == 0 {
		p.para("No notice is recorded.", s.Subtle)
	}
	for _, n := range v.Notices {
		p.bullet("•", noticeLine(n), s.Bold)
		var extra []string
		if n.Note != "" {
			extra = append(extra, "Note: "+n.Note)
		}
		if len(n.Evidence) > 0 {
			extra = append(extra, "Evidence: "+strings.Join(m.evidenceRefs(n.Evidence), ", "))
		}
		extra = append(extra, "Recorded by "+n.By+".")
		for _, x := range extra {
			for _, l := range common.Hang("    ", assessment.SafeText(x), p.w) {
				p.add(s.Subtle.Render(l))
			}
		}
		if gaps := assessment.NoticeGaps(n); len(gaps) > 0 {
			for _, l := range common.Hang("    ", "§164.404(c) content check: "+strings.Join(gaps, "; ")+".", p.w) {
				p.add(s.Warn.Render(l))
			}
		} else if n.To == assessment.ToIndividuals || n.To == assessment.ToMedia {
			p.add(s.OK.Render("    §164.404(c) content check: every element is there."))
		}
	}
	p.hint("Press a (or e) to record a notice sent: to whom, when, how, and what it contained. Notices are kept as recorded; record a correction as a new notice with a note.")
}

// noticeLine is a notice in one sentence: when, how, to whom, how many.
func noticeLine(n assessment.Notice) string {
	to := assessment.ChoiceLabel(assessment.NoticeRecipients, n.To)
	to = lowerFirst(to)
	if n.Recipient != "" {
		to = n.Recipient
	}
	if n.State != "" {
		to += " in " + n.State
	}
	how := assessment.LabelOr(assessment.NoticeMethods, n.Method, "Sent")
	out := fmt.Sprintf("%s: %s to %s", assessment.DocDay(n.Date), how, to)
	if n.Count > 0 {
		out += " (" + assessment.Plural(n.Count, "individual", "individuals") + ")"
	}
	if n.To == assessment.ToCoveredEntity && n.Identities {
		out += ", identifying each individual"
	}
	if sub := n.Substitute; sub != nil {
		out += fmt.Sprintf("; substitute notice for %s: %s", assessment.Plural(sub.Count, "individual", "individuals"),
			strings.ToLower(assessment.ChoiceLabel(assessment.SubstituteMethods, sub.By)))
		if sub.TollFree != "" {
			out += ", toll-free " + sub.TollFree
		}
	}
	return out
}

func (m *Model) delays(p *page, v *assessment.IncidentView) {
	s := m.styles
	p.add("")
	p.para("A law enforcement official may ask for notice to wait when it would impede a criminal investigation or damage national security. A written statement delays notice for the period it names; an oral one, documented with the official's identity, for at most 30 days. safeguard pauses the clocks for the delay: the days after a statement through its last day are not counted.", s.Subtle)
	p.head("Recorded")
	if len(v.Delays) == 0 {
		p.para("No statement is recorded.", s.Subtle)
	}
	for _, d := range v.Delays {
		d = assessment.NormalizeDelay(d)
		p.bullet("•", fmt.Sprintf("%s statement by %s on %s: notice delayed through %s", capitalize(d.Kind), d.Official,
			assessment.DocDay(d.Stated), assessment.DocDay(d.Until)), s.Bold)
		if d.Note != "" {
			for _, l := range common.Hang("    ", d.Note, p.w) {
				p.add(s.Subtle.Render(l))
			}
		}
		if len(d.Evidence) > 0 {
			p.add(s.Subtle.Render(common.Truncate("    Evidence: "+strings.Join(m.evidenceRefs(d.Evidence), ", "), p.w)))
		}
	}
	paused := 0
	for _, d := range v.Duties {
		paused = max(paused, d.Paused)
	}
	if paused > 0 {
		p.add("")
		p.para(fmt.Sprintf("The clocks are paused %s in all; the Overview shows each due date with the pause.", assessment.Plural(paused, "day", "days")), lipgloss.NewStyle())
	}
	p.hint("Press a (or e) to record a statement.")
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (m *Model) deadlines(p *page, v *assessment.IncidentView) {
	s := m.styles
	p.add("")
	p.para("State breach laws and contracts may set shorter deadlines or other recipients. safeguard has no table of state laws: name each deadline, its date and where it comes from.", s.Subtle)
	p.add("")
	if len(v.Deadlines) == 0 {
		p.para("No other deadline is recorded.", s.Subtle)
	}
	i := 0
	for _, d := range v.Duties {
		if d.Key != assessment.DutyOther {
			continue
		}
		from := len(p.lines)
		status := d.Status.Label()
		switch {
		case d.Done != "":
			status = "done " + assessment.DocDay(d.Done)
			if d.Status == assessment.DutyLate {
				status += " (late)"
			}
		case !d.Due.IsZero():
			status = assessment.DaysLeft(d.DaysLeft)
		}
		line := fmt.Sprintf("%s · due %s · %s", oneLine(d.Title), assessment.DocDate(d.Due), status)
		if i == m.item {
			p.add(s.Selected.Render(common.Truncate("▶ "+line, p.w)))
		} else {
			p.add(dutyStyle(s, d).Render(common.Truncate("▸ "+line, p.w)))
		}
		for _, l := range common.Hang("    ", "Basis: "+d.Basis, p.w) {
			p.add(s.Subtle.Render(l))
		}
		p.markIf(i == m.item, from)
		i++
	}
	p.hint("Press a to add a deadline; ↑/↓ picks one and e edits it or marks it met.")
}

func (m *Model) risks(p *page, v *assessment.IncidentView) {
	s := m.styles
	p.add("")
	p.para("An incident is evidence of how likely a threat is. Linking raises a risk's likelihood in the register and keeps the note on the incident; the risk analysis report shows both.", s.Subtle)
	p.head("Linked")
	if len(v.RiskLinks) == 0 {
		p.para("No risk is linked.", s.Subtle)
	}
	for _, l := range v.RiskLinks {
		ref := m.data.RiskRef[l.RiskID]
		p.bullet("•", strings.TrimSpace(fmt.Sprintf("%s %s: likelihood %d → %d", ref, l.RiskTitle, l.From, l.To)), s.Bold)
		for _, x := range common.Hang("    ", l.Note+" ("+l.By+", "+assessment.DocDay(l.On)+")", p.w) {
			p.add(s.Subtle.Render(x))
		}
	}
	p.hint("Press a (or e) to raise a risk's likelihood because of this incident.")
}

func (m *Model) closing(p *page, v *assessment.IncidentView) {
	s := m.styles
	p.add("")
	p.para("Incidents are never deleted: the record is the organization's proof of its decision (§164.414(b)) and is kept six years (§164.316(b)(2)(i)). Close an incident when its work is done; a closed incident stays in the register and can be reopened.", s.Subtle)
	p.add("")
	if v.Closed != "" {
		p.para(fmt.Sprintf("Closed on %s by %s.", assessment.DocDay(v.Closed), v.ClosedBy), s.OK)
		if v.ClosedNote != "" {
			p.kv("Note", v.ClosedNote)
		}
		p.hint("Press e to reopen it, with the reason.")
		return
	}
	if v.ClosedNote != "" {
		p.kv("History", v.ClosedNote)
		p.add("")
	}
	blocks := closeBlocks(v)
	if len(blocks) == 0 {
		p.para("Ready to close: the conclusion is recorded and no notice is still owed.", s.OK)
	} else {
		p.para("Not ready to close:", s.Warn)
		for _, b := range blocks {
			p.bullet("•", b, s.Warn)
		}
	}
	p.hint("Press e to close it, with a closing note.")
}

// closeBlocks are the reasons the store would refuse to close the incident: no conclusion,
// or a notice still owed (the annual log to HHS may follow).
func closeBlocks(v *assessment.IncidentView) []string {
	var out []string
	if v.Conclusion == nil {
		out = append(out, "No conclusion is recorded.")
	}
	for _, d := range v.Duties {
		if d.Open() && d.Key != assessment.DutyHHSLog {
			out = append(out, d.Title+" is still owed.")
		}
	}
	return out
}
