// Package packet writes questionnaire packets as Excel workbooks for people without
// safeguard, and reads them back when they return. The workbook has three sheets: the
// instructions, the questionnaire (one row per item; only the status and note cells can be
// edited, and the status offers the allowed values as a list) and a very hidden sheet
// with the packet's record (its ID, assessment, workspace, checksum, and each item's row
// and answer version). Sheets are protected with a random password nobody keeps, and the
// workbook's structure is locked, so the record cannot be unhidden from Excel; the
// workspace keeps its own copy of the record, which is what a returned workbook is
// checked against. The protection uses Excel's legacy password hash, not the ISO one with
// 100,000 rounds of SHA-512: it only keeps honest hands off the locked cells (the
// workspace's record is the check), and the ISO hash took half a second per sheet.
package packet

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/reports/sheets"
)

// Sheet names.
const (
	InstructionsSheet = "Instructions"
	QuestionsSheet    = "Questionnaire"
	RecordSheet       = "safeguard"
	// Format marks the record sheet.
	Format  = "safeguard-packet"
	Version = 1
)

// whoText says who a packet is for in the instructions.
var whoText = map[controls.Answerer]string{
	controls.ByOfficeManager: "the questions an office manager usually answers",
	controls.ByITProvider:    "the questions an IT provider usually answers",
	controls.ByVendor:        "the questions a vendor usually answers",
	controls.ByAnyone:        "questions anyone in the practice can answer",
}

// Write writes the workbook of packet p, whose checksum the workspace recorded.
func Write(w io.Writer, p *assessment.Packet, checksum string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", InstructionsSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(QuestionsSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(RecordSheet); err != nil {
		return err
	}
	pass, err := randomPassword()
	if err != nil {
		return err
	}
	steps := []func() error{
		func() error { return writeInstructions(f, p) },
		func() error { return writeQuestions(f, p) },
		func() error { return writeRecord(f, p, checksum) },
		func() error { return f.SetSheetVisible(RecordSheet, false, true) },
	}
	for _, sheet := range []string{InstructionsSheet, QuestionsSheet, RecordSheet} {
		steps = append(steps, func() error {
			return f.ProtectSheet(sheet, &excelize.SheetProtectionOptions{
				Password: pass, SelectLockedCells: true, SelectUnlockedCells: true,
				FormatColumns: true, FormatRows: true,
			})
		})
	}
	steps = append(steps, func() error {
		// Without a password: excelize hashes a workbook password with the ISO scheme only.
		return f.ProtectWorkbook(&excelize.WorkbookProtectionOptions{LockStructure: true})
	})
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

func randomPassword() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("the system's random number generator failed (%v); try again", err)
	}
	return hex.EncodeToString(b), nil
}

func writeInstructions(f *excelize.File, p *assessment.Packet) error {
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	deadline := "as soon as you can"
	if p.Deadline != "" {
		deadline = "by " + assessment.DocDay(p.Deadline)
	}
	what := "the questions below"
	if t, ok := whoText[p.Who]; ok {
		what = t
	}
	lines := []string{
		fmt.Sprintf("Security questionnaire for %s", p.Respondent),
		fmt.Sprintf("%s — %s", p.Organization, p.Title),
		"",
		fmt.Sprintf("%s asks you to answer %s (%s) for the organization's HIPAA Security Rule risk analysis. No software is needed beyond this workbook.",
			orSomeone(p.From), what, assessment.Plural(len(p.Items), "item", "items")),
		"",
		"What to do",
		"1. Open the Questionnaire sheet. Each row is one question, for the whole organization or for one system (the Asset column).",
		"2. In the Status column choose from the list: " + strings.Join(assessment.PacketStatusLabels(), "; ") + ". Choose \"" +
			assessment.ChoiceLabel(assessment.ResponseStatuses, string(assessment.Flagged)) + "\" when you are not sure.",
		"3. In the Note column say briefly what is in place, or why not. \"Not applicable\" needs the reason there.",
		"4. The last column lists evidence you could send (a policy, a screenshot, a report). Send it separately; do not paste it into the workbook.",
		"5. Leave a row's Status and Note empty when you cannot answer it. Only the Status and Note cells can be changed; do not rename, add or remove sheets or rows.",
		"",
		"How to return it",
		fmt.Sprintf("Save the workbook under any name and send it back to %s %s. Answers already filled in are the current record: change them if they are wrong.", orSomeone(p.From), deadline),
		"",
		"Packet " + p.ID,
	}
	for i, l := range lines {
		cell := "A" + strconv.Itoa(i+1)
		if err := f.SetCellStr(InstructionsSheet, cell, l); err != nil {
			return err
		}
		style := wrap
		if i == 0 || l == "What to do" || l == "How to return it" {
			style = bold
		}
		if err := f.SetCellStyle(InstructionsSheet, cell, cell, style); err != nil {
			return err
		}
	}
	return f.SetColWidth(InstructionsSheet, "A", "A", 110)
}

func orSomeone(s string) string {
	if s == "" {
		return "Your assessor"
	}
	return s
}

func writeQuestions(f *excelize.File, p *assessment.Packet) error {
	header := append(append([]string{}, assessment.PacketLockedColumns[:4]...), "Status", "Note", assessment.PacketLockedColumns[4])
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	locked, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, Protection: &excelize.Protection{Locked: true}})
	if err != nil {
		return err
	}
	open, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Border:     []excelize.Border{{Type: "left", Color: "7F7F7F", Style: 1}, {Type: "right", Color: "7F7F7F", Style: 1}, {Type: "bottom", Color: "7F7F7F", Style: 1}},
		Protection: &excelize.Protection{Locked: false}})
	if err != nil {
		return err
	}
	for i, h := range header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(QuestionsSheet, cell, h); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(QuestionsSheet, "A1", "G1", head); err != nil {
		return err
	}
	last := 1
	for i, it := range p.Items {
		for j, text := range it.Locked {
			cell := assessment.PacketCell(assessment.PacketLockedCol(j), it.Row)
			if err := f.SetCellStr(QuestionsSheet, cell, text); err != nil {
				return err
			}
		}
		var pre assessment.PacketAnswer
		if i < len(p.Prefill) {
			pre = p.Prefill[i]
		}
		if err := f.SetCellStr(QuestionsSheet, assessment.PacketCell(assessment.PacketStatusCol, it.Row), pre.Status); err != nil {
			return err
		}
		if err := f.SetCellStr(QuestionsSheet, assessment.PacketCell(assessment.PacketNoteCol, it.Row), pre.Note); err != nil {
			return err
		}
		last = it.Row
	}
	if last > 1 {
		r := strconv.Itoa(last)
		for _, s := range []struct {
			from, to string
			style    int
		}{{"A2", "D" + r, locked}, {"E2", "F" + r, open}, {"G2", "G" + r, locked}} {
			if err := f.SetCellStyle(QuestionsSheet, s.from, s.to, s.style); err != nil {
				return err
			}
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = "E2:E" + r
		if err := dv.SetDropList(assessment.PacketStatusLabels()); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "Choose a status", "Choose one of the list's values, or leave the cell empty.")
		if err := f.AddDataValidation(QuestionsSheet, dv); err != nil {
			return err
		}
	}
	for _, w := range []struct {
		col   string
		width float64
	}{{"A", 14}, {"B", 50}, {"C", 45}, {"D", 20}, {"E", 24}, {"F", 45}, {"G", 35}} {
		if err := f.SetColWidth(QuestionsSheet, w.col, w.col, w.width); err != nil {
			return err
		}
	}
	return f.SetPanes(QuestionsSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// The record sheet: a header of key/value rows, then one row per item.
var recordKeys = []string{"format", "version", "packet", "assessment", "workspace", "checksum"}

func writeRecord(f *excelize.File, p *assessment.Packet, checksum string) error {
	values := []string{Format, strconv.Itoa(Version), p.ID, p.AssessmentID, p.Workspace, checksum}
	for i, k := range recordKeys {
		if err := f.SetSheetRow(RecordSheet, "A"+strconv.Itoa(i+1), &[]any{k, values[i]}); err != nil {
			return err
		}
	}
	start := len(recordKeys) + 2
	if err := f.SetSheetRow(RecordSheet, "A"+strconv.Itoa(start), &[]any{"row", "question", "asset", "version"}); err != nil {
		return err
	}
	for i, it := range p.Items {
		row := []any{strconv.Itoa(it.Row), it.QuestionID, it.AssetID, strconv.FormatInt(it.Version, 10)}
		if err := f.SetSheetRow(RecordSheet, "A"+strconv.Itoa(start+1+i), &row); err != nil {
			return err
		}
	}
	return nil
}

// Read reads a returned workbook: its record and every row of the questionnaire. It
// refuses a file that is not a packet, or whose record cannot be read, with a sentence
// naming the file; the sheets package's limits apply (size, unpacked size, rows).
func Read(name string, data []byte) (*assessment.PacketReturn, error) {
	f, err := sheets.OpenWorkbook(name, data)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	notPacket := fmt.Errorf("%s is not a safeguard questionnaire packet (it has no packet record); import the workbook `safeguard packet export` wrote", name)
	if idx, err := f.GetSheetIndex(RecordSheet); err != nil || idx < 0 {
		return nil, notPacket
	}
	rec, _, err := sheets.SheetRows(name, f, RecordSheet)
	if err != nil {
		return nil, err
	}
	vals := map[string]string{}
	for i := 0; i < len(recordKeys) && i < len(rec); i++ {
		if len(rec[i]) >= 2 && rec[i][0] == recordKeys[i] {
			vals[recordKeys[i]] = rec[i][1]
		}
	}
	if vals["format"] != Format {
		return nil, notPacket
	}
	if v, err := strconv.Atoi(vals["version"]); err != nil || v < 1 || v > Version {
		return nil, fmt.Errorf("%s is a packet of format version %q, this safeguard reads up to %d; upgrade safeguard", name, vals["version"], Version)
	}
	ret := &assessment.PacketReturn{File: name, ID: vals["packet"], AssessmentID: vals["assessment"],
		Workspace: vals["workspace"], Checksum: vals["checksum"]}
	for i := len(recordKeys) + 2; i < len(rec); i++ {
		r := rec[i]
		if len(r) < 4 {
			return nil, fmt.Errorf("%s: the packet record is damaged (line %d); export a new packet", name, i+1)
		}
		row, err1 := strconv.Atoi(r[0])
		v, err2 := strconv.ParseInt(r[3], 10, 64)
		if err1 != nil || err2 != nil || row < 2 {
			return nil, fmt.Errorf("%s: the packet record is damaged (line %d); export a new packet", name, i+1)
		}
		ret.Items = append(ret.Items, assessment.PacketItem{QuestionID: r[1], AssetID: r[2], Version: v, Row: row})
	}
	if idx, err := f.GetSheetIndex(QuestionsSheet); err != nil || idx < 0 {
		return nil, fmt.Errorf("%s has no %s sheet; it was renamed or removed, so send the respondent a new packet", name, QuestionsSheet)
	}
	rows, lines, err := sheets.SheetRows(name, f, QuestionsSheet)
	if err != nil {
		return nil, err
	}
	byRow := map[int]int{}
	for i, line := range lines {
		if line == 1 {
			continue
		}
		cells := rows[i]
		cell := func(col int) string {
			if col-1 < len(cells) {
				return cells[col-1]
			}
			return ""
		}
		rr := assessment.ReturnedRow{Row: line, Status: cell(assessment.PacketStatusCol), Note: cell(assessment.PacketNoteCol)}
		for j := range assessment.PacketLockedColumns {
			rr.Locked = append(rr.Locked, cell(assessment.PacketLockedCol(j)))
		}
		byRow[line] = len(ret.Rows)
		ret.Rows = append(ret.Rows, rr)
	}
	// The locked text the checksum covers is what the questionnaire rows show.
	for i := range ret.Items {
		if k, ok := byRow[ret.Items[i].Row]; ok {
			ret.Items[i].Locked = ret.Rows[k].Locked
		}
	}
	return ret, nil
}
