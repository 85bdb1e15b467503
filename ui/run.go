package ui

import (
	"context"
	"os"

	tea "charm.land/bubbletea/v2"

	"safeguard/ui/accessible"
)

// Run starts the TUI, or the plain-prompt mode, and returns when the user quits.
func Run(ctx context.Context, opts Options) error {
	if opts.Accessible {
		dir, err := os.Getwd()
		if err != nil {
			dir = "."
		}
		return accessible.Run(ctx, accessible.Options{Store: opts.Store, Catalog: opts.Catalog,
			In: os.Stdin, Out: os.Stdout, WorkDir: dir})
	}
	_, err := tea.NewProgram(newApp(ctx, opts), tea.WithContext(ctx)).Run()
	return err
}
