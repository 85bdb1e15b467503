package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
)

// Assessor bundles: one assessment with its evidence, to work on in another workspace
// and merge back.

func newBundleCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bundle",
		Short: "Hand an assessment to a second assessor and merge their work back",
		Long: "A bundle carries one assessment with its evidence to another workspace. The second assessor imports it " +
			"(`bundle import`), works, and exports a bundle again; `bundle merge` brings their changes into the original " +
			"by comparing both sides with the common base the bundle records: what changed on one side only is taken, " +
			"what changed on both sides is a conflict to decide. Bundles hold evidence content unencrypted: keep them as " +
			"you keep exports.",
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newBundleExportCmd(g), newBundleImportCmd(g), newBundleMergeCmd(g))
	return cmd
}

func newBundleExportCmd(g *globals) *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "export ID --out FILE [--force]",
		Short: "Write a bundle of an assessment (JSON plus its evidence, compressed) for another assessor",
		Long: "Write one assessment with the content of its evidence to FILE (a zip archive): the assessment as " +
			"`export --format json` writes it, each evidence file, and a manifest with the audit chain head it was made " +
			"at, the SHA-256 of every part, and the common base a later merge compares against (the assessment ID and, " +
			"per record, its version and the SHA-256 of its content). With a signing key the manifest is signed. The " +
			"export is recorded in the audit trail.",
		Example: "  safeguard bundle export 3f2a --out riverbend-for-jordan.sgb",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOut(out, force); err != nil {
				return err
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				key, err := g.signingKey()
				if err != nil {
					return err
				}
				var m *store.BundleManifest
				err = writeFile(cmd.ErrOrStderr(), out, force, func(w io.Writer) error {
					var err error
					if m, err = s.ExportBundle(ctx, id, filepath.Base(out), key, w); err != nil {
						return err
					}
					return s.RecordBundleExport(ctx, m, filepath.Base(out))
				})
				if err != nil {
					return err
				}
				msg := fmt.Sprintf("Wrote bundle %s to %s: the assessment and %s, at audit chain head %d:%s",
					m.ID, out, assessment.Plural(len(m.Blobs), "evidence file", "evidence files"), m.Integrity.Seq, m.Integrity.Head)
				if m.Integrity.Signed() {
					msg += "; signed by key " + m.Integrity.KeyFingerprint
				}
				fmt.Fprintln(cmd.OutOrStdout(), msg+".")
				return nil
			})
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "file to write (required)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	cmd.MarkFlagRequired("out")
	return cmd
}

// readBundleFile opens and checks a bundle; the caller closes the file.
func readBundleFile(path string) (*store.Bundle, *os.File, error) {
	cat, err := controls.Default()
	if err != nil {
		return nil, nil, err
	}
	f, err := store.OpenInput(path, "a bundle written by `safeguard bundle export`")
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	b, err := store.ReadBundle(f, st.Size(), path, cat)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return b, f, nil
}

func newBundleImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE",
		Short: "Add the assessment of a bundle to this workspace, keeping its IDs so it can be merged back",
		Long: "Add the bundle's assessment, with its evidence, to this workspace in one transaction. Its IDs are kept " +
			"(merging back needs them), so an assessment already here is refused: merge the bundle instead. Answers and " +
			"evidence keep who made them and when, marked as imported from the bundle; the common base is recorded for " +
			"the merge back.",
		Example: "  safeguard --db jordan.db bundle import riverbend-for-jordan.sgb",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, f, err := readBundleFile(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			return g.withStore(func(s *store.Store) error {
				res, err := s.ImportBundle(cmd.Context(), b)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), res.ID)
				if res.Why != "" && !res.Final {
					fmt.Fprintf(cmd.ErrOrStderr(), "Imported as a draft without the bundle's sign-off: %s.\n", res.Why)
				}
				return nil
			})
		},
	}
}

var takeRE = regexp.MustCompile(`^(?:([^=\s]+|[a-z ]+:[^=]+)=)?(mine|theirs)$`)

func newBundleMergeCmd(g *globals) *cobra.Command {
	var takes []string
	var yes bool
	cmd := &cobra.Command{
		Use:   "merge ID FILE [--take mine|theirs] [--yes]",
		Short: "Merge another assessor's bundle into this assessment",
		Long: "Compare the bundle with this assessment and the common base both started from: a record (answer, owner " +
			"override, risk, asset, vendor, data flow, evidence or evidence link) changed only in the bundle is taken; " +
			"one changed only here is kept; one changed on both sides differently is a conflict, numbered C1, C2, … in " +
			"the preview. Decide conflicts with --take mine or --take theirs for all of them, or --take C2=theirs for one " +
			"(repeatable; the first form sets the rest). The profile, the record of the method, incidents and the " +
			"sign-off are not merged; the preview says when the bundle's differ.\n\n" +
			"The merge is one transaction, audited; every merged answer and evidence file keeps its author and time, " +
			"marked as merged from the bundle. Merging the same bundle again changes nothing. A bundle of another " +
			"assessment, of a line of work this workspace never exported or imported, with a changed part or signature, " +
			"or whose base this workspace's audit chain no longer holds is refused. The preview is applied after you " +
			"confirm on a terminal, or at once with --yes; without a terminal and without --yes only the preview is printed.",
		Example: "  safeguard bundle merge 3f2a riverbend-from-jordan.sgb\n" +
			"  safeguard bundle merge 3f2a riverbend-from-jordan.sgb --take mine --take C3=theirs --yes",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			def, one, err := parseTakes(takes)
			if err != nil {
				return err
			}
			b, f, err := readBundleFile(args[1])
			if err != nil {
				return err
			}
			defer f.Close()
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				p, err := s.PreviewMerge(ctx, id, b)
				if err != nil {
					return err
				}
				if p.Already != nil {
					fmt.Fprintf(cmd.OutOrStdout(), "Bundle %s was already merged (%s); nothing changed.\n", b.Manifest.ID, assessment.DocTime(p.Already.At))
					return nil
				}
				printMerge(cmd.OutOrStdout(), p.Plan)
				theirs := map[string]bool{}
				var undecided []string
				for _, c := range p.Plan.Conflicts {
					d, ok := one[c.Ref]
					if !ok {
						d, ok = one[c.Key.String()]
					}
					if !ok {
						d, ok = one[answerName(c.Key)]
					}
					if !ok {
						d, ok = def, def != ""
					}
					if !ok {
						undecided = append(undecided, c.Ref)
					}
					theirs[c.Ref] = d == "theirs"
				}
				for k := range one {
					if !knownConflict(p.Plan, k) {
						return fmt.Errorf("--take %s names no conflict of this merge; the conflicts are %s", k, conflictRefs(p.Plan))
					}
				}
				if len(undecided) > 0 {
					return fmt.Errorf("%s: %s a decision; add --take mine or --take theirs, or --take %s=theirs for one (nothing was merged)",
						args[1], assessment.Plural(len(undecided), "conflict needs", "conflicts need"), undecided[0])
				}
				if len(p.Plan.Take)+len(p.Plan.Conflicts) == 0 {
					fmt.Fprintln(cmd.OutOrStdout(), "Nothing to merge: the bundle holds no change this assessment lacks.")
					return nil
				}
				if ok, err := confirmApply(cmd, g.stdin, yes, "Merge?"); !ok || err != nil {
					return err
				}
				res, err := s.ApplyMerge(ctx, id, b, p, theirs)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Merged bundle %s: %s taken, %s decided for theirs, %s kept as here.\n", b.Manifest.ID,
					assessment.Plural(res.Taken, "change", "changes"), assessment.Plural(res.Theirs, "conflict", "conflicts"),
					assessment.Plural(res.Mine, "conflict", "conflicts"))
				return nil
			})
		},
	}
	cmd.Flags().StringArrayVar(&takes, "take", nil, "mine or theirs for every conflict, or C2=theirs for one (by its label, its key, or an organization-wide answer's question ID; repeatable)")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "apply without asking")
	return cmd
}

func parseTakes(takes []string) (def string, one map[string]string, err error) {
	one = map[string]string{}
	for _, t := range takes {
		m := takeRE.FindStringSubmatch(strings.TrimSpace(t))
		if m == nil {
			return "", nil, fmt.Errorf("--take %q is not mine, theirs, or CONFLICT=mine|theirs (such as C2=theirs)", t)
		}
		if m[1] == "" {
			if def != "" && def != m[2] {
				return "", nil, fmt.Errorf("--take mine and --take theirs both given for all conflicts; give one, and CONFLICT=… for exceptions")
			}
			def = m[2]
			continue
		}
		one[m[1]] = m[2]
	}
	return def, one, nil
}

func knownConflict(p *assessment.MergePlan, ref string) bool {
	for _, c := range p.Conflicts {
		if c.Ref == ref || c.Key.String() == ref || answerName(c.Key) == ref {
			return true
		}
	}
	return false
}

// answerName is how --take may name an organization-wide answer in conflict: by its
// question ID alone ("" for any other record).
func answerName(k assessment.MergeKey) string {
	if q, ok := strings.CutSuffix(k.ID, "/"); ok && k.Kind == assessment.MergeResponse {
		return q
	}
	return ""
}

func conflictRefs(p *assessment.MergePlan) string {
	if len(p.Conflicts) == 0 {
		return "none"
	}
	var refs []string
	for _, c := range p.Conflicts {
		refs = append(refs, c.Ref)
	}
	return strings.Join(refs, ", ")
}

func printMerge(w io.Writer, p *assessment.MergePlan) {
	for _, c := range p.Take {
		verb := "take"
		if c.Theirs == nil {
			verb = "remove"
		} else if c.Mine == nil {
			verb = "add"
		}
		fmt.Fprintf(w, "  %-7s %s: %s\n", verb, c.Label, assessment.MergeSummary(c.Theirs))
	}
	for _, c := range p.Conflicts {
		fmt.Fprintf(w, "  %-7s %s (%s)\n           here:   %s\n           theirs: %s\n", c.Ref, c.Label, c.Key,
			assessment.MergeSummary(c.Mine), assessment.MergeSummary(c.Theirs))
	}
	for _, n := range p.NotMerged {
		fmt.Fprintf(w, "  Not merged: %s.\n", n)
	}
	fmt.Fprintf(w, "%s to take from the bundle, %s, %s kept as changed here.\n",
		assessment.Plural(len(p.Take), "change", "changes"), assessment.Plural(len(p.Conflicts), "conflict", "conflicts"),
		assessment.Plural(p.Kept, "record", "records"))
}
