package assessment

import (
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	t.Parallel()
	for share, want := range map[float64]string{
		0: "0%", -1: "0%", 0.001: "1%", 0.004: "1%", 0.125: "13%", 0.5: "50%", 0.994: "99%",
		0.996: "99%", 0.9999: "99%", 1: "100%", 1.2: "100%",
	} {
		if got := Percent(share); got != want {
			t.Errorf("Percent(%v) = %q, want %q", share, got, want)
		}
	}
}

func TestFormatSize(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{
		0: "0 bytes", 1: "1 byte", 999: "999 bytes", 1000: "1 KB", 1_500_000: "1.5 MB",
		64 << 20: "67.1 MB", 1 << 30: "1.1 GB", 2_000_000_000: "2 GB",
	} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestDates(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 31, 23, 30, 0, 0, time.FixedZone("x", -5*3600))
	if got := DocDate(at); got != "Apr 1, 2026" {
		t.Errorf("DocDate = %q (documents use the UTC day)", got)
	}
	if got := ISODate(at); got != "2026-04-01" {
		t.Errorf("ISODate = %q", got)
	}
	if got := DocDay("2026-02-03"); got != "Feb 3, 2026" {
		t.Errorf("DocDay = %q", got)
	}
	if got := DocDay("soon"); got != "soon" {
		t.Errorf("DocDay keeps what it cannot read, got %q", got)
	}
	if DocDate(time.Time{}) != "" || ISOTime(time.Time{}) != "" {
		t.Error("the zero time should format as empty")
	}
	if got := FormatInt(1142); got != "1,142" {
		t.Errorf("FormatInt = %q", got)
	}
}

func TestLabelOr(t *testing.T) {
	t.Parallel()
	if got := LabelOr(Sizes, "", NotRecorded); got != "Not recorded" {
		t.Errorf("empty value: %q", got)
	}
	if got := LabelOr(Sizes, "small", NotRecorded); got != "Small (1–50 workforce members)" {
		t.Errorf("known value: %q", got)
	}
	if got := LabelOr(Sizes, "huge", NotRecorded); got != "huge" {
		t.Errorf("unknown value shows as it is: %q", got)
	}
}
