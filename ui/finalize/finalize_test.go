package finalize

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"safeguard/ui/uitest"
)

func TestFinalizeView(t *testing.T) {
	t.Parallel()
	for _, size := range uitest.Sizes {
		t.Run(uitest.SizeName(size), func(t *testing.T) {
			f := uitest.Section(New(uitest.Env(t)), uitest.Demo(t), size[0], size[1])
			v := ansi.Strip(f.View())
			if !strings.Contains(v, "block finalizing") {
				t.Fatalf("finalize view of the demo shows no readiness list:\n%s", v)
			}
			uitest.CheckFrame(t, v, size[0], uitest.SectionHeight(size[1]))
			// The selected item reads whole, wrapped, however narrow the terminal.
			first := f.data.Summary.Readiness[0].Text
			if !strings.Contains(strings.Join(strings.Fields(v), " "), first) {
				t.Fatalf("the selected item %q is not shown whole:\n%s", first, v)
			}
			uitest.Golden(t, v)
		})
	}
}

func TestFinalizeRefusesWhileBlocked(t *testing.T) {
	t.Parallel()
	f := New(uitest.Env(t))
	f.SetData(uitest.Demo(t))
	if n := uitest.NoticeOf(t, uitest.Press(f, "s")); !strings.Contains(n, "block finalizing") {
		t.Fatalf("s on a blocked assessment: %q", n)
	}
}

func TestNextTitle(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"2026 HIPAA Security Risk Analysis": "2027 HIPAA Security Risk Analysis",
		"Annual review":                     "Annual review (revision)",
		"FY2025 review":                     "FY2026 review",
	} {
		if got := nextTitle(in); got != want {
			t.Errorf("nextTitle(%q) = %q, want %q", in, got, want)
		}
	}
}
