package dashboard

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
	"safeguard/ui/common"
	"safeguard/ui/uitest"
)

// section is the dashboard on d as the shell sizes it in a w×h terminal.
func section(tb testing.TB, d *common.Data, w, h int) *Model {
	return uitest.Section(New(uitest.Env(tb)), d, w, h)
}

// allLines is every line of the dashboard, not just the screenful.
func allLines(db *Model) string { return ansi.Strip(strings.Join(db.lines, "\n")) }

func TestDashboardGolden(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	for _, size := range uitest.Sizes {
		t.Run(uitest.SizeName(size), func(t *testing.T) {
			db := section(t, d, size[0], size[1])
			v := db.View()
			uitest.CheckFrame(t, v, size[0], uitest.SectionHeight(size[1]))
			uitest.Golden(t, v)
			all := allLines(db)
			uitest.CheckFrame(t, strings.Join(db.lines, "\n"), size[0], len(db.lines))
			for _, want := range []string{
				"Administrative §164.308", "Physical §164.310", "Technical §164.312", "Organizational §164.314",
				"Answered", "In place", "in place (self-assessed)", "partial",
				"2025 proposed rule", "proposed, not law",
				"Risk heat map", "Impact →", "Likelihood",
				"Top risks", "VPN account takeover",
				"Vendors needing attention", "ClearVisit Telehealth LLC", "only SOC 2", "Northgate Managed IT", "lapsed",
				"Before you can finalize", assessment.Plural(len(d.Summary.Readiness), "item", "items"), "Questions not answered", "Proposed risks not confirmed or dismissed",
			} {
				if !strings.Contains(all, want) {
					t.Fatalf("dashboard lacks %q:\n%s", want, all)
				}
			}
		})
	}
}

// TestDashboardFiguresAreTheAnalysis: the overall line, the per-safeguard bars and the top
// risks print the Analysis's figures, formatted by assessment's one percent rule.
func TestDashboardFiguresAreTheAnalysis(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	db := section(t, d, 120, 40)
	all := allLines(db)
	c := d.Summary.Overall
	want := assessment.Percent(c.Completion()) + " answered (" + assessment.FormatInt(c.Answered()) + " of " + assessment.FormatInt(c.Applicable) + ")"
	if !strings.Contains(all, want) {
		t.Fatalf("the overall line lacks %q:\n%s", want, all)
	}
	for _, g := range d.Summary.BySafeguard {
		if g.Applicable > 0 && !strings.Contains(all, assessment.FormatInt(g.Answered())+" of "+assessment.FormatInt(g.Applicable)) {
			t.Fatalf("safeguard %s's counts are not shown", g.ID)
		}
	}
	// Top risks: the register's first rated open risk, with its reference.
	for _, r := range d.Risks {
		if r.Rated() && r.Status != assessment.RiskClosed {
			if !strings.Contains(strings.Join(strings.Fields(all), " "), fmt.Sprintf("%s %s %d×%d %s", r.Ref, d.Matrix.Label(r.Level), r.Likelihood, r.Impact, r.Title[:10])) {
				t.Fatalf("the top risk %s (%s) is not listed first with its reference:\n%s", r.Ref, r.Title, all)
			}
			break
		}
	}
}

func TestDashboardTwoColumnsWhenWide(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	wide := section(t, d, 120, 40)
	narrow := section(t, d, 80, 24)
	if len(wide.lines) >= len(narrow.lines) {
		t.Fatalf("wide layout (%d lines) is not shorter than the stacked one (%d)", len(wide.lines), len(narrow.lines))
	}
	// Side by side: a line holds both the safeguard bars and the heat map.
	found := false
	for _, l := range wide.lines {
		p := ansi.Strip(l)
		if strings.Contains(p, "Progress by safeguard") && strings.Contains(p, "Risk heat map") {
			found = true
		}
	}
	if !found {
		t.Fatal("the wide dashboard is not in two columns")
	}
}

func TestDashboardScrolls(t *testing.T) {
	t.Parallel()
	db := section(t, uitest.Demo(t), 80, 24)
	top := db.View()
	if !strings.Contains(ansi.Strip(top), "scroll") {
		t.Fatal("no scroll indicator on a dashboard longer than the screen")
	}
	uitest.Press(db, "j")
	if db.offset != 1 || db.View() == top {
		t.Fatal("j did not scroll")
	}
	db.Update(uitest.WheelDown())
	if db.offset != 4 {
		t.Fatalf("wheel scrolled to %d", db.offset)
	}
	uitest.Press(db, "ctrl+d")
	if db.offset != 4+db.height-2 {
		t.Fatalf("page down scrolled to %d", db.offset)
	}
	uitest.Press(db, "G")
	v := ansi.Strip(db.View())
	if db.offset != db.maxOffset() || !strings.Contains(v, "100%") {
		t.Fatalf("G did not reach the end:\n%s", v)
	}
	uitest.CheckFrame(t, db.View(), 80, uitest.SectionHeight(24))
	uitest.Press(db, "k", "g")
	if db.offset != 0 {
		t.Fatal("g did not go back to the top")
	}
	if db.Typing() || db.Back() {
		t.Fatal("the dashboard never types and has nothing to close")
	}
}

func TestDashboardHeatMapCounts(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	mk := func(l, i int, st assessment.RiskStatus) assessment.Risk {
		r := d.Snap.Risks[0]
		r.Likelihood, r.Impact, r.Status = l, i, st
		return r
	}
	d.Snap.Risks = []assessment.Risk{
		mk(5, 5, assessment.RiskOpen), mk(5, 5, assessment.RiskInProgress), mk(5, 5, assessment.RiskClosed),
		mk(5, 5, assessment.RiskDismissed), // left out
		mk(1, 2, assessment.RiskOpen),
		mk(4, 4, assessment.RiskProposed), // hinted by the threat library, not rated: left out
	}
	d = uitest.Reanalyze(d)
	db := section(t, d, 80, 40)
	lines := db.heatMap(80)
	row := func(label string) string {
		for _, l := range lines {
			if p := ansi.Strip(l); strings.HasPrefix(p, " "+label+" ") {
				return strings.Join(strings.Fields(p), " ")
			}
		}
		t.Fatalf("no heat-map row %q in\n%s", label, ansi.Strip(strings.Join(lines, "\n")))
		return ""
	}
	if got := row("Very high"); got != "Very high · · · · 3" {
		t.Fatalf("very high likelihood row %q", got)
	}
	if got := row("High"); got != "High · · · · ·" {
		t.Fatalf("high likelihood row %q: the proposal is drawn as rated", got)
	}
	if got := row("Very low"); got != "Very low · 1 · · ·" {
		t.Fatalf("very low likelihood row %q", got)
	}
	all := ansi.Strip(strings.Join(lines, "\n"))
	if !strings.Contains(all, "4 rated risks") || !strings.Contains(all, "1 proposed, not rated") {
		t.Fatalf("heat-map note:\n%s", all)
	}
	// Top risks leave closed, dismissed and proposed ones out.
	top := ansi.Strip(strings.Join(db.topRisks(80), "\n"))
	if !strings.Contains(top, "3 open and rated") {
		t.Fatalf("top risks:\n%s", top)
	}
	if over := ansi.Strip(strings.Join(db.overall(120), " ")); !strings.Contains(over, "4 rated risks, 3 high or very high") {
		t.Fatalf("overall line counts the proposal: %s", over)
	}
}

func TestDashboardHHSMatrix(t *testing.T) {
	t.Parallel()
	db := section(t, uitest.DemoHHS(t), 80, 24)
	hm := ansi.Strip(strings.Join(db.heatMap(80), "\n"))
	if strings.Contains(hm, "VH") || !strings.Contains(hm, "3×3") || !strings.Contains(hm, "M medium") {
		t.Fatalf("3×3 heat map:\n%s", hm)
	}
	if n := strings.Count(hm, "\n") + 1; n < 1+2+3+2 || n > 1+2+3+3 {
		t.Fatalf("3×3 heat map has %d lines:\n%s", n, hm)
	}
}

func TestDashboardNothingToScore(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	d.Snap.Responses = nil
	d.Snap.Risks = nil
	d.Snap.Vendors = nil
	d.Snap.Profile.IncludeProposed = false
	d = uitest.Reanalyze(d)
	db := section(t, d, 80, 24)
	all := allLines(db)
	for _, want := range []string{"nothing answered in place", "nothing answered to count yet", "No rated open risks yet",
		"No vendors recorded and no statement", "2025 proposed rule: not included"} {
		if !strings.Contains(all, want) {
			t.Fatalf("empty dashboard lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "  0%  0 in place") {
		t.Fatal("an empty assessment shows 0% in place instead of —")
	}
	// The guidance wraps rather than being cut, at every width.
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		all := allLines(section(t, d, size[0], size[1]))
		for _, l := range strings.Split(all, "\n") {
			l = strings.TrimSpace(l)
			for _, start := range []string{"No rated open risks yet", "No vendors recorded and no statement", "2025 proposed rule: not included"} {
				if strings.Contains(l, start) && strings.HasSuffix(l, "…") {
					t.Errorf("at %dx%d the guidance is cut: %q", size[0], size[1], l)
				}
			}
		}
	}
}

// BenchmarkDashboardView renders the dashboard of the large assessment (40 assets, the
// whole catalog answered, 500 risks) at 120×40.
func BenchmarkDashboardView(b *testing.B) {
	db := section(b, uitest.Big(b), 120, 40)
	db.scroll(10)
	b.ResetTimer()
	for b.Loop() {
		_ = db.View()
	}
}

// BenchmarkDashboardSetData is the dashboard's share of a reload after a save: it lays
// everything out again.
func BenchmarkDashboardSetData(b *testing.B) {
	d := uitest.Big(b)
	db := section(b, d, 120, 40)
	b.ResetTimer()
	for b.Loop() {
		db.SetData(d)
	}
}
