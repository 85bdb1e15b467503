package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/store"
)

// newFinalizeCmd signs off an assessment. "finalise", the name of the first versions, stays
// as an alias so existing scripts keep working.
func newFinalizeCmd(g *globals) *cobra.Command {
	var so assessment.SignOff
	var ap assessment.Approver
	cmd := &cobra.Command{
		Use:     "finalize ID --name NAME --role ROLE --statement TEXT",
		Aliases: []string{"finalise"},
		Short:   "Sign off and lock an assessment (everything on the readiness list must be resolved)",
		Long: "Sign off and lock an assessment. The sign-off date defaults to today and may be neither after today nor " +
			"before the last recorded work; the statement must be a sentence of at least " + strconv.Itoa(assessment.MinStatementWords) +
			" words ending with a period, saying what you attest. An approver (someone other than the signer, such as " +
			"the practice owner) may approve it for management. When anything blocks sign-off the grouped readiness " +
			"list is printed and nothing is changed (exit 2).",
		Example: "  safeguard finalize 3f2a --name \"Dana Whitfield\" --role \"Security official\" \\\n" +
			"    --statement \"I have reviewed this risk analysis and confirm it reflects our systems and safeguards.\" \\\n" +
			"    --approver \"Dr. Ana Ruiz\" --approver-role \"Practice owner\"",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if so.Date == "" {
				so.Date = time.Now().Format(time.DateOnly)
			}
			if ap.Name != "" || ap.Role != "" || ap.Date != "" {
				if ap.Date == "" {
					ap.Date = so.Date
				}
				so.Approver = &ap
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				err := s.Finalise(ctx, id, so, time.Now())
				var re *store.ReadinessError
				if errors.As(err, &re) {
					printReadiness(cmd.OutOrStdout(), assessment.Summary{Readiness: re.Items})
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Finalized and locked %s.\n", id)
				if snap, err := s.Snapshot(ctx, id); err == nil && snap.SignOff != nil && snap.SignOff.Seal != nil {
					seal := snap.SignOff.Seal
					msg := fmt.Sprintf("The sign-off seals audit chain head %s of workspace %s", seal.Anchor(), seal.Workspace)
					if seal.Signed() {
						msg += fmt.Sprintf(", signed by key %s", seal.KeyFingerprint)
					}
					fmt.Fprintln(cmd.OutOrStdout(), msg+"; keep this anchor with the signed report.")
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&so.Name, "name", "", "who signs (required)")
	cmd.Flags().StringVar(&so.Role, "role", "", "their role, e.g. Security official (required)")
	cmd.Flags().StringVar(&so.Statement, "statement", "", "the sign-off statement: a sentence saying what you attest (required)")
	cmd.Flags().StringVar(&so.Date, "date", "", "sign-off date (default today)")
	cmd.Flags().StringVar(&ap.Name, "approver", "", "who approves the analysis for management (optional; not the signer)")
	cmd.Flags().StringVar(&ap.Role, "approver-role", "", "the approver's role, e.g. Practice owner")
	cmd.Flags().StringVar(&ap.Date, "approver-date", "", "approval date (default the sign-off date)")
	for _, f := range []string{"name", "role", "statement"} {
		cmd.MarkFlagRequired(f)
	}
	return cmd
}

func newReviseCmd(g *globals) *cobra.Command {
	var title string
	cmd := &cobra.Command{
		Use:   "revise ID --title TITLE",
		Short: "Start a new revision of a final assessment; answers carry forward marked to re-validate",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := s.Assessment(cmd.Context(), id)
				if err != nil {
					return err
				}
				if a.Status != assessment.StatusFinal {
					return fmt.Errorf("assessment %s is not final; finalize it before starting a revision", id)
				}
				newID, err := s.NewRevision(cmd.Context(), id, title)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), newID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&title, "title", "", "title of the new revision (required)")
	cmd.MarkFlagRequired("title")
	return cmd
}

func newCompareCmd(g *globals) *cobra.Command {
	var asJSON bool
	return &cobra.Command{
		Use:   "compare OLDER NEWER",
		Short: "List what improved, regressed, appeared and disappeared between two assessments",
		Long: "Compare two assessments, usually last year's and this year's revision. Items are matched by question " +
			"ID and asset name. Answers that only moved to or from not-applicable, flagged or unanswered are listed as changed.",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withReadStore(func(s *store.Store) error {
				var snaps [2]*assessment.Snapshot
				for i, ref := range args {
					id, err := s.ResolveAssessment(cmd.Context(), ref)
					if err != nil {
						return err
					}
					if snaps[i], err = s.Snapshot(cmd.Context(), id); err != nil {
						return err
					}
				}
				changes := assessment.Compare(snaps[0], snaps[1])
				if asJSON {
					if changes == nil {
						changes = []assessment.Change{}
					}
					return writeJSON(cmd.OutOrStdout(), changes)
				}
				return printChanges(cmd, changes)
			})
		},
	}
}

func printChanges(cmd *cobra.Command, changes []assessment.Change) error {
	w := cmd.OutOrStdout()
	counts := map[string]int{}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CHANGE\tQUESTION\tASSET\tFROM\tTO")
	for _, c := range changes {
		counts[c.Kind]++
		asset := assessment.SafeLine(c.AssetName)
		if asset == "" {
			asset = "(organization)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Kind, assessment.SafeLine(c.QuestionID), asset, orDash(string(c.From)), orDash(string(c.To)))
	}
	tw.Flush()
	_, err := fmt.Fprintf(w, "\n%d improved, %d regressed, %d changed, %d appeared, %d disappeared.\n",
		counts[assessment.ChangeImproved], counts[assessment.ChangeRegressed], counts[assessment.ChangeChanged],
		counts[assessment.ChangeAppeared], counts[assessment.ChangeDisappeared])
	return err
}

func newRenameCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rename ID TITLE",
		Short: "Change an assessment's title",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				return s.RenameAssessment(cmd.Context(), id, args[1])
			})
		},
	}
}

func newDeleteCmd(g *globals, stdin io.Reader) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete ID",
		Short: "Delete an assessment (asks for confirmation)",
		Long:  "Delete an assessment and everything recorded in it. The audit trail keeps its history. Without --yes you are asked to confirm.",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := s.Assessment(cmd.Context(), id)
				if err != nil {
					return err
				}
				if !yes {
					if err := confirm(stdin, cmd.ErrOrStderr(), fmt.Sprintf("Delete %q of %s and all its answers? Type yes to confirm: ", a.Title, a.Organization)); err != nil {
						return err
					}
				}
				if err := s.DeleteAssessment(cmd.Context(), id); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Deleted %s (%s).\n", assessment.SafeLine(a.Title), id)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "delete without asking")
	return cmd
}
