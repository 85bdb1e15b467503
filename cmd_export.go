package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/reports"
	"safeguard/store"
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
			"states the result); run `safeguard verify` to check it. " +
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
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				_, err := writeOutput(ctx, s, id, f, out, force, reports.Input{})
				return err
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
	src  *store.OutputSource
}

// writeOutput makes one output of an assessment at path: it loads the assessment the way
// the format asks (verified first for the PDF; see reports.Format.Verify) and writes the
// file atomically. The report and export commands both write through it.
func writeOutput(ctx context.Context, s *store.Store, id string, f reports.Format, path string, force bool, in reports.Input) (written, error) {
	src, err := s.LoadOutputSource(ctx, id, f.Verify, f.Document)
	if err != nil {
		return written{}, err
	}
	in.Snapshot, in.Document = src.Snapshot, src.Document
	out := written{src: src}
	err = reports.WriteFileAtomic(path, force, func(w io.Writer) error {
		cw := &countingWriter{w: w}
		err := f.Write(cw, in)
		out.size = cw.n
		return err
	})
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
		Long:  "Import a whole assessment in one transaction: all of it or, on any error, nothing. IDs are kept unless the assessment is already in the workspace.",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := controls.Default()
			if err != nil {
				return err
			}
			if st, err := os.Stat(args[0]); err == nil && st.IsDir() {
				return fmt.Errorf("%s is a folder; give the .json file written by `safeguard export --format json`", args[0])
			}
			f, err := os.Open(args[0])
			if err != nil {
				return fmt.Errorf("cannot open %s (%v); check the path", args[0], pathErr(err))
			}
			defer f.Close()
			doc, err := assessment.ParseDocument(f, cat)
			if err != nil {
				return err
			}
			return g.withStore(func(s *store.Store) error {
				id, err := s.Import(cmd.Context(), doc, store.ImportOptions{})
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), id)
				return nil
			})
		},
	}
}
