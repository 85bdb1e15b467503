package assessment

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ParseStateCount reads one state count written XX=N (a USPS code, or unknown, then the
// number of residents), as the CLI's --state and the interface's state field take them.
// The code is upper-cased; whether it is a real jurisdiction and whether the counts add
// up is CheckIncidentFacts's to say.
func ParseStateCount(s string) (StateCount, error) {
	s = strings.TrimSpace(s)
	code, num, ok := strings.Cut(s, "=")
	code, num = strings.TrimSpace(code), strings.TrimSpace(num)
	bad := fmt.Errorf("%q is not XX=N; give the two-letter state code and the number of residents, for example TX=120", s)
	if !ok || num == "" || strings.Trim(num, "0123456789") != "" {
		return StateCount{}, bad
	}
	switch {
	case strings.EqualFold(code, StateUnknown):
		code = StateUnknown
	case len(code) == 2 && strings.Trim(strings.ToUpper(code), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "":
		code = strings.ToUpper(code)
	default:
		return StateCount{}, bad
	}
	n, err := strconv.Atoi(num)
	if err != nil || n > 1<<30 {
		return StateCount{}, fmt.Errorf("%q has a count that is too large", s)
	}
	return StateCount{State: code, Count: n}, nil
}

// ParseStateCounts reads a list of state counts separated by commas or spaces
// ("OH=560, KY=60"), sorted by state; blank text is no states.
func ParseStateCounts(s string) ([]StateCount, error) {
	for strings.Contains(s, " =") || strings.Contains(s, "= ") {
		s = strings.NewReplacer(" =", "=", "= ", "=").Replace(s)
	}
	var out []StateCount
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' }) {
		c, err := ParseStateCount(part)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b StateCount) int { return strings.Compare(a.State, b.State) })
	return out, nil
}

// FormatStateCounts writes state counts as ParseStateCounts reads them: "KY=60, OH=560".
func FormatStateCounts(ss []StateCount) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.State + "=" + strconv.Itoa(s.Count)
	}
	return strings.Join(parts, ", ")
}
