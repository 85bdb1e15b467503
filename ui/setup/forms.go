package setup

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/ui/common"
)

// The setup forms. Each binds its fields to variables captured by the build function, so
// when the store refuses a save the form is rebuilt with everything the user typed.

// newForm opens a dialog of the setup section.
func (s *Model) newForm(title string, build func() *huh.Form, submit func() tea.Cmd) common.Screen {
	return common.NewForm(s.e, title, build, submit)
}

func options(cs []assessment.Choice) []huh.Option[string] {
	out := make([]huh.Option[string], len(cs))
	for i, c := range cs {
		out[i] = huh.NewOption(c.Label, c.Value)
	}
	return out
}

// ---- profile ----

func (s *Model) profileForm() common.Screen {
	id := s.data.ID()
	p := s.data.Snap.Profile
	entity, size := string(p.EntityType), p.Size
	if entity == "" {
		entity = string(assessment.EntityProvider)
	}
	part2, medi, proposed := p.Part2Program, p.MedicareMedicaid, p.IncludeProposed
	assessors := strings.Join(p.Assessors, ", ")
	start, end, scope := p.PeriodStart, p.PeriodEnd, p.Scope
	matrix := string(p.Matrix.OrDefault())
	rated := 0
	for _, r := range s.data.Snap.Risks {
		if r.Likelihood > 0 {
			rated++
		}
	}
	matrixHelp := "How likelihood and impact combine into a risk level. The 5×5 matrix is NIST SP 800-30 Rev. 1, Table I-2, " +
		"the method the report cites. It is fixed once any risk is rated."
	if rated > 0 {
		matrixHelp += " " + assessment.Plural(rated, "risk is", "risks are") + " rated already, so keep the current matrix."
	}
	sizes := append(options(assessment.Sizes), huh.NewOption("Not stated", ""))

	build := func() *huh.Form {
		return huh.NewForm(
			huh.NewGroup(
				huh.NewSelect[string]().Title("Type of organization").
					Description("Covered entities are providers, health plans and clearinghouses; a business associate handles ePHI for one (§160.103).").
					Options(options(assessment.EntityTypes)...).Value(&entity),
				huh.NewSelect[string]().Title("Size").Description("Workforce members, staff and contractors together.").
					Options(sizes...).Value(&size),
			).Title("Organization"),
			huh.NewGroup(
				huh.NewConfirm().Title("Does it run a 42 CFR Part 2 program?").
					Description("A federally assisted substance use disorder program whose patient records 42 CFR Part 2 protects. Adds the Part 2 questions.").
					Value(&part2),
				huh.NewConfirm().Title("Does it bill Medicare or Medicaid?").
					Description("Recorded in the profile: CMS programs such as MIPS Promoting Interoperability ask for a yearly security risk analysis.").
					Value(&medi),
				huh.NewConfirm().Title("Include the proposed-rule questions?").
					Description("Items from the HHS proposed rule of 6 January 2025 (90 FR 898, not final). They are shown and can be answered for planning, but never count toward compliance.").
					Value(&proposed),
			).Title("Programs"),
			huh.NewGroup(
				huh.NewInput().Title("Assessors").Description("Who carries out this analysis. Separate several names with commas.").
					Placeholder("Dana Whitfield, Marcus Oyelaran").Value(&assessors).
					Validate(func(v string) error { _, err := common.Names("assessor name", v); return err }),
				huh.NewInput().Title("Period start").Description("First day this analysis covers, YYYY-MM-DD.").
					Placeholder("YYYY-MM-DD").CharLimit(10).Value(&start).Validate(common.Date("period start", false)),
				huh.NewInput().Title("Period end").Description("Last day it covers, YYYY-MM-DD, after the start.").
					Placeholder("YYYY-MM-DD").CharLimit(10).Value(&end).Validate(common.DateAfter("period end", &start, "period start")),
			).Title("Assessors and period"),
			huh.NewGroup(
				huh.NewText().Title("Scope statement").
					Description("What this analysis covers and leaves out: sites, systems, services, paper records. It opens the report's scope section. alt+enter adds a line.").
					CharLimit(assessment.MaxTextLen).Lines(6).Value(&scope).Validate(common.Text("scope statement")),
			).Title("Scope"),
			huh.NewGroup(
				huh.NewSelect[string]().Title("Risk matrix").Description(matrixHelp).
					Options(options(assessment.MatrixKinds)...).Value(&matrix),
			).Title("Risk rating"),
		)
	}
	submit := func() tea.Cmd {
		names, err := common.Names("assessor name", assessors)
		if err != nil {
			return common.Emit(common.SavedMsg{Err: err})
		}
		np := assessment.Profile{
			EntityType: assessment.EntityType(entity), Size: size, Part2Program: part2, MedicareMedicaid: medi,
			Assessors: names, PeriodStart: strings.TrimSpace(start), PeriodEnd: strings.TrimSpace(end),
			Scope: strings.TrimSpace(scope), IncludeProposed: proposed, Matrix: assessment.MatrixKind(matrix),
		}
		ctx, st := s.e.Ctx, s.e.Store
		return common.Mutate("Saved the organization profile.", func() error { return st.SaveProfile(ctx, id, np) })
	}
	return s.newForm("Organization profile", build, submit)
}

// ---- assets ----

var hostingOptions = []huh.Option[controls.Hosting]{
	huh.NewOption(controls.OnPrem.Label()+": your own servers, devices or network", controls.OnPrem),
	huh.NewOption(controls.IaaS.Label()+": you run servers or storage on a cloud provider's infrastructure", controls.IaaS),
	huh.NewOption(controls.PaaS.Label()+": the provider runs the platform or database, you run the app", controls.PaaS),
	huh.NewOption(controls.SaaS.Label()+": the provider runs the whole application, you use it", controls.SaaS),
}

func (s *Model) assetForm(orig *assessment.Asset) common.Screen {
	id := s.data.ID()
	snap := s.data.Snap
	a := assessment.Asset{Hosting: controls.OnPrem, EPHI: true, InScope: true, Criticality: "moderate",
		EncAtRest: assessment.EncNone, TLS: "tls1.2"}
	title := "New asset"
	if orig != nil {
		a = *orig
		title = "Edit " + orig.Name
	}
	if a.Kind == "" && len(s.data.Catalog.AssetKinds) > 0 {
		a.Kind = s.data.Catalog.AssetKinds[0].ID
	}
	records := ""
	if orig != nil {
		records = strconv.Itoa(a.Records)
	}
	kinds := make([]huh.Option[string], 0, len(s.data.Catalog.AssetKinds))
	for _, k := range s.data.Catalog.AssetKinds {
		kinds = append(kinds, huh.NewOption(k.Title, k.ID))
	}
	providers := []huh.Option[string]{huh.NewOption("None: we run it ourselves", "")}
	for _, v := range snap.Vendors {
		providers = append(providers, huh.NewOption(v.Name, v.ID))
	}
	showPart2 := snap.Profile.Part2Program || a.Part2
	addVendor := " Add the vendor under Vendors, then edit this asset to pick it."
	if len(snap.Vendors) > 0 {
		addVendor = " If it is not in the list, add it under Vendors, then edit this asset."
	}

	build := func() *huh.Form {
		return huh.NewForm(
			huh.NewGroup(
				huh.NewInput().Title("Name").Description("What people in the practice call it.").
					Placeholder("Cloud EHR").CharLimit(assessment.MaxNameLen).Value(&a.Name).Validate(common.Name("asset name")),
				huh.NewSelect[string]().Title("Kind").Description("Decides which per-system questions apply to it.").
					Options(kinds...).Value(&a.Kind),
			).Title("What it is"),
			huh.NewGroup(
				huh.NewSelect[controls.Hosting]().Title("Hosting model").
					Description("Sets who owns each control by default: you, the provider, or both.").
					Options(hostingOptions...).Value(&a.Hosting),
				huh.NewSelect[string]().Title("Provider").
					Description("The business associate or cloud provider that runs or hosts it, if any.").
					Options(providers...).Height(min(len(providers)+2, 8)).Value(&a.VendorID),
			).Title("Where it runs"),
			// A warning, not a refusal: the asset can be saved and its provider named later.
			huh.NewGroup(
				huh.NewNote().Title("⚠ No provider chosen").
					Description("An IaaS, PaaS or SaaS asset is run by a provider, and its BAA and attestations count only "+
						"when the provider is named here. Press shift+tab to go back and choose it, or go on and name it later."+addVendor).
					Next(true).NextLabel("Go on without a provider"),
			).Title("Where it runs").WithHideFunc(func() bool { return !needsProvider(a) }),
			huh.NewGroup(
				huh.NewConfirm().Title("Does it hold ePHI?").
					Description("Electronic protected health information: anything that identifies a patient and relates to their care or payment.").
					Value(&a.EPHI),
				huh.NewInput().Title("Approximate number of patient records").
					Description("A rough count is fine; it helps size the impact of a breach. 0 if none or unknown.").
					Placeholder("12000").Value(&records).Validate(common.Int("record count", 0, common.NoLimit)),
			).Title("Patient data"),
			huh.NewGroup(
				huh.NewConfirm().Title("Does it hold 42 CFR Part 2 records?").
					Description("Substance use disorder treatment records from the Part 2 program. Adds the Part 2 questions for this asset.").
					Value(&a.Part2),
			).Title("42 CFR Part 2").WithHideFunc(func() bool { return !showPart2 }),
			huh.NewGroup(
				huh.NewSelect[string]().Title("How are the Part 2 records kept apart?").
					Description("The 2024 Part 2 rule does not require segregation, but how records are kept apart shapes who can see them and how disclosures are tracked.").
					Options(options(assessment.SegregationChoices)...).Value(&a.Segregation),
			).Title("42 CFR Part 2").WithHideFunc(func() bool { return !showPart2 || !a.Part2 }),
			huh.NewGroup(
				huh.NewInput().Title("Location or region").Description("Building, room, or cloud region.").
					Placeholder("Main clinic server room / us-east-2").Value(&a.Location).Validate(common.Text("location")),
				huh.NewInput().Title("Owner").Description("The person or role answerable for it.").
					Placeholder("Practice manager").Value(&a.Owner).Validate(common.Text("owner")),
				huh.NewSelect[string]().Title("Criticality").Description("How badly the practice is hurt if it is unavailable or exposed.").
					Options(options(assessment.CriticalityChoices)...).Value(&a.Criticality),
			).Title("Who and where"),
			huh.NewGroup(
				huh.NewSelect[string]().Title("Encryption at rest").
					Description("Who holds the keys decides who can read the data. Provider-managed: the provider can decrypt it. "+
						"Customer-managed: the keys sit in your own cloud key service. Customer-held: the keys never leave you. "+
						"See §164.312(a)(2)(iv), and §164.402 on unsecured ePHI for breach notice.").
					Options(options(assessment.EncryptionChoices)...).Value(&a.EncAtRest),
				huh.NewSelect[string]().Title("Encryption in transit").
					Description("§164.312(e)(2)(ii). TLS 1.2 or 1.3 is current practice; 1.0 and 1.1 are retired.").
					Options(options(assessment.TLSChoices)...).Value(&a.TLS),
			).Title("Encryption"),
			huh.NewGroup(
				huh.NewConfirm().Title("Is it in scope of this analysis?").
					Description("Out-of-scope assets stay in the inventory but get no questions.").Value(&a.InScope),
				huh.NewText().Title("Notes").Description("Anything an auditor should know. Optional.").
					CharLimit(assessment.MaxTextLen).Lines(3).Value(&a.Notes).Validate(common.Text("notes")),
			).Title("Scope"),
		)
	}
	submit := func() tea.Cmd {
		out := a
		out.Name = strings.TrimSpace(out.Name)
		out.Location, out.Owner, out.Notes = strings.TrimSpace(out.Location), strings.TrimSpace(out.Owner), strings.TrimSpace(out.Notes)
		n, err := common.ParseInt("record count", 0, common.NoLimit, records)
		if err != nil {
			return common.Emit(common.SavedMsg{Err: err})
		}
		out.Records = n
		if !out.Part2 {
			out.Segregation = ""
		}
		msg := "Saved " + out.Name + "."
		if needsProvider(out) {
			msg += " It has no provider yet: add the vendor, then pick it."
		}
		s.follow = &followed{stepAssets, out.ID, out.Name}
		ctx, st := s.e.Ctx, s.e.Store
		return common.Mutate(msg, func() error { _, err := st.SaveAsset(ctx, id, out); return err })
	}
	return s.newForm(title, build, submit)
}

func (s *Model) deleteAssetForm(a assessment.Asset) common.Screen {
	id := s.data.ID()
	snap := s.data.Snap
	answers, risks, flows := 0, 0, 0
	for _, r := range snap.Responses {
		if r.AssetID == a.ID {
			answers++
		}
	}
	for _, r := range snap.Risks {
		if r.AssetID == a.ID {
			risks++
		}
	}
	for _, f := range snap.Flows {
		if f.From == a.ID || f.To == a.ID {
			flows++
		}
	}
	desc := fmt.Sprintf("Its answers (%d), owner overrides and risks (%d) are deleted with it, and so are its data flows (%d). "+
		"The audit trail keeps the history.", answers, risks, flows)
	ctx, st := s.e.Ctx, s.e.Store
	return s.confirmDelete("Delete asset", fmt.Sprintf("Delete %q?", a.Name), desc, a.Name, func() error {
		return st.DeleteAsset(ctx, id, a.ID)
	})
}

// confirmDelete asks before a deletion; the store work runs only after "Delete".
func (s *Model) confirmDelete(title, question, desc, name string, del func() error) common.Screen {
	var sure bool
	build := func() *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewConfirm().Title(question).Description(desc).Affirmative("Delete").Negative("Keep").Value(&sure),
		))
	}
	submit := func() tea.Cmd {
		if !sure {
			return common.Emit(common.SavedMsg{Notice: "Kept " + name + "."})
		}
		return common.Mutate("Deleted "+name+".", del)
	}
	return s.newForm(title, build, submit)
}

// ---- vendors ----

// attSlot is one attestation in the vendor form's add-another loop.
type attSlot struct {
	kind, periodEnd, expires string
	more                     bool // add another after this one
}

// attExtra is how many attestations a vendor form can add beyond those it has.
const attExtra = 4

func (s *Model) vendorForm(orig *assessment.Vendor) common.Screen {
	id := s.data.ID()
	v := assessment.Vendor{BAA: assessment.BAANone}
	title := "New vendor"
	if orig != nil {
		v = *orig
		title = "Edit " + orig.Name
	}
	baa := string(v.BAA)
	days := ""
	if v.BreachNoticeDays > 0 {
		days = strconv.Itoa(v.BreachNoticeDays)
	}
	hasAtt := len(v.Attestations) > 0
	slots := make([]attSlot, len(v.Attestations)+attExtra)
	for i := range slots {
		slots[i].kind = assessment.AttHITRUSTr2
	}
	for i, at := range v.Attestations {
		slots[i] = attSlot{kind: at.Kind, periodEnd: at.PeriodEnd, expires: at.Expires, more: i < len(v.Attestations)-1}
	}
	// shown reports whether slot i is part of the loop so far.
	shown := func(i int) bool {
		if !hasAtt {
			return false
		}
		for j := 0; j < i; j++ {
			if !slots[j].more {
				return false
			}
		}
		return true
	}
	attKinds := append(options(assessment.AttestationChoices), huh.NewOption("Remove this attestation", ""))

	build := func() *huh.Form {
		groups := []*huh.Group{
			huh.NewGroup(
				huh.NewInput().Title("Name").Description("The company as named in the contract.").
					Placeholder("Meridian Chart Cloud, Inc.").CharLimit(assessment.MaxNameLen).Value(&v.Name).Validate(common.Name("vendor name")),
				huh.NewInput().Title("Services").Description("What it does for you with ePHI.").
					Placeholder("Hosted EHR and patient portal (SaaS)").Value(&v.Services).Validate(common.Text("services")),
			).Title("Vendor"),
			huh.NewGroup(
				huh.NewSelect[string]().Title("Business associate agreement").
					Description("Required before a vendor creates, receives, keeps or sends your ePHI (§164.308(b)(1), §164.314(a)).").
					Options(options(assessment.BAAChoices)...).Value(&baa),
				huh.NewInput().Title("Date the BAA was signed").Description("YYYY-MM-DD. Needed when the BAA is signed.").
					Placeholder("YYYY-MM-DD").CharLimit(10).Value(&v.BAASigned).
					Validate(func(d string) error { return common.Date("signature date", baa == string(assessment.BAASigned))(d) }),
			).Title("BAA"),
			huh.NewGroup(
				huh.NewInput().Title("Breach notice (days)").
					Description("Days the BAA gives the vendor to tell you of a breach; 0 if it does not say. The rule allows at most 60 days from discovery (§164.410(b)).").
					Placeholder("0").CharLimit(3).Value(&days).Validate(common.Int("breach notice", 0, 365)),
				huh.NewConfirm().Title("Does the BAA flow down to subcontractors?").
					Description("Subcontractors that handle your ePHI must agree to the same protections (§164.308(b)(2), §164.314(a)(2)(i)(B)).").
					Value(&v.Flowdown),
			).Title("Terms"),
			huh.NewGroup(
				huh.NewConfirm().Title("Does the vendor give you an attestation or certificate?").
					Description("HITRUST, SOC 2 Type II or ISO 27001. SOC 2 alone does not show HIPAA compliance; ask for a HIPAA mapping or HITRUST too.").
					Value(&hasAtt),
			).Title("Attestations"),
		}
		for i := range slots {
			sl := &slots[i]
			head := fmt.Sprintf("Attestation %d", i+1)
			groups = append(groups,
				huh.NewGroup(
					huh.NewSelect[string]().Title("Kind").Description("The report or certificate the vendor gave you.").
						Options(attKinds...).Value(&sl.kind),
				).Title(head).WithHideFunc(func() bool { return !shown(i) }),
				huh.NewGroup(
					huh.NewInput().Title("End of the examined period").
						Description("SOC 2 Type II: the last day the auditor's period covers, on the report's cover. YYYY-MM-DD.").
						Placeholder("YYYY-MM-DD").CharLimit(10).Value(&sl.periodEnd).Validate(common.Date("period end", false)),
				).Title(head).WithHideFunc(func() bool { return !shown(i) || sl.kind != assessment.AttSOC2Type2 }),
				huh.NewGroup(
					huh.NewInput().Title("Expires").Description("When it stops being current, YYYY-MM-DD. Warnings are judged on the assessment date.").
						Placeholder("YYYY-MM-DD").CharLimit(10).Value(&sl.expires).Validate(common.Date("expiry date", true)),
				).Title(head).WithHideFunc(func() bool { return !shown(i) || sl.kind == "" }),
				huh.NewGroup(
					huh.NewConfirm().Title("Add another attestation?").Value(&sl.more),
				).Title(head).WithHideFunc(func() bool { return !shown(i) || i == len(slots)-1 }),
			)
		}
		return huh.NewForm(groups...)
	}
	submit := func() tea.Cmd {
		out := v
		out.Name, out.Services = strings.TrimSpace(out.Name), strings.TrimSpace(out.Services)
		out.BAA = assessment.BAAStatus(baa)
		out.BAASigned = strings.TrimSpace(out.BAASigned)
		if out.BAA == assessment.BAANone || out.BAA == assessment.BAARequested {
			out.BAASigned = "" // nothing was signed
		}
		n, err := common.ParseInt("breach notice", 0, 365, days)
		if err != nil {
			return common.Emit(common.SavedMsg{Err: err})
		}
		out.BreachNoticeDays = n
		out.Attestations = []assessment.Attestation{}
		for i, sl := range slots {
			if !shown(i) {
				break
			}
			if sl.kind == "" {
				continue
			}
			at := assessment.Attestation{Kind: sl.kind, Expires: strings.TrimSpace(sl.expires)}
			if sl.kind == assessment.AttSOC2Type2 {
				at.PeriodEnd = strings.TrimSpace(sl.periodEnd)
			}
			out.Attestations = append(out.Attestations, at)
		}
		s.follow = &followed{stepVendors, out.ID, out.Name}
		ctx, st := s.e.Ctx, s.e.Store
		return common.Mutate("Saved "+out.Name+".", func() error { _, err := st.SaveVendor(ctx, id, out); return err })
	}
	return s.newForm(title, build, submit)
}

func (s *Model) deleteVendorForm(v assessment.Vendor) common.Screen {
	id := s.data.ID()
	var users []string
	for _, a := range s.data.Snap.Assets {
		if a.VendorID == v.ID {
			users = append(users, a.Name)
		}
	}
	desc := "Its BAA and attestation details go too. The audit trail keeps the history."
	if len(users) > 0 {
		desc = fmt.Sprintf("It provides %s: choose another provider for %s first, or the deletion will be refused.",
			strings.Join(users, ", "), map[bool]string{true: "it", false: "them"}[len(users) == 1])
	}
	ctx, st := s.e.Ctx, s.e.Store
	return s.confirmDelete("Delete vendor", fmt.Sprintf("Delete %q?", v.Name), desc, v.Name, func() error {
		return st.DeleteVendor(ctx, id, v.ID)
	})
}

// ---- data flows ----

func (s *Model) flowForm(orig *assessment.Flow) common.Screen {
	id := s.data.ID()
	snap := s.data.Snap
	f := assessment.Flow{Encrypted: true}
	title := "New data flow"
	if orig != nil {
		f = *orig
		title = "Edit data flow"
	}
	assets := make([]huh.Option[string], len(snap.Assets))
	for i, a := range snap.Assets {
		assets[i] = huh.NewOption(a.Name, a.ID)
	}
	if f.From == "" && len(snap.Assets) > 0 {
		f.From = snap.Assets[0].ID
	}
	if f.To == "" && len(snap.Assets) > 1 {
		f.To = snap.Assets[1].ID
	}
	height := min(len(assets)+2, 8)
	build := func() *huh.Form {
		return huh.NewForm(
			huh.NewGroup(
				huh.NewSelect[string]().Title("From").Description("Where the ePHI comes from.").
					Options(assets...).Height(height).Value(&f.From),
				huh.NewSelect[string]().Title("To").Description("Where it goes.").
					Options(assets...).Height(height).Value(&f.To).
					Validate(func(to string) error {
						if to == f.From {
							return errors.New("a data flow needs two different assets; pick another one")
						}
						return nil
					}),
			).Title("Between"),
			huh.NewGroup(
				huh.NewInput().Title("Description").Description("What moves, how and how often.").
					Placeholder("Nightly backup export over the vendor's API").Value(&f.Description).Validate(common.Text("flow description")),
				huh.NewConfirm().Title("Is it encrypted on the way?").
					Description("TLS, a VPN or an encrypted file transfer (§164.312(e)(2)(ii)).").Value(&f.Encrypted),
			).Title("What moves"),
		)
	}
	submit := func() tea.Cmd {
		out := f
		out.Description = strings.TrimSpace(out.Description)
		s.follow = &followed{stepFlows, out.ID, out.From + "→" + out.To}
		ctx, st := s.e.Ctx, s.e.Store
		return common.Mutate("Saved the data flow.", func() error { _, err := st.SaveFlow(ctx, id, out); return err })
	}
	return s.newForm(title, build, submit)
}

func (s *Model) deleteFlowForm(f assessment.Flow) common.Screen {
	id := s.data.ID()
	name := s.assetName(f.From) + " → " + s.assetName(f.To)
	ctx, st := s.e.Ctx, s.e.Store
	return s.confirmDelete("Delete data flow", "Delete the flow "+name+"?", "The audit trail keeps the history.", "the flow "+name,
		func() error { return st.DeleteFlow(ctx, id, f.ID) })
}
