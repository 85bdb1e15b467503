package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/store"
)

func newRisksCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "risks",
		Short: "List the risk register, and accept or dismiss risk proposals in bulk",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newRisksListCmd(g), newRisksSettleCmd(g, false), newRisksSettleCmd(g, true))
	return cmd
}

func newRisksListCmd(g *globals) *cobra.Command {
	var proposed, asJSON bool
	cmd := &cobra.Command{
		Use:   "list ID [--proposed] [--json]",
		Short: "List the risk register, worst first (R1, R2, …); proposals follow the confirmed risks",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := analysisNow(ctx, s, id)
				if err != nil {
					return err
				}
				rows := riskRows(a, proposed)
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), rows)
				}
				printRisks(cmd.OutOrStdout(), a, rows)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&proposed, "proposed", false, "only the proposals not yet accepted or dismissed")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// riskRow is a register entry as `risks list` prints it.
type riskRow struct {
	Ref   string `json:"ref"`
	Level string `json:"level"`
	assessment.Risk
}

func riskRows(a *assessment.Analysis, onlyProposed bool) []riskRow {
	rows := []riskRow{}
	for _, r := range a.Risks {
		if onlyProposed && r.Status != assessment.RiskProposed {
			continue
		}
		level := ""
		if r.Rated() {
			level = a.Matrix.Label(r.Level)
		}
		rows = append(rows, riskRow{Ref: r.Ref, Level: level, Risk: *r.Risk})
	}
	return rows
}

func printRisks(w io.Writer, a *assessment.Analysis, rows []riskRow) {
	if len(rows) == 0 {
		fmt.Fprintln(w, "No risks in the register. Gaps (not or partly implemented answers) propose them.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REF\tID\tSTATUS\tLEVEL\tASSET\tGAPS\tTITLE")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.Ref, r.ID, r.Status.Label(), orDash(r.Level),
			a.AssetName(r.AssetID), len(r.QuestionIDs), r.Title)
	}
	tw.Flush()
	sum := a.Summary
	fmt.Fprintf(w, "\n%s rated, %s proposed (not counted until accepted), %s dismissed.\n",
		assessment.FormatInt(sum.Rated()), assessment.FormatInt(sum.ProposedRisks), assessment.FormatInt(sum.DismissedRisks))
}

func newRisksSettleCmd(g *globals, dismiss bool) *cobra.Command {
	var all bool
	var reason string
	use, short := "accept ID [RISK...] [--all]", "Accept risk proposals: each becomes an open risk rated with its proposed hints"
	if dismiss {
		use, short = "dismiss ID --reason TEXT [RISK...] [--all]", "Dismiss risk proposals with one reason for the batch"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long: short + ". RISK is a risk ID, an unambiguous start of one, or its register reference (R12) as " +
			"`safeguard risks list` prints it; --all takes every proposal. The batch is one transaction with one audit " +
			"entry per risk: a RISK that is not a proposal changes nothing.",
		Example: "  safeguard risks accept 3f2a R14 R15\n  safeguard risks dismiss 3f2a --all --reason \"Covered by the vendor's HITRUST r2 review\"",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) > 1) {
				return fmt.Errorf("name the risks to settle or give --all, not both and not neither")
			}
			if dismiss && strings.TrimSpace(reason) == "" {
				return fmt.Errorf("dismissing needs a reason for the batch; give --reason TEXT")
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := analysisNow(ctx, s, id)
				if err != nil {
					return err
				}
				ids, err := pickRisks(a, args[1:], all)
				if err != nil {
					return err
				}
				var n int
				if dismiss {
					n, err = s.DismissProposals(ctx, id, ids, reason)
				} else {
					n, err = s.AcceptProposals(ctx, id, ids)
				}
				if err != nil {
					return err
				}
				verb := "Accepted"
				if dismiss {
					verb = "Dismissed"
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s.\n", verb, assessment.Plural(n, "proposal", "proposals"))
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "every proposal of the assessment")
	if dismiss {
		cmd.Flags().StringVar(&reason, "reason", "", "why these proposals do not apply (recorded on each)")
	}
	return cmd
}

// pickRisks resolves risk references: a full ID, a unique ID prefix of at least four
// characters, or a register reference such as R12. --all takes every proposal.
func pickRisks(a *assessment.Analysis, refs []string, all bool) ([]string, error) {
	var ids []string
	if all {
		for _, r := range a.Risks {
			if r.Status == assessment.RiskProposed {
				ids = append(ids, r.ID)
			}
		}
		if len(ids) == 0 {
			return nil, fmt.Errorf("the assessment has no risk proposals to settle")
		}
		return ids, nil
	}
	for _, ref := range refs {
		var match []string
		for _, r := range a.Risks {
			if r.ID == ref || strings.EqualFold(r.Ref, ref) || (len(ref) >= 4 && strings.HasPrefix(r.ID, ref)) {
				match = append(match, r.ID)
			}
		}
		switch len(match) {
		case 0:
			return nil, fmt.Errorf("no risk matches %q; see `safeguard risks list`", ref)
		case 1:
			ids = append(ids, match[0])
		default:
			return nil, fmt.Errorf("%q matches %d risks; give more of the ID", ref, len(match))
		}
	}
	return ids, nil
}
