package assessment

import "safeguard/controls"

// DepthCounts is how many items the assessment would ask at each depth, with its profile,
// assets and answers as they are: what a depth means for this practice, shown where the
// depth is chosen. The count at the depth in effect equals len(a.Items).
func (a *Analysis) DepthCounts() map[controls.Depth]int {
	s := a.Snap
	out := make(map[controls.Depth]int, len(controls.Depths))
	for _, d := range controls.Depths {
		if d == s.Profile.DepthOrDefault() {
			out[d] = len(a.Items)
			continue
		}
		p := s.Profile
		p.Depth = d
		out[d] = len(ApplicableGiven(s.Catalog, p, s.Assets, a.Responses))
	}
	return out
}

// VendorEvidence is the number of evidence items linked to a vendor (its BAA, reports,
// review notes).
func (a *Analysis) VendorEvidence(vendorID string) int {
	n := 0
	for _, e := range a.Evidence {
		for _, l := range e.Links {
			if l.VendorID == vendorID && l.QuestionID == "" {
				n++
				break
			}
		}
	}
	return n
}
