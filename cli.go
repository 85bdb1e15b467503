// This file holds what every command shares, one copy of each: the global flags,
// opening the workspace and resolving an assessment, passphrase prompts, confirmation,
// name resolution, JSON output and the progress line.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"safeguard/assessment"
	"safeguard/reports"
	"safeguard/store"
	"safeguard/store/signing"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
)

// globals are the flags every command takes, and what a run keeps. Opening the
// workspace (read-only or for writing), the last-seen warning and the signing key are in
// workspace.go; the passphrases in secrets.go.
type globals struct {
	db         string
	actor      string
	accessible bool
	tui        bool // the TUI runs: it asks who is working itself
	unsigned   bool // --unsigned: make no signatures this run

	secrets      secrets      // passphrases from the environment (secrets.go)
	errOut       io.Writer    // the command's stderr, for warnings and notices
	quietHistory bool         // verify reports the last-seen warning itself
	key          *signing.Key // the signing key, once unlocked
	stopSignals  func()       // ends removeTempOnSignal when the command is done
	stdin        io.Reader    // the command's stdin, for confirmations
}

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

// progressLine shows the progress of long work on a terminal's stderr, redrawn at most ten
// times a second. It is nil when stderr is not a terminal, and a nil progressLine does
// nothing, so callers use it unconditionally.
type progressLine struct {
	f        *os.File
	what     string
	minTotal int64 // bytes: work smaller than this shows no line
	last     time.Time
}

// newProgressLine starts a progress line for work named what; byte counts below minTotal
// show nothing.
func newProgressLine(cmd *cobra.Command, what string, minTotal int64) *progressLine {
	f, ok := cmd.ErrOrStderr().(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return nil
	}
	return &progressLine{f: f, what: what, minTotal: minTotal}
}

// bytes reports done of total bytes; the store's progress callbacks take it.
func (p *progressLine) bytes(done, total int64) {
	if p == nil || total < p.minTotal || !p.due(done == total) {
		return
	}
	fmt.Fprintf(p.f, "\r%s: %3d%% (%s of %s)", p.what, percentOf(done, total), assessment.FormatSize(done), assessment.FormatSize(total))
}

// units reports done of total units of work (the PDF's progress).
func (p *progressLine) units(done, total int) {
	if p == nil || !p.due(done == total) {
		return
	}
	fmt.Fprintf(p.f, "\r%s: %3d%%", p.what, percentOf(int64(done), int64(total)))
}

func (p *progressLine) due(final bool) bool {
	if time.Since(p.last) < 100*time.Millisecond && !final {
		return false
	}
	p.last = time.Now()
	return true
}

// end finishes the line, if one was drawn.
func (p *progressLine) end() {
	if p != nil && !p.last.IsZero() {
		fmt.Fprintln(p.f)
	}
}

// percentOf is done/total as a whole percentage for a progress line (truncated, so 100%
// only shows when the work is done).
func percentOf(done, total int64) int64 {
	if total <= 0 {
		return 100
	}
	return done * 100 / total
}

// pathErr drops the path from an *os.PathError; our sentences name the path themselves.
func pathErr(err error) error {
	if pe, ok := errors.AsType[*os.PathError](err); ok {
		return pe.Err
	}
	return err
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// writeJSON prints v as indented JSON, the form of every --json output.
func writeJSON(w io.Writer, v any) error { return reports.WriteJSON(w, v) }

// checkOut refuses an --out path that cannot be written, before any work is done (the
// workspace opened and verified, a report rendered).
func checkOut(out string, force bool) error {
	if out == "" {
		return fmt.Errorf("give the file to write with --out")
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a folder; give --out the name of the file to write", out)
	} else if err == nil && !force {
		return fmt.Errorf("%s already exists; choose another --out or add --force", out)
	}
	if fi, err := os.Stat(filepath.Dir(out)); err != nil || !fi.IsDir() {
		return fmt.Errorf("cannot write to %s (it is not an existing folder); choose a folder you can write to", filepath.Dir(out))
	}
	return nil
}
