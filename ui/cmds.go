package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/store"
)

// Store work runs in these commands, never inside Update; each returns a typed message.

type assessmentsMsg struct {
	list []assessment.Assessment
	err  error
}

// savedMsg reports a finished mutation; notice is shown on success.
type savedMsg struct {
	notice string
	err    error
}

func loadAssessments(ctx context.Context, s *store.Store) tea.Cmd {
	return func() tea.Msg {
		list, err := s.Assessments(ctx)
		return assessmentsMsg{list: list, err: err}
	}
}

func createAssessment(ctx context.Context, s *store.Store, n store.NewAssessment) tea.Cmd {
	return func() tea.Msg {
		a, err := s.CreateAssessment(ctx, n)
		return savedMsg{notice: "Created " + a.Title + ".", err: err}
	}
}

func renameAssessment(ctx context.Context, s *store.Store, id, title string) tea.Cmd {
	return func() tea.Msg {
		return savedMsg{notice: "Renamed to " + title + ".", err: s.RenameAssessment(ctx, id, title)}
	}
}

func deleteAssessment(ctx context.Context, s *store.Store, a assessment.Assessment) tea.Cmd {
	return func() tea.Msg {
		return savedMsg{notice: "Deleted " + a.Title + ".", err: s.DeleteAssessment(ctx, a.ID)}
	}
}
