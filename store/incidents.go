package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"safeguard/assessment"
)

// Incidents (breach notification, assessment/incident.go). An incident belongs to the
// assessment that was current when it happened; it stays editable when that assessment is
// final, because the decision and the notices follow the incident, not the analysis. Every
// change rewrites the incident's row and is audited with its full new state. Incidents are
// never deleted: the record is the organization's proof (§164.414(b)) and is kept six years
// (§164.316(b)(2)(i)); an incident is closed instead.

// IncidentRecord is an incident with the assessment it belongs to.
type IncidentRecord struct {
	Incident     assessment.Incident
	AssessmentID string
	Title        string // the assessment's title
	Organization string
	Entity       assessment.EntityType // the organization's type, which decides the duties
	RevisionOf   string
}

// IncidentEnv is what a change to an incident may read: a partial snapshot of the
// incident's assessment (profile, inventory and answers, for copying affected assets), who
// is making the change and the day.
type IncidentEnv struct {
	Snapshot *assessment.Snapshot
	Entity   assessment.EntityType
	Actor    string
	Today    time.Time // the calendar day of the change
}

// On is Today as YYYY-MM-DD.
func (e *IncidentEnv) On() string { return assessment.ISODate(e.Today) }

// AddIncident records a new incident with its affected assets and vendors (named by ID),
// copied from the inventory as they stand now. It returns the incident as stored.
func (s *Store) AddIncident(ctx context.Context, assessmentID string, inc assessment.Incident, assetIDs, vendorIDs []string) (assessment.Incident, error) {
	inc.ID = uuid.NewString()
	err := s.mutate(ctx, func(t *Tx) error {
		env, err := t.incidentEnv(assessmentID)
		if err != nil {
			return err
		}
		inc = factsOnly(inc)
		if err := env.setAffected(&inc, assetIDs, vendorIDs); err != nil {
			return err
		}
		inc.RecordedBy, inc.RecordedOn = env.Actor, env.On()
		return t.writeIncident(assessmentID, &inc, env, ActionCreate)
	})
	return inc, err
}

// factsOnly keeps the facts of an incident and drops any decision, notice or link, which
// have their own changes.
func factsOnly(inc assessment.Incident) assessment.Incident {
	return assessment.Incident{ID: inc.ID, Title: inc.Title, Description: inc.Description, Type: inc.Type, Ransomware: inc.Ransomware,
		Exposure: inc.Exposure, OccurredFrom: inc.OccurredFrom, OccurredTo: inc.OccurredTo, Discovered: inc.Discovered,
		DiscoveredBy: inc.DiscoveredBy, Agent: inc.Agent, BANotified: inc.BANotified, FoundBy: inc.FoundBy,
		Individuals: inc.Individuals, States: inc.States, Data: inc.Data, Part2: inc.Part2, Keys: inc.Keys}
}

// setAffected copies the named assets and vendors from the inventory onto the incident.
// An asset or vendor already on the incident keeps the copy it has, so the facts the
// decision rests on do not change under it; RefreshAssets copies them again on purpose.
func (env *IncidentEnv) setAffected(inc *assessment.Incident, assetIDs, vendorIDs []string) error {
	old := map[string]assessment.IncidentAsset{}
	for _, a := range inc.Assets {
		old[a.ID] = a
	}
	inc.Assets = nil
	for _, id := range uniq(assetIDs) {
		if a, ok := old[id]; ok {
			inc.Assets = append(inc.Assets, a)
			continue
		}
		a, ok := assessment.CaptureAsset(env.Snapshot, id, env.On())
		if !ok {
			return fmt.Errorf("no asset has the ID %q in this assessment; check the ID", id)
		}
		inc.Assets = append(inc.Assets, a)
	}
	oldV := map[string]assessment.IncidentVendor{}
	for _, v := range inc.Vendors {
		oldV[v.ID] = v
	}
	inc.Vendors = nil
	for _, id := range uniq(vendorIDs) {
		if v, ok := oldV[id]; ok {
			inc.Vendors = append(inc.Vendors, v)
			continue
		}
		v, ok := assessment.CaptureVendor(env.Snapshot, id)
		if !ok {
			return fmt.Errorf("no vendor has the ID %q in this assessment; check the ID", id)
		}
		inc.Vendors = append(inc.Vendors, v)
	}
	return nil
}

func uniq(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// EditIncident replaces the facts of an incident (title, dates, who discovered it, counts,
// data, affected assets and vendors) and keeps its decision record, notices and links. The
// whole record must still hold together (a conclusion still supported, notices not before
// the discovery).
func (s *Store) EditIncident(ctx context.Context, id string, seen int64, facts assessment.Incident, assetIDs, vendorIDs []string) (assessment.Incident, error) {
	return s.UpdateIncident(ctx, id, seen, func(inc *assessment.Incident, env *IncidentEnv) error {
		f := factsOnly(facts)
		f.ID, f.Assets, f.Vendors = inc.ID, inc.Assets, inc.Vendors
		if err := env.setAffected(&f, assetIDs, vendorIDs); err != nil {
			return err
		}
		f.Delays, f.Secured, f.Exception, f.Factors, f.Conclusion = inc.Delays, inc.Secured, inc.Exception, inc.Factors, inc.Conclusion
		f.Notices, f.Deadlines, f.RiskLinks = inc.Notices, inc.Deadlines, inc.RiskLinks
		f.Closed, f.ClosedBy, f.ClosedNote, f.RecordedBy, f.RecordedOn = inc.Closed, inc.ClosedBy, inc.ClosedNote, inc.RecordedBy, inc.RecordedOn
		*inc = f
		return nil
	})
}

// RefreshAssets copies the incident's affected assets and vendors from the inventory again,
// for when the inventory was wrong or incomplete when they were named.
func (s *Store) RefreshAssets(ctx context.Context, id string, seen int64) (assessment.Incident, error) {
	return s.UpdateIncident(ctx, id, seen, func(inc *assessment.Incident, env *IncidentEnv) error {
		var assets, vendors []string
		for _, a := range inc.Assets {
			assets = append(assets, a.ID)
		}
		for _, v := range inc.Vendors {
			vendors = append(vendors, v.ID)
		}
		inc.Assets, inc.Vendors = nil, nil
		return env.setAffected(inc, assets, vendors)
	})
}

// UpdateIncident changes an incident in one transaction: fn edits the record (it must do
// no I/O), the whole record is checked (assessment.CheckIncident, against today), and the
// new state is written and audited. A closed incident is refused unless fn reopens it.
// seen is the version of the incident the user saw (Incident.Version, or AnyVersion for a
// command that sets a value outright); a *ConflictError refuses the change when someone
// else changed the incident after that.
func (s *Store) UpdateIncident(ctx context.Context, id string, seen int64, fn func(*assessment.Incident, *IncidentEnv) error) (assessment.Incident, error) {
	var out assessment.Incident
	err := s.mutate(ctx, func(t *Tx) error {
		rec, err := readIncident(t.ctx, t.tx, id)
		if err != nil {
			return err
		}
		if err := t.checkVersion("incident", id, seen, "incident "+rec.Incident.ShortID()+" ("+assessment.SafeLine(rec.Incident.Title)+")",
			func() (any, error) { return rec.Incident, nil }); err != nil {
			return err
		}
		env, err := t.incidentEnv(rec.AssessmentID)
		if err != nil {
			return err
		}
		inc := rec.Incident
		wasClosed := inc.Closed != ""
		if err := fn(&inc, env); err != nil {
			return err
		}
		if wasClosed && inc.Closed != "" {
			return fmt.Errorf("incident %s is closed; reopen it with `safeguard incident reopen %s --reason TEXT` to change it", inc.ShortID(), inc.ShortID())
		}
		inc.ID = id
		if err := t.writeIncident(rec.AssessmentID, &inc, env, ActionUpdate); err != nil {
			return err
		}
		out = inc
		return nil
	})
	return out, err
}

// incidentEnv loads what a change to an assessment's incidents reads.
func (t *Tx) incidentEnv(assessmentID string) (*IncidentEnv, error) {
	var n int
	if err := t.queryRow("SELECT count(*) FROM assessments WHERE id = ?", assessmentID).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, notFoundAssessment(assessmentID)
	}
	cat, err := t.s.catalog()
	if err != nil {
		return nil, err
	}
	snap := &assessment.Snapshot{Catalog: cat}
	if snap.Profile, snap.RevisionOf, err = readProfile(t.ctx, t.tx, assessmentID); err != nil {
		return nil, err
	}
	if err := readInventory(t.ctx, t.tx, assessmentID, snap); err != nil {
		return nil, err
	}
	if err := readAnswers(t.ctx, t.tx, assessmentID, snap); err != nil {
		return nil, err
	}
	return &IncidentEnv{Snapshot: snap, Entity: snap.Profile.EntityType, Actor: t.actor, Today: assessment.Today(t.s.now())}, nil
}

// writeIncident checks the whole record and writes it with its audit entry.
func (t *Tx) writeIncident(assessmentID string, inc *assessment.Incident, env *IncidentEnv, action string) error {
	hasEvidence := func(id string) bool {
		var n int
		err := t.queryRow("SELECT count(*) FROM evidence WHERE id = ? AND assessment_id = ?", id, assessmentID).Scan(&n)
		return err == nil && n > 0
	}
	if err := assessment.CheckIncident(inc, env.Entity, hasEvidence, env.Today); err != nil {
		return err
	}
	head := *inc
	head.Assets, head.Vendors = nil, nil
	record, err := json.Marshal(head)
	if err != nil {
		return err
	}
	affected, err := json.Marshal(affectedCopies{Assets: inc.Assets, Vendors: inc.Vendors})
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO incidents (id, assessment_id, discovered, closed, record, affected) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET discovered = excluded.discovered, closed = excluded.closed, record = excluded.record,
		affected = excluded.affected`,
		inc.ID, assessmentID, inc.Discovered, inc.Closed, string(record), string(affected))
	if err != nil {
		return err
	}
	return t.record(action, "incident", inc.ID, assessmentID)
}

// affectedCopies is the affected column: the incident's copies of its assets and vendors.
type affectedCopies struct {
	Assets  []assessment.IncidentAsset  `json:"assets,omitempty"`
	Vendors []assessment.IncidentVendor `json:"vendors,omitempty"`
}

// Incidents lists an assessment's incidents by discovery date, newest first, whole.
func (s *Store) Incidents(ctx context.Context, assessmentID string) ([]assessment.Incident, error) {
	return s.incidents(ctx, assessmentID, true)
}

// IncidentHeads lists an assessment's incidents like Incidents but without their copies of
// the affected assets and vendors (Assets and Vendors are nil): what a list of incidents
// and their clocks (assessment.ViewClocks) needs, read in a fraction of the time.
func (s *Store) IncidentHeads(ctx context.Context, assessmentID string) ([]assessment.Incident, error) {
	return s.incidents(ctx, assessmentID, false)
}

func (s *Store) incidents(ctx context.Context, assessmentID string, whole bool) ([]assessment.Incident, error) {
	if _, err := s.Assessment(ctx, assessmentID); err != nil {
		return nil, err
	}
	read := readIncidents
	if !whole {
		read = readIncidentHeads
	}
	list, err := read(ctx, s.db, assessmentID)
	if err != nil {
		return nil, friendly(s.path, err)
	}
	if list == nil {
		list = []assessment.Incident{}
	}
	return list, nil
}

func readIncidents(ctx context.Context, q queryer, assessmentID string) ([]assessment.Incident, error) {
	return queryIncidents(ctx, q, `SELECT id, record, affected, `+versionSQL("incident", "incidents")+` FROM incidents WHERE assessment_id = ? ORDER BY discovered DESC, id`, assessmentID)
}

func readIncidentHeads(ctx context.Context, q queryer, assessmentID string) ([]assessment.Incident, error) {
	return queryIncidents(ctx, q, `SELECT id, record, '', `+versionSQL("incident", "incidents")+` FROM incidents WHERE assessment_id = ? ORDER BY discovered DESC, id`, assessmentID)
}

func queryIncidents(ctx context.Context, q queryer, query string, args ...any) ([]assessment.Incident, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	type raw struct {
		id, record, affected string
		version              int64
	}
	var rs []raw
	err = eachRow(rows, func(sc scanner) error {
		var r raw
		err := sc.Scan(&r.id, &r.record, &r.affected, &r.version)
		rs = append(rs, r)
		return err
	})
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	// Decoding the JSON is most of the cost of a long list; spread it over the cores.
	out := make([]assessment.Incident, len(rs))
	errs := make([]error, len(rs))
	workers := min(runtime.GOMAXPROCS(0), (len(rs)+63)/64)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(rs); i += workers {
				out[i], errs[i] = decodeIncident(rs[i].id, rs[i].record, rs[i].affected)
				out[i].Version = rs[i].version
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// decodeIncident reads an incident's row; an empty affected leaves out the copies.
func decodeIncident(id, record, affected string) (assessment.Incident, error) {
	var inc assessment.Incident
	if err := json.Unmarshal([]byte(record), &inc); err != nil {
		return inc, fmt.Errorf("incident %s cannot be read (%v); run `safeguard verify`", id, err)
	}
	if affected != "" {
		var c affectedCopies
		if err := json.Unmarshal([]byte(affected), &c); err != nil {
			return inc, fmt.Errorf("incident %s cannot be read (%v); run `safeguard verify`", id, err)
		}
		inc.Assets, inc.Vendors = c.Assets, c.Vendors
	}
	inc.ID = id
	return inc, nil
}

// Incident returns one incident with its assessment.
func (s *Store) Incident(ctx context.Context, id string) (IncidentRecord, error) {
	rec, err := readIncident(ctx, s.db, id)
	return rec, friendly(s.path, err)
}

type rowsQueryer interface {
	queryer
	rowQueryer
}

func readIncident(ctx context.Context, q rowsQueryer, id string) (IncidentRecord, error) {
	var rec IncidentRecord
	var record, affected string
	var version int64
	err := q.QueryRowContext(ctx, `SELECT i.assessment_id, i.record, i.affected, a.title, a.organization, `+versionSQL("incident", "i")+` FROM incidents i
		JOIN assessments a ON a.id = i.assessment_id WHERE i.id = ?`, id).Scan(&rec.AssessmentID, &record, &affected, &rec.Title, &rec.Organization, &version)
	if err == sql.ErrNoRows {
		return rec, fmt.Errorf("no incident has the ID %q; run `safeguard incident list ID` to list them: %w", id, ErrNotFound)
	}
	if err != nil {
		return rec, err
	}
	if rec.Incident, err = decodeIncident(id, record, affected); err != nil {
		return rec, err
	}
	rec.Incident.Version = version
	p, rev, err := readProfile(ctx, q, rec.AssessmentID)
	rec.Entity, rec.RevisionOf = p.EntityType, rev
	return rec, err
}

// ResolveIncident turns a full incident ID or a unique prefix of at least four characters
// into the incident's ID.
func (s *Store) ResolveIncident(ctx context.Context, ref string) (string, error) {
	ref = strings.TrimSpace(strings.ToLower(ref))
	if len(ref) < 4 {
		return "", fmt.Errorf("the incident ID %q is too short; give at least four characters (see `safeguard incident list ID`)", ref)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM incidents WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 2", len(ref), ref)
	if err != nil {
		return "", friendly(s.path, err)
	}
	var ids []string
	err = eachRow(rows, func(sc scanner) error {
		var id string
		err := sc.Scan(&id)
		ids = append(ids, id)
		return err
	})
	if err != nil {
		return "", friendly(s.path, err)
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("no incident has the ID %q; run `safeguard incident list ID` to list them: %w", ref, ErrNotFound)
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("the incident ID %q matches several incidents; give more characters", ref)
}

// CloseIncident closes a concluded incident. It refuses while a notice the organization
// owes is not recorded, except the annual log to HHS, which is filed for the whole year
// (`safeguard incident log`) and may come after.
func (s *Store) CloseIncident(ctx context.Context, id string, seen int64, note string) (assessment.Incident, error) {
	return s.UpdateIncident(ctx, id, seen, func(inc *assessment.Incident, env *IncidentEnv) error {
		if inc.Closed != "" {
			return fmt.Errorf("incident %s is already closed (on %s)", inc.ShortID(), inc.Closed)
		}
		if inc.Conclusion == nil {
			return fmt.Errorf("incident %s has no conclusion yet; record it with `safeguard incident assess %s --conclude OUTCOME --rationale TEXT` before closing", inc.ShortID(), inc.ShortID())
		}
		if err := assessment.CheckText("closing note", note); err != nil {
			return err
		}
		v := assessment.ViewIncident(inc, env.Entity, env.Today)
		var open []string
		for _, d := range v.Duties {
			if d.Open() && d.Key != assessment.DutyHHSLog {
				open = append(open, strings.ToLower(d.Title[:1])+d.Title[1:])
			}
		}
		if len(open) > 0 {
			return fmt.Errorf("incident %s still owes %s; record it with `safeguard incident notify` (or mark another deadline done) before closing", inc.ShortID(), strings.Join(open, ", "))
		}
		inc.Closed, inc.ClosedBy, inc.ClosedNote = env.On(), env.Actor, note
		return nil
	})
}

// ReopenIncident reopens a closed incident, with the reason kept in the record.
func (s *Store) ReopenIncident(ctx context.Context, id string, seen int64, reason string) (assessment.Incident, error) {
	if strings.TrimSpace(reason) == "" {
		return assessment.Incident{}, errors.New("say why the incident is reopened with --reason")
	}
	if err := assessment.CheckText("reason", reason); err != nil {
		return assessment.Incident{}, err
	}
	return s.UpdateIncident(ctx, id, seen, func(inc *assessment.Incident, env *IncidentEnv) error {
		if inc.Closed == "" {
			return fmt.Errorf("incident %s is not closed", inc.ShortID())
		}
		note := fmt.Sprintf("Reopened on %s by %s: %s", env.On(), env.Actor, reason)
		if inc.ClosedNote != "" {
			note = inc.ClosedNote + "\n" + note
		}
		inc.Closed, inc.ClosedBy, inc.ClosedNote = "", "", note
		return nil
	})
}

// LinkRisk raises a risk's likelihood because of an incident, with a note, and keeps the
// link on the incident; both changes are audited in one transaction. The risk belongs to
// the incident's assessment or to a revision of it, which must not be final.
func (s *Store) LinkRisk(ctx context.Context, incidentID, assessmentID, riskID string, likelihood int, note string) (assessment.RiskLink, error) {
	var link assessment.RiskLink
	if strings.TrimSpace(note) == "" {
		return link, errors.New("say what the incident showed about the risk with --note")
	}
	if err := assessment.CheckText("note", note); err != nil {
		return link, err
	}
	err := s.mutate(ctx, func(t *Tx) error {
		rec, err := readIncident(t.ctx, t.tx, incidentID)
		if err != nil {
			return err
		}
		if rec.Incident.Closed != "" {
			return fmt.Errorf("incident %s is closed; reopen it to link a risk", rec.Incident.ShortID())
		}
		if assessmentID == "" {
			assessmentID = rec.AssessmentID
		}
		if assessmentID != rec.AssessmentID {
			_, rev, err := readProfile(t.ctx, t.tx, assessmentID)
			if err != nil {
				return err
			}
			if rev != rec.AssessmentID {
				return fmt.Errorf("the risk must be in the incident's assessment or in a revision of it; assessment %s is neither", assessmentID)
			}
		}
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		var snap assessment.Snapshot
		if err := readRisks(t.ctx, t.tx, assessmentID, &snap); err != nil {
			return err
		}
		i := slices.IndexFunc(snap.Risks, func(r assessment.Risk) bool { return r.ID == riskID })
		if i < 0 {
			return fmt.Errorf("no risk has the ID %q in that assessment; check the ID", riskID)
		}
		r := snap.Risks[i]
		switch {
		case r.Status == assessment.RiskProposed || r.Status == assessment.RiskDismissed:
			return fmt.Errorf("risk %q is %s; confirm and rate it in the risk register first", r.Title, strings.ToLower(r.Status.Label()))
		case likelihood < 1 || likelihood > 5:
			return fmt.Errorf("likelihood %d is not between 1 and 5", likelihood)
		case likelihood <= r.Likelihood:
			return fmt.Errorf("risk %q already has likelihood %d; a link raises it, so give a higher value", r.Title, r.Likelihood)
		}
		p, _, err := readProfile(t.ctx, t.tx, assessmentID)
		if err != nil {
			return err
		}
		env, err := t.incidentEnv(rec.AssessmentID)
		if err != nil {
			return err
		}
		link = assessment.RiskLink{AssessmentID: assessmentID, RiskID: r.ID, RiskTitle: r.Title, From: r.Likelihood, To: likelihood,
			Note: note, By: env.Actor, On: env.On()}
		r.Likelihood = likelihood
		if err := assessment.ValidateRisk(p.Matrix, r); err != nil {
			return err
		}
		if err := t.writeRisk(assessmentID, r, ActionUpdate); err != nil {
			return err
		}
		inc := rec.Incident
		inc.RiskLinks = append(inc.RiskLinks, link)
		return t.writeIncident(rec.AssessmentID, &inc, env, ActionUpdate)
	})
	return link, err
}

// refuseIfCited refuses to remove evidence an incident's decision record cites: the record
// is the organization's proof and is kept whole.
func (t *Tx) refuseIfCited(assessmentID, evidenceID string) error {
	incs, err := readIncidents(t.ctx, t.tx, assessmentID)
	if err != nil {
		return err
	}
	for _, inc := range incs {
		if slices.Contains(inc.EvidenceIDs(), evidenceID) {
			return fmt.Errorf("incident %s (%s) cites this evidence in its decision record, which is kept six years (§164.316(b)(2)(i)); it cannot be removed", inc.ShortID(), inc.Title)
		}
	}
	return nil
}

// countIncidents is how many incidents an assessment holds.
func (t *Tx) countIncidents(assessmentID string) (int, error) {
	var n int
	err := t.queryRow("SELECT count(*) FROM incidents WHERE assessment_id = ?", assessmentID).Scan(&n)
	return n, err
}

// importIncidents writes a document's incidents (already checked) with their audit entries.
func (t *Tx) importIncidents(assessmentID string, entity assessment.EntityType, incs []assessment.Incident) error {
	env := &IncidentEnv{Entity: entity}
	for i := range incs {
		inc := incs[i]
		if err := t.writeIncident(assessmentID, &inc, env, ActionCreate); err != nil {
			return fmt.Errorf("incident %q: %w", inc.Title, err)
		}
	}
	return nil
}
