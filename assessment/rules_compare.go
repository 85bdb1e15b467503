package assessment

// Change kinds reported by Compare.
const (
	ChangeImproved    = "improved"    // not-implemented → partial → implemented, upwards
	ChangeRegressed   = "regressed"   // the same order, downwards
	ChangeChanged     = "changed"     // to or from not-applicable, flagged or unanswered
	ChangeAppeared    = "appeared"    // applicable only in the newer revision
	ChangeDisappeared = "disappeared" // applicable only in the older revision
)

// Change is one difference between two revisions of an assessment. From and To are the
// statuses in the older and newer revision: "" when the item is unanswered there, or is not
// applicable there (appeared and disappeared items).
type Change struct {
	Kind       string         `json:"kind"`
	QuestionID string         `json:"question_id"`
	AssetName  string         `json:"asset_name,omitempty"`
	From       ResponseStatus `json:"from,omitempty"`
	To         ResponseStatus `json:"to,omitempty"`
}

// compareKey matches an item across revisions. Revisions clone assets with new IDs, so
// assets are matched by name; n tells apart assets that share a name, matching the first
// with the first and so on.
type compareKey struct {
	question, asset string
	n               int
}

// progress ranks the statuses that say how far a control is in place. Not applicable,
// flagged and unanswered rank 0: they are neither better nor worse than an answer.
func progress(st ResponseStatus) int {
	switch st {
	case NotImplemented:
		return 1
	case Partial:
		return 2
	case Implemented:
		return 3
	}
	return 0
}

// Compare lists what changed between an older and a newer revision, as year-over-year
// reviews need: items whose status moved up (improved) or down (regressed) the order
// not implemented < partial < implemented, other status changes (changed), and items
// applicable only in the newer (appeared) or only in the older revision (disappeared).
// Items are matched by question ID and asset name. The order is the newer revision's item
// order, followed by disappeared items in the older revision's order.
func Compare(older, newer *Snapshot) []Change {
	oldItems := keyedItems(older)
	oldStatus := statusOf(older)
	newStatus := statusOf(newer)
	matched := make(map[compareKey]bool, len(oldItems))
	oldByKey := make(map[compareKey]Item, len(oldItems))
	for _, ki := range oldItems {
		oldByKey[ki.key] = ki.item
	}
	var out []Change
	for _, ki := range keyedItems(newer) {
		to := newStatus(ki.item)
		oi, ok := oldByKey[ki.key]
		if !ok {
			out = append(out, Change{Kind: ChangeAppeared, QuestionID: ki.key.question, AssetName: ki.key.asset, To: to})
			continue
		}
		matched[ki.key] = true
		from := oldStatus(oi)
		if from == to {
			continue
		}
		kind := ChangeChanged
		if pf, pt := progress(from), progress(to); pf > 0 && pt > 0 {
			kind = ChangeImproved
			if pt < pf {
				kind = ChangeRegressed
			}
		}
		out = append(out, Change{Kind: kind, QuestionID: ki.key.question, AssetName: ki.key.asset, From: from, To: to})
	}
	for _, ki := range oldItems {
		if !matched[ki.key] {
			out = append(out, Change{Kind: ChangeDisappeared, QuestionID: ki.key.question, AssetName: ki.key.asset, From: oldStatus(ki.item)})
		}
	}
	return out
}

type keyedItem struct {
	key  compareKey
	item Item
}

// keyedItems is a snapshot's applicable items with their cross-revision keys.
func keyedItems(s *Snapshot) []keyedItem {
	if s == nil {
		return nil
	}
	items := s.Items()
	seen := map[compareKey]int{}
	out := make([]keyedItem, len(items))
	for i, it := range items {
		k := compareKey{question: it.Question.ID}
		if it.Asset != nil {
			k.asset = it.Asset.Name
		}
		k.n = seen[k]
		seen[k]++
		out[i] = keyedItem{k, it}
	}
	return out
}

// statusOf returns a lookup of an item's status in s ("" when unanswered or invalid).
func statusOf(s *Snapshot) func(Item) ResponseStatus {
	if s == nil {
		return func(Item) ResponseStatus { return "" }
	}
	resp := s.ResponseMap()
	return func(it Item) ResponseStatus {
		if r, ok := resp[it.Key()]; ok && validStatus(r.Status) {
			return r.Status
		}
		return ""
	}
}
