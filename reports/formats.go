package reports

import (
	"encoding/json"
	"errors"
	"io"

	"safeguard/assessment"
	"safeguard/reports/pdf"
)

// Format is one output safeguard writes from an assessment. Formats lists them all; the
// CLI (report, export) and the TUI's Report tab both write through this table, so an
// output means the same thing and is checked the same way from either front end.
type Format struct {
	Name  string // how the CLI names it: pdf, findings-csv, risks-csv, json, oscal
	Ext   string // appended to a base name to make a file name: ".pdf", "-findings.csv", …
	Label string // how people read it: "PDF risk analysis"

	// Verify says whether the workspace is verified (audit chain, every record, every
	// evidence blob) before this output is made. Only the PDF does: it prints the
	// verification's result in its audit trail section and is the document an auditor
	// relies on, so it must not claim more than a fresh check shows. The CSV, JSON and
	// OSCAL files copy data out and state nothing about the chain beyond its head, and a
	// full verify re-hashes every blob (seconds on a large vault) for no claim they make;
	// `safeguard verify` checks a workspace on demand.
	Verify bool
	// Document says whether the output needs the importable document (the JSON export,
	// whose evidence notes the store fills in) besides the snapshot.
	Document bool

	Write func(w io.Writer, in Input) error
}

// Input is what a Format writes from, loaded by the store (store.OutputSource).
type Input struct {
	Snapshot *assessment.Snapshot
	Document *assessment.Document // set when the Format asks for it
	// PDF only: embed the evidence contents, read through Evidence; Progress follows the
	// rendering (see pdf.Options).
	AttachEvidence bool
	Evidence       func(sha string, w io.Writer) error
	Progress       func(done, total int)
	// Font is a TrueType font added for scripts the embedded fonts lack; Undrawable is
	// told the characters no font could draw (see pdf.Options).
	Font       []byte
	Undrawable func(chars []rune)
}

// Formats are the outputs, in the order front ends offer them.
var Formats = []Format{
	{Name: "pdf", Ext: ".pdf", Label: "PDF risk analysis", Verify: true, Write: writePDF},
	{Name: "findings-csv", Ext: "-findings.csv", Label: "Findings (CSV)", Write: snapshotWriter(WriteFindingsCSV)},
	{Name: "risks-csv", Ext: "-risks.csv", Label: "Risk register (CSV)", Write: snapshotWriter(WriteRisksCSV)},
	{Name: "json", Ext: ".json", Label: "Whole assessment (JSON, importable)", Document: true, Write: writeDocument},
	{Name: "oscal", Ext: "-oscal.json", Label: "OSCAL 1.2.2 assessment results (JSON)", Write: snapshotWriter(WriteOSCAL)},
}

// FormatNamed finds a format by its Name.
func FormatNamed(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

func snapshotWriter(write func(io.Writer, *assessment.Snapshot) error) func(io.Writer, Input) error {
	return func(w io.Writer, in Input) error { return write(w, in.Snapshot) }
}

func writePDF(w io.Writer, in Input) error {
	return pdf.Write(w, in.Snapshot, pdf.Options{AttachEvidence: in.AttachEvidence, Evidence: in.Evidence, Progress: in.Progress,
		Font: in.Font, Undrawable: in.Undrawable})
}

// writeDocument writes the importable JSON document, indented, with a trailing newline.
func writeDocument(w io.Writer, in Input) error {
	if in.Document == nil {
		return errors.New("the assessment document was not loaded; this is a bug in safeguard, please report it")
	}
	return WriteJSON(w, in.Document)
}

// WriteJSON writes v as JSON indented by two spaces with a trailing newline: the form of
// every JSON safeguard prints or exports.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
