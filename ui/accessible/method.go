package accessible

import (
	"fmt"
	"strings"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// The analysis's method as plain prompts: how the data was collected (with assumptions and
// limitations), threat sources ruled out, the periodic review plan, vendor reviews and the
// "no vendors" statement. Each is a readiness item the sign-off waits for, so the
// plain-prompt mode reaches sign-off on the same terms as the full-screen Setup tab.

// method is the menu of those records, until the user goes back.
func (se *session) method(d *common.Data) error {
	for {
		snap := d.Snap
		reviewed := 0
		for _, v := range snap.Vendors {
			if vendorReviewed(snap, v.ID) {
				reviewed++
			}
		}
		opts := []string{
			fmt.Sprintf("Record how the data was collected, an assumption or a limitation (%s)", assessment.Plural(len(snap.Method), "record", "records")),
			fmt.Sprintf("Rule out a threat source that cannot reasonably occur here (%s)", assessment.Plural(len(snap.ThreatRulings), "ruling", "rulings")),
			"Plan the periodic review (" + reviewText(snap.Review) + ")",
			fmt.Sprintf("Record the review of a vendor's BAA and assurance (%d of %d reviewed)", reviewed, len(snap.Vendors)),
			"State that no outside party handles ePHI (" + noVendorsText(snap.NoVendors) + ")",
			"Back",
		}
		i, err := se.choose("Method, threat sources and reviews: what do you want to record?", opts)
		if err != nil || i == len(opts)-1 {
			return err
		}
		fns := []func(*common.Data) error{se.methodEntry, se.threatRuling, se.reviewPlan, se.vendorReview, se.noVendors}
		if err := fns[i](d); err != nil {
			return err
		}
		if d, err = se.load(d.ID()); err != nil {
			return err
		}
	}
}

func vendorReviewed(snap *assessment.Snapshot, id string) bool {
	for _, r := range snap.VendorReviews {
		if r.VendorID == id {
			return true
		}
	}
	return false
}

func reviewText(p assessment.ReviewPlan) string {
	if p.Cadence == "" {
		return "not planned yet"
	}
	s := assessment.ChoiceLabel(assessment.ReviewCadences, p.Cadence)
	if t, err := assessment.ParseDate(p.Next); err == nil && p.Next != "" {
		s += ", next " + assessment.DocDate(t)
	}
	return s
}

func noVendorsText(s string) string {
	if s == "" {
		return "not stated"
	}
	return "stated"
}

// methodEntry records one data-collection record, assumption or limitation, asking what
// its kind needs.
func (se *session) methodEntry(d *common.Data) error {
	return se.within("a method record", func() error {
		kind, err := se.choice("What kind of record?", assessment.MethodKinds, "")
		if err != nil {
			return err
		}
		e := assessment.MethodEntry{Kind: kind}
		ask := func(dst *string, label string, optional bool, check func(string) error) error {
			v, err := se.text(label, "", optional, check)
			*dst = v
			return err
		}
		today := assessment.ISODate(se.now())
		date := func() error {
			v, err := se.text("On what day, YYYY-MM-DD", today, false, common.Date("date", true))
			e.Date = v
			return err
		}
		var steps []func() error
		switch kind {
		case assessment.MethodInterview:
			steps = []func() error{
				func() error { return ask(&e.Who, "Who was interviewed", false, common.Name("name")) },
				func() error { return ask(&e.Role, "Their role", false, common.Name("role")) },
				date,
				func() error { return ask(&e.Text, "Topics covered", true, common.Text("text")) },
			}
		case assessment.MethodDocument:
			steps = []func() error{
				func() error { return ask(&e.Title, "The document's title", false, common.Name("title")) },
				func() error { return ask(&e.Text, "What it showed", true, common.Text("text")) },
			}
		case assessment.MethodWalkthrough:
			steps = []func() error{
				func() error { return ask(&e.Where, "Where it took place", false, common.Name("place")) },
				date,
				func() error { return ask(&e.Text, "What was seen", true, common.Text("text")) },
			}
		case assessment.MethodTest:
			steps = []func() error{
				func() error {
					v, err := se.choice("What kind of test?", assessment.TestKinds, "")
					e.TestKind = v
					return err
				},
				func() error { return ask(&e.Tool, "The tool or method used", false, common.Name("tool")) },
				func() error { return ask(&e.Scope, "What it covered", false, common.Text("scope")) },
				date,
				func() error { return ask(&e.Text, "What it found", true, common.Text("text")) },
			}
		default:
			steps = []func() error{func() error { return ask(&e.Text, "Say it in a sentence", false, common.Text("text")) }}
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		if err := assessment.CheckMethodEntry(e, se.now()); err != nil {
			se.say("Not saved: %s.", err)
			return nil
		}
		if _, err := se.s.SaveMethodEntry(se.ctx, d.ID(), e); err != nil {
			se.say("Not saved: %s.", err)
			return nil
		}
		se.say("Saved the %s record.", kind)
		return nil
	})
}

// threatRuling rules out a whole threat source, with the reason.
func (se *session) threatRuling(d *common.Data) error {
	return se.within("a threat ruling", func() error {
		var open []string
		for _, it := range d.Summary.Readiness {
			if it.Kind == assessment.ReadyThreats {
				open = append(open, it.Text)
			}
		}
		if len(open) > 0 {
			se.say("Not yet considered: %s", strings.Join(open, " "))
		}
		src, err := se.choice("Which threat source cannot reasonably occur here?", assessment.ThreatSources, "")
		if err != nil {
			return err
		}
		reason, err := se.text("Why it cannot reasonably occur here", "", false, common.Text("reason"))
		if err != nil {
			return err
		}
		if err := se.s.SetThreatRuling(se.ctx, d.ID(), assessment.ThreatRuling{Source: src, Reason: reason}); err != nil {
			se.say("Not saved: %s.", err)
			return nil
		}
		se.say("Ruled out: %s.", assessment.ChoiceLabel(assessment.ThreatSources, src))
		return nil
	})
}

// reviewPlan sets how often the analysis is reviewed and when next; the triggers recorded
// stay as they are.
func (se *session) reviewPlan(d *common.Data) error {
	return se.within("the review plan", func() error {
		p := d.Snap.Review
		cad, err := se.choice("How often is the analysis reviewed?", assessment.ReviewCadences, p.Cadence)
		if err != nil {
			return err
		}
		next, err := se.text("Date of the next review, YYYY-MM-DD", p.Next, false, common.Date("next review date", true))
		if err != nil {
			return err
		}
		p.Cadence, p.Next = cad, next
		if err := se.s.SaveReviewPlan(se.ctx, d.ID(), p); err != nil {
			se.say("Not saved: %s.", err)
			return nil
		}
		se.say("Saved the review plan: %s.", reviewText(p))
		return nil
	})
}

// vendorReview records that a vendor's BAA and assurance were reviewed for this analysis.
func (se *session) vendorReview(d *common.Data) error {
	vs := d.Snap.Vendors
	if len(vs) == 0 {
		se.say("No vendors are recorded; add them under Set up: vendors, or state that there are none.")
		return nil
	}
	return se.within("a vendor review", func() error {
		names := make([]string, len(vs))
		for i, v := range vs {
			names[i] = v.Name
			if vendorReviewed(d.Snap, v.ID) {
				names[i] += " (reviewed)"
			}
		}
		i, err := se.choose("Which vendor did you review?", names)
		if err != nil {
			return err
		}
		date, err := se.text("On what day, YYYY-MM-DD", assessment.ISODate(se.now()), false, common.Date("review date", true))
		if err != nil {
			return err
		}
		note, err := se.text("What the review found", "", true, common.Text("note"))
		if err != nil {
			return err
		}
		if err := se.s.SetVendorReview(se.ctx, d.ID(), assessment.VendorReview{VendorID: vs[i].ID, Date: date, Note: note}); err != nil {
			se.say("Not saved: %s.", err)
			return nil
		}
		se.say("Recorded the review of %s.", vs[i].Name)
		return nil
	})
}

// noVendors records, changes or clears the statement that no outside party handles ePHI.
func (se *session) noVendors(d *common.Data) error {
	if len(d.Snap.Vendors) > 0 {
		se.say("Vendors are recorded, so the analysis cannot state there are none.")
		return nil
	}
	return se.within("the no-vendors statement", func() error {
		st, err := se.text("Say why no outside party creates, receives, keeps or sends ePHI for the organization", d.Snap.NoVendors, true, common.Text("statement"))
		if err != nil {
			return err
		}
		if err := se.s.SetNoVendors(se.ctx, d.ID(), st); err != nil {
			se.say("Not saved: %s.", err)
			return nil
		}
		if st == "" {
			se.say("The statement is cleared.")
		} else {
			se.say("Saved the statement.")
		}
		return nil
	})
}
