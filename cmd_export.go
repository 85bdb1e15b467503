package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/reports"
	"safeguard/store"
	"safeguard/store/signing"
)

func newExportCmd(g *globals) *cobra.Command {
	var format, what, out string
	var force bool
	cmd := &cobra.Command{
		Use:   "export ID --format json|csv|oscal --out FILE",
		Short: "Export an assessment as JSON (importable), CSV (findings or risk register) or OSCAL",
		Long: "Export one assessment to a file.\n\n" +
			"  --format json   the whole assessment in safeguard's versioned format; `safeguard import` reads it back.\n" +
			"  --format csv    a table for spreadsheets. --what findings (the default) writes one row per applicable\n" +
			"                  question, once for the organization or once per asset, with citation, status, owner\n" +
			"                  (and any override), §164.306(d)(3) decision, notes, evidence and vendor issues;\n" +
			"                  --what risks writes the risk register in the report's order (R1, R2, …), worst first.\n" +
			"  --format oscal  NIST OSCAL 1.2.2 assessment results (JSON): the assessment as one result, each answered\n" +
			"                  item as a finding, answers and evidence as observations, risks with likelihood and\n" +
			"                  impact. Control IDs are citations as tokens: §164.308(a)(1)(ii)(A) is hipaa-164.308.a.1.ii.a.\n\n" +
			"CSV files are UTF-8 with a byte order mark (BOM) and CRLF line ends, so Excel and other spreadsheets open " +
			"them with accents and symbols intact; fields are quoted where needed. A cell that starts with =, +, -, @, " +
			"a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it as text instead of running " +
			"it as a formula (CSV injection). Dates and times are ISO 8601 (UTC).\n\n" +
			"Exports copy the data out without verifying the workspace first (the PDF report does verify, because it " +
			"states the result); run `safeguard verify` to check it. The JSON export's integrity block and the OSCAL " +
			"metadata carry the audit chain head the export was made at (its anchor, for `safeguard verify --anchor " +
			"FILE`); with a signing key the JSON export is signed. " +
			"The file is written to a temporary file readable only by you and renamed into place, so a failure leaves " +
			"nothing half-written; an existing file is kept unless you add --force. Exporting the same unchanged " +
			"assessment again gives an identical CSV or OSCAL file.",
		Example: "  safeguard export 3f2a --format json --out riverbend-2026.json\n" +
			"  safeguard export 3f2a --format csv --out findings.csv\n" +
			"  safeguard export 3f2a --format csv --what risks --out risk-register.csv\n" +
			"  safeguard export 3f2a --format oscal --out riverbend-2026-oscal-ar.json",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := exportFormat(format, what, cmd.Flags().Changed("what"))
			if err != nil {
				return err
			}
			return g.withReadAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				key, err := g.signingKey()
				if err != nil {
					return err
				}
				res, err := writeOutput(ctx, cmd.ErrOrStderr(), s, id, f, out, force, reports.Input{}, key)
				if err != nil {
					return err
				}
				seal := res.seal
				if seal.Seq > 0 {
					msg := fmt.Sprintf("Wrote %s at audit chain head %s of workspace %s", out, seal.Anchor(), seal.Workspace)
					if format == "csv" {
						msg += " (a CSV file does not carry it: note it beside the file)"
					}
					if seal.Signed() {
						msg += fmt.Sprintf("; signed by key %s", seal.KeyFingerprint)
					}
					fmt.Fprintln(cmd.OutOrStdout(), msg+".")
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "json", "one of json, csv or oscal")
	cmd.Flags().StringVar(&what, "what", "findings", "with --format csv, the table: findings or risks")
	cmd.Flags().StringVar(&out, "out", "", "file to write (required)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	cmd.MarkFlagRequired("out")
	return cmd
}

// exportFormat maps the export command's --format and --what onto the output table.
func exportFormat(format, what string, whatGiven bool) (reports.Format, error) {
	name := format
	switch format {
	case "json", "oscal":
		if whatGiven {
			return reports.Format{}, fmt.Errorf("--what chooses the CSV table; use it with --format csv or leave it out")
		}
	case "csv":
		switch what {
		case "findings", "risks":
			name = what + "-csv"
		default:
			return reports.Format{}, fmt.Errorf("unknown --what %q; use findings or risks", what)
		}
	default:
		return reports.Format{}, fmt.Errorf("unknown export format %q; use json, csv or oscal", format)
	}
	f, _ := reports.FormatNamed(name)
	return f, nil
}

// written is what writeOutput made.
type written struct {
	size int64
	sha  string // SHA-256 of the file written
	seal assessment.Seal
	src  *store.OutputSource
}

// writeOutput makes one output of an assessment at path: it loads the assessment the way
// the format asks (verified first for the PDF; see reports.Format.Verify) and writes the
// file atomically (writeFile). The report and export commands both write through it.
//
// Every output states the audit chain head it was made from (the snapshot's seal): with
// key, a PDF's seal is signed over the workspace and head, and a JSON document's
// integrity block over the workspace, head and the document's digest. The seal returned
// is the one the file states.
func writeOutput(ctx context.Context, notice io.Writer, s *store.Store, id string, f reports.Format, path string, force bool, in reports.Input, key *signing.Key) (written, error) {
	return writeOutputChecked(ctx, notice, s, id, f, path, force, in, key, nil)
}

// writeOutputChecked is writeOutput with a check of the loaded source before anything is
// written: refuse returns an error to write nothing (the report refuses a workspace that
// failed verification).
func writeOutputChecked(ctx context.Context, notice io.Writer, s *store.Store, id string, f reports.Format, path string, force bool, in reports.Input, key *signing.Key,
	refuse func(*store.OutputSource) error) (written, error) {
	src, err := s.LoadOutputSource(ctx, id, f.Verify, f.Document)
	if err != nil {
		return written{}, err
	}
	if refuse != nil {
		if err := refuse(src); err != nil {
			return written{}, err
		}
	}
	store.SignSeal(&src.Snapshot.Audit.Seal, key)
	out := written{src: src, seal: src.Snapshot.Audit.Seal}
	if src.Document != nil {
		if err := store.SignDocument(src.Document, key); err != nil {
			return written{}, err
		}
		out.seal = *src.Document.Integrity
	}
	in.Snapshot, in.Document = src.Snapshot, src.Document
	h := sha256.New()
	err = writeFile(notice, path, force, func(w io.Writer) error {
		cw := &countingWriter{w: io.MultiWriter(w, h)}
		err := f.Write(cw, in)
		out.size = cw.n
		return err
	})
	out.sha = hex.EncodeToString(h.Sum(nil))
	return out, err
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func newImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE.json",
		Short: "Import an assessment exported with `export --format json`",
		Long: "Import a whole assessment in one transaction: all of it or, on any error, nothing. IDs are kept unless the " +
			"assessment or one of its records is already in the workspace.\n\n" +
			"The file must be exactly what `safeguard export --format json` wrote: UTF-8 text (a byte order mark is " +
			"allowed), no key twice and none the format does not have, an assessment ID, one answer per item. Answers " +
			"and evidence keep who made them and when, marked as imported from the file on the day of the import. A " +
			"final assessment stays final, with its sign-off, only when the file carries an export signature that " +
			"verifies (the exporter had a signing key); otherwise it arrives as a draft without the sign-off, and the " +
			"command says why.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := controls.Default()
			if err != nil {
				return err
			}
			f, err := store.OpenInput(args[0], "the .json file written by `safeguard export --format json`")
			if err != nil {
				return err
			}
			defer f.Close()
			doc, err := assessment.ParseDocument(f, cat)
			if err != nil {
				return err
			}
			return g.withStore(func(s *store.Store) error {
				res, err := s.ImportDocument(cmd.Context(), doc, store.ImportOptions{Source: filepath.Base(args[0])})
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), res.ID)
				switch {
				case res.Final:
					fmt.Fprintf(cmd.ErrOrStderr(), "Imported as final with its sign-off: %s.\n", res.Why)
				case res.Why != "":
					fmt.Fprintf(cmd.ErrOrStderr(), "Imported as a draft without the file's sign-off: %s.\n", res.Why)
				}
				return nil
			})
		},
	}
}
