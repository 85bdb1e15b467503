package setup

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/ui/common"
)

// The setup forms. Each binds its fields to variables captured by the build function, so
// when the store refuses a save the form is rebuilt with everything the user typed. The
// store and the domain decide what is valid; the forms' own checks only say early, field by
// field, what the store would refuse, and they never stop the user stepping back.

// newForm opens a dialog of the setup section; build gets the form so its validators can
// be made lenient (common.Form.Lenient).
func (s *Model) newForm(title string, build func(f *common.Form) *huh.Form, submit func() tea.Cmd) *common.Form {
	var f *common.Form
	f = common.NewForm(s.e, title, func() *huh.Form { return build(f) }, submit)
	return f
}

func options(cs []assessment.Choice) []huh.Option[string] {
	out := make([]huh.Option[string], len(cs))
	for i, c := range cs {
		out[i] = huh.NewOption(c.Label, c.Value)
	}
	return out
}

// today is the date forms prefill for work done today.
func today() string { return assessment.ISODate(time.Now()) }

// example marks a placeholder as an example, so it is not taken for a value.
func example(s string) string { return "e.g. " + s }

// confirmDelete asks before a deletion; the store work runs only after "Delete".
func (s *Model) confirmDelete(title, question, desc, name string, del func() error) *common.Form {
	var sure bool
	build := func(*common.Form) *huh.Form {
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

// ---- profile ----

// profileSaved begins the notice of a saved profile.
const profileSaved = "Saved the organization profile"

// profileForm edits every profile field, the organization's name and the assessment's
// title, and the periodic-review plan. field, when not "", is the readiness field to open
// the form at (assessment.FieldScope and the like).
func (s *Model) profileForm(field string) *common.Form {
	id := s.data.ID()
	snap := s.data.Snap
	a, p := snap.Assessment, snap.Profile
	org, title := a.Organization, a.Title
	entity, size := string(p.EntityType), p.Size
	if entity == "" {
		entity = string(assessment.EntityProvider)
	}
	chc, sponsor := p.ClearinghouseComponent, p.SponsorReceivesEPHI
	part2, medi, proposed := p.Part2Program, p.MedicareMedicaid, p.IncludeProposed
	depth, region := string(p.DepthOrDefault()), p.Region
	assessors := strings.Join(p.Assessors, ", ")
	start, end, scope := p.PeriodStart, p.PeriodEnd, p.Scope
	matrix := string(p.Matrix.OrDefault())
	cadence, next := snap.Review.Cadence, snap.Review.Next
	triggers := slices.Clone(snap.Review.Triggers)
	rated := 0
	for _, r := range snap.Risks {
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
	counts := s.data.DepthCounts()
	depths := make([]huh.Option[string], len(controls.Depths))
	for i, d := range controls.Depths {
		depths[i] = huh.NewOption(depthLabel(d)+" ("+assessment.Plural(counts[d], "item", "items")+")", string(d))
	}
	regions := []huh.Option[string]{huh.NewOption("No region: use the national likelihood of natural hazards", "")}
	for _, r := range s.data.Catalog.Regions {
		regions = append(regions, huh.NewOption(r.Title, r.ID))
	}
	cadences := append([]huh.Option[string]{huh.NewOption("Not decided yet", "")}, options(assessment.ReviewCadences)...)
	// Triggers the assessor wrote in their own words (through the CLI) stay selectable.
	trigOpts := options(assessment.ReviewTriggers)
	for _, t := range triggers {
		if assessment.ChoiceLabel(assessment.ReviewTriggers, t) == t {
			trigOpts = append(trigOpts, huh.NewOption(t, t))
		}
	}
	var at map[string]huh.Field // the fields a readiness item can open the form at

	build := func(f *common.Form) *huh.Form {
		lenient := f.Lenient
		assessorsIn := huh.NewInput().Title("Assessors").Description("Who carries out this analysis. Separate several names with commas.").
			Placeholder(example("Dana Whitfield, Marcus Oyelaran")).Value(&assessors).
			Validate(lenient(func(v string) error { _, err := common.Names("assessor name", v); return err }))
		startIn := huh.NewInput().Title("Period start").Description("First day this analysis covers, YYYY-MM-DD.").
			Placeholder("YYYY-MM-DD").CharLimit(10).Value(&start).Validate(lenient(common.Date("period start", false)))
		scopeIn := huh.NewText().Title("Scope statement").
			Description("What this analysis covers and leaves out: sites, systems, services, paper records. It opens the report's scope section. alt+enter adds a line.").
			Placeholder(example("All systems of the main clinic and the billing office that create, receive, keep or send ePHI; paper charts are out of scope.")).
			CharLimit(assessment.MaxTextLen).Lines(5).Value(&scope).Validate(lenient(common.Text("scope statement")))
		cadenceIn := huh.NewSelect[string]().Title("How often is the analysis reviewed?").
			Description("The rule sets no interval; it asks that the analysis stay accurate and current (§164.308(a)(1)(ii)(A)-(B), §164.316(b)(2)(iii)). Yearly is common practice.").
			Options(cadences...).Value(&cadence)
		at = map[string]huh.Field{assessment.FieldAssessors: assessorsIn, assessment.FieldPeriod: startIn,
			assessment.FieldScope: scopeIn, assessment.FieldReview: cadenceIn}
		return huh.NewForm(
			huh.NewGroup(
				huh.NewInput().Title("Organization").Description("The covered entity or business associate assessed, as it should read on every report page.").
					CharLimit(assessment.MaxNameLen).Value(&org).Validate(lenient(common.Name("organization name"))),
				huh.NewInput().Title("Title of the assessment").Description("How the report names this analysis.").
					CharLimit(assessment.MaxNameLen).Value(&title).Validate(lenient(common.Name("title"))),
			).Title("Organization"),
			huh.NewGroup(
				huh.NewSelect[string]().Title("Type of organization").
					Description("Covered entities are providers, health plans and clearinghouses; a business associate handles ePHI for one (§160.103). It decides which duties are asked.").
					Options(options(assessment.EntityTypes)...).Value(&entity),
				huh.NewSelect[string]().Title("Size").Description("Workforce members, staff and contractors together.").
					Options(sizes...).Value(&size),
			).Title("Organization"),
			huh.NewGroup(
				huh.NewConfirm().Title("Is a health care clearinghouse part of the organization?").
					Description("A clearinghouse inside a larger organization must be walled off from it (§164.308(a)(4)(ii)(A)); yes adds that question.").
					Value(&chc),
			).Title("Organization"),
			huh.NewGroup(
				huh.NewConfirm().Title("Does the plan sponsor receive ePHI?").
					Description("Beyond summary health information and enrollment data. If so, the plan documents must bind the sponsor to safeguard it (§164.314(b)).").
					Value(&sponsor),
			).Title("Group health plan").WithHideFunc(func() bool { return entity != string(assessment.EntityHealthPlan) }),
			huh.NewGroup(
				huh.NewConfirm().Title("Does it run a 42 CFR Part 2 program?").
					Description("A federally assisted substance use disorder program whose patient records 42 CFR Part 2 protects. Adds the Part 2 questions.").
					Value(&part2),
				huh.NewConfirm().Title("Does it bill Medicare or Medicaid?").
					Description("CMS programs such as MIPS Promoting Interoperability ask for a yearly security risk analysis.").
					Value(&medi),
				huh.NewConfirm().Title("Include the proposed-rule questions?").
					Description("Items from the HHS proposed rule of January 6, 2025 (90 FR 898, not final). Shown and answerable for planning; never counted toward compliance.").
					Value(&proposed),
			).Title("Programs"),
			huh.NewGroup(
				huh.NewSelect[string]().Title("Depth of the questionnaire").
					Description("How thoroughly the analysis asks. The counts are for this practice as set up now; they grow with assets.").
					Options(depths...).Value(&depth),
				huh.NewSelect[string]().Title("Region").
					Description("Where the practice's sites are: it sets how likely natural hazards (hurricane, flood, wildfire, earthquake) are rated by default.").
					Options(regions...).Height(min(len(regions)+2, 8)).Value(&region),
			).Title("Depth and region"),
			huh.NewGroup(assessorsIn, startIn,
				huh.NewInput().Title("Period end").Description("Last day it covers, YYYY-MM-DD, after the start.").
					Placeholder("YYYY-MM-DD").CharLimit(10).Value(&end).Validate(lenient(common.DateAfter("period end", &start, "period start"))),
			).Title("Assessors and period"),
			huh.NewGroup(scopeIn).Title("Scope"),
			huh.NewGroup(
				cadenceIn,
				huh.NewInput().Title("Next review").Description("The date of the next scheduled review, YYYY-MM-DD.").
					Placeholder("YYYY-MM-DD").CharLimit(10).Value(&next).Validate(lenient(common.Date("next review date", false))),
				huh.NewMultiSelect[string]().Title("What calls for an earlier review?").
					Description("Events after which the analysis is reviewed before its date. space selects.").
					Options(trigOpts...).Height(min(len(trigOpts)+2, 10)).Value(&triggers),
			).Title("Periodic review"),
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
		np := p
		np.EntityType, np.Size, np.Part2Program, np.MedicareMedicaid = assessment.EntityType(entity), size, part2, medi
		np.ClearinghouseComponent, np.SponsorReceivesEPHI = chc, sponsor && entity == string(assessment.EntityHealthPlan)
		np.Depth, np.Region = controls.Depth(depth), region
		if p.Depth == "" && np.Depth == p.DepthOrDefault() {
			np.Depth = "" // the preselected default was left alone: nothing was chosen
		}
		np.Assessors, np.PeriodStart, np.PeriodEnd = names, strings.TrimSpace(start), strings.TrimSpace(end)
		np.Scope, np.IncludeProposed, np.Matrix = strings.TrimSpace(scope), proposed, assessment.MatrixKind(matrix)
		u := store.ProfileUpdate{Profile: np}
		notice := profileSaved + "."
		if o := strings.TrimSpace(org); o != a.Organization {
			u.Organization = o
			notice = profileSaved + "; the organization is now " + o + "."
		}
		if t := strings.TrimSpace(title); t != a.Title {
			u.Title = t
		}
		plan := assessment.ReviewPlan{Cadence: cadence, Next: strings.TrimSpace(next), Triggers: triggers}
		planChanged := plan.Cadence != snap.Review.Cadence || plan.Next != snap.Review.Next || !slices.Equal(plan.Triggers, snap.Review.Triggers)
		ctx, st := s.e.Ctx, s.e.Store
		return common.Mutate(notice, func() error {
			// The plan is checked first, so a bad plan changes nothing.
			if err := assessment.CheckReviewPlan(plan); err != nil {
				return err
			}
			if err := st.UpdateProfile(ctx, id, u); err != nil {
				return err
			}
			if planChanged {
				if err := st.SaveReviewPlan(ctx, id, plan); err != nil {
					return err
				}
			}
			s.advance.Store(true)
			return nil
		})
	}
	f := s.newForm("Organization profile", build, submit)
	if field != "" {
		f.ResumeAt(func(x common.Field) bool { return at == nil || at[field] == nil || x == at[field] })
	}
	return f
}

// ---- vendor review and the "no vendors" statement ----

// reviewForm records the review of a vendor's BAA and assurance for this analysis, with
// the document reviewed as evidence if the user names one.
func (s *Model) reviewForm(v assessment.Vendor) *common.Form {
	id := s.data.ID()
	r, ok := s.reviewOf(v.ID)
	if !ok {
		r = assessment.VendorReview{VendorID: v.ID, Date: today()}
	}
	var path string
	build := func(f *common.Form) *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewInput().Title("Date of the review").Description("The day you reviewed the BAA and the vendor's attestation, YYYY-MM-DD.").
				Placeholder("YYYY-MM-DD").CharLimit(10).Value(&r.Date).Validate(f.Lenient(common.Date("review date", true))),
			huh.NewText().Title("What you concluded").
				Description("What was checked and found: BAA terms, the report's scope and exceptions, complementary controls you must run.").
				Placeholder(example("BAA current; HITRUST r2 covers the hosted EHR; no exceptions; we must manage user access.")).
				CharLimit(assessment.MaxTextLen).Lines(3).Value(&r.Note).Validate(f.Lenient(common.Text("review note"))),
			huh.NewInput().Title("Evidence file (optional)").
				Description("The BAA or report you reviewed, stored with its hash in the evidence vault and linked to this vendor.").
				Placeholder(example("~/Documents/baa-signed.pdf")).Value(&path),
		).Title("Review of " + v.Name))
	}
	submit := func() tea.Cmd {
		rev := r
		rev.Date, rev.Note = strings.TrimSpace(rev.Date), strings.TrimSpace(rev.Note)
		file := strings.TrimSpace(path)
		ctx, st := s.e.Ctx, s.e.Store
		notice := "Recorded the review of " + v.Name
		if file != "" {
			notice += " with its evidence"
		}
		return common.Mutate(notice+".", func() error {
			// The review is checked before the file is stored, so a refused review
			// leaves no evidence behind to be added twice.
			if err := assessment.CheckVendorReview(rev, time.Now()); err != nil {
				return err
			}
			if file != "" {
				if _, err := st.AddEvidenceFile(ctx, id, expandHome(file), store.EvidenceMeta{Description: "Reviewed for " + v.Name},
					[]assessment.EvidenceLink{{VendorID: v.ID}}, nil); err != nil {
					return err
				}
			}
			return st.SetVendorReview(ctx, id, rev)
		})
	}
	return s.newForm("Review of "+v.Name, build, submit)
}

// noVendorsForm records, changes or removes the statement that no outside party handles
// ePHI for the organization.
func (s *Model) noVendorsForm() *common.Form {
	id := s.data.ID()
	text := s.data.Snap.NoVendors
	build := func(f *common.Form) *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewText().Title("Statement that there are no vendors").
				Description("Say that no outside party creates, receives, keeps or sends ePHI for the practice, and how you know. Leave it empty to remove the statement.").
				Placeholder(example("We host every system on our own premises; no contractor, cloud service or billing company handles patient data.")).
				CharLimit(assessment.MaxTextLen).Lines(4).Value(&text).Validate(f.Lenient(common.Text("no-vendors statement"))),
		).Title("No vendors"))
	}
	submit := func() tea.Cmd {
		t := strings.TrimSpace(text)
		notice := "Recorded that no outside party handles ePHI."
		if t == "" {
			notice = "Removed the statement that there are no vendors."
		}
		ctx, st := s.e.Ctx, s.e.Store
		return common.Mutate(notice, func() error { return st.SetNoVendors(ctx, id, t) })
	}
	return s.newForm("No vendors", build, submit)
}

// ---- threats ----

// threatForm rules out a whole threat source with the reason.
func (s *Model) threatForm(src assessment.ThreatSourceView) *common.Form {
	id := s.data.ID()
	reason := src.RuledOut
	build := func(f *common.Form) *huh.Form {
		return huh.NewForm(huh.NewGroup(
			huh.NewText().Title("Why can " + strings.ToLower(src.Label) + " threats not reasonably affect the practice?").
				Description("An auditor reads this in place of a rated risk. " +
					"If a threat of this source is plausible, rate a risk from it under Risks instead.").
				Placeholder(example("The office sits outside flood and wildfire zones; the only servers are in a cloud region with geographic redundancy.")).
				CharLimit(assessment.MaxTextLen).Lines(4).Value(&reason).
				Validate(f.Lenient(common.Required("reason", "say why this source cannot reasonably affect the practice"))),
		).Title(src.Label))
	}
	submit := func() tea.Cmd {
		r := assessment.ThreatRuling{Source: src.Source, Reason: strings.TrimSpace(reason)}
		ctx, st := s.e.Ctx, s.e.Store
		s.follow = &followed{stepThreats, src.Source, src.Source}
		return common.Mutate("Ruled out "+strings.ToLower(src.Label)+" threats.", func() error { return st.SetThreatRuling(ctx, id, r) })
	}
	return s.newForm("Rule out a threat source", build, submit)
}

func (s *Model) clearRuling(src assessment.ThreatSourceView) tea.Cmd {
	if strings.TrimSpace(src.RuledOut) == "" {
		return common.Notice("This source is not ruled out; press e to rule it out with the reason.")
	}
	id := s.data.ID()
	ctx, st := s.e.Ctx, s.e.Store
	return common.Push(s.confirmDelete("Clear the ruling", "Clear the ruling on "+strings.ToLower(src.Label)+" threats?",
		"The source then needs a rated risk or a new ruling before sign-off. The audit trail keeps the history.",
		"the ruling", func() error { return st.ClearThreatRuling(ctx, id, src.Source) }))
}

// vendorDeleteDesc says what deleting a vendor does.
func vendorDeleteDesc(v assessment.Vendor, users []string) string {
	if len(users) > 0 {
		return fmt.Sprintf("It provides %s: choose another provider for %s first, or the deletion will be refused.",
			strings.Join(users, ", "), map[bool]string{true: "it", false: "them"}[len(users) == 1])
	}
	return "Its BAA, attestation details and review go too. The audit trail keeps the history."
}

// expandHome expands a leading ~/ to the home folder; it runs inside the save command.
func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	return p
}
