package assessment

import (
	"fmt"
	"slices"
	"strings"
)

// Secured or unsecured (§164.402, "unsecured protected health information"): PHI is
// secured only when HHS's guidance makes it unusable, unreadable or indecipherable to
// unauthorized persons: encrypted consistently with NIST SP 800-111 (at rest) or SP 800-52,
// 800-77 or 800-113 (in transit), with the confidential process or key not also breached,
// or destroyed (paper shredded so it cannot be reconstructed; electronic media cleared,
// purged or destroyed consistently with SP 800-88). The breach notification duties apply
// only to unsecured PHI.
//
// What the inventory records decides what encryption can have done, together with how the
// incident reached the data:
//
//   - Stored data (a lost or stolen device, a discarded disk, a copy taken from storage):
//     encryption at rest protects it, provided the keys were not compromised too.
//   - Through a running system (a compromised account, ransomware, the application): the
//     system decrypts what it stores for whoever uses it, so encryption at rest does not
//     protect the data, except where the provider the incident reached never held the keys
//     (customer-held keys).
//   - In transit: TLS 1.2 or later on the asset and encryption on every recorded flow that
//     touches it protect the data, provided the keys were not compromised.
//   - Given or shown to the wrong person: the data was readable; nothing secured it.
//
// Where the data cannot show the answer the result is Undetermined, and the assessor
// decides with a reason. The derivation never calls data secured on a guess: the burden of
// proof is the organization's (§164.414(b)).

// AssetSecured is the derivation for one affected asset.
type AssetSecured struct {
	AssetID string
	Name    string
	Result  string   // Secured, Unsecured or Undetermined
	Reasons []string // sentences, in the order they were weighed
}

// SecuredResult is the derivation for an incident.
type SecuredResult struct {
	Result  string // Secured, Unsecured or Undetermined
	Summary string // one sentence
	Assets  []AssetSecured
}

// DeriveSecured derives whether the incident's PHI was secured from its affected assets as
// recorded, the way the data was reached, and whether the keys were compromised.
func DeriveSecured(inc *Incident) SecuredResult {
	exposure := inc.Exposure
	if exposure == "" {
		exposure = DefaultExposure(inc.Type)
	}
	if exposure == ExposureDisclosure {
		return SecuredResult{Result: Unsecured,
			Summary: "The PHI was given, sent or shown to someone in readable form; encryption did not protect it, so it was unsecured."}
	}
	if len(inc.Assets) == 0 {
		return SecuredResult{Result: Undetermined,
			Summary: "No affected asset is named, so the inventory cannot show whether the PHI was secured; name the assets or decide with a reason."}
	}
	vendors := map[string]bool{}
	for _, v := range inc.Vendors {
		vendors[v.ID] = true
	}
	r := SecuredResult{Result: Secured}
	for _, a := range inc.Assets {
		s := DeriveAssetSecured(a, exposure, inc.Keys, a.VendorID != "" && vendors[a.VendorID])
		r.Assets = append(r.Assets, s)
		switch {
		case s.Result == Unsecured:
			r.Result = Unsecured
		case s.Result == Undetermined && r.Result == Secured:
			r.Result = Undetermined
		}
	}
	switch r.Result {
	case Secured:
		r.Summary = "Every affected asset's data was protected by encryption that the incident did not defeat: the PHI was secured."
	case Unsecured:
		var names []string
		for _, s := range r.Assets {
			if s.Result == Unsecured {
				names = append(names, s.Name)
			}
		}
		r.Summary = "The PHI on " + joinWords(names) + " was unsecured."
	default:
		var names []string
		for _, s := range r.Assets {
			if s.Result == Undetermined {
				names = append(names, s.Name)
			}
		}
		r.Summary = "The recorded data cannot show whether the PHI on " + joinWords(names) + " was secured; decide with a reason."
	}
	if exposure == "" {
		r.Summary += " How the data was reached is not recorded, so the derivation assumed through the running system."
	}
	return r
}

// DeriveAssetSecured is the rule for one asset. exposure "" is treated as through the
// running system, the case encryption at rest protects least. keys is KeysCompromised,
// KeysSafe or "" (not known). atProvider says the incident reached the asset's provider
// (the asset's vendor is named on the incident).
func DeriveAssetSecured(a IncidentAsset, exposure, keys string, atProvider bool) AssetSecured {
	s := AssetSecured{AssetID: a.ID, Name: a.Name}
	if !a.EPHI {
		return s.set(Undetermined, fmt.Sprintf("The inventory records no ePHI on %s; if the incident reached PHI there, correct the inventory or decide with a reason.", a.Name))
	}
	switch exposure {
	case ExposureDisclosure:
		return s.set(Unsecured, "The PHI was given or shown in readable form; encryption did not protect it.")
	case ExposureTransit:
		return s.transit(a, keys)
	case ExposureMedia:
		return s.atRest(a, keys)
	}
	if exposure == "" {
		s.Reasons = append(s.Reasons, "How the data was reached is not recorded; the derivation assumes through the running system.")
	}
	if a.EncAtRest == EncCustomerHeld && atProvider {
		s.Reasons = append(s.Reasons, "The incident reached the provider, which never held the keys: the provider's systems hold only encrypted data.")
		return s.atRest(a, keys)
	}
	switch a.EncAtRest {
	case EncProviderManaged, EncCustomerManaged, EncCustomerHeld:
		s.Reasons = append(s.Reasons, fmt.Sprintf("Encryption at rest (%s) is transparent to the running system: data taken through an account, malware or the application is read decrypted.", strings.ToLower(encLabel(a.EncAtRest))))
		if a.EncAtRest != EncCustomerHeld {
			s.Reasons = append(s.Reasons, "The service decrypts with keys it is allowed to use.")
		}
		return s.set(Unsecured, "Encryption at rest did not secure the PHI.")
	case EncNone:
		return s.set(Unsecured, "The data is not encrypted at rest.")
	}
	return s.set(Unsecured, "Encryption at rest is not recorded, and it would not have protected data taken through the running system.")
}

// atRest is the rule for stored data: encryption at rest with keys the incident did not
// reach.
func (s AssetSecured) atRest(a IncidentAsset, keys string) AssetSecured {
	switch a.EncAtRest {
	case "":
		return s.set(Undetermined, "Encryption at rest is not recorded for this asset.")
	case EncNone:
		return s.set(Unsecured, "The stored data is not encrypted at rest.")
	}
	if f, ok := a.finding(ConcernRest, NotImplemented); ok {
		return s.set(Unsecured, fmt.Sprintf("The answer to %s says encryption at rest is not implemented on this asset, although the inventory records it; treat the data as unencrypted.", f.QuestionID))
	}
	s.Reasons = append(s.Reasons, fmt.Sprintf("Stored data is encrypted at rest (%s).", strings.ToLower(encLabel(a.EncAtRest))))
	for _, f := range a.Findings {
		if f.Concern == ConcernRest || f.Concern == ConcernKeys {
			s.Reasons = append(s.Reasons, fmt.Sprintf("But the answer to %s is %s: %s", f.QuestionID, strings.ToLower(f.Status.Short()), concernGap(f.Concern)))
		}
	}
	if gap := a.hasFinding(ConcernRest); gap {
		if keys == KeysCompromised {
			return s.set(Unsecured, "The keys were compromised too.")
		}
		return s.set(Undetermined, "Confirm that the affected copy or device was among those encrypted.")
	}
	switch keys {
	case KeysCompromised:
		return s.set(Unsecured, "The keys were compromised too, so the encryption no longer protects the data.")
	case KeysSafe:
		return s.set(Secured, "The keys were not compromised.")
	}
	return s.set(Undetermined, "Whether the keys were compromised is not recorded; the data is secured only if they were not.")
}

// transit is the rule for data intercepted in transit.
func (s AssetSecured) transit(a IncidentAsset, keys string) AssetSecured {
	var plain []string
	for _, f := range a.Flows {
		if !f.Encrypted {
			plain = append(plain, f.Peer)
		}
	}
	if len(plain) > 0 {
		return s.set(Unsecured, fmt.Sprintf("The data flows with %s are not encrypted.", joinWords(plain)))
	}
	switch a.TLS {
	case "none":
		return s.set(Unsecured, "The asset does not encrypt data in transit.")
	case "tls1.0", "tls1.1":
		return s.set(Unsecured, fmt.Sprintf("%s falls short of NIST SP 800-52 Rev. 2, which requires TLS 1.2 and discourages the older versions; the data is treated as unsecured unless shown otherwise.", encTLSLabel(a.TLS)))
	case "":
		return s.set(Undetermined, "Encryption in transit is not recorded for this asset.")
	}
	if f, ok := a.finding(ConcernTransit, NotImplemented); ok {
		return s.set(Unsecured, fmt.Sprintf("The answer to %s says transmission encryption is not implemented on this asset.", f.QuestionID))
	}
	s.Reasons = append(s.Reasons, fmt.Sprintf("Data in transit uses %s, and every recorded flow that touches the asset is encrypted.", encTLSLabel(a.TLS)))
	if a.hasFinding(ConcernTransit) {
		for _, f := range a.Findings {
			if f.Concern == ConcernTransit {
				s.Reasons = append(s.Reasons, fmt.Sprintf("But the answer to %s is %s: %s", f.QuestionID, strings.ToLower(f.Status.Short()), concernGap(f.Concern)))
			}
		}
		return s.set(Undetermined, "Confirm that the intercepted traffic was encrypted.")
	}
	switch keys {
	case KeysCompromised:
		return s.set(Unsecured, "The keys were compromised too, so the encryption no longer protects the data.")
	case KeysSafe:
		return s.set(Secured, "The keys were not compromised.")
	}
	return s.set(Undetermined, "Whether the keys were compromised is not recorded; the data is secured only if they were not.")
}

func (s AssetSecured) set(result, reason string) AssetSecured {
	s.Result = result
	s.Reasons = append(slices.Clip(s.Reasons), reason)
	return s
}

func (a IncidentAsset) finding(concern string, status ResponseStatus) (EncFinding, bool) {
	for _, f := range a.Findings {
		if f.Concern == concern && f.Status == status {
			return f, true
		}
	}
	return EncFinding{}, false
}

func (a IncidentAsset) hasFinding(concern string) bool {
	for _, f := range a.Findings {
		if f.Concern == concern {
			return true
		}
	}
	return false
}

func concernGap(concern string) string {
	switch concern {
	case ConcernRest:
		return "encryption at rest may not cover every copy or device."
	case ConcernTransit:
		return "transmission encryption may not cover every connection."
	}
	return "key management has gaps."
}

func encLabel(v string) string {
	if v == "" {
		return "Not recorded"
	}
	return ChoiceLabel(EncryptionChoices, v)
}

func encTLSLabel(v string) string {
	if v == "" {
		return "Not recorded"
	}
	return ChoiceLabel(TLSChoices, v)
}

// joinWords writes a list as "A", "A and B" or "A, B and C".
func joinWords(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}

// Vulnerabilities whose questions speak to encryption: an answer short of implemented on
// an affected asset is copied onto the incident as a finding.
var concernOf = map[string]string{
	"unencrypted-data-at-rest": ConcernRest,
	"unencrypted-transmission": ConcernTransit,
	"key-compromise":           ConcernKeys,
}

// CaptureAsset copies an asset from the snapshot for an incident: its inventory record,
// the flows that touch it and the answers on its encryption that fall short of
// implemented. on is the day of the copy (YYYY-MM-DD).
func CaptureAsset(s *Snapshot, assetID, on string) (IncidentAsset, bool) {
	a, ok := s.Asset(assetID)
	if !ok {
		return IncidentAsset{}, false
	}
	c := IncidentAsset{ID: a.ID, Name: a.Name, Kind: a.Kind, Hosting: string(a.Hosting), VendorID: a.VendorID, EPHI: a.EPHI,
		Part2: a.Part2, EncAtRest: a.EncAtRest, TLS: a.TLS, Recorded: on}
	if v, ok := s.Vendor(a.VendorID); ok {
		c.VendorName = v.Name
	}
	for _, f := range s.Flows {
		var peer string
		switch a.ID {
		case f.From:
			peer = f.To
		case f.To:
			peer = f.From
		default:
			continue
		}
		name := peer
		if p, ok := s.Asset(peer); ok {
			name = p.Name
		}
		c.Flows = append(c.Flows, FlowRecord{Peer: name, Outbound: f.From == a.ID, Encrypted: f.Encrypted, Description: f.Description})
	}
	if s.Catalog != nil {
		for _, r := range s.Responses {
			if r.AssetID != a.ID || (r.Status != Partial && r.Status != NotImplemented && r.Status != Flagged) {
				continue
			}
			q, ok := s.Catalog.Question(r.QuestionID)
			if !ok {
				continue
			}
			for _, v := range q.Vulnerabilities {
				if concern, ok := concernOf[v]; ok {
					c.Findings = append(c.Findings, EncFinding{QuestionID: r.QuestionID, Concern: concern, Status: r.Status})
				}
			}
		}
		slices.SortFunc(c.Findings, func(x, y EncFinding) int {
			return strings.Compare(x.Concern+x.QuestionID, y.Concern+y.QuestionID)
		})
	}
	return c, true
}

// CaptureVendor copies a vendor from the snapshot for an incident.
func CaptureVendor(s *Snapshot, vendorID string) (IncidentVendor, bool) {
	v, ok := s.Vendor(vendorID)
	if !ok {
		return IncidentVendor{}, false
	}
	return IncidentVendor{ID: v.ID, Name: v.Name, BAA: v.BAA, BreachNoticeDays: v.BreachNoticeDays}, true
}
