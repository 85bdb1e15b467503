package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
)

func newItemsCmd(g *globals) *cobra.Command {
	var open, asJSON bool
	cmd := &cobra.Command{
		Use:   "items ID [--open] [--json]",
		Short: "List every item the assessment asks, with its owner, status, depth and inheritance",
		Long: "List every applicable item of an assessment: each organization-wide question once, and each per-asset " +
			"question once per asset it is asked of, in catalog order. The list follows the profile's depth, entity type " +
			"and region, each asset's kind and hosting model, and the answers to gate questions. A provider-owned item " +
			"whose vendor has a signed BAA and a current HITRUST or ISO 27001 attestation shows as inherited from that " +
			"vendor; an explicit answer always wins.\n\n" +
			"--open keeps the items still to answer (unanswered or flagged, not inherited). --json prints an array of " +
			"objects with question, asset (\"\" for organization-wide), asset_id, owner, status (\"\" when unanswered), " +
			"depth, inherited_from, basis, answered_by, citations and, for open provider-owned items, open_reason.",
		Example: "  safeguard items 3f2a --open\n  safeguard items 3f2a --json > items.json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := analyze(ctx, s, id)
				if err != nil {
					return err
				}
				rows := itemRows(a, open)
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), rows)
				}
				printItems(cmd.OutOrStdout(), a, rows)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&open, "open", false, "only the items still to answer")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// itemRow is one item as `items` prints it. The field names are a stable interface for
// scripts.
type itemRow struct {
	Question      string                    `json:"question"`
	Asset         string                    `json:"asset"`
	AssetID       string                    `json:"asset_id"`
	Text          string                    `json:"text"`
	Citations     []string                  `json:"citations"`
	Owner         controls.Owner            `json:"owner"`
	Status        assessment.ResponseStatus `json:"status"`
	Depth         controls.Depth            `json:"depth"`
	Basis         controls.Basis            `json:"basis"`
	AnsweredBy    controls.Answerer         `json:"answered_by"`
	InheritedFrom string                    `json:"inherited_from"`
	Inheritance   *assessment.Inheritance   `json:"inheritance,omitempty"`
	OpenReason    string                    `json:"open_reason,omitempty"`
	Proposed      bool                      `json:"proposed"`
	Revalidate    bool                      `json:"revalidate,omitempty"`
}

func itemRows(a *assessment.Analysis, onlyOpen bool) []itemRow {
	ba := a.Snap.Profile.BusinessAssociate()
	rows := []itemRow{}
	for i := range a.Items {
		v := &a.Items[i]
		if onlyOpen && !v.Open() {
			continue
		}
		q := v.Question
		r := itemRow{Question: q.ID, Text: q.TextFor(ba), Citations: q.Citations(), Owner: v.Owner, Status: v.Status,
			Depth: q.Depth, Basis: q.Basis, AnsweredBy: q.AnsweredBy, InheritedFrom: v.InheritedFrom,
			Inheritance: v.Inherited, Proposed: q.Proposed}
		if v.Asset != nil {
			r.Asset, r.AssetID = v.Asset.Name, v.Asset.ID
		}
		if v.Response != nil {
			r.Revalidate = v.Response.Revalidate
		}
		if v.Open() && v.Owner == controls.OwnerProvider && len(v.Issues) > 0 {
			texts := make([]string, len(v.Issues))
			for j, is := range v.Issues {
				texts[j] = is.Text
			}
			r.OpenReason = strings.Join(texts, " ")
		}
		rows = append(rows, r)
	}
	return rows
}

func printItems(w io.Writer, a *assessment.Analysis, rows []itemRow) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "QUESTION\tASSET\tOWNER\tSTATUS\tDEPTH\tQUESTION TEXT")
	for _, r := range rows {
		asset := r.Asset
		if asset == "" {
			asset = assessment.OrganizationWide
		}
		status := r.Status.Label()
		if r.InheritedFrom != "" {
			status = "Inherited from " + r.InheritedFrom
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Question, asset, r.Owner.Label(), status, r.Depth, r.Text)
	}
	tw.Flush()
	c := a.Summary.Overall
	fmt.Fprintf(w, "\n%s listed. All applicable items (proposed-rule ones apart): %s, %s inherited from vendor reviews, %s still to answer; depth %s.\n",
		assessment.Plural(len(rows), "item", "items"), assessment.FormatInt(c.Applicable), assessment.FormatInt(c.Inherited),
		assessment.FormatInt(c.Unanswered+c.Flagged), a.Snap.Profile.DepthOrDefault())
}
