package assessment

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

var today0 = d("2026-12-06")

func facts() *Incident {
	return &Incident{Title: "Stolen laptop", Discovered: "2026-11-03", OccurredFrom: "2026-11-02", DiscoveredBy: DiscoveredByPractice,
		Individuals: 620, States: []StateCount{{"KY", 60}, {"OH", 560}}, Data: []string{"name", "dob"}}
}

func TestCheckIncidentFacts(t *testing.T) {
	t.Parallel()
	if err := CheckIncidentFacts(facts(), today0); err != nil {
		t.Fatalf("valid facts refused: %v", err)
	}
	cases := []struct {
		name string
		edit func(*Incident)
		want string
	}{
		{"discovery in the future", func(i *Incident) { i.Discovered = "2026-12-07" }, "in the future"},
		{"discovery before the occurrence", func(i *Incident) { i.Discovered = "2026-11-01" }, "before the incident began"},
		{"occurrence ends before it starts", func(i *Incident) { i.OccurredTo = "2026-11-01" }, "swap the dates"},
		{"counts that do not add up", func(i *Incident) { i.Individuals = 600 }, "add up to 620"},
		{"a state listed twice", func(i *Incident) { i.States = append(i.States, StateCount{"OH", 1}) }, "listed twice"},
		{"a state code that is not one", func(i *Incident) { i.States[0].State = "XX" }, "not a state"},
		{"a zero state count", func(i *Incident) { i.States[0].Count = 0; i.Individuals = 560 }, "positive"},
		{"negative individuals", func(i *Incident) { i.Individuals, i.States = -1, nil }, "negative"},
		{"no discovery date", func(i *Incident) { i.Discovered = "" }, "--discovered"},
		{"a date that is not one", func(i *Incident) { i.Discovered = "2026-02-30" }, "not a date"},
		{"an independent BA without its notice date", func(i *Incident) { i.DiscoveredBy = DiscoveredByBA }, "--ba-notified"},
		{"a BA's notice before its discovery", func(i *Incident) { i.DiscoveredBy, i.BANotified = DiscoveredByBA, "2026-11-01" }, "before it discovered"},
		{"agent without a BA", func(i *Incident) { i.Agent = true }, "--discovered-by business-associate"},
		{"unknown data type", func(i *Incident) { i.Data = []string{"dna"} }, "data type"},
		{"empty title", func(i *Incident) { i.Title = " " }, "title is empty"},
		{"unknown key state", func(i *Incident) { i.Keys = "maybe" }, "key state"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inc := facts()
			c.edit(inc)
			err := CheckIncidentFacts(inc, today0)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one sentence: %q", err)
			}
		})
	}
	ba := facts()
	ba.DiscoveredBy, ba.Agent = DiscoveredByBA, true
	if err := CheckIncidentFacts(ba, today0); err != nil {
		t.Errorf("an agent BA needs no notice date: %v", err)
	}
}

func TestCheckConclusion(t *testing.T) {
	t.Parallel()
	inc := facts()
	c := Conclusion{Outcome: OutcomeLowProbability, Rationale: "r", By: "Dana", On: "2026-11-20"}
	err := CheckConclusion(inc, c, today0)
	if err == nil || !strings.Contains(err.Error(), "factors 1, 2, 3 and 4 have no findings") {
		t.Fatalf("low probability without factors: %v", err)
	}
	for n := 1; n <= 3; n++ {
		inc.Factors = append(inc.Factors, Factor{Number: n, Findings: "f", By: "Dana", On: "2026-11-10"})
	}
	if err := CheckConclusion(inc, c, today0); err == nil || !strings.Contains(err.Error(), "factor 4 has no findings") {
		t.Fatalf("low probability with three factors: %v", err)
	}
	inc.Factors = append(inc.Factors, Factor{Number: 4, Findings: "f", By: "Dana", On: "2026-11-10"})
	if err := CheckConclusion(inc, c, today0); err != nil {
		t.Fatalf("low probability with four factors: %v", err)
	}
	bad := []struct {
		c    Conclusion
		want string
	}{
		{Conclusion{Outcome: OutcomeSecured, Rationale: "r", By: "D", On: "2026-11-20"}, "secured determination"},
		{Conclusion{Outcome: OutcomeException, Rationale: "r", By: "D", On: "2026-11-20"}, "exception that applies"},
		{Conclusion{Outcome: "maybe", Rationale: "r", By: "D", On: "2026-11-20"}, "not one of"},
		{Conclusion{Outcome: OutcomeBreach, By: "D", On: "2026-11-20"}, "rationale"},
		{Conclusion{Outcome: OutcomeBreach, Rationale: "r", By: "D", On: "2027-01-01"}, "future"},
		{Conclusion{Outcome: OutcomeBreach, Rationale: "r", By: "D", On: "2026-10-01"}, "before the incident was discovered"},
	}
	for _, b := range bad {
		if err := CheckConclusion(inc, b.c, today0); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%+v: %v, want %q", b.c, err, b.want)
		}
	}
	inc.Secured = &SecuredDecision{Derived: Undetermined, Decision: Secured, Basis: BasisEncryption, Reason: "r", By: "D", On: "2026-11-10"}
	if err := CheckConclusion(inc, Conclusion{Outcome: OutcomeBreach, Rationale: "r", By: "D", On: "2026-11-20"}, today0); err == nil {
		t.Error("a breach of unsecured PHI concluded on PHI determined secured")
	}
	if err := CheckConclusion(inc, Conclusion{Outcome: OutcomeSecured, Rationale: "r", By: "D", On: "2026-11-20"}, today0); err != nil {
		t.Errorf("secured conclusion on a secured determination: %v", err)
	}
}

func TestCheckSecuredDecision(t *testing.T) {
	t.Parallel()
	ok := []SecuredDecision{
		{Derived: Secured, Decision: DecideConfirm},
		{Derived: Undetermined, Decision: Unsecured, Reason: "laptop was unencrypted"},
		{Derived: Unsecured, Decision: Unsecured},
		{Derived: Unsecured, Decision: Secured, Basis: BasisDestruction, Reason: "drives shredded per SP 800-88"},
	}
	for _, x := range ok {
		if err := CheckSecuredDecision(x); err != nil {
			t.Errorf("%+v refused: %v", x, err)
		}
	}
	bad := []SecuredDecision{
		{Derived: Undetermined, Decision: DecideConfirm},
		{Derived: Unsecured, Decision: Secured, Basis: BasisEncryption},
		{Derived: Unsecured, Decision: Secured, Reason: "r"},
		{Derived: Secured, Decision: Unsecured},
		{Derived: Secured, Decision: "perhaps"},
	}
	for _, x := range bad {
		if err := CheckSecuredDecision(x); err == nil {
			t.Errorf("%+v accepted", x)
		}
	}
}

func TestCheckNotice(t *testing.T) {
	t.Parallel()
	inc := facts()
	good := Notice{To: ToIndividuals, Date: "2026-12-01", By: "D", Content: []string{"contact"}, Contact: []string{"postal"}}
	if err := CheckNotice(inc, good, EntityProvider, today0); err != nil {
		t.Fatalf("valid notice refused: %v", err)
	}
	cases := []struct {
		name string
		edit func(*Notice, *Incident)
		ent  EntityType
		want string
	}{
		{"before discovery", func(n *Notice, _ *Incident) { n.Date = "2026-11-02" }, EntityProvider, "before the breach was discovered"},
		{"before an independent BA's notice", func(n *Notice, i *Incident) {
			i.DiscoveredBy, i.BANotified, n.Date = DiscoveredByBA, "2026-11-20", "2026-11-10"
		}, EntityProvider, "before the breach was discovered (2026-11-20)"},
		{"in the future", func(n *Notice, _ *Incident) { n.Date = "2026-12-25" }, EntityProvider, "future"},
		{"to a covered entity from a covered entity", func(n *Notice, _ *Incident) { n.To = ToCoveredEntity }, EntityProvider, "business associate's duty"},
		{"substitute for 10 by phone", func(n *Notice, _ *Incident) { n.Substitute = &Substitute{Count: 10, By: "phone"} }, EntityProvider, "website or media"},
		{"substitute for 12 without toll-free", func(n *Notice, _ *Incident) { n.Substitute = &Substitute{Count: 12, By: "website"} }, EntityProvider, "toll-free"},
		{"substitute to the media", func(n *Notice, _ *Incident) { n.To, n.Substitute = ToMedia, &Substitute{Count: 3, By: "phone"} }, EntityProvider, "--to individuals"},
		{"contact methods without contact content", func(n *Notice, _ *Incident) { n.Content = nil }, EntityProvider, "add contact"},
		{"other without a recipient", func(n *Notice, _ *Incident) { n.To = ToOther }, EntityProvider, "--recipient"},
		{"state on a notice to HHS", func(n *Notice, _ *Incident) { n.To, n.State = ToHHS, "OH" }, EntityProvider, "--to media"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, i := good, facts()
			c.edit(&n, i)
			if err := CheckNotice(i, n, c.ent, today0); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
	small := good
	small.Substitute = &Substitute{Count: 9, By: "phone"}
	if err := CheckNotice(inc, small, EntityProvider, today0); err != nil {
		t.Errorf("substitute notice by phone for 9: %v", err)
	}
}

func TestNoticeGaps(t *testing.T) {
	t.Parallel()
	full := Notice{To: ToIndividuals, Content: []string{"what-happened", "phi-types", "steps", "mitigation", "contact"},
		Contact: []string{"toll-free"}, PlainLanguage: true}
	if g := NoticeGaps(full); len(g) != 0 {
		t.Errorf("a complete notice has gaps %v", g)
	}
	part := Notice{To: ToIndividuals, Content: []string{"what-happened", "contact"}}
	g := strings.Join(NoticeGaps(part), "; ")
	for _, want := range []string{"(B)", "(C)", "(D)", "no toll-free number", "plain language"} {
		if !strings.Contains(g, want) {
			t.Errorf("gaps %q lack %q", g, want)
		}
	}
	if g := NoticeGaps(Notice{To: ToHHS}); g != nil {
		t.Errorf("HHS notices are not checked against §164.404(c): %v", g)
	}
}

func TestCheckDelay(t *testing.T) {
	t.Parallel()
	inc := facts()
	ok := []LawEnforcementDelay{
		{Kind: DelayOral, Stated: "2026-11-10", Official: "Det. R. Ortiz, Columbus PD"},
		{Kind: DelayOral, Stated: "2026-11-10", Until: "2026-12-10", Official: "Det. Ortiz"},
		{Kind: DelayWritten, Stated: "2026-11-10", Until: "2027-06-30", Official: "FBI Cincinnati"},
	}
	for _, x := range ok {
		if err := CheckDelay(inc, x, today0); err != nil {
			t.Errorf("%+v refused: %v", x, err)
		}
	}
	bad := []struct {
		x    LawEnforcementDelay
		want string
	}{
		{LawEnforcementDelay{Kind: DelayOral, Stated: "2026-11-10", Until: "2026-12-11", Official: "Det. Ortiz"}, "no longer than 30 days"},
		{LawEnforcementDelay{Kind: DelayWritten, Stated: "2026-11-10", Official: "FBI"}, "--until"},
		{LawEnforcementDelay{Kind: DelayOral, Stated: "2026-11-10"}, "official"},
		{LawEnforcementDelay{Kind: DelayOral, Stated: "2026-11-01", Official: "x"}, "before the incident was discovered"},
		{LawEnforcementDelay{Kind: DelayOral, Stated: "2026-12-20", Official: "x"}, "future"},
		{LawEnforcementDelay{Kind: "email", Stated: "2026-11-10", Official: "x"}, "written or oral"},
		{LawEnforcementDelay{Kind: DelayWritten, Stated: "2026-11-10", Until: "2026-11-09", Official: "x"}, "before the statement"},
	}
	for _, b := range bad {
		if err := CheckDelay(inc, b.x, today0); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%+v: %v, want %q", b.x, err, b.want)
		}
	}
	if n := NormalizeDelay(ok[0]); n.Until != "2026-12-10" {
		t.Errorf("an oral delay ends 30 days after the statement: %s", n.Until)
	}
}

func TestCheckIncidentKeepsTheRecordConsistent(t *testing.T) {
	t.Parallel()
	inc := facts()
	inc.Notices = []Notice{{To: ToIndividuals, Date: "2026-11-20", By: "D"}}
	none := func(string) bool { return false }
	if err := CheckIncident(inc, EntityProvider, none, today0); err != nil {
		t.Fatalf("consistent record refused: %v", err)
	}
	inc.Discovered = "2026-11-25" // after the notice already sent
	if err := CheckIncident(inc, EntityProvider, none, today0); err == nil {
		t.Error("moving discovery after a recorded notice was accepted")
	}
	inc = facts()
	inc.Factors = []Factor{{Number: 1, Findings: "f", Evidence: []string{"e1"}, By: "D", On: "2026-11-10"}}
	if err := CheckIncident(inc, EntityProvider, none, today0); err == nil || !strings.Contains(err.Error(), "evidence") {
		t.Errorf("citing evidence the assessment lacks: %v", err)
	}
	if err := CheckIncident(inc, EntityProvider, func(id string) bool { return id == "e1" }, today0); err != nil {
		t.Errorf("citing evidence it has: %v", err)
	}
	inc.Closed = "2026-11-30"
	if err := CheckIncident(inc, EntityProvider, func(string) bool { return true }, today0); err == nil {
		t.Error("an incident closed without a conclusion was accepted")
	}
}

func TestIncidentsInTheDocument(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	s := demoSnapshotForIncidents(t)
	inc := *facts()
	inc.ID = "inc-1"
	a, _ := CaptureAsset(s, s.Assets[0].ID, "2026-11-03")
	inc.Assets = []IncidentAsset{a}
	inc.Factors = []Factor{{Number: 1, Findings: "names and dates of birth", Evidence: []string{s.Evidence[0].ID}, By: "D", On: "2026-11-10"}}
	inc.Conclusion = &Conclusion{Outcome: OutcomeBreach, Rationale: "presumed", By: "D", On: "2026-11-12"}
	s.Incidents = []Incident{inc}
	doc := DocumentOf(s)
	doc.ExportedAt = s.GeneratedAt
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(doc); err != nil {
		t.Fatal(err)
	}
	back, err := ParseDocument(bytes.NewReader(buf.Bytes()), cat)
	if err != nil {
		t.Fatalf("the document with an incident does not parse back: %v", err)
	}
	if len(back.Incidents) != 1 || back.Incidents[0].Factors[0].Findings != "names and dates of birth" || back.Incidents[0].Assets[0].Name != a.Name {
		t.Fatalf("incident lost in the round trip: %+v", back.Incidents)
	}
	// A tampered file: an incident citing evidence that is not in it.
	back.Incidents[0].Factors[0].Evidence = []string{"missing"}
	if err := back.Check(cat); err == nil || !strings.Contains(err.Error(), "incident") {
		t.Errorf("an incident citing missing evidence passed the check: %v", err)
	}
	back.Incidents[0].Factors[0].Evidence = nil
	back.Incidents = append(back.Incidents, back.Incidents[0])
	if err := back.Check(cat); err == nil || !strings.Contains(err.Error(), "repeated") {
		t.Errorf("a repeated incident ID passed: %v", err)
	}
	// A document without incidents has no incidents key, as before.
	s.Incidents = nil
	b, _ := json.Marshal(DocumentOf(s))
	if bytes.Contains(b, []byte(`"incidents"`)) {
		t.Error("a document without incidents writes an incidents key; older readers would refuse it")
	}
}
