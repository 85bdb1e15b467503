package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newNewCmd(g *globals) *cobra.Command {
	var org, title string
	var encrypt bool
	cmd := &cobra.Command{
		Use:     "new --org NAME --title TITLE",
		Short:   "Add an empty assessment and print its ID",
		Example: `  safeguard new --org "Maple Family Practice" --title "2026 risk analysis"`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := controls.Default()
			if err != nil {
				return err
			}
			return g.withStore(func(s *store.Store) error {
				if encrypt {
					if err := encryptNew(cmd.Context(), g, s); err != nil {
						return err
					}
				}
				a, err := s.CreateAssessment(cmd.Context(), store.NewAssessment{Title: title, Organization: org, CatalogVersion: cat.Version})
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), a.ID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "organization assessed (required)")
	cmd.Flags().StringVar(&title, "title", "", "title of the assessment (required)")
	cmd.Flags().BoolVar(&encrypt, "encrypt", false, "encrypt the workspace's evidence with a passphrase first ($SAFEGUARD_PASSPHRASE or a prompt)")
	cmd.MarkFlagRequired("org")
	cmd.MarkFlagRequired("title")
	return cmd
}

// encryptNew seals the workspace before the first assessment goes in, so `new --encrypt`
// starts encrypted; a workspace that already is stays as it is.
func encryptNew(ctx context.Context, g *globals, s *store.Store) error {
	enc, err := s.Encrypted(ctx)
	if err != nil || enc {
		return err
	}
	pass, err := g.newPassphrase()
	if err != nil {
		return err
	}
	return s.EncryptWorkspace(ctx, pass, nil)
}

func newAssessmentsCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "assessments",
		Short: "List the assessments in the workspace",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			err := g.withReadStore(func(s *store.Store) error {
				list, err := s.Assessments(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), assessmentsJSON(list))
				}
				printAssessments(cmd.OutOrStdout(), list)
				return nil
			})
			if errors.Is(err, store.ErrNoWorkspace) {
				// Listing creates nothing: a first run just has nothing to list yet.
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), []assessment.Assessment{})
				}
				printAssessments(cmd.OutOrStdout(), nil)
				return nil
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func assessmentsJSON(list []assessment.Assessment) []assessment.Assessment {
	if list == nil {
		return []assessment.Assessment{} // [] rather than null for scripts
	}
	return list
}

func printAssessments(w io.Writer, list []assessment.Assessment) {
	if len(list) == 0 {
		fmt.Fprintln(w, "No assessments yet. Create one with `safeguard new --org NAME --title TITLE` or open the TUI with `safeguard`.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tORGANIZATION\tSTATUS\tCHANGED")
	for _, a := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", assessment.SafeLine(a.ID), assessment.SafeLine(a.Title), assessment.SafeLine(a.Organization),
			a.Status.Label(), assessment.DocTime(a.UpdatedAt))
	}
	tw.Flush()
}
