package assessment

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"safeguard/controls"
)

// Inventory tables: the asset and vendor lists as spreadsheet rows, for `asset import`,
// `vendor import` and their exports. Export writes AssetColumns / VendorColumns with
// values spelled as the setup commands take them; import reads any table whose header
// names those columns (case, spaces, dashes and underscores ignored, common aliases
// accepted), so an export read back gives the same inventory. Reading a file into rows is
// the reports/sheets package's; this file turns rows into changes and checks them with the
// same rules as the setup commands (CheckAsset, CheckVendor).

// TableRow is one data row of a table: its line (1 = the header) and its cells.
type TableRow struct {
	Line  int
	Cells []string
}

// TableColumn is one column of an inventory table: its header as exported, the aliases
// import also accepts, and how to read and write a value.
type TableColumn[T any] struct {
	Header  string
	aliases []string
	get     func(*T, *tableCtx) string
	set     func(*T, string, *tableCtx) error
	// twice lets a list name the column twice ("BAA signed" yes/no beside a "BAA date"):
	// the second column's non-empty cells are read after the first's.
	twice bool
}

// tableCtx is what a cell needs besides the record: the catalog and the vendor names.
type tableCtx struct {
	cat     *controls.Catalog
	vendors []Vendor
}

// normHeader folds a header for matching: lower case, without spaces, dashes,
// underscores, dots or slashes.
func normHeader(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch r {
		case ' ', '-', '_', '.', '/', '\t', '(', ')':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// yes/no cells.
func formatBool(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func parseBool(what, s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "true", "1", "x", "✓":
		return true, nil
	case "no", "n", "false", "0", "", "-":
		return false, nil
	}
	return false, fmt.Errorf("%s %q is not yes or no", what, s)
}

// HostingSpellings are the hosting values import accepts, folded (see normHeader).
var hostingSpellings = map[string]controls.Hosting{
	"onprem": controls.OnPrem, "onpremises": controls.OnPrem, "onpremise": controls.OnPrem, "local": controls.OnPrem,
	"selfhosted": controls.OnPrem, "iaas": controls.IaaS, "infrastructureasaservice": controls.IaaS,
	"paas": controls.PaaS, "platformasaservice": controls.PaaS, "saas": controls.SaaS, "softwareasaservice": controls.SaaS,
}

// ParseHosting reads a hosting model as people write it: on-prem (on-premises, local,
// self-hosted), IaaS, PaaS or SaaS (or their long forms), in any case.
func ParseHosting(s string) (controls.Hosting, error) {
	if h, ok := hostingSpellings[normHeader(s)]; ok {
		return h, nil
	}
	return "", fmt.Errorf("hosting %q is not on-prem, iaas, paas or saas", s)
}

// EncryptionSpellings are the encryption-at-rest values as the setup commands write them.
var EncryptionSpellings = map[string]string{
	"none": EncNone, "provider-keys": EncProviderManaged,
	"customer-managed-keys": EncCustomerManaged, "customer-held-keys": EncCustomerHeld,
}

// ParseEncryption reads encryption at rest: the setup commands' spellings, the stored
// values, or "no"/"not encrypted".
func ParseEncryption(s string) (string, error) {
	n := normHeader(s)
	for k, v := range EncryptionSpellings {
		if n == normHeader(k) || n == normHeader(v) {
			return v, nil
		}
	}
	switch n {
	case "no", "notencrypted", "unencrypted":
		return EncNone, nil
	}
	return "", fmt.Errorf("encryption %q is not none, provider-keys, customer-managed-keys or customer-held-keys", s)
}

// EncryptionSpelling is how the setup commands write a stored encryption value.
func EncryptionSpelling(v string) string {
	for k, x := range EncryptionSpellings {
		if x == v {
			return k
		}
	}
	return v
}

// ParseTLS reads encryption in transit: 1.3, TLS 1.2, tls1.2, none.
func ParseTLS(s string) (string, error) {
	n := strings.ToLower(strings.NewReplacer(" ", "", "-", "", "_", "").Replace(strings.TrimSpace(s)))
	n = strings.TrimPrefix(strings.TrimPrefix(n, "tls"), "v")
	switch n {
	case "none", "no":
		return "none", nil
	case "1.0", "1.1", "1.2", "1.3":
		return "tls" + n, nil
	}
	return "", fmt.Errorf("encryption in transit %q is not 1.3, 1.2, 1.1, 1.0 or none", s)
}

// TLSSpelling is how the setup commands write a stored TLS value ("1.2").
func TLSSpelling(v string) string { return strings.TrimPrefix(v, "tls") }

// parseKind reads an asset kind by catalog ID or title.
func parseKind(cat *controls.Catalog, s string) (string, error) {
	n := normHeader(s)
	var ids []string
	for _, k := range cat.AssetKinds {
		if n == normHeader(k.ID) || n == normHeader(k.Title) {
			return k.ID, nil
		}
		ids = append(ids, k.ID)
	}
	return "", fmt.Errorf("asset kind %q is not one of %s", s, strings.Join(ids, ", "))
}

// parseChoice reads one of choices by value or label.
func parseChoice(what, s string, choices []Choice) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	n := normHeader(s)
	for _, c := range choices {
		if n == normHeader(c.Value) || n == normHeader(c.Label) {
			return c.Value, nil
		}
	}
	return "", fmt.Errorf("%s %q is not one of %s", what, s, choiceList(choices))
}

// countCell writes a count that 0 means "not recorded" (records, breach notice days) as
// an empty cell, so a list does not claim a count nobody gave; parseCount reads it back.
func countCell(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func parseCount(what, s string) (int, error) {
	s = strings.NewReplacer(",", "", " ", "", "_", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s %q is not a whole number of 0 or more", what, s)
	}
	return n, nil
}

func str(f func(*Asset) *string) (func(*Asset, *tableCtx) string, func(*Asset, string, *tableCtx) error) {
	return func(a *Asset, _ *tableCtx) string { return *f(a) },
		func(a *Asset, s string, _ *tableCtx) error { *f(a) = strings.TrimSpace(s); return nil }
}

// AssetColumns are the columns of the asset table, in export order.
var AssetColumns = func() []TableColumn[Asset] {
	nameGet, nameSet := str(func(a *Asset) *string { return &a.Name })
	locGet, locSet := str(func(a *Asset) *string { return &a.Location })
	ownGet, ownSet := str(func(a *Asset) *string { return &a.Owner })
	return []TableColumn[Asset]{
		{Header: "Name", aliases: []string{"asset", "asset name", "system", "system name", "application"}, get: nameGet, set: nameSet},
		{Header: "Kind", aliases: []string{"type", "asset kind", "asset type", "category"},
			get: func(a *Asset, _ *tableCtx) string { return a.Kind },
			set: func(a *Asset, s string, c *tableCtx) (err error) { a.Kind, err = parseKind(c.cat, s); return err }},
		{Header: "Hosting", aliases: []string{"hosting model", "hosted", "deployment", "deployment model"},
			get: func(a *Asset, _ *tableCtx) string { return string(a.Hosting) },
			set: func(a *Asset, s string, _ *tableCtx) (err error) { a.Hosting, err = ParseHosting(s); return err }},
		{Header: "Provider", aliases: []string{"vendor", "provider name", "vendor name", "hosted by", "csp"},
			get: func(a *Asset, c *tableCtx) string {
				for _, v := range c.vendors {
					if v.ID == a.VendorID {
						return v.Name
					}
				}
				return ""
			},
			set: func(a *Asset, s string, c *tableCtx) error {
				s = strings.TrimSpace(s)
				if s == "" || strings.EqualFold(s, "none") {
					a.VendorID = ""
					return nil
				}
				var names []string
				for _, v := range c.vendors {
					if strings.EqualFold(strings.TrimSpace(v.Name), s) {
						a.VendorID = v.ID
						return nil
					}
					names = append(names, fmt.Sprintf("%q", v.Name))
				}
				if len(names) == 0 {
					return fmt.Errorf("provider %q is not a vendor of this assessment (it has none yet); import or add the vendors first", s)
				}
				return fmt.Errorf("provider %q is not a vendor of this assessment (its vendors are %s); add it first or correct the name", s, strings.Join(names, ", "))
			}},
		{Header: "ePHI", aliases: []string{"holds ephi", "phi", "contains ephi", "ephi yes/no"},
			get: func(a *Asset, _ *tableCtx) string { return formatBool(a.EPHI) },
			set: func(a *Asset, s string, _ *tableCtx) (err error) { a.EPHI, err = parseBool("ePHI", s); return err }},
		{Header: "Part 2", aliases: []string{"part2", "42 cfr part 2", "sud records"},
			get: func(a *Asset, _ *tableCtx) string { return formatBool(a.Part2) },
			set: func(a *Asset, s string, _ *tableCtx) (err error) { a.Part2, err = parseBool("Part 2", s); return err }},
		{Header: "Segregation", aliases: []string{"part 2 segregation"},
			get: func(a *Asset, _ *tableCtx) string { return a.Segregation },
			set: func(a *Asset, s string, _ *tableCtx) (err error) {
				a.Segregation, err = parseChoice("Part 2 segregation", s, SegregationChoices)
				return err
			}},
		{Header: "Records", aliases: []string{"record count", "patient records", "approximate records", "number of records"},
			get: func(a *Asset, _ *tableCtx) string { return countCell(a.Records) },
			set: func(a *Asset, s string, _ *tableCtx) (err error) {
				a.Records, err = parseCount("record count", s)
				return err
			}},
		{Header: "Location", aliases: []string{"site", "region", "where"}, get: locGet, set: locSet},
		{Header: "Owner", aliases: []string{"system owner", "business owner", "responsible"}, get: ownGet, set: ownSet},
		{Header: "Criticality", aliases: []string{"importance", "priority"},
			get: func(a *Asset, _ *tableCtx) string { return a.Criticality },
			set: func(a *Asset, s string, _ *tableCtx) (err error) {
				a.Criticality, err = parseChoice("criticality", s, CriticalityChoices)
				return err
			}},
		{Header: "Encryption at rest", aliases: []string{"encryption", "encrypted", "at rest", "encryption rest"},
			get: func(a *Asset, _ *tableCtx) string { return EncryptionSpelling(a.EncAtRest) },
			set: func(a *Asset, s string, _ *tableCtx) (err error) { a.EncAtRest, err = ParseEncryption(s); return err }},
		{Header: "Encryption in transit", aliases: []string{"tls", "in transit", "transport encryption", "tls version"},
			get: func(a *Asset, _ *tableCtx) string { return TLSSpelling(a.TLS) },
			set: func(a *Asset, s string, _ *tableCtx) error {
				if strings.TrimSpace(s) == "" {
					a.TLS = ""
					return nil
				}
				v, err := ParseTLS(s)
				a.TLS = v
				return err
			}},
		{Header: "In scope", aliases: []string{"scope", "in scope yes/no"},
			get: func(a *Asset, _ *tableCtx) string { return formatBool(a.InScope) },
			set: func(a *Asset, s string, _ *tableCtx) (err error) {
				a.InScope, err = parseBool("in scope", s)
				return err
			}},
		{Header: "Notes", aliases: []string{"note", "comments", "comment", "description"},
			get: func(a *Asset, _ *tableCtx) string { return a.Notes },
			set: func(a *Asset, s string, _ *tableCtx) error { a.Notes = s; return nil }},
	}
}()

// VendorColumns are the columns of the vendor table, in export order.
var VendorColumns = []TableColumn[Vendor]{
	{Header: "Name", aliases: []string{"vendor", "vendor name", "provider", "business associate", "company"},
		get: func(v *Vendor, _ *tableCtx) string { return v.Name },
		set: func(v *Vendor, s string, _ *tableCtx) error { v.Name = strings.TrimSpace(s); return nil }},
	{Header: "Services", aliases: []string{"service", "what they do", "description"},
		get: func(v *Vendor, _ *tableCtx) string { return v.Services },
		set: func(v *Vendor, s string, _ *tableCtx) error { v.Services = s; return nil }},
	{Header: "BAA", aliases: []string{"baa status", "business associate agreement"},
		get: func(v *Vendor, _ *tableCtx) string { return string(v.BAA) },
		set: func(v *Vendor, s string, _ *tableCtx) error {
			x, err := parseChoice("BAA status", s, []Choice{{"none", "no"}, {"requested", "pending"}, {"signed", "yes"}, {"expired", "lapsed"}})
			if x == "" && err == nil {
				x = string(BAANone)
			}
			v.BAA = BAAStatus(x)
			return err
		}},
	{Header: "BAA signed", aliases: []string{"baa date", "baa signed on", "baa signature date", "date baa signed"}, twice: true,
		get: func(v *Vendor, _ *tableCtx) string { return v.BAASigned },
		set: func(v *Vendor, s string, _ *tableCtx) error {
			s = strings.TrimSpace(s)
			if s == "" {
				// No date: the BAA column (if any) says the status.
				v.BAASigned = ""
				return nil
			}
			if b, err := parseBool("", s); err == nil {
				// "BAA signed: yes/no" as some lists keep it: the status, not a date.
				if b {
					v.BAA = BAASigned
				} else if v.BAA == BAASigned {
					v.BAA = BAANone
				}
				return nil
			}
			if err := CheckDate("BAA signature date", s); err != nil {
				return err
			}
			v.BAASigned = s
			if v.BAA == "" || v.BAA == BAANone {
				v.BAA = BAASigned
			}
			return nil
		}},
	{Header: "Breach notice days", aliases: []string{"breach notice", "notice days", "breach notification days"},
		get: func(v *Vendor, _ *tableCtx) string { return countCell(v.BreachNoticeDays) },
		set: func(v *Vendor, s string, _ *tableCtx) (err error) {
			v.BreachNoticeDays, err = parseCount("breach notice days", s)
			return err
		}},
	{Header: "Flow-down", aliases: []string{"flowdown", "subcontractor flow-down", "subcontractors bound"},
		get: func(v *Vendor, _ *tableCtx) string { return formatBool(v.Flowdown) },
		set: func(v *Vendor, s string, _ *tableCtx) (err error) {
			v.Flowdown, err = parseBool("flow-down", s)
			return err
		}},
	{Header: "Attestations", aliases: []string{"attestation", "certifications", "assurance"},
		get: func(v *Vendor, _ *tableCtx) string { return formatAttestations(v.Attestations) },
		set: func(v *Vendor, s string, _ *tableCtx) (err error) {
			v.Attestations, err = parseAttestations(s)
			return err
		}},
}

// formatAttestations writes one attestation per line: KIND:EXPIRY[:PERIOD-END], with
// " (covers: SCOPE)" when a scope is recorded.
func formatAttestations(as []Attestation) string {
	lines := make([]string, len(as))
	for i, a := range as {
		s := a.Kind + ":" + a.Expires
		if a.PeriodEnd != "" {
			s += ":" + a.PeriodEnd
		}
		if a.Scope != "" {
			s += " (covers: " + a.Scope + ")"
		}
		lines[i] = s
	}
	return strings.Join(lines, "\n")
}

var attestationRE = regexp.MustCompile(`^([A-Za-z0-9-]+):(\d{4}-\d{2}-\d{2})(?::(\d{4}-\d{2}-\d{2}))?(?:\s+\(covers:\s*(.*)\))?$`)

// parseAttestations reads formatAttestations' form; entries are one per line, or
// separated by semicolons in a one-line cell.
func parseAttestations(s string) ([]Attestation, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	out := []Attestation{}
	if s == "" || strings.EqualFold(s, "none") {
		return out, nil
	}
	parts := strings.Split(s, "\n")
	if len(parts) == 1 && !attestationRE.MatchString(s) {
		parts = strings.Split(s, ";")
	}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		m := attestationRE.FindStringSubmatch(p)
		if m == nil {
			return nil, fmt.Errorf("attestation %q is not KIND:EXPIRY (for example hitrust-r2:2027-05-31, or soc2-type2:2027-01-31:2026-06-30 with the period end)", p)
		}
		out = append(out, Attestation{Kind: strings.ToLower(m[1]), Expires: m[2], PeriodEnd: m[3], Scope: m[4]})
	}
	return out, nil
}

// AssetTable is the asset inventory as rows (header first), for export.
func AssetTable(s *Snapshot) [][]string {
	return exportTable(AssetColumns, s.Assets, &tableCtx{cat: s.Catalog, vendors: s.Vendors})
}

// VendorTable is the vendor list as rows (header first), for export.
func VendorTable(s *Snapshot) [][]string {
	return exportTable(VendorColumns, s.Vendors, &tableCtx{cat: s.Catalog, vendors: s.Vendors})
}

func exportTable[T any](cols []TableColumn[T], recs []T, c *tableCtx) [][]string {
	out := [][]string{make([]string, len(cols))}
	for i, col := range cols {
		out[0][i] = col.Header
	}
	for i := range recs {
		row := make([]string, len(cols))
		for j, col := range cols {
			row[j] = col.get(&recs[i], c)
		}
		out = append(out, row)
	}
	return out
}

// InventoryChange is one row of an import: a record added or updated, with the line it
// came from and the fields it changes (empty for a row that changes nothing).
type InventoryChange[T any] struct {
	Line    int
	Add     bool
	Record  T
	Changes []string // "Hosting: on-prem → saas"
}

// InventoryPlan is what an import would do: the changes in file order, and the columns
// it did not know (kept in the notes).
type InventoryPlan[T any] struct {
	Changes []InventoryChange[T]
	Unknown []string
}

// RowError names a bad row (or the header, line 1) and what is wrong with it.
type RowError struct {
	Line int
	Err  error
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// TableErrors are every bad row of an import: the import is all or nothing.
type TableErrors []RowError

func (e TableErrors) Error() string {
	if len(e) == 1 {
		return fmt.Sprintf("%s: %v; correct it and import again (nothing was changed)", e[0].fileLine(), e[0].Err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d rows cannot be imported (nothing was changed); correct them and import again:", len(e))
	for i, r := range e {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … and %d more", len(e)-20)
			break
		}
		fmt.Fprintf(&b, "\n  %s: %v", r.fileLine(), r.Err)
	}
	return b.String()
}

func (e RowError) fileLine() string {
	if e.Line == 1 {
		return "the header (line 1)"
	}
	return fmt.Sprintf("line %d", e.Line)
}

// PlanAssets turns asset table rows into changes against the snapshot: a row whose name
// matches an asset (case and surrounding spaces ignored) updates the fields its columns
// give; any other row adds an asset, which needs a name, kind and hosting. Unknown
// columns are kept in the notes as "Column: value" lines. Every bad row is named.
func PlanAssets(s *Snapshot, header []string, rows []TableRow) (*InventoryPlan[Asset], error) {
	c := &tableCtx{cat: s.Catalog, vendors: s.Vendors}
	existing := func(name string) (*Asset, error) {
		return findByName(s.Assets, name, func(a *Asset) string { return a.Name }, "assets")
	}
	return plan(AssetColumns, header, rows, c, existing, func() Asset {
		return Asset{InScope: true, EncAtRest: EncNone}
	}, func(a *Asset, col, v string) { a.Notes = appendNote(a.Notes, col, v) },
		func(a Asset) error { return CheckAsset(s.Catalog, a) },
		[]string{"Name", "Kind", "Hosting"})
}

// PlanVendors is PlanAssets for vendors; a new vendor needs a name. Unknown columns are
// kept in the services text.
func PlanVendors(s *Snapshot, header []string, rows []TableRow) (*InventoryPlan[Vendor], error) {
	c := &tableCtx{cat: s.Catalog, vendors: s.Vendors}
	existing := func(name string) (*Vendor, error) {
		return findByName(s.Vendors, name, func(v *Vendor) string { return v.Name }, "vendors")
	}
	return plan(VendorColumns, header, rows, c, existing, func() Vendor {
		return Vendor{BAA: BAANone, Attestations: []Attestation{}}
	}, func(v *Vendor, col, val string) { v.Services = appendNote(v.Services, col, val) },
		CheckVendor, []string{"Name"})
}

func appendNote(notes, col, v string) string {
	line := col + ": " + v
	for _, l := range strings.Split(notes, "\n") {
		if l == line {
			return notes // already there: importing the same file twice changes nothing
		}
	}
	if notes == "" {
		return line
	}
	return notes + "\n" + line
}

// findByName finds the record named name; two records of that name are ambiguous.
func findByName[T any](recs []T, name string, nameOf func(*T) string, what string) (*T, error) {
	var found *T
	for i := range recs {
		if strings.EqualFold(strings.TrimSpace(nameOf(&recs[i])), strings.TrimSpace(name)) {
			if found != nil {
				return nil, fmt.Errorf("the assessment has two %s named %q, so the row cannot tell which to update; rename one first", what, name)
			}
			found = &recs[i]
		}
	}
	return found, nil
}

// maxNoteColumns bounds unknown columns kept as notes.
const maxNoteColumns = 20

func plan[T any](cols []TableColumn[T], header []string, rows []TableRow, c *tableCtx,
	existing func(string) (*T, error), fresh func() T, keep func(*T, string, string), check func(T) error,
	required []string) (*InventoryPlan[T], error) {
	idx, again, unknown, err := mapHeader(cols, header)
	if err != nil {
		return nil, TableErrors{{Line: 1, Err: err}}
	}
	p := &InventoryPlan[T]{}
	for _, u := range unknown {
		p.Unknown = append(p.Unknown, header[u])
	}
	if len(unknown) > maxNoteColumns {
		return nil, TableErrors{{Line: 1, Err: fmt.Errorf("%d columns are not inventory columns; at most %d are kept as notes, so remove the others", len(unknown), maxNoteColumns)}}
	}
	var errs TableErrors
	names := map[string]int{}
	for _, row := range rows {
		cell := func(i int) string {
			if i < len(row.Cells) {
				return row.Cells[i]
			}
			return ""
		}
		if allBlank(row.Cells) {
			continue
		}
		name := strings.TrimSpace(cell(idx[0]))
		if name == "" {
			errs = append(errs, RowError{row.Line, fmt.Errorf("the %s cell is empty; every row needs a name", cols[0].Header)})
			continue
		}
		key := strings.ToLower(name)
		if first, dup := names[key]; dup {
			errs = append(errs, RowError{row.Line, fmt.Errorf("the name %q is also on line %d; each name once", name, first)})
			continue
		}
		names[key] = row.Line
		cur, err := existing(name)
		if err != nil {
			errs = append(errs, RowError{row.Line, err})
			continue
		}
		ch := InventoryChange[T]{Line: row.Line, Add: cur == nil}
		rec := fresh()
		if cur != nil {
			rec = *cur
		} else {
			var missing []string
			for _, r := range required {
				if ci := colIndex(cols, r); ci < 0 || idx[ci] < 0 || strings.TrimSpace(cell(idx[ci])) == "" {
					missing = append(missing, r)
				}
			}
			if len(missing) > 0 {
				err = fmt.Errorf("%q is new to the assessment, and a new record needs %s; %s is empty or missing", name,
					strings.Join(required, ", "), strings.Join(missing, " and "))
			}
			if err != nil {
				errs = append(errs, RowError{row.Line, err})
				continue
			}
		}
		before := rec
		var rowErr error
		for ci, col := range cols {
			if idx[ci] < 0 {
				continue
			}
			if err := col.set(&rec, cell(idx[ci]), c); err != nil && rowErr == nil {
				rowErr = fmt.Errorf("%s: %w", col.Header, err)
			}
			if at, ok := again[ci]; ok && strings.TrimSpace(cell(at)) != "" {
				if err := col.set(&rec, cell(at), c); err != nil && rowErr == nil {
					rowErr = fmt.Errorf("%s: %w", header[at], err)
				}
			}
		}
		for _, u := range unknown {
			if v := strings.TrimSpace(cell(u)); v != "" {
				keep(&rec, strings.TrimSpace(header[u]), v)
			}
		}
		if rowErr == nil {
			if err := check(rec); err != nil {
				rowErr = err
			}
		}
		if rowErr != nil {
			errs = append(errs, RowError{row.Line, fmt.Errorf("%q: %w", name, rowErr)})
			continue
		}
		for _, col := range cols {
			if a, b := col.get(&before, c), col.get(&rec, c); a != b || (ch.Add && b != "") {
				if ch.Add {
					ch.Changes = append(ch.Changes, fmt.Sprintf("%s: %s", col.Header, oneLine(b)))
				} else {
					ch.Changes = append(ch.Changes, fmt.Sprintf("%s: %s → %s", col.Header, orNone(oneLine(a)), orNone(oneLine(b))))
				}
			}
		}
		ch.Record = rec
		p.Changes = append(p.Changes, ch)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", "; ") }

func orNone(s string) string {
	if s == "" {
		return "(empty)"
	}
	return s
}

func allBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func colIndex[T any](cols []TableColumn[T], header string) int {
	for i, c := range cols {
		if c.Header == header {
			return i
		}
	}
	return -1
}

// mapHeader finds each column's position in the header (-1 when absent), the second
// position of a column that may be named twice (TableColumn.twice), and the positions of
// unknown columns. The name column is required; any other column named twice is refused.
func mapHeader[T any](cols []TableColumn[T], header []string) (idx []int, again map[int]int, unknown []int, err error) {
	idx = make([]int, len(cols))
	for i := range idx {
		idx[i] = -1
	}
	again = map[int]int{}
	for h, text := range header {
		n := normHeader(text)
		if n == "" {
			unknown = append(unknown, h)
			continue
		}
		found := -1
		for i, c := range cols {
			if n == normHeader(c.Header) || slices.ContainsFunc(c.aliases, func(a string) bool { return normHeader(a) == n }) {
				found = i
				break
			}
		}
		switch {
		case found < 0:
			unknown = append(unknown, h)
		case idx[found] >= 0 && cols[found].twice && !hasKey(again, found):
			again[found] = h
		case idx[found] >= 0:
			return nil, nil, nil, fmt.Errorf("the columns %q and %q both mean %s; keep one", header[idx[found]], text, cols[found].Header)
		default:
			idx[found] = h
		}
	}
	if idx[0] < 0 {
		return nil, nil, nil, fmt.Errorf("no column holds the names (a %q column, or %s); the first row must be the header", cols[0].Header, quoteList(cols[0].aliases))
	}
	// Columns with an empty header and no value in any row are not worth keeping.
	kept := unknown[:0]
	for _, u := range unknown {
		if strings.TrimSpace(header[u]) != "" {
			kept = append(kept, u)
		}
	}
	return idx, again, kept, nil
}

func hasKey(m map[int]int, k int) bool {
	_, ok := m[k]
	return ok
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
