package common

import (
	"strings"
	"testing"

	"safeguard/assessment"
)

func TestValidators(t *testing.T) {
	t.Parallel()
	date := Date("expiry date", true)
	for v, ok := range map[string]bool{"2026-02-28": true, " 2026-02-28 ": true, "": false, "2026-02-30": false, "2026/02/01": false, "26-2-1": false} {
		if err := date(v); (err == nil) != ok {
			t.Errorf("required date %q: %v", v, err)
		}
	}
	if err := Date("period start", false)(""); err != nil {
		t.Errorf("optional empty date refused: %v", err)
	}
	start := "2026-01-01"
	end := DateAfter("period end", &start, "period start")
	for v, ok := range map[string]bool{"2026-12-31": true, "": true, "2026-01-01": false, "2025-12-31": false, "soon": false} {
		if err := end(v); (err == nil) != ok {
			t.Errorf("period end %q after %s: %v", v, start, err)
		}
	}
	names, err := Names("assessor name", " Dana Whitfield, ,Marcus Oyelaran ")
	if err != nil || len(names) != 2 || names[0] != "Dana Whitfield" || names[1] != "Marcus Oyelaran" {
		t.Errorf("assessors: %q %v", names, err)
	}
	if _, err := Names("assessor name", "Dana, "+strings.Repeat("x", assessment.MaxNameLen+1)); err == nil {
		t.Error("an over-long assessor name passed")
	} else if !strings.HasPrefix(err.Error(), "the assessor name") {
		t.Errorf("assessor error does not name the field: %v", err)
	}
	for v, want := range map[string]int{"": 0, "0": 0, "48000": 48000, "48,000": 48000, " 12 ": 12} {
		if n, err := ParseInt("record count", 0, NoLimit, v); err != nil || n != want {
			t.Errorf("record count %q: %d %v", v, n, err)
		}
	}
	for _, v := range []string{"-1", "lots", "1.5"} {
		if _, err := ParseInt("record count", 0, NoLimit, v); err == nil {
			t.Errorf("record count %q passed", v)
		}
	}
	for v, ok := range map[string]bool{"0": true, "60": true, "365": true, "366": false, "-1": false} {
		if err := Int("breach notice", 0, 365)(v); (err == nil) != ok {
			t.Errorf("breach notice %q: %v", v, err)
		}
	}
	if err := Name("asset name")("  "); err == nil || !strings.HasPrefix(err.Error(), "the asset name is empty") {
		t.Errorf("empty asset name: %v", err)
	}
	if err := Name("asset name")("EHR\x07"); err == nil || !strings.HasPrefix(err.Error(), "the asset name contains a control character") {
		t.Errorf("asset name with a control character: %v", err)
	}
	if err := Required("reason", "say why")(" "); err == nil || err.Error() != "say why" {
		t.Errorf("blank required text: %v", err)
	}
	if err := Text("note")(strings.Repeat("x", assessment.MaxTextLen+1)); err == nil {
		t.Error("an over-long note passed")
	}
}

// FuzzValues feeds arbitrary text to the number and date validators of the forms: record
// counts (0 and up), breach-notice days (0 to 365) and YYYY-MM-DD dates. No input may
// panic; a refusal is one line; an accepted number is in its range and FormatInt prints it.
//
//	go test ./ui/common -run XXX -fuzz '^FuzzValues$' -fuzztime 20s
func FuzzValues(f *testing.F) {
	for _, s := range []string{"", "0", "12000", "48,000", "1_000", " 7 ", "-1", "366", "365", "1e3", "0x10", "+5",
		"٣", "９", "99999999999999999999", "9223372036854775807", "-9223372036854775808", "2025-02-29", "2024-02-29", "2025-2-1", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range []struct{ lo, hi int }{{0, NoLimit}, {0, 365}} {
			n, err := ParseInt("value", r.lo, r.hi, s)
			if err != nil {
				if msg := err.Error(); msg == "" || strings.ContainsAny(msg, "\r\n") {
					t.Fatalf("ParseInt(%q): error %q is not one line", s, msg)
				}
				continue
			}
			if n < r.lo || n > r.hi {
				t.Fatalf("ParseInt(%q, %d..%d) = %d, out of range", s, r.lo, r.hi, n)
			}
			if d := assessment.FormatInt(n); d == "" || strings.ContainsAny(d, "-\n") {
				t.Fatalf("FormatInt(%d) = %q", n, d)
			}
		}
		for _, required := range []bool{false, true} {
			err := Date("date", required)(s)
			if err != nil && (err.Error() == "" || strings.ContainsAny(err.Error(), "\r\n")) {
				t.Fatalf("Date(%q): error %q is not one line", s, err)
			}
			if err == nil && strings.TrimSpace(s) == "" && required {
				t.Fatalf("Date accepted an empty required date")
			}
		}
	})
}
