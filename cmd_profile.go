package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
)

// profileFlags are the settable fields of `safeguard profile`.
type profileFlags struct {
	org, title, entity, depth, region, scope, size, matrix string
	periodStart, periodEnd                                 string
	assessors                                              []string
	part2, medicare, proposed, clearinghouse, sponsor      bool
	asJSON                                                 bool
}

func newProfileCmd(g *globals) *cobra.Command {
	var f profileFlags
	cmd := &cobra.Command{
		Use:   "profile ID [--org NAME] [--depth D] ...",
		Short: "Print an assessment's organization profile, setting the fields given",
		Long: "Print the organization profile of an assessment. Every flag given changes that field first, in one " +
			"audited transaction; with no flags nothing is written.\n\n" +
			"  --entity-type   " + assessment.ChoiceValues(assessment.EntityTypes) + "\n" +
			"  --depth         essentials (the core every practice answers), standard, or complete (every question)\n" +
			"  --region        where the sites are, which sets natural-hazard likelihoods: " + regionIDs() + "\n" +
			"  --size          " + assessment.ChoiceValues(assessment.Sizes) + "\n" +
			"  --matrix        " + string(assessment.MatrixNIST5x5) + " or " + string(assessment.MatrixHHS3x3) + " (fixed once a risk is rated)\n\n" +
			"Yes/no fields take --flag or --flag=false. --assessor may be repeated and replaces the list. Dates are " +
			"YYYY-MM-DD. Bad input changes nothing and exits 2.",
		Example: "  safeguard profile 3f2a\n" +
			"  safeguard profile 3f2a --depth essentials --region northeast --entity-type provider\n" +
			"  safeguard profile 3f2a --org \"Maple Family Practice, PLLC\" --period-start 2026-01-01 --period-end 2026-12-31",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				if err := applyProfileFlags(ctx, cmd, s, id, &f); err != nil {
					return err
				}
				a, err := s.Assessment(ctx, id)
				if err != nil {
					return err
				}
				p, err := s.Profile(ctx, id)
				if err != nil {
					return err
				}
				if f.asJSON {
					return writeJSON(cmd.OutOrStdout(), profileJSON{Assessment: a, Profile: p, Depth: p.DepthOrDefault()})
				}
				printProfile(cmd.OutOrStdout(), a, p)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.org, "org", "", "organization name (renaming is audited)")
	fl.StringVar(&f.title, "title", "", "assessment title")
	fl.StringVar(&f.entity, "entity-type", "", "provider, health-plan, clearinghouse or business-associate")
	fl.StringVar(&f.depth, "depth", "", "essentials, standard or complete")
	fl.StringVar(&f.region, "region", "", "region id (see --help), or \"\" for national figures")
	fl.StringVar(&f.scope, "scope", "", "scope statement")
	fl.StringVar(&f.size, "size", "", "small, medium or large")
	fl.StringVar(&f.matrix, "matrix", "", "risk matrix: nist-5x5 or hhs-3x3")
	fl.StringVar(&f.periodStart, "period-start", "", "start of the assessment period (YYYY-MM-DD)")
	fl.StringVar(&f.periodEnd, "period-end", "", "end of the assessment period (YYYY-MM-DD)")
	fl.StringArrayVar(&f.assessors, "assessor", nil, "assessor name; repeat for several (replaces the list)")
	fl.BoolVar(&f.part2, "part2", false, "the organization runs a 42 CFR Part 2 program")
	fl.BoolVar(&f.medicare, "medicare-medicaid", false, "the organization takes Medicare or Medicaid")
	fl.BoolVar(&f.proposed, "include-proposed", false, "also ask the January 2025 proposed-rule questions (not law)")
	fl.BoolVar(&f.clearinghouse, "clearinghouse-component", false, "a health care clearinghouse is part of the organization (§164.308(a)(4)(ii)(A))")
	fl.BoolVar(&f.sponsor, "sponsor-receives-ephi", false, "group health plan: the sponsor receives ePHI beyond summary or enrollment data (§164.314(b))")
	fl.BoolVar(&f.asJSON, "json", false, "print JSON")
	return cmd
}

// applyProfileFlags writes the fields whose flags were given, all in one transaction.
func applyProfileFlags(ctx context.Context, cmd *cobra.Command, s *store.Store, id string, f *profileFlags) error {
	changed := func(name string) bool { return cmd.Flags().Changed(name) }
	set := cmd.Flags().NFlag()
	if changed("json") {
		set--
	}
	if set == 0 {
		return nil
	}
	if changed("org") && strings.TrimSpace(f.org) == "" {
		return fmt.Errorf("--org is empty; give the organization's name")
	}
	p, err := s.Profile(ctx, id)
	if err != nil {
		return err
	}
	strs := []struct {
		flag string
		dst  *string
		v    string
	}{
		{"size", &p.Size, f.size}, {"scope", &p.Scope, f.scope}, {"period-start", &p.PeriodStart, f.periodStart},
		{"period-end", &p.PeriodEnd, f.periodEnd}, {"region", &p.Region, f.region},
	}
	for _, x := range strs {
		if changed(x.flag) {
			*x.dst = x.v
		}
	}
	bools := []struct {
		flag string
		dst  *bool
		v    bool
	}{
		{"part2", &p.Part2Program, f.part2}, {"medicare-medicaid", &p.MedicareMedicaid, f.medicare},
		{"include-proposed", &p.IncludeProposed, f.proposed}, {"clearinghouse-component", &p.ClearinghouseComponent, f.clearinghouse},
		{"sponsor-receives-ephi", &p.SponsorReceivesEPHI, f.sponsor},
	}
	for _, x := range bools {
		if changed(x.flag) {
			*x.dst = x.v
		}
	}
	if changed("entity-type") {
		p.EntityType = assessment.EntityType(f.entity)
	}
	if changed("depth") {
		p.Depth = controls.Depth(f.depth)
		if p.Depth.Rank() == 0 {
			return fmt.Errorf("depth %q is not one of essentials, standard or complete", f.depth)
		}
	}
	if changed("matrix") {
		p.Matrix = assessment.MatrixKind(f.matrix)
	}
	if changed("assessor") {
		p.Assessors = f.assessors
	}
	u := store.ProfileUpdate{Profile: p}
	if changed("org") {
		u.Organization = f.org
	}
	if changed("title") {
		if strings.TrimSpace(f.title) == "" {
			return fmt.Errorf("--title is empty; give the assessment's title")
		}
		u.Title = f.title
	}
	return s.UpdateProfile(ctx, id, u)
}

// profileJSON is what `profile --json` prints.
type profileJSON struct {
	Assessment assessment.Assessment `json:"assessment"`
	Profile    assessment.Profile    `json:"profile"`
	// Depth is the depth in effect (complete when the profile names none).
	Depth controls.Depth `json:"depth_in_effect"`
}

func printProfile(w io.Writer, a assessment.Assessment, p assessment.Profile) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	yes := map[bool]string{true: "yes", false: "no"}
	orNone := func(s string) string {
		if s == "" {
			return "not recorded"
		}
		return s
	}
	region := "national figures (no region recorded)"
	if p.Region != "" {
		region = p.Region
		if r, ok := controls.MustDefault().Region(p.Region); ok {
			region = r.Title + " (" + r.ID + ")"
		}
	}
	depth := string(p.DepthOrDefault())
	if p.Depth == "" {
		depth += " (no depth chosen)"
	}
	rows := [][2]string{
		{"Assessment", a.Title + " (" + a.ID + ")"},
		{"Organization", a.Organization},
		{"Status", a.Status.Label()},
		{"Entity type", assessment.ChoiceLabel(assessment.EntityTypes, string(p.EntityType))},
		{"Clearinghouse component", yes[p.ClearinghouseComponent]},
		{"Sponsor receives ePHI", yes[p.SponsorReceivesEPHI]},
		{"Size", orNone(assessment.ChoiceLabel(assessment.Sizes, p.Size))},
		{"Depth", depth},
		{"Region", region},
		{"42 CFR Part 2 program", yes[p.Part2Program]},
		{"Medicare or Medicaid", yes[p.MedicareMedicaid]},
		{"Proposed-rule questions", yes[p.IncludeProposed]},
		{"Risk matrix", string(p.Matrix.OrDefault())},
		{"Period", period(p)},
		{"Assessors", orNone(strings.Join(p.Assessors, ", "))},
		{"Scope", orNone(p.Scope)},
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s:\t%s\n", r[0], r[1])
	}
	tw.Flush()
}

func period(p assessment.Profile) string {
	if p.PeriodStart == "" && p.PeriodEnd == "" {
		return "not recorded"
	}
	orOpen := func(s string) string {
		if s == "" {
			return "(open)"
		}
		return s
	}
	return orOpen(p.PeriodStart) + " to " + orOpen(p.PeriodEnd)
}

func regionIDs() string {
	cat, err := controls.Default()
	if err != nil {
		return "(catalog unavailable)"
	}
	ids := make([]string, len(cat.Regions))
	for i, r := range cat.Regions {
		ids[i] = r.ID
	}
	return strings.Join(ids, ", ")
}
