package controls

import "testing"

func TestShortNames(t *testing.T) {
	t.Parallel()
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, sg := range cat.Safeguards {
		if s := sg.Short(); s == "" || s == sg.Title {
			t.Errorf("safeguard %s has no short name", sg.ID)
		}
	}
	for _, k := range cat.AssetKinds {
		if s := k.Short(); s == "" || s == k.Title || len(s) > 12 {
			t.Errorf("asset kind %s has short name %q", k.ID, s)
		}
	}
	for _, h := range Hostings {
		if h.Label() == "" || h.Short() == "" || h.Phrase() == "" || len(h.Short()) > 8 {
			t.Errorf("hosting %s: %q %q %q", h, h.Label(), h.Short(), h.Phrase())
		}
	}
	if OnPrem.Phrase() != "on premises" || SaaS.Phrase() != "as SaaS" || Addressable.Label() != "Addressable" || Required.Label() != "Required" {
		t.Error("labels")
	}
}
