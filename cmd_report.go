package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/reports"
	"safeguard/reports/pdf"
	"safeguard/store"
)

// reportOpts are the report command's flags.
type reportOpts struct {
	out             string
	attach, force   bool
	allowUnverified bool
	font            string
	saveFont        bool
}

func newReportCmd(g *globals) *cobra.Command {
	var o reportOpts
	cmd := &cobra.Command{
		Use:   "report ID --out FILE.pdf [--attach-evidence] [--force]",
		Short: "Write the audit-ready PDF risk analysis of an assessment",
		Long: "Write the assessment's risk analysis as a PDF: cover, contents, executive summary with heat maps, scope, " +
			"method (data collection, risk scales, threat sources), periodic review, profile, inventory and data flows, " +
			"shared responsibility, vendors, findings for every specification, addressable decisions, encryption and " +
			"breach safe harbor, 42 CFR Part 2 (when relevant), risk register, gap-to-risk traceability, risk management " +
			"plan, incidents, evidence index, audit trail, sign-off, every open item and a glossary.\n\n" +
			"The workspace is verified first (as `safeguard verify` does). When the check fails (a record was changed " +
			"outside safeguard), the command writes nothing and exits 1; with --allow-unverified it writes the report " +
			"anyway, with a warning on the cover, in every page header and in the executive summary, and each altered " +
			"record marked where it is printed. " +
			"The same assessment state always gives a byte-identical file. --attach-evidence embeds every evidence " +
			"file in the PDF, opened from its row in the evidence index. The file is written to a temporary name and " +
			"renamed, so an interrupted run leaves nothing half-written; an existing file is replaced only with --force.\n\n" +
			"The report prints the audit chain head it was made at (its anchor, SEQ:HASH) on the cover and in the audit " +
			"trail section; keep it, and `safeguard verify --anchor` shows later whether the history up to it was " +
			"rewritten. After writing, the report's SHA-256 is recorded in the audit trail (`safeguard verify --report " +
			"FILE.pdf` checks a copy), and with a signing key (`safeguard key create`) the report is signed: FILE.pdf.sig " +
			"beside it.\n\n" +
			"The report embeds the Liberation fonts (Latin including Vietnamese, Greek, Cyrillic). For names in other " +
			"scripts (Chinese, Japanese, Korean, Arabic, Hebrew, Thai, …) add a TrueType font with --font FILE.ttf; " +
			"--save-font remembers it for the workspace (--font none --save-font forgets it). A character no font can " +
			"draw is printed as its code point, [U+65E5], and the command warns, listing them.",
		Example: "  safeguard report 3f2a --out riverbend-2026-risk-analysis.pdf\n" +
			"  safeguard report 3f2a --out riverbend-2026-risk-analysis.pdf --attach-evidence --force\n" +
			"  safeguard report 3f2a --out report.pdf --font /usr/share/fonts/truetype/noto/NotoSansCJK.ttf --save-font",
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
	cmd.Flags().BoolVar(&o.allowUnverified, "allow-unverified", false, "write the report even when the workspace fails verification (it then says so on every page)")
	cmd.Flags().StringVar(&o.font, "font", "", "a TrueType font (.ttf) to add for scripts the embedded fonts lack; none: no added font")
	cmd.Flags().BoolVar(&o.saveFont, "save-font", false, "remember --font as the workspace's report font")
	cmd.MarkFlagRequired("out")
	return cmd
}

// runReport writes the PDF through the output table, with evidence content read straight
// from the vault (content the vault does not hold is listed, not attached). A workspace
// that fails verification gets no report (exit 1) unless --allow-unverified.
func runReport(ctx context.Context, cmd *cobra.Command, g *globals, s *store.Store, id string, o reportOpts) error {
	f, _ := reports.FormatNamed("pdf")
	stderr := cmd.ErrOrStderr()
	font, err := reportFont(ctx, s, o)
	if err != nil {
		return err
	}
	progress := newProgressLine(cmd, "Writing the report", 0)
	in := reports.Input{AttachEvidence: o.attach, Progress: progress.units, Font: font}
	var undrawable []rune
	in.Undrawable = func(chars []rune) { undrawable = chars }
	if o.attach {
		in.Evidence = func(sha string, w io.Writer) error { return s.EvidenceContent(ctx, sha, w) }
	}
	key, err := g.signingKey()
	if err != nil {
		return err
	}
	refuse := func(src *store.OutputSource) error {
		if !src.Verified || src.Result.OK() || o.allowUnverified {
			return nil
		}
		progress.end()
		v := src.Result
		fmt.Fprintf(stderr, "The workspace failed verification (%s; first: %s), so no report was written: it would present changed data as fact. Run `safeguard verify` for the list, restore the workspace from a backup, or add --allow-unverified to write a report that says so on every page.\n",
			assessment.Plural(len(v.Problems), "problem", "problems"), v.Problems[0])
		return errCheckFailed
	}
	res, err := writeOutputChecked(ctx, stderr, s, id, f, o.out, o.force, in, key, refuse)
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
		if err := writeSignature(stderr, o.out, seal, o.force); err != nil {
			return fmt.Errorf("the report %s was written and recorded, but its signature file could not be written (%v)", o.out, err)
		}
		fmt.Fprintf(w, "Signed by key %s: %s.sig.\n", seal.KeyFingerprint, o.out)
	}
	if len(undrawable) > 0 {
		fmt.Fprintf(stderr, "Warning: the report's fonts cannot draw %s (%s); each is printed as its code point in brackets where it occurs. Add a font that has them with --font FILE.ttf.\n",
			assessment.Plural(len(undrawable), "character", "characters"), runeList(undrawable))
	}
	if v := res.src.Result; res.src.Verified && !v.OK() {
		fmt.Fprintf(stderr, "Warning: verification found %s (first: %s); the report says so on every page and marks the altered records.\n", assessment.Plural(len(v.Problems), "problem", "problems"), v.Problems[0])
	}
	return nil
}

// reportFont reads the font the report adds: --font, else the workspace's setting; with
// --save-font the --font path becomes the setting, once the font has been read and checked
// (a refused font changes nothing).
func reportFont(ctx context.Context, s *store.Store, o reportOpts) ([]byte, error) {
	path := o.font
	if o.saveFont && path == "" {
		return nil, fmt.Errorf("--save-font needs --font FILE.ttf (or --font none to forget the saved font)")
	}
	var b []byte
	switch path {
	case "":
		saved, err := s.ReportFont(ctx)
		if err != nil || saved == "" {
			return nil, err
		}
		if b, err = readFont(saved); err != nil {
			return nil, fmt.Errorf("the workspace's report font %s cannot be used (%v); pass --font FILE.ttf, or forget it with --font none --save-font", saved, err)
		}
		return b, nil
	case "none":
	default:
		var err error
		if b, err = readFont(path); err != nil {
			return nil, err
		}
	}
	if o.saveFont {
		save := ""
		if path != "none" {
			save = path
			if abs, err := filepath.Abs(path); err == nil {
				save = abs
			}
		}
		if err := s.SetReportFont(ctx, save); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// readFont reads and checks a TrueType font file.
func readFont(path string) ([]byte, error) {
	f, err := store.OpenInput(path, "a TrueType font file (.ttf)")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return pdf.ReadFont(f, path)
}

// runeList writes characters for a warning: "日 (U+65E5), 本 (U+672C)", at most twelve.
func runeList(rs []rune) string {
	var parts []string
	for i, r := range rs {
		if i == 12 {
			parts = append(parts, fmt.Sprintf("and %d more", len(rs)-12))
			break
		}
		parts = append(parts, fmt.Sprintf("%c (U+%04X)", r, r))
	}
	return strings.Join(parts, ", ")
}
