package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"safeguard/assessment"
	"safeguard/controls"
)

// catalog returns the catalog that validates domain values.
func (s *Store) catalog() (*controls.Catalog, error) { return controls.Default() }

// nullable stores "" as NULL for optional foreign keys.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// belongs checks that a row of table with the given id belongs to the assessment.
func (t *Tx) belongs(table, what, id, assessmentID string) error {
	var owner string
	err := t.queryRow("SELECT assessment_id FROM "+table+" WHERE id = ?", id).Scan(&owner)
	if err == sql.ErrNoRows || (err == nil && owner != assessmentID) {
		return fmt.Errorf("no %s has the ID %q in this assessment; check the ID", what, id)
	}
	return err
}

// SaveVendor creates (empty ID) or updates a vendor and returns its ID.
func (s *Store) SaveVendor(ctx context.Context, assessmentID string, v assessment.Vendor) (string, error) {
	if v.Attestations == nil {
		v.Attestations = []assessment.Attestation{}
	}
	if err := assessment.CheckVendor(v); err != nil {
		return "", err
	}
	err := s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		action, err := t.prepareID(&v.ID, "vendors", "vendor", assessmentID)
		if err != nil {
			return err
		}
		return t.writeVendor(assessmentID, v, action)
	})
	return v.ID, err
}

// prepareID assigns a new UUID to a new record or checks that an existing one belongs to
// the assessment, and returns the audit action.
func (t *Tx) prepareID(id *string, table, what, assessmentID string) (string, error) {
	if *id == "" {
		*id = uuid.NewString()
		return ActionCreate, nil
	}
	return ActionUpdate, t.belongs(table, what, *id, assessmentID)
}

func (t *Tx) writeVendor(assessmentID string, v assessment.Vendor, action string) error {
	_, err := t.exec(`INSERT INTO vendors (id, assessment_id, name, services, baa, baa_signed, breach_notice_days, flowdown, attestations)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, services = excluded.services,
		baa = excluded.baa, baa_signed = excluded.baa_signed, breach_notice_days = excluded.breach_notice_days,
		flowdown = excluded.flowdown, attestations = excluded.attestations`,
		v.ID, assessmentID, v.Name, v.Services, string(v.BAA), v.BAASigned, v.BreachNoticeDays, b2i(v.Flowdown), mustJSON(v.Attestations))
	if err != nil {
		return err
	}
	return t.record(action, "vendor", v.ID, assessmentID)
}

// DeleteVendor removes a vendor that no asset uses any more.
func (s *Store) DeleteVendor(ctx context.Context, assessmentID, id string) error {
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if err := t.belongs("vendors", "vendor", id, assessmentID); err != nil {
			return err
		}
		var name string
		err := t.queryRow("SELECT name FROM assets WHERE vendor_id = ? LIMIT 1", id).Scan(&name)
		if err == nil {
			return fmt.Errorf("the vendor provides asset %q; choose another provider for it first", name)
		}
		if err != sql.ErrNoRows {
			return err
		}
		if err := t.unlinkEvidenceFrom("vendor_id", id, assessmentID); err != nil {
			return err
		}
		if err := t.deleteVendorReview(assessmentID, id); err != nil {
			return err
		}
		return t.deleteRecord("vendors", "vendor", id, assessmentID)
	})
}

func (t *Tx) deleteRecord(table, entityName, id, assessmentID string) error {
	e, _ := entityByName(entityName)
	if _, err := t.exec("DELETE FROM "+table+" WHERE "+e.key+" = ?", id); err != nil {
		return err
	}
	return t.record(ActionDelete, entityName, id, assessmentID)
}

// SaveAsset creates (empty ID) or updates an asset and returns its ID. Changing an asset's
// hosting model changes what is asked of it and who owns each control, so its existing
// answers are marked to re-validate, each in its own audit entry, in the same transaction.
func (s *Store) SaveAsset(ctx context.Context, assessmentID string, a assessment.Asset) (string, error) {
	cat, err := s.catalog()
	if err != nil {
		return "", err
	}
	if err := assessment.CheckAsset(cat, a); err != nil {
		return "", err
	}
	err = s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if a.VendorID != "" {
			if err := t.belongs("vendors", "vendor", a.VendorID, assessmentID); err != nil {
				return err
			}
		}
		action, err := t.prepareID(&a.ID, "assets", "asset", assessmentID)
		if err != nil {
			return err
		}
		if action == ActionUpdate {
			if err := t.revalidateOnHostingChange(assessmentID, a); err != nil {
				return err
			}
		}
		return t.writeAsset(assessmentID, a, action)
	})
	return a.ID, err
}

// revalidateOnHostingChange marks the asset's answers to re-validate when its hosting model
// changes.
func (t *Tx) revalidateOnHostingChange(assessmentID string, a assessment.Asset) error {
	var old string
	if err := t.queryRow("SELECT hosting FROM assets WHERE id = ?", a.ID).Scan(&old); err != nil {
		return err
	}
	if controls.Hosting(old) == a.Hosting {
		return nil
	}
	ids, err := t.ids("SELECT id FROM responses WHERE asset_id = ? AND revalidate = 0 ORDER BY id", a.ID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := t.exec("UPDATE responses SET revalidate = 1 WHERE id = ?", id); err != nil {
			return err
		}
		if err := t.record(ActionUpdate, "response", id, assessmentID); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) writeAsset(assessmentID string, a assessment.Asset, action string) error {
	_, err := t.exec(`INSERT INTO assets (id, assessment_id, name, kind, hosting, vendor_id, ephi, part2, segregation, records,
		location, owner, criticality, enc_at_rest, tls, in_scope, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, hosting = excluded.hosting,
		vendor_id = excluded.vendor_id, ephi = excluded.ephi, part2 = excluded.part2, segregation = excluded.segregation,
		records = excluded.records, location = excluded.location, owner = excluded.owner, criticality = excluded.criticality,
		enc_at_rest = excluded.enc_at_rest, tls = excluded.tls, in_scope = excluded.in_scope, notes = excluded.notes`,
		a.ID, assessmentID, a.Name, a.Kind, string(a.Hosting), nullable(a.VendorID), b2i(a.EPHI), b2i(a.Part2), a.Segregation,
		a.Records, a.Location, a.Owner, a.Criticality, a.EncAtRest, a.TLS, b2i(a.InScope), a.Notes)
	if err != nil {
		return err
	}
	return t.record(action, "asset", a.ID, assessmentID)
}

// DeleteAsset removes an asset with its data flows, answers, owner overrides and risks,
// each deletion audited.
func (s *Store) DeleteAsset(ctx context.Context, assessmentID, id string) error {
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		if err := t.belongs("assets", "asset", id, assessmentID); err != nil {
			return err
		}
		deps := []struct{ table, entity, where string }{
			{"flows", "flow", "from_asset = ? OR to_asset = ?"},
			{"data_flows", "data_flow", "from_asset = ? OR to_asset = ?"},
			{"responses", "response", "asset_id = ? OR asset_id = ?"},
			{"overrides", "override", "asset_id = ? OR asset_id = ?"},
			{"risks", "risk", "asset_id = ? OR asset_id = ?"},
			{"evidence_links", "evidence_link", "asset_id = ? OR asset_id = ?"},
			{"no_risk_reasons", "no_risk", "asset_id = ? OR asset_id = ?"},
		}
		for _, d := range deps {
			ids, err := t.ids("SELECT id FROM "+d.table+" WHERE "+d.where+" ORDER BY id", id, id)
			if err != nil {
				return err
			}
			for _, rid := range ids {
				if err := t.deleteRecord(d.table, d.entity, rid, assessmentID); err != nil {
					return err
				}
			}
		}
		return t.deleteRecord("assets", "asset", id, assessmentID)
	})
}

func (t *Tx) ids(query string, args ...any) ([]string, error) {
	rows, err := t.QueryContext(t.ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SaveFlow creates (empty ID) or updates a data flow from an asset to another asset or to an
// outside party. Flows recorded before flows to outside parties existed live in the older
// flows table; updating one moves it to data_flows, both changes audited.
func (s *Store) SaveFlow(ctx context.Context, assessmentID string, f assessment.Flow) (string, error) {
	if f.TLS != "" {
		f.Encrypted = f.TLS != "none"
	}
	if err := assessment.CheckFlow(f); err != nil {
		return "", err
	}
	err := s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		for _, a := range []string{f.From, f.To} {
			if a == "" {
				continue
			}
			if err := t.belongs("assets", "asset", a, assessmentID); err != nil {
				return err
			}
		}
		action := ActionCreate
		switch legacy, err := t.flowTable(f.ID, assessmentID); {
		case err != nil:
			return err
		case f.ID == "":
			f.ID = uuid.NewString()
		case legacy:
			if err := t.deleteRecord("flows", "flow", f.ID, assessmentID); err != nil {
				return err
			}
		default:
			action = ActionUpdate
		}
		return t.writeFlow(assessmentID, f, action)
	})
	return f.ID, err
}

// flowTable reports whether an existing flow lives in the older flows table; an unknown
// non-empty ID is an error.
func (t *Tx) flowTable(id, assessmentID string) (legacy bool, err error) {
	if id == "" {
		return false, nil
	}
	if err := t.belongs("data_flows", "data flow", id, assessmentID); err == nil {
		return false, nil
	}
	if err := t.belongs("flows", "data flow", id, assessmentID); err != nil {
		return false, err
	}
	return true, nil
}

func (t *Tx) writeFlow(assessmentID string, f assessment.Flow, action string) error {
	_, err := t.exec(`INSERT INTO data_flows (id, assessment_id, from_asset, to_asset, to_party, channel, tls, description, encrypted)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET from_asset = excluded.from_asset,
		to_asset = excluded.to_asset, to_party = excluded.to_party, channel = excluded.channel, tls = excluded.tls,
		description = excluded.description, encrypted = excluded.encrypted`,
		f.ID, assessmentID, f.From, nullable(f.To), f.ToParty, f.Channel, f.TLS, f.Description, b2i(f.Encrypted))
	if err != nil {
		return err
	}
	return t.record(action, "data_flow", f.ID, assessmentID)
}

// DeleteFlow removes a data flow.
func (s *Store) DeleteFlow(ctx context.Context, assessmentID, id string) error {
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		legacy, err := t.flowTable(id, assessmentID)
		if err != nil {
			return err
		}
		if legacy {
			return t.deleteRecord("flows", "flow", id, assessmentID)
		}
		return t.deleteRecord("data_flows", "data_flow", id, assessmentID)
	})
}

// readInventory loads vendors, assets and flows of an assessment.
func readInventory(ctx context.Context, q queryer, id string, snap *assessment.Snapshot) error {
	rows, err := q.QueryContext(ctx, `SELECT id, name, services, baa, baa_signed, breach_notice_days, flowdown, attestations
		FROM vendors WHERE assessment_id = ? ORDER BY name, id`, id)
	if err != nil {
		return err
	}
	err = eachRow(rows, func(sc scanner) error {
		var v assessment.Vendor
		var baa, atts string
		var flow int
		if err := sc.Scan(&v.ID, &v.Name, &v.Services, &baa, &v.BAASigned, &v.BreachNoticeDays, &flow, &atts); err != nil {
			return err
		}
		v.BAA, v.Flowdown = assessment.BAAStatus(baa), flow == 1
		snap.Vendors = append(snap.Vendors, v)
		return json.Unmarshal([]byte(atts), &snap.Vendors[len(snap.Vendors)-1].Attestations)
	})
	if err != nil {
		return err
	}
	if err := readAssets(ctx, q, "assessment_id = ?", snap, id); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT id, from_asset, to_asset, '', '', '', description, encrypted FROM flows
		WHERE assessment_id = ? UNION ALL SELECT id, from_asset, coalesce(to_asset, ''), to_party, channel, tls, description,
		encrypted FROM data_flows WHERE assessment_id = ? ORDER BY id`, id, id)
	if err != nil {
		return err
	}
	return eachRow(rows, func(sc scanner) error {
		var f assessment.Flow
		var enc int
		if err := sc.Scan(&f.ID, &f.From, &f.To, &f.ToParty, &f.Channel, &f.TLS, &f.Description, &enc); err != nil {
			return err
		}
		f.Encrypted = enc == 1
		snap.Flows = append(snap.Flows, f)
		return nil
	})
}

// Inventory is a snapshot holding only an assessment's vendors, assets and data flows
// (readInventory), without loading the rest of it: what a command needs to turn names into
// IDs, list the inventory or edit one of its records.
func (s *Store) Inventory(ctx context.Context, assessmentID string) (*assessment.Snapshot, error) {
	snap := &assessment.Snapshot{}
	if err := readInventory(ctx, s.reader(), assessmentID, snap); err != nil {
		return nil, friendly(s.path, err)
	}
	return snap, nil
}

// readAssets appends the assets that where selects to snap.Assets, by name.
func readAssets(ctx context.Context, q queryer, where string, snap *assessment.Snapshot, args ...any) error {
	rows, err := q.QueryContext(ctx, `SELECT id, name, kind, hosting, coalesce(vendor_id, ''), ephi, part2, segregation, records,
		location, owner, criticality, enc_at_rest, tls, in_scope, notes FROM assets WHERE `+where+` ORDER BY name, id`, args...)
	if err != nil {
		return err
	}
	return eachRow(rows, func(sc scanner) error {
		var a assessment.Asset
		var hosting string
		var ephi, part2, inScope int
		if err := sc.Scan(&a.ID, &a.Name, &a.Kind, &hosting, &a.VendorID, &ephi, &part2, &a.Segregation, &a.Records,
			&a.Location, &a.Owner, &a.Criticality, &a.EncAtRest, &a.TLS, &inScope, &a.Notes); err != nil {
			return err
		}
		a.Hosting, a.EPHI, a.Part2, a.InScope = controls.Hosting(hosting), ephi == 1, part2 == 1, inScope == 1
		snap.Assets = append(snap.Assets, a)
		return nil
	})
}

type scanner interface{ Scan(...any) error }

// eachRow calls fn for every row and closes the rows.
func eachRow(rows *sql.Rows, fn func(scanner) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
