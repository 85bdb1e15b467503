package assessment

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"safeguard/controls"
)

// Owner resolves who carries out the control of one item. Organization-wide items have the
// catalog's single owner, since the organization runs its own program; asset items use the
// default for the asset's hosting model. An override recorded for the item wins and is
// returned so callers can show its reason; an override naming an unknown owner is ignored
// rather than trusted, so bad data cannot hide a control. A default the catalog does not
// give (an asset hosted a way the question is not asked for) is the customer, who stays
// accountable.
func Owner(q *controls.Question, a *Asset, ov map[ItemKey]*Override) (controls.Owner, *Override) {
	key := ItemKey{QuestionID: q.ID}
	if a != nil {
		key.AssetID = a.ID
	}
	if o, ok := ov[key]; ok && o != nil && validOwner(o.Owner) {
		return o.Owner, o
	}
	h := controls.OnPrem
	if a != nil {
		h = a.Hosting
	}
	if o := q.DefaultOwner(h); validOwner(o) {
		return o, nil
	}
	return controls.OwnerCustomer, nil
}

func validOwner(o controls.Owner) bool {
	return o == controls.OwnerCustomer || o == controls.OwnerProvider || o == controls.OwnerShared
}

// ValidateOverride checks a responsibility override before it is stored: the question
// exists, the owner is customer, provider or shared, and a reason is given, because an
// auditor will ask why the catalog default was changed.
func ValidateOverride(cat *controls.Catalog, o Override) error {
	q, ok := cat.Question(o.QuestionID)
	if !ok {
		return fmt.Errorf("unknown question %q; use a question ID from the catalog", o.QuestionID)
	}
	if q.Scope == controls.ScopeAsset && o.AssetID == "" {
		return fmt.Errorf("question %s is answered per asset; name the asset whose owner changes", q.ID)
	}
	if q.Scope != controls.ScopeAsset && o.AssetID != "" {
		return fmt.Errorf("question %s is answered once for the organization; remove the asset", q.ID)
	}
	if !validOwner(o.Owner) {
		return fmt.Errorf("owner %q is not valid; use customer, provider or shared", o.Owner)
	}
	if strings.TrimSpace(o.Reason) == "" {
		return fmt.Errorf("a responsibility override needs a reason; say why the default owner does not fit")
	}
	if n := len([]rune(o.Reason)); n > MaxTextLen {
		return fmt.Errorf("the reason is %d characters long; shorten it to %d", n, MaxTextLen)
	}
	return nil
}

// Vendor issue kinds: why a provider-owned control cannot be relied on.
const (
	IssueBAAMissing        = "baa-missing"        // no BAA, or only requested
	IssueBAAExpired        = "baa-expired"        // the BAA has ended
	IssueAttestationLapsed = "attestation-lapsed" // every attestation expired
	IssueSOC2Only          = "soc2-only"          // SOC 2 Type II is the only kind held
	IssueNoAttestation     = "no-attestation"     // no third-party assurance at all
	IssueNoProvider        = "no-provider"        // a hosted asset names no vendor
)

// VendorIssue is one reason a vendor cannot (yet) be relied on for the controls it owns.
// Text is a short sentence that names the vendor and says what to obtain.
type VendorIssue struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// dateLayout is the only date form safeguard stores: unambiguous and sortable.
const dateLayout = "2006-01-02"

// ParseDate reads a YYYY-MM-DD date as midnight UTC. It refuses anything else (other
// separators, missing zero padding, times) so dates compare as calendar days everywhere.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil || len(s) != len(dateLayout) {
		return time.Time{}, fmt.Errorf("%q is not a date; write it as YYYY-MM-DD, for example 2025-03-31", s)
	}
	return t, nil
}

// day is t's calendar date (in t's own location) as midnight UTC, comparable with ParseDate.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// current reports whether an attestation is still valid on asOf. One that expires on asOf
// is valid for that whole day; one without a readable expiry date is not, because nothing
// shows it is current.
func (a Attestation) current(asOf time.Time) bool {
	exp, err := ParseDate(a.Expires)
	return err == nil && !exp.Before(day(asOf))
}

// BAAValid reports whether the vendor has a signed business associate agreement, the
// contract §164.308(b) and §164.314(a) require before a vendor handles ePHI.
func (v Vendor) BAAValid() bool { return v.BAA == BAASigned }

// VendorIssues lists why a vendor cannot yet be relied on for provider-owned controls, as
// of a date: a BAA that is missing, only requested or expired; no attestation at all;
// attestations that have all lapsed; or SOC 2 Type II as the only kind held, which alone
// does not demonstrate HIPAA compliance (it tests the vendor's chosen criteria, not the
// Security Rule). When some attestations are current, only those decide "SOC 2 only".
// It returns nil for a vendor with nothing to flag.
func VendorIssues(v Vendor, asOf time.Time) []VendorIssue {
	var out []VendorIssue
	name := v.Name
	if strings.TrimSpace(name) == "" {
		name = "this vendor"
	}
	switch v.BAA {
	case BAASigned:
	case BAAExpired:
		out = append(out, VendorIssue{IssueBAAExpired, fmt.Sprintf("The BAA with %s has expired; sign a new one.", name)})
	case BAARequested:
		out = append(out, VendorIssue{IssueBAAMissing, fmt.Sprintf("The BAA with %s is requested but not signed; get it signed.", name)})
	default:
		out = append(out, VendorIssue{IssueBAAMissing, fmt.Sprintf("There is no BAA with %s; sign one before it handles ePHI.", name)})
	}
	if len(v.Attestations) == 0 {
		return append(out, VendorIssue{IssueNoAttestation, fmt.Sprintf("%s has no attestation; ask for a HITRUST, ISO 27001 or SOC 2 report.", name)})
	}
	var held []Attestation
	for _, a := range v.Attestations {
		if a.current(asOf) {
			held = append(held, a)
		}
	}
	if len(held) == 0 {
		// name the day the last one expired: "lapsed by <as-of>" read as the lapse date
		last := ""
		for _, a := range v.Attestations {
			last = max(last, a.Expires)
		}
		when := "before " + DocDate(day(asOf))
		if last != "" {
			when = "on " + DocDay(last)
		}
		out = append(out, VendorIssue{IssueAttestationLapsed, fmt.Sprintf("Every attestation of %s has lapsed (the last expired %s); ask for a current report.", name, when)})
		held = v.Attestations
	}
	soc2Only := true
	for _, a := range held {
		if a.Kind != AttSOC2Type2 {
			soc2Only = false
			break
		}
	}
	if soc2Only {
		out = append(out, VendorIssue{IssueSOC2Only, fmt.Sprintf("%s holds only SOC 2 Type II, which alone does not show HIPAA compliance; review it against the Security Rule or ask for HITRUST.", name)})
	}
	return out
}

// inheritableKinds are the attestations that, with a signed BAA, let a provider-owned
// control rest on the vendor review: certifications assessed against a control framework
// that covers the HIPAA Security Rule's safeguards. SOC 2 Type II alone is not enough.
var inheritableKinds = []string{AttHITRUSTr2, AttHITRUSTi1, AttHITRUSTe1, AttISO27001}

// Inheritance is the vendor review a provider-owned item rests on: a signed BAA and the
// current attestations (those of an inheritable kind first, then any current SOC 2 Type II
// with its period) that stand as its evidence.
type Inheritance struct {
	VendorID     string        `json:"vendor_id"`
	Vendor       string        `json:"vendor"`
	BAASigned    string        `json:"baa_signed"`
	Attestations []Attestation `json:"attestations"`
}

// Basis says in one line what an inherited item rests on, for documents: the vendor, its
// signed BAA and each attestation with its expiry (and a SOC 2 report's period end), e.g.
// "Meridian Chart Cloud: BAA signed Feb 1, 2025; HITRUST r2 (2-year validated), expires
// May 31, 2027".
func (i *Inheritance) Basis() string {
	if i == nil {
		return ""
	}
	parts := []string{"BAA signed"}
	if i.BAASigned != "" {
		parts[0] += " " + DocDay(i.BAASigned)
	}
	for _, a := range i.Attestations {
		t := ChoiceLabel(AttestationChoices, a.Kind)
		if a.PeriodEnd != "" {
			t += ", period ending " + DocDay(a.PeriodEnd)
		}
		t += ", expires " + DocDay(a.Expires)
		if a.Scope != "" {
			t += ", covering " + a.Scope
		}
		parts = append(parts, t)
	}
	return i.Vendor + ": " + strings.Join(parts, "; ")
}

// InheritanceOf is the inheritance a vendor offers as of a date, or nil when its
// provider-owned controls cannot rest on it: no signed BAA, or no current attestation of an
// inheritable kind (SOC 2 Type II alone, or every attestation lapsed). VendorIssues says
// which, as the reason the items stay open.
func InheritanceOf(v Vendor, asOf time.Time) *Inheritance {
	if !v.BAAValid() {
		return nil
	}
	var strong, soc2 []Attestation
	for _, a := range v.Attestations {
		switch {
		case !a.current(asOf):
		case slices.Contains(inheritableKinds, a.Kind):
			strong = append(strong, a)
		case a.Kind == AttSOC2Type2:
			soc2 = append(soc2, a)
		}
	}
	if len(strong) == 0 {
		return nil
	}
	return &Inheritance{VendorID: v.ID, Vendor: v.Name, BAASigned: v.BAASigned, Attestations: append(strong, soc2...)}
}

// noProvider is the issue of a provider-owned item whose asset names no known vendor.
func noProvider(a *Asset) VendorIssue {
	return VendorIssue{IssueNoProvider, fmt.Sprintf("%s relies on a provider but names no vendor; record the vendor and its BAA.", a.Name)}
}

// assetVendorIssues is the issues of the asset's vendor, memoized in cache by vendor ID.
func assetVendorIssues(a *Asset, vendors map[string]*Vendor, cache map[string][]VendorIssue, asOf time.Time) []VendorIssue {
	v, ok := vendors[a.VendorID]
	if a.VendorID == "" || !ok {
		return []VendorIssue{noProvider(a)}
	}
	iss, ok := cache[v.ID]
	if !ok {
		iss = VendorIssues(*v, asOf)
		cache[v.ID] = iss
	}
	return iss
}

// vendorIndex maps vendor IDs to the snapshot's vendors.
func vendorIndex(s *Snapshot) map[string]*Vendor {
	m := make(map[string]*Vendor, len(s.Vendors))
	for i := range s.Vendors {
		m[s.Vendors[i].ID] = &s.Vendors[i]
	}
	return m
}
