package pdf

import (
	"path"
	"strings"

	"safeguard/assessment"
	"safeguard/controls"
)

// model is the Analysis of the snapshot (every figure, owner, status, reference and date
// the report prints) plus the one arrangement only the PDF needs: the questions grouped
// safeguard → standard → specification. Nothing here iterates a map to produce output:
// every list is in catalog or analysis order.
type model struct {
	*assessment.Analysis
	s   *assessment.Snapshot
	cat *controls.Catalog

	// groups are the catalog's questions arranged safeguard → standard → specification.
	groups []sgGroup
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

func newModel(s *assessment.Snapshot) *model {
	m := &model{Analysis: assessment.Analyze(s), s: s, cat: s.Catalog}
	m.buildGroups()
	return m
}

// buildGroups arranges the questions with applicable items by safeguard, standard and
// specification, all in catalog order.
func (m *model) buildGroups() {
	type key struct{ std, spec string }
	qs := map[key][]*controls.Question{}
	for i := range m.cat.Questions {
		q := &m.cat.Questions[i]
		if len(m.ByQuestion[q.ID]) == 0 {
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

// highWords names the levels that need a treatment before sign-off on this matrix.
func (m *model) highWords() string {
	if m.Matrix.Scale() == 3 {
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
	case "database":
		return "Database / file server"
	case "medical-device":
		return "Medical device / modality"
	case "mfp-copier":
		return "Copier / scanner / fax"
	case "website-portal":
		return "Website / portal / app"
	case "other":
		return "Other"
	}
	return kind
}

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
