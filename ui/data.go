package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
)

// assessData is the loaded state of one open assessment, shared read-only by its
// sections. It is rebuilt from a fresh snapshot after every change, so every section
// always shows what is committed.
type assessData struct {
	snap  *assessment.Snapshot
	sum   assessment.Summary
	items []assessment.Item
	index map[assessment.ItemKey]int // item -> position in items
	resp  map[assessment.ItemKey]*assessment.Response
	ov    map[assessment.ItemKey]*assessment.Override
	flags map[assessment.ItemKey][]assessment.VendorIssue
	asOf  time.Time
	an    *assessment.Analysis
}

// id is the open assessment's ID.
func (d *assessData) id() string { return d.snap.Assessment.ID }

// cat is the catalog.
func (d *assessData) cat() *controls.Catalog { return d.snap.Catalog }

// final reports whether the assessment is locked.
func (d *assessData) final() bool { return d.snap.Assessment.Status == assessment.StatusFinal }

func buildData(snap *assessment.Snapshot, now time.Time) *assessData {
	snap.GeneratedAt = now
	a := assessment.Analyze(snap)
	d := &assessData{snap: snap, asOf: a.AsOf, an: a}
	d.items = make([]assessment.Item, len(a.Items))
	for i, v := range a.Items {
		d.items[i] = v.Item
	}
	d.index = a.Index
	d.resp = a.Responses
	d.ov = a.Overrides
	d.flags = a.Flags()
	d.sum = a.Summary
	return d
}

// owner is who owns an item's control, and the override if there is one.
func (d *assessData) owner(it assessment.Item) (controls.Owner, *assessment.Override) {
	return assessment.Owner(it.Question, it.Asset, d.ov)
}

// snapshotMsg carries a freshly loaded assessment. It is broadcast to every screen on the
// stack, so a screen under a dialog stays current.
type snapshotMsg struct {
	data *assessData
	err  error
}

func (snapshotMsg) broadcast() {}

// broadcaster marks messages the root delivers to every screen, not just the top one.
type broadcaster interface{ broadcast() }

func loadSnapshot(ctx context.Context, s *store.Store, id string) tea.Cmd {
	return func() tea.Msg {
		snap, err := s.Snapshot(ctx, id)
		if err != nil {
			return snapshotMsg{err: err}
		}
		return snapshotMsg{data: buildData(snap, time.Now())}
	}
}

// mutate runs a store change as a command and reports it as a savedMsg.
func mutate(notice string, fn func() error) tea.Cmd {
	return func() tea.Msg { return savedMsg{notice: notice, err: fn()} }
}

// summaryNow is the summary of a snapshot judged as of now.
func summaryNow(snap *assessment.Snapshot) assessment.Summary {
	snap.GeneratedAt = time.Now()
	return assessment.Analyze(snap).Summary
}
