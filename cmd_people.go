package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/store"
)

// The people of a workspace (store/people.go): who works in it. Once the list has anyone
// in it, every change names one of them: the TUI asks who is working, and commands take
// --actor NAME (or the person this computer last worked as).

func newPeopleCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "people",
		Short: "List, add and remove the people who work in the workspace",
		Long: "The people who work in the workspace (assessors, the office manager, the IT provider's " +
			"technician), each with a role. Once the list has anyone in it, answers, evidence, sign-offs " +
			"and audit entries name the person working, who must be one of them: the terminal interface " +
			"asks once and remembers the choice on this computer; commands take --actor NAME.",
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newPeopleListCmd(g), newPeopleAddCmd(g), newPeopleRemoveCmd(g))
	return cmd
}

func newPeopleListCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the workspace's people",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withReadStore(func(s *store.Store) error {
				people, err := s.People(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					if people == nil {
						people = []store.Person{}
					}
					return writeJSON(cmd.OutOrStdout(), people)
				}
				if len(people) == 0 {
					fmt.Fprintf(cmd.OutOrStdout(), "No people recorded; changes are recorded as %s (or the name given with --actor). Add people with `safeguard people add NAME --role ROLE`.\n", store.OSUser())
					return nil
				}
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tROLE\tADDED")
				for _, p := range people {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Name, orDash(p.Role), assessment.ISODate(p.Added))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newPeopleAddCmd(g *globals) *cobra.Command {
	var role string
	cmd := &cobra.Command{
		Use:     "add NAME --role ROLE",
		Short:   "Add someone who works in the workspace",
		Example: `  safeguard people add "Dana Reyes" --role "Security official"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withStore(func(s *store.Store) error {
				p, err := s.AddPerson(cmd.Context(), args[0], role)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Added %s.\n", p.Name)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "what the person does, for example \"Security official\" (shown on sign-offs)")
	return cmd
}

func newPeopleRemoveCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove someone from the workspace's people (their work keeps their name)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withStore(func(s *store.Store) error {
				p, err := s.RemovePerson(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Removed %s; what they recorded keeps their name.\n", p.Name)
				return nil
			})
		},
	}
}
