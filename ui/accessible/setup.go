package accessible

import (
	"fmt"
	"strings"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/common"
)

// Setup in plain prompts: the organization profile (its name included), the systems and
// their data flows, and the vendors, saved through the same store functions as the
// full-screen setup (UpdateProfile, SaveAsset, SaveFlow, SaveVendor).

func storeMeta(name, desc string) store.EvidenceMeta {
	return store.EvidenceMeta{Name: strings.TrimSpace(name), Description: strings.TrimSpace(desc)}
}

// profile edits the organization profile field by field; Enter keeps each value.
func (se *session) profile(d *common.Data) error {
	return se.within("the organization profile", func() error {
		a, p := d.Snap.Assessment, d.Snap.Profile
		se.say("The organization profile. Press Enter to keep a value shown.")
		org, err := se.text("Organization name (as it is printed on every report page)", a.Organization, false, common.Name("organization name"))
		if err != nil {
			return err
		}
		entity, err := se.choice("Type of organization:", assessment.EntityTypes, string(p.EntityType))
		if err != nil {
			return err
		}
		size, err := se.choice("Size, counting workforce members, staff and contractors:", assessment.Sizes, p.Size)
		if err != nil {
			return err
		}
		depths := make([]assessment.Choice, len(controls.Depths))
		for i, dp := range controls.Depths {
			depths[i] = assessment.Choice{Value: string(dp), Label: depthLabel(dp)}
		}
		depth, err := se.choice("How thoroughly should the questionnaire ask?", depths, string(p.DepthOrDefault()))
		if err != nil {
			return err
		}
		part2, err := se.yes("Does it run a 42 CFR Part 2 substance use disorder program?", &p.Part2Program)
		if err != nil {
			return err
		}
		medi, err := se.yes("Does it bill Medicare or Medicaid?", &p.MedicareMedicaid)
		if err != nil {
			return err
		}
		proposed, err := se.yes("Include the questions of the January 2025 proposed rule (not law; they never count toward compliance)?", &p.IncludeProposed)
		if err != nil {
			return err
		}
		assessors, err := se.text("Assessors, separated by commas", strings.Join(p.Assessors, ", "), true, func(s string) error {
			_, err := common.Names("assessor name", s)
			return err
		})
		if err != nil {
			return err
		}
		start, err := se.text("First day the analysis covers, YYYY-MM-DD", p.PeriodStart, true, common.Date("period start", false))
		if err != nil {
			return err
		}
		end, err := se.text("Last day it covers, YYYY-MM-DD", p.PeriodEnd, true, common.DateAfter("period end", &start, "period start"))
		if err != nil {
			return err
		}
		scope, err := se.text("Scope statement: what the analysis covers and leaves out", p.Scope, true, common.Text("scope statement"))
		if err != nil {
			return err
		}
		names, _ := common.Names("assessor name", assessors)
		np := p
		np.EntityType, np.Size, np.Depth = assessment.EntityType(entity), size, controls.Depth(depth)
		np.Part2Program, np.MedicareMedicaid, np.IncludeProposed = part2, medi, proposed
		np.Assessors, np.PeriodStart, np.PeriodEnd, np.Scope = names, start, end, scope
		u := store.ProfileUpdate{Profile: np}
		if org != a.Organization {
			u.Organization = org
		}
		if err := se.s.UpdateProfile(se.ctx, d.ID(), u); err != nil {
			se.say("Not saved: %s.", err)
			return nil
		}
		se.say("Saved the organization profile.")
		return nil
	})
}

func depthLabel(d controls.Depth) string {
	switch d {
	case controls.DepthEssentials:
		return "Essentials: the core every small practice answers"
	case controls.DepthStandard:
		return "Standard: the core and the common good practice"
	}
	return "Complete: every question"
}

// assets lists the systems and offers to add one or a data flow.
func (se *session) assets(d *common.Data) error {
	for {
		snap := d.Snap
		if len(snap.Assets) == 0 {
			se.say("No systems recorded yet.")
		}
		for _, a := range snap.Assets {
			provider := ""
			if v, ok := d.Vendor(a.VendorID); ok {
				provider = ", run by " + v.Name
			}
			se.say("System: %s, %s, hosted %s%s; %s.", a.Name, common.AssetKind(d.Catalog, a.Kind).Title, a.Hosting.Phrase(), provider, inScope(a))
		}
		for _, f := range snap.Flows {
			se.say("Data flow: %s.", flowText(d, f))
		}
		i, err := se.choose("Systems and data flows:", []string{"Add a system", "Add a data flow", "Back"})
		if err != nil || i == 2 {
			return err
		}
		if i == 0 {
			err = se.addAsset(d)
		} else {
			err = se.addFlow(d)
		}
		if err != nil {
			return err
		}
		if d, err = se.load(d.ID()); err != nil {
			return err
		}
	}
}

func inScope(a assessment.Asset) string {
	if a.InScope {
		return "in scope"
	}
	return "out of scope"
}

func flowText(d *common.Data, f assessment.Flow) string {
	to := assessment.ChoiceLabel(assessment.OutsideParties, f.ToParty)
	if f.To != "" {
		to = d.AssetName(f.To)
	}
	enc := "not encrypted"
	if f.Encrypted {
		enc = "encrypted in transit"
	}
	return fmt.Sprintf("from %s to %s, %s", d.AssetName(f.From), to, enc)
}

// addAsset records a new system with the facts its questions depend on.
func (se *session) addAsset(d *common.Data) error {
	return se.within("adding a system", func() error {
		a := assessment.Asset{EPHI: true, InScope: true}
		var err error
		if a.Name, err = se.text("Name of the system, as people in the practice call it", "", false, common.Name("asset name")); err != nil {
			return err
		}
		kinds := make([]assessment.Choice, len(d.Catalog.AssetKinds))
		for i, k := range d.Catalog.AssetKinds {
			kinds[i] = assessment.Choice{Value: k.ID, Label: k.Title}
		}
		if a.Kind, err = se.choice("What kind of system is it?", kinds, ""); err != nil {
			return err
		}
		hostings := make([]assessment.Choice, len(controls.Hostings))
		for i, h := range controls.Hostings {
			hostings[i] = assessment.Choice{Value: string(h), Label: h.Label()}
		}
		h, err := se.choice("How is it hosted? This sets who owns each control by default.", hostings, "")
		if err != nil {
			return err
		}
		a.Hosting = controls.Hosting(h)
		if a.Hosting != controls.OnPrem {
			providers := []assessment.Choice{{Value: "", Label: "Not recorded yet"}}
			for _, v := range d.Snap.Vendors {
				providers = append(providers, assessment.Choice{Value: v.ID, Label: v.Name})
			}
			providers = append(providers, assessment.Choice{Value: "new", Label: "A vendor not recorded yet: add it now"})
			if a.VendorID, err = se.choice("Which vendor runs or hosts it?", providers, ""); err != nil {
				return err
			}
			if a.VendorID == "new" {
				if a.VendorID, err = se.vendorEntry(d); err != nil {
					return err
				}
			}
		}
		if a.EPHI, err = se.yes("Does it hold ePHI (patient data)?", nil); err != nil {
			return err
		}
		if a.Criticality, err = se.choice("How critical is it?", assessment.CriticalityChoices, ""); err != nil {
			return err
		}
		if a.EncAtRest, err = se.choice("Encryption at rest:", assessment.EncryptionChoices, ""); err != nil {
			return err
		}
		if a.TLS, err = se.choice("Encryption in transit:", assessment.TLSChoices, ""); err != nil {
			return err
		}
		if a.Location, err = se.text("Location or cloud region", "", true, common.Text("location")); err != nil {
			return err
		}
		if a.Owner, err = se.text("Owner: the person or role answerable for it", "", true, common.Text("owner")); err != nil {
			return err
		}
		if _, err := se.s.SaveAsset(se.ctx, d.ID(), a); err != nil {
			se.say("Not saved: %s.", err)
			return nil
		}
		se.say("Saved %s; its questions are now asked.", a.Name)
		return nil
	})
}

// addFlow records a flow of ePHI from a system to another one or to an outside party.
func (se *session) addFlow(d *common.Data) error {
	if len(d.Snap.Assets) == 0 {
		se.say("Add a system first: a data flow starts at one.")
		return nil
	}
	return se.within("adding a data flow", func() error {
		assets := make([]assessment.Choice, len(d.Snap.Assets))
		for i, a := range d.Snap.Assets {
			assets[i] = assessment.Choice{Value: a.ID, Label: a.Name}
		}
		var f assessment.Flow
		var err error
		if f.From, err = se.choice("The data flows from:", assets, ""); err != nil {
			return err
		}
		to := append(append([]assessment.Choice{}, assets...), assessment.OutsideParties...)
		dest, err := se.choice("to:", to, "")
		if err != nil {
			return err
		}
		if _, ok := d.Asset(dest); ok {
			f.To = dest
		} else {
			f.ToParty = dest
		}
		if f.Encrypted, err = se.yes("Is it encrypted in transit?", nil); err != nil {
			return err
		}
		if f.Description, err = se.text("What flows, and how", "", true, common.Text("description")); err != nil {
			return err
		}
		if _, err := se.s.SaveFlow(se.ctx, d.ID(), f); err != nil {
			se.say("Not saved: %s.", err)
			return nil
		}
		se.say("Saved the data flow %s.", flowText(d, f))
		return nil
	})
}

// vendors lists the vendors with their warnings and offers to add one.
func (se *session) vendors(d *common.Data) error {
	for {
		if len(d.Snap.Vendors) == 0 {
			se.say("No vendors recorded yet.")
		}
		for _, v := range d.Snap.Vendors {
			se.say("Vendor: %s, %s; BAA: %s.", v.Name, common.Or(v.Services, "services not described"), strings.ToLower(v.BAA.Label()))
		}
		for _, w := range d.VendorWarnings {
			se.say("Warning: %s", w.Text)
		}
		i, err := se.choose("Vendors:", []string{"Add a vendor", "Back"})
		if err != nil || i == 1 {
			return err
		}
		if err := se.within("adding a vendor", func() error { _, err := se.vendorEntry(d); return err }); err != nil {
			return err
		}
		if d, err = se.load(d.ID()); err != nil {
			return err
		}
	}
}

// vendorEntry asks for a vendor, saves it and returns its ID ("" when not saved). BAA
// terms are asked only when there is a BAA, and one date per attestation.
func (se *session) vendorEntry(d *common.Data) (string, error) {
	var v assessment.Vendor
	var err error
	if v.Name, err = se.text("Vendor name", "", false, common.Name("vendor name")); err != nil {
		return "", err
	}
	if v.Services, err = se.text("What it does for the practice", "", true, common.Text("services")); err != nil {
		return "", err
	}
	baa, err := se.choice("Business associate agreement (BAA):", assessment.BAAChoices, "")
	if err != nil {
		return "", err
	}
	v.BAA = assessment.BAAStatus(baa)
	if v.BAA == assessment.BAASigned || v.BAA == assessment.BAAExpired {
		if v.BAASigned, err = se.text("Date the BAA was signed, YYYY-MM-DD", "", false, common.Date("BAA date", true)); err != nil {
			return "", err
		}
		if v.BreachNoticeDays, err = se.number("Days the BAA gives the vendor to report a breach (0 if it does not say)", 0, 0, 365); err != nil {
			return "", err
		}
		if v.Flowdown, err = se.yes("Does the BAA bind the vendor's subcontractors to the same terms?", nil); err != nil {
			return "", err
		}
	}
	for {
		more, err := se.yes("Does the vendor give an attestation (HITRUST, SOC 2 Type II, ISO 27001) not recorded yet?", nil)
		if err != nil {
			return "", err
		}
		if !more {
			break
		}
		var at assessment.Attestation
		if at.Kind, err = se.choice("Which one?", assessment.AttestationChoices, ""); err != nil {
			return "", err
		}
		if at.Expires, err = se.text("Date it expires or must be renewed, YYYY-MM-DD", "", false, common.Date("expiry date", true)); err != nil {
			return "", err
		}
		v.Attestations = append(v.Attestations, at)
	}
	id, err := se.s.SaveVendor(se.ctx, d.ID(), v)
	if err != nil {
		se.say("Not saved: %s.", err)
		return "", nil
	}
	se.say("Saved %s.", v.Name)
	return id, nil
}
