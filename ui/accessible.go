package ui

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"charm.land/huh/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/common"
)

// runAccessible is the screen-reader mode: plain line prompts, one question at a time, no
// full-screen drawing. It covers the daily work: create an assessment and answer its
// questions, with the same rules and the same immediate saving as the TUI.
func runAccessible(ctx context.Context, opts Options) error {
	p := prompter{ctx: ctx, s: opts.Store, cat: opts.Catalog, out: os.Stdout}
	return p.menu()
}

type prompter struct {
	ctx context.Context
	s   *store.Store
	cat *controls.Catalog
	out io.Writer
}

// ask runs one single-field form: huh's accessible mode reads one answer per line, and
// one field per form avoids its trouble with several selects on piped input.
func (p prompter) ask(f huh.Field) error {
	return huh.NewForm(huh.NewGroup(f)).WithAccessible(true).WithOutput(p.out).RunWithContext(p.ctx)
}

func (p prompter) menu() error {
	for {
		list, err := p.s.Assessments(p.ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(p.out, "\n%s in %s.\n", assessment.Plural(len(list), "assessment", "assessments"), p.s.Path())
		opts := []huh.Option[string]{huh.NewOption("Create a new assessment", "new")}
		for _, a := range list {
			label := fmt.Sprintf("Answer questions in %s, %s (%s, changed %s)", a.Title, a.Organization, a.Status.Label(), assessment.DocDate(a.UpdatedAt))
			opts = append(opts, huh.NewOption(label, a.ID))
		}
		opts = append(opts, incidentOptions(list)...)
		opts = append(opts, huh.NewOption("Quit", "quit"))
		var choice string
		if err := p.ask(huh.NewSelect[string]().Title("What next?").Options(opts...).Value(&choice)); err != nil || choice == "quit" {
			return nil
		}
		if choice == "new" {
			p.create()
			continue
		}
		if handled, ended := p.incidents(choice); handled {
			if ended {
				return nil
			}
			continue
		}
		if err := p.answer(choice); err != nil {
			fmt.Fprintln(p.out, "Error:", err)
		}
	}
}

func (p prompter) create() {
	var org, title string
	if p.ask(huh.NewInput().Title("Organization name").Value(&org).Validate(common.Name("organization name"))) != nil {
		return
	}
	if p.ask(huh.NewInput().Title("Title of the assessment").Value(&title).Validate(common.Name("title"))) != nil {
		return
	}
	a, err := p.s.CreateAssessment(p.ctx, store.NewAssessment{Title: title, Organization: org, CatalogVersion: p.cat.Version})
	if err != nil {
		fmt.Fprintln(p.out, "Error:", err)
		return
	}
	fmt.Fprintf(p.out, "Created %s. Describe its systems and vendors in the full-screen view, or answer its questions now.\n", a.Title)
}

// answer walks the assessment's unanswered and flagged items in catalog order.
func (p prompter) answer(id string) error {
	snap, err := p.s.Snapshot(p.ctx, id)
	if err != nil {
		return err
	}
	if snap.Assessment.Status == assessment.StatusFinal {
		fmt.Fprintln(p.out, "This assessment is final and locked; start a new revision to change it.")
		return nil
	}
	d := common.NewData(snap, time.Now())
	var todo []assessment.ItemView
	for _, it := range d.Items {
		if it.Status == "" || it.Status == assessment.Flagged {
			todo = append(todo, it)
		}
	}
	fmt.Fprintf(p.out, "%d of %d questions are unanswered or flagged.\n", len(todo), len(d.Items))
	for i, it := range todo {
		stop, err := p.answerItem(d, it, i+1, len(todo))
		if err != nil {
			fmt.Fprintln(p.out, "Error:", err)
		}
		if stop {
			break
		}
	}
	return nil
}

const (
	choiceSkip = "skip"
	choiceStop = "stop"
)

func (p prompter) answerItem(d *common.Data, it assessment.ItemView, n, total int) (stop bool, err error) {
	q := it.Question
	fmt.Fprintf(p.out, "\nQuestion %d of %d. %s\n%s\n", n, total, p.citation(q), q.Text)
	if it.Asset != nil {
		fmt.Fprintf(p.out, "For the system %s (hosted %s; owner: %s).\n", it.Asset.Name, it.Asset.Hosting.Phrase(), it.Owner.Label())
	}
	fmt.Fprintf(p.out, "Why it matters: %s\n", strings.Join(strings.Fields(q.Help), " "))
	fmt.Fprintf(p.out, "Evidence that shows it: %s.\n", strings.Join(q.Evidence, "; "))
	var status string
	opts := []huh.Option[string]{}
	for _, c := range assessment.ResponseStatuses {
		opts = append(opts, huh.NewOption(c.Label, c.Value))
	}
	opts = append(opts, huh.NewOption("Skip this question for now", choiceSkip), huh.NewOption("Stop answering", choiceStop))
	if err := p.ask(huh.NewSelect[string]().Title("Answer").Options(opts...).Value(&status)); err != nil || status == choiceStop {
		return true, nil
	}
	if status == choiceSkip {
		return false, nil
	}
	r := assessment.Response{QuestionID: q.ID, Status: assessment.ResponseStatus(status)}
	if it.Asset != nil {
		r.AssetID = it.Asset.ID
	}
	if old, ok := d.Responses[it.Key()]; ok && old != nil {
		r.Version = old.Version // the (flagged) answer shown
	}
	if err := p.details(q, &r); err != nil {
		return true, nil
	}
	res, err := p.s.SaveResponse(p.ctx, d.ID(), r)
	if err != nil {
		return false, err
	}
	msg := "Saved."
	if res.Proposed > 0 {
		msg += fmt.Sprintf(" %d risks proposed from this gap.", res.Proposed)
	}
	fmt.Fprintln(p.out, msg)
	return false, nil
}

// details asks what the answer needs besides its status: the reason for not applicable,
// and the §164.306(d)(3) decision for addressable specifications.
func (p prompter) details(q *controls.Question, r *assessment.Response) error {
	if r.Status == assessment.NotApplicable {
		return p.ask(huh.NewInput().Title("Why does it not apply?").Value(&r.Reason).Validate(common.Name("reason")))
	}
	sp, ok := p.cat.Specification(q.Specification)
	if !ok || sp.Requirement != controls.Addressable || r.Status == assessment.Flagged {
		return nil
	}
	var dec string
	opts := []huh.Option[string]{}
	for _, c := range assessment.Decisions {
		opts = append(opts, huh.NewOption(c.Label, c.Value))
	}
	opts = append(opts, huh.NewOption("Decide later", ""))
	if err := p.ask(huh.NewSelect[string]().Title("Addressable specification: your decision under §164.306(d)(3)").Options(opts...).Value(&dec)); err != nil {
		return err
	}
	r.Decision = assessment.Decision(dec)
	switch r.Decision {
	case assessment.DecisionAlternative:
		if err := p.ask(huh.NewText().Title("Describe the alternative measure").Value(&r.DecisionText).Validate(common.Name("description"))); err != nil {
			return err
		}
		return p.ask(huh.NewText().Title("Why is the specification as written not reasonable and appropriate?").Value(&r.Reason).Validate(common.Name("rationale")))
	case assessment.DecisionNotReasonable:
		return p.ask(huh.NewText().Title("Why is it not reasonable and appropriate?").Value(&r.DecisionText).Validate(common.Name("rationale")))
	}
	return nil
}

func (p prompter) citation(q *controls.Question) string {
	if sp, ok := p.cat.Specification(q.Specification); ok {
		return fmt.Sprintf("§%s %s, %s.", sp.ID, sp.Title, sp.Requirement)
	}
	if st, ok := p.cat.Standard(q.Standard); ok {
		return fmt.Sprintf("§%s %s, standard.", st.ID, st.Title)
	}
	return ""
}
