package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"safeguard/store"
)

func newPassphraseCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "passphrase",
		Short: "Change the passphrase of an encrypted workspace (nothing is re-encrypted)",
		Long: "Change the passphrase of an encrypted workspace. The evidence is encrypted with a random data key, and the " +
			"passphrase only seals that key, so changing it re-seals the key and re-encrypts nothing; the change is " +
			"recorded in the audit trail.\n\n" +
			"The current passphrase comes from " + passphraseEnv + " or a prompt, the new one from " + newPassphraseEnv +
			" or a prompt (typed twice). A new passphrase has at least 12 characters and is not only spaces.\n\n" +
			"Someone who knew the old passphrase and kept a copy of the workspace can still read the evidence in that " +
			"copy, and the data key is the same: changing the passphrase protects what is written from now on against " +
			"people who learn only the new one, it does not take back what the old one gave.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withStore(func(s *store.Store) error {
				ctx := cmd.Context()
				enc, err := s.Encrypted(ctx)
				if err != nil {
					return err
				}
				if !enc {
					return errors.New("the workspace is not encrypted, so it has no passphrase to change; encrypt it with `safeguard encrypt`")
				}
				old := g.secrets.workspace
				if old == nil {
					if !term.IsTerminal(os.Stdin.Fd()) {
						return fmt.Errorf("changing the passphrase needs the current one; set %s or run it in a terminal", passphraseEnv)
					}
					if old, err = readPassword("Current passphrase: "); err != nil {
						return err
					}
				}
				if err := s.Unlock(ctx, old); err != nil {
					return err
				}
				pass, err := newSecret(g.secrets.newWorkspace, newPassphraseEnv, "workspace passphrase", "changing the passphrase")
				if err != nil {
					return err
				}
				if err := s.ChangePassphrase(ctx, old, pass); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), "Changed the workspace's passphrase; the change is recorded in the audit trail. Keep the new one safe: it cannot be recovered.")
				return nil
			})
		},
	}
}
