package ui

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

// setupSection is the section on d as the shell sizes it in a w×h terminal.
func setupSection(tb testing.TB, d *common.Data, w, h int) *setup {
	tb.Helper()
	s := newSetup(uitest.Env(tb))
	uitest.Sized(s, w, h)
	s.SetData(d)
	return s
}

func setupView(s *setup) string { return ansi.Strip(s.View()) }

// setupWith is the demo with its snapshot changed by edit, analyzed again.
func setupWith(tb testing.TB, edit func(*assessment.Snapshot)) *common.Data {
	d := uitest.Demo(tb)
	edit(d.Snap)
	return uitest.Reanalyze(d)
}

func TestSetupGolden(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	for _, size := range uitest.Sizes {
		s := setupSection(t, d, size[0], size[1])
		for p := setupProfile; p < setupCount; p++ {
			name := strings.ToLower(strings.ReplaceAll(setupStepNames[p], " ", "_"))
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
	s := setupSection(t, uitest.Demo(t), 80, 24)
	for _, w := range []setupPane{setupAssets, setupVendors, setupFlows, setupProfile} {
		uitest.Press(s, "right")
		if s.pane != w {
			t.Fatalf("right: pane %d, want %d", s.pane, w)
		}
	}
	uitest.Press(s, "h")
	if s.pane != setupFlows {
		t.Fatalf("h from profile should wrap to data flows, got %d", s.pane)
	}
	uitest.Press(s, "l", "l")
	if s.pane != setupAssets {
		t.Fatalf("l twice from flows: pane %d", s.pane)
	}
	if s.Typing() || s.Back() {
		t.Fatal("setup never types and has no inner pane for esc")
	}
	if !strings.Contains(setupView(s), "Cloud EHR") {
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
	d := setupWith(t, func(s *assessment.Snapshot) { s.Assets = manyAssets(1000, controls.OnPrem, nil) })
	s := setupSection(t, d, 80, 24)
	s.pane = setupAssets
	v := setupView(s)
	uitest.CheckFrame(t, v, 80, uitest.SectionHeight(24))
	if !strings.Contains(v, "Asset 0000") || strings.Contains(v, "Asset 0500") {
		t.Fatalf("first screen should hold the first rows only:\n%s", v)
	}
	if !strings.Contains(v, "1–11 of 1000") {
		t.Fatalf("no position indicator:\n%s", v)
	}
	uitest.Press(s, "G")
	v = setupView(s)
	if !strings.Contains(v, "Asset 0999") || strings.Contains(v, "Asset 0000") || !strings.Contains(v, "990–1000 of 1000") {
		t.Fatalf("G should scroll to the last row:\n%s", v)
	}
	uitest.Press(s, "g", "down", "j")
	if s.cursor[setupAssets] != 2 {
		t.Fatalf("cursor after g, down, j: %d", s.cursor[setupAssets])
	}
	uitest.Press(s, "pgdown")
	if s.cursor[setupAssets] != 2+s.rowsVisible() {
		t.Fatalf("cursor after pgdn: %d", s.cursor[setupAssets])
	}
}

// TestSetupMouse clicks in section coordinates: line 0 is the step bar.
func TestSetupMouse(t *testing.T) {
	t.Parallel()
	s := setupSection(t, uitest.Demo(t), 120, 40)
	spans := s.paneSpans()
	s.Update(uitest.Click(spans[setupVendors][0]+2, 0))
	if s.pane != setupVendors {
		t.Fatalf("clicking Vendors on the step bar: pane %d", s.pane)
	}
	// Rows start under the step bar, the intro and the column header.
	s.Update(uitest.Click(5, setupHeadLines+2))
	if s.cursor[setupVendors] != 2 {
		t.Fatalf("clicking the third row: cursor %d", s.cursor[setupVendors])
	}
	_, cmd := s.Update(uitest.Click(5, setupHeadLines+2))
	if _, ok := uitest.Run(cmd).(common.PushMsg); !ok {
		t.Fatal("clicking the selected row should open it")
	}
	s.Update(uitest.WheelDown())
	if s.cursor[setupVendors] != 3 {
		t.Fatalf("wheel down: cursor %d", s.cursor[setupVendors])
	}
	s.Update(uitest.WheelUp())
	s.Update(uitest.WheelUp())
	if s.cursor[setupVendors] != 1 {
		t.Fatalf("wheel up twice: cursor %d", s.cursor[setupVendors])
	}
}

func TestSetupOpensForms(t *testing.T) {
	t.Parallel()
	s := setupSection(t, uitest.Demo(t), 80, 24)
	cases := []struct {
		pane  setupPane
		key   string
		title string
	}{
		{setupProfile, "e", "Organization profile"},
		{setupProfile, "enter", "Organization profile"},
		{setupAssets, "a", "New asset"},
		{setupAssets, "e", "Edit Cloud EHR"},
		{setupAssets, "D", "Delete asset"},
		{setupVendors, "a", "New vendor"},
		{setupVendors, "enter", "Edit Meridian Chart Cloud, Inc."},
		{setupVendors, "D", "Delete vendor"},
		{setupFlows, "a", "New data flow"},
		{setupFlows, "e", "Edit data flow"},
		{setupFlows, "D", "Delete data flow"},
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
	s.pane = setupProfile
	if cmd := uitest.Press(s, "D"); cmd != nil {
		t.Fatal("D on the profile should do nothing")
	}
}

func TestSetupDeleteAssetSaysWhatGoes(t *testing.T) {
	t.Parallel()
	s := setupSection(t, uitest.Demo(t), 80, 24)
	s.pane = setupAssets
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
	d := setupWith(t, func(s *assessment.Snapshot) { s.Assets, s.Flows = s.Assets[:1], nil })
	s := setupSection(t, d, 80, 24)
	s.pane = setupFlows
	if !strings.Contains(setupView(s), "No data flows yet") {
		t.Fatalf("empty flows pane does not explain itself:\n%s", setupView(s))
	}
	if n := uitest.NoticeOf(t, uitest.Press(s, "a")); !strings.Contains(n, "two assets") {
		t.Fatalf("a with one asset: %v", n)
	}
}

func TestSetupFinalIsReadOnly(t *testing.T) {
	t.Parallel()
	d := setupWith(t, func(s *assessment.Snapshot) { s.Assessment.Status = assessment.StatusFinal })
	s := setupSection(t, d, 80, 24)
	for p := setupProfile; p < setupCount; p++ {
		s.pane = p
		for _, k := range []string{"a", "e", "enter", "D"} {
			cmd := uitest.Press(s, k)
			if p == setupProfile && (k == "a" || k == "D") {
				continue
			}
			if n := uitest.NoticeOf(t, cmd); !strings.Contains(n, "read-only") {
				t.Fatalf("%s on a final assessment (pane %d): %q", k, p, n)
			}
		}
		for _, b := range s.Keys().ShortHelp() {
			if h := b.Help().Desc; h == "add" || h == "edit" || h == "delete" {
				t.Fatalf("help offers %q on a final assessment", h)
			}
		}
	}
	if v := setupView(s); !strings.Contains(v, "read-only") {
		t.Fatalf("final assessment view does not say it is read-only:\n%s", v)
	}
}

func TestSetupVendorWarnings(t *testing.T) {
	t.Parallel()
	s := setupSection(t, uitest.Demo(t), 120, 40)
	s.pane = setupVendors
	for i, v := range s.data.Snap.Vendors {
		if v.Name == "Northgate Managed IT" {
			s.cursor[setupVendors] = i
		}
	}
	v := setupView(s)
	for _, want := range []string{"◐ requested", "⚠ 2", "requested but not signed", "has no attestation"} {
		if !strings.Contains(v, want) {
			t.Errorf("vendors pane lacks %q:\n%s", want, v)
		}
	}
}

func TestSetupAssetWithoutProviderIsFlagged(t *testing.T) {
	t.Parallel()
	d := setupWith(t, func(s *assessment.Snapshot) { s.Assets[0].VendorID = "" })
	s := setupSection(t, d, 80, 24)
	s.pane = setupAssets
	v := setupView(s)
	if !strings.Contains(v, "⚠ none chosen") || !strings.Contains(v, "no provider chosen") {
		t.Fatalf("a SaaS asset without provider is not flagged:\n%s", v)
	}
}

func TestSetupFollowsTheSavedRecord(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	s := setupSection(t, d, 80, 24)
	s.follow = &setupFollow{pane: setupVendors, name: "Northgate Managed IT"}
	s.SetData(d)
	if s.pane != setupVendors || d.Snap.Vendors[s.cursor[setupVendors]].Name != "Northgate Managed IT" {
		t.Fatalf("after a save the new vendor is not selected: pane %d cursor %d", s.pane, s.cursor[setupVendors])
	}
	if s.follow != nil {
		t.Fatal("follow was not cleared")
	}
}

func BenchmarkSetupViewAssets1000(b *testing.B) {
	d := setupWith(b, func(s *assessment.Snapshot) { s.Assets = manyAssets(1000, controls.SaaS, s.Vendors) })
	s := setupSection(b, d, 120, 40)
	s.pane = setupAssets
	s.cursor[setupAssets] = 500
	s.clamp(setupAssets)
	b.ResetTimer()
	for b.Loop() {
		_ = s.View()
	}
}
