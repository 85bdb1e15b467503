package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/store"
)

// newRiskSettleCmd is `risk confirm` (also spelled `risk accept`) or `risk dismiss`: settle
// many risk proposals at once, in one transaction with one audit entry per risk.
func newRiskSettleCmd(g *globals, dismiss bool) *cobra.Command {
	var all bool
	var reason string
	use, short := "confirm ID [RISK...] [--all]", "Confirm risk proposals in bulk: each becomes an open risk, rated with the threat library's hints it was proposed with"
	if dismiss {
		use, short = "dismiss ID --reason TEXT [RISK...] [--all]", "Dismiss risk proposals in bulk, with one reason for the batch"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long: short + ". RISK is a register reference (R12) as `safeguard risk list` prints it, a risk ID or a " +
			"unique start of one (four characters or more); --all takes every proposal. The batch is one transaction " +
			"with one audit entry per risk, and a RISK that is not a proposal refuses the whole batch.",
		Example: "  safeguard risk confirm 3f2a R14 R15\n" +
			"  safeguard risk dismiss 3f2a --all --reason \"Covered by the EHR vendor's HITRUST r2 assessment\"",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) > 1) {
				return fmt.Errorf("name the risks to settle or give --all, not both and not neither")
			}
			if dismiss && strings.TrimSpace(reason) == "" {
				return fmt.Errorf("dismissing needs one reason for the batch; give --reason TEXT")
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := analyze(ctx, s, id)
				if err != nil {
					return err
				}
				ids, err := pickProposals(a, args[1:], all)
				if err != nil {
					return err
				}
				var n int
				verb := "Confirmed"
				if dismiss {
					verb = "Dismissed"
					n, err = s.DismissProposals(ctx, id, ids, reason)
				} else {
					n, err = s.AcceptProposals(ctx, id, ids)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s.\n", verb, assessment.Plural(n, "proposal", "proposals"))
				return nil
			})
		},
	}
	if !dismiss {
		cmd.Aliases = []string{"accept"}
	}
	cmd.Flags().BoolVar(&all, "all", false, "every proposal of the assessment")
	if dismiss {
		cmd.Flags().StringVar(&reason, "reason", "", "why these proposals do not apply (recorded on each)")
	}
	return cmd
}

// pickProposals resolves risk references as `risk edit` does; --all takes every proposal.
func pickProposals(a *assessment.Analysis, refs []string, all bool) ([]string, error) {
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
		r, err := resolveRisk(a, ref)
		if err != nil {
			return nil, err
		}
		ids = append(ids, r.ID)
	}
	return ids, nil
}
