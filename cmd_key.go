package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"safeguard/store"
	"safeguard/store/signing"
)

func newKeyCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Create or show your signing key (Ed25519), which signs sign-offs, reports and exports",
		Long: "A signing key makes the audit trail's anchors hold against anyone who can rewrite the workspace file: with a " +
			"key, each sign-off, report and JSON export carries an Ed25519 signature over the workspace's identity and " +
			"audit chain head (and the file's SHA-256), which nobody can make again for a rewritten history without " +
			"your key. `safeguard verify` checks the signatures it finds.\n\n" +
			"The key is kept in your user config folder; its private half is sealed with a passphrase of your choice " +
			"(Argon2id, 32 MiB, 3 passes, 2 lanes; AES-256-GCM), which safeguard asks for when it signs (or reads from " +
			keyPassphraseEnv + "). Give people who read your reports the key's fingerprint, so they can tell your " +
			"signature from someone else's.",
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newKeyCreateCmd(g), newKeyShowCmd())
	return cmd
}

func keyPath() (string, error) {
	dir, err := store.DefaultConfigDir()
	if err != nil {
		return "", err
	}
	return signing.Path(dir), nil
}

func newKeyCreateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "create",
		Short: "Make your signing key, sealed with a new passphrase",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := keyPath()
			if err != nil {
				return err
			}
			if _, err := signing.Load(path); err == nil {
				return fmt.Errorf("a signing key already exists at %s; safeguard keeps one key, so move that file away first if you really want a new one", path)
			} else if !errors.Is(err, signing.ErrNoKey) {
				return err
			}
			pass, err := newSecret(g.secrets.key, keyPassphraseEnv, "signing key passphrase", "creating a signing key")
			if err != nil {
				return err
			}
			f, err := signing.Create(path, pass, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Created your signing key %s in %s. Keep its passphrase safe (it cannot be recovered), and give its fingerprint to the people who read your reports.\n", f.Fingerprint, path)
			return nil
		},
	}
}

func newKeyShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show",
		Short: "Print your signing key's fingerprint and public key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := keyPath()
			if err != nil {
				return err
			}
			f, err := signing.Load(path)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Fingerprint  %s\nPublic key   %s (Ed25519)\nCreated      %s\nFile         %s\n",
				f.Fingerprint, f.PublicKey, f.CreatedAt.Local().Format("2006-01-02 15:04"), path)
			return nil
		},
	}
}
