package assessment

import "strconv"

// This file holds the small questions front ends ask of an Analysis, answered once here
// so a screen and a document that show the same thing agree.

// DaysUntil is the number of days from the analysis's as-of day to a stored YYYY-MM-DD
// date: negative once it has passed, 0 on the day itself. ok is false for a date that does
// not parse. Countdowns (attestation expiry, due dates, evidence validity) all use it.
func (a *Analysis) DaysUntil(date string) (days int, ok bool) {
	t, err := ParseDate(date)
	if err != nil {
		return 0, false
	}
	return int(t.Sub(day(a.AsOf)).Hours() / 24), true
}

// Overdue reports whether a stored date has passed on the as-of day.
func (a *Analysis) Overdue(date string) bool {
	d, ok := a.DaysUntil(date)
	return ok && d < 0
}

// TopRisks is the first n confirmed, rated risks still being managed (not closed), worst
// first: the register's head as an executive summary shows it.
func (a *Analysis) TopRisks(n int) []RiskView {
	var out []RiskView
	for _, r := range a.Risks {
		if len(out) == n {
			break
		}
		if r.Rated() && r.Status != RiskClosed {
			out = append(out, r)
		}
	}
	return out
}

// EvidenceRefs is the references (E1, E2, …) of the evidence linked to an item.
func (a *Analysis) EvidenceRefs(v *ItemView) []string {
	out := make([]string, len(v.Evidence))
	for i, id := range v.Evidence {
		out[i] = a.EvidenceRef[id]
	}
	return out
}

// QuestionItems is the applicable items of one question, in item order.
func (a *Analysis) QuestionItems(questionID string) []*ItemView {
	idx := a.ByQuestion[questionID]
	out := make([]*ItemView, len(idx))
	for i, j := range idx {
		out[i] = &a.Items[j]
	}
	return out
}

// TargetName names an item's target for documents: the asset's name, or OrganizationWide.
func (v *ItemView) TargetName() string {
	if v.Asset == nil {
		return OrganizationWide
	}
	return v.Asset.Name
}

// EvidenceItem finds an evidence item by its ID.
func (a *Analysis) EvidenceItem(id string) (*Evidence, bool) {
	ref, ok := a.EvidenceRef[id]
	if !ok {
		return nil, false
	}
	n, err := strconv.Atoi(ref[1:])
	if err != nil || n < 1 || n > len(a.Evidence) {
		return nil, false
	}
	return &a.Evidence[n-1], true
}

// Register is the risk register alone, for outputs that show nothing else (the risks
// CSV): the same order, references and levels as Analysis.Risks, without deriving the
// items and the summary.
type Register struct {
	Matrix MatrixKind
	Risks  []RiskView
	snap   *Snapshot
}

// RiskRegister orders the snapshot's risks as Analyze does.
func RiskRegister(s *Snapshot) *Register {
	a := &Analysis{Snap: s, Matrix: s.Profile.Matrix.OrDefault()}
	a.orderRisks()
	return &Register{Matrix: a.Matrix, Risks: a.Risks, snap: s}
}

// AssetName names a risk's asset as Analysis.AssetName does.
func (r *Register) AssetName(id string) string {
	x, ok := r.snap.Asset(id)
	return assetName(id, x, ok)
}
