package assessment

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDeadlineArithmetic(t *testing.T) {
	t.Parallel()
	oral := func(stated string) LawEnforcementDelay {
		return LawEnforcementDelay{Kind: DelayOral, Stated: stated, Official: "Det. Ortiz"}
	}
	written := func(stated, until string) LawEnforcementDelay {
		return LawEnforcementDelay{Kind: DelayWritten, Stated: stated, Until: until, Official: "FBI field office"}
	}
	cases := []struct {
		name   string
		start  string
		delays []LawEnforcementDelay
		due    string
		paused int
	}{
		{"60 calendar days, no delay", "2027-01-01", nil, "2027-03-02", 0},
		{"60 days across a leap February", "2028-01-01", nil, "2028-03-01", 0},
		{"60 days across the year end", "2026-11-03", nil, "2027-01-02", 0},
		{"oral statement pauses 30 days", "2027-01-01", []LawEnforcementDelay{oral("2027-01-10")}, "2027-04-01", 30},
		{"oral statement with an earlier end", "2027-01-01", []LawEnforcementDelay{{Kind: DelayOral, Stated: "2027-01-10", Until: "2027-01-20", Official: "x"}}, "2027-03-12", 10},
		{"written statement pauses for its period", "2027-01-01", []LawEnforcementDelay{written("2027-01-05", "2027-03-31")}, "2027-05-26", 85},
		{"a written statement within the oral 30 days takes over", "2027-01-01",
			[]LawEnforcementDelay{oral("2027-01-10"), written("2027-01-20", "2027-01-25")}, "2027-03-17", 15},
		{"a statement made after the deadline changes nothing", "2027-01-01", []LawEnforcementDelay{oral("2027-03-05")}, "2027-03-02", 0},
		{"a delay across the deadline extends it by its days", "2027-01-01", []LawEnforcementDelay{written("2027-02-20", "2027-03-20")}, "2027-03-30", 28},
		{"overlapping delays count once", "2027-01-01",
			[]LawEnforcementDelay{written("2027-01-10", "2027-01-30"), written("2027-01-20", "2027-02-09")}, "2027-04-01", 30},
		{"a delay that pushes the date into a later one takes both", "2027-01-01",
			[]LawEnforcementDelay{written("2027-02-01", "2027-03-01"), written("2027-03-20", "2027-03-30")}, "2027-04-09", 38},
		{"the statement day itself counts", "2027-01-01", []LawEnforcementDelay{written("2027-01-01", "2027-01-02")}, "2027-03-03", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			due, paused := Deadline(d(c.start), NoticePeriodDays, c.delays)
			if ISODate(due) != c.due || paused != c.paused {
				t.Errorf("Deadline(%s) = %s with %d paused, want %s with %d", c.start, ISODate(due), paused, c.due, c.paused)
			}
			// Cross-check by counting day by day.
			if got := countDays(d(c.start), c.delays); ISODate(got) != c.due {
				t.Errorf("counting day by day gives %s, Deadline %s", ISODate(got), ISODate(due))
			}
		})
	}
}

// countDays is the slow, obvious count: walk day by day, counting days outside every
// delay, until 60 have been counted.
func countDays(start time.Time, delays []LawEnforcementDelay) time.Time {
	paused := func(day time.Time) bool {
		for _, x := range delays {
			x = NormalizeDelay(x)
			from, to := d(x.Stated), d(x.Until)
			if x.Kind == DelayOral {
				for _, w := range delays {
					if w.Kind == DelayWritten && d(w.Stated).After(from) && !d(w.Stated).After(to) {
						to = d(w.Stated)
					}
				}
			}
			if day.After(from) && !day.After(to) {
				return true
			}
		}
		return false
	}
	day, n := start, 0
	for n < NoticePeriodDays {
		day = day.AddDate(0, 0, 1)
		if !paused(day) {
			n++
		}
	}
	return day
}

func TestYearEndLog(t *testing.T) {
	t.Parallel()
	cases := []struct {
		start, due string
		delays     []LawEnforcementDelay
	}{
		{"2026-01-01", "2027-03-01", nil},
		{"2026-12-31", "2027-03-01", nil},
		{"2027-06-15", "2028-02-29", nil}, // 2028 is a leap year
		{"2028-03-01", "2029-03-01", nil},
		{"2026-12-20", "2027-03-11", []LawEnforcementDelay{{Kind: DelayWritten, Stated: "2026-12-22", Until: "2027-01-10", Official: "x"}}},
	}
	for _, c := range cases {
		due, _ := YearEndDeadline(d(c.start), c.delays)
		if ISODate(due) != c.due {
			t.Errorf("log for a breach discovered %s: due %s, want %s", c.start, ISODate(due), c.due)
		}
	}
}

// breach is a concluded breach discovered by the practice.
func breach(individuals int, states ...StateCount) *Incident {
	return &Incident{Title: "t", Discovered: "2026-03-02", DiscoveredBy: DiscoveredByPractice, Individuals: individuals, States: states,
		Conclusion: &Conclusion{Outcome: OutcomeBreach, Rationale: "r", By: "A", On: "2026-03-03"}}
}

func duty(v IncidentView, key string) (Duty, bool) {
	for _, x := range v.Duties {
		if x.Key == key {
			return x, true
		}
	}
	return Duty{}, false
}

func dutyKeys(v IncidentView) []string {
	var out []string
	for _, x := range v.Duties {
		k := x.Key
		if x.State != "" {
			k += ":" + x.State
		}
		if x.Status == DutyNotRequired {
			k += "(not required)"
		}
		out = append(out, k)
	}
	return out
}

func TestThresholds(t *testing.T) {
	t.Parallel()
	day := d("2026-03-10")
	cases := []struct {
		name string
		inc  *Incident
		want []string
	}{
		{"499 in total: annual log", breach(499, StateCount{"OH", 499}), []string{"individuals", "media(not required)", "hhs-log"}},
		{"500 in total: HHS with the individual notices", breach(500, StateCount{"OH", 250}, StateCount{"KY", 250}), []string{"individuals", "media(not required)", "hhs"}},
		{"500 residents of a state: no media", breach(500, StateCount{"OH", 500}), []string{"individuals", "media(not required)", "hhs"}},
		{"501 residents of a state: media there", breach(501, StateCount{"OH", 501}), []string{"individuals", "media:OH", "hhs"}},
		{"600 across three states: no media, HHS now", breach(600, StateCount{"IN", 200}, StateCount{"KY", 200}, StateCount{"OH", 200}), []string{"individuals", "media(not required)", "hhs"}},
		{"two states over 500: media in each", breach(1300, StateCount{"KY", 650}, StateCount{"OH", 650}), []string{"individuals", "media:KY", "media:OH", "hhs"}},
		{"501 of unknown residence: media may be due", breach(501, StateCount{StateUnknown, 501}), []string{"individuals", "media", "hhs"}},
		{"count unknown: HHS and media kept in view", breach(0), []string{"individuals", "media", "hhs"}},
		{"states not recorded, 700 in total: media may be due", breach(700), []string{"individuals", "media", "hhs"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := ViewIncident(c.inc, EntityProvider, day)
			if got := dutyKeys(v); !slices.Equal(got, c.want) {
				t.Errorf("duties %v, want %v", got, c.want)
			}
		})
	}
	v := ViewIncident(breach(499, StateCount{"OH", 499}), EntityProvider, day)
	if x, _ := duty(v, DutyHHSLog); ISODate(x.Due) != "2027-03-01" || x.Cite != "§164.408(c)" {
		t.Errorf("annual log duty %+v", x)
	}
	v = ViewIncident(breach(500), EntityProvider, day)
	if x, _ := duty(v, DutyHHS); ISODate(x.Due) != "2026-05-01" {
		t.Errorf("HHS notice for 500 is due with the individual notices (2026-05-01), got %s", ISODate(x.Due))
	}
}

func TestBusinessAssociateDiscovery(t *testing.T) {
	t.Parallel()
	base := Incident{Title: "t", Discovered: "2026-12-20", DiscoveredBy: DiscoveredByBA, BANotified: "2027-01-05", Individuals: 40,
		Conclusion: &Conclusion{Outcome: OutcomeBreach, Rationale: "r", By: "A", On: "2027-01-06"}}
	agent, contractor := base, base
	agent.Agent = true
	day := d("2027-01-07")

	va := ViewIncident(&agent, EntityProvider, day)
	vc := ViewIncident(&contractor, EntityProvider, day)
	if ISODate(va.Start) != "2026-12-20" || ISODate(vc.Start) != "2027-01-05" {
		t.Fatalf("clock starts: agent %s (want the BA's discovery), contractor %s (want its notice)", ISODate(va.Start), ISODate(vc.Start))
	}
	ia, _ := duty(va, DutyIndividuals)
	ic, _ := duty(vc, DutyIndividuals)
	if ISODate(ia.Due) != "2027-02-18" || ISODate(ic.Due) != "2027-03-06" {
		t.Errorf("individual notice due: agent %s (want 2027-02-18), contractor %s (want 2027-03-06)", ISODate(ia.Due), ISODate(ic.Due))
	}
	// The year of the annual log follows the organization's discovery.
	la, _ := duty(va, DutyHHSLog)
	lc, _ := duty(vc, DutyHHSLog)
	if ISODate(la.Due) != "2027-03-01" || ISODate(lc.Due) != "2028-02-29" {
		t.Errorf("log due: agent %s (2026's log), contractor %s (2027's log)", ISODate(la.Due), ISODate(lc.Due))
	}
	// The business associate's own duty is shown, met on the day it gave notice.
	b, ok := duty(vc, DutyBANotice)
	if !ok || b.Ours || ISODate(b.Due) != "2027-02-18" || b.Status != DutyMet || b.Done != "2027-01-05" {
		t.Errorf("business associate's notice duty %+v", b)
	}
	if len(vc.Duties) == 0 || slices.ContainsFunc(vc.Duties, func(x Duty) bool { return x.Key == DutyBANotice && x.Open() }) {
		t.Error("the business associate's duty must never count as the organization's open work")
	}
}

func TestBusinessAssociateOwesTheCoveredEntity(t *testing.T) {
	t.Parallel()
	inc := breach(900, StateCount{"OH", 900})
	v := ViewIncident(inc, EntityBusinessAssociate, d("2026-03-10"))
	if got := dutyKeys(v); !slices.Equal(got, []string{DutyCoveredEntity}) {
		t.Fatalf("a business associate's duties are %v, want only the notice to the covered entity", got)
	}
	inc.Notices = []Notice{{To: ToCoveredEntity, Date: "2026-03-05", By: "A"}}
	v = ViewIncident(inc, EntityBusinessAssociate, d("2026-03-10"))
	if x := v.Duties[0]; x.Status != DutyMet || !strings.Contains(x.Note, "§164.410(c)(1)") {
		t.Errorf("a notice without the identities is met but flagged: %+v", x)
	}
}

func TestDutyStatuses(t *testing.T) {
	t.Parallel()
	day := d("2026-05-10") // after the 2026-05-01 deadline of a 2026-03-02 discovery
	open := breach(40)
	open.Conclusion = nil
	v := ViewIncident(open, EntityProvider, d("2026-03-12"))
	if x, _ := duty(v, DutyIndividuals); x.Status != DutyPending || x.DaysLeft != 50 {
		t.Errorf("undecided: %s with %d days left, want pending with 50", x.Status, x.DaysLeft)
	}
	if v.Notify != NotifyUndecided || v.Status != IncidentOpen {
		t.Errorf("undecided incident: notify %q status %q", v.Notify, v.Status)
	}
	late := breach(40)
	v = ViewIncident(late, EntityProvider, day)
	if x, _ := duty(v, DutyIndividuals); x.Status != DutyOverdue || x.DaysLeft != -9 {
		t.Errorf("overdue: %s, %d days left", x.Status, x.DaysLeft)
	}
	late.Notices = []Notice{{To: ToIndividuals, Date: "2026-05-03", By: "A"}}
	v = ViewIncident(late, EntityProvider, day)
	if x, _ := duty(v, DutyIndividuals); x.Status != DutyLate || x.Done != "2026-05-03" {
		t.Errorf("sent after the deadline: %+v", x)
	}
	part := breach(40)
	part.Notices = []Notice{{To: ToIndividuals, Date: "2026-03-20", Count: 25, By: "A"}}
	v = ViewIncident(part, EntityProvider, d("2026-03-21"))
	if x, _ := duty(v, DutyIndividuals); x.Status != DutyDue || !strings.Contains(x.Note, "25 of 40") {
		t.Errorf("a mailing that reached 25 of 40 does not meet the duty: %+v", x)
	}
	part.Notices = append(part.Notices, Notice{To: ToIndividuals, Date: "2026-03-25", Count: 15, By: "A"})
	v = ViewIncident(part, EntityProvider, d("2026-03-26"))
	if x, _ := duty(v, DutyIndividuals); x.Status != DutyMet || x.Done != "2026-03-25" {
		t.Errorf("the second mailing completes it: %+v", x)
	}
	not := breach(40)
	not.Conclusion.Outcome = OutcomeLowProbability
	not.Deadlines = []OtherDeadline{{Name: "State AG", Due: "2026-04-01", Basis: "statute"}}
	v = ViewIncident(not, EntityProvider, d("2026-03-26"))
	for _, x := range v.Duties {
		if x.Key == DutyOther {
			if x.Status != DutyDue || x.DaysLeft != 6 {
				t.Errorf("an assessor's deadline stays due whatever the conclusion: %+v", x)
			}
		} else if x.Status != DutyNotRequired {
			t.Errorf("not a breach: %s is %s, want not required", x.Title, x.Status)
		}
	}
	if _, ok := v.Next(); !ok {
		t.Error("the open assessor's deadline is the next duty")
	}
}

func TestLawEnforcementDelayInTheView(t *testing.T) {
	t.Parallel()
	inc := breach(40)
	inc.Delays = []LawEnforcementDelay{{Kind: DelayOral, Stated: "2026-03-10", Official: "Det. Ortiz"}}
	v := ViewIncident(inc, EntityProvider, d("2026-03-12"))
	x, _ := duty(v, DutyIndividuals)
	if ISODate(x.Due) != "2026-05-31" || x.Paused != 30 || !strings.Contains(x.Basis, "30 days paused") {
		t.Errorf("delayed individual notice: %+v", x)
	}
}

func TestSortIncidents(t *testing.T) {
	t.Parallel()
	a, b, c := breach(10), breach(10), breach(10)
	a.ID, b.ID, c.ID = "a", "b", "c"
	b.Discovered = "2026-02-01" // due earlier
	c.Conclusion.Outcome = OutcomeNotPHI
	vs := []IncidentView{ViewIncident(c, EntityProvider, d("2026-03-10")), ViewIncident(a, EntityProvider, d("2026-03-10")), ViewIncident(b, EntityProvider, d("2026-03-10"))}
	SortIncidents(vs)
	if vs[0].ID != "b" || vs[1].ID != "a" || vs[2].ID != "c" {
		t.Errorf("order %s %s %s, want b a c (open work by date, then the rest)", vs[0].ID, vs[1].ID, vs[2].ID)
	}
}
