package main

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/reports"
	"safeguard/reports/pdf"
	"safeguard/store"
)

// The incident register: breach notification under 45 CFR §§164.400–414. Every
// subcommand's help says what it records; the rules are in assessment/incident*.go.

func newIncidentCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "incident",
		Short: "Record incidents and the breach notification decision, clocks, notices and memo",
		Long: "Keep the incident register of the breach notification rule (45 CFR §§164.400–414).\n\n" +
			"An incident is recorded against the assessment in use when it happened, with the affected assets and vendors " +
			"copied from its inventory. `assess` records the decision step by step: whether the PHI was unsecured (derived " +
			"from the assets' encryption at rest, key custody and whether the keys were compromised, and the data flows' " +
			"encryption in transit; you confirm or override it with a reason), whether an exception of §164.402(1) applies, " +
			"the four factors of §164.402(2) with findings and evidence, and the conclusion. `list` shows the notices due " +
			"with their dates and days left; `notify` records what was sent when; `memo` writes the decision memo as a PDF; " +
			"`log` writes the annual log of breaches under 500 for HHS.\n\n" +
			"Incidents are never deleted: the record is the organization's proof (§164.414(b)) and is kept six years " +
			"(§164.316(b)(2)(i)). Close an incident when its work is done; every change is in the audit trail.",
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(
		newIncidentAddCmd(g), newIncidentEditCmd(g), newIncidentListCmd(g), newIncidentShowCmd(g), newIncidentAssessCmd(g),
		newIncidentNotifyCmd(g), newIncidentDelayCmd(g), newIncidentDeadlineCmd(g), newIncidentLinkCmd(g),
		newIncidentCloseCmd(g), newIncidentReopenCmd(g), newIncidentMemoCmd(g), newIncidentLogCmd(g),
	)
	return cmd
}

// today is the calendar day incident dates are checked against.
func today() time.Time { return assessment.Today(time.Now()) }

// ---- facts: add and edit ----

// factFlags are the flags that describe an incident, shared by add and edit.
type factFlags struct {
	title, description, typ, exposure, keys            string
	occurredFrom, occurredTo, discovered, discoveredBy string
	baNotified, foundBy                                string
	agent, ransomware, part2                           bool
	individuals                                        int
	states, assets, vendors, data                      []string
}

func (f *factFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.title, "title", "", "short title of the incident")
	fl.StringVar(&f.description, "description", "", "what happened")
	fl.StringVar(&f.discovered, "discovered", "", "first day the incident was known (YYYY-MM-DD); for a business associate's discovery, its date")
	fl.StringVar(&f.discoveredBy, "discovered-by", assessment.DiscoveredByPractice, "who discovered it: practice or business-associate")
	fl.BoolVar(&f.agent, "agent", false, "the business associate acts as the organization's agent: its discovery starts the clock")
	fl.StringVar(&f.baNotified, "ba-notified", "", "date the business associate gave notice (starts the clock when it is not an agent)")
	fl.StringVar(&f.occurredFrom, "occurred-from", "", "first day of the incident, if known (YYYY-MM-DD)")
	fl.StringVar(&f.occurredTo, "occurred-to", "", "last day of the incident, if known (YYYY-MM-DD)")
	fl.StringArrayVar(&f.assets, "asset", nil, "affected asset (ID or name); repeat for several")
	fl.StringArrayVar(&f.vendors, "vendor", nil, "vendor involved (ID or name); repeat for several")
	fl.IntVar(&f.individuals, "individuals", 0, "number of individuals affected (0 while not known)")
	fl.StringArrayVar(&f.states, "state", nil, "residents per state or jurisdiction as XX=N (unknown=N for unknown residence); repeat")
	fl.StringSliceVar(&f.data, "data", nil, "types of information involved: "+assessment.ChoiceValues(assessment.DataTypes))
	fl.BoolVar(&f.part2, "part2", false, "42 CFR Part 2 substance use disorder records were involved")
	fl.StringVar(&f.foundBy, "found-by", "", "who found the incident")
	fl.StringVar(&f.typ, "type", "", "kind of incident: "+assessment.ChoiceValues(assessment.IncidentTypes))
	fl.BoolVar(&f.ransomware, "ransomware", false, "the incident was ransomware")
	fl.StringVar(&f.exposure, "exposure", "", "how the data was reached: "+assessment.ChoiceValues(assessment.ExposureChoices)+" (default from --type)")
	fl.StringVar(&f.keys, "keys", "", "were the encryption keys compromised too: compromised, not-compromised or unknown")
}

// apply writes the flags the user gave onto inc (all of them for a new incident) and
// returns the asset and vendor references to resolve (nil when not given on an edit).
func (f *factFlags) apply(cmd *cobra.Command, inc *assessment.Incident, all bool) error {
	set := func(name string) bool { return all || cmd.Flags().Changed(name) }
	if set("title") {
		inc.Title = f.title
	}
	if set("description") {
		inc.Description = f.description
	}
	if set("discovered") {
		inc.Discovered = f.discovered
	}
	if set("discovered-by") {
		inc.DiscoveredBy = f.discoveredBy
	}
	if set("agent") {
		inc.Agent = f.agent
	}
	if set("ba-notified") {
		inc.BANotified = f.baNotified
	}
	if set("occurred-from") {
		inc.OccurredFrom = f.occurredFrom
	}
	if set("occurred-to") {
		inc.OccurredTo = f.occurredTo
	}
	if set("individuals") {
		inc.Individuals = f.individuals
	}
	if set("state") {
		states, err := parseStates(f.states)
		if err != nil {
			return err
		}
		inc.States = states
		if !cmd.Flags().Changed("individuals") && (all || len(states) > 0) {
			// --individuals defaults to the sum of the states.
			inc.Individuals = inc.StateTotal()
		}
	}
	if set("data") {
		inc.Data = sortData(trimAll(f.data))
	}
	if set("part2") {
		inc.Part2 = f.part2
	}
	if set("found-by") {
		inc.FoundBy = f.foundBy
	}
	if set("type") {
		inc.Type = f.typ
	}
	if set("ransomware") {
		inc.Ransomware = f.ransomware
	}
	if set("exposure") {
		inc.Exposure = f.exposure
	}
	if set("keys") {
		k, err := parseKeys(f.keys)
		if err != nil {
			return err
		}
		inc.Keys = k
	}
	return nil
}

// sortData orders data types as DataTypes lists them (unknown values last, for the
// validation to name) and drops repeats.
func sortData(in []string) []string {
	rank := func(v string) int {
		if i := slices.IndexFunc(assessment.DataTypes, func(c assessment.Choice) bool { return c.Value == v }); i >= 0 {
			return i
		}
		return len(assessment.DataTypes)
	}
	out := slices.Clone(in)
	slices.SortStableFunc(out, func(a, b string) int { return cmp.Or(rank(a)-rank(b), strings.Compare(a, b)) })
	return slices.Compact(out)
}

func parseKeys(s string) (string, error) {
	switch s {
	case assessment.KeysCompromised, assessment.KeysSafe:
		return s, nil
	case "", "unknown":
		return "", nil
	}
	return "", fmt.Errorf("--keys %q is not compromised, not-compromised or unknown", s)
}

func trimAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// parseStates reads XX=N pairs, sorted by state.
func parseStates(in []string) ([]assessment.StateCount, error) {
	var out []assessment.StateCount
	for _, s := range in {
		c, err := assessment.ParseStateCount(s)
		if err != nil {
			return nil, fmt.Errorf("--state %w", err)
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b assessment.StateCount) int { return strings.Compare(a.State, b.State) })
	return out, nil
}

// resolveAffected turns asset and vendor names or IDs into IDs within the assessment.
func resolveAffected(snap *assessment.Snapshot, assets, vendors []string) ([]string, []string, error) {
	var aIDs, vIDs []string
	for _, a := range assets {
		id, err := resolveAsset(snap, a)
		if err != nil {
			return nil, nil, err
		}
		aIDs = append(aIDs, id)
	}
	for _, v := range vendors {
		id, err := resolveVendor(snap, v)
		if err != nil {
			return nil, nil, err
		}
		vIDs = append(vIDs, id)
	}
	return aIDs, vIDs, nil
}

func newIncidentAddCmd(g *globals) *cobra.Command {
	var f factFlags
	cmd := &cobra.Command{
		Use:   "add ID --title T --discovered D",
		Short: "Record an incident against an assessment and print its ID",
		Long: "Record an incident against the assessment in use when it happened. The affected assets and vendors are copied " +
			"from the assessment's inventory as they stand now, so later changes to the inventory do not change the facts " +
			"the decision rests on (`assess --refresh-assets` copies them again).\n\n" +
			"The clock starts at discovery (§164.404(a)(2)): the first day the incident was known to the organization's " +
			"workforce or agents. When a business associate discovered it, say so with --discovered-by business-associate and " +
			"give its discovery date with --discovered: if it acts as the organization's agent (--agent) its discovery starts " +
			"the organization's clock; otherwise the clock starts when it gave notice (--ba-notified).\n\n" +
			"With --state, the per-state counts must add up to --individuals (which defaults to their sum).",
		Example: "  safeguard incident add 3f2a --title \"Stolen clinic laptop\" --discovered 2026-11-03 --type theft \\\n" +
			"      --asset \"Staff laptops and workstations\" --individuals 620 --state OH=560 --state KY=60 --data name,dob,diagnosis",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("title") {
				return fmt.Errorf("give the incident a title with --title")
			}
			if !cmd.Flags().Changed("discovered") {
				return fmt.Errorf("give the discovery date with --discovered YYYY-MM-DD")
			}
			var inc assessment.Incident
			if err := f.apply(cmd, &inc, true); err != nil {
				return err
			}
			if err := assessment.CheckIncidentFacts(&inc, today()); err != nil {
				return err
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				snap, err := s.Snapshot(ctx, id)
				if err != nil {
					return err
				}
				aIDs, vIDs, err := resolveAffected(snap, f.assets, f.vendors)
				if err != nil {
					return err
				}
				out, err := s.AddIncident(ctx, id, inc, aIDs, vIDs)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), out.ID)
				return nil
			})
		},
	}
	f.register(cmd)
	return cmd
}

func newIncidentEditCmd(g *globals) *cobra.Command {
	var f factFlags
	cmd := &cobra.Command{
		Use:   "edit INCIDENT [flags]",
		Short: "Correct the facts of an incident (only the flags given change)",
		Long: "Change the facts of an incident as the investigation learns more: counts, states, dates, data involved, " +
			"affected assets and vendors (--asset and --vendor replace the lists). The decision record and notices stay; " +
			"a change they no longer agree with is refused (for example a discovery date after a recorded notice).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withIncident(cmd, args[0], func(ctx context.Context, s *store.Store, rec store.IncidentRecord) error {
				inc := rec.Incident
				if err := f.apply(cmd, &inc, false); err != nil {
					return err
				}
				if err := assessment.CheckIncidentFacts(&inc, today()); err != nil {
					return err
				}
				aIDs, vIDs := affectedIDs(rec.Incident)
				if cmd.Flags().Changed("asset") || cmd.Flags().Changed("vendor") {
					snap, err := s.Snapshot(ctx, rec.AssessmentID)
					if err != nil {
						return err
					}
					na, nv, err := resolveAffected(snap, f.assets, f.vendors)
					if err != nil {
						return err
					}
					if cmd.Flags().Changed("asset") {
						aIDs = na
					}
					if cmd.Flags().Changed("vendor") {
						vIDs = nv
					}
				}
				if _, err := s.EditIncident(ctx, rec.Incident.ID, store.AnyVersion, inc, aIDs, vIDs); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Updated incident %s.\n", rec.Incident.ShortID())
				return nil
			})
		},
	}
	f.register(cmd)
	return cmd
}

func affectedIDs(inc assessment.Incident) ([]string, []string) {
	var a, v []string
	for _, x := range inc.Assets {
		a = append(a, x.ID)
	}
	for _, x := range inc.Vendors {
		v = append(v, x.ID)
	}
	return a, v
}

// withIncident opens the workspace, resolves the incident and runs fn with it.
func (g *globals) withIncident(cmd *cobra.Command, ref string, fn func(ctx context.Context, s *store.Store, rec store.IncidentRecord) error) error {
	return g.withStore(func(s *store.Store) error {
		id, err := s.ResolveIncident(cmd.Context(), ref)
		if err != nil {
			return err
		}
		rec, err := s.Incident(cmd.Context(), id)
		if err != nil {
			return err
		}
		return fn(cmd.Context(), s, rec)
	})
}

// ---- list and show ----

func newIncidentListCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list ID [--json]",
		Short: "List an assessment's incidents with the notices due, their dates and days left",
		Long: "List the incidents recorded against an assessment, open work first (earliest date first), each with its " +
			"notification duties: the notice to individuals, the media (per state with more than 500 residents affected), " +
			"HHS (with the individual notices for 500 or more, otherwise in the annual log), or, for a business associate, " +
			"the covered entity; and any other deadlines you added. Days left are counted from today. While no conclusion is " +
			"recorded the clocks run anyway: the 60 days start at discovery, not when the investigation ends.\n\n" +
			"--json prints the same as JSON with ISO 8601 dates.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				incs, err := s.IncidentHeads(ctx, id)
				if err != nil {
					return err
				}
				p, err := s.Profile(ctx, id)
				if err != nil {
					return err
				}
				views := incidentViews(incs, p.EntityType, today())
				if asJSON {
					out := make([]incidentJSON, len(views))
					for i := range views {
						out[i] = toIncidentJSON(&views[i])
						out[i].Record, out[i].Derived = nil, "" // `incident show --json` has them
					}
					return writeJSON(cmd.OutOrStdout(), out)
				}
				printIncidentList(cmd.OutOrStdout(), views)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

// incidentViews derives the clocks of a list of incidents, in list order.
func incidentViews(incs []assessment.Incident, entity assessment.EntityType, day time.Time) []assessment.IncidentView {
	views := make([]assessment.IncidentView, len(incs))
	for i := range incs {
		views[i] = assessment.ViewClocks(&incs[i], entity, day)
	}
	assessment.SortIncidents(views)
	return views
}

func printIncidentList(w io.Writer, views []assessment.IncidentView) {
	if len(views) == 0 {
		fmt.Fprintln(w, "No incidents are recorded against this assessment. Record one with `safeguard incident add ID --title T --discovered YYYY-MM-DD`.")
		return
	}
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	var rows [][4]string
	for i := range views {
		v := &views[i]
		if i > 0 {
			bw.WriteByte('\n')
		}
		// Each incident is a block: its line, then one line per duty, in aligned columns.
		rows = append(rows[:0], [4]string{v.ShortID() + "  " + oneLine(v.Title), v.Status.Label(), "discovered " + assessment.DocDay(v.Discovered), notifyLabel(v)})
		for _, d := range v.Duties {
			rows = append(rows, [4]string{"    " + dutyTitle(d), dueText(d), daysText(d), d.Status.Label()})
		}
		writeColumns(bw, rows)
	}
}

// writeColumns writes rows with each column padded to its widest cell and two spaces
// between columns.
func writeColumns(w *bufio.Writer, rows [][4]string) {
	var width [4]int
	for _, r := range rows {
		for c, cell := range r {
			width[c] = max(width[c], utf8.RuneCountInString(cell))
		}
	}
	for _, r := range rows {
		for c, cell := range r {
			w.WriteString(cell)
			if c < len(r)-1 {
				w.WriteString(strings.Repeat(" ", width[c]-utf8.RuneCountInString(cell)+2))
			}
		}
		w.WriteByte('\n')
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(assessment.SafeLine(s)), " ") }

func notifyLabel(v *assessment.IncidentView) string {
	switch v.Notify {
	case assessment.NotifyRequired:
		return "breach: notification required"
	case assessment.NotifyNotRequired:
		return "not a breach: " + assessment.ChoiceLabel(outcomeShort, v.Conclusion.Outcome)
	}
	return "decision open"
}

var outcomeShort = []assessment.Choice{
	{Value: assessment.OutcomeLowProbability, Label: "low probability of compromise"},
	{Value: assessment.OutcomeSecured, Label: "PHI secured"},
	{Value: assessment.OutcomeException, Label: "exception applies"},
	{Value: assessment.OutcomeNotPHI, Label: "no PHI involved"},
	{Value: assessment.OutcomeBreach, Label: "breach"},
}

func dutyTitle(d assessment.Duty) string {
	t := d.Title
	if d.Cite != "" && d.Key != assessment.DutyOther {
		t += " (" + d.Cite + ")"
	}
	if !d.Ours {
		t += " [theirs]"
	}
	return t
}

func dueText(d assessment.Duty) string {
	if d.Due.IsZero() {
		if d.Status == assessment.DutyNotRequired {
			return ""
		}
		return "no date"
	}
	s := "due " + assessment.DocDate(d.Due)
	if d.Paused > 0 {
		s += fmt.Sprintf(" (+%d paused)", d.Paused)
	}
	return s
}

func daysText(d assessment.Duty) string {
	switch {
	case d.Done != "":
		return "done " + assessment.DocDay(d.Done)
	case d.Status == assessment.DutyNotRequired || d.Due.IsZero():
		return ""
	}
	return assessment.DaysLeft(d.DaysLeft)
}

// incidentJSON is the machine form of an incident view: ISO 8601 dates.
type incidentJSON struct {
	ID           string               `json:"id"`
	Title        string               `json:"title"`
	Status       string               `json:"status"`
	Discovered   string               `json:"discovered"`
	ClockStart   string               `json:"clock_start"`
	Notification string               `json:"notification"`
	Conclusion   string               `json:"conclusion,omitempty"`
	Derived      string               `json:"secured_derived,omitempty"`
	Determined   string               `json:"secured_determined"`
	Individuals  int                  `json:"individuals"`
	Duties       []dutyJSON           `json:"duties"`
	Gaps         []string             `json:"gaps"`
	Record       *assessment.Incident `json:"record,omitempty"`
}

type dutyJSON struct {
	Key      string `json:"key"`
	Title    string `json:"title"`
	Cite     string `json:"cite,omitempty"`
	State    string `json:"state,omitempty"`
	Ours     bool   `json:"ours"`
	Due      string `json:"due,omitempty"`
	Paused   int    `json:"paused_days"`
	Status   string `json:"status"`
	Done     string `json:"done,omitempty"`
	DaysLeft *int   `json:"days_left,omitempty"`
	Basis    string `json:"basis"`
	Note     string `json:"note,omitempty"`
}

func toIncidentJSON(v *assessment.IncidentView) incidentJSON {
	out := incidentJSON{ID: v.ID, Title: v.Title, Status: string(v.Status), Discovered: v.Discovered, ClockStart: assessment.ISODate(v.Start),
		Notification: v.Notify, Derived: v.Derived.Result, Determined: v.Final, Individuals: v.Individuals, Duties: []dutyJSON{},
		Gaps: v.Gaps, Record: v.Incident}
	if out.Gaps == nil {
		out.Gaps = []string{}
	}
	if v.Conclusion != nil {
		out.Conclusion = v.Conclusion.Outcome
	}
	for _, d := range v.Duties {
		j := dutyJSON{Key: d.Key, Title: d.Title, Cite: d.Cite, State: d.State, Ours: d.Ours, Due: assessment.ISODate(d.Due), Paused: d.Paused,
			Status: string(d.Status), Done: d.Done, Basis: d.Basis, Note: d.Note}
		if d.Done == "" && !d.Due.IsZero() && d.Status != assessment.DutyNotRequired {
			n := d.DaysLeft
			j.DaysLeft = &n
		}
		out.Duties = append(out.Duties, j)
	}
	return out
}

func newIncidentShowCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show INCIDENT [--json]",
		Short: "Show an incident's facts, decision record, clocks and notices",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withIncident(cmd, args[0], func(ctx context.Context, s *store.Store, rec store.IncidentRecord) error {
				v := assessment.ViewIncident(&rec.Incident, rec.Entity, today())
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), toIncidentJSON(&v))
				}
				printIncident(cmd.OutOrStdout(), rec, &v)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of text")
	return cmd
}

func printIncident(w io.Writer, rec store.IncidentRecord, v *assessment.IncidentView) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	p("Incident %s: %s", v.ShortID(), oneLine(v.Title))
	p("Assessment %s (%s, %s)", rec.AssessmentID, oneLine(rec.Title), oneLine(rec.Organization))
	p("Status: %s; %s", v.Status.Label(), notifyLabel(v))
	p("")
	p("Facts")
	if v.Description != "" {
		p("  What happened: %s", oneLine(v.Description))
	}
	if v.Type != "" {
		t := assessment.ChoiceLabel(assessment.IncidentTypes, v.Type)
		if v.Ransomware {
			t += " (ransomware)"
		}
		p("  Type: %s", t)
	}
	p("  %s", v.StartBasis)
	if v.OccurredFrom != "" || v.OccurredTo != "" {
		p("  Occurred: %s to %s", orUnknown(assessment.DocDay(v.OccurredFrom)), orUnknown(assessment.DocDay(v.OccurredTo)))
	}
	if v.FoundBy != "" {
		p("  Found by: %s", v.FoundBy)
	}
	if v.Individuals > 0 {
		p("  Individuals: %s", assessment.FormatInt(v.Individuals))
	} else {
		p("  Individuals: not known yet")
	}
	for _, s := range v.States {
		p("    %s: %s", s.State, assessment.FormatInt(s.Count))
	}
	if len(v.Data) > 0 {
		var ls []string
		for _, d := range v.Data {
			ls = append(ls, assessment.ChoiceLabel(assessment.DataTypes, d))
		}
		p("  Information involved: %s", strings.Join(ls, ", "))
	}
	if v.Part2 {
		p("  42 CFR Part 2 SUD records were involved.")
	}
	p("")
	p("Was the PHI unsecured? Derived: %s. %s", v.Derived.Result, v.Derived.Summary)
	for _, a := range v.Derived.Assets {
		p("  %s: %s. %s", a.Name, a.Result, strings.Join(a.Reasons, " "))
	}
	if d := v.Secured; d != nil {
		verb := "confirmed"
		if d.Decision != assessment.DecideConfirm {
			verb = "decided " + d.Decision
			if d.Basis != "" {
				verb += " (" + d.Basis + ")"
			}
		}
		p("  %s %s on %s%s", d.By, verb, assessment.DocDay(d.On), reasonSuffix(d.Reason))
	}
	if e := v.Exception; e != nil {
		p("Exception (§164.402(1)): %s; %s on %s%s", exceptionText(e.Applies), e.By, assessment.DocDay(e.On), reasonSuffix(e.Reason))
	}
	for n := 1; n <= 4; n++ {
		if f, ok := v.Factor(n); ok {
			ev := ""
			if len(f.Evidence) > 0 {
				ev = " [evidence " + strings.Join(f.Evidence, ", ") + "]"
			}
			p("Factor %d (%s): %s%s", n, assessment.FactorCites[n-1], oneLine(f.Findings), ev)
		} else {
			p("Factor %d (%s): not assessed", n, assessment.FactorCites[n-1])
		}
	}
	if v.Ransomware {
		p("  %s", assessment.RansomwareNote)
	}
	if c := v.Conclusion; c != nil {
		p("Conclusion: %s. %s (%s, %s)", assessment.ChoiceLabel(assessment.Outcomes, c.Outcome), oneLine(c.Rationale), c.By, assessment.DocDay(c.On))
	} else {
		p("Conclusion: none recorded yet.")
	}
	p("")
	p("Clocks")
	for _, d := range v.Duties {
		p("  %s: %s; %s. %s", dutyTitle(d), dueText(d), strings.ToLower(d.Status.Label()), d.Basis)
		if t := daysText(d); t != "" {
			p("    %s", t)
		}
		if d.Note != "" {
			p("    %s", d.Note)
		}
	}
	for _, d := range v.Delays {
		d = assessment.NormalizeDelay(d)
		p("  Law-enforcement delay (%s statement by %s on %s) until %s", d.Kind, d.Official, assessment.DocDay(d.Stated), assessment.DocDay(d.Until))
	}
	if len(v.Notices) > 0 {
		p("")
		p("Notices sent")
		for _, n := range v.Notices {
			p("  %s", noticeLine(n))
			if gaps := assessment.NoticeGaps(n); len(gaps) > 0 {
				p("    Content check: %s", strings.Join(gaps, "; "))
			}
		}
	}
	for _, l := range v.RiskLinks {
		p("Raised risk %q from likelihood %d to %d: %s", l.RiskTitle, l.From, l.To, oneLine(l.Note))
	}
	if v.Closed != "" {
		p("Closed on %s by %s%s", assessment.DocDay(v.Closed), v.ClosedBy, reasonSuffix(v.ClosedNote))
	}
	if len(v.Gaps) > 0 {
		p("")
		p("Still missing")
		for _, gp := range v.Gaps {
			p("  %s", gp)
		}
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func reasonSuffix(r string) string {
	if r == "" {
		return ""
	}
	return ": " + oneLine(r)
}

func exceptionText(v string) string {
	if v == assessment.ExceptionNone {
		return "none applies"
	}
	return assessment.ChoiceLabel(assessment.Exceptions, v)
}

func noticeLine(n assessment.Notice) string {
	to := assessment.ChoiceLabel(assessment.NoticeRecipients, n.To)
	if n.Recipient != "" {
		to = n.Recipient
	}
	if n.State != "" {
		to += " in " + n.State
	}
	s := fmt.Sprintf("%s: %s to %s", assessment.DocDay(n.Date), orDefault(assessment.ChoiceLabel(assessment.NoticeMethods, n.Method), "sent"), to)
	if n.Count > 0 {
		s += fmt.Sprintf(" (%s)", assessment.FormatInt(n.Count))
	}
	if sub := n.Substitute; sub != nil {
		s += fmt.Sprintf("; substitute notice for %s by %s", assessment.Plural(sub.Count, "individual", "individuals"), strings.ToLower(assessment.ChoiceLabel(assessment.SubstituteMethods, sub.By)))
		if sub.TollFree != "" {
			s += ", toll-free " + sub.TollFree
		}
	}
	return s
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// ---- the decision ----

func newIncidentAssessCmd(g *globals) *cobra.Command {
	var secured, basis, reason, keys, exposure, exception, exceptionReason, findings, conclude, rationale, by, on string
	var factor int
	var evidence []string
	var refresh bool
	cmd := &cobra.Command{
		Use:   "assess INCIDENT [flags]",
		Short: "Record the breach decision: secured or not, exception, the four factors, the conclusion",
		Long: "Record the steps of the decision of §164.402, one or several at a time (all in one change):\n\n" +
			"  Unsecured?   --secured confirm accepts the determination derived from the affected assets' encryption at rest, " +
			"key custody and key compromise (--keys) and the flows' encryption in transit (see `incident show`); " +
			"--secured secured|unsecured overrides it with --reason (and --basis encryption|destruction for secured: " +
			"encrypted as HHS's guidance specifies with the keys not compromised, or destroyed per NIST SP 800-88).\n" +
			"  Exception?   --exception none|workforce|authorized|retention with --exception-reason: §164.402(1)(i)–(iii).\n" +
			"  Four factors --factor 1..4 --findings TEXT [--evidence E]…: §164.402(2)(i) nature and extent of the PHI, " +
			"(ii) the unauthorized person, (iii) whether it was actually acquired or viewed, (iv) how far the risk was mitigated.\n" +
			"  Conclusion   --conclude breach|low-probability|secured|exception|not-phi --rationale TEXT [--by NAME] [--on DATE]. " +
			"A low probability of compromise needs all four factors; without one, the incident is presumed a breach.\n\n" +
			"For ransomware, HHS's position (2016 fact sheet) is that encryption of ePHI by ransomware is a breach unless the " +
			"four-factor assessment shows a low probability that the PHI was compromised.\n\n" +
			"Evidence is cited by its ID, a unique ID prefix, its SHA-256 prefix or its reference in the report (E3), and must " +
			"be in the incident's assessment.",
		Example: "  safeguard incident assess 9c1e --keys not-compromised --secured confirm\n" +
			"  safeguard incident assess 9c1e --exception none\n" +
			"  safeguard incident assess 9c1e --factor 3 --findings \"Forensic review found no access to the files\" --evidence E7\n" +
			"  safeguard incident assess 9c1e --conclude low-probability --rationale \"...\" --by \"Dana Whitfield\"",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			changed := cmd.Flags().Changed
			some := false
			for _, n := range []string{"secured", "keys", "exposure", "exception", "factor", "conclude", "refresh-assets"} {
				some = some || changed(n)
			}
			if !some {
				return fmt.Errorf("say what to record: --secured, --keys, --exposure, --exception, --factor with --findings, --conclude, or --refresh-assets")
			}
			if changed("findings") && !changed("factor") || changed("factor") && !changed("findings") {
				return fmt.Errorf("a factor is recorded with both --factor N and --findings TEXT")
			}
			if changed("evidence") && !changed("factor") {
				return fmt.Errorf("--evidence cites evidence for a factor; give --factor N with it")
			}
			if (changed("basis") || changed("reason")) && !changed("secured") {
				return fmt.Errorf("--basis and --reason go with --secured")
			}
			if changed("exception-reason") && !changed("exception") {
				return fmt.Errorf("--exception-reason goes with --exception")
			}
			if (changed("rationale") || changed("by") || changed("on")) && !changed("conclude") {
				return fmt.Errorf("--rationale, --by and --on go with --conclude")
			}
			k, err := parseKeys(keys)
			if err != nil {
				return err
			}
			return g.withIncident(cmd, args[0], func(ctx context.Context, s *store.Store, rec store.IncidentRecord) error {
				var evIDs []string
				if len(evidence) > 0 {
					if evIDs, err = resolveEvidenceRefs(ctx, s, rec.AssessmentID, evidence); err != nil {
						return err
					}
				}
				if refresh {
					if _, err := s.RefreshAssets(ctx, rec.Incident.ID, store.AnyVersion); err != nil {
						return err
					}
				}
				_, err := s.UpdateIncident(ctx, rec.Incident.ID, store.AnyVersion, func(inc *assessment.Incident, env *store.IncidentEnv) error {
					if changed("keys") {
						inc.Keys = k
					}
					if changed("exposure") {
						inc.Exposure = exposure
					}
					if changed("secured") {
						d := assessment.SecuredDecision{Derived: assessment.DeriveSecured(inc).Result, Decision: secured, Basis: basis,
							Reason: reason, By: env.Actor, On: env.On()}
						if err := assessment.CheckSecuredDecision(d); err != nil {
							return err
						}
						inc.Secured = &d
					}
					if changed("exception") {
						inc.Exception = &assessment.ExceptionDecision{Applies: exception, Reason: exceptionReason, By: env.Actor, On: env.On()}
					}
					if changed("factor") {
						f := assessment.Factor{Number: factor, Findings: findings, Evidence: evIDs, By: env.Actor, On: env.On()}
						if err := assessment.CheckFactor(f); err != nil {
							return err
						}
						inc.Factors = slices.DeleteFunc(inc.Factors, func(x assessment.Factor) bool { return x.Number == factor })
						inc.Factors = append(inc.Factors, f)
						slices.SortFunc(inc.Factors, func(a, b assessment.Factor) int { return a.Number - b.Number })
					}
					if changed("conclude") {
						c := assessment.Conclusion{Outcome: conclude, Rationale: rationale, By: orDefault(by, env.Actor), On: orDefault(on, env.On())}
						if err := assessment.CheckConclusion(inc, c, env.Today); err != nil {
							return err
						}
						inc.Conclusion = &c
					}
					return nil
				})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Recorded for incident %s.\n", rec.Incident.ShortID())
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&secured, "secured", "", "confirm the derived determination, or override it: secured or unsecured (with --reason)")
	fl.StringVar(&basis, "basis", "", "why secured: encryption or destruction")
	fl.StringVar(&reason, "reason", "", "why you override the derived determination")
	fl.StringVar(&keys, "keys", "", "were the keys compromised too: compromised, not-compromised or unknown")
	fl.StringVar(&exposure, "exposure", "", "how the data was reached: "+assessment.ChoiceValues(assessment.ExposureChoices))
	fl.BoolVar(&refresh, "refresh-assets", false, "copy the affected assets and vendors from the inventory again")
	fl.StringVar(&exception, "exception", "", "none, or the exception of §164.402(1) that applies: workforce, authorized or retention")
	fl.StringVar(&exceptionReason, "exception-reason", "", "the facts that make the exception apply")
	fl.IntVar(&factor, "factor", 0, "the factor of §164.402(2) to record, 1 to 4")
	fl.StringVar(&findings, "findings", "", "what was found for the factor")
	fl.StringArrayVar(&evidence, "evidence", nil, "evidence for the factor (ID, SHA-256 prefix or E-number); repeat")
	fl.StringVar(&conclude, "conclude", "", "the conclusion: "+assessment.ChoiceValues(assessment.Outcomes))
	fl.StringVar(&rationale, "rationale", "", "why the conclusion follows")
	fl.StringVar(&by, "by", "", "who concluded (default: the --actor)")
	fl.StringVar(&on, "on", "", "when it was concluded (YYYY-MM-DD, default today)")
	return cmd
}

var evidenceRefRe = regexp.MustCompile(`^[Ee][0-9]+$`)

// resolveEvidenceRefs turns evidence references into IDs of the assessment's evidence.
func resolveEvidenceRefs(ctx context.Context, s *store.Store, assessmentID string, refs []string) ([]string, error) {
	var byRef map[string]string
	var out []string
	for _, ref := range refs {
		if evidenceRefRe.MatchString(ref) {
			if byRef == nil {
				snap, err := s.Snapshot(ctx, assessmentID)
				if err != nil {
					return nil, err
				}
				byRef = map[string]string{}
				for id, r := range assessment.Analyze(snap).EvidenceRef {
					byRef[r] = id
				}
			}
			id, ok := byRef[strings.ToUpper(ref)]
			if !ok {
				return nil, fmt.Errorf("the assessment has no evidence %s; see `safeguard evidence list`", strings.ToUpper(ref))
			}
			out = append(out, id)
			continue
		}
		e, err := s.ResolveEvidence(ctx, assessmentID, ref)
		if err != nil {
			return nil, err
		}
		out = append(out, e.ID)
	}
	return out, nil
}

// ---- notices, delays, deadlines, risks ----

func newIncidentNotifyCmd(g *globals) *cobra.Command {
	var n assessment.Notice
	var content, contact, evidence []string
	var subBy, tollFree string
	var sub int
	cmd := &cobra.Command{
		Use:   "notify INCIDENT --to RECIPIENT --date D",
		Short: "Record a notice sent: to whom, when, how, and what it contained",
		Long: "Record a notice the organization sent. For notices to individuals and the media, --content lists the elements " +
			"of §164.404(c)(1) the notice contains (what-happened, phi-types, steps, mitigation, contact), --contact the contact " +
			"procedures it offers (toll-free, email, website, postal; at least one), and --plain-language confirms §164.404(c)(2); " +
			"the memo lists what is missing. Notices to individuals may go out in several mailings: --count says how many each " +
			"reached.\n\n" +
			"Substitute notice (§164.404(d)(2)) for individuals whose contact information was insufficient or out of date: " +
			"--substitute N with --substitute-by. Fewer than 10: written, phone or other. 10 or more: website (a conspicuous " +
			"posting on the home page for 90 days) or media (major print or broadcast media where they likely live), with a " +
			"toll-free number active for at least 90 days (--toll-free).\n\n" +
			"A business associate records its notice to the covered entity with --to covered-entity, and --identities when it " +
			"identified each individual (§164.410(c)(1)). The date may not be before the discovery or in the future.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("to") {
				return fmt.Errorf("say who was notified with --to individuals, media, hhs, covered-entity or other")
			}
			if !cmd.Flags().Changed("date") {
				return fmt.Errorf("give the date the notice was sent with --date YYYY-MM-DD")
			}
			n.Content, n.Contact = trimAll(content), trimAll(contact)
			if cmd.Flags().Changed("substitute") || subBy != "" || tollFree != "" {
				n.Substitute = &assessment.Substitute{Count: sub, By: subBy, TollFree: tollFree}
			}
			if n.To == assessment.ToMedia {
				n.State = strings.ToUpper(n.State)
			}
			return g.withIncident(cmd, args[0], func(ctx context.Context, s *store.Store, rec store.IncidentRecord) error {
				var err error
				if n.Evidence, err = resolveEvidenceRefs(ctx, s, rec.AssessmentID, evidence); err != nil {
					return err
				}
				_, err = s.UpdateIncident(ctx, rec.Incident.ID, store.AnyVersion, func(inc *assessment.Incident, env *store.IncidentEnv) error {
					n.By = env.Actor
					if err := assessment.CheckNotice(inc, n, env.Entity, env.Today); err != nil {
						return err
					}
					inc.Notices = append(inc.Notices, n)
					slices.SortStableFunc(inc.Notices, func(a, b assessment.Notice) int { return strings.Compare(a.Date, b.Date) })
					return nil
				})
				if err != nil {
					return err
				}
				msg := fmt.Sprintf("Recorded the notice to %s on %s for incident %s.", n.To, n.Date, rec.Incident.ShortID())
				if gaps := assessment.NoticeGaps(n); len(gaps) > 0 {
					msg += " Content check: " + strings.Join(gaps, "; ") + "."
				}
				fmt.Fprintln(cmd.OutOrStdout(), msg)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&n.To, "to", "", "who was notified: "+assessment.ChoiceValues(assessment.NoticeRecipients))
	fl.StringVar(&n.Date, "date", "", "when it was sent (YYYY-MM-DD)")
	fl.StringVar(&n.Method, "method", "", "how: "+assessment.ChoiceValues(assessment.NoticeMethods))
	fl.IntVar(&n.Count, "count", 0, "how many individuals this notice reached (default: all)")
	fl.StringVar(&n.State, "state", "", "media notice: the state or jurisdiction it served")
	fl.StringVar(&n.Recipient, "recipient", "", "other notices: who received it (a state attorney general…)")
	fl.StringSliceVar(&content, "content", nil, "elements of §164.404(c)(1) included: "+assessment.ChoiceValues(assessment.NoticeElements))
	fl.StringSliceVar(&contact, "contact", nil, "contact procedures offered: "+assessment.ChoiceValues(assessment.ContactMethods))
	fl.BoolVar(&n.PlainLanguage, "plain-language", false, "the notice is written in plain language (§164.404(c)(2))")
	fl.BoolVar(&n.Identities, "identities", false, "to a covered entity: each affected individual is identified (§164.410(c)(1))")
	fl.IntVar(&sub, "substitute", 0, "substitute notice: how many individuals had insufficient or out-of-date contact information")
	fl.StringVar(&subBy, "substitute-by", "", "substitute notice form: "+assessment.ChoiceValues(assessment.SubstituteMethods))
	fl.StringVar(&tollFree, "toll-free", "", "substitute notice for 10 or more: the toll-free number (active 90 days)")
	fl.StringVar(&n.Note, "note", "", "anything else worth keeping")
	fl.StringArrayVar(&evidence, "evidence", nil, "evidence of the notice (a copy of the letter…); repeat")
	return cmd
}

func newIncidentDelayCmd(g *globals) *cobra.Command {
	var d assessment.LawEnforcementDelay
	var evidence []string
	cmd := &cobra.Command{
		Use:   "delay INCIDENT --law-enforcement-delay written|oral --stated D --official TEXT",
		Short: "Record a law-enforcement statement that delays notice (§164.412)",
		Long: "Record a law enforcement official's statement that notice would impede a criminal investigation or damage " +
			"national security (§164.412). A written statement delays notice for the period it specifies (--until, its last " +
			"day). An oral statement delays it no longer than 30 days from the statement (--until defaults to that day and " +
			"may be earlier), and must be documented with the official's identity (--official); a written statement made " +
			"within those 30 days takes over.\n\n" +
			"safeguard pauses the clocks for the delay: the days after the statement through its last day are not counted " +
			"toward the 60 days, and every due date shows the paused days. Notice is still due without unreasonable delay " +
			"once the delay ends.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if d.Kind == "" {
				return fmt.Errorf("say whether the statement was written or oral with --law-enforcement-delay written|oral")
			}
			return g.withIncident(cmd, args[0], func(ctx context.Context, s *store.Store, rec store.IncidentRecord) error {
				var err error
				if d.Evidence, err = resolveEvidenceRefs(ctx, s, rec.AssessmentID, evidence); err != nil {
					return err
				}
				_, err = s.UpdateIncident(ctx, rec.Incident.ID, store.AnyVersion, func(inc *assessment.Incident, env *store.IncidentEnv) error {
					if err := assessment.CheckDelay(inc, d, env.Today); err != nil {
						return err
					}
					inc.Delays = append(inc.Delays, assessment.NormalizeDelay(d))
					return nil
				})
				if err != nil {
					return err
				}
				nd := assessment.NormalizeDelay(d)
				fmt.Fprintf(cmd.OutOrStdout(), "Recorded the %s law-enforcement statement of %s: notice is delayed through %s.\n", d.Kind, d.Stated, nd.Until)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&d.Kind, "law-enforcement-delay", "", "the statement: written or oral")
	fl.StringVar(&d.Stated, "stated", "", "date of the statement (YYYY-MM-DD)")
	fl.StringVar(&d.Until, "until", "", "last day of the delay (written: required; oral: at most 30 days after)")
	fl.StringVar(&d.Official, "official", "", "the official who made it, with the agency")
	fl.StringVar(&d.Note, "note", "", "what was said or asked")
	fl.StringArrayVar(&evidence, "evidence", nil, "evidence (the written statement, a note of the call); repeat")
	return cmd
}

func newIncidentDeadlineCmd(g *globals) *cobra.Command {
	var d assessment.OtherDeadline
	cmd := &cobra.Command{
		Use:   "deadline INCIDENT --name NAME --due D --basis TEXT",
		Short: "Add another deadline (a state breach law's), or mark one done",
		Long: "State breach laws and contracts may set shorter deadlines or other recipients (a state attorney general). " +
			"safeguard has no table of state laws: name each deadline, its date and its basis yourself. Giving the name of an " +
			"existing deadline with --done marks it met on that date.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withIncident(cmd, args[0], func(ctx context.Context, s *store.Store, rec store.IncidentRecord) error {
				_, err := s.UpdateIncident(ctx, rec.Incident.ID, store.AnyVersion, func(inc *assessment.Incident, env *store.IncidentEnv) error {
					i := slices.IndexFunc(inc.Deadlines, func(x assessment.OtherDeadline) bool { return strings.EqualFold(x.Name, strings.TrimSpace(d.Name)) })
					if i >= 0 && !cmd.Flags().Changed("due") && !cmd.Flags().Changed("basis") {
						if d.Done == "" {
							return fmt.Errorf("the deadline %q exists; give --done YYYY-MM-DD to mark it met, or --due and --basis to change it", d.Name)
						}
						inc.Deadlines[i].Done = d.Done
						return assessment.CheckOtherDeadline(inc.Deadlines[i])
					}
					d.Name = strings.TrimSpace(d.Name)
					if err := assessment.CheckOtherDeadline(d); err != nil {
						return err
					}
					if i >= 0 {
						inc.Deadlines[i] = d
					} else {
						inc.Deadlines = append(inc.Deadlines, d)
					}
					return nil
				})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Recorded the deadline %q for incident %s.\n", d.Name, rec.Incident.ShortID())
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&d.Name, "name", "", "what is due (\"Notice to the Ohio attorney general\")")
	fl.StringVar(&d.Due, "due", "", "the last day (YYYY-MM-DD)")
	fl.StringVar(&d.Basis, "basis", "", "where it comes from (a statute, a contract clause)")
	fl.StringVar(&d.Done, "done", "", "the day it was met (YYYY-MM-DD)")
	cmd.MarkFlagRequired("name")
	return cmd
}

func newIncidentLinkCmd(g *globals) *cobra.Command {
	var risk, in, note string
	var likelihood int
	cmd := &cobra.Command{
		Use:   "link INCIDENT --risk R --likelihood N --note TEXT",
		Short: "Raise a risk's likelihood because of an incident, with a note",
		Long: "An incident is information about how likely a threat is. `link` raises the likelihood of a risk in the " +
			"incident's assessment (or, with --in, in a revision of it that is not final) and keeps the link and note on the " +
			"incident; the risk analysis report shows both. The risk is named by its ID, an ID prefix or its register " +
			"reference (R3).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withIncident(cmd, args[0], func(ctx context.Context, s *store.Store, rec store.IncidentRecord) error {
				target := rec.AssessmentID
				if in != "" {
					var err error
					if target, err = s.ResolveAssessment(ctx, in); err != nil {
						return err
					}
				}
				snap, err := s.Snapshot(ctx, target)
				if err != nil {
					return err
				}
				r, err := resolveRisk(assessment.Analyze(snap), risk)
				if err != nil {
					return err
				}
				l, err := s.LinkRisk(ctx, rec.Incident.ID, target, r.ID, likelihood, note)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Raised the likelihood of %q from %d to %d.\n", l.RiskTitle, l.From, l.To)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&risk, "risk", "", "the risk (ID, prefix or R-number)")
	fl.IntVar(&likelihood, "likelihood", 0, "the new likelihood, higher than now (1 to 5)")
	fl.StringVar(&note, "note", "", "what the incident showed")
	fl.StringVar(&in, "in", "", "the assessment holding the risk, when it is a revision of the incident's")
	cmd.MarkFlagRequired("risk")
	cmd.MarkFlagRequired("likelihood")
	return cmd
}

func newIncidentCloseCmd(g *globals) *cobra.Command {
	var note string
	cmd := &cobra.Command{
		Use:   "close INCIDENT [--note TEXT]",
		Short: "Close a concluded incident (incidents are never deleted)",
		Long: "Close an incident whose conclusion is recorded and whose notices are done. The annual log to HHS may still " +
			"follow (`safeguard incident log`). A closed incident stays in the register and the audit trail; reopen it with " +
			"`incident reopen` to change it. Incidents cannot be deleted: the record is kept six years (§164.316(b)(2)(i)).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withIncident(cmd, args[0], func(ctx context.Context, s *store.Store, rec store.IncidentRecord) error {
				if _, err := s.CloseIncident(ctx, rec.Incident.ID, store.AnyVersion, note); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Closed incident %s.\n", rec.Incident.ShortID())
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&note, "note", "", "a closing note")
	return cmd
}

func newIncidentReopenCmd(g *globals) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "reopen INCIDENT --reason TEXT",
		Short: "Reopen a closed incident",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withIncident(cmd, args[0], func(ctx context.Context, s *store.Store, rec store.IncidentRecord) error {
				if _, err := s.ReopenIncident(ctx, rec.Incident.ID, store.AnyVersion, reason); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Reopened incident %s.\n", rec.Incident.ShortID())
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why it is reopened")
	return cmd
}

// ---- outputs ----

func newIncidentMemoCmd(g *globals) *cobra.Command {
	var out string
	var force, draft bool
	cmd := &cobra.Command{
		Use:   "memo INCIDENT --out FILE.pdf [--force] [--draft]",
		Short: "Write the incident's decision memo as a PDF",
		Long: "Write the breach decision memo: the facts, the secured/unsecured determination with the asset data behind it, " +
			"the exceptions, the four factors with their evidence, the conclusion and who made it, the clocks and what was " +
			"sent when, the evidence index and the audit chain head. The workspace is verified first and the result printed " +
			"in the memo. The same record on the same day gives a byte-identical file.\n\n" +
			"An incident still open without a conclusion gets only a draft (--draft), marked as such on every page.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOut(out, force); err != nil {
				return err
			}
			return g.withIncident(cmd, args[0], func(ctx context.Context, s *store.Store, rec store.IncidentRecord) error {
				if rec.Incident.Conclusion == nil && !draft {
					return fmt.Errorf("incident %s has no conclusion yet, so its memo can only be a draft; add --draft, or record the conclusion with `safeguard incident assess %s --conclude OUTCOME --rationale TEXT`",
						rec.Incident.ShortID(), rec.Incident.ShortID())
				}
				if rec.Incident.Conclusion != nil && draft {
					return fmt.Errorf("incident %s is concluded; leave out --draft", rec.Incident.ShortID())
				}
				snap, res, err := s.VerifiedSnapshot(ctx, rec.AssessmentID)
				if err != nil {
					return err
				}
				progress := newProgressLine(cmd, "Writing the memo", 0)
				b, err := pdf.RenderMemo(snap, rec.Incident.ID, pdf.MemoOptions{AsOf: today(), Progress: progress.units})
				progress.end()
				if err != nil {
					return err
				}
				if err := writeFile(cmd.ErrOrStderr(), out, force, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s (%s) for incident %s.\n", out, assessment.FormatSize(int64(len(b))), rec.Incident.ShortID())
				if !res.OK() {
					fmt.Fprintf(cmd.ErrOrStderr(), "Warning: verification found %d problems (first: %s); the memo's record section lists them.\n", len(res.Problems), res.Problems[0])
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "PDF file to write (required)")
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing file")
	cmd.Flags().BoolVar(&draft, "draft", false, "write a draft memo of an incident without a conclusion")
	return cmd
}

func newIncidentLogCmd(g *globals) *cobra.Command {
	var out string
	var year int
	var force bool
	cmd := &cobra.Command{
		Use:   "log ID --year YYYY --out FILE.csv [--force]",
		Short: "Write the annual log of breaches under 500 individuals for HHS (CSV)",
		Long: "A covered entity reports breaches of unsecured PHI affecting fewer than 500 individuals to HHS in a log, no later " +
			"than 60 days after the end of the calendar year in which they were discovered (§164.408(c)). This writes one row " +
			"per such breach discovered in --year (concluded as a breach, fewer than 500 individuals), among the incidents recorded " +
			"against the assessment and the one it revises, with the facts the HHS " +
			"breach report asks for, ready to copy into it. Breaches of 500 or more are reported with the individual notices " +
			"and are not in the log. The CSV is UTF-8 with a byte order mark and CRLF line ends, like every safeguard CSV.",
		Example: "  safeguard incident log 3f2a --year 2026 --out breach-log-2026.csv",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if year < 2009 || year > 9999 {
				return fmt.Errorf("give the calendar year with --year YYYY")
			}
			if err := checkOut(out, force); err != nil {
				return err
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				snap, err := s.Snapshot(ctx, id)
				if err != nil {
					return err
				}
				if snap.Profile.EntityType == assessment.EntityBusinessAssociate {
					return fmt.Errorf("the annual log to HHS is a covered entity's report (§164.408(c)), and this assessment's organization is a business associate")
				}
				var res reports.BreachLogResult
				err = writeFile(cmd.ErrOrStderr(), out, force, func(w io.Writer) error {
					var err error
					res, err = reports.WriteBreachLog(w, snap, year)
					return err
				})
				if err != nil {
					return err
				}
				due, _ := assessment.YearEndDeadline(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), nil)
				fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s: %s discovered in %d; the log is due to HHS by %s (§164.408(c)).\n",
					out, assessment.Plural(res.Rows, "breach under 500", "breaches under 500"), year, assessment.DocDate(due))
				if len(res.Uncounted) > 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "Warning: %s discovered in %d %s no number of individuals, so %s not in the log: %s. Record the counts with `safeguard incident edit`.\n",
						assessment.Plural(len(res.Uncounted), "breach", "breaches"), year, map[bool]string{true: "has", false: "have"}[len(res.Uncounted) == 1],
						map[bool]string{true: "it is", false: "they are"}[len(res.Uncounted) == 1], strings.Join(res.Uncounted, ", "))
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "CSV file to write (required)")
	cmd.Flags().IntVar(&year, "year", 0, "the calendar year of discovery (required)")
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing file")
	cmd.MarkFlagRequired("year")
	cmd.MarkFlagRequired("out")
	return cmd
}
