package assessment

import (
	"strings"
	"testing"

	"safeguard/controls"
)

func TestCheckFlow(t *testing.T) {
	for name, c := range map[string]struct {
		f    Flow
		want string
	}{
		"to an asset":           {Flow{From: "a", To: "b", Channel: "vpn", TLS: "tls1.3"}, ""},
		"to an outside party":   {Flow{From: "a", ToParty: "clearinghouse", Channel: "interface", TLS: "tls1.2", Encrypted: true}, ""},
		"no sender":             {Flow{To: "b"}, "leaves from"},
		"no destination":        {Flow{From: "a"}, "needs a destination"},
		"two destinations":      {Flow{From: "a", To: "b", ToParty: "lab"}, "not both"},
		"to itself":             {Flow{From: "a", To: "a"}, "two different assets"},
		"unknown party":         {Flow{From: "a", ToParty: "bank"}, "outside party"},
		"unknown channel":       {Flow{From: "a", ToParty: "lab", Channel: "pigeon"}, "channel"},
		"unknown encryption":    {Flow{From: "a", ToParty: "lab", TLS: "ssl3"}, "encryption in transit"},
		"encrypted without TLS": {Flow{From: "a", ToParty: "lab", TLS: "none", Encrypted: true}, "marked encrypted"},
		"description not UTF-8": {Flow{From: "a", To: "b", Description: "a\xffb"}, "UTF-8"},
	} {
		err := CheckFlow(c.f)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: err = %v, want %q", name, err, c.want)
		}
	}
}

func TestCheckProfileScoping(t *testing.T) {
	cat := defaultCatalog(t)
	ok := Profile{EntityType: EntityHealthPlan, SponsorReceivesEPHI: true, Depth: controls.DepthEssentials, Region: "pacific-coast", Matrix: MatrixNIST5x5}
	if err := CheckProfileIn(cat, ok); err != nil {
		t.Fatalf("a valid profile: %v", err)
	}
	for name, c := range map[string]struct {
		change func(*Profile)
		want   string
	}{
		"unknown depth":         {func(p *Profile) { p.Depth = "deep" }, "depth"},
		"unknown region":        {func(p *Profile) { p.Region = "atlantis" }, "region"},
		"sponsor on a provider": {func(p *Profile) { p.EntityType = EntityProvider }, "plan sponsor"},
	} {
		p := ok
		c.change(&p)
		if err := CheckProfileIn(cat, p); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", name, err, c.want)
		}
	}
	if (Profile{}).DepthOrDefault() != controls.DepthComplete {
		t.Error("a profile without a depth does not ask everything")
	}
}
