package reports

import (
	"bufio"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"safeguard/assessment"
	"safeguard/controls"
)

// BOM is the UTF-8 byte order mark every CSV export starts with, so spreadsheet programs
// (Excel in particular) read the file as UTF-8 rather than the local code page.
const BOM = "\ufeff"

// listSep joins several values in one cell (lenses, question IDs, evidence names).
const listSep = "; "

// FindingsHeader is the header row of the findings CSV, one column per field.
var FindingsHeader = []string{
	"assessment_id", "organization",
	"safeguard", "safeguard_title", "standard", "standard_title", "specification", "specification_title",
	"requirement", "proposed_rule",
	"question_id", "question", "key_activities",
	"asset_id", "asset", "asset_kind", "hosting", "vendor",
	"owner", "owner_overridden", "owner_override_reason",
	"status", "decision", "decision_text", "reason", "note", "needs_revalidation",
	"answered_by", "answered_at",
	"evidence_count", "evidence",
	"vendor_issues", "lenses", "sp800_53r5", "csf_2_0",
}

// RisksHeader is the header row of the risk register CSV.
var RisksHeader = []string{
	"assessment_id", "risk_id", "title",
	"asset_id", "asset",
	"vulnerability_id", "vulnerability", "threat_id", "threat", "threat_source",
	"source_questions",
	"matrix", "likelihood", "impact", "level", "rationale",
	"treatment", "measures", "owner", "due",
	"residual_likelihood", "residual_impact", "residual_level",
	"status",
}

// WriteFindingsCSV writes one row per applicable item: each organisation-wide question once
// (asset columns empty) and each asset question once per in-scope asset it applies to, in
// catalog order. Unanswered items are included with status "unanswered", so the file is
// the whole questionnaire. Owners are resolved with the responsibility rules (an override
// is marked and its reason given); vendor issues are those of the asset's vendor for
// provider-owned or shared items, judged as of the assessment's as-of date.
func WriteFindingsCSV(w io.Writer, s *assessment.Snapshot) error {
	if err := checkSnapshot(s); err != nil {
		return err
	}
	cat := s.Catalog
	resp := s.ResponseMap()
	ov := s.OverrideMap()
	flags := assessment.Analyze(s).Flags()
	ev := evidenceByItem(s)
	vendors := map[string]string{}
	for _, v := range s.Vendors {
		vendors[v.ID] = v.Name
	}
	sections := map[string]string{}
	for _, sg := range cat.Safeguards {
		sections[sg.ID] = sg.Title
	}

	cw, flush := newCSV(w)
	cw.Write(FindingsHeader)
	row := make([]string, len(FindingsHeader))
	for _, it := range s.Items() {
		q := it.Question
		c := citationOf(cat, q)
		var assetID, assetName, kind, hosting, vendor string
		if a := it.Asset; a != nil {
			assetID, assetName, kind, hosting, vendor = a.ID, a.Name, a.Kind, string(a.Hosting), vendors[a.VendorID]
		}
		owner, o := assessment.Owner(q, it.Asset, ov)
		overridden, overrideReason := "no", ""
		if o != nil {
			overridden, overrideReason = "yes", o.Reason
		}
		status := "unanswered"
		var r assessment.Response
		if x, ok := resp[it.Key()]; ok {
			r = *x
			status = string(r.Status)
		}
		evs := ev[it.Key()]
		names := make([]string, len(evs))
		for i, e := range evs {
			names[i] = e.Name
		}
		var issues []string
		for _, iss := range flags[it.Key()] {
			issues = append(issues, iss.Text)
		}
		row = append(row[:0],
			s.Assessment.ID, s.Assessment.Organization,
			c.section, sections[c.section], c.standard, c.standardTitle, c.spec, c.specTitle,
			c.requirement, yesNo(q.Proposed),
			q.ID, q.Text, strings.Join(q.KeyActivities, listSep),
			assetID, assetName, kind, hosting, vendor,
			string(owner), overridden, overrideReason,
			status, string(r.Decision), r.DecisionText, r.Reason, r.Note, yesNoIf(r.Revalidate),
			r.By, csvTime(r.At),
			strconv.Itoa(len(evs)), strings.Join(names, listSep),
			strings.Join(issues, " "), strings.Join(q.Lenses, listSep),
			strings.Join(q.SP80053r5, listSep), strings.Join(q.CSF20, listSep),
		)
		writeRow(cw, row)
	}
	return flush()
}

// WriteRisksCSV writes the risk register: one row per risk, highest level first (risks of
// the same level keep the snapshot's order, unrated ones last). Ratings are the numbers on
// the assessment's matrix scale (empty when not rated); levels are the matrix's labels.
// Dismissed and proposed risks are included with their status, so the register is complete.
func WriteRisksCSV(w io.Writer, s *assessment.Snapshot) error {
	if err := checkSnapshot(s); err != nil {
		return err
	}
	cat := s.Catalog
	m := s.Profile.Matrix.OrDefault()
	assets := map[string]string{}
	for _, a := range s.Assets {
		assets[a.ID] = a.Name
	}
	cw, flush := newCSV(w)
	cw.Write(RisksHeader)
	row := make([]string, len(RisksHeader))
	for _, r := range sortedRisks(s.Risks, m) {
		var vuln, threat, source string
		if v, ok := cat.Vulnerability(r.VulnerabilityID); ok {
			vuln = v.Title
			if t, ok := threatOf(v, r.ThreatID); ok {
				threat, source = t.Title, t.Source
			}
		}
		asset := "Organisation-wide"
		if r.AssetID != "" {
			asset = assets[r.AssetID]
		}
		level, residual := "", ""
		if l := m.Level(r.Likelihood, r.Impact); l != assessment.LevelNone {
			level = m.Label(l)
		}
		if l := m.Level(r.ResidualL, r.ResidualI); l != assessment.LevelNone {
			residual = m.Label(l)
		}
		row = append(row[:0],
			s.Assessment.ID, r.ID, r.Title,
			r.AssetID, asset,
			r.VulnerabilityID, vuln, r.ThreatID, threat, source,
			strings.Join(r.QuestionIDs, listSep),
			string(m), rating(r.Likelihood), rating(r.Impact), level, r.Rationale,
			string(r.Treatment), r.Measures, r.Owner, r.Due,
			rating(r.ResidualL), rating(r.ResidualI), residual,
			string(r.Status),
		)
		writeRow(cw, row)
	}
	return flush()
}

// NeutralizeCell defuses CSV formula injection: a cell that a spreadsheet would evaluate
// as a formula (its first non-blank character is =, +, - or @, or its first character a
// tab or carriage return, including the full-width forms of the four signs) gets a leading
// apostrophe, which spreadsheets show as text and do not run. Other cells are unchanged.
func NeutralizeCell(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '\t' || s[0] == '\r' {
		return "'" + s
	}
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	if t == "" {
		return s
	}
	switch r, _ := utf8.DecodeRuneInString(t); r {
	case '=', '+', '-', '@', '＝', '＋', '－', '＠':
		return "'" + s
	}
	return s
}

// newCSV starts a CSV file on w: the BOM, then a writer with CRLF line ends. flush
// finishes it and returns the first error.
func newCSV(w io.Writer) (*csv.Writer, func() error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(BOM)
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	return cw, func() error {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return bw.Flush()
	}
}

// writeRow cleans every cell (no control, text-direction or invisible character reaches a
// spreadsheet, whatever the workspace holds), neutralizes formulas and writes the row.
// Errors stick in the csv.Writer and are reported by flush.
func writeRow(cw *csv.Writer, row []string) {
	for i, c := range row {
		row[i] = NeutralizeCell(assessment.SafeText(c))
	}
	cw.Write(row)
}

// citation is where a question sits in the regulation.
type citation struct {
	section, standard, standardTitle, spec, specTitle string
	requirement                                       string // required, addressable, or standard
}

// citationOf resolves a question's standard and specification. A question on a standard
// without specifications has requirement "standard": the standard itself is required.
func citationOf(cat *controls.Catalog, q *controls.Question) citation {
	c := citation{standard: q.Standard, requirement: "standard"}
	if st, ok := cat.Standard(q.Standard); ok {
		c.section, c.standardTitle = st.Section, st.Title
	}
	if sp, ok := cat.Specification(q.Specification); ok {
		c.spec, c.specTitle, c.requirement = sp.ID, sp.Title, string(sp.Requirement)
	}
	return c
}

// evidenceByItem indexes the evidence linked to each answered item, in snapshot order.
func evidenceByItem(s *assessment.Snapshot) map[assessment.ItemKey][]*assessment.Evidence {
	m := map[assessment.ItemKey][]*assessment.Evidence{}
	for i := range s.Evidence {
		e := &s.Evidence[i]
		for _, l := range e.Links {
			if l.QuestionID == "" {
				continue
			}
			k := assessment.ItemKey{QuestionID: l.QuestionID, AssetID: l.AssetID}
			if !slices.Contains(m[k], e) {
				m[k] = append(m[k], e)
			}
		}
	}
	return m
}

// sortedRisks is the register order: level rank descending, unrated last, otherwise the
// snapshot's order.
func sortedRisks(risks []assessment.Risk, m assessment.MatrixKind) []assessment.Risk {
	out := slices.Clone(risks)
	slices.SortStableFunc(out, func(a, b assessment.Risk) int {
		return m.Rank(m.Level(b.Likelihood, b.Impact)) - m.Rank(m.Level(a.Likelihood, a.Impact))
	})
	return out
}

// threatOf finds a threat of a vulnerability by ID.
func threatOf(v *controls.Vulnerability, id string) (*controls.Threat, bool) {
	for i := range v.Threats {
		if v.Threats[i].ID == id {
			return &v.Threats[i], true
		}
	}
	return nil, false
}

// rating is a likelihood or impact as a cell: empty when not rated.
func rating(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// yesNoIf is "yes" or empty, for flags that are rarely set.
func yesNoIf(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

// csvTime is a recorded time in UTC, RFC 3339, or empty when there is none.
func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
