package setup

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/ui/common"
	"safeguard/ui/uitest"
)

// section is the section on d as the shell sizes it in a w×h terminal.
func section(tb testing.TB, d *common.Data, w, h int) *Model {
	return uitest.Section(New(uitest.Env(tb)), d, w, h)
}

func view(s *Model) string { return ansi.Strip(s.View()) }

// dataWith is the demo with its snapshot changed by edit, analyzed again.
func dataWith(tb testing.TB, edit func(*assessment.Snapshot)) *common.Data {
	d := uitest.Demo(tb)
	edit(d.Snap)
	return uitest.Reanalyze(d)
}

func TestSetupGolden(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	for _, size := range uitest.Sizes {
		s := section(t, d, size[0], size[1])
		for p := stepProfile; p < stepCount; p++ {
			name := strings.ToLower(strings.ReplaceAll(stepNames[p], " ", "_"))
			t.Run(name+"/"+uitest.SizeName(size), func(t *testing.T) {
				s.pane = p
				v := s.View()
				uitest.CheckFrame(t, v, size[0], uitest.SectionHeight(size[1]))
				uitest.Golden(t, v)
			})
		}
	}
}

func TestSetupStepsMoveWithArrowsAndHL(t *testing.T) {
	t.Parallel()
	s := section(t, uitest.Demo(t), 80, 24)
	for _, w := range []step{stepVendors, stepAssets, stepFlows, stepMethod, stepThreats, stepProfile} {
		uitest.Press(s, "right")
		if s.pane != w {
			t.Fatalf("right: pane %d, want %d", s.pane, w)
		}
	}
	uitest.Press(s, "h")
	if s.pane != stepThreats {
		t.Fatalf("h from profile should wrap to threats, got %d", s.pane)
	}
	uitest.Press(s, "l", "l", "l")
	if s.pane != stepAssets {
		t.Fatalf("l three times from threats: pane %d", s.pane)
	}
	if s.Typing() || s.Back() {
		t.Fatal("setup never types and has no inner pane for esc")
	}
	if !strings.Contains(view(s), "Cloud EHR") {
		t.Fatal("assets pane does not list the demo's assets")
	}
}

func manyAssets(n int, hosting controls.Hosting, vendors []assessment.Vendor) []assessment.Asset {
	var out []assessment.Asset
	for i := range n {
		a := assessment.Asset{ID: fmt.Sprintf("a%04d", i), Name: fmt.Sprintf("Asset %04d", i),
			Kind: "ehr", Hosting: hosting, InScope: true, EncAtRest: assessment.EncNone}
		if len(vendors) > 0 {
			a.VendorID = vendors[i%len(vendors)].ID
		}
		out = append(out, a)
	}
	return out
}

func TestSetupListDrawsOnlyVisibleRows(t *testing.T) {
	t.Parallel()
	d := dataWith(t, func(s *assessment.Snapshot) { s.Assets = manyAssets(1000, controls.OnPrem, nil) })
	s := section(t, d, 80, 24)
	s.pane = stepAssets
	v := view(s)
	uitest.CheckFrame(t, v, 80, uitest.SectionHeight(24))
	if !strings.Contains(v, "Asset 0000") || strings.Contains(v, "Asset 0500") {
		t.Fatalf("first screen should hold the first rows only:\n%s", v)
	}
	if !strings.Contains(v, "1–11 of 1000") && !strings.Contains(v, "1–10 of 1000") {
		t.Fatalf("no position indicator:\n%s", v)
	}
	uitest.Press(s, "G")
	v = view(s)
	if !strings.Contains(v, "Asset 0999") || strings.Contains(v, "Asset 0000") || !strings.Contains(v, "990–1000 of 1000") {
		t.Fatalf("G should scroll to the last row:\n%s", v)
	}
	uitest.Press(s, "g", "down", "j")
	if s.cursor[stepAssets] != 2 {
		t.Fatalf("cursor after g, down, j: %d", s.cursor[stepAssets])
	}
	uitest.Press(s, "pgdown")
	if s.cursor[stepAssets] != 2+s.rowsVisible() {
		t.Fatalf("cursor after pgdn: %d", s.cursor[stepAssets])
	}
}

// TestSetupMouse clicks in section coordinates: line 0 is the step bar.
func TestSetupMouse(t *testing.T) {
	t.Parallel()
	s := section(t, uitest.Demo(t), 120, 40)
	spans := s.paneSpans()
	s.Update(uitest.Click(spans[stepVendors][0]+2, 0))
	if s.pane != stepVendors {
		t.Fatalf("clicking Vendors on the step bar: pane %d", s.pane)
	}
	// Rows start under the step bar, the intro and the column header.
	s.Update(uitest.Click(5, s.headLines()+2))
	if s.cursor[stepVendors] != 2 {
		t.Fatalf("clicking the third row: cursor %d", s.cursor[stepVendors])
	}
	_, cmd := s.Update(uitest.Click(5, s.headLines()+2))
	if _, ok := uitest.Run(cmd).(common.PushMsg); !ok {
		t.Fatal("clicking the selected row should open it")
	}
	s.Update(uitest.WheelDown())
	if s.cursor[stepVendors] != 3 {
		t.Fatalf("wheel down: cursor %d", s.cursor[stepVendors])
	}
	s.Update(uitest.WheelUp())
	s.Update(uitest.WheelUp())
	if s.cursor[stepVendors] != 1 {
		t.Fatalf("wheel up twice: cursor %d", s.cursor[stepVendors])
	}
}

func TestSetupOpensForms(t *testing.T) {
	t.Parallel()
	s := section(t, uitest.Demo(t), 80, 24)
	cases := []struct {
		pane  step
		key   string
		title string
	}{
		{stepProfile, "e", "Organization profile"},
		{stepProfile, "enter", "Organization profile"},
		{stepAssets, "a", "New asset"},
		{stepAssets, "e", "Edit Cloud EHR"},
		{stepAssets, "D", "Delete asset"},
		{stepVendors, "a", "New vendor"},
		{stepVendors, "enter", "Edit Meridian Chart Cloud, Inc."},
		{stepVendors, "D", "Delete vendor"},
		{stepVendors, "r", "Review of Meridian Chart Cloud, Inc."},
		{stepMethod, "a", "New method record"},
		{stepMethod, "D", "Delete method record"},
		{stepThreats, "e", "Rule out a threat source"},
		{stepFlows, "a", "New data flow"},
		{stepFlows, "e", "Edit data flow"},
		{stepFlows, "D", "Delete data flow"},
	}
	for _, c := range cases {
		s.pane = c.pane
		f := uitest.OpenForm(t, uitest.Press(s, c.key), 80, 24)
		if f.Title() != c.title {
			t.Errorf("%s on pane %d: title %q, want %q", c.key, c.pane, f.Title(), c.title)
		}
		v := ansi.Strip(f.View())
		uitest.CheckFrame(t, v, 80, 21)
		if !strings.Contains(v, c.title) || len(strings.Split(v, "\n")) < 4 {
			t.Errorf("form view lacks its title %q or its fields:\n%s", c.title, v)
		}
	}
	s.pane = stepProfile
	if cmd := uitest.Press(s, "D"); cmd != nil {
		t.Fatal("D on the profile should do nothing")
	}
}

func TestSetupDeleteAssetSaysWhatGoes(t *testing.T) {
	t.Parallel()
	s := section(t, uitest.Demo(t), 80, 24)
	s.pane = stepAssets
	f := uitest.OpenForm(t, uitest.Press(s, "D"), 80, 24)
	v := ansi.Strip(f.View())
	for _, want := range []string{`Delete "Cloud EHR"?`, "answers (", "risks (", "flows ("} {
		if !strings.Contains(v, want) {
			t.Errorf("delete confirmation lacks %q:\n%s", want, v)
		}
	}
}

func TestSetupFlowsNeedTwoAssets(t *testing.T) {
	t.Parallel()
	d := dataWith(t, func(s *assessment.Snapshot) { s.Assets, s.Flows = nil, nil })
	s := section(t, d, 80, 24)
	s.pane = stepFlows
	if !strings.Contains(view(s), "No data flows yet") {
		t.Fatalf("empty flows pane does not explain itself:\n%s", view(s))
	}
	if n := uitest.NoticeOf(t, uitest.Press(s, "a")); !strings.Contains(n, "add it under Assets first") {
		t.Fatalf("a with no asset: %v", n)
	}
}

func TestSetupFinalIsReadOnly(t *testing.T) {
	t.Parallel()
	d := dataWith(t, func(s *assessment.Snapshot) { s.Assessment.Status = assessment.StatusFinal })
	s := section(t, d, 80, 24)
	for p := stepProfile; p < stepCount; p++ {
		s.pane = p
		for _, k := range []string{"a", "e", "enter", "D"} {
			cmd := uitest.Press(s, k)
			if (p == stepProfile && (k == "a" || k == "D")) || (p == stepThreats && k == "a") {
				continue
			}
			if n := uitest.NoticeOf(t, cmd); !strings.Contains(n, "read-only") {
				t.Fatalf("%s on a final assessment (pane %d): %q", k, p, n)
			}
		}
		for _, b := range s.Keys().ShortHelp() {
			if h := b.Help().Desc; h == "add" || h == "edit" || h == "delete" || h == "rule out" {
				t.Fatalf("help offers %q on a final assessment", h)
			}
		}
	}
	if v := view(s); !strings.Contains(v, "read-only") {
		t.Fatalf("final assessment view does not say it is read-only:\n%s", v)
	}
}

func TestSetupVendorWarnings(t *testing.T) {
	t.Parallel()
	s := section(t, uitest.Demo(t), 120, 40)
	s.pane = stepVendors
	for i, v := range s.data.Snap.Vendors {
		if v.Name == "Northgate Managed IT" {
			s.cursor[stepVendors] = i
		}
	}
	v := view(s)
	for _, want := range []string{"◐ requested", "⚠ ", "requested but not signed"} {
		if !strings.Contains(v, want) {
			t.Errorf("vendors pane lacks %q:\n%s", want, v)
		}
	}
}

func TestSetupAssetWithoutProviderIsFlagged(t *testing.T) {
	t.Parallel()
	d := dataWith(t, func(s *assessment.Snapshot) { s.Assets[0].VendorID = "" })
	s := section(t, d, 80, 24)
	s.pane = stepAssets
	v := view(s)
	if !strings.Contains(v, "⚠ none chosen") || !strings.Contains(v, "no provider chosen") {
		t.Fatalf("a SaaS asset without provider is not flagged:\n%s", v)
	}
}

func TestSetupFollowsTheSavedRecord(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	s := section(t, d, 80, 24)
	s.pane = stepVendors
	s.follow = &followed{pane: stepVendors, name: "Northgate Managed IT"}
	s.SetData(d)
	if s.pane != stepVendors || d.Snap.Vendors[s.cursor[stepVendors]].Name != "Northgate Managed IT" {
		t.Fatalf("after a save the new vendor is not selected: pane %d cursor %d", s.pane, s.cursor[stepVendors])
	}
	// A user who moved to another step before the reload arrived stays there.
	s.pane = stepAssets
	s.follow = &followed{pane: stepVendors, name: "Meridian Chart Cloud, Inc."}
	s.SetData(d)
	if s.pane != stepAssets || d.Snap.Vendors[s.cursor[stepVendors]].Name != "Meridian Chart Cloud, Inc." {
		t.Fatalf("the reload moved the user back: pane %d", s.pane)
	}
	if s.follow != nil {
		t.Fatal("follow was not cleared")
	}
}

func BenchmarkSetupViewAssets1000(b *testing.B) {
	d := dataWith(b, func(s *assessment.Snapshot) { s.Assets = manyAssets(1000, controls.SaaS, s.Vendors) })
	s := section(b, d, 120, 40)
	s.pane = stepAssets
	s.cursor[stepAssets] = 500
	s.clamp(stepAssets)
	b.ResetTimer()
	for b.Loop() {
		_ = s.View()
	}
}

func TestSetupStartsGuidedOnlyWhenNothingIsDescribed(t *testing.T) {
	t.Parallel()
	demo := uitest.Demo(t)
	s := section(t, demo, 80, 24)
	if s.StartHere(demo) || s.guided {
		t.Fatal("the demo, which is set up, opened in the guided setup")
	}
	empty := dataWith(t, func(sn *assessment.Snapshot) {
		sn.Assets, sn.Vendors, sn.Flows, sn.Responses, sn.Method, sn.Risks, sn.NoVendors = nil, nil, nil, nil, nil, nil, ""
		sn.Profile.Assessors, sn.Profile.PeriodStart, sn.Profile.PeriodEnd, sn.Profile.Scope = nil, "", "", ""
	})
	g := section(t, empty, 80, 24)
	if !g.StartHere(empty) || !g.guided || g.pane != stepProfile {
		t.Fatal("an empty assessment did not open in the guided setup")
	}
	if g.StartHere(empty) {
		t.Fatal("StartHere asked twice moved the user again")
	}
	uitest.CheckFrame(t, g.View(), 80, uitest.SectionHeight(24))
	if v := view(g); !strings.Contains(v, "Guided setup, step 1 of 6") || !strings.Contains(v, "Questions") {
		t.Fatalf("guided view:\n%s", v)
	}
	uitest.Press(g, "left")
	if g.pane != stepProfile {
		t.Fatal("← on the first step of the wizard moved")
	}
}

func TestSetupFocusField(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	s := section(t, d, 120, 40)
	last := d.Snap.Vendors[len(d.Snap.Vendors)-1]
	if _, ok := s.FocusField(common.GotoFieldMsg{Field: assessment.FieldVendors, VendorID: last.ID}); !ok || s.pane != stepVendors ||
		s.cursor[stepVendors] != len(d.Snap.Vendors)-1 {
		t.Fatalf("vendor field: pane %d cursor %d", s.pane, s.cursor[stepVendors])
	}
	if _, ok := s.FocusField(common.GotoFieldMsg{Field: assessment.FieldThreats, Source: assessment.ThreatSources[3].Value}); !ok ||
		s.pane != stepThreats || s.cursor[stepThreats] != 3 {
		t.Fatalf("threat field: pane %d cursor %d", s.pane, s.cursor[stepThreats])
	}
	cmd, ok := s.FocusField(common.GotoFieldMsg{Field: assessment.FieldScope})
	if !ok || s.pane != stepProfile {
		t.Fatal("scope field did not open the profile")
	}
	f := uitest.OpenForm(t, cmd, 120, 40)
	if v := ansi.Strip(f.View()); !strings.Contains(v, "Scope statement") {
		t.Fatalf("the profile form did not open at the scope:\n%s", v)
	}
	if _, ok := s.FocusField(common.GotoFieldMsg{Field: assessment.FieldAnswer}); ok {
		t.Fatal("an answer field is not the setup's")
	}
}
