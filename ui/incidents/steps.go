package incidents

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/store"
	"safeguard/ui/common"
)

// The forms of the decision's steps. Each builds its fields from the record as loaded,
// checks what was typed with the domain's Check* functions before saving, and saves
// through one of the store's incident changes (one audited transaction each), which
// checks the whole record again against the store's clock. After a save the page moves
// to the step that follows in the decision.

// save runs a change as a command: a SavedMsg (which closes the form and reloads), then,
// when it worked, the page's next step.
func (m *Model) save(notice string, fn func() (focusMsg, error)) tea.Cmd {
	return func() tea.Msg {
		next, err := fn()
		if err != nil {
			return common.SavedMsg{Err: plain(err)}
		}
		return tea.BatchMsg{common.Emit(common.SavedMsg{Notice: notice}), common.Emit(next)}
	}
}

// update saves a change made by fn inside the store's transaction to the incident v shows,
// refused if someone else changed the incident after it was loaded.
func (m *Model) update(notice string, v *assessment.IncidentView, next focusMsg, fn func(*assessment.Incident, *store.IncidentEnv) error) tea.Cmd {
	st, ctx := m.e.Store, m.e.Ctx
	id, seen := v.ID, v.Version
	next.id = id
	return m.save(notice, func() (focusMsg, error) {
		_, err := st.UpdateIncident(ctx, id, seen, fn)
		return next, err
	})
}

// plain rewords a refusal from the domain or the store for the interface: the clause that
// tells a CLI user which flag or command to use is cut, since the form shows where each
// value goes. The sentence starts with a capital and ends with a period.
func plain(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, mark := range []string{"--", "`safeguard"} {
		i := strings.Index(msg, mark)
		if i < 0 {
			continue
		}
		if cut := max(strings.LastIndex(msg[:i], "; "), strings.LastIndex(msg[:i], " ("), strings.LastIndex(msg[:i], ": ")); cut > 0 {
			msg = msg[:cut]
		}
	}
	msg = strings.TrimSpace(msg)
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return errors.New(sentence(msg))
}

// sentence capitalizes the first letter.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// subject names the incident a form is about.
func subject(v *assessment.IncidentView) string { return v.ShortID() + " · " + oneLine(v.Title) }

// ---- facts ----

// factsForm records a new incident (v nil) or corrects an incident's facts.
func (m *Model) factsForm(v *assessment.IncidentView) *form {
	d := m.data
	inc := assessment.Incident{DiscoveredBy: assessment.DiscoveredByPractice}
	title, subj := "Record an incident", "The clocks start on the day it was discovered."
	var assetIDs, vendorIDs []string
	if v != nil {
		inc = *v.Incident
		title, subj = "Correct the facts", subject(v)
		for _, a := range inc.Assets {
			assetIDs = append(assetIDs, a.ID)
		}
		for _, x := range inc.Vendors {
			vendorIDs = append(vendorIDs, x.ID)
		}
	}
	var assets, vendors []assessment.Choice
	for _, a := range d.Snap.Assets {
		assets = append(assets, assessment.Choice{Value: a.ID, Label: oneLine(a.Name) + " (" + common.AssetKind(d.Catalog, a.Kind).Title + ")"})
	}
	for _, a := range inc.Assets { // copies of assets no longer in the inventory stay choosable
		if !slices.ContainsFunc(assets, func(c assessment.Choice) bool { return c.Value == a.ID }) {
			assets = append(assets, assessment.Choice{Value: a.ID, Label: oneLine(a.Name) + " (no longer in the inventory)"})
		}
	}
	for _, x := range d.Snap.Vendors {
		vendors = append(vendors, assessment.Choice{Value: x.ID, Label: oneLine(x.Name)})
	}
	for _, x := range inc.Vendors {
		if !slices.ContainsFunc(vendors, func(c assessment.Choice) bool { return c.Value == x.ID }) {
			vendors = append(vendors, assessment.Choice{Value: x.ID, Label: oneLine(x.Name) + " (no longer in the inventory)"})
		}
	}
	individuals := ""
	if inc.Individuals > 0 {
		individuals = strconv.Itoa(inc.Individuals)
	}
	types := append([]assessment.Choice{{Value: "", Label: "Not stated"}}, assessment.IncidentTypes...)
	byBA := func(f *form) func() bool {
		return func() bool { return f.field("by").value() == assessment.DiscoveredByBA }
	}
	f := newForm(m.e, title, subj,
		lineField("title", "Title", "A short name: “Stolen clinic laptop”.", inc.Title, "what happened, in a few words", assessment.MaxNameLen),
		areaField("description", "What happened", "The facts as known: what, where, how it was found.", inc.Description, ""),
		choiceField("type", "Type", "The categories of HHS's breach report.", types, inc.Type),
		boolField("ransomware", "Ransomware", "HHS presumes ransomware encryption of ePHI a breach unless the four factors show otherwise.", inc.Ransomware),
		dateField("discovered", "Discovered on", "The first day it was known to your workforce, or to the business associate that found it (YYYY-MM-DD).", inc.Discovered),
		choiceField("by", "Discovered by", "", []assessment.Choice{
			{Value: assessment.DiscoveredByPractice, Label: "Our own workforce"},
			{Value: assessment.DiscoveredByBA, Label: "A business associate (a vendor or contractor)"},
		}, inc.DiscoveredBy),
		boolField("agent", "BA is our agent", "Yes when the business associate acts as your agent (you direct how it works): its discovery starts your clock (§164.404(a)(2)).", inc.Agent),
		dateField("banotified", "BA gave notice on", "The day the business associate told you. For one that is not your agent, your clock starts then.", inc.BANotified),
		lineField("foundby", "Found by", "Who noticed it.", inc.FoundBy, "name or role", assessment.MaxNameLen),
		dateField("from", "Occurred from", "First day of the incident, if known.", inc.OccurredFrom),
		dateField("to", "Occurred to", "Last day, if known.", inc.OccurredTo),
		multiField("assets", "Affected assets", "The systems involved, from the inventory: their encryption decides whether the PHI was secured. Copied as they stand today.", assets, assetIDs),
		multiField("vendors", "Vendors involved", "A business associate or cloud provider involved.", vendors, vendorIDs),
		multiField("data", "Information involved", "The kinds of identifiers and clinical data.", assessment.DataTypes, inc.Data),
		boolField("part2", "Part 2 records", "42 CFR Part 2 substance use disorder records were involved.", inc.Part2),
		lineField("individuals", "Individuals", "How many people are affected; blank while not known (the sum of the states if you give them).", individuals, "number", 12),
		lineField("states", "Residents by state", "Per state or jurisdiction, as OH=560, KY=60 (unknown=N for residence not known). Media notice is due where more than 500 reside.", assessment.FormatStateCounts(inc.States), "OH=560, KY=60", 2000),
	)
	f.field("title").check = common.Name("incident title")
	f.field("discovered").check = common.Date("discovery date", true)
	f.field("agent").show = byBA(f)
	f.field("banotified").show = byBA(f)
	f.field("individuals").check = common.Int("number of individuals", 0, common.NoLimit)
	f.field("states").check = func(s string) error { _, err := assessment.ParseStateCounts(s); return plain(err) }
	f.submit = func(f *form) (tea.Cmd, error) {
		facts, err := m.readFacts(f, inc)
		if err != nil {
			return nil, err
		}
		as, vs := f.field("assets").values(), f.field("vendors").values()
		st, ctx, aid := m.e.Store, m.e.Ctx, d.ID()
		if v == nil {
			return m.save("Recorded the incident; its clocks are running.", func() (focusMsg, error) {
				out, err := st.AddIncident(ctx, aid, facts, as, vs)
				return focusMsg{id: out.ID, step: stepOverview}, err
			}), nil
		}
		id, seen := v.ID, v.Version
		return m.save("Saved the facts.", func() (focusMsg, error) {
			_, err := st.EditIncident(ctx, id, seen, facts, as, vs)
			return focusMsg{id: id, step: stepFacts}, err
		}), nil
	}
	return f
}

// readFacts builds the facts from the form and checks them as the store will, with the
// interface's wording for the mistakes a form allows.
func (m *Model) readFacts(f *form, orig assessment.Incident) (assessment.Incident, error) {
	inc := assessment.Incident{
		Title: f.field("title").value(), Description: f.field("description").value(), Type: f.field("type").value(),
		Ransomware: f.field("ransomware").yes(), Discovered: f.field("discovered").value(), DiscoveredBy: f.field("by").value(),
		FoundBy: f.field("foundby").value(), OccurredFrom: f.field("from").value(), OccurredTo: f.field("to").value(),
		Data: f.field("data").values(), Part2: f.field("part2").yes(),
		// How the data was reached and the keys are recorded in the Secured? step.
		Exposure: orig.Exposure, Keys: orig.Keys,
	}
	if inc.DiscoveredBy == assessment.DiscoveredByBA {
		inc.Agent, inc.BANotified = f.field("agent").yes(), f.field("banotified").value()
		if !inc.Agent && inc.BANotified == "" {
			return inc, errors.New("For a business associate that is not your agent, your clock starts when it gave notice: give that date in “BA gave notice on”, or answer yes to “BA is our agent”.")
		}
	}
	var err error
	if inc.Individuals, err = common.ParseInt("number of individuals", 0, common.NoLimit, f.field("individuals").value()); err != nil {
		return inc, plain(err)
	}
	if inc.States, err = assessment.ParseStateCounts(f.field("states").value()); err != nil {
		return inc, plain(err)
	}
	if len(inc.States) > 0 && inc.Individuals == 0 {
		inc.Individuals = inc.StateTotal()
	}
	if len(inc.States) > 0 && inc.StateTotal() != inc.Individuals {
		return inc, fmt.Errorf("The residents by state add up to %s but Individuals says %s; make them agree (unknown=N counts those whose state is not known).",
			assessment.FormatInt(inc.StateTotal()), assessment.FormatInt(inc.Individuals))
	}
	if err := assessment.CheckIncidentFacts(&inc, m.data.Today); err != nil {
		return inc, plain(err)
	}
	return inc, nil
}

// ---- secured or not ----

const (
	decideLater = "later"
	decideOver  = "override"
)

// securedForm records how the data was reached, whether the keys were compromised, and
// the assessor's call on the derived determination. The derivation above the fields
// follows the values as they change.
func (m *Model) securedForm(v *assessment.IncidentView) *form {
	d := m.data
	def := assessment.DefaultExposure(v.Type)
	notRecorded := "Not recorded: taken as through the running system"
	if def != "" {
		notRecorded = "Not recorded: taken from the type as " + strings.ToLower(assessment.ChoiceLabel(assessment.ExposureChoices, def))
	}
	exposures := append([]assessment.Choice{{Value: "", Label: notRecorded}}, assessment.ExposureChoices...)
	keys := []assessment.Choice{{Value: "", Label: "Not known whether the keys were compromised"},
		{Value: assessment.KeysSafe, Label: assessment.ChoiceLabel(assessment.KeyChoices, assessment.KeysSafe)},
		{Value: assessment.KeysCompromised, Label: assessment.ChoiceLabel(assessment.KeyChoices, assessment.KeysCompromised)}}
	later := "Decide later: save how the data was reached and the keys only"
	current := decideLater
	if v.Secured != nil {
		later = "Keep the determination as recorded (" + v.Final + ")"
		current = v.Secured.Decision
	}
	decisions := []assessment.Choice{{Value: decideLater, Label: later},
		{Value: assessment.DecideConfirm, Label: "Confirm the derived determination shown above"},
		{Value: assessment.Secured, Label: "Override: the PHI was secured"},
		{Value: assessment.Unsecured, Label: "Override: the PHI was unsecured"}}
	bases := []assessment.Choice{
		{Value: assessment.BasisEncryption, Label: "Encrypted as HHS's guidance specifies, the keys not compromised"},
		{Value: assessment.BasisDestruction, Label: "Destroyed: paper shredded, media cleared, purged or destroyed (NIST SP 800-88)"}}
	basis, reason := "", ""
	if v.Secured != nil {
		basis, reason = v.Secured.Basis, v.Secured.Reason
	}
	fields := []*field{}
	stale := staleCopies(d.Snap, v.Incident)
	if stale {
		fields = append(fields, boolField("refresh", "Copy assets again", "The inventory changed since the affected assets were copied onto the incident. Yes copies them again, so the derivation reads the inventory as it is now.", false))
	}
	fields = append(fields,
		choiceField("exposure", "How it was reached", "Encryption at rest protects stored data taken away; it does not protect data read through the running system.", exposures, v.Exposure),
		choiceField("keys", "The keys", "Encrypted data stays secured only if the keys were not compromised too.", keys, v.Keys),
		choiceField("decision", "Determination", "Confirm what the data shows, or override it with a reason.", decisions, current),
		choiceField("basis", "Why secured", "", bases, basis),
		areaField("reason", "Reason", "Why the recorded data does not show the real situation.", reason, ""),
	)
	f := newForm(m.e, "Was the PHI unsecured?", subject(v), fields...)
	f.field("basis").show = func() bool { return f.field("decision").value() == assessment.Secured }
	f.field("reason").show = func() bool {
		dv := f.field("decision").value()
		return dv == assessment.Secured || dv == assessment.Unsecured
	}
	preview := func(f *form) *assessment.Incident {
		inc := *v.Incident
		inc.Exposure, inc.Keys = f.field("exposure").value(), f.field("keys").value()
		if r := f.field("refresh"); r != nil && r.yes() {
			inc.Assets, inc.Vendors = recapture(d.Snap, &inc, assessment.ISODate(d.Today))
		}
		return &inc
	}
	f.intro = func(f *form, w int) []string {
		r := assessment.DeriveSecured(preview(f))
		s := m.styles
		out := []string{s.Subtle.Render("Derived from the affected assets: ") + resultStyle(s, r.Result).Render(r.Result)}
		out = append(out, common.Wrap(r.Summary, w)...)
		for _, a := range r.Assets {
			out = append(out, resultStyle(s, a.Result).Render(common.Truncate("  • "+a.Name+": "+a.Result, w)))
			for _, l := range common.Hang("    ", strings.Join(a.Reasons, " "), w) {
				out = append(out, s.Subtle.Render(l))
			}
		}
		return out
	}
	f.submit = func(f *form) (tea.Cmd, error) {
		inc := preview(f)
		derived := assessment.DeriveSecured(inc).Result
		dec := f.field("decision").value()
		var sd *assessment.SecuredDecision
		if dec != decideLater {
			x := assessment.SecuredDecision{Derived: derived, Decision: dec, Reason: f.field("reason").value(), By: "-", On: assessment.ISODate(d.Today)}
			if dec == assessment.Secured {
				x.Basis = f.field("basis").value()
			}
			if dec != assessment.Secured && dec != assessment.Unsecured {
				x.Reason = ""
			}
			switch {
			case dec == assessment.DecideConfirm && derived == assessment.Undetermined:
				return nil, errors.New("The recorded data cannot show whether the PHI was secured, so there is nothing to confirm; override it with your determination and the reason.")
			case dec != assessment.DecideConfirm && dec != derived && x.Reason == "":
				return nil, fmt.Errorf("Overriding the derived determination (%s) needs a reason: say why in Reason.", derived)
			}
			if err := assessment.CheckSecuredDecision(x); err != nil {
				return nil, plain(err)
			}
			sd = &x
		}
		refresh := false
		if r := f.field("refresh"); r != nil {
			refresh = r.yes()
		}
		exposure, keys := inc.Exposure, inc.Keys
		next := stepException
		final := ""
		switch {
		case sd != nil:
			final = sd.Decision
			if final == assessment.DecideConfirm {
				final = sd.Derived
			}
		case v.Secured != nil:
			final = v.Final
		}
		if final == assessment.Secured {
			next = stepConclusion
		}
		if sd == nil && v.Secured == nil {
			next = stepSecured
		}
		return m.update("Saved the secured/unsecured step.", v, focusMsg{step: next}, func(inc *assessment.Incident, env *store.IncidentEnv) error {
			if refresh {
				var err error
				if inc.Assets, inc.Vendors, err = recaptureAll(env.Snapshot, inc, env.On()); err != nil {
					return err
				}
			}
			inc.Exposure, inc.Keys = exposure, keys
			if sd == nil {
				return nil
			}
			x := *sd
			x.Derived = assessment.DeriveSecured(inc).Result
			if x.Decision == assessment.DecideConfirm && x.Derived != derived {
				return fmt.Errorf("the derivation changed while you decided (it now reads %s); review it and decide again", x.Derived)
			}
			x.By, x.On = env.Actor, env.On()
			if err := assessment.CheckSecuredDecision(x); err != nil {
				return err
			}
			inc.Secured = &x
			return nil
		}), nil
	}
	return f
}

// staleCopies reports whether the inventory now differs from the incident's copies of its
// affected assets or vendors.
func staleCopies(snap *assessment.Snapshot, inc *assessment.Incident) bool {
	for _, a := range inc.Assets {
		now, ok := assessment.CaptureAsset(snap, a.ID, a.Recorded)
		if ok && !reflect.DeepEqual(now, a) {
			return true
		}
	}
	for _, x := range inc.Vendors {
		now, ok := assessment.CaptureVendor(snap, x.ID)
		if ok && !reflect.DeepEqual(now, x) {
			return true
		}
	}
	return false
}

// recapture is the incident's assets and vendors copied again from snap; those no longer
// in the inventory keep their copies (for the preview).
func recapture(snap *assessment.Snapshot, inc *assessment.Incident, on string) ([]assessment.IncidentAsset, []assessment.IncidentVendor) {
	as := slices.Clone(inc.Assets)
	for i, a := range as {
		if c, ok := assessment.CaptureAsset(snap, a.ID, on); ok {
			as[i] = c
		}
	}
	vs := slices.Clone(inc.Vendors)
	for i, x := range vs {
		if c, ok := assessment.CaptureVendor(snap, x.ID); ok {
			vs[i] = c
		}
	}
	return as, vs
}

// recaptureAll copies every asset and vendor again, refusing when one left the inventory,
// as the store's RefreshAssets does.
func recaptureAll(snap *assessment.Snapshot, inc *assessment.Incident, on string) ([]assessment.IncidentAsset, []assessment.IncidentVendor, error) {
	as, vs := recapture(snap, inc, on)
	for _, a := range inc.Assets {
		if _, ok := snap.Asset(a.ID); !ok {
			return nil, nil, fmt.Errorf("the asset %s is no longer in the inventory, so the copies cannot be refreshed; keep them (answer no to “Copy assets again”)", a.Name)
		}
	}
	for _, x := range inc.Vendors {
		if _, ok := snap.Vendor(x.ID); !ok {
			return nil, nil, fmt.Errorf("the vendor %s is no longer in the inventory, so the copies cannot be refreshed; keep them (answer no to “Copy assets again”)", x.Name)
		}
	}
	return as, vs, nil
}

// ---- exception ----

func (m *Model) exceptionForm(v *assessment.IncidentView) *form {
	opts := append([]assessment.Choice{{Value: assessment.ExceptionNone, Label: "None of the three exceptions applies"}}, assessment.Exceptions...)
	applies, reason := assessment.ExceptionNone, ""
	if e := v.Exception; e != nil {
		applies, reason = e.Applies, e.Reason
	}
	f := newForm(m.e, "Does an exception apply?", subject(v),
		choiceField("applies", "Exception", "The three exceptions to the definition of breach, §164.402(1)(i)–(iii).", opts, applies),
		areaField("reason", "The facts", "What makes the exception apply (or a note on why none does).", reason, ""),
	)
	f.submit = func(f *form) (tea.Cmd, error) {
		x := assessment.ExceptionDecision{Applies: f.field("applies").value(), Reason: f.field("reason").value()}
		if x.Applies != assessment.ExceptionNone && x.Reason == "" {
			return nil, errors.New("An exception needs the facts that make it apply: write them in The facts.")
		}
		next := stepFactors
		if x.Applies != assessment.ExceptionNone {
			next = stepConclusion
		}
		if miss := v.MissingFactors(); next == stepFactors && len(miss) == 0 {
			next = stepConclusion
		}
		return m.update("Saved the exception step.", v, focusMsg{step: next, item: firstMissing(v, 0)}, func(inc *assessment.Incident, env *store.IncidentEnv) error {
			x.By, x.On = env.Actor, env.On()
			inc.Exception = &x
			return nil
		}), nil
	}
	return f
}

// firstMissing is the index (0–3) of the first factor without findings other than
// factor skip (1–4; 0 for none), or 0.
func firstMissing(v *assessment.IncidentView, skip int) int {
	for _, n := range v.MissingFactors() {
		if n != skip {
			return n - 1
		}
	}
	return 0
}

// ---- the four factors ----

// factorGuide says, in a sentence, what each factor weighs.
var factorGuide = [4]string{
	"Which identifiers and clinical details were involved, how sensitive they are, and how easily the data could be tied to a person.",
	"Who used or received the PHI: someone bound by HIPAA (another covered entity, a workforce member) is less of a risk than an unknown outsider.",
	"Whether the PHI was actually opened, copied or viewed, or only exposed: access logs, a forensic look at a recovered device.",
	"What reduced the risk: the recipient's written assurance, a remote wipe, the data returned or destroyed.",
}

func (m *Model) factorForm(v *assessment.IncidentView, n int) *form {
	d := m.data
	findings := ""
	var evidence []string
	if x, ok := v.Factor(n); ok {
		findings, evidence = x.Findings, x.Evidence
	}
	var opts []assessment.Choice
	for _, e := range d.Evidence {
		opts = append(opts, assessment.Choice{Value: e.ID, Label: d.EvidenceRef[e.ID] + " " + oneLine(e.Name)})
	}
	f := newForm(m.e, fmt.Sprintf("Factor %d of 4 · %s", n, assessment.FactorCites[n-1]), subject(v),
		areaField("findings", "Findings", factorGuide[n-1], findings, "what was learned"),
		multiField("evidence", "Evidence", "Evidence from the vault that supports the findings (add files in the Questions tab or with `safeguard evidence add`).", opts, evidence),
	)
	f.intro = func(f *form, w int) []string {
		out := []string{}
		for _, l := range common.Wrap(assessment.FactorTitles[n-1]+".", w) {
			out = append(out, m.styles.Header.Render(l))
		}
		return out
	}
	f.field("findings").check = func(s string) error {
		return plain(assessment.CheckFactor(assessment.Factor{Number: n, Findings: s}))
	}
	f.submit = func(f *form) (tea.Cmd, error) {
		x := assessment.Factor{Number: n, Findings: f.field("findings").value(), Evidence: f.field("evidence").values()}
		if err := assessment.CheckFactor(x); err != nil {
			return nil, plain(err)
		}
		next := focusMsg{step: stepConclusion}
		for _, k := range v.MissingFactors() {
			if k != n {
				next = focusMsg{step: stepFactors, item: k - 1}
				break
			}
		}
		return m.update(fmt.Sprintf("Saved factor %d.", n), v, next, func(inc *assessment.Incident, env *store.IncidentEnv) error {
			x.By, x.On = env.Actor, env.On()
			inc.Factors = slices.DeleteFunc(inc.Factors, func(y assessment.Factor) bool { return y.Number == n })
			inc.Factors = append(inc.Factors, x)
			slices.SortFunc(inc.Factors, func(a, b assessment.Factor) int { return a.Number - b.Number })
			return nil
		}), nil
	}
	return f
}

// ---- conclusion ----

func (m *Model) conclusionForm(v *assessment.IncidentView) *form {
	d := m.data
	by := ""
	if m.e.Store != nil {
		by = m.e.Store.Actor()
	}
	outcome, rationale, on := assessment.OutcomeBreach, "", assessment.ISODate(d.Today)
	if c := v.Conclusion; c != nil {
		outcome, rationale, by, on = c.Outcome, c.Rationale, c.By, c.On
	}
	f := newForm(m.e, "Conclusion", subject(v),
		choiceField("outcome", "Outcome", "", assessment.Outcomes, outcome),
		areaField("rationale", "Rationale", "Why the conclusion follows from the steps above.", rationale, ""),
		lineField("by", "Concluded by", "Who made the decision.", by, "name", assessment.MaxNameLen),
		dateField("on", "Concluded on", "YYYY-MM-DD.", on),
	)
	f.field("rationale").check = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("A conclusion needs its rationale.")
		}
		return plain(assessment.CheckText("rationale", s))
	}
	f.field("by").check = common.Name("name of who concluded")
	f.field("on").check = common.Date("conclusion date", true)
	f.intro = func(f *form, w int) []string {
		s := m.styles
		var out []string
		o := f.field("outcome").value()
		if err := supports(v.Incident, o); err != nil {
			for _, l := range common.Wrap("The record does not support this outcome yet: "+plain(err).Error(), w) {
				out = append(out, s.Warn.Render(l))
			}
		} else {
			out = append(out, s.OK.Render("✔ The record supports this outcome."))
		}
		if v.Ransomware {
			for _, l := range common.Wrap(assessment.RansomwareNote, w) {
				out = append(out, s.Subtle.Render(l))
			}
		}
		return out
	}
	f.submit = func(f *form) (tea.Cmd, error) {
		c := assessment.Conclusion{Outcome: f.field("outcome").value(), Rationale: f.field("rationale").value(),
			By: f.field("by").value(), On: f.field("on").value()}
		if miss := v.MissingFactors(); c.Outcome == assessment.OutcomeLowProbability && len(miss) > 0 {
			return nil, fmt.Errorf("A low probability of compromise needs all four factors of §164.402(2) assessed; %s: record them in the Four factors step first.", missingText(miss))
		}
		if err := assessment.CheckConclusion(v.Incident, c, d.Today); err != nil {
			return nil, plain(err)
		}
		next := stepClose
		if c.Notify() {
			next = stepNotices
		}
		return m.update("Saved the conclusion.", v, focusMsg{step: next}, func(inc *assessment.Incident, env *store.IncidentEnv) error {
			if err := assessment.CheckConclusion(inc, c, env.Today); err != nil {
				return err
			}
			inc.Conclusion = &c
			return nil
		}), nil
	}
	return f
}

// missingText says which factors lack findings.
func missingText(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	if len(ns) == 1 {
		return "factor " + parts[0] + " has no findings yet"
	}
	return "factors " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1] + " have no findings yet"
}

// ---- notices ----

func (m *Model) noticeForm(v *assessment.IncidentView) *form {
	d := m.data
	entity := d.Snap.Profile.EntityType
	var recipients []assessment.Choice
	for _, c := range assessment.NoticeRecipients {
		if c.Value == assessment.ToCoveredEntity && entity != assessment.EntityBusinessAssociate {
			continue // a business associate's duty (§164.410)
		}
		recipients = append(recipients, c)
	}
	first := assessment.ToIndividuals
	if entity == assessment.EntityBusinessAssociate {
		first = assessment.ToCoveredEntity
	}
	methods := append([]assessment.Choice{{Value: "", Label: "Not stated"}}, assessment.NoticeMethods...)
	var ev []assessment.Choice
	for _, e := range d.Evidence {
		ev = append(ev, assessment.Choice{Value: e.ID, Label: d.EvidenceRef[e.ID] + " " + oneLine(e.Name)})
	}
	f := newForm(m.e, "Record a notice sent", subject(v),
		choiceField("to", "Sent to", "", recipients, first),
		dateField("date", "Sent on", "YYYY-MM-DD; not before the discovery, not in the future.", ""),
		choiceField("method", "How", "", methods, ""),
		lineField("count", "Individuals reached", "How many this notice reached, if it went out in several mailings; blank for everyone.", "", "number", 12),
		lineField("state", "State served", "The state or jurisdiction this media notice served (two letters), if it served one.", "", "OH", 2),
		lineField("recipient", "Recipient", "Who received it: a state attorney general, a regulator.", "", "name", assessment.MaxNameLen),
		multiField("content", "Content (§164.404(c))", "The elements the notice contains.", assessment.NoticeElements, nil),
		multiField("contact", "Contact offered", "The contact procedures it gives: at least one of these (§164.404(c)(1)(E)).", assessment.ContactMethods, nil),
		boolField("plain", "Plain language", "The notice is written in plain language (§164.404(c)(2)).", false),
		boolField("identities", "Identifies each", "The notice identifies each affected individual (§164.410(c)(1)).", false),
		lineField("subcount", "Substitute notice", "How many individuals had insufficient or out-of-date contact information (§164.404(d)(2)); blank for none.", "", "number", 12),
		choiceField("subby", "Substitute by", "Fewer than 10: any of the first three; 10 or more: the website or media form with a toll-free number.", assessment.SubstituteMethods, "written"),
		lineField("tollfree", "Toll-free number", "Active for at least 90 days; needed for 10 or more.", "", "1-800-…", 40),
		areaField("note", "Note", "", "", ""),
		multiField("evidence", "Evidence", "A copy of the letter, the press release, the portal receipt.", ev, nil),
	)
	to := func() string { return f.field("to").value() }
	public := func() bool { return to() == assessment.ToIndividuals || to() == assessment.ToMedia }
	f.field("count").show = func() bool { return to() == assessment.ToIndividuals }
	f.field("state").show = func() bool { return to() == assessment.ToMedia }
	f.field("recipient").show = func() bool { return to() == assessment.ToOther }
	f.field("content").show = public
	f.field("contact").show = public
	f.field("plain").show = public
	f.field("identities").show = func() bool { return to() == assessment.ToCoveredEntity }
	f.field("subcount").show = func() bool { return to() == assessment.ToIndividuals }
	hasSub := func() bool {
		n, _ := common.ParseInt("", 0, common.NoLimit, f.field("subcount").value())
		return to() == assessment.ToIndividuals && n > 0
	}
	f.field("subby").show = hasSub
	f.field("tollfree").show = hasSub
	f.field("date").check = common.Date("notice date", true)
	f.field("count").check = common.Int("number of individuals reached", 0, common.NoLimit)
	f.field("subcount").check = common.Int("number for substitute notice", 0, common.NoLimit)
	build := func(f *form) (assessment.Notice, error) {
		n := assessment.Notice{To: to(), Date: f.field("date").value(), Method: f.field("method").value(), Note: f.field("note").value(),
			Evidence: f.field("evidence").values()}
		switch n.To {
		case assessment.ToIndividuals:
			n.Count, _ = common.ParseInt("", 0, common.NoLimit, f.field("count").value())
			if k, _ := common.ParseInt("", 0, common.NoLimit, f.field("subcount").value()); k > 0 {
				n.Substitute = &assessment.Substitute{Count: k, By: f.field("subby").value(), TollFree: f.field("tollfree").value()}
			}
		case assessment.ToMedia:
			n.State = strings.ToUpper(f.field("state").value())
		case assessment.ToOther:
			n.Recipient = f.field("recipient").value()
		case assessment.ToCoveredEntity:
			n.Identities = f.field("identities").yes()
		}
		if public() {
			n.Content, n.Contact, n.PlainLanguage = f.field("content").values(), f.field("contact").values(), f.field("plain").yes()
			if len(n.Contact) > 0 && !slices.Contains(n.Content, "contact") {
				// Offering contact procedures is the contact element.
				n.Content = append(n.Content, "contact")
				n.Content = sortedLike(n.Content, assessment.NoticeElements)
			}
		}
		if n.To == assessment.ToOther && n.Recipient == "" {
			return n, errors.New("Say who received the notice in Recipient.")
		}
		if s := n.Substitute; s != nil && s.Count >= 10 && strings.TrimSpace(s.TollFree) == "" {
			return n, errors.New("Substitute notice for 10 or more individuals includes a toll-free number active for at least 90 days (§164.404(d)(2)(ii)); give it in Toll-free number.")
		}
		err := assessment.CheckNotice(v.Incident, n, entity, d.Today)
		if err != nil {
			return n, plain(err)
		}
		return n, nil
	}
	f.introAfter = "content"
	f.intro = func(f *form, w int) []string {
		if !public() {
			return nil
		}
		n, _ := build(f)
		s := m.styles
		gaps := assessment.NoticeGaps(n)
		if len(gaps) == 0 {
			return []string{s.OK.Render("✔ §164.404(c) content check: every element is there.")}
		}
		out := []string{s.Warn.Render("§164.404(c) content check, still missing:")}
		for _, g := range gaps {
			for _, l := range common.Hang("  • ", g, w) {
				out = append(out, s.Warn.Render(l))
			}
		}
		return out
	}
	f.submit = func(f *form) (tea.Cmd, error) {
		n, err := build(f)
		if err != nil {
			return nil, err
		}
		return m.update("Recorded the notice to "+strings.ToLower(assessment.ChoiceLabel(assessment.NoticeRecipients, n.To))+".", v, focusMsg{step: stepNotices},
			func(inc *assessment.Incident, env *store.IncidentEnv) error {
				n.By = env.Actor
				if err := assessment.CheckNotice(inc, n, env.Entity, env.Today); err != nil {
					return err
				}
				inc.Notices = append(inc.Notices, n)
				slices.SortStableFunc(inc.Notices, func(a, b assessment.Notice) int { return strings.Compare(a.Date, b.Date) })
				return nil
			}), nil
	}
	return f
}

// sortedLike orders values as choices lists them.
func sortedLike(vs []string, choices []assessment.Choice) []string {
	var out []string
	for _, c := range choices {
		if slices.Contains(vs, c.Value) {
			out = append(out, c.Value)
		}
	}
	return out
}

// ---- law-enforcement delays ----

func (m *Model) delayForm(v *assessment.IncidentView) *form {
	d := m.data
	var ev []assessment.Choice
	for _, e := range d.Evidence {
		ev = append(ev, assessment.Choice{Value: e.ID, Label: d.EvidenceRef[e.ID] + " " + oneLine(e.Name)})
	}
	kinds := []assessment.Choice{
		{Value: assessment.DelayWritten, Label: "Written: delays notice for the period it specifies (§164.412(a))"},
		{Value: assessment.DelayOral, Label: "Oral: at most 30 days from the statement unless a written one follows (§164.412(b))"},
	}
	f := newForm(m.e, "Record a law-enforcement delay", subject(v),
		choiceField("kind", "Statement", "", kinds, assessment.DelayWritten),
		dateField("stated", "Made on", "The day of the statement, YYYY-MM-DD.", ""),
		dateField("until", "Delay ends", "The last day of the delay. Written: the period it names (required). Oral: blank for 30 days after the statement.", ""),
		lineField("official", "Official", "Who made it, with the agency: “Det. R. Ortiz, Columbus PD”.", "", "name, agency", assessment.MaxNameLen),
		areaField("note", "Note", "What was said or asked.", "", ""),
		multiField("evidence", "Evidence", "The written statement, a note of the call.", ev, nil),
	)
	f.field("stated").check = common.Date("statement date", true)
	f.field("official").check = common.Name("official's name")
	f.submit = func(f *form) (tea.Cmd, error) {
		x := assessment.LawEnforcementDelay{Kind: f.field("kind").value(), Stated: f.field("stated").value(), Until: f.field("until").value(),
			Official: f.field("official").value(), Note: f.field("note").value(), Evidence: f.field("evidence").values()}
		if x.Kind == assessment.DelayWritten && x.Until == "" {
			return nil, errors.New("A written statement delays notice for the period it specifies: give its last day in Delay ends.")
		}
		if err := assessment.CheckDelay(v.Incident, x, d.Today); err != nil {
			return nil, plain(err)
		}
		return m.update("Recorded the law-enforcement delay.", v, focusMsg{step: stepDelays}, func(inc *assessment.Incident, env *store.IncidentEnv) error {
			if err := assessment.CheckDelay(inc, x, env.Today); err != nil {
				return err
			}
			inc.Delays = append(inc.Delays, assessment.NormalizeDelay(x))
			return nil
		}), nil
	}
	return f
}

// ---- other deadlines ----

// deadlineForm adds a deadline (i < 0) or edits the i-th one.
func (m *Model) deadlineForm(v *assessment.IncidentView, i int) *form {
	var x assessment.OtherDeadline
	title := "Add a deadline"
	if i >= 0 && i < len(v.Deadlines) {
		x, title = v.Deadlines[i], "Edit the deadline"
	} else {
		i = -1
	}
	orig := x.Name
	f := newForm(m.e, title, subject(v),
		lineField("name", "Deadline", "What is due: “Notice to the Ohio attorney general”.", x.Name, "what is due", assessment.MaxNameLen),
		dateField("due", "Due on", "The last day, YYYY-MM-DD.", x.Due),
		lineField("basis", "Basis", "Where it comes from: a state statute, a contract clause.", x.Basis, "statute or clause", 1000),
		dateField("done", "Met on", "The day it was met; blank while open.", x.Done),
	)
	f.field("name").check = common.Name("deadline name")
	f.field("due").check = common.Date("deadline", true)
	f.field("basis").check = common.Required("basis", "Say where the deadline comes from.")
	f.submit = func(f *form) (tea.Cmd, error) {
		y := assessment.OtherDeadline{Name: f.field("name").value(), Due: f.field("due").value(), Basis: f.field("basis").value(), Done: f.field("done").value()}
		if err := assessment.CheckOtherDeadline(y); err != nil {
			return nil, plain(err)
		}
		for j, z := range v.Deadlines {
			if j != i && strings.EqualFold(z.Name, y.Name) {
				return nil, fmt.Errorf("A deadline named %q exists; give this one another name or edit that one.", z.Name)
			}
		}
		return m.update("Saved the deadline.", v, focusMsg{step: stepDeadlines, item: max(i, 0)}, func(inc *assessment.Incident, env *store.IncidentEnv) error {
			k := slices.IndexFunc(inc.Deadlines, func(z assessment.OtherDeadline) bool { return i >= 0 && z.Name == orig })
			switch {
			case i >= 0 && k < 0:
				return fmt.Errorf("the deadline %q was changed or removed meanwhile; look again", orig)
			case k >= 0:
				inc.Deadlines[k] = y
			default:
				inc.Deadlines = append(inc.Deadlines, y)
			}
			return nil
		}), nil
	}
	return f
}

// ---- risk links ----

func (m *Model) linkForm(v *assessment.IncidentView) tea.Cmd {
	d := m.data
	if d.Final() {
		return common.Notice("This assessment is final, so its risks do not change; link the risk in its revision with `safeguard incident link INCIDENT --risk R --in REVISION`.")
	}
	var risks []assessment.Choice
	likelihood := map[string]int{}
	for _, r := range d.Risks {
		if r.Status == assessment.RiskProposed || r.Status == assessment.RiskDismissed || r.Likelihood >= d.Matrix.Scale() || r.Likelihood < 1 {
			continue
		}
		risks = append(risks, assessment.Choice{Value: r.ID, Label: fmt.Sprintf("%s %s (likelihood %d)", r.Ref, oneLine(r.Title), r.Likelihood)})
		likelihood[r.ID] = r.Likelihood
	}
	if len(risks) == 0 {
		return common.Notice("No confirmed, rated risk can be raised: confirm and rate risks in the Risks tab first.")
	}
	var levels []assessment.Choice
	for l := 2; l <= d.Matrix.Scale(); l++ {
		levels = append(levels, assessment.Choice{Value: strconv.Itoa(l), Label: strconv.Itoa(l) + " " + common.StepLabel(d.Matrix, l)})
	}
	f := newForm(m.e, "Raise a risk's likelihood", subject(v),
		choiceField("risk", "Risk", "Confirmed, rated risks of this assessment.", risks, ""),
		choiceField("likelihood", "New likelihood", "Higher than it is now.", levels, strconv.Itoa(likelihood[risks[0].Value]+1)),
		areaField("note", "Note", "What the incident showed about the risk.", "", ""),
	)
	f.submit = func(f *form) (tea.Cmd, error) {
		id := f.field("risk").value()
		l, _ := strconv.Atoi(f.field("likelihood").value())
		note := f.field("note").value()
		if l <= likelihood[id] {
			return nil, fmt.Errorf("The risk's likelihood is %d already; a link raises it, so choose a higher value.", likelihood[id])
		}
		if note == "" {
			return nil, errors.New("Say what the incident showed about the risk in Note.")
		}
		st, ctx, inc := m.e.Store, m.e.Ctx, v.ID
		return m.save("Raised the risk's likelihood.", func() (focusMsg, error) {
			_, err := st.LinkRisk(ctx, inc, "", id, l, note)
			return focusMsg{id: inc, step: stepRisks}, err
		}), nil
	}
	return common.Push(f)
}

// ---- close and reopen ----

func (m *Model) closeForm(v *assessment.IncidentView) tea.Cmd {
	if blocks := closeBlocks(v); len(blocks) > 0 {
		return common.Notice("Not ready to close: " + strings.TrimSuffix(strings.ToLower(blocks[0][:1])+blocks[0][1:], ".") + ".")
	}
	f := newForm(m.e, "Close the incident", subject(v),
		areaField("note", "Closing note", "Optional: what was done.", "", ""),
	)
	f.submit = func(f *form) (tea.Cmd, error) {
		note := f.field("note").value()
		st, ctx, id, seen := m.e.Store, m.e.Ctx, v.ID, v.Version
		return m.save("Closed the incident. It stays in the register.", func() (focusMsg, error) {
			_, err := st.CloseIncident(ctx, id, seen, note)
			return focusMsg{id: id, step: stepClose}, err
		}), nil
	}
	return common.Push(f)
}

func (m *Model) reopenForm(v *assessment.IncidentView) *form {
	f := newForm(m.e, "Reopen the incident", subject(v),
		areaField("reason", "Reason", "Why it is reopened; kept in the record.", "", ""),
	)
	f.field("reason").check = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("Say why the incident is reopened.")
		}
		return plain(assessment.CheckText("reason", s))
	}
	f.submit = func(f *form) (tea.Cmd, error) {
		reason := f.field("reason").value()
		st, ctx, id, seen := m.e.Store, m.e.Ctx, v.ID, v.Version
		return m.save("Reopened the incident.", func() (focusMsg, error) {
			_, err := st.ReopenIncident(ctx, id, seen, reason)
			return focusMsg{id: id, step: stepClose}, err
		}), nil
	}
	return f
}
