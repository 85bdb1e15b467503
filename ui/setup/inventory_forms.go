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

// ---- vendors ----

// attSlot is one attestation in the vendor form's add-another loop: its kind and the one
// date that kind is dated by (a SOC 2 report's period end, a certificate's expiry).
type attSlot struct {
	kind, date string
	more       bool // add another after this one
}

// attExtra is how many attestations a vendor form can add beyond those it has.
const attExtra = 4

// vendorForm adds or edits a vendor. BAA terms are asked only when a BAA was signed, and
// each attestation asks the one date its kind is dated by. inline, when not nil, is a new
// vendor added from another form: it starts the form and receives what is saved.
func (s *Model) vendorForm(orig *assessment.Vendor, inline *assessment.Vendor) *common.Form {
	id := s.data.ID()
	v := assessment.Vendor{BAA: assessment.BAANone}
	if inline != nil {
		v = *inline
	}
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
		slots[i] = attSlot{kind: at.Kind, date: assessment.AttestationDate(at), more: i < len(v.Attestations)-1}
	}
	// shown reports whether slot i is part of the loop so far.
	shown := func(i int) bool {
		if !hasAtt {
			return false
		}
		for j := range i {
			if !slots[j].more {
				return false
			}
		}
		return true
	}
	attKinds := append(options(assessment.AttestationChoices), huh.NewOption("Remove this attestation", ""))
	signed := func() bool { return hasBAA(assessment.BAAStatus(baa)) }

	build := func(f *common.Form) *huh.Form {
		lenient := f.Lenient
		groups := []*huh.Group{
			huh.NewGroup(
				huh.NewInput().Title("Name").Description("The company as named in the contract.").
					Placeholder(example("Meridian Chart Cloud, Inc.")).CharLimit(assessment.MaxNameLen).Value(&v.Name).
					Validate(lenient(common.Name("vendor name"))),
				huh.NewInput().Title("Services").Description("What it does for you with ePHI.").
					Placeholder(example("Hosted EHR and patient portal (SaaS)")).Value(&v.Services).Validate(lenient(common.Text("services"))),
			).Title("Vendor"),
			huh.NewGroup(
				huh.NewSelect[string]().Title("Business associate agreement").
					Description("Required before a vendor creates, receives, keeps or sends your ePHI (§164.308(b)(1), §164.314(a)).").
					Options(options(assessment.BAAChoices)...).Value(&baa),
			).Title("BAA"),
			huh.NewGroup(
				huh.NewInput().Title("Date the BAA was signed").Description("YYYY-MM-DD, as on the signed agreement.").
					Placeholder("YYYY-MM-DD").CharLimit(10).Value(&v.BAASigned).
					Validate(lenient(func(d string) error { return common.Date("signature date", baa == string(assessment.BAASigned))(d) })),
				huh.NewInput().Title("Breach notice (days)").
					Description("Days the BAA gives the vendor to tell you of a breach; empty if it does not say. The rule allows at most 60 days from discovery (§164.410(b)).").
					Placeholder(example("10")).Value(&days).Validate(lenient(common.Int("breach notice", 0, 365))),
				huh.NewConfirm().Title("Does the BAA flow down to subcontractors?").
					Description("Subcontractors that handle your ePHI must agree to the same protections (§164.308(b)(2), §164.314(a)(2)(i)(B)).").
					Value(&v.Flowdown),
			).Title("BAA terms").WithHideFunc(func() bool { return !signed() }),
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
				// One date per kind: two groups share the slot's date, one shown at a time.
				huh.NewGroup(
					huh.NewInput().Title("End of the examined period").
						Description(fmt.Sprintf("SOC 2 Type II: the last day the auditor's period covers, on the report's cover, YYYY-MM-DD. "+
							"The report counts as current for %d months after it.", assessment.SOC2CurrentMonths)).
						Placeholder("YYYY-MM-DD").CharLimit(10).Value(&sl.date).Validate(lenient(common.Date("end of the examined period", true))),
				).Title(head).WithHideFunc(func() bool { return !shown(i) || !assessment.AttestationAsksPeriodEnd(sl.kind) }),
				huh.NewGroup(
					huh.NewInput().Title("Expires").Description("The expiry date on the certificate or letter, YYYY-MM-DD. Warnings are judged on the assessment date.").
						Placeholder("YYYY-MM-DD").CharLimit(10).Value(&sl.date).Validate(lenient(common.Date("expiry date", true))),
				).Title(head).WithHideFunc(func() bool { return !shown(i) || sl.kind == "" || assessment.AttestationAsksPeriodEnd(sl.kind) }),
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
		out.BreachNoticeDays, out.Flowdown = 0, out.Flowdown && signed()
		if signed() {
			n, err := common.ParseInt("breach notice", 0, 365, days)
			if err != nil {
				return common.Emit(common.SavedMsg{Err: err})
			}
			out.BreachNoticeDays = n
		} else {
			out.BAASigned = "" // nothing was signed, so there are no terms
		}
		out.Attestations = []assessment.Attestation{}
		for i, sl := range slots {
			if !shown(i) {
				break
			}
			if sl.kind == "" {
				continue
			}
			at, err := assessment.DateAttestation(sl.kind, sl.date)
			if err != nil {
				return common.Emit(common.SavedMsg{Err: err})
			}
			if i < len(v.Attestations) && v.Attestations[i].Kind == at.Kind {
				at.Scope = v.Attestations[i].Scope // recorded through the CLI; kept
			}
			out.Attestations = append(out.Attestations, at)
		}
		if inline == nil {
			s.follow = &followed{stepVendors, out.ID, out.Name}
		} else {
			*inline = out // the opening form reads the name it was saved under
		}
		ctx, st := s.e.Ctx, s.e.Store
		notice := "Saved the vendor " + out.Name + "."
		return func() tea.Msg {
			vid, err := st.SaveVendor(ctx, id, out)
			return common.SavedMsg{Notice: notice, Err: err, Created: vid}
		}
	}
	return s.newForm(title, build, submit)
}

func (s *Model) deleteVendorForm(v assessment.Vendor) *common.Form {
	id := s.data.ID()
	var users []string
	for _, a := range s.data.Snap.Assets {
		if a.VendorID == v.ID {
			users = append(users, a.Name)
		}
	}
	ctx, st := s.e.Ctx, s.e.Store
	return s.confirmDelete("Delete vendor", fmt.Sprintf("Delete %q?", v.Name), vendorDeleteDesc(v, users), v.Name, func() error {
		return st.DeleteVendor(ctx, id, v.ID)
	})
}

// ---- assets ----

var hostingOptions = []huh.Option[controls.Hosting]{
	huh.NewOption(controls.OnPrem.Label()+": your own servers, devices or network", controls.OnPrem),
	huh.NewOption(controls.IaaS.Label()+": you run servers or storage on a cloud provider's infrastructure", controls.IaaS),
	huh.NewOption(controls.PaaS.Label()+": the provider runs the platform or database, you run the app", controls.PaaS),
	huh.NewOption(controls.SaaS.Label()+": the provider runs the whole application, you use it", controls.SaaS),
}

// newVendor is the provider choice that opens a new-vendor form inside the asset form.
const newVendor = "\x00new-vendor"

// assetForm adds or edits an asset. Its provider can be a new vendor, added in a sub-form
// without leaving the asset; changing the hosting model of an answered asset warns that
// its answers will be marked to re-validate.
func (s *Model) assetForm(orig *assessment.Asset) *common.Form {
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
	if a.Records > 0 {
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
	answered := 0
	if orig != nil {
		for _, r := range snap.Responses {
			if r.AssetID == orig.ID {
				answered++
			}
		}
	}
	showPart2 := snap.Profile.Part2Program || a.Part2
	var providerField huh.Field
	prevVendor := a.VendorID

	build := func(f *common.Form) *huh.Form {
		lenient := f.Lenient
		opts := append(append([]huh.Option[string]{}, providers...), huh.NewOption("＋ Add a new vendor…", newVendor))
		providerSel := huh.NewSelect[string]().Title("Provider").
			DescriptionFunc(func() string {
				if a.Hosting == controls.OnPrem {
					return "On premises: name the vendor that supports or maintains it, if any, or None."
				}
				return "The business associate or cloud provider that runs or hosts it. Not in the list? Choose “Add a new vendor”."
			}, &a.Hosting).
			Options(opts...).Height(min(len(opts)+2, 9)).Value(&a.VendorID)
		providerField = providerSel
		return huh.NewForm(
			huh.NewGroup(
				huh.NewInput().Title("Name").Description("What people in the practice call it.").
					Placeholder(example("Cloud EHR")).CharLimit(assessment.MaxNameLen).Value(&a.Name).Validate(lenient(common.Name("asset name"))),
				huh.NewSelect[string]().Title("Kind").Description("Decides which per-system questions apply to it.").
					Options(kinds...).Height(min(len(kinds)+2, 9)).Value(&a.Kind),
			).Title("What it is"),
			huh.NewGroup(
				huh.NewSelect[controls.Hosting]().Title("Hosting model").
					Description("Decides which questions are asked of it and who owns each control by default: you, the provider, or both.").
					Options(hostingOptions...).Value(&a.Hosting),
			).Title("Where it runs"),
			huh.NewGroup(
				huh.NewNote().Title("⚠ The hosting model changes").
					Description(fmt.Sprintf("Saving marks this asset's %s to re-validate: the questions asked and who owns each "+
						"control change with the hosting model. Go back with shift+tab to keep it.", assessment.Plural(answered, "answer", "answers"))).
					Next(true).NextLabel("Go on"),
			).Title("Where it runs").WithHideFunc(func() bool { return orig == nil || answered == 0 || a.Hosting == orig.Hosting }),
			huh.NewGroup(providerSel).Title("Who runs it"),
			// A warning, not a refusal: the asset can be saved and its provider named later.
			huh.NewGroup(
				huh.NewNote().Title("⚠ No provider chosen").
					Description("An IaaS, PaaS or SaaS asset is run by a provider, and its BAA and attestations count only "+
						"when the provider is named here. Press shift+tab to choose or add it, or go on and name it later.").
					Next(true).NextLabel("Go on without a provider"),
			).Title("Who runs it").WithHideFunc(func() bool { return !needsProvider(a) }),
			huh.NewGroup(
				huh.NewConfirm().Title("Does it hold ePHI?").
					Description("Electronic protected health information: anything that identifies a patient and relates to their care or payment.").
					Value(&a.EPHI),
				huh.NewInput().Title("Approximate number of patient records").
					Description("A rough count is fine; it sizes the impact of a breach. Empty if none or unknown.").
					Placeholder(example("12000")).Value(&records).Validate(lenient(common.Int("record count", 0, common.NoLimit))),
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
					Placeholder(example("Main clinic server room / us-east-2")).Value(&a.Location).Validate(lenient(common.Text("location"))),
				huh.NewInput().Title("Owner").Description("The person or role answerable for it.").
					Placeholder(example("Practice manager")).Value(&a.Owner).Validate(lenient(common.Text("owner"))),
				huh.NewSelect[string]().Title("Criticality").Description("How badly the practice is hurt if it is unavailable or exposed.").
					Options(options(assessment.CriticalityChoices)...).Value(&a.Criticality),
			).Title("Who and where"),
			huh.NewGroup(
				huh.NewSelect[string]().Title("Encryption at rest, and who holds the keys").
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
					CharLimit(assessment.MaxTextLen).Lines(3).Value(&a.Notes).Validate(lenient(common.Text("notes"))),
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
		msg := "Saved the asset " + out.Name + "."
		if needsProvider(out) {
			msg += " It has no provider yet: edit it to pick or add the vendor."
		}
		if orig != nil && answered > 0 && out.Hosting != orig.Hosting {
			msg += " Its " + assessment.Plural(answered, "answer is", "answers are") + " marked to re-validate."
		}
		s.follow = &followed{stepAssets, out.ID, out.Name}
		ctx, st := s.e.Ctx, s.e.Store
		return common.Mutate(msg, func() error { _, err := st.SaveAsset(ctx, id, out); return err })
	}
	f := s.newForm(title, build, submit)
	var pending *assessment.Vendor
	open := func(form *huh.Form) *common.Form {
		if a.VendorID != newVendor || form.GetFocusedField() == providerField {
			return nil
		}
		// The user chose "Add a new vendor" and moved on: add it here, then come back.
		a.VendorID = prevVendor
		pending = &assessment.Vendor{BAA: assessment.BAANone}
		return s.vendorForm(nil, pending)
	}
	done := func(m common.SavedMsg, saved bool) func(common.Field) bool {
		if saved && m.Created != "" {
			providers = append(providers, huh.NewOption(pending.Name, m.Created))
			a.VendorID, prevVendor = m.Created, m.Created
		}
		return func(x common.Field) bool { return x == providerField }
	}
	return f.WithSubForm(open, done)
}

func (s *Model) deleteAssetForm(a assessment.Asset) *common.Form {
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

// ---- data flows ----

// toAsset is the destination choice of a flow to another asset; outside parties are
// "party:" and their kind.
const toAsset = "asset"

// flowForm adds or edits a data flow from an asset to another asset or to an outside party.
func (s *Model) flowForm(orig *assessment.Flow) *common.Form {
	id := s.data.ID()
	snap := s.data.Snap
	f := assessment.Flow{Encrypted: true, TLS: "tls1.2"}
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
	dest := toAsset
	if f.ToParty != "" {
		dest = "party:" + f.ToParty
	}
	if orig == nil && len(snap.Assets) < 2 {
		dest = "party:" + assessment.OutsideParties[0].Value
	}
	if f.To == "" && len(snap.Assets) > 1 {
		f.To = snap.Assets[1].ID
	}
	dests := []huh.Option[string]{huh.NewOption("Another of your assets", toAsset)}
	for _, p := range assessment.OutsideParties {
		dests = append(dests, huh.NewOption(p.Label+" (outside the organization)", "party:"+p.Value))
	}
	channels := append(options(assessment.FlowChannels), huh.NewOption("Not recorded", ""))
	tls := append(options(assessment.TLSChoices), huh.NewOption("Not recorded", ""))
	height := min(len(assets)+2, 8)
	build := func(form *common.Form) *huh.Form {
		return huh.NewForm(
			huh.NewGroup(
				huh.NewSelect[string]().Title("From").Description("The asset the ePHI leaves from.").
					Options(assets...).Height(height).Value(&f.From),
				huh.NewSelect[string]().Title("To").Description("Another asset, or a party outside the organization.").
					Options(dests...).Height(min(len(dests)+2, 10)).Value(&dest),
			).Title("Between"),
			huh.NewGroup(
				huh.NewSelect[string]().Title("Which asset").Description("Where it goes.").
					Options(assets...).Height(height).Value(&f.To).
					Validate(form.Lenient(func(to string) error {
						if to == f.From {
							return errors.New("a data flow needs two different assets; pick another one")
						}
						return nil
					})),
			).Title("Between").WithHideFunc(func() bool { return dest != toAsset }),
			huh.NewGroup(
				huh.NewSelect[string]().Title("Channel").Description("How it travels.").
					Options(channels...).Value(&f.Channel),
				huh.NewSelect[string]().Title("Transport encryption").Description("§164.312(e)(2)(ii). TLS 1.2 or 1.3 is current practice.").
					Options(tls...).Value(&f.TLS),
			).Title("How it is protected"),
			// Asked only when no TLS version is recorded: a VPN or an encrypted file
			// transfer protects a flow without TLS; a recorded version already says it.
			huh.NewGroup(
				huh.NewConfirm().Title("Is it encrypted on the way?").
					Description("By a VPN, an encrypted file transfer or similar. Fax and unencrypted email are not.").Value(&f.Encrypted),
			).Title("How it is protected").WithHideFunc(func() bool { return f.TLS != "" }),
			huh.NewGroup(
				huh.NewInput().Title("Description").Description("What moves, and how often.").
					Placeholder(example("Nightly claims batch to the clearinghouse")).Value(&f.Description).
					Validate(form.Lenient(common.Text("flow description"))),
			).Title("What moves"),
		)
	}
	submit := func() tea.Cmd {
		out := f
		out.Description = strings.TrimSpace(out.Description)
		if party, ok := strings.CutPrefix(dest, "party:"); ok {
			out.To, out.ToParty = "", party
		} else {
			out.ToParty = ""
		}
		if out.TLS != "" { // the version recorded decides; nothing the user chose is overwritten
			out.Encrypted = out.TLS != "none"
		}
		s.follow = &followed{stepFlows, out.ID, flowKey(out)}
		ctx, st := s.e.Ctx, s.e.Store
		return common.Mutate("Saved the data flow.", func() error { _, err := st.SaveFlow(ctx, id, out); return err })
	}
	return s.newForm(title, build, submit)
}

func (s *Model) deleteFlowForm(f assessment.Flow) *common.Form {
	id := s.data.ID()
	name := s.assetName(f.From) + " → " + s.flowTo(f)
	ctx, st := s.e.Ctx, s.e.Store
	return s.confirmDelete("Delete data flow", "Delete the flow "+name+"?", "The audit trail keeps the history.", "the flow "+name,
		func() error { return st.DeleteFlow(ctx, id, f.ID) })
}

// ---- method ----

// methodForm records or edits how data was collected, or an assumption or limitation.
func (s *Model) methodForm(orig *assessment.MethodEntry) *common.Form {
	id := s.data.ID()
	e := assessment.MethodEntry{Kind: assessment.MethodInterview, Date: today()}
	title := "New method record"
	if orig != nil {
		e = *orig
		title = "Edit " + strings.ToLower(methodKindLabel(e.Kind))
	}
	is := func(kinds ...string) func() bool {
		return func() bool {
			for _, k := range kinds {
				if e.Kind == k {
					return false
				}
			}
			return true
		}
	}
	build := func(f *common.Form) *huh.Form {
		lenient := f.Lenient
		date := func(required bool) *huh.Input {
			return huh.NewInput().Title("Date").Description("When it took place, YYYY-MM-DD; not after today.").
				Placeholder("YYYY-MM-DD").CharLimit(10).Value(&e.Date).Validate(lenient(common.Date("date", required)))
		}
		notes := func(title, desc, ph string) *huh.Text {
			return huh.NewText().Title(title).Description(desc).Placeholder(example(ph)).
				CharLimit(assessment.MaxTextLen).Lines(3).Value(&e.Text).Validate(lenient(common.Text("text")))
		}
		return huh.NewForm(
			huh.NewGroup(
				huh.NewSelect[string]().Title("What do you record?").
					Description("NIST SP 800-30 asks a risk analysis to say where its information came from and what it assumed.").
					Options(options(assessment.MethodKinds)...).Value(&e.Kind),
			).Title("Method"),
			huh.NewGroup(
				huh.NewInput().Title("Who was interviewed").Placeholder(example("Dana Whitfield")).Value(&e.Who).
					Validate(lenient(common.Name("name"))),
				huh.NewInput().Title("Their role").Placeholder(example("Practice manager")).Value(&e.Role).
					Validate(lenient(common.Name("role"))),
				date(true),
				notes("Topics", "What was discussed. Optional.", "Access reviews, backups, the departure checklist"),
			).Title("Interview").WithHideFunc(is(assessment.MethodInterview)),
			huh.NewGroup(
				huh.NewInput().Title("Document").Description("Its title and version.").Placeholder(example("Information security policy v3")).
					Value(&e.Title).Validate(lenient(common.Name("title"))),
				date(false),
				notes("What it showed", "Optional.", "Approved 2025; names the security official"),
			).Title("Document reviewed").WithHideFunc(is(assessment.MethodDocument)),
			huh.NewGroup(
				huh.NewInput().Title("Where").Placeholder(example("Front desk, server closet and records room")).Value(&e.Where).
					Validate(lenient(common.Name("place"))),
				date(true),
				notes("What was seen", "Optional.", "Server closet unlocked during the day"),
			).Title("Site walkthrough").WithHideFunc(is(assessment.MethodWalkthrough)),
			huh.NewGroup(
				huh.NewSelect[string]().Title("Kind of test").Options(options(assessment.TestKinds)...).Value(&e.TestKind),
				huh.NewInput().Title("Tool or method").Placeholder(example("Nessus Essentials 10.7")).Value(&e.Tool).
					Validate(lenient(common.Name("tool"))),
				huh.NewInput().Title("What it covered").Placeholder(example("All 14 workstations and the file server")).Value(&e.Scope).
					Validate(lenient(common.Text("scope"))),
				date(true),
				notes("Findings", "Optional.", "Two workstations missing OS updates"),
			).Title("Technical test").WithHideFunc(is(assessment.MethodTest)),
			huh.NewGroup(
				notes("The assumption or limitation", "What was taken as true without checking, or what limited the work.",
					"The EHR vendor's SOC 2 report was not available; its controls are assumed as described in the BAA"),
			).Title("Assumption or limitation").WithHideFunc(is(assessment.MethodAssumption, assessment.MethodLimitation)),
		)
	}
	submit := func() tea.Cmd {
		out := assessment.MethodEntry{ID: e.ID, Kind: e.Kind, Text: e.Text}
		switch e.Kind {
		case assessment.MethodInterview:
			out.Who, out.Role, out.Date = e.Who, e.Role, e.Date
		case assessment.MethodDocument:
			out.Title, out.Date = e.Title, e.Date
		case assessment.MethodWalkthrough:
			out.Where, out.Date = e.Where, e.Date
		case assessment.MethodTest:
			out.TestKind, out.Tool, out.Scope, out.Date = e.TestKind, e.Tool, e.Scope, e.Date
		}
		if out.TestKind == "" && e.Kind == assessment.MethodTest {
			out.TestKind = assessment.TestKinds[0].Value
		}
		out.Date = strings.TrimSpace(out.Date)
		s.follow = &followed{stepMethod, out.ID, methodKey(out)}
		ctx, st := s.e.Ctx, s.e.Store
		return common.Mutate("Saved the "+strings.ToLower(methodKindLabel(out.Kind))+" record.", func() error {
			_, err := st.SaveMethodEntry(ctx, id, out)
			return err
		})
	}
	return s.newForm(title, build, submit)
}

func (s *Model) deleteMethodForm(e assessment.MethodEntry) *common.Form {
	id := s.data.ID()
	name := "the " + strings.ToLower(methodKindLabel(e.Kind)) + " record"
	ctx, st := s.e.Ctx, s.e.Store
	return s.confirmDelete("Delete method record", "Delete "+name+" “"+common.Truncate(methodWhat(e), 40)+"”?",
		"The audit trail keeps the history.", name, func() error { return st.DeleteMethodEntry(ctx, id, e.ID) })
}
