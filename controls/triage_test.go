package controls

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// frequencyRE finds a schedule or deadline in a question's text.
var frequencyRE = regexp.MustCompile(`(?i)(at least (once|twice)|every \d+ (days|weeks|months|years)|(in|within) the last \d+ months|\b(monthly|quarterly|weekly|daily|yearly|annually)\b|\b\d+ (days|hours|weeks|months)\b|twice a year|once a (year|quarter)|within (a|one|two) (week|working day|day)s?)`)

// statutory are the deadlines and periods the regulation itself sets, which a question
// based on the regulation may state as rules: breach notice within 60 days (§§164.404,
// 164.410) and six-year retention (§164.316(b)(2)(i)).
var statutory = regexp.MustCompile(`(?i)\b(60 days|six years)\b`)

// scheduleIn returns the first schedule in text, skipping words such as "daily" that
// describe the kind of use rather than a frequency ("daily use", "daily practice").
func scheduleIn(text string) string {
	for _, loc := range frequencyRE.FindAllStringIndex(text, -1) {
		rest := strings.ToLower(text[loc[1]:])
		if strings.HasPrefix(rest, " use") || strings.HasPrefix(rest, " practice") || strings.HasPrefix(rest, " work") || strings.HasPrefix(rest, " task") {
			continue
		}
		return text[loc[0]:loc[1]]
	}
	return ""
}

// TestFrequenciesAreExamples: a schedule the Security Rule does not set appears in a
// question only as an example ("on a set schedule, for example yearly"), so a practice with
// a different, reasoned schedule is not marked non-compliant. Proposed-rule questions state
// the proposal's figures as they are.
func TestFrequenciesAreExamples(t *testing.T) {
	c := mustCatalog(t)
	for _, q := range c.Questions {
		if q.Proposed {
			continue
		}
		m := scheduleIn(q.Text)
		if m == "" || (q.Basis == BasisRegulation && statutory.MatchString(m)) {
			continue
		}
		if !strings.Contains(q.Text, "for example") && !strings.Contains(q.Text, "such as") {
			t.Errorf("%s (basis %s) sets the frequency %q as a rule; give it as an example: %s", q.ID, q.Basis, m, q.Text)
		}
	}
}

func TestHostedWording(t *testing.T) {
	for text, want := range map[string]string{
		"Is this system's cloud account monitored?":                  "cloud",
		"Has the provider of this system signed a BAA?":              "provider",
		"Is the tenant's audit log on?":                              "tenant's",
		"Can vendor or IT-provider support staff reach this system?": "",
		"Does your IT provider patch this server?":                   "",
		"Is the on-site server patched by your internet provider?":   "",
		"Are studies handed to patients or other clinicians logged?": "",
	} {
		got := HostedWording(text)
		if want == "tenant's" {
			want = "tenant"
		}
		if got != want {
			t.Errorf("HostedWording(%q) = %q, want %q", text, got, want)
		}
	}
	if PresumesHosted("With SaaS the vendor patches; on site you do.") != "" {
		t.Error("help explaining what changes under SaaS was taken to presume a hosted system")
	}
	if PresumesHosted("Ask this system's provider for its report.") == "" {
		t.Error("help addressing this system's provider was not caught")
	}
}

// TestAliases: every retired ID resolves to a live question and stays retired; live IDs
// resolve to themselves; unknown IDs do not resolve.
func TestAliases(t *testing.T) {
	c := mustCatalog(t)
	if len(c.Aliases) < 20 {
		t.Fatalf("%d aliases; the merges of 2026.12.0 retired more", len(c.Aliases))
	}
	for _, a := range c.Aliases {
		if cur, ok := c.Resolve(a.Old); !ok || cur != a.New {
			t.Errorf("Resolve(%s) = %q, %v; want %s", a.Old, cur, ok, a.New)
		}
		if _, live := c.Question(a.Old); live {
			t.Errorf("retired %s is still a question", a.Old)
		}
	}
	if cur, ok := c.Resolve("308a1iia-ra-01"); !ok || cur != "308a1iia-ra-01" {
		t.Errorf("a live ID resolved to %q, %v", cur, ok)
	}
	if _, ok := c.Resolve("999x-none-01"); ok {
		t.Error("an unknown ID resolved")
	}
	// The compiled catalog carries the aliases, the regions and the triage fields.
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"aliases"`, `"regions"`, `"answered_by"`, `"basis"`, `"depth"`, `"also_cites"`, `"hosting"`, `"follows"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("the catalog JSON has no %s", key)
		}
	}
}

// TestTriageSpread: the three depths, the four answerers and the three bases of current
// law are all used, and essentials stays a small share of the catalog.
func TestTriageSpread(t *testing.T) {
	c := mustCatalog(t)
	depth, who, basis := map[Depth]int{}, map[Answerer]int{}, map[Basis]int{}
	for _, q := range c.Questions {
		depth[q.Depth]++
		who[q.AnsweredBy]++
		basis[q.Basis]++
	}
	for _, d := range Depths {
		if depth[d] == 0 {
			t.Errorf("no question at depth %s", d)
		}
	}
	for _, a := range Answerers {
		if who[a] == 0 {
			t.Errorf("no question answered by %s", a)
		}
	}
	for _, b := range Bases {
		if basis[b] == 0 {
			t.Errorf("no question with basis %s", b)
		}
	}
	if n := depth[DepthEssentials]; n > len(c.Questions)/3 {
		t.Errorf("%d of %d questions are essentials; essentials is the core, not most of the catalog", n, len(c.Questions))
	}
}

// ukSpelling lists British spellings that have crept into US-English text before.
var ukSpelling = regexp.MustCompile(`(?i)\b(organis|authoris|licence|programme|centre|sanitis|behaviour|neighbour|colour|favour|analys(e|ed|ing)\b|recognis|minimis|prioritis|catalogue|practis|defence|travelling|cancelled|labelled|enrolment|judgement|artefact|utilis|realis|acknowledgement|whilst|amongst|towards|theatre|car park|cupboard|finalis|standardis|specialis|customis|optimis|categoris|centralis|harbour)`)

// TestUSEnglish: catalog text a user reads is in US English.
func TestUSEnglish(t *testing.T) {
	c := mustCatalog(t)
	check := func(where, s string) {
		if m := ukSpelling.FindString(s); m != "" {
			t.Errorf("%s uses the British spelling %q", where, m)
		}
	}
	for _, q := range c.Questions {
		check(q.ID, q.Text+" "+q.BAText+" "+q.Help+" "+strings.Join(q.Evidence, " "))
	}
	for _, v := range c.Vulnerabilities {
		check(v.ID, v.Title+" "+v.Description)
		for _, th := range v.Threats {
			check(v.ID+"/"+th.ID, th.Title)
		}
	}
	for _, l := range c.Lenses {
		check("lens "+l.ID, l.Title+" "+l.Description)
	}
	for _, s := range c.Standards {
		check(s.ID, s.Title)
	}
}

func TestPracticeToOrganization(t *testing.T) {
	for in, want := range map[string]string{
		"Does HR or the practice manager notify IT?":        "Does HR or the office manager notify IT?",
		"Has the practice owner approved it?":               "Has the owner approved it?",
		"Has your practice named a security official?":      "Has your organization named a security official?",
		"Do staff practice working in downtime mode?":       "Do staff practice working in downtime mode?",
		"When a new scam targets practices like yours, ...": "When a new scam targets organizations like yours, ...",
	} {
		if got := PracticeToOrganization(in); got != want {
			t.Errorf("PracticeToOrganization(%q) = %q, want %q", in, got, want)
		}
	}
}
