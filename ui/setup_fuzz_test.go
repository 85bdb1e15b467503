package ui

import (
	"strings"
	"testing"
)

// FuzzSetupValues feeds arbitrary text to the setup wizard's number and date fields
// (issue 8): record counts (0 and up), breach-notice days (0 to 365) and YYYY-MM-DD dates.
// No input may panic; a refusal is one sentence; an accepted number is in its range and
// an accepted date is a real calendar date; setupDigits prints any count it accepts.
//
//	go test ./ui -run XXX -fuzz '^FuzzSetupValues$' -fuzztime 20s
func FuzzSetupValues(f *testing.F) {
	for _, s := range []string{"", "0", "12000", "48,000", "1_000", " 7 ", "-1", "366", "365", "1e3", "0x10", "+5",
		"٣", "９", "99999999999999999999", "9223372036854775807", "-9223372036854775808", "2025-02-29", "2024-02-29", "2025-2-1", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range []struct{ lo, hi int }{{0, setupMaxInt}, {0, 365}} {
			n, err := setupInt("value", r.lo, r.hi, s)
			if err != nil {
				if msg := err.Error(); msg == "" || strings.ContainsAny(msg, "\r\n") {
					t.Fatalf("setupInt(%q): error %q is not one line", s, msg)
				}
				continue
			}
			if n < r.lo || n > r.hi {
				t.Fatalf("setupInt(%q, %d..%d) = %d, out of range", s, r.lo, r.hi, n)
			}
			if d := setupDigits(n); d == "" || strings.ContainsAny(d, "-\n") {
				t.Fatalf("setupDigits(%d) = %q", n, d)
			}
		}
		for _, required := range []bool{false, true} {
			err := setupDate("date", required)(s)
			if err != nil && (err.Error() == "" || strings.ContainsAny(err.Error(), "\r\n")) {
				t.Fatalf("setupDate(%q): error %q is not one line", s, err)
			}
			if err == nil && strings.TrimSpace(s) == "" && required {
				t.Fatalf("setupDate accepted an empty required date")
			}
		}
	})
}
