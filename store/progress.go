package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"safeguard/assessment"
)

// AnswersSnapshot loads the part of an assessment that decides which items apply and how
// many are answered: the assessment, its profile, its inventory (assets, vendors, flows)
// and its answers and owner overrides, in one read transaction. Risks, evidence, the
// sign-off and the audit trail are left out, so a list of many assessments can show each
// one's progress without reading (or counting) everything. Analyze it for the figures.
func (s *Store) AnswersSnapshot(ctx context.Context, id string) (*assessment.Snapshot, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	tx, err := s.reader().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, friendly(s.path, err)
	}
	defer tx.Rollback()
	snap := &assessment.Snapshot{Catalog: cat}
	snap.Assessment, err = scanAssessment(tx.QueryRowContext(ctx, "SELECT "+assessmentCols+" FROM assessments WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return nil, notFoundAssessment(id)
	}
	if err != nil {
		return nil, friendly(s.path, err)
	}
	loaders := []func() error{
		func() (err error) { snap.Profile, snap.RevisionOf, err = readProfile(ctx, tx, id); return err },
		func() error { return readInventory(ctx, tx, id, snap) },
		func() error { return readAnswers(ctx, tx, id, snap) },
	}
	for _, load := range loaders {
		if err := load(); err != nil {
			return nil, friendly(s.path, err)
		}
	}
	snap.GeneratedAt = snap.Assessment.UpdatedAt
	return snap, nil
}

// The home screen's DONE column. Analyzing every assessment each time the list is shown
// cost 0.6–0.7 s of a core at 60–80 assessments, after every return to the list. The
// figure changes only when the assessment does (or the catalog, or the day: an attestation
// that lapses changes what a vendor covers), so it is cached per assessment with the
// position of the assessment's last audit entry it was computed at, in memory and in the
// user state folder beside the last-seen record (one small file per workspace identity).
// Listing then costs one index lookup per assessment; an assessment that changed since is
// analyzed again, alone.

// progressEntry is one assessment's cached completion.
type progressEntry struct {
	Seq        int64   `json:"seq"`     // the assessment's last audit entry when computed
	Catalog    string  `json:"catalog"` // the catalog version it was computed with
	Day        string  `json:"day"`     // the day it was computed (attestations lapse)
	Completion float64 `json:"completion"`
}

type progressFile struct {
	Format      string                   `json:"format"`
	Workspace   string                   `json:"workspace"`
	Assessments map[string]progressEntry `json:"assessments"`
}

const progressFormat = "safeguard-progress/v1"

// progressCache is a Store's cache of completions.
type progressCache struct {
	mu      sync.Mutex
	loaded  bool
	file    string // "" when there is no state folder
	entries map[string]progressEntry
}

// Completion returns the share of applicable items answered of each assessment in ids
// (as the Analysis's Summary.Overall.Completion gives it), from the cache where the
// assessment has not changed since. An assessment that cannot be read is left out.
func (s *Store) Completion(ctx context.Context, ids []string) (map[string]float64, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	c := &s.progress
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded {
		s.loadProgress(ctx)
	}
	day := s.now().Format("2006-01-02")
	out := make(map[string]float64, len(ids))
	changed := false
	for _, id := range ids {
		var seq int64
		if err := s.reader().QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM audit_log WHERE assessment_id = ?", id).Scan(&seq); err != nil {
			return nil, friendly(s.path, err)
		}
		if e, ok := c.entries[id]; ok && e.Seq == seq && e.Catalog == cat.Version && e.Day == day {
			out[id] = e.Completion
			continue
		}
		snap, err := s.AnswersSnapshot(ctx, id)
		if err != nil {
			continue
		}
		snap.GeneratedAt = s.now()
		e := progressEntry{Seq: seq, Catalog: cat.Version, Day: day, Completion: assessment.Analyze(snap).Summary.Overall.Completion()}
		c.entries[id], out[id], changed = e, e.Completion, true
	}
	if changed {
		s.saveProgress()
	}
	return out, nil
}

// loadProgress reads the cache file of this workspace, if there is one.
func (s *Store) loadProgress(ctx context.Context) {
	c := &s.progress
	c.loaded, c.entries = true, map[string]progressEntry{}
	if s.stateDir == "" {
		return
	}
	key, err := s.trailKey(ctx)
	if err != nil || key == "" {
		return
	}
	c.file = filepath.Join(s.stateDir, "progress", key+".json")
	b, err := os.ReadFile(c.file)
	if err != nil {
		return
	}
	var f progressFile
	if json.Unmarshal(b, &f) == nil && f.Format == progressFormat && f.Workspace == key && f.Assessments != nil {
		c.entries = f.Assessments
	}
}

// saveProgress replaces the cache file (failures are ignored: it is only a cache).
func (s *Store) saveProgress() {
	c := &s.progress
	if c.file == "" {
		return
	}
	b, err := json.Marshal(progressFile{Format: progressFormat, Workspace: strings.TrimSuffix(filepath.Base(c.file), ".json"), Assessments: c.entries})
	if err != nil || os.MkdirAll(filepath.Dir(c.file), 0o700) != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(c.file), filepath.Base(c.file)+".*.tmp")
	if err != nil {
		return
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil || os.Rename(f.Name(), c.file) != nil {
		os.Remove(f.Name())
	}
}
