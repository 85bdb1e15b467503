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

// The inventory commands script what the setup screens do: vendors, assets and data flows,
// with the same validation and audit.

func newVendorCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "vendor",
		Short: "Add, list, edit or remove the vendors (business associates and providers) of an assessment",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newVendorAddCmd(g, false), newVendorAddCmd(g, true), newVendorListCmd(g), newVendorRemoveCmd(g),
		newVendorImportCmd(g, g.stdin), newInventoryExportCmd(g, "vendor"))
	return cmd
}

type vendorFlags struct {
	name, services, baa, baaDate string
	notice                       int
	flowdown                     bool
	attestations                 []string
}

func newVendorAddCmd(g *globals, edit bool) *cobra.Command {
	var f vendorFlags
	use, short := "add ID --name NAME [--baa none|requested|signed|expired] [--baa-date D] [--breach-notice-days N] [--flow-down] [--attestation TYPE:EXPIRY]...",
		"Add a vendor and print its ID"
	args := cobra.ExactArgs(1)
	if edit {
		use, short, args = "edit ID VENDOR [flags]", "Change the fields given of a vendor (by ID or name)", cobra.ExactArgs(2)
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long: short + ". --attestation TYPE:EXPIRY (repeatable, replaces the list) records a current assurance report or " +
			"certificate; TYPE is one of " + assessment.ChoiceValues(assessment.AttestationChoices) + ". A SOC 2 Type II report " +
			"takes its examined period too: soc2-type2:EXPIRY:PERIOD-END. A signed BAA and a current HITRUST or ISO 27001 " +
			"attestation let the provider-owned items of this vendor's systems be inherited from this review; SOC 2 alone " +
			"does not.",
		Example: "  safeguard vendor add 3f2a --name \"Meridian Chart Cloud\" --baa signed --baa-date 2024-03-14 --attestation hitrust-r2:2027-05-31\n" +
			"  safeguard vendor edit 3f2a \"Meridian Chart Cloud\" --breach-notice-days 5 --flow-down",
		Args: args,
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				v := assessment.Vendor{BAA: assessment.BAANone}
				if edit {
					snap, err := s.Inventory(ctx, id)
					if err != nil {
						return err
					}
					vid, err := resolveVendor(snap, args[1])
					if err != nil {
						return err
					}
					v = *vendorByID(snap, vid)
				} else if !cmd.Flags().Changed("name") {
					return fmt.Errorf("a vendor needs a name; give --name")
				}
				if err := f.apply(cmd, &v); err != nil {
					return err
				}
				vid, err := s.SaveVendor(ctx, id, v)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), vid)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.name, "name", "", "vendor name")
	fl.StringVar(&f.services, "services", "", "what the vendor does for you")
	fl.StringVar(&f.baa, "baa", "", "BAA status: none, requested, signed or expired")
	fl.StringVar(&f.baaDate, "baa-date", "", "date the BAA was signed (YYYY-MM-DD)")
	fl.IntVar(&f.notice, "breach-notice-days", 0, "days the BAA gives the vendor to report a breach (0 = not stated)")
	fl.BoolVar(&f.flowdown, "flow-down", false, "the BAA binds the vendor's subcontractors")
	fl.StringArrayVar(&f.attestations, "attestation", nil, "TYPE:EXPIRY[:PERIOD-END]; repeat for several")
	return cmd
}

// apply sets the vendor fields whose flags were given.
func (f *vendorFlags) apply(cmd *cobra.Command, v *assessment.Vendor) error {
	ch := cmd.Flags().Changed
	if ch("name") {
		v.Name = f.name
	}
	if ch("services") {
		v.Services = f.services
	}
	if ch("baa") {
		v.BAA = assessment.BAAStatus(f.baa)
	}
	if ch("baa-date") {
		v.BAASigned = f.baaDate
	}
	if ch("breach-notice-days") {
		v.BreachNoticeDays = f.notice
	}
	if ch("flow-down") {
		v.Flowdown = f.flowdown
	}
	if ch("attestation") {
		v.Attestations = []assessment.Attestation{}
		for _, s := range f.attestations {
			a, err := parseAttestation(s)
			if err != nil {
				return err
			}
			v.Attestations = append(v.Attestations, a)
		}
	}
	return nil
}

// parseAttestation reads TYPE:EXPIRY or TYPE:EXPIRY:PERIOD-END.
func parseAttestation(s string) (assessment.Attestation, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return assessment.Attestation{}, fmt.Errorf("attestation %q is not TYPE:EXPIRY (for example hitrust-r2:2027-05-31)", s)
	}
	a := assessment.Attestation{Kind: parts[0], Expires: parts[1]}
	if len(parts) == 3 {
		if a.Kind != assessment.AttSOC2Type2 {
			return a, fmt.Errorf("attestation %q: only soc2-type2 takes a period end", s)
		}
		a.PeriodEnd = parts[2]
	}
	return a, nil
}

func vendorByID(snap *assessment.Snapshot, id string) *assessment.Vendor {
	v, _ := snap.Vendor(id)
	return v
}

func newVendorListCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list ID [--json]",
		Short: "List the vendors of an assessment with their BAA, attestations and issues",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				a, err := analyze(ctx, s, id)
				if err != nil {
					return err
				}
				rows := vendorRows(a)
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), rows)
				}
				printVendors(cmd.OutOrStdout(), rows)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// vendorRow is a vendor as `vendor list` prints it.
type vendorRow struct {
	assessment.Vendor
	Issues []assessment.VendorIssue `json:"issues"`
	// Inheritable says whether the vendor's provider-owned controls rest on this review.
	Inheritable bool `json:"inheritable"`
}

func vendorRows(a *assessment.Analysis) []vendorRow {
	rows := []vendorRow{}
	for _, v := range a.Snap.Vendors {
		rows = append(rows, vendorRow{Vendor: v, Issues: nonNilIssues(a.Summary.VendorIssues[v.ID]),
			Inheritable: assessment.InheritanceOf(v, a.AsOf) != nil})
	}
	return rows
}

func nonNilIssues(is []assessment.VendorIssue) []assessment.VendorIssue {
	if is == nil {
		return []assessment.VendorIssue{}
	}
	return is
}

func printVendors(w io.Writer, rows []vendorRow) {
	if len(rows) == 0 {
		fmt.Fprintln(w, "No vendors yet. Add one with `safeguard vendor add ID --name NAME`.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tBAA\tATTESTATIONS\tINHERITABLE\tISSUES")
	for _, r := range rows {
		var atts []string
		for _, a := range r.Attestations {
			atts = append(atts, a.Kind+" until "+a.Expires)
		}
		var iss []string
		for _, i := range r.Issues {
			iss = append(iss, i.Text)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, baaText(r.Vendor), orDash(strings.Join(atts, ", ")),
			map[bool]string{true: "yes", false: "no"}[r.Inheritable], orDash(strings.Join(iss, " ")))
	}
	tw.Flush()
}

func baaText(v assessment.Vendor) string {
	if v.BAA == assessment.BAASigned && v.BAASigned != "" {
		return "signed " + v.BAASigned
	}
	return string(v.BAA)
}

func newVendorRemoveCmd(g *globals) *cobra.Command {
	return newRemoveCmd(g, "remove ID VENDOR", "Remove a vendor that no asset uses (by ID or name)", "vendor", resolveVendor, (*store.Store).DeleteVendor)
}

func newAssetCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "asset",
		Short: "Add, list, edit or remove the assets (systems, data stores, devices, services) of an assessment",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newAssetAddCmd(g, false), newAssetAddCmd(g, true), newAssetListCmd(g), newAssetRemoveCmd(g),
		newAssetImportCmd(g, g.stdin), newInventoryExportCmd(g, "asset"))
	return cmd
}

type assetFlags struct {
	name, kind, hosting, vendor, encryption, tls, location, owner, criticality, notes, segregation string
	records                                                                                        int
	ephi, part2, outOfScope                                                                        bool
}

// CLI spellings of encryption at rest and in transit, as the issue's scripts write them.
var (
	encryptionFlag = map[string]string{
		"none": assessment.EncNone, "provider-keys": assessment.EncProviderManaged,
		"customer-managed-keys": assessment.EncCustomerManaged, "customer-held-keys": assessment.EncCustomerHeld,
	}
	tlsFlag = map[string]string{"none": "none", "1.0": "tls1.0", "1.1": "tls1.1", "1.2": "tls1.2", "1.3": "tls1.3"}
)

func newAssetAddCmd(g *globals, edit bool) *cobra.Command {
	var f assetFlags
	use, short := "add ID --name N --kind K --hosting on-prem|iaas|paas|saas [--vendor V] [--ephi] [--part2] [--records N] [--encryption ...] [--tls 1.2|1.3|none]",
		"Add an asset and print its ID"
	args := cobra.ExactArgs(1)
	if edit {
		use, short, args = "edit ID ASSET [flags]", "Change the fields given of an asset (by ID or name)", cobra.ExactArgs(2)
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long: short + ". --kind is one of " + assetKinds() + ". --encryption is none, provider-keys, " +
			"customer-managed-keys or customer-held-keys; --tls is 1.3, 1.2, 1.1, 1.0 or none. --vendor names the " +
			"provider of a hosted asset by ID or name. Changing --hosting marks the asset's existing answers to re-validate.",
		Example: "  safeguard asset add 3f2a --name \"Cloud EHR\" --kind ehr --hosting saas --vendor \"Meridian Chart Cloud\" --ephi --records 48000 --encryption provider-keys --tls 1.2\n" +
			"  safeguard asset edit 3f2a \"Cloud EHR\" --records 50000",
		Args: args,
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				snap, err := s.Inventory(ctx, id)
				if err != nil {
					return err
				}
				a := assessment.Asset{InScope: true, EncAtRest: assessment.EncNone}
				if edit {
					aid, err := resolveAsset(snap, args[1])
					if err != nil {
						return err
					}
					x, _ := snap.Asset(aid)
					a = *x
				} else {
					for _, need := range []string{"name", "kind", "hosting"} {
						if !cmd.Flags().Changed(need) {
							return fmt.Errorf("an asset needs --name, --kind and --hosting; --%s is missing", need)
						}
					}
				}
				if err := f.apply(cmd, snap, &a); err != nil {
					return err
				}
				aid, err := s.SaveAsset(ctx, id, a)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), aid)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.name, "name", "", "asset name")
	fl.StringVar(&f.kind, "kind", "", "asset kind")
	fl.StringVar(&f.hosting, "hosting", "", "on-prem, iaas, paas or saas")
	fl.StringVar(&f.vendor, "vendor", "", "provider of a hosted asset (vendor ID or name; \"\" for none)")
	fl.BoolVar(&f.ephi, "ephi", false, "the asset creates, receives, keeps or sends ePHI")
	fl.BoolVar(&f.part2, "part2", false, "the asset holds 42 CFR Part 2 records")
	fl.IntVar(&f.records, "records", 0, "approximate number of patient records")
	fl.StringVar(&f.encryption, "encryption", "", "encryption at rest: none, provider-keys, customer-managed-keys or customer-held-keys")
	fl.StringVar(&f.tls, "tls", "", "encryption in transit: 1.3, 1.2, 1.1, 1.0 or none")
	fl.StringVar(&f.location, "location", "", "where it is (site, region)")
	fl.StringVar(&f.owner, "owner", "", "who in the organization owns it")
	fl.StringVar(&f.criticality, "criticality", "", "low, moderate, high or critical")
	fl.StringVar(&f.segregation, "segregation", "", "Part 2 records: none, logical or physical")
	fl.StringVar(&f.notes, "notes", "", "notes")
	fl.BoolVar(&f.outOfScope, "out-of-scope", false, "keep the asset on the inventory but out of the assessment's scope")
	return cmd
}

func assetKinds() string {
	cat, err := controls.Default()
	if err != nil {
		return "a catalog asset kind"
	}
	ids := make([]string, len(cat.AssetKinds))
	for i, k := range cat.AssetKinds {
		ids[i] = k.ID
	}
	return strings.Join(ids, ", ")
}

// apply sets the asset fields whose flags were given, translating the CLI spellings.
func (f *assetFlags) apply(cmd *cobra.Command, snap *assessment.Snapshot, a *assessment.Asset) error {
	ch := cmd.Flags().Changed
	strs := []struct {
		flag string
		dst  *string
		v    string
	}{
		{"name", &a.Name, f.name}, {"kind", &a.Kind, f.kind}, {"location", &a.Location, f.location},
		{"owner", &a.Owner, f.owner}, {"criticality", &a.Criticality, f.criticality}, {"notes", &a.Notes, f.notes},
		{"segregation", &a.Segregation, f.segregation},
	}
	for _, x := range strs {
		if ch(x.flag) {
			*x.dst = x.v
		}
	}
	if ch("hosting") {
		a.Hosting = controls.Hosting(f.hosting)
	}
	if ch("ephi") {
		a.EPHI = f.ephi
	}
	if ch("part2") {
		a.Part2 = f.part2
	}
	if ch("records") {
		a.Records = f.records
	}
	if ch("out-of-scope") {
		a.InScope = !f.outOfScope
	}
	if ch("encryption") {
		v, ok := encryptionFlag[f.encryption]
		if !ok {
			return fmt.Errorf("--encryption %q is not none, provider-keys, customer-managed-keys or customer-held-keys", f.encryption)
		}
		a.EncAtRest = v
	}
	if ch("tls") {
		v, ok := tlsFlag[strings.TrimPrefix(strings.ToLower(f.tls), "tls")]
		if !ok {
			return fmt.Errorf("--tls %q is not 1.3, 1.2, 1.1, 1.0 or none", f.tls)
		}
		a.TLS = v
	}
	if ch("vendor") {
		vid, err := resolveVendor(snap, f.vendor)
		if err != nil {
			return err
		}
		a.VendorID = vid
	}
	return nil
}

func newAssetListCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list ID [--json]",
		Short: "List the assets of an assessment",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				snap, err := s.Inventory(ctx, id)
				if err != nil {
					return err
				}
				assets := snap.Assets
				if assets == nil {
					assets = []assessment.Asset{}
				}
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), assets)
				}
				printAssets(cmd.OutOrStdout(), snap)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func printAssets(w io.Writer, snap *assessment.Snapshot) {
	if len(snap.Assets) == 0 {
		fmt.Fprintln(w, "No assets yet. Add one with `safeguard asset add ID --name N --kind K --hosting H`.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tHOSTING\tVENDOR\tEPHI\tIN SCOPE")
	for _, a := range snap.Assets {
		vendor := "-"
		if v, ok := snap.Vendor(a.VendorID); ok {
			vendor = v.Name
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Name, a.Kind, a.Hosting.Label(), vendor,
			map[bool]string{true: "yes", false: "no"}[a.EPHI], map[bool]string{true: "yes", false: "no"}[a.InScope])
	}
	tw.Flush()
}

func newAssetRemoveCmd(g *globals) *cobra.Command {
	return newRemoveCmd(g, "remove ID ASSET", "Remove an asset with its flows, answers, overrides and risks (by ID or name)", "asset", resolveAsset, (*store.Store).DeleteAsset)
}

func newFlowCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "flow",
		Short: "Add, list or remove the data flows of an assessment",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newFlowAddCmd(g), newFlowListCmd(g), newFlowRemoveCmd(g))
	return cmd
}

func newFlowAddCmd(g *globals) *cobra.Command {
	var from, to, outside, channel, tls, desc string
	cmd := &cobra.Command{
		Use:   "add ID --from ASSET --to ASSET|--to-outside PARTY [--channel CHANNEL] [--tls 1.2|1.3|none] [--description TEXT]",
		Short: "Add a data flow of ePHI from an asset to another asset or to an outside party, and print its ID",
		Long: "Add a data flow. --to names another asset (ID or name); --to-outside names a party outside the " +
			"organization instead: " + assessment.ChoiceValues(assessment.OutsideParties) + ". --channel is one of " +
			assessment.ChoiceValues(assessment.FlowChannels) + "; --tls is the transport encryption (1.3, 1.2, 1.1, 1.0 or none).",
		Example: "  safeguard flow add 3f2a --from \"Cloud EHR\" --to-outside clearinghouse --channel interface --tls 1.2\n" +
			"  safeguard flow add 3f2a --from \"File server\" --to \"Backup VM\" --channel vpn --tls 1.3",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (to == "") == (outside == "") {
				return fmt.Errorf("give exactly one destination: --to ASSET or --to-outside PARTY")
			}
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				snap, err := s.Inventory(ctx, id)
				if err != nil {
					return err
				}
				f := assessment.Flow{ToParty: outside, Channel: channel, Description: desc}
				if f.From, err = resolveAsset(snap, from); err != nil {
					return err
				}
				if f.From == "" {
					return fmt.Errorf("a data flow needs the asset it leaves from; give --from")
				}
				if f.To, err = resolveAsset(snap, to); err != nil {
					return err
				}
				if tls != "" {
					v, ok := tlsFlag[strings.TrimPrefix(strings.ToLower(tls), "tls")]
					if !ok {
						return fmt.Errorf("--tls %q is not 1.3, 1.2, 1.1, 1.0 or none", tls)
					}
					f.TLS = v
				}
				fid, err := s.SaveFlow(ctx, id, f)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), fid)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&from, "from", "", "asset the data leaves from (ID or name)")
	fl.StringVar(&to, "to", "", "asset the data goes to (ID or name)")
	fl.StringVar(&outside, "to-outside", "", "outside party the data goes to")
	fl.StringVar(&channel, "channel", "", "how the data travels")
	fl.StringVar(&tls, "tls", "", "transport encryption: 1.3, 1.2, 1.1, 1.0 or none")
	fl.StringVar(&desc, "description", "", "what flows and why")
	return cmd
}

func newFlowListCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list ID [--json]",
		Short: "List the data flows of an assessment",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				snap, err := s.Inventory(ctx, id)
				if err != nil {
					return err
				}
				flows := snap.Flows
				if flows == nil {
					flows = []assessment.Flow{}
				}
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), flows)
				}
				printFlows(cmd.OutOrStdout(), snap)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func printFlows(w io.Writer, snap *assessment.Snapshot) {
	if len(snap.Flows) == 0 {
		fmt.Fprintln(w, "No data flows yet. Add one with `safeguard flow add ID --from A --to B`.")
		return
	}
	name := func(id string) string {
		if a, ok := snap.Asset(id); ok {
			return a.Name
		}
		return id
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFROM\tTO\tCHANNEL\tENCRYPTION")
	for _, f := range snap.Flows {
		to := name(f.To)
		if f.Outside() {
			to = assessment.ChoiceLabel(assessment.OutsideParties, f.ToParty) + " (outside)"
		}
		enc := f.TLS
		if enc == "" {
			enc = map[bool]string{true: "encrypted", false: "not encrypted"}[f.Encrypted]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.ID, name(f.From), to, orDash(f.Channel), enc)
	}
	tw.Flush()
}

func newFlowRemoveCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "remove ID FLOW",
		Short: "Remove a data flow",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				if err := s.DeleteFlow(ctx, id, args[1]); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Removed data flow %s.\n", args[1])
				return nil
			})
		},
	}
}

// newRemoveCmd is `vendor remove` and `asset remove`: resolve the record by ID or name in
// the assessment, delete it (audited by the store), and say what went.
func newRemoveCmd(g *globals, use, short, noun string, resolve func(*assessment.Snapshot, string) (string, error),
	remove func(*store.Store, context.Context, string, string) error) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withAssessment(cmd, args[0], func(ctx context.Context, s *store.Store, id string) error {
				snap, err := s.Inventory(ctx, id)
				if err != nil {
					return err
				}
				rid, err := resolve(snap, args[1])
				if err != nil {
					return err
				}
				if err := remove(s, ctx, id, rid); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Removed %s %s.\n", noun, rid)
				return nil
			})
		},
	}
}
