package questions

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
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

// notApplicable asks why the row does not apply and saves it.
func (w *Model) notApplicable() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	base, _ := baseResponse(it)
	reason := base.Reason
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewText().Title("Why does this not apply?").Description(formContext(it)).
				Placeholder("For example: this system never stores patient data.").
				Lines(4).CharLimit(assessment.MaxTextLen).Value(&reason).
				Validate(common.Required("reason", "say why it does not apply; an auditor will read this")),
		))
	}
	submit := func() tea.Cmd {
		r := base
		r.Status, r.Reason, r.Revalidate = assessment.NotApplicable, strings.TrimSpace(reason), false
		return w.save(r, assessment.NotApplicable.Phrase(), it)
	}
	return common.Push(common.NewForm(w.e, formTitle("Not applicable", it), build, submit))
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

// decision records the §164.306(d)(3) decision of an addressable specification.
func (w *Model) decision() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	q := it.Question
	if !it.Addressable(w.data.Catalog) {
		if q.Specification == "" {
			return common.Notice(fmt.Sprintf("This question covers the standard %s itself. Decisions under §164.306(d)(3) are only for addressable specifications, so there is nothing to record here.", citation(q.Standard)))
		}
		return common.Notice(fmt.Sprintf("%s is a required specification: it must be implemented, so there is no addressable decision to record.", citation(q.Specification)))
	}
	base, had := baseResponse(it)
	dec, text, status, why := string(base.Decision), base.DecisionText, string(base.Status), base.Reason
	if dec == "" {
		dec = string(assessment.DecisionAsSpecified)
	}
	if !had {
		status = string(assessment.Implemented)
	}
	build := func() *huh.Form {
		var fields []huh.Field
		if !had {
			fields = append(fields, huh.NewSelect[string]().Title("Answer").
				Description("The decision is kept with the answer to this row.").
				Options(statusOptions()...).Value(&status))
		}
		var opts []huh.Option[string]
		for _, c := range assessment.Decisions {
			opts = append(opts, huh.NewOption(c.Label, c.Value))
		}
		fields = append(fields,
			huh.NewSelect[string]().Title("Addressable decision (§164.306(d)(3))").
				Description(formContext(it)).Options(opts...).Value(&dec),
			huh.NewText().TitleFunc(func() string {
				switch assessment.Decision(dec) {
				case assessment.DecisionAlternative:
					return "Describe the equivalent alternative measure"
				case assessment.DecisionNotReasonable:
					return "Why is it not reasonable and appropriate here?"
				}
				return "How is it implemented? (optional)"
			}, &dec).Lines(4).CharLimit(assessment.MaxTextLen).Value(&text).
				Validate(func(s string) error {
					if strings.TrimSpace(s) == "" {
						switch assessment.Decision(dec) {
						case assessment.DecisionAlternative:
							return errors.New("describe the alternative measure you use instead")
						case assessment.DecisionNotReasonable:
							return errors.New("document why it is not reasonable and appropriate; an auditor will ask")
						}
					}
					return assessment.CheckText("description", s)
				}),
		)
		// §164.306(d)(3)(ii)(B): an alternative measure also needs the rationale for not
		// implementing the specification as written.
		rationale := huh.NewText().Title("Why is the specification as written not reasonable and appropriate here?").
			Lines(3).CharLimit(assessment.MaxTextLen).Value(&why).
			Validate(func(s string) error {
				if strings.TrimSpace(s) == "" {
					return errors.New("an alternative measure needs the rationale for not implementing the specification as written")
				}
				return assessment.CheckText("rationale", s)
			})
		return huh.NewForm(huh.NewGroup(fields...),
			huh.NewGroup(rationale).WithHideFunc(func() bool { return assessment.Decision(dec) != assessment.DecisionAlternative }))
	}
	submit := func() tea.Cmd {
		r := base
		r.Status, r.Decision, r.DecisionText = assessment.ResponseStatus(status), assessment.Decision(dec), strings.TrimSpace(text)
		switch {
		case r.Decision == assessment.DecisionAlternative:
			r.Reason = strings.TrimSpace(why) // the alternative's rationale
		case r.Status != assessment.NotApplicable:
			r.Reason = ""
		}
		r.Revalidate = false
		return w.save(r, "the addressable decision", it)
	}
	return common.Push(common.NewForm(w.e, formTitle("Addressable decision", it), build, submit))
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
					Description("The file is copied into the workspace's evidence vault; the original stays where it is.").
					Placeholder("~/Documents/backup-test-2026.pdf").Value(&path).
					Validate(common.Required("file path", "type the path of the file to attach")),
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
		p := cleanPath(path)
		return func() tea.Msg {
			e, err := s.AddEvidenceFile(ctx, id, expandHome(p), meta, link, nil)
			return common.SavedMsg{Notice: fmt.Sprintf("Attached %s to %s (%s).", e.Name, where, k.QuestionID), Err: err}
		}
	}
	return common.Push(common.NewForm(w.e, formTitle("Attach evidence", it), build, submit))
}

// cleanPath trims the quotes a terminal adds to a dragged-in path.
func cleanPath(p string) string {
	p = strings.TrimSpace(p)
	if len(p) >= 2 && (p[0] == '\'' || p[0] == '"') && p[len(p)-1] == p[0] {
		p = p[1 : len(p)-1]
	}
	return p
}

// expandHome expands a leading ~/ to the home folder; it runs inside the command.
func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	return p
}
