package pdf

import (
	"fmt"
	"strings"

	"safeguard/assessment"
)

// ---- incidents and breach decisions ----

// incidents lists the incidents recorded against this assessment and the one it revises,
// with the breach notification decision of each, and the risks they raised.
func (d *doc) incidents() {
	s := d.s
	d.startSection(secIncidents)
	own, earlier := s.Incidents, s.EarlierIncidents
	scope := "this assessment"
	if s.RevisionOf != "" {
		scope = "this assessment or the one it revises"
	}
	if len(own)+len(earlier) == 0 {
		d.body("No incidents are recorded against " + scope + ". Incidents and their breach notification decisions " +
			"(45 CFR §§164.400–414) are recorded with `safeguard incident`.")
		return
	}
	d.body("The incidents recorded against " + scope + ", with the breach notification decision of each (45 CFR " +
		"§§164.400–414): whether the PHI was unsecured, the conclusion, and where the notices stand on " +
		assessment.DocDate(d.m.Generated) + ". Each incident's decision memo (`safeguard incident memo`) holds its full record: " +
		"the facts, the four-factor assessment with its evidence, the clocks and the notices sent.")
	day := assessment.Today(d.m.Generated)
	t := d.newTable(7.5, col{"Incident", 40, "L"}, col{"Discovered", 17, "L"}, col{"Individuals", 18, "R"},
		col{"PHI unsecured?", 19, "L"}, col{"Conclusion", 34, "L"}, col{"Notices", 32, "L"})
	rows := func(list []assessment.Incident, note string) {
		for i := range list {
			v := assessment.ViewIncident(&list[i], s.Profile.EntityType, day)
			name := v.Title + "\n" + v.ShortID()
			if note != "" {
				name += " (" + note + ")"
			}
			ind := "Not known"
			if v.Individuals > 0 {
				ind = assessment.FormatInt(v.Individuals)
			}
			t.row(cell{text: name, style: "B"}, txt(assessment.DocDay(v.Discovered)), txt(ind), txt(securedText(v.Final)),
				conclusionCell(v), txt(noticesText(v)))
		}
	}
	rows(own, "")
	rows(earlier, "recorded against the previous assessment")
	t.end()
	d.incidentRiskLinks(append(append([]assessment.Incident(nil), own...), earlier...))
}

func securedText(final string) string {
	switch final {
	case assessment.Secured:
		return "No: secured"
	case assessment.Unsecured:
		return "Yes"
	}
	return "Not determined"
}

func conclusionCell(v assessment.IncidentView) cell {
	c := v.Conclusion
	if c == nil {
		return cell{text: "Open: no conclusion yet", fill: &colAmber}
	}
	text := assessment.ChoiceLabel(assessment.Outcomes, c.Outcome) + " (" + c.By + ", " + assessment.DocDay(c.On) + ")"
	if c.Notify() {
		return cell{text: text, fill: &colWarnFill}
	}
	return txt(text)
}

// noticesText sums up the organization's notice duties.
func noticesText(v assessment.IncidentView) string {
	if v.Notify == assessment.NotifyNotRequired {
		return "None required"
	}
	var due, done, late, overdue int
	next := ""
	for _, x := range v.Duties {
		if !x.Ours || x.Status == assessment.DutyNotRequired {
			continue
		}
		switch x.Status {
		case assessment.DutyMet:
			done++
		case assessment.DutyLate:
			late++
		case assessment.DutyOverdue:
			overdue++
		default:
			due++
		}
	}
	if n, ok := v.Next(); ok {
		next = fmt.Sprintf("; next: %s by %s", dutyName(n), assessment.DocDate(n.Due))
	}
	parts := []string{}
	if done > 0 {
		parts = append(parts, fmt.Sprintf("%d done", done))
	}
	if late > 0 {
		parts = append(parts, fmt.Sprintf("%d done late", late))
	}
	if overdue > 0 {
		parts = append(parts, fmt.Sprintf("%d overdue", overdue))
	}
	if due > 0 {
		parts = append(parts, fmt.Sprintf("%d to do", due))
	}
	if len(parts) == 0 {
		return "None"
	}
	return strings.Join(parts, ", ") + next
}

// incidentRiskLinks lists the risks of this assessment that incidents raised.
func (d *doc) incidentRiskLinks(incs []assessment.Incident) {
	var lines []string
	for _, inc := range incs {
		for _, l := range inc.RiskLinks {
			if l.AssessmentID != d.s.Assessment.ID {
				continue
			}
			ref := d.riskRef(l.RiskID)
			lines = append(lines, fmt.Sprintf("%s %s: likelihood raised from %d to %d because of incident %q (%s): %s (%s, %s)",
				ref, l.RiskTitle, l.From, l.To, inc.Title, inc.ShortID(), l.Note, l.By, assessment.DocDay(l.On)))
		}
	}
	if len(lines) == 0 {
		return
	}
	d.heading2("Risks raised by incidents", 15)
	d.leadIn("An incident is evidence of how likely a threat is. These risks in the register had their likelihood raised because of one:", 10)
	d.bullets(lines, 8.5)
}

// riskRef is a risk's register reference (R3), or "A risk no longer in the register".
func (d *doc) riskRef(id string) string {
	for _, r := range d.m.Risks {
		if r.ID == id {
			return r.Ref
		}
	}
	return "(no longer in the register)"
}

// dutyName is a duty's title inside a sentence: the rule's duties in lower case, an
// assessor's deadline as it was written.
func dutyName(x assessment.Duty) string {
	if x.Key == assessment.DutyOther {
		return x.Title
	}
	return strings.ToLower(x.Title[:1]) + x.Title[1:]
}
