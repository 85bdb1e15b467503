package assessment

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Merging two assessors' work on one assessment by three-way comparison: each record of
// "mine" (this workspace) and "theirs" (a bundle from the other assessor) is compared with
// the common base, the state both last shared. A record changed on one side only is taken
// from that side; one changed on both sides to different content is a conflict for the
// assessor to decide; one changed on both sides to the same content is already merged.
// Records are compared by the SHA-256 of what they say (RecordHashes), so who typed an
// answer and when does not make two equal answers differ.
//
// Merged: vendors, assets, data flows, answers, owner overrides, risks, and evidence with
// its links. The profile, the record of the method, the review plan, incidents and the
// sign-off are not merged: they are changed on one side (MergePlan.NotMerged says when the
// other side changed them).

// Record kinds of a merge, in the order changes are applied.
const (
	MergeVendor   = "vendor"
	MergeAsset    = "asset"
	MergeFlow     = "flow"
	MergeEvidence = "evidence"
	MergeLink     = "evidence link"
	MergeResponse = "answer"
	MergeOverride = "owner override"
	MergeRisk     = "risk"
)

var mergeOrder = []string{MergeVendor, MergeAsset, MergeFlow, MergeEvidence, MergeLink, MergeResponse, MergeOverride, MergeRisk}

// MergeKey names a record in a merge: its kind and its ID within the assessment.
type MergeKey struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

func (k MergeKey) String() string { return k.Kind + ":" + k.ID }

// records lists a document's mergeable records by key, with their content.
func records(d *Document) map[MergeKey]any {
	m := map[MergeKey]any{}
	for _, v := range d.Vendors {
		m[MergeKey{MergeVendor, v.ID}] = v
	}
	for _, a := range d.Assets {
		m[MergeKey{MergeAsset, a.ID}] = a
	}
	for _, f := range d.Flows {
		m[MergeKey{MergeFlow, f.ID}] = f
	}
	for _, e := range d.Evidence {
		ev := e.Evidence
		for _, l := range ev.Links {
			m[MergeKey{MergeLink, LinkKey(ev.ID, l)}] = EvidenceLinkRecord{EvidenceID: ev.ID, Link: l}
		}
		ev.Links = nil
		m[MergeKey{MergeEvidence, ev.ID}] = EvidenceDoc{Evidence: ev, NoteText: e.NoteText}
	}
	for _, r := range d.Responses {
		m[MergeKey{MergeResponse, r.QuestionID + "/" + r.AssetID}] = r
	}
	for _, o := range d.Overrides {
		m[MergeKey{MergeOverride, o.QuestionID + "/" + o.AssetID}] = o
	}
	for _, r := range d.Risks {
		m[MergeKey{MergeRisk, r.ID}] = r
	}
	return m
}

// EvidenceLinkRecord is one evidence link as a merge record.
type EvidenceLinkRecord struct {
	EvidenceID string
	Link       EvidenceLink
}

// LinkKey is the merge ID of an evidence link.
func LinkKey(evidenceID string, l EvidenceLink) string {
	return evidenceID + "/" + l.QuestionID + "/" + l.AssetID + "/" + l.VendorID
}

// recordContent is what a record's hash covers: what it says, not who recorded it, when,
// or its version.
func recordContent(v any) any {
	switch x := v.(type) {
	case Response:
		return []any{x.Status, x.Reason, x.Decision, x.DecisionText, x.Note, x.Revalidate}
	case Override:
		return []any{x.Owner, x.Reason}
	case Risk:
		x.Version = 0
		return x
	case EvidenceDoc:
		e := x.Evidence
		return []any{e.SHA256, e.Name, e.MediaType, e.Size, e.IsNote, e.Description, e.ValidUntil}
	}
	return v
}

// RecordHash is the SHA-256 of a record's content.
func RecordHash(v any) string {
	b, _ := json.Marshal(recordContent(v))
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// RecordHashes are the content hashes of a document's mergeable records, keyed by
// MergeKey.String(): what a bundle records as the base of the next merge.
func RecordHashes(d *Document) map[string]string {
	out := map[string]string{}
	for k, v := range records(d) {
		out[k.String()] = RecordHash(v)
	}
	return out
}

// MergeChange is one record that differs between the two sides.
type MergeChange struct {
	Key      MergeKey
	Label    string // the record as a sentence names it
	Mine     any    // the record here (nil: absent)
	Theirs   any    // the record in the bundle (nil: absent)
	Conflict bool   // changed on both sides since the base
	// Ref numbers conflicts (C1, C2, …) in key order, for --take on the command line.
	Ref string
}

// MergePlan is what merging a bundle would do.
type MergePlan struct {
	Take      []MergeChange // changed only on their side: taken
	Conflicts []MergeChange // changed on both sides
	Kept      int           // changed only on this side: kept
	NotMerged []string      // parts the other side changed that a merge does not carry
}

// PlanMerge compares mine and theirs with base (RecordHashes of the common state).
func PlanMerge(base map[string]string, mine, theirs *Document) *MergePlan {
	m, t := records(mine), records(theirs)
	keys := map[MergeKey]bool{}
	for k := range m {
		keys[k] = true
	}
	for k := range t {
		keys[k] = true
	}
	for k := range base {
		if kind, id, ok := strings.Cut(k, ":"); ok {
			keys[MergeKey{kind, id}] = true
		}
	}
	sorted := make([]MergeKey, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	rank := func(kind string) int { return slices.Index(mergeOrder, kind) }
	sort.Slice(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Kind != b.Kind {
			return rank(a.Kind) < rank(b.Kind)
		}
		return a.ID < b.ID
	})
	names := namer{mine, theirs}
	p := &MergePlan{}
	for _, k := range sorted {
		mv, mok := m[k]
		tv, tok := t[k]
		mh, th, bh := "", "", base[k.String()]
		if mok {
			mh = RecordHash(mv)
		}
		if tok {
			th = RecordHash(tv)
		}
		switch {
		case mh == th:
		case !mok && tok && sameProposal(tv, mine.Risks):
			p.Kept++ // their proposal of a risk this side proposed too from the same gap
		case th == bh:
			p.Kept++
		case mh == bh:
			p.Take = append(p.Take, MergeChange{Key: k, Label: names.label(k, mv, tv), Mine: mv, Theirs: tv})
		default:
			c := MergeChange{Key: k, Label: names.label(k, mv, tv), Mine: mv, Theirs: tv, Conflict: true}
			c.Ref = fmt.Sprintf("C%d", len(p.Conflicts)+1)
			p.Conflicts = append(p.Conflicts, c)
		}
	}
	if mergeProfileHash(mine) != mergeProfileHash(theirs) {
		p.NotMerged = append(p.NotMerged, "the organization profile, review plan or record of the method differs in the bundle; change it here by hand if theirs is right")
	}
	return p
}

func mergeProfileHash(d *Document) string {
	b, _ := json.Marshal([]any{d.Profile, d.Review, d.NoVendors, d.Method, d.NoRisk, d.ThreatRulings, d.VendorReviews})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// namer names records for sentences, looking up asset and vendor names on both sides.
type namer struct{ mine, theirs *Document }

func (n namer) asset(id string) string {
	if id == "" {
		return "the organization"
	}
	for _, d := range []*Document{n.mine, n.theirs} {
		for _, a := range d.Assets {
			if a.ID == id {
				return fmt.Sprintf("%q", a.Name)
			}
		}
	}
	return "asset " + id
}

func (n namer) label(k MergeKey, mine, theirs any) string {
	v := theirs
	if v == nil {
		v = mine
	}
	switch x := v.(type) {
	case Vendor:
		return fmt.Sprintf("vendor %q", x.Name)
	case Asset:
		return fmt.Sprintf("asset %q", x.Name)
	case Flow:
		return fmt.Sprintf("data flow from %s", n.asset(x.From))
	case EvidenceDoc:
		return fmt.Sprintf("evidence %q", x.Name)
	case EvidenceLinkRecord:
		return fmt.Sprintf("a link of evidence %s", x.EvidenceID)
	case Response:
		return fmt.Sprintf("the answer to %s for %s", x.QuestionID, n.asset(x.AssetID))
	case Override:
		return fmt.Sprintf("the owner override of %s for %s", x.QuestionID, n.asset(x.AssetID))
	case Risk:
		return fmt.Sprintf("risk %q", x.Title)
	}
	return k.String()
}

// Summary says in a few words what a merge record holds, for the review of a conflict.
func MergeSummary(v any) string {
	switch x := v.(type) {
	case nil:
		return "removed"
	case Response:
		s := x.Status.Short()
		if x.Note != "" {
			s += ": " + x.Note
		}
		if x.Reason != "" {
			s += " (" + x.Reason + ")"
		}
		return fmt.Sprintf("%s — by %s, %s", s, x.By, DocTime(x.At))
	case Override:
		return fmt.Sprintf("owner %s: %s", x.Owner, x.Reason)
	case Risk:
		return fmt.Sprintf("%s, likelihood %d, impact %d, %s", x.Status, x.Likelihood, x.Impact, orNone(string(x.Treatment)))
	case Asset:
		return fmt.Sprintf("%s, %s, %s", x.Kind, x.Hosting.Label(), orNone(x.Notes))
	case Vendor:
		return fmt.Sprintf("BAA %s, %s", x.BAA, orNone(x.Services))
	case Flow:
		return orNone(x.Description)
	case EvidenceDoc:
		return fmt.Sprintf("%s, %s", x.Name, orNone(x.Description))
	case EvidenceLinkRecord:
		return "linked"
	}
	return fmt.Sprint(v)
}

// sameProposal reports whether v is a proposed risk that mine also proposed (same asset,
// vulnerability and threat): both sides answered the same gap, and the threat library
// proposed the same risk twice under different IDs.
func sameProposal(v any, mine []Risk) bool {
	r, ok := v.(Risk)
	if !ok || r.Status != RiskProposed {
		return false
	}
	for _, m := range mine {
		if m.Status == RiskProposed && m.AssetID == r.AssetID && m.VulnerabilityID == r.VulnerabilityID && m.ThreatID == r.ThreatID {
			return true
		}
	}
	return false
}
