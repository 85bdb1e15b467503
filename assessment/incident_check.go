package assessment

import (
	"errors"
	"fmt"
	"time"
)

// CheckIncident validates a whole incident record: its facts, every step of the decision,
// the notices, delays and deadlines, the evidence it cites (hasEvidence reports whether an
// evidence ID exists in the incident's assessment) and that the conclusion still follows
// from the record. The store runs it on the new state after every change, so a change that
// would leave the record contradicting itself is refused; import runs it on every incident
// of a file. A zero today skips the "not in the future" checks (an imported record was
// checked against the clock when it was made).
func CheckIncident(inc *Incident, entity EntityType, hasEvidence func(string) bool, today time.Time) error {
	if err := CheckIncidentFacts(inc, today); err != nil {
		return err
	}
	cite := func(ids []string) error {
		for _, id := range ids {
			if !hasEvidence(id) {
				return fmt.Errorf("the evidence %q is not in this assessment's evidence; add it with `safeguard evidence add` and cite its ID", id)
			}
		}
		return nil
	}
	for _, d := range inc.Delays {
		if err := CheckDelay(inc, d, today); err != nil {
			return err
		}
		if err := cite(d.Evidence); err != nil {
			return err
		}
	}
	if d := inc.Secured; d != nil {
		if d.Derived != Secured && d.Derived != Unsecured && d.Derived != Undetermined {
			return fmt.Errorf("the derived determination %q is not secured, unsecured or undetermined", d.Derived)
		}
		if err := CheckSecuredDecision(*d); err != nil {
			return err
		}
		if err := checkStep("secured determination", d.By, d.On, inc, today); err != nil {
			return err
		}
	}
	if e := inc.Exception; e != nil {
		if e.Applies != ExceptionNone && !hasChoice(Exceptions, e.Applies) {
			return fmt.Errorf("exception %q is not none or one of %s", e.Applies, choiceList(Exceptions))
		}
		if e.Applies != ExceptionNone && e.Reason == "" {
			return errors.New("an exception needs the facts that make it apply; give them with --reason")
		}
		if err := CheckText("reason", e.Reason); err != nil {
			return err
		}
		if err := checkStep("exception", e.By, e.On, inc, today); err != nil {
			return err
		}
	}
	seen := map[int]bool{}
	for _, f := range inc.Factors {
		if seen[f.Number] {
			return fmt.Errorf("factor %d is recorded twice", f.Number)
		}
		seen[f.Number] = true
		if err := CheckFactor(f); err != nil {
			return err
		}
		if err := cite(f.Evidence); err != nil {
			return err
		}
		if err := checkStep(fmt.Sprintf("factor %d", f.Number), f.By, f.On, inc, today); err != nil {
			return err
		}
	}
	for _, n := range inc.Notices {
		if err := CheckNotice(inc, n, entity, today); err != nil {
			return err
		}
		if err := cite(n.Evidence); err != nil {
			return err
		}
	}
	for _, d := range inc.Deadlines {
		if err := CheckOtherDeadline(d); err != nil {
			return err
		}
	}
	for _, l := range inc.RiskLinks {
		if l.RiskID == "" || l.To < 1 || l.To > 5 || l.From >= l.To {
			return fmt.Errorf("the link to risk %q does not raise its likelihood within 1 to 5", l.RiskTitle)
		}
		if err := CheckText("note", l.Note); err != nil {
			return err
		}
	}
	if c := inc.Conclusion; c != nil {
		if err := CheckConclusion(inc, *c, today); err != nil {
			return fmt.Errorf("the record no longer supports its conclusion (%s): %w", c.Outcome, err)
		}
	}
	if inc.Closed != "" {
		if err := CheckDate("closing date", inc.Closed); err != nil {
			return err
		}
		if inc.Conclusion == nil {
			return errors.New("an incident is closed only once its conclusion is recorded")
		}
	}
	return nil
}

// checkStep checks who recorded a decision step and when.
func checkStep(what, by, on string, inc *Incident, today time.Time) error {
	if _, err := CleanName("name of who decided the "+what, by); err != nil {
		return err
	}
	if err := CheckDate(what+" date", on); err != nil || on == "" {
		return fmt.Errorf("the %s date %q is not a date; write it as YYYY-MM-DD", what, on)
	}
	if isFuture(on, today) {
		return fmt.Errorf("the %s date %s is in the future", what, on)
	}
	if on < inc.Discovered {
		return fmt.Errorf("the %s date %s is before the incident was discovered (%s)", what, on, inc.Discovered)
	}
	return nil
}

// checkIncidents validates the incidents of a document.
func (d *Document) checkIncidents(risks map[string]bool) error {
	evidence := map[string]bool{}
	for _, e := range d.Evidence {
		evidence[e.ID] = true
	}
	ids := map[string]bool{}
	for i := range d.Incidents {
		inc := &d.Incidents[i]
		if inc.ID == "" || ids[inc.ID] {
			return errors.New("the import file has an incident with a missing or repeated ID")
		}
		ids[inc.ID] = true
		if err := CheckIncident(inc, d.Profile.EntityType, func(id string) bool { return evidence[id] }, time.Time{}); err != nil {
			return fmt.Errorf("in the import file, incident %q: %w", inc.Title, err)
		}
		for _, l := range inc.RiskLinks {
			if l.AssessmentID == d.Assessment.ID && !risks[l.RiskID] {
				return fmt.Errorf("in the import file, incident %q links a risk that is not in the file", inc.Title)
			}
		}
	}
	return nil
}
