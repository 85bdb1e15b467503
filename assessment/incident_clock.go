package assessment

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The clocks of the breach notification rule. Every period is counted in calendar days
// from discovery (§164.404(a)(2)): the first day the breach is known, or by reasonable
// diligence would have been known, to a workforce member or agent. "No later than 60
// calendar days after discovery" puts the last day 60 days after the discovery date. The
// 60 days are an outer limit: notice is due without unreasonable delay.
//
// A law-enforcement statement (§164.412) delays the notices: a written one for the period
// it specifies, an oral one for at most 30 days from the statement unless a written one
// follows within them. safeguard counts the days of a delay as a pause: the days after a
// statement through the last day of its delay are not counted toward the 60. The
// regulation says notice is delayed for that period; it does not spell out how the days
// are counted afterwards, and notice is still due without unreasonable delay once the
// delay ends, so the memo states the paused days with every date.

// Duty keys.
const (
	DutyIndividuals   = "individuals"    // §164.404
	DutyMedia         = "media"          // §164.406, one per state with more than 500 residents
	DutyHHS           = "hhs"            // §164.408(b): 500 or more, with the individual notices
	DutyHHSLog        = "hhs-log"        // §164.408(c): fewer than 500, within 60 days after the year ends
	DutyCoveredEntity = "covered-entity" // §164.410: a business associate's notice to the covered entity
	DutyBANotice      = "ba-notice"      // §164.410 seen from the covered entity: its business associate's notice
	DutyOther         = "other"          // an assessor's deadline (a state law's)
)

// Thresholds of the rule.
const (
	NoticePeriodDays  = 60  // §§164.404(b), 164.406(b), 164.410(b); §164.408(c) after the year ends
	MediaThreshold    = 500 // media notice when MORE than 500 residents of a state (§164.406(a))
	HHSThreshold      = 500 // HHS notice with the individual notices for 500 OR MORE (§164.408(b))
	SubstituteWebOver = 10  // 10 or more: website or media substitute notice (§164.404(d)(2)(ii))
)

// DutyStatus is where a duty stands on a given day.
type DutyStatus string

const (
	DutyPending     DutyStatus = "pending"      // the clock runs while the decision is open
	DutyDue         DutyStatus = "due"          // required, not yet done, not yet late
	DutyOverdue     DutyStatus = "overdue"      // required, not done, past its date
	DutyMet         DutyStatus = "met"          // done on or before its date
	DutyLate        DutyStatus = "late"         // done after its date
	DutyNotRequired DutyStatus = "not-required" // the conclusion or the thresholds rule it out
)

// Label is the status as people read it.
func (s DutyStatus) Label() string {
	switch s {
	case DutyPending:
		return "Clock running (decision open)"
	case DutyDue:
		return "Due"
	case DutyOverdue:
		return "Overdue"
	case DutyMet:
		return "Done"
	case DutyLate:
		return "Done late"
	}
	return "Not required"
}

// Duty is one notice the rule or the assessor requires, with its date.
type Duty struct {
	Key   string
	Title string
	Cite  string
	State string // media: the state or jurisdiction
	// Ours is false for a duty someone else owes the organization (a business associate's
	// notice to a covered entity), shown for the record.
	Ours   bool
	Due    time.Time // the last day; zero when it cannot be computed yet
	Paused int       // days added by law-enforcement delays
	Basis  string    // how the date was reached
	Status DutyStatus
	Done   string // YYYY-MM-DD the duty was met (or partly met, see Note)
	// DaysLeft is Due minus today, for an open duty (negative when overdue).
	DaysLeft int
	Note     string
}

// Open reports whether the duty still needs doing by the organization.
func (d Duty) Open() bool {
	return d.Ours && (d.Status == DutyPending || d.Status == DutyDue || d.Status == DutyOverdue)
}

// IncidentView is an incident with everything derived about it on a given day.
type IncidentView struct {
	*Incident
	Status     IncidentStatus
	Start      time.Time // the organization's discovery: where its clocks start
	StartBasis string
	Derived    SecuredResult
	Final      string // the determination after the assessor's decision (FinalSecured)
	// Notify is "required", "not required" or "undecided" (clocks run while undecided).
	Notify string
	Duties []Duty
	// Gaps are what the record still lacks, one sentence each.
	Gaps []string

	spans  []span // the law-enforcement pauses, merged once
	period string // periodBasis of the 60 days after Start, once
}

// Notification states.
const (
	NotifyRequired    = "required"
	NotifyNotRequired = "not required"
	NotifyUndecided   = "undecided"
)

// Next is the open duty of the organization with the earliest date, if any.
func (v *IncidentView) Next() (Duty, bool) {
	var best Duty
	found := false
	for _, d := range v.Duties {
		if d.Open() && !d.Due.IsZero() && (!found || d.Due.Before(best.Due)) {
			best, found = d, true
		}
	}
	return best, found
}

// ClockStart is the day the organization's clocks start (§164.404(a)(2); §164.410(a)(2)
// for a business associate): its own discovery, or its agent's, or, for a business
// associate (or subcontractor) that is not its agent, the day that one gave notice.
func ClockStart(inc *Incident) time.Time {
	if inc.DiscoveredBy == DiscoveredByBA && !inc.Agent && inc.BANotified != "" {
		return mustDate(inc.BANotified)
	}
	return mustDate(inc.Discovered)
}

// clockStartBasis explains ClockStart in a sentence.
func clockStartBasis(inc *Incident) string {
	switch {
	case inc.DiscoveredBy == DiscoveredByPractice:
		return fmt.Sprintf("Discovered by the organization on %s.", DocDay(inc.Discovered))
	case inc.Agent:
		return fmt.Sprintf("Discovered on %s by a business associate acting as the organization's agent: its discovery is the organization's (§164.404(a)(2)).", DocDay(inc.Discovered))
	}
	return fmt.Sprintf("Discovered on %s by a business associate that is not the organization's agent; the organization's clock starts when it gave notice, on %s.", DocDay(inc.Discovered), DocDay(inc.BANotified))
}

// span is a paused stretch of days: after From through To.
type span struct{ from, to time.Time }

// pauses merges the law-enforcement delays into sorted, disjoint spans. An oral delay ends
// early when a written statement follows within it (§164.412(b)): the written one governs
// from then on.
func pauses(delays []LawEnforcementDelay) []span {
	var ss []span
	for _, d := range delays {
		d = NormalizeDelay(d)
		from, err1 := ParseDate(d.Stated)
		to, err2 := ParseDate(d.Until)
		if err1 != nil || err2 != nil || !to.After(from) {
			continue
		}
		if d.Kind == DelayOral {
			for _, w := range delays {
				ws, err := ParseDate(w.Stated)
				if w.Kind == DelayWritten && err == nil && ws.After(from) && !ws.After(to) {
					to = ws
				}
			}
		}
		if to.After(from) {
			ss = append(ss, span{from, to})
		}
	}
	slices.SortFunc(ss, func(a, b span) int { return a.from.Compare(b.from) })
	var out []span
	for _, s := range ss {
		if n := len(out); n > 0 && !s.from.After(out[n-1].to) {
			if s.to.After(out[n-1].to) {
				out[n-1].to = s.to
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// Deadline is the last day of a period of n counted days after start, skipping the paused
// days; it returns the day and how many paused days it skipped.
func Deadline(start time.Time, n int, delays []LawEnforcementDelay) (time.Time, int) {
	return deadline(start, n, pauses(delays))
}

func deadline(start time.Time, n int, spans []span) (time.Time, int) {
	due := addDays(start, n)
	paused := 0
	for _, s := range spans {
		from := s.from
		if from.Before(start) {
			from = start
		}
		if !from.Before(due) {
			break
		}
		if !s.to.After(from) {
			continue
		}
		d := daysBetween(from, s.to)
		due = addDays(due, d)
		paused += d
	}
	return due, paused
}

// YearEndDeadline is the last day of the annual log for breaches discovered in start's
// calendar year: 60 days after the year ends (§164.408(c)), with the same pauses.
func YearEndDeadline(start time.Time, delays []LawEnforcementDelay) (time.Time, int) {
	return yearEnd(start, pauses(delays))
}

func yearEnd(start time.Time, spans []span) (time.Time, int) {
	end := time.Date(start.Year(), time.December, 31, 0, 0, 0, 0, time.UTC)
	return deadline(end, NoticePeriodDays, spans)
}

func daysBetween(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }

// Today is the calendar day of now, where now is (in its own location), as midnight UTC:
// the day every incident date is compared with.
func Today(now time.Time) time.Time { return day(now) }

// DaysUntil is the number of days from today to day (negative when past).
func DaysUntil(day, today time.Time) int {
	t := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	return daysBetween(t, day)
}

// ViewIncident derives an incident's status, determination, notification duties with
// their dates, and what its record still lacks, as of today. entity is the organization's
// type: a business associate owes notice to the covered entity; a covered entity to
// individuals, the media and HHS.
func ViewIncident(inc *Incident, entity EntityType, today time.Time) IncidentView {
	v := ViewClocks(inc, entity, today)
	v.Derived = DeriveSecured(inc)
	v.Gaps = incidentGaps(inc, entity, true)
	return v
}

// ViewClocks is ViewIncident without what needs the incident's copies of its affected
// assets: Derived stays empty and Gaps does not judge the assets. Lists of incidents use
// it with the store's IncidentHeads, which leaves those copies out.
func ViewClocks(inc *Incident, entity EntityType, today time.Time) IncidentView {
	v := IncidentView{Incident: inc, Status: inc.Status(), Start: ClockStart(inc), StartBasis: clockStartBasis(inc)}
	v.spans = pauses(inc.Delays)
	_, paused := deadline(v.Start, NoticePeriodDays, v.spans)
	v.period = periodBasis(v.Start, paused)
	v.Final = FinalSecured(inc)
	switch {
	case inc.Conclusion == nil:
		v.Notify = NotifyUndecided
	case inc.Conclusion.Notify():
		v.Notify = NotifyRequired
	default:
		v.Notify = NotifyNotRequired
	}
	if entity == EntityBusinessAssociate {
		v.Duties = append(v.Duties, v.coveredEntityDuty())
	} else {
		v.Duties = append(v.Duties, v.individualsDuty())
		v.Duties = append(v.Duties, v.mediaDuties()...)
		v.Duties = append(v.Duties, v.hhsDuty())
	}
	if inc.DiscoveredBy == DiscoveredByBA {
		v.Duties = append(v.Duties, v.baNoticeDuty(entity))
	}
	for _, d := range inc.Deadlines {
		v.Duties = append(v.Duties, v.otherDuty(d))
	}
	for i := range v.Duties {
		v.Duties[i].settle(v.Notify, today)
	}
	v.Gaps = incidentGaps(inc, entity, false)
	return v
}

func (v *IncidentView) individualsDuty() Duty {
	due, paused := deadline(v.Start, NoticePeriodDays, v.spans)
	d := Duty{Key: DutyIndividuals, Title: "Notice to individuals", Cite: "§164.404(b)", Ours: true, Due: due, Paused: paused,
		Basis: v.period}
	d.Done, d.Note = v.individualsDone()
	return d
}

// individualsDone is the day the individual notices reached everyone: the notice whose
// count brought the total to the number affected (a notice without a count reaches all).
func (v *IncidentView) individualsDone() (string, string) {
	ns := v.noticesTo(ToIndividuals, "")
	total := 0
	for _, n := range ns {
		if n.Count == 0 || (v.Individuals > 0 && total+n.Count >= v.Individuals) {
			return n.Date, ""
		}
		total += n.Count
	}
	if total > 0 {
		of := "an unknown number"
		if v.Individuals > 0 {
			of = FormatInt(v.Individuals)
		}
		return "", fmt.Sprintf("Sent to %s of %s so far.", FormatInt(total), of)
	}
	return "", ""
}

func (v *IncidentView) mediaDuties() []Duty {
	due, paused := deadline(v.Start, NoticePeriodDays, v.spans)
	var out []Duty
	for _, s := range v.States {
		if s.State == StateUnknown || s.Count <= MediaThreshold {
			continue
		}
		d := Duty{Key: DutyMedia, Title: "Notice to media in " + s.State, Cite: "§164.406", State: s.State, Ours: true, Due: due, Paused: paused,
			Basis: fmt.Sprintf("%s residents of %s affected (more than 500); %s", FormatInt(s.Count), s.State, lowerFirst(v.period))}
		if ns := v.noticesTo(ToMedia, s.State); len(ns) > 0 {
			d.Done = ns[0].Date
		}
		out = append(out, d)
	}
	if len(out) > 0 {
		return out
	}
	d := Duty{Key: DutyMedia, Title: "Notice to media", Cite: "§164.406", Ours: true, Status: DutyNotRequired}
	switch {
	case len(v.States) == 0 && v.Individuals > MediaThreshold:
		// Not known yet whether one state has more than 500: keep the clock visible.
		d.Due, d.Paused = due, paused
		d.Basis = "More than 500 individuals are affected and their states of residence are not recorded; media notice is due if more than 500 reside in one state or jurisdiction."
		d.Status = ""
		if ns := v.noticesTo(ToMedia, ""); len(ns) > 0 {
			d.Done = ns[0].Date
		}
	case len(v.States) == 0 && v.Individuals == 0:
		d.Due, d.Paused = due, paused
		d.Basis = "The number of individuals and their states are not recorded; media notice is due if more than 500 reside in one state or jurisdiction."
		d.Status = ""
	default:
		d.Basis = "No state or jurisdiction has more than 500 affected residents."
		if n := stateCount(v.States, StateUnknown); n > MediaThreshold {
			d.Due, d.Paused, d.Status = due, paused, ""
			d.Basis = fmt.Sprintf("%s individuals' states of residence are not known; media notice is due if more than 500 of them reside in one state or jurisdiction.", FormatInt(n))
		}
	}
	return []Duty{d}
}

func stateCount(ss []StateCount, state string) int {
	for _, s := range ss {
		if s.State == state {
			return s.Count
		}
	}
	return 0
}

func (v *IncidentView) hhsDuty() Duty {
	d := Duty{Ours: true}
	if ns := v.noticesTo(ToHHS, ""); len(ns) > 0 {
		d.Done = ns[0].Date
	}
	switch {
	case v.Individuals >= HHSThreshold:
		d.Key, d.Title, d.Cite = DutyHHS, "Notice to HHS", "§164.408(b)"
		d.Due, d.Paused = deadline(v.Start, NoticePeriodDays, v.spans)
		d.Basis = fmt.Sprintf("%s individuals (500 or more): at the same time as the notice to individuals, so %s", FormatInt(v.Individuals), lowerFirst(v.period))
	case v.Individuals > 0:
		d.Key, d.Title, d.Cite = DutyHHSLog, "Annual log to HHS", "§164.408(c)"
		d.Due, d.Paused = yearEnd(v.Start, v.spans)
		d.Basis = fmt.Sprintf("%s individuals (fewer than 500): in the log of %d's breaches, due 60 days after the end of %d", FormatInt(v.Individuals), v.Start.Year(), v.Start.Year())
		if d.Paused > 0 {
			d.Basis += fmt.Sprintf(", plus %s paused by law enforcement", Plural(d.Paused, "day", "days"))
		}
		d.Basis += "."
	default:
		// The count decides which: keep the earlier date in view until it is recorded.
		d.Key, d.Title, d.Cite = DutyHHS, "Notice to HHS", "§164.408"
		d.Due, d.Paused = deadline(v.Start, NoticePeriodDays, v.spans)
		log, _ := yearEnd(v.Start, v.spans)
		d.Basis = fmt.Sprintf("The number of individuals is not recorded: for 500 or more, notice is due with the notice to individuals; for fewer, in the annual log due %s.", DocDate(log))
	}
	return d
}

func (v *IncidentView) coveredEntityDuty() Duty {
	due, paused := deadline(v.Start, NoticePeriodDays, v.spans)
	d := Duty{Key: DutyCoveredEntity, Title: "Notice to the covered entity", Cite: "§164.410(b)", Ours: true, Due: due, Paused: paused,
		Basis: v.period + " The notice identifies each affected individual (§164.410(c)(1))."}
	if ns := v.noticesTo(ToCoveredEntity, ""); len(ns) > 0 {
		d.Done = ns[0].Date
		if !ns[0].Identities {
			d.Note = "The notice recorded does not identify each affected individual (§164.410(c)(1))."
		}
	}
	return d
}

// baNoticeDuty is the business associate's (or, for a business associate, its
// subcontractor's) duty to give notice within 60 days of its own discovery.
func (v *IncidentView) baNoticeDuty(entity EntityType) Duty {
	start := mustDate(v.Discovered)
	due, paused := deadline(start, NoticePeriodDays, v.spans)
	who := "Business associate's notice to the organization"
	if entity == EntityBusinessAssociate {
		who = "Subcontractor's notice to the organization"
	}
	d := Duty{Key: DutyBANotice, Title: who, Cite: "§164.410(b)", Ours: false, Due: due, Paused: paused,
		Basis: fmt.Sprintf("It discovered the breach on %s; its notice is due without unreasonable delay and within 60 days.", DocDay(v.Discovered)), Done: v.BANotified}
	for _, vd := range v.Vendors {
		if vd.BreachNoticeDays > 0 {
			d.Note = fmt.Sprintf("%s's agreement sets %s for breach notice.", vd.Name, Plural(vd.BreachNoticeDays, "day", "days"))
			break
		}
	}
	return d
}

func (v *IncidentView) otherDuty(o OtherDeadline) Duty {
	return Duty{Key: DutyOther, Title: o.Name, Cite: o.Basis, Ours: true, Due: mustDate(o.Due), Basis: o.Basis, Done: o.Done}
}

// noticesTo lists the notices to a recipient in date order; for the media, those that name
// the state or name none.
func (v *IncidentView) noticesTo(to, state string) []Notice {
	var out []Notice
	for _, n := range v.Notices {
		if n.To == to && (state == "" || n.State == "" || n.State == state) {
			out = append(out, n)
		}
	}
	slices.SortStableFunc(out, func(a, b Notice) int { return strings.Compare(a.Date, b.Date) })
	return out
}

// settle sets a duty's status and days left from the notification decision and today.
func (d *Duty) settle(notify string, today time.Time) {
	if d.Status == DutyNotRequired {
		return
	}
	if d.Key != DutyOther && d.Key != DutyBANotice && notify == NotifyNotRequired {
		d.Status = DutyNotRequired
		return
	}
	switch {
	case d.Done != "" && !d.Due.IsZero() && d.Done > ISODate(d.Due):
		d.Status = DutyLate
	case d.Done != "":
		d.Status = DutyMet
	case d.Key != DutyOther && d.Key != DutyBANotice && notify == NotifyUndecided:
		d.Status = DutyPending
	case !d.Due.IsZero() && DaysUntil(d.Due, today) < 0:
		d.Status = DutyOverdue
	default:
		d.Status = DutyDue
	}
	if d.Done == "" && !d.Due.IsZero() {
		d.DaysLeft = DaysUntil(d.Due, today)
	}
}

func periodBasis(start time.Time, paused int) string {
	s := fmt.Sprintf("Within 60 days after discovery on %s", DocDate(start))
	if paused > 0 {
		s += fmt.Sprintf(", plus %s paused by law enforcement (§164.412)", Plural(paused, "day", "days"))
	}
	return s + "."
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// incidentGaps lists what the record still lacks for a complete decision and notice;
// withAssets judges the affected assets too.
func incidentGaps(inc *Incident, entity EntityType, withAssets bool) []string {
	var out []string
	if withAssets && len(inc.Assets) == 0 && inc.Exposure != ExposureDisclosure {
		out = append(out, "No affected asset is named.")
	}
	if inc.Individuals == 0 {
		out = append(out, "The number of affected individuals is not recorded.")
	} else if len(inc.States) == 0 && entity != EntityBusinessAssociate {
		out = append(out, "The affected individuals' states of residence are not recorded.")
	}
	if len(inc.Data) == 0 {
		out = append(out, "The types of information involved are not recorded.")
	}
	if inc.Secured == nil {
		out = append(out, "The secured/unsecured determination is not recorded.")
	}
	if inc.Conclusion == nil {
		if inc.Exception == nil {
			out = append(out, "Whether an exception of §164.402(1) applies is not recorded.")
		}
		if miss := inc.MissingFactors(); len(miss) > 0 && FinalSecured(inc) != Secured {
			out = append(out, "In the four-factor assessment, "+factorsHave(miss)+" no findings.")
		}
		out = append(out, "No conclusion is recorded.")
	}
	return out
}

// NoticeGaps lists what a notice to individuals or the media lacks of §164.404(c), one
// phrase each; none for other recipients.
func NoticeGaps(n Notice) []string {
	if n.To != ToIndividuals && n.To != ToMedia {
		return nil
	}
	var out []string
	for _, e := range NoticeElements {
		if !slices.Contains(n.Content, e.Value) {
			out = append(out, "no "+noticeElementShort[e.Value])
		}
	}
	if slices.Contains(n.Content, "contact") && len(n.Contact) == 0 {
		out = append(out, "the contact procedures offer no toll-free number, email address, website or postal address")
	}
	if !n.PlainLanguage {
		out = append(out, "not confirmed as written in plain language (§164.404(c)(2))")
	}
	return out
}

var noticeElementShort = map[string]string{
	"what-happened": "description of what happened with the dates (§164.404(c)(1)(A))",
	"phi-types":     "types of PHI involved (§164.404(c)(1)(B))",
	"steps":         "steps individuals should take (§164.404(c)(1)(C))",
	"mitigation":    "description of what the organization is doing (§164.404(c)(1)(D))",
	"contact":       "contact procedures (§164.404(c)(1)(E))",
}

// SortIncidents orders incidents for lists: open work first by the earliest open date,
// then the rest by discovery, newest first.
func SortIncidents(vs []IncidentView) {
	type key struct {
		i    int
		next time.Time
		open bool
	}
	keys := make([]key, len(vs))
	for i := range vs {
		n, ok := vs[i].Next()
		keys[i] = key{i, n.Due, ok}
	}
	slices.SortStableFunc(keys, func(x, y key) int {
		a, b := &vs[x.i], &vs[y.i]
		switch {
		case x.open && y.open:
			return cmp.Or(x.next.Compare(y.next), strings.Compare(a.ID, b.ID))
		case x.open:
			return -1
		case y.open:
			return 1
		}
		return cmp.Or(strings.Compare(b.Discovered, a.Discovered), strings.Compare(a.ID, b.ID))
	})
	sorted := make([]IncidentView, len(vs))
	for j, k := range keys {
		sorted[j] = vs[k.i]
	}
	copy(vs, sorted)
}
