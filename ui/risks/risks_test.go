package risks

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
	"safeguard/store"
	"safeguard/ui/common"
	"safeguard/ui/uitest"
)

// section is the register on d as the shell sizes it in a w×h terminal.
func section(tb testing.TB, d *common.Data, w, h int) *Model {
	return uitest.Section(New(uitest.Env(tb)), d, w, h)
}

// titles lists the titles of the rows on screen, in order.
func titles(k *Model) []string {
	var out []string
	for _, i := range k.rows {
		out = append(out, k.all[i].r.Title)
	}
	return out
}

func TestRiskRegisterGolden(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	for _, size := range uitest.Sizes {
		t.Run(uitest.SizeName(size), func(t *testing.T) {
			k := section(t, d, size[0], size[1])
			v := k.View()
			uitest.CheckFrame(t, v, size[0], uitest.SectionHeight(size[1]))
			plain := ansi.Strip(v)
			for _, want := range []string{"Risk register", "LEVEL", "TITLE", "ASSET", "L×I", "DUE", "STATUS", "Very high", "VPN account takeover"} {
				if !strings.Contains(plain, want) {
					t.Fatalf("register lacks %q:\n%s", want, plain)
				}
			}
			if size[0] >= 120 && (!strings.Contains(plain, "TREATMENT") || !strings.Contains(plain, "OWNER")) {
				t.Fatalf("wide register lacks treatment or owner:\n%s", plain)
			}
			uitest.Golden(t, v)
		})
	}
}

// TestRiskRegisterIsTheAnalysis: in its default sort the register lists the risks in the
// Analysis's order (R1, R2, …, as the PDF numbers them) and its footer counts what the
// Summary counts: proposals apart, never as rated.
func TestRiskRegisterIsTheAnalysis(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	k := section(t, d, 120, 40)
	uitest.Press(k, "F", "F", "F") // all
	for i, x := range k.rows {
		if k.all[x].r.Ref != d.Risks[i].Ref {
			t.Fatalf("row %d is %s, the register's order has %s", i, k.all[x].r.Ref, d.Risks[i].Ref)
		}
	}
	foot := ansi.Strip(k.footer())
	for l, n := range d.Summary.RiskLevels {
		if want := assessment.FormatInt(n) + " " + strings.ToLower(d.Matrix.Label(l)); !strings.Contains(foot, want) {
			t.Fatalf("footer %q lacks %q", foot, want)
		}
	}
	if want := assessment.FormatInt(d.Summary.ProposedRisks) + " proposed"; d.Summary.ProposedRisks > 0 && !strings.Contains(foot, want) {
		t.Fatalf("footer %q lacks %q", foot, want)
	}
	if want := assessment.FormatInt(d.OverdueRisks()) + " overdue"; !strings.Contains(foot, want) {
		t.Fatalf("footer %q lacks %q", foot, want)
	}
	// A proposal carrying the threat library's hint is still "not rated".
	for i := range d.Snap.Risks {
		if r := &d.Snap.Risks[i]; r.Status == assessment.RiskProposed {
			r.Likelihood, r.Impact = 5, 5
		}
	}
	d = uitest.Reanalyze(d)
	k = section(t, d, 120, 40)
	uitest.Press(k, "F") // proposed
	for _, x := range k.rows {
		if cells := k.cells(&k.all[x], []column{{"LEVEL", 9}, {"L×I", 3}}); strings.TrimSpace(cells[0]) != "Proposed" || cells[1] != "—  " {
			t.Fatalf("a proposal shows as rated: %q", cells)
		}
	}
	if foot := ansi.Strip(k.footer()); strings.Contains(foot, "very high") && d.Summary.RiskLevels[assessment.LevelVeryHigh] == 0 {
		t.Fatalf("the footer counts proposals as rated: %q", foot)
	}
}

func TestRiskRegisterSortsAndFilters(t *testing.T) {
	t.Parallel()
	k := section(t, uitest.Demo(t), 120, 40)
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

	uitest.Press(k, "s") // due date
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
	uitest.Press(k, "s") // asset: organization-wide first
	if k.all[k.rows[0]].r.AssetID != "" {
		t.Fatal("asset sort does not start with the organization-wide risk")
	}
	uitest.Press(k, "s") // status
	if k.all[k.rows[0]].r.Status != assessment.RiskProposed {
		t.Fatal("status sort does not start with proposed risks")
	}
	uitest.Press(k, "s") // title
	if titles := titles(k); !slices.IsSortedFunc(titles, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
		t.Fatalf("title sort: %v", titles)
	}
	uitest.Press(k, "s") // back to level
	if sorts[k.sortBy] != "level" {
		t.Fatal("s does not cycle back to level")
	}

	uitest.Press(k, "F") // proposed
	if len(k.rows) != 3 {
		t.Fatalf("proposed filter shows %d, want 3", len(k.rows))
	}
	uitest.Press(k, "F") // high and above
	for _, i := range k.rows {
		if !assessment.IsHigh(k.all[i].level) {
			t.Fatalf("high filter shows a %s risk", k.all[i].level)
		}
	}
	if len(k.rows) != 4 {
		t.Fatalf("high filter shows %d, want 4", len(k.rows))
	}
	uitest.Press(k, "F") // all
	if len(k.rows) != 17 {
		t.Fatalf("all filter shows %d, want 17", len(k.rows))
	}
	uitest.Press(k, "F")
	if filters[k.filter] != "open" {
		t.Fatal("F does not cycle back to open")
	}
}

func TestRiskRegisterSearch(t *testing.T) {
	t.Parallel()
	k := section(t, uitest.Demo(t), 80, 24)
	uitest.Press(k, "/")
	if !k.Typing() {
		t.Fatal("/ did not start typing")
	}
	uitest.Press(k, "v", "p", "n")
	found := titles(k)
	if len(found) == 0 || len(found) > 3 || !strings.Contains(found[0], "VPN") {
		t.Fatalf("search for vpn: %v", found)
	}
	uitest.Press(k, "enter")
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
	// Searching matches owners (and asset names, threat titles, references…) too.
	uitest.Press(k, "/", "m", "a", "n", "a", "g", "e", "r")
	shown := titles(k)
	for _, r := range k.data.Snap.Risks {
		if r.Owner == "Practice manager" && r.Status != assessment.RiskClosed && !slices.Contains(shown, r.Title) {
			t.Fatalf("search “manager” misses %q: %v", r.Title, shown)
		}
	}
	if len(shown) == 0 || len(shown) == 16 {
		t.Fatalf("search “manager” shows %d risks", len(shown))
	}
	uitest.Press(k, "esc")
	if k.Typing() || k.query != "" {
		t.Fatal("esc while typing should clear the search")
	}
}

func TestRiskDetailPane(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	for _, size := range uitest.Sizes {
		t.Run(uitest.SizeName(size), func(t *testing.T) {
			k := section(t, d, size[0], size[1])
			uitest.Press(k, "enter")
			if !k.detail {
				t.Fatal("enter did not open the detail pane")
			}
			v := k.View()
			uitest.CheckFrame(t, v, size[0], uitest.SectionHeight(size[1]))
			plain := ansi.Strip(v)
			r := k.selected()
			vuln, _ := d.Catalog.Vulnerability(r.VulnerabilityID)
			for _, want := range []string{r.Ref + " " + r.Title[:20], "Vulnerability", vuln.Title[:20], "Threat", "Harms"} {
				if !strings.Contains(plain, want) {
					t.Fatalf("detail lacks %q:\n%s", want, plain)
				}
			}
			uitest.Golden(t, v)
			// Scrolling shows the rest: rationale and treatment.
			for range 40 {
				uitest.Press(k, "j")
			}
			if plain := ansi.Strip(k.View()); !strings.Contains(plain, "Residual") {
				t.Fatalf("scrolled detail lacks the residual rating:\n%s", plain)
			}
			if !k.Back() || k.detail {
				t.Fatal("Back should close the detail pane first")
			}
		})
	}
}

// selectRisk moves the cursor to the first risk whose title starts with prefix.
func selectRisk(t *testing.T, k *Model, prefix string) *assessment.RiskView {
	t.Helper()
	for i, x := range k.rows {
		if strings.HasPrefix(k.all[x].r.Title, prefix) {
			k.cursor = i
			k.scroll()
			return k.all[x].r
		}
	}
	t.Fatalf("no row starts with %q: %v", prefix, titles(k))
	return nil
}

// openEditor presses a key on the register and returns the editor it pushes, sized
// as the root sizes a screen in a w×h terminal.
func openEditor(t *testing.T, k *Model, keyName string, w, h int) *editor {
	t.Helper()
	cmd := uitest.Press(k, keyName)
	if cmd == nil {
		t.Fatalf("%s returned no command", keyName)
	}
	msg := cmd()
	p, ok := msg.(common.PushMsg)
	if !ok {
		t.Fatalf("%s gave %T %v, want the editor", keyName, msg, msg)
	}
	ed := p.Screen.(*editor)
	ed.SetStyles(uitest.Styles())
	ed.SetSize(w, h-3)
	return ed
}

func levelShown(ed *editor, label string) string {
	for _, l := range strings.Split(ansi.Strip(ed.View()), "\n") {
		if strings.Contains(l, label) && strings.Contains(l, "■") {
			return strings.TrimSpace(l[strings.Index(l, "■")+len("■"):])
		}
	}
	return ""
}

func TestRiskAcceptRatingUpdatesLive(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	k := section(t, d, 80, 24)
	uitest.Press(k, "F") // proposed
	r := selectRisk(t, k, "Systems lack protection against power loss")
	ed := openEditor(t, k, "a", 80, 24)
	if !ed.accept || ed.mode != modeRate {
		t.Fatal("a should open the rating form to accept the proposal")
	}
	m := d.Matrix
	hl, hi := assessment.ThreatHint(d.Catalog, d.Snap.Profile, *r.Risk)
	if ed.field("l").intValue() != hl || ed.field("i").intValue() != hi {
		t.Fatalf("form starts at %d×%d, want the threat library's %d×%d", ed.field("l").intValue(), ed.field("i").intValue(), hl, hi)
	}
	v := ed.View()
	uitest.CheckFrame(t, v, 80, 21)
	uitest.Golden(t, v)
	want := func(l, i int) string { return m.Label(m.Level(l, i)) }
	if got := levelShown(ed, "Risk level"); !strings.HasPrefix(got, want(hl, hi)) {
		t.Fatalf("level shown %q, want %q", got, want(hl, hi))
	}
	// Moving the likelihood changes the level on screen before anything is saved.
	uitest.Press(ed, "1")
	if got := levelShown(ed, "Risk level"); !strings.HasPrefix(got, want(1, hi)) {
		t.Fatalf("after 1: level %q, want %q", got, want(1, hi))
	}
	uitest.Press(ed, "right", "right", "right", "right")
	if got := levelShown(ed, "Risk level"); !strings.HasPrefix(got, want(5, hi)) {
		t.Fatalf("after →×4: level %q, want %q", got, want(5, hi))
	}
	// The impact too, and the matrix marks the chosen cell.
	uitest.Press(ed, "tab", "5")
	if got := levelShown(ed, "Risk level"); !strings.HasPrefix(got, "Very high") {
		t.Fatalf("5×5: level %q", got)
	}
	if !strings.Contains(ansi.Strip(ed.View()), "[VH]") {
		t.Fatal("the matrix does not mark the chosen cell")
	}
	uitest.Press(ed, "left")
	if got := levelShown(ed, "Risk level"); !strings.HasPrefix(got, want(5, 4)) {
		t.Fatalf("5×4: level %q", got)
	}
	// Rationale, then the built risk is confirmed and rated.
	uitest.Press(ed, "tab", "tab", "U", "P", "S")
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
	// esc after changes asks first; n keeps editing with what was typed, y discards.
	if cmd := uitest.Press(ed, "esc"); cmd != nil {
		t.Fatal("esc after changes closed the editor without asking")
	}
	if v := ansi.Strip(ed.View()); !strings.Contains(v, "Discard what you typed in this form?") {
		t.Fatalf("esc after changes does not ask:\n%s", v)
	}
	// enter, pressed by reflex, neither discards nor leaves the question.
	if cmd := uitest.Press(ed, "enter"); cmd != nil {
		t.Fatal("enter at the discard question closed the editor")
	}
	if got, _ := ed.build(); got.Rationale != "UPS" || !strings.Contains(ansi.Strip(ed.View()), "Discard what you typed") {
		t.Fatalf("enter at the discard question changed the editor: rationale %q", got.Rationale)
	}
	uitest.Press(ed, "n")
	if got, _ := ed.build(); got.Rationale != "UPS" || strings.Contains(ansi.Strip(ed.View()), "Discard what you typed") {
		t.Fatalf("n did not keep editing: rationale %q", got.Rationale)
	}
	uitest.Press(ed, "esc")
	if cmd := uitest.Press(ed, "y"); cmd == nil || cmd() != common.Pop() {
		t.Fatal("y should discard and close the editor")
	}
}

// TestRiskEditorClosesAtOnceWhenNothingChanged: esc on an editor nobody typed in closes
// it without asking, the proposal's suggested rating included.
func TestRiskEditorClosesAtOnceWhenNothingChanged(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	for _, r := range d.Snap.Risks {
		for _, mode := range []editMode{modeRate, modeTreat} {
			ed := newEditor(uitest.Env(t), d, r, mode)
			if cmd := uitest.Press(ed, "esc"); cmd == nil || cmd() != common.Pop() {
				t.Fatalf("esc on an unchanged editor (risk %s, mode %d) did not close it", r.ID, mode)
			}
		}
	}
}

func TestRiskMatrixClickSetsRating(t *testing.T) {
	t.Parallel()
	k := section(t, uitest.Demo(t), 80, 24)
	selectRisk(t, k, "VPN account takeover")
	ed := openEditor(t, k, "r", 80, 24)
	ed.View() // lays out the matrix
	// Row "VL" (likelihood 1) is the last of the grid; column "VL" (impact 1) the first.
	x := ed.matX + common.MatrixLabelWidth(false) + 1
	y := ed.matY + common.MatrixHead + 4
	ed.Update(uitest.Click(x, y))
	if l, i := ed.field("l").intValue(), ed.field("i").intValue(); l != 1 || i != 1 {
		t.Fatalf("click set %d×%d, want 1×1", l, i)
	}
}

func TestRiskTreatmentFormValidates(t *testing.T) {
	t.Parallel()
	k := section(t, uitest.Demo(t), 120, 40)
	r := selectRisk(t, k, "Malware spreads")
	ed := openEditor(t, k, "t", 120, 40)
	if ed.mode != modeTreat {
		t.Fatal("t should open the treatment form")
	}
	t.Run("120x40", func(t *testing.T) { uitest.Golden(t, ed.View()) })
	ed.SetSize(80, 21)
	uitest.CheckFrame(t, ed.View(), 80, 21)
	t.Run("80x24", func(t *testing.T) { uitest.Golden(t, ed.View()) })
	ed.SetSize(120, 37)
	// Treatment: mitigate (1st option after "not decided").
	uitest.Press(ed, "right")
	if got := ed.field("treatment").value(); got != "mitigate" {
		t.Fatalf("treatment %q", got)
	}
	// A bad due date is refused in the form, next to the field.
	ed.focus = slices.IndexFunc(ed.fields, func(f *editField) bool { return f.id == "due" })
	ed.focusCur()
	uitest.Press(ed, "3", "1", "/", "1", "2")
	uitest.Press(ed, "tab")
	if !strings.Contains(ansi.Strip(ed.View()), `"31/12" is not a date`) {
		t.Fatalf("bad due date not refused:\n%s", ansi.Strip(ed.View()))
	}
	if cmd := uitest.Press(ed, "ctrl+s"); cmd != nil || ed.saving {
		t.Fatal("saving went ahead with a bad due date")
	}
	// Residual level updates live as the residual ratings move.
	ed.field("due").line.SetValue("2026-09-30")
	uitest.Press(ed, "2") // residual likelihood 2 (focus moved to it with tab)
	if ed.cur().id != "rl" {
		t.Fatalf("focus on %s, want residual likelihood", ed.cur().id)
	}
	// One residual axis only: ValidateRisk's message is shown in the form.
	if cmd := uitest.Press(ed, "ctrl+s"); cmd != nil {
		t.Fatal("saved a residual rated on one axis")
	}
	if v := ansi.Strip(ed.View()); !strings.Contains(v, "residual risk is rated on one axis only") {
		t.Fatalf("ValidateRisk error not shown:\n%s", v)
	}
	uitest.Press(ed, "tab", "3")
	if got := levelShown(ed, "Residual level"); !strings.HasPrefix(got, "Low") {
		t.Fatalf("residual 2×3 shows %q", got)
	}
	uitest.Press(ed, "right", "right")
	if got := levelShown(ed, "Residual level"); !strings.HasPrefix(got, "Moderate") {
		t.Fatalf("residual 2×5 shows %q", got)
	}
	uitest.Press(ed, "left", "left", "left")
	uitest.Press(ed, "tab", "2") // status: in progress
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
	t.Parallel()
	k := section(t, uitest.Demo(t), 80, 24)
	selectRisk(t, k, "VPN account takeover")
	ed := openEditor(t, k, "r", 80, 24)
	uitest.Press(ed, "2", "tab", "tab", "tab", "O", "K")
	ed.saving = true
	_, cmd := ed.Update(common.SavedMsg{Err: store.ErrBusy})
	if ed.saving || cmd == nil {
		t.Fatal("a failed save should stop saving and report the error")
	}
	if _, ok := cmd().(common.ErrMsg); !ok {
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
	t.Parallel()
	d := uitest.Demo(t)
	k := section(t, d, 80, 24)
	// Treatment and dismissal rules.
	selectRisk(t, k, "VPN account takeover")
	if n := uitest.NoticeOf(t, uitest.Press(k, "a")); !strings.Contains(n, "already confirmed") {
		t.Fatalf("accepting a confirmed risk: %v", n)
	}
	if n := uitest.NoticeOf(t, uitest.Press(k, "D")); !strings.Contains(n, "Only proposed risks") {
		t.Fatalf("dismissing a confirmed risk: %v", n)
	}
	uitest.Press(k, "F")
	selectRisk(t, k, "Sessions stay open on unattended devices")
	if n := uitest.NoticeOf(t, uitest.Press(k, "t")); !strings.Contains(n, "Accept the risk first") {
		t.Fatalf("treating a proposal: %v", n)
	}
	// Dismissal asks first; n keeps the risk.
	uitest.Press(k, "D")
	if !k.confirm || !strings.Contains(ansi.Strip(k.View()), "Dismiss “Sessions stay open") {
		t.Fatal("D did not ask for confirmation")
	}
	uitest.Press(k, "n")
	if k.confirm {
		t.Fatal("n did not cancel the dismissal")
	}
	uitest.Press(k, "D")
	if !k.Back() || k.confirm {
		t.Fatal("esc did not cancel the dismissal")
	}
	// Final assessments are read-only.
	d.Snap.Assessment.Status = assessment.StatusFinal
	k.SetData(uitest.Reanalyze(d))
	for _, key := range []string{"a", "D", "r", "t"} {
		if n := uitest.NoticeOf(t, uitest.Press(k, key)); !strings.Contains(n, "final and read-only") {
			t.Fatalf("%s on a final assessment: %v", key, n)
		}
	}
	if !strings.Contains(ansi.Strip(k.View()), "read-only (final)") {
		t.Fatal("the heading does not say the register is read-only")
	}
	for _, b := range k.Keys().Short {
		if b.Help().Key == "a" {
			t.Fatal("help offers accept on a final assessment")
		}
	}
}

// TestRiskRegisterMouse clicks in section coordinates: the heading and the column header
// come first.
func TestRiskRegisterMouse(t *testing.T) {
	t.Parallel()
	k := section(t, uitest.Demo(t), 80, 24)
	k.Update(uitest.Click(10, headLines+2)) // the third row
	if k.cursor != 2 {
		t.Fatalf("click selected row %d, want 2", k.cursor)
	}
	k.Update(uitest.Click(10, headLines+2))
	if !k.detail {
		t.Fatal("clicking the selected row should open its details")
	}
	k.detail = false
	k.Update(uitest.WheelDown())
	if k.cursor != 3 {
		t.Fatalf("wheel moved to %d", k.cursor)
	}
	k.Update(uitest.Click(10, 0)) // the heading
	if k.cursor != 3 || k.detail {
		t.Fatal("a click on the heading changed the selection")
	}
}

func TestRiskRegisterEmpty(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	d.Snap.Risks = nil
	k := section(t, uitest.Reanalyze(d), 80, 24)
	if v := ansi.Strip(k.View()); !strings.Contains(v, "No risks yet") {
		t.Fatalf("empty register:\n%s", v)
	}
	k = section(t, uitest.Demo(t), 80, 24)
	uitest.Press(k, "/", "z", "z", "z")
	if v := ansi.Strip(k.View()); !strings.Contains(v, "No risks match") {
		t.Fatalf("no match:\n%s", v)
	}
}

func TestRiskHHSMatrix(t *testing.T) {
	t.Parallel()
	k := section(t, uitest.DemoHHS(t), 80, 24)
	selectRisk(t, k, "VPN account takeover")
	ed := openEditor(t, k, "r", 80, 24)
	if n := len(ed.field("l").opts); n != 3 {
		t.Fatalf("3×3 matrix offers %d likelihood steps", n)
	}
	if o := ed.field("l").opts[1].Label; o != "2 Medium" {
		t.Fatalf("option label %q", o)
	}
	uitest.Press(ed, "1", "tab", "1")
	if got := levelShown(ed, "Risk level"); !strings.HasPrefix(got, "Low") {
		t.Fatalf("1×1 on 3×3 shows %q", got)
	}
	uitest.Press(ed, "3")
	if got := levelShown(ed, "Risk level"); !strings.HasPrefix(got, "Medium") {
		t.Fatalf("1×3 on 3×3 shows %q", got)
	}
	uitest.Golden(t, ed.View())
}

// BenchmarkRiskRegisterView renders the register of 500 risks at 120×40. Budget: ≤ 4 ms.
func BenchmarkRiskRegisterView(b *testing.B) {
	k := section(b, uitest.Big(b), 120, 40)
	uitest.Press(k, "F", "F", "F") // all 500
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
	k := section(b, uitest.Big(b), 120, 40)
	uitest.Press(k, "F", "F", "F")
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
	d := uitest.Big(b)
	k := section(b, d, 120, 40)
	b.ResetTimer()
	for b.Loop() {
		k.SetData(d)
	}
}

// TestRiskDismissInStore dismisses a proposal through the section's command on a real
// workspace and checks it stays dismissed after the reload.
func TestRiskDismissInStore(t *testing.T) {
	t.Parallel()
	s, id := uitest.DemoStore(t)
	k := uitest.Section(New(uitest.StoreEnv(t, s)), uitest.Load(t, s, id), 80, 24)
	uitest.Press(k, "F")
	r := selectRisk(t, k, "Systems lack protection against power loss")
	uitest.Press(k, "D")
	msg := uitest.Run(uitest.Press(k, "y"))
	if sm, ok := msg.(common.SavedMsg); !ok || sm.Err != nil || !strings.Contains(sm.Notice, "Dismissed") {
		t.Fatalf("dismiss: %#v", msg)
	}
	after, err := s.Risk(uitest.Ctx, id, r.ID)
	if err != nil || after.Status != assessment.RiskDismissed {
		t.Fatalf("stored: %+v %v", after, err)
	}
}

// TestBulkSettleProposals: C confirms every proposal shown (after y), X asks one reason
// and dismisses them all; both go through the store and end in a SavedMsg.
func TestBulkSettleProposals(t *testing.T) {
	t.Parallel()
	st, id := uitest.DemoStore(t)
	d := uitest.Load(t, st, id)
	if d.Summary.ProposedRisks == 0 {
		t.Skip("the demo has no proposals")
	}
	k := New(uitest.StoreEnv(t, st))
	k = uitest.Section(k, d, 120, 40)
	uitest.Press(k, "F") // proposed
	n := len(k.shownProposals())
	uitest.Press(k, "C")
	if !strings.Contains(ansi.Strip(k.footer()), "Confirm "+assessment.Plural(n, "shown proposal", "shown proposals")) {
		t.Fatalf("C does not ask first: %q", ansi.Strip(k.footer()))
	}
	msg := uitest.Run(uitest.Press(k, "y"))
	saved, ok := msg.(common.SavedMsg)
	if !ok || saved.Err != nil {
		t.Fatalf("bulk confirm: %#v", msg)
	}
	after := uitest.Load(t, st, id)
	if after.Summary.ProposedRisks != 0 {
		t.Errorf("%d proposals left after confirming all shown", after.Summary.ProposedRisks)
	}
	// every confirmed one is now in the register as open, rated by the hints
	if got, want := after.Summary.Rated()+after.Summary.Unrated, d.Summary.Rated()+d.Summary.Unrated+n; got != want {
		t.Errorf("confirmed risks %d after confirming %d proposals, want %d", got, n, want)
	}
}

// TestDetailShowsMethod: the detail pane names the objectives harmed, the triggering gaps
// and the existing controls.
func TestDetailShowsMethod(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	k := section(t, d, 120, 60)
	uitest.Press(k, "enter")
	v := ansi.Strip(k.View())
	for _, want := range []string{"Harms", "Triggering gaps", "Existing controls"} {
		if !strings.Contains(v, want) {
			t.Errorf("the detail pane lacks %q:\n%s", want, v)
		}
	}
}
