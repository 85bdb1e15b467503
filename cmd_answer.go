package main

import (
	"context"
	"fmt"
	"safeguard/assessment"
	"safeguard/store"

	"github.com/spf13/cobra"
)

func newAnswerCmd(g *globals) *cobra.Command {
	var asset, note, reason, decision, rationale string
	cmd := &cobra.Command{
		Use:   "answer ID QUESTION STATUS",
		Short: "Record the answer to one question",
		Long: "Record the answer to one catalog question. STATUS is implemented, partial, not-implemented, " +
			"not-applicable (needs --reason) or flagged. Questions asked per asset need --asset (its ID or name). " +
			"For addressable specifications, --decision as-specified|alternative|not-reasonable records the " +
			"§164.306(d)(3) decision; alternative and not-reasonable need --rationale.",
		Example: "  safeguard answer 3f2a 308a1iia-ra-01 implemented --note \"Inventory reviewed in March\"\n" +
			"  safeguard answer 3f2a 312a2iv-enc-01 not-implemented --asset \"PACS imaging server\" --decision not-reasonable --rationale \"...\"",
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				var assetID string
				if asset != "" {
					snap, err := s.Snapshot(ctx, id)
					if err != nil {
						return err
					}
					if assetID, err = resolveAsset(snap, asset); err != nil {
						return err
					}
				}
				r := assessment.Response{QuestionID: args[1], AssetID: assetID, Status: assessment.ResponseStatus(args[2]),
					Reason: reason, Decision: assessment.Decision(decision), DecisionText: rationale, Note: note}
				res, err := s.SaveResponse(ctx, id, r)
				if err != nil {
					return err
				}
				msg := fmt.Sprintf("Saved %s: %s.", args[1], args[2])
				if res.Proposed > 0 {
					msg += fmt.Sprintf(" %d risks proposed from this gap; review them in the risk register.", res.Proposed)
				}
				if res.Withdrawn > 0 {
					msg += fmt.Sprintf(" %d unconfirmed risk proposals withdrawn.", res.Withdrawn)
				}
				fmt.Fprintln(cmd.OutOrStdout(), msg)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&asset, "asset", "", "asset ID or name, for questions asked per asset")
	cmd.Flags().StringVar(&note, "note", "", "note kept with the answer")
	cmd.Flags().StringVar(&reason, "reason", "", "why the question does not apply (needed for not-applicable)")
	cmd.Flags().StringVar(&decision, "decision", "", "addressable specifications: as-specified, alternative or not-reasonable")
	cmd.Flags().StringVar(&rationale, "rationale", "", "the alternative measure, or why the specification is not reasonable and appropriate")
	return cmd
}
