package ui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
	"safeguard/controls"
)

// setupDemoData is the demo assessment at fixedTime.
func setupDemoData(t testing.TB) *assessData {
	t.Helper()
	cat, err := controls.Default()
	if err != nil {
		t.Fatal(err)
	}
	return buildData(assessment.SnapshotOf(assessment.Demo(cat, fixedTime), cat), fixedTime)
}

// newSetupTest is the section sized as the shell sizes it inside a w×h terminal.
func newSetupTest(t testing.TB, d *assessData, w, h int) *setup {
	t.Helper()
	s := newSetup(&env{ctx: testCtx, keys: newKeyMap()})
	s.SetStyles(newStyles(true, true))
	s.SetSize(w, h-6) // app: title, status, help; shell: header, tabs, blank
	s.SetData(d)
	return s
}

func setupKey(s *setup, k string) tea.Cmd {
	var msg tea.KeyPressMsg
	switch k {
	case "enter":
		msg = tea.KeyPressMsg{Code: tea.KeyEnter}
	case "left":
		msg = tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		msg = tea.KeyPressMsg{Code: tea.KeyRight}
	case "down":
		msg = tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		msg = tea.KeyPressMsg{Code: tea.KeyUp}
	default:
		msg = tea.KeyPressMsg{Code: rune(k[0]), Text: k}
	}
	_, cmd := s.Update(msg)
	return cmd
}

func setupView(s *setup) string { return ansi.Strip(s.View()) }

func setupFits(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) > h {
		t.Errorf("view has %d lines, more than %d", len(lines), h)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Errorf("line wider than %d: %q", w, l)
		}
	}
}

func TestSetupGolden(t *testing.T) {
	d := setupDemoData(t)
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		s := newSetupTest(t, d, size[0], size[1])
		for p := setupProfile; p < setupCount; p++ {
			s.pane = p
			v := setupView(s)
			setupFits(t, v, size[0], size[1]-6)
			name := strings.ToLower(strings.ReplaceAll(setupStepNames[p], " ", "_"))
			golden(t, fmt.Sprintf("setup_%s_%dx%d", name, size[0], size[1]), v)
		}
	}
}

func TestSetupStepsMoveWithArrowsAndHL(t *testing.T) {
	s := newSetupTest(t, setupDemoData(t), 80, 24)
	want := []setupPane{setupAssets, setupVendors, setupFlows, setupProfile}
	for _, w := range want {
		setupKey(s, "right")
		if s.pane != w {
			t.Fatalf("right: pane %d, want %d", s.pane, w)
		}
	}
	setupKey(s, "h")
	if s.pane != setupFlows {
		t.Fatalf("h from profile should wrap to data flows, got %d", s.pane)
	}
	setupKey(s, "l")
	setupKey(s, "l")
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

func TestSetupListDrawsOnlyVisibleRows(t *testing.T) {
	d := setupDemoData(t)
	snap := *d.snap
	snap.Assets = nil
	for i := range 1000 {
		snap.Assets = append(snap.Assets, assessment.Asset{ID: fmt.Sprintf("a%04d", i), Name: fmt.Sprintf("Asset %04d", i),
			Kind: "ehr", Hosting: controls.OnPrem, InScope: true, EncAtRest: assessment.EncNone})
	}
	s := newSetupTest(t, buildData(&snap, fixedTime), 80, 24)
	s.pane = setupAssets
	v := setupView(s)
	setupFits(t, v, 80, 18)
	if !strings.Contains(v, "Asset 0000") || strings.Contains(v, "Asset 0500") {
		t.Fatalf("first screen should hold the first rows only:\n%s", v)
	}
	if !strings.Contains(v, "1–11 of 1000") {
		t.Fatalf("no position indicator:\n%s", v)
	}
	setupKey(s, "G")
	v = setupView(s)
	if !strings.Contains(v, "Asset 0999") || strings.Contains(v, "Asset 0000") || !strings.Contains(v, "990–1000 of 1000") {
		t.Fatalf("G should scroll to the last row:\n%s", v)
	}
	setupKey(s, "g")
	setupKey(s, "down")
	setupKey(s, "j")
	if s.cursor[setupAssets] != 2 {
		t.Fatalf("cursor after g, down, j: %d", s.cursor[setupAssets])
	}
}

func TestSetupMouse(t *testing.T) {
	s := newSetupTest(t, setupDemoData(t), 120, 40)
	// The step bar is the section's first line, at screen row setupTop.
	spans := s.paneSpans()
	s.Update(tea.MouseClickMsg{X: spans[setupVendors][0] + 2, Y: setupTop, Button: tea.MouseLeft})
	if s.pane != setupVendors {
		t.Fatalf("clicking Vendors on the step bar: pane %d", s.pane)
	}
	// Rows start under the step bar, the intro and the column header.
	s.Update(tea.MouseClickMsg{X: 5, Y: setupTop + setupHeadLines + 2, Button: tea.MouseLeft})
	if s.cursor[setupVendors] != 2 {
		t.Fatalf("clicking the third row: cursor %d", s.cursor[setupVendors])
	}
	_, cmd := s.Update(tea.MouseClickMsg{X: 5, Y: setupTop + setupHeadLines + 2, Button: tea.MouseLeft})
	if _, ok := setupRunCmd(cmd).(pushMsg); !ok {
		t.Fatal("clicking the selected row should open it")
	}
	s.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if s.cursor[setupVendors] != 3 {
		t.Fatalf("wheel down: cursor %d", s.cursor[setupVendors])
	}
	s.Update(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	s.Update(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if s.cursor[setupVendors] != 1 {
		t.Fatalf("wheel up twice: cursor %d", s.cursor[setupVendors])
	}
}

// setupSettle feeds a screen the messages its command leads to, the way the runtime would,
// skipping commands that wait (cursor blinks) and stopping after a few rounds.
func setupSettle(sc screen, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0 && n < 200; n++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		done := make(chan tea.Msg, 1)
		go func() { done <- c() }()
		var msg tea.Msg
		select {
		case msg = <-done:
		case <-time.After(20 * time.Millisecond):
			continue
		}
		if rv := reflect.ValueOf(msg); rv.Kind() == reflect.Slice && rv.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
			for i := range rv.Len() {
				queue = append(queue, rv.Index(i).Interface().(tea.Cmd))
			}
			continue
		}
		if msg == nil {
			continue
		}
		_, next := sc.Update(msg)
		queue = append(queue, next)
	}
}

// setupOpenForm sizes a pushed form for an 80×24 terminal and lets it draw its first group.
func setupOpenForm(t *testing.T, cmd tea.Cmd) *setupForm {
	t.Helper()
	msg, ok := setupRunCmd(cmd).(pushMsg)
	if !ok {
		t.Fatalf("no form opened: %#v", msg)
	}
	f, ok := msg.s.(*setupForm)
	if !ok {
		t.Fatalf("pushed %T, not a setup form", msg.s)
	}
	f.SetStyles(newStyles(true, true))
	f.SetSize(80, 21)
	setupSettle(f, f.Init())
	return f
}

// setupRunCmd runs a command and returns its message (nil for a nil command).
func setupRunCmd(cmd tea.Cmd) tea.Msg {
	if cmd == nil {
		return nil
	}
	return cmd()
}

func TestSetupOpensForms(t *testing.T) {
	d := setupDemoData(t)
	s := newSetupTest(t, d, 80, 24)
	cases := []struct {
		pane  setupPane
		key   string
		title string
	}{
		{setupProfile, "e", "Organisation profile"},
		{setupProfile, "enter", "Organisation profile"},
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
		f := setupOpenForm(t, setupKey(s, c.key))
		if f.title != c.title {
			t.Errorf("%s on pane %d: title %q, want %q", c.key, c.pane, f.title, c.title)
		}
		setupFits(t, ansi.Strip(f.View()), 80, 21)
		if v := ansi.Strip(f.View()); !strings.Contains(v, c.title) {
			t.Errorf("form view lacks its title %q:\n%s", c.title, v)
		}
	}
	s.pane = setupProfile
	if cmd := setupKey(s, "D"); cmd != nil {
		t.Fatal("D on the profile should do nothing")
	}
}

func TestSetupDeleteAssetSaysWhatGoes(t *testing.T) {
	s := newSetupTest(t, setupDemoData(t), 80, 24)
	s.pane = setupAssets
	f := setupOpenForm(t, setupKey(s, "D"))
	v := ansi.Strip(f.View())
	for _, want := range []string{`Delete "Cloud EHR"?`, "answers (", "risks (", "flows ("} {
		if !strings.Contains(v, want) {
			t.Errorf("delete confirmation lacks %q:\n%s", want, v)
		}
	}
}

func TestSetupFlowsNeedTwoAssets(t *testing.T) {
	d := setupDemoData(t)
	snap := *d.snap
	snap.Assets, snap.Flows = snap.Assets[:1], nil
	s := newSetupTest(t, buildData(&snap, fixedTime), 80, 24)
	s.pane = setupFlows
	if !strings.Contains(setupView(s), "No data flows yet") {
		t.Fatalf("empty flows pane does not explain itself:\n%s", setupView(s))
	}
	msg, ok := setupRunCmd(setupKey(s, "a")).(noticeMsg)
	if !ok || !strings.Contains(string(msg), "two assets") {
		t.Fatalf("a with one asset: %v", msg)
	}
}

func TestSetupFinalIsReadOnly(t *testing.T) {
	d := setupDemoData(t)
	snap := *d.snap
	snap.Assessment.Status = assessment.StatusFinal
	s := newSetupTest(t, buildData(&snap, fixedTime), 80, 24)
	for p := setupProfile; p < setupCount; p++ {
		s.pane = p
		for _, k := range []string{"a", "e", "enter", "D"} {
			cmd := setupKey(s, k)
			if p == setupProfile && (k == "a" || k == "D") {
				continue
			}
			msg, ok := setupRunCmd(cmd).(noticeMsg)
			if !ok || !strings.Contains(string(msg), "read-only") {
				t.Fatalf("%s on a final assessment (pane %d): %#v", k, p, msg)
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
	s := newSetupTest(t, setupDemoData(t), 120, 40)
	s.pane = setupVendors
	for i, v := range s.data.snap.Vendors {
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
	d := setupDemoData(t)
	snap := *d.snap
	snap.Assets = append([]assessment.Asset{}, snap.Assets...)
	snap.Assets[0].VendorID = ""
	s := newSetupTest(t, buildData(&snap, fixedTime), 80, 24)
	s.pane = setupAssets
	v := setupView(s)
	if !strings.Contains(v, "⚠ none chosen") || !strings.Contains(v, "no provider chosen") {
		t.Fatalf("a SaaS asset without provider is not flagged:\n%s", v)
	}
}

func TestSetupFollowsTheSavedRecord(t *testing.T) {
	d := setupDemoData(t)
	s := newSetupTest(t, d, 80, 24)
	s.follow = &setupFollow{pane: setupVendors, name: "Northgate Managed IT"}
	s.SetData(d)
	if s.pane != setupVendors || d.snap.Vendors[s.cursor[setupVendors]].Name != "Northgate Managed IT" {
		t.Fatalf("after a save the new vendor is not selected: pane %d cursor %d", s.pane, s.cursor[setupVendors])
	}
	if s.follow != nil {
		t.Fatal("follow was not cleared")
	}
}

func TestSetupValidators(t *testing.T) {
	date := setupDate("expiry date", true)
	for v, ok := range map[string]bool{"2026-02-28": true, " 2026-02-28 ": true, "": false, "2026-02-30": false, "2026/02/01": false, "26-2-1": false} {
		if err := date(v); (err == nil) != ok {
			t.Errorf("required date %q: %v", v, err)
		}
	}
	if err := setupDate("period start", false)(""); err != nil {
		t.Errorf("optional empty date refused: %v", err)
	}
	start := "2026-01-01"
	end := setupPeriodEnd(&start)
	for v, ok := range map[string]bool{"2026-12-31": true, "": true, "2026-01-01": false, "2025-12-31": false, "soon": false} {
		if err := end(v); (err == nil) != ok {
			t.Errorf("period end %q after %s: %v", v, start, err)
		}
	}
	names, err := setupAssessors(" Dana Whitfield, ,Marcus Oyelaran ")
	if err != nil || len(names) != 2 || names[0] != "Dana Whitfield" || names[1] != "Marcus Oyelaran" {
		t.Errorf("assessors: %q %v", names, err)
	}
	if _, err := setupAssessors("Dana, " + strings.Repeat("x", assessment.MaxNameLen+1)); err == nil {
		t.Error("an over-long assessor name passed")
	} else if !strings.HasPrefix(err.Error(), "The assessor name") {
		t.Errorf("assessor error is not a sentence: %v", err)
	}
	for v, want := range map[string]int{"": 0, "0": 0, "48000": 48000, "48,000": 48000, " 12 ": 12} {
		if n, err := setupInt("record count", 0, setupMaxInt, v); err != nil || n != want {
			t.Errorf("record count %q: %d %v", v, n, err)
		}
	}
	for _, v := range []string{"-1", "lots", "1.5"} {
		if _, err := setupInt("record count", 0, setupMaxInt, v); err == nil {
			t.Errorf("record count %q passed", v)
		}
	}
	for v, ok := range map[string]bool{"0": true, "60": true, "365": true, "366": false, "-1": false} {
		if err := setupIntCheck("breach notice", 0, 365)(v); (err == nil) != ok {
			t.Errorf("breach notice %q: %v", v, err)
		}
	}
	if err := setupName("asset name")("  "); err == nil || err.Error() != "Give the asset name." {
		t.Errorf("empty asset name: %v", err)
	}
	if err := setupName("asset name")("EHR\x07"); err == nil || !strings.HasPrefix(err.Error(), "The asset name contains a control character") {
		t.Errorf("asset name with a control character: %v", err)
	}
}

func TestSetupDigits(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 48000: "48,000", 1234567: "1,234,567", -5200: "-5,200"} {
		if got := setupDigits(n); got != want {
			t.Errorf("setupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}

func BenchmarkSetupViewAssets1000(b *testing.B) {
	d := setupDemoData(b)
	snap := *d.snap
	snap.Assets = nil
	for i := range 1000 {
		snap.Assets = append(snap.Assets, assessment.Asset{ID: fmt.Sprintf("a%04d", i), Name: fmt.Sprintf("Asset %04d", i),
			Kind: "ehr", Hosting: controls.SaaS, VendorID: snap.Vendors[i%len(snap.Vendors)].ID, InScope: true, EncAtRest: assessment.EncNone})
	}
	s := newSetupTest(b, buildData(&snap, fixedTime), 120, 40)
	s.pane = setupAssets
	s.cursor[setupAssets] = 500
	s.clamp(setupAssets)
	b.ResetTimer()
	for b.Loop() {
		_ = s.View()
	}
}

func TestSetupFormSavesOnce(t *testing.T) {
	s := newSetupTest(t, setupDemoData(t), 80, 24)
	s.pane = setupVendors
	f := setupOpenForm(t, setupKey(s, "a"))
	// The form was completed and its save came back; the pop has not arrived yet.
	f.form.State = huh.StateCompleted
	f.saving = true
	if _, cmd := f.Update(savedMsg{notice: "Saved."}); cmd == nil {
		t.Fatal("a successful save did not close the form")
	}
	if _, cmd := f.Update(tea.KeyPressMsg{Code: tea.KeyEnter}); cmd != nil {
		t.Fatal("a message after the save started another save")
	}
}
