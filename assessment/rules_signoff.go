package assessment

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The rule for a sign-off statement. An attestation is a sentence a person stands behind,
// so it must read as one:
//
//   - at least MinStatementWords words (a word has at least one letter): the shortest
//     honest attestation, "I confirm this risk analysis is complete and accurate.", has
//     nine, while "ok", "approved" or "signed off by me." have one to four;
//   - at least MinStatementDistinct different words, so "ok ok ok ok ok ok ok ok." is not
//     a sentence;
//   - it ends with a full stop, as a declarative sentence does;
//   - at most MaxStatementLen characters, printable (line breaks allowed).
const (
	MinStatementWords    = 8
	MinStatementDistinct = 5
	MaxStatementLen      = 2000
)

// CheckStatement applies the sign-off statement rule and returns one sentence saying what
// is missing.
func CheckStatement(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return fmt.Errorf("the sign-off statement is empty; write a sentence saying what you attest, e.g. \"I have reviewed this risk analysis and confirm it reflects our systems and safeguards.\"")
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("the sign-off statement is not valid UTF-8 text; retype it")
	}
	if n := utf8.RuneCountInString(s); n > MaxStatementLen {
		return fmt.Errorf("the sign-off statement is %d characters long; shorten it to %d", n, MaxStatementLen)
	}
	if p := textProblem(s, true); p != "" {
		return fmt.Errorf("the sign-off statement contains %s; remove it", p)
	}
	words, distinct := 0, map[string]bool{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '\'' && r != '’' }) {
		if strings.IndexFunc(w, unicode.IsLetter) < 0 {
			continue
		}
		words++
		distinct[strings.ToLower(w)] = true
	}
	if words < MinStatementWords || len(distinct) < MinStatementDistinct {
		return fmt.Errorf("the sign-off statement %q is not a sentence of attestation; write at least %d words saying what you reviewed and confirm", clip(s, 40), MinStatementWords)
	}
	if !strings.HasSuffix(s, ".") {
		return fmt.Errorf("the sign-off statement does not end with a full stop; finish the sentence with a period")
	}
	return nil
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// CheckSignOff validates a sign-off before it is recorded. lastWork is the assessment's
// last recorded change and now the clock; days are judged in now's location, the signer's
// calendar. The date may not be before the day of the last recorded work (the signer
// cannot attest to work not yet done) nor after today. An approver, when given, is named,
// has a role, is not the signer, and dated within the same bounds.
func CheckSignOff(so SignOff, lastWork, now time.Time) error {
	for _, f := range []struct{ what, v string }{{"signer's name", so.Name}, {"signer's role", so.Role}} {
		if _, err := CleanName(f.what, f.v); err != nil {
			return err
		}
	}
	if err := CheckStatement(so.Statement); err != nil {
		return err
	}
	if err := checkSignDate("sign-off date", so.Date, lastWork, now); err != nil {
		return err
	}
	ap := so.Approver
	if ap == nil {
		return nil
	}
	for _, f := range []struct{ what, v string }{{"approver's name", ap.Name}, {"approver's role", ap.Role}} {
		if _, err := CleanName(f.what, f.v); err != nil {
			return err
		}
	}
	if strings.EqualFold(strings.TrimSpace(ap.Name), strings.TrimSpace(so.Name)) {
		return fmt.Errorf("the approver is the signer (%s); approval must come from someone else, such as the practice owner, or leave the approver out", so.Name)
	}
	return checkSignDate("approval date", ap.Date, lastWork, now)
}

// checkSignDate checks a sign-off or approval date against the last recorded work and today.
func checkSignDate(what, date string, lastWork, now time.Time) error {
	d, err := ParseDate(date)
	if err != nil {
		return fmt.Errorf("the %s %q is not a date; write it as YYYY-MM-DD", what, date)
	}
	loc := now.Location()
	today := day(now.In(loc))
	if d.After(today) {
		return fmt.Errorf("the %s %s is after today (%s); sign with today's date or an earlier one", what, date, today.Format(dateLayout))
	}
	if !lastWork.IsZero() {
		if last := day(lastWork.In(loc)); d.Before(last) {
			return fmt.Errorf("the %s %s is before the last recorded work on the assessment (%s); date it on or after that day", what, date, last.Format(dateLayout))
		}
	}
	return nil
}
