package reports

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"safeguard/assessment"
)

// BreachLogHeader is the header row of the annual breach log: one row per breach of
// unsecured PHI affecting fewer than 500 individuals, discovered in the year (§164.408(c)).
var BreachLogHeader = []string{
	"incident_id", "title", "discovered", "clock_start", "breach_start", "breach_end",
	"individuals", "states", "type_of_breach", "ransomware", "affected_systems", "business_associates",
	"phi_groups", "phi_types", "part2_records", "description",
	"secured_determination", "safeguards_at_rest", "mitigation",
	"individual_notice_first", "individual_notice_last", "substitute_notice", "media_notice", "law_enforcement_delay",
	"hhs_notice", "concluded_by", "concluded_on", "assessment_id",
}

// BreachLogResult says what the log holds and what it could not place.
type BreachLogResult struct {
	Rows int
	// Uncounted are breaches discovered in the year whose number of individuals is not
	// recorded, so neither the log nor a 500-or-more notice can be told apart.
	Uncounted []string
}

// InBreachLog reports whether an incident belongs in the log of a year: concluded as a
// breach, discovered (the organization's clock start) in the year, fewer than 500
// individuals.
func InBreachLog(inc *assessment.Incident, year int) bool {
	return inc.Conclusion.Notify() && assessment.ClockStart(inc).Year() == year &&
		inc.Individuals > 0 && inc.Individuals < assessment.HHSThreshold
}

// WriteBreachLog writes the log of year's breaches under 500 from the snapshot's incidents
// and those of the assessment it revises, in discovery order.
func WriteBreachLog(w io.Writer, s *assessment.Snapshot, year int) (BreachLogResult, error) {
	var res BreachLogResult
	if err := checkSnapshot(s); err != nil {
		return res, err
	}
	incs := append(slices.Clone(s.Incidents), s.EarlierIncidents...)
	slices.SortStableFunc(incs, func(a, b assessment.Incident) int {
		return strings.Compare(a.Discovered+a.ID, b.Discovered+b.ID)
	})
	cw, flush := newCSV(w)
	cw.Write(BreachLogHeader)
	seen := map[string]bool{}
	for i := range incs {
		inc := &incs[i]
		if seen[inc.ID] {
			continue
		}
		seen[inc.ID] = true
		if inc.Conclusion.Notify() && assessment.ClockStart(inc).Year() == year && inc.Individuals == 0 {
			res.Uncounted = append(res.Uncounted, inc.ShortID())
		}
		if !InBreachLog(inc, year) {
			continue
		}
		cw.Write(breachLogRow(s, inc))
		res.Rows++
	}
	return res, flush()
}

func breachLogRow(s *assessment.Snapshot, inc *assessment.Incident) []string {
	v := assessment.ViewIncident(inc, s.Profile.EntityType, assessment.Today(s.Now()))
	var systems, groups, types, rest []string
	for _, a := range inc.Assets {
		systems = append(systems, a.Name)
		enc := "not recorded"
		if a.EncAtRest != "" {
			enc = strings.ToLower(assessment.ChoiceLabel(assessment.EncryptionChoices, a.EncAtRest))
		}
		rest = append(rest, a.Name+": "+enc)
	}
	for _, d := range inc.Data {
		if g := assessment.DataGroup(d); !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
		types = append(types, assessment.ChoiceLabel(assessment.DataTypes, d))
	}
	slices.Sort(groups)
	var bas []string
	for _, vd := range inc.Vendors {
		bas = append(bas, vd.Name)
	}
	var states []string
	for _, st := range inc.States {
		states = append(states, st.State+"="+strconv.Itoa(st.Count))
	}
	mitigation := ""
	if f, ok := inc.Factor(4); ok {
		mitigation = f.Findings
	}
	var first, last, substitute, media, hhs string
	for _, n := range inc.Notices {
		switch n.To {
		case assessment.ToIndividuals:
			if first == "" {
				first = n.Date
			}
			last = n.Date
			if n.Substitute != nil {
				substitute = strconv.Itoa(n.Substitute.Count) + " by " + n.Substitute.By
			}
		case assessment.ToMedia:
			if media == "" {
				media = n.Date
			}
		case assessment.ToHHS:
			if hhs == "" {
				hhs = n.Date
			}
		}
	}
	var delays []string
	for _, d := range inc.Delays {
		d = assessment.NormalizeDelay(d)
		delays = append(delays, d.Kind+" "+d.Stated+" to "+d.Until)
	}
	typ := ""
	if inc.Type != "" {
		typ = assessment.ChoiceLabel(assessment.IncidentTypes, inc.Type)
	}
	row := []string{
		inc.ID, inc.Title, inc.Discovered, assessment.ISODate(v.Start), inc.OccurredFrom, inc.OccurredTo,
		strconv.Itoa(inc.Individuals), strings.Join(states, listSep), typ, yesNo(inc.Ransomware), strings.Join(systems, listSep),
		strings.Join(bas, listSep), strings.Join(groups, listSep), strings.Join(types, listSep), yesNo(inc.Part2), inc.Description,
		v.Final, strings.Join(rest, listSep), mitigation,
		first, last, substitute, media, strings.Join(delays, listSep),
		hhs, inc.Conclusion.By, inc.Conclusion.On, s.Assessment.ID,
	}
	for i := range row {
		row[i] = NeutralizeCell(row[i])
	}
	return row
}
