package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/store"
)

func newBackupCmd(g *globals) *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "backup --out FILE [--force]",
		Short: "Write a verified copy of the whole workspace, safe to make while it is open",
		Long: "Write a consistent copy of the workspace (every assessment, the audit trail and the evidence) to FILE, " +
			"even while the terminal interface or another command has it open: the copy is the workspace as of one " +
			"moment. The copy is checked before it is put in place (its schema, audit chain, every record and every " +
			"evidence file re-hashed), so a backup that exists passed that check. An encrypted workspace gives an " +
			"encrypted copy: the same passphrase opens it. The workspace records the backup (path, size and the audit " +
			"chain head the copy holds) in its audit trail; that record is not a change to signed-off data.\n\n" +
			"An existing FILE is kept unless you add --force. To restore, open the copy: `safeguard --db FILE` (or " +
			"copy it over the workspace while safeguard is closed). Opening a copy that is older than what this " +
			"computer last saw of the workspace warns that entries are missing; after checking it is the copy you " +
			"want, `safeguard --db FILE verify --accept-current` records it as seen.",
		Example: "  safeguard backup --out /media/usb/riverbend-2026-12-06.db\n" +
			"  safeguard --db /media/usb/riverbend-2026-12-06.db assessments",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return fmt.Errorf("give the file to write with --out")
			}
			return g.withStore(func(s *store.Store) error {
				p := newProgressLine(cmd, "Backing up", 8<<20)
				res, err := s.Backup(cmd.Context(), out, force, p.bytes)
				p.end()
				if err != nil {
					return err
				}
				msg := fmt.Sprintf("Wrote %s (%s) at audit chain head %s; the copy verified: %s, %s, %s.",
					out, assessment.FormatSize(res.Size), res.Head, assessment.Plural(int(res.Entries), "audit entry", "audit entries"),
					assessment.Plural(res.Records, "record", "records"), assessment.Plural(res.Blobs, "evidence file", "evidence files"))
				fmt.Fprintln(cmd.OutOrStdout(), msg)
				if res.SealedSkipped > 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s not re-hashed in the copy: the workspace was not unlocked (they were copied as stored).\n",
						assessment.Plural(res.SealedSkipped, "encrypted evidence file was", "encrypted evidence files were"))
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "file to write (required)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}
