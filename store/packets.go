package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"safeguard/assessment"
	"safeguard/controls"
)

// Questionnaire packets (see assessment/packet.go and reports/packet): the workspace
// records each packet it exports, with its items, their versions and the checksum of the
// locked content, so a returned workbook is checked against the workspace's own record
// rather than against what the file says of itself.

// PacketRecord is a packet as the workspace records it.
type PacketRecord struct {
	assessment.PacketRecordView
	Who        controls.Answerer
	Deadline   string
	FileName   string
	ExportedBy string
	ExportedAt time.Time
	ImportedBy string
	Applied    int // answers applied when it returned
	Rejected   int // answers the assessor rejected or that could not be used
}

// Returned reports whether the packet came back and was imported.
func (p PacketRecord) Returned() bool { return !p.ReturnedAt.IsZero() }

// RecordPacket records a packet being exported (audited). The caller writes the workbook
// inside the same step (see cmd_packet.go) so that a workbook never leaves without its
// record. ExportedBy and ExportedAt are set here.
func (s *Store) RecordPacket(ctx context.Context, p *PacketRecord) error {
	items, err := json.Marshal(p.Items)
	if err != nil {
		return err
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(p.AssessmentID); err != nil {
			return err
		}
		p.ExportedBy = t.actor
		p.ExportedAt, _ = time.Parse(time.RFC3339Nano, t.at)
		if _, err := t.exec(`INSERT INTO packets (id, assessment_id, respondent, who, deadline, file_name, items, checksum,
			exported_by, exported_at, returned_at, imported_by, applied, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', 0, 0)`,
			p.ID, p.AssessmentID, p.Respondent, string(p.Who), p.Deadline, p.FileName, string(items), p.Checksum, t.actor, t.at); err != nil {
			return err
		}
		return t.record(ActionCreate, "packet", p.ID, p.AssessmentID)
	})
}

const packetCols = `id, assessment_id, respondent, who, deadline, file_name, items, checksum, exported_by, exported_at,
	returned_at, imported_by, applied, rejected`

func scanPacket(sc scanner, workspace string) (PacketRecord, error) {
	var p PacketRecord
	var who, items, exported, returned string
	if err := sc.Scan(&p.ID, &p.AssessmentID, &p.Respondent, &who, &p.Deadline, &p.FileName, &items, &p.Checksum,
		&p.ExportedBy, &exported, &returned, &p.ImportedBy, &p.Applied, &p.Rejected); err != nil {
		return p, err
	}
	p.Who, p.Workspace = controls.Answerer(who), workspace
	p.ExportedAt, _ = time.Parse(time.RFC3339Nano, exported)
	if returned != "" {
		p.ReturnedAt, _ = time.Parse(time.RFC3339Nano, returned)
	}
	return p, json.Unmarshal([]byte(items), &p.Items)
}

// Packet returns the recorded packet with the given ID; ErrNotFound when the workspace
// has none.
func (s *Store) Packet(ctx context.Context, id string) (PacketRecord, error) {
	ws, err := s.Identity(ctx)
	if err != nil {
		return PacketRecord{}, err
	}
	p, err := scanPacket(s.db.QueryRowContext(ctx, "SELECT "+packetCols+" FROM packets WHERE id = ?", id), ws)
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	return p, friendly(s.path, err)
}

// Packets lists the packets of an assessment, newest first.
func (s *Store) Packets(ctx context.Context, assessmentID string) ([]PacketRecord, error) {
	ws, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+packetCols+" FROM packets WHERE assessment_id = ? ORDER BY exported_at DESC, id", assessmentID)
	if err != nil {
		return nil, friendly(s.path, err)
	}
	var out []PacketRecord
	err = eachRow(rows, func(sc scanner) error {
		p, err := scanPacket(sc, ws)
		out = append(out, p)
		return err
	})
	return out, friendly(s.path, err)
}

// PacketDecision is what the assessor decided for one returned answer: apply Answer
// (as returned, or as edited), or reject it.
type PacketDecision struct {
	Change assessment.PacketChangeView
	Apply  bool
}

// ApplyPacket applies the accepted answers of a returned packet in one transaction and
// marks the packet returned, all audited. Each answer is stored as answered by the
// packet's respondent and imported by this session's actor now; an answer whose item
// changed since the preview (Change.Seen) is a *ConflictError and nothing is applied.
func (s *Store) ApplyPacket(ctx context.Context, assessmentID, packetID string, decisions []PacketDecision) (applied int, err error) {
	cat, err := s.catalog()
	if err != nil {
		return 0, err
	}
	rec, err := s.Packet(ctx, packetID)
	if err != nil {
		return 0, err
	}
	if rec.AssessmentID != assessmentID {
		return 0, fmt.Errorf("packet %s belongs to assessment %s, not %s", packetID, rec.AssessmentID, assessmentID)
	}
	for _, d := range decisions {
		if !d.Apply {
			continue
		}
		if err := assessment.ValidateResponse(cat, d.Change.Answer); err != nil {
			return 0, fmt.Errorf("row %d: %w", d.Change.Row, err)
		}
		if err := assessment.CheckConsistency(cat, d.Change.Answer); err != nil {
			return 0, fmt.Errorf("row %d: %w", d.Change.Row, err)
		}
	}
	rejected := 0
	err = s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		t.keepItemContext = true // answers only: the profile and inventory stay as they are
		at, _ := time.Parse(time.RFC3339Nano, t.at)
		ret := &assessment.Returned{Packet: packetID, Respondent: rec.Respondent, On: at.UTC().Format(time.DateOnly)}
		for _, d := range decisions {
			if !d.Apply {
				rejected++
				continue
			}
			r := d.Change.Answer
			r.Version = d.Change.Seen
			r.By, r.At, r.ImportedFrom, r.Returned = t.actor, at, "", ret
			if _, err := t.putResponse(cat, assessmentID, r); err != nil {
				return fmt.Errorf("row %d: %w", d.Change.Row, err)
			}
			applied++
		}
		if _, err := t.exec("UPDATE packets SET returned_at = ?, imported_by = ?, applied = ?, rejected = ? WHERE id = ?",
			t.at, t.actor, applied, rejected, packetID); err != nil {
			return err
		}
		return t.record(ActionUpdate, "packet", packetID, assessmentID)
	})
	if err != nil {
		return 0, err
	}
	return applied, nil
}

// NewPacket makes a packet of the items f chooses from an analysis of assessment
// a.Snap, for respondent ("Name, role") to return by deadline (YYYY-MM-DD). The packet is
// not recorded until its workbook is written (RecordPacket).
func (s *Store) NewPacket(ctx context.Context, a *assessment.Analysis, f assessment.PacketFilter, respondent, deadline string) (*assessment.Packet, error) {
	items := assessment.PacketItems(a, f)
	if len(items) == 0 {
		return nil, fmt.Errorf("no applicable item matches the packet's filters (who answers, section, asset, open only); widen them")
	}
	ws, err := s.Identity(ctx)
	if err != nil {
		return nil, err
	}
	return &assessment.Packet{
		ID: uuid.NewString(), AssessmentID: a.Snap.Assessment.ID, Workspace: ws, Respondent: respondent, Who: f.Who,
		Deadline: deadline, Organization: a.Snap.Assessment.Organization, Title: a.Snap.Assessment.Title, From: s.Actor(),
		Items: items, Prefill: assessment.PacketPrefill(a, items),
	}, nil
}

// NewPacketRecord is the workspace's record of packet p, about to be written as file;
// its Checksum is what the workbook's record must carry.
func NewPacketRecord(p *assessment.Packet, file string) *PacketRecord {
	return &PacketRecord{
		PacketRecordView: assessment.PacketRecordView{ID: p.ID, AssessmentID: p.AssessmentID, Workspace: p.Workspace,
			Respondent: p.Respondent, Checksum: assessment.PacketChecksum(p.ID, p.AssessmentID, p.Workspace, p.Items), Items: p.Items},
		Who: p.Who, Deadline: p.Deadline, FileName: file,
	}
}

// PlanReturn checks a returned workbook against the packet this workspace recorded and
// judges its answers against assessment id as it is now.
func (s *Store) PlanReturn(ctx context.Context, id string, ret *assessment.PacketReturn, now time.Time) (*assessment.PacketPlan, error) {
	rec, err := s.Packet(ctx, ret.ID)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("%s was not exported from this workspace (it records no packet %s); import it into the workspace that made it", ret.File, ret.ID)
	}
	if err != nil {
		return nil, err
	}
	if err := assessment.CheckPacketReturn(&rec.PacketRecordView, ret); err != nil {
		return nil, err
	}
	if rec.AssessmentID != id {
		return nil, fmt.Errorf("%s is a packet of assessment %s, not of %s; import it into that assessment", ret.File, rec.AssessmentID, id)
	}
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		return nil, err
	}
	snap.GeneratedAt = now
	return assessment.PlanPacket(assessment.Analyze(snap), &rec.PacketRecordView, ret), nil
}

// PacketDecisions applies a plan's new and changed answers, and its conflicts when
// theirs (the returned answer wins).
func PacketDecisions(plan *assessment.PacketPlan, theirs bool) []PacketDecision {
	var out []PacketDecision
	for _, c := range plan.Changes {
		switch c.Kind {
		case assessment.PacketNew, assessment.PacketChange:
			out = append(out, PacketDecision{Change: c, Apply: true})
		case assessment.PacketConflict:
			out = append(out, PacketDecision{Change: c, Apply: theirs})
		}
	}
	return out
}
