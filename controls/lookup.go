package controls

import (
	"fmt"
	"strings"
)

// Question returns the question with the given id.
func (c *Catalog) Question(id string) (*Question, bool) {
	i, ok := c.idx.question[id]
	if !ok {
		return nil, false
	}
	return &c.Questions[i], true
}

// Resolve maps a question id, current or retired, to the current question's id. ok is
// false for an id the catalog never had. Retired ids are those of questions merged into
// another; answers given under them belong to the surviving question.
func (c *Catalog) Resolve(id string) (current string, ok bool) {
	if _, live := c.idx.question[id]; live {
		return id, true
	}
	cur, ok := c.idx.alias[id]
	return cur, ok
}

// Retired reports whether id is a retired question id, and the question that replaced it.
func (c *Catalog) Retired(id string) (string, bool) {
	cur, ok := c.idx.alias[id]
	return cur, ok
}

// Region returns the region with the given id.
func (c *Catalog) Region(id string) (*Region, bool) {
	i, ok := c.idx.region[id]
	if !ok {
		return nil, false
	}
	return &c.Regions[i], true
}

// Likelihood is the likelihood hint of a threat in a region: the region's figure for a
// natural hazard it lists, otherwise the threat library's national hint.
func (c *Catalog) Likelihood(t Threat, region string) int {
	if r, ok := c.Region(region); ok {
		if l, ok := r.Likelihood[t.ID]; ok {
			return l
		}
	}
	return t.Likelihood
}

// Standard returns the standard with the given id.
func (c *Catalog) Standard(id string) (*Standard, bool) {
	i, ok := c.idx.standard[id]
	if !ok {
		return nil, false
	}
	return &c.Standards[i], true
}

// StandardOf returns the standard a citation belongs to: the citation itself when it is a
// standard, or the standard of a specification.
func (c *Catalog) StandardOf(citation string) (string, bool) { return c.citedStandard(citation) }

// Specification returns the implementation specification with the given id.
func (c *Catalog) Specification(id string) (*Specification, bool) {
	ref, ok := c.idx.spec[id]
	if !ok {
		return nil, false
	}
	return &c.Standards[ref.standard].Specifications[ref.spec], true
}

// Vulnerability returns the vulnerability with the given id.
func (c *Catalog) Vulnerability(id string) (*Vulnerability, bool) {
	i, ok := c.idx.vulnerability[id]
	if !ok {
		return nil, false
	}
	return &c.Vulnerabilities[i], true
}

// KeyActivityTitle returns NIST's title of a key activity.
func (c *Catalog) KeyActivityTitle(id string) string { return c.idx.kaTitle[id] }

// HasAssetKind reports whether kind is a catalog asset kind.
func (c *Catalog) HasAssetKind(kind string) bool { return c.idx.assetKind[kind] }

// Lens returns the lens with the given id.
func (c *Catalog) Lens(id string) (*Lens, bool) {
	i, ok := c.idx.lens[id]
	if !ok {
		return nil, false
	}
	return &c.Lenses[i], true
}

// WithLens returns the questions that carry the lens tag, in catalog order.
func (c *Catalog) WithLens(lens string) []*Question {
	var out []*Question
	for i := range c.Questions {
		if c.Questions[i].HasLens(lens) {
			out = append(out, &c.Questions[i])
		}
	}
	return out
}

// View returns the catalog narrowed to one lens: its questions and the vulnerabilities
// they mitigate (with mitigated_by narrowed too). An empty lens returns the catalog itself.
func (c *Catalog) View(lens string) (*Catalog, error) {
	if lens == "" {
		return c, nil
	}
	if _, ok := c.Lens(lens); !ok {
		ids := make([]string, len(c.Lenses))
		for i, l := range c.Lenses {
			ids[i] = l.ID
		}
		return nil, fmt.Errorf("unknown lens %q; choose one of %s", lens, strings.Join(ids, ", "))
	}
	v := &Catalog{Version: c.Version, Safeguards: c.Safeguards, Standards: c.Standards, AssetKinds: c.AssetKinds,
		Lenses: c.Lenses, Regions: c.Regions, Aliases: c.Aliases, idx: c.idx}
	in := map[string]bool{}
	v.idx.question = map[string]int{}
	for _, q := range c.WithLens(lens) {
		v.idx.question[q.ID] = len(v.Questions)
		v.Questions = append(v.Questions, *q)
		in[q.ID] = true
	}
	for _, vu := range c.Vulnerabilities {
		var by []string
		for _, id := range vu.MitigatedBy {
			if in[id] {
				by = append(by, id)
			}
		}
		if len(by) > 0 {
			vu.MitigatedBy = by
			v.Vulnerabilities = append(v.Vulnerabilities, vu)
		}
	}
	return v, nil
}
