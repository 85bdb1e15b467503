// Command safeguard is an offline terminal workbench for HIPAA Security Rule risk analysis.
//
// With no subcommand it opens the TUI on the workspace; subcommands script the same work.
// Exit codes: 0 success, 1 a check failed (verify), 2 bad usage or bad input.
//
// The CLI's files: main.go (the root command and the one list of commands), cli.go (what
// every command shares: flags, opening the workspace, passphrases, output helpers) and one
// cmd_<feature>.go per family of commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/reports"
	"safeguard/store"
	"safeguard/store/signing"
	"safeguard/ui"
	"strings"
	"time"

	"charm.land/fang/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
)

// Exit codes of the CLI contract.
const (
	exitOK          = 0
	exitCheckFailed = 1
	exitBadInput    = 2
)

// errCheckFailed marks a check that ran and found a problem (exit 1), as opposed to bad
// input (exit 2). Its message has already been printed.
var errCheckFailed = errors.New("check failed")

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the CLI with the given arguments and streams and returns the exit code.
// Tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	sec := takeSecrets() // before anything can start a child process
	store.ReloadPaths()
	root, g := newRootCmd(stdin)
	g.secrets = sec
	defer func() {
		if g.stopSignals != nil {
			g.stopSignals()
		}
	}()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := fang.Execute(ctx, root,
		fang.WithVersion(versionString()),
		fang.WithErrorHandler(printError),
		fang.WithoutManpage(),
	)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errCheckFailed):
		return exitCheckFailed
	}
	return exitBadInput
}

// printError writes the error as one sentence on stderr; usage mistakes get a pointer to
// --help.
func printError(w io.Writer, _ fang.Styles, err error) {
	if errors.Is(err, errCheckFailed) {
		return
	}
	msg := err.Error()
	if isUsageError(msg) {
		msg += "; run `safeguard --help` for usage"
	}
	if cw, ok := w.(*colorprofile.Writer); ok {
		w = cw.Forward
	}
	fmt.Fprintln(w, "safeguard: "+msg)
}

func isUsageError(msg string) bool {
	for _, p := range []string{"unknown flag", "unknown shorthand flag", "unknown command", "flag needs an argument", "invalid argument", "accepts ", "requires ", "required flag"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// newRootCmd is the root command with every command registered, here and only here, and
// the globals its commands share.
func newRootCmd(stdin io.Reader) (*cobra.Command, *globals) {
	g := &globals{stdin: stdin}
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
				g.stopSignals = removeTempOnSignal()
			}
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return runTUI(cmd.Context(), g) },
	}
	root.PersistentFlags().StringVar(&g.db, "db", "", "workspace file (default: $SAFEGUARD_DB, or "+defaultPathText()+")")
	root.PersistentFlags().StringVar(&g.actor, "actor", "", "who is working: one of the workspace's people (safeguard people) when it lists any; recorded on every change (default: the person this computer last worked as, else your OS user name)")
	root.PersistentFlags().BoolVar(&g.unsigned, "unsigned", false, "do not sign sign-offs, reports and exports this run, even with a signing key")
	root.Flags().BoolVar(&g.accessible, "accessible", false, "plain prompts instead of full-screen forms, for screen readers")
	root.AddCommand(
		// assessments (cmd_assessment.go, cmd_demo.go)
		newNewCmd(g),
		newAssessmentsCmd(g),
		newDemoCmd(g),
		// who works in the workspace (cmd_people.go)
		newPeopleCmd(g),
		// the organization, its inventory and the questionnaire (cmd_profile.go,
		// cmd_inventory.go, cmd_items.go)
		newProfileCmd(g),
		newVendorCmd(g),
		newAssetCmd(g),
		newFlowCmd(g),
		newItemsCmd(g),
		// answers and evidence (cmd_answer.go, cmd_evidence.go)
		newAnswerCmd(g),
		newEvidenceCmd(g),
		newEncryptCmd(g),
		// the analysis: how it was done and what it derives (cmd_analysis.go, cmd_risk.go)
		newReadinessCmd(g),
		newMethodCmd(g),
		newReviewCmd(g),
		newNoVendorsCmd(g),
		newVendorReviewCmd(g),
		newRiskCmd(g),
		newGapsCmd(g),
		newNoRiskCmd(g),
		newThreatsCmd(g),
		newRevalidateCmd(g),
		// breach notification (cmd_incident.go)
		newIncidentCmd(g),
		// outputs (cmd_report.go, cmd_export.go)
		newReportCmd(g),
		newExportCmd(g),
		newImportCmd(g),
		// lifecycle (cmd_lifecycle.go)
		newFinalizeCmd(g),
		newReviseCmd(g),
		newCompareCmd(g),
		newRenameCmd(g),
		newDeleteCmd(g, stdin),
		// checks and reference (cmd_verify.go, cmd_catalog.go)
		newVerifyCmd(g),
		newCatalogCmd(),
		newVersionCmd(),
		// integrity: the signing key and the passphrase (cmd_key.go, cmd_passphrase.go)
		newKeyCmd(g),
		newPassphraseCmd(g),
		// working offline with others: questionnaire packets, backups, assessor bundles
		// (cmd_packet.go, cmd_backup.go, cmd_bundle.go)
		newPacketCmd(g),
		newBackupCmd(g),
		newBundleCmd(g),
	)
	return root, g
}

// runTUI opens the full-screen interface on the workspace.
func runTUI(ctx context.Context, g *globals) error {
	g.tui = true
	s, err := g.open()
	if err != nil {
		return err
	}
	defer s.Close()
	cat, err := controls.Default()
	if err != nil {
		return err
	}
	if err := unlockBeforeTUI(ctx, g, s); err != nil {
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
	// A report or export the TUI was still writing when it quit leaves no temporary file.
	defer reports.RemoveTempFiles()
	return ui.Run(ctx, ui.Options{Store: s, Catalog: cat, Accessible: accessible,
		OpenDemo: func() (*store.Store, error) { return g.openDemo(ctx, cat) }})
}

// openDemo opens the sample workspace (sample.db beside the default workspace), adding the
// sample assessment the first time, so the TUI's demo never writes into the workspace it
// was started on.
func (g *globals) openDemo(ctx context.Context, cat *controls.Catalog) (*store.Store, error) {
	def, err := store.DefaultPath()
	if err != nil {
		return nil, fmt.Errorf("there is no place for the sample workspace (%v); run `safeguard --db sample.db demo` and open that instead", err)
	}
	s, err := store.Open(filepath.Join(filepath.Dir(def), "sample.db"), g.options(false, true))
	if err != nil {
		return nil, err
	}
	list, err := s.Assessments(ctx)
	if err == nil && len(list) == 0 {
		_, err = s.Import(ctx, assessment.Demo(cat, time.Now()), store.ImportOptions{NewIDs: true})
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
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
func unlockBeforeTUI(ctx context.Context, g *globals, s *store.Store) error {
	enc, err := s.Encrypted(ctx)
	if err != nil || !enc || s.Unlocked() {
		s.SetPassphraseSource(nil)
		return err
	}
	p, err := g.askPassphrase()
	if err != nil {
		return err
	}
	s.SetPassphraseSource(nil)
	return s.Unlock(ctx, p)
}
