package questions

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/common"
)

// The questionnaire's dialogs are common.Forms pushed on the stack. Their values live in
// variables outside the build function, so a failed save rebuilds the form with what was
// typed; a save ends in a SavedMsg, after which the form closes and the shell reloads.

// formContext is the question and the row a dialog is about.
func formContext(it *assessment.ItemView) string {
	return it.Question.Text + "\n(" + it.Question.ID + " · " + itemName(it) + ")"
}

// formTitle heads a dialog with its subject, the question ID and the row.
func formTitle(what string, it *assessment.ItemView) string {
	return what + " · " + it.Question.ID + " · " + itemName(it)
}

// statusOptions are the statuses a dialog can set besides its own subject; not
// applicable is left out because it needs its reason (key n).
func statusOptions() []huh.Option[string] {
	var out []huh.Option[string]
	for _, c := range assessment.ResponseStatuses {
		if c.Value != string(assessment.NotApplicable) {
			out = append(out, huh.NewOption(c.Label, c.Value))
		}
	}
	return out
}

// notApplicable asks why the row does not apply and saves it, then moves on. A gate
// answered not applicable takes its follow-up questions away.
func (w *Model) notApplicable() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	base, _ := baseResponse(it)
	reason := ""
	if base.Status == assessment.NotApplicable {
		reason = base.Reason
	}
	cat := w.data.Catalog
	follows := w.follows[it.Question.ID]
	desc := formContext(it)
	if len(follows) > 0 {
		desc += "\nAnswering not applicable also takes away " + assessment.Plural(len(follows), "follow-up question", "follow-up questions") + "."
	}
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewText().Title("Why does this not apply?").Description(desc).
				Placeholder("for example: this system never stores patient data").
				Lines(4).CharLimit(assessment.MaxTextLen).Value(&reason).
				Validate(func(s string) error {
					if strings.TrimSpace(s) == "" {
						return errors.New("say why it does not apply; an auditor will read this")
					}
					r, _ := assessment.AnswerAs(cat, it.Question, base, assessment.NotApplicable)
					r.Reason = strings.TrimSpace(s)
					return assessment.CheckConsistency(cat, r)
				}),
		))
	}
	submit := func() tea.Cmd {
		r, _ := assessment.AnswerAs(cat, it.Question, base, assessment.NotApplicable)
		r.Reason = strings.TrimSpace(reason)
		w.advance(follows...)
		return w.save(r, assessment.NotApplicable.Phrase(), it)
	}
	return common.Push(common.NewForm(w.e, formTitle("Not applicable", it), build, submit))
}

// notApplicableAll asks once why the current question does not apply to any of its
// systems, then answers every row not applicable with that reason.
func (w *Model) notApplicableAll() tea.Cmd {
	n := w.node()
	if n == nil || n.kind != kindQuestion || len(n.items) == 0 {
		return nil
	}
	it := &w.data.Items[n.items[0]]
	cat := w.data.Catalog
	var reason string
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewText().Title(fmt.Sprintf("Why does this not apply to any of the %d systems?", len(n.items))).
				Description(it.Question.Text + "\n(" + it.Question.ID + ")").
				Placeholder("for example: none of these systems stores patient data").
				Lines(4).CharLimit(assessment.MaxTextLen).Value(&reason).
				Validate(func(s string) error {
					if strings.TrimSpace(s) == "" {
						return errors.New("say why it does not apply; an auditor will read this")
					}
					return assessment.CheckConsistency(cat, assessment.Response{QuestionID: it.Question.ID,
						Status: assessment.NotApplicable, Reason: strings.TrimSpace(s)})
				}),
		))
	}
	submit := func() tea.Cmd { return w.applyAll(assessment.NotApplicable, strings.TrimSpace(reason)) }
	return common.Push(common.NewForm(w.e, "Not applicable · "+it.Question.ID+" · every system", build, submit))
}

// decisionOption is a decision as a dialog offers it; "" (no decision) for a gap says
// what stands in for it.
func decisionOption(d assessment.Decision) huh.Option[string] {
	if d == assessment.DecisionNone {
		return huh.NewOption("No decision now: plan a treatment on a risk linked to the gap", "")
	}
	return huh.NewOption(assessment.ChoiceLabel(assessment.Decisions, string(d)), string(d))
}

// decisionFields are the decision, the group describing it (none for "no decision now")
// and the group of an alternative measure's rationale, offering only what the consistency rules allow with *status. When the dialog
// also asks the status (fixed false), the choices follow it as it changes; otherwise they
// are listed at once, so keys typed right away land on them.
func decisionFields(cat *controls.Catalog, it *assessment.ItemView, fixed bool, status, dec, text, why *string) (main []huh.Field, describe, rationale *huh.Group) {
	options := func() []huh.Option[string] {
		var opts []huh.Option[string]
		st := assessment.ResponseStatus(*status)
		for _, d := range assessment.AllowedDecisions(cat, it.Question, st) {
			if d != assessment.DecisionNone || assessment.IsGap(st) {
				opts = append(opts, decisionOption(d))
			}
		}
		return opts
	}
	sel := huh.NewSelect[string]().Title("Addressable decision (§164.306(d)(3))").Description(formContext(it))
	if fixed {
		sel = sel.Options(options()...)
	} else {
		sel = sel.OptionsFunc(options, status)
	}
	main = []huh.Field{sel.Value(dec)}
	describe = huh.NewGroup(
		huh.NewText().TitleFunc(func() string {
			switch assessment.Decision(*dec) {
			case assessment.DecisionAlternative:
				return "Describe the equivalent alternative measure"
			case assessment.DecisionNotReasonable:
				return "Why is it not reasonable and appropriate here?"
			}
			return "How is it implemented? (optional)"
		}, dec).Lines(4).CharLimit(assessment.MaxTextLen).Value(text).
			Validate(func(s string) error {
				if strings.TrimSpace(s) == "" {
					switch assessment.Decision(*dec) {
					case assessment.DecisionAlternative:
						return errors.New("describe the alternative measure you use instead")
					case assessment.DecisionNotReasonable:
						return errors.New("document why it is not reasonable and appropriate; an auditor will ask")
					}
				}
				return assessment.CheckText("description", s)
			})).WithHideFunc(func() bool { return *dec == "" })
	// §164.306(d)(3)(ii)(B): an alternative measure also needs the rationale for not
	// implementing the specification as written.
	rationale = huh.NewGroup(huh.NewText().Title("Why is the specification as written not reasonable and appropriate here?").
		Lines(3).CharLimit(assessment.MaxTextLen).Value(why).
		Validate(func(s string) error {
			if strings.TrimSpace(s) == "" {
				return errors.New("an alternative measure needs the rationale for not implementing the specification as written")
			}
			return assessment.CheckText("rationale", s)
		})).WithHideFunc(func() bool { return assessment.Decision(*dec) != assessment.DecisionAlternative })
	return main, describe, rationale
}

// withDecision is r with the decision chosen in a dialog.
func withDecision(r assessment.Response, dec, text, why string) assessment.Response {
	r.Decision, r.DecisionText = assessment.Decision(dec), strings.TrimSpace(text)
	switch {
	case r.Decision == assessment.DecisionAlternative:
		r.Reason = strings.TrimSpace(why) // the alternative's rationale
	case r.Status != assessment.NotApplicable:
		r.Reason = ""
	}
	if r.Decision == assessment.DecisionNone {
		r.DecisionText = ""
	}
	r.Revalidate = false
	return r
}

// decisionAfter is the decision dialog that follows a gap answered on an addressable
// specification with no decision: the answer r is saved already; the dialog offers the
// decisions the rules allow with its status, "no decision now" first.
func (w *Model) decisionAfter(it *assessment.ItemView, r assessment.Response) tea.Cmd {
	status, dec, text, why := string(r.Status), "", "", ""
	cat := w.data.Catalog
	build := func() *huh.Form {
		main, describe, rationale := decisionFields(cat, it, true, &status, &dec, &text, &why)
		return huh.NewForm(huh.NewGroup(main...), describe, rationale)
	}
	submit := func() tea.Cmd {
		if dec == "" {
			return common.Emit(common.SavedMsg{Notice: fmt.Sprintf("No §164.306(d)(3) decision for %s (%s): plan a treatment on a risk linked to the gap under Risks.", itemName(it), it.Question.ID)})
		}
		return w.save(withDecision(r, dec, text, why), "the addressable decision", it)
	}
	return common.Push(common.NewForm(w.e, formTitle(r.Status.Short()+" · decision", it), build, submit))
}

// note edits the row's note; an unanswered row also gets an answer, since a note is kept
// with one.
func (w *Model) note() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	base, had := baseResponse(it)
	note, status := base.Note, string(base.Status)
	if !had {
		status = string(assessment.Flagged)
	}
	build := func() *huh.Form {
		var fields []huh.Field
		if !had {
			fields = append(fields, huh.NewSelect[string]().Title("Answer").
				Description("A note is kept with an answer. Flagged means you will come back to it.").
				Options(statusOptions()...).Value(&status))
		}
		fields = append(fields, huh.NewText().Title("Note").Description(formContext(it)).
			Placeholder("What you saw, who you asked, what is still missing…").
			Lines(6).CharLimit(assessment.MaxTextLen).Value(&note).Validate(common.Text("note")))
		return huh.NewForm(huh.NewGroup(fields...))
	}
	submit := func() tea.Cmd {
		r := base
		r.Status, r.Note, r.Revalidate = assessment.ResponseStatus(status), strings.TrimSpace(note), false
		return w.save(r, "the note", it)
	}
	return common.Push(common.NewForm(w.e, formTitle("Note", it), build, submit))
}

// decision records the §164.306(d)(3) decision of an addressable specification, offering
// the decisions the consistency rules allow with the row's status.
func (w *Model) decision() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	q := it.Question
	cat := w.data.Catalog
	if !assessment.TakesDecision(cat, q) {
		switch {
		case q.Specification == "":
			return common.Notice(fmt.Sprintf("This question covers the standard %s itself. Decisions under §164.306(d)(3) are only for addressable specifications, so there is nothing to record here.", citation(q.Standard)))
		case !it.Addressable(cat):
			return common.Notice(fmt.Sprintf("%s is a required specification: it must be implemented, so there is no addressable decision to record.", citation(q.Specification)))
		case q.Proposed:
			return common.Notice("This question comes from the 2025 proposed rule, which is not law, so it takes no §164.306(d)(3) decision.")
		}
		return common.Notice("This is a 42 CFR Part 2 duty, not a Security Rule specification, so it takes no §164.306(d)(3) decision.")
	}
	base, had := baseResponse(it)
	if had && (base.Status == assessment.NotApplicable || base.Status == assessment.Flagged) {
		return common.Notice("A " + strings.ToLower(base.Status.Short()) + " answer takes no §164.306(d)(3) decision; answer the row first, then record the decision.")
	}
	status, dec, text, why := string(base.Status), string(base.Decision), base.DecisionText, base.Reason
	if !had {
		status = string(assessment.Implemented)
	}
	if dec == "" && status == string(assessment.Implemented) {
		dec = string(assessment.DecisionAsSpecified)
	}
	build := func() *huh.Form {
		var fields []huh.Field
		if !had {
			var opts []huh.Option[string]
			for _, st := range []assessment.ResponseStatus{assessment.Implemented, assessment.Partial, assessment.NotImplemented} {
				opts = append(opts, huh.NewOption(st.Label(), string(st)))
			}
			fields = append(fields, huh.NewSelect[string]().Title("Answer").
				Description("The decision is kept with the answer to this row.").
				Options(opts...).Value(&status))
		}
		main, describe, rationale := decisionFields(cat, it, had, &status, &dec, &text, &why)
		return huh.NewForm(huh.NewGroup(append(fields, main...)...), describe, rationale)
	}
	submit := func() tea.Cmd {
		r := base
		r.Status = assessment.ResponseStatus(status)
		return w.save(withDecision(r, dec, text, why), "the addressable decision", it)
	}
	return common.Push(common.NewForm(w.e, formTitle("Addressable decision", it), build, submit))
}

// noRisk records (or, emptied, removes) why a gap leads to no risk: the other half of
// the gap-to-risk traceability beside the risks that list it.
func (w *Model) noRisk() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	tr, ok := w.data.Trace(it.Key())
	if !ok {
		return common.Notice("Only a gap (partially or not implemented, or flagged) leads to risks; this row is not one, so there is nothing to explain.")
	}
	reason, had := tr.Reason, tr.Reason != ""
	cat := w.data.Catalog
	k := it.Key()
	desc := formContext(it) + "\n" + w.linkedRisks(tr)
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewText().Title("Why does no risk follow from this gap?").Description(desc).
				Placeholder("for example: the server holds no patient data since the migration; it is wiped next month").
				Lines(4).CharLimit(assessment.MaxTextLen).Value(&reason).
				Validate(func(s string) error {
					if strings.TrimSpace(s) == "" && had {
						return nil // emptied: the reason is removed
					}
					return assessment.CheckNoRiskReason(cat, assessment.NoRiskReason{QuestionID: k.QuestionID, AssetID: k.AssetID, Reason: strings.TrimSpace(s)})
				}),
		))
	}
	ctx, s, id := w.e.Ctx, w.e.Store, w.data.ID()
	where := itemName(it)
	submit := func() tea.Cmd {
		text := strings.TrimSpace(reason)
		if text == "" {
			return common.Mutate(fmt.Sprintf("Removed the reason no risk follows from the gap in %s for %s.", k.QuestionID, where), func() error {
				return s.ClearNoRiskReason(ctx, id, k.QuestionID, k.AssetID)
			})
		}
		n := assessment.NoRiskReason{QuestionID: k.QuestionID, AssetID: k.AssetID, Reason: text}
		return common.Mutate(fmt.Sprintf("Recorded why no risk follows from the gap in %s for %s.", k.QuestionID, where), func() error {
			return s.SetNoRiskReason(ctx, id, n)
		})
	}
	return common.Push(common.NewForm(w.e, formTitle("No risk follows", it), build, submit))
}

// linkedRisks says in one line which risks list a gap.
func (w *Model) linkedRisks(tr *assessment.GapTrace) string {
	var parts []string
	for _, ri := range tr.Risks {
		r := w.data.Risks[ri]
		parts = append(parts, r.Ref+" "+r.Title)
	}
	s := "Confirmed risks from this gap: none."
	if len(parts) > 0 {
		s = "Confirmed risks from this gap: " + strings.Join(parts, "; ") + "."
	}
	if n := len(tr.Proposed); n > 0 {
		s += " " + assessment.Plural(n, "proposed risk waits", "proposed risks wait") + " under Risks."
	}
	return s
}

// owner changes who owns the row's control, with a reason, or restores the default.
func (w *Model) owner() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	def, _ := assessment.Owner(it.Question, it.Asset, nil)
	ov := it.Override
	owner, reason := string(it.Owner), ""
	if ov != nil {
		reason = ov.Reason
	}
	where := "the organization's own program"
	if it.Asset != nil {
		where = "systems hosted " + it.Asset.Hosting.Phrase()
	}
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewSelect[string]().Title("Who carries out this control?").
				Description(fmt.Sprintf("%s\nThe catalog's default for %s is %s; choosing it again removes the change.", formContext(it), where, strings.ToLower(def.Label()))).
				Options(
					huh.NewOption(controls.OwnerCustomer.Label()+": your organization does it", string(controls.OwnerCustomer)),
					huh.NewOption(controls.OwnerProvider.Label()+": the vendor does it", string(controls.OwnerProvider)),
					huh.NewOption(controls.OwnerShared.Label()+": both have a part", string(controls.OwnerShared)),
				).Value(&owner),
			huh.NewText().Title("Why does the default not fit?").
				Placeholder("For example: our contract makes us responsible for user access reviews.").
				Lines(3).CharLimit(assessment.MaxTextLen).Value(&reason).
				Validate(func(s string) error {
					if controls.Owner(owner) != def && strings.TrimSpace(s) == "" {
						return errors.New("give a reason; an auditor will ask why the default owner changed")
					}
					return assessment.CheckText("reason", s)
				}),
		))
	}
	ctx, s, id, k := w.e.Ctx, w.e.Store, w.data.ID(), it.Key()
	name := itemName(it)
	submit := func() tea.Cmd {
		chosen := controls.Owner(owner)
		if chosen == def {
			if ov == nil {
				return common.Emit(common.SavedMsg{Notice: fmt.Sprintf("The owner stays %s for %s.", strings.ToLower(def.Label()), name)})
			}
			return common.Mutate(fmt.Sprintf("Owner back to the catalog default (%s) for %s.", strings.ToLower(def.Label()), name), func() error {
				return s.ClearOverride(ctx, id, k.QuestionID, k.AssetID, ov.Version)
			})
		}
		o := assessment.Override{QuestionID: k.QuestionID, AssetID: k.AssetID, Owner: chosen, Reason: strings.TrimSpace(reason)}
		if ov != nil {
			o.Version = ov.Version // the override the user saw
		}
		note := fmt.Sprintf("Owner of %s for %s is now %s.", k.QuestionID, name, strings.ToLower(chosen.Label()))
		return common.Versioned(common.Describe(o), o.Version, func(version int64) common.SavedMsg {
			o.Version = version
			return common.SavedMsg{Notice: note, Err: s.SetOverride(ctx, id, o)}
		})
	}
	return common.Push(common.NewForm(w.e, formTitle("Owner", it), build, submit))
}

// evidence attaches a file or a typed note to the current row.
func (w *Model) evidence() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	kind, path, name, title, text, desc := "file", "", "", "", "", ""
	start := w.e.WorkDir
	check := common.NewFileCheck()
	build := func() *huh.Form {
		return huh.NewForm(
			huh.NewGroup(
				huh.NewSelect[string]().Title("What do you want to attach?").Description(formContext(it)).
					Options(
						huh.NewOption("A file: a policy, screenshot, export or vendor report", "file"),
						huh.NewOption("A file, chosen by browsing the folders", "browse"),
						huh.NewOption("A typed note: what you saw or were told", "note"),
					).Value(&kind),
			),
			huh.NewGroup(
				huh.NewInput().Title("File path").
					DescriptionFunc(check.Describe(&path, "The file is copied into the workspace's evidence vault; the original stays where it is. To browse instead, go back (shift+tab) and choose browsing."), &path).
					Placeholder("for example ~/Documents/backup-test-2026.pdf").Value(&path).
					Validate(check.Validate),
				huh.NewInput().Title("Name shown in the report (optional)").Placeholder("the file's own name").Value(&name),
				huh.NewInput().Title("What does it show? (optional)").Value(&desc).Validate(common.Text("description")),
			).WithHideFunc(func() bool { return kind != "file" }),
			huh.NewGroup(
				huh.NewFilePicker().Title("Choose the file").
					Description("Arrows move, enter opens a folder or picks the file, backspace goes up.").
					CurrentDirectory(start).Picking(true).Height(8).Value(&path).
					Validate(common.Required("file path", "pick a file to attach")),
				huh.NewInput().Title("What does it show? (optional)").Value(&desc).Validate(common.Text("description")),
			).WithHideFunc(func() bool { return kind != "browse" }),
			huh.NewGroup(
				huh.NewInput().Title("Title of the note").Placeholder("Walkthrough of the server room").Value(&title).
					Validate(common.Name("note title")),
				huh.NewText().Title("Note").Description("Who showed you what, and when.").Lines(6).Value(&text).
					Validate(common.Required("note", "type what you observed or were shown")),
			).WithHideFunc(func() bool { return kind != "note" }),
		)
	}
	ctx, s, id, k := w.e.Ctx, w.e.Store, w.data.ID(), it.Key()
	where := itemName(it)
	link := []assessment.EvidenceLink{{QuestionID: k.QuestionID, AssetID: k.AssetID}}
	submit := func() tea.Cmd {
		if kind == "note" {
			meta := store.EvidenceMeta{Name: strings.TrimSpace(title)}
			return func() tea.Msg {
				e, err := s.AddEvidenceNote(ctx, id, meta, text, link)
				return common.SavedMsg{Notice: fmt.Sprintf("Attached the note %q to %s (%s).", e.Name, where, k.QuestionID), Err: err}
			}
		}
		meta := store.EvidenceMeta{Name: strings.TrimSpace(name), Description: strings.TrimSpace(desc)}
		p := common.CleanPath(path)
		return func() tea.Msg {
			e, err := s.AddEvidenceFile(ctx, id, common.ExpandHome(p), meta, link, nil)
			return common.SavedMsg{Notice: fmt.Sprintf("Attached %s to %s (%s).", e.Name, where, k.QuestionID), Err: err}
		}
	}
	return common.Push(common.NewForm(w.e, formTitle("Attach evidence", it), build, submit))
}
