package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/reports/pdf"
	"safeguard/store"
	"safeguard/store/signing"
	"safeguard/ui"
)

func init() { extraCommands = append(extraCommands, newReportCmd) }

func newReportCmd(g *globals) *cobra.Command {
	var out string
	var attach, force bool
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
			if out == "" {
				return fmt.Errorf("give the file to write with --out FILE.pdf")
			}
			if fi, err := os.Stat(out); err == nil && fi.IsDir() {
				return fmt.Errorf("%s is a folder; give --out the name of the PDF file to write", out)
			} else if err == nil && !force {
				return fmt.Errorf("%s already exists; choose another --out or add --force", out)
			}
			if fi, err := os.Stat(filepath.Dir(out)); err != nil || !fi.IsDir() {
				return fmt.Errorf("cannot write to %s (it is not an existing folder); choose a folder you can write to", filepath.Dir(out))
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				snap, res, err := s.VerifiedSnapshot(ctx, id)
				if err != nil {
					return err
				}
				key, err := s.ReportSeal(ctx, snap)
				if err != nil {
					return err
				}
				opt := pdf.Options{AttachEvidence: attach, Progress: reportProgress(cmd)}
				if attach {
					opt.Evidence = ui.EvidenceProvider(ctx, s)
				}
				b, err := pdf.Render(snap, opt)
				if opt.Progress != nil {
					opt.Progress(-1, -1)
				}
				if err != nil {
					return err
				}
				if err := writeOutput(out, force, func(w io.Writer) error {
					_, err := w.Write(b)
					return err
				}); err != nil {
					return err
				}
				return sealReport(cmd, s, id, snap, key, out, b, force, res)
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "PDF file to write (required)")
	cmd.Flags().BoolVar(&attach, "attach-evidence", false, "embed the evidence files in the PDF as attachments")
	cmd.Flags().BoolVar(&force, "force", false, "replace an existing file")
	cmd.MarkFlagRequired("out")
	return cmd
}

// reportProgress shows rendering progress on a terminal's stderr; nil elsewhere. Call it
// with (-1, -1) to end the line.
func reportProgress(cmd *cobra.Command) func(done, total int) {
	f, ok := cmd.ErrOrStderr().(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return nil
	}
	var last time.Time
	return func(done, total int) {
		if done < 0 {
			if !last.IsZero() {
				fmt.Fprintln(f)
			}
			return
		}
		if time.Since(last) < 100*time.Millisecond && done != total {
			return
		}
		last = time.Now()
		fmt.Fprintf(f, "\rWriting the report: %3d%%", done*100/max(total, 1))
	}
}

// sealReport records the written report's SHA-256 in the audit trail with the chain head
// it states, writes its detached signature when there is a key, and says what was done.
func sealReport(cmd *cobra.Command, s *store.Store, id string, snap *assessment.Snapshot, key *signing.Key, out string, b []byte, force bool, res store.VerifyResult) error {
	sum := sha256.Sum256(b)
	sha := hex.EncodeToString(sum[:])
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "Wrote %s (%s) for %q.\n", out, assessment.FormatSize(int64(len(b))), snap.Assessment.Title)
	seal, err := s.RecordReport(cmd.Context(), id, snap.Audit.Seal, sha, filepath.Base(out), key)
	if err != nil {
		return fmt.Errorf("the report %s was written, but recording its SHA-256 in the audit trail failed (%v); run the report again to record it", out, err)
	}
	fmt.Fprintf(w, "It states audit chain head %s of workspace %s; its SHA-256 %s is recorded in the audit trail (check it with `safeguard verify --report %s`).\n",
		snap.Audit.Seal.Anchor(), snap.Audit.Seal.Workspace, sha, out)
	if seal.Signed() {
		if err := writeSignature(out, seal, force); err != nil {
			return fmt.Errorf("the report %s was written and recorded, but its signature file could not be written (%v)", out, err)
		}
		fmt.Fprintf(w, "Signed by key %s: %s.sig.\n", seal.KeyFingerprint, out)
	}
	if !res.OK() {
		fmt.Fprintf(cmd.ErrOrStderr(), "Warning: verification found %d problems (first: %s); the report's audit trail section lists them.\n", len(res.Problems), res.Problems[0])
	}
	return nil
}
