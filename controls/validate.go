package controls

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var (
	questionIDPattern = regexp.MustCompile(`^[0-9]{3}[a-z0-9]*(-[a-z0-9]+)+-[0-9]{2}$`)
	slugPattern       = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	sp80053Pattern    = regexp.MustCompile(`^[A-Z]{2}-[0-9]{1,2}(\([0-9]{1,2}\))?$`)
	csfPattern        = regexp.MustCompile(`^[A-Z]{2}\.[A-Z]{2}(-[0-9]{2})?$`)
)

var validSources = map[string]bool{
	SourceNatural: true, SourceHumanAccidental: true, SourceHumanDeliberate: true,
	SourceEnvironmental: true, SourceTechnical: true,
}

var validConditions = map[Condition]bool{
	ForEveryone: true, ForClearinghouse: true, ForHealthPlan: true, ForPart2: true,
}

// index holds lookups built once the catalog is valid.
type index struct {
	safeguard     map[string]int
	standard      map[string]int
	spec          map[string]specRef
	keyActivity   map[string]string // key activity id -> standard id
	kaTitle       map[string]string
	question      map[string]int
	vulnerability map[string]int
	assetKind     map[string]bool
	lens          map[string]int
}

type specRef struct {
	standard int
	spec     int
}

// problem collects validation failures with their locations; the first few are reported
// together so an editor can fix a file in one pass.
type problem struct {
	errs []error
}

const maxReported = 25

func (p *problem) failf(where, format string, args ...any) {
	if len(p.errs) < maxReported {
		p.errs = append(p.errs, fmt.Errorf("catalog %s: %s", where, fmt.Sprintf(format, args...)))
	}
}

func (p *problem) failed() bool { return len(p.errs) > 0 }

func (p *problem) err() error { return errors.Join(p.errs...) }

func (c *Catalog) validate(origin []string) error {
	p := &problem{}
	if strings.TrimSpace(c.Version) == "" {
		p.failf(structureFile, "version is empty")
	}
	c.idx = index{
		safeguard: map[string]int{}, standard: map[string]int{}, spec: map[string]specRef{},
		keyActivity: map[string]string{}, kaTitle: map[string]string{}, question: map[string]int{},
		vulnerability: map[string]int{}, assetKind: map[string]bool{}, lens: map[string]int{},
	}
	c.validateStructure(p)
	c.validateVulnerabilities(p)
	c.validateQuestions(p, origin)
	c.validateCoverage(p)
	return p.err()
}

func (c *Catalog) validateStructure(p *problem) {
	for i, s := range c.Safeguards {
		where := structureFile + " safeguard " + s.ID
		if !strings.HasPrefix(s.ID, "164.3") || s.Title == "" {
			p.failf(where, "needs a §164.3xx id and a title")
		}
		if _, dup := c.idx.safeguard[s.ID]; dup {
			p.failf(where, "duplicate safeguard id")
		}
		c.idx.safeguard[s.ID] = i
	}
	for _, k := range c.AssetKinds {
		if !slugPattern.MatchString(k.ID) || k.Title == "" || c.idx.assetKind[k.ID] {
			p.failf(structureFile+" asset kind "+k.ID, "needs a unique lower-case id and a title")
		}
		c.idx.assetKind[k.ID] = true
	}
	for i, l := range c.Lenses {
		if _, dup := c.idx.lens[l.ID]; dup || !slugPattern.MatchString(l.ID) || l.Title == "" {
			p.failf(structureFile+" lens "+l.ID, "needs a unique lower-case id and a title")
		}
		if l.Status != "current" && l.Status != "proposed" {
			p.failf(structureFile+" lens "+l.ID, "status must be current or proposed, not %q", l.Status)
		}
		c.idx.lens[l.ID] = i
	}
	for si, s := range c.Standards {
		c.validateStandard(p, si, s)
	}
}

func (c *Catalog) validateStandard(p *problem, si int, s Standard) {
	where := structureFile + " standard " + s.ID
	if _, ok := c.idx.safeguard[s.Section]; !ok {
		p.failf(where, "section %q is not a safeguard", s.Section)
	}
	if !strings.HasPrefix(s.ID, s.Section+"(") || s.Title == "" {
		p.failf(where, "id must be a paragraph of section %s and the title must not be empty", s.Section)
	}
	if _, dup := c.idx.standard[s.ID]; dup {
		p.failf(where, "duplicate standard id")
	}
	c.idx.standard[s.ID] = si
	for pi, sp := range s.Specifications {
		w := structureFile + " specification " + sp.ID
		if !strings.HasPrefix(sp.ID, s.Section+"(") || sp.Title == "" {
			p.failf(w, "id must be a paragraph of section %s and the title must not be empty", s.Section)
		}
		if sp.Requirement != Required && sp.Requirement != Addressable {
			p.failf(w, "requirement must be required or addressable, not %q", sp.Requirement)
		}
		if _, dup := c.idx.spec[sp.ID]; dup {
			p.failf(w, "duplicate specification id")
		}
		c.idx.spec[sp.ID] = specRef{standard: si, spec: pi}
	}
	for _, ka := range s.KeyActivities {
		w := structureFile + " key activity " + ka.ID
		if !strings.HasPrefix(ka.ID, "KA_") || ka.Title == "" {
			p.failf(w, "needs a KA_ id and a title")
		}
		if _, dup := c.idx.keyActivity[ka.ID]; dup {
			p.failf(w, "duplicate key activity id")
		}
		c.idx.keyActivity[ka.ID] = s.ID
		c.idx.kaTitle[ka.ID] = ka.Title
	}
}

func (c *Catalog) validateVulnerabilities(p *problem) {
	threats := map[string]Threat{}
	for i, v := range c.Vulnerabilities {
		where := vulnerabilitiesFile + " vulnerability " + v.ID
		if !slugPattern.MatchString(v.ID) || strings.TrimSpace(v.Title) == "" || strings.TrimSpace(v.Description) == "" {
			p.failf(where, "needs a lower-case id, a title and a description")
		}
		if _, dup := c.idx.vulnerability[v.ID]; dup {
			p.failf(where, "duplicate vulnerability id")
		}
		c.idx.vulnerability[v.ID] = i
		if len(v.Threats) == 0 {
			p.failf(where, "lists no threats")
		}
		seen := map[string]bool{}
		for _, t := range v.Threats {
			w := where + " threat " + t.ID
			if !slugPattern.MatchString(t.ID) || strings.TrimSpace(t.Title) == "" || seen[t.ID] {
				p.failf(w, "needs a unique lower-case id and a title")
			}
			seen[t.ID] = true
			if !validSources[t.Source] {
				p.failf(w, "source %q is not natural, human-accidental, human-deliberate, environmental or technical", t.Source)
			}
			if t.Likelihood < 1 || t.Likelihood > 5 || t.Impact < 1 || t.Impact > 5 {
				p.failf(w, "likelihood and impact must be 1 to 5")
			}
			if prev, ok := threats[t.ID]; ok && (prev.Title != t.Title || prev.Source != t.Source) {
				p.failf(w, "same threat id as elsewhere but a different title or source")
			}
			threats[t.ID] = t
		}
	}
}

func (c *Catalog) validateQuestions(p *problem, origin []string) {
	for i := range c.Questions {
		q := &c.Questions[i]
		where := origin[i] + " question " + q.ID
		if _, dup := c.idx.question[q.ID]; dup {
			p.failf(where, "duplicate question id")
		}
		c.idx.question[q.ID] = i
		c.validateQuestion(p, where, q)
		for _, v := range q.Vulnerabilities {
			if vi, ok := c.idx.vulnerability[v]; ok {
				c.Vulnerabilities[vi].MitigatedBy = append(c.Vulnerabilities[vi].MitigatedBy, q.ID)
			}
		}
	}
}

func (c *Catalog) validateQuestion(p *problem, where string, q *Question) {
	if !questionIDPattern.MatchString(q.ID) {
		p.failf(where, "id must look like 308a1-ra-03")
	}
	si, ok := c.idx.standard[q.Standard]
	if !ok {
		p.failf(where, "standard %q is not in the catalog", q.Standard)
		return
	}
	if q.Specification != "" {
		ref, ok := c.idx.spec[q.Specification]
		if !ok || ref.standard != si {
			p.failf(where, "specification %q is not one of standard %s", q.Specification, q.Standard)
		}
	}
	if len(q.KeyActivities) == 0 {
		p.failf(where, "names no key activity")
	}
	for _, ka := range q.KeyActivities {
		if std, ok := c.idx.keyActivity[ka]; !ok || std != q.Standard {
			p.failf(where, "key activity %q is not one of standard %s", ka, q.Standard)
		}
	}
	text := strings.TrimSpace(q.Text)
	if text == "" || !strings.HasSuffix(text, "?") {
		p.failf(where, "text must be a question ending in ?")
	}
	if strings.TrimSpace(q.Help) == "" {
		p.failf(where, "help is empty")
	}
	if len(q.Evidence) < 2 {
		p.failf(where, "needs at least two evidence examples")
	}
	for _, e := range q.Evidence {
		if strings.TrimSpace(e) == "" {
			p.failf(where, "has an empty evidence example")
		}
	}
	c.validateScope(p, where, q)
	c.validateTags(p, where, q)
}

func (c *Catalog) validateScope(p *problem, where string, q *Question) {
	switch q.Scope {
	case ScopeOrganization:
		if len(q.AssetKinds) > 0 {
			p.failf(where, "an organization question cannot name asset kinds")
		}
	case ScopeAsset:
		if len(q.AssetKinds) == 0 {
			p.failf(where, "an asset question must name the asset kinds it applies to")
		}
	default:
		p.failf(where, "scope must be organization or asset, not %q", q.Scope)
	}
	for _, k := range q.AssetKinds {
		if !c.idx.assetKind[k] {
			p.failf(where, "asset kind %q is not in the catalog", k)
		}
	}
	for _, h := range Hostings {
		switch q.Responsibility.For(h) {
		case OwnerCustomer, OwnerProvider, OwnerShared:
		default:
			p.failf(where, "responsibility for %s must be customer, provider or shared", h)
		}
	}
}

func (c *Catalog) validateTags(p *problem, where string, q *Question) {
	if len(q.Vulnerabilities) == 0 {
		p.failf(where, "names no vulnerability")
	}
	for _, v := range q.Vulnerabilities {
		if _, ok := c.idx.vulnerability[v]; !ok {
			p.failf(where, "vulnerability %q is not in the threat library", v)
		}
	}
	if len(q.SP80053r5) == 0 || len(q.CSF20) == 0 {
		p.failf(where, "needs SP 800-53r5 and CSF 2.0 crosswalk ids")
	}
	for _, id := range q.SP80053r5 {
		if !sp80053Pattern.MatchString(id) {
			p.failf(where, "%q is not an SP 800-53 control id like AC-2", id)
		}
	}
	for _, id := range q.CSF20 {
		if !csfPattern.MatchString(id) {
			p.failf(where, "%q is not a CSF 2.0 id like PR.AA-01", id)
		}
	}
	for _, l := range q.Lenses {
		if _, ok := c.idx.lens[l]; !ok {
			p.failf(where, "lens %q is not in the catalog", l)
		}
	}
	if !validConditions[q.Condition] {
		p.failf(where, "condition %q is not clearinghouse, health-plan or part2", q.Condition)
	}
	if q.Proposed && !q.HasLens("nprm-2025") {
		p.failf(where, "a proposed-rule question must carry the nprm-2025 lens")
	}
}

// validateCoverage checks that the content covers the structure: every standard,
// specification and key activity has a question, and every vulnerability is mitigated.
func (c *Catalog) validateCoverage(p *problem) {
	if p.failed() {
		return
	}
	seenStd, seenSpec, seenKA := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, q := range c.Questions {
		seenStd[q.Standard] = true
		seenSpec[q.Specification] = true
		for _, ka := range q.KeyActivities {
			seenKA[ka] = true
		}
	}
	for _, s := range c.Standards {
		if !seenStd[s.ID] {
			p.failf("standard "+s.ID, "has no questions")
		}
		for _, sp := range s.Specifications {
			if !seenSpec[sp.ID] {
				p.failf("specification "+sp.ID, "has no questions")
			}
		}
		for _, ka := range s.KeyActivities {
			if !seenKA[ka.ID] {
				p.failf("key activity "+ka.ID, "is not covered by any question")
			}
		}
	}
	for _, v := range c.Vulnerabilities {
		if len(v.MitigatedBy) == 0 {
			p.failf(vulnerabilitiesFile+" vulnerability "+v.ID, "is not mitigated by any question")
		}
	}
}
