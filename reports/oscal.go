package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"safeguard/assessment"
	"safeguard/controls"
)

// OSCALVersion is the OSCAL release the assessment-results export conforms to.
const OSCALVersion = "1.2.2"

// SP80030 names NIST SP 800-30 Rev. 1, whose qualitative scale (very low … very high) the
// default 5×5 matrix uses; it is the facet system of likelihood, impact and risk ratings
// made on that matrix. Ratings on the 3×3 matrix use Namespace + "/hhs-3x3".
const SP80030 = "https://doi.org/10.6028/NIST.SP.800-30r1"

// uuidSpace is the namespace of every UUID an OSCAL export derives (version 5, SHA-1).
var uuidSpace = uuid.NewSHA1(uuid.NameSpaceURL, []byte(Namespace))

// WriteOSCAL writes the snapshot as an OSCAL 1.2.2 assessment-results document (JSON,
// two-space indent, trailing newline). See BuildOSCAL for the mapping.
func WriteOSCAL(w io.Writer, s *assessment.Snapshot) error {
	doc, err := BuildOSCAL(s)
	if err != nil {
		return err
	}
	return doc.Encode(w)
}

// Encode writes the document as indented JSON with a trailing newline, exactly as
// json.Encoder with SetIndent("", "  ") and SetEscapeHTML(false) would, but streaming the
// result's observations, risks and findings one at a time, so memory stays proportional to
// the document's objects rather than to several copies of its text.
func (d *OSCALDocument) Encode(w io.Writer) error {
	js := &jsonStream{w: bufio.NewWriterSize(w, 64<<10)}
	ar := d.AssessmentResults
	js.raw("{\n  \"assessment-results\": {\n")
	js.member(4, "uuid", ar.UUID, true)
	js.member(4, "metadata", ar.Metadata, true)
	js.member(4, "import-ap", ar.ImportAP, true)
	if ar.LocalDefinitions != nil {
		js.member(4, "local-definitions", ar.LocalDefinitions, true)
	}
	js.raw("    \"results\": [")
	for i := range ar.Results {
		if i > 0 {
			js.raw(",")
		}
		js.raw("\n      ")
		js.result(&ar.Results[i])
	}
	if len(ar.Results) > 0 {
		js.raw("\n    ")
	}
	js.raw("]")
	if ar.BackMatter != nil {
		js.raw(",\n")
		js.member(4, "back-matter", ar.BackMatter, false)
	}
	js.raw("\n  }\n}\n")
	if js.err != nil {
		return js.err
	}
	return js.w.Flush()
}

// jsonStream writes indented JSON piecewise; the first error sticks.
type jsonStream struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

func (js *jsonStream) raw(s string) {
	if js.err == nil {
		_, js.err = js.w.WriteString(s)
	}
}

// encode is v indented as if nested depth spaces deep, without a trailing newline. The
// bytes are valid until the next call.
func (js *jsonStream) encode(depth int, v any) []byte {
	if js.err != nil {
		return nil
	}
	if js.enc == nil {
		js.enc = json.NewEncoder(&js.buf)
		js.enc.SetEscapeHTML(false)
	}
	js.buf.Reset()
	js.enc.SetIndent(strings.Repeat(" ", depth), "  ") // one encoder, so its buffers are reused
	if js.err = js.enc.Encode(v); js.err != nil {
		return nil
	}
	return bytes.TrimSuffix(js.buf.Bytes(), []byte("\n"))
}

func (js *jsonStream) write(b []byte) {
	if js.err == nil {
		_, js.err = js.w.Write(b)
	}
}

// member writes `"key": value` at depth, with a comma and newline when more follow.
func (js *jsonStream) member(depth int, key string, v any, more bool) {
	js.raw(strings.Repeat(" ", depth) + strconv.Quote(key) + ": ")
	js.write(js.encode(depth, v))
	if more {
		js.raw(",\n")
	}
}

// result writes one result (an object nested 6 spaces deep): its small fields in one
// piece, then its long lists element by element, in the struct's field order, which puts
// them last.
func (js *jsonStream) result(r *oscalResult) {
	head := *r
	head.Observations, head.Risks, head.Findings = nil, nil, nil
	const depth = 6
	closing := "\n" + strings.Repeat(" ", depth) + "}"
	b := js.encode(depth, head)
	if js.err != nil {
		return
	}
	js.write(bytes.TrimSuffix(b, []byte(closing)))
	list := func(key string, n int, at func(int) any) {
		if n == 0 {
			return
		}
		js.raw(",\n" + strings.Repeat(" ", depth+2) + strconv.Quote(key) + ": [")
		for i := range n {
			if i > 0 {
				js.raw(",")
			}
			js.raw("\n" + strings.Repeat(" ", depth+4))
			js.write(js.encode(depth+4, at(i)))
		}
		js.raw("\n" + strings.Repeat(" ", depth+2) + "]")
	}
	list("observations", len(r.Observations), func(i int) any { return &r.Observations[i] })
	list("risks", len(r.Risks), func(i int) any { return &r.Risks[i] })
	list("findings", len(r.Findings), func(i int) any { return &r.Findings[i] })
	js.raw(closing)
}

// BuildOSCAL maps a snapshot onto OSCAL assessment results:
//
//   - metadata: the assessment title, last-modified from GeneratedAt, the status as the
//     version, the organization (prepared-for), the assessors (assessor), everyone else who
//     answered or added evidence (assessment-team), the sign-off (approver) and the
//     vendors as parties, with the assessment ID, catalog version, matrix and audit chain
//     head as properties.
//   - import-ap points at a back-matter resource describing the method, because safeguard
//     keeps no separate OSCAL assessment plan.
//   - local-definitions.objectives-and-methods: one local objective per HIPAA control
//     (standard, or implementation specification) that has answered questions, each
//     question a part whose id is its QuestionToken, so finding targets resolve.
//   - one result for the assessment: start/end from the assessment period (end omitted
//     until there is one), the assets as components, reviewed-controls listing every
//     standard and specification with an applicable item, observations, risks and findings.
//   - one observation per answered item (method INTERVIEW: the recorded answer with its
//     note, reason and §164.306(d)(3) decision; subject the asset component or the
//     organization party) and one per evidence item (method EXAMINE; subjects the linked
//     assets and vendors; the file's name, type, size and SHA-256 in a back-matter
//     resource).
//   - one finding per answered item: target objective-id = the question token, state
//     satisfied (implemented; not applicable, reason "other") or not-satisfied (partial or
//     not implemented, reason "fail"; flagged, reason "other"), related to its answer and
//     evidence observations and to the risks its gap exposes.
//   - one risk per register entry, with likelihood, impact and risk-level facets (and a
//     residual characterization when rated), the treatment as a remediation, the due date
//     as deadline, and OSCAL statuses: proposed → investigating, open → open (accepted →
//     deviation-approved), in-progress → remediating, closed and dismissed → closed.
//
// Every UUID is derived from the assessment ID and a stable key, so the same snapshot
// always gives the same document.
func BuildOSCAL(s *assessment.Snapshot) (*OSCALDocument, error) {
	if err := checkSnapshot(s); err != nil {
		return nil, err
	}
	a := assessment.Analyze(s)
	b := &oscalBuilder{s: s, a: a, cat: s.Catalog, m: a.Matrix, generated: a.Generated}
	if !validYear(b.generated) {
		return nil, fmt.Errorf("the assessment's date %s is outside the years OSCAL can hold (1900–2999); check the computer's clock and save an answer again", b.generated.UTC().Format(time.DateOnly))
	}
	return b.build()
}

// OSCALDocument is the root of an OSCAL assessment-results file.
type OSCALDocument struct {
	AssessmentResults *AssessmentResults `json:"assessment-results"`
}

// AssessmentResults is OSCAL's assessment-results model, with the parts safeguard fills.
type AssessmentResults struct {
	UUID             string            `json:"uuid"`
	Metadata         oscalMetadata     `json:"metadata"`
	ImportAP         oscalImportAP     `json:"import-ap"`
	LocalDefinitions *oscalARLocalDefs `json:"local-definitions,omitempty"`
	Results          []oscalResult     `json:"results"`
	BackMatter       *oscalBackMatter  `json:"back-matter,omitempty"`
}

type oscalProp struct {
	Name    string `json:"name"`
	NS      string `json:"ns,omitempty"`
	Value   string `json:"value"`
	Class   string `json:"class,omitempty"`
	Remarks string `json:"remarks,omitempty"`
}

type oscalLink struct {
	Href string `json:"href"`
	Rel  string `json:"rel,omitempty"`
	Text string `json:"text,omitempty"`
}

type oscalMetadata struct {
	Title              string                  `json:"title"`
	Published          string                  `json:"published,omitempty"`
	LastModified       string                  `json:"last-modified"`
	Version            string                  `json:"version"`
	OSCALVersion       string                  `json:"oscal-version"`
	Props              []oscalProp             `json:"props,omitempty"`
	Links              []oscalLink             `json:"links,omitempty"`
	Roles              []oscalRole             `json:"roles,omitempty"`
	Parties            []oscalParty            `json:"parties,omitempty"`
	ResponsibleParties []oscalResponsibleParty `json:"responsible-parties,omitempty"`
	Remarks            string                  `json:"remarks,omitempty"`
}

type oscalRole struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

type oscalParty struct {
	UUID    string      `json:"uuid"`
	Type    string      `json:"type"`
	Name    string      `json:"name,omitempty"`
	Props   []oscalProp `json:"props,omitempty"`
	Remarks string      `json:"remarks,omitempty"`
}

type oscalResponsibleParty struct {
	RoleID     string   `json:"role-id"`
	PartyUUIDs []string `json:"party-uuids"`
}

type oscalImportAP struct {
	Href    string `json:"href"`
	Remarks string `json:"remarks,omitempty"`
}

type oscalARLocalDefs struct {
	ObjectivesAndMethods []oscalLocalObjective `json:"objectives-and-methods,omitempty"`
}

type oscalLocalObjective struct {
	ControlID   string      `json:"control-id"`
	Description string      `json:"description,omitempty"`
	Props       []oscalProp `json:"props,omitempty"`
	Parts       []oscalPart `json:"parts"`
}

type oscalPart struct {
	ID    string      `json:"id,omitempty"`
	Name  string      `json:"name"`
	NS    string      `json:"ns,omitempty"`
	Title string      `json:"title,omitempty"`
	Props []oscalProp `json:"props,omitempty"`
	Prose string      `json:"prose,omitempty"`
}

type oscalResult struct {
	UUID             string                `json:"uuid"`
	Title            string                `json:"title"`
	Description      string                `json:"description"`
	Start            string                `json:"start"`
	End              string                `json:"end,omitempty"`
	Props            []oscalProp           `json:"props,omitempty"`
	LocalDefinitions *oscalResultLocalDefs `json:"local-definitions,omitempty"`
	ReviewedControls oscalReviewedControls `json:"reviewed-controls"`
	Attestations     []oscalAttestation    `json:"attestations,omitempty"`
	Observations     []oscalObservation    `json:"observations,omitempty"`
	Risks            []oscalRisk           `json:"risks,omitempty"`
	// Observations, Risks and Findings must stay the last fields: Encode streams them
	// after the others.
	Findings []oscalFinding `json:"findings,omitempty"`
}

type oscalResultLocalDefs struct {
	Components []oscalComponent `json:"components,omitempty"`
}

type oscalComponent struct {
	UUID        string      `json:"uuid"`
	Type        string      `json:"type"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Props       []oscalProp `json:"props,omitempty"`
	Status      oscalState  `json:"status"`
}

type oscalState struct {
	State   string `json:"state"`
	Remarks string `json:"remarks,omitempty"`
}

type oscalReviewedControls struct {
	Description       string                  `json:"description,omitempty"`
	ControlSelections []oscalControlSelection `json:"control-selections"`
}

type oscalControlSelection struct {
	Description     string               `json:"description,omitempty"`
	IncludeAll      *struct{}            `json:"include-all,omitempty"`
	IncludeControls []oscalSelectControl `json:"include-controls,omitempty"`
}

type oscalSelectControl struct {
	ControlID string `json:"control-id"`
}

type oscalAttestation struct {
	ResponsibleParties []oscalResponsibleParty `json:"responsible-parties,omitempty"`
	Parts              []oscalPart             `json:"parts"`
}

type oscalOrigin struct {
	Actors []oscalActor `json:"actors"`
}

type oscalActor struct {
	Type      string `json:"type"`
	ActorUUID string `json:"actor-uuid"`
	RoleID    string `json:"role-id,omitempty"`
}

type oscalSubject struct {
	SubjectUUID string `json:"subject-uuid"`
	Type        string `json:"type"`
	Title       string `json:"title,omitempty"`
}

type oscalRelevantEvidence struct {
	Href        string      `json:"href,omitempty"`
	Description string      `json:"description"`
	Props       []oscalProp `json:"props,omitempty"`
}

type oscalObservation struct {
	UUID             string                  `json:"uuid"`
	Title            string                  `json:"title,omitempty"`
	Description      string                  `json:"description"`
	Props            []oscalProp             `json:"props,omitempty"`
	Methods          []string                `json:"methods"`
	Types            []string                `json:"types,omitempty"`
	Origins          []oscalOrigin           `json:"origins,omitempty"`
	Subjects         []oscalSubject          `json:"subjects,omitempty"`
	RelevantEvidence []oscalRelevantEvidence `json:"relevant-evidence,omitempty"`
	Collected        string                  `json:"collected"`
	Expires          string                  `json:"expires,omitempty"`
	Remarks          string                  `json:"remarks,omitempty"`
}

type oscalRelated struct {
	ObservationUUID string `json:"observation-uuid,omitempty"`
	RiskUUID        string `json:"risk-uuid,omitempty"`
}

type oscalFacet struct {
	Name   string `json:"name"`
	System string `json:"system"`
	Value  string `json:"value"`
}

type oscalCharacterization struct {
	Props  []oscalProp  `json:"props,omitempty"`
	Origin oscalOrigin  `json:"origin"`
	Facets []oscalFacet `json:"facets"`
}

type oscalResponse struct {
	UUID        string        `json:"uuid"`
	Lifecycle   string        `json:"lifecycle"`
	Title       string        `json:"title"`
	Description string        `json:"description"`
	Props       []oscalProp   `json:"props,omitempty"`
	Origins     []oscalOrigin `json:"origins,omitempty"`
	Remarks     string        `json:"remarks,omitempty"`
}

type oscalRisk struct {
	UUID                string                  `json:"uuid"`
	Title               string                  `json:"title"`
	Description         string                  `json:"description"`
	Statement           string                  `json:"statement"`
	Props               []oscalProp             `json:"props,omitempty"`
	Status              string                  `json:"status"`
	Characterizations   []oscalCharacterization `json:"characterizations,omitempty"`
	Deadline            string                  `json:"deadline,omitempty"`
	Remediations        []oscalResponse         `json:"remediations,omitempty"`
	RelatedObservations []oscalRelated          `json:"related-observations,omitempty"`
}

type oscalTargetStatus struct {
	State   string `json:"state"`
	Reason  string `json:"reason,omitempty"`
	Remarks string `json:"remarks,omitempty"`
}

type oscalTarget struct {
	Type                 string            `json:"type"`
	TargetID             string            `json:"target-id"`
	Title                string            `json:"title,omitempty"`
	Props                []oscalProp       `json:"props,omitempty"`
	Status               oscalTargetStatus `json:"status"`
	ImplementationStatus *oscalState       `json:"implementation-status,omitempty"`
}

type oscalFinding struct {
	UUID                string         `json:"uuid"`
	Title               string         `json:"title"`
	Description         string         `json:"description"`
	Props               []oscalProp    `json:"props,omitempty"`
	Origins             []oscalOrigin  `json:"origins,omitempty"`
	Target              oscalTarget    `json:"target"`
	RelatedObservations []oscalRelated `json:"related-observations,omitempty"`
	RelatedRisks        []oscalRelated `json:"related-risks,omitempty"`
	Remarks             string         `json:"remarks,omitempty"`
}

type oscalBackMatter struct {
	Resources []oscalResource `json:"resources"`
}

type oscalResource struct {
	UUID        string      `json:"uuid"`
	Title       string      `json:"title,omitempty"`
	Description string      `json:"description,omitempty"`
	Props       []oscalProp `json:"props,omitempty"`
	Remarks     string      `json:"remarks,omitempty"`
}

// oscalBuilder carries the indexes one export needs.
type oscalBuilder struct {
	s         *assessment.Snapshot
	a         *assessment.Analysis
	cat       *controls.Catalog
	m         assessment.MatrixKind
	generated time.Time

	orgParty  string            // party UUID of the organization
	people    map[string]string // person name -> party UUID
	assessors []string          // party UUIDs of the profile's assessors
	vendors   map[string]string // vendor ID -> party UUID
	compIDs   map[string]string // asset ID -> component UUID

	answerObs map[assessment.ItemKey]string // answered item -> observation UUID
	evObs     map[string]string             // evidence ID -> observation UUID
}

// id derives the UUID of one object: kind names what it is, keys say which one, and the
// assessment ID scopes it, so two assessments never share UUIDs.
func (b *oscalBuilder) id(kind string, keys ...string) string {
	var sb strings.Builder
	sb.WriteString(kind)
	sb.WriteByte(0)
	sb.WriteString(b.s.Assessment.ID)
	for _, k := range keys {
		sb.WriteByte(0)
		sb.WriteString(k)
	}
	return uuid.NewSHA1(uuidSpace, []byte(sb.String())).String()
}

func (b *oscalBuilder) build() (*OSCALDocument, error) {
	s, a := b.s, b.a
	b.compIDs = map[string]string{}
	for _, as := range s.Assets {
		b.compIDs[as.ID] = b.id("component", as.ID)
	}
	meta := b.metadata()
	planID := b.id("assessment-plan")
	ar := &AssessmentResults{
		UUID:     b.id("assessment-results"),
		Metadata: meta,
		ImportAP: oscalImportAP{
			Href:    "#" + planID,
			Remarks: "safeguard keeps no separate OSCAL assessment plan; the back-matter resource referenced here describes the method and scope.",
		},
	}

	res := oscalResult{
		UUID:        b.id("result"),
		Title:       line(s.Assessment.Title, "HIPAA Security Rule risk analysis"),
		Description: b.resultDescription(),
		Start:       b.start(),
		End:         b.end(),
	}
	res.Props = props(
		prop("catalog-version", s.Assessment.CatalogVersion),
		prop("risk-matrix", string(b.m)),
	)
	if comps := b.components(); len(comps) > 0 {
		res.LocalDefinitions = &oscalResultLocalDefs{Components: comps}
	}

	// Answered items, and items inherited from a vendor review: observations, objectives
	// and findings share one pass.
	var answered []*assessment.ItemView
	for i := range a.Items {
		if a.Items[i].Response != nil || a.Items[i].Inherited != nil {
			answered = append(answered, &a.Items[i])
		}
	}
	res.ReviewedControls = b.reviewedControls(a.Items)
	b.answerObs = make(map[assessment.ItemKey]string, len(answered))
	for _, it := range answered {
		res.Observations = append(res.Observations, b.answerObservation(it))
	}
	var resources []oscalResource
	resources = append(resources, b.planResource(planID))
	b.evObs = map[string]string{}
	for i := range a.Evidence {
		obs, rsc := b.evidence(&a.Evidence[i])
		res.Observations = append(res.Observations, obs)
		resources = append(resources, rsc)
	}
	riskIDs := map[assessment.ItemKey][]string{}
	for _, r := range a.Risks {
		or := b.risk(r)
		res.Risks = append(res.Risks, or)
		for _, q := range r.QuestionIDs {
			k := assessment.ItemKey{QuestionID: q, AssetID: r.AssetID}
			riskIDs[k] = append(riskIDs[k], or.UUID)
		}
	}
	for _, it := range answered {
		res.Findings = append(res.Findings, b.finding(it, riskIDs[it.Key()]))
	}
	if att := b.attestation(); att != nil {
		res.Attestations = []oscalAttestation{*att}
	}
	ar.Results = []oscalResult{res}
	if objs := b.objectives(answered); len(objs) > 0 {
		ar.LocalDefinitions = &oscalARLocalDefs{ObjectivesAndMethods: objs}
	}
	ar.BackMatter = &oscalBackMatter{Resources: resources}
	return &OSCALDocument{AssessmentResults: ar}, nil
}

// metadata names the document and the people and organizations in it.
func (b *oscalBuilder) metadata() oscalMetadata {
	s := b.s
	title := s.Assessment.Title
	if org := oneLine(s.Assessment.Organization); org != "" {
		title += " — " + org
	}
	md := oscalMetadata{
		Title:        line(title, "HIPAA Security Rule risk analysis"),
		LastModified: oscalTime(b.generated),
		Version:      line(string(s.Assessment.Status), "draft"),
		OSCALVersion: OSCALVersion,
	}
	md.Props = props(
		prop("assessment-id", s.Assessment.ID),
		prop("assessment-status", string(s.Assessment.Status)),
		prop("catalog-version", s.Assessment.CatalogVersion),
		prop("entity-type", string(s.Profile.EntityType)),
		prop("risk-matrix", string(b.m)),
		prop("revision-of", s.RevisionOf),
		prop("audit-chain-head", s.Audit.Head),
		prop("audit-chain-anchor", s.Audit.Seal.Anchor()),
		prop("safeguard-anchor", anchorToken(s.Audit.Seal)),
		prop("generator", "safeguard"),
	)
	if s.Assessment.Status == assessment.StatusFinal && s.SignOff != nil {
		if t, err := assessment.ParseDate(s.SignOff.Date); err == nil && validYear(t) {
			md.Published = oscalTime(t)
		}
	}

	b.orgParty = b.id("party-organization")
	b.people = map[string]string{}
	b.vendors = map[string]string{}
	md.Parties = append(md.Parties, oscalParty{UUID: b.orgParty, Type: "organization",
		Name: line(s.Assessment.Organization, "Assessed organization")})
	person := func(name string) string {
		name = oneLine(name)
		if name == "" {
			return ""
		}
		if id, ok := b.people[name]; ok {
			return id
		}
		id := b.id("party-person", name)
		b.people[name] = id
		md.Parties = append(md.Parties, oscalParty{UUID: id, Type: "person", Name: name})
		return id
	}
	for _, a := range s.Profile.Assessors {
		if id := person(a); id != "" && !slices.Contains(b.assessors, id) {
			b.assessors = append(b.assessors, id)
		}
	}
	// Everyone else who answered or added evidence, sorted by name so the order does not
	// depend on the order answers were given.
	var others []string
	seen := map[string]bool{}
	for _, r := range s.Responses {
		if n := oneLine(r.By); n != "" && !seen[n] {
			seen[n] = true
			others = append(others, n)
		}
	}
	for _, e := range s.Evidence {
		if n := oneLine(e.AddedBy); n != "" && !seen[n] {
			seen[n] = true
			others = append(others, n)
		}
	}
	slices.Sort(others)
	var team []string
	for _, n := range others {
		_, known := b.people[n]
		id := person(n)
		if !known {
			team = append(team, id)
		}
	}
	var approver string
	if s.SignOff != nil {
		approver = person(s.SignOff.Name)
	}
	for _, v := range s.Vendors {
		id := b.id("party-vendor", v.ID)
		b.vendors[v.ID] = id
		md.Parties = append(md.Parties, oscalParty{UUID: id, Type: "organization",
			Name: line(v.Name, "Vendor "+v.ID),
			Props: props(
				prop("vendor-id", v.ID),
				prop("baa-status", string(v.BAA)),
				prop("baa-signed", v.BAASigned),
				prop("services", v.Services),
			)})
	}

	md.Roles = append(md.Roles, oscalRole{ID: "prepared-for", Title: "Prepared For",
		Description: "The organization whose HIPAA Security Rule compliance was assessed."})
	md.ResponsibleParties = append(md.ResponsibleParties, oscalResponsibleParty{RoleID: "prepared-for", PartyUUIDs: []string{b.orgParty}})
	if len(b.assessors) > 0 {
		md.Roles = append(md.Roles, oscalRole{ID: "assessor", Title: "Assessor",
			Description: "The people named as assessors of this risk analysis."})
		md.ResponsibleParties = append(md.ResponsibleParties, oscalResponsibleParty{RoleID: "assessor", PartyUUIDs: b.assessors})
	}
	if len(team) > 0 {
		md.Roles = append(md.Roles, oscalRole{ID: "assessment-team", Title: "Assessment Team",
			Description: "Others who recorded answers or evidence."})
		md.ResponsibleParties = append(md.ResponsibleParties, oscalResponsibleParty{RoleID: "assessment-team", PartyUUIDs: team})
	}
	if approver != "" {
		md.Roles = append(md.Roles, oscalRole{ID: "approver", Title: "Approver",
			Description: "The person who signed off the risk analysis."})
		md.ResponsibleParties = append(md.ResponsibleParties, oscalResponsibleParty{RoleID: "approver", PartyUUIDs: []string{approver}})
	}
	return md
}

// resultDescription is the scope statement, or a sentence saying there is none.
func (b *oscalBuilder) resultDescription() string {
	s := b.s
	var sb strings.Builder
	fmt.Fprintf(&sb, "HIPAA Security Rule (45 CFR Part 164, Subpart C) risk analysis of %s, status %s, using the safeguard catalog %s.",
		oneLine(s.Assessment.Organization), s.Assessment.Status.Label(), s.Assessment.CatalogVersion)
	if p := s.Profile; p.PeriodStart != "" || p.PeriodEnd != "" {
		fmt.Fprintf(&sb, " Assessment period: %s to %s.", dash(p.PeriodStart), dash(p.PeriodEnd))
	}
	if scope := strings.TrimSpace(s.Profile.Scope); scope != "" {
		sb.WriteString("\n\nScope: ")
		sb.WriteString(scope)
	} else {
		sb.WriteString("\n\nNo scope statement was recorded.")
	}
	return sb.String()
}

// start is the beginning of the assessment period, else when the assessment was created.
func (b *oscalBuilder) start() string {
	if t, err := assessment.ParseDate(b.s.Profile.PeriodStart); err == nil && validYear(t) {
		return oscalTime(t)
	}
	if t := b.s.Assessment.CreatedAt; !t.IsZero() && validYear(t) {
		return oscalTime(t)
	}
	return oscalTime(b.generated)
}

// end is the last second of the assessment period; "" when no period end is recorded.
func (b *oscalBuilder) end() string {
	if t, err := assessment.ParseDate(b.s.Profile.PeriodEnd); err == nil && validYear(t) {
		return oscalTime(endOfDay(t))
	}
	return ""
}

// components describes every asset as a result-local component, so observations can name
// it as their subject.
func (b *oscalBuilder) components() []oscalComponent {
	s := b.s
	var out []oscalComponent
	kinds := map[string]string{}
	for _, k := range b.cat.AssetKinds {
		kinds[k.ID] = k.Title
	}
	for _, a := range s.Assets {
		var d strings.Builder
		d.WriteString(nonEmpty(kinds[a.Kind], a.Kind))
		if h := a.Hosting.Phrase(); h != "" {
			fmt.Fprintf(&d, ", hosted %s", h)
		} else {
			d.WriteString(", hosting not recorded")
		}
		if v, ok := s.Vendor(a.VendorID); ok {
			fmt.Fprintf(&d, " by %s", oneLine(v.Name))
		}
		if !strings.HasSuffix(d.String(), ".") {
			d.WriteString(".")
		}
		if a.EPHI {
			d.WriteString(" Holds ePHI")
			if a.Records > 0 {
				fmt.Fprintf(&d, " (about %d records)", a.Records)
			}
			d.WriteString(".")
		}
		if a.Part2 {
			d.WriteString(" Holds 42 CFR Part 2 records.")
		}
		if n := strings.TrimSpace(a.Notes); n != "" {
			d.WriteString("\n\n")
			d.WriteString(n)
		}
		st := oscalState{State: "operational"}
		if !a.InScope {
			st = oscalState{State: "other", Remarks: "Out of the scope of this risk analysis."}
		}
		out = append(out, oscalComponent{
			UUID:        b.compIDs[a.ID],
			Type:        componentType(a),
			Title:       line(a.Name, "Asset "+a.ID),
			Description: d.String(),
			Props: props(
				prop("asset-id", a.ID),
				prop("asset-kind", a.Kind),
				prop("hosting", string(a.Hosting)),
				prop("ephi", yesNo(a.EPHI)),
				prop("part2", yesNo(a.Part2)),
				prop("in-scope", yesNo(a.InScope)),
				prop("criticality", a.Criticality),
				prop("encryption-at-rest", a.EncAtRest),
				prop("encryption-in-transit", a.TLS),
				prop("location", a.Location),
				prop("owner", a.Owner),
			),
			Status: st,
		})
	}
	return out
}

// reviewedControls lists, in catalog order, every standard and specification with at
// least one applicable item.
func (b *oscalBuilder) reviewedControls(items []assessment.ItemView) oscalReviewedControls {
	used := map[string]bool{}
	for _, it := range items {
		used[it.Question.Standard] = true
		for _, c := range it.Question.Citations() {
			used[c] = true
			if std, ok := b.cat.StandardOf(c); ok {
				used[std] = true
			}
		}
	}
	var sel []oscalSelectControl
	add := func(citation string) {
		if tok, err := ControlToken(citation); err == nil {
			sel = append(sel, oscalSelectControl{ControlID: tok})
		}
	}
	for _, st := range b.cat.Standards {
		if !used[st.ID] {
			continue
		}
		add(st.ID)
		for _, sp := range st.Specifications {
			if used[sp.ID] {
				add(sp.ID)
			}
		}
	}
	rc := oscalReviewedControls{
		Description: "The HIPAA Security Rule standards and implementation specifications with at least one applicable question in this assessment. Control IDs are citations as tokens: §164.308(a)(1)(ii)(A) is hipaa-164.308.a.1.ii.a.",
	}
	if len(sel) == 0 {
		rc.ControlSelections = []oscalControlSelection{{IncludeAll: &struct{}{},
			Description: "No question applied, so no control could be narrowed down."}}
		return rc
	}
	rc.ControlSelections = []oscalControlSelection{{IncludeControls: sel}}
	return rc
}

// alsoCites is the tokens of the further controls a question answers, space-separated.
func alsoCites(q *controls.Question) string {
	var toks []string
	for _, c := range q.AlsoCites {
		if tok, err := ControlToken(c); err == nil {
			toks = append(toks, tok)
		}
	}
	return strings.Join(toks, " ")
}

// controlOf is the token of the control a question answers: its specification, or its
// standard when it has none.
func controlOf(q *controls.Question) string {
	c := q.Specification
	if c == "" {
		c = q.Standard
	}
	tok, err := ControlToken(c)
	if err != nil {
		return ""
	}
	return tok
}

// objectives defines each answered question as an assessment objective of its control, so
// finding targets (objective-id = QuestionToken) resolve inside the document.
func (b *oscalBuilder) objectives(answered []*assessment.ItemView) []oscalLocalObjective {
	byControl := map[string][]*controls.Question{}
	seen := map[string]bool{}
	for _, it := range answered {
		q := it.Question
		if seen[q.ID] {
			continue
		}
		seen[q.ID] = true
		c := q.Specification
		if c == "" {
			c = q.Standard
		}
		byControl[c] = append(byControl[c], q)
	}
	var out []oscalLocalObjective
	add := func(citation, title, requirement string) {
		qs := byControl[citation]
		tok, err := ControlToken(citation)
		if len(qs) == 0 || err != nil {
			return
		}
		obj := oscalLocalObjective{
			ControlID:   tok,
			Description: fmt.Sprintf("§%s %s (%s)", citation, oneLine(title), requirement),
			Props:       props(prop("citation", citation), prop("requirement", requirement)),
		}
		for _, q := range qs {
			obj.Parts = append(obj.Parts, oscalPart{
				ID:    QuestionToken(q.ID),
				Name:  "assessment-objective",
				Title: "Question " + q.ID,
				Props: props(
					prop("question-id", q.ID),
					prop("key-activities", strings.Join(q.KeyActivities, " ")),
					prop("scope", string(q.Scope)),
					prop("proposed-rule", yesNoIf(q.Proposed)),
				),
				Prose: strings.TrimSpace(q.Text),
			})
		}
		out = append(out, obj)
	}
	for _, st := range b.cat.Standards {
		add(st.ID, st.Title, "standard")
		for _, sp := range st.Specifications {
			add(sp.ID, sp.Title, string(sp.Requirement))
		}
	}
	return out
}

// subjectOf is the subject of an item: the asset's component, or the organization.
func (b *oscalBuilder) subjectOf(assetID string) oscalSubject {
	if id, ok := b.compIDs[assetID]; ok && assetID != "" {
		return oscalSubject{SubjectUUID: id, Type: "component", Title: line(b.assetName(assetID), "Asset "+assetID)}
	}
	return oscalSubject{SubjectUUID: b.orgParty, Type: "party", Title: line(b.s.Assessment.Organization, "Assessed organization")}
}

// originOf names the person who recorded something, when known.
func (b *oscalBuilder) originOf(name string) []oscalOrigin {
	id, ok := b.people[oneLine(name)]
	if !ok {
		return nil
	}
	return []oscalOrigin{{Actors: []oscalActor{{Type: "party", ActorUUID: id}}}}
}

// raters is who rated risks: the assessors, or the organization when none is named.
func (b *oscalBuilder) raters() oscalOrigin {
	var o oscalOrigin
	for _, id := range b.assessors {
		o.Actors = append(o.Actors, oscalActor{Type: "party", ActorUUID: id, RoleID: "assessor"})
	}
	if len(o.Actors) == 0 {
		o.Actors = []oscalActor{{Type: "party", ActorUUID: b.orgParty, RoleID: "prepared-for"}}
	}
	return o
}

// itemLabel is "question ID" or "question ID (asset)".
func (b *oscalBuilder) itemLabel(q *controls.Question, assetID string) string {
	if assetID == "" {
		return q.ID
	}
	return q.ID + " (" + line(b.assetName(assetID), assetID) + ")"
}

// assetName is an asset's name; "" for an ID the assessment does not hold.
func (b *oscalBuilder) assetName(id string) string {
	if x, ok := b.a.Asset(id); ok {
		return x.Name
	}
	return ""
}

// citeOf is "§citation title" for a question's specification or standard.
func (b *oscalBuilder) citeOf(q *controls.Question) string {
	c := citationOf(b.cat, q)
	if c.spec != "" {
		return "§" + c.spec + " " + oneLine(c.specTitle)
	}
	return "§" + c.standard + " " + oneLine(c.standardTitle)
}

// answerText says what was answered: status, reason, decision, note, revalidation.
func answerText(r *assessment.Response) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "Answer: %s.", r.Status.Label())
	if t := strings.TrimSpace(r.Reason); t != "" {
		sb.WriteString("\n\nWhy it does not apply: ")
		sb.WriteString(t)
	}
	if r.Decision != assessment.DecisionNone {
		fmt.Fprintf(&sb, "\n\n§164.306(d)(3) decision: %s.", r.Decision.Label())
		if t := strings.TrimSpace(r.DecisionText); t != "" {
			sb.WriteString(" ")
			sb.WriteString(t)
		}
	}
	if t := strings.TrimSpace(r.Note); t != "" {
		sb.WriteString("\n\nNote: ")
		sb.WriteString(t)
	}
	if r.Revalidate {
		sb.WriteString("\n\nCarried from the previous revision and not yet re-validated.")
	}
	return sb.String()
}

// answerObservation records one answer as an interview observation of its subject, or an
// inherited item as an examination of the vendor review it rests on.
func (b *oscalBuilder) answerObservation(it *assessment.ItemView) oscalObservation {
	q, r := it.Question, it.Response
	k := it.Key()
	id := b.id("observation-answer", k.QuestionID, k.AssetID)
	b.answerObs[k] = id
	if r == nil {
		return b.inheritedObservation(it, id)
	}
	desc := fmt.Sprintf("Question %s (%s): %s\n\n%s", q.ID, b.citeOf(q), strings.TrimSpace(q.Text), answerText(r))
	return oscalObservation{
		UUID:        id,
		Title:       "Answer to " + b.itemLabel(q, k.AssetID),
		Description: desc,
		Props: props(
			prop("question-id", q.ID),
			prop("asset-id", k.AssetID),
			prop("answer-status", string(r.Status)),
			prop("decision", string(r.Decision)),
		),
		Methods:   []string{"INTERVIEW"},
		Types:     []string{"control-objective"},
		Origins:   b.originOf(r.By),
		Subjects:  []oscalSubject{b.subjectOf(k.AssetID)},
		Collected: b.stamp(r.At),
	}
}

// inheritedText says what an inherited item rests on, for observations and findings.
func inheritedText(it *assessment.ItemView) string {
	return "Inherited from the vendor review, not answered by the organization: the provider carries out this control " +
		"under its business associate agreement, shown by " + it.Inherited.Basis() + "."
}

// inheritedObservation records an inherited item: what the vendor review examined (the
// signed BAA and the current attestations), with the vendor among the subjects.
func (b *oscalBuilder) inheritedObservation(it *assessment.ItemView, id string) oscalObservation {
	q, k := it.Question, it.Key()
	subjects := []oscalSubject{b.subjectOf(k.AssetID)}
	if vid, ok := b.vendors[it.Inherited.VendorID]; ok {
		subjects = append(subjects, oscalSubject{SubjectUUID: vid, Type: "party", Title: line(it.InheritedFrom, "Vendor")})
	}
	return oscalObservation{
		UUID:        id,
		Title:       "Inherited: " + b.itemLabel(q, k.AssetID),
		Description: fmt.Sprintf("Question %s (%s): %s\n\n%s", q.ID, b.citeOf(q), strings.TrimSpace(q.Text), inheritedText(it)),
		Props: props(
			prop("question-id", q.ID),
			prop("asset-id", k.AssetID),
			prop("answer-status", string(assessment.Inherited)),
			prop("inherited-from", it.InheritedFrom),
		),
		Methods:   []string{"EXAMINE"},
		Types:     []string{"control-objective"},
		Subjects:  subjects,
		Collected: b.stamp(),
	}
}

// evidence describes one evidence item as an examine observation and a back-matter
// resource holding its identity (name, type, size, SHA-256). Contents stay in the vault.
func (b *oscalBuilder) evidence(e *assessment.Evidence) (oscalObservation, oscalResource) {
	obsID := b.id("observation-evidence", e.ID)
	rscID := b.id("resource-evidence", e.ID)
	b.evObs[e.ID] = obsID
	kind := "File"
	if e.IsNote {
		kind = "Note"
	}
	var d strings.Builder
	fmt.Fprintf(&d, "%s “%s”", kind, oneLine(e.Name))
	if e.MediaType != "" || e.Size > 0 {
		fmt.Fprintf(&d, " (%s, %s)", nonEmpty(e.MediaType, "unknown type"), assessment.FormatSize(e.Size))
	}
	if e.SHA256 != "" {
		fmt.Fprintf(&d, ", SHA-256 %s", e.SHA256)
	}
	if by := oneLine(e.AddedBy); by != "" {
		fmt.Fprintf(&d, ", added by %s", by)
	}
	if !e.AddedAt.IsZero() {
		fmt.Fprintf(&d, " on %s", assessment.ISODate(e.AddedAt))
	}
	d.WriteString(".")
	if t := strings.TrimSpace(e.Description); t != "" {
		d.WriteString("\n\n")
		d.WriteString(t)
	}
	var subjects []oscalSubject
	seen := map[string]bool{}
	addSubject := func(sj oscalSubject) {
		if !seen[sj.SubjectUUID] {
			seen[sj.SubjectUUID] = true
			subjects = append(subjects, sj)
		}
	}
	var supports []string
	for _, l := range e.Links {
		switch {
		case l.VendorID != "":
			if id, ok := b.vendors[l.VendorID]; ok {
				name := l.VendorID
				if v, ok := b.s.Vendor(l.VendorID); ok {
					name = v.Name
				}
				addSubject(oscalSubject{SubjectUUID: id, Type: "party", Title: line(name, l.VendorID)})
			}
		default:
			addSubject(b.subjectOf(l.AssetID))
		}
		if l.QuestionID != "" {
			supports = append(supports, l.QuestionID)
		}
	}
	obs := oscalObservation{
		UUID:        obsID,
		Title:       line("Evidence: "+e.Name, "Evidence "+e.ID),
		Description: d.String(),
		Props: props(
			prop("evidence-id", e.ID),
			prop("supports-questions", strings.Join(supports, " ")),
		),
		Methods:  []string{"EXAMINE"},
		Origins:  b.originOf(e.AddedBy),
		Subjects: subjects,
		RelevantEvidence: []oscalRelevantEvidence{{
			Href:        "#" + rscID,
			Description: line(e.Name, "Evidence "+e.ID),
			Props:       props(prop("sha256", e.SHA256)),
		}},
		Collected: b.stamp(e.AddedAt),
	}
	if t, err := assessment.ParseDate(e.ValidUntil); err == nil && validYear(t) {
		obs.Expires = oscalTime(endOfDay(t))
	}
	rsc := oscalResource{
		UUID:        rscID,
		Title:       line(e.Name, "Evidence "+e.ID),
		Description: "Kept in the safeguard workspace's evidence vault, identified by its SHA-256; the content is not part of this file.",
		Props: props(
			prop("evidence-id", e.ID),
			prop("evidence-kind", strings.ToLower(kind)),
			prop("sha256", e.SHA256),
			prop("media-type", e.MediaType),
			prop("size", sizeOf(e.Size)),
			prop("valid-until", e.ValidUntil),
		),
	}
	return obs, rsc
}

// planResource stands in for the assessment plan: how the analysis was done.
func (b *oscalBuilder) planResource(id string) oscalResource {
	applicable := len(b.a.Items)
	matrix := assessment.ChoiceLabel(assessment.MatrixKinds, string(b.m))
	desc := "The assessor answered the safeguard catalog's questions once for the organization and once for each " +
		"in-scope asset they apply to, covering the risk analysis that 45 CFR §164.308(a)(1)(ii)(A) requires and the " +
		"key activities of NIST SP 800-66 Rev. 2. Each gap (partly or not implemented) was linked to threats and " +
		"vulnerabilities from the catalog's threat library and rated for likelihood and impact on the " + matrix +
		" risk matrix, following NIST SP 800-30 Rev. 1." +
		fmt.Sprintf("\n\n%d items applied to this assessment.", applicable)
	return oscalResource{
		UUID:        id,
		Title:       "Assessment method and scope",
		Description: desc,
		Props: append(props(
			prop("catalog-version", b.s.Assessment.CatalogVersion),
			prop("risk-matrix", string(b.m)),
			prop("applicable-items", strconv.Itoa(applicable)),
		), summaryProps(b.a)...),
	}
}

// summaryProps are the Analysis's headline figures, stated as every output states them
// (the TUI's dashboard, the PDF's summary): items counted (proposed-rule items apart),
// answered, in place (self-assessed) with the share or "too few answers", evidence
// coverage, rated risks by level, proposals not rated, vendors with warnings.
func summaryProps(a *assessment.Analysis) []oscalProp {
	sum := a.Summary
	o := sum.Overall
	inPlace := assessment.TooFewAnswers
	if share, shown := o.InPlace(); shown {
		inPlace = assessment.Percent(share)
	}
	coverage := "none"
	if c, ok := o.EvidenceCoverage(); ok {
		coverage = assessment.Percent(c)
	}
	out := []*oscalProp{
		prop("counted-items", strconv.Itoa(o.Applicable)),
		prop("answered-items", strconv.Itoa(o.Answered())),
		prop("in-place-items", strconv.Itoa(o.Implemented)),
		prop("assessed-items", strconv.Itoa(o.Assessed())),
		prop("in-place-self-assessed", inPlace),
		prop("evidenced-items", strconv.Itoa(o.Evidenced)),
		prop("evidence-coverage", coverage),
		prop("rated-risks", strconv.Itoa(sum.Rated())),
		prop("proposed-risks-not-rated", strconv.Itoa(sum.ProposedRisks)),
		prop("vendors-with-warnings", strconv.Itoa(a.Vendors.Warned)),
	}
	for _, l := range a.Matrix.Levels() {
		out = append(out, prop("rated-risks-"+strings.ReplaceAll(strings.ToLower(a.Matrix.Label(l)), " ", "-"), strconv.Itoa(sum.RiskLevels[l])))
	}
	return props(out...)
}

// finding states the result of one answered or inherited item against its objective. An
// inherited item is satisfied through the vendor review, with no implementation status of
// the organization's own: it is the provider's control, never the organization's
// "implemented".
func (b *oscalBuilder) finding(it *assessment.ItemView, risks []string) oscalFinding {
	q, r := it.Question, it.Response
	k := it.Key()
	owner, o := it.Owner, it.Override
	c := citationOf(b.cat, q)
	var st oscalTargetStatus
	var impl *oscalState
	var desc, by string
	status := it.Status
	if r != nil {
		st, impl, desc, by = findingStatus(r), implementationStatus(r), answerText(r), r.By
	} else {
		desc = inheritedText(it)
		st = oscalTargetStatus{State: "satisfied", Reason: "other", Remarks: "Inherited from " + it.InheritedFrom + "'s vendor review."}
	}
	f := oscalFinding{
		UUID:        b.id("finding", k.QuestionID, k.AssetID),
		Title:       line(b.citeOf(q)+" — "+b.itemLabel(q, k.AssetID), q.ID),
		Description: strings.TrimSpace(q.Text) + "\n\n" + desc,
		Props: props(
			prop("question-id", q.ID),
			prop("asset-id", k.AssetID),
			prop("control-id", controlOf(q)),
			prop("also-cites", alsoCites(q)),
			prop("requirement", c.requirement),
			prop("owner", string(owner)),
			prop("owner-overridden", yesNoIf(o != nil)),
			prop("answer-status", string(status)),
			prop("inherited-from", it.InheritedFrom),
			prop("proposed-rule", yesNoIf(q.Proposed)),
		),
		Origins: b.originOf(by),
		Target: oscalTarget{
			Type:                 "objective-id",
			TargetID:             QuestionToken(q.ID),
			Title:                line(q.Text, "Question "+q.ID),
			Status:               st,
			ImplementationStatus: impl,
		},
	}
	if o != nil {
		f.Remarks = "Owner changed from the catalog default to " + string(owner) + ": " + strings.TrimSpace(o.Reason)
	}
	if q.Proposed {
		f.Remarks = joinParas(f.Remarks, "Asked only because of the January 2025 proposed rule (90 FR 898), which is not final; it does not count against current compliance.")
	}
	if id, ok := b.answerObs[k]; ok {
		f.RelatedObservations = append(f.RelatedObservations, oscalRelated{ObservationUUID: id})
	}
	for _, e := range it.Evidence {
		if id, ok := b.evObs[e]; ok {
			f.RelatedObservations = append(f.RelatedObservations, oscalRelated{ObservationUUID: id})
		}
	}
	for _, id := range risks {
		f.RelatedRisks = append(f.RelatedRisks, oscalRelated{RiskUUID: id})
	}
	return f
}

// findingStatus maps an answer onto OSCAL's satisfied / not-satisfied.
func findingStatus(r *assessment.Response) oscalTargetStatus {
	switch r.Status {
	case assessment.Implemented:
		return oscalTargetStatus{State: "satisfied", Reason: "pass"}
	case assessment.NotApplicable:
		return oscalTargetStatus{State: "satisfied", Reason: "other",
			Remarks: "Not applicable: " + nonEmpty(strings.TrimSpace(r.Reason), "no reason recorded.")}
	case assessment.Partial:
		return oscalTargetStatus{State: "not-satisfied", Reason: "fail", Remarks: "Partially implemented."}
	case assessment.NotImplemented:
		return oscalTargetStatus{State: "not-satisfied", Reason: "fail", Remarks: "Not implemented."}
	case assessment.Flagged:
		return oscalTargetStatus{State: "not-satisfied", Reason: "other",
			Remarks: "Flagged for follow-up: the answer is not known yet, so the objective is not shown to be satisfied."}
	}
	return oscalTargetStatus{State: "not-satisfied", Reason: "other", Remarks: "The recorded status is not one safeguard knows."}
}

// implementationStatus is OSCAL's implementation state where one fits the answer.
func implementationStatus(r *assessment.Response) *oscalState {
	switch r.Status {
	case assessment.Implemented:
		if r.Decision == assessment.DecisionAlternative {
			return &oscalState{State: "alternative"}
		}
		return &oscalState{State: "implemented"}
	case assessment.Partial:
		return &oscalState{State: "partial"}
	case assessment.NotApplicable:
		return &oscalState{State: "not-applicable"}
	}
	return nil
}

// risk maps one register entry.
func (b *oscalBuilder) risk(r assessment.RiskView) oscalRisk {
	var vuln *controls.Vulnerability
	var threat *controls.Threat
	if v, ok := b.cat.Vulnerability(r.VulnerabilityID); ok {
		vuln = v
		if t, ok := threatOf(v, r.ThreatID); ok {
			threat = t
		}
	}
	where := "the organization as a whole"
	if r.AssetID != "" {
		where = line(b.assetName(r.AssetID), "asset "+r.AssetID)
	}
	var d strings.Builder
	if threat != nil {
		fmt.Fprintf(&d, "Threat: %s (%s).", oneLine(threat.Title), threat.Source)
	} else if r.ThreatID != "" {
		fmt.Fprintf(&d, "Threat: %s.", r.ThreatID)
	}
	if vuln != nil {
		fmt.Fprintf(&d, " Vulnerability: %s. %s", oneLine(vuln.Title), strings.TrimSpace(vuln.Description))
	} else if r.VulnerabilityID != "" {
		fmt.Fprintf(&d, " Vulnerability: %s.", r.VulnerabilityID)
	}
	fmt.Fprintf(&d, "\n\nAffects %s.", where)
	if len(r.QuestionIDs) > 0 {
		fmt.Fprintf(&d, " Exposed by the answers to %s.", strings.Join(r.QuestionIDs, ", "))
	}

	level := r.Level
	statement := strings.TrimSpace(r.Rationale)
	if statement == "" {
		if level == assessment.LevelNone {
			statement = "Not rated yet; no rationale recorded."
		} else {
			statement = fmt.Sprintf("Rated %s (likelihood %d, impact %d on the %s matrix); no rationale recorded.",
				strings.ToLower(b.m.Label(level)), r.Likelihood, r.Impact, b.m)
		}
	}
	out := oscalRisk{
		UUID:        b.id("risk", r.ID),
		Title:       line(r.Title, "Risk "+r.ID),
		Description: strings.TrimSpace(d.String()),
		Statement:   statement,
		Props: props(
			prop("risk-id", r.ID),
			prop("register-ref", r.Ref),
			prop("asset-id", r.AssetID),
			prop("vulnerability-id", r.VulnerabilityID),
			prop("threat-id", r.ThreatID),
			prop("risk-status", string(r.Status)),
			prop("risk-level", string(level)),
			prop("treatment", string(r.Treatment)),
			prop("risk-owner", r.Owner),
		),
		Status: riskStatus(r.Risk),
	}
	if r.Status == assessment.RiskDismissed {
		out.Description += "\n\nDismissed: the assessor judged that this risk does not apply."
	}
	if c, ok := b.characterization(r.Likelihood, r.Impact, ""); ok {
		out.Characterizations = append(out.Characterizations, c)
	}
	if c, ok := b.characterization(r.ResidualL, r.ResidualI, "residual"); ok {
		out.Characterizations = append(out.Characterizations, c)
	}
	if t, err := assessment.ParseDate(r.Due); err == nil && validYear(t) {
		out.Deadline = oscalTime(endOfDay(t))
	}
	if r.Treatment != assessment.TreatNone {
		lifecycle := "planned"
		if r.Status == assessment.RiskClosed {
			lifecycle = "completed"
		}
		desc := strings.TrimSpace(r.Measures)
		if desc == "" {
			desc = "No measures recorded."
		}
		out.Remediations = []oscalResponse{{
			UUID:        b.id("remediation", r.ID),
			Lifecycle:   lifecycle,
			Title:       r.Treatment.Label(),
			Description: desc,
			Props:       props(prop("treatment", string(r.Treatment)), prop("risk-owner", r.Owner), prop("due", r.Due)),
		}}
	}
	for _, q := range r.QuestionIDs {
		if id, ok := b.answerObs[assessment.ItemKey{QuestionID: q, AssetID: r.AssetID}]; ok {
			out.RelatedObservations = append(out.RelatedObservations, oscalRelated{ObservationUUID: id})
		}
	}
	return out
}

// characterization is a likelihood/impact rating with its level; ok is false when the
// rating is incomplete. kind "residual" marks the rating after treatment.
func (b *oscalBuilder) characterization(l, i int, kind string) (oscalCharacterization, bool) {
	level := b.m.Level(l, i)
	if level == assessment.LevelNone {
		return oscalCharacterization{}, false
	}
	system := SP80030
	if b.m == assessment.MatrixHHS3x3 {
		system = Namespace + "/hhs-3x3"
	}
	c := oscalCharacterization{
		Props: props(
			prop("characterization", kind),
			prop("likelihood-score", strconv.Itoa(l)),
			prop("impact-score", strconv.Itoa(i)),
		),
		Origin: b.raters(),
		Facets: []oscalFacet{
			{Name: "likelihood", System: system, Value: b.scaleValue(l)},
			{Name: "impact", System: system, Value: b.scaleValue(i)},
			{Name: "risk", System: system, Value: string(level)},
		},
	}
	return c, true
}

// scaleValue names a rating on the matrix's scale: very-low … very-high on 5×5, low,
// medium, high on 3×3.
func (b *oscalBuilder) scaleValue(n int) string {
	if b.m.Scale() == 3 {
		return []string{"low", "medium", "high"}[n-1]
	}
	return []string{"very-low", "low", "moderate", "high", "very-high"}[n-1]
}

// riskStatus maps safeguard's risk status onto OSCAL's.
func riskStatus(r *assessment.Risk) string {
	switch r.Status {
	case assessment.RiskProposed:
		return "investigating"
	case assessment.RiskOpen:
		if r.Treatment == assessment.TreatAccept {
			return "deviation-approved"
		}
		return "open"
	case assessment.RiskInProgress:
		return "remediating"
	case assessment.RiskClosed, assessment.RiskDismissed:
		return "closed"
	}
	return "open"
}

// attestation is the sign-off, when there is one.
func (b *oscalBuilder) attestation() *oscalAttestation {
	so := b.s.SignOff
	if so == nil {
		return nil
	}
	prose := strings.TrimSpace(so.Statement)
	sig := fmt.Sprintf("Signed by %s", line(so.Name, "an unnamed signatory"))
	if r := oneLine(so.Role); r != "" {
		sig += ", " + r
	}
	if so.Date != "" {
		sig += ", on " + so.Date
	}
	sig += "."
	if so.ChainHead != "" {
		sig += " Audit chain head when finalized: " + so.ChainHead + "."
	}
	a := &oscalAttestation{Parts: []oscalPart{{Name: "sign-off", NS: Namespace, Title: "Sign-off", Prose: joinParas(prose, sig)}}}
	if id, ok := b.people[oneLine(so.Name)]; ok {
		a.ResponsibleParties = []oscalResponsibleParty{{RoleID: "approver", PartyUUIDs: []string{id}}}
	}
	return a
}

// stamp is the first usable time of ts, else the snapshot's generation time.
func (b *oscalBuilder) stamp(ts ...time.Time) string {
	for _, t := range ts {
		if !t.IsZero() && validYear(t.UTC()) {
			return oscalTime(t)
		}
	}
	return oscalTime(b.generated)
}

// prop is a safeguard property; nil when the value is blank, since OSCAL values may not be.
func prop(name, value string) *oscalProp {
	v := oneLine(value)
	if v == "" {
		return nil
	}
	return &oscalProp{Name: name, NS: Namespace, Value: v}
}

// props keeps the non-nil properties.
func props(ps ...*oscalProp) []oscalProp {
	var out []oscalProp
	for _, p := range ps {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}

// oneLine collapses all white space (including line breaks) to single spaces and trims
// it, which is what OSCAL's string and markup-line types allow.
func oneLine(s string) string {
	if isOneLine(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// isOneLine reports whether s is already trimmed, single-spaced ASCII-blank text, the
// common case, which oneLine then returns without allocating.
func isOneLine(s string) bool {
	prevSpace := true // a leading space is not one-line
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return false // leave Unicode blanks to strings.Fields
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case c < 0x20 || c == 0x7f:
			return false
		default:
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}

// line is s on one line, or fallback when s is blank.
func line(s, fallback string) string {
	if l := oneLine(s); l != "" {
		return l
	}
	return fallback
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func dash(s string) string { return nonEmpty(s, "—") }

func joinParas(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n\n" + b
}

// oscalTime formats a time as OSCAL's date-time-with-timezone: ISO 8601 in UTC, to the
// second, like every machine output.
func oscalTime(t time.Time) string { return assessment.ISOTime(t) }

// validYear reports whether t's year is one OSCAL's date pattern accepts (1900–2999).
func validYear(t time.Time) bool { y := t.UTC().Year(); return y >= 1900 && y <= 2999 }

// endOfDay is the last second of a calendar date: due dates and expiry dates include the
// whole day.
func endOfDay(t time.Time) time.Time { return t.Add(24*time.Hour - time.Second) }

func sizeOf(n int64) string {
	if n <= 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// componentType picks the OSCAL component type closest to an asset.
func componentType(a assessment.Asset) string {
	switch {
	case a.Kind == "network":
		return "network"
	case a.Kind == "endpoint" || a.Kind == "mobile":
		return "hardware"
	case a.Hosting == controls.SaaS || a.Hosting == controls.PaaS:
		return "service"
	}
	return "software"
}

// ControlToken maps a Security Rule citation to an OSCAL token: "hipaa-", the section,
// then each parenthesised paragraph designation lower-cased and joined with dots. So
// 164.308 → hipaa-164.308, 164.308(a)(1) → hipaa-164.308.a.1 and 164.308(a)(1)(ii)(A) →
// hipaa-164.308.a.1.ii.a. A leading "§" and surrounding blanks are ignored. It refuses
// anything that is not a section number followed by (x) groups of letters and digits,
// because a token must identify one paragraph and never collide with another.
func ControlToken(citation string) (string, error) {
	c := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(citation), "§"))
	section, rest, paren := strings.Cut(c, "(")
	if !isSection(section) || paren && rest == "" {
		return "", fmt.Errorf("%q is not a Security Rule citation like 164.308(a)(1)(ii)(A)", citation)
	}
	var b strings.Builder
	b.WriteString("hipaa-")
	b.WriteString(section)
	if rest != "" {
		rest = "(" + rest
	}
	for rest != "" {
		if rest[0] != '(' {
			return "", fmt.Errorf("%q is not a Security Rule citation like 164.308(a)(1)(ii)(A)", citation)
		}
		end := strings.IndexByte(rest, ')')
		if end < 2 || !isAlnum(rest[1:end]) {
			return "", fmt.Errorf("%q is not a Security Rule citation like 164.308(a)(1)(ii)(A)", citation)
		}
		b.WriteByte('.')
		b.WriteString(strings.ToLower(rest[1:end]))
		rest = rest[end+1:]
	}
	return b.String(), nil
}

// QuestionToken maps a catalog question ID to an OSCAL token: "hipaa-q-" and the ID lower-
// cased, so 308a1iia-ra-01 → hipaa-q-308a1iia-ra-01. Characters a token cannot hold
// (anything but letters, digits, '.', '-' and '_') become '-'; catalog IDs never have any.
func QuestionToken(id string) string {
	var b strings.Builder
	b.Grow(len(id) + 8)
	b.WriteString("hipaa-q-")
	for _, r := range strings.ToLower(id) {
		if r < 0x80 && (isAlnumByte(byte(r)) || r == '.' || r == '-' || r == '_') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// isSection reports whether s is a CFR section number such as 164.308.
func isSection(s string) bool {
	head, tail, ok := strings.Cut(s, ".")
	return ok && isDigits(head) && isDigits(tail)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnumByte(s[i]) {
			return false
		}
	}
	return s != ""
}

func isAlnumByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// anchorToken is the seal as `safeguard verify --anchor FILE` finds it in an export.
func anchorToken(seal assessment.Seal) string {
	if seal.Seq == 0 {
		return ""
	}
	return fmt.Sprintf("safeguard-anchor:%s:%d:%s", seal.Workspace, seal.Seq, seal.Head)
}
