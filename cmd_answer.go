package main

import (
	"context"
	"fmt"
	"safeguard/assessment"
	"safeguard/store"
	"strings"

	"github.com/spf13/cobra"
)

func newAnswerCmd(g *globals) *cobra.Command {
	var asset, note, reason, decision, measure, rationale string
	cmd := &cobra.Command{
		Use:   "answer ID QUESTION STATUS",
		Short: "Record the answer to one question",
		Long: "Record the answer to one catalog question. STATUS is implemented, partial, not-implemented, " +
			"not-applicable (needs --reason) or flagged. Questions asked per asset need --asset (its ID or name).\n\n" +
			"For addressable specifications, --decision records the §164.306(d)(3) decision, and it must agree with the status:\n" +
			"  as-specified    only with status implemented;\n" +
			"  alternative     an equivalent alternative measure: --measure describes it and --rationale says why the\n" +
			"                  specification as written is not reasonable and appropriate (both are required);\n" +
			"  not-reasonable  not with status implemented; --rationale documents why.\n" +
			"A partial or not-implemented answer may leave the decision out while a confirmed risk that lists the gap plans\n" +
			"its treatment. Not-applicable answers, flagged answers, 42 CFR Part 2 duties and proposed-rule items take no\n" +
			"decision. Answers that break these rules are refused with the reason.",
		Example: "  safeguard answer 3f2a 308a1iia-ra-01 implemented --note \"Inventory reviewed in March\"\n" +
			"  safeguard answer 3f2a 312a2iv-enc-01 not-implemented --asset \"PACS imaging server\" --decision not-reasonable --rationale \"...\"\n" +
			"  safeguard answer 3f2a 312a2iii-logoff-01 implemented --asset PACS --decision alternative --measure \"Workstations lock after 5 minutes\" --rationale \"The viewer has no timeout of its own\"",
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				var assetID string
				if asset != "" {
					inv, err := s.Inventory(ctx, id)
					if err != nil {
						return err
					}
					if assetID, err = resolveAsset(inv, asset); err != nil {
						return err
					}
				}
				// The command sets the answer outright: it showed the user no earlier one.
				r := assessment.Response{QuestionID: args[1], AssetID: assetID, Status: assessment.ResponseStatus(args[2]),
					Reason: reason, Decision: assessment.Decision(decision), Note: note, Version: store.AnyVersion}
				if err := setDecisionText(&r, measure, rationale); err != nil {
					return err
				}
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
	cmd.Flags().StringVar(&measure, "measure", "", "with --decision alternative: the equivalent alternative measure")
	cmd.Flags().StringVar(&rationale, "rationale", "", "with --decision alternative or not-reasonable: why the specification as written is not reasonable and appropriate")
	return cmd
}

// setDecisionText puts --measure and --rationale where the decision keeps them: an
// alternative keeps the measure in DecisionText and the rationale in Reason; a
// not-reasonable decision keeps its rationale in DecisionText.
func setDecisionText(r *assessment.Response, measure, rationale string) error {
	switch r.Decision {
	case assessment.DecisionAlternative:
		if r.Reason != "" {
			return fmt.Errorf("--reason is for not-applicable answers; give an alternative's rationale with --rationale")
		}
		r.DecisionText, r.Reason = measure, rationale
		if strings.TrimSpace(measure) == "" {
			return fmt.Errorf("--decision alternative needs --measure, the equivalent alternative measure")
		}
	case assessment.DecisionNotReasonable:
		if measure != "" {
			return fmt.Errorf("--measure describes an alternative measure; with not-reasonable give only --rationale")
		}
		r.DecisionText = rationale
	default:
		if measure != "" || rationale != "" {
			return fmt.Errorf("--measure and --rationale go with --decision alternative or not-reasonable")
		}
	}
	return nil
}
