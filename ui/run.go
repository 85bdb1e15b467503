package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"
)

// Run starts the TUI and returns when the user quits.
func Run(ctx context.Context, opts Options) error {
	if opts.Accessible {
		return runAccessible(ctx, opts)
	}
	_, err := tea.NewProgram(newApp(ctx, opts), tea.WithContext(ctx)).Run()
	return err
}
