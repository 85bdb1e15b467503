package assessment

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// This file is the one home of the words and number formats people read. Screens, the
// PDF, the CSV, the OSCAL writer and the CLI all call these; none formats a percentage, a
// size or a date its own way, so the same figure reads the same everywhere.

// Percent writes a share (0 to 1) as a whole percentage. The rule: round to the nearest
// whole percent, except that a share above 0 never shows as "0%" and a share below 1 never
// shows as "100%", so a figure never claims none or all when that is not so.
func Percent(share float64) string { return strconv.Itoa(PercentValue(share)) + "%" }

// PercentValue is Percent's number, for places that lay out the digits themselves.
func PercentValue(share float64) int {
	if !(share > 0) {
		return 0
	}
	if share >= 1 {
		return 100
	}
	p := int(math.Floor(share*100 + 0.5))
	return min(max(p, 1), 99)
}

// Byte-size units. Sizes are written in SI (decimal) units everywhere: 1 KB = 1000 bytes,
// 1 MB = 1000 KB, as file managers on macOS and most of the web do. ParseSize also reads
// the binary KiB/MiB/GiB a user may type.
const (
	KB int64 = 1000
	MB       = 1000 * KB
	GB       = 1000 * MB
)

// FormatSize writes a byte count for people: "512 bytes", "64.2 MB", "1.5 GB".
func FormatSize(n int64) string {
	switch {
	case n == 1:
		return "1 byte"
	case n < KB:
		return strconv.FormatInt(n, 10) + " bytes"
	case n < MB:
		return oneDecimal(float64(n)/float64(KB)) + " KB"
	case n < GB:
		return oneDecimal(float64(n)/float64(MB)) + " MB"
	}
	return oneDecimal(float64(n)/float64(GB)) + " GB"
}

func oneDecimal(f float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0")
}

// ParseSize reads a size such as 250MB, 1.5 GB, 100MiB or 1048576 (bytes). KB, MB and GB
// are decimal; KiB, MiB and GiB binary.
func ParseSize(s string) (int64, error) {
	bad := fmt.Errorf("%q is not a size; write it like 250MB or 1GB", s)
	t := strings.ToLower(strings.TrimSpace(s))
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	mult := map[string]float64{"": 1, "b": 1, "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30}[unit]
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || mult == 0 || !(v >= 0) || math.IsInf(v, 0) || v*mult > math.MaxInt64/2 {
		return 0, bad
	}
	return int64(v * mult), nil
}

// Date formats. Documents people read (PDF, screens, CLI tables) write a calendar day one
// way, DocDate; files that programs read (CSV, JSON, OSCAL) use ISO 8601.
const (
	docDateLayout = "Jan 2, 2006"
	isoDateLayout = "2006-01-02"
)

// DocDate writes a time's calendar day (in UTC) for documents: "Mar 31, 2026". The zero
// time gives "".
func DocDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(docDateLayout)
}

// DocDay writes a stored YYYY-MM-DD date for documents; "" stays "" and a value that does
// not parse is returned unchanged, so bad data shows as it is rather than disappearing.
func DocDay(s string) string {
	if s == "" {
		return ""
	}
	t, err := ParseDate(s)
	if err != nil {
		return s
	}
	return t.Format(docDateLayout)
}

// DocTime writes an instant for documents, to the minute in UTC: "Mar 31, 2026 14:05 UTC".
func DocTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(docDateLayout + " 15:04 UTC")
}

// ISODate writes a time's calendar day (in UTC) as YYYY-MM-DD for machine outputs.
func ISODate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(isoDateLayout)
}

// ISOTime writes an instant as RFC 3339 in UTC, to the second, for machine outputs.
func ISOTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// FormatInt writes n with thousands separators: 1,142.
func FormatInt(n int) string {
	if n < 0 {
		return "-" + FormatInt(-n)
	}
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Plural writes "1 item" or "3 items".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return FormatInt(n) + " " + many
}

// Short is the status in one or two words, for table cells and answer rows; "Not
// answered" for no answer. Label is the full form.
func (s ResponseStatus) Short() string {
	switch s {
	case Implemented:
		return "Implemented"
	case Partial:
		return "Partial"
	case NotImplemented:
		return "Not implemented"
	case NotApplicable:
		return "Not applicable"
	case Flagged:
		return "Flagged"
	case Inherited:
		return "Inherited"
	}
	return "Not answered"
}

// Phrase is the status in lower case for a sentence ("Saved partially implemented for
// …"); "not answered" for no answer.
func (s ResponseStatus) Phrase() string {
	switch s {
	case Implemented:
		return "implemented"
	case Partial:
		return "partially implemented"
	case NotImplemented:
		return "not implemented"
	case NotApplicable:
		return "not applicable"
	case Flagged:
		return "flagged"
	case Inherited:
		return "inherited"
	}
	return "not answered"
}

// Short is a vendor issue in two or three words, for table cells and answer rows; Text
// is the full sentence.
func (i VendorIssue) Short() string {
	switch i.Kind {
	case IssueBAAMissing:
		return "no signed BAA"
	case IssueBAAExpired:
		return "BAA expired"
	case IssueAttestationLapsed:
		return "attestation lapsed"
	case IssueSOC2Only:
		return "SOC 2 only"
	case IssueNoAttestation:
		return "no attestation"
	case IssueNoProvider:
		return "no vendor named"
	}
	return i.Kind
}

// Short is a level's abbreviation, for matrix axes and cells: "VL", "L", "M", "H", "VH";
// "" when not rated.
func (l Level) Short() string {
	switch l {
	case LevelVeryLow:
		return "VL"
	case LevelLow:
		return "L"
	case LevelModerate, LevelMedium:
		return "M"
	case LevelHigh:
		return "H"
	case LevelVeryHigh:
		return "VH"
	}
	return ""
}

// BAAChoices are the BAA statuses in display order, with labels.
var BAAChoices = []Choice{
	{string(BAANone), "No BAA"},
	{string(BAARequested), "Requested, not signed yet"},
	{string(BAASigned), "Signed"},
	{string(BAAExpired), "Expired or terminated"},
}

// Label is the BAA status as people read it.
func (b BAAStatus) Label() string { return ChoiceLabel(BAAChoices, string(b)) }

// EncryptionShort is an encryption-at-rest value in a word or two, for table cells;
// "not recorded" when none is.
func EncryptionShort(v string) string {
	switch v {
	case EncNone:
		return "none"
	case EncProviderManaged:
		return "provider keys"
	case EncCustomerManaged:
		return "customer KMS"
	case EncCustomerHeld:
		return "customer-held"
	case "":
		return "not recorded"
	}
	return v
}

// AttestationShort is an attestation kind in a word or two ("SOC 2 II"), for table cells.
func AttestationShort(kind string) string {
	switch kind {
	case AttHITRUSTr2:
		return "HITRUST r2"
	case AttHITRUSTi1:
		return "HITRUST i1"
	case AttHITRUSTe1:
		return "HITRUST e1"
	case AttSOC2Type2:
		return "SOC 2 II"
	case AttISO27001:
		return "ISO 27001"
	}
	return kind
}

// Label is the §164.306(d)(3) decision as people read it; "No decision" when none.
func (d Decision) Label() string {
	if d == DecisionNone {
		return "No decision"
	}
	return ChoiceLabel(Decisions, string(d))
}

// NotRecorded is what documents print for a value nobody has recorded.
const NotRecorded = "Not recorded"

// LabelOr is the label of value v among choices (ChoiceLabel), or none when v is empty.
func LabelOr(choices []Choice, v, none string) string {
	if v == "" {
		return none
	}
	return ChoiceLabel(choices, v)
}

// OrganizationWide is how an item that concerns no single asset is named.
const OrganizationWide = "Organization-wide"

// DaysLeft writes the days until a deadline, as Duty.DaysLeft counts them: "12 days left",
// "1 day left", "due today", "3 days overdue".
func DaysLeft(n int) string {
	switch {
	case n < 0:
		return Plural(-n, "day", "days") + " overdue"
	case n == 0:
		return "due today"
	}
	return Plural(n, "day", "days") + " left"
}
