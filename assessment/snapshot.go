package assessment

import (
	"time"

	"safeguard/controls"
)

// Evidence is a file or a typed note kept in the workspace's evidence vault.
type Evidence struct {
	ID          string         `json:"id"`
	SHA256      string         `json:"sha256"`
	Name        string         `json:"name"` // original file name, or the note's title
	MediaType   string         `json:"media_type"`
	Size        int64          `json:"size"`
	IsNote      bool           `json:"is_note"`
	Description string         `json:"description,omitempty"`
	ValidUntil  string         `json:"valid_until,omitempty"` // YYYY-MM-DD
	AddedBy     string         `json:"added_by"`
	AddedAt     time.Time      `json:"added_at"`
	Links       []EvidenceLink `json:"links"`
	// ImportedFrom marks evidence brought in by `safeguard import`: the file and the day
	// (AddedBy and AddedAt are then who added it in the other workspace, and when).
	ImportedFrom string `json:"imported_from,omitempty"`
}

// EvidenceLink ties evidence to a response (QuestionID with optional AssetID), an asset,
// or a vendor.
type EvidenceLink struct {
	QuestionID string `json:"question_id,omitempty"`
	AssetID    string `json:"asset_id,omitempty"`
	VendorID   string `json:"vendor_id,omitempty"`
}

// AuditSummary is what a report says about the audit trail.
type AuditSummary struct {
	Entries  int64    `json:"entries"`
	Head     string   `json:"head"`
	Verified bool     `json:"verified"`
	Problems []string `json:"problems,omitempty"`
	// Seal is the chain head the report states (Head and its entry number) with the
	// workspace identity, signed when the user has a signing key.
	Seal Seal `json:"seal"`
	// SinceSignOff counts, by kind, the entries added after the sign-off's seal, and
	// ChangesSinceSignOff those of them that change data (records of generated reports
	// and backups do not). Both are empty without a sealed sign-off.
	SinceSignOff        []KindCount `json:"since_sign_off,omitempty"`
	ChangesSinceSignOff int         `json:"changes_since_sign_off"`
	// Scope is what Verified covers when the verification checked only this assessment
	// (its records and evidence, and the chain up to the head); nil when it checked the
	// whole workspace or did not run.
	Scope *VerifyScope `json:"verify_scope,omitempty"`
	// Altered names the records verification found changed, added or deleted outside
	// safeguard, so a report can mark each where it prints it (empty when the check
	// passed or did not run).
	Altered []AlteredRecord `json:"altered,omitempty"`
}

// VerifyScope is what a verification of one assessment covered.
type VerifyScope struct {
	Records  int `json:"records"`  // the assessment's audited records compared with the audit trail
	Evidence int `json:"evidence"` // evidence files re-hashed
}

// AlteredRecord is one record verification found changed outside safeguard: its kind
// (the audit trail's entity name: "response", "asset", "risk", …) and ID, and for an
// answer the item it answers.
type AlteredRecord struct {
	Entity     string `json:"entity"`
	ID         string `json:"id"`
	QuestionID string `json:"question_id,omitempty"`
	AssetID    string `json:"asset_id,omitempty"`
}

// IsAltered reports whether verification found the record of entity with id altered.
func (a AuditSummary) IsAltered(entity, id string) bool {
	for _, r := range a.Altered {
		if r.Entity == entity && r.ID == id {
			return true
		}
	}
	return false
}

// AnswerAltered reports whether verification found the answer to item k altered.
func (a AuditSummary) AnswerAltered(k ItemKey) bool {
	for _, r := range a.Altered {
		if r.Entity == "response" && r.QuestionID == k.QuestionID && r.AssetID == k.AssetID {
			return true
		}
	}
	return false
}

// KindCount is how many audit entries of one kind there are ("answer", "report record").
type KindCount struct {
	Kind    string `json:"kind"`
	Entries int    `json:"entries"`
}

// Snapshot is everything a report or an export needs about one assessment, loaded by the
// store in one read transaction. Reports take nothing else.
type Snapshot struct {
	Assessment  Assessment   `json:"assessment"`
	Profile     Profile      `json:"profile"`
	Assets      []Asset      `json:"assets"`
	Flows       []Flow       `json:"flows"`
	Vendors     []Vendor     `json:"vendors"`
	Responses   []Response   `json:"responses"`
	Overrides   []Override   `json:"overrides"`
	Risks       []Risk       `json:"risks"`
	Evidence    []Evidence   `json:"evidence"`
	SignOff     *SignOff     `json:"sign_off,omitempty"`
	RevisionOf  string       `json:"revision_of,omitempty"`
	Audit       AuditSummary `json:"audit"`
	GeneratedAt time.Time    `json:"generated_at"`
	// Incidents are the incidents recorded against this assessment (breach notification,
	// incident.go); EarlierIncidents those of the assessment it revises, which its report
	// also shows. Neither is part of the analysis's figures.
	Incidents        []Incident `json:"incidents,omitempty"`
	EarlierIncidents []Incident `json:"-"`

	// The record of the method (method.go): data collection, assumptions and limitations;
	// the periodic-review plan; the statement that no outside party handles ePHI; why gaps
	// lead to no risk; threat sources ruled out; vendor reviews.
	Method        []MethodEntry  `json:"method,omitempty"`
	Review        ReviewPlan     `json:"review"`
	NoVendors     string         `json:"no_vendors,omitempty"`
	NoRisk        []NoRiskReason `json:"no_risk,omitempty"`
	ThreatRulings []ThreatRuling `json:"threat_rulings,omitempty"`
	VendorReviews []VendorReview `json:"vendor_reviews,omitempty"`
	// NoteTexts holds the text of evidence notes by SHA-256, for documents that print it
	// (the PDF's evidence index); loaded for outputs, not for every screen.
	NoteTexts map[string]string `json:"-"`
	// Previous is the analysis this one revises (RevisionOf), loaded without its own
	// predecessor; nil when there is none or it is no longer in the workspace.
	Previous *Snapshot `json:"-"`
	// Position is the last audit entry of the assessment when the store loaded it: where
	// an incremental refresh (store.Refresh) picks up.
	Position int64 `json:"-"`

	Catalog *controls.Catalog `json:"-"`
}

// ItemKey names one answerable item: a question for the organization (AssetID "") or for
// one asset.
type ItemKey struct {
	QuestionID string
	AssetID    string
}

// Item is an applicable question, for the organization or one asset.
type Item struct {
	Question *controls.Question
	Asset    *Asset // nil for organization-wide questions
}

// Key is the item's ItemKey.
func (it Item) Key() ItemKey {
	if it.Asset == nil {
		return ItemKey{QuestionID: it.Question.ID}
	}
	return ItemKey{QuestionID: it.Question.ID, AssetID: it.Asset.ID}
}

// Asset returns the asset with the given ID.
func (s *Snapshot) Asset(id string) (*Asset, bool) {
	for i := range s.Assets {
		if s.Assets[i].ID == id {
			return &s.Assets[i], true
		}
	}
	return nil, false
}

// Vendor returns the vendor with the given ID.
func (s *Snapshot) Vendor(id string) (*Vendor, bool) {
	for i := range s.Vendors {
		if s.Vendors[i].ID == id {
			return &s.Vendors[i], true
		}
	}
	return nil, false
}

// ResponseMap indexes the responses by item, under current question IDs: an answer kept
// under a retired question ID (a workspace started with an older catalog) counts for the
// question that replaced it, unless that item has an answer of its own. Import rewrites such
// answers for good (Document.Upgrade); this only reads them.
func (s *Snapshot) ResponseMap() map[ItemKey]*Response {
	m := make(map[ItemKey]*Response, len(s.Responses))
	var retired []*Response
	for i := range s.Responses {
		r := &s.Responses[i]
		if s.retired(r.QuestionID) {
			retired = append(retired, r)
			continue
		}
		m[ItemKey{r.QuestionID, r.AssetID}] = r
	}
	for _, r := range retired {
		k := ItemKey{s.currentID(r.QuestionID), r.AssetID}
		if _, own := m[k]; !own {
			m[k] = r
		}
	}
	return m
}

// OverrideMap indexes the responsibility overrides by item, under current question IDs
// like ResponseMap.
func (s *Snapshot) OverrideMap() map[ItemKey]*Override {
	m := make(map[ItemKey]*Override, len(s.Overrides))
	var retired []*Override
	for i := range s.Overrides {
		o := &s.Overrides[i]
		if s.retired(o.QuestionID) {
			retired = append(retired, o)
			continue
		}
		m[ItemKey{o.QuestionID, o.AssetID}] = o
	}
	for _, o := range retired {
		k := ItemKey{s.currentID(o.QuestionID), o.AssetID}
		if _, own := m[k]; !own {
			m[k] = o
		}
	}
	return m
}

func (s *Snapshot) retired(id string) bool {
	if s.Catalog == nil {
		return false
	}
	_, ok := s.Catalog.Retired(id)
	return ok
}

func (s *Snapshot) currentID(id string) string {
	if s.Catalog != nil {
		if cur, ok := s.Catalog.Retired(id); ok {
			return cur
		}
	}
	return id
}
