package exchange

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/reports"
	"safeguard/reports/packet"
	"safeguard/reports/sheets"
	"safeguard/store"
	"safeguard/ui/common"
)

// PacketForm asks who a questionnaire packet is for and where to write it, then writes
// it as `safeguard packet export` does.
func PacketForm(e *common.Env, d *common.Data) common.Screen {
	var respondent, who string
	var open, force bool
	deadline := time.Now().AddDate(0, 0, 14).Format(time.DateOnly)
	a := d.Snap.Assessment
	path := defaultName("questionnaire", ".xlsx")
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewInput().Title("For").Description("Who will answer: name and role.").Placeholder("Dana Reyes, office manager").
				Value(&respondent).Validate(common.Name("respondent")),
			huh.NewSelect[string]().Title("Which questions").Options(
				huh.NewOption("Every applicable question", ""),
				huh.NewOption("What an office manager usually answers", string(controls.ByOfficeManager)),
				huh.NewOption("What an IT provider usually answers", string(controls.ByITProvider)),
				huh.NewOption("What a vendor usually answers", string(controls.ByVendor)),
				huh.NewOption("What anyone in the practice can answer", string(controls.ByAnyone)),
			).Value(&who),
			huh.NewConfirm().Title("Only questions still open?").Description("Unanswered, flagged or carried over.").Value(&open),
			huh.NewInput().Title("Send back by").Description("YYYY-MM-DD").Value(&deadline).Validate(common.Date("deadline", true)),
			huh.NewInput().Title("Save as").Description("An .xlsx file; the folder must exist.").Value(&path).
				Validate(common.Required("file name", "give a file name")),
			huh.NewConfirm().Title("Overwrite the file if it exists?").Value(&force),
		))
	}
	submit := func() tea.Cmd {
		ctx, s, id := e.Ctx, e.Store, a.ID
		out := strings.TrimSpace(path)
		if !filepath.IsAbs(out) && e.WorkDir != "" {
			out = filepath.Join(e.WorkDir, out)
		}
		f := assessment.PacketFilter{Who: controls.Answerer(who), Open: open}
		name, due := strings.TrimSpace(respondent), deadline
		return func() tea.Msg {
			if k, err := sheets.KindOf(out); err != nil || k != sheets.XLSX {
				return common.SavedMsg{Err: fmt.Errorf("the packet is an Excel workbook: give a file name ending in .xlsx")}
			}
			snap, err := s.Snapshot(ctx, id)
			if err != nil {
				return common.SavedMsg{Err: err}
			}
			p, err := s.NewPacket(ctx, common.NewData(snap, time.Now()).Analysis, f, name, due)
			if err != nil {
				return common.SavedMsg{Err: err}
			}
			rec := store.NewPacketRecord(p, filepath.Base(out))
			err = reports.WriteFileAtomic(out, force, func(w io.Writer) error {
				if err := packet.Write(w, p, rec.Checksum); err != nil {
					return err
				}
				return s.RecordPacket(ctx, rec)
			})
			return common.SavedMsg{Err: err, Notice: fmt.Sprintf("Wrote a questionnaire of %s for %s to %s.",
				assessment.Plural(len(p.Items), "item", "items"), name, out)}
		}
	}
	return common.NewForm(e, "Questionnaire for someone else", build, submit)
}

// Returned reviews a returned questionnaire: each answer is accepted, edited or
// rejected, then the accepted ones are applied in one transaction with the respondent's
// provenance, as `safeguard packet import` does.
type Returned struct {
	screenBase
	id      string
	step    pathStep
	loading bool
	plan    *assessment.PacketPlan
	rows    []returnedRow
	cursor  int
	offset  int
	editing bool
	note    textinput.Model
	draft   assessment.ResponseStatus
	saving  bool
}

type returnedRow struct {
	change assessment.PacketChangeView
	accept bool
	edited bool
}

// NewReturned is the review of a returned packet for the open assessment.
func NewReturned(e *common.Env, d *common.Data) *Returned {
	return &Returned{screenBase: screenBase{e: e}, id: d.ID(),
		step: newPathStep("The returned questionnaire workbook (.xlsx):", "")}
}

type planMsg struct {
	plan *assessment.PacketPlan
	err  error
}

func (r *Returned) Init() tea.Cmd { return nil }

// load reads the workbook and judges it, in a command.
func (r *Returned) load() tea.Cmd {
	path := r.step.path(r.e)
	ctx, s, id := r.e.Ctx, r.e.Store, r.id
	r.loading, r.err = true, nil
	return func() tea.Msg {
		if err := readable(path); err != nil {
			return planMsg{err: err}
		}
		f, err := store.OpenInput(path, "a questionnaire workbook (.xlsx)")
		if err != nil {
			return planMsg{err: err}
		}
		defer f.Close()
		data, err := sheets.ReadAll(path, f)
		if err != nil {
			return planMsg{err: err}
		}
		ret, err := packet.Read(filepath.Base(path), data)
		if err != nil {
			return planMsg{err: err}
		}
		ret.File = path
		plan, err := s.PlanReturn(ctx, id, ret, time.Now())
		return planMsg{plan: plan, err: err}
	}
}

func (r *Returned) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case planMsg:
		r.loading = false
		if msg.err != nil {
			r.err = msg.err
			return r, nil
		}
		r.plan, r.rows = msg.plan, nil
		for _, c := range msg.plan.Changes {
			if c.Kind == assessment.PacketSame {
				continue
			}
			r.rows = append(r.rows, returnedRow{change: c, accept: c.Kind == assessment.PacketNew || c.Kind == assessment.PacketChange})
		}
		return r, nil
	case common.SavedMsg:
		r.saving = false
		if msg.Err != nil {
			r.err = msg.Err
			return r, nil
		}
		return r, tea.Sequence(common.Pop, common.Emit(msg))
	case tea.KeyPressMsg:
		return r, r.key(msg)
	case tea.PasteMsg:
		var cmd tea.Cmd
		if r.editing {
			r.note, cmd = r.note.Update(msg)
		} else if r.plan == nil {
			r.step.input, cmd = r.step.input.Update(msg)
		}
		return r, cmd
	}
	return r, nil
}

func (r *Returned) key(msg tea.KeyPressMsg) tea.Cmd {
	if r.loading || r.saving {
		return nil
	}
	k := r.e.Keys.Exchange
	if r.plan == nil {
		switch {
		case r.back(msg):
			return common.Pop
		case msg.String() == "enter":
			return r.load()
		}
		var cmd tea.Cmd
		r.step.input, cmd = r.step.input.Update(msg)
		return cmd
	}
	if r.editing {
		return r.editKey(msg)
	}
	if d, ok := r.e.Keys.Nav.Delta(msg, r.visible(), len(r.rows)); ok {
		r.cursor = max(0, min(len(r.rows)-1, r.cursor+d))
		r.scroll()
		return nil
	}
	row := r.current()
	switch {
	case r.back(msg):
		return common.Pop
	case key.Matches(msg, k.Apply):
		return r.apply()
	case row == nil:
	case key.Matches(msg, k.Accept):
		r.err = nil
		if row.change.Kind == assessment.PacketInvalid || row.change.Kind == assessment.PacketNotAsked {
			r.err = fmt.Errorf("row %d cannot be accepted as returned: %s; edit it (e) or leave it rejected", row.change.Row, row.change.Why)
			return nil
		}
		row.accept = true
	case key.Matches(msg, k.Reject):
		row.accept = false
	case key.Matches(msg, k.Edit):
		if row.change.Kind == assessment.PacketNotAsked {
			r.err = fmt.Errorf("row %d's item no longer applies; its answer cannot be used", row.change.Row)
			return nil
		}
		r.editing, r.err = true, nil
		r.draft = row.change.Answer.Status
		if r.draft == "" {
			r.draft = assessment.Flagged
		}
		r.note = textinput.New()
		r.note.SetValue(noteOf(row.change.Answer))
		r.note.SetWidth(max(r.width-20, 20))
		return r.note.Focus()
	}
	return nil
}

func noteOf(a assessment.Response) string {
	if a.Status == assessment.NotApplicable {
		return a.Reason
	}
	return a.Note
}

// editKey: left/right change the status, typing edits the note (the reason for not
// applicable), enter keeps the edit if it is a valid answer, esc drops it.
func (r *Returned) editKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		r.editing = false
		return nil
	case "left", "right":
		r.draft = cycleStatus(r.draft, msg.String() == "right")
		return nil
	case "enter":
		row := r.current()
		ans := row.change.Answer
		if ans.QuestionID == "" {
			ans = assessment.Response{QuestionID: row.change.Item.QuestionID, AssetID: row.change.Item.AssetID}
			if row.change.Current != nil {
				ans = *row.change.Current
			}
		}
		ans.Status = r.draft
		text := strings.TrimSpace(r.note.Value())
		if r.draft == assessment.NotApplicable {
			ans.Reason = text
		} else {
			ans.Note = text
			if row.change.Current != nil && row.change.Current.Status == assessment.NotApplicable {
				ans.Reason = ""
			}
		}
		if err := assessment.ValidateResponse(r.e.Catalog, ans); err != nil {
			r.err = err
			return nil
		}
		if err := assessment.CheckConsistency(r.e.Catalog, ans); err != nil {
			r.err = err
			return nil
		}
		row.change.Answer, row.edited, row.accept, r.editing, r.err = ans, true, true, false, nil
		if row.change.Kind == assessment.PacketInvalid {
			row.change.Kind = assessment.PacketChange
			if row.change.Current == nil {
				row.change.Kind = assessment.PacketNew
			}
		}
		return nil
	}
	var cmd tea.Cmd
	r.note, cmd = r.note.Update(msg)
	return cmd
}

func cycleStatus(st assessment.ResponseStatus, forward bool) assessment.ResponseStatus {
	all := assessment.ResponseStatuses
	i := 0
	for j, c := range all {
		if c.Value == string(st) {
			i = j
		}
	}
	if forward {
		i = (i + 1) % len(all)
	} else {
		i = (i + len(all) - 1) % len(all)
	}
	return assessment.ResponseStatus(all[i].Value)
}

// apply stores the accepted answers in one transaction.
func (r *Returned) apply() tea.Cmd {
	var decisions []store.PacketDecision
	n := 0
	for _, row := range r.rows {
		switch row.change.Kind {
		case assessment.PacketInvalid, assessment.PacketNotAsked:
			if !row.accept {
				continue
			}
		}
		decisions = append(decisions, store.PacketDecision{Change: row.change, Apply: row.accept})
		if row.accept {
			n++
		}
	}
	ctx, s, id, pid := r.e.Ctx, r.e.Store, r.id, r.plan.Packet.ID
	r.saving = true
	return func() tea.Msg {
		applied, err := s.ApplyPacket(ctx, id, pid, decisions)
		return common.SavedMsg{Err: err, Notice: fmt.Sprintf("Applied %s from the returned questionnaire.", assessment.Plural(applied, "answer", "answers"))}
	}
}

func (r *Returned) current() *returnedRow {
	if r.cursor < 0 || r.cursor >= len(r.rows) {
		return nil
	}
	return &r.rows[r.cursor]
}

func (r *Returned) visible() int { return max((r.height-8)/2, 1) }

func (r *Returned) scroll() {
	n := r.visible()
	if r.cursor < r.offset {
		r.offset = r.cursor
	}
	if r.cursor >= r.offset+n {
		r.offset = r.cursor - n + 1
	}
}

func (r *Returned) View() string {
	s := r.styles
	var b strings.Builder
	b.WriteString(s.Title.Render("Review a returned questionnaire") + "\n\n")
	switch {
	case r.plan == nil && r.loading:
		b.WriteString(s.Subtle.Render("Reading and checking the workbook…"))
	case r.plan == nil:
		b.WriteString(r.step.view(s, r.width))
	default:
		p := r.plan
		fmt.Fprintf(&b, "%d new, %d changed, %d unchanged, %d in conflict, %d invalid, %d no longer asked.\n",
			p.Count(assessment.PacketNew), p.Count(assessment.PacketChange), p.Count(assessment.PacketSame),
			p.Count(assessment.PacketConflict), p.Count(assessment.PacketInvalid), p.Count(assessment.PacketNotAsked))
		if len(r.rows) == 0 {
			b.WriteString("\nNothing to apply: every returned answer is what the assessment holds.\n")
			break
		}
		b.WriteString("\n")
		end := min(len(r.rows), r.offset+r.visible())
		for i := r.offset; i < end; i++ {
			b.WriteString(r.rowView(i) + "\n")
		}
		if r.editing {
			fmt.Fprintf(&b, "\n%s  ← %s →\n  %s\n%s", s.Header.Render("Edit:"), assessment.ChoiceLabel(assessment.ResponseStatuses, string(r.draft)),
				r.note.View(), s.Subtle.Render("←/→ status · type the note (the reason, for not applicable) · enter keep · esc drop"))
		}
	}
	return b.String() + r.errLine()
}

func (r *Returned) rowView(i int) string {
	s := r.styles
	row := r.rows[i]
	c := row.change
	mark := "✗ reject"
	if row.accept {
		mark = "✓ apply "
	}
	kind := c.Kind
	if row.edited {
		kind = "edited"
	}
	item := c.Item.QuestionID
	if len(c.Item.Locked) > 3 && c.Item.AssetID != "" {
		item += " · " + c.Item.Locked[3]
	}
	now := "—"
	if c.Current != nil {
		now = c.Current.Status.Short()
	}
	line := fmt.Sprintf(" %s  row %-4d %-10s %s", mark, c.Row, kind, item)
	detail := fmt.Sprintf("           now %s → returned %s", now, c.Answer.Status.Short())
	if n := noteOf(c.Answer); n != "" {
		detail += ": " + n
	}
	if c.Why != "" && !row.edited {
		detail = "           " + c.Why
	}
	line, detail = common.Fit(line, r.width-1), common.Fit(detail, r.width-1)
	if i == r.cursor {
		line = s.Selected.Render(line)
	}
	return line + "\n" + s.Subtle.Render(detail)
}

func (r *Returned) Typing() bool { return r.plan == nil || r.editing }

func (r *Returned) Keys() common.Help {
	k, g := r.e.Keys.Exchange, r.e.Keys.Global
	if r.plan == nil {
		return common.HelpOf(common.Relabel(r.e.Keys.Home.Open, "enter", "read the workbook"), g.Back)
	}
	return common.HelpOf(k.Accept, k.Reject, k.Edit, k.Apply, g.Back)
}
