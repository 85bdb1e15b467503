package reports

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
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
	"also_cites", "inherited_from", "inherited_basis", "depth", "basis", "who_can_answer",
	"returned_by",
}

// RisksHeader is the header row of the risk register CSV.
var RisksHeader = []string{
	"assessment_id", "risk_id", "ref", "title",
	"asset_id", "asset",
	"vulnerability_id", "vulnerability", "threat_id", "threat", "threat_source",
	"source_questions",
	"matrix", "likelihood", "impact", "level", "rationale",
	"treatment", "measures", "owner", "due",
	"residual_likelihood", "residual_impact", "residual_level",
	"status",
}

// WriteFindingsCSV writes one row per applicable item of the Analysis, in its (catalog)
// order: each organization-wide question once (asset columns empty) and each asset
// question once per in-scope asset it applies to. Unanswered items are included with
// status "unanswered", so the file is the whole questionnaire; a provider-owned item that
// rests on a vendor review has status "inherited", with the vendor and what the review
// holds (BAA, attestations) in inherited_from and inherited_basis. A question citing
// several specifications names the others in also_cites; depth, basis and who_can_answer
// are the catalog's triage fields; returned_by credits an answer that came back on a
// questionnaire packet ("answered by <respondent> (questionnaire returned <date>)"). Owners, overrides, vendor
// issues and evidence are the Analysis's: an override is marked and its reason given;
// vendor issues are judged as of Analysis.AsOf; evidence is listed in index order (E1, E2, …).
func WriteFindingsCSV(w io.Writer, s *assessment.Snapshot) error {
	if err := checkSnapshot(s); err != nil {
		return err
	}
	a := assessment.Analyze(s)
	cat := s.Catalog
	sections := map[string]string{}
	for _, sg := range cat.Safeguards {
		sections[sg.ID] = sg.Title
	}

	cw, flush := newCSV(w)
	cw.Write(FindingsHeader)
	row := make([]string, len(FindingsHeader))
	for i := range a.Items {
		it := &a.Items[i]
		q := it.Question
		c := citationOf(cat, q)
		var assetID, assetName, kind, hosting, vendor string
		if as := it.Asset; as != nil {
			assetID, assetName, kind, hosting = as.ID, as.Name, as.Kind, string(as.Hosting)
			if v, ok := a.Vendor(as.VendorID); ok {
				vendor = v.Name
			}
		}
		overridden, overrideReason := "no", ""
		if o := it.Override; o != nil {
			overridden, overrideReason = "yes", o.Reason
		}
		status := "unanswered"
		var r assessment.Response
		switch {
		case it.Response != nil:
			r = *it.Response
			status = string(r.Status)
		case it.Status == assessment.Inherited:
			// Answered by the vendor review, never the practice's own "implemented".
			status = string(assessment.Inherited)
		}
		names := make([]string, len(it.Evidence))
		for i, id := range it.Evidence {
			if e, ok := a.EvidenceItem(id); ok {
				names[i] = e.Name
			}
		}
		issues := make([]string, len(it.Issues))
		for i, iss := range it.Issues {
			issues[i] = iss.Text
		}
		row = append(row[:0],
			s.Assessment.ID, s.Assessment.Organization,
			c.section, sections[c.section], c.standard, c.standardTitle, c.spec, c.specTitle,
			c.requirement, yesNo(q.Proposed),
			q.ID, q.Text, strings.Join(q.KeyActivities, listSep),
			assetID, assetName, kind, hosting, vendor,
			string(it.Owner), overridden, overrideReason,
			status, string(r.Decision), r.DecisionText, r.Reason, r.Note, yesNoIf(r.Revalidate),
			r.By, assessment.ISOTime(r.At),
			strconv.Itoa(len(it.Evidence)), strings.Join(names, listSep),
			strings.Join(issues, " "), strings.Join(q.Lenses, listSep),
			strings.Join(q.SP80053r5, listSep), strings.Join(q.CSF20, listSep),
			strings.Join(q.AlsoCites, listSep), it.InheritedFrom, it.Inherited.Basis(),
			string(q.Depth), string(q.Basis), string(q.AnsweredBy),
			r.Returned.Phrase(func(d string) string { return d }),
		)
		writeRow(cw, row)
	}
	return flush()
}

// WriteRisksCSV writes the risk register (assessment.RiskRegister: the Analysis's order,
// the order the PDF numbers it R1, R2, …, given in the ref column): worst first, unrated
// after the rated ones, proposed risks after those and dismissed risks last, so the
// register is complete.
// Ratings are the numbers on the assessment's matrix scale (empty when not rated); levels
// are the matrix's labels.
func WriteRisksCSV(w io.Writer, s *assessment.Snapshot) error {
	if err := checkSnapshot(s); err != nil {
		return err
	}
	a := assessment.RiskRegister(s)
	m := a.Matrix
	cw, flush := newCSV(w)
	cw.Write(RisksHeader)
	row := make([]string, len(RisksHeader))
	for _, r := range a.Risks {
		var vuln, threat, source string
		if v, ok := s.Catalog.Vulnerability(r.VulnerabilityID); ok {
			vuln = v.Title
			if t, ok := threatOf(v, r.ThreatID); ok {
				threat, source = t.Title, t.Source
			}
		}
		level, residual := "", ""
		if r.Level != assessment.LevelNone {
			level = m.Label(r.Level)
		}
		if r.ResidualLevel != assessment.LevelNone {
			residual = m.Label(r.ResidualLevel)
		}
		row = append(row[:0],
			s.Assessment.ID, r.ID, r.Ref, r.Title,
			r.AssetID, a.AssetName(r.AssetID),
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
