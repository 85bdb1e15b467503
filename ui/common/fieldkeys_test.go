package common

import "testing"

// TestFieldEditorKeys: what a key means in the field editors (the risk editor and the
// incident form), which both read it from here.
func TestFieldEditorKeys(t *testing.T) {
	km := NewKeyMap()
	for _, c := range []struct {
		key              string
		onButton, inArea bool
		want             editorAction
	}{
		{"esc", false, false, editorCancel},
		{"ctrl+s", false, true, editorSave},
		{"enter", true, false, editorSave},
		{"enter", false, false, editorNext},
		{"ctrl+j", false, true, editorNewLine},
		{"ctrl+j", false, false, editorNone},
		{"tab", false, true, editorNext},
		{"shift+tab", false, false, editorPrev},
		{"x", false, false, editorNone},
	} {
		if got := km.editorActionOf(press(c.key), c.onButton, c.inArea); got != c.want {
			t.Errorf("%s (button %v, area %v): %d, want %d", c.key, c.onButton, c.inArea, got, c.want)
		}
	}
	for _, c := range []struct {
		key  string
		row  Row
		want int
	}{
		{"down", RowChoice, 1}, {"j", RowChoice, 1}, {"k", RowChoice, -1}, {"right", RowChoice, 0},
		{"right", RowButton, 1}, {"left", RowButton, -1},
		{"down", RowLine, 1}, {"up", RowLine, -1}, {"j", RowLine, 0}, {"k", RowLine, 0},
	} {
		if got := km.StepOf(press(c.key), c.row); got != c.want {
			t.Errorf("StepOf(%s, row %d) = %d, want %d", c.key, c.row, got, c.want)
		}
	}
	for _, c := range []struct {
		key       string
		sel, want int
		ok        bool
	}{
		{"right", 1, 2, true}, {"l", 3, 3, true}, {"left", 0, 0, true}, {"h", 2, 1, true},
		{"g", 2, 0, true}, {"G", 0, 3, true}, {"3", 1, 1, false},
	} {
		if got, ok := km.ChoiceOf(press(c.key), c.sel, 4); got != c.want || ok != c.ok {
			t.Errorf("ChoiceOf(%s, %d of 4) = %d %v, want %d %v", c.key, c.sel, got, ok, c.want, c.ok)
		}
	}
	for _, c := range []struct {
		key               string
		discard, answered bool
	}{{"y", true, true}, {"Y", true, true}, {"n", false, true}, {"N", false, true}, {"esc", false, true}, {"x", false, false}, {"enter", false, false}} {
		if d, a := km.discardAnswer(press(c.key)); d != c.discard || a != c.answered {
			t.Errorf("discardAnswer(%s) = %v %v, want %v %v", c.key, d, a, c.discard, c.answered)
		}
	}
}
