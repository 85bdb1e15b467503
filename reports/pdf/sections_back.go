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
		"organization as a whole); the gaps column names the questions whose answers expose it. Proposed risks were suggested " +
		"from gaps and await the assessor's confirmation; dismissed risks are listed last for the record.")
	if len(m.Risks) == 0 {
		d.body("The register is empty.")
		return
	}
	t := d.newTable(7.5, col{"Ref", 9, "L"}, col{"Risk and rationale", 62, "L"}, col{"Asset", 24, "L"}, col{"L", 6, "C"}, col{"I", 6, "C"},
		col{"Level", 18, "L"}, col{"Status", 17, "L"}, col{"Gaps", 30, "L"})
	for _, r := range m.Risks {
		text := r.Title
		if rt := strings.TrimSpace(r.Rationale); rt != "" {
			text += "\nRationale: " + rt
		}
		if th := m.threatLine(r.Risk); th != "" {
			text += "\n" + th
		}
		fill := m.fill(r.Level)
		lv := cell{text: m.Matrix.Label(r.Level), fill: &fill, style: "B"}
		if r.Level == assessment.LevelNone {
			lv = cell{text: "Not rated", color: &colMuted}
		}
		rating := func(v int) string {
			if v == 0 {
				return "–"
			}
			return fmt.Sprintf("%d", v)
		}
		st := cell{text: r.Status.Label()}
		if r.Status == assessment.RiskDismissed || r.Status == assessment.RiskClosed {
			st.color = &colMuted
		}
		t.row(cell{text: r.Ref, style: "B"}, txt(text), txt(m.AssetName(r.AssetID)), txt(rating(r.Likelihood)), txt(rating(r.Impact)), lv, st,
			cell{text: strings.Join(r.QuestionIDs, "\n"), style: "M"})
		d.prog.step(1)
	}
	t.end()
	d.small("L = likelihood, I = impact, each rated 1 (very low) to " + fmt.Sprint(m.Matrix.Scale()) + " (" + strings.ToLower(scaleNames(m.Matrix.Scale())[m.Matrix.Scale()-1]) + ").")
}

// matrixName names the matrix in running text.
func matrixName(k assessment.MatrixKind) string {
	if k.Scale() == 3 {
		return "3×3 low/medium/high matrix"
	}
	return "NIST SP 800-30 Rev. 1 5×5 matrix"
}

// threatLine names a risk's threat source and vulnerability from the threat library.
func (m *model) threatLine(r *assessment.Risk) string {
	v, ok := m.cat.Vulnerability(r.VulnerabilityID)
	if !ok {
		return ""
	}
	for _, t := range v.Threats {
		if t.ID == r.ThreatID {
			return fmt.Sprintf("Threat: %s (%s). Vulnerability: %s.", t.Title, strings.ReplaceAll(t.Source, "-", " "), v.Title)
		}
	}
	return "Vulnerability: " + v.Title + "."
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
		t := d.newTable(7.5, col{"Ref", 9, "L"}, col{"Risk", 36, "L"}, col{"Treatment", 18, "L"}, col{"Planned measures", 46, "L"},
			col{"Owner", 18, "L"}, col{"Due", 21, "L"}, col{"Residual", 19, "L"}, col{"Status", 18, "L"})
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
				due = cell{text: assessment.DocDay(r.Due) + "\noverdue", fill: &colWarnFill, style: "B"}
			}
			res := cell{text: "Not rated", color: &colMuted}
			if lv := m.Matrix.Level(r.ResidualL, r.ResidualI); lv != assessment.LevelNone {
				f := m.fill(lv)
				res = cell{text: fmt.Sprintf("%s (%d×%d)", m.Matrix.Label(lv), r.ResidualL, r.ResidualI), fill: &f}
			}
			risk := r.Title + "\n" + levelText(m, r)
			t.row(cell{text: r.Ref, style: "B"}, txt(risk), tr, txt(r.Measures), txt(r.Owner), due, res, txt(r.Status.Label()))
			d.prog.step(1)
		}
		t.end()
	}
	if proposed > 0 {
		d.small(fmt.Sprintf("%d proposed risks are not in the plan until the assessor confirms or dismisses them (see %s).", proposed, d.ref(secRegister)))
	}
}

// ---- evidence index ----

func (d *doc) evidenceIndex() {
	m := d.m
	d.startSection(secEvidence)
	intro := "The evidence kept for this assessment. Each item is identified by the SHA-256 hash of its content, so a copy " +
		"handed to an auditor can be checked against this list; the references (E1, E2, …) are used in the findings."
	if d.opt.AttachEvidence && len(d.attached) > 0 {
		intro += " The files are embedded in this PDF as attachments: open one from its row (the file name in blue) or from " +
			"your PDF reader's attachments panel."
	}
	d.body(intro)
	if len(m.Evidence) == 0 {
		d.body("No evidence has been added to this assessment.")
		return
	}
	t := d.newTable(7.5, col{"Ref", 8, "L"}, col{"Item", 46, "L"}, col{"SHA-256", 44, "L"}, col{"Size", 14, "R"}, col{"Added", 20, "L"}, col{"Supports", 42, "L"})
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
				item.text += " (expired)"
			}
		}
		if a := d.attachmentFor(e.SHA256); a != nil && d.opt.AttachEvidence {
			item.text += "\nAttached: " + a.name
			item.attach = a
			item.color = &colAccent2
		}
		added := assessment.DocDate(e.AddedAt)
		if e.AddedBy != "" {
			added += "\n" + e.AddedBy
		}
		t.row(cell{text: m.EvidenceRef[e.ID], style: "B"}, item, cell{text: e.SHA256, style: "M"}, txt(assessment.FormatSize(e.Size)), txt(added), txt(m.supports(e)))
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
		verify = fmt.Sprintf("Failed: %d problems found (listed below)", len(a.Problems))
		fill = &colWarnFill
	}
	head := a.Head
	if head == "" {
		head = "None (no entries)"
	}
	d.kv([][2]string{
		{"Audit entries", assessment.FormatInt(int(a.Entries))},
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
		d.bullets(a.Problems, 8.5)
	}
	if so := s.SignOff; so != nil && so.ChainHead != "" {
		d.heading2("At sign-off", 15)
		switch {
		case so.Seal != nil && so.Seal.Workspace != a.Seal.Workspace:
			d.body(fmt.Sprintf("The sign-off was made in another workspace (%s) and sealed its chain at entry %d:", orNotRecorded(so.Seal.Workspace), so.Seal.Seq))
			d.para(so.Seal.Anchor(), "M", 8.5, colInk)
		case so.Seal != nil:
			d.body(fmt.Sprintf("The sign-off sealed the chain at entry %d, its own entries included:", so.Seal.Seq))
			d.para(so.Seal.Anchor(), "M", 8.5, colInk)
			d.f.SetY(d.y() + 2)
			d.body(sinceSignOffText(a))
		default:
			d.body("When the assessment was signed off, the chain head was:")
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
		d.body("The assessor below reviewed this risk analysis and signed it off on the date shown. The assessment was locked when " +
			"it was signed off; later work starts a new revision.")
		d.kv([][2]string{
			{"Name", so.Name},
			{"Role", so.Role},
			{"Date", assessment.DocDay(so.Date)},
			{"Statement", so.Statement},
			{"Audit chain head", so.ChainHead},
		})
		if so.Seal != nil {
			d.kv([][2]string{{"Sealed anchor", so.Seal.Anchor()}, {"Signature", signatureText(*so.Seal)}})
		}
	} else {
		d.body("This assessment has not been signed off. It becomes final when the assessor records a dated sign-off statement in " +
			"safeguard, which locks it and records the audit chain head; the signature lines below are for a printed review copy.")
		if len(m.Summary.Readiness) > 0 {
			d.heading2("What blocks sign-off", 20)
			counts := map[string]int{}
			for _, ri := range m.Summary.Readiness {
				counts[ri.Kind]++
			}
			kinds := []struct{ kind, what string }{
				{assessment.ReadyUnanswered, "Applicable items not answered"},
				{assessment.ReadyFlagged, "Items flagged for follow-up"},
				{assessment.ReadyDecision, "Addressable items without their §164.306(d)(3) decision or its text"},
				{assessment.ReadyRevalidate, "Answers carried from the last revision, not re-validated"},
				{assessment.ReadyBAA, "Assets relying on a provider without a signed BAA"},
				{assessment.ReadyRiskTreat, capitalize(m.highWords()) + " risks without a treatment"},
				{assessment.ReadyRiskProposed, "Proposed risks neither confirmed nor dismissed"},
			}
			var pairs [][2]string
			for _, k := range kinds {
				if counts[k.kind] > 0 {
					pairs = append(pairs, [2]string{assessment.FormatInt(counts[k.kind]), k.what})
				}
			}
			d.kvNarrow(pairs)
			var first []string
			for _, k := range kinds {
				n := 0
				for _, ri := range m.Summary.Readiness {
					if ri.Kind == k.kind && n < 3 {
						first = append(first, ri.Text)
						n++
					}
				}
			}
			if len(first) > 0 {
				d.heading3("Examples", 10)
				d.bullets(first, 8.5)
			}
		}
		d.gap(6)
		d.ensure(60)
		for _, role := range []string{"Assessor", "Security official"} {
			y := d.y() + 12
			d.drawColor(colInk)
			d.f.SetLineWidth(0.3)
			d.f.Line(marginL, y, marginL+95, y)
			d.f.Line(marginL+110, y, marginL+contentW, y)
			d.font("", 8)
			d.textColor(colMuted)
			d.f.SetXY(marginL-cellPad, y+0.8)
			d.f.CellFormat(95, 4, role+": name, role and signature", "", 0, "L", false, 0, "")
			d.f.SetXY(marginL+110-cellPad, y+0.8)
			d.f.CellFormat(60, 4, "Date", "", 0, "L", false, 0, "")
			d.f.SetY(y + 8)
		}
		d.f.SetLineWidth(0.2)
	}
	d.gap(8)
	d.small(fmt.Sprintf("Produced by safeguard on %s from the workspace data as of %s, with catalog version %s. The report states "+
		"only what the assessment records; it is not legal advice.", assessment.DocDate(m.Generated), assessment.DocTime(m.DataAsOf), s.Assessment.CatalogVersion))
}

// kvNarrow is kv with a narrow first column for counts.
func (d *doc) kvNarrow(pairs [][2]string) {
	t := d.newTable(9, col{"Count", 16, "R"}, col{"What", 150, "L"})
	for _, p := range pairs {
		t.row(cell{text: p[0], style: "B"}, txt(p[1]))
	}
	t.end()
}
