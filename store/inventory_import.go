package store

import (
	"context"
	"fmt"

	"safeguard/assessment"
)

// ImportAssets adds and updates assets from an inventory import in one transaction: all
// of them, or on any error none. An asset with an ID updates that asset (its answers are
// marked to re-validate when its hosting model changes, as SaveAsset does); one without
// gets a new ID. Each asset passes the same checks as SaveAsset.
func (s *Store) ImportAssets(ctx context.Context, assessmentID string, assets []assessment.Asset) error {
	cat, err := s.catalog()
	if err != nil {
		return err
	}
	for _, a := range assets {
		if err := assessment.CheckAsset(cat, a); err != nil {
			return fmt.Errorf("asset %q: %w", a.Name, err)
		}
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		for _, a := range assets {
			if a.VendorID != "" {
				if err := t.belongs("vendors", "vendor", a.VendorID, assessmentID); err != nil {
					return fmt.Errorf("asset %q: %w", a.Name, err)
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
			if err := t.writeAsset(assessmentID, a, action); err != nil {
				return importErr(fmt.Sprintf("asset %q", a.Name), err)
			}
		}
		return nil
	})
}

// ImportVendors adds and updates vendors from an inventory import in one transaction,
// each checked as SaveVendor checks it.
func (s *Store) ImportVendors(ctx context.Context, assessmentID string, vendors []assessment.Vendor) error {
	for i, v := range vendors {
		if v.Attestations == nil {
			vendors[i].Attestations = []assessment.Attestation{}
		}
		if err := assessment.CheckVendor(vendors[i]); err != nil {
			return fmt.Errorf("vendor %q: %w", v.Name, err)
		}
	}
	return s.mutate(ctx, func(t *Tx) error {
		if err := t.editable(assessmentID); err != nil {
			return err
		}
		for _, v := range vendors {
			action, err := t.prepareID(&v.ID, "vendors", "vendor", assessmentID)
			if err != nil {
				return err
			}
			if err := t.writeVendor(assessmentID, v, action); err != nil {
				return importErr(fmt.Sprintf("vendor %q", v.Name), err)
			}
		}
		return nil
	})
}
