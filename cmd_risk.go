package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/store"
)

func newRiskCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "risk",
		Short: "List and edit the risk register: confirm, rate, treat, accept or dismiss risks",
	}
	cmd.AddCommand(newRiskListCmd(g), newRiskEditCmd(g), newRiskSettleCmd(g, false), newRiskSettleCmd(g, true))
	return cmd
}

// riskJSON is a register entry in `risk list --json`: the stored risk with what the
// analysis derives about it.
type riskJSON struct {
	assessment.Risk
	Ref           string   `json:"ref"`
	Level         string   `json:"level"`
	ResidualLevel string   `json:"residual_level,omitempty"`
	HarmsDefault  bool     `json:"cia_from_library"`
	Harms         string   `json:"harms"`
	Triggers      []string `json:"triggering_gaps"`
	Controls      []string `json:"existing_controls"`
	Warnings      []string `json:"warnings,omitempty"`
}

func newRiskListCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list ID",
		Short: "List the register worst first, with references (R1, R2, …) that `risk edit` accepts",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := analyze(ctx, s, id)
				if err != nil {
					return err
				}
				if asJSON {
					out := []riskJSON{}
					for _, r := range a.Risks {
						j := riskJSON{Risk: *r.Risk, Ref: r.Ref, Level: string(r.Level), ResidualLevel: string(r.ResidualLevel),
							Harms: string(r.CIA), HarmsDefault: r.CIADefault, Warnings: r.Warnings, Triggers: []string{}, Controls: []string{}}
						for _, i := range r.Triggers {
							j.Triggers = append(j.Triggers, itemRef(a, i))
						}
						for _, i := range r.Controls {
							j.Controls = append(j.Controls, itemRef(a, i))
						}
						out = append(out, j)
					}
					return writeJSON(cmd.OutOrStdout(), out)
				}
				if len(a.Risks) == 0 {
					fmt.Fprintln(cmd.OutOrStdout(), "The register is empty. Gaps (partial or not-implemented answers) propose risks from the threat library.")
					return nil
				}
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "REF\tID\tSTATUS\tLEVEL\tL×I\tHARMS\tTREATMENT\tOWNER\tASSET\tTITLE")
				for _, r := range a.Risks {
					li := "-"
					if r.Likelihood > 0 {
						li = fmt.Sprintf("%d×%d", r.Likelihood, r.Impact)
					}
					level := a.Matrix.Label(r.Level)
					if r.Status == assessment.RiskProposed {
						level = "proposed, not rated"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Ref, short(r.ID), r.Status.Label(), level, li,
						r.CIA.Short(), r.Treatment.Label(), orDash(assessment.SafeLine(r.Owner)), assessment.SafeLine(a.AssetName(r.AssetID)), assessment.SafeLine(r.Title))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

// itemRef names an item: the question ID, with the asset's name for per-asset items.
func itemRef(a *assessment.Analysis, i int) string {
	it := a.Items[i]
	if it.Asset != nil {
		return it.Question.ID + " @ " + it.Asset.Name
	}
	return it.Question.ID
}

// resolveRisk accepts a register reference (R3, as `risk list` prints it), a risk ID or a
// unique prefix of one (at least four characters).
func resolveRisk(a *assessment.Analysis, ref string) (*assessment.Risk, error) {
	ref = strings.TrimSpace(ref)
	if n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(ref), "R")); err == nil && strings.HasPrefix(strings.ToUpper(ref), "R") {
		if n >= 1 && n <= len(a.Risks) {
			return a.Risks[n-1].Risk, nil
		}
		return nil, fmt.Errorf("the register has no %s (it runs R1 to R%d); see `safeguard risk list`", strings.ToUpper(ref), len(a.Risks))
	}
	var found *assessment.Risk
	for _, r := range a.Risks {
		if r.ID == ref {
			return r.Risk, nil
		}
		if len(ref) >= 4 && strings.HasPrefix(r.ID, strings.ToLower(ref)) {
			if found != nil {
				return nil, fmt.Errorf("the risk ID %q matches several risks; give more characters", ref)
			}
			found = r.Risk
		}
	}
	if found == nil {
		return nil, fmt.Errorf("no risk has the reference or ID %q; see `safeguard risk list`", ref)
	}
	return found, nil
}

func newRiskEditCmd(g *globals) *cobra.Command {
	var v struct {
		status, rationale, treatment, measures, owner, due, cia, acceptedBy, authority, acceptedOn, title string
		likelihood, impact, rl, ri                                                                        int
		confirm, dismiss                                                                                  bool
	}
	cmd := &cobra.Command{
		Use:   "edit ID RISK [flags]",
		Short: "Confirm, rate, treat, accept or dismiss one risk (RISK is R3, as listed, or its ID)",
		Long: "Change the fields given and keep the others. --confirm makes a proposed risk open; --dismiss dismisses it. " +
			"Ratings run from 1 to the matrix scale (5 on NIST's 5×5, 3 on the 3×3). --cia names the objectives the risk " +
			"harms (c, i, a, e.g. c,a); without it the threat library's default applies. An accepted risk records who " +
			"accepted it (--accepted-by), with what authority (--authority) and when (--accepted-on).",
		Example: "  safeguard risk edit 3f2a R4 --confirm --likelihood 3 --impact 4 --rationale \"...\" --treatment mitigate --measures \"...\" --owner \"IT lead\" --due 2027-03-31\n" +
			"  safeguard risk edit 3f2a R9 --treatment accept --accepted-by \"Dr. Ana Ruiz\" --authority \"Medical director\" --accepted-on 2026-11-30",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if v.confirm && v.dismiss {
				return fmt.Errorf("--confirm and --dismiss contradict each other; give one")
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := analyze(ctx, s, id)
				if err != nil {
					return err
				}
				found, err := resolveRisk(a, args[1])
				if err != nil {
					return err
				}
				r := *found
				f := cmd.Flags()
				set := func(name string, dst *string, val string) {
					if f.Changed(name) {
						*dst = strings.TrimSpace(val)
					}
				}
				setInt := func(name string, dst *int, val int) {
					if f.Changed(name) {
						*dst = val
					}
				}
				if v.confirm {
					r.Status = assessment.RiskOpen
				}
				if v.dismiss {
					r.Status = assessment.RiskDismissed
				}
				set("status", (*string)(&r.Status), v.status)
				set("title", &r.Title, v.title)
				setInt("likelihood", &r.Likelihood, v.likelihood)
				setInt("impact", &r.Impact, v.impact)
				setInt("residual-likelihood", &r.ResidualL, v.rl)
				setInt("residual-impact", &r.ResidualI, v.ri)
				set("rationale", &r.Rationale, v.rationale)
				set("treatment", (*string)(&r.Treatment), v.treatment)
				set("measures", &r.Measures, v.measures)
				set("owner", &r.Owner, v.owner)
				set("due", &r.Due, v.due)
				set("accepted-by", &r.AcceptedBy, v.acceptedBy)
				set("authority", &r.AcceptedAuthority, v.authority)
				set("accepted-on", &r.AcceptedOn, v.acceptedOn)
				if f.Changed("cia") {
					if r.CIA, err = assessment.ParseCIA(v.cia); err != nil {
						return err
					}
				}
				if f.Changed("treatment") && r.Treatment != assessment.TreatAccept {
					// An acceptance belongs to an accepted risk only; a new treatment drops it.
					r.AcceptedBy, r.AcceptedAuthority, r.AcceptedOn = "", "", ""
				}
				if _, err := s.SaveRisk(ctx, id, r); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Saved %s.\n", args[1])
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.BoolVar(&v.confirm, "confirm", false, "confirm a proposed risk (status open)")
	f.BoolVar(&v.dismiss, "dismiss", false, "dismiss the risk")
	f.StringVar(&v.status, "status", "", "proposed, open, in-progress, closed or dismissed")
	f.StringVar(&v.title, "title", "", "the risk's title")
	f.IntVar(&v.likelihood, "likelihood", 0, "likelihood rating (0 = not rated)")
	f.IntVar(&v.impact, "impact", 0, "impact rating (0 = not rated)")
	f.StringVar(&v.rationale, "rationale", "", "why it is rated so")
	f.StringVar(&v.treatment, "treatment", "", "mitigate, accept, transfer or avoid")
	f.StringVar(&v.measures, "measures", "", "the planned measures")
	f.StringVar(&v.owner, "owner", "", "who carries out the treatment")
	f.StringVar(&v.due, "due", "", "due date (YYYY-MM-DD)")
	f.IntVar(&v.rl, "residual-likelihood", 0, "likelihood once treated")
	f.IntVar(&v.ri, "residual-impact", 0, "impact once treated")
	f.StringVar(&v.cia, "cia", "", "objectives harmed: c, i, a (e.g. c,a)")
	f.StringVar(&v.acceptedBy, "accepted-by", "", "accept: who accepted the risk")
	f.StringVar(&v.authority, "authority", "", "accept: their authority to accept it (e.g. Practice owner)")
	f.StringVar(&v.acceptedOn, "accepted-on", "", "accept: when (YYYY-MM-DD)")
	return cmd
}
