package assessment

import (
	"fmt"
	"strings"
)

// SOC2CurrentMonths is how long a SOC 2 Type II report is treated as current after the end
// of the period it examined. A SOC 2 report has no expiry of its own; relying parties
// commonly accept it for twelve months after the period end (a bridge letter covers the
// gap until the next report), so that is the expiry recorded for it.
const SOC2CurrentMonths = 12

// AttestationAsksPeriodEnd reports whether an attestation is dated by the end of the period
// it examined (SOC 2 Type II) rather than by the expiry printed on a certificate (HITRUST,
// ISO 27001). A form asks the one date that fits.
func AttestationAsksPeriodEnd(kind string) bool { return kind == AttSOC2Type2 }

// DateAttestation fills an attestation's dates from the one date asked for its kind: for a
// SOC 2 Type II report the period end, from which the expiry follows
// (SOC2CurrentMonths later); for the others the expiry, and no period end.
func DateAttestation(kind, date string) (Attestation, error) {
	date = strings.TrimSpace(date)
	a := Attestation{Kind: kind}
	if !hasChoice(AttestationChoices, kind) {
		return a, fmt.Errorf("attestation %q is not one of %s", kind, choiceList(AttestationChoices))
	}
	if !AttestationAsksPeriodEnd(kind) {
		if date == "" {
			return a, fmt.Errorf("the %s attestation needs its expiry date (YYYY-MM-DD)", ChoiceLabel(AttestationChoices, kind))
		}
		a.Expires = date
		return a, CheckDate("attestation expiry", date)
	}
	if date == "" {
		return a, fmt.Errorf("the SOC 2 Type II report needs the end of the period it examined (YYYY-MM-DD)")
	}
	end, err := ParseDate(date)
	if err != nil {
		return a, CheckDate("end of the examined period", date)
	}
	a.PeriodEnd, a.Expires = date, ISODate(end.AddDate(0, SOC2CurrentMonths, 0))
	return a, nil
}

// AttestationDate is the one date a form shows for an attestation: the period end of a
// SOC 2 Type II report, the expiry of the others.
func AttestationDate(a Attestation) string {
	if AttestationAsksPeriodEnd(a.Kind) && a.PeriodEnd != "" {
		return a.PeriodEnd
	}
	return a.Expires
}
