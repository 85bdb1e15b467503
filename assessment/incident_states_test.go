package assessment

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseStateCounts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want []StateCount
		err  string
	}{
		{"", nil, ""},
		{"OH=560, ky=60", []StateCount{{"KY", 60}, {"OH", 560}}, ""},
		{"OH = 560; unknown=12", []StateCount{{"OH", 560}, {StateUnknown, 12}}, ""},
		{"Unknown=3 TX=1", []StateCount{{"TX", 1}, {StateUnknown, 3}}, ""},
		{"Ohio=5", nil, `"Ohio=5" is not XX=N`},
		{"OH", nil, `"OH" is not XX=N`},
		{"OH=-5", nil, "is not XX=N"},
		{"OH=5x", nil, "is not XX=N"},
		{"OH=99999999999", nil, "too large"},
	} {
		got, err := ParseStateCounts(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %v, %v; want %v", c.in, got, err, c.want)
		}
		if again, _ := ParseStateCounts(FormatStateCounts(got)); !reflect.DeepEqual(again, got) {
			t.Errorf("%q does not survive FormatStateCounts: %v", c.in, again)
		}
	}
}

func TestDaysLeft(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{-3: "3 days overdue", -1: "1 day overdue", 0: "due today", 1: "1 day left", 1200: "1,200 days left"} {
		if got := DaysLeft(n); got != want {
			t.Errorf("DaysLeft(%d) = %q, want %q", n, got, want)
		}
	}
}
