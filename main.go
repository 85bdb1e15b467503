// Command safeguard is an offline terminal workbench for HIPAA Security Rule risk analysis.
//
// With no subcommand it opens the TUI on the workspace; subcommands script the same work.
// Exit codes: 0 success, 1 a check failed (verify), 2 bad usage or bad input.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/fang/v2"
	"github.com/charmbracelet/colorprofile"

	"safeguard/reports"
	"safeguard/store"
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
	takeSecrets() // before anything can start a child process
	store.ReloadPaths()
	noticeOut = stderr
	defer reports.RemoveTempFiles()
	defer func() {
		if stopSignals != nil {
			stopSignals()
			stopSignals = nil
		}
	}()
	root := newRootCmd(stdin)
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
