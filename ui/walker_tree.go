package ui

import (
	"strconv"
	"strings"

	"safeguard/assessment"
	"safeguard/controls"
)

// The questionnaire tree: safeguard → standard → specification (or "the standard itself")
// → question. Nodes are kept in preorder, so a node's descendants are nodes[i+1:end] and
// counts roll up by walking the slice backwards.

type wkKind uint8

const (
	wkSafeguard wkKind = iota
	wkStandard
	wkSpec
	wkStdSelf // questions on a standard that also has specifications
	wkQuestion
)

// wkFilter narrows the tree to the items an assessor wants to work on.
type wkFilter int

const (
	wkAll wkFilter = iota
	wkUnanswered
	wkGaps
	wkFlagged
	wkCustomer
	wkProvider
	wkFilterCount
)

// wkFilterLabels name the filters in the tree's title and the notice.
var wkFilterLabels = [wkFilterCount]string{
	"all questions",
	"unanswered",
	"gaps (not or partly implemented)",
	"flagged for follow-up",
	"yours (customer or shared)",
	"the vendor's (provider or shared)",
}

// wkFilterShort is the filter name in the tree's title.
var wkFilterShort = [wkFilterCount]string{"", "unanswered", "gaps", "flagged", "yours", "vendor's"}

// wkCounts are the answers under a node.
type wkCounts struct {
	applicable, implemented, partial, notImpl, notApp, flagged int
	match, reval                                               int
}

func (c wkCounts) answered() int { return c.implemented + c.partial + c.notImpl + c.notApp }

func (c wkCounts) unanswered() int { return c.applicable - c.answered() - c.flagged }

func (c *wkCounts) add(o wkCounts) {
	c.applicable += o.applicable
	c.implemented += o.implemented
	c.partial += o.partial
	c.notImpl += o.notImpl
	c.notApp += o.notApp
	c.flagged += o.flagged
	c.match += o.match
	c.reval += o.reval
}

type wkNode struct {
	kind   wkKind
	depth  int
	key    string // stable identity across reloads
	cite   string // citation of a group; the question's ID
	title  string
	req    controls.Requirement // specifications only
	parent int                  // -1 at the top
	end    int                  // one past the last descendant
	q      *controls.Question   // questions only
	std    *controls.Standard   // standards, specifications and their questions
	items  []int                // questions only: indices into assessData.items
	hay    string               // questions only: lower-cased id, text and help for search
	counts wkCounts
}

func (n *wkNode) group() bool { return n.kind != wkQuestion }

// wkBuildTree lays out the applicable questions of d. Groups with nothing applicable are
// left out so the tree shows only what this organisation answers.
func wkBuildTree(d *assessData) (nodes []wkNode, byQuestion map[string]int) {
	cat := d.cat()
	if cat == nil {
		return nil, map[string]int{}
	}
	itemsOf := make(map[*controls.Question][]int, len(cat.Questions))
	for i, it := range d.items {
		itemsOf[it.Question] = append(itemsOf[it.Question], i)
	}
	// Questions by standard and specification ("" for the standard itself), catalog order.
	type bucket = map[string][]*controls.Question
	byStd := map[string]bucket{}
	for qi := range cat.Questions {
		q := &cat.Questions[qi]
		if len(itemsOf[q]) == 0 {
			continue
		}
		b := byStd[q.Standard]
		if b == nil {
			b = bucket{}
			byStd[q.Standard] = b
		}
		b[q.Specification] = append(b[q.Specification], q)
	}
	byQuestion = make(map[string]int, len(itemsOf))
	nodes = make([]wkNode, 0, len(itemsOf)+128)
	addQuestions := func(qs []*controls.Question, parent, depth int, std *controls.Standard) {
		for _, q := range qs {
			byQuestion[q.ID] = len(nodes)
			nodes = append(nodes, wkNode{
				kind: wkQuestion, depth: depth, key: "q:" + q.ID, cite: q.ID, title: q.Text,
				parent: parent, end: len(nodes) + 1, q: q, std: std, items: itemsOf[q],
				hay: strings.ToLower(q.ID + " " + q.Text + " " + q.Help),
			})
		}
	}
	closeGroup := func(i int) { nodes[i].end = len(nodes) }
	for _, sg := range cat.Safeguards {
		sgi := len(nodes)
		nodes = append(nodes, wkNode{kind: wkSafeguard, key: "sg:" + sg.ID, cite: sg.ID, title: sg.Title, parent: -1})
		for si := range cat.Standards {
			st := &cat.Standards[si]
			b := byStd[st.ID]
			if st.Section != sg.ID || len(b) == 0 {
				continue
			}
			sti := len(nodes)
			nodes = append(nodes, wkNode{kind: wkStandard, depth: 1, key: "st:" + st.ID, cite: st.ID, title: st.Title, parent: sgi, std: st})
			if len(st.Specifications) == 0 {
				addQuestions(b[""], sti, 2, st)
			} else {
				if qs := b[""]; len(qs) > 0 {
					gi := len(nodes)
					nodes = append(nodes, wkNode{kind: wkStdSelf, depth: 2, key: "ss:" + st.ID, cite: st.ID, title: "The standard itself", parent: sti, std: st})
					addQuestions(qs, gi, 3, st)
					closeGroup(gi)
				}
				for _, sp := range st.Specifications {
					qs := b[sp.ID]
					if len(qs) == 0 {
						continue
					}
					gi := len(nodes)
					nodes = append(nodes, wkNode{kind: wkSpec, depth: 2, key: "sp:" + sp.ID, cite: sp.ID, title: sp.Title, req: sp.Requirement, parent: sti, std: st})
					addQuestions(qs, gi, 3, st)
					closeGroup(gi)
				}
			}
			closeGroup(sti)
		}
		if len(nodes) == sgi+1 {
			nodes = nodes[:sgi] // nothing applicable in this safeguard
			continue
		}
		closeGroup(sgi)
	}
	return nodes, byQuestion
}

// wkMatches reports whether an item passes the filter.
func wkMatches(f wkFilter, d *assessData, it assessment.Item, r *assessment.Response) bool {
	switch f {
	case wkUnanswered:
		return r == nil || !wkAnswered(r.Status)
	case wkGaps:
		return r != nil && assessment.IsGap(r.Status)
	case wkFlagged:
		return r != nil && r.Status == assessment.Flagged
	case wkCustomer:
		o, _ := d.owner(it)
		return o != controls.OwnerProvider
	case wkProvider:
		o, _ := d.owner(it)
		return o != controls.OwnerCustomer
	}
	return true
}

// wkAnswered is a real answer; flagged means "not known yet".
func wkAnswered(st assessment.ResponseStatus) bool {
	switch st {
	case assessment.Implemented, assessment.Partial, assessment.NotImplemented, assessment.NotApplicable:
		return true
	}
	return false
}

// wkCount fills every node's counts for filter f.
func wkCount(nodes []wkNode, d *assessData, f wkFilter) {
	for i := range nodes {
		nodes[i].counts = wkCounts{}
	}
	for i := range nodes {
		n := &nodes[i]
		if n.kind != wkQuestion {
			continue
		}
		for _, ix := range n.items {
			it := d.items[ix]
			r := d.resp[it.Key()]
			c := &n.counts
			c.applicable++
			if r != nil {
				switch r.Status {
				case assessment.Implemented:
					c.implemented++
				case assessment.Partial:
					c.partial++
				case assessment.NotImplemented:
					c.notImpl++
				case assessment.NotApplicable:
					c.notApp++
				case assessment.Flagged:
					c.flagged++
				}
				if r.Revalidate {
					c.reval++
				}
			}
			if wkMatches(f, d, it, r) {
				c.match++
			}
		}
	}
	for i := len(nodes) - 1; i >= 0; i-- {
		if p := nodes[i].parent; p >= 0 {
			nodes[p].counts.add(nodes[i].counts)
		}
	}
}

// wkVisible lists the nodes the tree shows: those under no folded group and, with a
// filter, those with matching items.
func wkVisible(nodes []wkNode, folded map[string]bool, f wkFilter, dst []int) []int {
	dst = dst[:0]
	for i := 0; i < len(nodes); {
		n := &nodes[i]
		if f != wkAll && n.counts.match == 0 {
			i = n.end
			continue
		}
		dst = append(dst, i)
		if n.group() && folded[n.key] {
			i = n.end
			continue
		}
		i++
	}
	return dst
}

// wkCite writes a citation with its section sign.
func wkCite(id string) string { return "§" + id }

// wkReqLabel is "Required" or "Addressable".
func wkReqLabel(r controls.Requirement) string {
	if r == controls.Addressable {
		return "Addressable"
	}
	return "Required"
}

// wkProgress is "answered/applicable" of a node, or the matching count under a filter.
func wkProgress(c wkCounts, f wkFilter) string {
	if f != wkAll {
		return strconv.Itoa(c.match)
	}
	return strconv.Itoa(c.answered()) + "/" + strconv.Itoa(c.applicable)
}

// wkNodeSymbol is the mark in front of a tree row: the fold state of a group, or the
// worst answer of a question (a gap shows before "all done").
func wkNodeSymbol(n *wkNode, folded bool) string {
	if n.group() {
		if folded {
			return "▸"
		}
		return "▾"
	}
	c := n.counts
	switch {
	case c.notImpl > 0:
		return "✘"
	case c.partial > 0:
		return "◐"
	case c.flagged > 0:
		return "?"
	case c.answered() == 0:
		return "·"
	case c.answered() < c.applicable:
		return "…"
	case c.implemented == 0:
		return "–"
	}
	return "✔"
}

// wkTreeLabel is a node's text in the tree.
func wkTreeLabel(n *wkNode) string {
	switch n.kind {
	case wkSafeguard:
		return wkShortSafeguard(n.title) + " " + wkCite(n.cite)
	case wkSpec:
		if n.req == controls.Addressable {
			return n.title + " (A)"
		}
		return n.title + " (R)"
	}
	return n.title
}

// wkShortSafeguard shortens the safeguards' long titles for the tree.
func wkShortSafeguard(t string) string {
	switch {
	case strings.HasPrefix(t, "Administrative"):
		return "Administrative"
	case strings.HasPrefix(t, "Physical"):
		return "Physical"
	case strings.HasPrefix(t, "Technical"):
		return "Technical"
	case strings.HasPrefix(t, "Organizational"):
		return "Organizational"
	case strings.HasPrefix(t, "Policies"):
		return "Policies & documentation"
	}
	return t
}
