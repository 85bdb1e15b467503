package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/reports"
	"safeguard/store"
)

// reportOpts are the report command's flags.
type reportOpts struct {
	out           string
	attach, force bool
}

func newReportCmd(g *globals) *cobra.Command {
	var o reportOpts
	cmd := &cobra.Command{
		Use:   "report ID --out FILE.pdf [--attach-evidence] [--force]",
		Short: "Write the audit-ready PDF risk analysis of an assessment",
		Long: "Write the assessment's risk analysis as a PDF: cover, contents, executive summary, scope and method, " +
			"profile, inventory and data flows, shared responsibility, vendors, findings by safeguard, addressable " +
			"decisions, encryption and key custody, 42 CFR Part 2 (when relevant), risk register and plan, evidence " +
			"index, audit trail and sign-off.\n\n" +
			"The workspace is verified first (as `safeguard verify` does) and the result is printed in the report. " +
			"The same assessment state always gives a byte-identical file. --attach-evidence embeds every evidence " +
			"file in the PDF, opened from its row in the evidence index. The file is written to a temporary name and " +
			"renamed, so an interrupted run leaves nothing half-written; an existing file is replaced only with --force.",
		Example: "  safeguard report 3f2a --out riverbend-2026-risk-analysis.pdf\n" +
			"  safeguard report 3f2a --out riverbend-2026-risk-analysis.pdf --attach-evidence --force",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOut(o.out, o.force); err != nil {
				return err
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				return runReport(ctx, cmd, s, id, o)
			})
		},
	}
	cmd.Flags().StringVar(&o.out, "out", "", "PDF file to write (required)")
	cmd.Flags().BoolVar(&o.attach, "attach-evidence", false, "embed the evidence files in the PDF as attachments")
	cmd.Flags().BoolVar(&o.force, "force", false, "replace an existing file")
	cmd.MarkFlagRequired("out")
	return cmd
}

// runReport writes the PDF through the output table, with evidence content read straight
// from the vault (content the vault does not hold is listed, not attached).
func runReport(ctx context.Context, cmd *cobra.Command, s *store.Store, id string, o reportOpts) error {
	f, _ := reports.FormatNamed("pdf")
	progress := newProgressLine(cmd, "Writing the report", 0)
	in := reports.Input{AttachEvidence: o.attach, Progress: progress.units}
	if o.attach {
		in.Evidence = func(sha string, w io.Writer) error { return s.EvidenceContent(ctx, sha, w) }
	}
	res, err := writeOutput(ctx, s, id, f, o.out, o.force, in)
	progress.end()
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s (%s) for %q.\n", o.out, assessment.FormatSize(res.size), res.src.Snapshot.Assessment.Title)
	if v := res.src.Result; res.src.Verified && !v.OK() {
		fmt.Fprintf(cmd.ErrOrStderr(), "Warning: verification found %d problems (first: %s); the report's audit trail section lists them.\n", len(v.Problems), v.Problems[0])
	}
	return nil
}
