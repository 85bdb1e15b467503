package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"safeguard/controls"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newCatalogCmd() *cobra.Command {
	var format, lens string
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Print the question catalog (all of it, or one lens)",
		Long: "Print the catalog of Security Rule questions. --format json is a stable interface for other tools. " +
			"--lens narrows it to cloud, part2 (42 CFR Part 2) or nprm-2025 (the January 2025 proposed rule, not final).",
		Example: "  safeguard catalog --lens cloud\n  safeguard catalog --format json > catalog.json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := controls.Default()
			if err != nil {
				return err
			}
			view, err := cat.View(lens)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			switch format {
			case "table":
				return printCatalogTable(w, view)
			case "json":
				return writeJSON(w, view)
			case "csv":
				return printCatalogCSV(w, view)
			}
			return fmt.Errorf("unknown format %q; use table, json or csv", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "table, json or csv")
	cmd.Flags().StringVar(&lens, "lens", "", "only the questions of one lens: nprm-2025, part2 or cloud")
	return cmd
}

func printCatalogTable(w io.Writer, c *controls.Catalog) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCITATION\tR/A\tSCOPE\tDEPTH\tQUESTION")
	for _, q := range c.Questions {
		cite := q.Specification
		if cite == "" {
			cite = q.Standard
		}
		fmt.Fprintf(tw, "%s\t§%s\t%s\t%s\t%s\t%s\n", q.ID, cite, requirementOf(c, &q), q.Scope, q.Depth, q.Text)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d questions, catalog %s.\n", len(c.Questions), c.Version)
	return err
}

func printCatalogCSV(w io.Writer, c *controls.Catalog) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "standard", "specification", "also_cites", "requirement", "key_activities", "text", "ba_text", "scope",
		"asset_kinds", "hosting", "owner", "on_prem", "iaas", "paas", "saas", "depth", "follows", "basis", "answered_by",
		"vulnerabilities", "sp800_53r5", "csf_2_0", "lenses", "condition", "proposed", "help", "evidence"})
	for _, q := range c.Questions {
		r := q.Responsibility
		hosting := make([]string, len(q.Hosting))
		for i, h := range q.Hosting {
			hosting[i] = string(h)
		}
		cw.Write([]string{q.ID, q.Standard, q.Specification, strings.Join(q.AlsoCites, ";"), requirementOf(c, &q),
			strings.Join(q.KeyActivities, ";"), q.Text, q.BAText, string(q.Scope), strings.Join(q.AssetKinds, ";"),
			strings.Join(hosting, ";"), string(q.Owner), string(r.OnPrem), string(r.IaaS), string(r.PaaS), string(r.SaaS),
			string(q.Depth), q.Follows, string(q.Basis), string(q.AnsweredBy),
			strings.Join(q.Vulnerabilities, ";"), strings.Join(q.SP80053r5, ";"), strings.Join(q.CSF20, ";"),
			strings.Join(q.Lenses, ";"), string(q.Condition), fmt.Sprint(q.Proposed), strings.TrimSpace(q.Help), strings.Join(q.Evidence, ";")})
	}
	cw.Flush()
	return cw.Error()
}

// requirementOf is what the regulation makes of a question: "proposed" for one only the
// January 2025 proposed rule would require (not law), else its specification's required or
// addressable, or "standard" for a question on a standard without specifications.
func requirementOf(c *controls.Catalog, q *controls.Question) string {
	if q.Proposed {
		return "proposed"
	}
	if sp, ok := c.Specification(q.Specification); ok {
		return string(sp.Requirement)
	}
	return "standard"
}
