package reports

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"safeguard/assessment"
)

const schemaPath = "testdata/oscal_complete_schema-1.2.2.json"

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// oscalSchema compiles NIST's OSCAL 1.2.2 complete schema (draft-07). Its patterns
// (\p{L}, \p{N}, \S, character classes and alternations) are all within RE2, so the
// validator's default engine, Go's regexp, runs them as written; draft-07 format keywords
// (date-time, uri, uri-reference) are asserted by jsonschema/v6 by default for drafts before
// 2019-09, and AssertFormat makes that explicit.
func oscalSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		f, err := os.Open(schemaPath)
		if err != nil {
			schemaErr = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource("oscal_complete_schema.json", doc); err != nil {
			schemaErr = err
			return
		}
		schema, schemaErr = c.Compile("oscal_complete_schema.json")
	})
	if schemaErr != nil {
		t.Fatalf("compile the OSCAL schema: %v", schemaErr)
	}
	return schema
}

func validateOSCAL(t testing.TB, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the export is not JSON: %v", err)
	}
	return oscalSchema(t).Validate(inst)
}

func oscalBytes(t testing.TB, s *assessment.Snapshot) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteOSCAL(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestOSCALDemoValidatesAgainstSchema(t *testing.T) {
	t.Parallel()
	data := oscalBytes(t, demoSnapshot(t))
	if err := validateOSCAL(t, data); err != nil {
		t.Fatalf("the demo's OSCAL export does not validate:\n%v", err)
	}
}

func TestOSCALLargeValidatesAgainstSchema(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("large assessment")
	}
	data := oscalBytes(t, largeSnapshot(t, 1))
	if err := validateOSCAL(t, data); err != nil {
		t.Fatalf("the large assessment's OSCAL export does not validate:\n%.3000v", err)
	}
}

// TestOSCALSchemaRejectsInvalid proves the validation is real: documents broken in the ways
// an exporter could break them must fail.
func TestOSCALSchemaRejectsInvalid(t *testing.T) {
	t.Parallel()
	good := oscalBytes(t, demoSnapshot(t))
	cases := []struct {
		name   string
		break_ func(ar map[string]any)
	}{
		{"missing import-ap", func(ar map[string]any) { delete(ar, "import-ap") }},
		{"finding target not a token", func(ar map[string]any) {
			f := firstOf(ar, "findings")
			f["target"].(map[string]any)["target-id"] = "164.308(a)(1)(ii)(A)"
		}},
		{"unknown finding state", func(ar map[string]any) {
			f := firstOf(ar, "findings")
			f["target"].(map[string]any)["status"].(map[string]any)["state"] = "partially-satisfied"
		}},
		{"uuid not version 4 or 5", func(ar map[string]any) { ar["uuid"] = "00000000-0000-1000-8000-000000000000" }},
		{"date without time zone", func(ar map[string]any) {
			ar["metadata"].(map[string]any)["last-modified"] = "2026-11-20T15:04:05"
		}},
		{"observation without methods", func(ar map[string]any) { delete(firstOf(ar, "observations"), "methods") }},
		{"unknown property", func(ar map[string]any) { ar["metadata"].(map[string]any)["color"] = "blue" }},
		{"multi-line prop value", func(ar map[string]any) {
			ar["metadata"].(map[string]any)["props"].([]any)[0].(map[string]any)["value"] = "two\nlines"
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(good, &doc); err != nil {
				t.Fatal(err)
			}
			c.break_(doc["assessment-results"].(map[string]any))
			bad, _ := json.Marshal(doc)
			if err := validateOSCAL(t, bad); err == nil {
				t.Fatal("the schema accepted a broken document")
			}
		})
	}
}

func firstOf(ar map[string]any, list string) map[string]any {
	res := ar["results"].([]any)[0].(map[string]any)
	return res[list].([]any)[0].(map[string]any)
}

// TestOSCALStreamingMatchesEncoder: the streamed encoding is byte for byte what
// encoding/json writes for the whole document at once, for a full and a bare assessment.
func TestOSCALStreamingMatchesEncoder(t *testing.T) {
	t.Parallel()
	bare := demoSnapshot(t)
	bare.Responses, bare.Risks, bare.Evidence = nil, nil, nil
	for name, s := range map[string]*assessment.Snapshot{"demo": demoSnapshot(t), "bare": bare} {
		doc, err := BuildOSCAL(s)
		if err != nil {
			t.Fatal(err)
		}
		var streamed, whole bytes.Buffer
		if err := doc.Encode(&streamed); err != nil {
			t.Fatal(err)
		}
		enc := json.NewEncoder(&whole)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(streamed.Bytes(), whole.Bytes()) {
			a, b := streamed.Bytes(), whole.Bytes()
			i := 0
			for i < len(a) && i < len(b) && a[i] == b[i] {
				i++
			}
			t.Fatalf("%s: streamed output differs at byte %d:\nstreamed …%q…\nencoder  …%q…", name,
				i, a[max(0, i-80):min(len(a), i+80)], b[max(0, i-80):min(len(b), i+80)])
		}
	}
}

func TestOSCALIsDeterministic(t *testing.T) {
	t.Parallel()
	a := oscalBytes(t, demoSnapshot(t))
	b := oscalBytes(t, demoSnapshot(t))
	if !bytes.Equal(a, b) {
		t.Fatal("two exports of the same snapshot differ")
	}
	// A different assessment ID changes every UUID: UUIDs are scoped to the assessment.
	s := demoSnapshot(t)
	s.Assessment.ID = "another"
	c := oscalBytes(t, s)
	uuids := regexp.MustCompile(`"uuid": "([0-9a-f-]{36})"`)
	first := uuids.FindSubmatch(a)
	if first == nil || bytes.Contains(c, first[1]) {
		t.Fatal("the document UUID should depend on the assessment ID")
	}
}

// TestOSCALContent checks the mapping: one finding per answered item with the right state,
// the token targets and objectives, evidence and answer observations, risks with facets.
func TestOSCALContent(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	doc, err := BuildOSCAL(s)
	if err != nil {
		t.Fatal(err)
	}
	ar := doc.AssessmentResults
	if ar.Metadata.OSCALVersion != "1.2.2" || ar.Metadata.LastModified != s.GeneratedAt.UTC().Format("2006-01-02T15:04:05Z07:00") {
		t.Errorf("metadata: %+v", ar.Metadata)
	}
	if !strings.HasPrefix(ar.ImportAP.Href, "#") {
		t.Errorf("import-ap %q should point into the back matter", ar.ImportAP.Href)
	}
	found := false
	for _, r := range ar.BackMatter.Resources {
		found = found || "#"+r.UUID == ar.ImportAP.Href
	}
	if !found {
		t.Error("import-ap points at no back-matter resource")
	}
	if len(ar.Results) != 1 {
		t.Fatalf("%d results, want 1", len(ar.Results))
	}
	res := ar.Results[0]
	if got, want := len(res.Findings), reportedItems(s); got != want {
		t.Errorf("%d findings, want one per answered or inherited item (%d)", got, want)
	}
	if got, want := len(res.Risks), len(s.Risks); got != want {
		t.Errorf("%d risks, want %d", got, want)
	}
	if got, want := len(res.Observations), reportedItems(s)+len(s.Evidence); got != want {
		t.Errorf("%d observations, want %d answers + %d evidence", got, reportedItems(s), len(s.Evidence))
	}

	// Every target resolves to an objective part, every related observation and risk exists.
	objectives := map[string]bool{}
	for _, o := range ar.LocalDefinitions.ObjectivesAndMethods {
		for _, p := range o.Parts {
			objectives[p.ID] = true
		}
	}
	obs := map[string]oscalObservation{}
	for _, o := range res.Observations {
		obs[o.UUID] = o
	}
	risks := map[string]bool{}
	for _, r := range res.Risks {
		risks[r.UUID] = true
	}
	states := map[string]int{}
	inherited := 0
	resp := s.ResponseMap()
	for _, f := range res.Findings {
		if !objectives[f.Target.TargetID] {
			t.Errorf("finding %q targets %q, which no objective defines", f.Title, f.Target.TargetID)
		}
		for _, ro := range f.RelatedObservations {
			if _, ok := obs[ro.ObservationUUID]; !ok {
				t.Errorf("finding %q relates to a missing observation", f.Title)
			}
		}
		for _, rr := range f.RelatedRisks {
			if !risks[rr.RiskUUID] {
				t.Errorf("finding %q relates to a missing risk", f.Title)
			}
		}
		states[f.Target.Status.State]++
		var qid, aid, status, from string
		for _, p := range f.Props {
			switch p.Name {
			case "question-id":
				qid = p.Value
			case "asset-id":
				aid = p.Value
			case "answer-status":
				status = p.Value
			case "inherited-from":
				from = p.Value
			}
		}
		r := resp[assessment.ItemKey{QuestionID: qid, AssetID: aid}]
		if r == nil {
			// Inherited from a vendor review: satisfied through it, never the
			// organization's own "implemented".
			if status != "inherited" || from == "" || f.Target.Status.State != "satisfied" || f.Target.ImplementationStatus != nil {
				t.Errorf("finding %q without an answer: status %q from %q, state %s, implementation %v",
					f.Title, status, from, f.Target.Status.State, f.Target.ImplementationStatus)
			}
			inherited++
			continue
		}
		want := "not-satisfied"
		if r.Status == assessment.Implemented || r.Status == assessment.NotApplicable {
			want = "satisfied"
		}
		if f.Target.Status.State != want || f.Target.TargetID != QuestionToken(qid) {
			t.Errorf("finding for %s/%s: state %s target %s; want %s %s", qid, aid, f.Target.Status.State, f.Target.TargetID, want, QuestionToken(qid))
		}
	}
	if states["satisfied"] == 0 || states["not-satisfied"] == 0 {
		t.Errorf("the demo should have both states: %v", states)
	}
	if a := assessment.Analyze(s).Summary; inherited != a.Overall.Inherited+a.Proposed.Inherited || inherited == 0 {
		t.Errorf("%d inherited findings; the Analysis counts %d (the demo has some)", inherited, a.Overall.Inherited+a.Proposed.Inherited)
	}

	// The demo's BitLocker evidence is an EXAMINE observation of the endpoint fleet, and
	// the finding for 312a2iv-enc-02 on that asset relates to it.
	var bitlocker oscalObservation
	for _, o := range res.Observations {
		if strings.Contains(o.Title, "BitLocker") {
			bitlocker = o
		}
	}
	if bitlocker.UUID == "" || bitlocker.Methods[0] != "EXAMINE" || len(bitlocker.Subjects) == 0 || bitlocker.Subjects[0].Type != "component" {
		t.Fatalf("BitLocker evidence observation: %+v", bitlocker)
	}
	related := false
	for _, f := range res.Findings {
		if f.Target.TargetID == "hipaa-q-312a2iv-enc-02" {
			for _, ro := range f.RelatedObservations {
				related = related || ro.ObservationUUID == bitlocker.UUID
			}
		}
	}
	if !related {
		t.Error("the finding for 312a2iv-enc-02 does not relate to the BitLocker evidence")
	}

	// Rated risks carry likelihood, impact and risk facets on SP 800-30's scale.
	rated := 0
	for _, r := range res.Risks {
		if len(r.Characterizations) == 0 {
			continue
		}
		rated++
		names := map[string]string{}
		for _, f := range r.Characterizations[0].Facets {
			names[f.Name] = f.Value
			if f.System != SP80030 {
				t.Errorf("risk %q facet system %q", r.Title, f.System)
			}
		}
		if names["likelihood"] == "" || names["impact"] == "" || names["risk"] == "" {
			t.Errorf("risk %q facets %v", r.Title, names)
		}
	}
	if rated == 0 {
		t.Error("no risk has a characterization")
	}

	// Reviewed controls include the risk analysis specification as a token.
	var ids []string
	for _, sel := range res.ReviewedControls.ControlSelections {
		for _, c := range sel.IncludeControls {
			ids = append(ids, c.ControlID)
		}
	}
	if !strings.Contains(strings.Join(ids, " "), "hipaa-164.308.a.1.ii.a") {
		t.Errorf("reviewed controls %v lack hipaa-164.308.a.1.ii.a", ids)
	}
}

func TestOSCAL3x3MatrixValidates(t *testing.T) {
	t.Parallel()
	s := demoSnapshot(t)
	s.Profile.Matrix = assessment.MatrixHHS3x3
	for i := range s.Risks {
		r := &s.Risks[i]
		r.Likelihood, r.Impact = min(r.Likelihood, 3), min(r.Impact, 3)
		r.ResidualL, r.ResidualI = min(r.ResidualL, 3), min(r.ResidualI, 3)
	}
	data := oscalBytes(t, s)
	if err := validateOSCAL(t, data); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(Namespace+"/hhs-3x3")) || !bytes.Contains(data, []byte(`"value": "medium"`)) {
		t.Error("3×3 ratings should use the safeguard hhs-3x3 scale")
	}
}

// TestOSCALEdgeCases: a bare assessment (no answers, assessors, period, risks or evidence)
// and hostile text (line breaks and blanks in names and notes) still validate.
func TestOSCALEdgeCases(t *testing.T) {
	t.Parallel()
	cat := catalog(t)
	bare := &assessment.Snapshot{
		Assessment:  assessment.Assessment{ID: "bare", Title: "T", Organization: "O", Status: assessment.StatusDraft},
		Profile:     assessment.Profile{EntityType: assessment.EntityProvider},
		GeneratedAt: fixedNow,
		Catalog:     cat,
	}
	if err := validateOSCAL(t, oscalBytes(t, bare)); err != nil {
		t.Errorf("bare assessment: %v", err)
	}

	s := demoSnapshot(t)
	s.Assessment.Title = "  Title\nwith a break  "
	s.Profile.Assessors = append(s.Profile.Assessors, " ", "Dana  Whitfield")
	s.Responses[0].Note = "\n\n  line one\n\tline two  "
	s.Responses[0].By = "  "
	s.Evidence[0].Name = "\t"
	s.Vendors[0].Services = "a\nb"
	s.SignOff = &assessment.SignOff{Name: "Dana Whitfield", Role: "Security official", Date: "2026-11-19", Statement: "I confirm.\nAll of it."}
	s.Assessment.Status = assessment.StatusFinal
	s.Risks[0].Due = "not a date"
	if err := validateOSCAL(t, oscalBytes(t, s)); err != nil {
		t.Errorf("hostile text: %v", err)
	}

	if _, err := BuildOSCAL(&assessment.Snapshot{}); err == nil {
		t.Error("a snapshot without a catalog should be refused")
	}
	if _, err := BuildOSCAL(nil); err == nil {
		t.Error("a nil snapshot should be refused")
	}
	// One date rule for every document: with no date recorded at all, OSCAL is dated like
	// the PDF, by the Analysis.
	noTime := *bare
	noTime.GeneratedAt = time.Time{}
	doc, err := BuildOSCAL(&noTime)
	if err != nil {
		t.Fatalf("a snapshot with no date: %v", err)
	}
	if got, want := doc.AssessmentResults.Metadata.LastModified, assessment.ISOTime(assessment.Analyze(&noTime).Generated); got != want {
		t.Errorf("last-modified %s, want the Analysis's date %s", got, want)
	}
}

func TestControlToken(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"164.308", "hipaa-164.308"},
		{"164.308(a)(1)", "hipaa-164.308.a.1"},
		{"164.308(a)(1)(ii)(A)", "hipaa-164.308.a.1.ii.a"},
		{"164.308(a)(6)(ii)", "hipaa-164.308.a.6.ii"},
		{"164.308(b)(3)", "hipaa-164.308.b.3"},
		{"164.310(d)(2)(iv)", "hipaa-164.310.d.2.iv"},
		{"164.312(e)(2)(ii)", "hipaa-164.312.e.2.ii"},
		{"164.314(b)(2)(iii)", "hipaa-164.314.b.2.iii"},
		{"164.316(b)(2)(i)", "hipaa-164.316.b.2.i"},
		{"§164.312(a)(1)", "hipaa-164.312.a.1"},
		{" 164.316(a) ", "hipaa-164.316.a"},
	}
	for _, c := range cases {
		got, err := ControlToken(c.in)
		if err != nil || got != c.want {
			t.Errorf("ControlToken(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "164", "164.308(", "164.308()", "164.308(a", "164.308(a)x", "164.308(a)(1", "164.308(a-1)", "16a.308", "164.308(a)(ii)(A)(", "164.308 (a)"} {
		if got, err := ControlToken(bad); err == nil {
			t.Errorf("ControlToken(%q) = %q; want an error", bad, got)
		}
	}
}

func TestQuestionToken(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"308a1iia-ra-01", "hipaa-q-308a1iia-ra-01"},
		{"312b-cloud-02", "hipaa-q-312b-cloud-02"},
		{"ABC_1.2", "hipaa-q-abc_1.2"},
		{"a b/c", "hipaa-q-a-b-c"},
	}
	for _, c := range cases {
		if got := QuestionToken(c.in); got != c.want {
			t.Errorf("QuestionToken(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

// TestCatalogTokensAreValidAndUnique maps every safeguard, standard, specification and
// question of the catalog: each gives a schema token and no two collide.
func TestCatalogTokensAreValidAndUnique(t *testing.T) {
	t.Parallel()
	cat := catalog(t)
	token := regexp.MustCompile(`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`)
	seen := map[string]string{}
	check := func(from, tok string) {
		if !token.MatchString(tok) {
			t.Errorf("%s → %q is not an OSCAL token", from, tok)
		}
		if prev, ok := seen[tok]; ok {
			t.Errorf("%s and %s both map to %q", prev, from, tok)
		}
		seen[tok] = from
	}
	for _, sg := range cat.Safeguards {
		tok, err := ControlToken(sg.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(sg.ID, tok)
	}
	for _, st := range cat.Standards {
		tok, err := ControlToken(st.ID)
		if err != nil {
			t.Fatal(err)
		}
		check(st.ID, tok)
		for _, sp := range st.Specifications {
			tok, err := ControlToken(sp.ID)
			if err != nil {
				t.Fatal(err)
			}
			check(sp.ID, tok)
		}
	}
	for _, q := range cat.Questions {
		check(q.ID, QuestionToken(q.ID))
	}
}
