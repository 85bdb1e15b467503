package accessible

import (
	"fmt"
	"strings"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/ui/common"
)

// answer walks the open items (unanswered, flagged, or carried over to re-validate) in
// catalog order, one question at a time; each answer is saved as it is given.
func (se *session) answer(d *common.Data) error {
	var todo []int
	for i, it := range d.Items {
		if it.Open() {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		se.say("Every item has an answer. Flagged items would be listed here too.")
		return nil
	}
	se.say("%s. Each answer is saved at once.", assessment.Plural(len(todo), "item is open", "items are open"))
	ba := d.Snap.Profile.BusinessAssociate()
	for n, ix := range todo {
		stop, err := se.answerItem(d, &d.Items[ix], n+1, len(todo), ba)
		if err != nil || stop {
			return err
		}
	}
	return nil
}

// answerItem asks one item. stop is true when the user stops answering.
func (se *session) answerItem(d *common.Data, it *assessment.ItemView, n, total int, ba bool) (stop bool, err error) {
	q := it.Question
	se.say("")
	se.say("Item %d of %d. %s", n, total, citation(d.Catalog, q))
	se.para(q.TextFor(ba))
	var about []string
	if q.Basis != "" {
		about = append(about, "Basis: "+q.Basis.Label()+".")
	}
	if q.AnsweredBy != "" {
		about = append(about, "Usually answered by "+common.AnswererPhrase(q.AnsweredBy)+".")
	}
	if q.Follows != "" {
		about = append(about, "A follow-up of "+q.Follows+": it goes away if that question is answered not applicable.")
	}
	if len(about) > 0 {
		se.say("%s", strings.Join(about, " "))
	}
	if it.Asset != nil {
		se.say("For the system %s (hosted %s; the control's owner: %s).", it.Asset.Name, it.Asset.Hosting.Phrase(), it.Owner.Label())
	}
	if r := it.Response; r != nil {
		se.say("Recorded now: %s, by %s.", r.Status.Label(), r.By)
	}
	const (
		optHelp = iota + 100
		optNote
		optEvidence
		optSkip
		optStop
	)
	type option struct {
		label string
		st    assessment.ResponseStatus
		code  int
	}
	var opts []option
	for _, c := range assessment.ResponseStatuses {
		opts = append(opts, option{label: c.Label, st: assessment.ResponseStatus(c.Value)})
	}
	opts = append(opts,
		option{label: "Hear why it matters and what evidence shows it", code: optHelp},
		option{label: "Add a note to this item", code: optNote},
		option{label: "Attach evidence to this item", code: optEvidence},
		option{label: "Skip it for now", code: optSkip},
		option{label: "Stop answering", code: optStop})
	labels := make([]string, len(opts))
	for i, o := range opts {
		labels[i] = o.label
	}
	for {
		i, err := se.choose("Your answer:", labels)
		if err != nil {
			return true, err
		}
		switch opts[i].code {
		case optHelp:
			se.para("Why it matters: " + q.HelpFor(ba))
			if len(q.Evidence) > 0 {
				se.para("Evidence that shows it: " + strings.Join(q.Evidence, "; ") + ".")
			}
			continue
		case optNote:
			if err := se.note(d, it); err != nil {
				return true, err
			}
			continue
		case optEvidence:
			if err := se.attach(d, it); err != nil {
				return true, err
			}
			continue
		case optSkip:
			return false, nil
		case optStop:
			return true, nil
		}
		return false, se.within("answering "+q.ID, func() error { return se.save(d, it, opts[i].st) })
	}
}

// save records status st on the item, with what it needs: the reason for not applicable,
// and for a gap on an addressable specification the §164.306(d)(3) decision the rules
// allow. Implemented on an addressable specification is recorded as implemented as
// specified.
func (se *session) save(d *common.Data, it *assessment.ItemView, st assessment.ResponseStatus) error {
	cat := d.Catalog
	base := assessment.Response{QuestionID: it.Question.ID}
	if it.Asset != nil {
		base.AssetID = it.Asset.ID
	}
	if it.Response != nil {
		base = *it.Response
	}
	r, ask := assessment.AnswerAs(cat, it.Question, base, st)
	if st == assessment.NotApplicable {
		reason, err := se.text("Why does it not apply? An auditor will read this", "", false, func(s string) error {
			c := r
			c.Reason = s
			return assessment.CheckConsistency(cat, c)
		})
		if err != nil {
			return err
		}
		r.Reason = reason
	}
	if ask {
		var err error
		if r, err = se.decide(cat, it.Question, r); err != nil {
			return err
		}
	}
	res, err := se.s.SaveResponse(se.ctx, d.ID(), r)
	if err != nil {
		se.say("Not saved: %s.", err)
		return nil
	}
	msg := "Saved: " + r.Status.Label()
	if r.Decision != assessment.DecisionNone {
		msg += ", " + strings.ToLower(r.Decision.Label())
	}
	msg += "."
	if res.Proposed > 0 {
		msg += " " + assessment.Plural(res.Proposed, "risk was", "risks were") + " proposed from this gap; rate them under Risks."
	}
	se.say("%s", msg)
	return nil
}

// decide asks the §164.306(d)(3) decision of a gap on an addressable specification,
// offering what the consistency rules allow with its status.
func (se *session) decide(cat *controls.Catalog, q *controls.Question, r assessment.Response) (assessment.Response, error) {
	var cs []assessment.Choice
	for _, d := range assessment.AllowedDecisions(cat, q, r.Status) {
		if d == assessment.DecisionNone {
			cs = append(cs, assessment.Choice{Value: "", Label: "No decision now: plan a treatment on a risk linked to the gap"})
			continue
		}
		cs = append(cs, assessment.Choice{Value: string(d), Label: assessment.ChoiceLabel(assessment.Decisions, string(d))})
	}
	se.say("This is an addressable specification: §164.306(d)(3) asks what you decided about it.")
	v, err := se.choice("Your decision:", cs, "")
	if err != nil {
		return r, err
	}
	r.Decision = assessment.Decision(v)
	switch r.Decision {
	case assessment.DecisionAlternative:
		if r.DecisionText, err = se.text("Describe the equivalent alternative measure", "", false, common.Text("description")); err != nil {
			return r, err
		}
		r.Reason, err = se.text("Why is the specification as written not reasonable and appropriate here?", "", false, common.Text("rationale"))
	case assessment.DecisionNotReasonable:
		r.DecisionText, err = se.text("Why is it not reasonable and appropriate here?", "", false, common.Text("rationale"))
	}
	return r, err
}

// note records a note on the item; an item without an answer is flagged with it, since a
// note is kept with an answer.
func (se *session) note(d *common.Data, it *assessment.ItemView) error {
	return se.within("a note", func() error {
		r := assessment.Response{QuestionID: it.Question.ID, Status: assessment.Flagged}
		if it.Asset != nil {
			r.AssetID = it.Asset.ID
		}
		if it.Response != nil {
			r = *it.Response
		} else {
			se.say("The item has no answer yet, so it is flagged for follow-up with the note.")
		}
		text, err := se.text("Note: what you saw, who you asked, what is missing", r.Note, true, common.Text("note"))
		if err != nil {
			return err
		}
		r.Note = text
		if _, err := se.s.SaveResponse(se.ctx, d.ID(), r); err != nil {
			se.say("Not saved: %s.", err)
			return nil
		}
		se.say("Saved the note.")
		if it.Response == nil {
			it.Response = &r // the next change starts from it
		}
		return nil
	})
}

// attach adds a file or a typed note as evidence of the item.
func (se *session) attach(d *common.Data, it *assessment.ItemView) error {
	return se.within("attaching evidence", func() error {
		link := []assessment.EvidenceLink{{QuestionID: it.Question.ID}}
		if it.Asset != nil {
			link[0].AssetID = it.Asset.ID
		}
		kind, err := se.choose("What do you want to attach?", []string{"A file: a policy, screenshot, export or report", "A typed note: what you saw or were told"})
		if err != nil {
			return err
		}
		if kind == 1 {
			title, err := se.text("Title of the note", "", false, common.Name("note title"))
			if err != nil {
				return err
			}
			text, err := se.text("The note", "", false, common.Required("note", "type what you observed or were shown"))
			if err != nil {
				return err
			}
			e, err := se.s.AddEvidenceNote(se.ctx, d.ID(), storeMeta(title, ""), text, link)
			if err != nil {
				se.say("Not attached: %s.", err)
				return nil
			}
			se.say("Attached the note %q.", e.Name)
			return nil
		}
		check := common.NewFileCheck()
		path, err := se.text("Path of the file", "", false, func(s string) error {
			check.Describe(&s, "")() // looks at the file now: this mode has no screen to keep responsive
			return check.Validate(s)
		})
		if err != nil {
			return err
		}
		desc, err := se.text("What does it show?", "", true, common.Text("description"))
		if err != nil {
			return err
		}
		e, err := se.s.AddEvidenceFile(se.ctx, d.ID(), common.ExpandHome(common.CleanPath(path)), storeMeta("", desc), link, nil)
		if err != nil {
			se.say("Not attached: %s.", err)
			return nil
		}
		se.say("Attached %s (%s).", e.Name, assessment.FormatSize(e.Size))
		return nil
	})
}

// citation names a question's paragraph for a listener: "§164.312(a)(2)(iv), Encryption
// and decryption, addressable."
func citation(cat *controls.Catalog, q *controls.Question) string {
	if sp, ok := cat.Specification(q.Specification); ok {
		return fmt.Sprintf("§%s, %s, %s.", sp.ID, sp.Title, strings.ToLower(sp.Requirement.Label()))
	}
	if st, ok := cat.Standard(q.Standard); ok {
		return fmt.Sprintf("§%s, %s, standard.", st.ID, st.Title)
	}
	return ""
}
