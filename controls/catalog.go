// Package controls holds the regulatory catalog: the HIPAA Security Rule's safeguards,
// standards and implementation specifications, the questions an assessor answers, and the
// threat library. The data lives in human-editable YAML files embedded in the binary; this
// package loads and validates them and knows nothing else of safeguard.
package controls

// Requirement says whether the regulation marks a specification required or addressable.
type Requirement string

const (
	Required    Requirement = "required"
	Addressable Requirement = "addressable"
)

// Scope says whether a question is answered once for the organization or once per asset.
type Scope string

const (
	ScopeOrganization Scope = "organization"
	ScopeAsset        Scope = "asset"
)

// Owner is who carries out a control: the customer (the assessed organization), the
// provider hosting the system, or both.
type Owner string

const (
	OwnerCustomer Owner = "customer"
	OwnerProvider Owner = "provider"
	OwnerShared   Owner = "shared"
)

// Hosting is how an asset is run.
type Hosting string

const (
	OnPrem Hosting = "on-prem"
	IaaS   Hosting = "iaas"
	PaaS   Hosting = "paas"
	SaaS   Hosting = "saas"
)

// Hostings lists every hosting model in display order.
var Hostings = []Hosting{OnPrem, IaaS, PaaS, SaaS}

// Condition limits a question to organizations of a certain kind. Empty means everyone.
type Condition string

const (
	ForEveryone Condition = ""
	// ForClearinghouseComponent: the organization contains a health care clearinghouse that
	// is part of a larger organization (§164.308(a)(4)(ii)(A)).
	ForClearinghouseComponent Condition = "clearinghouse-component"
	// ForHealthPlan: the organization is a health plan.
	ForHealthPlan Condition = "health-plan"
	// ForPlanSponsor: a group health plan whose plan sponsor receives ePHI beyond summary
	// health information and enrollment data (§164.314(b)).
	ForPlanSponsor Condition = "plan-sponsor"
	// ForPart2: 42 CFR Part 2 records are kept.
	ForPart2 Condition = "part2"
	// ForCoveredEntity: duties of covered entities only (for example notifying patients,
	// HHS and the media of a breach), not of business associates.
	ForCoveredEntity Condition = "covered-entity"
	// ForBusinessAssociate: duties of business associates only (for example notifying the
	// covered entity of a breach, §164.410).
	ForBusinessAssociate Condition = "business-associate"
)

// Conditions lists every condition a question may carry.
var Conditions = []Condition{ForEveryone, ForClearinghouseComponent, ForHealthPlan, ForPlanSponsor, ForPart2, ForCoveredEntity, ForBusinessAssociate}

// Depth is how thoroughly an assessment asks: essentials (the core every small practice
// answers, reaching every standard and required specification), standard, or complete
// (every question). A question carries the smallest depth at which it is asked.
type Depth string

const (
	DepthEssentials Depth = "essentials"
	DepthStandard   Depth = "standard"
	DepthComplete   Depth = "complete"
)

// Depths in increasing order.
var Depths = []Depth{DepthEssentials, DepthStandard, DepthComplete}

// Rank orders depths: 1 essentials, 2 standard, 3 complete, 0 for an unknown depth.
func (d Depth) Rank() int {
	switch d {
	case DepthEssentials:
		return 1
	case DepthStandard:
		return 2
	case DepthComplete:
		return 3
	}
	return 0
}

// Includes reports whether an assessment at depth d asks a question of depth q.
func (d Depth) Includes(q Depth) bool { return q.Rank() > 0 && q.Rank() <= d.Rank() }

// Basis is what a question rests on: the regulation's own text, HHS guidance (including
// NIST SP 800-66r2 and OCR guidance), recognized good practice, or the January 2025
// proposed rule (not law).
type Basis string

const (
	BasisRegulation   Basis = "regulation"
	BasisHHSGuidance  Basis = "hhs-guidance"
	BasisGoodPractice Basis = "good-practice"
	BasisProposedRule Basis = "proposed-rule"
)

// Bases lists every basis in display order.
var Bases = []Basis{BasisRegulation, BasisHHSGuidance, BasisGoodPractice, BasisProposedRule}

// Label is the basis as people read it.
func (b Basis) Label() string {
	switch b {
	case BasisRegulation:
		return "Regulation"
	case BasisHHSGuidance:
		return "HHS guidance"
	case BasisGoodPractice:
		return "Recognized good practice"
	case BasisProposedRule:
		return "2025 proposed rule (not law)"
	}
	return string(b)
}

// Answerer is who in a small practice can usually answer a question.
type Answerer string

const (
	ByAnyone        Answerer = "anyone"
	ByOfficeManager Answerer = "office-manager"
	ByITProvider    Answerer = "it-provider"
	ByVendor        Answerer = "vendor"
)

// Answerers lists every answerer in display order.
var Answerers = []Answerer{ByAnyone, ByOfficeManager, ByITProvider, ByVendor}

// Label is the answerer as people read it.
func (a Answerer) Label() string {
	switch a {
	case ByAnyone:
		return "Anyone in the practice"
	case ByOfficeManager:
		return "Office manager"
	case ByITProvider:
		return "IT provider"
	case ByVendor:
		return "Vendor"
	}
	return string(a)
}

// Threat sources, as HHS and NIST SP 800-66 Rev. 2 class them: natural, human (split into
// deliberate and accidental action), environmental, plus technical failures.
const (
	SourceNatural         = "natural"
	SourceHumanAccidental = "human-accidental"
	SourceHumanDeliberate = "human-deliberate"
	SourceEnvironmental   = "environmental"
	SourceTechnical       = "technical"
)

// Catalog is the whole loaded and validated catalog. Its JSON form is the stable interface
// printed by `safeguard catalog --format json`.
type Catalog struct {
	Version         string          `json:"version"`
	Safeguards      []Safeguard     `json:"safeguards"`
	Standards       []Standard      `json:"standards"`
	Questions       []Question      `json:"questions"`
	Vulnerabilities []Vulnerability `json:"vulnerabilities"`
	AssetKinds      []AssetKind     `json:"asset_kinds"`
	Lenses          []Lens          `json:"lenses"`
	// Regions adjust the likelihood hints of natural hazards to where the organization is.
	Regions []Region `json:"regions"`
	// Aliases map the IDs of questions merged into another onto the surviving question, so
	// answers exported under an old ID still import.
	Aliases []Alias `json:"aliases"`

	idx index
}

// Safeguard is one section of the rule (§164.308 … §164.316).
type Safeguard struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
}

// Standard is a Security Rule standard with its specifications and NIST key activities.
type Standard struct {
	ID             string          `yaml:"id" json:"id"`
	NISTID         string          `yaml:"nist_id" json:"nist_id,omitempty"`
	Title          string          `yaml:"title" json:"title"`
	Section        string          `yaml:"section" json:"section"`
	Specifications []Specification `yaml:"specifications" json:"specifications"`
	KeyActivities  []KeyActivity   `yaml:"key_activities" json:"key_activities"`
}

// Specification is an implementation specification of a standard.
type Specification struct {
	ID          string      `yaml:"id" json:"id"`
	NISTID      string      `yaml:"nist_id" json:"nist_id,omitempty"`
	Title       string      `yaml:"title" json:"title"`
	Requirement Requirement `yaml:"requirement" json:"requirement"`
}

// KeyActivity is one of the NIST SP 800-66r2 key activities of a standard.
type KeyActivity struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
}

// Responsibility is the default owner of an asset question's control under each hosting
// model it applies to; a hosting model the question is not asked for has no owner.
type Responsibility struct {
	OnPrem Owner `yaml:"on-prem" json:"on-prem,omitempty"`
	IaaS   Owner `yaml:"iaas" json:"iaas,omitempty"`
	PaaS   Owner `yaml:"paas" json:"paas,omitempty"`
	SaaS   Owner `yaml:"saas" json:"saas,omitempty"`
}

// For returns the default owner under hosting model h ("" for a model the question is not
// asked for; customer for an unknown model, since the organization stays accountable).
func (r Responsibility) For(h Hosting) Owner {
	switch h {
	case IaaS:
		return r.IaaS
	case PaaS:
		return r.PaaS
	case SaaS:
		return r.SaaS
	case OnPrem:
		return r.OnPrem
	}
	return OwnerCustomer
}

// Question is one catalog question.
type Question struct {
	ID            string `yaml:"id" json:"id"`
	Standard      string `yaml:"standard" json:"standard"`
	Specification string `yaml:"specification" json:"specification"`
	// AlsoCites lists further specifications or standards the question answers for, when
	// one control meets several paragraphs; reports count the item once under each.
	AlsoCites     []string `yaml:"also_cites" json:"also_cites,omitempty"`
	KeyActivities []string `yaml:"key_activities" json:"key_activities"`
	Text          string   `yaml:"text" json:"text"`
	// BAText is the question as a business associate reads it, where the covered entity's
	// wording does not fit.
	BAText     string   `yaml:"ba_text" json:"ba_text,omitempty"`
	Help       string   `yaml:"help" json:"help"`
	Evidence   []string `yaml:"evidence" json:"evidence"`
	Scope      Scope    `yaml:"scope" json:"scope"`
	AssetKinds []string `yaml:"asset_kinds" json:"asset_kinds"`
	// Hosting lists the hosting models the question is asked for; empty means all. On an
	// asset question it limits the assets asked; on an organization question it asks the
	// question only when some in-scope asset is hosted one of those ways.
	Hosting []Hosting `yaml:"hosting" json:"hosting,omitempty"`
	// Owner is the single owner of an organization question's control.
	Owner Owner `yaml:"owner" json:"owner,omitempty"`
	// Responsibility is the default owner of an asset question under each hosting model it
	// is asked for.
	Responsibility Responsibility `yaml:"responsibility" json:"responsibility,omitempty"`
	// Depth is the smallest assessment depth that asks the question.
	Depth Depth `yaml:"depth" json:"depth"`
	// Follows names the gate question: when the gate is answered not applicable (for the
	// organization, or for the same asset), this follow-up is not asked.
	Follows string `yaml:"follows" json:"follows,omitempty"`
	// Basis says whether the regulation, HHS guidance, good practice or the proposed rule
	// asks for the control; frequencies the basis does not set are given as examples.
	Basis Basis `yaml:"basis" json:"basis"`
	// AnsweredBy is who can usually answer it.
	AnsweredBy      Answerer `yaml:"answered_by" json:"answered_by"`
	Vulnerabilities []string `yaml:"vulnerabilities" json:"vulnerabilities"`
	SP80053r5       []string `yaml:"sp800_53r5" json:"sp800_53r5"`
	CSF20           []string `yaml:"csf_2_0" json:"csf_2_0"`
	Lenses          []string `yaml:"lenses" json:"lenses"`
	// Condition limits the question to some organizations (see Condition).
	Condition Condition `yaml:"condition" json:"condition,omitempty"`
	// Proposed marks a question that only the January 2025 proposed rule would require. It is
	// not law: such questions never count against current compliance.
	Proposed bool `yaml:"proposed" json:"proposed"`
}

// HelpFor is the help as an organization of the given kind reads it: for a business
// associate, "practice" is said as "organization".
func (q *Question) HelpFor(businessAssociate bool) string {
	if !businessAssociate {
		return q.Help
	}
	return PracticeToOrganization(q.Help)
}

// AppliesTo reports whether the question is asked for hosting model h.
func (q *Question) AppliesTo(h Hosting) bool {
	if len(q.Hosting) == 0 {
		return true
	}
	for _, x := range q.Hosting {
		if x == h {
			return true
		}
	}
	return false
}

// DefaultOwner is the catalog's owner of the question's control: the single owner of an
// organization question, or the owner under hosting model h of an asset question.
func (q *Question) DefaultOwner(h Hosting) Owner {
	if q.Scope != ScopeAsset {
		return q.Owner
	}
	return q.Responsibility.For(h)
}

// Citations lists the paragraphs the question answers for: its standard or specification
// first, then AlsoCites.
func (q *Question) Citations() []string {
	first := q.Specification
	if first == "" {
		first = q.Standard
	}
	return append([]string{first}, q.AlsoCites...)
}

// TextFor is the question as an organization of the given kind reads it: the business
// associate wording for a business associate where the catalog has one, and otherwise the
// practice's wording with "practice" said as "organization".
func (q *Question) TextFor(businessAssociate bool) string {
	if !businessAssociate {
		return q.Text
	}
	if q.BAText != "" {
		return q.BAText
	}
	return PracticeToOrganization(q.Text)
}

// HasLens reports whether the question carries the lens tag.
func (q *Question) HasLens(lens string) bool {
	for _, l := range q.Lenses {
		if l == lens {
			return true
		}
	}
	return false
}

// Vulnerability is a weakness in the threat library, with the threat events that can
// exploit it and (derived at load) the questions whose controls mitigate it.
type Vulnerability struct {
	ID          string   `yaml:"id" json:"id"`
	Title       string   `yaml:"title" json:"title"`
	Description string   `yaml:"description" json:"description"`
	MitigatedBy []string `yaml:"-" json:"mitigated_by"`
	Threats     []Threat `yaml:"threats" json:"threats"`
}

// Threat is a threat event with default likelihood and impact hints (1–5) for one
// vulnerability.
type Threat struct {
	ID         string `yaml:"id" json:"id"`
	Title      string `yaml:"title" json:"title"`
	Source     string `yaml:"source" json:"source"`
	Likelihood int    `yaml:"likelihood" json:"likelihood"`
	Impact     int    `yaml:"impact" json:"impact"`
}

// AssetKind is a kind of asset that per-asset questions can target.
type AssetKind struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
}

// Lens is a named view over the catalog. AsOf is the date its status was last checked
// (for the proposed rule, which may change).
type Lens struct {
	ID          string `yaml:"id" json:"id"`
	Title       string `yaml:"title" json:"title"`
	Status      string `yaml:"status" json:"status"`
	AsOf        string `yaml:"as_of" json:"as_of,omitempty"`
	Description string `yaml:"description" json:"description"`
}

// Region is a broad US region with the likelihood hints (1–5) of natural hazards there;
// a hazard it does not list keeps the threat library's national hint.
type Region struct {
	ID         string         `yaml:"id" json:"id"`
	Title      string         `yaml:"title" json:"title"`
	Likelihood map[string]int `yaml:"likelihood" json:"likelihood"`
}

// Alias maps a retired question ID onto the question that replaced it.
type Alias struct {
	Old    string `yaml:"old" json:"old"`
	New    string `yaml:"new" json:"new"`
	Reason string `yaml:"reason" json:"reason"`
}

// Label is the hosting model as people read it.
func (h Hosting) Label() string {
	switch h {
	case OnPrem:
		return "On-premises"
	case IaaS:
		return "IaaS"
	case PaaS:
		return "PaaS"
	case SaaS:
		return "SaaS"
	}
	return string(h)
}

// Short is the hosting model for narrow columns: "On-prem", "IaaS", "PaaS", "SaaS".
func (h Hosting) Short() string {
	if h == OnPrem {
		return "On-prem"
	}
	return h.Label()
}

// Phrase is the hosting model inside a sentence ("hosted on premises", "hosted as SaaS"):
// "on premises", "on IaaS", "on PaaS", "as SaaS"; "" when no known model is recorded.
func (h Hosting) Phrase() string {
	switch h {
	case OnPrem:
		return "on premises"
	case IaaS, PaaS:
		return "on " + h.Label()
	case SaaS:
		return "as SaaS"
	}
	return ""
}

// Label is the requirement as the regulation writes it: "Required" or "Addressable".
func (r Requirement) Label() string {
	if r == Addressable {
		return "Addressable"
	}
	return "Required"
}

// Short is a safeguard's name without the rule's wording: "Administrative", "Physical",
// "Technical", "Organizational", "Policies & documentation".
func (s Safeguard) Short() string {
	switch s.ID {
	case "164.308":
		return "Administrative"
	case "164.310":
		return "Physical"
	case "164.312":
		return "Technical"
	case "164.314":
		return "Organizational"
	case "164.316":
		return "Policies & documentation"
	}
	return s.Title
}

// Short is an asset kind in a table cell: "EHR", "PACS", "Endpoints", ….
func (k AssetKind) Short() string {
	switch k.ID {
	case "ehr":
		return "EHR"
	case "pacs":
		return "PACS"
	case "telehealth":
		return "Telehealth"
	case "backup":
		return "Backup"
	case "email":
		return "Email"
	case "endpoint":
		return "Endpoints"
	case "mobile":
		return "Mobile"
	case "network":
		return "Network"
	case "database":
		return "Database"
	case "medical-device":
		return "Med device"
	case "mfp-copier":
		return "Copier/MFP"
	case "website-portal":
		return "Web portal"
	case "other":
		return "Other"
	}
	return k.Title
}

// Label is the owner as people read it.
func (o Owner) Label() string {
	switch o {
	case OwnerCustomer:
		return "Customer"
	case OwnerProvider:
		return "Provider"
	case OwnerShared:
		return "Shared"
	}
	return string(o)
}
