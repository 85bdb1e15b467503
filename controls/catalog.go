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
	ForEveryone      Condition = ""
	ForClearinghouse Condition = "clearinghouse"
	ForHealthPlan    Condition = "health-plan"
	ForPart2         Condition = "part2"
)

// Threat sources, as NIST SP 800-30 Rev. 1 classes them (adversarial split into deliberate
// and accidental human action).
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

// Responsibility is the default owner of a question's control under each hosting model.
type Responsibility struct {
	OnPrem Owner `yaml:"on-prem" json:"on-prem"`
	IaaS   Owner `yaml:"iaas" json:"iaas"`
	PaaS   Owner `yaml:"paas" json:"paas"`
	SaaS   Owner `yaml:"saas" json:"saas"`
}

// For returns the default owner under hosting model h (customer for an unknown model, since
// the organization always stays accountable).
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
	ID              string         `yaml:"id" json:"id"`
	Standard        string         `yaml:"standard" json:"standard"`
	Specification   string         `yaml:"specification" json:"specification"`
	KeyActivities   []string       `yaml:"key_activities" json:"key_activities"`
	Text            string         `yaml:"text" json:"text"`
	Help            string         `yaml:"help" json:"help"`
	Evidence        []string       `yaml:"evidence" json:"evidence"`
	Scope           Scope          `yaml:"scope" json:"scope"`
	AssetKinds      []string       `yaml:"asset_kinds" json:"asset_kinds"`
	Responsibility  Responsibility `yaml:"responsibility" json:"responsibility"`
	Vulnerabilities []string       `yaml:"vulnerabilities" json:"vulnerabilities"`
	SP80053r5       []string       `yaml:"sp800_53r5" json:"sp800_53r5"`
	CSF20           []string       `yaml:"csf_2_0" json:"csf_2_0"`
	Lenses          []string       `yaml:"lenses" json:"lenses"`
	// Condition limits the question to some organizations (clearinghouses, health plans,
	// Part 2 programs).
	Condition Condition `yaml:"condition" json:"condition,omitempty"`
	// Proposed marks a question that only the January 2025 proposed rule would require. It is
	// not law: such questions never count against current compliance.
	Proposed bool `yaml:"proposed" json:"proposed"`
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

// Lens is a named view over the catalog.
type Lens struct {
	ID          string `yaml:"id" json:"id"`
	Title       string `yaml:"title" json:"title"`
	Status      string `yaml:"status" json:"status"`
	Description string `yaml:"description" json:"description"`
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
