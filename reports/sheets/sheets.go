// Package sheets reads and writes plain tables as CSV or Excel workbooks (.xlsx): the
// inventory lists people keep in spreadsheets, and what safeguard exports for them. A
// format's reader lives beside its writer so that what safeguard writes it reads back
// unchanged. Reading is hardened against what a file from outside can hold: sizes, rows
// and unpacked bytes are bounded (Limits), text must be UTF-8, and an Excel file is
// checked as a zip archive before it is unpacked.
package sheets

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"safeguard/assessment"
	"safeguard/reports"
)

// Limits on a file read from outside.
const (
	// MaxFileSize bounds the file as stored: an inventory or questionnaire is kilobytes.
	MaxFileSize = 16_000_000
	// MaxUnpacked bounds what an .xlsx may unpack to (its parts' declared sizes, which
	// the zip reader enforces): a zip bomb is refused before anything is unpacked.
	MaxUnpacked = 64_000_000
	// MaxParts bounds the parts of an .xlsx archive.
	MaxParts = 1000
	// MaxRows bounds the rows read, header included.
	MaxRows = 10000
	// MaxCell bounds one cell's text.
	MaxCell = 32_000
)

// Kind is a table file's format, from its extension.
type Kind int

const (
	CSV Kind = iota
	XLSX
)

// KindOf tells the format from the file name: .csv (or .txt) or .xlsx.
func KindOf(name string) (Kind, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		return CSV, nil
	case ".xlsx":
		return XLSX, nil
	case ".xls":
		return 0, fmt.Errorf("%s is an old-style Excel file (.xls); save it as an Excel workbook (.xlsx) or CSV UTF-8 and import that", name)
	}
	return 0, fmt.Errorf("%s is neither a .csv nor an .xlsx file; save the list as CSV UTF-8 or an Excel workbook (.xlsx)", name)
}

// ReadAll reads at most MaxFileSize bytes of a file named name.
func ReadAll(name string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s (%v)", name, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %s; a list to import is far smaller, so check the file", name, assessment.FormatSize(MaxFileSize))
	}
	return data, nil
}

// Read reads the table in data (a file named name): the header (line 1) and the data rows
// with their line numbers. A CSV may start with a byte order mark, end its lines with
// CRLF or LF, and separate fields with commas, semicolons or tabs (the one the header
// uses most); it must be UTF-8. An .xlsx is read from its first sheet, or the sheet
// named sheet when it has one.
func Read(name string, data []byte, sheet string) ([]string, []assessment.TableRow, error) {
	k, err := KindOf(name)
	if err != nil {
		return nil, nil, err
	}
	var rows [][]string
	var lines []int
	if k == CSV {
		rows, lines, err = readCSV(name, data)
	} else {
		rows, lines, err = readXLSX(name, data, sheet)
	}
	if err != nil {
		return nil, nil, err
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("%s is empty; the first row must be the header", name)
	}
	out := make([]assessment.TableRow, 0, len(rows)-1)
	for i := 1; i < len(rows); i++ {
		out = append(out, assessment.TableRow{Line: lines[i], Cells: rows[i]})
	}
	return rows[0], out, nil
}

func readCSV(name string, data []byte) ([][]string, []int, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}), bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		return nil, nil, fmt.Errorf("%s is saved as UTF-16 (\"Unicode text\"); save it as CSV UTF-8 and import that", name)
	}
	data = bytes.TrimPrefix(data, []byte(reports.BOM))
	if !utf8.Valid(data) {
		return nil, nil, fmt.Errorf("%s is not UTF-8 text (line %d); save it as CSV UTF-8 (Excel: Save As, \"CSV UTF-8\") and import that", name, invalidLine(data))
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, nil, fmt.Errorf("%s holds binary data, not CSV text; export the list as CSV UTF-8", name)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = delimiter(data)
	r.FieldsPerRecord = -1
	var rows [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, fmt.Errorf("%s, line %d: %v; check the quotes in that line", name, pe.StartLine, pe.Err)
			}
			return nil, nil, fmt.Errorf("%s cannot be read as CSV (%v)", name, err)
		}
		line, _ := r.FieldPos(0)
		if len(rows) >= MaxRows {
			return nil, nil, fmt.Errorf("%s has more than %d rows; split it into smaller files", name, MaxRows)
		}
		for i, c := range rec {
			if len(c) > MaxCell {
				return nil, nil, fmt.Errorf("%s, line %d: cell %d holds more than %s of text; shorten it", name, line, i+1, assessment.FormatSize(MaxCell))
			}
			rec[i] = unescapeCell(c)
		}
		rows = append(rows, rec)
		lines = append(lines, line)
	}
	return rows, lines, nil
}

// delimiter is the separator the header line uses most: comma, semicolon (spreadsheets
// in locales with a decimal comma) or tab.
func delimiter(data []byte) rune {
	first := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		first = data[:i]
	}
	counts := map[rune]int{}
	quoted := false
	for _, r := range string(first) {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ',' || r == ';' || r == '\t'):
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func invalidLine(b []byte) int {
	line := 1
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		i += n
	}
	return line
}

// escapeCell defuses a CSV cell a spreadsheet would run as a formula
// (reports.NeutralizeCell) and, so that reading gives the value back, also marks a
// value that itself starts with an apostrophe.
func escapeCell(s string) string {
	if strings.HasPrefix(s, "'") || reports.NeutralizeCell(s) != s {
		return "'" + s
	}
	return s
}

// unescapeCell undoes escapeCell: one leading apostrophe is dropped.
func unescapeCell(s string) string { return strings.TrimPrefix(s, "'") }

// WriteCSV writes rows as CSV the way every safeguard CSV is written: a byte order mark,
// CRLF line ends, quotes where needed, formula-like cells defused.
func WriteCSV(w io.Writer, rows [][]string) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(reports.BOM)
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	for _, row := range rows {
		out := make([]string, len(row))
		for i, c := range row {
			out[i] = escapeCell(c)
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteXLSX writes rows as a workbook with one sheet named sheet, the header bold and
// frozen. Cells are text, never formulas.
func WriteXLSX(w io.Writer, sheet string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, c := range row {
			if i == 0 {
				cells[j] = excelize.Cell{StyleID: bold, Value: c}
			} else {
				cells[j] = c
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// OpenWorkbook checks an .xlsx as an archive (size, parts, what they unpack to) and
// opens it. Callers close the file.
func OpenWorkbook(name string, data []byte) (*excelize.File, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s is not an Excel workbook (.xlsx): it is not a zip archive; save it from Excel as .xlsx", name)
	}
	if len(zr.File) > MaxParts {
		return nil, fmt.Errorf("%s has %d parts, more than the %d a workbook to import may have; it is not a list safeguard can read", name, len(zr.File), MaxParts)
	}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > MaxUnpacked {
			return nil, fmt.Errorf("%s unpacks to more than %s (a zip bomb, or far more than a list to import); it was not opened", name, assessment.FormatSize(MaxUnpacked))
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnpacked, UnzipXMLSizeLimit: MaxUnpacked})
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read as an Excel workbook (%v); save it from Excel as .xlsx", name, err)
	}
	return f, nil
}

// SheetRows reads up to MaxRows rows of a sheet with their row numbers, refusing
// oversized cells.
func SheetRows(name string, f *excelize.File, sheet string) ([][]string, []int, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: the sheet %q cannot be read (%v)", name, sheet, err)
	}
	defer it.Close()
	var rows [][]string
	var lines []int
	n := 0
	for it.Next() {
		n++
		if n > MaxRows {
			return nil, nil, fmt.Errorf("%s: the sheet %q has more than %d rows; split it into smaller files", name, sheet, MaxRows)
		}
		cols, err := it.Columns()
		if err != nil {
			return nil, nil, fmt.Errorf("%s, row %d: %v", name, n, err)
		}
		for i, c := range cols {
			if len(c) > MaxCell {
				cell, _ := excelize.CoordinatesToCellName(i+1, n)
				return nil, nil, fmt.Errorf("%s, cell %s: more than %s of text; shorten it", name, cell, assessment.FormatSize(MaxCell))
			}
		}
		rows = append(rows, cols)
		lines = append(lines, n)
	}
	if err := it.Error(); err != nil {
		return nil, nil, fmt.Errorf("%s cannot be read (%v)", name, err)
	}
	return rows, lines, nil
}

func readXLSX(name string, data []byte, sheet string) ([][]string, []int, error) {
	f, err := OpenWorkbook(name, data)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	list := f.GetSheetList()
	if len(list) == 0 {
		return nil, nil, fmt.Errorf("%s has no sheets", name)
	}
	use := list[0]
	for _, s := range list {
		if strings.EqualFold(s, sheet) {
			use = s
		}
	}
	return SheetRows(name, f, use)
}
