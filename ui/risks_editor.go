package ui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"safeguard/assessment"
)

// riskEditor is the rating and treatment form of one risk. It is a small model of its own
// rather than a huh form so that the risk level (or the residual level) and the matrix
// follow the selection as the user moves it, before anything is saved. Values are checked
// in the form (due date, then assessment.ValidateRisk); a store error keeps the form open
// with everything typed.

var (
	rkEdNext   = key.NewBinding(key.WithKeys("tab", "down", "enter"), key.WithHelp("tab/↓", "next field"))
	rkEdPrev   = key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "previous field"))
	rkEdChange = key.NewBinding(key.WithKeys("left", "right", "h", "l"), key.WithHelp("←/→ or 1-5", "change choice"))
	rkEdSave   = key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save"))
	rkEdCancel = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	rkEdLine   = key.NewBinding(key.WithKeys("ctrl+j", "alt+enter"), key.WithHelp("ctrl+j", "new line"))
)

type rkEditMode int

const (
	rkModeRate  rkEditMode = iota // likelihood, impact, rationale
	rkModeTreat                   // treatment plan and residual rating
)

type rkFieldKind int

const (
	rkChoice rkFieldKind = iota
	rkLine
	rkArea
	rkButton
)

// rkField is one row of the editor.
type rkField struct {
	id    string
	label string
	kind  rkFieldKind
	opts  []assessment.Choice // rkChoice
	sel   int
	line  textinput.Model // rkLine
	area  textarea.Model  // rkArea
	err   string          // refused value, shown next to the field
}

func (f *rkField) value() string {
	switch f.kind {
	case rkChoice:
		if f.sel >= 0 && f.sel < len(f.opts) {
			return f.opts[f.sel].Value
		}
	case rkLine:
		return strings.TrimSpace(f.line.Value())
	case rkArea:
		return strings.TrimSpace(f.area.Value())
	}
	return ""
}

func (f *rkField) intValue() int {
	n, _ := strconv.Atoi(f.value())
	return n
}

// choose selects the option whose value is v, if there is one.
func (f *rkField) choose(v string) {
	for i, o := range f.opts {
		if o.Value == v {
			f.sel = i
			return
		}
	}
}

type riskEditor struct {
	e         *env
	mode      rkEditMode
	accept    bool // confirming a proposed (or dismissed) risk
	matrix    assessment.MatrixKind
	risk      assessment.Risk
	assessID  string
	assetName string
	hint      string // what the threat library suggests
	fields    []*rkField
	focus     int
	saving    bool
	err       string
	done      func() tea.Cmd
	width     int
	height    int
	styles    Styles
	// where the matrix was drawn, for mouse clicks (body coordinates)
	matX, matY int
}

// newRiskEditor opens the editor on risk r of the assessment in d.
func newRiskEditor(e *env, d *assessData, r assessment.Risk, mode rkEditMode, done func() tea.Cmd) *riskEditor {
	m := d.snap.Profile.Matrix.OrDefault()
	ed := &riskEditor{e: e, mode: mode, matrix: m, risk: r, assessID: d.id(), done: done, styles: newStyles(true, noColor())}
	ed.accept = r.Status == assessment.RiskProposed || r.Status == assessment.RiskDismissed
	ed.assetName = "Organisation-wide"
	if a, ok := d.snap.Asset(r.AssetID); ok {
		ed.assetName = a.Name
	}
	hl, hi := riskHints(d, r)
	if hl > 0 && hi > 0 {
		ed.hint = fmt.Sprintf("The threat library suggests likelihood %d (%s) and impact %d (%s).",
			hl, riskStepLabel(m, hl), hi, riskStepLabel(m, hi))
	}
	steps := func(withNone bool) []assessment.Choice {
		var out []assessment.Choice
		if withNone {
			out = append(out, assessment.Choice{Value: "0", Label: "Not rated"})
		}
		for v := 1; v <= m.Scale(); v++ {
			out = append(out, assessment.Choice{Value: itoa(v), Label: itoa(v) + " " + riskStepLabel(m, v)})
		}
		return out
	}
	switch mode {
	case rkModeRate:
		l, i := r.Likelihood, r.Impact
		if l == 0 || i == 0 || l > m.Scale() || i > m.Scale() {
			l, i = hl, hi
		}
		if l == 0 || i == 0 {
			l, i = (m.Scale()+1)/2, (m.Scale()+1)/2
		}
		fl := &rkField{id: "l", label: "Likelihood", kind: rkChoice, opts: steps(false)}
		fl.choose(itoa(l))
		fi := &rkField{id: "i", label: "Impact", kind: rkChoice, opts: steps(false)}
		fi.choose(itoa(i))
		ed.fields = []*rkField{fl, fi, rkAreaField("rationale", "Rationale", r.Rationale, "Why this likelihood and impact?")}
	case rkModeTreat:
		ft := &rkField{id: "treatment", label: "Treatment", kind: rkChoice,
			opts: append([]assessment.Choice{{Value: "", Label: "Not decided"}}, assessment.Treatments...)}
		ft.choose(string(r.Treatment))
		frl := &rkField{id: "rl", label: "Residual likelihood", kind: rkChoice, opts: steps(true)}
		frl.choose(itoa(r.ResidualL))
		fri := &rkField{id: "ri", label: "Residual impact", kind: rkChoice, opts: steps(true)}
		fri.choose(itoa(r.ResidualI))
		fs := &rkField{id: "status", label: "Status", kind: rkChoice}
		for _, c := range assessment.RiskStatuses {
			switch assessment.RiskStatus(c.Value) {
			case assessment.RiskOpen, assessment.RiskInProgress, assessment.RiskClosed:
				fs.opts = append(fs.opts, c)
			}
		}
		fs.choose(string(r.Status))
		ed.fields = []*rkField{
			ft,
			rkAreaField("measures", "Planned measures", r.Measures, "What will be done, by when"),
			rkLineField("owner", "Owner", r.Owner, "Who sees it through", 200),
			rkLineField("due", "Due date", r.Due, "YYYY-MM-DD", 10),
			frl, fri, fs,
		}
	}
	ed.fields = append(ed.fields, &rkField{id: "save", label: "", kind: rkButton})
	ed.applyStyles()
	return ed
}

// riskHints is the threat library's rating of r's threat on the matrix (0, 0 if unknown).
func riskHints(d *assessData, r assessment.Risk) (int, int) {
	m := d.snap.Profile.Matrix.OrDefault()
	if d.cat() == nil {
		return 0, 0
	}
	v, ok := d.cat().Vulnerability(r.VulnerabilityID)
	if !ok {
		return 0, 0
	}
	for _, t := range v.Threats {
		if t.ID == r.ThreatID {
			return m.FromHint(d.cat().Likelihood(t, d.snap.Profile.Region)), m.FromHint(t.Impact)
		}
	}
	return 0, 0
}

func rkLineField(id, label, value, placeholder string, limit int) *rkField {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.SetValue(value)
	return &rkField{id: id, label: label, kind: rkLine, line: in}
}

func rkAreaField(id, label, value, placeholder string) *rkField {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = "┃ "
	ta.Placeholder = placeholder
	ta.CharLimit = assessment.MaxTextLen
	ta.KeyMap.InsertNewline = rkEdLine
	ta.SetHeight(2)
	ta.SetValue(value)
	return &rkField{id: id, label: label, kind: rkArea, area: ta}
}

func (ed *riskEditor) field(id string) *rkField {
	for _, f := range ed.fields {
		if f.id == id {
			return f
		}
	}
	return nil
}

func (ed *riskEditor) cur() *rkField { return ed.fields[ed.focus] }

func (ed *riskEditor) Init() tea.Cmd { return nil }

func (ed *riskEditor) applyStyles() {
	for _, f := range ed.fields {
		switch f.kind {
		case rkLine:
			f.line.SetStyles(textinput.DefaultStyles(ed.styles.isDark))
		case rkArea:
			f.area.SetStyles(textarea.DefaultStyles(ed.styles.isDark))
		}
	}
}

func (ed *riskEditor) SetStyles(s Styles) {
	ed.styles = s
	ed.applyStyles()
}

// layout widths: the fields on the left, the matrix on the right.
const rkLabelWidth = 21

// rkWideValues is the value width from which hints are shown next to values.
const rkWideValues = 40

func (ed *riskEditor) leftWidth() int {
	return min(max(ed.width-riskMatrixWidth(ed.matrix, false)-4, 40), 76)
}

func (ed *riskEditor) SetSize(w, h int) {
	ed.width, ed.height = w, h
	vw := max(ed.leftWidth()-rkLabelWidth-1, 10)
	rows := 2
	if h >= 30 {
		rows = 4
	}
	for _, f := range ed.fields {
		switch f.kind {
		case rkLine:
			f.line.SetWidth(vw - 1)
		case rkArea:
			f.area.SetWidth(vw)
			f.area.SetHeight(rows)
		}
	}
}

func (ed *riskEditor) Typing() bool { return !ed.saving }

func (ed *riskEditor) Keys() helpKeys {
	short := []key.Binding{rkEdSave, rkEdNext, rkEdChange, rkEdCancel}
	full := [][]key.Binding{{rkEdNext, rkEdPrev}, {rkEdChange}, {rkEdSave, rkEdCancel}}
	if ed.cur().kind == rkArea {
		short = []key.Binding{rkEdSave, rkEdNext, rkEdLine, rkEdCancel}
		full = append(full, []key.Binding{rkEdLine})
	}
	return helpKeys{short: short, full: full}
}

func (ed *riskEditor) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case savedMsg:
		ed.saving = false
		if msg.err != nil {
			ed.err = firstLine(msg.err.Error())
			return ed, func() tea.Msg { return errMsg{msg.err} }
		}
		note := msg.notice
		return ed, tea.Sequence(pop, func() tea.Msg { return noticeMsg(note) }, ed.done())
	case tea.KeyPressMsg:
		if ed.saving {
			return ed, nil
		}
		return ed, ed.key(msg)
	case tea.MouseClickMsg:
		if !ed.saving {
			ed.click(msg.Mouse())
		}
		return ed, nil
	case tea.PasteMsg:
		return ed, ed.passToField(msg)
	}
	// Cursor blinks and other internal messages of the text fields.
	return ed, ed.passToField(msg)
}

func (ed *riskEditor) passToField(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	f := ed.cur()
	switch f.kind {
	case rkLine:
		f.line, cmd = f.line.Update(msg)
	case rkArea:
		f.area, cmd = f.area.Update(msg)
	}
	return cmd
}

func (ed *riskEditor) key(msg tea.KeyPressMsg) tea.Cmd {
	f := ed.cur()
	switch {
	case key.Matches(msg, rkEdCancel):
		return pop
	case key.Matches(msg, rkEdSave):
		return ed.save()
	case msg.String() == "enter" && f.kind == rkButton:
		return ed.save()
	case key.Matches(msg, rkEdLine) && f.kind == rkArea:
		return ed.passToField(msg)
	case msg.String() == "tab" || msg.String() == "enter":
		return ed.move(1)
	case msg.String() == "shift+tab":
		return ed.move(-1)
	}
	switch f.kind {
	case rkChoice:
		s := msg.String()
		switch {
		case s == "down" || s == "j":
			return ed.move(1)
		case s == "up" || s == "k":
			return ed.move(-1)
		case s == "left" || s == "h":
			f.sel = max(f.sel-1, 0)
		case s == "right" || s == "l":
			f.sel = min(f.sel+1, len(f.opts)-1)
		case s == "home" || s == "g":
			f.sel = 0
		case s == "end" || s == "G":
			f.sel = len(f.opts) - 1
		case len(s) == 1 && s[0] >= '0' && s[0] <= '9':
			ed.digit(f, int(s[0]-'0'))
		}
		ed.err = ""
		return nil
	case rkButton:
		switch msg.String() {
		case "down", "j", "right":
			return ed.move(1)
		case "up", "k", "left":
			return ed.move(-1)
		}
		return nil
	case rkLine:
		switch msg.String() {
		case "down":
			return ed.move(1)
		case "up":
			return ed.move(-1)
		}
	}
	f.err = ""
	return ed.passToField(msg)
}

// digit picks a choice by number: the rating itself on rating fields (0 = not rated), the
// n-th option elsewhere.
func (ed *riskEditor) digit(f *rkField, n int) {
	if _, err := strconv.Atoi(f.opts[len(f.opts)-1].Value); err == nil {
		f.choose(itoa(n))
		return
	}
	if n >= 1 && n <= len(f.opts) {
		f.sel = n - 1
	}
}

// move focuses the field d steps away (wrapping), checking the one it leaves.
func (ed *riskEditor) move(d int) tea.Cmd {
	ed.check(ed.cur())
	ed.blur(ed.cur())
	ed.focus = (ed.focus + d + len(ed.fields)) % len(ed.fields)
	return ed.focusCur()
}

func (ed *riskEditor) blur(f *rkField) {
	switch f.kind {
	case rkLine:
		f.line.Blur()
	case rkArea:
		f.area.Blur()
	}
}

func (ed *riskEditor) focusCur() tea.Cmd {
	f := ed.cur()
	switch f.kind {
	case rkLine:
		return f.line.Focus()
	case rkArea:
		return f.area.Focus()
	}
	return nil
}

// check refuses a bad value in a field as soon as the user leaves it.
func (ed *riskEditor) check(f *rkField) bool {
	f.err = ""
	if f.id == "due" && f.value() != "" {
		if _, err := assessment.ParseDate(f.value()); err != nil {
			f.err = "write the date as YYYY-MM-DD, for example 2026-09-30"
		}
	}
	return f.err == ""
}

// click sets likelihood and impact (or their residual pair) from a click on the matrix.
func (ed *riskEditor) click(m tea.Mouse) {
	// The app's title bar is the first row of the terminal.
	row, col := m.Y-1-ed.matY, m.X-ed.matX
	n := ed.matrix.Scale()
	lw := riskRowLabelWidth(false)
	if row < 2 || row >= 2+n || col < lw || col >= lw+n*riskCellWidth {
		return
	}
	l, i := n-(row-2), (col-lw)/riskCellWidth+1
	lf, imf := ed.pair()
	lf.choose(itoa(l))
	imf.choose(itoa(i))
	ed.err = ""
}

// pair is the likelihood and impact fields the matrix shows.
func (ed *riskEditor) pair() (*rkField, *rkField) {
	if ed.mode == rkModeRate {
		return ed.field("l"), ed.field("i")
	}
	return ed.field("rl"), ed.field("ri")
}

// build is the risk as the form now says, or why it cannot be saved.
func (ed *riskEditor) build() (assessment.Risk, error) {
	r := ed.risk
	switch ed.mode {
	case rkModeRate:
		r.Likelihood, r.Impact = ed.field("l").intValue(), ed.field("i").intValue()
		r.Rationale = ed.field("rationale").value()
		if ed.accept {
			r.Status = assessment.RiskOpen
		}
	case rkModeTreat:
		r.Treatment = assessment.Treatment(ed.field("treatment").value())
		r.Measures = ed.field("measures").value()
		r.Owner = ed.field("owner").value()
		r.Due = ed.field("due").value()
		r.ResidualL, r.ResidualI = ed.field("rl").intValue(), ed.field("ri").intValue()
		r.Status = assessment.RiskStatus(ed.field("status").value())
		if !ed.check(ed.field("due")) {
			return r, fmt.Errorf("the due date %q is not a date; write it as YYYY-MM-DD", r.Due)
		}
	}
	if err := assessment.ValidateRisk(ed.matrix, r); err != nil {
		return r, err
	}
	return r, nil
}

func (ed *riskEditor) save() tea.Cmd {
	r, err := ed.build()
	if err != nil {
		ed.err = err.Error()
		return nil
	}
	ed.err, ed.saving = "", true
	st, ctx, id := ed.e.store, ed.e.ctx, ed.assessID
	note := "Saved the treatment plan."
	if ed.mode == rkModeRate {
		note = "Rated " + ed.matrix.Label(ed.matrix.Level(r.Likelihood, r.Impact)) + "."
		if ed.accept {
			note = "Accepted the risk and rated it " + strings.ToLower(ed.matrix.Label(ed.matrix.Level(r.Likelihood, r.Impact))) + "."
		}
	}
	return mutate(note, func() error {
		_, err := st.SaveRisk(ctx, id, r)
		return err
	})
}

func (ed *riskEditor) title() string {
	switch {
	case ed.mode == rkModeTreat:
		return "Plan the treatment"
	case ed.accept:
		return "Accept and rate this risk"
	}
	return "Rate this risk"
}

func (ed *riskEditor) View() string {
	s := ed.styles
	w := max(ed.width, 40)
	head := []string{s.Title.Render(ed.title())}
	for i, l := range riskWrap(ed.risk.Title, w) {
		if i == 2 {
			break
		}
		head = append(head, s.Header.Render(l))
	}
	for _, l := range riskWrap(ed.assetName+riskDot(ed.hint), w) {
		head = append(head, s.Subtle.Render(l))
	}
	if ed.saving {
		return strings.Join(head, "\n") + "\n\n" + s.Subtle.Render("Saving…")
	}
	lw := ed.leftWidth()
	roomy := lw-rkLabelWidth-1 >= rkWideValues
	var rows []string
	lvlRow := func(label string, l assessment.Level, extra string) {
		txt := riskLevelStyle(s, l).Render("■ "+ed.matrix.Label(l)) + s.Subtle.Render(extra)
		rows = append(rows, "  "+riskPad(label, rkLabelWidth-2)+" "+txt)
	}
	for i, f := range ed.fields {
		focused := i == ed.focus
		rows = append(rows, ed.fieldView(f, focused, lw)...)
		if f.err != "" {
			rows = append(rows, strings.Repeat(" ", rkLabelWidth+1)+s.Error.Render(truncate(f.err, lw-rkLabelWidth-1)))
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
		for _, l := range riskWrap(ed.err, lw-2) {
			rows = append(rows, "  "+s.Error.Render(l))
		}
	}
	left := strings.Join(rows, "\n")
	right := ed.matrixView()
	ed.matX, ed.matY = lw+2, len(head)+1
	body := lipgloss.JoinHorizontal(lipgloss.Top, riskBlock(left, lw), "  ", right)
	return strings.Join(head, "\n") + "\n\n" + body
}

// matrixView draws the matrix with the chosen cell (and, when planning treatment, the
// current rating) marked.
func (ed *riskEditor) matrixView() string {
	s := ed.styles
	lf, imf := ed.pair()
	sl, si := lf.intValue(), imf.intValue()
	cell := func(l, i int) string { return riskLevelAbbr(ed.matrix.Level(l, i)) }
	mark := func(l, i int) bool { return l == sl && i == si }
	note := "Rows: likelihood\n[ ] your rating"
	if ed.mode == rkModeTreat {
		note = "Rows: likelihood\n[ ] residual · * now"
		cl, ci := ed.risk.Likelihood, ed.risk.Impact
		cell = func(l, i int) string {
			a := riskLevelAbbr(ed.matrix.Level(l, i))
			if l == cl && i == ci {
				a += "*"
			}
			return a
		}
	}
	return riskMatrix(s, ed.matrix, false, cell, mark) + "\n" + s.Subtle.Render(note)
}

func (ed *riskEditor) fieldView(f *rkField, focused bool, lw int) []string {
	s := ed.styles
	marker := "  "
	label := riskPad(f.label, rkLabelWidth-2)
	if focused {
		marker = s.Title.Render("▸ ")
		label = s.Header.Render(label)
	} else {
		label = s.Subtle.Render(label)
	}
	vw := max(lw-rkLabelWidth-1, 10)
	switch f.kind {
	case rkChoice:
		opt := f.opts[f.sel].Label
		var v string
		if focused {
			v = s.Title.Render("◂ ") + s.Selected.Render(" "+opt+" ") + s.Title.Render(" ▸")
		} else {
			v = opt
		}
		return []string{marker + label + " " + truncate(v, vw)}
	case rkLine:
		return []string{marker + label + " " + f.line.View()}
	case rkArea:
		lines := strings.Split(f.area.View(), "\n")
		out := make([]string, len(lines))
		for i, l := range lines {
			if i == 0 {
				out[i] = marker + label + " " + l
			} else {
				out[i] = strings.Repeat(" ", rkLabelWidth+1) + l
			}
		}
		return out
	case rkButton:
		b := "[ Save ]"
		if focused {
			b = s.Selected.Render(b)
		}
		hint := ""
		if lw-rkLabelWidth-1 >= 34 {
			hint = s.Subtle.Render("  or ctrl+s from any field")
		}
		return []string{"", strings.Repeat(" ", rkLabelWidth+1) + b + hint}
	}
	return nil
}

// riskBlock pads every line of s to width w, so columns joined beside it line up.
func riskBlock(s string, w int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if d := w - lipgloss.Width(l); d > 0 {
			lines[i] = l + strings.Repeat(" ", d)
		} else if d < 0 {
			lines[i] = truncate(l, w)
		}
	}
	return strings.Join(lines, "\n")
}

func riskDot(s string) string {
	if s == "" {
		return ""
	}
	return " · " + s
}
