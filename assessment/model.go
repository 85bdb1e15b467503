package assessment

import (
	"fmt"
	"time"

	"safeguard/controls"
)

// EntityType is what kind of organization is assessed. It decides which conditional
// questions apply (group health plan items, covered-entity and business-associate duties).
type EntityType string

const (
	EntityProvider          EntityType = "provider"
	EntityHealthPlan        EntityType = "health-plan"
	EntityClearinghouse     EntityType = "clearinghouse"
	EntityBusinessAssociate EntityType = "business-associate"
)

// EntityTypes in display order, with labels.
var EntityTypes = []Choice{
	{string(EntityProvider), "Covered entity: health care provider"},
	{string(EntityHealthPlan), "Covered entity: health plan"},
	{string(EntityClearinghouse), "Covered entity: health care clearinghouse"},
	{string(EntityBusinessAssociate), "Business associate"},
}

// Sizes are rough organization sizes, used in the report's profile and scope.
var Sizes = []Choice{
	{"small", "Small (1–50 workforce members)"},
	{"medium", "Medium (51–500)"},
	{"large", "Large (over 500)"},
}

// Choice is an enumerated value with its label.
type Choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Profile describes the organization and the assessment's scope.
type Profile struct {
	EntityType EntityType `json:"entity_type"`
	// ClearinghouseComponent says the organization contains a health care clearinghouse
	// that is part of a larger organization, which §164.308(a)(4)(ii)(A) must isolate.
	ClearinghouseComponent bool `json:"clearinghouse_component,omitempty"`
	// SponsorReceivesEPHI says, for a group health plan, that the plan sponsor receives ePHI
	// beyond summary health information and enrollment data, so §164.314(b) applies.
	SponsorReceivesEPHI bool   `json:"sponsor_receives_ephi,omitempty"`
	Size                string `json:"size"`
	Part2Program        bool   `json:"part2_program"`
	MedicareMedicaid    bool   `json:"medicare_medicaid"`
	// Depth is how thoroughly the questionnaire asks; "" (an assessment made before depths
	// existed) asks everything, like complete.
	Depth controls.Depth `json:"depth,omitempty"`
	// Region is where the organization's sites are, a catalog region id; it adjusts the
	// likelihood of natural hazards. "" uses the national hints.
	Region      string   `json:"region,omitempty"`
	Assessors   []string `json:"assessors"`
	PeriodStart string   `json:"period_start"` // YYYY-MM-DD
	PeriodEnd   string   `json:"period_end"`   // YYYY-MM-DD
	Scope       string   `json:"scope"`
	// IncludeProposed adds the questions that only the January 2025 proposed rule would
	// require. They are shown and answered but never count against compliance.
	IncludeProposed bool `json:"include_proposed"`
	// Matrix is the risk matrix; fixed once any risk is rated.
	Matrix MatrixKind `json:"matrix"`
}

// DepthOrDefault is the depth the assessment asks at: complete when none was chosen.
func (p Profile) DepthOrDefault() controls.Depth {
	if p.Depth == "" {
		return controls.DepthComplete
	}
	return p.Depth
}

// BusinessAssociate reports whether the organization is assessed as a business associate.
func (p Profile) BusinessAssociate() bool { return p.EntityType == EntityBusinessAssociate }

// Encryption at rest, by who holds the keys.
const (
	EncNone            = "none"
	EncProviderManaged = "provider-managed"
	EncCustomerManaged = "customer-managed"
	EncCustomerHeld    = "customer-held"
)

// EncryptionChoices in display order.
var EncryptionChoices = []Choice{
	{EncNone, "Not encrypted"},
	{EncProviderManaged, "Encrypted, provider-managed keys"},
	{EncCustomerManaged, "Encrypted, customer-managed keys (cloud KMS)"},
	{EncCustomerHeld, "Encrypted, customer-held keys"},
}

// TLSChoices are the transport encryption levels an asset can record.
var TLSChoices = []Choice{
	{"none", "No encryption in transit"},
	{"tls1.0", "TLS 1.0"},
	{"tls1.1", "TLS 1.1"},
	{"tls1.2", "TLS 1.2"},
	{"tls1.3", "TLS 1.3"},
}

// Segregation choices for Part 2 records.
var SegregationChoices = []Choice{
	{"none", "Not kept apart (tagged in place)"},
	{"logical", "Logically separated"},
	{"physical", "Physically separated"},
}

// Criticality choices for assets.
var CriticalityChoices = []Choice{
	{"low", "Low"},
	{"moderate", "Moderate"},
	{"high", "High"},
	{"critical", "Critical"},
}

// Asset is a system, data store, device class or cloud service in scope.
type Asset struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Kind        string           `json:"kind"` // a catalog asset kind
	Hosting     controls.Hosting `json:"hosting"`
	VendorID    string           `json:"vendor_id,omitempty"` // provider of a hosted asset
	EPHI        bool             `json:"ephi"`
	Part2       bool             `json:"part2"`
	Segregation string           `json:"segregation,omitempty"` // for Part 2 records
	Records     int              `json:"records"`               // approximate record count
	Location    string           `json:"location"`
	Owner       string           `json:"owner"`
	Criticality string           `json:"criticality"`
	EncAtRest   string           `json:"encryption_at_rest"`
	TLS         string           `json:"encryption_in_transit"`
	InScope     bool             `json:"in_scope"`
	Notes       string           `json:"notes,omitempty"`
}

// Flow is a data flow of ePHI from one asset to another asset, or to a party outside the
// organization (ToParty, with To empty).
type Flow struct {
	ID          string `json:"id"`
	From        string `json:"from"`               // asset ID
	To          string `json:"to"`                 // asset ID; "" for a flow to an outside party
	ToParty     string `json:"to_party,omitempty"` // one of OutsideParties
	Channel     string `json:"channel,omitempty"`  // one of FlowChannels; "" not recorded
	TLS         string `json:"tls,omitempty"`      // one of TLSChoices; "" not recorded
	Description string `json:"description"`
	Encrypted   bool   `json:"encrypted"`
}

// OutsideParties are the kinds of party outside the organization a data flow can reach.
var OutsideParties = []Choice{
	{"payer", "Payer or health plan"},
	{"clearinghouse", "Claims clearinghouse"},
	{"lab", "Laboratory"},
	{"hie", "Health information exchange"},
	{"pharmacy", "Pharmacy or e-prescribing network"},
	{"patient", "Patient"},
	{"other", "Other outside party"},
}

// FlowChannels are the ways a data flow travels.
var FlowChannels = []Choice{
	{"interface", "System interface (HL7, FHIR, API)"},
	{"sftp", "Secure file transfer"},
	{"email", "Email"},
	{"portal", "Web portal"},
	{"fax", "Fax or e-fax"},
	{"vpn", "VPN or private link"},
	{"removable-media", "Removable media"},
	{"other", "Other"},
}

// Outside reports whether the flow leaves the organization.
func (f Flow) Outside() bool { return f.To == "" && f.ToParty != "" }

// BAA statuses of a vendor.
type BAAStatus string

const (
	BAANone      BAAStatus = "none"
	BAARequested BAAStatus = "requested"
	BAASigned    BAAStatus = "signed"
	BAAExpired   BAAStatus = "expired"
)

// Attestation kinds a vendor can hold.
const (
	AttHITRUSTr2 = "hitrust-r2"
	AttHITRUSTi1 = "hitrust-i1"
	AttHITRUSTe1 = "hitrust-e1"
	AttSOC2Type2 = "soc2-type2"
	AttISO27001  = "iso27001"
)

// AttestationChoices in display order.
var AttestationChoices = []Choice{
	{AttHITRUSTr2, "HITRUST r2 (2-year validated)"},
	{AttHITRUSTi1, "HITRUST i1 (1-year validated)"},
	{AttHITRUSTe1, "HITRUST e1 (1-year essentials)"},
	{AttSOC2Type2, "SOC 2 Type II"},
	{AttISO27001, "ISO/IEC 27001 certificate"},
}

// Attestation is a third-party assurance report or certificate a vendor holds.
type Attestation struct {
	Kind      string `json:"kind"`
	PeriodEnd string `json:"period_end,omitempty"` // SOC 2: end of the examined period
	Expires   string `json:"expires"`              // YYYY-MM-DD
	// Scope says which services the report or certificate covers, as read in it.
	Scope string `json:"scope,omitempty"`
}

// Vendor is a business associate or cloud service provider.
type Vendor struct {
	ID               string        `json:"id"`
	Name             string        `json:"name"`
	Services         string        `json:"services"`
	BAA              BAAStatus     `json:"baa"`
	BAASigned        string        `json:"baa_signed,omitempty"` // YYYY-MM-DD
	BreachNoticeDays int           `json:"breach_notice_days"`   // 0 = not stated
	Flowdown         bool          `json:"subcontractor_flowdown"`
	Attestations     []Attestation `json:"attestations"`
}

// Status of a response.
type ResponseStatus string

const (
	Implemented    ResponseStatus = "implemented"
	Partial        ResponseStatus = "partial"
	NotImplemented ResponseStatus = "not-implemented"
	NotApplicable  ResponseStatus = "not-applicable"
	Flagged        ResponseStatus = "flagged"
	// Inherited is never stored: it is the derived status of a provider-owned item that
	// rests on the vendor's signed BAA and current attestation (see Inheritance). It is
	// kept apart from the practice's own Implemented everywhere.
	Inherited ResponseStatus = "inherited"
)

// ResponseStatuses in display order.
var ResponseStatuses = []Choice{
	{string(Implemented), "Implemented"},
	{string(Partial), "Partially implemented"},
	{string(NotImplemented), "Not implemented"},
	{string(NotApplicable), "Not applicable"},
	{string(Flagged), "Unknown / flagged for follow-up"},
}

// Decision is the §164.306(d)(3) decision recorded for an addressable specification.
type Decision string

const (
	DecisionNone          Decision = ""
	DecisionAsSpecified   Decision = "as-specified"
	DecisionAlternative   Decision = "alternative"
	DecisionNotReasonable Decision = "not-reasonable"
)

// Decisions in display order.
var Decisions = []Choice{
	{string(DecisionAsSpecified), "Implemented as specified"},
	{string(DecisionAlternative), "Equivalent alternative measure"},
	{string(DecisionNotReasonable), "Not reasonable and appropriate"},
}

// Response is the answer to one question, for the organization (AssetID "") or one asset.
type Response struct {
	QuestionID string         `json:"question_id"`
	AssetID    string         `json:"asset_id,omitempty"`
	Status     ResponseStatus `json:"status"`
	// Reason says why the specification is not applied as written: for not applicable, why
	// it does not apply; for an alternative measure, why the specification as written is
	// not reasonable and appropriate (§164.306(d)(3)(ii)(B) asks for that and the measure,
	// which DecisionText holds). A not-reasonable decision keeps its rationale in
	// DecisionText.
	Reason       string    `json:"reason,omitempty"`
	Decision     Decision  `json:"decision,omitempty"`      // addressable only
	DecisionText string    `json:"decision_text,omitempty"` // alternative measure, or rationale
	Note         string    `json:"note,omitempty"`
	Revalidate   bool      `json:"revalidate,omitempty"` // carried from a previous revision
	By           string    `json:"by"`
	At           time.Time `json:"at"`
	// ImportedFrom marks an answer brought in by `safeguard import`: the file and the day
	// (By and At are then who answered in the other workspace, and when).
	ImportedFrom string `json:"imported_from,omitempty"`
	// Returned is set on an answer that came back on a questionnaire packet: who
	// answered it and when the packet was returned (By and At are then the assessor who
	// imported it, and when).
	Returned *Returned `json:"returned,omitempty"`
	// Version is the version of the stored answer the user saw (0: none); the store
	// refuses a save when the answer changed since. Not part of documents.
	Version int64 `json:"-"`
}

// Override changes the default owner of one (question, asset) with a reason.
type Override struct {
	QuestionID string         `json:"question_id"`
	AssetID    string         `json:"asset_id,omitempty"`
	Owner      controls.Owner `json:"owner"`
	Reason     string         `json:"reason"`
	// Version is the version of the stored override the user saw (see Response.Version).
	Version int64 `json:"-"`
}

// Risk treatments.
type Treatment string

const (
	TreatNone     Treatment = ""
	TreatMitigate Treatment = "mitigate"
	TreatAccept   Treatment = "accept"
	TreatTransfer Treatment = "transfer"
	TreatAvoid    Treatment = "avoid"
)

// Treatments in display order.
var Treatments = []Choice{
	{string(TreatMitigate), "Mitigate"},
	{string(TreatAccept), "Accept"},
	{string(TreatTransfer), "Transfer"},
	{string(TreatAvoid), "Avoid"},
}

// RiskStatus is where a risk is in its life.
type RiskStatus string

const (
	RiskProposed   RiskStatus = "proposed"    // suggested from a gap, not yet confirmed
	RiskOpen       RiskStatus = "open"        // confirmed and rated
	RiskInProgress RiskStatus = "in-progress" // treatment under way
	RiskClosed     RiskStatus = "closed"      // treatment done
	RiskDismissed  RiskStatus = "dismissed"   // assessor judged it does not apply
)

// RiskStatuses in display order.
var RiskStatuses = []Choice{
	{string(RiskProposed), "Proposed"},
	{string(RiskOpen), "Open"},
	{string(RiskInProgress), "In progress"},
	{string(RiskClosed), "Closed"},
	{string(RiskDismissed), "Dismissed"},
}

// Risk is asset × vulnerability × threat, with its rating and treatment plan.
type Risk struct {
	ID              string     `json:"id"`
	AssetID         string     `json:"asset_id,omitempty"` // "" = organization-wide
	VulnerabilityID string     `json:"vulnerability_id"`
	ThreatID        string     `json:"threat_id"`
	QuestionIDs     []string   `json:"question_ids"` // the gaps that expose it
	Title           string     `json:"title"`
	Likelihood      int        `json:"likelihood"` // 0 = not rated
	Impact          int        `json:"impact"`
	Rationale       string     `json:"rationale,omitempty"`
	Treatment       Treatment  `json:"treatment,omitempty"`
	Measures        string     `json:"measures,omitempty"`
	Owner           string     `json:"owner,omitempty"`
	Due             string     `json:"due,omitempty"` // YYYY-MM-DD
	ResidualL       int        `json:"residual_likelihood,omitempty"`
	ResidualI       int        `json:"residual_impact,omitempty"`
	Status          RiskStatus `json:"status"`
	// CIA names the objectives the risk harms; "" takes the threat library's default
	// (RiskView.CIA resolves it).
	CIA CIA `json:"cia,omitempty"`
	// AcceptedBy, AcceptedAuthority and AcceptedOn record who accepted a risk whose
	// treatment is accept, in what capacity (the authority to accept it), and when.
	AcceptedBy        string `json:"accepted_by,omitempty"`
	AcceptedAuthority string `json:"accepted_authority,omitempty"`
	AcceptedOn        string `json:"accepted_on,omitempty"` // YYYY-MM-DD
	// Version is the version of the stored risk the user saw (see Response.Version).
	Version int64 `json:"-"`
}

// SignOff is the assessor's dated statement that finalizes an assessment.
type SignOff struct {
	Name      string `json:"name"`
	Role      string `json:"role"`
	Date      string `json:"date"` // YYYY-MM-DD
	Statement string `json:"statement"`
	// ChainHead is the audit chain head the sign-off sealed. Sign-offs made since seals
	// existed carry Seal (which names the head and its entry number, and the signature);
	// ChainHead then repeats Seal.Head.
	ChainHead string `json:"chain_head,omitempty"`
	Seal      *Seal  `json:"seal,omitempty"`
	// RecordedAt is when the workspace recorded the sign-off (the time of its audit entry),
	// printed beside the date the signer gave.
	RecordedAt time.Time `json:"recorded_at,omitzero"`
	// Approver approves the analysis for management, separately from the signer.
	Approver *Approver `json:"approver,omitempty"`
}

// Seal anchors an audit chain outside the workspace: the workspace identity and the
// chain head (its entry number and hash), and, when the user has a signing key, an
// Ed25519 signature over them (with the SHA-256 of a file, for reports and exports) and
// the key that made it. A printed seal lets anyone check later, with `safeguard verify
// --anchor`, that the history up to that entry was not rewritten.
type Seal struct {
	Workspace      string `json:"workspace"`
	Seq            int64  `json:"seq"`
	Head           string `json:"head"`
	SHA256         string `json:"sha256,omitempty"` // the content the signature also covers (exports)
	KeyFingerprint string `json:"key_fingerprint,omitempty"`
	PublicKey      string `json:"public_key,omitempty"`
	Signature      string `json:"signature,omitempty"`
}

// Anchor is the seal's chain head written as `safeguard verify --anchor` reads it.
func (s Seal) Anchor() string {
	if s.Seq == 0 {
		return ""
	}
	return fmt.Sprintf("%d:%s", s.Seq, s.Head)
}

// Signed reports whether the seal carries a signature.
func (s Seal) Signed() bool { return s.Signature != "" }

// ChoiceLabel is the label of value v among choices, or v itself.
func ChoiceLabel(choices []Choice, v string) string {
	for _, c := range choices {
		if c.Value == v {
			return c.Label
		}
	}
	return v
}

// Label is the status as people read it; "Not answered" for no answer.
func (s ResponseStatus) Label() string {
	switch s {
	case "":
		return "Not answered"
	case Inherited:
		return "Inherited from the provider"
	}
	return ChoiceLabel(ResponseStatuses, string(s))
}

// Label is the risk status as people read it.
func (s RiskStatus) Label() string { return ChoiceLabel(RiskStatuses, string(s)) }

// Label is the treatment as people read it; "Not chosen" when none is.
func (t Treatment) Label() string {
	if t == TreatNone {
		return "Not chosen"
	}
	return ChoiceLabel(Treatments, string(t))
}

// Returned is the provenance of an answer that came back on a questionnaire packet.
type Returned struct {
	Packet     string `json:"packet"`      // the packet's ID
	Respondent string `json:"respondent"`  // "Name, role", as the packet was made out
	On         string `json:"returned_on"` // YYYY-MM-DD, the day the assessor imported it
}

// Phrase is how documents credit the answer, with the day written by day (DocDay for a
// PDF, the stored ISO day for CSV): "answered by Dana Reyes, office manager
// (questionnaire returned Mar 2, 2026)". "" for an answer not returned on a packet.
func (r *Returned) Phrase(day func(string) string) string {
	if r == nil {
		return ""
	}
	return fmt.Sprintf("answered by %s (questionnaire returned %s)", r.Respondent, day(r.On))
}

// Check validates a returned answer's provenance (nil passes).
func (r *Returned) Check() error {
	if r == nil {
		return nil
	}
	if _, err := CleanName("packet ID", r.Packet); err != nil {
		return err
	}
	if _, err := CleanName("respondent", r.Respondent); err != nil {
		return err
	}
	return CheckDate("returned date", r.On)
}
