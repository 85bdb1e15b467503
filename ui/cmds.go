package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/controls"
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

// completionMsg carries each assessment's share of answered items, computed after the
// list is shown because it needs every assessment's snapshot.
type completionMsg map[string]float64

func loadCompletion(ctx context.Context, s *store.Store, list []assessment.Assessment) tea.Cmd {
	return func() tea.Msg {
		out := completionMsg{}
		for _, a := range list {
			snap, err := s.Snapshot(ctx, a.ID)
			if err != nil {
				continue // the list still shows; the column stays blank for this one
			}
			out[a.ID] = summaryNow(snap).Overall.Completion()
		}
		return out
	}
}

// addDemo imports the sample assessment and reports its ID so home can open it.
type demoAddedMsg struct {
	id  string
	err error
}

func addDemo(ctx context.Context, s *store.Store, cat *controls.Catalog) tea.Cmd {
	return func() tea.Msg {
		id, err := s.Import(ctx, assessment.Demo(cat, time.Now()), store.ImportOptions{NewIDs: true})
		return demoAddedMsg{id: id, err: err}
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
