package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
	"safeguard/store/signing"
	"safeguard/ui"
)

// globals are the flags every command takes, and what a run keeps (workspace.go).
type globals struct {
	db         string
	actor      string
	accessible bool
	unsigned   bool // --unsigned: make no signatures this run

	errOut       io.Writer    // the command's stderr, for warnings
	quietHistory bool         // verify reports the last-seen warning itself
	key          *signing.Key // the signing key, once unlocked
}

func newRootCmd(stdin io.Reader) *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "safeguard",
		Short: "Offline HIPAA Security Rule risk analysis in your terminal",
		Long: "safeguard walks you through the HIPAA Security Rule (45 CFR Part 164, Subpart C) with plain " +
			"questions built on NIST SP 800-66r2, keeps answers, evidence and risks in a local workspace " +
			"under a tamper-evident audit trail, and produces an audit-ready risk analysis.\n\n" +
			"With no command it opens the terminal interface on the workspace.",
		Args: cobra.NoArgs,
		PersistentPreRun: func(cmd *cobra.Command, _ []string) {
			g.errOut = cmd.ErrOrStderr()
			if cmd != cmd.Root() {
				// The TUI handles these signals itself and restores the terminal.
				stopSignals = removeTempOnSignal()
			}
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := g.open()
			if err != nil {
				return err
			}
			defer s.Close()
			cat, err := controls.Default()
			if err != nil {
				return err
			}
			if err := unlockBeforeTUI(cmd.Context(), s); err != nil {
				return err
			}
			// The signing key too, if there is one: the TUI cannot prompt for it later.
			key, err := g.signingKey()
			if err != nil {
				return err
			}
			s.SetSigner(func() (*signing.Key, error) { return key, nil })
			accessible := g.accessible || os.Getenv("TERM") == "dumb"
			if !accessible && !(term.IsTerminal(os.Stdin.Fd()) && term.IsTerminal(os.Stdout.Fd())) {
				return fmt.Errorf("the full-screen view needs a terminal; run safeguard in one, add --accessible for plain prompts, or use the commands in safeguard --help")
			}
			return ui.Run(cmd.Context(), ui.Options{Store: s, Catalog: cat, Accessible: accessible})
		},
	}
	root.PersistentFlags().StringVar(&g.db, "db", "", "workspace file (default: $SAFEGUARD_DB, or "+defaultPathText()+")")
	root.PersistentFlags().BoolVar(&g.unsigned, "unsigned", false, "do not sign sign-offs, reports and exports this run, even with a signing key")
	root.PersistentFlags().StringVar(&g.actor, "actor", "", "name recorded in the audit trail (default: your OS user name)")
	root.Flags().BoolVar(&g.accessible, "accessible", false, "plain prompts instead of full-screen forms, for screen readers")
	root.AddCommand(
		newNewCmd(g),
		newAssessmentsCmd(g),
		newRenameCmd(g),
		newDeleteCmd(g, stdin),
		newVerifyCmd(g),
		newDemoCmd(g),
		newAnswerCmd(g),
		newExportCmd(g),
		newImportCmd(g),
		newCatalogCmd(),
		newVersionCmd(),
	)
	for _, mk := range extraCommands {
		root.AddCommand(mk(g))
	}
	return root
}

// extraCommands are added by the command files of larger features (reports, evidence)
// from their init functions, so each feature keeps its CLI in its own file.
var extraCommands []func(*globals) *cobra.Command

// withAssessment opens the workspace, resolves the assessment named by ref (an ID or a
// unique prefix) and runs fn with it.
func (g *globals) withAssessment(cmd *cobra.Command, ref string, fn func(ctx context.Context, s *store.Store, id string) error) error {
	return g.withStore(func(s *store.Store) error {
		id, err := s.ResolveAssessment(cmd.Context(), ref)
		if err != nil {
			return err
		}
		return fn(cmd.Context(), s, id)
	})
}

// withStore runs fn with the open workspace and closes it afterwards.
func (g *globals) withStore(fn func(*store.Store) error) error {
	s, err := g.open()
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

func newNewCmd(g *globals) *cobra.Command {
	var org, title string
	var encrypt bool
	cmd := &cobra.Command{
		Use:     "new --org NAME --title TITLE",
		Short:   "Add an empty assessment and print its ID",
		Example: `  safeguard new --org "Maple Family Practice" --title "2026 risk analysis"`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := controls.Default()
			if err != nil {
				return err
			}
			return g.withStore(func(s *store.Store) error {
				if encrypt {
					if err := encryptNew(cmd.Context(), s); err != nil {
						return err
					}
				}
				a, err := s.CreateAssessment(cmd.Context(), store.NewAssessment{Title: title, Organization: org, CatalogVersion: cat.Version})
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), a.ID)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "organization assessed (required)")
	cmd.Flags().StringVar(&title, "title", "", "title of the assessment (required)")
	cmd.Flags().BoolVar(&encrypt, "encrypt", false, "encrypt the workspace's evidence with a passphrase first ($SAFEGUARD_PASSPHRASE or a prompt)")
	cmd.MarkFlagRequired("org")
	cmd.MarkFlagRequired("title")
	return cmd
}

func newAssessmentsCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "assessments",
		Short: "List the assessments in the workspace",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			err := g.withReadStore(func(s *store.Store) error {
				list, err := s.Assessments(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), assessmentsJSON(list))
				}
				printAssessments(cmd.OutOrStdout(), list)
				return nil
			})
			if errors.Is(err, store.ErrNoWorkspace) {
				// Listing creates nothing: a first run just has nothing to list yet.
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), []assessment.Assessment{})
				}
				printAssessments(cmd.OutOrStdout(), nil)
				return nil
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func assessmentsJSON(list []assessment.Assessment) []assessment.Assessment {
	if list == nil {
		return []assessment.Assessment{} // [] rather than null for scripts
	}
	return list
}

func printAssessments(w io.Writer, list []assessment.Assessment) {
	if len(list) == 0 {
		fmt.Fprintln(w, "No assessments yet. Create one with `safeguard new --org NAME --title TITLE` or open the TUI with `safeguard`.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tORGANIZATION\tSTATUS\tCHANGED")
	for _, a := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", assessment.SafeLine(a.ID), assessment.SafeLine(a.Title), assessment.SafeLine(a.Organization),
			a.Status.Label(), a.UpdatedAt.Local().Format("2006-01-02 15:04"))
	}
	tw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newRenameCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "rename ID TITLE",
		Short: "Change an assessment's title",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				return s.RenameAssessment(cmd.Context(), id, args[1])
			})
		},
	}
}

func newDeleteCmd(g *globals, stdin io.Reader) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete ID",
		Short: "Delete an assessment (asks for confirmation)",
		Long:  "Delete an assessment and everything recorded in it. The audit trail keeps its history. Without --yes you are asked to confirm.",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := s.Assessment(cmd.Context(), id)
				if err != nil {
					return err
				}
				if !yes {
					if err := confirm(stdin, cmd.ErrOrStderr(), fmt.Sprintf("Delete %q of %s and all its answers? Type yes to confirm: ", a.Title, a.Organization)); err != nil {
						return err
					}
				}
				if err := s.DeleteAssessment(cmd.Context(), id); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Deleted %s (%s).\n", assessment.SafeLine(a.Title), id)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "delete without asking")
	return cmd
}

// confirm asks on a terminal and refuses when there is nobody to ask.
func confirm(stdin io.Reader, w io.Writer, prompt string) error {
	if f, ok := stdin.(*os.File); !ok || !term.IsTerminal(f.Fd()) {
		return fmt.Errorf("deleting needs confirmation; run it in a terminal or add --yes")
	}
	fmt.Fprint(w, prompt)
	line, _ := bufio.NewReader(stdin).ReadString('\n')
	if strings.TrimSpace(strings.ToLower(line)) != "yes" {
		return fmt.Errorf("not deleted: the answer was not yes")
	}
	return nil
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, VCS revision and workspace schema",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			catVersion := "unavailable"
			if c, err := controls.Default(); err == nil {
				catVersion = c.Version
			}
			fmt.Fprintf(cmd.OutOrStdout(), "safeguard %s\nworkspace schema %d, catalog %s\n", versionString(), store.SchemaVersion(), catVersion)
		},
	}
}

// versionString is the module version and VCS revision from the build info.
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+modified"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " (" + rev + modified + ")"
	}
	return v
}

// unlockBeforeTUI asks for an encrypted workspace's passphrase before the full-screen
// interface takes the terminal, and then stops the store from prompting on its own.
func unlockBeforeTUI(ctx context.Context, s *store.Store) error {
	enc, err := s.Encrypted(ctx)
	if err != nil || !enc || s.Unlocked() {
		s.SetPassphraseSource(nil)
		return err
	}
	p, err := askPassphrase()
	if err != nil {
		return err
	}
	s.SetPassphraseSource(nil)
	return s.Unlock(ctx, p)
}

// encryptNew seals the workspace before the first assessment goes in, so `new --encrypt`
// starts encrypted; a workspace that already is stays as it is.
func encryptNew(ctx context.Context, s *store.Store) error {
	enc, err := s.Encrypted(ctx)
	if err != nil || enc {
		return err
	}
	pass, err := newPassphrase()
	if err != nil {
		return err
	}
	return s.EncryptWorkspace(ctx, pass, nil)
}
