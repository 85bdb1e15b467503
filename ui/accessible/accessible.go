// Package accessible is safeguard's plain-prompt mode, for screen readers, braille
// displays and terminals that cannot draw a full screen (TERM=dumb): numbered menus and
// one question per line, covering the whole journey (who is working, creating an
// assessment, setup, answering, risks, reports and exports, readiness and sign-off) with
// the same store functions and rules as the full-screen interface. It writes no escape
// sequences. The end of the input quits: cleanly at a menu, with an error when it cuts an
// entry short (nothing of that entry is saved).
package accessible

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/incidents"
)

// Options configure a session.
type Options struct {
	Store   *store.Store
	Catalog *controls.Catalog
	In      io.Reader
	Out     io.Writer
	// WorkDir is the folder relative output paths are written in.
	WorkDir string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// session is one run of the plain-prompt mode.
type session struct {
	prompter
	ctx context.Context
	s   *store.Store
	cat *controls.Catalog
	dir string
	now func() time.Time
}

// errQuit ends the session at the user's request.
var errQuit = errors.New("quit")

// Run runs the plain-prompt mode until the user quits or the input ends. It returns nil
// on a quit or when the input ends at a menu, and an error when the input ends inside an
// entry (which is not saved) or the workspace fails.
func Run(ctx context.Context, opts Options) error {
	se := &session{prompter: prompter{in: bufio.NewReader(opts.In), out: opts.Out},
		ctx: ctx, s: opts.Store, cat: opts.Catalog, dir: opts.WorkDir, now: opts.Now}
	if se.now == nil {
		se.now = time.Now
	}
	err := se.run()
	switch {
	case errors.Is(err, errEOF) && se.cut != "":
		return fmt.Errorf("the input ended in the middle of %s; that entry was not saved", se.cut)
	case errors.Is(err, errEOF):
		se.say("The input ended. Everything answered so far is saved. Goodbye.")
		return nil
	case errors.Is(err, errQuit):
		se.say("Goodbye. Everything answered so far is saved.")
		return nil
	}
	return err
}

func (se *session) run() error {
	se.say("safeguard, HIPAA Security Rule risk analysis, in plain prompts.")
	se.say("Workspace: %s.", se.s.Path())
	if err := se.whoAtStart(); err != nil {
		return err
	}
	for {
		if err := se.home(); err != nil {
			return err
		}
	}
}

// home is the top menu: the assessments, creating one, who is working, quitting.
func (se *session) home() error {
	list, err := se.s.Assessments(se.ctx)
	if err != nil {
		return err
	}
	se.say("")
	se.say("%s in this workspace. Working as %s.", assessment.Plural(len(list), "assessment", "assessments"), se.s.Actor())
	var opts []string
	for _, a := range list {
		opts = append(opts, fmt.Sprintf("Open %s, %s (%s, changed %s)", a.Title, a.Organization, a.Status.Label(), assessment.DocDate(a.UpdatedAt)))
	}
	opts = append(opts, "Create a new assessment", "Choose who is working, or add people", "Quit")
	i, err := se.choose("What next?", opts)
	if err != nil {
		return err
	}
	switch {
	case i < len(list):
		return se.assessment(list[i].ID)
	case i == len(list):
		return se.create()
	case i == len(list)+1:
		return se.who(false)
	}
	return errQuit
}

// create makes a new assessment from its organization and title.
func (se *session) create() error {
	return se.within("creating an assessment", func() error {
		org, err := se.text("Organization name", "", false, common.Name("organization name"))
		if err != nil {
			return err
		}
		title, err := se.text("Title of the assessment, for example 2026 risk analysis", "", false, common.Name("title"))
		if err != nil {
			return err
		}
		a, err := se.s.CreateAssessment(se.ctx, store.NewAssessment{Title: title, Organization: org, CatalogVersion: se.cat.Version})
		if err != nil {
			se.say("Not created: %s.", err)
			return nil
		}
		se.say("Created %s. Open it from the list to set it up and answer its questions.", a.Title)
		return nil
	})
}

// whoAtStart asks who is working when the workspace lists people and none of them is
// working yet: every change is recorded under that name.
func (se *session) whoAtStart() error {
	people, err := se.s.People(se.ctx)
	if err != nil || len(people) == 0 {
		return err
	}
	for _, p := range people {
		if strings.EqualFold(p.Name, se.s.Actor()) {
			return nil // the home menu says who is working
		}
	}
	return se.who(true)
}

// who chooses the person working from the workspace's people, or adds someone. must is
// true while nobody from the list works yet: leaving then quits.
func (se *session) who(must bool) error {
	for {
		people, err := se.s.People(se.ctx)
		if err != nil {
			return err
		}
		if len(people) == 0 {
			se.say("Nobody is listed yet, so changes are recorded as %s.", se.s.Actor())
		} else {
			se.say("Answers, evidence, sign-offs and the audit trail record the person working.")
		}
		var opts []string
		for _, p := range people {
			o := "I am " + p.Name
			if p.Role != "" {
				o += ", " + p.Role
			}
			opts = append(opts, o)
		}
		opts = append(opts, "Add someone who works here")
		back := "Back"
		if must {
			back = "Quit"
		}
		opts = append(opts, back)
		i, err := se.choose("Who is working?", opts)
		if err != nil {
			return err
		}
		switch {
		case i < len(people):
			p, err := se.s.SetActor(se.ctx, people[i].Name)
			if err != nil {
				return err
			}
			if err := se.s.RememberActor(se.ctx, p.Name); err != nil {
				se.say("Note: %s.", err)
			}
			se.say("Working as %s: changes are recorded under this name.", p.Name)
			return nil
		case i == len(people):
			if err := se.addPerson(); err != nil {
				return err
			}
		case must:
			return errQuit
		default:
			return nil
		}
	}
}

func (se *session) addPerson() error {
	return se.within("adding a person", func() error {
		name, err := se.text("Name, as the audit trail and sign-offs should show it", "", false, common.Name("person's name"))
		if err != nil {
			return err
		}
		role, err := se.text("Role, for example Security official", "", true, common.Text("role"))
		if err != nil {
			return err
		}
		if _, err := se.s.AddPerson(se.ctx, name, role); err != nil {
			se.say("Not added: %s.", err)
			return nil
		}
		se.say("Added %s. Choose them to work as them.", name)
		return nil
	})
}

// load reads an assessment and analyzes it as of now.
func (se *session) load(id string) (*common.Data, error) {
	snap, err := se.s.Snapshot(se.ctx, id)
	if err != nil {
		return nil, err
	}
	return common.NewData(snap, se.now()), nil
}

// assessment is an open assessment's menu, until the user goes back.
func (se *session) assessment(id string) error {
	for {
		d, err := se.load(id)
		if err != nil {
			return err
		}
		a := d.Snap.Assessment
		sum := d.Summary.Overall
		se.say("")
		se.say("%s, %s. Status: %s. %s answered (%s of %s items).", a.Title, a.Organization, a.Status.Label(),
			d.Answered(), assessment.FormatInt(sum.Answered()), assessment.FormatInt(sum.Applicable))
		// The figures add up to the heading's: proposed-rule items are counted apart.
		open, flagged, proposed := 0, 0, 0
		for _, it := range d.Items {
			switch {
			case !it.Open():
			case it.Question.Proposed:
				proposed++
			case it.Status == assessment.Flagged && !it.Carried:
				flagged++
			default:
				open++
			}
		}
		answerLabel := fmt.Sprintf("Answer questions (%s without an answer, %s flagged for follow-up", assessment.FormatInt(open), assessment.FormatInt(flagged))
		if proposed > 0 {
			answerLabel += ", " + assessment.Plural(proposed, "open 2025 proposed-rule item", "open 2025 proposed-rule items")
		}
		answerLabel += ")"
		proposed, confirmed := 0, 0
		for _, r := range d.Risks {
			switch {
			case r.Status == assessment.RiskProposed:
				proposed++
			case r.Confirmed():
				confirmed++
			}
		}
		// final marks what a final assessment still offers: reading and incidents.
		menu := []struct {
			label string
			fn    func(*common.Data) error
			final bool
		}{
			{answerLabel, se.answer, false},
			{"Set up: the organization profile", se.profile, false},
			{fmt.Sprintf("Set up: systems (%d) and data flows (%d)", len(d.Snap.Assets), len(d.Snap.Flows)), se.assets, false},
			{fmt.Sprintf("Set up: vendors (%d)", len(d.Snap.Vendors)), se.vendors, false},
			{"Set up: method, threat sources, periodic review and vendor reviews", se.method, false},
			{fmt.Sprintf("Risks: %d proposed, %d confirmed (accept, rate, treat, dismiss)", proposed, confirmed), se.risks, false},
			{"Write a report or an export", se.report, true},
			{fmt.Sprintf("Readiness and sign-off (%s)", assessment.Plural(len(d.Summary.Readiness), "item blocks", "items block")), se.finalize, true},
			{fmt.Sprintf("Incidents and breach notification (%s)", assessment.Plural(len(d.Incidents), "incident", "incidents")), se.incidents, true},
			{"Back to the list of assessments", nil, true},
		}
		labels := make([]string, len(menu))
		for i, m := range menu {
			labels[i] = m.label
		}
		i, err := se.choose("What do you want to do?", labels)
		if err != nil {
			return err
		}
		if menu[i].fn == nil {
			return nil
		}
		if d.Final() && !menu[i].final {
			se.say("This assessment is final and locked; only reports, the sign-off and incidents can be seen. Start a new revision to change it (full-screen Finalize tab, or safeguard revise).")
			continue
		}
		if err := menu[i].fn(d); err != nil {
			return err
		}
	}
}

// incidents runs the assessment's incident register (breach notification) as the Incidents
// tab's own plain prompts, which drive the tab's forms and checks; incidents stay editable
// when the assessment is final. The register reads the same input: the end of it at a menu
// quits cleanly, inside a form it names the form that was not saved.
func (se *session) incidents(d *common.Data) error {
	err := incidents.Accessible(common.NewEnv(se.ctx, se.s, se.cat), d.Snap.Assessment.ID, se.in, se.out)
	var cut *incidents.CutError
	switch {
	case errors.As(err, &cut):
		se.cut = fmt.Sprintf("the form %q", cut.Entry)
		return errEOF
	case errors.Is(err, incidents.ErrEndOfInput):
		return errEOF
	}
	return err
}
