package assessment

import (
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
		{"clearinghouse", Profile{EntityType: EntityClearinghouse}, nil,
			"308a1-ra-01 308a5-mal-01 312a2i-uid-01"},
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
// out-of-scope twin of each, and checks the rules as properties.
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
	for _, et := range EntityTypes {
		for _, proposed := range []bool{false, true} {
			p := Profile{EntityType: EntityType(et.Value), IncludeProposed: proposed}
			items := Applicable(cat, p, assets)
			seen := map[ItemKey]bool{}
			count := map[string]int{}
			lastQ := -1
			qIndex := map[string]int{}
			for i := range cat.Questions {
				qIndex[cat.Questions[i].ID] = i
			}
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
				if a != nil && (!a.InScope || !slices.Contains(q.AssetKinds, a.Kind)) {
					t.Fatalf("%s: item %v is on an out-of-scope asset or a kind the question does not name", et.Value, it.Key())
				}
				if q.Proposed && !proposed {
					t.Fatalf("%s: proposed-rule question %s applies without opting in", et.Value, q.ID)
				}
				switch q.Condition {
				case controls.ForClearinghouse:
					if p.EntityType != EntityClearinghouse {
						t.Fatalf("%s: clearinghouse question %s applies", et.Value, q.ID)
					}
				case controls.ForHealthPlan:
					if p.EntityType != EntityHealthPlan {
						t.Fatalf("%s: health-plan question %s applies", et.Value, q.ID)
					}
				case controls.ForPart2:
					if a != nil && !a.Part2 {
						t.Fatalf("%s: Part 2 question %s applies to %s, which holds no Part 2 records", et.Value, q.ID, a.ID)
					}
				}
			}
			// Every question whose condition holds applies: once for the organization, or once
			// per in-scope asset of a matching kind (one per hosting model here; for Part 2
			// questions only the IaaS assets, which hold Part 2 records).
			for i := range cat.Questions {
				q := &cat.Questions[i]
				want := 1
				if q.Scope == controls.ScopeAsset {
					want = len(q.AssetKinds) * len(controls.Hostings)
				}
				switch {
				case q.Proposed && !proposed,
					q.Condition == controls.ForClearinghouse && p.EntityType != EntityClearinghouse,
					q.Condition == controls.ForHealthPlan && p.EntityType != EntityHealthPlan:
					want = 0
				case q.Condition == controls.ForPart2 && q.Scope == controls.ScopeAsset:
					want = len(q.AssetKinds)
				}
				if count[q.ID] != want {
					t.Errorf("%s: question %s applies %d times, want %d", et.Value, q.ID, count[q.ID], want)
				}
			}
		}
	}
}
