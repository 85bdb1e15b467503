package packet

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"safeguard/assessment"
)

func samplePacket() *assessment.Packet {
	items := []assessment.PacketItem{
		{QuestionID: "308a1iia-ra-01", Version: 12, Row: 2, Locked: []string{"308a1iia-ra-01", "Q?", "Help.", "Whole organization", "A policy"}},
		{QuestionID: "312a1-ac-02", AssetID: "asset-1", Row: 3, Locked: []string{"312a1-ac-02", "Q2?", "Help 2.", "Cloud EHR", "A screenshot\nA report"}},
	}
	return &assessment.Packet{ID: "p1", AssessmentID: "a1", Workspace: "w1", Respondent: "Dana Reyes, office manager",
		Deadline: "2026-12-31", Organization: "Riverbend", Title: "2026", From: "Alex", Items: items,
		Prefill: []assessment.PacketAnswer{{Status: "Implemented", Note: "yes"}, {}}}
}

// TestWriteRead: the workbook carries its record, its locked cells read back as written,
// the answer cells are unlocked and offer the status list, and the record sheet is hidden.
func TestWriteRead(t *testing.T) {
	p := samplePacket()
	sum := assessment.PacketChecksum(p.ID, p.AssessmentID, p.Workspace, p.Items)
	var buf bytes.Buffer
	if err := Write(&buf, p, sum); err != nil {
		t.Fatal(err)
	}
	ret, err := Read("p.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if ret.ID != "p1" || ret.Checksum != sum || len(ret.Items) != 2 || ret.Items[1].Version != 0 || ret.Items[0].Version != 12 {
		t.Fatalf("record %+v", ret)
	}
	if assessment.PacketChecksum(ret.ID, ret.AssessmentID, ret.Workspace, ret.Items) != sum {
		t.Error("the checksum of what was read differs from what was written")
	}
	if len(ret.Rows) != 2 || ret.Rows[0].Status != "Implemented" || ret.Rows[0].Note != "yes" {
		t.Errorf("rows %+v", ret.Rows)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if vis, _ := f.GetSheetVisible(RecordSheet); vis {
		t.Error("the record sheet is visible")
	}
	dvs, _ := f.GetDataValidations(QuestionsSheet)
	if len(dvs) != 1 || !strings.Contains(dvs[0].Formula1, "Partially implemented") || dvs[0].Sqref != "E2:E3" {
		t.Errorf("data validation %+v", dvs)
	}
	for cell, locked := range map[string]bool{"B2": true, "E2": false, "F3": false, "G3": true} {
		id, _ := f.GetCellStyle(QuestionsSheet, cell)
		st, _ := f.GetStyle(id)
		isLocked := st.Protection == nil || st.Protection.Locked
		if isLocked != locked {
			t.Errorf("cell %s locked %v, want %v", cell, isLocked, locked)
		}
	}
}

func FuzzRead(f *testing.F) {
	p := samplePacket()
	var buf bytes.Buffer
	Write(&buf, p, "x")
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04junk"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Read("f.xlsx", data) // must not panic or hang
	})
}
