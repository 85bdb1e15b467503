package accessible

import (
	"fmt"
	"strconv"
	"strings"

	"safeguard/assessment"
	"safeguard/ui/common"
)

// Risks in plain prompts: the register in its order (R1, R2, …), and for one risk:
// accept a proposal and rate it, re-rate, plan its treatment, or dismiss a proposal; each
// saved with store.SaveRisk as the full-screen register does.

func (se *session) risks(d *common.Data) error {
	for {
		if len(d.Risks) == 0 {
			se.say("No risks yet. A gap (partially or not implemented) proposes risks from the threat library.")
			return nil
		}
		opts := make([]string, 0, len(d.Risks)+1)
		for _, r := range d.Risks {
			opts = append(opts, riskLine(d, r))
		}
		opts = append(opts, "Back")
		i, err := se.choose("The risk register, worst first. Choose a risk:", opts)
		if err != nil || i == len(d.Risks) {
			return err
		}
		if err := se.risk(d, d.Risks[i]); err != nil {
			return err
		}
		if d, err = se.load(d.ID()); err != nil {
			return err
		}
	}
}

// riskLine is a risk in one line: reference, title, system, status and level.
func riskLine(d *common.Data, r assessment.RiskView) string {
	level := "not rated"
	if r.Level != assessment.LevelNone {
		level = strings.ToLower(d.Matrix.Label(r.Level)) + fmt.Sprintf(" (likelihood %d, impact %d)", r.Likelihood, r.Impact)
	}
	return fmt.Sprintf("%s %s, %s; %s, %s", r.Ref, r.Title, d.AssetName(r.AssetID), strings.ToLower(r.Status.Label()), level)
}

// risk offers what can be done with one risk.
func (se *session) risk(d *common.Data, r assessment.RiskView) error {
	pending := r.Status == assessment.RiskProposed || r.Status == assessment.RiskDismissed
	type action struct {
		label string
		fn    func() error
	}
	var acts []action
	if pending {
		acts = append(acts, action{"Accept it and rate likelihood and impact", func() error { return se.rate(d, *r.Risk, true) }})
		if r.Status == assessment.RiskProposed {
			acts = append(acts, action{"Dismiss it: it does not apply here", func() error { return se.dismiss(d, *r.Risk) }})
		}
	} else {
		acts = append(acts,
			action{"Rate it again", func() error { return se.rate(d, *r.Risk, false) }},
			action{"Plan its treatment", func() error { return se.treat(d, *r.Risk) }})
	}
	acts = append(acts, action{"Back to the register", nil})
	labels := make([]string, len(acts))
	for i, a := range acts {
		labels[i] = a.label
	}
	se.say("%s", riskLine(d, r))
	if r.Rationale != "" {
		se.para("Rationale: " + r.Rationale)
	}
	i, err := se.choose("What do you want to do?", labels)
	if err != nil || acts[i].fn == nil {
		return err
	}
	return acts[i].fn()
}

// steps are a matrix's likelihood or impact levels as choices.
func steps(m assessment.MatrixKind, withNone bool) []assessment.Choice {
	var out []assessment.Choice
	if withNone {
		out = append(out, assessment.Choice{Value: "0", Label: "Not rated"})
	}
	for v := 1; v <= m.Scale(); v++ {
		out = append(out, assessment.Choice{Value: strconv.Itoa(v), Label: strconv.Itoa(v) + ", " + strings.ToLower(common.StepLabel(m, v))})
	}
	return out
}

// rate rates a risk's likelihood and impact; accepting confirms a proposal as it does.
func (se *session) rate(d *common.Data, r assessment.Risk, accept bool) error {
	return se.within("rating a risk", func() error {
		m := d.Matrix
		if hl, hi := assessment.ThreatHint(d.Catalog, d.Snap.Profile, r); hl > 0 && hi > 0 {
			se.say("The threat library suggests likelihood %d (%s) and impact %d (%s).", hl, strings.ToLower(common.StepLabel(m, hl)), hi, strings.ToLower(common.StepLabel(m, hi)))
		}
		cur := func(v int) string {
			if v == 0 {
				return ""
			}
			return strconv.Itoa(v)
		}
		l, err := se.choice("Likelihood:", steps(m, false), cur(r.Likelihood))
		if err != nil {
			return err
		}
		i, err := se.choice("Impact:", steps(m, false), cur(r.Impact))
		if err != nil {
			return err
		}
		r.Likelihood, _ = strconv.Atoi(l)
		r.Impact, _ = strconv.Atoi(i)
		if r.Rationale, err = se.text("Rationale: why this likelihood and impact", r.Rationale, true, common.Text("rationale")); err != nil {
			return err
		}
		if accept {
			r.Status = assessment.RiskOpen
		}
		return se.saveRisk(d, r, fmt.Sprintf("Rated %s.", strings.ToLower(m.Label(m.Level(r.Likelihood, r.Impact)))))
	})
}

// treat plans a confirmed risk's treatment: how, what, who, by when, and the risk left.
func (se *session) treat(d *common.Data, r assessment.Risk) error {
	return se.within("planning a treatment", func() error {
		m := d.Matrix
		t, err := se.choice("Treatment:", assessment.Treatments, string(r.Treatment))
		if err != nil {
			return err
		}
		r.Treatment = assessment.Treatment(t)
		if r.Measures, err = se.text("Planned measures", r.Measures, true, common.Text("planned measures")); err != nil {
			return err
		}
		if r.Owner, err = se.text("Owner: who sees it through", r.Owner, true, common.Text("owner")); err != nil {
			return err
		}
		if r.Due, err = se.text("Due date, YYYY-MM-DD", r.Due, true, common.Date("due date", false)); err != nil {
			return err
		}
		if r.Treatment == assessment.TreatAccept {
			name := se.s.Actor()
			if r.AcceptedBy != "" {
				name = r.AcceptedBy
			}
			if r.AcceptedBy, err = se.text("Who accepts the risk", name, false, common.Name("name")); err != nil {
				return err
			}
			if r.AcceptedAuthority, err = se.text("In what capacity (the authority to accept it)", r.AcceptedAuthority, true, common.Text("authority")); err != nil {
				return err
			}
			if r.AcceptedOn == "" {
				r.AcceptedOn = assessment.ISODate(se.now())
			}
		} else {
			r.AcceptedBy, r.AcceptedAuthority, r.AcceptedOn = "", "", ""
		}
		rl, err := se.choice("Residual likelihood once treated:", steps(m, true), strconv.Itoa(r.ResidualL))
		if err != nil {
			return err
		}
		ri, err := se.choice("Residual impact once treated:", steps(m, true), strconv.Itoa(r.ResidualI))
		if err != nil {
			return err
		}
		r.ResidualL, _ = strconv.Atoi(rl)
		r.ResidualI, _ = strconv.Atoi(ri)
		statuses := []assessment.Choice{}
		for _, c := range assessment.RiskStatuses {
			if c.Value != string(assessment.RiskProposed) && c.Value != string(assessment.RiskDismissed) {
				statuses = append(statuses, c)
			}
		}
		st, err := se.choice("Status:", statuses, string(r.Status))
		if err != nil {
			return err
		}
		r.Status = assessment.RiskStatus(st)
		return se.saveRisk(d, r, "Saved the treatment plan.")
	})
}

// dismiss marks a proposal as not applying, after a yes.
func (se *session) dismiss(d *common.Data, r assessment.Risk) error {
	return se.within("dismissing a risk", func() error {
		ok, err := se.yes("Dismiss "+r.Title+"? It is not proposed again.", nil)
		if err != nil || !ok {
			return err
		}
		r.Status = assessment.RiskDismissed
		return se.saveRisk(d, r, "Dismissed.")
	})
}

func (se *session) saveRisk(d *common.Data, r assessment.Risk, done string) error {
	if _, err := se.s.SaveRisk(se.ctx, d.ID(), r); err != nil {
		se.say("Not saved: %s.", err)
		return nil
	}
	se.say("%s", done)
	return nil
}
