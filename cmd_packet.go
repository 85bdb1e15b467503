package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/reports/packet"
	"safeguard/reports/sheets"
	"safeguard/store"
)

// Questionnaire packets: workbooks for people without safeguard.

func newPacketCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "packet",
		Short: "Send questions to people without safeguard as an Excel workbook, and import their answers",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newPacketExportCmd(g), newPacketImportCmd(g), newPacketListCmd(g))
	return cmd
}

func newPacketExportCmd(g *globals) *cobra.Command {
	var respondent, who, deadline, out string
	var sections, assets []string
	var open, force bool
	cmd := &cobra.Command{
		Use:   "export ID --for \"Name, role\" --out FILE.xlsx [--who W]",
		Short: "Write a questionnaire workbook (.xlsx) for someone to answer without safeguard",
		Long: "Write an Excel workbook of questions for one person (--for) to answer and send back: an instructions " +
			"sheet (what to do, how to return it, the deadline), then one row per item with its ID, the question, help, " +
			"the asset it is about, a Status list, a Note cell and the evidence they could send. Only the Status and " +
			"Note cells can be changed; a hidden, protected record names the packet, the assessment and the version of " +
			"each item's answer, and the workspace records the packet (audited) so `packet import` can tell a returned " +
			"workbook from an edited or foreign one.\n\n" +
			"Choose the items with --who (the catalog's \"who can usually answer\": office-manager, it-provider, vendor " +
			"or anyone), --section (a citation prefix such as 164.308 or 164.312(a); repeatable), --asset (an asset's name " +
			"or ID, or \"organization\" for the organization-wide items; repeatable) and --open (only items still open: " +
			"unanswered, flagged or carried over). Current answers are filled in for the respondent to confirm or correct. " +
			"The deadline defaults to 14 days from today.",
		Example: "  safeguard packet export 3f2a --for \"Dana Reyes, office manager\" --who office-manager --open --out dana.xlsx\n" +
			"  safeguard packet export 3f2a --for \"Northgate Managed IT\" --who it-provider --asset \"Clinic network and VPN\" --out northgate.xlsx",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if k, err := sheets.KindOf(out); err != nil || k != sheets.XLSX {
				return fmt.Errorf("--out must name an .xlsx file (the packet is an Excel workbook)")
			}
			name, err := assessment.CleanName("respondent (--for)", respondent)
			if err != nil {
				return err
			}
			f := assessment.PacketFilter{Who: controls.Answerer(who), Sections: sections, Open: open}
			if who != "" && !containsAnswerer(f.Who) {
				return fmt.Errorf("--who %q is not one of office-manager, it-provider, vendor or anyone", who)
			}
			if deadline == "" {
				deadline = time.Now().AddDate(0, 0, 14).Format(time.DateOnly)
			} else if err := assessment.CheckDate("deadline", deadline); err != nil {
				return err
			}
			if err := checkOut(out, force); err != nil {
				return err
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := analyze(ctx, s, id)
				if err != nil {
					return err
				}
				for _, ref := range assets {
					if strings.EqualFold(ref, "organization") {
						f.Assets = append(f.Assets, "")
						continue
					}
					aid, err := resolveAsset(a.Snap, ref)
					if err != nil {
						return err
					}
					f.Assets = append(f.Assets, aid)
				}
				p, err := s.NewPacket(ctx, a, f, name, deadline)
				if err != nil {
					return err
				}
				if err := writePacket(ctx, cmd.ErrOrStderr(), s, p, out, force); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Wrote packet %s for %s to %s: %s, due %s.\n", p.ID, name, out,
					assessment.Plural(len(p.Items), "item", "items"), assessment.DocDay(deadline))
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&respondent, "for", "", "who will answer: \"Name, role\" (required)")
	fl.StringVar(&who, "who", "", "only the items this kind of person usually answers: office-manager, it-provider, vendor or anyone")
	fl.StringArrayVar(&sections, "section", nil, "only items citing this section prefix (164.308, 164.312(a)); repeatable")
	fl.StringArrayVar(&assets, "asset", nil, "only items about this asset (name or ID, or \"organization\"); repeatable")
	fl.BoolVar(&open, "open", false, "only items still open (unanswered, flagged or carried over)")
	fl.StringVar(&deadline, "deadline", "", "when to send it back (YYYY-MM-DD; default 14 days from today)")
	fl.StringVarP(&out, "out", "o", "", "the .xlsx file to write (required)")
	fl.BoolVar(&force, "force", false, "overwrite an existing file")
	cmd.MarkFlagRequired("for")
	cmd.MarkFlagRequired("out")
	return cmd
}

func containsAnswerer(a controls.Answerer) bool {
	for _, x := range controls.Answerers {
		if x == a {
			return true
		}
	}
	return false
}

// writePacket writes the workbook of p to out and records the packet. The TUI's export
// calls it too.
func writePacket(ctx context.Context, notice io.Writer, s *store.Store, p *assessment.Packet, out string, force bool) error {
	rec := store.NewPacketRecord(p, filepath.Base(out))
	return writeFile(notice, out, force, func(w io.Writer) error {
		if err := packet.Write(w, p, rec.Checksum); err != nil {
			return err
		}
		// Recorded before the workbook is renamed into place: no packet leaves without
		// the workspace's record of it.
		return s.RecordPacket(ctx, rec)
	})
}

func newPacketImportCmd(g *globals) *cobra.Command {
	var yes bool
	var take string
	cmd := &cobra.Command{
		Use:   "import ID FILE.xlsx [--yes] [--take mine|theirs]",
		Short: "Show what a returned questionnaire workbook would change, and apply it",
		Long: "Read a workbook `packet export` wrote and its respondent filled in, and show what it would change: new " +
			"answers, changed answers, unchanged ones, and conflicts (the item's answer changed in the workspace after the " +
			"packet was made). The workbook must be one this workspace exported for this assessment, with its locked " +
			"cells and record as exported (each edited cell is named), its statuses from the list, and every answered " +
			"item still applicable; otherwise nothing is imported (exit 2). Conflicts need a decision: --take mine keeps " +
			"the workspace's answers, --take theirs uses the returned ones (or decide one by one in the terminal " +
			"interface's review screen).\n\n" +
			"The answers are applied in one transaction, each recorded as answered by the packet's respondent " +
			"(\"answered by <respondent> (questionnaire returned <date>)\" in reports) and imported by you, now; the " +
			"packet is marked returned. The preview is applied after you confirm on a terminal, or at once with --yes; " +
			"without a terminal and without --yes only the preview is printed. Limits: 16 MB, at most 64 MB unpacked, " +
			"10,000 rows.",
		Example: "  safeguard packet import 3f2a dana-returned.xlsx\n  safeguard packet import 3f2a dana-returned.xlsx --yes --take theirs",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if take != "" && take != "mine" && take != "theirs" {
				return fmt.Errorf("--take %q is not mine or theirs", take)
			}
			ret, err := readPacketFile(args[1])
			if err != nil {
				return err
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				plan, err := s.PlanReturn(ctx, id, ret, time.Now())
				if err != nil {
					return err
				}
				printPacketPlan(cmd.OutOrStdout(), plan)
				var bad []string
				for _, c := range plan.Changes {
					if c.Kind == assessment.PacketInvalid || c.Kind == assessment.PacketNotAsked || (c.Kind == assessment.PacketConflict && take == "") {
						bad = append(bad, c.Why)
					}
				}
				if len(bad) > 0 {
					hint := "correct the workbook (or ask the respondent to) and import it again"
					if plan.Count(assessment.PacketConflict) > 0 && take == "" {
						hint = "decide the conflicts with --take mine or --take theirs, correct any other rows, and import again"
					}
					return fmt.Errorf("%s: %s; nothing was imported, so %s", args[1], strings.Join(bad, "; "), hint)
				}
				decisions := store.PacketDecisions(plan, take == "theirs")
				n := 0
				for _, d := range decisions {
					if d.Apply {
						n++
					}
				}
				if n == 0 {
					fmt.Fprintln(cmd.OutOrStdout(), "Nothing to apply.")
					return nil
				}
				if ok, err := confirmApply(cmd, g.stdin, yes, fmt.Sprintf("Apply %s?", assessment.Plural(n, "answer", "answers"))); !ok || err != nil {
					return err
				}
				applied, err := s.ApplyPacket(ctx, id, ret.ID, decisions)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Applied %s from packet %s.\n", assessment.Plural(applied, "answer", "answers"), ret.ID)
				return nil
			})
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "apply without asking")
	cmd.Flags().StringVar(&take, "take", "", "for conflicts: mine (keep the workspace's answers) or theirs (use the returned ones)")
	return cmd
}

// readPacketFile reads a returned workbook from a regular file.
func readPacketFile(path string) (*assessment.PacketReturn, error) {
	if k, err := sheets.KindOf(path); err != nil || k != sheets.XLSX {
		return nil, fmt.Errorf("%s is not an .xlsx workbook; import the workbook `safeguard packet export` wrote", path)
	}
	f, err := store.OpenInput(path, "a questionnaire workbook (.xlsx)")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := sheets.ReadAll(path, f)
	if err != nil {
		return nil, err
	}
	ret, err := packet.Read(filepath.Base(path), data)
	if err != nil {
		return nil, err
	}
	ret.File = path
	return ret, nil
}

func printPacketPlan(w io.Writer, plan *assessment.PacketPlan) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROW\tITEM\tCHANGE\tNOW\tRETURNED")
	for _, c := range plan.Changes {
		if c.Kind == assessment.PacketSame {
			continue
		}
		now := "—"
		if c.Current != nil {
			now = c.Current.Status.Short()
		}
		returned := c.Answer.Status.Short()
		if c.Kind == assessment.PacketInvalid || c.Kind == assessment.PacketNotAsked {
			returned = c.Why
		}
		item := c.Item.QuestionID
		if len(c.Item.Locked) > 3 && c.Item.AssetID != "" {
			item += " · " + c.Item.Locked[3]
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", c.Row, item, c.Kind, now, returned)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d new, %d changed, %d unchanged, %d in conflict, %d invalid, %d no longer asked.\n",
		plan.Count(assessment.PacketNew), plan.Count(assessment.PacketChange), plan.Count(assessment.PacketSame),
		plan.Count(assessment.PacketConflict), plan.Count(assessment.PacketInvalid), plan.Count(assessment.PacketNotAsked))
}

func newPacketListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list ID",
		Short: "List the questionnaire packets of an assessment and whether they came back",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withReadAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				ps, err := s.Packets(ctx, id)
				if err != nil {
					return err
				}
				if len(ps) == 0 {
					fmt.Fprintln(cmd.OutOrStdout(), "No packets yet. Write one with `safeguard packet export ID --for \"Name, role\" --out FILE.xlsx`.")
					return nil
				}
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "PACKET\tFOR\tITEMS\tEXPORTED\tDUE\tRETURNED")
				for _, p := range ps {
					ret := "not yet"
					if p.Returned() {
						ret = fmt.Sprintf("%s (%d applied, %d not)", assessment.DocDate(p.ReturnedAt), p.Applied, p.Rejected)
					}
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", p.ID, p.Respondent, len(p.Items), assessment.DocDate(p.ExportedAt), assessment.DocDay(p.Deadline), ret)
				}
				return tw.Flush()
			})
		},
	}
}
