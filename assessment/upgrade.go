package assessment

import (
	"fmt"
	"slices"
	"strings"

	"safeguard/controls"
)

// Upgrade rewrites a document exported with an older catalog so that every answer, owner
// override, risk and evidence link recorded under a retired question ID (one merged into
// another question, see the catalog's aliases) moves to the question that replaced it. It
// returns how many records it changed.
//
// Nothing typed is dropped. When both the retired and the surviving question were
// answered for the same item, the surviving answer stands and the retired one is kept in
// its note. When a per-asset question was merged into an organization-wide one, the
// answers for the assets become one organization answer with the least favorable status,
// each asset's answer kept in the note; when an organization-wide question was merged into
// a per-asset one, its answer is copied to every in-scope asset the question is asked of.
// A §164.306(d)(3) decision the surviving question does not take moves into the note.
// Answers that changed meaning this way are marked to re-validate.
func (d *Document) Upgrade(cat *controls.Catalog) int {
	u := upgrader{cat: cat, d: d, answered: map[ItemKey]int{}}
	for i, r := range d.Responses {
		if _, retired := cat.Retired(r.QuestionID); !retired {
			u.answered[ItemKey{r.QuestionID, r.AssetID}] = i
		}
	}
	var kept []Response
	collapse := map[ItemKey][]Response{} // org item -> asset answers merged into it
	for _, r := range d.Responses {
		cur, retired := cat.Retired(r.QuestionID)
		if !retired {
			kept = append(kept, r)
			continue
		}
		u.changed++
		q, _ := cat.Question(cur)
		switch {
		case q.Scope == controls.ScopeAsset && r.AssetID == "":
			kept = append(kept, u.fanOut(r, q)...)
		case q.Scope != controls.ScopeAsset && r.AssetID != "":
			k := ItemKey{cur, ""}
			collapse[k] = append(collapse[k], r)
		default:
			if moved, ok := u.move(r, q); ok {
				kept = append(kept, moved)
			}
		}
	}
	for _, k := range sortedKeys(collapse) {
		if r, ok := u.collapse(k, collapse[k]); ok {
			kept = append(kept, r)
		}
	}
	d.Responses = u.applyNotes(kept)
	u.upgradeOverrides()
	u.upgradeRisks()
	u.upgradeEvidence()
	if u.changed > 0 {
		d.CatalogVersion = cat.Version
	}
	return u.changed
}

type upgrader struct {
	cat      *controls.Catalog
	d        *Document
	answered map[ItemKey]int      // item -> index in d.Responses of its own answer
	notes    map[ItemKey][]string // extra note lines for answers that stand
	changed  int
}

// note records a line to append to the note of the answer that stands for k.
func (u *upgrader) note(k ItemKey, line string) {
	if u.notes == nil {
		u.notes = map[ItemKey][]string{}
	}
	u.notes[k] = append(u.notes[k], line)
}

func (u *upgrader) applyNotes(rs []Response) []Response {
	for i := range rs {
		k := ItemKey{rs[i].QuestionID, rs[i].AssetID}
		if lines := u.notes[k]; len(lines) > 0 {
			rs[i].Note = joinNote(rs[i].Note, lines...)
		}
	}
	return rs
}

func joinNote(note string, lines ...string) string {
	parts := []string{}
	if strings.TrimSpace(note) != "" {
		parts = append(parts, note)
	}
	parts = append(parts, lines...)
	s := strings.Join(parts, "\n")
	if r := []rune(s); len(r) > MaxTextLen {
		s = string(r[:MaxTextLen])
	}
	return s
}

// describe is a retired answer as a note line.
func describe(r Response) string {
	s := fmt.Sprintf("Answered under retired question %s: %s", r.QuestionID, r.Status.Label())
	for _, part := range []string{r.Reason, r.DecisionText, r.Note} {
		if strings.TrimSpace(part) != "" {
			s += "; " + part
		}
	}
	return s + "."
}

// move carries a same-scope answer onto the surviving question, or into the note of the
// answer the surviving item already has.
func (u *upgrader) move(r Response, q *controls.Question) (Response, bool) {
	k := ItemKey{q.ID, r.AssetID}
	if _, taken := u.answered[k]; taken {
		u.note(k, describe(r))
		return Response{}, false
	}
	old := r.QuestionID
	r.QuestionID = q.ID
	u.fitDecision(&r, q, old)
	u.answered[k] = -1
	return r, true
}

// fitDecision moves a decision the surviving question does not take into the note.
func (u *upgrader) fitDecision(r *Response, q *controls.Question, old string) {
	if r.Decision == DecisionNone || isAddressable(u.cat, q) {
		return
	}
	line := fmt.Sprintf("Under retired question %s this answer recorded the decision %q", old, r.Decision.Label())
	if r.DecisionText != "" {
		line += ": " + r.DecisionText
	}
	r.Note = joinNote(r.Note, line+". The question it merged into takes no §164.306(d)(3) decision.")
	r.Decision, r.DecisionText = DecisionNone, ""
	r.Revalidate = true
}

// fanOut copies an organization answer to every in-scope asset the per-asset surviving
// question is asked of, where that asset's item has no answer yet.
func (u *upgrader) fanOut(r Response, q *controls.Question) []Response {
	var out []Response
	for i := range u.d.Assets {
		a := &u.d.Assets[i]
		if assetWhy(q, a) != "" {
			continue
		}
		k := ItemKey{q.ID, a.ID}
		if _, taken := u.answered[k]; taken {
			u.note(k, describe(r))
			continue
		}
		c := r
		c.QuestionID, c.AssetID, c.Revalidate = q.ID, a.ID, true
		c.Note = joinNote(fmt.Sprintf("Carried from the organization-wide answer to retired question %s.", r.QuestionID), r.Note)
		u.fitDecision(&c, q, r.QuestionID)
		u.answered[k] = -1
		out = append(out, c)
	}
	return out
}

// statusRank orders statuses from least to most favorable, for merging asset answers into
// one organization answer.
func statusRank(st ResponseStatus) int {
	switch st {
	case NotImplemented:
		return 0
	case Partial:
		return 1
	case Flagged:
		return 2
	case Implemented:
		return 3
	}
	return 4 // not applicable
}

// collapse merges per-asset answers of a retired question into the organization item of
// the question that replaced it.
func (u *upgrader) collapse(k ItemKey, rs []Response) (Response, bool) {
	lines := make([]string, len(rs))
	worst := rs[0]
	for i, r := range rs {
		name := r.AssetID
		for _, a := range u.d.Assets {
			if a.ID == r.AssetID {
				name = a.Name
			}
		}
		lines[i] = strings.TrimSuffix(describe(r), ".") + " (for " + name + ")."
		if statusRank(r.Status) < statusRank(worst.Status) {
			worst = r
		}
	}
	if _, taken := u.answered[k]; taken {
		for _, l := range lines {
			u.note(k, l)
		}
		return Response{}, false
	}
	out := Response{QuestionID: k.QuestionID, Status: worst.Status, Revalidate: true, By: worst.By, At: worst.At,
		Note: joinNote("Merged from per-asset answers to a retired question; the least favorable status is kept.", lines...)}
	if out.Status == NotApplicable {
		out.Reason = worst.Reason
	}
	u.answered[k] = -1
	return out, true
}

func sortedKeys(m map[ItemKey][]Response) []ItemKey {
	ks := make([]ItemKey, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b ItemKey) int { return strings.Compare(a.QuestionID+"/"+a.AssetID, b.QuestionID+"/"+b.AssetID) })
	return ks
}

// upgradeOverrides moves owner overrides to the surviving question when the scope is the
// same and that item has no override of its own. An override across scopes cannot be
// carried (an organization item has one owner, a per-asset item one per asset): it is
// dropped and the item falls back to the catalog's owner.
func (u *upgrader) upgradeOverrides() {
	have := map[ItemKey]bool{}
	for _, o := range u.d.Overrides {
		if _, retired := u.cat.Retired(o.QuestionID); !retired {
			have[ItemKey{o.QuestionID, o.AssetID}] = true
		}
	}
	out := u.d.Overrides[:0:0]
	for _, o := range u.d.Overrides {
		cur, retired := u.cat.Retired(o.QuestionID)
		if !retired {
			out = append(out, o)
			continue
		}
		u.changed++
		q, _ := u.cat.Question(cur)
		k := ItemKey{cur, o.AssetID}
		if (q.Scope == controls.ScopeAsset) != (o.AssetID != "") || have[k] {
			continue
		}
		o.QuestionID = cur
		have[k] = true
		out = append(out, o)
	}
	u.d.Overrides = out
}

// upgradeRisks points each risk's gaps at current question IDs.
func (u *upgrader) upgradeRisks() {
	for i := range u.d.Risks {
		r := &u.d.Risks[i]
		var ids []string
		for _, id := range r.QuestionIDs {
			cur, retired := u.cat.Retired(id)
			if retired {
				u.changed++
				id = cur
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if ids != nil || r.QuestionIDs != nil {
			r.QuestionIDs = ids
		}
	}
}

// upgradeEvidence points evidence links at current question IDs. A link to a per-asset
// answer of a question merged into an organization-wide one links to that answer; a link to
// an organization answer of a question merged into a per-asset one links to each asset the
// answer was copied to.
func (u *upgrader) upgradeEvidence() {
	for i := range u.d.Evidence {
		e := &u.d.Evidence[i]
		links := make([]EvidenceLink, 0, len(e.Links))
		add := func(l EvidenceLink) {
			if !slices.Contains(links, l) {
				links = append(links, l)
			}
		}
		for _, l := range e.Links {
			cur, retired := u.cat.Retired(l.QuestionID)
			if !retired {
				add(l)
				continue
			}
			u.changed++
			l.QuestionID = cur
			q, _ := u.cat.Question(cur)
			switch {
			case q.Scope != controls.ScopeAsset:
				l.AssetID = ""
				add(l)
			case l.AssetID != "":
				add(l)
			default:
				for j := range u.d.Assets {
					if assetWhy(q, &u.d.Assets[j]) == "" {
						l.AssetID = u.d.Assets[j].ID
						add(l)
					}
				}
			}
		}
		e.Links = links
	}
}
