package pdf

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"safeguard/assessment"
)

// ---- risk register ----

func (d *doc) riskRegister() {
	m := d.m
	d.startSection(secRegister)
	d.body("Every risk identified, worst first: by level on the " + matrixName(m.Matrix) + ", then by likelihood × impact. Each risk is a threat event exploiting a vulnerability of an asset (or of the " +
		"organization as a whole). For each: the confidentiality, integrity or availability it harms (C, I, A), its triggering gaps (the answers that expose it), " +
		"its existing controls (answers in place that mitigate its vulnerability), the rating with its rationale, and warnings where a rating does not follow from the treatment. " +
		"Proposed risks were suggested from gaps by the threat library and are “proposed, not rated” until the assessor confirms and rates them; dismissed risks are listed last for the record.")
	if len(m.Risks) == 0 {
		d.body(noRatedRisksText(m.Summary))
		return
	}
	t := d.newTable(7.5, col{"Ref", 9, "L"}, col{"Risk", 100, "L"}, col{"Level (L×I)", 26, "L"}, col{"C I A", 13, "L"}, col{"Status", 24, "L"})
	t.context = "Risk register"
	for _, r := range m.Risks {
		fill := m.fill(r.Level)
		lv := cell{text: levelText(m, r), fill: &fill, style: "B"}
		if r.Level == assessment.LevelNone {
			lv = cell{text: levelText(m, r), color: &colMuted}
		}
		st := cell{text: r.Status.Label()}
		if r.Status == assessment.RiskDismissed || r.Status == assessment.RiskClosed {
			st.color = &colMuted
		}
		cia := r.CIA.Short()
		if r.CIADefault {
			cia += "\n(library default)"
		}
		ref := cell{text: r.Ref, style: "B"}
		if d.s.Audit.IsAltered("risk", r.ID) {
			ref.text += "\n" + alteredMark
			ref.fill = &colWarnFill
		}
		t.row(ref, cell{text: r.Title + "\n" + m.AssetName(r.AssetID), style: "B"}, lv, txt(cia), st)
		t.span(cell{text: d.riskDetail(r)})
		d.prog.step(1)
	}
	t.end()
	d.small("L = likelihood, I = impact, each rated 1 (" + strings.ToLower(scaleNames(m.Matrix.Scale())[0]) + ") to " + fmt.Sprint(m.Matrix.Scale()) + " (" +
		strings.ToLower(scaleNames(m.Matrix.Scale())[m.Matrix.Scale()-1]) + ") on the scales of " + d.ref(secMethod) + ". " + notationNote(m.Matrix) +
		" C, I, A = confidentiality, integrity, availability.")
}

// riskDetail is a register entry's method: threat and vulnerability, triggering gaps,
// existing controls, rationale, acceptance and warnings.
func (d *doc) riskDetail(r assessment.RiskView) string {
	m := d.m
	var parts []string
	if r.Threat.ID != "" {
		parts = append(parts, fmt.Sprintf("Threat: %s (%s).", r.Threat.Title, assessment.ChoiceLabel(assessment.ThreatSources, r.Threat.Source)))
	}
	if r.Vulnerability != nil {
		parts = append(parts, "Vulnerability: "+r.Vulnerability.Title+".")
	}
	items := func(list []int) string {
		var out []string
		for _, i := range list {
			it := &m.Items[i]
			s := it.Question.ID
			if it.Asset != nil && it.Asset.ID != r.AssetID {
				s += " (" + it.Asset.Name + ")"
			} else if it.Asset == nil && r.AssetID != "" {
				s += " (organization-wide)"
			}
			s += " " + strings.ToLower(it.Status.Short())
			if d.s.Audit.AnswerAltered(it.Key()) {
				s += " " + alteredMark
			}
			out = append(out, s)
		}
		return strings.Join(out, "; ")
	}
	switch {
	case len(r.Triggers) > 0:
		parts = append(parts, "Triggering gaps: "+items(r.Triggers)+".")
	case len(r.QuestionIDs) > 0:
		parts = append(parts, "Triggering gaps: none current (the answers it lists are no longer gaps: "+strings.Join(r.QuestionIDs, ", ")+").")
	}
	if len(r.Controls) > 0 {
		parts = append(parts, "Existing controls: "+items(r.Controls)+".")
	} else if r.Vulnerability != nil {
		parts = append(parts, "Existing controls: none answered in place against this vulnerability.")
	}
	if rt := strings.TrimSpace(r.Rationale); rt != "" {
		parts = append(parts, "Rationale: "+rt)
	}
	if r.Treatment == assessment.TreatAccept {
		acc := "Accepted"
		if r.AcceptedBy != "" {
			acc += " by " + r.AcceptedBy
		}
		if r.AcceptedAuthority != "" {
			acc += " (" + r.AcceptedAuthority + ")"
		}
		if r.AcceptedOn != "" {
			acc += " on " + assessment.DocDay(r.AcceptedOn)
		}
		if r.AcceptedBy == "" || r.AcceptedAuthority == "" || r.AcceptedOn == "" {
			acc += "; the acceptance record is incomplete"
		}
		parts = append(parts, acc+".")
	}
	for _, w := range r.Warnings {
		parts = append(parts, "Warning: "+capitalize(w))
	}
	if len(parts) == 0 {
		return "No threat, vulnerability or rationale is recorded."
	}
	return strings.Join(parts, " ")
}

// matrixName names the matrix in running text.
func matrixName(k assessment.MatrixKind) string {
	if k.Scale() == 3 {
		return "3×3 low/medium/high matrix"
	}
	return "NIST SP 800-30 Rev. 1 5×5 matrix"
}

// ---- gap-to-risk traceability ----

func (d *doc) traceability() {
	m := d.m
	d.startSection(secTrace)
	d.body("Every current gap (an item answered partial or not implemented, or flagged for follow-up; proposed-rule items aside) with the confirmed risks " +
		"that list it, the proposals not yet rated, or the recorded reason why no risk follows. A gap with none of these is not traced and blocks sign-off.")
	if len(m.Gaps) == 0 {
		d.body("No current gap is recorded, so there is nothing to trace.")
		return
	}
	traced, flagged := 0, 0
	for _, g := range m.Gaps {
		switch {
		case g.Traced():
			traced++
		case m.Items[g.Item].Status == assessment.Flagged:
			flagged++
		}
	}
	untraced := assessment.FormatInt(len(m.Gaps) - traced)
	if flagged > 0 {
		// appendix A lists a flagged answer once, under flagged answers: answering it
		// decides whether it is a gap at all
		untraced += fmt.Sprintf(" (appendix A lists %s under answers flagged for follow-up and %s under gaps not traced)",
			assessment.FormatInt(flagged), assessment.FormatInt(len(m.Gaps)-traced-flagged))
	}
	d.kv([][2]string{{"Gaps", assessment.FormatInt(len(m.Gaps))}, {"Traced to a confirmed risk or a reason", assessment.FormatInt(traced)}, {"Not traced", untraced}})
	t := d.newAutoTable(7.5, col{"Gap", 1, "L"}, col{"Target", 1, "L"}, col{"Status", 1, "L"}, col{"Traced to", 1, "L"})
	t.context = "Gap-to-risk traceability"
	for _, g := range m.Gaps {
		it := &m.Items[g.Item]
		var to []string
		var refs []string
		for _, ri := range g.Risks {
			refs = append(refs, m.Risks[ri].Ref)
		}
		if len(refs) > 0 {
			to = append(to, "Risks "+strings.Join(refs, ", "))
		}
		if strings.TrimSpace(g.Reason) != "" {
			to = append(to, "No risk follows: "+g.Reason)
		}
		var prop []string
		for _, ri := range g.Proposed {
			prop = append(prop, m.Risks[ri].Ref)
		}
		if len(prop) > 0 {
			to = append(to, "Proposed, not rated: "+strings.Join(prop, ", "))
		}
		c := txt(strings.Join(to, "\n"))
		if !g.Traced() {
			if len(to) == 0 {
				c.text = "Not traced: no risk and no reason"
			} else {
				c.text += "\nNot traced until a risk is confirmed"
			}
			c.fill = &colWarnFill
		}
		st := cell{text: it.Status.Short(), fill: statusFill(it.Status)}
		if d.s.Audit.AnswerAltered(it.Key()) {
			st.text += "\n" + alteredMark
			st.fill, st.style = &colWarnFill, "B"
		}
		t.row(cell{text: it.Question.ID, style: "M"}, txt(it.TargetName()), st, c)
		d.prog.step(1)
	}
	t.end()
}

// ---- risk management plan ----

func (d *doc) riskPlan() {
	m := d.m
	d.startSection(secPlan)
	d.body("How each confirmed risk is treated (§164.308(a)(1)(ii)(B) requires security measures sufficient to reduce risks " +
		"and vulnerabilities to a reasonable and appropriate level): the treatment chosen, the measures planned, who owns them, " +
		"when they are due, and the residual rating expected once they are in place. Dates past " + assessment.DocDate(m.AsOf) +
		" on risks not yet closed are marked overdue.")
	var rows []assessment.RiskView
	proposed := 0
	for _, r := range m.Risks {
		switch r.Status {
		case assessment.RiskDismissed:
			continue
		case assessment.RiskProposed:
			proposed++
			continue
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b assessment.RiskView) int {
		closed := func(r assessment.RiskView) int {
			if r.Status == assessment.RiskClosed {
				return 1
			}
			return 0
		}
		due := func(r assessment.RiskView) string {
			if r.Due == "" {
				return "9999"
			}
			return r.Due
		}
		return cmp.Or(cmp.Compare(closed(a), closed(b)), cmp.Compare(m.Matrix.Rank(b.Level), m.Matrix.Rank(a.Level)), cmp.Compare(due(a), due(b)))
	})
	if len(rows) == 0 {
		d.body("No risk has been confirmed yet, so there is nothing to plan.")
	} else {
		t := d.newAutoTable(7.5, col{"Ref", 9, "L"}, col{"Risk", 36, "L"}, col{"Treatment", 18, "L"}, col{"Planned measures", 46, "L"},
			col{"Owner", 18, "L"}, col{"Due", 21, "L"}, col{"Residual (L×I)", 19, "L"}, col{"Status", 18, "L"})
		for _, r := range rows {
			tr := cell{text: r.Treatment.Label()}
			if r.Treatment == assessment.TreatNone {
				tr.color = &colMuted
				if assessment.IsHigh(r.Level) && r.Status != assessment.RiskClosed {
					tr = cell{text: "Not chosen", fill: &colWarnFill, style: "B"}
				}
			}
			due := cell{text: assessment.DocDay(r.Due)}
			if m.Overdue(r.Due) && r.Status != assessment.RiskClosed {
				due = cell{text: assessment.DocDay(r.Due) + "\noverdue as of " + assessment.DocDate(m.AsOf), fill: &colWarnFill, style: "B"}
			}
			res := cell{text: "Not rated", color: &colMuted}
			if lv := m.Matrix.Level(r.ResidualL, r.ResidualI); lv != assessment.LevelNone {
				f := m.fill(lv)
				res = cell{text: fmt.Sprintf("%s (%d×%d)", m.Matrix.Label(lv), r.ResidualL, r.ResidualI), fill: &f}
				if len(r.Warnings) > 0 {
					res.text += "\nsee the warning in " + d.ref(secRegister)
				}
			}
			risk := r.Title + "\n" + levelText(m, r)
			t.row(cell{text: r.Ref, style: "B"}, txt(risk), tr, txt(r.Measures), txt(r.Owner), due, res, txt(r.Status.Label()))
			d.prog.step(1)
		}
		t.end()
	}
	if proposed > 0 {
		d.small(fmt.Sprintf("%s, proposed and not rated, %s not in the plan until the assessor confirms or dismisses them (see %s).", assessment.Plural(proposed, "risk", "risks"), isAre(proposed), d.ref(secRegister)))
	}
}

// ---- evidence index ----

func (d *doc) evidenceIndex() {
	m := d.m
	d.startSection(secEvidence)
	intro := "The evidence kept for this assessment. Each item is identified by the SHA-256 hash of its content, so a copy " +
		"handed to an auditor can be checked against this list; the references (E1, E2, …) are used in the findings. The text of each note is printed."
	if d.opt.AttachEvidence && len(d.attached) > 0 {
		intro += " The files are embedded in this PDF as attachments: open one from its row (the file name in blue) or from " +
			"your PDF reader's attachments panel."
	}
	d.body(intro)
	if len(m.Evidence) == 0 {
		d.body("No evidence has been added to this assessment: every answer rests on the assessor's word alone.")
		return
	}
	t := d.newTable(7.5, col{"Ref", 8, "L"}, col{"Item", 70, "L"}, col{"Size", 14, "R"}, col{"Added", 28, "L"}, col{"Supports", 52, "L"})
	t.context = "Evidence index"
	for _, e := range m.Evidence {
		item := cell{text: e.Name}
		kind := "File"
		if e.IsNote {
			kind = "Note"
		}
		if e.MediaType != "" && !e.IsNote {
			kind += ", " + e.MediaType
		}
		item.text += "\n" + kind
		if e.Description != "" {
			item.text += "\n" + e.Description
		}
		if e.ValidUntil != "" {
			item.text += "\nValid until " + assessment.DocDay(e.ValidUntil)
			if m.Overdue(e.ValidUntil) {
				item.text += " (expired as of " + assessment.DocDate(m.AsOf) + ")"
			}
		}
		if a := d.attachmentFor(e.SHA256); a != nil && d.opt.AttachEvidence {
			item.text += "\nAttached: " + a.name
			item.attach = a
			item.color = &colAccent2
		}
		ref := cell{text: m.EvidenceRef[e.ID], style: "B"}
		if d.s.Audit.IsAltered("evidence", e.ID) {
			ref.text += "\n" + alteredMark
			ref.fill = &colWarnFill
		}
		added := assessment.DocDate(e.AddedAt)
		if e.AddedBy != "" {
			added += "\n" + e.AddedBy
		}
		if e.ImportedFrom != "" {
			added += "\nimported from " + e.ImportedFrom
		}
		t.row(ref, item, txt(assessment.FormatSize(e.Size)), txt(added), txt(m.supports(e)))
		t.span(cell{text: "SHA-256 " + e.SHA256, style: "M"})
		if e.IsNote {
			text, ok := d.s.NoteTexts[e.SHA256]
			switch {
			case ok && strings.TrimSpace(text) != "":
				t.span(cell{text: "Note: " + strings.TrimSpace(text), fill: &colFaint})
			case !ok:
				t.span(cell{text: "Note text not available here (not in this workspace's vault, or sealed).", color: &colMuted})
			}
		}
		d.prog.step(1)
	}
	t.end()
}

// supports says what an evidence item is linked to.
func (m *model) supports(e assessment.Evidence) string {
	var out []string
	for _, l := range e.Links {
		switch {
		case l.QuestionID != "" && l.AssetID != "":
			out = append(out, l.QuestionID+" ("+m.AssetName(l.AssetID)+")")
		case l.QuestionID != "":
			out = append(out, l.QuestionID)
		case l.AssetID != "":
			out = append(out, "Asset: "+m.AssetName(l.AssetID))
		case l.VendorID != "":
			out = append(out, "Vendor: "+m.VendorName(l.VendorID))
		}
	}
	if len(out) == 0 {
		return "Not linked"
	}
	return strings.Join(out, "\n")
}

// ---- audit trail ----

func (d *doc) auditTrail() {
	s := d.s
	a := s.Audit
	d.startSection(secAudit)
	if d.unverified() {
		d.warnBox(d.integrityBanner())
	}
	d.body("Every change to the workspace (each answer, asset, vendor, risk, evidence item and sign-off) is written to an " +
		"append-only audit trail in the same transaction as the change. Each entry carries the SHA-256 of its content and of the " +
		"entry before it, so altering or removing any entry breaks the chain from that point on; “safeguard verify” recomputes it.")
	d.body("What this proves, exactly: a chain that verifies shows that nothing was damaged by accident or edited naively. On its " +
		"own it cannot show that someone with the workspace file did not rewrite history and recompute every hash. The anchor " +
		"below closes that gap: keep it (this report is one copy), and “safeguard verify --anchor” shows later whether the history " +
		"up to that entry is unchanged. A signature by the assessor's key, where shown, binds the anchor to that key.")
	verify := "Not run for this report"
	var fill *rgb
	switch {
	case a.Verified && len(a.Problems) == 0:
		verify = "Passed: the chain, every audited record and the evidence matched when this report was produced"
		if sc := a.Scope; sc != nil {
			verify = fmt.Sprintf("Passed: the audit chain up to the anchor below, this assessment's %s and the %s it lists "+
				"matched when this report was produced (other assessments in the workspace were not checked for this report; "+
				"“safeguard verify” checks everything)", assessment.Plural(sc.Records, "audited record", "audited records"),
				assessment.Plural(sc.Evidence, "evidence file", "evidence files"))
		}
		fill = &colOKFill
	case len(a.Problems) > 0:
		verify = "Failed: " + assessment.Plural(len(a.Problems), "problem", "problems") + " found (listed below)"
		fill = &colWarnFill
	}
	head := a.Head
	if head == "" {
		head = "None (no entries)"
	}
	d.kv([][2]string{
		{"Audit entries to the anchor", assessment.FormatInt(int(a.Entries))},
		{"Chain head (SHA-256)", head},
		{"Anchor (entry:hash)", orNotRecorded(a.Seal.Anchor())},
		{"Workspace", orNotRecorded(a.Seal.Workspace)},
		{"Signature", signatureText(a.Seal)},
		{"Data as of", assessment.DocTime(d.m.DataAsOf)},
	})
	d.small("The anchor is the newest entry that changed the workspace's data when this report was made; entries that only " +
		"record reports written since are not part of it.")
	t := d.newTable(9, col{"Verification", 30, "L"}, col{"Result", 120, "L"})
	t.row(cell{text: "safeguard verify", style: "B"}, cell{text: verify, fill: fill, style: "B"})
	t.end()
	if len(a.Problems) > 0 {
		d.heading2("Problems found", 15)
		d.bulletsCont("Problems found", a.Problems, 8.5)
		if len(a.Altered) > 0 {
			d.small(fmt.Sprintf("%s named by these problems %s marked “%s” where this report prints them.", assessment.Plural(len(a.Altered), "record", "records"), isAre(len(a.Altered)), alteredMark))
		}
	}
	if so := s.SignOff; so != nil && so.ChainHead != "" {
		d.heading2("At sign-off", 15)
		switch {
		case so.Seal != nil && so.Seal.Workspace != a.Seal.Workspace:
			d.leadIn(fmt.Sprintf("The sign-off was made in another workspace (%s) and sealed its chain at entry %d:", orNotRecorded(so.Seal.Workspace), so.Seal.Seq), 8)
			d.para(so.Seal.Anchor(), "M", 8.5, colInk)
		case so.Seal != nil:
			d.leadIn(fmt.Sprintf("The sign-off sealed the chain at entry %d, its own entries included:", so.Seal.Seq), 8)
			d.para(so.Seal.Anchor(), "M", 8.5, colInk)
			d.f.SetY(d.y() + 2)
			d.body(sinceSignOffText(a))
		default:
			d.leadIn("When the assessment was signed off, the chain head was:", 8)
			d.para(so.ChainHead, "M", 8.5, colInk)
			d.f.SetY(d.y() + 2)
			if so.ChainHead == a.Head {
				d.body("It is still the chain head: nothing in the workspace changed after sign-off.")
			} else {
				d.body("The chain has grown since sign-off (this sign-off predates seals, so the growth cannot be broken down); " +
					"“safeguard verify” shows whether the chain is intact.")
			}
		}
	}
}

// signatureText describes a seal's signature.
func signatureText(seal assessment.Seal) string {
	if !seal.Signed() {
		return "None (no signing key)"
	}
	return "Ed25519 by key " + seal.KeyFingerprint
}

// sinceSignOffText says what the chain gained after a sealed sign-off, up to the report's
// anchor.
func sinceSignOffText(a assessment.AuditSummary) string {
	if len(a.SinceSignOff) == 0 {
		return "Nothing was added to the chain after sign-off: the workspace is as it was signed off."
	}
	var parts []string
	total := 0
	for _, k := range a.SinceSignOff {
		parts = append(parts, fmt.Sprintf("%s %s", assessment.FormatInt(k.Entries), k.Kind))
		total += k.Entries
	}
	added := fmt.Sprintf("%s entries were added after sign-off (%s)", assessment.FormatInt(total), strings.Join(parts, ", "))
	if a.ChangesSinceSignOff == 0 {
		return added + ". They only record reports and sign-offs made since: nothing in the workspace changed after sign-off."
	}
	return added + fmt.Sprintf(". %s of them changed data in the workspace (a finalized assessment itself is locked, so "+
		"they belong to other work); “safeguard verify” shows whether the chain is intact.", assessment.FormatInt(a.ChangesSinceSignOff))
}

// ---- sign-off ----

func (d *doc) signOff() {
	s, m := d.s, d.m
	d.startSection(secSignOff)
	if so := s.SignOff; so != nil {
		d.body("The assessor below reviewed this risk analysis and signed it off. The date is the one the signer gave; the recorded time is when the " +
			"workspace recorded the sign-off in its audit trail. The assessment was locked when it was signed off; later work starts a new revision.")
		recorded := "Not recorded (a sign-off made before recorded times existed)"
		if !so.RecordedAt.IsZero() {
			recorded = assessment.DocTime(so.RecordedAt)
		}
		pairs := [][2]string{
			{"Signed by", so.Name},
			{"Role", so.Role},
			{"Date", assessment.DocDay(so.Date)},
			{"Recorded in the audit trail", recorded},
			{"Statement", so.Statement},
		}
		if d.s.Audit.IsAltered("signoff", d.s.Assessment.ID) {
			pairs = append(pairs, [2]string{"Integrity", alteredMark})
		}
		d.kv(pairs)
		d.heading2("Approval", 15)
		if ap := so.Approver; ap != nil {
			d.kv([][2]string{{"Approved by", ap.Name}, {"Role", ap.Role}, {"Date", assessment.DocDay(ap.Date)}})
		} else {
			d.body("No management approval separate from the signer is recorded.")
		}
		d.heading2("What the sign-off sealed", 15)
		switch {
		case so.Seal != nil:
			d.kv([][2]string{{"Sealed anchor (entry:hash)", so.Seal.Anchor()}, {"Workspace", orNotRecorded(so.Seal.Workspace)}, {"Signature", signatureText(*so.Seal)}})
		case so.ChainHead != "":
			d.kv([][2]string{{"Audit chain head", so.ChainHead}})
		default:
			d.body("No chain head is recorded with this sign-off.")
		}
	} else {
		d.body("This assessment has not been signed off. It becomes final when the assessor records a dated sign-off statement in " +
			"safeguard, which locks it and seals the audit chain head; the signature lines below are for a printed review copy.")
		if n := len(m.Summary.Readiness); n > 0 {
			d.body(fmt.Sprintf("%s block%s sign-off; %s lists every one, grouped by kind.", assessment.Plural(n, "open item", "open items"), map[bool]string{true: "s", false: ""}[n == 1], d.ref(secOpen)))
		}
		d.gap(6)
		d.room(60)
		for _, role := range []string{"Assessor", "Approver (management)"} {
			y := d.y() + 12
			d.drawColor(colInk)
			d.lineWidth(0.3)
			d.f.Line(marginL, y, marginL+95, y)
			d.f.Line(marginL+110, y, marginL+contentW, y)
			d.font("", 8)
			d.textColor(colMuted)
			d.f.SetXY(marginL-cellPad, y+0.8)
			d.text(95, 4, role+": name, role and signature", "", 0, "L")
			d.f.SetXY(marginL+110-cellPad, y+0.8)
			d.text(60, 4, "Date", "", 0, "L")
			d.f.SetY(y + 8)
		}
		d.lineWidth(0.2)
	}
	d.heading2("This report", 15)
	pairs := [][2]string{{"Data as of", assessment.DocTime(m.DataAsOf)}, {"Audit chain head (SHA-256)", orNotRecorded(s.Audit.Head)}}
	if a := s.Audit.Seal; a.Seq > 0 {
		pairs = append(pairs, [2]string{"Anchor (entry:hash)", a.Anchor()}, [2]string{"Signature", signatureText(a)})
	}
	d.kv(pairs)
	d.small(fmt.Sprintf("Produced by safeguard from the workspace data as of %s, with catalog version %s. The report states "+
		"only what the assessment records; it is not legal advice.", assessment.DocTime(m.DataAsOf), s.Assessment.CatalogVersion))
}

// ---- open items ----

func (d *doc) openItems() {
	m := d.m
	d.startSection(secOpen)
	groups := m.Summary.ReadinessGroups()
	if len(groups) == 0 {
		if d.final {
			d.body("Nothing was open when the assessment was signed off.")
		} else {
			d.body("Nothing recorded blocks sign-off.")
		}
	} else {
		d.body(fmt.Sprintf("Every item that blocks sign-off (%s), grouped by kind in the order they are best resolved.", assessment.FormatInt(len(m.Summary.Readiness))))
		var pairs [][2]string
		for _, g := range groups {
			pairs = append(pairs, [2]string{assessment.FormatInt(len(g.Items)), g.Title})
		}
		d.kvNarrow(pairs)
		for _, g := range groups {
			title := fmt.Sprintf("%s (%s)", g.Title, assessment.FormatInt(len(g.Items)))
			d.heading2(title, 15)
			var items []string
			for _, it := range g.Items {
				text := it.Text
				if it.QuestionText != "" {
					text += " Question: " + it.QuestionText
				}
				items = append(items, text)
			}
			d.bulletsCont(title, items, 8)
			d.prog.step(1)
		}
	}
	if len(m.Summary.Warnings) > 0 {
		d.heading2(fmt.Sprintf("Warnings (%s)", assessment.FormatInt(len(m.Summary.Warnings))), 15)
		d.small("These do not block sign-off, but a reader should see them.")
		var items []string
		for _, w := range m.Summary.Warnings {
			items = append(items, w.Text)
		}
		d.bulletsCont("Warnings", items, 8)
	}
}

// ---- glossary ----

func (d *doc) glossary() {
	d.startSection(secGlossary)
	t := d.newAutoTable(8, col{"Term", 1, "L"}, col{"Meaning", 1, "L"})
	for _, g := range glossaryTerms {
		t.row(cell{text: g[0], style: "B"}, txt(g[1]))
	}
	t.end()
}

// glossaryTerms are the abbreviations and terms the report uses, explained once.
var glossaryTerms = [][2]string{
	{"Addressable", "An implementation specification the organization must assess and then implement, replace with an equivalent measure, or document as not reasonable and appropriate (§164.306(d)(3)). Not optional."},
	{"Anchor", "An audit-trail entry number and hash printed on a report; `safeguard verify --anchor` shows later whether the history up to it was rewritten."},
	{"BAA", "Business associate agreement: the contract §164.308(b) and §164.314(a) require before a vendor handles ePHI."},
	{"C, I, A", "Confidentiality, integrity and availability of ePHI, the three objectives the Security Rule protects (§164.306(a)(1))."},
	{"CFR", "Code of Federal Regulations; 45 CFR Part 164 holds the Security Rule, 42 CFR Part 2 the rules for substance use disorder records."},
	{"Chain head", "The hash of the newest entry of the workspace's hash-chained audit trail."},
	{"Evidence coverage", "The share of in-place answers that cite evidence."},
	{"ePHI", "Electronic protected health information."},
	{"HHS, OCR", "The U.S. Department of Health and Human Services and its Office for Civil Rights, which enforces HIPAA."},
	{"HIPAA", "The Health Insurance Portability and Accountability Act of 1996."},
	{"IaaS, PaaS, SaaS", "Infrastructure, platform and software as a service: how a cloud provider hosts a system, which decides who carries out each control."},
	{"Inherent, residual", "A risk's rating before treatment, and the rating expected once the planned treatment is in place."},
	{"Inherited", "A provider-owned control resting on the vendor's signed BAA and current attestation: the vendor's control, not the practice's own."},
	{"In place (self-assessed)", "The share of items answered implemented among those answered implemented, partial or not implemented; the practice's own report, not an auditor's verdict."},
	{"L×I", "Likelihood × impact: the two ratings on the scales of the method section, written in brackets after the level the risk matrix gives them."},
	{"MFA", "Multi-factor authentication."},
	{"MSP", "Managed service provider: an outside IT company that runs systems on the organization's behalf."},
	{"NIST SP", "National Institute of Standards and Technology Special Publication (SP 800-30 on risk assessment, SP 800-66 on the Security Rule)."},
	{"N/A", "Not applicable, with the reason recorded."},
	{"Part 2", "42 CFR Part 2, the federal rules protecting records of substance use disorder programs."},
	{"Proposed rule", "The January 2025 proposed changes to the Security Rule (90 FR 898), not final; its items are counted apart."},
	{"SHA-256", "A cryptographic hash: the fingerprint that identifies an evidence file or an audit entry."},
	{"SOC 2", "An auditor's report on a service organization's controls against criteria it chooses; alone it does not show that the Security Rule's safeguards are met."},
	{"TLS", "Transport Layer Security, the encryption of data in transit; NIST SP 800-52 Rev. 2 expects version 1.2 or later."},
}

// kvNarrow is kv with a narrow first column for counts.
func (d *doc) kvNarrow(pairs [][2]string) {
	t := d.newAutoTable(9, col{"Count", 16, "R"}, col{"What", 150, "L"})
	for _, p := range pairs {
		t.row(cell{text: p[0], style: "B"}, txt(p[1]))
	}
	t.end()
}
