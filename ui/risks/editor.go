package risks

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// editor is the rating and treatment form of one risk. It is a small model of its own
// rather than a huh form so that the risk level (or the residual level) and the matrix
// follow the selection as the user moves it, before anything is saved. Values are checked
// in the form (due date, then assessment.ValidateRisk); a store error keeps the form open
// with everything typed; a save ends in a SavedMsg, which the editor passes on to the
// shell (which reloads) as it closes.

type editMode int

const (
	modeRate  editMode = iota // likelihood, impact, rationale
	modeTreat                 // treatment plan and residual rating
)

type fieldKind int

const (
	kindChoice fieldKind = iota
	kindLine
	kindArea
	kindButton
)

// editField is one row of the editor.
type editField struct {
	id    string
	label string
	kind  fieldKind
	opts  []assessment.Choice // kindChoice
	sel   int
	line  textinput.Model // kindLine
	area  textarea.Model  // kindArea
	err   string          // refused value, shown next to the field
}

func (f *editField) value() string {
	switch f.kind {
	case kindChoice:
		if f.sel >= 0 && f.sel < len(f.opts) {
			return f.opts[f.sel].Value
		}
	case kindLine:
		return strings.TrimSpace(f.line.Value())
	case kindArea:
		return strings.TrimSpace(f.area.Value())
	}
	return ""
}

func (f *editField) intValue() int {
	n, _ := strconv.Atoi(f.value())
	return n
}

// choose selects the option whose value is v, if there is one.
func (f *editField) choose(v string) {
	for i, o := range f.opts {
		if o.Value == v {
			f.sel = i
			return
		}
	}
}

type editor struct {
	e         *common.Env
	mode      editMode
	accept    bool // confirming a proposed (or dismissed) risk
	matrix    assessment.MatrixKind
	risk      assessment.Risk
	assessID  string
	assetName string
	hint      string // what the threat library suggests
	fields    []*editField
	initial   []string // every field's value when the editor opened, to tell a changed one
	confirm   bool     // esc after a change: discard?
	focus     int
	saving    bool
	err       string
	width     int
	height    int
	styles    common.Styles
	// where the matrix was drawn, for mouse clicks (the screen's coordinates)
	matX, matY int
}

// newEditor opens the editor on risk r of the assessment in d.
func newEditor(e *common.Env, d *common.Data, r assessment.Risk, mode editMode) *editor {
	m := d.Matrix
	ed := &editor{e: e, mode: mode, matrix: m, risk: r, assessID: d.ID(), assetName: d.AssetName(r.AssetID)}
	ed.accept = r.Status == assessment.RiskProposed || r.Status == assessment.RiskDismissed
	hl, hi := assessment.ThreatHint(d.Catalog, d.Snap.Profile, r)
	if hl > 0 && hi > 0 {
		ed.hint = fmt.Sprintf("The threat library suggests likelihood %d (%s) and impact %d (%s).",
			hl, common.StepLabel(m, hl), hi, common.StepLabel(m, hi))
	}
	steps := func(withNone bool) []assessment.Choice {
		var out []assessment.Choice
		if withNone {
			out = append(out, assessment.Choice{Value: "0", Label: "Not rated"})
		}
		for v := 1; v <= m.Scale(); v++ {
			out = append(out, assessment.Choice{Value: strconv.Itoa(v), Label: strconv.Itoa(v) + " " + common.StepLabel(m, v)})
		}
		return out
	}
	switch mode {
	case modeRate:
		l, i := r.Likelihood, r.Impact
		if l == 0 || i == 0 || l > m.Scale() || i > m.Scale() {
			l, i = hl, hi
		}
		if l == 0 || i == 0 {
			l, i = (m.Scale()+1)/2, (m.Scale()+1)/2
		}
		fl := &editField{id: "l", label: "Likelihood", kind: kindChoice, opts: steps(false)}
		fl.choose(strconv.Itoa(l))
		fi := &editField{id: "i", label: "Impact", kind: kindChoice, opts: steps(false)}
		fi.choose(strconv.Itoa(i))
		fc := &editField{id: "cia", label: "Harms (C, I, A)", kind: kindChoice, opts: ciaChoices(d, r)}
		fc.choose(string(r.CIA))
		if r.CIA == "" {
			// start on the library's default, so saving confirms it as the assessor's choice
			if def := assessment.DefaultCIA(r.ThreatID); def != "" {
				fc.choose(string(def))
			}
		}
		ed.fields = []*editField{fl, fi, fc, newAreaField("rationale", "Rationale", r.Rationale, "Why this likelihood and impact?")}
	case modeTreat:
		ft := &editField{id: "treatment", label: "Treatment", kind: kindChoice,
			opts: append([]assessment.Choice{{Value: "", Label: "Not decided"}}, assessment.Treatments...)}
		ft.choose(string(r.Treatment))
		frl := &editField{id: "rl", label: "Residual likelihood", kind: kindChoice, opts: steps(true)}
		frl.choose(strconv.Itoa(r.ResidualL))
		fri := &editField{id: "ri", label: "Residual impact", kind: kindChoice, opts: steps(true)}
		fri.choose(strconv.Itoa(r.ResidualI))
		fs := &editField{id: "status", label: "Status", kind: kindChoice}
		for _, c := range assessment.RiskStatuses {
			switch assessment.RiskStatus(c.Value) {
			case assessment.RiskOpen, assessment.RiskInProgress, assessment.RiskClosed:
				fs.opts = append(fs.opts, c)
			}
		}
		fs.choose(string(r.Status))
		ed.fields = []*editField{
			ft,
			newAreaField("measures", "Planned measures", r.Measures, "What will be done, by when"),
			newLineField("owner", "Owner", r.Owner, "Who sees it through", 200),
			newLineField("due", "Due date", r.Due, "YYYY-MM-DD", 10),
			frl, fri, fs,
			newLineField("acceptedBy", "Accepted by", r.AcceptedBy, "Who accepted it (for accept)", 200),
			newLineField("authority", "Their authority", r.AcceptedAuthority, "e.g. practice owner, may accept risk", 200),
			newLineField("acceptedOn", "Accepted on", r.AcceptedOn, "YYYY-MM-DD", 10),
		}
	}
	ed.fields = append(ed.fields, &editField{id: "save", label: "", kind: kindButton})
	ed.initial = ed.values()
	ed.applyStyles()
	return ed
}

// values is every field's value, in order.
func (ed *editor) values() []string {
	out := make([]string, len(ed.fields))
	for i, f := range ed.fields {
		out[i] = f.value()
	}
	return out
}

// Dirty reports whether anything was changed since the editor opened.
func (ed *editor) Dirty() bool { return !slices.Equal(ed.values(), ed.initial) }

func newLineField(id, label, value, placeholder string, limit int) *editField {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.SetValue(value)
	return &editField{id: id, label: label, kind: kindLine, line: in}
}

func newAreaField(id, label, value, placeholder string) *editField {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = "┃ "
	ta.Placeholder = placeholder
	ta.CharLimit = assessment.MaxTextLen
	ta.KeyMap.InsertNewline = common.NewKeyMap().Editor.NewLine
	ta.SetHeight(2)
	ta.SetValue(value)
	return &editField{id: id, label: label, kind: kindArea, area: ta}
}

func (ed *editor) field(id string) *editField {
	for _, f := range ed.fields {
		if f.id == id {
			return f
		}
	}
	return nil
}

func (ed *editor) cur() *editField { return ed.fields[ed.focus] }

func (ed *editor) Init() tea.Cmd { return nil }

func (ed *editor) applyStyles() {
	for _, f := range ed.fields {
		switch f.kind {
		case kindLine:
			f.line.SetStyles(textinput.DefaultStyles(ed.styles.Dark))
		case kindArea:
			f.area.SetStyles(textarea.DefaultStyles(ed.styles.Dark))
		}
	}
}

func (ed *editor) SetStyles(s common.Styles) {
	ed.styles = s
	ed.applyStyles()
}

// layout widths: the fields on the left, the matrix on the right.
const labelWidth = 21

// wideValues is the value width from which hints are shown next to values.
const wideValues = 40

func (ed *editor) leftWidth() int {
	return min(max(ed.width-common.MatrixWidth(ed.matrix, false)-4, 40), 76)
}

func (ed *editor) SetSize(w, h int) {
	ed.width, ed.height = w, h
	vw := max(ed.leftWidth()-labelWidth-1, 10)
	rows := 2
	if h >= 30 {
		rows = 4
	}
	for _, f := range ed.fields {
		switch f.kind {
		case kindLine:
			f.line.SetWidth(vw - 1)
		case kindArea:
			f.area.SetWidth(vw)
			f.area.SetHeight(rows)
		}
	}
}

func (ed *editor) Typing() bool { return !ed.saving }

func (ed *editor) Keys() common.Help {
	if ed.confirm {
		return ed.e.Keys.DiscardHelp()
	}
	k := ed.e.Keys.Editor
	change := common.Relabel(k.Change, "←/→ or "+k.Pick.Help().Key, k.Change.Help().Desc)
	short := []key.Binding{k.Save, k.Next, change, k.Cancel}
	full := [][]key.Binding{{k.Next, k.Prev}, {change}, {k.Save, k.Cancel}}
	if ed.cur().kind == kindArea {
		short = []key.Binding{k.Save, k.Next, k.NewLine, k.Cancel}
		full = append(full, []key.Binding{k.NewLine})
	}
	return common.Help{Short: short, Full: full}
}

func (ed *editor) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.SavedMsg:
		ed.saving = false
		if msg.Err != nil {
			ed.err = common.FirstLine(msg.Err.Error())
			return ed, common.Fail(msg.Err)
		}
		return ed, tea.Sequence(common.Pop, common.Emit(msg))
	case tea.KeyPressMsg:
		if ed.saving {
			return ed, nil
		}
		return ed, ed.key(msg)
	case tea.MouseClickMsg:
		if !ed.saving && !ed.confirm {
			ed.click(msg.Mouse())
		}
		return ed, nil
	case tea.PasteMsg:
		if ed.confirm {
			return ed, nil
		}
		return ed, ed.PassToField(msg)
	}
	// Cursor blinks and other internal messages of the text fields.
	return ed, ed.PassToField(msg)
}

func (ed *editor) PassToField(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	f := ed.cur()
	switch f.kind {
	case kindLine:
		f.line, cmd = f.line.Update(msg)
	case kindArea:
		f.area, cmd = f.area.Update(msg)
	}
	return cmd
}

func (ed *editor) key(msg tea.KeyPressMsg) tea.Cmd {
	f := ed.cur()
	keys := ed.e.Keys
	if cmd, ok := keys.EditorKey(msg, ed, &ed.confirm, f.kind == kindButton, f.kind == kindArea); ok {
		return cmd
	}
	switch f.kind {
	case kindChoice:
		if d := keys.StepOf(msg, common.RowChoice); d != 0 {
			return ed.Move(d)
		}
		if sel, ok := keys.ChoiceOf(msg, f.sel, len(f.opts)); ok {
			f.sel = sel
		} else if key.Matches(msg, keys.Editor.Pick) {
			ed.digit(f, int(msg.String()[0]-'0'))
		}
		ed.err = ""
		return nil
	case kindButton:
		if d := keys.StepOf(msg, common.RowButton); d != 0 {
			return ed.Move(d)
		}
		return nil
	case kindLine:
		if d := keys.StepOf(msg, common.RowLine); d != 0 {
			return ed.Move(d)
		}
	}
	f.err = ""
	return ed.PassToField(msg)
}

// digit picks a choice by number: the rating itself on rating fields (0 = not rated), the
// n-th option elsewhere.
func (ed *editor) digit(f *editField, n int) {
	if _, err := strconv.Atoi(f.opts[len(f.opts)-1].Value); err == nil {
		f.choose(strconv.Itoa(n))
		return
	}
	if n >= 1 && n <= len(f.opts) {
		f.sel = n - 1
	}
}

// Move focuses the field d steps away (wrapping), checking the one it leaves.
func (ed *editor) Move(d int) tea.Cmd {
	ed.check(ed.cur())
	ed.blur(ed.cur())
	ed.focus = (ed.focus + d + len(ed.fields)) % len(ed.fields)
	return ed.focusCur()
}

func (ed *editor) blur(f *editField) {
	switch f.kind {
	case kindLine:
		f.line.Blur()
	case kindArea:
		f.area.Blur()
	}
}

func (ed *editor) focusCur() tea.Cmd {
	f := ed.cur()
	switch f.kind {
	case kindLine:
		return f.line.Focus()
	case kindArea:
		return f.area.Focus()
	}
	return nil
}

// check refuses a bad value in a field as soon as the user leaves it.
func (ed *editor) check(f *editField) bool {
	f.err = ""
	switch f.id {
	case "due":
		if err := common.Date("due date", false)(f.value()); err != nil {
			f.err = err.Error()
		}
	case "acceptedOn":
		if err := common.Date("acceptance date", false)(f.value()); err != nil {
			f.err = err.Error()
		}
	}
	return f.err == ""
}

// click sets likelihood and impact (or their residual pair) from a click on the matrix.
func (ed *editor) click(m tea.Mouse) {
	row, col := m.Y-ed.matY, m.X-ed.matX
	n := ed.matrix.Scale()
	lw := common.MatrixLabelWidth(false)
	if row < common.MatrixHead || row >= common.MatrixHead+n || col < lw || col >= lw+n*common.MatrixCellWidth {
		return
	}
	l, i := n-(row-common.MatrixHead), (col-lw)/common.MatrixCellWidth+1
	lf, imf := ed.pair()
	lf.choose(strconv.Itoa(l))
	imf.choose(strconv.Itoa(i))
	ed.err = ""
}

// pair is the likelihood and impact fields the matrix shows.
func (ed *editor) pair() (*editField, *editField) {
	if ed.mode == modeRate {
		return ed.field("l"), ed.field("i")
	}
	return ed.field("rl"), ed.field("ri")
}

// build is the risk as the form now says, or why it cannot be saved.
func (ed *editor) build() (assessment.Risk, error) {
	r := ed.risk
	switch ed.mode {
	case modeRate:
		r.Likelihood, r.Impact = ed.field("l").intValue(), ed.field("i").intValue()
		r.Rationale = ed.field("rationale").value()
		r.CIA = assessment.CIA(ed.field("cia").value())
		if ed.accept {
			r.Status = assessment.RiskOpen
		}
	case modeTreat:
		r.Treatment = assessment.Treatment(ed.field("treatment").value())
		r.Measures = ed.field("measures").value()
		r.Owner = ed.field("owner").value()
		r.Due = ed.field("due").value()
		r.ResidualL, r.ResidualI = ed.field("rl").intValue(), ed.field("ri").intValue()
		r.Status = assessment.RiskStatus(ed.field("status").value())
		r.AcceptedBy = ed.field("acceptedBy").value()
		r.AcceptedAuthority = ed.field("authority").value()
		r.AcceptedOn = ed.field("acceptedOn").value()
		for _, id := range []string{"due", "acceptedOn"} {
			if !ed.check(ed.field(id)) {
				return r, fmt.Errorf("%s", ed.field(id).err)
			}
		}
		if r.Treatment == assessment.TreatAccept && (r.AcceptedBy == "" || r.AcceptedAuthority == "" || r.AcceptedOn == "") {
			return r, fmt.Errorf("an accepted risk records who accepted it, their authority to accept it, and when; fill in the three acceptance fields")
		}
	}
	if err := assessment.ValidateRisk(ed.matrix, r); err != nil {
		return r, err
	}
	return r, nil
}

func (ed *editor) Save() tea.Cmd {
	r, err := ed.build()
	if err != nil {
		ed.err = err.Error()
		return nil
	}
	ed.err, ed.saving = "", true
	st, ctx, id := ed.e.Store, ed.e.Ctx, ed.assessID
	note := "Saved the treatment plan."
	if ed.mode == modeRate {
		note = "Rated " + ed.matrix.Label(ed.matrix.Level(r.Likelihood, r.Impact)) + "."
		if ed.accept {
			note = "Accepted the risk and rated it " + strings.ToLower(ed.matrix.Label(ed.matrix.Level(r.Likelihood, r.Impact))) + "."
		}
	}
	return common.Versioned(common.Describe(r), r.Version, func(version int64) common.SavedMsg {
		r.Version = version
		_, err := st.SaveRisk(ctx, id, r)
		return common.SavedMsg{Notice: note, Err: err}
	})
}

func (ed *editor) title() string {
	switch {
	case ed.mode == modeTreat:
		return "Plan the treatment"
	case ed.accept:
		return "Accept and rate this risk"
	}
	return "Rate this risk"
}

func (ed *editor) View() string {
	s := ed.styles
	w := max(ed.width, 40)
	head := []string{s.Title.Render(ed.title())}
	for i, l := range common.Wrap(ed.risk.Title, w) {
		if i == 2 {
			break
		}
		head = append(head, s.Header.Render(l))
	}
	for _, l := range common.Wrap(ed.assetName+dotted(ed.hint), w) {
		head = append(head, s.Subtle.Render(l))
	}
	if ed.saving {
		return strings.Join(head, "\n") + "\n\n" + s.Subtle.Render("Saving…")
	}
	if ed.confirm {
		head = append(head, common.Truncate(common.DiscardQuestion(s), w))
	}
	lw := ed.leftWidth()
	roomy := lw-labelWidth-1 >= wideValues
	var rows []string
	lvlRow := func(label string, l assessment.Level, extra string) {
		txt := s.Level(l).Render("■ "+ed.matrix.Label(l)) + s.Subtle.Render(extra)
		rows = append(rows, "  "+common.Fit(label, labelWidth-2)+" "+txt)
	}
	for i, f := range ed.fields {
		focused := i == ed.focus
		rows = append(rows, ed.fieldView(f, focused, lw)...)
		for _, l := range common.Wrap(f.err, lw-labelWidth-1) {
			rows = append(rows, strings.Repeat(" ", labelWidth+1)+s.Error.Render(l))
		}
		switch f.id {
		case "i":
			l := ed.matrix.Level(ed.field("l").intValue(), f.intValue())
			hint := ""
			if roomy {
				hint = "  (updates as you choose)"
			}
			lvlRow("Risk level", l, hint)
			rows = append(rows, "")
		case "ri":
			rl := ed.matrix.Level(ed.field("rl").intValue(), f.intValue())
			cur := ed.matrix.Level(ed.risk.Likelihood, ed.risk.Impact)
			extra := "  (now " + strings.ToLower(ed.matrix.Label(cur)) + ")"
			if ed.matrix.Rank(rl) > ed.matrix.Rank(cur) && rl != assessment.LevelNone && cur != assessment.LevelNone {
				extra = "  above the current " + strings.ToLower(ed.matrix.Label(cur)) + "; check it"
			}
			lvlRow("Residual level", rl, extra)
		}
	}
	if ed.err != "" {
		rows = append(rows, "")
		for _, l := range common.Wrap(ed.err, lw-2) {
			rows = append(rows, "  "+s.Error.Render(l))
		}
	}
	left := strings.Join(rows, "\n")
	right := ed.matrixView()
	ed.matX, ed.matY = lw+2, len(head)+1
	body := lipgloss.JoinHorizontal(lipgloss.Top, common.FitLines(left, lw), "  ", right)
	return strings.Join(head, "\n") + "\n\n" + body
}

// matrixView draws the matrix with the chosen cell (and, when planning treatment, the
// current rating) marked.
func (ed *editor) matrixView() string {
	s := ed.styles
	lf, imf := ed.pair()
	sl, si := lf.intValue(), imf.intValue()
	cell := func(l, i int) string { return ed.matrix.Level(l, i).Short() }
	mark := func(l, i int) bool { return l == sl && i == si }
	note := "Rows: likelihood\n[ ] your rating"
	if ed.mode == modeTreat {
		note = "Rows: likelihood\n[ ] residual · * now"
		cl, ci := ed.risk.Likelihood, ed.risk.Impact
		cell = func(l, i int) string {
			a := ed.matrix.Level(l, i).Short()
			if l == cl && i == ci {
				a += "*"
			}
			return a
		}
	}
	return common.Matrix(s, ed.matrix, false, cell, mark) + "\n" + s.Subtle.Render(note)
}

func (ed *editor) fieldView(f *editField, focused bool, lw int) []string {
	s := ed.styles
	marker := "  "
	label := common.Fit(f.label, labelWidth-2)
	if focused {
		marker = s.Title.Render("▸ ")
		label = s.Header.Render(label)
	} else {
		label = s.Subtle.Render(label)
	}
	vw := max(lw-labelWidth-1, 10)
	switch f.kind {
	case kindChoice:
		opt := f.opts[f.sel].Label
		var v string
		if focused {
			v = s.Title.Render("◂ ") + s.Selected.Render(" "+opt+" ") + s.Title.Render(" ▸")
		} else {
			v = opt
		}
		return []string{marker + label + " " + common.Truncate(v, vw)}
	case kindLine:
		return []string{marker + label + " " + f.line.View()}
	case kindArea:
		lines := strings.Split(f.area.View(), "\n")
		out := make([]string, len(lines))
		for i, l := range lines {
			if i == 0 {
				out[i] = marker + label + " " + l
			} else {
				out[i] = strings.Repeat(" ", labelWidth+1) + l
			}
		}
		return out
	case kindButton:
		b := "[ Save ]"
		if focused {
			b = s.Selected.Render(b)
		}
		hint := ""
		if lw-labelWidth-1 >= 34 {
			hint = s.Subtle.Render("  or " + ed.e.Keys.Editor.Save.Help().Key + " from any field")
		}
		return []string{"", strings.Repeat(" ", labelWidth+1) + b + hint}
	}
	return nil
}

func dotted(s string) string {
	if s == "" {
		return ""
	}
	return " · " + s
}

// ciaChoices are the objectives a risk can harm, the library's default marked.
func ciaChoices(d *common.Data, r assessment.Risk) []assessment.Choice {
	def := assessment.DefaultCIA(r.ThreatID)
	var out []assessment.Choice
	if def == "" {
		out = append(out, assessment.Choice{Value: "", Label: "Not stated"})
	}
	for _, c := range []assessment.CIA{"c", "i", "a", "ci", "ca", "ia", "cia"} {
		l := c.Label()
		if c == def {
			l += " (library default)"
		}
		out = append(out, assessment.Choice{Value: string(c), Label: l})
	}
	return out
}
