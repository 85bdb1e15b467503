package assessment_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
	"safeguard/controls"
)

func rows(lines ...[]string) []assessment.TableRow {
	out := make([]assessment.TableRow, len(lines))
	for i, l := range lines {
		out[i] = assessment.TableRow{Line: i + 2, Cells: l}
	}
	return out
}

func TestPlanAssetsAliasesAndUpdates(t *testing.T) {
	s := assessmenttest.Demo(t)
	ehr := s.Assets[1]
	header := []string{"  SYSTEM ", "hosting_model", "Asset Type", "Vendor", "BAA signed", "TLS"}
	p, err := assessment.PlanAssets(s, header, rows(
		[]string{strings.ToUpper(ehr.Name), string(ehr.Hosting), ehr.Kind, "", "", "TLS 1.3"},
		[]string{"Badge readers", "On-Premises", "Other", "", "n/a", "none"},
	))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 2 || p.Changes[0].Add || !p.Changes[1].Add {
		t.Fatalf("changes %+v", p.Changes)
	}
	up := p.Changes[0].Record
	if up.ID != ehr.ID || up.TLS != "tls1.3" || up.VendorID != "" || up.Records != ehr.Records {
		t.Errorf("update: %+v", up)
	}
	add := p.Changes[1].Record
	if add.Hosting != controls.OnPrem || add.Kind != "other" || add.Notes != "BAA signed: n/a" || !add.InScope {
		t.Errorf("add: %+v", add)
	}
	if strings.Join(p.Unknown, ",") != "BAA signed" {
		t.Errorf("unknown columns %v", p.Unknown)
	}
}

func TestPlanRefusesBadRows(t *testing.T) {
	s := assessmenttest.Demo(t)
	_, err := assessment.PlanAssets(s, []string{"Name", "Kind", "Hosting", "Records", "Provider"}, rows(
		[]string{"A", "ehr", "cloud", "", ""},
		[]string{"B", "ehr", "saas", "lots", ""},
		[]string{"C", "ehr", "saas", "", "Nobody Inc."},
		[]string{"", "ehr", "saas", "", ""},
		[]string{"a", "ehr", "saas", "", ""},
		[]string{"D", "", "saas", "", ""},
	))
	var te assessment.TableErrors
	if !errors.As(err, &te) || len(te) != 6 {
		t.Fatalf("want 6 bad rows, got %v", err)
	}
	for i, want := range []string{"hosting \"cloud\"", "\"lots\" is not a whole number", "provider \"Nobody Inc.\" is not a vendor",
		"the Name cell is empty", "also on line 2", "Kind is empty or missing"} {
		if te[i].Line != i+2 || !strings.Contains(te[i].Err.Error(), want) {
			t.Errorf("row %d: line %d %v, want %q", i, te[i].Line, te[i].Err, want)
		}
	}
	if _, err := assessment.PlanAssets(s, []string{"Hosting", "Kind"}, nil); err == nil || !strings.Contains(err.Error(), "no column holds the names") {
		t.Errorf("no name column: %v", err)
	}
	if _, err := assessment.PlanAssets(s, []string{"Name", "System"}, nil); err == nil || !strings.Contains(err.Error(), "both mean Name") {
		t.Errorf("two name columns: %v", err)
	}
}

func TestVendorTableRoundTrip(t *testing.T) {
	s := assessmenttest.Demo(t)
	s.Vendors[0].Attestations = append(s.Vendors[0].Attestations, assessment.Attestation{Kind: "soc2-type2", Expires: "2027-01-31", PeriodEnd: "2026-06-30", Scope: "hosting; backups (us-east)"})
	table := assessment.VendorTable(s)
	var rs []assessment.TableRow
	for i, r := range table[1:] {
		rs = append(rs, assessment.TableRow{Line: i + 2, Cells: r})
	}
	p, err := assessment.PlanVendors(s, table[0], rs)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Changes {
		if c.Add || len(c.Changes) > 0 {
			t.Errorf("line %d changes %v", c.Line, c.Changes)
		}
	}
	// "BAA signed" with a date sets the status too.
	p, err = assessment.PlanVendors(s, []string{"Vendor", "BAA signed", "Attestations"}, rows([]string{"New Lab LLC", "2026-02-01", "hitrust-r2:2027-05-31; iso27001:2026-12-31"}))
	if err != nil {
		t.Fatal(err)
	}
	v := p.Changes[0].Record
	if v.BAA != assessment.BAASigned || v.BAASigned != "2026-02-01" || len(v.Attestations) != 2 {
		t.Errorf("vendor %+v", v)
	}
	// "BAA signed" yes/no beside a "BAA date", as many lists keep them; an empty date
	// leaves the status the BAA column gives.
	p, err = assessment.PlanVendors(s, []string{"Vendor", "BAA signed", "BAA date"}, rows(
		[]string{"Lab A", "yes", "2025-03-01"}, []string{"Lab B", "no", ""}))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := p.Changes[0].Record, p.Changes[1].Record; a.BAA != assessment.BAASigned || a.BAASigned != "2025-03-01" || b.BAA != assessment.BAANone {
		t.Errorf("yes/no and date columns: %+v / %+v", a, b)
	}
	p, err = assessment.PlanVendors(s, []string{"Vendor", "BAA", "BAA signed"}, rows([]string{"Lab C", "requested", ""}))
	if err != nil {
		t.Fatal(err)
	}
	if v := p.Changes[0].Record; v.BAA != assessment.BAARequested {
		t.Errorf("an empty BAA signed cell changed the status: %+v", v)
	}
	if _, err := assessment.PlanVendors(s, []string{"Vendor", "BAA signed", "BAA date", "date BAA signed"}, nil); err == nil || !strings.Contains(err.Error(), "both mean BAA signed") {
		t.Errorf("three BAA date columns: %v", err)
	}
}

// TestUnrecordedCountsExportEmpty: a record count or notice period nobody gave (0) is an
// empty cell, not a claim of zero.
func TestUnrecordedCountsExportEmpty(t *testing.T) {
	s := assessmenttest.Demo(t)
	s.Assets[0].Records, s.Vendors[0].BreachNoticeDays = 0, 0
	for _, c := range []struct {
		table [][]string
		col   string
	}{{assessment.AssetTable(s), "Records"}, {assessment.VendorTable(s), "Breach notice days"}} {
		i := slices.Index(c.table[0], c.col)
		if i < 0 {
			t.Fatalf("no %s column in %v", c.col, c.table[0])
		}
		found := false
		for _, row := range c.table[1:] {
			if row[i] == "0" {
				t.Errorf("%s exported as 0: %v", c.col, row)
			}
			found = found || row[i] == ""
		}
		if !found {
			t.Errorf("no empty %s cell for the record without one", c.col)
		}
	}
}
