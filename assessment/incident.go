package assessment

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// This file holds the incident register of the breach notification rule (45 CFR
// §§164.400–414): the facts of an incident, the decision record (§164.402: secured or not,
// the three exceptions, the four-factor assessment, the conclusion), the notices sent, the
// law-enforcement delays and the assessor's own deadlines. The rules over them live in
// incident_secured.go (is the PHI unsecured?) and incident_clock.go (who must be told by
// when). Everything here is pure; the store keeps incidents and audits every change.

// Incident is one security incident that may be a breach of unsecured PHI. It belongs to
// the assessment that was current when it happened and is never deleted: the record of the
// decision is the entity's proof (§164.414(b)) and is kept six years (§164.316(b)(2)(i)).
type Incident struct {
	ID string `json:"id"`
	// Version is the version of the record as it was read (the audit entry that last wrote
	// it); an edit carries it so a change someone else made meanwhile is not overwritten.
	Version     int64  `json:"-"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	// Type is the kind of incident, in the categories HHS uses for breach reports.
	Type       string `json:"type,omitempty"`
	Ransomware bool   `json:"ransomware,omitempty"`
	// Exposure is how the data was reached: it decides what encryption can have protected
	// (see incident_secured.go). "" means not known.
	Exposure     string `json:"exposure,omitempty"`
	OccurredFrom string `json:"occurred_from,omitempty"` // YYYY-MM-DD
	OccurredTo   string `json:"occurred_to,omitempty"`
	// Discovered is the first day the incident was known to the organization's workforce,
	// or, when DiscoveredBy is a business associate, to that business associate.
	Discovered   string `json:"discovered"`
	DiscoveredBy string `json:"discovered_by"` // DiscoveredByPractice or DiscoveredByBA
	// Agent marks a business associate that acts as the organization's agent under the
	// federal common law of agency: its discovery is the organization's (§164.404(a)(2)).
	Agent bool `json:"agent,omitempty"`
	// BANotified is when the business associate told the organization; for a business
	// associate that is not an agent, the organization's clock starts then.
	BANotified string `json:"ba_notified,omitempty"`
	FoundBy    string `json:"found_by,omitempty"`
	// Individuals affected, 0 while not known; States are residents per state or
	// jurisdiction (StateUnknown for those whose residence is not known).
	Individuals int          `json:"individuals,omitempty"`
	States      []StateCount `json:"states,omitempty"`
	Data        []string     `json:"data,omitempty"` // DataTypes values
	Part2       bool         `json:"part2,omitempty"`
	// Keys says whether the keys that protect the affected data were compromised too:
	// KeysCompromised, KeysSafe or "" (not known).
	Keys string `json:"keys,omitempty"`
	// Assets and Vendors are copies of the inventory records as they stood when they were
	// named on the incident, so a later change to the inventory does not rewrite the facts
	// the decision was made on.
	Assets  []IncidentAsset  `json:"assets,omitempty"`
	Vendors []IncidentVendor `json:"vendors,omitempty"`

	Delays     []LawEnforcementDelay `json:"law_enforcement_delays,omitempty"`
	Secured    *SecuredDecision      `json:"secured,omitempty"`
	Exception  *ExceptionDecision    `json:"exception,omitempty"`
	Factors    []Factor              `json:"factors,omitempty"`
	Conclusion *Conclusion           `json:"conclusion,omitempty"`
	Notices    []Notice              `json:"notices,omitempty"`
	Deadlines  []OtherDeadline       `json:"other_deadlines,omitempty"`
	RiskLinks  []RiskLink            `json:"risk_links,omitempty"`
	Closed     string                `json:"closed,omitempty"` // YYYY-MM-DD
	ClosedBy   string                `json:"closed_by,omitempty"`
	ClosedNote string                `json:"closed_note,omitempty"`
	RecordedBy string                `json:"recorded_by,omitempty"`
	RecordedOn string                `json:"recorded_on,omitempty"` // YYYY-MM-DD
}

// Who discovered an incident.
const (
	DiscoveredByPractice = "practice"
	DiscoveredByBA       = "business-associate"
)

// Key compromise.
const (
	KeysCompromised = "compromised"
	KeysSafe        = "not-compromised"
)

// KeyChoices in display order.
var KeyChoices = []Choice{
	{KeysSafe, "The keys were not compromised"},
	{KeysCompromised, "The keys were compromised too"},
	{"unknown", "Not known whether the keys were compromised"},
}

// IncidentTypes are the categories HHS's breach report uses.
var IncidentTypes = []Choice{
	{"hacking", "Hacking/IT incident"},
	{"unauthorized", "Unauthorized access or disclosure"},
	{"theft", "Theft"},
	{"loss", "Loss"},
	{"disposal", "Improper disposal"},
	{"other", "Other"},
}

// How the data was reached.
const (
	ExposureMedia      = "media"
	ExposureSystem     = "system"
	ExposureTransit    = "transit"
	ExposureDisclosure = "disclosure"
)

// ExposureChoices in display order.
var ExposureChoices = []Choice{
	{ExposureMedia, "Stored data: a lost, stolen or discarded device, disk or backup, or a copy taken from storage"},
	{ExposureSystem, "Through a running system: a compromised account, malware or ransomware, an application or API"},
	{ExposureTransit, "Intercepted while in transit over a network"},
	{ExposureDisclosure, "Given, sent or shown to the wrong person in readable form"},
}

// DefaultExposure is how an incident of a type usually reached the data, used while the
// assessor has not said.
func DefaultExposure(typ string) string {
	switch typ {
	case "theft", "loss", "disposal":
		return ExposureMedia
	case "hacking", "unauthorized":
		return ExposureSystem
	}
	return ""
}

// DataTypes are the kinds of information an incident can involve, grouped as HHS's breach
// report groups them (demographic, financial, clinical, other).
var DataTypes = []Choice{
	{"name", "Names"},
	{"address", "Addresses"},
	{"dob", "Dates of birth"},
	{"ssn", "Social Security numbers"},
	{"contact", "Phone numbers or email addresses"},
	{"mrn", "Medical record numbers"},
	{"insurance", "Health plan or insurance numbers"},
	{"financial", "Bank or payment card numbers"},
	{"diagnosis", "Diagnoses or conditions"},
	{"treatment", "Treatment, procedures or medications"},
	{"lab", "Laboratory results"},
	{"images", "Medical images"},
	{"notes", "Clinical notes"},
	{"sud", "Substance use disorder records"},
	{"other", "Other information"},
}

// DataGroup is the HHS breach-report group of a data type.
func DataGroup(v string) string {
	switch v {
	case "name", "address", "dob", "ssn", "contact", "mrn":
		return "Demographic"
	case "insurance", "financial":
		return "Financial"
	case "diagnosis", "treatment", "lab", "images", "notes", "sud":
		return "Clinical"
	}
	return "Other"
}

// StateCount is how many affected individuals reside in one state or jurisdiction.
type StateCount struct {
	State string `json:"state"` // USPS code, or StateUnknown
	Count int    `json:"count"`
}

// StateUnknown counts individuals whose state of residence is not known.
const StateUnknown = "unknown"

// Jurisdictions are the states, the District of Columbia and the territories, by USPS code.
var Jurisdictions = []string{
	"AK", "AL", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "GU", "HI", "IA", "ID", "IL", "IN", "KS",
	"KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MP", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY",
	"OH", "OK", "OR", "PA", "PR", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY",
}

// IncidentAsset is an affected asset as the inventory recorded it when it was named on the
// incident, with the data flows that touch it and the answers on its encryption.
type IncidentAsset struct {
	ID         string       `json:"id"`
	Name       string       `json:"name"`
	Kind       string       `json:"kind"`
	Hosting    string       `json:"hosting"`
	VendorID   string       `json:"vendor_id,omitempty"`
	VendorName string       `json:"vendor_name,omitempty"`
	EPHI       bool         `json:"ephi"`
	Part2      bool         `json:"part2,omitempty"`
	EncAtRest  string       `json:"encryption_at_rest"`
	TLS        string       `json:"encryption_in_transit"`
	Flows      []FlowRecord `json:"flows,omitempty"`
	Findings   []EncFinding `json:"findings,omitempty"`
	Recorded   string       `json:"recorded"` // YYYY-MM-DD the copy was taken
}

// FlowRecord is a data flow touching an affected asset, as recorded.
type FlowRecord struct {
	Peer        string `json:"peer"` // the other asset's name
	Outbound    bool   `json:"outbound"`
	Encrypted   bool   `json:"encrypted"`
	Description string `json:"description,omitempty"`
}

// EncFinding is an answer, on an affected asset, to a question about encryption that did
// not say the safeguard is in place.
type EncFinding struct {
	QuestionID string         `json:"question_id"`
	Concern    string         `json:"concern"` // ConcernRest, ConcernTransit or ConcernKeys
	Status     ResponseStatus `json:"status"`  // partial, not-implemented or flagged
}

// Finding concerns.
const (
	ConcernRest    = "rest"
	ConcernTransit = "transit"
	ConcernKeys    = "keys"
)

// IncidentVendor is a vendor named on an incident, as recorded then.
type IncidentVendor struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	BAA              BAAStatus `json:"baa"`
	BreachNoticeDays int       `json:"breach_notice_days,omitempty"`
}

// LawEnforcementDelay is a law enforcement official's statement that notice would impede a
// criminal investigation or damage national security (§164.412).
type LawEnforcementDelay struct {
	Kind   string `json:"kind"`   // DelayWritten or DelayOral
	Stated string `json:"stated"` // the date of the statement
	// Until is the last day of the delay: the period a written statement specifies; for an
	// oral statement at most 30 days after it (the default).
	Until    string   `json:"until"`
	Official string   `json:"official"` // who made it (name, agency)
	Note     string   `json:"note,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
}

// Law-enforcement statement kinds.
const (
	DelayWritten = "written"
	DelayOral    = "oral"
)

// OralDelayDays is the longest delay an oral statement allows (§164.412(b)).
const OralDelayDays = 30

// SecuredDecision is the assessor's call on whether the PHI was unsecured: the derivation
// from the affected assets (as it read when the call was made), and the assessor's
// confirmation or override with a reason.
type SecuredDecision struct {
	Derived  string `json:"derived"`  // Secured, Unsecured or Undetermined, as derived then
	Decision string `json:"decision"` // DecideConfirm, or Secured / Unsecured to override
	Basis    string `json:"basis,omitempty"`
	Reason   string `json:"reason,omitempty"`
	By       string `json:"by"`
	On       string `json:"on"`
}

// Secured-determination outcomes and the assessor's decisions.
const (
	Secured       = "secured"
	Unsecured     = "unsecured"
	Undetermined  = "undetermined"
	DecideConfirm = "confirm"
	// Bases of a "secured" override.
	BasisEncryption  = "encryption"
	BasisDestruction = "destruction"
)

// ExceptionDecision records whether one of the three exceptions of §164.402(1) applies.
type ExceptionDecision struct {
	Applies string `json:"applies"` // ExceptionNone or a value of Exceptions
	Reason  string `json:"reason,omitempty"`
	By      string `json:"by"`
	On      string `json:"on"`
}

// ExceptionNone records that no exception applies.
const ExceptionNone = "none"

// Exceptions are the three exceptions to the definition of breach, §164.402(1)(i)–(iii).
var Exceptions = []Choice{
	{"workforce", "§164.402(1)(i): unintentional access or use in good faith by a workforce member or person acting under the organization's authority, within the scope of that authority, with no further impermissible use or disclosure"},
	{"authorized", "§164.402(1)(ii): inadvertent disclosure by a person authorized to access PHI to another authorized person at the same covered entity, business associate or organized health care arrangement, with no further impermissible use or disclosure"},
	{"retention", "§164.402(1)(iii): a good-faith belief that the unauthorized recipient could not reasonably have retained the information"},
}

// Factor is one of the four factors of the risk assessment of §164.402(2): what was found
// and the evidence behind it.
type Factor struct {
	Number   int      `json:"number"` // 1 to 4: §164.402(2)(i)–(iv)
	Findings string   `json:"findings"`
	Evidence []string `json:"evidence,omitempty"` // evidence IDs in the incident's assessment
	By       string   `json:"by"`
	On       string   `json:"on"`
}

// FactorTitles are the four factors of §164.402(2), in order.
var FactorTitles = [4]string{
	"Nature and extent of the PHI involved, including the types of identifiers and the likelihood of re-identification",
	"The unauthorized person who used the PHI or to whom it was disclosed",
	"Whether the PHI was actually acquired or viewed",
	"The extent to which the risk to the PHI has been mitigated",
}

// FactorCites are the paragraphs of the four factors.
var FactorCites = [4]string{"§164.402(2)(i)", "§164.402(2)(ii)", "§164.402(2)(iii)", "§164.402(2)(iv)"}

// RansomwareNote states HHS's position on ransomware, which every ransomware incident's
// record repeats.
const RansomwareNote = "Ransomware: HHS's 2016 ransomware fact sheet treats the encryption of ePHI by ransomware as an acquisition " +
	"of the ePHI by unauthorized people, so it is presumed a breach unless the four-factor assessment of §164.402(2) shows a low " +
	"probability that the PHI was compromised (or the ePHI was already secured as HHS's guidance specifies)."

// Conclusion is the decision on an incident: who concluded what, when, and why.
type Conclusion struct {
	Outcome   string `json:"outcome"` // a value of Outcomes
	Rationale string `json:"rationale"`
	By        string `json:"by"`
	On        string `json:"on"`
}

// Conclusion outcomes.
const (
	OutcomeBreach         = "breach"
	OutcomeLowProbability = "low-probability"
	OutcomeSecured        = "secured"
	OutcomeException      = "exception"
	OutcomeNotPHI         = "not-phi"
)

// Outcomes in display order.
var Outcomes = []Choice{
	{OutcomeBreach, "Breach of unsecured PHI: notification required"},
	{OutcomeLowProbability, "Not a breach: the four-factor assessment shows a low probability that the PHI was compromised"},
	{OutcomeSecured, "Not a breach of unsecured PHI: the PHI was secured (encrypted or destroyed as HHS's guidance specifies)"},
	{OutcomeException, "Not a breach: an exception of §164.402(1) applies"},
	{OutcomeNotPHI, "Not a breach: no protected health information was involved"},
}

// Notify reports whether the outcome requires notification.
func (c *Conclusion) Notify() bool { return c != nil && c.Outcome == OutcomeBreach }

// Notice is a notification sent.
type Notice struct {
	To     string `json:"to"` // a value of NoticeRecipients
	Date   string `json:"date"`
	Method string `json:"method,omitempty"`
	// Count is how many individuals this notice reached (individuals) or covered; 0 means
	// all of them.
	Count     int    `json:"count,omitempty"`
	State     string `json:"state,omitempty"`     // media notice: the state or jurisdiction
	Recipient string `json:"recipient,omitempty"` // other notices: who (a state attorney general…)
	// Content lists the elements of §164.404(c)(1) the notice contains; Contact the
	// contact procedures it offers (§164.404(c)(1)(E)).
	Content       []string    `json:"content,omitempty"`
	Contact       []string    `json:"contact,omitempty"`
	PlainLanguage bool        `json:"plain_language,omitempty"`
	Identities    bool        `json:"identities,omitempty"` // to a covered entity: each individual identified (§164.410(c)(1))
	Substitute    *Substitute `json:"substitute,omitempty"`
	Note          string      `json:"note,omitempty"`
	Evidence      []string    `json:"evidence,omitempty"`
	By            string      `json:"by"`
}

// Notice recipients.
const (
	ToIndividuals   = "individuals"
	ToMedia         = "media"
	ToHHS           = "hhs"
	ToCoveredEntity = "covered-entity"
	ToOther         = "other"
)

// NoticeRecipients in display order.
var NoticeRecipients = []Choice{
	{ToIndividuals, "Affected individuals (§164.404)"},
	{ToMedia, "Prominent media outlets (§164.406)"},
	{ToHHS, "The Secretary of HHS (§164.408)"},
	{ToCoveredEntity, "The covered entity (§164.410)"},
	{ToOther, "Someone else (a state attorney general, a regulator)"},
}

// NoticeMethods are how a notice went out.
var NoticeMethods = []Choice{
	{"mail", "First-class mail"},
	{"email", "Email (the individual agreed to electronic notice)"},
	{"phone", "Telephone"},
	{"website", "Website posting"},
	{"press", "Press release or media statement"},
	{"portal", "HHS breach portal"},
	{"letter", "Letter or email to an organization"},
	{"other", "Other"},
}

// NoticeElements are the elements of §164.404(c)(1)(A)–(E).
var NoticeElements = []Choice{
	{"what-happened", "What happened, with the dates of the breach and of its discovery (§164.404(c)(1)(A))"},
	{"phi-types", "The types of unsecured PHI involved (§164.404(c)(1)(B))"},
	{"steps", "Steps individuals should take to protect themselves (§164.404(c)(1)(C))"},
	{"mitigation", "What the organization is doing to investigate, mitigate harm and prevent recurrence (§164.404(c)(1)(D))"},
	{"contact", "Contact procedures for questions (§164.404(c)(1)(E))"},
}

// ContactMethods are the contact procedures §164.404(c)(1)(E) names; a notice offers at
// least one.
var ContactMethods = []Choice{
	{"toll-free", "A toll-free telephone number"},
	{"email", "An email address"},
	{"website", "A website"},
	{"postal", "A postal address"},
}

// Substitute records substitute notice for individuals whose contact information was
// insufficient or out of date (§164.404(d)(2)).
type Substitute struct {
	Count int    `json:"count"` // individuals without usable contact information
	By    string `json:"by"`    // a value of SubstituteMethods
	// TollFree is the toll-free number, required for 10 or more, active at least 90 days.
	TollFree string `json:"toll_free,omitempty"`
}

// SubstituteMethods in display order; the first three are for fewer than 10 individuals
// (§164.404(d)(2)(i)), the last two for 10 or more (§164.404(d)(2)(ii)).
var SubstituteMethods = []Choice{
	{"written", "Another form of written notice"},
	{"phone", "Telephone"},
	{"other", "Other means"},
	{"website", "Conspicuous posting on the home page of the website for 90 days"},
	{"media", "Conspicuous notice in major print or broadcast media where the individuals likely live"},
}

// OtherDeadline is a deadline the assessor adds, for example a state breach law's shorter
// period. safeguard has no table of state laws; the assessor names the deadline and its
// basis.
type OtherDeadline struct {
	Name  string `json:"name"`
	Due   string `json:"due"` // YYYY-MM-DD
	Basis string `json:"basis"`
	Done  string `json:"done,omitempty"` // YYYY-MM-DD when met
}

// RiskLink raises a risk's likelihood because of an incident, with a note. The risk is in
// the incident's assessment or in a revision of it.
type RiskLink struct {
	AssessmentID string `json:"assessment_id"`
	RiskID       string `json:"risk_id"`
	RiskTitle    string `json:"risk_title"`
	From         int    `json:"from"`
	To           int    `json:"to"`
	Note         string `json:"note"`
	By           string `json:"by"`
	On           string `json:"on"`
}

// ---- status ----

// IncidentStatus is where an incident is; it follows from the record.
type IncidentStatus string

const (
	IncidentOpen     IncidentStatus = "open"
	IncidentAssessed IncidentStatus = "assessed"
	IncidentNotified IncidentStatus = "notified"
	IncidentClosed   IncidentStatus = "closed"
)

// Status is open until concluded, assessed once concluded, notified once a notice is
// recorded, and closed when closed.
func (inc *Incident) Status() IncidentStatus {
	switch {
	case inc.Closed != "":
		return IncidentClosed
	case len(inc.Notices) > 0:
		return IncidentNotified
	case inc.Conclusion != nil:
		return IncidentAssessed
	}
	return IncidentOpen
}

// Label is the status as people read it.
func (s IncidentStatus) Label() string {
	switch s {
	case IncidentAssessed:
		return "Assessed"
	case IncidentNotified:
		return "Notified"
	case IncidentClosed:
		return "Closed"
	}
	return "Open"
}

// ShortID is the first eight characters of an incident's ID, enough to name it.
func (inc *Incident) ShortID() string {
	if len(inc.ID) > 8 {
		return inc.ID[:8]
	}
	return inc.ID
}

// StateTotal is the sum of the per-state counts.
func (inc *Incident) StateTotal() int {
	n := 0
	for _, s := range inc.States {
		n += s.Count
	}
	return n
}

// Factor returns factor n (1–4) if recorded.
func (inc *Incident) Factor(n int) (*Factor, bool) {
	for i := range inc.Factors {
		if inc.Factors[i].Number == n {
			return &inc.Factors[i], true
		}
	}
	return nil, false
}

// MissingFactors lists the factors (1–4) without findings.
func (inc *Incident) MissingFactors() []int {
	var out []int
	for n := 1; n <= 4; n++ {
		if f, ok := inc.Factor(n); !ok || strings.TrimSpace(f.Findings) == "" {
			out = append(out, n)
		}
	}
	return out
}

// EvidenceIDs lists every evidence ID the incident cites, in the order cited.
func (inc *Incident) EvidenceIDs() []string {
	var out []string
	add := func(ids []string) {
		for _, id := range ids {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	for _, f := range inc.sortedFactors() {
		add(f.Evidence)
	}
	for _, d := range inc.Delays {
		add(d.Evidence)
	}
	for _, n := range inc.Notices {
		add(n.Evidence)
	}
	return out
}

func (inc *Incident) sortedFactors() []Factor {
	fs := slices.Clone(inc.Factors)
	slices.SortFunc(fs, func(a, b Factor) int { return a.Number - b.Number })
	return fs
}

// ---- validation ----

// CheckIncidentFacts validates the facts of an incident against the clock: dates are real
// days, not in the future, discovery not before the incident began, a business associate's
// notice not before its discovery, and the per-state counts add up to the total. today is
// the current calendar day.
func CheckIncidentFacts(inc *Incident, today time.Time) error {
	if _, err := CleanName("incident title", inc.Title); err != nil {
		return err
	}
	for what, s := range map[string]string{"description": inc.Description, "found-by name": inc.FoundBy} {
		if err := CheckText(what, s); err != nil {
			return err
		}
	}
	if inc.Type != "" && !hasChoice(IncidentTypes, inc.Type) {
		return fmt.Errorf("incident type %q is not one of %s", inc.Type, choiceList(IncidentTypes))
	}
	if inc.Exposure != "" && !hasChoice(ExposureChoices, inc.Exposure) {
		return fmt.Errorf("exposure %q is not one of %s", inc.Exposure, choiceList(ExposureChoices))
	}
	if inc.Keys != "" && inc.Keys != KeysCompromised && inc.Keys != KeysSafe {
		return fmt.Errorf("key state %q is not one of %s", inc.Keys, choiceList(KeyChoices))
	}
	if inc.Discovered == "" {
		return fmt.Errorf("the discovery date is missing; give it with --discovered YYYY-MM-DD")
	}
	for _, d := range []struct{ what, v string }{
		{"discovery date", inc.Discovered}, {"occurrence start", inc.OccurredFrom}, {"occurrence end", inc.OccurredTo},
		{"date the business associate gave notice", inc.BANotified},
	} {
		if err := CheckDate(d.what, d.v); err != nil {
			return err
		}
		if d.v != "" && isFuture(d.v, today) {
			return fmt.Errorf("the %s %s is in the future (today is %s); check the date", d.what, d.v, ISODate(today))
		}
	}
	if inc.OccurredFrom != "" && inc.Discovered < inc.OccurredFrom {
		return fmt.Errorf("the discovery date %s is before the incident began (%s); check both dates", inc.Discovered, inc.OccurredFrom)
	}
	if inc.OccurredFrom != "" && inc.OccurredTo != "" && inc.OccurredTo < inc.OccurredFrom {
		return fmt.Errorf("the incident ends (%s) before it began (%s); swap the dates", inc.OccurredTo, inc.OccurredFrom)
	}
	switch inc.DiscoveredBy {
	case DiscoveredByPractice:
		if inc.Agent || inc.BANotified != "" {
			return fmt.Errorf("--agent and --ba-notified describe a business associate's discovery; add --discovered-by business-associate or leave them out")
		}
	case DiscoveredByBA:
		if !inc.Agent && inc.BANotified == "" {
			return fmt.Errorf("for a business associate that is not the organization's agent, the clock starts when it gave notice; give that date with --ba-notified YYYY-MM-DD (or add --agent)")
		}
		if inc.BANotified != "" && inc.BANotified < inc.Discovered {
			return fmt.Errorf("the business associate gave notice (%s) before it discovered the incident (%s); check both dates", inc.BANotified, inc.Discovered)
		}
	default:
		return fmt.Errorf("discovered by %q is not practice or business-associate", inc.DiscoveredBy)
	}
	if inc.Individuals < 0 {
		return fmt.Errorf("the number of individuals %d is negative; give 0 while it is not known", inc.Individuals)
	}
	seen := map[string]bool{}
	for _, s := range inc.States {
		if s.State != StateUnknown && !slices.Contains(Jurisdictions, s.State) {
			return fmt.Errorf("%q is not a state or jurisdiction code; use the two-letter USPS code (TX, DC, PR…) or unknown", s.State)
		}
		if seen[s.State] {
			return fmt.Errorf("the state %s is listed twice; give each state once", s.State)
		}
		seen[s.State] = true
		if s.Count <= 0 {
			return fmt.Errorf("the count for %s must be a positive number of individuals", s.State)
		}
	}
	if len(inc.States) > 0 && inc.StateTotal() != inc.Individuals {
		return fmt.Errorf("the per-state counts add up to %s but the incident affects %s individuals; make them agree (use --state unknown=N for residents of unknown states)",
			FormatInt(inc.StateTotal()), FormatInt(inc.Individuals))
	}
	for _, d := range inc.Data {
		if !hasChoice(DataTypes, d) {
			return fmt.Errorf("data type %q is not one of %s", d, choiceList(DataTypes))
		}
	}
	return nil
}

// isFuture reports whether the YYYY-MM-DD date is after today's calendar day; never for a
// zero today (records checked without a clock).
func isFuture(date string, today time.Time) bool { return !today.IsZero() && date > ISODate(today) }

// CheckDelay validates a law-enforcement delay.
func CheckDelay(inc *Incident, d LawEnforcementDelay, today time.Time) error {
	if _, err := CleanName("official's name", d.Official); err != nil {
		return fmt.Errorf("name the official who made the statement, with the agency (--official): %w", err)
	}
	if err := CheckText("note", d.Note); err != nil {
		return err
	}
	if d.Stated == "" {
		return fmt.Errorf("give the date of the statement with --stated YYYY-MM-DD")
	}
	for _, x := range []struct{ what, v string }{{"statement date", d.Stated}, {"end of the delay", d.Until}} {
		if err := CheckDate(x.what, x.v); err != nil {
			return err
		}
	}
	if isFuture(d.Stated, today) {
		return fmt.Errorf("the statement date %s is in the future; record a statement once it is made", d.Stated)
	}
	if d.Stated < inc.Discovered {
		return fmt.Errorf("the statement date %s is before the incident was discovered (%s); check the date", d.Stated, inc.Discovered)
	}
	switch d.Kind {
	case DelayWritten:
		if d.Until == "" {
			return fmt.Errorf("a written statement delays notice for the period it specifies (§164.412(a)); give its last day with --until YYYY-MM-DD")
		}
	case DelayOral:
		limit := addDays(mustDate(d.Stated), OralDelayDays)
		if d.Until != "" && d.Until > ISODate(limit) {
			return fmt.Errorf("an oral statement delays notice no longer than 30 days from the statement (§164.412(b)), so to %s at the latest; record a written statement for a longer delay", ISODate(limit))
		}
	default:
		return fmt.Errorf("the statement kind %q is not written or oral", d.Kind)
	}
	if d.Until != "" && d.Until < d.Stated {
		return fmt.Errorf("the delay ends (%s) before the statement was made (%s); check the dates", d.Until, d.Stated)
	}
	return nil
}

// NormalizeDelay fills in the end of an oral delay: 30 days after the statement.
func NormalizeDelay(d LawEnforcementDelay) LawEnforcementDelay {
	if d.Kind == DelayOral && d.Until == "" {
		if t, err := ParseDate(d.Stated); err == nil {
			d.Until = ISODate(addDays(t, OralDelayDays))
		}
	}
	return d
}

// CheckNotice validates a notice against the incident: the recipient, a date on or after
// the organization's discovery and not in the future, and the substitute-notice conditions
// of §164.404(d)(2).
func CheckNotice(inc *Incident, n Notice, entity EntityType, today time.Time) error {
	if !hasChoice(NoticeRecipients, n.To) {
		return fmt.Errorf("--to %q is not one of %s", n.To, choiceList(NoticeRecipients))
	}
	if n.Date == "" {
		return fmt.Errorf("give the date the notice was sent with --date YYYY-MM-DD")
	}
	if err := CheckDate("notice date", n.Date); err != nil {
		return err
	}
	start := ClockStart(inc)
	if n.Date < ISODate(start) {
		return fmt.Errorf("the notice date %s is before the breach was discovered (%s); check the date", n.Date, ISODate(start))
	}
	if isFuture(n.Date, today) {
		return fmt.Errorf("the notice date %s is in the future; record a notice once it is sent", n.Date)
	}
	if n.Method != "" && !hasChoice(NoticeMethods, n.Method) {
		return fmt.Errorf("method %q is not one of %s", n.Method, choiceList(NoticeMethods))
	}
	if n.Count < 0 {
		return fmt.Errorf("the count %d is negative", n.Count)
	}
	if n.To == ToCoveredEntity && entity != EntityBusinessAssociate {
		return fmt.Errorf("notice to a covered entity is a business associate's duty (§164.410), and this assessment's organization is a covered entity; choose another --to")
	}
	if n.To == ToMedia && n.State != "" && !slices.Contains(Jurisdictions, n.State) {
		return fmt.Errorf("%q is not a state or jurisdiction code; use the two-letter USPS code", n.State)
	}
	if n.To != ToMedia && n.State != "" {
		return fmt.Errorf("--state names the state a media notice served; use it with --to media")
	}
	if n.To == ToOther {
		if _, err := CleanName("recipient", n.Recipient); err != nil {
			return fmt.Errorf("say who received the notice with --recipient: %w", err)
		}
	}
	for _, c := range n.Content {
		if !hasChoice(NoticeElements, c) {
			return fmt.Errorf("content element %q is not one of %s", c, choiceList(NoticeElements))
		}
	}
	for _, c := range n.Contact {
		if !hasChoice(ContactMethods, c) {
			return fmt.Errorf("contact method %q is not one of %s", c, choiceList(ContactMethods))
		}
	}
	if len(n.Contact) > 0 && !slices.Contains(n.Content, "contact") {
		return fmt.Errorf("the notice offers contact procedures, so its content includes contact; add contact to --content")
	}
	if err := CheckText("note", n.Note); err != nil {
		return err
	}
	if s := n.Substitute; s != nil {
		if n.To != ToIndividuals {
			return fmt.Errorf("substitute notice replaces written notice to individuals (§164.404(d)(2)); use it with --to individuals")
		}
		if err := checkSubstitute(*s); err != nil {
			return err
		}
	}
	return nil
}

func checkSubstitute(s Substitute) error {
	if s.Count <= 0 {
		return fmt.Errorf("give how many individuals had insufficient or out-of-date contact information with --substitute N")
	}
	if !hasChoice(SubstituteMethods, s.By) {
		return fmt.Errorf("substitute notice by %q is not one of %s", s.By, choiceList(SubstituteMethods))
	}
	if s.Count >= 10 {
		if s.By != "website" && s.By != "media" {
			return fmt.Errorf("for 10 or more individuals, substitute notice is a 90-day website posting or major print or broadcast media (§164.404(d)(2)(ii)); use --substitute-by website or media")
		}
		if strings.TrimSpace(s.TollFree) == "" {
			return fmt.Errorf("substitute notice for 10 or more individuals includes a toll-free number active for at least 90 days (§164.404(d)(2)(ii)); give it with --toll-free")
		}
	}
	// For fewer than 10, any of the forms will do: the website and media forms are
	// "other means" too (§164.404(d)(2)(i)).
	return nil
}

// CheckFactor validates one factor's record.
func CheckFactor(f Factor) error {
	if f.Number < 1 || f.Number > 4 {
		return fmt.Errorf("factor %d does not exist; the four factors of §164.402(2) are numbered 1 to 4", f.Number)
	}
	if strings.TrimSpace(f.Findings) == "" {
		return fmt.Errorf("factor %d needs findings: what was learned about %s", f.Number, strings.ToLower(FactorTitles[f.Number-1][:1])+FactorTitles[f.Number-1][1:])
	}
	return CheckText(fmt.Sprintf("findings of factor %d", f.Number), f.Findings)
}

// CheckConclusion validates a conclusion against the decision record it rests on.
func CheckConclusion(inc *Incident, c Conclusion, today time.Time) error {
	if !hasChoice(Outcomes, c.Outcome) {
		return fmt.Errorf("conclusion %q is not one of %s", c.Outcome, choiceList(Outcomes))
	}
	if strings.TrimSpace(c.Rationale) == "" {
		return fmt.Errorf("a conclusion needs its rationale; give it with --rationale")
	}
	if err := CheckText("rationale", c.Rationale); err != nil {
		return err
	}
	if _, err := CleanName("name of who concluded", c.By); err != nil {
		return err
	}
	if err := CheckDate("conclusion date", c.On); err != nil || c.On == "" {
		return fmt.Errorf("the conclusion date %q is not a date; write it as YYYY-MM-DD", c.On)
	}
	if isFuture(c.On, today) {
		return fmt.Errorf("the conclusion date %s is in the future", c.On)
	}
	if c.On < inc.Discovered {
		return fmt.Errorf("the conclusion date %s is before the incident was discovered (%s)", c.On, inc.Discovered)
	}
	final := FinalSecured(inc)
	switch c.Outcome {
	case OutcomeLowProbability:
		if miss := inc.MissingFactors(); len(miss) > 0 {
			return fmt.Errorf("a low probability of compromise needs all four factors of §164.402(2) assessed; %s no findings yet (record them with --factor N --findings TEXT)", factorsHave(miss))
		}
		if final == Secured {
			return fmt.Errorf("the PHI was determined to be secured, so the conclusion is secured, not a four-factor assessment")
		}
	case OutcomeSecured:
		if final != Secured {
			return fmt.Errorf("the conclusion secured needs the secured determination: record it with --secured confirm (when derived secured) or --secured secured --reason TEXT")
		}
	case OutcomeException:
		if inc.Exception == nil || inc.Exception.Applies == ExceptionNone {
			return fmt.Errorf("the conclusion exception needs the exception that applies: record it with --exception workforce|authorized|retention --reason TEXT")
		}
	case OutcomeBreach:
		if final == Secured {
			return fmt.Errorf("the PHI was determined to be secured, which rules out a breach of unsecured PHI; change the determination (--secured unsecured --reason TEXT) first")
		}
	}
	return nil
}

// FinalSecured is the determination after the assessor's decision: the derived result when
// confirmed, the override otherwise; Undetermined while none is recorded.
func FinalSecured(inc *Incident) string {
	d := inc.Secured
	if d == nil {
		return Undetermined
	}
	if d.Decision == DecideConfirm {
		return d.Derived
	}
	return d.Decision
}

// CheckSecuredDecision validates the assessor's decision on the derived determination.
func CheckSecuredDecision(d SecuredDecision) error {
	switch d.Decision {
	case DecideConfirm:
		if d.Derived == Undetermined {
			return fmt.Errorf("the data cannot show whether the PHI was secured, so there is nothing to confirm; decide with --secured secured|unsecured --reason TEXT")
		}
		if d.Basis != "" {
			return fmt.Errorf("--basis belongs to an override to secured; leave it out when confirming")
		}
	case Secured:
		if d.Basis != BasisEncryption && d.Basis != BasisDestruction {
			return fmt.Errorf("say why the PHI was secured with --basis encryption or --basis destruction")
		}
		fallthrough
	case Unsecured:
		if d.Decision == Unsecured && d.Basis != "" {
			return fmt.Errorf("--basis applies to secured PHI; leave it out")
		}
		if d.Decision != d.Derived && strings.TrimSpace(d.Reason) == "" {
			return fmt.Errorf("overriding the derived determination (%s) needs a reason; give it with --reason", d.Derived)
		}
	default:
		return fmt.Errorf("--secured %q is not confirm, secured or unsecured", d.Decision)
	}
	return CheckText("reason", d.Reason)
}

// CheckOtherDeadline validates an assessor's deadline.
func CheckOtherDeadline(d OtherDeadline) error {
	if _, err := CleanName("deadline name", d.Name); err != nil {
		return err
	}
	if d.Due == "" {
		return fmt.Errorf("give the deadline's date with --due YYYY-MM-DD")
	}
	if err := CheckDate("deadline", d.Due); err != nil {
		return err
	}
	if err := CheckDate("date met", d.Done); err != nil {
		return err
	}
	if strings.TrimSpace(d.Basis) == "" {
		return fmt.Errorf("say where the deadline comes from (a state statute, a contract) with --basis")
	}
	return CheckText("basis", d.Basis)
}

// factorsHave writes "factor 2 has" or "factors 1, 3 and 4 have".
func factorsHave(ns []int) string {
	if len(ns) == 1 {
		return "factor " + joinInts(ns) + " has"
	}
	return "factors " + joinInts(ns) + " have"
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprint(n)
	}
	switch len(parts) {
	case 1:
		return parts[0]
	case 2:
		return parts[0] + " and " + parts[1]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func mustDate(s string) time.Time {
	t, _ := ParseDate(s)
	return t
}

func addDays(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }
