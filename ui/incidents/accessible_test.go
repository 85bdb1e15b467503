package incidents

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"safeguard/assessment"
	"safeguard/ui/uitest"
)

// script runs the accessible register on a fresh demo workspace with the lines given as
// input, and returns the output and the error.
func script(t *testing.T, lines ...string) (string, *bench, error) {
	t.Helper()
	b := newBench(t)
	var out bytes.Buffer
	err := Accessible(uitest.StoreEnv(t, b.s), b.id, strings.NewReader(strings.Join(lines, "\n")+"\n"), &out)
	if strings.ContainsRune(out.String(), '\x1b') {
		t.Fatalf("the accessible output holds an escape sequence:\n%q", out.String())
	}
	return out.String(), b, err
}

// newIncidentAnswers record "Lost USB stick", after a refused date, with three people's
// names and lab results; it is the register's first action.
var newIncidentAnswers = []string{
	"1",              // Record a new incident
	"Lost USB stick", // title
	"",               // what happened: blank
	"",               // type: keep "not stated"
	"",               // ransomware: keep no
	"2026-02-30",     // discovered: refused
	"2026-09-10",     //   again
	"",               // discovered by: keep the practice
	"",               // found by
	"", "",           // occurred from, to
	"", "", // assets, vendors: keep none
	"1,11", // names, lab results
	"",     // Part 2: keep no
	"",     // individuals: blank (the states' sum)
	"OH=3", // states
}

// TestAccessibleWalk records an incident and its conclusion through the plain prompts:
// a refused date asks again, a bare Enter in a menu chooses nothing, each step is saved
// in the store, and no escape sequence is written.
func TestAccessibleWalk(t *testing.T) {
	t.Parallel()
	in := append(append([]string{}, newIncidentAnswers...),
		"",  // a bare Enter at the incident's menu: nothing is chosen
		"6", // Record the conclusion
		"5", // not PHI
		"No PHI was on the stick after all.",
		"",           // concluded by: keep
		"2026-09-30", // concluded on (the store's clock is the tests' fixed day)
		"1",          // read the record
		"13",         // back to the list
		"3",          // back to the main menu
	)
	out, b, err := script(t, in...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"is not a date", "Type it again", "Nothing was chosen", "Recorded the incident; its clocks are running.",
		"Saved the conclusion.", "Notification clocks as of", "What the record still lacks", "never deleted",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("the output lacks %q:\n%s", want, out)
		}
	}
	inc := b.stored()
	if inc.Title != "Lost USB stick" || inc.Discovered != "2026-09-10" || inc.Individuals != 3 ||
		len(inc.Data) != 2 || inc.Data[1] != "lab" {
		t.Fatalf("stored: %+v", inc)
	}
	if c := inc.Conclusion; c == nil || c.Outcome != assessment.OutcomeNotPHI || c.By != "tester" || c.On != "2026-09-30" {
		t.Fatalf("conclusion: %+v", c)
	}
}

// TestAccessibleEndOfInput: input that ends in the middle of a form saves nothing and
// ends the flow with ErrEndOfInput, as it does at a menu.
func TestAccessibleEndOfInput(t *testing.T) {
	t.Parallel()
	out, b, err := script(t, "1", "Half typed")
	if !errors.Is(err, ErrEndOfInput) {
		t.Fatalf("end of input gave %v\n%s", err, out)
	}
	if incs, _ := b.s.Incidents(uitest.Ctx, b.id); len(incs) != 0 {
		t.Fatal("a half-answered form was saved")
	}
	if _, _, err := script(t); !errors.Is(err, ErrEndOfInput) {
		t.Fatalf("end of input at the menu gave %v", err)
	}
}

// TestAccessibleRefusalOffersToChange: what the domain refuses on saving is said in a
// sentence, the answers are kept, and the user may change them or leave.
func TestAccessibleRefusalOffersToChange(t *testing.T) {
	t.Parallel()
	in := append(append([]string{}, newIncidentAnswers...),
		"6", "2", // a low probability of compromise, without the factors
		"Nobody opened it.", "", "2026-09-30",
		"2",  // leave this step
		"13", // back
		"3",
	)
	out, b, err := script(t, in...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "Not saved: A low probability of compromise needs all four factors") ||
		!strings.Contains(out, "Change the answers (they are kept)") {
		t.Fatalf("the refusal:\n%s", out)
	}
	if b.stored().Conclusion != nil {
		t.Fatal("a refused conclusion was saved")
	}
}

// TestAccessibleMemo writes the memo from the plain prompts and reports its path and
// SHA-256.
func TestAccessibleMemo(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "memo.pdf")
	in := append(append([]string{}, newIncidentAnswers...),
		"12", path, "", // the memo, at path, not overwriting
		"13", "3",
	)
	out, _, err := script(t, in...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	content, rerr := os.ReadFile(path)
	if rerr != nil {
		t.Fatalf("no memo: %v\n%s", rerr, out)
	}
	sum := sha256.Sum256(content)
	if !strings.Contains(out, "Wrote a draft memo") || !strings.Contains(out, hex.EncodeToString(sum[:])) {
		t.Fatalf("the output does not report the memo:\n%s", out)
	}
}
