// Package reports turns an assessment snapshot into the documents safeguard hands out: the
// PDF risk analysis (subpackage pdf) and the exports written here: CSV findings, the CSV
// risk register and OSCAL 1.2.2 assessment results. The JSON export is the assessment's own
// versioned document (assessment.DocumentOf).
//
// Every writer takes an *assessment.Snapshot, never the workspace: the store loads the
// snapshot and this package only formats it. Output is deterministic: the same snapshot
// gives byte-identical files, because every date comes from the snapshot (GeneratedAt and
// the recorded times), every list is written in catalog or snapshot order, and every OSCAL
// UUID is a name-based (version 5) UUID derived from stable keys.
//
// CSV files are UTF-8 with a byte order mark, CRLF line ends (RFC 4180) and encoding/csv
// quoting, so spreadsheets open them with the right encoding. A cell that a spreadsheet
// would run as a formula (one starting with =, +, -, @, a tab or a carriage return) gets a
// leading apostrophe; see NeutralizeCell.
//
// OSCAL identifiers that must be tokens are derived from the regulation's citations and the
// catalog's question IDs: ControlToken maps §164.308(a)(1)(ii)(A) to
// hipaa-164.308.a.1.ii.a and QuestionToken maps question 308a1iia-ra-01 to
// hipaa-q-308a1iia-ra-01.
package reports

import (
	"errors"

	"safeguard/assessment"
)

// Namespace qualifies safeguard's own OSCAL property names and rating scales, and seeds the
// name-based UUIDs of OSCAL exports. It identifies; it is not meant to be fetched (.invalid
// is reserved and never resolves). Changing it changes every exported UUID.
const Namespace = "https://safeguard.invalid/ns/oscal"

// checkSnapshot refuses snapshots a writer cannot describe faithfully.
func checkSnapshot(s *assessment.Snapshot) error {
	switch {
	case s == nil:
		return errors.New("there is no assessment to export")
	case s.Catalog == nil:
		return errors.New("the assessment was loaded without its catalog; reload it and export again")
	}
	return nil
}
