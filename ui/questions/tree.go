package questions

import (
	"strconv"
	"strings"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/ui/common"
)

// The questionnaire tree: safeguard → standard → specification (or "the standard itself")
// → question. Nodes are kept in preorder, so a node's descendants are nodes[i+1:end] and
// counts roll up by walking the slice backwards.

type nodeKind uint8

const (
	kindSafeguard nodeKind = iota
	kindStandard
	kindSpec
	kindStdSelf // questions on a standard that also has specifications
	kindQuestion
)

// filterKind narrows the tree to the items an assessor wants to work on.
type filterKind int

const (
	filterAll filterKind = iota
	filterUnanswered
	filterGaps
	filterFlagged
	filterCustomer
	filterProvider
	filterCount
)

// filterLabels name the filters in the notice.
var filterLabels = [filterCount]string{
	"all questions",
	"unanswered items",
	"gaps (not or partly implemented)",
	"items flagged for follow-up",
	"your items (customer or shared)",
	"the vendor's items (provider or shared)",
}

// filterShort is the filter name in the tree's title.
var filterShort = [filterCount]string{"", "unanswered", "gaps", "flagged", "yours", "vendor's"}

// filterSet is what the tree shows: a filter on the answers (F) and, independently, the
// questions one kind of person can usually answer (w; "" for everyone's).
type filterSet struct {
	kind filterKind
	who  controls.Answerer
}

// all reports whether nothing is filtered out.
func (f filterSet) all() bool { return f.kind == filterAll && f.who == "" }

// match reports whether an item passes both filters.
func (f filterSet) match(it *assessment.ItemView) bool {
	return matches(f.kind, it) && (f.who == "" || it.Question.AnsweredBy == f.who)
}

// short names the filters for a title: "gaps · IT provider".
func (f filterSet) short() string {
	var parts []string
	if f.kind != filterAll {
		parts = append(parts, filterShort[f.kind])
	}
	if f.who != "" {
		parts = append(parts, "for "+common.AnswererPhrase(f.who))
	}
	return strings.Join(parts, " · ")
}

// nextAnswerer cycles the "who can answer" filter: everyone, then each answerer.
func nextAnswerer(who controls.Answerer) controls.Answerer {
	if who == "" {
		return controls.Answerers[0]
	}
	for i, a := range controls.Answerers {
		if a == who && i+1 < len(controls.Answerers) {
			return controls.Answerers[i+1]
		}
	}
	return ""
}

// nodeCounts are the answers under a node, counted by the domain's rules (Carried are
// the answers carried over that need re-validating), with the items that match the filter.
type nodeCounts struct {
	assessment.Counts
	match int
}

func (c *nodeCounts) add(o nodeCounts) {
	c.Plus(o.Counts)
	c.match += o.match
}

type treeNode struct {
	kind   nodeKind
	depth  int
	key    string // stable identity across reloads
	cite   string // citation of a group; the question's ID
	title  string
	req    controls.Requirement // specifications only
	parent int                  // -1 at the top
	end    int                  // one past the last descendant
	q      *controls.Question   // questions only
	std    *controls.Standard   // standards, specifications and their questions
	items  []int                // questions only: indices into Data.Items
	// listed are the answers of the questions listed under a group, where counts holds the
	// group's figures as the reports count them (see countTree).
	listed assessment.Counts
	find   [fieldCount]string // questions only: lower-cased search fields (see search.go)
	counts nodeCounts
}

func (n *treeNode) group() bool { return n.kind != kindQuestion }

// buildTree lays out the applicable questions of d. Groups with nothing applicable are
// left out so the tree shows only what this organization answers.
func buildTree(d *common.Data, fc *findCache) (nodes []treeNode, byQuestion map[string]int) {
	cat := d.Catalog
	if cat == nil {
		return nil, map[string]int{}
	}
	ba := d.Snap.Profile.BusinessAssociate()
	// Questions by standard and specification ("" for the standard itself), catalog order.
	type bucket = map[string][]*controls.Question
	byStd := map[string]bucket{}
	for qi := range cat.Questions {
		q := &cat.Questions[qi]
		if len(d.ByQuestion[q.ID]) == 0 {
			continue
		}
		b := byStd[q.Standard]
		if b == nil {
			b = bucket{}
			byStd[q.Standard] = b
		}
		b[q.Specification] = append(b[q.Specification], q)
	}
	byQuestion = make(map[string]int, len(d.ByQuestion))
	nodes = make([]treeNode, 0, len(d.ByQuestion)+128)
	addQuestions := func(qs []*controls.Question, parent, depth int, std *controls.Standard) {
		for _, q := range qs {
			byQuestion[q.ID] = len(nodes)
			nodes = append(nodes, treeNode{
				kind: kindQuestion, depth: depth, key: "q:" + q.ID, cite: q.ID, title: q.TextFor(ba),
				parent: parent, end: len(nodes) + 1, q: q, std: std, items: d.ByQuestion[q.ID],
				find: fc.fields(cat, q, ba),
			})
		}
	}
	closeGroup := func(i int) { nodes[i].end = len(nodes) }
	for _, sg := range cat.Safeguards {
		sgi := len(nodes)
		nodes = append(nodes, treeNode{kind: kindSafeguard, key: "sg:" + sg.ID, cite: sg.ID, title: sg.Title, parent: -1})
		for si := range cat.Standards {
			st := &cat.Standards[si]
			b := byStd[st.ID]
			if st.Section != sg.ID || len(b) == 0 {
				continue
			}
			sti := len(nodes)
			nodes = append(nodes, treeNode{kind: kindStandard, depth: 1, key: "st:" + st.ID, cite: st.ID, title: st.Title, parent: sgi, std: st})
			if len(st.Specifications) == 0 {
				addQuestions(b[""], sti, 2, st)
			} else {
				if qs := b[""]; len(qs) > 0 {
					gi := len(nodes)
					nodes = append(nodes, treeNode{kind: kindStdSelf, depth: 2, key: "ss:" + st.ID, cite: st.ID, title: "The standard itself", parent: sti, std: st})
					addQuestions(qs, gi, 3, st)
					closeGroup(gi)
				}
				for _, sp := range st.Specifications {
					qs := b[sp.ID]
					if len(qs) == 0 {
						continue
					}
					gi := len(nodes)
					nodes = append(nodes, treeNode{kind: kindSpec, depth: 2, key: "sp:" + sp.ID, cite: sp.ID, title: sp.Title, req: sp.Requirement, parent: sti, std: st})
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

// matches reports whether an item passes the filter.
func matches(f filterKind, it *assessment.ItemView) bool {
	switch f {
	case filterUnanswered:
		return !it.Answered()
	case filterGaps:
		return it.IsGap()
	case filterFlagged:
		return it.Status == assessment.Flagged
	case filterCustomer:
		return it.Owner != controls.OwnerProvider
	case filterProvider:
		return it.Owner != controls.OwnerCustomer
	}
	return true
}

// countTree fills every node's counts for filter f.
func countTree(nodes []treeNode, d *common.Data, f filterSet) {
	for i := range nodes {
		nodes[i].counts = nodeCounts{}
	}
	for i := range nodes {
		n := &nodes[i]
		if n.kind != kindQuestion {
			continue
		}
		for _, ix := range n.items {
			it := &d.Items[ix]
			c := &n.counts
			c.Add(*it)
			if f.match(it) {
				c.match++
			}
		}
	}
	for i := len(nodes) - 1; i >= 0; i-- {
		if p := nodes[i].parent; p >= 0 {
			nodes[p].counts.add(nodes[i].counts)
		}
	}
	// A group shows the figures the dashboard and the reports show for it: there a question
	// counts under every specification it answers for, and 2025 proposed-rule items apart.
	// listed keeps what the questions listed under the group hold.
	if d.Analysis == nil {
		return
	}
	sum := &d.Summary
	byID := func(gs []assessment.GroupCounts) map[string]assessment.Counts {
		m := make(map[string]assessment.Counts, len(gs))
		for _, g := range gs {
			m[g.ID] = g.Counts
		}
		return m
	}
	groups := map[nodeKind]map[string]assessment.Counts{
		kindSafeguard: byID(sum.BySafeguard), kindStandard: byID(sum.ByStandard), kindSpec: byID(sum.BySpecification),
	}
	for i := range nodes {
		n := &nodes[i]
		n.listed = n.counts.Counts
		if c, ok := groups[n.kind][n.cite]; ok {
			n.counts.Counts = c
		}
	}
}

// visible lists the nodes the tree shows: those under no folded group and, with a
// filter, those with matching items.
func visible(nodes []treeNode, folded map[string]bool, f filterSet, dst []int) []int {
	dst = dst[:0]
	for i := 0; i < len(nodes); {
		n := &nodes[i]
		if !f.all() && n.counts.match == 0 {
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

// citation writes a citation with its section sign.
func citation(id string) string { return "§" + id }

// progress is "answered/applicable" of a node, or the matching count under a filter.
func progress(c nodeCounts, f filterSet) string {
	if !f.all() {
		return strconv.Itoa(c.match)
	}
	return strconv.Itoa(c.Answered()) + "/" + strconv.Itoa(c.Applicable)
}

// nodeSymbol is the mark in front of a tree row: the fold state of a group, or the
// worst answer of a question (a gap shows before "all done").
func nodeSymbol(n *treeNode, folded bool) string {
	if n.group() {
		if folded {
			return "▸"
		}
		return "▾"
	}
	c := n.counts
	switch {
	case c.NotImplemented > 0:
		return "✘"
	case c.Partial > 0:
		return "◐"
	case c.Flagged > 0:
		return "?"
	case c.Answered() == 0:
		return "·"
	case c.Answered() < c.Applicable:
		return "…"
	case c.Implemented == 0:
		return "–"
	}
	return "✔"
}

// safeguardName is a safeguard node's short name.
func safeguardName(n *treeNode) string { return controls.Safeguard{ID: n.cite, Title: n.title}.Short() }

// treeLabel is a node's text in the tree.
func treeLabel(n *treeNode) string {
	switch n.kind {
	case kindSafeguard:
		return safeguardName(n) + " " + citation(n.cite)
	case kindSpec:
		if n.req == controls.Addressable {
			return n.title + " (A)"
		}
		return n.title + " (R)"
	}
	return n.title
}
