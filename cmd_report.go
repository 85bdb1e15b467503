package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

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
			"renamed, so an interrupted run leaves nothing half-written; an existing file is replaced only with --force.\n\n" +
			"The report prints the audit chain head it was made at (its anchor, SEQ:HASH) on the cover and in the audit " +
			"trail section; keep it, and `safeguard verify --anchor` shows later whether the history up to it was " +
			"rewritten. After writing, the report's SHA-256 is recorded in the audit trail (`safeguard verify --report " +
			"FILE.pdf` checks a copy), and with a signing key (`safeguard key create`) the report is signed: FILE.pdf.sig " +
			"beside it.",
		Example: "  safeguard report 3f2a --out riverbend-2026-risk-analysis.pdf\n" +
			"  safeguard report 3f2a --out riverbend-2026-risk-analysis.pdf --attach-evidence --force",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOut(o.out, o.force); err != nil {
				return err
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				return runReport(ctx, cmd, g, s, id, o)
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
func runReport(ctx context.Context, cmd *cobra.Command, g *globals, s *store.Store, id string, o reportOpts) error {
	f, _ := reports.FormatNamed("pdf")
	progress := newProgressLine(cmd, "Writing the report", 0)
	in := reports.Input{AttachEvidence: o.attach, Progress: progress.units}
	if o.attach {
		in.Evidence = func(sha string, w io.Writer) error { return s.EvidenceContent(ctx, sha, w) }
	}
	key, err := g.signingKey()
	if err != nil {
		return err
	}
	res, err := writeOutput(ctx, cmd.ErrOrStderr(), s, id, f, o.out, o.force, in, key)
	progress.end()
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "Wrote %s (%s) for %q.\n", o.out, assessment.FormatSize(res.size), assessment.SafeLine(res.src.Snapshot.Assessment.Title))
	// Record the file in the audit trail, with the chain head it states, and sign it.
	seal, err := s.RecordReport(ctx, id, res.seal, res.sha, filepath.Base(o.out), key)
	if err != nil {
		return fmt.Errorf("the report %s was written, but recording its SHA-256 in the audit trail failed (%v); run the report again to record it", o.out, err)
	}
	fmt.Fprintf(w, "It states audit chain head %s of workspace %s; its SHA-256 %s is recorded in the audit trail (check it with `safeguard verify --report %s`).\n",
		res.seal.Anchor(), res.seal.Workspace, res.sha, o.out)
	if seal.Signed() {
		if err := writeSignature(cmd.ErrOrStderr(), o.out, seal, o.force); err != nil {
			return fmt.Errorf("the report %s was written and recorded, but its signature file could not be written (%v)", o.out, err)
		}
		fmt.Fprintf(w, "Signed by key %s: %s.sig.\n", seal.KeyFingerprint, o.out)
	}
	if v := res.src.Result; res.src.Verified && !v.OK() {
		fmt.Fprintf(cmd.ErrOrStderr(), "Warning: verification found %d problems (first: %s); the report's audit trail section lists them.\n", len(v.Problems), v.Problems[0])
	}
	return nil
}
