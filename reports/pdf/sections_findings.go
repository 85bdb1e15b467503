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
	for _, g := range m.Summary.ByStandard {
		stdCounts[g.ID] = g
	}
	sgCounts := map[string]assessment.GroupCounts{}
	for _, g := range m.Summary.BySafeguard {
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
		comp = "compliance " + assessment.Percent(share)
	}
	parts := []string{fmt.Sprintf("%s applicable items, %s complete, %s", assessment.FormatInt(c.Applicable), assessment.Percent(c.Completion()), comp)}
	var counts []string
	add := func(n int, what string) {
		if n > 0 {
			counts = append(counts, fmt.Sprintf("%s %s", assessment.FormatInt(n), what))
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
		for _, it := range m.QuestionItems(q.ID) {
			statusTxt := it.Status.Short()
			if r := it.Response; r != nil {
				if who := answeredBy(r); who != "" {
					statusTxt += "\n" + who
				}
			}
			ownerTxt := it.Owner.Label()
			if it.Override != nil {
				ownerTxt += "*"
			}
			if len(it.Issues) > 0 {
				ownerTxt += " †"
			}
			statusCell := cell{text: statusTxt, fill: statusFill(it.Status)}
			if it.Response == nil {
				statusCell.color = &colMuted
			}
			t.row(txt(it.TargetName()), statusCell, txt(ownerTxt), txt(m.notes(it)), txt(strings.Join(m.EvidenceRefs(it), ", ")))
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
		parts = append(parts, assessment.DocDate(r.At))
	}
	return strings.Join(parts, "\n")
}

// notes is what the notes column says about an item's answer.
func (m *model) notes(it *assessment.ItemView) string {
	var parts []string
	if it.ReturnedBy != "" {
		// The Status column names who imported the answer; this names who gave it.
		parts = append(parts, strings.ToUpper(it.ReturnedBy[:1])+it.ReturnedBy[1:]+".")
	}
	if r := it.Response; r != nil {
		if r.Status == assessment.NotApplicable && strings.TrimSpace(r.Reason) != "" {
			parts = append(parts, "Not applicable because: "+strings.TrimSpace(r.Reason))
		}
		if n := strings.TrimSpace(r.Note); n != "" {
			parts = append(parts, n)
		}
		if r.Decision != assessment.DecisionNone {
			dec := "Decision (§164.306(d)(3)): " + r.Decision.Label()
			if t := strings.TrimSpace(r.DecisionText); t != "" {
				dec += ". " + t
			}
			parts = append(parts, dec)
		} else if it.Addressable(m.cat) && r.Status != assessment.NotApplicable && r.Status != assessment.Flagged {
			parts = append(parts, "No §164.306(d)(3) decision recorded.")
		}
		if r.Revalidate {
			parts = append(parts, "Carried over from the previous revision; not yet re-validated.")
		}
	}
	if o := it.Override; o != nil {
		parts = append(parts, "Owner changed to "+strings.ToLower(o.Owner.Label())+": "+strings.TrimSpace(o.Reason))
	}
	return strings.Join(parts, "\n")
}

// ---- addressable decisions ----

func (d *doc) decisions() {
	m := d.m
	d.startSection(secDecisions)
	d.body("For each addressable implementation specification, §164.306(d)(3) requires the organization to assess whether it " +
		"is reasonable and appropriate, then implement it, implement an equivalent alternative measure, or document why neither " +
		"is reasonable and appropriate. Addressable does not mean optional: this log records the decision made for every " +
		"answered addressable item.")
	bySpec := map[string][]*assessment.ItemView{}
	for i := range m.Items {
		it := &m.Items[i]
		if it.Response == nil || !it.Addressable(m.cat) {
			continue
		}
		bySpec[it.Question.Specification] = append(bySpec[it.Question.Specification], it)
	}
	dc := m.Summary.Decisions
	d.kv([][2]string{
		{"Implemented as specified", assessment.FormatInt(dc.AsSpecified)},
		{"Equivalent alternative", assessment.FormatInt(dc.Alternative)},
		{"Not reasonable and appropriate", assessment.FormatInt(dc.NotReasonable)},
		{"Decision missing", assessment.FormatInt(dc.Missing)},
		{"Not yet answered", assessment.FormatInt(dc.Unanswered)},
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
			for _, it := range rows {
				r := it.Response
				dec := cell{text: r.Decision.Label()}
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
				t.row(cell{text: it.Question.ID, style: "M"}, txt(it.TargetName()), cell{text: r.Status.Short(), fill: statusFill(r.Status)}, dec, txt(why))
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
