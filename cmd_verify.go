package main

import (
	"fmt"
	"safeguard/store"
	"time"

	"github.com/spf13/cobra"
)

func newVerifyCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "verify",
		Short: "Check the audit chain, every record and the evidence; exit 1 if anything fails",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withStore(func(s *store.Store) error {
				start := time.Now()
				res, err := s.Verify(cmd.Context())
				if err != nil {
					return err
				}
				if res.OK() {
					head := res.Head
					if head == "" {
						head = "none (empty workspace)"
					}
					fmt.Fprintf(cmd.OutOrStdout(), "OK: %d audit entries, %d records and %d evidence blobs match; chain head %s (%s)\n",
						res.Entries, res.Records, res.Blobs, head, time.Since(start).Round(time.Millisecond))
					return nil
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "FAILED: %s\n", res.Problems[0])
				for _, p := range res.Problems[1:] {
					fmt.Fprintf(cmd.ErrOrStderr(), "  also: %s\n", p)
				}
				return errCheckFailed
			})
		},
	}
}
