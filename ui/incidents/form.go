package incidents

import (
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// form is one step of the decision as a dialog: a short list of fields in the keyboard
// style of the risk editor (tab or enter to move, ←/→ to change a choice, space to tick,
// ctrl+s to save). It is a model of its own rather than a huh form for three reasons: what
// it shows above the fields follows the values as they change (the secured/unsecured
// derivation, the §164.404(c) checklist), fields appear and disappear with other fields'
// values (a business associate's dates), and esc on a changed form asks before it throws
// the typing away.
//
// Values are checked when a field is left and again on save, each refusal one sentence
// next to its field; the store's own refusal keeps the form open with everything typed.
// A save ends in a SavedMsg, which the form hands to the shell (which reloads) as it
// closes.
type form struct {
	e       *common.Env
	title   string
	subject string // what the form is about: the incident's title
	// intro is drawn above the fields from the values as they stand; nil for none. The
	// accessible mode reads it out whenever it changes, from the field introAfter on ("":
	// from the start).
	intro      func(f *form, w int) []string
	introAfter string
	fields     []*field
	// submit checks the whole form and returns the command that saves it (ending in a
	// SavedMsg), or the sentence that says what is wrong.
	submit func(f *form) (tea.Cmd, error)

	focus   int
	offset  int // first row drawn, when the form is taller than the screen
	saving  bool
	confirm bool // esc on a changed form: discard?
	err     string
	initial []string
	width   int
	height  int
	styles  common.Styles
}

type fieldKind int

const (
	kindChoice fieldKind = iota // one of opts, changed with ←/→
	kindLine                    // one line of text
	kindArea                    // free text over several lines
	kindMulti                   // any of opts, ticked with space
	kindButton                  // the save button
)

// field is one row of a form.
type field struct {
	id    string
	label string
	help  string // shown under the field while it has focus
	kind  fieldKind
	opts  []assessment.Choice
	sel   int    // kindChoice
	on    []bool // kindMulti
	cur   int    // kindMulti: the option under the cursor
	line  textinput.Model
	area  textarea.Model
	// check refuses a bad value with one sentence when the field is left and on save.
	check func(v string) error
	// show hides the field while it returns false (nil: always shown); a hidden field's
	// value is kept but not saved.
	show func() bool
	err  string
	// fresh is a line that arrived with a value and has not been touched since it was
	// focused: the first character typed replaces the value, as in every form of the
	// interface; an arrow key first keeps it for editing.
	fresh bool
}

func (f *field) visible() bool { return f.show == nil || f.show() }

// value is the field's value: the chosen option, the text trimmed, or the ticked options'
// values joined by commas.
func (f *field) value() string {
	switch f.kind {
	case kindChoice:
		if f.sel >= 0 && f.sel < len(f.opts) {
			return f.opts[f.sel].Value
		}
	case kindLine:
		return strings.TrimSpace(f.line.Value())
	case kindArea:
		return strings.TrimSpace(f.area.Value())
	case kindMulti:
		return strings.Join(f.values(), ",")
	}
	return ""
}

// values are the ticked options' values, in option order.
func (f *field) values() []string {
	var out []string
	for i, o := range f.opts {
		if f.on[i] {
			out = append(out, o.Value)
		}
	}
	return out
}

// yes reports whether a yes/no choice says yes.
func (f *field) yes() bool { return f.value() == yes }

// choose selects the option whose value is v, if there is one.
func (f *field) choose(v string) {
	if i := slices.IndexFunc(f.opts, func(c assessment.Choice) bool { return c.Value == v }); i >= 0 {
		f.sel = i
	}
}

// tick ticks the options whose values are in vs.
func (f *field) tick(vs []string) {
	for i, o := range f.opts {
		f.on[i] = slices.Contains(vs, o.Value)
	}
}

const (
	yes = "yes"
	no  = "no"
)

var yesNo = []assessment.Choice{{Value: no, Label: "No"}, {Value: yes, Label: "Yes"}}

// The field constructors.

func choiceField(id, label, help string, opts []assessment.Choice, value string) *field {
	f := &field{id: id, label: label, help: help, kind: kindChoice, opts: opts}
	f.choose(value)
	return f
}

func boolField(id, label, help string, value bool) *field {
	v := no
	if value {
		v = yes
	}
	return choiceField(id, label, help, yesNo, v)
}

func lineField(id, label, help, value, placeholder string, limit int) *field {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.SetValue(value)
	return &field{id: id, label: label, help: help, kind: kindLine, line: in}
}

func dateField(id, label, help, value string) *field {
	f := lineField(id, label, help, value, "YYYY-MM-DD", 10)
	f.check = common.Date(strings.ToLower(label), false)
	return f
}

func areaField(id, label, help, value, placeholder string) *field {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = "┃ "
	ta.Placeholder = placeholder
	ta.CharLimit = assessment.MaxTextLen
	ta.KeyMap.InsertNewline = common.NewKeyMap().Editor.NewLine
	ta.SetHeight(2)
	ta.SetValue(value)
	f := &field{id: id, label: label, help: help, kind: kindArea, area: ta}
	f.check = common.Text(strings.ToLower(label))
	return f
}

func multiField(id, label, help string, opts []assessment.Choice, values []string) *field {
	f := &field{id: id, label: label, help: help, kind: kindMulti, opts: opts, on: make([]bool, len(opts))}
	f.tick(values)
	return f
}

// newForm finishes a form: the save button, the styles, the values to compare with on esc.
func newForm(e *common.Env, title, subject string, fields ...*field) *form {
	f := &form{e: e, title: title, subject: subject, fields: append(fields, &field{id: "save", kind: kindButton})}
	f.initial = f.snapshot()
	f.focus = -1
	f.next(1) // the first visible field
	return f
}

func (f *form) field(id string) *field {
	for _, x := range f.fields {
		if x.id == id {
			return x
		}
	}
	return nil
}

func (f *form) cur() *field { return f.fields[f.focus] }

// snapshot is every field's value, hidden ones included, to tell a changed form.
func (f *form) snapshot() []string {
	out := make([]string, len(f.fields))
	for i, x := range f.fields {
		out[i] = x.value()
	}
	return out
}

// Dirty reports whether anything was changed since the form opened.
func (f *form) Dirty() bool { return !slices.Equal(f.snapshot(), f.initial) }

func (f *form) Init() tea.Cmd { return f.focusCur() }

func (f *form) SetStyles(s common.Styles) {
	f.styles = s
	for _, x := range f.fields {
		switch x.kind {
		case kindLine:
			x.line.SetStyles(textinput.DefaultStyles(s.Dark))
		case kindArea:
			x.area.SetStyles(textarea.DefaultStyles(s.Dark))
		}
	}
}

// labelWidth is the width of the labels column.
const labelWidth = 24

func (f *form) valueWidth() int { return max(min(f.width, 100)-labelWidth-3, 20) }

func (f *form) SetSize(w, h int) {
	f.width, f.height = w, h
	vw := f.valueWidth()
	rows := 2
	if h >= 30 {
		rows = 4
	}
	for _, x := range f.fields {
		switch x.kind {
		case kindLine:
			x.line.SetWidth(vw - 1)
		case kindArea:
			x.area.SetWidth(vw)
			x.area.SetHeight(rows)
		}
	}
}

func (f *form) Typing() bool { return !f.saving }

func (f *form) Keys() common.Help {
	k, ik := f.e.Keys.Editor, f.e.Keys.Incidents
	if f.confirm {
		return f.e.Keys.DiscardHelp()
	}
	change := common.Relabel(k.Change, "←/→", k.Change.Help().Desc)
	short := []key.Binding{k.Save, k.Next, change, k.Cancel}
	full := [][]key.Binding{{k.Next, k.Prev}, {change, k.Pick, ik.Toggle}, {k.Save, k.Cancel}}
	switch f.cur().kind {
	case kindArea:
		short = []key.Binding{k.Save, k.Next, k.NewLine, k.Cancel}
		full = append(full, []key.Binding{k.NewLine})
	case kindMulti:
		short = []key.Binding{k.Save, ik.Toggle, common.Relabel(f.e.Keys.Nav.Down, "↑/↓", "move"), common.Relabel(k.Next, "tab", "next field"), k.Cancel}
	case kindLine, kindButton:
		short = []key.Binding{k.Save, k.Next, k.Cancel}
	}
	return common.Help{Short: short, Full: full}
}

func (f *form) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.SavedMsg:
		f.saving = false
		if msg.Err != nil {
			f.err = common.FirstLine(msg.Err.Error())
			return f, nil
		}
		return f, tea.Sequence(common.Pop, common.Emit(msg))
	case tea.KeyPressMsg:
		if f.saving {
			return f, nil
		}
		return f, f.key(msg)
	case tea.PasteMsg:
		if f.saving || f.confirm {
			return f, nil
		}
		if x := f.cur(); x.kind == kindLine && x.fresh {
			x.line.SetValue("")
			x.fresh = false
		}
		return f, f.PassToField(msg)
	case tea.MouseWheelMsg:
		f.offset = max(f.offset+common.Wheel(msg), 0)
		return f, nil
	}
	// Cursor blinks and the text fields' other messages.
	return f, f.PassToField(msg)
}

func (f *form) PassToField(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	x := f.cur()
	switch x.kind {
	case kindLine:
		x.line, cmd = x.line.Update(msg)
	case kindArea:
		x.area, cmd = x.area.Update(msg)
	}
	return cmd
}

func (f *form) key(msg tea.KeyPressMsg) tea.Cmd {
	keys := f.e.Keys
	k, nav, ik := keys.Editor, keys.Nav, keys.Incidents
	x := f.cur()
	if cmd, ok := keys.EditorKey(msg, f, &f.confirm, x.kind == kindButton, x.kind == kindArea); ok {
		return cmd
	}
	switch x.kind {
	case kindChoice:
		if d := keys.StepOf(msg, common.RowChoice); d != 0 {
			return f.Move(d)
		}
		if sel, ok := keys.ChoiceOf(msg, x.sel, len(x.opts)); ok {
			x.sel = sel
		} else if key.Matches(msg, k.Pick) {
			if n := int(msg.String()[0] - '0'); n >= 1 && n <= len(x.opts) {
				x.sel = n - 1
			}
		}
		x.err, f.err = "", ""
		f.fixFocus()
		return nil
	case kindMulti:
		switch {
		case key.Matches(msg, nav.Down):
			if x.cur == len(x.opts)-1 {
				return f.Move(1)
			}
			x.cur++
		case key.Matches(msg, nav.Up):
			if x.cur == 0 {
				return f.Move(-1)
			}
			x.cur--
		case key.Matches(msg, nav.Top):
			x.cur = 0
		case key.Matches(msg, nav.Bottom):
			x.cur = len(x.opts) - 1
		case key.Matches(msg, ik.Toggle):
			if len(x.opts) > 0 {
				x.on[x.cur] = !x.on[x.cur]
			}
		case key.Matches(msg, k.Pick):
			if n := int(msg.String()[0] - '0'); n >= 1 && n <= len(x.opts) {
				x.cur = n - 1
				x.on[x.cur] = !x.on[x.cur]
			}
		}
		x.err, f.err = "", ""
		return nil
	case kindButton:
		if d := keys.StepOf(msg, common.RowButton); d != 0 {
			return f.Move(d)
		}
		return nil
	case kindLine:
		if d := keys.StepOf(msg, common.RowLine); d != 0 {
			return f.Move(d)
		}
		if x.fresh && msg.Text != "" && msg.Mod&^tea.ModShift == 0 {
			x.line.SetValue("")
		}
		x.fresh = false
	}
	x.err, f.err = "", ""
	return f.PassToField(msg)
}

// Move focuses the visible field d steps away (wrapping), checking the one it leaves.
func (f *form) Move(d int) tea.Cmd {
	f.checkField(f.cur())
	f.blur(f.cur())
	f.next(d)
	return f.focusCur()
}

// next moves the focus d visible fields on, wrapping.
func (f *form) next(d int) {
	n := len(f.fields)
	i := f.focus
	for range n {
		i = (i + d + n) % n
		if f.fields[i].visible() {
			f.focus = i
			return
		}
	}
}

// fixFocus moves on when a changed choice hid the focused field (it cannot hide itself,
// but keep the rule in one place).
func (f *form) fixFocus() {
	if !f.cur().visible() {
		f.next(1)
	}
}

func (f *form) blur(x *field) {
	switch x.kind {
	case kindLine:
		x.line.Blur()
	case kindArea:
		x.area.Blur()
	}
}

func (f *form) focusCur() tea.Cmd {
	x := f.cur()
	switch x.kind {
	case kindLine:
		x.fresh = x.line.Value() != ""
		return x.line.Focus()
	case kindArea:
		return x.area.Focus()
	}
	return nil
}

// checkField runs a field's own check and keeps its sentence next to it.
func (f *form) checkField(x *field) bool {
	x.err = ""
	if x.check != nil && x.visible() {
		if err := x.check(x.value()); err != nil {
			x.err = plain(err).Error()
		}
	}
	return x.err == ""
}

// Save checks every visible field, then the whole form, and starts the save. A refusal
// focuses the field at fault when there is one and keeps everything typed.
func (f *form) Save() tea.Cmd {
	f.err = ""
	for i, x := range f.fields {
		if !f.checkField(x) {
			f.blur(f.cur())
			f.focus = i // its refusal shows next to it
			return f.focusCur()
		}
	}
	cmd, err := f.submit(f)
	if err != nil {
		f.err = err.Error()
		return nil
	}
	f.saving = true
	return cmd
}

// rows are the form's lines below its heading: each visible field, its refusal, and the
// focused field's help.
func (f *form) rows() (rows []string, focusTop, focusEnd int) {
	s := f.styles
	vw := f.valueWidth()
	for i, x := range f.fields {
		if !x.visible() {
			continue
		}
		focused := i == f.focus
		if focused {
			focusTop = len(rows)
		}
		rows = append(rows, f.fieldView(x, focused)...)
		for _, l := range common.Wrap(x.err, vw) {
			rows = append(rows, strings.Repeat(" ", labelWidth+1)+s.Error.Render(l))
		}
		if focused && x.help != "" {
			for _, l := range common.Wrap(x.help, vw) {
				rows = append(rows, strings.Repeat(" ", labelWidth+1)+s.Subtle.Render(l))
			}
		}
		if focused {
			focusEnd = len(rows)
		}
	}
	return rows, focusTop, focusEnd
}

func (f *form) fieldView(x *field, focused bool) []string {
	s := f.styles
	marker := "  "
	label := common.Fit(x.label, labelWidth-2)
	if focused {
		marker = s.Title.Render("▸ ")
		label = s.Header.Render(label)
	} else {
		label = s.Subtle.Render(label)
	}
	pad := strings.Repeat(" ", labelWidth+1)
	vw := f.valueWidth()
	switch x.kind {
	case kindChoice:
		opt := x.opts[x.sel].Label
		if !focused {
			return []string{marker + label + " " + common.Truncate(opt, vw)}
		}
		// The chosen option in full (choices here are sentences: the exceptions, the
		// outcomes), between the arrows that change it.
		ls := common.Wrap(opt, vw-4)
		out := make([]string, len(ls))
		for i, l := range ls {
			out[i] = pad + "  " + s.Selected.Render(" "+l+" ")
		}
		out[0] = marker + label + " " + s.Title.Render("◂ ") + s.Selected.Render(" "+ls[0]+" ")
		out[len(out)-1] += s.Title.Render(" ▸")
		if len(x.opts) > 2 {
			out = append(out, pad+s.Subtle.Render(strconv.Itoa(x.sel+1)+" of "+strconv.Itoa(len(x.opts))))
		}
		return out
	case kindLine:
		return []string{marker + label + " " + x.line.View()}
	case kindArea:
		lines := strings.Split(x.area.View(), "\n")
		for i, l := range lines {
			if i == 0 {
				lines[i] = marker + label + " " + l
			} else {
				lines[i] = pad + l
			}
		}
		return lines
	case kindMulti:
		return f.multiView(x, focused, marker+label+" ", pad, vw)
	case kindButton:
		b := "[ Save ]"
		if focused {
			b = s.Selected.Render(b)
		}
		hint := ""
		if vw >= 34 {
			hint = s.Subtle.Render("  or " + f.e.Keys.Editor.Save.Help().Key + " from any field")
		}
		return []string{"", pad + b + hint}
	}
	return nil
}

// multiWindow is how many options a focused multiple-choice field shows at once.
const multiWindow = 6

// multiView is a multiple-choice field: unfocused, one line naming what is ticked; focused,
// a window of options around the cursor with their boxes.
func (f *form) multiView(x *field, focused bool, head, pad string, vw int) []string {
	s := f.styles
	if len(x.opts) == 0 {
		return []string{head + s.Subtle.Render("nothing to choose from")}
	}
	var names []string
	for i, o := range x.opts {
		if x.on[i] {
			names = append(names, o.Label)
		}
	}
	summary := s.Subtle.Render("none ticked")
	if len(names) > 0 {
		summary = strings.Join(names, "; ")
	}
	if !focused {
		return []string{head + common.Truncate(summary, vw)}
	}
	start := max(0, min(x.cur-multiWindow/2, len(x.opts)-multiWindow))
	end := min(len(x.opts), start+multiWindow)
	out := []string{head + s.Subtle.Render(common.Truncate(assessment.FormatInt(len(names))+" of "+assessment.FormatInt(len(x.opts))+" ticked", vw))}
	for i := start; i < end; i++ {
		box := "[ ] "
		if x.on[i] {
			box = "[x] "
		}
		l := common.Truncate(box+x.opts[i].Label, vw-2)
		if i == x.cur {
			l = s.Selected.Render(l)
		}
		out = append(out, pad+l)
	}
	if end < len(x.opts) || start > 0 {
		out = append(out, pad+s.Subtle.Render(common.Truncate(strconv.Itoa(x.cur+1)+" of "+strconv.Itoa(len(x.opts))+" · ↑/↓ to see more", vw)))
	}
	return out
}

func (f *form) View() string {
	s := f.styles
	w := max(f.width, 40)
	head := []string{s.Title.Render(common.Truncate(f.title, w))}
	if f.subject != "" {
		head = append(head, s.Header.Render(common.Truncate(assessment.SafeLine(f.subject), w)))
	}
	if f.saving {
		return strings.Join(head, "\n") + "\n\n" + s.Subtle.Render("Saving…")
	}
	if f.confirm {
		head = append(head, common.Truncate(common.DiscardQuestion(s), w))
	} else if f.err != "" {
		for _, l := range common.Wrap(f.err, w) {
			head = append(head, s.Error.Render(l))
		}
	}
	var intro []string
	if f.intro != nil {
		intro = f.intro(f, min(w, 100))
	}
	rows, top, end := f.rows()
	if len(intro) > 0 {
		intro = append(intro, "")
	}
	body := append(intro, rows...)
	top, end = top+len(intro), end+len(intro)
	// Keep the focused field (with its help) in view.
	room := max(f.height-len(head)-1, 3)
	if end-f.offset > room {
		f.offset = end - room
	}
	if top < f.offset {
		f.offset = top
	}
	f.offset = max(0, min(f.offset, len(body)-room))
	shown := body[f.offset:min(len(body), f.offset+room)]
	for i, l := range shown {
		shown[i] = common.Truncate(l, w)
	}
	return strings.Join(head, "\n") + "\n\n" + strings.Join(shown, "\n")
}
