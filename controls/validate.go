package controls

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var (
	questionIDPattern = regexp.MustCompile(`^[0-9]{3}[a-z0-9]*(-[a-z0-9]+)+-[0-9]{2}$`)
	slugPattern       = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	sp80053Pattern    = regexp.MustCompile(`^[A-Z]{2}-[0-9]{1,2}(\([0-9]{1,2}\))?$`)
	csfPattern        = regexp.MustCompile(`^[A-Z]{2}\.[A-Z]{2}(-[0-9]{2})?$`)
	datePattern       = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

var validSources = map[string]bool{
	SourceNatural: true, SourceHumanAccidental: true, SourceHumanDeliberate: true,
	SourceEnvironmental: true, SourceTechnical: true,
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
	region        map[string]int
	alias         map[string]string // retired question id -> surviving id
	threatSource  map[string]string // threat id -> source
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

const maxReported = 400

func (p *problem) failf(where, format string, args ...any) {
	if len(p.errs) < maxReported {
		p.errs = append(p.errs, fmt.Errorf("catalog %s: %s", where, fmt.Sprintf(format, args...)))
	}
}

func (p *problem) failed() bool { return len(p.errs) > 0 }

func (p *problem) err() error { return errors.Join(p.errs...) }

// validate checks the catalog and builds its index. strict adds the authoring checks that
// read every question's words (hosting wording); the compiled catalog is only ever written
// from a strictly validated source (see Compile and TestCompiledCatalogIsCurrent), so
// decoding it at start-up skips them.
func (c *Catalog) validate(origin []string, strict bool) error {
	p := &problem{}
	if strings.TrimSpace(c.Version) == "" {
		p.failf(structureFile, "version is empty")
	}
	c.idx = index{
		safeguard: map[string]int{}, standard: map[string]int{}, spec: map[string]specRef{},
		keyActivity: map[string]string{}, kaTitle: map[string]string{}, question: map[string]int{},
		vulnerability: map[string]int{}, assetKind: map[string]bool{}, lens: map[string]int{},
		region: map[string]int{}, alias: map[string]string{}, threatSource: map[string]string{},
	}
	c.validateStructure(p)
	c.validateVulnerabilities(p)
	c.validateRegions(p)
	c.validateQuestions(p, origin, strict)
	c.validateGates(p, origin)
	c.validateAliases(p)
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
		if l.Status == "proposed" && !datePattern.MatchString(l.AsOf) {
			p.failf(structureFile+" lens "+l.ID, "a proposed lens needs as_of, the YYYY-MM-DD date its status was last checked")
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
			c.idx.threatSource[t.ID] = t.Source
		}
	}
}

func (c *Catalog) validateQuestions(p *problem, origin []string, strict bool) {
	for i := range c.Questions {
		q := &c.Questions[i]
		where := origin[i] + " question " + q.ID
		if _, dup := c.idx.question[q.ID]; dup {
			p.failf(where, "duplicate question id")
		}
		c.idx.question[q.ID] = i
		c.validateQuestion(p, where, q, strict)
		for _, v := range q.Vulnerabilities {
			if vi, ok := c.idx.vulnerability[v]; ok {
				c.Vulnerabilities[vi].MitigatedBy = append(c.Vulnerabilities[vi].MitigatedBy, q.ID)
			}
		}
	}
}

func (c *Catalog) validateQuestion(p *problem, where string, q *Question, strict bool) {
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
	cited := map[string]bool{q.Standard: true} // standards the question answers for
	seen := map[string]bool{q.Specification: true, q.Standard: true}
	for _, id := range q.AlsoCites {
		std, ok := c.citedStandard(id)
		switch {
		case !ok:
			p.failf(where, "also_cites %q is neither a standard nor a specification of the catalog", id)
		case seen[id]:
			p.failf(where, "also_cites %q repeats a citation", id)
		}
		seen[id] = true
		cited[std] = true
	}
	if len(q.KeyActivities) == 0 {
		p.failf(where, "names no key activity")
	}
	for _, ka := range q.KeyActivities {
		if std, ok := c.idx.keyActivity[ka]; !ok || !cited[std] {
			p.failf(where, "key activity %q is not one of the standards the question cites", ka)
		}
	}
	for _, f := range []struct{ what, text string }{{"text", q.Text}, {"ba_text", q.BAText}} {
		t := strings.TrimSpace(f.text)
		if (f.what == "text" || t != "") && (t == "" || !strings.HasSuffix(t, "?")) {
			p.failf(where, "%s must be a question ending in ?", f.what)
		}
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
	c.validateHosting(p, where, q, strict)
	c.validateTriage(p, where, q)
	c.validateTags(p, where, q)
}

// citedStandard returns the standard a citation (a standard or a specification id) belongs to.
func (c *Catalog) citedStandard(id string) (string, bool) {
	if _, ok := c.idx.standard[id]; ok {
		return id, true
	}
	if ref, ok := c.idx.spec[id]; ok {
		return c.Standards[ref.standard].ID, true
	}
	return "", false
}

func (c *Catalog) validateScope(p *problem, where string, q *Question) {
	switch q.Scope {
	case ScopeOrganization:
		if len(q.AssetKinds) > 0 {
			p.failf(where, "an organization question cannot name asset kinds")
		}
		if q.Responsibility != (Responsibility{}) {
			p.failf(where, "an organization question has one owner; replace the per-hosting responsibility with owner:")
		}
		if !validOwner(q.Owner) {
			p.failf(where, "an organization question needs owner: customer, provider or shared")
		}
	case ScopeAsset:
		if len(q.AssetKinds) == 0 {
			p.failf(where, "an asset question must name the asset kinds it applies to")
		}
		if q.Owner != "" {
			p.failf(where, "an asset question takes its owner per hosting model from responsibility:, not owner:")
		}
		for _, h := range Hostings {
			o := q.Responsibility.For(h)
			switch {
			case q.AppliesTo(h) && !validOwner(o):
				p.failf(where, "responsibility for %s must be customer, provider or shared", h)
			case !q.AppliesTo(h) && o != "":
				p.failf(where, "responsibility for %s is never used: the question is not asked for %s assets; remove it", h, h)
			}
		}
	default:
		p.failf(where, "scope must be organization or asset, not %q", q.Scope)
	}
	for _, k := range q.AssetKinds {
		if !c.idx.assetKind[k] {
			p.failf(where, "asset kind %q is not in the catalog", k)
		}
	}
}

func validOwner(o Owner) bool {
	return o == OwnerCustomer || o == OwnerProvider || o == OwnerShared
}

// validateHosting checks the hosting list and refuses an asset question that speaks of a
// provider, a cloud account or a hosted system while it is still asked of on-premises
// assets: such a question must say which hosting models it is for.
func (c *Catalog) validateHosting(p *problem, where string, q *Question, strict bool) {
	seen := map[Hosting]bool{}
	for _, h := range q.Hosting {
		if h != OnPrem && h != IaaS && h != PaaS && h != SaaS {
			p.failf(where, "hosting %q is not on-prem, iaas, paas or saas", h)
		}
		if seen[h] {
			p.failf(where, "hosting %q is listed twice", h)
		}
		seen[h] = true
	}
	if len(q.Hosting) == len(Hostings) {
		p.failf(where, "hosting lists every model; leave it out")
	}
	if !strict || q.Scope != ScopeAsset || !q.AppliesTo(OnPrem) {
		return
	}
	if w := HostedWording(q.Text); w != "" {
		p.failf(where, "the text speaks of %q but the question is asked of on-premises assets; add hosting: [iaas, paas, saas] or reword it", w)
	}
	if w := PresumesHosted(q.Help); w != "" {
		p.failf(where, "the help presumes a hosted system (%q) but the question is asked of on-premises assets; add a hosting restriction or reword it", w)
	}
}

// validateTriage checks the fields that size the questionnaire: depth, basis and who can
// answer.
func (c *Catalog) validateTriage(p *problem, where string, q *Question) {
	if q.Depth.Rank() == 0 {
		p.failf(where, "depth must be essentials, standard or complete, not %q", q.Depth)
	}
	if !slices.Contains(Bases, q.Basis) {
		p.failf(where, "basis must be regulation, hhs-guidance, good-practice or proposed-rule, not %q", q.Basis)
	}
	if q.Proposed != (q.Basis == BasisProposedRule) {
		p.failf(where, "a question has basis proposed-rule exactly when it is proposed: true")
	}
	if !slices.Contains(Answerers, q.AnsweredBy) {
		p.failf(where, "answered_by must be anyone, office-manager, it-provider or vendor, not %q", q.AnsweredBy)
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
	if !slices.Contains(Conditions, q.Condition) {
		p.failf(where, "condition %q is not one of clearinghouse-component, health-plan, plan-sponsor, part2, covered-entity or business-associate", q.Condition)
	}
	if q.Proposed && !q.HasLens("nprm-2025") {
		p.failf(where, "a proposed-rule question must carry the nprm-2025 lens")
	}
}

// validateRegions checks the regional likelihood hints: known natural hazards, 1 to 5.
func (c *Catalog) validateRegions(p *problem) {
	for i, r := range c.Regions {
		where := structureFile + " region " + r.ID
		if _, dup := c.idx.region[r.ID]; dup || !slugPattern.MatchString(r.ID) || strings.TrimSpace(r.Title) == "" {
			p.failf(where, "needs a unique lower-case id and a title")
		}
		c.idx.region[r.ID] = i
		for t, l := range r.Likelihood {
			if c.idx.threatSource[t] != SourceNatural {
				p.failf(where, "%q is not a natural hazard of the threat library", t)
			}
			if l < 1 || l > 5 {
				p.failf(where, "likelihood of %s must be 1 to 5", t)
			}
		}
	}
}

// validateGates checks each follow-up against its gate question: the gate exists, is
// asked whenever the follow-up is (same or smaller depth, same condition, and for asset
// questions at least the same asset kinds and hosting models), and is not itself a
// follow-up.
func (c *Catalog) validateGates(p *problem, origin []string) {
	for i := range c.Questions {
		q := &c.Questions[i]
		if q.Follows == "" {
			continue
		}
		where := origin[i] + " question " + q.ID
		gi, ok := c.idx.question[q.Follows]
		if !ok || q.Follows == q.ID {
			p.failf(where, "follows %q, which is not another question of the catalog", q.Follows)
			continue
		}
		g := &c.Questions[gi]
		switch {
		case g.Follows != "":
			p.failf(where, "follows %s, which is itself a follow-up; point at its gate %s", g.ID, g.Follows)
		case g.Depth.Rank() > q.Depth.Rank():
			p.failf(where, "follows %s, which is asked only at a greater depth (%s)", g.ID, g.Depth)
		case g.Condition != ForEveryone && g.Condition != q.Condition:
			p.failf(where, "follows %s, which has another condition (%s)", g.ID, g.Condition)
		case g.Proposed && !q.Proposed:
			p.failf(where, "follows %s, a proposed-rule question that may not be asked", g.ID)
		case g.Scope == ScopeAsset && q.Scope != ScopeAsset:
			p.failf(where, "an organization question cannot follow the per-asset question %s", g.ID)
		case g.Scope == ScopeAsset && !subset(q.AssetKinds, g.AssetKinds):
			p.failf(where, "follows %s, which is not asked for all of its asset kinds", g.ID)
		case g.Scope == ScopeAsset && !hostingSubset(q, g):
			p.failf(where, "follows %s, which is not asked for all of its hosting models", g.ID)
		}
	}
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// hostingSubset reports whether gate g is asked for every hosting model q is asked for.
func hostingSubset(q, g *Question) bool {
	for _, h := range Hostings {
		if q.AppliesTo(h) && !g.AppliesTo(h) {
			return false
		}
	}
	return true
}

// validateAliases checks the alias table: each retired id is no longer a question, looks
// like one, appears once, and points at a current question (never at another alias).
func (c *Catalog) validateAliases(p *problem) {
	for _, a := range c.Aliases {
		where := aliasesFile + " alias " + a.Old
		if !questionIDPattern.MatchString(a.Old) {
			p.failf(where, "retired id must look like a question id")
		}
		if _, live := c.idx.question[a.Old]; live {
			p.failf(where, "is still a question; an alias is only for a retired id")
		}
		if _, dup := c.idx.alias[a.Old]; dup {
			p.failf(where, "is listed twice")
		}
		if _, ok := c.idx.question[a.New]; !ok {
			p.failf(where, "points at %q, which is not a question", a.New)
		}
		if strings.TrimSpace(a.Reason) == "" {
			p.failf(where, "needs a reason (which question replaced it and why)")
		}
		c.idx.alias[a.Old] = a.New
	}
}

// validateCoverage checks that the content covers the structure: every standard,
// specification and key activity has a question, every vulnerability is mitigated, and the
// essentials depth alone still reaches every standard and every required specification.
func (c *Catalog) validateCoverage(p *problem) {
	if p.failed() {
		return
	}
	seen, essential, seenKA := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, q := range c.Questions {
		for _, id := range q.Citations() {
			seen[id] = true
			std, _ := c.citedStandard(id)
			seen[std] = true
			if q.Depth == DepthEssentials && !q.Proposed {
				essential[id], essential[std] = true, true
			}
		}
		for _, ka := range q.KeyActivities {
			seenKA[ka] = true
		}
	}
	for _, s := range c.Standards {
		if !seen[s.ID] {
			p.failf("standard "+s.ID, "has no questions")
		}
		if !essential[s.ID] {
			p.failf("standard "+s.ID, "has no essentials question; essentials must reach every standard")
		}
		for _, sp := range s.Specifications {
			if !seen[sp.ID] {
				p.failf("specification "+sp.ID, "has no questions")
			}
			if sp.Requirement == Required && !essential[sp.ID] {
				p.failf("specification "+sp.ID, "is required but has no essentials question")
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
