package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"safeguard/assessment"
	"safeguard/controls"
)

// The breach decision memo: one incident's record as a document an investigator can read
// on its own. It uses the report's fonts, tables, page furniture and determinism rules:
// the same snapshot, incident and options give byte-identical files.

// MemoOptions change how a memo is made.
type MemoOptions struct {
	// AsOf is the day the clocks are read on and the memo is dated; zero means the day of
	// the snapshot (its Now).
	AsOf time.Time
	// Progress, when set, is called with work done out of the total, ending with done ==
	// total.
	Progress func(done, total int)

	uncompressed bool // tests: leave page content readable
}

// memoTitle is the document's name on every page.
const memoTitle = "Breach decision memo"

// draftMark is drawn across every page of a memo without a conclusion.
const draftMark = "DRAFT"

// memo is one memo being laid out.
type memo struct {
	*doc
	inc   *assessment.Incident
	v     assessment.IncidentView
	a     *assessment.Analysis
	asOf  time.Time
	draft bool
	sec   int
}

// RenderMemo writes the decision memo of the incident with the given ID, which must be one
// of the snapshot's incidents.
func RenderMemo(s *assessment.Snapshot, incidentID string, opt MemoOptions) ([]byte, error) {
	b, _, err := renderMemo(s, incidentID, opt)
	return b, err
}

func renderMemo(s *assessment.Snapshot, incidentID string, opt MemoOptions) ([]byte, *memo, error) {
	if s == nil || s.Catalog == nil {
		return nil, nil, errors.New("the memo needs an assessment snapshot loaded with its catalog")
	}
	i := slices.IndexFunc(s.Incidents, func(x assessment.Incident) bool { return x.ID == incidentID })
	if i < 0 {
		return nil, nil, fmt.Errorf("incident %s is not recorded against assessment %s", incidentID, s.Assessment.ID)
	}
	m := newMemo(s, &s.Incidents[i], opt)
	m.render()
	if m.lastErr != nil {
		return nil, m, m.lastErr
	}
	if err := m.f.Error(); err != nil {
		return nil, m, fmt.Errorf("the memo could not be laid out (%v); this is a bug in safeguard, please report it", err)
	}
	var buf bytes.Buffer
	if err := m.f.Output(&buf); err != nil {
		return nil, m, fmt.Errorf("the memo could not be written (%v); this is a bug in safeguard, please report it", err)
	}
	out, err := m.update(buf.Bytes())
	if err != nil {
		return nil, m, err
	}
	m.prog.finish()
	return out, m, nil
}

func newMemo(s *assessment.Snapshot, inc *assessment.Incident, opt MemoOptions) *memo {
	asOf := opt.AsOf
	if asOf.IsZero() {
		asOf = s.Now()
	}
	asOf = assessment.Today(asOf)
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "Letter"})
	f.SetCompression(!opt.uncompressed)
	f.SetCatalogSort(true)
	f.SetCreationDate(asOf)
	f.SetModificationDate(asOf)
	f.SetProducer(Producer, true)
	f.SetCreator("safeguard", true)
	f.SetTitle(memoTitle+": "+cleanLine(inc.Title), true)
	f.SetAuthor(cleanLine(s.Assessment.Organization), true)
	f.SetSubject("Breach notification decision (45 CFR §§164.400–414) for incident "+inc.ID, true)
	f.SetKeywords("HIPAA, breach notification, 45 CFR 164.402, unsecured PHI, risk assessment, incident", true)
	f.SetLang("en-US")
	f.SetMargins(marginL, marginT, marginR)
	f.SetAutoPageBreak(true, marginB)
	f.SetCellMargin(cellPad)
	f.SetDisplayMode("fullwidth", "continuous")
	d := &doc{f: f, s: s, bySHA: map[string]int{}, inEffect: startFonts(f, nil)}
	m := &memo{doc: d, inc: inc, a: assessment.Analyze(s), asOf: asOf, draft: inc.Conclusion == nil}
	m.v = assessment.ViewIncident(inc, s.Profile.EntityType, asOf)
	d.prog = newProgress(opt.Progress, 12)
	return m
}

func (m *memo) render() {
	m.newPage()
	m.bookmark("Summary", 0, -1)
	m.titleBlock()
	m.facts()
	m.securedSection()
	m.exceptionSection()
	m.factorsSection()
	m.conclusionSection()
	m.clocksSection()
	m.noticesSection()
	m.risksSection()
	m.evidenceSection()
	m.recordSection()
	m.decorateMemo()
}

// section starts a numbered section, on the current page when enough room is left.
func (m *memo) section(title string, keep float64) {
	m.sec++
	m.gap(4)
	m.ensure(14 + keep)
	num := fmt.Sprintf("%d", m.sec)
	m.bookmark(num+" "+title, 0, -1)
	m.font("B", 13)
	m.textColor(colAccent)
	m.f.SetXY(marginL, m.y())
	m.text(contentW, 7.5, cleanLine(num+"  "+title), "", 1, "L")
	m.drawColor(colAccent)
	m.lineWidth(0.35)
	m.f.Line(marginL, m.y()+0.3, marginL+contentW, m.y()+0.3)
	m.lineWidth(0.2)
	m.f.SetY(m.y() + 3)
	m.prog.step(1)
}

// ---- title and summary ----

func (m *memo) titleBlock() {
	inc, v := m.inc, &m.v
	m.font("B", 20)
	m.textColor(colAccent)
	m.f.SetXY(marginL, m.y())
	m.text(contentW, 10, memoTitle, "", 1, "L")
	m.para(inc.Title, "B", 13, colInk)
	m.f.SetY(m.y() + 2)
	m.kv([][2]string{
		{"Organization", m.s.Assessment.Organization + " (" + entityLabel(m.s.Profile.EntityType) + ")"},
		{"Recorded against", fmt.Sprintf("%s, assessment %s", m.s.Assessment.Title, m.s.Assessment.ID)},
		{"Incident", inc.ID},
		{"Memo date", "Clocks read on " + assessment.DocDate(m.asOf)},
		{"Status", v.Status.Label()},
	})
	text, fill := m.verdict()
	m.banner(text, fill)
	m.prog.step(1)
}

// verdict is the one-paragraph answer the memo gives, with its color.
func (m *memo) verdict() (string, rgb) {
	v := &m.v
	next := ""
	if d, ok := v.Next(); ok {
		next = fmt.Sprintf(" Next due: %s, %s (%s).", d.Title, assessment.DocDate(d.Due), daysPhrase(d.DaysLeft))
	}
	c := m.inc.Conclusion
	if c == nil {
		return "Draft memo: no conclusion is recorded yet, so this memo decides nothing. The notification clocks run from " +
			"discovery whatever the investigation's state (§164.404(b))." + next, colAmber
	}
	out := assessment.ChoiceLabel(assessment.Outcomes, c.Outcome)
	if c.Notify() {
		return fmt.Sprintf("Conclusion: %s. Concluded by %s on %s.%s", out, c.By, assessment.DocDay(c.On), next), colWarnFill
	}
	return fmt.Sprintf("Conclusion: %s. Concluded by %s on %s.%s", out, c.By, assessment.DocDay(c.On), next), colOKFill
}

func daysPhrase(n int) string {
	switch {
	case n < 0:
		return assessment.Plural(-n, "day", "days") + " overdue"
	case n == 0:
		return "today"
	}
	return "in " + assessment.Plural(n, "day", "days")
}

// banner writes a paragraph in a tinted box.
func (m *memo) banner(text string, fill rgb) {
	m.font("B", 10)
	ls := m.lines(clean(text), contentW-6)
	lh := lineH(10)
	h := float64(len(ls))*lh + 5
	m.ensure(h + 2)
	y := m.y()
	m.fillColor(fill)
	m.rect(marginL, y, contentW, h, "F")
	m.textColor(colInk)
	for i, ln := range ls {
		m.f.SetXY(marginL+3, y+2.5+float64(i)*lh)
		m.text(contentW-6, lh, ln, "", 0, "L")
	}
	m.f.SetXY(marginL, y+h+3)
}

// ---- 1 facts ----

func (m *memo) facts() {
	inc, v := m.inc, &m.v
	m.section("Facts", 30)
	pairs := [][2]string{}
	if inc.Description != "" {
		pairs = append(pairs, [2]string{"What happened", inc.Description})
	}
	typ := "Not recorded"
	if inc.Type != "" {
		typ = assessment.ChoiceLabel(assessment.IncidentTypes, inc.Type)
	}
	if inc.Ransomware {
		typ += " (ransomware)"
	}
	pairs = append(pairs, [2]string{"Type", typ})
	exp := inc.Exposure
	expLabel := "Not recorded"
	if exp == "" && assessment.DefaultExposure(inc.Type) != "" {
		exp = assessment.DefaultExposure(inc.Type)
		expLabel = assessment.ChoiceLabel(assessment.ExposureChoices, exp) + " (usual for this type; not stated)"
	} else if exp != "" {
		expLabel = assessment.ChoiceLabel(assessment.ExposureChoices, exp)
	}
	pairs = append(pairs, [2]string{"How the data was reached", expLabel})
	pairs = append(pairs, [2]string{"Occurred", occurred(inc)})
	pairs = append(pairs, [2]string{"Discovery", v.StartBasis})
	if inc.FoundBy != "" {
		pairs = append(pairs, [2]string{"Found by", inc.FoundBy})
	}
	ind := "Not known yet"
	if inc.Individuals > 0 {
		ind = assessment.FormatInt(inc.Individuals)
	}
	pairs = append(pairs, [2]string{"Individuals affected", ind})
	if len(inc.States) > 0 {
		var ss []string
		for _, s := range inc.States {
			name := s.State
			if name == assessment.StateUnknown {
				name = "state not known"
			}
			ss = append(ss, fmt.Sprintf("%s %s", name, assessment.FormatInt(s.Count)))
		}
		pairs = append(pairs, [2]string{"Residence", strings.Join(ss, "; ")})
	} else {
		pairs = append(pairs, [2]string{"Residence", "Not recorded"})
	}
	pairs = append(pairs, [2]string{"Information involved", dataText(inc.Data)})
	if inc.Part2 {
		pairs = append(pairs, [2]string{"42 CFR Part 2", "Substance use disorder records were involved. Under the 2024 Part 2 final rule " +
			"(89 FR 12472), the HIPAA breach notification requirements apply to breaches of unsecured Part 2 records in the same way."})
	}
	var vs []string
	for _, vd := range inc.Vendors {
		s := vd.Name + " (BAA " + strings.ToLower(string(vd.BAA)) + ")"
		if vd.BreachNoticeDays > 0 {
			s += fmt.Sprintf(", breach notice within %s by agreement", assessment.Plural(vd.BreachNoticeDays, "day", "days"))
		}
		vs = append(vs, s)
	}
	if len(vs) > 0 {
		pairs = append(pairs, [2]string{"Vendors involved", strings.Join(vs, "; ")})
	}
	pairs = append(pairs, [2]string{"Recorded", fmt.Sprintf("By %s on %s", orText(inc.RecordedBy, "an unrecorded user"), orText(assessment.DocDay(inc.RecordedOn), "an unrecorded date"))})
	m.kv(pairs)
	if len(v.Gaps) > 0 {
		m.heading3("What the record still lacks", 10)
		m.bullets(v.Gaps, 9)
	}
}

func occurred(inc *assessment.Incident) string {
	switch {
	case inc.OccurredFrom != "" && inc.OccurredTo != "":
		return assessment.DocDay(inc.OccurredFrom) + " to " + assessment.DocDay(inc.OccurredTo)
	case inc.OccurredFrom != "":
		return "From " + assessment.DocDay(inc.OccurredFrom) + " (end not recorded)"
	case inc.OccurredTo != "":
		return "Until " + assessment.DocDay(inc.OccurredTo) + " (start not recorded)"
	}
	return "Not recorded"
}

func dataText(data []string) string {
	if len(data) == 0 {
		return "Not recorded"
	}
	groups := map[string][]string{}
	var order []string
	for _, d := range data {
		g := assessment.DataGroup(d)
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], strings.ToLower(assessment.ChoiceLabel(assessment.DataTypes, d)))
	}
	slices.Sort(order)
	var parts []string
	for _, g := range order {
		parts = append(parts, g+": "+strings.Join(groups[g], ", "))
	}
	return strings.Join(parts, ". ")
}

func orText(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// ---- 2 secured or unsecured ----

func (m *memo) securedSection() {
	inc, v := m.inc, &m.v
	m.section("Was the PHI unsecured? (§164.402)", 30)
	m.body("The notification duties apply to unsecured PHI only. PHI is secured when HHS's guidance makes it unusable, " +
		"unreadable or indecipherable to unauthorized persons: encrypted consistently with NIST SP 800-111 at rest or " +
		"SP 800-52, 800-77 or 800-113 in transit, with the keys not compromised too, or destroyed (paper shredded beyond " +
		"reconstruction, electronic media cleared, purged or destroyed per NIST SP 800-88). Below is what the inventory " +
		"recorded for each affected asset, and what follows from it.")
	keys := "Not recorded"
	switch inc.Keys {
	case assessment.KeysCompromised:
		keys = "Compromised too"
	case assessment.KeysSafe:
		keys = "Not compromised"
	}
	m.kv([][2]string{{"Encryption keys", keys}, {"Derived", capitalize(v.Derived.Result) + ". " + v.Derived.Summary}})
	if len(inc.Assets) > 0 {
		m.ensure(35)
		t := m.newTable(7.5, col{"Asset (as recorded)", 28, "L"}, col{"Hosting and provider", 22, "L"}, col{"At rest", 21, "L"},
			col{"In transit and flows", 29, "L"}, col{"Result", 23, "L"}, col{"Why", 53, "L"})
		for i, a := range inc.Assets {
			res := v.Derived.Assets[i]
			t.row(cell{text: a.Name + "\nRecorded " + assessment.DocDay(a.Recorded), style: "B"}, txt(hostingText(a)), txt(restText(a)),
				txt(transitText(a)), resultCell(res.Result), txt(strings.Join(res.Reasons, " ")))
		}
		t.end()
		var finds []string
		for _, a := range inc.Assets {
			for _, f := range a.Findings {
				finds = append(finds, fmt.Sprintf("%s, %s: %s (%s)", a.Name, f.QuestionID, strings.ToLower(f.Status.Short()), concernText(f.Concern)))
			}
		}
		if len(finds) > 0 {
			m.heading3("Answers on these assets' encryption that fall short", 10)
			m.bullets(finds, 8.5)
		}
	}
	m.heading3("The assessor's determination", 12)
	d := inc.Secured
	if d == nil {
		m.body("Not recorded yet. Until it is, the PHI is treated as unsecured: the burden of proof is the organization's (§164.414(b)).")
		return
	}
	final := assessment.FinalSecured(inc)
	var text string
	if d.Decision == assessment.DecideConfirm {
		text = fmt.Sprintf("%s confirmed the derived determination (%s) on %s.", d.By, d.Derived, assessment.DocDay(d.On))
	} else {
		text = fmt.Sprintf("%s decided the PHI was %s on %s, overriding the derived determination (%s).", d.By, final, assessment.DocDay(d.On), d.Derived)
		if d.Basis != "" {
			text += " Basis: " + map[string]string{assessment.BasisEncryption: "encrypted as HHS's guidance specifies, keys not compromised.",
				assessment.BasisDestruction: "destroyed as HHS's guidance specifies (NIST SP 800-88 for electronic media)."}[d.Basis]
		}
	}
	if d.Reason != "" {
		text += " Reason: " + d.Reason
	}
	m.body(text)
	if final == assessment.Secured {
		m.body("Secured PHI is not unsecured PHI: the breach notification duties do not apply to it, and this determination is the basis recorded for that.")
	}
}

func hostingText(a assessment.IncidentAsset) string {
	h := controls.Hosting(a.Hosting).Label()
	if a.VendorName != "" {
		h += ", " + a.VendorName
	}
	if !a.EPHI {
		h += "; no ePHI recorded"
	}
	return h
}

func restText(a assessment.IncidentAsset) string {
	return assessment.LabelOr(assessment.EncryptionChoices, a.EncAtRest, assessment.NotRecorded)
}

func transitText(a assessment.IncidentAsset) string {
	s := assessment.LabelOr(assessment.TLSChoices, a.TLS, assessment.NotRecorded)
	for _, f := range a.Flows {
		dir := "from"
		if f.Outbound {
			dir = "to"
		}
		enc := "encrypted"
		if !f.Encrypted {
			enc = "NOT encrypted"
		}
		s += fmt.Sprintf("\nFlow %s %s: %s", dir, f.Peer, enc)
	}
	return s
}

func resultCell(r string) cell {
	switch r {
	case assessment.Secured:
		return cell{text: "Secured", style: "B", fill: &colOKFill}
	case assessment.Unsecured:
		return cell{text: "Unsecured", style: "B", fill: &colWarnFill}
	}
	return cell{text: "Undetermined", style: "B", fill: &colAmber}
}

func concernText(c string) string {
	switch c {
	case assessment.ConcernRest:
		return "encryption at rest"
	case assessment.ConcernTransit:
		return "encryption in transit"
	}
	return "key management"
}

// ---- 3 exceptions ----

func (m *memo) exceptionSection() {
	m.section("Exceptions (§164.402(1))", 25)
	m.body("An acquisition, access, use or disclosure is not a breach when one of three exceptions applies:")
	e := m.inc.Exception
	var items []string
	for _, x := range assessment.Exceptions {
		mark := "Does not apply"
		if e == nil {
			mark = "Not assessed"
		} else if e.Applies == x.Value {
			mark = "APPLIES"
		}
		items = append(items, x.Label+" — "+mark+".")
	}
	m.bullets(items, 8.5)
	switch {
	case e == nil:
		m.body("Whether an exception applies is not recorded.")
	case e.Applies == assessment.ExceptionNone:
		m.body(fmt.Sprintf("%s recorded on %s that no exception applies.%s", e.By, assessment.DocDay(e.On), sentence(e.Reason)))
	default:
		m.body(fmt.Sprintf("%s recorded on %s that this exception applies: %s", e.By, assessment.DocDay(e.On), e.Reason))
	}
}

func sentence(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

// ---- 4 four factors ----

func (m *memo) factorsSection() {
	inc := m.inc
	m.section("Four-factor risk assessment (§164.402(2))", 30)
	m.body("Unless an exception applies, an impermissible acquisition, access, use or disclosure of PHI is presumed a breach " +
		"unless a risk assessment of at least these four factors shows a low probability that the PHI has been compromised.")
	if inc.Ransomware {
		m.banner(assessment.RansomwareNote, colAmber)
	}
	for n := 1; n <= 4; n++ {
		m.heading3(fmt.Sprintf("Factor %d (%s): %s", n, assessment.FactorCites[n-1], assessment.FactorTitles[n-1]), 10)
		f, ok := inc.Factor(n)
		if !ok {
			m.body("Not assessed.")
			continue
		}
		m.body(f.Findings)
		line := fmt.Sprintf("Recorded by %s on %s.", f.By, assessment.DocDay(f.On))
		if len(f.Evidence) > 0 {
			line += " Evidence: " + strings.Join(m.evRefs(f.Evidence), ", ") + " (see the evidence index)."
		}
		m.small(line)
	}
}

// evRefs are the references of evidence IDs: E-numbers as the risk analysis report numbers
// them.
func (m *memo) evRefs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if r, ok := m.a.EvidenceRef[id]; ok {
			out[i] = r
		} else {
			out[i] = "an item no longer in the evidence (" + id + ")"
		}
	}
	return out
}

// ---- 5 conclusion ----

func (m *memo) conclusionSection() {
	m.section("Conclusion and sign-off", 30)
	c := m.inc.Conclusion
	if c == nil {
		m.body("No conclusion is recorded. Until one is, this memo is a draft and the incident is presumed a breach of unsecured PHI unless the record shows otherwise.")
		return
	}
	m.kv([][2]string{
		{"Conclusion", assessment.ChoiceLabel(assessment.Outcomes, c.Outcome)},
		{"Rationale", c.Rationale},
		{"Concluded by", c.By},
		{"Date", assessment.DocDay(c.On)},
	})
	m.small("The organization bears the burden of showing that notice was given or that the incident was not a breach " +
		"(§164.414(b)); this record is kept for six years (§164.316(b)(2)(i)).")
	m.gap(8)
	m.ensure(18)
	y := m.y() + 10
	m.drawColor(colInk)
	m.f.Line(marginL, y, marginL+80, y)
	m.f.Line(marginL+100, y, marginL+150, y)
	m.font("", 8)
	m.textColor(colMuted)
	m.f.SetXY(marginL-cellPad, y+1)
	m.text(80, 4, "Signature", "", 0, "L")
	m.f.SetXY(marginL+100-cellPad, y+1)
	m.text(50, 4, "Date", "", 0, "L")
	m.f.SetXY(marginL, y+6)
}

// ---- 6 clocks ----

func (m *memo) clocksSection() {
	v := &m.v
	m.section("Notification clocks (§§164.404–164.412)", 30)
	m.body("Every period runs from discovery: the first day the breach was known, or by reasonable diligence would have " +
		"been known, to a workforce member or agent (§164.404(a)(2)). Each date below is the last day; notice is due without " +
		"unreasonable delay before it. Statuses are as of " + assessment.DocDate(m.asOf) + ".")
	switch v.Notify {
	case assessment.NotifyUndecided:
		m.body("The decision is open, so the clocks are shown running: they do not wait for the investigation.")
	case assessment.NotifyNotRequired:
		m.body("The conclusion is that this was not a breach of unsecured PHI, so no notice is required under the rule; the dates are shown for the record.")
	}
	m.ensure(30)
	t := m.newTable(7.5, col{"Notice", 30, "L"}, col{"Rule", 14, "L"}, col{"Last day", 17, "L"}, col{"Status", 19, "L"}, col{"How the date was reached", 60, "L"})
	for _, d := range v.Duties {
		due := "Not computed"
		if d.Status == assessment.DutyNotRequired {
			due = "—"
		}
		if !d.Due.IsZero() {
			due = assessment.DocDate(d.Due)
		}
		status := d.Status.Label()
		switch {
		case d.Done != "":
			status += " " + assessment.DocDay(d.Done)
		case d.Status == assessment.DutyDue || d.Status == assessment.DutyPending || d.Status == assessment.DutyOverdue:
			status += ", " + daysPhrase(d.DaysLeft)
		}
		title := d.Title
		if !d.Ours {
			title += " (owed to the organization)"
		}
		basis := d.Basis
		if d.Note != "" {
			basis += " " + d.Note
		}
		cite := d.Cite
		if d.Key == assessment.DutyOther {
			cite = "Added by the assessor"
		}
		t.row(cell{text: title, style: "B"}, txt(cite), txt(due), dutyCell(d, status), txt(basis))
	}
	t.end()
	if len(m.inc.Delays) > 0 {
		m.heading3("Law-enforcement delays (§164.412)", 12)
		m.body("A written statement delays notice for the period it specifies; an oral one, documented with the official's " +
			"identity, for no longer than 30 days from the statement unless a written one follows. safeguard does not count " +
			"the days after a statement through the end of its delay toward the 60 days; the regulation says notice is delayed " +
			"for the period and does not itself say how the days are counted afterwards.")
		m.ensure(25)
		dt := m.newTable(7.5, col{"Statement", 18, "L"}, col{"Made", 16, "L"}, col{"Delay ends", 16, "L"}, col{"Official", 34, "L"}, col{"Note", 56, "L"})
		for _, d := range m.inc.Delays {
			d = assessment.NormalizeDelay(d)
			note := d.Note
			if len(d.Evidence) > 0 {
				note += " Evidence: " + strings.Join(m.evRefs(d.Evidence), ", ") + "."
			}
			dt.row(txt(capitalize(d.Kind)), txt(assessment.DocDay(d.Stated)), txt(assessment.DocDay(d.Until)), txt(d.Official), txt(strings.TrimSpace(note)))
		}
		dt.end()
	}
}

func dutyCell(d assessment.Duty, text string) cell {
	switch d.Status {
	case assessment.DutyOverdue, assessment.DutyLate:
		return cell{text: text, style: "B", fill: &colWarnFill}
	case assessment.DutyMet:
		return cell{text: text, fill: &colOKFill}
	case assessment.DutyDue, assessment.DutyPending:
		return cell{text: text, style: "B", fill: &colAmber}
	}
	return txt(text)
}

// ---- 7 notices ----

func (m *memo) noticesSection() {
	m.section("Notices sent", 20)
	if len(m.inc.Notices) == 0 {
		m.body("No notice is recorded.")
		return
	}
	m.ensure(25)
	t := m.newTable(7.5, col{"Date", 16, "L"}, col{"To", 26, "L"}, col{"How", 20, "L"}, col{"Count", 11, "R"}, col{"Content check (§164.404(c))", 67, "L"})
	for _, n := range m.inc.Notices {
		to := assessment.ChoiceLabel(assessment.NoticeRecipients, n.To)
		if n.Recipient != "" {
			to = n.Recipient
		}
		if n.State != "" {
			to += ", " + n.State
		}
		count := "All"
		if n.Count > 0 {
			count = assessment.FormatInt(n.Count)
		}
		check := "Not applicable to this recipient."
		if n.To == assessment.ToIndividuals || n.To == assessment.ToMedia {
			if gaps := assessment.NoticeGaps(n); len(gaps) > 0 {
				check = "Lacks: " + strings.Join(gaps, "; ") + "."
			} else {
				check = "All elements present, with " + contactText(n.Contact) + "; plain language."
			}
		}
		if n.To == assessment.ToCoveredEntity {
			check = "Identifies each individual (§164.410(c)(1)): " + map[bool]string{true: "yes.", false: "not recorded."}[n.Identities]
		}
		if s := n.Substitute; s != nil {
			check += fmt.Sprintf(" Substitute notice (§164.404(d)(2)) for %s: %s", assessment.Plural(s.Count, "individual", "individuals"),
				strings.ToLower(assessment.ChoiceLabel(assessment.SubstituteMethods, s.By)))
			if s.TollFree != "" {
				check += ", toll-free number " + s.TollFree
			}
			check += "."
		}
		if n.Note != "" {
			check += " " + n.Note
		}
		if len(n.Evidence) > 0 {
			check += " Evidence: " + strings.Join(m.evRefs(n.Evidence), ", ") + "."
		}
		t.row(txt(assessment.DocDay(n.Date)), cell{text: to, style: "B"}, txt(orText(assessment.ChoiceLabel(assessment.NoticeMethods, n.Method), "Not recorded")), txt(count), txt(check))
	}
	t.end()
}

func contactText(cs []string) string {
	var ls []string
	for _, c := range cs {
		ls = append(ls, strings.ToLower(assessment.ChoiceLabel(assessment.ContactMethods, c)))
	}
	if len(ls) == 0 {
		return "no contact method"
	}
	return strings.Join(ls, ", ")
}

// ---- 8 risks ----

func (m *memo) risksSection() {
	if len(m.inc.RiskLinks) == 0 {
		return
	}
	m.section("Risks raised by the incident", 20)
	m.ensure(25)
	t := m.newTable(7.5, col{"Risk", 50, "L"}, col{"Likelihood", 18, "L"}, col{"Note", 72, "L"})
	for _, l := range m.inc.RiskLinks {
		name := l.RiskTitle
		if r, ok := m.a.RiskRef[l.RiskID]; ok && l.AssessmentID == m.s.Assessment.ID {
			name = r + " " + name
		} else if l.AssessmentID != m.s.Assessment.ID {
			name += " (in assessment " + l.AssessmentID + ")"
		}
		t.row(cell{text: name, style: "B"}, txt(fmt.Sprintf("%d to %d", l.From, l.To)), txt(fmt.Sprintf("%s (%s, %s)", l.Note, l.By, assessment.DocDay(l.On))))
	}
	t.end()
}

// ---- 9 evidence ----

func (m *memo) evidenceSection() {
	m.section("Evidence index", 20)
	ids := m.inc.EvidenceIDs()
	if len(ids) == 0 {
		m.body("The record cites no evidence.")
		return
	}
	m.body("The evidence this memo cites, by the references the risk analysis report uses. Each file's SHA-256 identifies its exact content in the workspace's evidence vault.")
	byID := map[string]*assessment.Evidence{}
	for i := range m.s.Evidence {
		byID[m.s.Evidence[i].ID] = &m.s.Evidence[i]
	}
	type row struct {
		ref string
		e   *assessment.Evidence
		id  string
	}
	var rows []row
	for _, id := range ids {
		rows = append(rows, row{m.a.EvidenceRef[id], byID[id], id})
	}
	slices.SortStableFunc(rows, func(a, b row) int { return compareRefs(a.ref, b.ref) })
	m.ensure(25)
	t := m.newTable(7.5, col{"Ref", 8, "L"}, col{"Item", 44, "L"}, col{"SHA-256", 52, "L"}, col{"Size", 14, "R"}, col{"Added", 22, "L"})
	for _, r := range rows {
		if r.e == nil {
			t.row(txt("—"), txt("No longer in the assessment's evidence: "+r.id), txt(""), txt(""), txt(""))
			continue
		}
		name := r.e.Name
		if r.e.IsNote {
			name = "Note: " + name
		}
		if r.e.Description != "" {
			name += "\n" + r.e.Description
		}
		t.row(cell{text: r.ref, style: "B"}, txt(name), cell{text: r.e.SHA256, style: "M"}, txt(assessment.FormatSize(r.e.Size)),
			txt(assessment.DocDate(r.e.AddedAt)+"\n"+r.e.AddedBy))
	}
	t.end()
}

// compareRefs orders E2 before E10.
func compareRefs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// ---- 10 record ----

func (m *memo) recordSection() {
	au := m.s.Audit
	m.section("Record and integrity", 20)
	state := "Verified: the audit chain, every record and the evidence matched when this memo was made."
	if !au.Verified {
		state = "Not verified: the workspace was not verified when this memo was made."
		if len(au.Problems) > 0 {
			state = "Verification FAILED: " + au.Problems[0]
			if len(au.Problems) > 1 {
				state += fmt.Sprintf(" (and %s more)", assessment.Plural(len(au.Problems)-1, "problem", "problems"))
			}
		}
	}
	m.kv([][2]string{
		{"Audit trail", fmt.Sprintf("%s entries; every change to this incident is one of them", assessment.FormatInt(int(au.Entries)))},
		{"Chain head", orText(au.Head, "None")},
		{"Integrity", state},
	})
	if len(au.Problems) > 1 {
		m.bullets(au.Problems, 8.5)
	}
	m.small("The chain head identifies the exact history this memo reflects; `safeguard verify` recomputes the chain from the " +
		"workspace. The chain detects accidental damage and edits made behind safeguard's back. Alone it cannot stop someone " +
		"who rewrites the whole file and recomputes every hash; a chain head kept outside the workspace, like the one printed " +
		"here, is what exposes that.")
}

// ---- page furniture ----

// decorateMemo draws every page's header and footer and, on a draft, the watermark.
func (m *memo) decorateMemo() {
	n := m.f.PageCount()
	org := cleanLine(m.s.Assessment.Organization)
	right := "Incident " + m.inc.ShortID()
	for p := 1; p <= n; p++ {
		m.setPage(p)
		m.f.SetAutoPageBreak(false, 0)
		if m.draft {
			m.outlineWatermark(draftMark, 130)
		}
		m.font("B", 7.5)
		left := m.fit(org, contentW*0.45) + "  ·  "
		lw := m.width(left)
		m.textColor(colAccent)
		m.f.SetXY(marginL-cellPad, 10)
		m.text(lw+2*cellPad, 5, left, "", 0, "L")
		m.font("", 7.5)
		m.textColor(colMuted)
		title := memoTitle
		if m.draft {
			title += " (draft, not concluded)"
		}
		m.f.SetXY(marginL+lw-cellPad, 10)
		m.text(90, 5, title, "", 0, "L")
		rw := m.width(right)
		m.f.SetXY(marginL+contentW-rw-cellPad, 10)
		m.text(rw+2*cellPad, 5, right, "", 0, "R")
		m.drawColor(colRule)
		m.lineWidth(0.25)
		m.f.Line(marginL, 15.5, marginL+contentW, 15.5)
		fy := pageH - 15
		m.f.Line(marginL, fy, marginL+contentW, fy)
		m.font("", 7.5)
		m.textColor(colMuted)
		m.f.SetXY(marginL-cellPad, fy+1.2)
		m.text(120, 5, "Confidential — contains security-sensitive information", "", 0, "L")
		pg := fmt.Sprintf("Page %d of %d", p, n)
		pw := m.width(pg) + 2*cellPad
		m.f.SetXY(marginL+contentW-pw+cellPad, fy+1.2)
		m.text(pw, 5, pg, "", 0, "R")
	}
	m.setPage(n)
}
