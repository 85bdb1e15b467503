package assessment

import (
	"fmt"
	"strings"
	"time"

	"safeguard/controls"
)

// MaxTextLen bounds free text (notes, reasons, descriptions).
const MaxTextLen = 10000

// CheckDate accepts "" or a calendar date written YYYY-MM-DD.
func CheckDate(what, s string) error {
	if s == "" {
		return nil
	}
	if _, err := ParseDate(s); err != nil {
		return fmt.Errorf("the %s %q is not a date; write it as YYYY-MM-DD", what, s)
	}
	return nil
}

func hasChoice(choices []Choice, v string) bool {
	for _, c := range choices {
		if c.Value == v {
			return true
		}
	}
	return false
}

func choiceList(choices []Choice) string {
	s := ""
	for i, c := range choices {
		if i > 0 {
			s += ", "
		}
		s += c.Value
	}
	return s
}

// CheckProfile validates an organization profile on its own; CheckProfileIn also checks
// the region against a catalog.
func CheckProfile(p Profile) error {
	if !hasChoice(EntityTypes, string(p.EntityType)) {
		return fmt.Errorf("entity type %q is not one of %s", p.EntityType, choiceList(EntityTypes))
	}
	if p.Depth != "" && p.Depth.Rank() == 0 {
		return fmt.Errorf("depth %q is not one of essentials, standard or complete", p.Depth)
	}
	if p.SponsorReceivesEPHI && p.EntityType != EntityHealthPlan {
		return fmt.Errorf("only a group health plan has a plan sponsor; clear the sponsor setting or make the entity type health-plan")
	}
	if p.Size != "" && !hasChoice(Sizes, p.Size) {
		return fmt.Errorf("size %q is not one of %s", p.Size, choiceList(Sizes))
	}
	if err := CheckDate("period start", p.PeriodStart); err != nil {
		return err
	}
	if err := CheckDate("period end", p.PeriodEnd); err != nil {
		return err
	}
	if p.PeriodStart != "" && p.PeriodEnd != "" && p.PeriodEnd < p.PeriodStart {
		return fmt.Errorf("the period ends (%s) before it starts (%s); swap the dates", p.PeriodEnd, p.PeriodStart)
	}
	for _, a := range p.Assessors {
		if _, err := CleanName("assessor name", a); err != nil {
			return err
		}
	}
	if !p.Matrix.Valid() {
		return fmt.Errorf("risk matrix %q is not %s or %s", p.Matrix, MatrixNIST5x5, MatrixHHS3x3)
	}
	return CheckText("scope statement", p.Scope)
}

// CheckProfileIn validates a profile and checks that its region is one of the catalog's.
func CheckProfileIn(cat *controls.Catalog, p Profile) error {
	if err := CheckProfile(p); err != nil {
		return err
	}
	if p.Region != "" {
		if _, ok := cat.Region(p.Region); !ok {
			ids := make([]string, len(cat.Regions))
			for i, r := range cat.Regions {
				ids[i] = r.ID
			}
			return fmt.Errorf("region %q is not one of %s", p.Region, strings.Join(ids, ", "))
		}
	}
	return nil
}

// CheckFlow validates a data flow's own fields: a sender, exactly one destination (another
// asset or an outside party of a known kind), a known channel and transport encryption,
// and a readable description. That the assets exist is the store's to check.
func CheckFlow(f Flow) error {
	switch {
	case f.From == "":
		return fmt.Errorf("a data flow needs the asset it leaves from")
	case f.To == "" && f.ToParty == "":
		return fmt.Errorf("a data flow needs a destination: another asset, or an outside party")
	case f.To != "" && f.ToParty != "":
		return fmt.Errorf("a data flow goes to one place: give another asset or an outside party, not both")
	case f.To != "" && f.To == f.From:
		return fmt.Errorf("a data flow needs two different assets")
	}
	checks := []struct {
		what, v string
		in      []Choice
	}{
		{"outside party", f.ToParty, OutsideParties},
		{"channel", f.Channel, FlowChannels},
		{"encryption in transit", f.TLS, TLSChoices},
	}
	for _, c := range checks {
		if c.v != "" && !hasChoice(c.in, c.v) {
			return fmt.Errorf("%s %q is not one of %s", c.what, c.v, choiceList(c.in))
		}
	}
	if f.TLS == "none" && f.Encrypted {
		return fmt.Errorf("the flow is marked encrypted but its transport encryption is none; choose one")
	}
	return CheckText("flow description", f.Description)
}

// CheckAsset validates an asset's fields against the catalog's asset kinds.
func CheckAsset(cat *controls.Catalog, a Asset) error {
	if _, err := CleanName("asset name", a.Name); err != nil {
		return err
	}
	if !cat.HasAssetKind(a.Kind) {
		return fmt.Errorf("asset kind %q is not a catalog asset kind", a.Kind)
	}
	switch a.Hosting {
	case controls.OnPrem, controls.IaaS, controls.PaaS, controls.SaaS:
	default:
		return fmt.Errorf("hosting model %q is not on-prem, iaas, paas or saas", a.Hosting)
	}
	if a.Records < 0 {
		return fmt.Errorf("the record count %d is negative; give an approximate number of records", a.Records)
	}
	checks := []struct {
		what, v string
		in      []Choice
	}{
		{"encryption at rest", a.EncAtRest, EncryptionChoices},
		{"encryption in transit", a.TLS, TLSChoices},
		{"criticality", a.Criticality, CriticalityChoices},
		{"Part 2 segregation", a.Segregation, SegregationChoices},
	}
	for _, c := range checks {
		if c.v != "" && !hasChoice(c.in, c.v) {
			return fmt.Errorf("%s %q is not one of %s", c.what, c.v, choiceList(c.in))
		}
	}
	for what, s := range map[string]string{"location": a.Location, "owner": a.Owner} {
		if err := CheckLine(what, s); err != nil {
			return err
		}
	}
	return CheckText("notes", a.Notes)
}

// CheckVendor validates a vendor's fields.
func CheckVendor(v Vendor) error {
	if _, err := CleanName("vendor name", v.Name); err != nil {
		return err
	}
	switch v.BAA {
	case BAANone, BAARequested, BAASigned, BAAExpired:
	default:
		return fmt.Errorf("BAA status %q is not none, requested, signed or expired", v.BAA)
	}
	if v.BAA == BAASigned && v.BAASigned == "" {
		return fmt.Errorf("a signed BAA needs the date it was signed (YYYY-MM-DD)")
	}
	if err := CheckDate("BAA signature date", v.BAASigned); err != nil {
		return err
	}
	if v.BreachNoticeDays < 0 || v.BreachNoticeDays > 365 {
		return fmt.Errorf("breach notice of %d days is out of range; give 0 (not stated) to 365", v.BreachNoticeDays)
	}
	for _, a := range v.Attestations {
		if !hasChoice(AttestationChoices, a.Kind) {
			return fmt.Errorf("attestation %q is not one of %s", a.Kind, choiceList(AttestationChoices))
		}
		if a.Expires == "" {
			return fmt.Errorf("the %s attestation needs an expiry date (YYYY-MM-DD)", a.Kind)
		}
		if err := CheckDate("attestation expiry", a.Expires); err != nil {
			return err
		}
		if err := CheckDate("attestation period end", a.PeriodEnd); err != nil {
			return err
		}
		if err := CheckText("attestation scope", a.Scope); err != nil {
			return err
		}
	}
	return CheckText("services", v.Services)
}

// AsOf is the date rules such as attestation expiry are judged on: the end of the
// assessment period once it has passed, otherwise now.
func (p Profile) AsOf(now time.Time) time.Time {
	if t, err := ParseDate(p.PeriodEnd); err == nil && t.Before(now) {
		return t
	}
	return now
}
