package assessment

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"safeguard/controls"
)

// This file holds the records that show how the analysis was done, as HHS's guidance and
// NIST SP 800-30 Rev. 1 (Appendix K) expect a risk analysis to document them: how the data
// was collected (interviews, documents, walkthroughs, technical tests), what was assumed and
// what limited the work, how often the analysis is reviewed, which threat sources were ruled
// out and why, why a gap leads to no risk, and that each vendor was reviewed.

// Kinds of data-collection records.
const (
	MethodInterview   = "interview"   // who was asked, in what role, when
	MethodDocument    = "document"    // a policy, contract, log or report that was read
	MethodWalkthrough = "walkthrough" // a site visit: where and when
	MethodTest        = "test"        // a technical test: scan, configuration review, …
	MethodAssumption  = "assumption"  // something taken as true without checking it
	MethodLimitation  = "limitation"  // something that limited what could be checked
)

// MethodKinds in the order a method section lists them (NIST SP 800-30 Appendix K puts
// the sources of information before the assumptions and constraints).
var MethodKinds = []Choice{
	{MethodInterview, "Interviews"},
	{MethodDocument, "Documents reviewed"},
	{MethodWalkthrough, "Site walkthroughs"},
	{MethodTest, "Technical tests"},
	{MethodAssumption, "Assumptions"},
	{MethodLimitation, "Limitations"},
}

// Kinds of technical test.
var TestKinds = []Choice{
	{"scan", "Vulnerability scan"},
	{"config-review", "Configuration review"},
	{"penetration-test", "Penetration test"},
	{"restore-test", "Backup restore test"},
	{"phishing-test", "Phishing simulation"},
	{"other", "Other test"},
}

// MethodEntry is one record of how the analysis collected its data, or one assumption or
// limitation. Which fields a kind needs is decided by CheckMethodEntry.
type MethodEntry struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Who      string `json:"who,omitempty"`       // interview: the person asked
	Role     string `json:"role,omitempty"`      // interview: their role
	Title    string `json:"title,omitempty"`     // document: its title
	Where    string `json:"where,omitempty"`     // walkthrough: the site or room
	TestKind string `json:"test_kind,omitempty"` // test: one of TestKinds
	Tool     string `json:"tool,omitempty"`      // test: the tool or method used
	Scope    string `json:"scope,omitempty"`     // test: what it covered
	Date     string `json:"date,omitempty"`      // YYYY-MM-DD
	Text     string `json:"text,omitempty"`      // topics, findings, or the assumption or limitation itself
}

// CheckMethodEntry validates a data-collection record against its kind: an interview
// names who was asked, their role and the day; a document its title; a walkthrough where
// and when; a test its kind, tool, scope and day; an assumption or limitation its text.
// Dates may not be after today (unless today is zero), since a record describes work
// already done.
func CheckMethodEntry(e MethodEntry, today time.Time) error {
	need := func(what, v string) error {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("a%s %s record needs %s; add it", article(e.Kind), e.Kind, what)
		}
		return nil
	}
	var errs []error
	switch e.Kind {
	case MethodInterview:
		errs = []error{need("the person interviewed (--who)", e.Who), need("their role (--role)", e.Role), need("the date (--date)", e.Date)}
	case MethodDocument:
		errs = []error{need("the document's title (--title)", e.Title)}
	case MethodWalkthrough:
		errs = []error{need("where it took place (--where)", e.Where), need("the date (--date)", e.Date)}
	case MethodTest:
		errs = []error{need("the kind of test (--kind)", e.TestKind), need("the tool or method (--tool)", e.Tool),
			need("what it covered (--scope)", e.Scope), need("the date (--date)", e.Date)}
		if e.TestKind != "" && !hasChoice(TestKinds, e.TestKind) {
			errs = append(errs, fmt.Errorf("test kind %q is unknown; use one of %s", e.TestKind, choiceList(TestKinds)))
		}
	case MethodAssumption, MethodLimitation:
		errs = []error{need("its text (--text)", e.Text)}
	default:
		return fmt.Errorf("record kind %q is unknown; use one of %s", e.Kind, choiceList(MethodKinds))
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	for what, v := range map[string]string{"name": e.Who, "role": e.Role, "title": e.Title, "place": e.Where, "tool": e.Tool} {
		if v != "" {
			if _, err := CleanName(what, v); err != nil {
				return err
			}
		}
	}
	for what, v := range map[string]string{"scope": e.Scope, "text": e.Text} {
		if err := CheckText(what, v); err != nil {
			return err
		}
	}
	if err := CheckDate("date", e.Date); err != nil {
		return err
	}
	if d, err := ParseDate(e.Date); err == nil && !today.IsZero() && d.After(day(today)) {
		return fmt.Errorf("the date %s is after today; record work that has been done", e.Date)
	}
	return nil
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "n"
	}
	return ""
}

// Review cadences: how often the analysis is reviewed. The Security Rule sets no interval
// (§164.308(a)(1)(ii)(A) and (B) ask for an accurate, current analysis; §164.316(b)(2)(iii)
// periodic review of documentation); yearly is the common practice.
var ReviewCadences = []Choice{
	{"quarterly", "Every three months"},
	{"semiannual", "Every six months"},
	{"annual", "Every year"},
	{"biennial", "Every two years"},
}

// CadenceMonths is the number of months between reviews for a cadence; 0 for an unknown one.
func CadenceMonths(c string) int {
	return map[string]int{"quarterly": 3, "semiannual": 6, "annual": 12, "biennial": 24}[c]
}

// ReviewTriggers are the events that call for a review before the next scheduled one.
var ReviewTriggers = []Choice{
	{"new-system", "A new system, service or device that handles ePHI"},
	{"vendor-change", "A new or changed business associate or cloud provider"},
	{"security-incident", "A security incident or breach"},
	{"move-or-expansion", "An office move, a new site or a merger"},
	{"staff-change", "A change of security official or IT provider"},
	{"regulation-change", "A change in the law or in HHS guidance"},
	{"audit-finding", "An audit or assessment finding"},
}

// ReviewPlan is how the analysis is kept current (HHS/OCR element 9): how often it is
// reviewed, when next, and which events call for an earlier review.
type ReviewPlan struct {
	Cadence  string   `json:"cadence,omitempty"`
	Next     string   `json:"next,omitempty"`     // YYYY-MM-DD
	Triggers []string `json:"triggers,omitempty"` // ReviewTriggers values, or the assessor's own words
}

// CheckReviewPlan validates a review plan.
func CheckReviewPlan(p ReviewPlan) error {
	if p.Cadence != "" && !hasChoice(ReviewCadences, p.Cadence) {
		return fmt.Errorf("review cadence %q is unknown; use one of %s", p.Cadence, choiceList(ReviewCadences))
	}
	if err := CheckDate("next review date", p.Next); err != nil {
		return err
	}
	for _, t := range p.Triggers {
		if _, err := CleanName("review trigger", t); err != nil {
			return err
		}
	}
	return nil
}

// TriggerLabel is a trigger as people read it: the label of a known trigger, or the
// assessor's own words.
func TriggerLabel(t string) string { return ChoiceLabel(ReviewTriggers, t) }

// Approver is the person who approves the analysis on management's behalf, separate from
// the assessor who signs it.
type Approver struct {
	Name string `json:"name"`
	Role string `json:"role"`
	Date string `json:"date"` // YYYY-MM-DD
}

// NoRiskReason records why a gap leads to no risk: the per-gap half of the gap-to-risk
// traceability (every gap is traced to a confirmed risk or carries one of these).
type NoRiskReason struct {
	QuestionID string `json:"question_id"`
	AssetID    string `json:"asset_id,omitempty"`
	Reason     string `json:"reason"`
}

// Key is the item the reason belongs to.
func (n NoRiskReason) Key() ItemKey { return ItemKey{n.QuestionID, n.AssetID} }

// ThreatRuling rules out a whole threat source or one threat event of the library, with
// the reason: the "considered and ruled out" half of the threat list. ThreatID "" rules out
// the whole source.
type ThreatRuling struct {
	Source   string `json:"source"`
	ThreatID string `json:"threat_id,omitempty"`
	Reason   string `json:"reason"`
}

// Key identifies a ruling within an assessment: the threat, or the source.
func (r ThreatRuling) Key() string {
	if r.ThreatID != "" {
		return r.ThreatID
	}
	return r.Source
}

// ThreatSources are NIST SP 800-30's threat-source classes, in the order documents list
// them.
var ThreatSources = []Choice{
	{controls.SourceHumanDeliberate, "Human, deliberate (adversarial)"},
	{controls.SourceHumanAccidental, "Human, accidental"},
	{controls.SourceTechnical, "Technical (structural)"},
	{controls.SourceEnvironmental, "Environmental"},
	{controls.SourceNatural, "Natural"},
}

// CheckThreatRuling validates a ruling against the catalog's threat library and returns it
// with its source filled in from the threat when only the threat was given.
func CheckThreatRuling(cat *controls.Catalog, r ThreatRuling) (ThreatRuling, error) {
	if strings.TrimSpace(r.Reason) == "" {
		return r, fmt.Errorf("ruling out a threat needs the reason; say why it cannot reasonably happen here")
	}
	if err := CheckText("reason", r.Reason); err != nil {
		return r, err
	}
	if r.ThreatID == "" {
		if !hasChoice(ThreatSources, r.Source) {
			return r, fmt.Errorf("threat source %q is unknown and no threat was named; use one of %s, or a threat ID from the library", r.Source, choiceList(ThreatSources))
		}
		return r, nil
	}
	th, ok := LibraryThreat(cat, r.ThreatID)
	if !ok {
		return r, fmt.Errorf("threat %q is not in the threat library; see `safeguard threats`", r.ThreatID)
	}
	if r.Source != "" && r.Source != th.Source {
		return r, fmt.Errorf("threat %s is a %s threat, not %s; leave out the source or give %s", th.ID, th.Source, r.Source, th.Source)
	}
	r.Source = th.Source
	return r, nil
}

// LibraryThreat finds a threat event by ID anywhere in the threat library (the same
// threat can appear under several vulnerabilities, always with the same title and source).
func LibraryThreat(cat *controls.Catalog, id string) (controls.Threat, bool) {
	if cat == nil {
		return controls.Threat{}, false
	}
	for _, v := range cat.Vulnerabilities {
		for _, t := range v.Threats {
			if t.ID == id {
				return t, true
			}
		}
	}
	return controls.Threat{}, false
}

// LibraryThreats lists the distinct threat events of the library in library order.
func LibraryThreats(cat *controls.Catalog) []controls.Threat {
	if cat == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []controls.Threat
	for _, v := range cat.Vulnerabilities {
		for _, t := range v.Threats {
			if !seen[t.ID] {
				seen[t.ID] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// VendorReview records that the assessor reviewed a vendor's BAA and assurance for this
// analysis, when, and what they concluded.
type VendorReview struct {
	VendorID string `json:"vendor_id"`
	Date     string `json:"date"` // YYYY-MM-DD
	Note     string `json:"note,omitempty"`
}

// CIA names which security objectives a risk harms: confidentiality, integrity,
// availability (the three the Security Rule protects, §164.306(a)(1)). It is written as the
// letters "c", "i" and "a" in that order, e.g. "ca"; "" means not stated.
type CIA string

// ParseCIA reads "c,i", "ci", "confidentiality, availability" and similar forms.
func ParseCIA(s string) (CIA, error) {
	var c, i, a bool
	for _, part := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == '+' || r == '/' || unicode.IsSpace(r) }) {
		switch part {
		case "confidentiality":
			c = true
		case "integrity":
			i = true
		case "availability":
			a = true
		default:
			if strings.Trim(part, "cia") != "" {
				return "", fmt.Errorf("%q is not a mix of confidentiality (c), integrity (i) and availability (a); write e.g. c,a", s)
			}
			c = c || strings.ContainsRune(part, 'c')
			i = i || strings.ContainsRune(part, 'i')
			a = a || strings.ContainsRune(part, 'a')
		}
	}
	return makeCIA(c, i, a), nil
}

func makeCIA(c, i, a bool) CIA {
	var b strings.Builder
	for _, x := range []struct {
		on bool
		r  byte
	}{{c, 'c'}, {i, 'i'}, {a, 'a'}} {
		if x.on {
			b.WriteByte(x.r)
		}
	}
	return CIA(b.String())
}

// Valid reports whether c is in canonical form ("" included).
func (c CIA) Valid() bool {
	p, err := ParseCIA(string(c))
	return err == nil && p == c
}

// Confidentiality, Integrity and Availability report each objective.
func (c CIA) Confidentiality() bool { return strings.ContainsRune(string(c), 'c') }
func (c CIA) Integrity() bool       { return strings.ContainsRune(string(c), 'i') }
func (c CIA) Availability() bool    { return strings.ContainsRune(string(c), 'a') }

// Label is the objectives as people read them: "Confidentiality, availability"; "Not
// stated" for none.
func (c CIA) Label() string {
	var parts []string
	if c.Confidentiality() {
		parts = append(parts, "confidentiality")
	}
	if c.Integrity() {
		parts = append(parts, "integrity")
	}
	if c.Availability() {
		parts = append(parts, "availability")
	}
	if len(parts) == 0 {
		return "Not stated"
	}
	s := strings.Join(parts, ", ")
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// Short is the letters as a table cell shows them: "C I –".
func (c CIA) Short() string {
	out := []string{"–", "–", "–"}
	for i, x := range []bool{c.Confidentiality(), c.Integrity(), c.Availability()} {
		if x {
			out[i] = string("CIA"[i])
		}
	}
	return strings.Join(out, " ")
}

// methodKindOrder is a kind's position in MethodKinds, for sorting.
func methodKindOrder(k string) int {
	return slices.IndexFunc(MethodKinds, func(c Choice) bool { return c.Value == k })
}

// CheckNoRiskReason validates a no-risk reason's shape: a known question and a reason of a
// few words. Whether the item is a gap is for the store to check against the answers.
func CheckNoRiskReason(cat *controls.Catalog, n NoRiskReason) error {
	q, ok := cat.Question(n.QuestionID)
	if !ok {
		return fmt.Errorf("unknown question %q; use a question ID from the catalog", n.QuestionID)
	}
	if (q.Scope == controls.ScopeAsset) != (n.AssetID != "") {
		if n.AssetID == "" {
			return fmt.Errorf("question %s is answered per asset; name the asset", q.ID)
		}
		return fmt.Errorf("question %s is answered once for the organization; remove the asset", q.ID)
	}
	if wordCount(n.Reason) < MinNoRiskWords {
		return fmt.Errorf("the reason for the gap in %s is too short; say in at least %d words why it leads to no risk (what else protects the ePHI, or why nothing is exposed)", q.ID, MinNoRiskWords)
	}
	return CheckText("reason", n.Reason)
}

// MinNoRiskWords is the shortest reason accepted for "no risk follows from this gap": the
// reason is what an auditor reads in place of a risk, so "n/a" or "covered" will not do.
const MinNoRiskWords = 4

// CheckVendorReview validates a vendor review: a date (not after today, unless today is
// zero) and a note of sensible length.
func CheckVendorReview(r VendorReview, today time.Time) error {
	if r.Date == "" {
		return fmt.Errorf("a vendor review needs the date it was done; give it as YYYY-MM-DD")
	}
	if err := CheckDate("review date", r.Date); err != nil {
		return err
	}
	if d, _ := ParseDate(r.Date); !today.IsZero() && d.After(day(today)) {
		return fmt.Errorf("the review date %s is after today; record a review that has been done", r.Date)
	}
	return CheckText("review note", r.Note)
}
