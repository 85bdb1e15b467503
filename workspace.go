package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/store"
	"safeguard/store/signing"
)

// How commands open the workspace.
//
// Commands that only read (assessments, verify, exports, evidence list and export,
// compare) open it read-only: no write lock, nothing written to the file, so they work on
// a read-only file or folder, on a copy on a read-only medium, and while another process
// is in a long write. Commands that change it open it for writing; opening takes no write
// lock either (only a schema upgrade does), and each change waits up to 30 seconds for
// another process's write. Every open holds the workspace lock shared (store/lock.go), which
// only `evidence compact` takes alone.
//
// Every open compares the workspace's audit chain with the last head this computer saw
// (the last-seen record in the user state folder) and warns on stderr when the chain is
// shorter or was rewritten; `verify` fails instead.

// workspacePath is the workspace the flags and environment name, and whether its folder
// may be created (only the default location's).
func (g *globals) workspacePath() (string, bool, error) {
	if g.db != "" {
		return g.db, false, nil
	}
	if p := os.Getenv("SAFEGUARD_DB"); p != "" {
		return p, false, nil
	}
	p, err := store.DefaultPath()
	return p, true, err
}

// options are the store options of this run.
func (g *globals) options(readOnly, createDir bool) store.Options {
	state, err := store.DefaultStateDir()
	if err != nil {
		state = "" // no home folder: no last-seen record (verify says so)
	}
	return store.Options{Actor: g.actor, CreateDir: createDir, Passphrase: g.askPassphrase, ReadOnly: readOnly, StateDir: state}
}

// open opens the workspace for writing.
func (g *globals) open() (*store.Store, error) { return g.openMode(false) }

// openRead opens the workspace read-only.
func (g *globals) openRead() (*store.Store, error) { return g.openMode(true) }

func (g *globals) openMode(readOnly bool) (*store.Store, error) {
	path, createDir, err := g.workspacePath()
	if err != nil {
		return nil, err
	}
	s, err := store.Open(path, g.options(readOnly, createDir))
	if err != nil {
		return nil, err
	}
	if !readOnly {
		s.SetSigner(g.signingKey)
		if err := g.chooseActor(s); err != nil {
			s.Close()
			return nil, err
		}
	}
	g.reportOpen(s.RemovedTemp(), s.History())
	return s, nil
}

// reportOpen says on stderr what opening the workspace found: the leftovers of a killed
// compact it removed, and a chain that differs from the one this computer saw last.
func (g *globals) reportOpen(removed []string, w *store.HistoryWarning) {
	if len(removed) > 0 {
		fmt.Fprintf(g.stderr(), "safeguard: removed %s that an interrupted compact left beside the workspace (%s).\n",
			assessment.Plural(len(removed), "unfinished copy", "unfinished copies"), strings.Join(removed, ", "))
	}
	if w != nil && !g.quietHistory {
		fmt.Fprintf(g.stderr(), "safeguard: warning: %s\n", w.Error())
	}
}

// chooseActor names the person a command works as. In a workspace with people (`safeguard
// people`), --actor must name one of them; without --actor the person this computer last
// worked as in the workspace (remembered by the TUI or an earlier --actor) is taken, and
// when there is none the command stops and asks for --actor. The TUI asks instead. In a
// workspace without people, --actor is any name and the default is the OS user.
func (g *globals) chooseActor(s *store.Store) error {
	ctx := context.Background()
	people, err := s.People(ctx)
	if err != nil || len(people) == 0 {
		return err
	}
	names := make([]string, len(people))
	for i, p := range people {
		names[i] = p.Name
	}
	name := g.actor
	if name == "" {
		name = s.RememberedActor(ctx)
	}
	if name == "" {
		if g.tui {
			return nil // the TUI asks who is working
		}
		return fmt.Errorf("this workspace names the people who work in it (%s); say which of them you are with --actor NAME", strings.Join(names, ", "))
	}
	p, err := s.SetActor(ctx, name)
	switch {
	case err == nil:
	case g.actor != "":
		return err
	case g.tui:
		return nil // the person remembered was removed since: the TUI asks again
	default:
		return fmt.Errorf("%s, whom this computer last worked as in this workspace, is no longer one of its people (%s); say which of them you are with --actor NAME", name, strings.Join(names, ", "))
	}
	if g.actor != "" {
		// Remember an explicit choice, as the TUI does, so the next command needs no flag.
		_ = s.RememberActor(ctx, p.Name)
	}
	return nil
}

func (g *globals) stderr() io.Writer {
	if g.errOut != nil {
		return g.errOut
	}
	return os.Stderr
}

// withReadStore runs fn with the workspace open read-only.
func (g *globals) withReadStore(fn func(*store.Store) error) error {
	s, err := g.openRead()
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

// withReadAssessment is withAssessment on a read-only workspace.
func (g *globals) withReadAssessment(cmd *cobra.Command, ref string, fn func(ctx context.Context, s *store.Store, id string) error) error {
	return g.withReadStore(func(s *store.Store) error {
		id, err := s.ResolveAssessment(cmd.Context(), ref)
		if err != nil {
			return err
		}
		return fn(cmd.Context(), s, id)
	})
}

// signingKey unlocks the user's signing key for a seal, if there is one: sign-offs and
// reports are then signed. The passphrase comes from SAFEGUARD_KEY_PASSPHRASE or a
// terminal prompt; --unsigned skips signing for this run.
func (g *globals) signingKey() (*signing.Key, error) {
	if g.unsigned {
		return nil, nil
	}
	if g.key != nil {
		return g.key, nil
	}
	dir, err := store.DefaultConfigDir()
	if err != nil {
		return nil, nil // no home folder: no key
	}
	f, err := signing.Load(signing.Path(dir))
	if errors.Is(err, signing.ErrNoKey) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	pass := g.secrets.key
	if pass == nil {
		if !term.IsTerminal(os.Stdin.Fd()) {
			return nil, fmt.Errorf("your signing key (%s) needs its passphrase to sign this; set %s, run the command in a terminal, or add --unsigned", f.Fingerprint, keyPassphraseEnv)
		}
		fmt.Fprintf(os.Stderr, "Signing key %s passphrase: ", f.Fingerprint)
		p, err := term.ReadPassword(os.Stdin.Fd())
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return nil, fmt.Errorf("cannot read the passphrase from the terminal (%v); set %s instead", err, keyPassphraseEnv)
		}
		pass = p
	}
	k, err := f.Unlock(pass)
	if err != nil {
		return nil, err
	}
	g.key = k
	return k, nil
}
