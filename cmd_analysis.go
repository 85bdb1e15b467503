package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/store"
)

// The commands that record how the analysis was done and print what it derives: readiness,
// the method record (data collection, assumptions and limitations), the periodic-review
// plan, the "no vendors" statement, vendor reviews, the risk register, gap-to-risk
// traceability, threat sources ruled out, and re-validating carried answers.

// analyze loads an assessment and derives its analysis as of now.
func analyze(ctx context.Context, s *store.Store, id string) (*assessment.Analysis, error) {
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		return nil, err
	}
	snap.GeneratedAt = time.Now()
	return assessment.Analyze(snap), nil
}

// printReadiness writes the grouped readiness list: each group's heading with its count,
// then every item, with the question's text under an answer's item.
func printReadiness(w io.Writer, sum assessment.Summary) {
	groups := sum.ReadinessGroups()
	if len(groups) == 0 {
		fmt.Fprintln(w, "Nothing blocks sign-off.")
		return
	}
	fmt.Fprintf(w, "%s sign-off:\n", assessment.Plural(len(sum.Readiness), "item blocks", "items block"))
	for _, g := range groups {
		fmt.Fprintf(w, "\n%s (%s)\n", g.Title, assessment.FormatInt(len(g.Items)))
		for _, it := range g.Items {
			fmt.Fprintf(w, "  - %s\n", assessment.SafeLine(it.Text))
			if it.QuestionText != "" {
				fmt.Fprintf(w, "      %s\n", assessment.SafeLine(it.QuestionText))
			}
		}
	}
	if len(sum.Warnings) > 0 {
		fmt.Fprintf(w, "\nWarnings (%d, not blocking)\n", len(sum.Warnings))
		for _, it := range sum.Warnings {
			fmt.Fprintf(w, "  - %s\n", assessment.SafeLine(it.Text))
		}
	}
}

// readinessJSON is the machine form of the readiness list.
type readinessJSON struct {
	Ready    bool                        `json:"ready"`
	Count    int                         `json:"count"`
	Groups   []assessment.ReadinessGroup `json:"groups"`
	Warnings []assessment.ReadinessItem  `json:"warnings"`
}

func newReadinessCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "readiness ID",
		Short: "List everything that blocks sign-off, grouped by kind",
		Long: "List what must be resolved before the assessment can be finalized: the scope, period, assessors, " +
			"inventory and vendor reviews; every unanswered, flagged or carried-over answer; addressable decisions that " +
			"contradict their status (§164.306(d)(3)); gaps traced to no risk; proposed, unrated, untreated or " +
			"unaccepted risks; threat sources not considered; and the periodic-review plan.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := analyze(ctx, s, id)
				if err != nil {
					return err
				}
				if asJSON {
					groups := a.Summary.ReadinessGroups()
					if groups == nil {
						groups = []assessment.ReadinessGroup{}
					}
					warnings := a.Summary.Warnings
					if warnings == nil {
						warnings = []assessment.ReadinessItem{}
					}
					return writeJSON(cmd.OutOrStdout(), readinessJSON{Ready: a.Summary.Ready(), Count: len(a.Summary.Readiness), Groups: groups, Warnings: warnings})
				}
				printReadiness(cmd.OutOrStdout(), a.Summary)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of text")
	return cmd
}

func newMethodCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "method",
		Short: "Record how the analysis collected its data: interviews, documents, walkthroughs, tests, assumptions, limitations",
		Long: "The method record shows an auditor how the analysis was done (NIST SP 800-30 Rev. 1, Appendix K): who was " +
			"interviewed, which documents were read, which sites were walked through, which technical tests were run, " +
			"and what was assumed or could not be checked.",
	}
	cmd.AddCommand(newMethodAddCmd(g), newMethodListCmd(g), newMethodRemoveCmd(g))
	return cmd
}

func newMethodAddCmd(g *globals) *cobra.Command {
	var e assessment.MethodEntry
	cmd := &cobra.Command{
		Use:   "add ID interview|document|walkthrough|test|assumption|limitation [flags]",
		Short: "Add a method record",
		Long: "Add one record of how the analysis was done:\n\n" +
			"  interview    --who NAME --role ROLE --date D [--text TOPICS]\n" +
			"  document     --title TITLE [--date D] [--text NOTES]\n" +
			"  walkthrough  --where PLACE --date D [--text NOTES]\n" +
			"  test         --kind scan|config-review|penetration-test|restore-test|phishing-test|other --tool TOOL --scope WHAT --date D [--text FINDINGS]\n" +
			"  assumption   --text TEXT\n" +
			"  limitation   --text TEXT\n\n" +
			"Dates are YYYY-MM-DD and may not be after today.",
		Example: "  safeguard method add 3f2a interview --who \"Dana Whitfield\" --role \"Practice manager\" --date 2026-11-12\n" +
			"  safeguard method add 3f2a test --kind scan --tool \"OpenVAS 23\" --scope \"Clinic network 10.0.0.0/24\" --date 2026-11-20\n" +
			"  safeguard method add 3f2a limitation --text \"The EHR vendor's data center was not visited; its HITRUST r2 report was relied on.\"",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			e.Kind = args[1]
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				eid, err := s.AddMethodEntry(ctx, id, e)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), eid)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&e.Who, "who", "", "interview: the person interviewed")
	f.StringVar(&e.Role, "role", "", "interview: their role")
	f.StringVar(&e.Title, "title", "", "document: its title")
	f.StringVar(&e.Where, "where", "", "walkthrough: the site or room")
	f.StringVar(&e.TestKind, "kind", "", "test: scan, config-review, penetration-test, restore-test, phishing-test or other")
	f.StringVar(&e.Tool, "tool", "", "test: the tool or method used")
	f.StringVar(&e.Scope, "scope", "", "test: what it covered")
	f.StringVar(&e.Date, "date", "", "when (YYYY-MM-DD)")
	f.StringVar(&e.Text, "text", "", "topics, findings, or the assumption or limitation itself")
	return cmd
}

func newMethodListCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list ID",
		Short: "List the method records",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := analyze(ctx, s, id)
				if err != nil {
					return err
				}
				entries := a.Method.Entries
				if asJSON {
					if entries == nil {
						entries = []assessment.MethodEntry{}
					}
					return writeJSON(cmd.OutOrStdout(), entries)
				}
				return printMethod(cmd.OutOrStdout(), a.Method)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func printMethod(w io.Writer, m assessment.MethodView) error {
	if len(m.Entries) == 0 {
		fmt.Fprintln(w, "No method records yet: the analysis rests on the questionnaire answers alone. Add interviews, documents, walkthroughs and tests with `safeguard method add`.")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tDATE\tWHAT")
	for _, e := range m.Entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", short(e.ID), e.Kind, orDash(e.Date), methodWhat(e))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if !m.Observed {
		fmt.Fprintln(w, "\nNo walkthrough or technical test is recorded: the answers are self-reported.")
	}
	return nil
}

// methodWhat is a method record in one line.
func methodWhat(e assessment.MethodEntry) string {
	var s string
	switch e.Kind {
	case assessment.MethodInterview:
		s = e.Who + ", " + e.Role
	case assessment.MethodDocument:
		s = e.Title
	case assessment.MethodWalkthrough:
		s = e.Where
	case assessment.MethodTest:
		s = assessment.ChoiceLabel(assessment.TestKinds, e.TestKind) + " with " + e.Tool + " of " + e.Scope
	}
	if e.Text != "" {
		if s != "" {
			s += ": "
		}
		s += e.Text
	}
	return s
}

func short(id string) string { return id[:min(8, len(id))] }

func newMethodRemoveCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "remove ID ENTRY",
		Short: "Remove a method record (ENTRY is its ID or the first characters of it, as listed)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				if err := s.DeleteMethodEntry(ctx, id, args[1]); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), "Removed.")
				return nil
			})
		},
	}
}

func newReviewCmd(g *globals) *cobra.Command {
	var cadence, next string
	var triggers []string
	var clearTriggers bool
	cmd := &cobra.Command{
		Use:   "review ID [--cadence C] [--next D] [--trigger T]...",
		Short: "Print and set the periodic-review plan: cadence, next review date, update triggers",
		Long: "The plan says how the analysis is kept current (HHS's ninth element of a risk analysis). --cadence is one of " +
			assessment.ChoiceValues(assessment.ReviewCadences) + ". --trigger adds an event that calls for an earlier review: one of " +
			assessment.ChoiceValues(assessment.ReviewTriggers) + ", or your own words; repeat it for several, and use --clear-triggers " +
			"to start the list again. With no flags the plan is printed.",
		Example: "  safeguard review 3f2a --cadence annual --next 2027-11-30 --trigger new-system --trigger security-incident",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				snap, err := s.Snapshot(ctx, id)
				if err != nil {
					return err
				}
				plan := snap.Review
				changed := false
				if cmd.Flags().Changed("cadence") {
					plan.Cadence, changed = cadence, true
				}
				if cmd.Flags().Changed("next") {
					plan.Next, changed = next, true
				}
				if clearTriggers {
					plan.Triggers, changed = nil, true
				}
				for _, t := range triggers {
					if !slices.Contains(plan.Triggers, t) {
						plan.Triggers = append(plan.Triggers, t)
					}
					changed = true
				}
				if changed {
					if err := s.SaveReviewPlan(ctx, id, plan); err != nil {
						return err
					}
				}
				w := cmd.OutOrStdout()
				fmt.Fprintf(w, "Cadence: %s\n", assessment.LabelOr(assessment.ReviewCadences, plan.Cadence, "not set"))
				fmt.Fprintf(w, "Next review: %s\n", orNotSet(assessment.DocDay(plan.Next)))
				if len(plan.Triggers) == 0 {
					fmt.Fprintln(w, "Update triggers: not set")
				} else {
					fmt.Fprintln(w, "Update triggers:")
					for _, t := range plan.Triggers {
						fmt.Fprintf(w, "  - %s\n", assessment.TriggerLabel(t))
					}
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&cadence, "cadence", "", "how often the analysis is reviewed: "+assessment.ChoiceValues(assessment.ReviewCadences))
	cmd.Flags().StringVar(&next, "next", "", "next review date (YYYY-MM-DD)")
	cmd.Flags().StringArrayVar(&triggers, "trigger", nil, "an event that calls for an earlier review (repeatable)")
	cmd.Flags().BoolVar(&clearTriggers, "clear-triggers", false, "remove every trigger before adding the ones given")
	return cmd
}

func orNotSet(s string) string {
	if s == "" {
		return "not set"
	}
	return s
}

func newNoVendorsCmd(g *globals) *cobra.Command {
	var statement string
	var clear bool
	cmd := &cobra.Command{
		Use:   "no-vendors ID --statement TEXT | --clear",
		Short: "State that no outside party creates, receives, keeps or sends ePHI (the explicit \"no vendors\")",
		Long: "An analysis with no vendors recorded cannot be finalized until it states, in the assessor's words, that no " +
			"business associate or cloud provider handles ePHI for the organization. The statement is refused while " +
			"vendors are recorded.",
		Example: "  safeguard no-vendors 3f2a --statement \"Charts are on paper and the one PC holds no patient data; no outside party handles ePHI.\"",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if clear == (statement != "") {
				return fmt.Errorf("give either --statement TEXT or --clear")
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				if err := s.SetNoVendors(ctx, id, statement); err != nil {
					return err
				}
				if clear {
					fmt.Fprintln(cmd.OutOrStdout(), "Cleared the no-vendors statement.")
				} else {
					fmt.Fprintln(cmd.OutOrStdout(), "Recorded that no outside party handles ePHI.")
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&statement, "statement", "", "why no outside party handles ePHI")
	cmd.Flags().BoolVar(&clear, "clear", false, "remove the statement")
	return cmd
}

func newVendorReviewCmd(g *globals) *cobra.Command {
	var r assessment.VendorReview
	cmd := &cobra.Command{
		Use:     "vendor-review ID VENDOR --date D [--note TEXT]",
		Short:   "Record that a vendor's BAA and assurance were reviewed for this analysis",
		Long:    "Every vendor must be reviewed before sign-off: its BAA (signed, with the terms §164.314(a)(2)(i) requires) and its assurance (HITRUST, ISO 27001, SOC 2). VENDOR is its ID or name.",
		Example: "  safeguard vendor-review 3f2a \"Meridian Chart Cloud, Inc.\" --date 2026-11-14 --note \"BAA and HITRUST r2 letter read; scope covers the EHR.\"",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				snap, err := s.Snapshot(ctx, id)
				if err != nil {
					return err
				}
				if r.VendorID, err = resolveVendor(snap, args[1]); err != nil {
					return err
				}
				if err := s.SetVendorReview(ctx, id, r); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), "Recorded the vendor review.")
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&r.Date, "date", "", "when the review was done (YYYY-MM-DD, required)")
	cmd.Flags().StringVar(&r.Note, "note", "", "what was reviewed and concluded")
	return cmd
}

func newRevalidateCmd(g *globals) *cobra.Command {
	var asset string
	cmd := &cobra.Command{
		Use:   "revalidate ID QUESTION [--asset A]",
		Short: "Confirm an answer carried from the last revision as it stands",
		Long:  "A revision carries every answer forward marked to re-validate; such answers count as open until confirmed. This confirms one unchanged (it must pass today's consistency rules); to change it, answer it again.",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				assetID, err := assetRef(ctx, s, id, asset)
				if err != nil {
					return err
				}
				if err := s.RevalidateResponse(ctx, id, args[1], assetID); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Re-validated %s.\n", args[1])
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&asset, "asset", "", "asset ID or name, for questions asked per asset")
	return cmd
}

// assetRef resolves an optional asset reference within an assessment.
func assetRef(ctx context.Context, s *store.Store, id, ref string) (string, error) {
	if ref == "" {
		return "", nil
	}
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		return "", err
	}
	return resolveAsset(snap, ref)
}

func newGapsCmd(g *globals) *cobra.Command {
	var asJSON, open bool
	cmd := &cobra.Command{
		Use:   "gaps ID [--open] [--json]",
		Short: "List every gap with the risks it leads to, or the reason none follows (traceability)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := analyze(ctx, s, id)
				if err != nil {
					return err
				}
				rows := gapRows(a, open)
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), rows)
				}
				if len(rows) == 0 {
					fmt.Fprintln(cmd.OutOrStdout(), "No gaps to trace.")
					return nil
				}
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "QUESTION\tASSET\tSTATUS\tRISKS\tPROPOSED\tREASON NO RISK FOLLOWS")
				for _, r := range rows {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Question, orDash(r.AssetName), r.Status,
						orDash(strings.Join(r.Risks, " ")), orDash(strings.Join(r.Proposed, " ")), orDash(r.Reason))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	cmd.Flags().BoolVar(&open, "open", false, "only the gaps not yet traced")
	return cmd
}

// gapRow is one row of `gaps`.
type gapRow struct {
	Question  string   `json:"question"`
	Asset     string   `json:"asset"`
	AssetName string   `json:"asset_name"`
	Status    string   `json:"status"`
	Risks     []string `json:"risks"`    // register references of confirmed risks
	Proposed  []string `json:"proposed"` // register references of proposals
	Reason    string   `json:"reason"`
	Traced    bool     `json:"traced"`
}

func gapRows(a *assessment.Analysis, onlyOpen bool) []gapRow {
	out := []gapRow{}
	for _, gt := range a.Gaps {
		if onlyOpen && gt.Traced() {
			continue
		}
		it := a.Items[gt.Item]
		r := gapRow{Question: it.Question.ID, Status: string(it.Status), Reason: gt.Reason, Traced: gt.Traced(),
			Risks: []string{}, Proposed: []string{}}
		if it.Asset != nil {
			r.Asset, r.AssetName = it.Asset.ID, it.Asset.Name
		}
		for _, i := range gt.Risks {
			r.Risks = append(r.Risks, a.Risks[i].Ref)
		}
		for _, i := range gt.Proposed {
			r.Proposed = append(r.Proposed, a.Risks[i].Ref)
		}
		out = append(out, r)
	}
	return out
}

func newNoRiskCmd(g *globals) *cobra.Command {
	var asset, reason string
	var clear bool
	cmd := &cobra.Command{
		Use:     "no-risk ID QUESTION --reason TEXT",
		Short:   "Record why a gap leads to no risk (the other half of gap-to-risk traceability)",
		Long:    "Every gap (partial or not implemented) must lead to a confirmed risk or carry the reason none follows, such as another control that protects the same ePHI. The reason is printed in the traceability table.",
		Example: "  safeguard no-risk 3f2a 308a5iia-rem-03 --reason \"Phishing is covered by R7; this gap adds no separate exposure.\"",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if clear == (reason != "") {
				return fmt.Errorf("give either --reason TEXT or --clear")
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				assetID, err := assetRef(ctx, s, id, asset)
				if err != nil {
					return err
				}
				if clear {
					err = s.ClearNoRiskReason(ctx, id, args[1], assetID)
				} else {
					err = s.SetNoRiskReason(ctx, id, assessment.NoRiskReason{QuestionID: args[1], AssetID: assetID, Reason: reason})
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Saved for %s.\n", args[1])
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&asset, "asset", "", "asset ID or name, for questions asked per asset")
	cmd.Flags().StringVar(&reason, "reason", "", "why no risk follows from the gap")
	cmd.Flags().BoolVar(&clear, "clear", false, "remove the recorded reason")
	return cmd
}

func newThreatsCmd(g *globals) *cobra.Command {
	var asJSON bool
	var ruleOut, reason, clearKey string
	cmd := &cobra.Command{
		Use:   "threats ID [--rule-out S --reason TEXT]",
		Short: "List the threat sources and threats considered: which were rated and which ruled out",
		Long: "Every threat source (" + assessment.ChoiceValues(assessment.ThreatSources) + ") must be considered before sign-off: " +
			"a risk from it rated, or the whole source ruled out with the reason. --rule-out takes a source or a threat " +
			"ID from the list; --clear removes a ruling.",
		Example: "  safeguard threats 3f2a --rule-out natural --reason \"No flood, wildfire or hurricane exposure at either site; servers are in the cloud.\"",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (ruleOut != "") != (reason != "") {
				return fmt.Errorf("--rule-out and --reason go together: name what is ruled out and why")
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				switch {
				case ruleOut != "":
					r := assessment.ThreatRuling{Reason: reason}
					if isSource(ruleOut) {
						r.Source = ruleOut
					} else {
						r.ThreatID = ruleOut
					}
					if err := s.SetThreatRuling(ctx, id, r); err != nil {
						return err
					}
				case clearKey != "":
					if err := s.ClearThreatRuling(ctx, id, clearKey); err != nil {
						return err
					}
				}
				a, err := analyze(ctx, s, id)
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), threatRows(a))
				}
				printThreats(cmd.OutOrStdout(), a)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of text")
	cmd.Flags().StringVar(&ruleOut, "rule-out", "", "a threat source or threat ID to rule out")
	cmd.Flags().StringVar(&reason, "reason", "", "why it cannot reasonably affect the organization")
	cmd.Flags().StringVar(&clearKey, "clear", "", "a source or threat ID whose ruling to remove")
	return cmd
}

func isSource(s string) bool {
	for _, c := range assessment.ThreatSources {
		if c.Value == s {
			return true
		}
	}
	return false
}

// threatRow is a source in `threats --json`.
type threatRow struct {
	Source     string         `json:"source"`
	Label      string         `json:"label"`
	Considered bool           `json:"considered"`
	RuledOut   string         `json:"ruled_out,omitempty"`
	Threats    []threatDetail `json:"threats"`
}

type threatDetail struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Rated    []string `json:"rated"`
	Proposed int      `json:"proposed"`
	RuledOut string   `json:"ruled_out,omitempty"`
}

func threatRows(a *assessment.Analysis) []threatRow {
	out := []threatRow{}
	for _, src := range a.ThreatSources {
		r := threatRow{Source: src.Source, Label: src.Label, Considered: src.Considered(), RuledOut: src.RuledOut, Threats: []threatDetail{}}
		for _, t := range src.Threats {
			d := threatDetail{ID: t.Threat.ID, Title: t.Threat.Title, Rated: []string{}, Proposed: t.Proposed, RuledOut: t.RuledOut}
			for _, i := range t.Rated {
				d.Rated = append(d.Rated, a.Risks[i].Ref)
			}
			r.Threats = append(r.Threats, d)
		}
		out = append(out, r)
	}
	return out
}

func printThreats(w io.Writer, a *assessment.Analysis) {
	for _, src := range a.ThreatSources {
		state := "NOT CONSIDERED"
		switch {
		case src.RuledOut != "":
			state = "ruled out: " + src.RuledOut
		case src.Considered():
			state = fmt.Sprintf("%d of %d threats rated", src.RatedCount(), len(src.Threats))
		}
		fmt.Fprintf(w, "%s (%s) — %s\n", src.Label, src.Source, state)
		for _, t := range src.Threats {
			var refs []string
			for _, i := range t.Rated {
				refs = append(refs, a.Risks[i].Ref)
			}
			mark := "  "
			switch {
			case len(refs) > 0:
				mark = "rated " + strings.Join(refs, " ")
			case t.RuledOut != "":
				mark = "ruled out: " + t.RuledOut
			case t.Proposed > 0:
				mark = fmt.Sprintf("%d proposed", t.Proposed)
			default:
				mark = "-"
			}
			fmt.Fprintf(w, "  %-32s %s — %s\n", t.Threat.ID, t.Threat.Title, mark)
		}
	}
}
