package assessment

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"safeguard/controls"
)

// keys renders items as "question" or "question@asset" for readable comparisons.
func keys(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		k := it.Key()
		out[i] = k.QuestionID
		if k.AssetID != "" {
			out[i] += "@" + k.AssetID
		}
	}
	return out
}

// fixtureAssets: an in-scope SaaS EHR, an in-scope IaaS backup holding Part 2 records, an
// out-of-scope on-prem email system, and an in-scope PaaS "other" store.
func fixtureAssets() []Asset {
	return []Asset{
		{ID: "ehr", Name: "Cloud EHR", Kind: "ehr", Hosting: controls.SaaS, VendorID: "acme", InScope: true, EPHI: true},
		{ID: "bak", Name: "Backups", Kind: "backup", Hosting: controls.IaaS, InScope: true, Part2: true},
		{ID: "mail", Name: "Mail", Kind: "email", Hosting: controls.OnPrem, InScope: false},
		{ID: "db", Name: "Data store", Kind: "other", Hosting: controls.PaaS, VendorID: "good", InScope: true},
	}
}

func TestApplicableFixture(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog(t)
	provider := Profile{EntityType: EntityProvider}
	noPart2 := fixtureAssets()
	noPart2[1].Part2 = false
	outPart2 := fixtureAssets()
	outPart2[1].Part2, outPart2[2].Part2 = false, true // only the out-of-scope asset has Part 2

	cases := []struct {
		name   string
		p      Profile
		assets []Asset
		want   string
	}{
		{"provider with a Part 2 asset", provider, fixtureAssets(),
			"308a1-ra-01 308a5-mal-01 312d-auth-01@ehr 312a2iv-enc-01@ehr 312a2iv-enc-01@bak 312a2iv-enc-01@db 308a1-p2-01 312a2iv-p2-01@bak"},
		{"no Part 2 anywhere", provider, noPart2,
			"308a1-ra-01 308a5-mal-01 312d-auth-01@ehr 312a2iv-enc-01@ehr 312a2iv-enc-01@bak 312a2iv-enc-01@db"},
		{"Part 2 only on an out-of-scope asset", provider, outPart2,
			"308a1-ra-01 308a5-mal-01 312d-auth-01@ehr 312a2iv-enc-01@ehr 312a2iv-enc-01@bak 312a2iv-enc-01@db"},
		{"Part 2 program but no Part 2 asset", Profile{EntityType: EntityProvider, Part2Program: true}, noPart2,
			"308a1-ra-01 308a5-mal-01 312d-auth-01@ehr 312a2iv-enc-01@ehr 312a2iv-enc-01@bak 312a2iv-enc-01@db 308a1-p2-01"},
		{"clearinghouse component", Profile{EntityType: EntityProvider, ClearinghouseComponent: true}, nil,
			"308a1-ra-01 308a5-mal-01 312a2i-uid-01"},
		{"stand-alone clearinghouse", Profile{EntityType: EntityClearinghouse}, nil,
			"308a1-ra-01 308a5-mal-01"},
		{"health plan", Profile{EntityType: EntityHealthPlan}, nil,
			"308a1-ra-01 308a5-mal-01 308a1-hp-01"},
		{"business associate", Profile{EntityType: EntityBusinessAssociate}, nil,
			"308a1-ra-01 308a5-mal-01"},
		{"proposed rule included", Profile{EntityType: EntityProvider, IncludeProposed: true}, nil,
			"308a1-ra-01 308a5-mal-01 308a1-nprm-01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := strings.Join(keys(Applicable(cat, c.p, c.assets)), " ")
			if got != c.want {
				t.Errorf("Applicable =\n  %s\nwant\n  %s", got, c.want)
			}
		})
	}
}

func TestApplicableItemsPointIntoAssets(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog(t)
	assets := fixtureAssets()
	for _, it := range Applicable(cat, Profile{}, assets) {
		if it.Asset != nil && it.Asset != &assets[slices.IndexFunc(assets, func(a Asset) bool { return a.ID == it.Asset.ID })] {
			t.Fatalf("item %v does not point into the caller's assets", it.Key())
		}
	}
	if Applicable(nil, Profile{}, assets) != nil {
		t.Error("Applicable without a catalog should be nil")
	}
	s := &Snapshot{Profile: Profile{EntityType: EntityProvider}, Assets: assets, Catalog: cat}
	if got, want := keys(s.Items()), keys(Applicable(cat, s.Profile, s.Assets)); !slices.Equal(got, want) {
		t.Errorf("Snapshot.Items = %v, want %v", got, want)
	}
	if (&Snapshot{}).Items() != nil {
		t.Error("Items without a catalog should be nil")
	}
}

// TestApplicableProperties runs the embedded catalog against every entity type, with and
// without the proposed rule, and one asset of every kind under every hosting model plus an
// out-of-scope twin of each, at the complete depth, and checks the rules as properties.
func TestApplicableProperties(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	var assets []Asset
	for _, k := range cat.AssetKinds {
		for _, h := range controls.Hostings {
			id := k.ID + "-" + string(h)
			assets = append(assets,
				Asset{ID: id, Name: id, Kind: k.ID, Hosting: h, InScope: true, Part2: h == controls.IaaS},
				Asset{ID: id + "-out", Name: id + " (retired)", Kind: k.ID, Hosting: h, InScope: false, Part2: true})
		}
	}
	qIndex := map[string]int{}
	for i := range cat.Questions {
		qIndex[cat.Questions[i].ID] = i
	}
	for _, et := range EntityTypes {
		for _, proposed := range []bool{false, true} {
			p := Profile{EntityType: EntityType(et.Value), IncludeProposed: proposed,
				ClearinghouseComponent: et.Value == string(EntityClearinghouse), SponsorReceivesEPHI: et.Value == string(EntityHealthPlan)}
			items := Applicable(cat, p, assets)
			seen := map[ItemKey]bool{}
			count := map[string]int{}
			lastQ := -1
			for _, it := range items {
				q, a := it.Question, it.Asset
				if seen[it.Key()] {
					t.Fatalf("%s: item %v listed twice", et.Value, it.Key())
				}
				seen[it.Key()] = true
				count[q.ID]++
				if qi := qIndex[q.ID]; qi < lastQ {
					t.Fatalf("%s: item %v out of catalog order", et.Value, it.Key())
				} else {
					lastQ = qi
				}
				if (q.Scope == controls.ScopeAsset) != (a != nil) {
					t.Fatalf("%s: item %v does not match its question's scope", et.Value, it.Key())
				}
				if a != nil && (!a.InScope || !slices.Contains(q.AssetKinds, a.Kind) || !q.AppliesTo(a.Hosting)) {
					t.Fatalf("%s: item %v is on an out-of-scope asset, or a kind or hosting model the question is not asked for", et.Value, it.Key())
				}
				if q.Proposed && !proposed {
					t.Fatalf("%s: proposed-rule question %s applies without opting in", et.Value, q.ID)
				}
				if q.Condition == controls.ForPart2 && a != nil && !a.Part2 {
					t.Fatalf("%s: Part 2 question %s applies to %s, which holds no Part 2 records", et.Value, q.ID, a.ID)
				}
			}
			// Every question whose condition holds applies: once for the organization, or once
			// per in-scope asset of a matching kind and hosting model (for Part 2 questions only
			// the IaaS assets, which hold Part 2 records).
			for i := range cat.Questions {
				q := &cat.Questions[i]
				want := 1
				if q.Scope == controls.ScopeAsset {
					hostings := 0
					for _, h := range controls.Hostings {
						if q.AppliesTo(h) {
							hostings++
						}
					}
					want = len(q.AssetKinds) * hostings
					if q.Condition == controls.ForPart2 {
						want = len(q.AssetKinds) * map[bool]int{true: 1, false: 0}[q.AppliesTo(controls.IaaS)]
					}
				}
				if q.Proposed && !proposed || conditionWhy(q.Condition, p, true) != "" {
					want = 0
				}
				if count[q.ID] != want {
					t.Errorf("%s: question %s applies %d times, want %d", et.Value, q.ID, count[q.ID], want)
				}
			}
		}
	}
}

// hostedText matches what only makes sense for a system someone else hosts. It is written
// apart from the catalog validator's list on purpose, so the two check each other.
var hostedText = regexp.MustCompile(`(?i)\b(cloud|subscription|tenant|hosted|hosting|saas|iaas|paas|data cent(er|re)|(?:the|this|your|its|system's) provider)`)

// TestNoHostedQuestionOnPremises: across the whole catalog and every hosting model, no
// question that speaks of a provider, a cloud account or a hosted system is asked of an
// on-premises asset, and each such question is asked of at least one hosted asset.
func TestNoHostedQuestionOnPremises(t *testing.T) {
	cat := defaultCatalog(t)
	var assets []Asset
	for _, k := range cat.AssetKinds {
		for _, h := range controls.Hostings {
			assets = append(assets, Asset{ID: k.ID + "-" + string(h), Name: k.ID, Kind: k.ID, Hosting: h, InScope: true, Part2: true})
		}
	}
	p := Profile{EntityType: EntityHealthPlan, ClearinghouseComponent: true, SponsorReceivesEPHI: true, Part2Program: true, IncludeProposed: true}
	askedHosted := map[string]bool{}
	onPrem := 0
	for _, it := range Applicable(cat, p, assets) {
		if it.Asset == nil {
			continue
		}
		q := it.Question
		if it.Asset.Hosting != controls.OnPrem {
			askedHosted[q.ID] = true
			continue
		}
		onPrem++
		if m := hostedText.FindString(q.Text); m != "" {
			t.Errorf("%s is asked of the on-premises %s asset but its text speaks of %q: %s", q.ID, it.Asset.Kind, m, q.Text)
		}
		if m := controls.PresumesHosted(q.Help); m != "" {
			t.Errorf("%s is asked of the on-premises %s asset but its help presumes a hosted system (%q)", q.ID, it.Asset.Kind, m)
		}
	}
	if onPrem < 200 {
		t.Fatalf("only %d on-premises items were checked; the test lost its reach", onPrem)
	}
	for i := range cat.Questions {
		q := &cat.Questions[i]
		if q.Scope == controls.ScopeAsset && !q.AppliesTo(controls.OnPrem) && !askedHosted[q.ID] {
			t.Errorf("%s is asked of no asset at all", q.ID)
		}
	}
}

// TestDepthsNest: every item asked at essentials is asked at standard, and every item at
// standard at complete; the zero depth asks what complete asks.
func TestDepthsNest(t *testing.T) {
	cat := defaultCatalog(t)
	assets := fixtureAssets()
	var prev []string
	for _, d := range controls.Depths {
		got := keys(Applicable(cat, Profile{EntityType: EntityProvider, Depth: d}, assets))
		for _, k := range prev {
			if !slices.Contains(got, k) {
				t.Errorf("%s is asked at a smaller depth but not at %s", k, d)
			}
		}
		if len(got) <= len(prev) {
			t.Errorf("depth %s asks %d items, no more than the smaller depth's %d", d, len(got), len(prev))
		}
		prev = got
	}
	if got := keys(Applicable(cat, Profile{EntityType: EntityProvider}, assets)); !slices.Equal(got, prev) {
		t.Errorf("no depth asks %d items, complete asks %d", len(got), len(prev))
	}
}

// TestEssentialsReachTheWholeRule: at the essentials depth, with no assets at all, every
// standard and every required specification is either asked through organization questions
// or reported with the reason it does not apply to this kind of organization.
func TestEssentialsReachTheWholeRule(t *testing.T) {
	cat := defaultCatalog(t)
	for _, p := range []Profile{
		{EntityType: EntityProvider, Depth: controls.DepthEssentials},
		{EntityType: EntityBusinessAssociate, Depth: controls.DepthEssentials},
		{EntityType: EntityHealthPlan, SponsorReceivesEPHI: true, ClearinghouseComponent: true, Depth: controls.DepthEssentials},
	} {
		a := Analyze(&Snapshot{Catalog: cat, Profile: p})
		reached := map[string]bool{} // standards with an item in some row
		for _, c := range a.Specs {
			if len(c.Items) > 0 {
				reached[c.Standard.ID] = true
			}
			// A standard's own row may stay empty when its specifications reach it (checked
			// below); a standard without specifications is as required as one.
			required := (c.Spec == nil && len(c.Standard.Specifications) == 0) || (c.Spec != nil && c.Spec.Requirement == controls.Required)
			if len(c.Items) == 0 && required && (c.Depth != "" || c.NotApplicable == "") {
				t.Errorf("%s: %s is not asked at the essentials depth: %s", p.EntityType, c.ID(), c.NotApplicable)
			}
		}
		for _, c := range a.Specs {
			if !reached[c.Standard.ID] && c.Depth != "" {
				t.Errorf("%s: standard %s is reached only beyond essentials: %s", p.EntityType, c.Standard.ID, c.NotApplicable)
			}
		}
	}
	a := Analyze(&Snapshot{Catalog: cat, Profile: Profile{EntityType: EntityProvider, Depth: controls.DepthEssentials}})
	reasons := map[string]string{}
	for _, c := range a.Specs {
		reasons[c.ID()] = c.NotApplicable
	}
	if r := reasons["164.308(a)(4)(ii)(A)"]; !strings.Contains(r, "clearinghouse") {
		t.Errorf("§164.308(a)(4)(ii)(A) for a provider without a clearinghouse component: reason %q", r)
	}
	if r := reasons["164.314(b)(2)(i)"]; !strings.Contains(r, "health plans") {
		t.Errorf("§164.314(b)(2)(i) for a provider: reason %q", r)
	}
}

// TestGateClosesItsFollowUps: answering the removable-media gate not applicable stops its
// follow-ups (organization-wide and per asset); any other answer keeps them.
func TestGateClosesItsFollowUps(t *testing.T) {
	cat := defaultCatalog(t)
	gate := "310d2iii-acct-05"
	var follow []string
	for i := range cat.Questions {
		if cat.Questions[i].Follows == gate {
			follow = append(follow, cat.Questions[i].ID)
		}
	}
	if len(follow) < 2 {
		t.Fatalf("%s gates %v; the test needs at least two follow-ups", gate, follow)
	}
	assets := []Asset{{ID: "pacs", Name: "PACS", Kind: "pacs", Hosting: controls.OnPrem, InScope: true}}
	p := Profile{EntityType: EntityProvider}
	asked := func(answers map[ItemKey]*Response) map[string]bool {
		m := map[string]bool{}
		for _, it := range ApplicableGiven(cat, p, assets, answers) {
			m[it.Question.ID] = true
		}
		return m
	}
	open := asked(nil)
	for _, st := range []ResponseStatus{Implemented, Partial, NotImplemented, Flagged} {
		got := asked(map[ItemKey]*Response{{QuestionID: gate}: {QuestionID: gate, Status: st}})
		for _, f := range follow {
			if got[f] != open[f] {
				t.Errorf("gate answered %s changed whether %s is asked", st, f)
			}
		}
	}
	na := map[ItemKey]*Response{{QuestionID: gate}: {QuestionID: gate, Status: NotApplicable, Reason: "No removable media is used."}}
	closed := asked(na)
	for _, f := range follow {
		if open[f] && closed[f] {
			t.Errorf("%s is still asked after its gate %s was answered not applicable", f, gate)
		}
		q, _ := cat.Question(f)
		var a *Asset
		if q.Scope == controls.ScopeAsset {
			a = &assets[0]
		}
		if why := WhyNotApplicable(cat, q, p, assets, a, na); open[f] && !strings.Contains(why, "No removable media") {
			t.Errorf("WhyNotApplicable(%s) = %q, want the gate and its reason", f, why)
		}
	}
	if !closed[gate] {
		t.Errorf("the gate itself disappeared")
	}
}

// practiceNoun matches "practice" naming the organization, not the verb or "daily practice".
var practiceNoun = regexp.MustCompile(`(?i)\b(your|the|a|this|our) practice\b|\bpractice(s|'s)?\b (owner|manager|leadership)`)

// TestEntityDuties: a business associate gets the §164.410 duty to notify the covered
// entity and not the covered entity's notices; a provider the reverse; the clearinghouse
// and plan-sponsor items follow their profile flags.
func TestEntityDuties(t *testing.T) {
	cat := defaultCatalog(t)
	has := func(p Profile, id string) bool {
		for _, it := range Applicable(cat, p, nil) {
			if it.Question.ID == id {
				return true
			}
		}
		return false
	}
	provider, ba := Profile{EntityType: EntityProvider}, Profile{EntityType: EntityBusinessAssociate}
	for _, c := range []struct {
		p    Profile
		id   string
		want bool
	}{
		{provider, "308a6ii-ir-06", true}, {ba, "308a6ii-ir-06", false},
		{provider, "308a6ii-ba-01", false}, {ba, "308a6ii-ba-01", true},
		{ba, "314a2iii-sub-03", true}, {provider, "314a2iii-sub-03", false},
		{provider, "308a4iia-chi-01", false}, {Profile{EntityType: EntityClearinghouse}, "308a4iia-chi-01", false},
		{Profile{EntityType: EntityProvider, ClearinghouseComponent: true}, "308a4iia-chi-01", true},
		{Profile{EntityType: EntityHealthPlan}, "314b1-gh-01", true}, {Profile{EntityType: EntityHealthPlan}, "314b2i-gh-01", false},
		{Profile{EntityType: EntityHealthPlan, SponsorReceivesEPHI: true}, "314b2i-gh-01", true},
	} {
		if got := has(c.p, c.id); got != c.want {
			t.Errorf("%s (clearinghouse component %v, sponsor %v): %s asked = %v, want %v",
				c.p.EntityType, c.p.ClearinghouseComponent, c.p.SponsorReceivesEPHI, c.id, got, c.want)
		}
	}
	q, _ := cat.Question("308b3-baa-01")
	if got := q.TextFor(true); got == q.Text || !strings.Contains(got, "subcontractor") {
		t.Errorf("308b3-baa-01 for a business associate reads %q", got)
	}
	for _, it := range Applicable(cat, ba, nil) {
		if txt := it.Question.TextFor(true); practiceNoun.MatchString(txt) {
			t.Errorf("%s reads to a business associate as %q", it.Question.ID, txt)
		}
	}
}
