package uitest

import "testing"

// TestKeyRoundTrips: Key builds the key press that Bubble Tea names s, so bindings match it.
func TestKeyRoundTrips(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"a", "G", "/", "]", "1", "enter", "esc", "tab", "shift+tab", "up", "down", "left", "right",
		"home", "end", "pgup", "pgdown", "backspace", "delete", "space", "ctrl+s", "ctrl+u", "ctrl+d", "alt+enter", "ctrl+j"} {
		if got := Key(s).String(); got != s {
			t.Errorf("Key(%q).String() = %q", s, got)
		}
	}
}

func TestBigIsLarge(t *testing.T) {
	t.Parallel()
	d := Big(t)
	if len(d.Snap.Assets) != 40 || len(d.Risks) != 500 || len(d.Items) < 2000 || d.Summary.Overall.Answered() == 0 {
		t.Fatalf("the large assessment has %d assets, %d risks, %d items", len(d.Snap.Assets), len(d.Risks), len(d.Items))
	}
}
