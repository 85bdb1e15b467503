package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/reports/sheets"
	"safeguard/store"
)

// Inventory import and export: the asset and vendor lists as CSV or .xlsx, read with the
// same rules as `asset add` and `vendor add`.

const tableFormatsHelp = "The file is CSV or an Excel workbook (.xlsx), with a header row. Columns are found by " +
	"their header, ignoring case, spaces, dashes and underscores, and common other names are accepted. A CSV may be " +
	"UTF-8 with or without a byte order mark, with CRLF or LF line ends, separated by commas, semicolons or tabs (the " +
	"one the header uses most); other encodings are refused (save as \"CSV UTF-8\"). A cell starting with an " +
	"apostrophe loses it (exports add one to defuse cells a spreadsheet would run as a formula). Limits: " +
	"16 MB, 10,000 rows; an .xlsx may unpack to at most 64 MB.\n\n" +
	"Rows are matched by name (case ignored): a known name updates the columns the file has and leaves the " +
	"others as they are; a new name adds a record. Columns safeguard does not know are kept as \"Column: value\" " +
	"lines in the notes. Every bad row is named with its line and what is wrong, and then nothing is changed. " +
	"The changes are shown first and applied after you confirm on a terminal, or at once with --yes; without a " +
	"terminal and without --yes the preview is printed and nothing is changed."

func newAssetImportCmd(g *globals, stdin io.Reader) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "import ID FILE.csv|FILE.xlsx [--yes]",
		Short: "Add or update assets from a CSV or Excel list",
		Long: "Add or update the assets of an assessment from a list. Columns: " + headers(assessment.AssetColumns) +
			" (Name, Kind and Hosting are needed for a new asset; Provider names a vendor already in the assessment; " +
			"Hosting is on-prem, iaas, paas or saas; yes/no columns take yes or no). " + tableFormatsHelp,
		Example: "  safeguard asset import 3f2a systems.xlsx\n  safeguard asset import 3f2a assets.csv --yes",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return importList(cmd, g, stdin, yes, args, "Assets", "asset", "assets", assessment.PlanAssets,
				func(a assessment.Asset) string { return a.Name }, (*store.Store).ImportAssets)
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "apply without asking")
	return cmd
}

func newVendorImportCmd(g *globals, stdin io.Reader) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "import ID FILE.csv|FILE.xlsx [--yes]",
		Short: "Add or update vendors from a CSV or Excel list",
		Long: "Add or update the vendors of an assessment from a list. Columns: " + headers(assessment.VendorColumns) +
			" (BAA is none, requested, signed or expired; \"BAA signed\" takes the date it was signed, or yes/no; " +
			"Attestations lists KIND:EXPIRY entries, one per line or separated by semicolons, as `vendor add " +
			"--attestation` takes them). Columns safeguard does not know are kept in the services text. " + tableFormatsHelp,
		Example: "  safeguard vendor import 3f2a business-associates.csv",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return importList(cmd, g, stdin, yes, args, "Vendors", "vendor", "vendors", assessment.PlanVendors,
				func(v assessment.Vendor) string { return v.Name }, (*store.Store).ImportVendors)
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "apply without asking")
	return cmd
}

func newInventoryExportCmd(g *globals, what string) *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "export ID --out FILE.csv|FILE.xlsx [--force]",
		Short: "Write the " + what + "s of an assessment as a CSV or Excel list that `" + what + " import` reads back",
		Long: "Write the " + what + "s of an assessment as a list, one row each, with the columns `" + what + " import` " +
			"reads, so exporting and importing again gives the same " + what + "s. The format follows the extension: .csv " +
			"(UTF-8 with a byte order mark, CRLF line ends, formula-like cells defused with an apostrophe) or .xlsx.",
		Example: "  safeguard " + what + " export 3f2a --out " + what + "s.xlsx",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := sheets.KindOf(out)
			if err != nil {
				return fmt.Errorf("--out %s: the format follows the extension; end the name with .csv or .xlsx", out)
			}
			if err := checkOut(out, force); err != nil {
				return err
			}
			return g.withReadAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				snap, err := s.Snapshot(ctx, id)
				if err != nil {
					return err
				}
				rows, sheet := assessment.AssetTable(snap), "Assets"
				if what == "vendor" {
					rows, sheet = assessment.VendorTable(snap), "Vendors"
				}
				err = writeFile(cmd.ErrOrStderr(), out, force, func(w io.Writer) error {
					if k == sheets.XLSX {
						return sheets.WriteXLSX(w, sheet, rows)
					}
					return sheets.WriteCSV(w, rows)
				})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s to %s.\n", assessment.Plural(len(rows)-1, what, what+"s"), out)
				return nil
			})
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "file to write (.csv or .xlsx)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	cmd.MarkFlagRequired("out")
	return cmd
}

func headers[T any](cols []assessment.TableColumn[T]) string {
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.Header
	}
	return strings.Join(h, ", ")
}

// importList is the one path of `asset import` and `vendor import`: read the list, plan it
// against the assessment, show the plan, and apply the added or changed records in one
// audited transaction after confirmation.
func importList[T any](cmd *cobra.Command, g *globals, stdin io.Reader, yes bool, args []string, sheet, noun, plural string,
	plan func(*assessment.Snapshot, []string, []assessment.TableRow) (*assessment.InventoryPlan[T], error),
	name func(T) string, apply func(*store.Store, context.Context, string, []T) error) error {
	header, rows, err := readTableFile(args[1], sheet)
	if err != nil {
		return err
	}
	return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
		snap, err := s.Snapshot(ctx, id)
		if err != nil {
			return err
		}
		p, err := plan(snap, header, rows)
		if err != nil {
			return fmt.Errorf("%s: %w", args[1], err)
		}
		var recs []T
		for _, c := range p.Changes {
			if c.Add || len(c.Changes) > 0 {
				recs = append(recs, c.Record)
			}
		}
		printPlan(cmd.OutOrStdout(), noun, p.Changes, p.Unknown, name)
		if len(recs) == 0 {
			return nil
		}
		if ok, err := confirmApply(cmd, stdin, yes, applyPrompt(len(recs))); !ok || err != nil {
			return err
		}
		if err := apply(s, ctx, id, recs); err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "Imported %s from %s.\n", assessment.Plural(len(recs), noun, plural), args[1])
		return nil
	})
}

// readTableFile reads a CSV or .xlsx list from a regular file.
func readTableFile(path, sheet string) ([]string, []assessment.TableRow, error) {
	if _, err := sheets.KindOf(path); err != nil {
		return nil, nil, err
	}
	f, err := store.OpenInput(path, "a .csv or .xlsx file")
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	data, err := sheets.ReadAll(path, f)
	if err != nil {
		return nil, nil, err
	}
	return sheets.Read(filepath.Base(path), data, sheet)
}

// printPlan prints what an import would do.
func printPlan[T any](w io.Writer, what string, changes []assessment.InventoryChange[T], unknown []string, name func(T) string) {
	adds, updates, same := 0, 0, 0
	for _, c := range changes {
		switch {
		case c.Add:
			adds++
			fmt.Fprintf(w, "  add     line %d  %q\n", c.Line, name(c.Record))
		case len(c.Changes) > 0:
			updates++
			fmt.Fprintf(w, "  update  line %d  %q\n", c.Line, name(c.Record))
		default:
			same++
			continue
		}
		for _, ch := range c.Changes {
			fmt.Fprintf(w, "            %s\n", ch)
		}
	}
	if len(unknown) > 0 {
		fmt.Fprintf(w, "Columns kept in the notes: %s.\n", strings.Join(unknown, ", "))
	}
	fmt.Fprintf(w, "%s to add, %s to update, %s unchanged.\n", assessment.Plural(adds, what, what+"s"),
		assessment.Plural(updates, what, what+"s"), assessment.Plural(same, what, what+"s"))
}

// confirmApply decides whether an import applies what it previewed: at once with --yes;
// after "yes" on a terminal; and not at all without a terminal, saying so (the preview
// was the output).
func confirmApply(cmd *cobra.Command, stdin io.Reader, yes bool, prompt string) (bool, error) {
	if yes {
		return true, nil
	}
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		fmt.Fprintln(cmd.ErrOrStderr(), "Nothing was changed: this is the preview. Run again with --yes to apply it (there is no terminal to confirm on).")
		return false, nil
	}
	fmt.Fprint(cmd.ErrOrStderr(), prompt+" Type yes to apply: ")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	switch {
	case err != nil && strings.TrimSpace(line) == "":
		// Ctrl-D or a closed terminal: no answer is not a yes.
		fmt.Fprintln(cmd.ErrOrStderr(), "\nNothing was changed: the input ended before an answer.")
		return false, nil
	case strings.TrimSpace(strings.ToLower(line)) != "yes":
		fmt.Fprintln(cmd.ErrOrStderr(), "Nothing was changed: the answer was not yes.")
		return false, nil
	}
	return true, nil
}

// applyPrompt asks about n changes to the inventory.
func applyPrompt(n int) string {
	if n == 1 {
		return "Apply this change?"
	}
	return fmt.Sprintf("Apply these %s changes?", assessment.FormatInt(n))
}
