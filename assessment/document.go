package assessment

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"safeguard/controls"
)

// Document is the versioned JSON form of a whole assessment: what `safeguard export
// --format json` writes and `safeguard import` reads. Fields are only ever added; a
// change that old readers would misread bumps DocumentVersion.
type Document struct {
	Format         string        `json:"format"`
	Version        int           `json:"version"`
	ExportedAt     time.Time     `json:"exported_at"`
	CatalogVersion string        `json:"catalog_version"`
	Assessment     Assessment    `json:"assessment"`
	Profile        Profile       `json:"profile"`
	Assets         []Asset       `json:"assets"`
	Flows          []Flow        `json:"flows"`
	Vendors        []Vendor      `json:"vendors"`
	Responses      []Response    `json:"responses"`
	Overrides      []Override    `json:"overrides"`
	Risks          []Risk        `json:"risks"`
	Evidence       []EvidenceDoc `json:"evidence"`
	SignOff        *SignOff      `json:"sign_off,omitempty"`
	RevisionOf     string        `json:"revision_of,omitempty"`

	// The record of the method (see Snapshot); absent from documents written before it.
	Method        []MethodEntry  `json:"method,omitempty"`
	Review        *ReviewPlan    `json:"review,omitempty"`
	NoVendors     string         `json:"no_vendors,omitempty"`
	NoRisk        []NoRiskReason `json:"no_risk,omitempty"`
	ThreatRulings []ThreatRuling `json:"threat_rulings,omitempty"`
	VendorReviews []VendorReview `json:"vendor_reviews,omitempty"`
	// Incidents recorded against the assessment, with their whole decision record.
	Incidents []Incident `json:"incidents,omitempty"`
	// Integrity anchors the export: the chain head of the workspace it came from, the
	// SHA-256 of the document itself (Digest), and a signature over both when the
	// exporter had a signing key. Import keeps a sign-off only when that signature holds.
	Integrity *Seal `json:"integrity,omitempty"`
}

// EvidenceDoc is evidence in a document: its metadata, and the text of a note. File
// contents stay in the workspace vault; an imported file item is recorded by hash and
// must be re-attached to be exported again.
type EvidenceDoc struct {
	Evidence
	NoteText string `json:"note_text,omitempty"`
}

// Document format identifiers.
const (
	DocumentFormat  = "safeguard-assessment"
	DocumentVersion = 1
	// MaxDocumentSize bounds an import; a real assessment is a few megabytes.
	MaxDocumentSize = 64 << 20
)

// ParseDocument reads and checks an assessment document: format and version, size, text
// encoding, shape, and that every question, asset, vendor and threat it names exists.
// Errors are one sentence saying what is wrong. A UTF-8 byte order mark (some editors
// write one) is skipped; invalid UTF-8, a repeated or unknown key, and a missing
// assessment ID are refused rather than guessed at.
func ParseDocument(r io.Reader, cat *controls.Catalog) (*Document, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the import file: %v", err)
	}
	if len(data) > MaxDocumentSize {
		return nil, fmt.Errorf("the import file is larger than %d MB; it is not a safeguard export", MaxDocumentSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("the import file is not valid UTF-8 text (at byte %d); give the file exactly as `safeguard export --format json` wrote it", invalidUTF8At(data))
	}
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("the import file is not valid JSON (%v); give a file written by `safeguard export --format json`", err)
	}
	if head.Format != DocumentFormat {
		return nil, fmt.Errorf("the import file is not a safeguard assessment (format %q); give a file written by `safeguard export --format json`", head.Format)
	}
	if head.Version < 1 || head.Version > DocumentVersion {
		return nil, fmt.Errorf("the import file has format version %d, this safeguard reads up to %d; upgrade safeguard", head.Version, DocumentVersion)
	}
	if err := checkJSONKeys(data); err != nil {
		return nil, err
	}
	var doc Document
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("the import file does not match the assessment format (%v); it may be damaged or edited by hand", err)
	}
	doc.Upgrade(cat)
	if err := doc.Check(cat); err != nil {
		return nil, err
	}
	return &doc, nil
}

// invalidUTF8At is the offset of the first byte that is not UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// checkJSONKeys refuses an object with the same key twice: encoding/json would keep the
// last and drop the other silently, so two different answers could hide in one file.
func checkJSONKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		keys   map[string]bool
		object bool
		expect bool // an object's next string token is a key
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("the import file is not valid JSON (%v); give a file written by `safeguard export --format json`", err)
		}
		top := len(stack) - 1
		if key, ok := tok.(string); ok && top >= 0 && stack[top].object && stack[top].expect {
			if stack[top].keys[key] {
				return fmt.Errorf("the import file has the key %q twice in one object; it was edited by hand, so remove one of them", key)
			}
			stack[top].keys[key] = true
			stack[top].expect = false
			continue
		}
		if top >= 0 && stack[top].object {
			stack[top].expect = true // a value ends here unless it opens a nested one
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{keys: map[string]bool{}, object: true, expect: true})
		case json.Delim('['):
			stack = append(stack, frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if n := len(stack) - 1; n >= 0 && stack[n].object {
				stack[n].expect = true
			}
		}
	}
}

// Digest is the SHA-256 of the document without its Integrity block, as canonical JSON:
// what an export's signature covers. Parsing and re-encoding a document gives the same
// digest, so an import can check the exporter's signature.
func (d *Document) Digest() (string, error) {
	c := *d
	c.Integrity = nil
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&c); err != nil {
		return "", err
	}
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:]), nil
}

// Check validates the references and values inside a document.
func (d *Document) Check(cat *controls.Catalog) error {
	if strings.TrimSpace(d.Assessment.ID) == "" {
		return errors.New("the import file's assessment has no ID; give a file written by `safeguard export --format json`, which always has one")
	}
	if _, err := CleanName("assessment ID", d.Assessment.ID); err != nil {
		return fmt.Errorf("in the import file: %w", err)
	}
	if _, err := CleanName("title", d.Assessment.Title); err != nil {
		return fmt.Errorf("in the import file: %w", err)
	}
	if err := CheckProfileIn(cat, d.Profile); err != nil {
		return fmt.Errorf("in the import file, the profile: %w", err)
	}
	if _, err := CleanName("organization name", d.Assessment.Organization); err != nil {
		return fmt.Errorf("in the import file: %w", err)
	}
	assets := map[string]bool{}
	for _, a := range d.Assets {
		if a.ID == "" || assets[a.ID] {
			return errors.New("the import file has an asset with a missing or repeated ID")
		}
		assets[a.ID] = true
		if err := CheckAsset(cat, a); err != nil {
			return fmt.Errorf("in the import file, asset %q: %w", a.Name, err)
		}
	}
	vendors := map[string]bool{}
	for _, v := range d.Vendors {
		if v.ID == "" || vendors[v.ID] {
			return errors.New("the import file has a vendor with a missing or repeated ID")
		}
		vendors[v.ID] = true
		if err := CheckVendor(v); err != nil {
			return fmt.Errorf("in the import file, vendor %q: %w", v.Name, err)
		}
	}
	for _, a := range d.Assets {
		if a.VendorID != "" && !vendors[a.VendorID] {
			return fmt.Errorf("in the import file, asset %q names a vendor that is not in the file", a.Name)
		}
	}
	for _, f := range d.Flows {
		if !assets[f.From] || (f.To != "" && !assets[f.To]) {
			return errors.New("in the import file, a data flow names an asset that is not in the file")
		}
		if err := CheckFlow(f); err != nil {
			return fmt.Errorf("in the import file, a data flow: %w", err)
		}
	}
	answered := map[ItemKey]bool{}
	for _, r := range d.Responses {
		k := ItemKey{r.QuestionID, r.AssetID}
		if answered[k] {
			return fmt.Errorf("the import file answers %s twice%s; an item has one answer, so remove the other", r.QuestionID, forAsset(r.AssetID))
		}
		answered[k] = true
		if r.AssetID != "" && !assets[r.AssetID] {
			return fmt.Errorf("in the import file, the answer to %s names an asset that is not in the file", r.QuestionID)
		}
		if err := ValidateResponse(cat, r); err != nil {
			return fmt.Errorf("in the import file: %w", err)
		}
		if err := r.Returned.Check(); err != nil {
			return fmt.Errorf("in the import file, the answer to %s: %w", r.QuestionID, err)
		}
	}
	overridden := map[ItemKey]bool{}
	for _, o := range d.Overrides {
		k := ItemKey{o.QuestionID, o.AssetID}
		if overridden[k] {
			return fmt.Errorf("the import file overrides the owner of %s twice%s; keep one override", o.QuestionID, forAsset(o.AssetID))
		}
		overridden[k] = true
		if _, ok := cat.Question(o.QuestionID); !ok || (o.AssetID != "" && !assets[o.AssetID]) {
			return fmt.Errorf("in the import file, the owner override for %s names a question or asset that does not exist", o.QuestionID)
		}
	}
	risks := map[string]bool{}
	for _, r := range d.Risks {
		if r.ID == "" || risks[r.ID] {
			return errors.New("the import file has a risk with a missing or repeated ID")
		}
		risks[r.ID] = true
		if r.AssetID != "" && !assets[r.AssetID] {
			return fmt.Errorf("in the import file, risk %q names an asset that is not in the file", r.Title)
		}
		if err := ValidateRisk(d.Profile.Matrix, r); err != nil {
			return fmt.Errorf("in the import file, risk %q: %w", r.Title, err)
		}
	}
	if err := d.checkMethod(cat, assets, vendors); err != nil {
		return err
	}
	return d.checkIncidents(risks)
}

// checkMethod validates the method records of a document against its assets and vendors,
// filling in the source of a threat ruling that names only its threat.
func (d *Document) checkMethod(cat *controls.Catalog, assets, vendors map[string]bool) error {
	entries := map[string]bool{}
	for _, e := range d.Method {
		if e.ID == "" || entries[e.ID] {
			return errors.New("the import file has a method record with a missing or repeated ID")
		}
		entries[e.ID] = true
		if err := CheckMethodEntry(e, time.Time{}); err != nil {
			return fmt.Errorf("in the import file, a method record: %w", err)
		}
	}
	if d.Review != nil {
		if err := CheckReviewPlan(*d.Review); err != nil {
			return fmt.Errorf("in the import file: %w", err)
		}
	}
	if err := CheckText("no-vendors statement", d.NoVendors); err != nil {
		return fmt.Errorf("in the import file: %w", err)
	}
	noRisk := map[ItemKey]bool{}
	for _, n := range d.NoRisk {
		if noRisk[n.Key()] {
			return fmt.Errorf("the import file gives two no-risk reasons for %s; keep one", n.QuestionID)
		}
		noRisk[n.Key()] = true
		if err := CheckNoRiskReason(cat, n); err != nil {
			return fmt.Errorf("in the import file: %w", err)
		}
		if n.AssetID != "" && !assets[n.AssetID] {
			return fmt.Errorf("in the import file, the no-risk reason for %s names an asset that is not in the file", n.QuestionID)
		}
	}
	rulings := map[string]bool{}
	for i, r := range d.ThreatRulings {
		r, err := CheckThreatRuling(cat, r)
		if err != nil {
			return fmt.Errorf("in the import file: %w", err)
		}
		d.ThreatRulings[i].Source = r.Source // a ruling on one threat may leave its source out
		if rulings[r.Key()] {
			return fmt.Errorf("the import file rules out %s twice; keep one ruling", r.Key())
		}
		rulings[r.Key()] = true
	}
	reviewed := map[string]bool{}
	for _, r := range d.VendorReviews {
		if reviewed[r.VendorID] {
			return errors.New("the import file reviews one vendor twice; keep one review")
		}
		reviewed[r.VendorID] = true
		if !vendors[r.VendorID] {
			return errors.New("in the import file, a vendor review names a vendor that is not in the file")
		}
		if err := CheckVendorReview(r, time.Time{}); err != nil {
			return fmt.Errorf("in the import file: %w", err)
		}
	}
	return nil
}

// forAsset names the asset of an item in an import error.
func forAsset(assetID string) string {
	if assetID == "" {
		return ""
	}
	return fmt.Sprintf(" for asset %q", assetID)
}

// DocumentOf turns a snapshot into its document (ExportedAt left for the caller to set).
// Evidence file contents are not included; notes are added by the store, which holds them.
func DocumentOf(s *Snapshot) *Document {
	d := &Document{
		Format:     DocumentFormat,
		Version:    DocumentVersion,
		Assessment: s.Assessment,
		Profile:    s.Profile,
		Assets:     nonNil(s.Assets),
		Flows:      nonNil(s.Flows),
		Vendors:    nonNil(s.Vendors),
		Responses:  nonNil(s.Responses),
		Overrides:  nonNil(s.Overrides),
		Risks:      nonNil(s.Risks),
		Evidence:   []EvidenceDoc{},
		SignOff:    s.SignOff,
		RevisionOf: s.RevisionOf,
		Incidents:  s.Incidents,

		Method:        s.Method,
		NoVendors:     s.NoVendors,
		NoRisk:        s.NoRisk,
		ThreatRulings: s.ThreatRulings,
		VendorReviews: s.VendorReviews,
	}
	if s.Review.Cadence != "" || s.Review.Next != "" || len(s.Review.Triggers) > 0 {
		review := s.Review
		d.Review = &review
	}
	d.CatalogVersion = s.Assessment.CatalogVersion
	for _, e := range s.Evidence {
		d.Evidence = append(d.Evidence, EvidenceDoc{Evidence: e})
	}
	return d
}

// nonNil makes empty lists encode as [] rather than null, so documents are stable.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// SnapshotOf is the snapshot a document describes, for reports and tests that start from a
// document rather than a workspace. Audit and evidence contents are not part of it.
func SnapshotOf(d *Document, cat *controls.Catalog) *Snapshot {
	s := &Snapshot{
		Assessment:  d.Assessment,
		Profile:     d.Profile,
		Assets:      d.Assets,
		Flows:       d.Flows,
		Vendors:     d.Vendors,
		Responses:   d.Responses,
		Overrides:   d.Overrides,
		Risks:       d.Risks,
		SignOff:     d.SignOff,
		RevisionOf:  d.RevisionOf,
		Incidents:   d.Incidents,
		GeneratedAt: d.ExportedAt,
		Catalog:     cat,

		Method:        d.Method,
		NoVendors:     d.NoVendors,
		NoRisk:        d.NoRisk,
		ThreatRulings: d.ThreatRulings,
		VendorReviews: d.VendorReviews,
	}
	if d.Review != nil {
		s.Review = *d.Review
	}
	s.Assessment.CatalogVersion = d.CatalogVersion
	for _, e := range d.Evidence {
		s.Evidence = append(s.Evidence, e.Evidence)
		if e.IsNote && e.NoteText != "" {
			if s.NoteTexts == nil {
				s.NoteTexts = map[string]string{}
			}
			s.NoteTexts[e.SHA256] = e.NoteText
		}
	}
	return s
}
