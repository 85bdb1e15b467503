package assessment

import (
	"slices"
	"strings"
	"testing"
	"time"

	"safeguard/controls"
)

// TestOwnerEveryQuestionAndHosting resolves every embedded question under every hosting
// model and checks it against the catalog default, then checks that an override wins only
// for its own item.
func TestOwnerEveryQuestionAndHosting(t *testing.T) {
	t.Parallel()
	cat := defaultCatalog(t)
	for i := range cat.Questions {
		q := &cat.Questions[i]
		if q.Scope != controls.ScopeAsset {
			if got, o := Owner(q, nil, nil); got != q.Owner || o != nil {
				t.Errorf("%s for the organization: owner %q, want the catalog's %q", q.ID, got, q.Owner)
			}
			continue
		}
		for _, h := range controls.Hostings {
			if !q.AppliesTo(h) {
				continue
			}
			a := &Asset{ID: "a", Hosting: h}
			got, o := Owner(q, a, nil)
			if got != q.Responsibility.For(h) || o != nil {
				t.Errorf("%s under %s: owner %q, want %q", q.ID, h, got, q.Responsibility.For(h))
			}
			for _, want := range []controls.Owner{controls.OwnerCustomer, controls.OwnerProvider, controls.OwnerShared} {
				ov := &Override{QuestionID: q.ID, AssetID: "a", Owner: want, Reason: "r"}
				m := map[ItemKey]*Override{{q.ID, "a"}: ov}
				if got, o := Owner(q, a, m); got != want || o != ov {
					t.Fatalf("%s under %s with override %s: owner %q", q.ID, h, want, got)
				}
				if got, _ := Owner(q, &Asset{ID: "b", Hosting: h}, m); got != q.Responsibility.For(h) {
					t.Fatalf("%s: an override for asset a changed asset b", q.ID)
				}
			}
		}
	}
}

func TestOwnerOverrides(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog(t)
	q, _ := cat.Question("308a1-ra-01")
	org := &Override{QuestionID: q.ID, Owner: controls.OwnerShared, Reason: "MSP runs it"}
	if got, o := Owner(q, nil, map[ItemKey]*Override{{QuestionID: q.ID}: org}); got != controls.OwnerShared || o != org {
		t.Errorf("organization override ignored: %q", got)
	}
	bad := &Override{QuestionID: q.ID, Owner: "nobody"}
	if got, o := Owner(q, nil, map[ItemKey]*Override{{QuestionID: q.ID}: bad}); got != controls.OwnerCustomer || o != nil {
		t.Errorf("an override with an unknown owner was trusted: %q", got)
	}
	if got, _ := Owner(q, &Asset{Hosting: "mainframe"}, nil); got != controls.OwnerCustomer {
		t.Errorf("unknown hosting model: owner %q, want customer (the organization stays accountable)", got)
	}
}

func TestValidateOverride(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog(t)
	cases := []struct {
		o    Override
		want string // "" = valid
	}{
		{Override{QuestionID: "312d-auth-01", AssetID: "a", Owner: controls.OwnerCustomer, Reason: "We run MFA ourselves"}, ""},
		{Override{QuestionID: "308a1-ra-01", Owner: controls.OwnerShared, Reason: "Consultant"}, ""},
		{Override{QuestionID: "nope", Owner: controls.OwnerShared, Reason: "x"}, "unknown question"},
		{Override{QuestionID: "312d-auth-01", Owner: controls.OwnerShared, Reason: "x"}, "per asset"},
		{Override{QuestionID: "308a1-ra-01", AssetID: "a", Owner: controls.OwnerShared, Reason: "x"}, "remove the asset"},
		{Override{QuestionID: "308a1-ra-01", Owner: "vendor", Reason: "x"}, "customer, provider or shared"},
		{Override{QuestionID: "308a1-ra-01", Owner: controls.OwnerShared, Reason: "  "}, "needs a reason"},
		{Override{QuestionID: "308a1-ra-01", Owner: controls.OwnerShared, Reason: strings.Repeat("x", MaxTextLen+1)}, "shorten"},
	}
	for _, c := range cases {
		assertErr(t, "ValidateOverride", ValidateOverride(cat, c.o), c.want)
	}
}

// assertErr checks err against want: nil when want is "", else an error containing want
// that is one sentence (no line breaks) ending with advice after a semicolon.
func assertErr(t *testing.T, what string, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Errorf("%s: unexpected error %v", what, err)
		}
		return
	}
	if err == nil {
		t.Errorf("%s: no error, want one mentioning %q", what, want)
		return
	}
	msg := err.Error()
	if !strings.Contains(msg, want) {
		t.Errorf("%s: error %q does not mention %q", what, msg, want)
	}
	if strings.Contains(msg, "\n") || !strings.Contains(msg, ";") {
		t.Errorf("%s: error %q is not one sentence saying what to do", what, msg)
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	good := map[string]time.Time{
		"2025-03-31": time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC),
		"2024-02-29": time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
	}
	for s, want := range good {
		if got, err := ParseDate(s); err != nil || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "2025-3-31", "2025/03/31", "31-03-2025", "2025-02-30", "2023-02-29", "2025-03-31T00:00:00Z", " 2025-03-31", "20250331", "+2025-03-31"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted a bad date", s)
		} else if !strings.Contains(err.Error(), "YYYY-MM-DD") {
			t.Errorf("ParseDate(%q) error %q does not show the format", s, err)
		}
	}
}

func issueKinds(iss []VendorIssue) []string {
	out := make([]string, len(iss))
	for i, x := range iss {
		out[i] = x.Kind
	}
	return out
}

func TestVendorIssues(t *testing.T) {
	t.Parallel()
	hitrust := Attestation{Kind: AttHITRUSTr2, Expires: "2026-01-31"}
	soc2 := Attestation{Kind: AttSOC2Type2, Expires: "2025-12-31"}
	onDay := Attestation{Kind: AttISO27001, Expires: "2025-06-01"} // expires on the as-of date
	lapsed := Attestation{Kind: AttHITRUSTi1, Expires: "2025-05-31"}
	undated := Attestation{Kind: AttISO27001}
	cases := []struct {
		name string
		v    Vendor
		want []string
	}{
		{"clean", Vendor{BAA: BAASigned, Attestations: []Attestation{hitrust}}, nil},
		{"no BAA", Vendor{BAA: BAANone, Attestations: []Attestation{hitrust}}, []string{IssueBAAMissing}},
		{"empty BAA status", Vendor{Attestations: []Attestation{hitrust}}, []string{IssueBAAMissing}},
		{"BAA requested", Vendor{BAA: BAARequested, Attestations: []Attestation{hitrust}}, []string{IssueBAAMissing}},
		{"BAA expired", Vendor{BAA: BAAExpired, Attestations: []Attestation{hitrust}}, []string{IssueBAAExpired}},
		{"no attestation", Vendor{BAA: BAASigned}, []string{IssueNoAttestation}},
		{"nothing at all", Vendor{BAA: BAANone}, []string{IssueBAAMissing, IssueNoAttestation}},
		{"SOC 2 only", Vendor{BAA: BAASigned, Attestations: []Attestation{soc2}}, []string{IssueSOC2Only}},
		{"SOC 2 plus HITRUST", Vendor{BAA: BAASigned, Attestations: []Attestation{soc2, hitrust}}, nil},
		{"SOC 2 plus lapsed HITRUST", Vendor{BAA: BAASigned, Attestations: []Attestation{soc2, lapsed}}, []string{IssueSOC2Only}},
		{"expires on the as-of date", Vendor{BAA: BAASigned, Attestations: []Attestation{onDay}}, nil},
		{"lapsed the day before", Vendor{BAA: BAASigned, Attestations: []Attestation{lapsed}}, []string{IssueAttestationLapsed}},
		{"undated counts as lapsed", Vendor{BAA: BAASigned, Attestations: []Attestation{undated}}, []string{IssueAttestationLapsed}},
		{"one current of two", Vendor{BAA: BAASigned, Attestations: []Attestation{lapsed, onDay}}, nil},
		{"lapsed SOC 2 only", Vendor{BAA: BAAExpired, Attestations: []Attestation{{Kind: AttSOC2Type2, Expires: "2024-12-31"}}},
			[]string{IssueBAAExpired, IssueAttestationLapsed, IssueSOC2Only}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.v.Name = "Acme Cloud"
			got := VendorIssues(c.v, day0)
			if !slices.Equal(issueKinds(got), c.want) {
				t.Errorf("issues = %v, want %v", issueKinds(got), c.want)
			}
			for _, x := range got {
				if !strings.Contains(x.Text, "Acme Cloud") || strings.Contains(x.Text, "\n") {
					t.Errorf("issue text %q does not name the vendor in one line", x.Text)
				}
			}
		})
	}
	// A lapse names the day the last attestation expired, not the as-of date, and an
	// undated one says it lapsed before the as-of date.
	got := VendorIssues(Vendor{Name: "Acme Cloud", BAA: BAASigned, Attestations: []Attestation{lapsed, {Kind: AttSOC2Type2, Expires: "2025-01-31"}}}, day0)
	if len(got) == 0 || !strings.Contains(got[0].Text, "the last expired on May 31, 2025") {
		t.Errorf("lapse text %v does not name the last expiry", got)
	}
	got = VendorIssues(Vendor{Name: "Acme Cloud", BAA: BAASigned, Attestations: []Attestation{undated}}, day0)
	if len(got) == 0 || !strings.Contains(got[0].Text, "the last expired before Jun 1, 2025") {
		t.Errorf("undated lapse text %v", got)
	}
	// The as-of date counts as a calendar day wherever the clock is: late on 1 June in
	// New York is still 1 June, so an attestation expiring that day is still valid.
	ny := time.FixedZone("EDT", -4*3600)
	late := time.Date(2025, 6, 1, 23, 30, 0, 0, ny) // 2 June in UTC
	if got := VendorIssues(Vendor{BAA: BAASigned, Attestations: []Attestation{onDay}}, late); got != nil {
		t.Errorf("attestation expiring on the local as-of day was lapsed: %v", issueKinds(got))
	}
}

func TestProviderFlags(t *testing.T) {
	t.Parallel()
	cat := fixtureCatalog(t)
	s := &Snapshot{
		Profile: Profile{EntityType: EntityProvider},
		Assets:  fixtureAssets(),
		Vendors: []Vendor{
			{ID: "acme", Name: "Acme", BAA: BAASigned, Attestations: []Attestation{{Kind: AttSOC2Type2, Expires: "2026-01-01"}}},
			{ID: "good", Name: "Good", BAA: BAASigned, Attestations: []Attestation{{Kind: AttHITRUSTr2, Expires: "2026-01-01"}}},
		},
		Catalog: cat,
	}
	got := flagsAt(s, day0)
	// ehr is SaaS: auth and encryption are provider-owned, Acme holds only SOC 2. bak is
	// IaaS without a vendor: its Part 2 item is provider-owned. db is PaaS (shared) with a
	// clean vendor. Organization items never carry provider flags.
	want := map[ItemKey][]string{
		{"312d-auth-01", "ehr"}:   {IssueSOC2Only},
		{"312a2iv-enc-01", "ehr"}: {IssueSOC2Only},
		{"312a2iv-p2-01", "bak"}:  {IssueNoProvider},
	}
	if len(got) != len(want) {
		t.Errorf("flags on %d items, want %d: %v", len(got), len(want), got)
	}
	for k, w := range want {
		if !slices.Equal(issueKinds(got[k]), w) {
			t.Errorf("%v: %v, want %v", k, issueKinds(got[k]), w)
		}
	}
	if txt := got[ItemKey{"312a2iv-p2-01", "bak"}]; len(txt) == 1 && !strings.Contains(txt[0].Text, "Backups") {
		t.Errorf("no-provider text %q does not name the asset", txt[0].Text)
	}

	// The assessor takes encryption back in-house on the EHR: that item is no longer flagged.
	// Pointing the PaaS store at a missing vendor makes its shared items no-provider.
	s.Overrides = []Override{{QuestionID: "312a2iv-enc-01", AssetID: "ehr", Owner: controls.OwnerCustomer, Reason: "Own keys"}}
	s.Assets[3].VendorID = "gone"
	got = flagsAt(s, day0)
	if _, ok := got[ItemKey{"312a2iv-enc-01", "ehr"}]; ok {
		t.Error("an item overridden to customer is still flagged")
	}
	if !slices.Equal(issueKinds(got[ItemKey{"312a2iv-enc-01", "db"}]), []string{IssueNoProvider}) {
		t.Errorf("shared item on an asset with an unknown vendor: %v", got[ItemKey{"312a2iv-enc-01", "db"}])
	}
}

// inheritSnapshot: the fixture's SaaS EHR from a vendor whose review is given per case, and
// a shared-owner PaaS store from a HITRUST-certified vendor.
func inheritSnapshot(t *testing.T, ehrVendor Vendor) *Snapshot {
	t.Helper()
	ehrVendor.ID = "acme"
	return &Snapshot{
		Profile: Profile{EntityType: EntityProvider},
		Assets:  fixtureAssets(),
		Vendors: []Vendor{ehrVendor,
			{ID: "good", Name: "Good", BAA: BAASigned, BAASigned: "2024-01-01", Attestations: []Attestation{{Kind: AttHITRUSTr2, Expires: "2026-01-01"}}}},
		Evidence: []Evidence{
			{ID: "ev-letter", Name: "HITRUST letter", Links: []EvidenceLink{{VendorID: "acme"}}},
			{ID: "ev-other", Name: "Unrelated", Links: []EvidenceLink{{AssetID: "ehr"}}},
		},
		Catalog:     fixtureCatalog(t),
		GeneratedAt: day0,
	}
}

// TestInheritance: the SaaS EHR's provider-owned items rest on a signed BAA and a current
// HITRUST or ISO 27001 attestation, with the vendor's evidence, and are counted as
// inherited, never as the practice's Implemented. SOC 2 alone, no BAA or a lapsed
// attestation leave them open with the reason; shared items are never inherited; an
// explicit answer wins.
func TestInheritance(t *testing.T) {
	hitrust := Vendor{Name: "Acme EHR", BAA: BAASigned, BAASigned: "2024-01-01", Attestations: []Attestation{
		{Kind: AttHITRUSTr2, Expires: "2026-05-31", Scope: "EHR platform"},
		{Kind: AttSOC2Type2, PeriodEnd: "2024-12-31", Expires: "2025-12-31"}}}
	a := Analyze(inheritSnapshot(t, hitrust))
	for _, k := range []ItemKey{{"312d-auth-01", "ehr"}, {"312a2iv-enc-01", "ehr"}} {
		v, ok := a.Item(k)
		if !ok {
			t.Fatalf("%v is not an item", k)
		}
		if v.Status != Inherited || v.InheritedFrom != "Acme EHR" || v.Inherited == nil || v.Open() {
			t.Errorf("%v: status %q from %q, want inherited from Acme EHR", k, v.Status, v.InheritedFrom)
			continue
		}
		if !slices.Equal(v.Evidence, []string{"ev-letter"}) {
			t.Errorf("%v: evidence %v, want the vendor's letter", k, v.Evidence)
		}
		if kinds := []string{v.Inherited.Attestations[0].Kind, v.Inherited.Attestations[1].Kind}; !slices.Equal(kinds, []string{AttHITRUSTr2, AttSOC2Type2}) {
			t.Errorf("%v: attestations %v, want the HITRUST certificate first, then the SOC 2 report", k, kinds)
		}
	}
	if v, _ := a.Item(ItemKey{"312a2iv-enc-01", "db"}); v.Status == Inherited {
		t.Error("a shared-owner item was inherited")
	}
	c := a.Summary.Overall
	if c.Inherited != 2 || c.Implemented != 0 || c.ToAnswer() != c.Applicable-2 {
		t.Errorf("counts %+v: want 2 inherited, none implemented", c)
	}
	if _, ok := c.Compliance(); ok {
		t.Error("inherited items gave the practice a compliance figure")
	}
	if got := c.Completion(); got != 2/float64(c.Applicable) {
		t.Errorf("completion %.3f, want the inherited items counted as answered", got)
	}
	for _, r := range a.Summary.Readiness {
		if r.AssetID == "ehr" && r.Kind == ReadyUnanswered && (r.QuestionID == "312d-auth-01" || r.QuestionID == "312a2iv-enc-01") {
			t.Errorf("inherited item %s blocks finalizing", r.QuestionID)
		}
	}

	// An explicit answer wins over inheritance.
	s := inheritSnapshot(t, hitrust)
	s.Responses = []Response{{QuestionID: "312d-auth-01", AssetID: "ehr", Status: Partial}}
	if v, _ := Analyze(s).Item(ItemKey{"312d-auth-01", "ehr"}); v.Status != Partial || v.InheritedFrom != "" {
		t.Errorf("an explicit answer did not win: %q from %q", v.Status, v.InheritedFrom)
	}

	for name, c := range map[string]struct {
		v    Vendor
		want string
	}{
		"SOC 2 alone": {Vendor{Name: "Acme", BAA: BAASigned, BAASigned: "2024-01-01",
			Attestations: []Attestation{{Kind: AttSOC2Type2, Expires: "2026-01-01"}}}, IssueSOC2Only},
		"no BAA": {Vendor{Name: "Acme", BAA: BAARequested, Attestations: []Attestation{{Kind: AttHITRUSTr2, Expires: "2026-01-01"}}}, IssueBAAMissing},
		"lapsed": {Vendor{Name: "Acme", BAA: BAASigned, BAASigned: "2024-01-01",
			Attestations: []Attestation{{Kind: AttISO27001, Expires: "2025-05-31"}}}, IssueAttestationLapsed},
	} {
		v, _ := Analyze(inheritSnapshot(t, c.v)).Item(ItemKey{"312d-auth-01", "ehr"})
		if v.Status == Inherited || !v.Open() || !slices.Contains(issueKinds(v.Issues), c.want) {
			t.Errorf("%s: status %q, issues %v; want open with %s", name, v.Status, issueKinds(v.Issues), c.want)
		}
	}
	iso := Vendor{Name: "Acme", BAA: BAASigned, BAASigned: "2024-01-01", Attestations: []Attestation{{Kind: AttISO27001, Expires: "2026-01-01"}}}
	if InheritanceOf(iso, day0) == nil {
		t.Error("a signed BAA and a current ISO 27001 certificate do not inherit")
	}
}
