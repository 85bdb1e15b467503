package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
)

func dashSection(tb testing.TB, d *assessData, w, h int) *dashboard {
	tb.Helper()
	db := newDashboard(riskEnv())
	db.SetStyles(newStyles(true, true))
	db.SetSize(w, h-6)
	db.SetData(d)
	return db
}

// dashAll is every line of the dashboard, not just the screenful.
func dashAll(db *dashboard) string { return ansi.Strip(strings.Join(db.lines, "\n")) }

func TestDashboardGolden(t *testing.T) {
	d := riskDemoData(t)
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		db := dashSection(t, d, size[0], size[1])
		v := db.View()
		riskCheckWidth(t, v, size[0])
		riskCheckHeight(t, v, size[1]-6)
		golden(t, fmt.Sprintf("dashboard_%dx%d", size[0], size[1]), v)
		all := dashAll(db)
		riskCheckWidth(t, strings.Join(db.lines, "\n"), size[0])
		for _, want := range []string{
			"Administrative §164.308", "Physical §164.310", "Technical §164.312", "Organizational §164.314",
			"Answered", "Compliant", "in place", "partial",
			"2025 proposed rule", "proposed, not law",
			"Risk heat map", "Impact →", "Likelihood",
			"Top risks", "VPN account takeover",
			"Vendors needing attention", "ClearVisit Telehealth LLC", "only SOC 2", "Northgate Managed IT", "lapsed",
			"Before you can finalise", fmt.Sprintf("%d items", len(d.sum.Readiness)), "Questions not answered yet", "Proposed risks to confirm or dismiss",
		} {
			if !strings.Contains(all, want) {
				t.Fatalf("dashboard at %v lacks %q:\n%s", size, want, all)
			}
		}
	}
}

func TestDashboardTwoColumnsWhenWide(t *testing.T) {
	d := riskDemoData(t)
	wide := dashSection(t, d, 120, 40)
	narrow := dashSection(t, d, 80, 24)
	if len(wide.lines) >= len(narrow.lines) {
		t.Fatalf("wide layout (%d lines) is not shorter than the stacked one (%d)", len(wide.lines), len(narrow.lines))
	}
	// Side by side: a line holds both the safeguard bars and the heat map.
	found := false
	for _, l := range wide.lines {
		p := ansi.Strip(l)
		if strings.Contains(p, "Progress and compliance") && strings.Contains(p, "Risk heat map") {
			found = true
		}
	}
	if !found {
		t.Fatal("the wide dashboard is not in two columns")
	}
}

func TestDashboardScrolls(t *testing.T) {
	db := dashSection(t, riskDemoData(t), 80, 24)
	top := db.View()
	if !strings.Contains(ansi.Strip(top), "scroll") {
		t.Fatal("no scroll indicator on a dashboard longer than the screen")
	}
	db.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	if db.offset != 1 || db.View() == top {
		t.Fatal("j did not scroll")
	}
	db.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if db.offset != 4 {
		t.Fatalf("wheel scrolled to %d", db.offset)
	}
	db.Update(tea.KeyPressMsg{Code: 'G', Text: "G"})
	v := ansi.Strip(db.View())
	if db.offset != db.maxOffset() || !strings.Contains(v, "100%") {
		t.Fatalf("G did not reach the end:\n%s", v)
	}
	riskCheckHeight(t, db.View(), 18)
	db.Update(tea.KeyPressMsg{Code: 'k', Text: "k"})
	db.Update(tea.KeyPressMsg{Code: 'g', Text: "g"})
	if db.offset != 0 {
		t.Fatal("g did not go back to the top")
	}
	if db.Typing() || db.Back() {
		t.Fatal("the dashboard never types and has nothing to close")
	}
}

func TestDashboardHeatMapCounts(t *testing.T) {
	d := riskDemoData(t)
	mk := func(l, i int, st assessment.RiskStatus) assessment.Risk {
		r := d.snap.Risks[0]
		r.Likelihood, r.Impact, r.Status = l, i, st
		return r
	}
	d.snap.Risks = []assessment.Risk{
		mk(5, 5, assessment.RiskOpen), mk(5, 5, assessment.RiskInProgress), mk(5, 5, assessment.RiskClosed),
		mk(5, 5, assessment.RiskDismissed), // left out
		mk(1, 2, assessment.RiskOpen),
		mk(0, 0, assessment.RiskProposed), // not rated
	}
	d = buildData(d.snap, fixedTime)
	db := dashSection(t, d, 80, 40)
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
	if got := row("Very low"); got != "Very low · 1 · · ·" {
		t.Fatalf("very low likelihood row %q", got)
	}
	all := ansi.Strip(strings.Join(lines, "\n"))
	if !strings.Contains(all, "4 rated risks") || !strings.Contains(all, "1 proposed, not rated") {
		t.Fatalf("heat-map note:\n%s", all)
	}
	// Top risks leave closed and dismissed ones out.
	top := ansi.Strip(strings.Join(db.topRisks(80), "\n"))
	if !strings.Contains(top, "3 open and rated") {
		t.Fatalf("top risks:\n%s", top)
	}
}

func TestDashboardHHSMatrix(t *testing.T) {
	d := riskDemoData(t)
	d.snap.Profile.Matrix = assessment.MatrixHHS3x3
	for i := range d.snap.Risks {
		r := &d.snap.Risks[i]
		r.Likelihood, r.Impact = min(r.Likelihood, 3), min(r.Impact, 3)
	}
	d = buildData(d.snap, fixedTime)
	db := dashSection(t, d, 80, 24)
	hm := ansi.Strip(strings.Join(db.heatMap(80), "\n"))
	if strings.Contains(hm, "VH") || !strings.Contains(hm, "3×3") || !strings.Contains(hm, "M medium") {
		t.Fatalf("3×3 heat map:\n%s", hm)
	}
	if n := strings.Count(hm, "\n") + 1; n != 1+2+3+2 {
		t.Fatalf("3×3 heat map has %d lines:\n%s", n, hm)
	}
}

func TestDashboardNothingToScore(t *testing.T) {
	d := riskDemoData(t)
	d.snap.Responses = nil
	d.snap.Risks = nil
	d.snap.Vendors = nil
	d.snap.Profile.IncludeProposed = false
	d = buildData(d.snap, fixedTime)
	db := dashSection(t, d, 80, 24)
	all := dashAll(db)
	for _, want := range []string{"compliance —", "nothing answered to score yet", "No rated open risks yet",
		"No vendors recorded yet", "2025 proposed rule: not included"} {
		if !strings.Contains(all, want) {
			t.Fatalf("empty dashboard lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "  0%  0 in place") {
		t.Fatal("an empty assessment shows 0% compliance instead of —")
	}
}

// BenchmarkDashboardView renders the dashboard of the benchmark workspace (40 assets, the
// whole catalog answered, 500 risks) at 120×40.
func BenchmarkDashboardView(b *testing.B) {
	db := dashSection(b, riskBigData(b), 120, 40)
	db.scroll(10)
	b.ResetTimer()
	for b.Loop() {
		_ = db.View()
	}
}

// BenchmarkDashboardSetData is the dashboard's share of a reload after a save: it lays
// everything out again.
func BenchmarkDashboardSetData(b *testing.B) {
	d := riskBigData(b)
	db := dashSection(b, d, 120, 40)
	b.ResetTimer()
	for b.Loop() {
		db.SetData(d)
	}
}
