package controls

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

func mustCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := Load(os.DirFS("data"))
	if err != nil {
		t.Fatalf("embedded catalog does not validate:\n%v", err)
	}
	return c
}

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

func TestEmbeddedCatalogLoads(t *testing.T) {
	t.Parallel()
	if _, err := Default(); err != nil {
		t.Fatalf("the embedded compiled catalog does not load: %v", err)
	}
	c := mustCatalog(t)
	if len(c.Safeguards) != 5 || len(c.Standards) != 22 {
		t.Errorf("catalog has %d safeguards and %d standards, want 5 and 22", len(c.Safeguards), len(c.Standards))
	}
	if len(c.Questions) < 300 {
		t.Errorf("catalog has %d questions, want at least 300", len(c.Questions))
	}
}

// TestRequirementsMatchRegulation compares every standard and specification, with R/A,
// against the table typed from the regulation in testdata.
func TestRequirementsMatchRegulation(t *testing.T) {
	t.Parallel()
	c := mustCatalog(t)
	want := map[string]string{} // spec -> R/A, or standard -> "" for standards
	for _, r := range readCSV(t, "testdata/requirements.csv") {
		want[r[0]] = ""
		if r[1] != "" {
			want[r[1]] = r[2]
		}
	}
	got := map[string]string{}
	for _, s := range c.Standards {
		got[s.ID] = ""
		for _, sp := range s.Specifications {
			got[sp.ID] = map[Requirement]string{Required: "R", Addressable: "A"}[sp.Requirement]
			if !strings.HasPrefix(sp.ID, strings.SplitN(s.ID, ")", 2)[0]) {
				t.Errorf("specification %s sits under unrelated standard %s", sp.ID, s.ID)
			}
		}
	}
	for id, ra := range want {
		if g, ok := got[id]; !ok {
			t.Errorf("%s is missing from the catalog", id)
		} else if g != ra {
			t.Errorf("%s is %q in the catalog, the regulation says %q", id, g, ra)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("%s is in the catalog but not in the regulation table", id)
		}
	}
}

// TestEveryKeyActivityCovered checks all 104 NIST key activities against NIST's own list.
func TestEveryKeyActivityCovered(t *testing.T) {
	t.Parallel()
	c := mustCatalog(t)
	covered := map[string]bool{}
	for _, q := range c.Questions {
		for _, ka := range q.KeyActivities {
			covered[ka] = true
		}
	}
	n := 0
	for _, r := range readCSV(t, "testdata/nist-structure.csv") {
		if r[0] != "key_activity" {
			continue
		}
		n++
		if !covered[r[1]] {
			t.Errorf("key activity %s (%s) is not covered by any question", r[1], r[2])
		}
		if c.KeyActivityTitle(r[1]) == "" {
			t.Errorf("key activity %s is not in structure.yaml", r[1])
		}
	}
	if n != 104 {
		t.Fatalf("NIST structure lists %d key activities, want 104", n)
	}
}

func TestQuestionShape(t *testing.T) {
	t.Parallel()
	c := mustCatalog(t)
	asset := 0
	for _, q := range c.Questions {
		if q.Scope == ScopeAsset {
			asset++
		}
		if strings.Contains(q.Text, "\n") || len(q.Text) > 240 {
			t.Errorf("%s: question text should be one short line", q.ID)
		}
		if n := strings.Count(strings.TrimSpace(q.Help), ". "); n < 1 {
			t.Errorf("%s: help should be several sentences", q.ID)
		}
		if strings.Contains(q.Text, "?") && strings.Index(q.Text, "?") != len(strings.TrimSpace(q.Text))-1 {
			t.Errorf("%s: one question per entry (found more than one question mark)", q.ID)
		}
	}
	if asset < 60 {
		t.Errorf("only %d asset-scoped questions; per-system answers need more", asset)
	}
}

func TestLenses(t *testing.T) {
	t.Parallel()
	c := mustCatalog(t)
	count := map[string]int{}
	for _, q := range c.Questions {
		for _, l := range q.Lenses {
			count[l]++
		}
		if q.Proposed && !strings.Contains(strings.ToLower(q.Help), "propos") {
			t.Errorf("%s is proposed-only but its help does not say the requirement is proposed", q.ID)
		}
		if q.Condition == ForPart2 && !q.HasLens("part2") {
			t.Errorf("%s is limited to Part 2 programs but lacks the part2 lens", q.ID)
		}
	}
	for lens, min := range map[string]int{"cloud": 15, "part2": 12, "nprm-2025": 10} {
		if count[lens] < min {
			t.Errorf("lens %s has %d questions, want at least %d", lens, count[lens], min)
		}
	}
	if l, _ := c.Lens("nprm-2025"); l == nil || l.Status != "proposed" {
		t.Error("the nprm-2025 lens must be marked proposed")
	}
	// The proposed rule's headline items each have a question in the lens.
	for _, topic := range []string{"72 hours", "6 months", "12 months", "24 hours", "multi-factor", "network map"} {
		found := false
		for _, q := range c.WithLens("nprm-2025") {
			if strings.Contains(strings.ToLower(q.Text+" "+q.Help), strings.ToLower(topic)) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no nprm-2025 question mentions %q", topic)
		}
	}
}

func TestConditions(t *testing.T) {
	t.Parallel()
	c := mustCatalog(t)
	for _, q := range c.Questions {
		switch {
		case q.Specification == "164.308(a)(4)(ii)(A)" && q.Condition != ForClearinghouseComponent:
			t.Errorf("%s is about clearinghouse isolation but not limited to organizations with a clearinghouse component", q.ID)
		case q.Standard == "164.314(b)(1)" && q.Condition != ForHealthPlan && q.Condition != ForPlanSponsor:
			t.Errorf("%s is a group health plan item but not limited to health plans", q.ID)
		}
	}
}

func TestThreatLibrary(t *testing.T) {
	t.Parallel()
	c := mustCatalog(t)
	pairs := 0
	threats := map[string]bool{}
	sources := map[string]bool{}
	for _, v := range c.Vulnerabilities {
		pairs += len(v.Threats)
		for _, th := range v.Threats {
			threats[th.ID] = true
			sources[th.Source] = true
		}
		if len(v.MitigatedBy) == 0 {
			t.Errorf("vulnerability %s is mitigated by no question", v.ID)
		}
	}
	if len(c.Vulnerabilities) < 40 || pairs < 150 {
		t.Errorf("%d vulnerabilities and %d pairs, want at least 40 and 150", len(c.Vulnerabilities), pairs)
	}
	if len(sources) != 5 {
		t.Errorf("threat sources used: %v, want all five classes", sources)
	}
	for _, id := range []string{"ransomware", "phishing-credential-theft", "device-theft", "insider-snooping",
		"cloud-storage-exposure", "unpatched-exploit", "password-guessing", "account-takeover", "vendor-breach",
		"encryption-key-compromise", "backup-corruption", "power-outage", "fire", "flood", "disposal-data-recovery"} {
		if !threats[id] {
			t.Errorf("threat library lacks %s", id)
		}
	}
}

// embeddedFiles copies the embedded catalog into a map so tests can break one file.
func embeddedFiles(t testing.TB) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	sub := os.DirFS("data")
	fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(sub, p)
			m[p] = &fstest.MapFile{Data: b}
		}
		return err
	})
	return m
}

func TestBrokenDataFailsLoudly(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, file, old, new, want string
	}{
		{"unknown vulnerability", "questions/308a1-a4.yaml", "vulnerabilities: [", "vulnerabilities: [no-such-weakness, ", "no-such-weakness"},
		{"bad requirement", "structure.yaml", "requirement: addressable", "requirement: optional", "requirement must be required or addressable"},
		{"unknown field", "structure.yaml", "safeguards:", "safegaurds_typo: []\nsafeguards:", "safegaurds_typo"},
		{"bad likelihood", "vulnerabilities.yaml", "likelihood: 2", "likelihood: 9", "likelihood and impact must be 1 to 5"},
		{"hosted wording asked on premises", "questions/308a1-a4.yaml", "Is this system recorded in your inventory",
			"Is this cloud tenant recorded in your inventory", "asked of on-premises assets"},
		{"hosted help asked on premises", "questions/308a1-a4.yaml", "Each system needs an entry before",
			"This cloud system needs an entry before", "presumes a hosted system"},
		{"organization question with per-hosting owners", "questions/308a1-a4.yaml", "    owner: customer\n",
			"    responsibility: {on-prem: customer, iaas: customer, paas: customer, saas: customer}\n", "has one owner"},
		{"unused hosting column", "questions/308a1-a4.yaml", "responsibility: {iaas: customer, paas: customer, saas: customer}",
			"responsibility: {on-prem: customer, iaas: customer, paas: customer, saas: customer}", "is never used"},
		{"bad depth", "questions/308a1-a4.yaml", "depth: essentials", "depth: thorough", "depth must be essentials, standard or complete"},
		{"bad basis", "questions/308a1-a4.yaml", "basis: regulation", "basis: hearsay", "basis must be"},
		{"bad answerer", "questions/308a1-a4.yaml", "answered_by: office-manager", "answered_by: anybody", "answered_by must be"},
		{"gate asked only deeper", "questions/310-312a.yaml", "follows: 310d2iii-acct-05", "follows: 310d2iii-acct-01", "only at a greater depth"},
		{"gate that does not exist", "questions/310-312a.yaml", "follows: 310d2iii-acct-05", "follows: 310d2iii-acct-99", "not another question"},
		{"alias to nothing", "aliases.yaml", "new: 316a-pol-01", "new: 316a-pol-99", "which is not a question"},
		{"alias of a live question", "aliases.yaml", "old: 308a1-pol-01", "old: 308a1iia-ra-02", "is still a question"},
		{"citation that does not exist", "questions/308a1-a4.yaml", `also_cites: ["164.312(a)(1)"]`, `also_cites: ["164.399(z)"]`, "neither a standard nor a specification"},
		{"region with a man-made hazard", "structure.yaml", "likelihood: {hurricane: 4,", "likelihood: {ransomware: 4, hurricane: 4,", "not a natural hazard"},
		{"proposed lens without a date", "structure.yaml", `    as_of: "2026-12-01"` + "\n", "", "needs as_of"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := embeddedFiles(t)
			f := files[c.file]
			if !strings.Contains(string(f.Data), c.old) {
				t.Fatalf("%s does not contain %q", c.file, c.old)
			}
			f.Data = []byte(strings.Replace(string(f.Data), c.old, c.new, 1))
			_, err := Load(files)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
			if !strings.Contains(err.Error(), "catalog") {
				t.Errorf("error %q does not say it is about the catalog", err)
			}
		})
	}
}

// TestEssentialsCoverageIsEnforced: moving the only essentials question of a required
// specification to a greater depth fails validation, naming the specification.
func TestEssentialsCoverageIsEnforced(t *testing.T) {
	files := embeddedFiles(t)
	f := files["questions/312b-316.yaml"]
	src := string(f.Data)
	at := strings.Index(src, "- id: 316b2i-ret-01\n")
	if at < 0 {
		t.Fatal("316b2i-ret-01 is not in 312b-316.yaml")
	}
	rel := strings.Index(src[at:], "depth: essentials")
	if rel < 0 {
		t.Fatal("316b2i-ret-01 is not an essentials question")
	}
	f.Data = []byte(src[:at+rel] + "depth: complete" + src[at+rel+len("depth: essentials"):])
	_, err := Load(files)
	if err == nil || !strings.Contains(err.Error(), "164.316(b)(2)(i)") || !strings.Contains(err.Error(), "no essentials question") {
		t.Fatalf("err = %v, want the required specification without an essentials question", err)
	}
}

func TestDuplicateQuestionIDNamesFile(t *testing.T) {
	t.Parallel()
	files := embeddedFiles(t)
	src := files["questions/308a1-a4.yaml"].Data
	files["questions/zz-copy.yaml"] = &fstest.MapFile{Data: src}
	_, err := Load(files)
	if err == nil || !strings.Contains(err.Error(), "duplicate question id") || !strings.Contains(err.Error(), "zz-copy.yaml") {
		t.Fatalf("err = %v, want a duplicate-id error naming the file", err)
	}
}

// FuzzLoad feeds malformed question and structure files to the loader: it must return an
// error or a valid catalog, never panic.
func FuzzLoad(f *testing.F) {
	base := embeddedFiles(f)
	f.Add([]byte(""), []byte(""))
	f.Add([]byte("questions: [{id: 1}]"), []byte("version: 1"))
	f.Add([]byte("questions:\n  - id: 308a1-x-01\n    standard: [\n"), []byte("safeguards: {a: b}"))
	f.Add(base["questions/308a1-a4.yaml"].Data[:2000], base["structure.yaml"].Data[:1500])
	f.Fuzz(func(t *testing.T, questions, structure []byte) {
		// Structure and threat library only: the fuzzed file is the one question file, so
		// each run is fast; coverage errors are expected and fine.
		files := fstest.MapFS{"structure.yaml": base["structure.yaml"], "vulnerabilities.yaml": base["vulnerabilities.yaml"]}
		files["questions/fuzz.yaml"] = &fstest.MapFile{Data: questions}
		if len(structure) > 0 {
			files["structure.yaml"] = &fstest.MapFile{Data: structure}
		}
		c, err := Load(files)
		if err == nil && len(c.Standards) == 0 {
			t.Fatal("loaded a catalog without standards")
		}
	})
}

// TestCompiledCatalogIsCurrent fails when catalog.json, the form embedded in the binary,
// no longer matches the YAML sources.
func TestCompiledCatalogIsCurrent(t *testing.T) {
	t.Parallel()
	c, origins, err := LoadSources(os.DirFS("data"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := Compile(c, origins)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(compiled), want) {
		t.Fatal("catalog.json is out of date with controls/data; run go generate ./controls")
	}
}

func TestDecodeRejectsDamage(t *testing.T) {
	t.Parallel()
	for _, data := range [][]byte{nil, []byte("{"), []byte(`{"version":"x","origins":["a"]}`)} {
		if _, err := Decode(data); err == nil {
			t.Errorf("Decode(%q) succeeded", data)
		}
	}
}

// BenchmarkLoadCatalog decodes and validates the whole embedded catalog, as every start
// does. Budget (issue 3): 20 ms.
func BenchmarkLoadCatalog(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Decode(compiled); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadYAMLSources parses the YAML sources (what go generate and the tests do).
// No budget: it is not on the start-up path.
func BenchmarkLoadYAMLSources(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Load(os.DirFS("data")); err != nil {
			b.Fatal(err)
		}
	}
}
