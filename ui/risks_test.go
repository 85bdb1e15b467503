package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
)

// riskDemoData is the demo assessment as the shell would load it, at fixedTime.
func riskDemoData(tb testing.TB) *assessData {
	tb.Helper()
	cat, err := controls.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return buildData(assessment.SnapshotOf(assessment.Demo(cat, fixedTime), cat), fixedTime)
}

func riskEnv() *env { return &env{ctx: testCtx, keys: newKeyMap()} }

// riskSection is the register on the demo data at a terminal of w×h (the section gets what
// the app and the shell leave: h-6 rows).
func riskSection(tb testing.TB, d *assessData, w, h int) *risks {
	tb.Helper()
	k := newRisks(riskEnv())
	k.SetStyles(newStyles(true, true))
	k.SetSize(w, h-6)
	k.SetData(d)
	return k
}

func riskKey(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// riskPress sends keys to a screen and returns the last command.
func riskPress(sc screen, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = sc.Update(riskKey(k))
	}
	return cmd
}

func riskCheckWidth(t *testing.T, view string, w int) {
	t.Helper()
	for _, l := range strings.Split(ansi.Strip(view), "\n") {
		if ansi.StringWidth(l) > w {
			t.Fatalf("line wider than %d (%d): %q", w, ansi.StringWidth(l), l)
		}
	}
}

func riskCheckHeight(t *testing.T, view string, h int) {
	t.Helper()
	if n := strings.Count(view, "\n") + 1; n > h {
		t.Fatalf("view has %d lines, more than the %d it was given:\n%s", n, h, ansi.Strip(view))
	}
}

// riskTitles lists the titles of the rows on screen, in order.
func riskTitles(k *risks) []string {
	var out []string
	for _, i := range k.rows {
		out = append(out, k.all[i].r.Title)
	}
	return out
}

func TestRiskRegisterGolden(t *testing.T) {
	d := riskDemoData(t)
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		k := riskSection(t, d, size[0], size[1])
		v := k.View()
		riskCheckWidth(t, v, size[0])
		riskCheckHeight(t, v, size[1]-6)
		plain := ansi.Strip(v)
		for _, want := range []string{"Risk register", "LEVEL", "TITLE", "ASSET", "L×I", "DUE", "STATUS", "Very high", "VPN account takeover"} {
			if !strings.Contains(plain, want) {
				t.Fatalf("register at %v lacks %q:\n%s", size, want, plain)
			}
		}
		if size[0] >= 120 && (!strings.Contains(plain, "TREATMENT") || !strings.Contains(plain, "OWNER")) {
			t.Fatalf("wide register lacks treatment or owner:\n%s", plain)
		}
		golden(t, fmt.Sprintf("risks_list_%dx%d", size[0], size[1]), v)
	}
}

func TestRiskRegisterSortsAndFilters(t *testing.T) {
	d := riskDemoData(t)
	k := riskSection(t, d, 120, 40)
	// Default: open risks (closed and dismissed hidden), highest level first.
	if got := len(k.rows); got != 16 {
		t.Fatalf("open filter shows %d risks, want 16 (17 minus the closed one)", got)
	}
	if first := k.all[k.rows[0]]; first.level != assessment.LevelVeryHigh {
		t.Fatalf("level sort starts with %s", first.level)
	}
	// Unrated proposals sort last.
	if last := k.all[k.rows[len(k.rows)-1]]; last.level != assessment.LevelNone {
		t.Fatalf("level sort ends with %s, want the unrated proposals", last.level)
	}

	riskPress(k, "s") // due date
	if !strings.Contains(ansi.Strip(k.View()), "sorted by due date") {
		t.Fatal("s did not switch to the due-date sort")
	}
	var dues []string
	for _, i := range k.rows {
		if r := k.all[i].r; r.Due != "" {
			dues = append(dues, r.Due)
		}
	}
	if !slices.IsSorted(dues) || k.all[k.rows[0]].r.Due == "" {
		t.Fatalf("due dates not ascending with blanks last: %v", dues)
	}
	riskPress(k, "s") // asset: organisation-wide first
	if k.all[k.rows[0]].r.AssetID != "" {
		t.Fatal("asset sort does not start with the organisation-wide risk")
	}
	riskPress(k, "s") // status
	if k.all[k.rows[0]].r.Status != assessment.RiskProposed {
		t.Fatal("status sort does not start with proposed risks")
	}
	riskPress(k, "s") // title
	if titles := riskTitles(k); !slices.IsSortedFunc(titles, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
		t.Fatalf("title sort: %v", titles)
	}
	riskPress(k, "s") // back to level
	if rkSorts[k.sortBy] != "level" {
		t.Fatal("s does not cycle back to level")
	}

	riskPress(k, "f") // proposed
	if len(k.rows) != 3 {
		t.Fatalf("proposed filter shows %d, want 3", len(k.rows))
	}
	riskPress(k, "f") // high and above
	for _, i := range k.rows {
		if !assessment.IsHigh(k.all[i].level) {
			t.Fatalf("high filter shows a %s risk", k.all[i].level)
		}
	}
	if len(k.rows) != 4 {
		t.Fatalf("high filter shows %d, want 4", len(k.rows))
	}
	riskPress(k, "f") // all
	if len(k.rows) != 17 {
		t.Fatalf("all filter shows %d, want 17", len(k.rows))
	}
	riskPress(k, "f")
	if rkFilters[k.filter] != "open" {
		t.Fatal("f does not cycle back to open")
	}
}

func TestRiskRegisterSearch(t *testing.T) {
	k := riskSection(t, riskDemoData(t), 80, 24)
	riskPress(k, "/")
	if !k.Typing() {
		t.Fatal("/ did not start typing")
	}
	riskPress(k, "v", "p", "n")
	found := riskTitles(k)
	if len(found) == 0 || len(found) > 3 || !strings.Contains(found[0], "VPN") {
		t.Fatalf("search for vpn: %v", found)
	}
	riskPress(k, "enter")
	if k.Typing() || len(k.rows) != len(found) {
		t.Fatal("enter should keep the search and stop typing")
	}
	if !strings.Contains(ansi.Strip(k.View()), "matching “vpn”") {
		t.Fatal("the heading does not show the search")
	}
	// esc (Back) clears the search before leaving the section.
	if !k.Back() || k.query != "" || len(k.rows) != 16 {
		t.Fatalf("Back did not clear the search: %q %d", k.query, len(k.rows))
	}
	if k.Back() {
		t.Fatal("Back with nothing open should let the shell leave")
	}
	// Searching matches owners (and asset names, threat titles…) too.
	riskPress(k, "/", "m", "a", "n", "a", "g", "e", "r")
	shown := riskTitles(k)
	for _, r := range k.data.snap.Risks {
		if r.Owner == "Practice manager" && r.Status != assessment.RiskClosed && !slices.Contains(shown, r.Title) {
			t.Fatalf("search “manager” misses %q: %v", r.Title, shown)
		}
	}
	if len(shown) == 0 || len(shown) == 16 {
		t.Fatalf("search “manager” shows %d risks", len(shown))
	}
	riskPress(k, "esc")
	if k.Typing() || k.query != "" {
		t.Fatal("esc while typing should clear the search")
	}
}

func TestRiskDetailPane(t *testing.T) {
	d := riskDemoData(t)
	k := riskSection(t, d, 80, 24)
	riskPress(k, "enter")
	if !k.detail {
		t.Fatal("enter did not open the detail pane")
	}
	v := k.View()
	riskCheckWidth(t, v, 80)
	riskCheckHeight(t, v, 18)
	plain := ansi.Strip(v)
	r := k.selected()
	vuln, _ := d.cat().Vulnerability(r.VulnerabilityID)
	for _, want := range []string{r.Title[:20], "Vulnerability", vuln.Title[:20], "Threat", "Gaps that expose it"} {
		if !strings.Contains(plain, want) {
			t.Fatalf("detail lacks %q:\n%s", want, plain)
		}
	}
	golden(t, "risks_detail_80x24", v)
	// Scrolling shows the rest: rationale and treatment.
	for range 40 {
		riskPress(k, "j")
	}
	plain = ansi.Strip(k.View())
	if !strings.Contains(plain, "Residual") {
		t.Fatalf("scrolled detail lacks the residual rating:\n%s", plain)
	}
	if !k.Back() || k.detail {
		t.Fatal("Back should close the detail pane first")
	}
	k = riskSection(t, d, 120, 40)
	riskPress(k, "enter")
	golden(t, "risks_detail_120x40", k.View())
}

// riskSelect moves the cursor to the first risk whose title starts with prefix.
func riskSelect(t *testing.T, k *risks, prefix string) *assessment.Risk {
	t.Helper()
	for i, x := range k.rows {
		if strings.HasPrefix(k.all[x].r.Title, prefix) {
			k.cursor = i
			k.scroll()
			return k.all[x].r
		}
	}
	t.Fatalf("no row starts with %q: %v", prefix, riskTitles(k))
	return nil
}

// riskOpenEditor presses a key on the register and returns the editor it pushes.
func riskOpenEditor(t *testing.T, k *risks, keyName string, w, h int) *riskEditor {
	t.Helper()
	cmd := riskPress(k, keyName)
	if cmd == nil {
		t.Fatalf("%s returned no command", keyName)
	}
	msg := cmd()
	p, ok := msg.(pushMsg)
	if !ok {
		t.Fatalf("%s gave %T %v, want the editor", keyName, msg, msg)
	}
	ed := p.s.(*riskEditor)
	ed.SetStyles(newStyles(true, true))
	ed.SetSize(w, h-3)
	return ed
}

func riskLevelShown(ed *riskEditor, label string) string {
	for _, l := range strings.Split(ansi.Strip(ed.View()), "\n") {
		if strings.Contains(l, label) && strings.Contains(l, "■") {
			return strings.TrimSpace(l[strings.Index(l, "■")+len("■"):])
		}
	}
	return ""
}

func TestRiskAcceptRatingUpdatesLive(t *testing.T) {
	d := riskDemoData(t)
	k := riskSection(t, d, 80, 24)
	riskPress(k, "f") // proposed
	r := riskSelect(t, k, "Systems lack protection against power loss")
	ed := riskOpenEditor(t, k, "a", 80, 24)
	if !ed.accept || ed.mode != rkModeRate {
		t.Fatal("a should open the rating form to accept the proposal")
	}
	m := d.snap.Profile.Matrix.OrDefault()
	hl, hi := riskHints(d, *r)
	if ed.field("l").intValue() != hl || ed.field("i").intValue() != hi {
		t.Fatalf("form starts at %d×%d, want the threat library's %d×%d", ed.field("l").intValue(), ed.field("i").intValue(), hl, hi)
	}
	v := ed.View()
	riskCheckWidth(t, v, 80)
	riskCheckHeight(t, v, 21)
	golden(t, "risks_rate_80x24", v)
	want := func(l, i int) string {
		return m.Label(m.Level(l, i))
	}
	if got := riskLevelShown(ed, "Risk level"); !strings.HasPrefix(got, want(hl, hi)) {
		t.Fatalf("level shown %q, want %q", got, want(hl, hi))
	}
	// Moving the likelihood changes the level on screen before anything is saved.
	riskPress(ed, "1")
	if got := riskLevelShown(ed, "Risk level"); !strings.HasPrefix(got, want(1, hi)) {
		t.Fatalf("after 1: level %q, want %q", got, want(1, hi))
	}
	riskPress(ed, "right", "right", "right", "right")
	if got := riskLevelShown(ed, "Risk level"); !strings.HasPrefix(got, want(5, hi)) {
		t.Fatalf("after →×4: level %q, want %q", got, want(5, hi))
	}
	// The impact too, and the matrix marks the chosen cell.
	riskPress(ed, "tab", "5")
	if got := riskLevelShown(ed, "Risk level"); !strings.HasPrefix(got, "Very high") {
		t.Fatalf("5×5: level %q", got)
	}
	if !strings.Contains(ansi.Strip(ed.View()), "[VH]") {
		t.Fatal("the matrix does not mark the chosen cell")
	}
	riskPress(ed, "left")
	if got := riskLevelShown(ed, "Risk level"); !strings.HasPrefix(got, want(5, 4)) {
		t.Fatalf("5×4: level %q", got)
	}
	// Rationale, then the built risk is confirmed and rated.
	riskPress(ed, "tab", "U", "P", "S")
	got, err := ed.build()
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != assessment.RiskOpen || got.Likelihood != 5 || got.Impact != 4 || got.Rationale != "UPS" || got.ID != r.ID {
		t.Fatalf("built risk %+v", got)
	}
	if !ed.Typing() {
		t.Fatal("the editor must keep q from quitting")
	}
	if cmd := riskPress(ed, "esc"); cmd == nil || cmd() != pop() {
		t.Fatal("esc should close the editor")
	}
}

func TestRiskMatrixClickSetsRating(t *testing.T) {
	d := riskDemoData(t)
	k := riskSection(t, d, 80, 24)
	riskSelect(t, k, "VPN account takeover")
	ed := riskOpenEditor(t, k, "r", 80, 24)
	ed.View() // lays out the matrix
	// Row "VL" (likelihood 1) is the last of the grid; column "VL" (impact 1) the first.
	x := ed.matX + 5 + 1
	y := 1 + ed.matY + 2 + 4
	ed.Update(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
	if l, i := ed.field("l").intValue(), ed.field("i").intValue(); l != 1 || i != 1 {
		t.Fatalf("click set %d×%d, want 1×1", l, i)
	}
}

func TestRiskTreatmentFormValidates(t *testing.T) {
	d := riskDemoData(t)
	k := riskSection(t, d, 120, 40)
	r := riskSelect(t, k, "Malware spreads")
	ed := riskOpenEditor(t, k, "t", 120, 40)
	if ed.mode != rkModeTreat {
		t.Fatal("t should open the treatment form")
	}
	golden(t, "risks_treat_120x40", ed.View())
	ed.SetSize(80, 21)
	riskCheckWidth(t, ed.View(), 80)
	riskCheckHeight(t, ed.View(), 21)
	golden(t, "risks_treat_80x24", ed.View())
	ed.SetSize(120, 37)
	// Treatment: mitigate (1st option after "not decided").
	riskPress(ed, "right")
	if got := ed.field("treatment").value(); got != "mitigate" {
		t.Fatalf("treatment %q", got)
	}
	// A bad due date is refused in the form, next to the field.
	ed.focus = slices.IndexFunc(ed.fields, func(f *rkField) bool { return f.id == "due" })
	ed.focusCur()
	riskPress(ed, "3", "1", "/", "1", "2")
	riskPress(ed, "tab")
	if !strings.Contains(ansi.Strip(ed.View()), "write the date as YYYY-MM-DD") {
		t.Fatalf("bad due date not refused:\n%s", ansi.Strip(ed.View()))
	}
	if cmd := riskPress(ed, "ctrl+s"); cmd != nil || ed.saving {
		t.Fatal("saving went ahead with a bad due date")
	}
	// Residual level updates live as the residual ratings move.
	ed.field("due").line.SetValue("2026-09-30")
	riskPress(ed, "2") // residual likelihood 2 (focus moved to it with tab)
	if ed.cur().id != "rl" {
		t.Fatalf("focus on %s, want residual likelihood", ed.cur().id)
	}
	// One residual axis only: ValidateRisk's message is shown in the form.
	if cmd := riskPress(ed, "ctrl+s"); cmd != nil {
		t.Fatal("saved a residual rated on one axis")
	}
	if v := ansi.Strip(ed.View()); !strings.Contains(v, "residual risk is rated on one axis only") {
		t.Fatalf("ValidateRisk error not shown:\n%s", v)
	}
	riskPress(ed, "tab", "3")
	if got := riskLevelShown(ed, "Residual level"); !strings.HasPrefix(got, "Low") {
		t.Fatalf("residual 2×3 shows %q", got)
	}
	riskPress(ed, "right", "right")
	if got := riskLevelShown(ed, "Residual level"); !strings.HasPrefix(got, "Moderate") {
		t.Fatalf("residual 2×5 shows %q", got)
	}
	riskPress(ed, "left", "left", "left")
	riskPress(ed, "tab", "2") // status: in progress
	got, err := ed.build()
	if err != nil {
		t.Fatal(err)
	}
	if got.Treatment != assessment.TreatMitigate || got.Due != "2026-09-30" || got.ResidualL != 2 || got.ResidualI != 2 ||
		got.Status != assessment.RiskInProgress || got.ID != r.ID || got.Likelihood != r.Likelihood {
		t.Fatalf("built %+v", got)
	}
}

func TestRiskEditorKeepsInputOnStoreError(t *testing.T) {
	k := riskSection(t, riskDemoData(t), 80, 24)
	riskSelect(t, k, "VPN account takeover")
	ed := riskOpenEditor(t, k, "r", 80, 24)
	riskPress(ed, "2", "tab", "tab", "O", "K")
	ed.saving = true
	_, cmd := ed.Update(savedMsg{err: store.ErrBusy})
	if ed.saving || cmd == nil {
		t.Fatal("a failed save should stop saving and report the error")
	}
	if _, ok := cmd().(errMsg); !ok {
		t.Fatal("no error line for the failed save")
	}
	if ed.field("l").intValue() != 2 || !strings.HasSuffix(ed.field("rationale").value(), "OK") {
		t.Fatal("the typed values were lost")
	}
	if !strings.Contains(ansi.Strip(ed.View()), "busy") {
		t.Fatal("the form does not show the store error")
	}
}

func TestRiskProposedRulesAndReadOnly(t *testing.T) {
	d := riskDemoData(t)
	k := riskSection(t, d, 80, 24)
	// Treatment and dismissal rules.
	riskSelect(t, k, "VPN account takeover")
	if msg := riskPress(k, "a")(); !strings.Contains(string(msg.(noticeMsg)), "already confirmed") {
		t.Fatalf("accepting a confirmed risk: %v", msg)
	}
	if msg := riskPress(k, "D")(); !strings.Contains(string(msg.(noticeMsg)), "Only proposed risks") {
		t.Fatalf("dismissing a confirmed risk: %v", msg)
	}
	riskPress(k, "f")
	riskSelect(t, k, "Sessions stay open on unattended devices")
	if msg := riskPress(k, "t")(); !strings.Contains(string(msg.(noticeMsg)), "Accept the risk first") {
		t.Fatalf("treating a proposal: %v", msg)
	}
	// Dismissal asks first; n keeps the risk.
	riskPress(k, "D")
	if !k.confirm || !strings.Contains(ansi.Strip(k.View()), "Dismiss “Sessions stay open") {
		t.Fatal("D did not ask for confirmation")
	}
	riskPress(k, "n")
	if k.confirm {
		t.Fatal("n did not cancel the dismissal")
	}
	riskPress(k, "D")
	if !k.Back() || k.confirm {
		t.Fatal("esc did not cancel the dismissal")
	}
	// Final assessments are read-only.
	d.snap.Assessment.Status = assessment.StatusFinal
	k.SetData(d)
	for _, key := range []string{"a", "D", "r", "t"} {
		msg := riskPress(k, key)()
		if n, ok := msg.(noticeMsg); !ok || !strings.Contains(string(n), "final and read-only") {
			t.Fatalf("%s on a final assessment: %v", key, msg)
		}
	}
	if !strings.Contains(ansi.Strip(k.View()), "read-only (final)") {
		t.Fatal("the heading does not say the register is read-only")
	}
	for _, b := range k.Keys().short {
		if b.Help().Key == "a" {
			t.Fatal("help offers accept on a final assessment")
		}
	}
}

func TestRiskRegisterMouse(t *testing.T) {
	k := riskSection(t, riskDemoData(t), 80, 24)
	// Third row on screen: terminal row rkTop + heading + header + 2.
	k.Update(tea.MouseClickMsg{X: 10, Y: rkTop + rkHeadLines + 2, Button: tea.MouseLeft})
	if k.cursor != 2 {
		t.Fatalf("click selected row %d, want 2", k.cursor)
	}
	k.Update(tea.MouseClickMsg{X: 10, Y: rkTop + rkHeadLines + 2, Button: tea.MouseLeft})
	if !k.detail {
		t.Fatal("clicking the selected row should open its details")
	}
	k.detail = false
	k.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if k.cursor != 3 {
		t.Fatalf("wheel moved to %d", k.cursor)
	}
}

func TestRiskRegisterEmpty(t *testing.T) {
	d := riskDemoData(t)
	d.snap.Risks = nil
	k := riskSection(t, d, 80, 24)
	if v := ansi.Strip(k.View()); !strings.Contains(v, "No risks yet") {
		t.Fatalf("empty register:\n%s", v)
	}
	d = riskDemoData(t)
	k = riskSection(t, d, 80, 24)
	riskPress(k, "/", "z", "z", "z")
	if v := ansi.Strip(k.View()); !strings.Contains(v, "No risks match") {
		t.Fatalf("no match:\n%s", v)
	}
}

func TestRiskHHSMatrix(t *testing.T) {
	d := riskDemoData(t)
	d.snap.Profile.Matrix = assessment.MatrixHHS3x3
	for i := range d.snap.Risks {
		r := &d.snap.Risks[i]
		r.Likelihood, r.Impact = min(r.Likelihood, 3), min(r.Impact, 3)
		r.ResidualL, r.ResidualI = min(r.ResidualL, 3), min(r.ResidualI, 3)
	}
	k := riskSection(t, d, 80, 24)
	riskSelect(t, k, "VPN account takeover")
	ed := riskOpenEditor(t, k, "r", 80, 24)
	if n := len(ed.field("l").opts); n != 3 {
		t.Fatalf("3×3 matrix offers %d likelihood steps", n)
	}
	if o := ed.field("l").opts[1].Label; o != "2 Medium" {
		t.Fatalf("option label %q", o)
	}
	riskPress(ed, "1", "tab", "1")
	if got := riskLevelShown(ed, "Risk level"); !strings.HasPrefix(got, "Low") {
		t.Fatalf("1×1 on 3×3 shows %q", got)
	}
	riskPress(ed, "3")
	if got := riskLevelShown(ed, "Risk level"); !strings.HasPrefix(got, "Medium") {
		t.Fatalf("1×3 on 3×3 shows %q", got)
	}
	golden(t, "risks_rate_hhs_80x24", ed.View())
}

// riskBigData is the benchmark workspace: 40 assets, every applicable item of the whole
// catalog answered, and 500 risks.
func riskBigData(tb testing.TB) *assessData {
	tb.Helper()
	cat, err := controls.Default()
	if err != nil {
		tb.Fatal(err)
	}
	snap := assessment.SnapshotOf(assessment.Demo(cat, fixedTime), cat)
	base := snap.Assets
	snap.Assets = nil
	for i := range 40 {
		a := base[i%len(base)]
		a.ID, a.Name = fmt.Sprintf("asset-%02d", i), fmt.Sprintf("%s %d", a.Name, i+1)
		snap.Assets = append(snap.Assets, a)
	}
	statuses := []assessment.ResponseStatus{assessment.Implemented, assessment.Implemented, assessment.Partial,
		assessment.NotImplemented, assessment.Implemented, assessment.Flagged}
	snap.Responses = nil
	for i, it := range snap.Items() {
		k := it.Key()
		snap.Responses = append(snap.Responses, assessment.Response{QuestionID: k.QuestionID, AssetID: k.AssetID,
			Status: statuses[i%len(statuses)], By: "bench", At: fixedTime})
	}
	rs := []assessment.RiskStatus{assessment.RiskOpen, assessment.RiskInProgress, assessment.RiskProposed,
		assessment.RiskClosed, assessment.RiskOpen, assessment.RiskDismissed}
	snap.Risks = nil
	n := 0
	for ai := 0; n < 500; ai++ {
		a := snap.Assets[ai%len(snap.Assets)]
		v := cat.Vulnerabilities[ai%len(cat.Vulnerabilities)]
		for _, th := range v.Threats {
			if n == 500 {
				break
			}
			snap.Risks = append(snap.Risks, assessment.Risk{
				ID: fmt.Sprintf("risk-%03d", n), AssetID: a.ID, VulnerabilityID: v.ID, ThreatID: th.ID,
				QuestionIDs: v.MitigatedBy, Title: th.Title + " — " + v.Title, Likelihood: 1 + n%5, Impact: 1 + (n/5)%5,
				Treatment: assessment.TreatMitigate, Owner: "IT lead", Due: fixedTime.AddDate(0, 0, n%300-30).Format(time.DateOnly),
				Status: rs[n%len(rs)],
			})
			n++
		}
	}
	return buildData(snap, fixedTime)
}

// BenchmarkRiskRegisterView renders the register of 500 risks at 120×40. Budget (issue 5):
// View() ≤ 4 ms.
func BenchmarkRiskRegisterView(b *testing.B) {
	d := riskBigData(b)
	k := riskSection(b, d, 120, 40)
	riskPress(k, "f", "f", "f") // all 500
	if len(k.rows) != 500 {
		b.Fatalf("%d rows", len(k.rows))
	}
	k.move(250)
	b.ResetTimer()
	for b.Loop() {
		if k.View() == "" {
			b.Fatal("empty view")
		}
	}
}

// BenchmarkRiskRegisterViewCold renders the register as after a reload or resize, when
// every row on screen is drawn afresh (scrolling reuses drawn rows).
func BenchmarkRiskRegisterViewCold(b *testing.B) {
	d := riskBigData(b)
	k := riskSection(b, d, 120, 40)
	riskPress(k, "f", "f", "f")
	k.move(250)
	b.ResetTimer()
	for b.Loop() {
		k.stamp++
		if k.View() == "" {
			b.Fatal("empty view")
		}
	}
}

// BenchmarkRiskRegisterSetData is the register's share of a reload after a save.
func BenchmarkRiskRegisterSetData(b *testing.B) {
	d := riskBigData(b)
	k := riskSection(b, d, 120, 40)
	b.ResetTimer()
	for b.Loop() {
		k.SetData(d)
	}
}

// riskTabKey is the number key of the Risks tab, whichever sections are registered.
func riskTabKey(t *testing.T) string {
	for i, m := range sectionMakers {
		if m.order == 3 {
			return itoa(i + 1)
		}
	}
	t.Fatal("the risk register is not registered")
	return ""
}

// TestRiskAcceptFlow drives the real program on a real workspace: open the demo, go to
// Risks, accept a proposed risk, rate it while watching the level change, save, and find
// the rating in the store.
func TestRiskAcceptFlow(t *testing.T) {
	s := testStore(t)
	cat, err := controls.Default()
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Import(testCtx, assessment.Demo(cat, fixedTime), store.ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	const title = "Cloud storage or services are misconfigured and exposed (PACS cloud archive)"
	snap, err := s.Snapshot(testCtx, id)
	if err != nil {
		t.Fatal(err)
	}
	var before assessment.Risk
	for _, r := range snap.Risks {
		if strings.HasPrefix(r.Title, title) {
			before = r
		}
	}
	if before.Status != assessment.RiskProposed {
		t.Fatalf("demo risk %q is %q, want proposed", title, before.Status)
	}
	m := snap.Profile.Matrix.OrDefault()
	d := buildData(snap, fixedTime)
	l0, i0 := riskHints(d, before)
	// Two likelihoods whose levels differ from the one before, so each move shows.
	var v1, v2 int
	for v := 1; v <= m.Scale() && v2 == 0; v++ {
		switch {
		case v1 == 0 && m.Level(v, i0) != m.Level(l0, i0):
			v1 = v
		case v1 != 0 && m.Level(v, i0) != m.Level(v1, i0):
			v2 = v
		}
	}
	if v1 == 0 || v2 == 0 {
		t.Fatalf("no two distinct levels in impact column %d", i0)
	}

	a := testApp(t, s)
	tm := teatest.NewTestModel(t, a, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitFor(t, tm, "Riverbend Family Health")
	tm.Send(riskKey("enter"))
	waitFor(t, tm, "Risks")
	tm.Type(riskTabKey(t))
	waitFor(t, tm, "Risk register")
	tm.Type("f")
	waitFor(t, tm, "showing proposed")
	tm.Type("a")
	waitFor(t, tm, "Accept and rate this risk")
	tm.Type(itoa(v1))
	waitFor(t, tm, m.Label(m.Level(v1, i0)))
	tm.Type(itoa(v2))
	waitFor(t, tm, m.Label(m.Level(v2, i0)))
	tm.Send(riskKey("tab"))
	tm.Send(riskKey("tab"))
	tm.Type("Bucket listing is public")
	tm.Send(riskKey("ctrl+s"))
	waitFor(t, tm, "Accepted the risk")
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(3*time.Second))

	after, err := s.Risk(testCtx, id, before.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Status != assessment.RiskOpen || after.Likelihood != v2 || after.Impact != i0 || after.Rationale != "Bucket listing is public" {
		t.Fatalf("stored risk: %+v", after)
	}
}

// TestRiskDismissInStore dismisses a proposal through the section's command on a real
// workspace and checks it stays dismissed after the reload.
func TestRiskDismissInStore(t *testing.T) {
	s := testStore(t)
	cat, err := controls.Default()
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Import(testCtx, assessment.Demo(cat, fixedTime), store.ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(testCtx, id)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{ctx: testCtx, store: s, keys: newKeyMap()}
	k := newRisks(e)
	k.SetStyles(newStyles(true, true))
	k.SetSize(80, 18)
	k.SetData(buildData(snap, fixedTime))
	riskPress(k, "f")
	r := riskSelect(t, k, "Systems lack protection against power loss")
	riskPress(k, "D")
	msg := riskPress(k, "y")()
	if sm, ok := msg.(savedMsg); !ok || sm.err != nil || !strings.Contains(sm.notice, "Dismissed") {
		t.Fatalf("dismiss: %#v", msg)
	}
	after, err := s.Risk(testCtx, id, r.ID)
	if err != nil || after.Status != assessment.RiskDismissed {
		t.Fatalf("stored: %+v %v", after, err)
	}
}
