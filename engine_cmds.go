package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/reports"
	"safeguard/store"
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

func newAnswerCmd(g *globals) *cobra.Command {
	var asset, note, reason, decision, measure, rationale string
	cmd := &cobra.Command{
		Use:   "answer ID QUESTION STATUS",
		Short: "Record the answer to one question",
		Long: "Record the answer to one catalog question. STATUS is implemented, partial, not-implemented, " +
			"not-applicable (needs --reason) or flagged. Questions asked per asset need --asset (its ID or name).\n\n" +
			"For addressable specifications, --decision records the §164.306(d)(3) decision, and it must agree with the status:\n" +
			"  as-specified    only with status implemented;\n" +
			"  alternative     an equivalent alternative measure: --measure describes it and --rationale says why the\n" +
			"                  specification as written is not reasonable and appropriate (both are required);\n" +
			"  not-reasonable  not with status implemented; --rationale documents why.\n" +
			"A partial or not-implemented answer may leave the decision out while a confirmed risk that lists the gap plans\n" +
			"its treatment. Not-applicable answers, flagged answers, 42 CFR Part 2 duties and proposed-rule items take no\n" +
			"decision. Answers that break these rules are refused with the reason.",
		Example: "  safeguard answer 3f2a 308a1iia-ra-01 implemented --note \"Inventory reviewed in March\"\n" +
			"  safeguard answer 3f2a 312a2iv-enc-01 not-implemented --asset \"PACS imaging server\" --decision not-reasonable --rationale \"...\"\n" +
			"  safeguard answer 3f2a 312a2iii-logoff-01 implemented --asset PACS --decision alternative --measure \"Workstations lock after 5 minutes\" --rationale \"The viewer has no timeout of its own\"",
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				var assetID string
				if asset != "" {
					snap, err := s.Snapshot(ctx, id)
					if err != nil {
						return err
					}
					if assetID, err = resolveAsset(snap, asset); err != nil {
						return err
					}
				}
				// The command sets the answer outright: it showed the user no earlier one.
				r := assessment.Response{QuestionID: args[1], AssetID: assetID, Status: assessment.ResponseStatus(args[2]),
					Reason: reason, Decision: assessment.Decision(decision), Note: note,
					Version: store.AnyVersion}
				if err := setDecisionText(&r, measure, rationale); err != nil {
					return err
				}
				res, err := s.SaveResponse(ctx, id, r)
				if err != nil {
					return err
				}
				msg := fmt.Sprintf("Saved %s: %s.", args[1], args[2])
				if res.Proposed > 0 {
					msg += fmt.Sprintf(" %d risks proposed from this gap; review them in the risk register.", res.Proposed)
				}
				if res.Withdrawn > 0 {
					msg += fmt.Sprintf(" %d unconfirmed risk proposals withdrawn.", res.Withdrawn)
				}
				fmt.Fprintln(cmd.OutOrStdout(), msg)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&asset, "asset", "", "asset ID or name, for questions asked per asset")
	cmd.Flags().StringVar(&note, "note", "", "note kept with the answer")
	cmd.Flags().StringVar(&reason, "reason", "", "why the question does not apply (needed for not-applicable)")
	cmd.Flags().StringVar(&decision, "decision", "", "addressable specifications: as-specified, alternative or not-reasonable")
	cmd.Flags().StringVar(&measure, "measure", "", "with --decision alternative: the equivalent alternative measure")
	cmd.Flags().StringVar(&rationale, "rationale", "", "with --decision alternative or not-reasonable: why the specification as written is not reasonable and appropriate")
	return cmd
}

// setDecisionText puts --measure and --rationale where the decision keeps them: an
// alternative keeps the measure in DecisionText and the rationale in Reason; a
// not-reasonable decision keeps its rationale in DecisionText.
func setDecisionText(r *assessment.Response, measure, rationale string) error {
	switch r.Decision {
	case assessment.DecisionAlternative:
		if r.Reason != "" {
			return fmt.Errorf("--reason is for not-applicable answers; give an alternative's rationale with --rationale")
		}
		r.DecisionText, r.Reason = measure, rationale
		if strings.TrimSpace(measure) == "" {
			return fmt.Errorf("--decision alternative needs --measure, the equivalent alternative measure")
		}
	case assessment.DecisionNotReasonable:
		if measure != "" {
			return fmt.Errorf("--measure describes an alternative measure; with not-reasonable give only --rationale")
		}
		r.DecisionText = rationale
	default:
		if measure != "" || rationale != "" {
			return fmt.Errorf("--measure and --rationale go with --decision alternative or not-reasonable")
		}
	}
	return nil
}

// named is a record people may give by ID or by name.
type named struct{ id, name string }

// resolveNamed accepts a record's ID or its name (case-insensitive) among items; "" stays
// "". kind ("asset", "vendor") names the record in the error, which lists the names.
func resolveNamed(kind, ref string, items []named) (string, error) {
	if ref == "" {
		return "", nil
	}
	names := make([]string, len(items))
	for i, it := range items {
		if it.id == ref || strings.EqualFold(it.name, ref) {
			return it.id, nil
		}
		names[i] = fmt.Sprintf("%q", it.name)
	}
	if len(names) == 0 {
		return "", fmt.Errorf("the assessment has no %s %q (it has no %ss yet); add %ss first", kind, ref, kind, kind)
	}
	return "", fmt.Errorf("the assessment has no %s %q; its %ss are %s", kind, ref, kind, strings.Join(names, ", "))
}

// resolveAsset accepts an asset's ID or name within the assessment.
func resolveAsset(snap *assessment.Snapshot, ref string) (string, error) {
	items := make([]named, len(snap.Assets))
	for i, a := range snap.Assets {
		items[i] = named{a.ID, a.Name}
	}
	return resolveNamed("asset", ref, items)
}

// resolveVendor accepts a vendor's ID or name within the assessment.
func resolveVendor(snap *assessment.Snapshot, ref string) (string, error) {
	items := make([]named, len(snap.Vendors))
	for i, v := range snap.Vendors {
		items[i] = named{v.ID, v.Name}
	}
	return resolveNamed("vendor", ref, items)
}

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
			"                  --what risks writes the risk register, highest level first.\n" +
			"  --format oscal  NIST OSCAL 1.2.2 assessment results (JSON): the assessment as one result, each answered\n" +
			"                  item as a finding, answers and evidence as observations, risks with likelihood and\n" +
			"                  impact. Control IDs are citations as tokens: §164.308(a)(1)(ii)(A) is hipaa-164.308.a.1.ii.a.\n\n" +
			"CSV files are UTF-8 with a byte order mark (BOM) and CRLF line ends, so Excel and other spreadsheets open " +
			"them with accents and symbols intact; fields are quoted where needed. A cell that starts with =, +, -, @, " +
			"a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it as text instead of running " +
			"it as a formula (CSV injection).\n\n" +
			"The file is written to a temporary file readable only by you and renamed into place, so a failure leaves " +
			"nothing half-written; an existing file is kept unless you add --force. Exporting the same unchanged " +
			"assessment again gives an identical CSV or OSCAL file.",
		Example: "  safeguard export 3f2a --format json --out riverbend-2026.json\n" +
			"  safeguard export 3f2a --format csv --out findings.csv\n" +
			"  safeguard export 3f2a --format csv --what risks --out risk-register.csv\n" +
			"  safeguard export 3f2a --format oscal --out riverbend-2026-oscal-ar.json",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var write func(io.Writer, *assessment.Snapshot) error
			switch format {
			case "json":
			case "csv":
				switch what {
				case "findings":
					write = reports.WriteFindingsCSV
				case "risks":
					write = reports.WriteRisksCSV
				default:
					return fmt.Errorf("unknown --what %q; use findings or risks", what)
				}
			case "oscal":
				write = reports.WriteOSCAL
			default:
				return fmt.Errorf("unknown export format %q; use json, csv or oscal", format)
			}
			if format != "csv" && cmd.Flags().Changed("what") {
				return fmt.Errorf("--what chooses the CSV table; use it with --format csv or leave it out")
			}
			return g.withReadAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				var seal assessment.Seal
				if write == nil {
					doc, err := s.Export(cmd.Context(), id, time.Now())
					if err != nil {
						return err
					}
					key, err := g.signingKey()
					if err != nil {
						return err
					}
					if err := store.SignDocument(doc, key); err != nil {
						return err
					}
					if err := writeOutput(out, force, func(w io.Writer) error { return writeJSON(w, doc) }); err != nil {
						return err
					}
					seal = *doc.Integrity
				} else {
					snap, err := s.Snapshot(cmd.Context(), id)
					if err != nil {
						return err
					}
					if err := writeOutput(out, force, func(w io.Writer) error { return write(w, snap) }); err != nil {
						return err
					}
					seal = snap.Audit.Seal
				}
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

// pathErr drops the path from an *os.PathError; our sentences name the path themselves.
func pathErr(err error) error {
	if pe, ok := errors.AsType[*os.PathError](err); ok {
		return pe.Err
	}
	return err
}
