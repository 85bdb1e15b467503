package pdf

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"safeguard/assessment"
	"safeguard/controls"
)

// model is everything the sections need, computed once from the snapshot with maps built
// once, so rendering stays linear in the size of the assessment. Nothing here iterates a
// map to produce output: every list is in catalog or snapshot order, or sorted.
type model struct {
	s      *assessment.Snapshot
	cat    *controls.Catalog
	date   time.Time // the report's date: when the snapshot was taken
	asOf   time.Time // the day expiry rules are judged on
	matrix assessment.MatrixKind
	sum    assessment.Summary
	items  []assessment.Item
	resp   map[assessment.ItemKey]*assessment.Response
	ov     map[assessment.ItemKey]*assessment.Override
	flags  map[assessment.ItemKey][]assessment.VendorIssue

	assetName  map[string]string
	vendorName map[string]string

	// byQuestion holds the applicable items of each question, in item order.
	byQuestion map[string][]assessment.Item
	// groups are the catalog's questions arranged safeguard → standard → specification.
	groups []sgGroup

	evidence []assessment.Evidence // in index order
	evRef    map[string]string     // evidence ID → "E3"
	evByItem map[assessment.ItemKey][]string

	risks []riskRow // register order: worst first
	part2 bool      // the assessment handles 42 CFR Part 2 records
}

type sgGroup struct {
	sg   controls.Safeguard
	stds []stdGroup
}

type stdGroup struct {
	std   *controls.Standard
	specs []specGroup // the first has spec nil: questions on the standard itself
}

type specGroup struct {
	spec      *controls.Specification // nil for the standard's own questions
	questions []*controls.Question    // only those with applicable items
}

// riskRow is a risk with its reference in the register and its level.
type riskRow struct {
	*assessment.Risk
	ref   string
	level assessment.Level
	rank  int
}

func newModel(s *assessment.Snapshot) *model {
	m := &model{s: s, cat: s.Catalog, matrix: s.Profile.Matrix.OrDefault()}
	a := assessment.Analyze(s)
	m.date = a.Generated
	m.asOf = a.AsOf
	m.sum = a.Summary
	m.items = make([]assessment.Item, len(a.Items))
	for i, v := range a.Items {
		m.items[i] = v.Item
	}
	m.resp = a.Responses
	m.ov = a.Overrides
	m.flags = a.Flags()

	m.assetName = make(map[string]string, len(s.Assets))
	for _, a := range s.Assets {
		m.assetName[a.ID] = a.Name
		if a.InScope && a.Part2 {
			m.part2 = true
		}
	}
	m.part2 = m.part2 || s.Profile.Part2Program
	m.vendorName = make(map[string]string, len(s.Vendors))
	for _, v := range s.Vendors {
		m.vendorName[v.ID] = v.Name
	}

	m.byQuestion = make(map[string][]assessment.Item)
	for _, it := range m.items {
		m.byQuestion[it.Question.ID] = append(m.byQuestion[it.Question.ID], it)
	}
	m.buildGroups()
	m.buildEvidence()
	m.buildRisks()
	return m
}

// buildGroups arranges the questions with applicable items by safeguard, standard and
// specification, all in catalog order.
func (m *model) buildGroups() {
	type key struct{ std, spec string }
	qs := map[key][]*controls.Question{}
	for i := range m.cat.Questions {
		q := &m.cat.Questions[i]
		if len(m.byQuestion[q.ID]) == 0 {
			continue
		}
		spec := q.Specification
		if _, ok := m.cat.Specification(spec); !ok {
			spec = ""
		}
		k := key{q.Standard, spec}
		qs[k] = append(qs[k], q)
	}
	for _, sg := range m.cat.Safeguards {
		g := sgGroup{sg: sg}
		for si := range m.cat.Standards {
			std := &m.cat.Standards[si]
			if std.Section != sg.ID {
				continue
			}
			sgrp := stdGroup{std: std}
			sgrp.specs = append(sgrp.specs, specGroup{questions: qs[key{std.ID, ""}]})
			for pi := range std.Specifications {
				sp := &std.Specifications[pi]
				sgrp.specs = append(sgrp.specs, specGroup{spec: sp, questions: qs[key{std.ID, sp.ID}]})
			}
			g.stds = append(g.stds, sgrp)
		}
		m.groups = append(m.groups, g)
	}
}

// buildEvidence orders the evidence by when it was added and numbers it E1, E2, ….
func (m *model) buildEvidence() {
	m.evidence = slices.Clone(m.s.Evidence)
	slices.SortStableFunc(m.evidence, func(a, b assessment.Evidence) int {
		return cmp.Or(a.AddedAt.Compare(b.AddedAt), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	m.evRef = make(map[string]string, len(m.evidence))
	m.evByItem = map[assessment.ItemKey][]string{}
	for i, e := range m.evidence {
		ref := fmt.Sprintf("E%d", i+1)
		m.evRef[e.ID] = ref
		for _, l := range e.Links {
			if l.QuestionID == "" {
				continue
			}
			k := assessment.ItemKey{QuestionID: l.QuestionID, AssetID: l.AssetID}
			if !slices.Contains(m.evByItem[k], ref) {
				m.evByItem[k] = append(m.evByItem[k], ref)
			}
		}
	}
}

// buildRisks sorts the register worst first: by level on the matrix, then likelihood ×
// impact, likelihood, title and ID. Unrated risks follow the rated ones and dismissed
// risks come last.
func (m *model) buildRisks() {
	m.risks = make([]riskRow, len(m.s.Risks))
	for i := range m.s.Risks {
		r := &m.s.Risks[i]
		l := m.matrix.Level(r.Likelihood, r.Impact)
		m.risks[i] = riskRow{Risk: r, level: l, rank: m.matrix.Rank(l)}
	}
	dismissed := func(r riskRow) int {
		if r.Status == assessment.RiskDismissed {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(m.risks, func(a, b riskRow) int {
		return cmp.Or(
			cmp.Compare(dismissed(a), dismissed(b)),
			cmp.Compare(b.rank, a.rank),
			cmp.Compare(b.Likelihood*b.Impact, a.Likelihood*a.Impact),
			cmp.Compare(b.Likelihood, a.Likelihood),
			cmp.Compare(a.Title, b.Title),
			cmp.Compare(a.ID, b.ID),
		)
	})
	for i := range m.risks {
		m.risks[i].ref = fmt.Sprintf("R%d", i+1)
	}
}

// asset names an asset, or the organisation for organisation-wide items.
func (m *model) asset(id string) string {
	if id == "" {
		return "Organization-wide"
	}
	if n, ok := m.assetName[id]; ok {
		return n
	}
	return "Unknown asset " + id
}

func (m *model) vendor(id string) string {
	if n, ok := m.vendorName[id]; ok {
		return n
	}
	return "unknown vendor " + id
}

// label finds a choice's label, or returns the value itself.
func label(choices []assessment.Choice, v string) string {
	for _, c := range choices {
		if c.Value == v {
			return c.Label
		}
	}
	return v
}

func statusLabel(st assessment.ResponseStatus) string {
	switch st {
	case assessment.Implemented:
		return "Implemented"
	case assessment.Partial:
		return "Partial"
	case assessment.NotImplemented:
		return "Not implemented"
	case assessment.NotApplicable:
		return "Not applicable"
	case assessment.Flagged:
		return "Flagged"
	}
	return "Not answered"
}

func hostingLabel(h controls.Hosting) string {
	switch h {
	case controls.OnPrem:
		return "On-premises"
	case controls.IaaS:
		return "IaaS"
	case controls.PaaS:
		return "PaaS"
	case controls.SaaS:
		return "SaaS"
	}
	return string(h)
}

// highWords names the levels that need a treatment before sign-off on this matrix.
func (m *model) highWords() string {
	if m.matrix.Scale() == 3 {
		return "high"
	}
	return "high or very high"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// shortKind is a compact asset-kind label for narrow table columns.
func shortKind(kind string) string {
	switch kind {
	case "ehr":
		return "EHR / practice management"
	case "pacs":
		return "Imaging (PACS)"
	case "telehealth":
		return "Telehealth / messaging"
	case "backup":
		return "Backup / archive"
	case "email":
		return "Email / collaboration"
	case "endpoint":
		return "Workstations / laptops"
	case "mobile":
		return "Phones / tablets"
	case "network":
		return "Network / remote access"
	case "other":
		return "Other"
	}
	return kind
}

// date formats a stored YYYY-MM-DD date for reading, or returns it unchanged when it does
// not parse; "" stays "".
func fmtDate(s string) string {
	if s == "" {
		return ""
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("Jan 2, 2006")
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("Jan 2, 2006")
}

// fmtInt writes n with thousands separators.
func fmtInt(n int) string {
	s := fmt.Sprintf("%d", n)
	if n < 0 {
		return "-" + fmtInt(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func pct(share float64) string { return fmt.Sprintf("%.0f%%", share*100) }

// attachmentName is the file name an evidence item gets inside the PDF: its base name,
// with .txt added to notes that have no extension.
func attachmentName(e assessment.Evidence) string {
	name := cleanLine(e.Name)
	name = strings.NewReplacer("/", "_", "\\", "_", ":", "_").Replace(name)
	name = strings.TrimSpace(name)
	if name == "" {
		name = "evidence-" + e.SHA256[:min(12, len(e.SHA256))]
	}
	if e.IsNote && path.Ext(name) == "" {
		name += ".txt"
	}
	return name
}
