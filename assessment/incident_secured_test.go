package assessment

import (
	"strings"
	"testing"
	"time"
)

// The derivation over every combination of encryption at rest and key custody, key
// compromise, transit protection (the asset's TLS and its flows), how the data was reached
// and whether the incident reached the asset's provider. The expectations are written as a
// rule list, first match wins, in the words of HHS's guidance rather than the code's shape.

type combo struct {
	enc, keys, tls, flows, exposure string
	atProvider                      bool
}

type rule struct {
	when func(c combo) bool
	want string
	why  string
}

var securedRules = []rule{
	{func(c combo) bool { return c.exposure == ExposureDisclosure }, Unsecured, "readable data handed over"},
	// In transit: TLS 1.2+ on the asset, every flow encrypted, keys not compromised.
	{func(c combo) bool { return c.exposure == ExposureTransit && c.flows == "one plain" }, Unsecured, "a plain flow"},
	{func(c combo) bool {
		return c.exposure == ExposureTransit && (c.tls == "none" || c.tls == "tls1.0" || c.tls == "tls1.1")
	}, Unsecured, "no or old TLS"},
	{func(c combo) bool { return c.exposure == ExposureTransit && c.tls == "" }, Undetermined, "TLS not recorded"},
	{func(c combo) bool { return c.exposure == ExposureTransit && c.keys == KeysCompromised }, Unsecured, "keys taken"},
	{func(c combo) bool { return c.exposure == ExposureTransit && c.keys == KeysSafe }, Secured, "strong TLS, keys safe"},
	{func(c combo) bool { return c.exposure == ExposureTransit }, Undetermined, "keys unknown"},
	// Stored data: encryption at rest, any custody, keys not compromised.
	{func(c combo) bool { return c.exposure == ExposureMedia && c.enc == "" }, Undetermined, "not recorded"},
	{func(c combo) bool { return c.exposure == ExposureMedia && c.enc == EncNone }, Unsecured, "not encrypted"},
	{func(c combo) bool { return c.exposure == ExposureMedia && c.keys == KeysCompromised }, Unsecured, "keys taken"},
	{func(c combo) bool { return c.exposure == ExposureMedia && c.keys == KeysSafe }, Secured, "encrypted, keys safe"},
	{func(c combo) bool { return c.exposure == ExposureMedia }, Undetermined, "keys unknown"},
	// Through a running system (or not known how): only keys the reached provider never
	// held protect the data.
	{func(c combo) bool { return c.enc == EncCustomerHeld && c.atProvider && c.keys == KeysCompromised }, Unsecured, "customer-held keys taken"},
	{func(c combo) bool { return c.enc == EncCustomerHeld && c.atProvider && c.keys == KeysSafe }, Secured, "provider held ciphertext only"},
	{func(c combo) bool { return c.enc == EncCustomerHeld && c.atProvider }, Undetermined, "customer-held keys, unknown"},
	{func(c combo) bool { return true }, Unsecured, "the running system decrypts"},
}

func TestSecuredDerivationEveryCombination(t *testing.T) {
	t.Parallel()
	encs := []string{"", EncNone, EncProviderManaged, EncCustomerManaged, EncCustomerHeld}
	keys := []string{"", KeysSafe, KeysCompromised}
	tlss := []string{"", "none", "tls1.0", "tls1.1", "tls1.2", "tls1.3"}
	flows := []string{"no flows", "all encrypted", "one plain"}
	exposures := []string{"", ExposureMedia, ExposureSystem, ExposureTransit, ExposureDisclosure}
	n, counts := 0, map[string]int{}
	for _, enc := range encs {
		for _, k := range keys {
			for _, tls := range tlss {
				for _, fl := range flows {
					for _, ex := range exposures {
						for _, prov := range []bool{false, true} {
							c := combo{enc, k, tls, fl, ex, prov}
							a := IncidentAsset{ID: "a", Name: "Asset", EPHI: true, EncAtRest: enc, TLS: tls, VendorID: "v"}
							switch fl {
							case "all encrypted":
								a.Flows = []FlowRecord{{Peer: "B", Encrypted: true}, {Peer: "C", Outbound: true, Encrypted: true}}
							case "one plain":
								a.Flows = []FlowRecord{{Peer: "B", Encrypted: true}, {Peer: "C", Outbound: true}}
							}
							got := DeriveAssetSecured(a, ex, k, prov)
							var want rule
							for _, r := range securedRules {
								if r.when(c) {
									want = r
									break
								}
							}
							if got.Result != want.want {
								t.Errorf("%+v: %s (%s), want %s (%s)", c, got.Result, strings.Join(got.Reasons, " "), want.want, want.why)
							}
							if len(got.Reasons) == 0 {
								t.Errorf("%+v: no reason given", c)
							}
							n++
							counts[got.Result]++
						}
					}
				}
			}
		}
	}
	if n != 5*3*6*3*5*2 || counts[Secured] == 0 || counts[Unsecured] == 0 || counts[Undetermined] == 0 {
		t.Errorf("%d combinations, outcomes %v", n, counts)
	}
}

func TestSecuredNeverWithCompromisedKeysOrPlainData(t *testing.T) {
	t.Parallel()
	for _, enc := range []string{"", EncNone, EncProviderManaged, EncCustomerManaged, EncCustomerHeld} {
		for _, ex := range []string{"", ExposureMedia, ExposureSystem, ExposureTransit, ExposureDisclosure} {
			for _, prov := range []bool{false, true} {
				a := IncidentAsset{Name: "A", EPHI: true, EncAtRest: enc, TLS: "tls1.3"}
				if r := DeriveAssetSecured(a, ex, KeysCompromised, prov); r.Result == Secured {
					t.Errorf("secured with compromised keys: %s %s", enc, ex)
				}
				if enc == EncNone && ex != ExposureTransit {
					if r := DeriveAssetSecured(a, ex, KeysSafe, prov); r.Result == Secured {
						t.Errorf("unencrypted data called secured: exposure %q", ex)
					}
				}
			}
		}
	}
}

func TestSecuredUsesTheAnswersOnEncryption(t *testing.T) {
	t.Parallel()
	a := IncidentAsset{Name: "Laptops", EPHI: true, EncAtRest: EncCustomerHeld, TLS: "tls1.2"}
	if r := DeriveAssetSecured(a, ExposureMedia, KeysSafe, false); r.Result != Secured {
		t.Fatalf("baseline: %s", r.Result)
	}
	a.Findings = []EncFinding{{QuestionID: "312a2iv-enc-02", Concern: ConcernRest, Status: Partial}}
	if r := DeriveAssetSecured(a, ExposureMedia, KeysSafe, false); r.Result != Undetermined || !strings.Contains(strings.Join(r.Reasons, " "), "312a2iv-enc-02") {
		t.Errorf("partial disk encryption: %s %v, want undetermined citing the answer", r.Result, r.Reasons)
	}
	a.Findings[0].Status = NotImplemented
	if r := DeriveAssetSecured(a, ExposureMedia, KeysSafe, false); r.Result != Unsecured {
		t.Errorf("encryption answered not implemented: %s, want unsecured", r.Result)
	}
	b := IncidentAsset{Name: "PACS", EPHI: true, EncAtRest: EncNone, TLS: "tls1.2",
		Flows:    []FlowRecord{{Peer: "Archive", Encrypted: true}},
		Findings: []EncFinding{{QuestionID: "312e2ii-enc-01", Concern: ConcernTransit, Status: Partial}}}
	if r := DeriveAssetSecured(b, ExposureTransit, KeysSafe, false); r.Result != Undetermined {
		t.Errorf("partial transmission encryption: %s, want undetermined", r.Result)
	}
	b.Findings[0].Status = NotImplemented
	if r := DeriveAssetSecured(b, ExposureTransit, KeysSafe, false); r.Result != Unsecured {
		t.Errorf("transmission encryption not implemented: %s, want unsecured", r.Result)
	}
	c := IncidentAsset{Name: "Network", EPHI: false, EncAtRest: EncCustomerHeld, TLS: "tls1.3"}
	if r := DeriveAssetSecured(c, ExposureMedia, KeysSafe, false); r.Result != Undetermined {
		t.Errorf("an asset recorded without ePHI: %s, want undetermined", r.Result)
	}
}

func TestDeriveSecuredCombinesAssets(t *testing.T) {
	t.Parallel()
	good := IncidentAsset{ID: "1", Name: "Laptop fleet", EPHI: true, EncAtRest: EncCustomerHeld}
	bad := IncidentAsset{ID: "2", Name: "PACS", EPHI: true, EncAtRest: EncNone}
	unk := IncidentAsset{ID: "3", Name: "Backups", EPHI: true}
	inc := &Incident{Type: "theft", Keys: KeysSafe, Assets: []IncidentAsset{good}}
	if r := DeriveSecured(inc); r.Result != Secured {
		t.Errorf("one encrypted asset, keys safe, theft: %s", r.Result)
	}
	inc.Assets = []IncidentAsset{good, unk}
	if r := DeriveSecured(inc); r.Result != Undetermined || !strings.Contains(r.Summary, "Backups") {
		t.Errorf("with an asset whose encryption is not recorded: %s %q", r.Result, r.Summary)
	}
	inc.Assets = []IncidentAsset{good, unk, bad}
	if r := DeriveSecured(inc); r.Result != Unsecured || !strings.Contains(r.Summary, "PACS") {
		t.Errorf("with an unencrypted asset: %s %q", r.Result, r.Summary)
	}
	if r := DeriveSecured(&Incident{Type: "theft"}); r.Result != Undetermined {
		t.Errorf("no asset named: %s", r.Result)
	}
	if r := DeriveSecured(&Incident{Exposure: ExposureDisclosure}); r.Result != Unsecured {
		t.Errorf("a misdirected letter: %s", r.Result)
	}
	// A provider-side compromise reaches customer-held data only as ciphertext.
	cloud := IncidentAsset{ID: "4", Name: "Archive", EPHI: true, EncAtRest: EncCustomerHeld, VendorID: "v1"}
	inc = &Incident{Type: "hacking", Keys: KeysSafe, Assets: []IncidentAsset{cloud}, Vendors: []IncidentVendor{{ID: "v1", Name: "Lumen"}}}
	if r := DeriveSecured(inc); r.Result != Secured {
		t.Errorf("provider breached, customer-held keys safe: %s", r.Result)
	}
	inc.Vendors = nil // the organization's own account was used
	if r := DeriveSecured(inc); r.Result != Unsecured {
		t.Errorf("data taken through the organization's own access: %s", r.Result)
	}
}

func TestCaptureAsset(t *testing.T) {
	t.Parallel()
	s := demoSnapshotForIncidents(t)
	var laptops, pacs *Asset
	for i := range s.Assets {
		switch s.Assets[i].Name {
		case "Staff laptops and workstations":
			laptops = &s.Assets[i]
		case "PACS imaging server":
			pacs = &s.Assets[i]
		}
	}
	if laptops == nil || pacs == nil {
		t.Fatal("the demo no longer has the assets this test reads")
	}
	c, ok := CaptureAsset(s, pacs.ID, "2026-11-03")
	if !ok || c.Name != pacs.Name || c.EncAtRest != pacs.EncAtRest || c.Recorded != "2026-11-03" {
		t.Fatalf("capture: %+v", c)
	}
	plain := false
	for _, f := range c.Flows {
		plain = plain || !f.Encrypted
	}
	if !plain {
		t.Error("the demo's plain DICOM flow from the PACS server is not in the copy")
	}
	if len(c.Findings) == 0 {
		t.Error("the PACS server's encryption gaps are not in the copy")
	}
	for _, f := range c.Findings {
		if f.Status == Implemented || f.Status == NotApplicable {
			t.Errorf("finding %+v is not a shortfall", f)
		}
	}
	if _, ok := CaptureAsset(s, "nope", "2026-11-03"); ok {
		t.Error("captured an asset that does not exist")
	}
}

func demoSnapshotForIncidents(t *testing.T) *Snapshot {
	t.Helper()
	cat := defaultCatalog(t)
	return SnapshotOf(Demo(cat, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)), cat)
}
