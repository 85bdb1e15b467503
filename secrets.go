package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/charmbracelet/x/term"

	"safeguard/store"
	passrules "safeguard/store/passphrase"
)

// Passphrases from the environment. They are read once, when safeguard starts, and then
// removed from the process environment, before anything could start a child process
// (the TUI's terminal detection runs `tmux` inside tmux, found through PATH): a child
// inherits the environment, and a passphrase has no business in another program's.
const (
	// passphraseEnv gives the workspace passphrase (encrypted evidence).
	passphraseEnv = "SAFEGUARD_PASSPHRASE"
	// keyPassphraseEnv gives the signing key's passphrase.
	keyPassphraseEnv = "SAFEGUARD_KEY_PASSPHRASE"
	// newPassphraseEnv gives the new workspace passphrase to `safeguard passphrase`.
	newPassphraseEnv = "SAFEGUARD_NEW_PASSPHRASE"
)

// secrets are the passphrases a run read from the environment (nil: not given).
type secrets struct {
	workspace, key, newWorkspace []byte
}

// takeSecrets reads the passphrase variables and removes them from the environment.
func takeSecrets() secrets {
	var sec secrets
	for _, v := range []struct {
		name string
		to   *[]byte
	}{{passphraseEnv, &sec.workspace}, {keyPassphraseEnv, &sec.key}, {newPassphraseEnv, &sec.newWorkspace}} {
		if s := os.Getenv(v.name); s != "" {
			*v.to = []byte(s)
		}
		os.Unsetenv(v.name)
	}
	return sec
}

// askPassphrase gives the store the passphrase of an encrypted workspace when it needs the
// key: from SAFEGUARD_PASSPHRASE, or typed at a terminal prompt.
func (g *globals) askPassphrase() ([]byte, error) {
	if g.secrets.workspace != nil {
		return g.secrets.workspace, nil
	}
	if !term.IsTerminal(os.Stdin.Fd()) {
		return nil, store.ErrLocked
	}
	return readPassword("Workspace passphrase: ")
}

func readPassword(prompt string) ([]byte, error) {
	fmt.Fprint(os.Stderr, prompt)
	p, err := term.ReadPassword(os.Stdin.Fd())
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return nil, fmt.Errorf("cannot read the passphrase from the terminal (%v); set %s instead", err, passphraseEnv)
	}
	return p, nil
}

// newSecret asks for a new passphrase: from the environment variable env, or typed twice
// at a terminal. what names it in prompts and errors ("workspace passphrase").
func newSecret(fromEnv []byte, env, what, command string) ([]byte, error) {
	if fromEnv != nil {
		return fromEnv, passrules.Check(fromEnv)
	}
	if !term.IsTerminal(os.Stdin.Fd()) {
		return nil, fmt.Errorf("%s needs a new %s; set %s or run it in a terminal", command, what, env)
	}
	p, err := readPassword(fmt.Sprintf("New %s (at least %d characters): ", what, passrules.MinLen))
	if err != nil {
		return nil, err
	}
	if err := passrules.Check(p); err != nil {
		return nil, err
	}
	again, err := readPassword("Type it again: ")
	if err != nil {
		return nil, err
	}
	if string(passrules.Normalize(again)) != string(passrules.Normalize(p)) {
		return nil, errors.New("the two passphrases differ; nothing was changed, run the command again")
	}
	return p, nil
}

// newPassphrase is the passphrase for `safeguard encrypt` and `new --encrypt`.
func (g *globals) newPassphrase() ([]byte, error) {
	return newSecret(g.secrets.workspace, passphraseEnv, "workspace passphrase", "encrypting")
}
