package ui

import (
	"context"
	"io"

	tea "charm.land/bubbletea/v2"

	"safeguard/store"
	"safeguard/ui/report"
)

// Run starts the TUI and returns when the user quits.
func Run(ctx context.Context, opts Options) error {
	if opts.Accessible {
		return runAccessible(ctx, opts)
	}
	_, err := tea.NewProgram(newApp(ctx, opts), tea.WithContext(ctx)).Run()
	return err
}

// EvidenceProvider feeds a PDF's attachments from the workspace's vault (see
// report.EvidenceProvider); the CLI's report command uses it too.
func EvidenceProvider(ctx context.Context, s *store.Store) func(sha string, w io.Writer) error {
	return report.EvidenceProvider(ctx, s)
}
