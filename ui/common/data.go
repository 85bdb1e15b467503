package common

import (
	"time"

	"safeguard/assessment"
	"safeguard/controls"
)

// Data is one open assessment as every section reads it: a thin holder of its Analysis,
// the one derived view the PDF and the exports read too. Sections format what it holds
// (counts, owners, statuses, levels, orders); none derives a figure of its own. It is
// rebuilt from a fresh snapshot after every change and is read-only.
type Data struct {
	*assessment.Analysis
	// Today is the calendar day (in the local time of the load) the breach notification
	// clocks are counted on, as the CLI and the store count them.
	Today time.Time
	// Incidents are the assessment's incidents with their notification duties as of Today,
	// most urgent first (assessment.ViewIncident, assessment.SortIncidents): what the
	// Incidents tab lists and the dashboard's clock line reads.
	Incidents []assessment.IncidentView
}

// NewData analyzes a snapshot as of now: the interface judges expiry dates (BAAs,
// attestations) and overdue treatments on the day it shows them.
func NewData(snap *assessment.Snapshot, now time.Time) *Data {
	snap.GeneratedAt = now
	d := &Data{Analysis: assessment.Analyze(snap), Today: assessment.Today(now)}
	d.Incidents = make([]assessment.IncidentView, len(snap.Incidents))
	for i := range snap.Incidents {
		d.Incidents[i] = assessment.ViewIncident(&snap.Incidents[i], snap.Profile.EntityType, d.Today)
	}
	assessment.SortIncidents(d.Incidents)
	return d
}

// ID is the assessment's ID.
func (d *Data) ID() string { return d.Snap.Assessment.ID }

// Final reports whether the assessment is signed off and locked.
func (d *Data) Final() bool { return d.Snap.Assessment.Status == assessment.StatusFinal }

// Answered is the share of applicable items answered, as every screen writes it: "62%".
func (d *Data) Answered() string { return assessment.Percent(d.Summary.Overall.Completion()) }

// AssetKind is the catalog's asset kind with this ID, or one titled by the ID itself.
func AssetKind(cat *controls.Catalog, id string) controls.AssetKind {
	if cat != nil {
		for _, k := range cat.AssetKinds {
			if k.ID == id {
				return k
			}
		}
	}
	return controls.AssetKind{ID: id, Title: id}
}
