package pdf

import (
	"fmt"
	"strings"

	"safeguard/assessment"
	"safeguard/controls"
)

// ---- findings ----

func (d *doc) findings() {
	m := d.m
	d.startSection(secFindings)
	d.body("Every applicable question, grouped by safeguard, standard and implementation specification as the Security Rule " +
		"arranges them, with the answer for the organization or for each asset it concerns: status, who owns the control, " +
		"notes, the reason for not-applicable answers, the §164.306(d)(3) decision for addressable specifications, and the " +
		"evidence that supports it (references to " + d.ref(secEvidence) + ").")
	d.legend()
	stdCounts := map[string]assessment.GroupCounts{}
	for _, g := range m.sum.ByStandard {
		stdCounts[g.ID] = g
	}
	sgCounts := map[string]assessment.GroupCounts{}
	for _, g := range m.sum.BySafeguard {
		sgCounts[g.ID] = g
	}
	for gi, g := range m.groups {
		num := fmt.Sprintf("%d.%d", d.num[secFindings], gi+1)
		if gi > 0 || d.y() > marginT+90 {
			d.newPage()
		} else {
			d.gap(6)
		}
		d.mark(1, num, g.sg.Title)
		d.font("B", 15)
		d.textColor(colAccent)
		for _, ln := range d.lines(cleanLine(num+"  "+g.sg.Title+" (§"+g.sg.ID+")"), contentW) {
			d.f.SetXY(marginL, d.y())
			d.f.CellFormat(contentW, 8, ln, "", 1, "L", false, 0, "")
		}
		d.para(countsLine(sgCounts[g.sg.ID]), "", 8.5, colMuted)
		d.f.SetY(d.y() + 2)
		for _, sg := range g.stds {
			d.standard(sg, stdCounts[sg.std.ID])
		}
	}
}

// legend explains the marks used in the findings tables.
func (d *doc) legend() {
	d.small("Owner: Customer is the organization, Provider the vendor hosting the asset, Shared both. * marks an owner changed " +
		"from the catalog default (the reason is in the notes); † marks a provider-owned control whose vendor has a BAA or " +
		"attestation gap. Items marked “proposed rule” exist only in the January 2025 proposed rule and are not counted.")
}

// countsLine is "Compliance 72 % · 12 implemented, 3 partial, …" for a group.
func countsLine(c assessment.GroupCounts) string {
	if c.Applicable == 0 {
		return "No question applies."
	}
	share, ok := c.Compliance()
	comp := "compliance —"
	if ok {
		comp = "compliance " + pct(share)
	}
	parts := []string{fmt.Sprintf("%s applicable items, %s complete, %s", fmtInt(c.Applicable), pct(c.Completion()), comp)}
	var counts []string
	add := func(n int, what string) {
		if n > 0 {
			counts = append(counts, fmt.Sprintf("%s %s", fmtInt(n), what))
		}
	}
	add(c.Implemented, "implemented")
	add(c.Partial, "partial")
	add(c.NotImplemented, "not implemented")
	add(c.NotApplicable, "not applicable")
	add(c.Flagged, "flagged")
	add(c.Unanswered, "not answered")
	return parts[0] + " (" + strings.Join(counts, ", ") + ")."
}

func (d *doc) standard(sg stdGroup, counts assessment.GroupCounts) {
	std := sg.std
	d.gap(3)
	d.ensure(30)
	d.bookmark(cleanLine("§"+std.ID+" "+std.Title), 2, -1)
	d.drawColor(colAccent2)
	d.f.SetLineWidth(0.35)
	d.f.Line(marginL, d.y(), marginL+contentW, d.y())
	d.f.SetLineWidth(0.2)
	d.f.SetY(d.y() + 1.2)
	d.font("B", 11.5)
	d.textColor(colAccent)
	for _, ln := range d.lines(cleanLine("§"+std.ID+"  "+std.Title), contentW) {
		d.f.SetXY(marginL, d.y())
		d.f.CellFormat(contentW, 6, ln, "", 1, "L", false, 0, "")
	}
	kind := "Standard with implementation specifications"
	if len(std.Specifications) == 0 {
		kind = "Required standard (no implementation specifications)"
	}
	d.para(kind+" · "+countsLine(counts), "", 8, colMuted)
	d.f.SetY(d.y() + 1)
	any := false
	for _, sp := range sg.specs {
		if len(sp.questions) == 0 {
			continue
		}
		any = true
		if sp.spec != nil {
			req := "Required"
			if sp.spec.Requirement == controls.Addressable {
				req = "Addressable"
			}
			d.heading3(fmt.Sprintf("§%s %s — %s", sp.spec.ID, sp.spec.Title, req), 22)
		} else if len(std.Specifications) > 0 {
			d.heading3("The standard itself", 22)
		}
		d.questionTable(sp.questions)
	}
	if !any {
		d.small("No question of this standard applies to this organization and its assets.")
	}
}

// questionTable lists questions with one row per applicable item.
func (d *doc) questionTable(qs []*controls.Question) {
	m := d.m
	t := d.newTable(7.5, col{"Target", 27, "L"}, col{"Status", 26, "L"}, col{"Owner", 16, "L"}, col{"Notes, reasons and decisions", 85, "L"}, col{"Evidence", 18, "L"})
	for _, q := range qs {
		head := q.ID + "   " + q.Text
		if q.Proposed {
			head += "  [proposed rule: not counted]"
		}
		t.group(cell{text: head, style: "B"})
		for _, it := range m.byQuestion[q.ID] {
			r := m.resp[it.Key()]
			st := assessment.ResponseStatus("")
			statusTxt := statusLabel(st)
			if r != nil {
				st = r.Status
				statusTxt = statusLabel(st)
				if who := answeredBy(r); who != "" {
					statusTxt += "\n" + who
				}
			}
			owner, ov := assessment.Owner(q, it.Asset, m.ov)
			ownerTxt := owner.Label()
			if ov != nil {
				ownerTxt += "*"
			}
			if it.Asset != nil && owner != controls.OwnerCustomer && len(m.flags[it.Key()]) > 0 {
				ownerTxt += " †"
			}
			statusCell := cell{text: statusTxt, fill: statusFill(st)}
			if r == nil {
				statusCell.color = &colMuted
			}
			t.row(txt(targetName(it)), statusCell, txt(ownerTxt), txt(m.notes(r, it)), txt(strings.Join(m.evByItem[it.Key()], ", ")))
			d.prog.step(1)
		}
	}
	t.end()
}

func answeredBy(r *assessment.Response) string {
	var parts []string
	if r.By != "" {
		parts = append(parts, r.By)
	}
	if !r.At.IsZero() {
		parts = append(parts, r.At.UTC().Format("2006-01-02"))
	}
	return strings.Join(parts, "\n")
}

// notes is what the notes column says about an item's answer.
func (m *model) notes(r *assessment.Response, it assessment.Item) string {
	var parts []string
	if r != nil {
		if r.Status == assessment.NotApplicable && strings.TrimSpace(r.Reason) != "" {
			parts = append(parts, "Not applicable because: "+strings.TrimSpace(r.Reason))
		}
		if n := strings.TrimSpace(r.Note); n != "" {
			parts = append(parts, n)
		}
		if r.Decision != assessment.DecisionNone {
			dec := "Decision (§164.306(d)(3)): " + label(assessment.Decisions, string(r.Decision))
			if t := strings.TrimSpace(r.DecisionText); t != "" {
				dec += ". " + t
			}
			parts = append(parts, dec)
		} else if m.addressable(it.Question) && r.Status != assessment.NotApplicable && r.Status != assessment.Flagged {
			parts = append(parts, "No §164.306(d)(3) decision recorded.")
		}
		if r.Revalidate {
			parts = append(parts, "Carried over from the previous revision; not yet re-validated.")
		}
	}
	if o, ok := m.ov[it.Key()]; ok && o != nil {
		parts = append(parts, "Owner changed to "+strings.ToLower(o.Owner.Label())+": "+strings.TrimSpace(o.Reason))
	}
	return strings.Join(parts, "\n")
}

func (m *model) addressable(q *controls.Question) bool {
	if q.Specification == "" {
		return false
	}
	sp, ok := m.cat.Specification(q.Specification)
	return ok && sp.Requirement == controls.Addressable
}

// ---- addressable decisions ----

func (d *doc) decisions() {
	m := d.m
	d.startSection(secDecisions)
	d.body("For each addressable implementation specification, §164.306(d)(3) requires the organization to assess whether it " +
		"is reasonable and appropriate, then implement it, implement an equivalent alternative measure, or document why neither " +
		"is reasonable and appropriate. Addressable does not mean optional: this log records the decision made for every " +
		"answered addressable item.")
	type row struct {
		it assessment.Item
		r  *assessment.Response
	}
	bySpec := map[string][]row{}
	counts := map[assessment.Decision]int{}
	missing, unanswered := 0, 0
	for _, it := range m.items {
		if !m.addressable(it.Question) {
			continue
		}
		r := m.resp[it.Key()]
		if r == nil {
			unanswered++
			continue
		}
		bySpec[it.Question.Specification] = append(bySpec[it.Question.Specification], row{it, r})
		if r.Decision != assessment.DecisionNone {
			counts[r.Decision]++
		} else if r.Status != assessment.NotApplicable && r.Status != assessment.Flagged {
			missing++
		}
	}
	d.kv([][2]string{
		{"Implemented as specified", fmtInt(counts[assessment.DecisionAsSpecified])},
		{"Equivalent alternative", fmtInt(counts[assessment.DecisionAlternative])},
		{"Not reasonable and appropriate", fmtInt(counts[assessment.DecisionNotReasonable])},
		{"Decision missing", fmtInt(missing)},
		{"Not yet answered", fmtInt(unanswered)},
	})
	t := d.newTable(7.5, col{"Question", 30, "L"}, col{"Target", 28, "L"}, col{"Status", 24, "L"}, col{"Decision", 34, "L"}, col{"Alternative measure or rationale", 64, "L"})
	n := 0
	for _, std := range m.cat.Standards {
		for _, sp := range std.Specifications {
			rows := bySpec[sp.ID]
			if len(rows) == 0 {
				continue
			}
			t.group(cell{text: fmt.Sprintf("§%s %s (addressable)", sp.ID, sp.Title), style: "B"})
			for _, x := range rows {
				r := x.r
				dec := cell{text: label(assessment.Decisions, string(r.Decision))}
				why := strings.TrimSpace(r.DecisionText)
				switch {
				case r.Decision != assessment.DecisionNone:
				case r.Status == assessment.NotApplicable:
					dec = cell{text: "Not needed", color: &colMuted}
					why = "Not applicable because: " + strings.TrimSpace(r.Reason)
				case r.Status == assessment.Flagged:
					dec = cell{text: "Pending", color: &colMuted}
					why = "Flagged for follow-up; the decision comes with the answer."
				default:
					dec = cell{text: "Not recorded", fill: &colWarnFill, style: "B"}
				}
				t.row(cell{text: x.it.Question.ID, style: "M"}, txt(targetName(x.it)), cell{text: statusLabel(r.Status), fill: statusFill(r.Status)}, dec, txt(why))
				n++
			}
		}
	}
	if n == 0 {
		d.body("No addressable item has been answered yet.")
		return
	}
	t.end()
}
