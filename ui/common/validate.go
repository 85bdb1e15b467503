package common

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"safeguard/assessment"
)

// Validators for form fields. They check what was typed the way the store will, and say
// in one clause what to do, like the domain's own errors. None of them touches the file
// system or the workspace: checks that need either run when the form is saved.

// Name accepts what assessment.CleanName accepts: a non-empty single-line name.
func Name(what string) func(string) error {
	return func(s string) error {
		_, err := assessment.CleanName(what, s)
		return err
	}
}

// Text accepts free text the store accepts (valid UTF-8, not too long); it may be empty.
func Text(what string) func(string) error {
	return func(s string) error { return assessment.CheckText(what, s) }
}

// Required refuses blank text with msg, then checks it as Text.
func Required(what, msg string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(msg)
		}
		return assessment.CheckText(what, s)
	}
}

// Date accepts a YYYY-MM-DD date; an empty value passes unless required.
func Date(what string, required bool) func(string) error {
	return func(s string) error {
		s = strings.TrimSpace(s)
		if s == "" {
			if required {
				return fmt.Errorf("the %s is empty; write it as YYYY-MM-DD", what)
			}
			return nil
		}
		return assessment.CheckDate(what, s)
	}
}

// DateAfter accepts an optional date that is later than *start when both are given.
func DateAfter(what string, start *string, startWhat string) func(string) error {
	return func(s string) error {
		if err := Date(what, false)(s); err != nil {
			return err
		}
		st, end := strings.TrimSpace(*start), strings.TrimSpace(s)
		if st != "" && end != "" && Date(startWhat, false)(st) == nil && end <= st {
			return fmt.Errorf("the %s must be after the %s (%s)", what, startWhat, st)
		}
		return nil
	}
}

// NoLimit is the upper bound of ParseInt for counts without one.
const NoLimit = math.MaxInt

// ParseInt reads a whole number from lo to hi; blank is 0. Thousands separators are
// allowed ("48,000").
func ParseInt(what string, lo, hi int, s string) (int, error) {
	clean := strings.NewReplacer(",", "", "_", "", " ", "").Replace(s)
	if clean == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(clean)
	if err != nil {
		return 0, fmt.Errorf("the %s %q is not a whole number; type digits only", what, strings.TrimSpace(s))
	}
	if n < lo || n > hi {
		if hi == NoLimit {
			return 0, fmt.Errorf("the %s cannot be below %d; give %d or more", what, lo, lo)
		}
		return 0, fmt.Errorf("the %s must be from %d to %d", what, lo, hi)
	}
	return n, nil
}

// Int is ParseInt as a field validator.
func Int(what string, lo, hi int) func(string) error {
	return func(s string) error {
		_, err := ParseInt(what, lo, hi, s)
		return err
	}
}

// Names splits a comma-separated list of names and checks each one.
func Names(what, s string) ([]string, error) {
	out := []string{}
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		name, err := assessment.CleanName(what, part)
		if err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, nil
}
