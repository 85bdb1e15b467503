package assessment

import (
	"testing"

	"safeguard/controls"
)

func TestDateAttestationAsksOneDatePerKind(t *testing.T) {
	a, err := DateAttestation(AttSOC2Type2, "2025-12-31")
	if err != nil || a.PeriodEnd != "2025-12-31" || a.Expires != "2026-12-31" {
		t.Fatalf("SOC 2 from its period end: %+v %v", a, err)
	}
	a, err = DateAttestation(AttHITRUSTr2, "2027-05-31")
	if err != nil || a.PeriodEnd != "" || a.Expires != "2027-05-31" {
		t.Fatalf("HITRUST from its expiry: %+v %v", a, err)
	}
	for _, c := range []struct{ kind, date string }{
		{AttSOC2Type2, ""}, {AttSOC2Type2, "2025-13-01"}, {AttISO27001, ""}, {AttISO27001, "31/12/2026"}, {"soc1", "2026-01-01"},
	} {
		if _, err := DateAttestation(c.kind, c.date); err == nil {
			t.Errorf("%s %q was accepted", c.kind, c.date)
		}
	}
	if d := AttestationDate(Attestation{Kind: AttSOC2Type2, PeriodEnd: "2025-12-31", Expires: "2026-12-31"}); d != "2025-12-31" {
		t.Fatalf("SOC 2 shows %s", d)
	}
	if d := AttestationDate(Attestation{Kind: AttISO27001, Expires: "2026-12-31"}); d != "2026-12-31" {
		t.Fatalf("ISO shows %s", d)
	}
}

func TestDepthCountsGrowWithDepth(t *testing.T) {
	snap := demoSnapshotForDepth(t)
	a := Analyze(snap)
	c := a.DepthCounts()
	if c[snap.Profile.DepthOrDefault()] != len(a.Items) {
		t.Fatalf("count at the depth in effect %d, items %d", c[snap.Profile.DepthOrDefault()], len(a.Items))
	}
	if !(c["essentials"] < c["standard"] && c["standard"] < c["complete"]) {
		t.Fatalf("counts do not grow with depth: %v", c)
	}
	snap.Profile.Depth = "complete"
	if n := len(Analyze(snap).Items); n != c["complete"] {
		t.Fatalf("complete: DepthCounts says %d, Analyze gives %d", c["complete"], n)
	}
}

func demoSnapshotForDepth(t *testing.T) *Snapshot {
	t.Helper()
	cat := controls.MustDefault()
	s := SnapshotOf(Demo(cat, demoNows[0]), cat)
	s.Profile.Depth = "standard"
	return s
}
