package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"safeguard/assessment"
	"safeguard/store"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newEvidenceCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "evidence",
		Short: "Add, list, export and remove evidence files and notes",
		Long: "Evidence is kept inside the workspace, identified by its SHA-256, and linked to answers (--question, " +
			"with --asset for per-asset questions), assets (--asset alone) and vendors (--vendor). Assets and vendors " +
			"can be given by ID or name.",
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(
		newEvidenceAddCmd(g),
		newEvidenceNoteCmd(g),
		newEvidenceListCmd(g),
		newEvidenceExportCmd(g),
		newEvidenceRemoveCmd(g),
		newEvidenceLinkCmd(g, true),
		newEvidenceLinkCmd(g, false),
		newEvidenceLimitCmd(g),
		newEvidenceCompactCmd(g),
	)
	return cmd
}

// linkFlags are the --question, --asset and --vendor flags.
type linkFlags struct{ question, asset, vendor string }

func (l *linkFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&l.question, "question", "", "catalog question the evidence supports (with --asset for per-asset questions)")
	cmd.Flags().StringVar(&l.asset, "asset", "", "asset ID or name: with --question the answer for that asset, alone the asset itself")
	cmd.Flags().StringVar(&l.vendor, "vendor", "", "vendor ID or name the evidence is about")
}

// links resolves the flags into evidence links.
func (l *linkFlags) links(ctx context.Context, s *store.Store, assessmentID string) ([]assessment.EvidenceLink, error) {
	snap, err := s.Inventory(ctx, assessmentID)
	if err != nil {
		return nil, err
	}
	assetID, err := resolveAsset(snap, l.asset)
	if err != nil {
		return nil, err
	}
	vendorID, err := resolveVendor(snap, l.vendor)
	if err != nil {
		return nil, err
	}
	var out []assessment.EvidenceLink
	switch {
	case l.question != "":
		out = append(out, assessment.EvidenceLink{QuestionID: l.question, AssetID: assetID})
	case assetID != "":
		out = append(out, assessment.EvidenceLink{AssetID: assetID})
	}
	if vendorID != "" {
		out = append(out, assessment.EvidenceLink{VendorID: vendorID})
	}
	return out, nil
}

func newEvidenceAddCmd(g *globals) *cobra.Command {
	var lf linkFlags
	var name, description, note, validUntil string
	cmd := &cobra.Command{
		Use:   "add ID FILE",
		Short: "Add a file as evidence",
		Long: "Add a file to the assessment's evidence: its content is stored in the workspace (encrypted if the " +
			"workspace is), identified by its SHA-256, and linked as the flags say. The file must be a regular file no " +
			"larger than the workspace's evidence limit (see `safeguard evidence limit`).",
		Example: "  safeguard evidence add 3f2a bitlocker-report.pdf --question 312a2iv-enc-02 --asset \"Staff laptops\"\n" +
			"  safeguard evidence add 3f2a baa-meridian.pdf --vendor \"Meridian Chart Cloud, Inc.\" --valid-until 2027-06-30",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if note != "" && description != "" {
				return errors.New("--note and --description both describe the file; give only one")
			}
			if description == "" {
				description = note
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				links, err := lf.links(ctx, s, id)
				if err != nil {
					return err
				}
				progress := newProgressLine(cmd, "adding "+args[1], 8*assessment.MB)
				e, err := s.AddEvidenceFile(ctx, id, args[1], store.EvidenceMeta{Name: name, Description: description, ValidUntil: validUntil}, links, progress.bytes)
				progress.end()
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Added %s (%s, %s) as evidence %s, SHA-256 %s.\n", assessment.SafeLine(e.Name), e.MediaType, assessment.FormatSize(e.Size), e.ID, e.SHA256)
				return nil
			})
		},
	}
	lf.register(cmd)
	cmd.Flags().StringVar(&name, "name", "", "name to keep instead of the file's own")
	cmd.Flags().StringVar(&description, "description", "", "what the file shows")
	cmd.Flags().StringVar(&note, "note", "", "same as --description")
	cmd.Flags().StringVar(&validUntil, "valid-until", "", "date after which the evidence is stale (YYYY-MM-DD)")
	return cmd
}

func newEvidenceNoteCmd(g *globals) *cobra.Command {
	var lf linkFlags
	var title, text, description, validUntil string
	cmd := &cobra.Command{
		Use:   "note ID --title TITLE --text TEXT",
		Short: "Add a typed note as evidence (an observation, an interview, a walkthrough)",
		Long: "Add a dated note as evidence. Its text is kept in the vault like a file (encrypted if the workspace is). " +
			"--text - reads the text from standard input.",
		Example: "  safeguard evidence note 3f2a --title \"VPN walkthrough\" --text \"MFA is off for vendor accounts\" --question 312d-mfa-01 --asset Firewall",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if text == "-" {
				b, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), store.MaxNoteBytes+1))
				if err != nil {
					return fmt.Errorf("cannot read the note from standard input (%v); pass it with --text", err)
				}
				text = string(b)
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				links, err := lf.links(ctx, s, id)
				if err != nil {
					return err
				}
				e, err := s.AddEvidenceNote(ctx, id, store.EvidenceMeta{Name: title, Description: description, ValidUntil: validUntil}, text, links)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Added note %q as evidence %s, SHA-256 %s.\n", e.Name, e.ID, e.SHA256)
				return nil
			})
		},
	}
	lf.register(cmd)
	cmd.Flags().StringVar(&title, "title", "", "title of the note (required)")
	cmd.Flags().StringVar(&text, "text", "", "text of the note, or - to read it from standard input (required)")
	cmd.Flags().StringVar(&description, "description", "", "short description")
	cmd.Flags().StringVar(&validUntil, "valid-until", "", "date after which the note is stale (YYYY-MM-DD)")
	cmd.MarkFlagRequired("title")
	cmd.MarkFlagRequired("text")
	return cmd
}

func newEvidenceListCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list ID",
		Short: "List an assessment's evidence with hashes and links",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withReadAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				snap, err := s.Snapshot(ctx, id)
				if err != nil {
					return err
				}
				list := snap.Evidence
				if list == nil {
					list = []assessment.Evidence{}
				}
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), list)
				}
				return printEvidence(ctx, cmd.OutOrStdout(), s, snap)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

// printEvidence lists the evidence in index order with the references the PDF gives it
// (E1, E2, …); "expired" is judged on the Analysis's as-of day, as in the report.
func printEvidence(ctx context.Context, w io.Writer, s *store.Store, snap *assessment.Snapshot) error {
	if len(snap.Evidence) == 0 {
		fmt.Fprintln(w, "No evidence yet. Add a file with `safeguard evidence add ID FILE` or a note with `safeguard evidence note ID --title T --text T`.")
		return nil
	}
	a := assessment.Analyze(snap)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REF\tID\tNAME\tTYPE\tSIZE\tSHA-256\tADDED\tVALID UNTIL\tSUPPORTS")
	for _, e := range a.Evidence {
		kind := e.MediaType
		if e.IsNote {
			kind = "note"
		}
		if ok, err := s.HasContent(ctx, e.SHA256); err != nil {
			return err
		} else if !ok {
			kind += " (hash only)"
		}
		valid := orDash(assessment.DocDay(e.ValidUntil))
		if a.Overdue(e.ValidUntil) {
			valid += " (expired)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.EvidenceRef[e.ID], e.ID[:min(8, len(e.ID))], assessment.SafeLine(e.Name),
			assessment.SafeLine(kind), assessment.FormatSize(e.Size), e.SHA256[:min(12, len(e.SHA256))], assessment.DocDate(e.AddedAt), valid,
			assessment.SafeLine(linkText(a, e.Links)))
	}
	return tw.Flush()
}

// linkText describes what evidence supports, with asset and vendor names.
func linkText(a *assessment.Analysis, links []assessment.EvidenceLink) string {
	if len(links) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(links))
	for _, l := range links {
		switch {
		case l.QuestionID != "" && l.AssetID != "":
			parts = append(parts, l.QuestionID+" @ "+a.AssetName(l.AssetID))
		case l.QuestionID != "":
			parts = append(parts, l.QuestionID)
		case l.AssetID != "":
			parts = append(parts, "asset "+a.AssetName(l.AssetID))
		case l.VendorID != "":
			parts = append(parts, "vendor "+a.VendorName(l.VendorID))
		}
	}
	return strings.Join(parts, "; ")
}

func newEvidenceExportCmd(g *globals) *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:     "export ID SHA256 --out FILE",
		Short:   "Write an evidence file or note back out, byte for byte as it was added",
		Long:    "Write evidence content to a file. Name it by its SHA-256 (or a prefix of at least 8 digits) or its evidence ID. The content is checked against its SHA-256 on the way; nothing is written if it does not match.",
		Example: "  safeguard evidence export 3f2a 9b1c44e0 --out bitlocker-report.pdf",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withReadAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				e, err := s.ResolveEvidence(ctx, id, args[1])
				if err != nil {
					return err
				}
				if err := writeFile(cmd.ErrOrStderr(), out, force, func(w io.Writer) error { return s.EvidenceContent(ctx, e.SHA256, w) }); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s (%s, SHA-256 %s) to %s.\n", assessment.SafeLine(e.Name), assessment.FormatSize(e.Size), e.SHA256, out)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "file to write (required)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	cmd.MarkFlagRequired("out")
	return cmd
}

func newEvidenceRemoveCmd(g *globals) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "remove ID EVIDENCE-ID",
		Short: "Remove an evidence item and its links (asks for confirmation)",
		Long: "Remove an evidence item and its links; the audit trail records it. The content leaves the workspace when " +
			"no other evidence item uses it. Without --yes you are asked to confirm.",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				e, err := s.ResolveEvidence(ctx, id, args[1])
				if err != nil {
					return err
				}
				if !yes {
					if err := confirm(cmd.InOrStdin(), cmd.ErrOrStderr(), fmt.Sprintf("Remove evidence %q (%s)? Type yes to confirm: ", e.Name, e.ID)); err != nil {
						return err
					}
				}
				if err := s.RemoveEvidence(ctx, id, e.ID); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Removed evidence %s (%s).\n", assessment.SafeLine(e.Name), e.ID)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "remove without asking")
	return cmd
}

func newEvidenceLinkCmd(g *globals, link bool) *cobra.Command {
	var lf linkFlags
	use, short := "link ID EVIDENCE-ID", "Link evidence to an answer, asset or vendor"
	if !link {
		use, short = "unlink ID EVIDENCE-ID", "Remove a link from evidence (the evidence stays)"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				e, err := s.ResolveEvidence(ctx, id, args[1])
				if err != nil {
					return err
				}
				links, err := lf.links(ctx, s, id)
				if err != nil {
					return err
				}
				if len(links) == 0 {
					return errors.New("no link was given; use --question (with --asset), --asset or --vendor")
				}
				for _, l := range links {
					if link {
						err = s.LinkEvidence(ctx, id, e.ID, l)
					} else {
						err = s.UnlinkEvidence(ctx, id, e.ID, l)
					}
					if err != nil {
						return err
					}
				}
				verb := "Linked"
				if !link {
					verb = "Unlinked"
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s.\n", verb, assessment.SafeLine(e.Name))
				return nil
			})
		},
	}
	lf.register(cmd)
	return cmd
}

func newEvidenceCompactCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "compact",
		Short: "Rewrite the workspace file without free space, so no trace of removed evidence remains in it",
		Long: "Rewrite the workspace into a new file without free space (SQLite VACUUM INTO), check it (it opens and holds " +
			"the same audit chain head and as many rows in every table) and put it in place of the old file. It writes the " +
			"workspace once and takes up to about one and a half times as long as copying the file; it needs room for a second copy beside the workspace.\n\n" +
			"No other safeguard process may have the workspace open meanwhile (close the full-screen view first): compact " +
			"refuses to start otherwise, and a command started while it runs waits for it. Interrupted or killed, it leaves " +
			"the workspace either as it was or completely compacted, never half-written; the next run removes an unfinished copy.\n\n" +
			"Removed evidence is overwritten with zeros when it is removed; the new file also leaves out leftover fragments that " +
			"database pages may keep, and it takes only the space its data needs. The old file is deleted, not overwritten: the file system frees its " +
			"space, and until it is reused its contents could be read from the raw disk by someone with access to the device " +
			"(solid-state and copy-on-write disks keep old blocks anyway). Encrypt the workspace, or the disk, to keep removed " +
			"evidence out of reach there.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, _, err := g.workspacePath()
			if err != nil {
				return err
			}
			res, err := store.Compact(cmd.Context(), path, g.options(false, false))
			g.reportOpen(res.RemovedTemp, res.History)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Compacted %s: %s before, %s now.\n", res.Path,
				assessment.FormatSize(res.Before), assessment.FormatSize(res.After))
			return nil
		},
	}
}

func newEvidenceLimitCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "limit [SIZE]",
		Short:   "Show or set the largest evidence file the workspace accepts (default 100MB)",
		Example: "  safeguard evidence limit 250MB",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var n int64
			if len(args) == 1 {
				var err error
				if n, err = assessment.ParseSize(args[0]); err != nil {
					return err
				}
			}
			return g.withStore(func(s *store.Store) error {
				ctx := cmd.Context()
				if len(args) == 0 {
					n, err := s.EvidenceLimit(ctx)
					if err != nil {
						return err
					}
					fmt.Fprintf(cmd.OutOrStdout(), "Evidence files may be up to %s.\n", assessment.FormatSize(n))
					return nil
				}
				if err := s.SetEvidenceLimit(ctx, n); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Evidence files may now be up to %s.\n", assessment.FormatSize(n))
				return nil
			})
		},
	}
}

func newEncryptCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "encrypt",
		Short: "Encrypt the workspace's evidence with a passphrase",
		Long: "Encrypt the evidence files and notes of the workspace (AES-256-GCM, key from the passphrase with Argon2id). " +
			"Afterwards adding, exporting and verifying evidence needs the passphrase, typed at the prompt or given in " +
			passphraseEnv + ". Run it on a new --db path to start an encrypted workspace. Metadata stays readable: file " +
			"names, note titles, sizes, SHA-256s, links, answers, risks and the audit trail. There is no way to recover " +
			"the evidence without the passphrase.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withStore(func(s *store.Store) error {
				ctx := cmd.Context()
				if enc, err := s.Encrypted(ctx); err != nil {
					return err
				} else if enc {
					return errors.New("the workspace is already encrypted; change its passphrase with `safeguard passphrase`")
				}
				pass, err := g.newPassphrase()
				if err != nil {
					return err
				}
				progress := newProgressLine(cmd, "encrypting evidence", 8*assessment.MB)
				err = s.EncryptWorkspace(ctx, pass, progress.bytes)
				progress.end()
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Encrypted the evidence in %s. Adding, exporting and verifying evidence now needs the passphrase; keep it safe, it cannot be recovered.\n", s.Path())
				return nil
			})
		},
	}
}
