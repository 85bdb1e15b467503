package assessment

import (
	"cmp"
	"fmt"
	"slices"

	"safeguard/controls"
)

// Vendor warning kinds beyond the VendorIssue kinds (which VendorWarnings also carries).
const (
	WarnNoFlowdown        = "no-flowdown"             // signed BAA without the subcontractor term
	WarnNoBreachNotice    = "no-breach-notice"        // signed BAA with no incident/breach reporting deadline
	WarnLateBreachNotice  = "late-breach-notice"      // the BAA allows more than 60 days
	WarnAdministersNoBAA  = "administers-without-baa" // the vendor runs on-premises assets without a signed BAA
	WarnVendorNotReviewed = "not-reviewed"            // no review of the vendor recorded for this analysis
)

// Severities of vendor warnings, worst last.
const (
	SeverityModerate = 1
	SeverityHigh     = 2
	SeverityCritical = 3
)

// VendorWarning is one problem with a vendor, with the assets it concerns.
type VendorWarning struct {
	VendorID string   `json:"vendor_id"`
	Kind     string   `json:"kind"`
	Severity int      `json:"severity"`
	Text     string   `json:"text"`
	AssetIDs []string `json:"asset_ids,omitempty"` // the in-scope assets it hosts or runs
}

// SeverityLabel names a severity.
func SeverityLabel(s int) string {
	switch s {
	case SeverityCritical:
		return "Critical"
	case SeverityHigh:
		return "High"
	}
	return "Moderate"
}

// breachNoticeLimit is the longest a business associate may take to tell the covered
// entity of a breach of unsecured PHI (§164.410(b): without unreasonable delay, and in no
// case later than 60 calendar days after discovery).
const breachNoticeLimit = 60

// buildVendorWarnings lists every vendor's problems worst first (then in vendor order).
// Beyond the reliance issues (BAA missing or expired, assurance lapsed, SOC 2 only), a
// signed BAA is checked for the terms §164.314(a)(2)(i) requires (B: subcontractors bound
// to the same protections; C: security incidents and breaches reported), and a vendor that
// administers on-premises assets without a signed BAA is the worst case: it can reach ePHI
// and nothing binds it to protect it.
func (a *Analysis) buildVendorWarnings() {
	reviewed := map[string]bool{}
	for _, r := range a.Snap.VendorReviews {
		reviewed[r.VendorID] = true
	}
	order := map[string]int{}
	for i := range a.Snap.Vendors {
		v := &a.Snap.Vendors[i]
		order[v.ID] = i
		hosted, run := a.vendorAssets(v.ID)
		all := slices.Concat(hosted, run)
		add := func(kind string, sev int, text string, assets []string) {
			a.VendorWarnings = append(a.VendorWarnings, VendorWarning{VendorID: v.ID, Kind: kind, Severity: sev, Text: text, AssetIDs: assets})
		}
		if len(run) > 0 && !v.BAAValid() {
			add(WarnAdministersNoBAA, SeverityCritical, fmt.Sprintf(
				"%s runs %s on site and can reach the ePHI there, but has no signed BAA; get it signed, and supervise its access until then.",
				v.Name, a.assetList(run)), run)
		}
		for _, iss := range a.Summary.VendorIssues[v.ID] {
			sev := SeverityModerate
			if iss.Kind == IssueBAAMissing || iss.Kind == IssueBAAExpired {
				sev = SeverityHigh
			}
			add(iss.Kind, sev, iss.Text, all)
		}
		if v.BAA == BAASigned || v.BAA == BAAExpired {
			if !v.Flowdown {
				add(WarnNoFlowdown, SeverityHigh, fmt.Sprintf(
					"The BAA with %s does not bind its subcontractors to the same protections, a term §164.314(a)(2)(i)(B) requires; add it.", v.Name), all)
			}
			switch {
			case v.BreachNoticeDays == 0:
				add(WarnNoBreachNotice, SeverityHigh, fmt.Sprintf(
					"The BAA with %s sets no deadline for reporting security incidents and breaches, which §164.314(a)(2)(i)(C) requires it to report; add one.", v.Name), all)
			case v.BreachNoticeDays > breachNoticeLimit:
				add(WarnLateBreachNotice, SeverityHigh, fmt.Sprintf(
					"The BAA with %s allows %d days to report a breach, more than the %d days §164.410(b) allows a business associate; shorten it.",
					v.Name, v.BreachNoticeDays, breachNoticeLimit), all)
			}
		}
		if !reviewed[v.ID] {
			add(WarnVendorNotReviewed, SeverityModerate, fmt.Sprintf("No review of %s is recorded for this analysis.", v.Name), all)
		}
	}
	slices.SortStableFunc(a.VendorWarnings, func(x, y VendorWarning) int {
		return cmp.Or(cmp.Compare(y.Severity, x.Severity), cmp.Compare(order[x.VendorID], order[y.VendorID]))
	})
}

// vendorAssets lists the in-scope assets a vendor hosts (IaaS, PaaS, SaaS) and those it
// runs on the organization's premises.
func (a *Analysis) vendorAssets(id string) (hosted, run []string) {
	for i := range a.Snap.Assets {
		as := &a.Snap.Assets[i]
		if !as.InScope || as.VendorID != id {
			continue
		}
		if as.Hosting == controls.OnPrem {
			run = append(run, as.ID)
		} else {
			hosted = append(hosted, as.ID)
		}
	}
	return hosted, run
}

func (a *Analysis) assetList(ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = a.AssetName(id)
	}
	return joinAnd(names)
}

// AdministeredBy is the vendor that runs an on-premises asset (the asset names it as
// provider), or "" when none does: such assets rely on the vendor whatever the owner of
// each control, so the responsibility matrix marks them.
func (a *Analysis) AdministeredBy(assetID string) string {
	as, ok := a.assets[assetID]
	if !ok || as.Hosting != controls.OnPrem {
		return ""
	}
	return as.VendorID
}

// WarningsOf is the vendor warnings of one vendor, worst first: what every screen and
// report lists for it.
func (a *Analysis) WarningsOf(vendorID string) []VendorWarning {
	var out []VendorWarning
	for _, w := range a.VendorWarnings {
		if w.VendorID == vendorID {
			out = append(out, w)
		}
	}
	return out
}
