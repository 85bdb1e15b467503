package incidents

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// The incident register in the accessible mode: the same steps as plain line prompts, for
// screen readers and terminals without cursor control. It drives the very forms of the
// tab (the same fields, the same checks, the same store changes, audited), asking for one
// field per prompt and printing plain text only: no escape sequence, whatever the terminal
// or NO_COLOR say. A bare Enter never chooses an action; for a value it keeps the value
// shown, which the prompt says. When the input ends, the flow returns ErrEndOfInput and
// the caller quits.

// ErrEndOfInput reports that the input ended: the accessible mode stops there.
var ErrEndOfInput = errors.New("the input ended")

// CutError is the input ending in the middle of a form: Entry (the form's title) was not
// saved. It is an ErrEndOfInput.
type CutError struct{ Entry string }

func (e *CutError) Error() string { return "the input ended in the middle of " + e.Entry }
func (e *CutError) Unwrap() error { return ErrEndOfInput }

// Accessible runs the incident register of assessment id on in and out until the user
// goes back (nil) or the input ends (ErrEndOfInput).
func Accessible(e *common.Env, id string, in io.Reader, out io.Writer) error {
	p := &prompter{e: e, id: id, in: &lineReader{r: in}, out: out}
	return p.register()
}

type prompter struct {
	e   *common.Env
	id  string
	in  *lineReader
	out io.Writer
	m   *Model // the tab, off screen: it builds the forms and the record's text
}

// lineReader reads lines one byte at a time, so it never takes input meant for whatever
// reads the same stream after it (the accessible menu's own prompts).
type lineReader struct{ r io.Reader }

func (l *lineReader) line() (string, error) {
	var b []byte
	var c [1]byte
	for {
		n, err := l.r.Read(c[:])
		if n == 1 {
			if c[0] == '\n' {
				return strings.TrimRight(string(b), "\r"), nil
			}
			b = append(b, c[0])
			continue
		}
		if err != nil {
			if len(b) > 0 && err == io.EOF {
				return string(b), nil
			}
			return "", ErrEndOfInput
		}
	}
}

// say writes text as plain lines.
func (p *prompter) say(format string, args ...any) {
	fmt.Fprintln(p.out, ansi.Strip(fmt.Sprintf(format, args...)))
}

// load reads the assessment afresh, as the tab would after a save.
func (p *prompter) load() error {
	snap, err := p.e.Store.Snapshot(p.e.Ctx, p.id)
	if err != nil {
		return err
	}
	p.m = New(p.e)
	p.m.SetStyles(common.NewStyles(true, true))
	p.m.SetSize(100, 10000)
	p.m.SetData(common.NewData(snap, time.Now()))
	return nil
}

// choose asks for one of labels by number; a bare Enter asks again. It returns the index.
func (p *prompter) choose(title string, labels []string) (int, error) {
	p.say("")
	p.say("%s", title)
	for i, l := range labels {
		p.say("%d. %s", i+1, l)
	}
	for {
		fmt.Fprintf(p.out, "Type a number from 1 to %d, then Enter: ", len(labels))
		s, err := p.in.line()
		if err != nil {
			p.say("")
			return 0, err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			p.say("Nothing was chosen; type one of the numbers.")
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > len(labels) {
			p.say("%q is not one of the numbers 1 to %d.", s, len(labels))
			continue
		}
		return n - 1, nil
	}
}

// register lists the incidents with their clocks and asks what to do.
func (p *prompter) register() error {
	for {
		if err := p.load(); err != nil {
			return err
		}
		d := p.m.data
		p.say("")
		p.say("Incidents of %s (%s): %s, clocks as of %s.", oneLine(d.Snap.Assessment.Title), oneLine(d.Snap.Assessment.Organization),
			assessment.Plural(len(d.Incidents), "incident", "incidents"), assessment.DocDate(d.Today))
		labels := []string{"Record a new incident"}
		for i := range d.Incidents {
			v := &d.Incidents[i]
			labels = append(labels, "Work on "+oneLine(v.Title)+" ("+v.ShortID()+"): "+summary(p.m, v))
		}
		labels = append(labels, "Back to the main menu")
		i, err := p.choose("What next?", labels)
		switch {
		case err != nil:
			return err
		case i == len(labels)-1:
			return nil
		case i == 0:
			id, err := p.runForm(p.m.factsForm(nil))
			if err != nil {
				return err
			}
			if id != "" {
				if err := p.incident(id); err != nil {
					return err
				}
			}
			continue
		}
		if err := p.incident(d.Incidents[i-1].ID); err != nil {
			return err
		}
	}
}

// summary is an incident's state and next duty in two sentences, worded to be read out.
func summary(m *Model, v *assessment.IncidentView) string {
	s := v.Status.Label() + ", " + notifyLabel(v) + ". "
	next, ok := v.Next()
	if !ok {
		l1, l2 := m.dutyLines(v, next, ok)
		return s + strings.TrimSpace(ansi.Strip(l1)+" "+ansi.Strip(l2))
	}
	s += fmt.Sprintf("Next: %s %s, due %s, %s, counted from %s", next.Title, dutyCite(next), assessment.DocDate(next.Due),
		assessment.DaysLeft(next.DaysLeft), clockFrom(v))
	if next.Paused > 0 {
		s += fmt.Sprintf(" plus %s paused by law enforcement", assessment.Plural(next.Paused, "day", "days"))
	}
	if next.Key == assessment.DutyOther {
		s = fmt.Sprintf("%sNext: %s, due %s, %s, set by the assessor", v.Status.Label()+", "+notifyLabel(v)+". ", next.Title,
			assessment.DocDate(next.Due), assessment.DaysLeft(next.DaysLeft))
	}
	return s + "."
}

// action is one thing the incident menu offers.
type action struct {
	label string
	run   func(v *assessment.IncidentView) (string, error)
}

// incident is one incident's menu, until the user goes back.
func (p *prompter) incident(id string) error {
	for {
		if err := p.load(); err != nil {
			return err
		}
		v := p.find(id)
		if v == nil {
			p.say("The incident is no longer in this assessment.")
			return nil
		}
		p.say("")
		p.say("Incident %s: %s. %s", v.ShortID(), oneLine(v.Title), summary(p.m, v))
		p.say("Incidents are never deleted: the record is kept six years (§164.316(b)(2)(i)); close one when its work is done.")
		acts := p.actions(v)
		labels := make([]string, 0, len(acts)+1)
		for _, a := range acts {
			labels = append(labels, a.label)
		}
		labels = append(labels, "Back to the list of incidents")
		i, err := p.choose("What next?", labels)
		if err != nil {
			return err
		}
		if i == len(acts) {
			return nil
		}
		if _, err := acts[i].run(v); err != nil {
			return err
		}
	}
}

func (p *prompter) find(id string) *assessment.IncidentView {
	for i := range p.m.data.Incidents {
		if p.m.data.Incidents[i].ID == id {
			p.m.cursor = i
			return &p.m.data.Incidents[i]
		}
	}
	return nil
}

// actions are the menu of an incident: read it, then each step of the decision, the
// notices, delays, deadlines and risks, closing, and the memo.
func (p *prompter) actions(v *assessment.IncidentView) []action {
	form := func(build func(v *assessment.IncidentView) *form) func(*assessment.IncidentView) (string, error) {
		return func(v *assessment.IncidentView) (string, error) { return p.runForm(build(v)) }
	}
	acts := []action{{"Read the whole record: facts, decision, clocks, notices, what is missing", p.read}}
	if v.Closed != "" {
		return append(acts,
			action{"Reopen the incident (it is closed)", form(p.m.reopenForm)},
			action{"Write the decision memo (PDF)", p.memo})
	}
	return append(acts,
		action{"Correct the facts", form(p.m.factsForm)},
		action{"Record whether the PHI was unsecured", form(p.m.securedForm)},
		action{"Record whether an exception applies", form(p.m.exceptionForm)},
		action{"Record one of the four factors", p.factor},
		action{"Record the conclusion", form(p.m.conclusionForm)},
		action{"Record a notice sent", form(p.m.noticeForm)},
		action{"Record a law-enforcement delay", form(p.m.delayForm)},
		action{"Add another deadline, or mark one met", p.deadline},
		action{"Raise a risk's likelihood because of this incident", p.cmdForm(p.m.linkForm)},
		action{"Close the incident", p.cmdForm(p.m.closeForm)},
		action{"Write the decision memo (PDF)", p.memo},
	)
}

// read prints every step of the incident's page as plain text.
func (p *prompter) read(v *assessment.IncidentView) (string, error) {
	m := p.m
	for st := range stepCount {
		m.step, m.item = st, -1
		p.say("")
		p.say("%s", stepTitles[st])
		for _, l := range m.content(v, 100, 1<<20) {
			p.say("%s", strings.TrimRight(l, " "))
		}
	}
	return "", nil
}

func (p *prompter) factor(v *assessment.IncidentView) (string, error) {
	labels := make([]string, 4)
	for n := 1; n <= 4; n++ {
		state := "not assessed yet"
		if _, ok := v.Factor(n); ok {
			state = "recorded"
		}
		labels[n-1] = fmt.Sprintf("%s %s (%s)", assessment.FactorCites[n-1], assessment.FactorTitles[n-1], state)
	}
	i, err := p.choose("Which factor?", labels)
	if err != nil {
		return "", err
	}
	return p.runForm(p.m.factorForm(v, i+1))
}

func (p *prompter) deadline(v *assessment.IncidentView) (string, error) {
	labels := []string{"Add a deadline"}
	for _, d := range v.Deadlines {
		labels = append(labels, "Update “"+oneLine(d.Name)+"” (due "+assessment.DocDay(d.Due)+")")
	}
	i, err := p.choose("Which deadline?", labels)
	if err != nil {
		return "", err
	}
	return p.runForm(p.m.deadlineForm(v, i-1))
}

// cmdForm adapts the steps that may refuse before a form opens (nothing to link, not
// ready to close): the refusal is said, or the form is run.
func (p *prompter) cmdForm(open func(*assessment.IncidentView) tea.Cmd) func(*assessment.IncidentView) (string, error) {
	return func(v *assessment.IncidentView) (string, error) {
		switch msg := open(v)().(type) {
		case common.NoticeMsg:
			p.say("%s", string(msg))
		case common.PushMsg:
			return p.runForm(msg.Screen.(*form))
		}
		return "", nil
	}
}

func (p *prompter) memo(v *assessment.IncidentView) (string, error) {
	msg, ok := p.m.memoForm()().(common.PushMsg)
	if !ok {
		return "", nil
	}
	return p.runForm(msg.Screen.(*form))
}

// runForm asks for each field of f, checks and saves it the way the tab does, and prints
// the outcome. A refusal keeps the answers and offers to change them. It returns the ID
// of the incident saved, "" when the step was left.
func (p *prompter) runForm(f *form) (string, error) {
	f.SetStyles(common.NewStyles(true, true))
	f.SetSize(100, 10000)
	p.say("")
	p.say("%s: %s", f.title, oneLine(f.subject))
	for {
		if err := p.fill(f); err != nil {
			if errors.Is(err, ErrEndOfInput) {
				return "", &CutError{Entry: f.title}
			}
			return "", err
		}
		cmd, err := func() (tea.Cmd, error) {
			for _, x := range f.fields {
				if !f.checkField(x) {
					return nil, errors.New(x.label + ": " + x.err)
				}
			}
			return f.submit(f)
		}()
		if err == nil {
			var id string
			if id, err = p.run(cmd); err == nil {
				return id, nil
			}
		}
		if errors.Is(err, ErrEndOfInput) {
			return "", err
		}
		p.say("Not saved: %s", err.Error())
		i, cerr := p.choose("What now?", []string{"Change the answers (they are kept)", "Leave this step without saving"})
		if cerr != nil {
			return "", cerr
		}
		if i == 1 {
			return "", nil
		}
	}
}

// run runs a form's save command to its end and prints what happened; a memo job is
// waited for, with its progress.
func (p *prompter) run(cmd tea.Cmd) (string, error) {
	var saved *common.SavedMsg
	var id string
	var memoErr error
	var walk func(msg tea.Msg)
	walk = func(msg tea.Msg) {
		switch msg := msg.(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				walk(c())
			}
		case common.SavedMsg:
			saved = &msg
		case focusMsg:
			id = msg.id
		case memoStartMsg:
			memoErr = p.waitMemo(msg.ch)
		}
	}
	walk(cmd())
	switch {
	case saved == nil:
		return "", errors.New("nothing was saved")
	case saved.Err != nil:
		return "", saved.Err
	case memoErr != nil:
		return "", memoErr
	}
	if saved.Notice != "" && !strings.HasSuffix(saved.Notice, "…") {
		p.say("%s", saved.Notice)
	}
	if id == "" {
		id = "saved"
	}
	return id, nil
}

// waitMemo follows a memo job to its end, saying its progress in quarters.
func (p *prompter) waitMemo(ch <-chan tea.Msg) error {
	p.say("Writing the memo.")
	said := 0
	for msg := range ch {
		switch msg := msg.(type) {
		case memoProgressMsg:
			if q := int(msg.percent * 4); q > said && q < 4 {
				said = q
				p.say("%d%% written.", q*25)
			}
		case memoDoneMsg:
			if msg.err != nil {
				return msg.err
			}
			w := msg.memo
			what := "the memo"
			if w.draft {
				what = "a draft memo (no conclusion yet; marked DRAFT on every page)"
			}
			p.say("Wrote %s to %s (%s). SHA-256 %s.", what, w.path, assessment.FormatSize(w.size), w.sha)
			if w.warning != "" {
				p.say("Note: %s.", w.warning)
			}
			return nil
		}
	}
	return errors.New("the memo was not finished")
}

// fill asks for every visible field in order, printing what the form shows above its
// fields (a derivation, a content check) whenever it changes.
func (p *prompter) fill(f *form) error {
	shown := ""
	ready := f.introAfter == ""
	for _, x := range f.fields {
		if x.kind == kindButton || !x.visible() {
			continue
		}
		if f.intro != nil && ready {
			if t := ansi.Strip(strings.Join(f.intro(f, 100), "\n")); t != shown {
				shown = t
				p.say("%s", t)
			}
		}
		if err := p.ask(f, x); err != nil {
			return err
		}
		ready = ready || x.id == f.introAfter
	}
	return nil
}

// ask asks for one field until its value passes the field's own check.
func (p *prompter) ask(f *form, x *field) error {
	p.say("")
	head := x.label
	if x.help != "" {
		head += ". " + x.help
	}
	p.say("%s", head)
	for again := false; ; again = true {
		var err error
		switch x.kind {
		case kindChoice:
			err = p.askChoice(x)
		case kindMulti:
			err = p.askMulti(x)
		default:
			err = p.askText(x, again)
		}
		if err != nil {
			return err
		}
		if f.checkField(x) {
			return nil
		}
		p.say("%s", x.err)
	}
}

func (p *prompter) askChoice(x *field) error {
	if slices.Equal(x.opts, yesNo) {
		for {
			fmt.Fprintf(p.out, "Answer yes or no, or press Enter to keep %q: ", strings.ToLower(x.opts[x.sel].Label))
			s, err := p.in.line()
			if err != nil {
				return err
			}
			switch strings.ToLower(strings.TrimSpace(s)) {
			case "":
				return nil
			case "y", "yes":
				x.choose(yes)
				return nil
			case "n", "no":
				x.choose(no)
				return nil
			}
			p.say("%q is neither yes nor no.", strings.TrimSpace(s))
		}
	}
	for i, o := range x.opts {
		cur := ""
		if i == x.sel {
			cur = " (current)"
		}
		p.say("%d. %s%s", i+1, o.Label, cur)
	}
	for {
		fmt.Fprintf(p.out, "Type a number from 1 to %d, or press Enter to keep %d: ", len(x.opts), x.sel+1)
		s, err := p.in.line()
		if err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(x.opts) {
			x.sel = n - 1
			return nil
		}
		p.say("%q is not one of the numbers 1 to %d.", s, len(x.opts))
	}
}

func (p *prompter) askMulti(x *field) error {
	if len(x.opts) == 0 {
		p.say("There is nothing to choose from.")
		return nil
	}
	for i, o := range x.opts {
		box := "not chosen"
		if x.on[i] {
			box = "chosen"
		}
		p.say("%d. %s (%s)", i+1, o.Label, box)
	}
	for {
		fmt.Fprint(p.out, "Type the numbers of all that apply, separated by commas; 0 for none; or press Enter to keep the choice as it is: ")
		s, err := p.in.line()
		if err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
		on := make([]bool, len(x.opts))
		bad := ""
		for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
			n, err := strconv.Atoi(part)
			switch {
			case err == nil && n == 0 && s == "0":
			case err != nil || n < 1 || n > len(x.opts):
				bad = part
			default:
				on[n-1] = true
			}
		}
		if bad != "" {
			p.say("%q is not one of the numbers 1 to %d.", bad, len(x.opts))
			continue
		}
		x.on = on
		return nil
	}
}

// askText asks for a line of text; again is true after the value was refused, when
// keeping it is no answer.
func (p *prompter) askText(x *field, again bool) error {
	cur := x.value()
	required := x.check != nil && x.check("") != nil
	switch {
	case again:
		fmt.Fprint(p.out, "Type it again: ")
	case cur == "" && required:
		fmt.Fprint(p.out, "Type it: ")
	case cur == "":
		fmt.Fprint(p.out, "Type it, or press Enter to leave it blank: ")
	default:
		p.say("Now: %s", assessment.SafeLine(cur))
		fmt.Fprint(p.out, "Type a new value, a single - to clear it, or press Enter to keep it: ")
	}
	s, err := p.in.line()
	if err != nil {
		return err
	}
	s = strings.TrimSpace(s)
	switch {
	case s == "" && !again:
		return nil
	case s == "-":
		s = ""
	}
	if x.kind == kindArea {
		x.area.SetValue(s)
	} else {
		x.line.SetValue(s)
	}
	return nil
}
