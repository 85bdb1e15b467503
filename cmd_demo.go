package main

import (
	"fmt"
	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"time"

	"github.com/spf13/cobra"
)

func newDemoCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Add the sample assessment (a mid-size outpatient practice) and print its ID",
		Long: "Add a realistic, partly answered sample assessment: a SaaS EHR, cloud backups with customer-managed keys, " +
			"an on-premises PACS archiving to cloud storage, a telehealth service with only SOC 2, and a 42 CFR Part 2 " +
			"program's records, with notes, rated risks and vendor issues, so every screen and report has content.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := controls.Default()
			if err != nil {
				return err
			}
			return g.withStore(func(s *store.Store) error {
				id, err := s.Import(cmd.Context(), assessment.Demo(cat, time.Now()), store.ImportOptions{NewIDs: true})
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), id)
				return nil
			})
		},
	}
}
