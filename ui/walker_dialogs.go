package ui

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
)

// The walker's dialogs are formScreens pushed on the stack. Their values live in variables
// outside the build function, so a failed save rebuilds the form with what was typed.

// reloader reloads this assessment after a form saved, so the shell and every section
// show the change.
func (w *walker) reloader() func() tea.Cmd {
	e, id := w.e, w.data.id()
	return func() tea.Cmd { return loadSnapshot(e.ctx, e.store, id) }
}

// wkFormContext is the question and the row a dialog is about.
func wkFormContext(it assessment.Item) string {
	return it.Question.Text + "\n(" + it.Question.ID + " · " + wkItemName(it) + ")"
}

// wkFormTitle heads a dialog with its subject, the question ID and the row.
func wkFormTitle(what string, it assessment.Item) string {
	return what + " · " + it.Question.ID + " · " + wkItemName(it)
}

// wkStatusOptions are the statuses a dialog can set besides its own subject; not
// applicable is left out because it needs its reason (key n).
func wkStatusOptions() []huh.Option[string] {
	var out []huh.Option[string]
	for _, c := range assessment.ResponseStatuses {
		if c.Value != string(assessment.NotApplicable) {
			out = append(out, huh.NewOption(c.Label, c.Value))
		}
	}
	return out
}

func wkNeedText(msg string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(msg)
		}
		return nil
	}
}

// wkMaxText refuses text longer than the store accepts.
func wkMaxText(s string) error {
	if n := len([]rune(s)); n > assessment.MaxTextLen {
		return fmt.Errorf("this is %d characters long; shorten it to %d", n, assessment.MaxTextLen)
	}
	return nil
}

// notApplicable asks why the row does not apply and saves it.
func (w *walker) notApplicable() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	base, _ := w.baseResponse(it)
	reason := base.Reason
	need := wkNeedText("Say why it does not apply; an auditor will read this.")
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewText().Title("Why does this not apply?").Description(wkFormContext(it)).
				Placeholder("For example: this system never stores patient data.").
				Lines(4).CharLimit(assessment.MaxTextLen).Value(&reason).
				Validate(func(s string) error {
					if err := need(s); err != nil {
						return err
					}
					return wkMaxText(s)
				}),
		))
	}
	submit := func() tea.Cmd {
		r := base
		r.Status, r.Reason, r.Revalidate = assessment.NotApplicable, strings.TrimSpace(reason), false
		return w.save(r, "not applicable", it)
	}
	return push(newFormScreen(w.e, wkFormTitle("Not applicable", it), build, submit, w.reloader()))
}

// note edits the row's note; an unanswered row also gets an answer, since a note is kept
// with one.
func (w *walker) note() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	base, had := w.baseResponse(it)
	note, status := base.Note, string(base.Status)
	if !had {
		status = string(assessment.Flagged)
	}
	build := func() *huh.Form {
		var fields []huh.Field
		if !had {
			fields = append(fields, huh.NewSelect[string]().Title("Answer").
				Description("A note is kept with an answer. Flagged means you will come back to it.").
				Options(wkStatusOptions()...).Value(&status))
		}
		fields = append(fields, huh.NewText().Title("Note").Description(wkFormContext(it)).
			Placeholder("What you saw, who you asked, what is still missing…").
			Lines(6).CharLimit(assessment.MaxTextLen).Value(&note).Validate(wkMaxText))
		return huh.NewForm(huh.NewGroup(fields...))
	}
	submit := func() tea.Cmd {
		r := base
		r.Status, r.Note, r.Revalidate = assessment.ResponseStatus(status), strings.TrimSpace(note), false
		return w.save(r, "the note", it)
	}
	return push(newFormScreen(w.e, wkFormTitle("Note", it), build, submit, w.reloader()))
}

// decision records the §164.306(d)(3) decision of an addressable specification.
func (w *walker) decision() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	cat := w.data.cat()
	q := it.Question
	if !wkAddressable(cat, q) {
		if q.Specification == "" {
			return wkNotice(fmt.Sprintf("This question covers the standard %s itself. Decisions under §164.306(d)(3) are only for addressable specifications, so there is nothing to record here.", wkCite(q.Standard)))
		}
		return wkNotice(fmt.Sprintf("%s is a required specification: it must be implemented, so there is no addressable decision to record.", wkCite(q.Specification)))
	}
	base, had := w.baseResponse(it)
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
				Options(wkStatusOptions()...).Value(&status))
		}
		var opts []huh.Option[string]
		for _, c := range assessment.Decisions {
			opts = append(opts, huh.NewOption(c.Label, c.Value))
		}
		fields = append(fields,
			huh.NewSelect[string]().Title("Addressable decision (§164.306(d)(3))").
				Description(wkFormContext(it)).Options(opts...).Value(&dec),
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
					return wkMaxText(s)
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
				return wkMaxText(s)
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
	return push(newFormScreen(w.e, wkFormTitle("Addressable decision", it), build, submit, w.reloader()))
}

// owner changes who owns the row's control, with a reason, or restores the default.
func (w *walker) owner() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	def, _ := assessment.Owner(it.Question, it.Asset, nil)
	cur, ov := w.data.owner(it)
	owner, reason := string(cur), ""
	if ov != nil {
		reason = ov.Reason
	}
	where := "the organisation's own programme"
	if it.Asset != nil {
		where = wkHosting(it.Asset.Hosting) + " systems"
	}
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewSelect[string]().Title("Who carries out this control?").
				Description(fmt.Sprintf("%s\nThe catalog's default for %s is %s; choosing it again removes the change.", wkFormContext(it), where, def)).
				Options(
					huh.NewOption("Customer: your organisation does it", string(controls.OwnerCustomer)),
					huh.NewOption("Provider: the vendor does it", string(controls.OwnerProvider)),
					huh.NewOption("Shared: both have a part", string(controls.OwnerShared)),
				).Value(&owner),
			huh.NewText().Title("Why does the default not fit?").
				Placeholder("For example: our contract makes us responsible for user access reviews.").
				Lines(3).CharLimit(assessment.MaxTextLen).Value(&reason).
				Validate(func(s string) error {
					if controls.Owner(owner) != def && strings.TrimSpace(s) == "" {
						return errors.New("give a reason; an auditor will ask why the default owner changed")
					}
					return wkMaxText(s)
				}),
		))
	}
	ctx, s, id, k := w.e.ctx, w.e.store, w.data.id(), it.Key()
	name := wkItemName(it)
	submit := func() tea.Cmd {
		if controls.Owner(owner) == def {
			if ov == nil {
				return func() tea.Msg { return savedMsg{notice: fmt.Sprintf("The owner stays %s for %s.", def, name)} }
			}
			return mutate(fmt.Sprintf("Owner back to the catalog default (%s) for %s.", def, name), func() error {
				return s.ClearOverride(ctx, id, k.QuestionID, k.AssetID, ov.Version)
			})
		}
		o := assessment.Override{QuestionID: k.QuestionID, AssetID: k.AssetID, Owner: controls.Owner(owner), Reason: strings.TrimSpace(reason)}
		if ov != nil {
			o.Version = ov.Version // the override the user saw
		}
		return mutate(fmt.Sprintf("Owner of %s for %s is now %s.", k.QuestionID, name, owner), func() error {
			return s.SetOverride(ctx, id, o)
		})
	}
	return push(newFormScreen(w.e, wkFormTitle("Owner", it), build, submit, w.reloader()))
}

// evidence attaches a file or a typed note to the current row.
func (w *walker) evidence() tea.Cmd {
	it, cmd := w.target()
	if cmd != nil {
		return cmd
	}
	kind, path, name, title, text, desc := "file", "", "", "", "", ""
	start, _ := os.Getwd()
	build := func() *huh.Form {
		return huh.NewForm(
			huh.NewGroup(
				huh.NewSelect[string]().Title("What do you want to attach?").Description(wkFormContext(it)).
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
					Validate(wkNeedText("type the path of the file to attach")),
				huh.NewInput().Title("Name shown in the report (optional)").Placeholder("the file's own name").Value(&name),
				huh.NewInput().Title("What does it show? (optional)").Value(&desc).Validate(wkMaxText),
			).WithHideFunc(func() bool { return kind != "file" }),
			huh.NewGroup(
				huh.NewFilePicker().Title("Choose the file").
					Description("Arrows move, enter opens a folder or picks the file, backspace goes up.").
					CurrentDirectory(start).Picking(true).Height(8).Value(&path).
					Validate(wkNeedText("pick a file to attach")),
				huh.NewInput().Title("What does it show? (optional)").Value(&desc).Validate(wkMaxText),
			).WithHideFunc(func() bool { return kind != "browse" }),
			huh.NewGroup(
				huh.NewInput().Title("Title of the note").Placeholder("Walkthrough of the server room").Value(&title).
					Validate(validName("note title")),
				huh.NewText().Title("Note").Description("Who showed you what, and when.").Lines(6).Value(&text).
					Validate(wkNeedText("type what you observed or were shown")),
			).WithHideFunc(func() bool { return kind != "note" }),
		)
	}
	ctx, s, id, k := w.e.ctx, w.e.store, w.data.id(), it.Key()
	where := wkItemName(it)
	link := []assessment.EvidenceLink{{QuestionID: k.QuestionID, AssetID: k.AssetID}}
	submit := func() tea.Cmd {
		if kind == "note" {
			meta := store.EvidenceMeta{Name: strings.TrimSpace(title)}
			return func() tea.Msg {
				e, err := s.AddEvidenceNote(ctx, id, meta, text, link)
				return savedMsg{notice: fmt.Sprintf("Attached the note %q to %s (%s).", e.Name, where, k.QuestionID), err: err}
			}
		}
		meta := store.EvidenceMeta{Name: strings.TrimSpace(name), Description: strings.TrimSpace(desc)}
		p := wkCleanPath(path)
		return func() tea.Msg {
			e, err := s.AddEvidenceFile(ctx, id, wkExpandHome(p), meta, link, nil)
			return savedMsg{notice: fmt.Sprintf("Attached %s to %s (%s).", e.Name, where, k.QuestionID), err: err}
		}
	}
	return push(newFormScreen(w.e, wkFormTitle("Attach evidence", it), build, submit, w.reloader()))
}

// wkCleanPath trims the quotes a terminal adds to a dragged-in path.
func wkCleanPath(p string) string {
	p = strings.TrimSpace(p)
	if len(p) >= 2 && (p[0] == '\'' || p[0] == '"') && p[len(p)-1] == p[0] {
		p = p[1 : len(p)-1]
	}
	return p
}

// wkExpandHome expands a leading ~/ to the home folder; it runs inside the command.
func wkExpandHome(p string) string {
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	return p
}
