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
	d.body("Every standard and implementation specification of the Security Rule, in the order the rule arranges them, with the answer for the " +
		"organization or for each asset a question concerns: status, who answered and when, who owns the control, notes, the reason for " +
		"not-applicable answers, the §164.306(d)(3) decision for addressable specifications, and the evidence cited (references to " + d.ref(secEvidence) + "). " +
		"A specification no question applies to is listed with the reason. A question that cites several specifications is printed under the first " +
		"and named under the others; it counts once under each, so the counts of specifications can add up to more than their standard's.")
	d.legend()
	specsByStd := map[string][]int{}
	for i, c := range m.Specs {
		specsByStd[c.Standard.ID] = append(specsByStd[c.Standard.ID], i)
	}
	specCounts := map[string]assessment.GroupCounts{}
	for _, g := range m.Summary.BySpecification {
		specCounts[g.ID] = g
	}
	stdCounts := map[string]assessment.GroupCounts{}
	for _, g := range m.Summary.ByStandard {
		stdCounts[g.ID] = g
	}
	sgCounts := map[string]assessment.GroupCounts{}
	for _, g := range m.Summary.BySafeguard {
		sgCounts[g.ID] = g
	}
	for gi, g := range m.groups {
		num := fmt.Sprintf("%s.%d", d.num[secFindings], gi+1)
		if gi > 0 || d.y() > marginT+90 {
			d.newPage()
		} else {
			d.gap(6)
		}
		d.mark(1, num, g.sg.Title)
		d.font("B", 15)
		d.textColor(colAccent)
		for _, ln := range d.lines(d.cleanLine(num+"  "+g.sg.Title+" (§"+g.sg.ID+")"), contentW) {
			d.f.SetXY(marginL, d.y())
			d.cell(contentW, 8, ln, "", 1, "L")
		}
		d.para(countsLine(sgCounts[g.sg.ID].Counts), "", 8.5, colMuted)
		d.f.SetY(d.y() + 2)
		for _, sg := range g.stds {
			d.standard(sg, stdCounts[sg.std.ID].Counts, specsByStd[sg.std.ID], specCounts)
		}
	}
}

// legend explains the marks used in the findings tables.
func (d *doc) legend() {
	d.small("Owner: Customer is the organization, Provider the vendor hosting the asset, Shared both. * marks an owner changed " +
		"from the catalog default (the reason is in the notes); † marks a provider-owned control whose vendor has a BAA or " +
		"attestation gap. “Inherited” items rest on the vendor's signed BAA and current attestation: they are the vendor's controls, " +
		"not the practice's own. Items marked “proposed rule” exist only in the January 2025 proposed rule and are not counted.")
}

// countsLine is "12 applicable items, 80% answered; in place (self-assessed) 72% …" for a
// group.
func countsLine(c assessment.Counts) string {
	if c.Applicable == 0 {
		return "No question applies."
	}
	share, shown := c.InPlace()
	inPlace := "in place (self-assessed): " + assessment.TooFewAnswers
	if shown {
		inPlace = "in place (self-assessed) " + assessment.Percent(share)
		if cov, ok := c.EvidenceCoverage(); ok {
			inPlace += ", evidence for " + assessment.Percent(cov)
		}
	}
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
	add(c.Inherited, "inherited")
	add(c.Flagged, "flagged")
	add(c.Unanswered-c.Carried, "not answered")
	add(c.Carried, "carried over, not re-validated")
	return fmt.Sprintf("%s applicable items, %s answered; %s (%s).", assessment.FormatInt(c.Applicable), assessment.Percent(c.Completion()), inPlace, strings.Join(counts, ", "))
}

func (d *doc) standard(sg stdGroup, counts assessment.Counts, specs []int, specCounts map[string]assessment.GroupCounts) {
	std := sg.std
	m := d.m
	title := "§" + std.ID + "  " + std.Title
	kind := "Standard with implementation specifications"
	if len(std.Specifications) == 0 {
		kind = "Required standard (no implementation specifications)"
	}
	summary := kind + " · " + countsLine(counts)
	d.queueHeading(30, func() {
		d.gap(3)
		d.bookmark(cleanLine("§"+std.ID+" "+std.Title), 2, -1)
		d.drawColor(colAccent2)
		d.lineWidth(0.35)
		d.f.Line(marginL, d.y(), marginL+contentW, d.y())
		d.lineWidth(0.2)
		d.f.SetY(d.y() + 1.2)
		d.font("B", 11.5)
		d.textColor(colAccent)
		for _, ln := range d.lines(d.cleanLine(title), contentW) {
			d.f.SetXY(marginL, d.y())
			d.cell(contentW, 6, ln, "", 1, "L")
		}
		d.font("", 8)
		d.textColor(colMuted)
		for _, ln := range d.lines(summary, contentW) {
			d.f.SetXY(marginL, d.y())
			d.cell(contentW, lineH(8), ln, "", 1, "L")
		}
		d.f.SetY(d.y() + 1)
	})
	// the questions printed under each row: those whose own specification it is
	own := map[string][]*controls.Question{}
	for _, sp := range sg.specs {
		key := std.ID
		if sp.spec != nil {
			key = sp.spec.ID
		}
		own[key] = sp.questions
	}
	for _, si := range specs {
		c := m.Specs[si]
		label := "§" + c.ID() + " " + c.Title() + " — " + c.Requirement()
		if c.Spec == nil {
			label = "§" + c.ID() + " " + c.Title() + " — the standard itself"
		}
		sub := ""
		if c.Spec != nil && len(c.Items) > 0 {
			sub = countsLine(specCounts[c.Spec.ID].Counts)
		}
		d.heading3Sub(label, sub, 22)
		if len(c.Items) == 0 {
			why := "N/A: " + c.NotApplicable
			if c.Depth != "" {
				why = fmt.Sprintf("Not asked at this depth: its questions are asked from the %s depth on (%s).", c.Depth, c.NotApplicable)
			}
			d.small(capitalize(strings.TrimSuffix(why, ".")) + ".")
			continue
		}
		qs := own[c.ID()]
		if len(qs) > 0 {
			d.questionTable(label, qs)
		}
		// questions printed elsewhere that also cite this specification
		var also []string
		seen := map[string]bool{}
		for _, q := range qs {
			seen[q.ID] = true
		}
		for _, i := range c.Items {
			q := m.Items[i].Question
			if !seen[q.ID] {
				seen[q.ID] = true
				also = append(also, q.ID+" (printed under §"+primaryCite(m.cat, q)+")")
			}
		}
		if len(also) > 0 {
			d.small("Also answered for this specification: " + strings.Join(also, "; ") + ".")
		}
	}
}

// primaryCite is the paragraph a question is printed under.
func primaryCite(cat *controls.Catalog, q *controls.Question) string {
	if _, ok := cat.Specification(q.Specification); ok {
		return q.Specification
	}
	return q.Standard
}

// questionTable lists questions with one row per applicable item.
func (d *doc) questionTable(context string, qs []*controls.Question) {
	m := d.m
	t := d.newTable(7.5, col{"Target", 30, "L"}, col{"Status", 38, "L"}, col{"Owner", 17, "L"}, col{"Notes, reasons, decisions and evidence", 93, "L"})
	t.context = context
	for _, q := range qs {
		head := q.ID + "   " + q.Text
		if q.Proposed {
			head += "  [proposed rule: not counted]"
		}
		t.group(cell{text: head, style: "B"})
		for _, it := range m.QuestionItems(q.ID) {
			statusTxt := it.Status.Short()
			if it.Inherited != nil {
				statusTxt = "Inherited from " + it.InheritedFrom
			}
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
			if it.Response == nil && it.Inherited == nil {
				statusCell.color = &colMuted
			}
			notes := m.notes(it)
			if d.s.Audit.AnswerAltered(it.Key()) {
				statusCell.text += "\n" + alteredMark
				statusCell.fill = &colWarnFill
				statusCell.style = "B"
			}
			t.row(txt(it.TargetName()), statusCell, txt(ownerTxt), txt(notes))
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
	if r.ImportedFrom != "" {
		parts = append(parts, "imported from "+r.ImportedFrom)
	}
	return strings.Join(parts, ", ")
}

// notes is what the notes column says about an item.
func (m *model) notes(it *assessment.ItemView) string {
	var parts []string
	if it.ReturnedBy != "" {
		// The Status column names who imported the answer; this names who gave it.
		parts = append(parts, strings.ToUpper(it.ReturnedBy[:1])+it.ReturnedBy[1:]+".")
	}
	if it.Inherited != nil {
		parts = append(parts, "Rests on the vendor review: "+it.Inherited.Basis()+".")
	}
	if r := it.Response; r != nil {
		if r.Status == assessment.NotApplicable && strings.TrimSpace(r.Reason) != "" {
			parts = append(parts, "Not applicable because: "+strings.TrimSpace(r.Reason))
		}
		if n := strings.TrimSpace(r.Note); n != "" {
			parts = append(parts, n)
		}
		if assessment.TakesDecision(m.cat, it.Question) {
			switch {
			case r.Decision != assessment.DecisionNone:
				dec := "Decision (§164.306(d)(3)): " + r.Decision.Label()
				if t := strings.TrimSpace(r.Measure()); t != "" {
					dec += ". Measure: " + t
				}
				if t := strings.TrimSpace(r.DecisionRationale()); t != "" {
					dec += ". Rationale: " + t
				}
				parts = append(parts, dec)
			case r.Status != assessment.NotApplicable && r.Status != assessment.Flagged:
				parts = append(parts, "No §164.306(d)(3) decision recorded.")
			}
		}
		if r.Revalidate {
			parts = append(parts, "Carried over from the previous analysis; not re-validated, so it counts as open.")
		}
	}
	if o := it.Override; o != nil {
		parts = append(parts, "Owner changed to "+strings.ToLower(o.Owner.Label())+": "+strings.TrimSpace(o.Reason))
	}
	if refs := m.EvidenceRefs(it); len(refs) > 0 {
		parts = append(parts, "Evidence: "+strings.Join(refs, ", "))
	}
	return strings.Join(parts, "\n")
}

// ---- addressable decisions ----

func (d *doc) decisions() {
	m := d.m
	d.startSection(secDecisions)
	d.body("For each addressable implementation specification, §164.306(d)(3) requires the organization to assess whether it " +
		"is reasonable and appropriate, then implement it, implement an equivalent alternative measure, or document why neither " +
		"is reasonable and appropriate. Addressable does not mean optional. The first table sums up the decisions for each of the " +
		"addressable specifications; the log after it lists every answer. Part 2 duties and proposed-rule items take no such decision and are left out.")
	d.heading2("Summary by specification", 40)
	t := d.newAutoTable(7.5, col{"Specification", 1, "L"}, col{"Decision", 1, "L"}, col{"Measures and rationales", 1, "L"}, col{"Answers", 1, "L"}, col{"Latest", 1, "L"})
	for _, a := range m.Addressable {
		spec := "§" + a.Spec.ID + " " + a.Spec.Title
		var dec cell
		switch {
		case len(a.Items) == 0:
			dec = cell{text: "No item applies", color: &colMuted}
		case a.Mixed:
			var parts []string
			for _, k := range []assessment.Decision{assessment.DecisionAsSpecified, assessment.DecisionAlternative, assessment.DecisionNotReasonable, assessment.DecisionNone} {
				if n := a.Decisions[k]; n > 0 {
					parts = append(parts, fmt.Sprintf("%s: %d", k.Label(), n))
				}
			}
			dec = cell{text: "Mixed\n" + strings.Join(parts, "\n"), fill: &colAmber}
		case a.Decision != "":
			dec = cell{text: a.Decision.Label()}
		case a.Decisions[assessment.DecisionNone] > 0:
			dec = cell{text: "No decision recorded", fill: &colWarnFill, style: "B"}
		default:
			dec = cell{text: "None yet", color: &colMuted}
		}
		answers := fmt.Sprintf("%d decided", len(a.Items)-a.Open-a.NotApplicable-a.Decisions[assessment.DecisionNone])
		if n := a.Decisions[assessment.DecisionNone]; n > 0 {
			answers += fmt.Sprintf("\n%d without a decision", n)
		}
		if a.NotApplicable > 0 {
			answers += fmt.Sprintf("\n%d not applicable", a.NotApplicable)
		}
		if a.Open > 0 {
			answers += fmt.Sprintf("\n%d still open", a.Open)
		}
		latest := ""
		if !a.Decided.IsZero() {
			latest = assessment.DocDate(a.Decided)
		}
		t.row(cell{text: spec, style: "B"}, dec, txt(strings.Join(a.Texts, "\n")), txt(answers), txt(latest))
	}
	t.end()
	dc := m.Summary.Decisions
	d.small(fmt.Sprintf("%d addressable specifications. Over all their answers: %s implemented as specified, %s equivalent alternative, %s not reasonable and appropriate, %s without a decision, %s not yet answered. “Still open” counts items not answered, flagged, or carried over and not re-validated.",
		len(m.Addressable), assessment.FormatInt(dc.AsSpecified), assessment.FormatInt(dc.Alternative), assessment.FormatInt(dc.NotReasonable),
		assessment.FormatInt(dc.Missing), assessment.FormatInt(dc.Unanswered)))

	d.heading2("Decision log", 30)
	n := 0
	for _, a := range m.Addressable {
		var rows []*assessment.ItemView
		for _, i := range a.Items {
			if it := &m.Items[i]; it.Response != nil {
				rows = append(rows, it)
			}
		}
		if len(rows) == 0 {
			continue
		}
		ctx := fmt.Sprintf("§%s %s (addressable)", a.Spec.ID, a.Spec.Title)
		d.heading3(ctx, 20)
		t := d.newAutoTable(7.5, col{"Target", 1, "L"}, col{"Status", 1, "L"}, col{"Decision", 1, "L"}, col{"Alternative measure or rationale", 1, "L"})
		t.context = ctx
		lastQ := ""
		for _, it := range rows {
			if it.Question.ID != lastQ {
				lastQ = it.Question.ID
				t.group(cell{text: it.Question.ID + "   " + it.Question.Text, style: "B"})
			}
			r := it.Response
			dec := cell{text: r.Decision.Label()}
			var why []string
			if t := strings.TrimSpace(r.Measure()); t != "" {
				why = append(why, "Measure: "+t)
			}
			if t := strings.TrimSpace(r.DecisionRationale()); t != "" {
				why = append(why, "Rationale: "+t)
			}
			switch {
			case r.Decision != assessment.DecisionNone:
			case r.Status == assessment.NotApplicable:
				dec = cell{text: "None (not applicable)", color: &colMuted}
				why = append(why, "Not applicable because: "+strings.TrimSpace(r.Reason))
			case r.Status == assessment.Flagged:
				dec = cell{text: "Pending", color: &colMuted}
				why = append(why, "Flagged for follow-up; the decision comes with the answer.")
			default:
				dec = cell{text: "Not recorded", fill: &colWarnFill, style: "B"}
			}
			t.row(txt(it.TargetName()), cell{text: r.Status.Short(), fill: statusFill(r.Status)}, dec, txt(strings.Join(why, "\n")))
			n++
		}
		t.end()
	}
	if n == 0 {
		d.body("No addressable item has been answered yet.")
	}
}
