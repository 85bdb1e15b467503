package main

// Working offline with others (issue 17): questionnaire packets, inventory import and
// export, backups and assessor bundles, as a user meets them. The bad inputs also run
// through the built binary (TestBuiltBinary/exchange).

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/reports"
	"safeguard/store"
)

// fillPacket sets status and note cells of a packet workbook for the given items, as a
// respondent would in Excel, and saves it under out.
func fillPacket(t *testing.T, in, out string, answers map[string][2]string) {
	t.Helper()
	f, err := excelize.OpenFile(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Questionnaire")
	if err != nil {
		t.Fatal(err)
	}
	done := 0
	for i, r := range rows {
		if i == 0 || len(r) < 4 {
			continue
		}
		key := r[0]
		if r[3] != "Whole organization" {
			key += "@" + r[3]
		}
		if a, ok := answers[key]; ok {
			f.SetCellStr("Questionnaire", fmt.Sprintf("E%d", i+1), a[0])
			f.SetCellStr("Questionnaire", fmt.Sprintf("F%d", i+1), a[1])
			done++
		}
	}
	if done != len(answers) {
		t.Fatalf("filled %d of %d answers: some items are not in the packet", done, len(answers))
	}
	if err := f.SaveAs(out); err != nil {
		t.Fatal(err)
	}
}

func snapshotOf(t *testing.T, db, id string) *assessment.Snapshot {
	t.Helper()
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.Snapshot(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func responseOf(snap *assessment.Snapshot, q, asset string) *assessment.Response {
	for i := range snap.Responses {
		if r := &snap.Responses[i]; r.QuestionID == q && r.AssetID == asset {
			return r
		}
	}
	return nil
}

// openOrgQuestions picks organization-wide questions the demo has not answered and that
// the office manager answers, from a packet's rows.
func packetRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Questionnaire")
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

func TestPacketRoundTrip(t *testing.T) {
	t.Parallel()
	db, id := demoWorkspace(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "dana.xlsx")
	must(t, "--db", db, "--actor", "Alex Assessor", "packet", "export", id, "--for", "Dana Reyes, office manager", "--who", "office-manager", "--open", "--out", out)
	rows := packetRows(t, out)
	if len(rows) == 0 {
		t.Fatal("the packet has no rows")
	}
	// The first two organization items: one implemented, one not applicable with a reason.
	var org []string
	for _, r := range rows {
		if r[3] == "Whole organization" && len(org) < 2 {
			org = append(org, r[0])
		}
	}
	if len(org) < 2 {
		t.Fatalf("want two organization items in the packet, got %v", org)
	}
	filled := filepath.Join(dir, "dana-returned.xlsx")
	fillPacket(t, out, filled, map[string][2]string{
		org[0]: {"Implemented", "Checked the binder on the front desk."},
		org[1]: {"Partially implemented", "Only the main site so far."},
	})
	// Without a terminal and without --yes: the preview, nothing changed.
	before := auditCount(t, db)
	stdout, stderr, code := cli(t, "--db", db, "--actor", "Alex Assessor", "packet", "import", id, filled)
	if code != 0 || !strings.Contains(stdout, "2 new") || !strings.Contains(stderr, "Nothing was changed") {
		t.Fatalf("preview: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if auditCount(t, db) != before {
		t.Fatal("the preview changed the workspace")
	}
	must(t, "--db", db, "--actor", "Alex Assessor", "packet", "import", id, filled, "--yes")
	snap := snapshotOf(t, db, id)
	r := responseOf(snap, org[0], "")
	if r == nil || r.Status != assessment.Implemented || r.Note != "Checked the binder on the front desk." {
		t.Fatalf("the returned answer is not there: %+v", r)
	}
	if r.By != "Alex Assessor" || r.Returned == nil || r.Returned.Respondent != "Dana Reyes, office manager" || r.Returned.On == "" {
		t.Fatalf("provenance: by %q, returned %+v", r.By, r.Returned)
	}
	if p := responseOf(snap, org[1], ""); p == nil || p.Status != assessment.Partial {
		t.Fatalf("second answer: %+v", p)
	}
	snap.GeneratedAt = time.Now()
	a := assessment.Analyze(snap)
	v, _ := a.Item(assessment.ItemKey{QuestionID: org[0]})
	if want := "answered by Dana Reyes, office manager (questionnaire returned "; !strings.HasPrefix(v.ReturnedBy, want) {
		t.Errorf("Analysis ReturnedBy = %q", v.ReturnedBy)
	}
	var csv bytes.Buffer
	if err := reports.WriteFindingsCSV(&csv, snap); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv.String(), "answered by Dana Reyes, office manager (questionnaire returned "+r.Returned.On+")") {
		t.Error("the findings CSV does not credit the respondent")
	}
	list := must(t, "--db", db, "packet", "list", id)
	if !strings.Contains(list, "2 applied") {
		t.Errorf("packet list does not show the return: %s", list)
	}
	// Importing the same workbook again changes nothing.
	before = auditCount(t, db)
	stdout = must(t, "--db", db, "packet", "import", id, filled, "--yes")
	if !strings.Contains(stdout, "Nothing to apply") || auditCount(t, db) != before {
		t.Errorf("a second import changed something: %s", stdout)
	}
	// A conflict: the workspace changes the item after the export of a new packet.
	out2 := filepath.Join(dir, "second.xlsx")
	must(t, "--db", db, "packet", "export", id, "--for", "Dana Reyes, office manager", "--who", "office-manager", "--out", out2)
	must(t, "--db", db, "answer", id, org[0], "not-implemented", "--note", "The binder is gone.")
	filled2 := filepath.Join(dir, "second-returned.xlsx")
	fillPacket(t, out2, filled2, map[string][2]string{org[0]: {"Implemented", "It is back."}})
	badInput(t, db, []badCase{{"conflict without --take", []string{"packet", "import", id, filled2, "--yes"}, "was changed by"}})
	must(t, "--db", db, "packet", "import", id, filled2, "--yes", "--take", "theirs")
	if r := responseOf(snapshotOf(t, db, id), org[0], ""); r.Status != assessment.Implemented || r.Note != "It is back." {
		t.Errorf("--take theirs did not apply the returned answer: %+v", r)
	}
}

func TestInventoryRoundTrip(t *testing.T) {
	t.Parallel()
	db, id := demoWorkspace(t)
	dir := t.TempDir()
	want := snapshotOf(t, db, id)
	for _, ext := range []string{"csv", "xlsx"} {
		for _, what := range []string{"asset", "vendor"} {
			path := filepath.Join(dir, what+"s."+ext)
			must(t, "--db", db, what, "export", id, "--out", path)
			before := auditCount(t, db)
			out := must(t, "--db", db, what, "import", id, path, "--yes")
			if !strings.Contains(out, "0 "+what+"s to add, 0 "+what+"s to update") || auditCount(t, db) != before {
				t.Errorf("%s %s round trip is not lossless: %s", what, ext, out)
			}
		}
	}
	got := snapshotOf(t, db, id)
	a, _ := json.Marshal([]any{want.Assets, want.Vendors})
	b, _ := json.Marshal([]any{got.Assets, got.Vendors})
	if !bytes.Equal(a, b) {
		t.Error("the inventory changed after export and import")
	}
	// Into a new assessment: the exported lists rebuild the same inventory.
	other := strings.TrimSpace(must(t, "--db", db, "new", "--org", "Riverbend", "--title", "Copy"))
	must(t, "--db", db, "vendor", "import", other, filepath.Join(dir, "vendors.csv"), "--yes")
	must(t, "--db", db, "asset", "import", other, filepath.Join(dir, "assets.xlsx"), "--yes")
	copied := snapshotOf(t, db, other)
	strip := func(s *assessment.Snapshot) string {
		names := map[string]string{}
		for _, v := range s.Vendors {
			names[v.ID] = v.Name
		}
		var out []any
		for _, v := range s.Vendors {
			v.ID = ""
			out = append(out, v)
		}
		for _, a := range s.Assets {
			a.ID, a.VendorID = "", names[a.VendorID]
			out = append(out, a)
		}
		b, _ := json.Marshal(out)
		return string(b)
	}
	if strip(copied) != strip(want) {
		t.Errorf("the imported inventory differs:\n got %s\nwant %s", strip(copied), strip(want))
	}
	// What a spreadsheet from elsewhere looks like: BOM, semicolons, CRLF, aliases, an
	// unknown column kept as a note.
	sheet := filepath.Join(dir, "it-list.csv")
	os.WriteFile(sheet, []byte("\ufeffSystem;Hosting;Type;Provider;Color\r\nFront desk PCs;On-premises;endpoint;;blue\r\n"), 0o600)
	must(t, "--db", db, "asset", "import", id, sheet, "--yes")
	var found *assessment.Asset
	for _, a := range snapshotOf(t, db, id).Assets {
		if a.Name == "Front desk PCs" {
			found = &a
		}
	}
	if found == nil || found.Hosting != controls.OnPrem || found.Notes != "Color: blue" {
		t.Errorf("the spreadsheet's asset: %+v", found)
	}
}

func TestBackup(t *testing.T) {
	t.Parallel()
	db, id := demoWorkspace(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "copy.db")
	stdout := must(t, "--db", db, "backup", "--out", out)
	if !strings.Contains(stdout, "the copy verified") {
		t.Errorf("backup said %q", stdout)
	}
	if list := must(t, "--db", out, "assessments"); !strings.Contains(list, id) {
		t.Error("the copy does not hold the assessment")
	}
	badInput(t, db, []badCase{{"existing file", []string{"backup", "--out", out}, "already exists"}})
	must(t, "--db", db, "backup", "--out", out, "--force")
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bs, err := s.Backups(context.Background())
	if err != nil || len(bs) != 2 || bs[0].Size == 0 || bs[0].Head.Seq == 0 {
		t.Fatalf("backups recorded: %+v, %v", bs, err)
	}
	// The record is bookkeeping: not a change to the assessment.
	a, err := s.Assessment(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(a.UpdatedAt) < 0 {
		t.Fatal("impossible")
	}
	last := snapshotOf(t, db, id).Assessment.UpdatedAt
	must(t, "--db", db, "backup", "--out", filepath.Join(dir, "third.db"))
	if snapshotOf(t, db, id).Assessment.UpdatedAt != last {
		t.Error("a backup counted as a change to the assessment")
	}
}

func TestBundleMerge(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := filepath.Join(dir, "a.db")
	b := filepath.Join(dir, "b.db")
	id := strings.TrimSpace(must(t, "--db", a, "demo"))
	evidence := filepath.Join(dir, "policy.txt")
	os.WriteFile(evidence, []byte("Sanction policy, signed 2026-01-05.\n"), 0o600)
	b1 := filepath.Join(dir, "b1.sgb")
	must(t, "--db", a, "bundle", "export", id, "--out", b1)
	if got := strings.TrimSpace(must(t, "--db", b, "bundle", "import", b1)); got != id {
		t.Fatalf("bundle import gave %q, want the same ID %s", got, id)
	}
	// B: one item changed only there, one changed on both sides, evidence added there.
	must(t, "--db", b, "--actor", "Jordan", "answer", id, "308a1iia-ra-04", "partial", "--note", "Jordan: half done")
	must(t, "--db", b, "--actor", "Jordan", "answer", id, "308a1iia-ra-01", "not-implemented", "--note", "Jordan: none")
	must(t, "--db", b, "--actor", "Jordan", "evidence", "add", id, evidence, "--question", "308a1iic-sanc-01")
	// A: the shared item, and one only here.
	must(t, "--db", a, "--actor", "Alex", "answer", id, "308a1iia-ra-01", "partial", "--note", "Alex: some")
	must(t, "--db", a, "--actor", "Alex", "answer", id, "308a1iia-ra-10", "flagged", "--note", "Alex: check")
	b2 := filepath.Join(dir, "b2.sgb")
	must(t, "--db", b, "bundle", "export", id, "--out", b2)

	stdout, stderr, code := cli(t, "--db", a, "bundle", "merge", id, b2, "--yes")
	if code != 2 || !strings.Contains(stderr, "1 conflict needs a decision") || !strings.Contains(stdout, "C1") {
		t.Fatalf("merge without decisions: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	must(t, "--db", a, "bundle", "merge", id, b2, "--take", "mine", "--yes")
	snap := snapshotOf(t, a, id)
	if r := responseOf(snap, "308a1iia-ra-04", ""); r == nil || r.Status != assessment.Partial || r.By != "Jordan" || !strings.Contains(r.ImportedFrom, "b2.sgb") {
		t.Errorf("the change made only in the bundle was not taken with its author: %+v", r)
	}
	if r := responseOf(snap, "308a1iia-ra-01", ""); r.Note != "Alex: some" {
		t.Errorf("the conflict decided mine was overwritten: %+v", r)
	}
	if r := responseOf(snap, "308a1iia-ra-10", ""); r.Note != "Alex: check" {
		t.Errorf("the change made only here was lost: %+v", r)
	}
	var ev *assessment.Evidence
	for i, e := range snap.Evidence {
		if e.Name == "policy.txt" {
			ev = &snap.Evidence[i]
		}
	}
	if ev == nil || ev.AddedBy != "Jordan" || len(ev.Links) != 1 {
		t.Fatalf("the bundle's evidence was not merged with its link: %+v", ev)
	}
	if out := must(t, "--db", a, "verify"); !strings.Contains(out, "OK") {
		t.Errorf("verify after the merge: %s", out)
	}
	// The same bundle again changes nothing.
	before := auditCount(t, a)
	if out := must(t, "--db", a, "bundle", "merge", id, b2, "--take", "theirs", "--yes"); !strings.Contains(out, "already merged") || auditCount(t, a) != before {
		t.Errorf("merging twice: %s", out)
	}
	// A second round: B changes the conflicting item again and sends it back; A takes theirs.
	must(t, "--db", b, "--actor", "Jordan", "answer", id, "308a1iia-ra-01", "implemented", "--note", "Jordan: done now")
	b3 := filepath.Join(dir, "b3.sgb")
	must(t, "--db", b, "bundle", "export", id, "--out", b3)
	if _, errOut, code := cli(t, "--db", a, "bundle", "merge", id, b3, "--take", "308a1iia-ra-99=theirs", "--yes"); code != 2 || !strings.Contains(errOut, "names no conflict of this merge; the conflicts are C1") {
		t.Errorf("--take naming no conflict: %d %s", code, errOut)
	}
	// A conflict on an organization-wide answer may be named by its question ID.
	out, errOut, code := cli(t, "--db", a, "bundle", "merge", id, b3, "--take", "308a1iia-ra-01=theirs", "--yes")
	if code != 0 {
		t.Fatalf("second round: %d %s %s", code, out, errOut)
	}
	if r := responseOf(snapshotOf(t, a, id), "308a1iia-ra-01", ""); r.Note != "Jordan: done now" {
		t.Errorf("second round: %+v", r)
	}
}

// exchangeBadCases prepares the bad inputs of issue 17 against a demo workspace (db, id)
// and returns them with what each refusal must say.
func exchangeBadCases(t *testing.T, db, id string) []badCase {
	t.Helper()
	dir := t.TempDir()
	packetFile := filepath.Join(dir, "p.xlsx")
	must(t, "--db", db, "packet", "export", id, "--for", "Dana Reyes, office manager", "--out", packetFile)
	rows := packetRows(t, packetFile)
	var org, perAsset, assetName string
	for _, r := range rows {
		if r[3] == "Whole organization" && org == "" {
			org = r[0]
		}
		if r[3] == "Practice email" && perAsset == "" {
			perAsset, assetName = r[0], r[3]
		}
	}
	edit := func(name string, fn func(f *excelize.File)) string {
		f, err := excelize.OpenFile(packetFile)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		fn(f)
		out := filepath.Join(dir, name)
		if err := f.SaveAs(out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	lockedEdit := edit("locked.xlsx", func(f *excelize.File) { f.SetCellStr("Questionnaire", "B2", "Do you like cake?") })
	checksum := edit("checksum.xlsx", func(f *excelize.File) { f.SetCellStr("safeguard", "D9", "999") })
	recordEdit := edit("record.xlsx", func(f *excelize.File) { f.SetCellStr("safeguard", "B4", strings.Repeat("0", 36)) })
	badStatus := edit("status.xlsx", func(f *excelize.File) { f.SetCellStr("Questionnaire", "E2", "Mostly yes") })
	// The same packet answered for an asset that is then taken out of scope.
	notAsked := filepath.Join(dir, "not-asked.xlsx")
	fillPacket(t, packetFile, notAsked, map[string][2]string{perAsset + "@" + assetName: {"Implemented", "yes"}})
	other, otherID := demoWorkspace(t)
	foreign := filepath.Join(dir, "foreign.xlsx")
	must(t, "--db", other, "packet", "export", otherID, "--for", "Someone, IT", "--out", foreign)
	otherAssessment := strings.TrimSpace(must(t, "--db", db, "new", "--org", "Elsewhere", "--title", "Other"))
	bomb, million := hostileWorkbooks(t)
	// Inventory files.
	csvFile := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o600)
		return p
	}
	dup := csvFile("dup.csv", "Name,Kind,Hosting\r\nPortal,website-portal,saas\r\nportal,website-portal,saas\r\n")
	hosting := csvFile("hosting.csv", "System;Type;Hosting\nPortal;website-portal;the cloud\n")
	latin := csvFile("latin.csv", "Name,Kind,Hosting\nCaf\xe9 server,other,on-prem\n")
	// Bundles.
	unrelated := filepath.Join(dir, "unrelated.sgb")
	must(t, "--db", other, "bundle", "export", otherID, "--out", unrelated)
	tampered := filepath.Join(dir, "tampered.sgb")
	own := filepath.Join(dir, "own.sgb")
	must(t, "--db", db, "bundle", "export", id, "--out", own)
	tamperBundle(t, own, tampered)
	folder := filepath.Join(dir, "folder.xlsx")
	os.Mkdir(folder, 0o700)
	device := filepath.Join(dir, "device.csv")
	if err := os.Symlink("/dev/null", device); err != nil {
		t.Fatal(err)
	}
	// Out of scope last: the cases above were made with the asset in scope.
	must(t, "--db", db, "asset", "edit", id, assetName, "--out-of-scope")
	return []badCase{
		{"packet from another workspace", []string{"packet", "import", id, foreign}, "was not exported from this workspace"},
		{"packet of another assessment", []string{"packet", "import", otherAssessment, packetFile}, "is a packet of assessment"},
		{"edited locked cell", []string{"packet", "import", id, lockedEdit}, "cell B2 (question) was edited"},
		{"checksum mismatch", []string{"packet", "import", id, checksum}, "does not match its checksum"},
		{"assessment edited in the record", []string{"packet", "import", id, recordEdit}, "the packet record inside the workbook was edited"},
		{"status outside the list", []string{"packet", "import", id, badStatus, "--yes"}, `the status "Mostly yes" in E2 is not one of the list's values`},
		{"item no longer applicable", []string{"packet", "import", id, notAsked, "--yes"}, "no longer applies"},
		{"zip bomb", []string{"packet", "import", id, bomb}, "unpacks to more than 64 MB"},
		{"a million rows", []string{"packet", "import", id, million}, "more than 10000 rows"},
		{"not a workbook", []string{"packet", "import", id, dup}, "is not an .xlsx workbook"},
		{"a folder", []string{"packet", "import", id, folder}, "is a folder"},
		{"a device", []string{"asset", "import", id, device}, "is a device"},
		{"no such file", []string{"vendor", "import", id, filepath.Join(dir, "missing.csv")}, "no such file"},
		{"duplicate names", []string{"asset", "import", id, dup, "--yes"}, `line 3: the name "portal" is also on line 2`},
		{"unknown hosting", []string{"asset", "import", id, hosting, "--yes"}, `line 2: "Portal": Hosting: hosting "the cloud" is not on-prem, iaas, paas or saas`},
		{"not UTF-8", []string{"asset", "import", id, latin, "--yes"}, "is not UTF-8 text (line 2)"},
		{"bundle of an unrelated assessment", []string{"bundle", "merge", id, unrelated, "--yes"}, "not of " + id},
		{"bundle changed after export", []string{"bundle", "merge", id, tampered, "--yes"}, "was changed after export"},
		{"merging own bundle", []string{"bundle", "merge", id, own, "--yes"}, "was exported from this workspace"},
	}
}

func TestExchangeBadInputs(t *testing.T) {
	t.Parallel()
	db, id := demoWorkspace(t)
	badInput(t, db, exchangeBadCases(t, db, id))
}

// testExchange runs the bad inputs through the built binary: exit 2, one sentence, the
// workspace and the folder of the input unchanged.
func testExchange(t *testing.T, b *faultBin) {
	db, id := demoWorkspace(t)
	for _, c := range exchangeBadCases(t, db, id) {
		t.Run(c.name, func(t *testing.T) {
			before := fileState(t, db)
			r := b.run(t, runOpts{}, append([]string{"--db", db}, c.args...)...)
			refused(t, r, c.want)
			if after := fileState(t, db); after != before {
				t.Errorf("the workspace changed: %s -> %s", before, after)
			}
		})
	}
}

// hostileWorkbooks are the zip bomb and the million-row workbook, written once per test
// process (a second or two each) into the process's temporary folder: the cases only read
// them.
func hostileWorkbooks(t *testing.T) (bomb, million string) {
	t.Helper()
	if err := hostileOnce(); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(testTemp, "bomb.xlsx"), filepath.Join(testTemp, "million.xlsx")
}

var hostileOnce = sync.OnceValue(func() error {
	if err := writeZipBomb(filepath.Join(testTemp, "bomb.xlsx")); err != nil {
		return err
	}
	return writeMillionRows(filepath.Join(testTemp, "million.xlsx"))
})

// writeZipBomb writes an .xlsx-named zip whose one part unpacks to 200 MB of zeros.
func writeZipBomb(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	zero := make([]byte, 1<<20)
	for range 200 {
		w.Write(zero)
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// writeMillionRows writes a minimal workbook whose questionnaire sheet has 1,000,000 rows
// and a packet record, compressed to a few hundred kilobytes.
func writeMillionRows(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	part := func(name, body string) {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	part("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	part("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	part("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Questionnaire" sheetId="1" r:id="rId1"/><sheet name="safeguard" sheetId="2" r:id="rId2"/></sheets></workbook>`)
	part("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`)
	part("xl/worksheets/sheet2.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>format</t></is></c><c r="B1" t="inlineStr"><is><t>safeguard-packet</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>version</t></is></c><c r="B2"><v>1</v></c></row></sheetData></worksheet>`)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`))
	var buf bytes.Buffer
	for i := 1; i <= 1000000; i++ {
		fmt.Fprintf(&buf, `<row r="%d"><c r="A%d"><v>1</v></c></row>`, i, i)
		if buf.Len() > 1<<20 {
			w.Write(buf.Bytes())
			buf.Reset()
		}
	}
	w.Write(buf.Bytes())
	w.Write([]byte(`</sheetData></worksheet>`))
	return zw.Close()
}

// tamperBundle copies a bundle, changing one answer's note in its assessment.
func tamperBundle(t *testing.T, in, out string) {
	t.Helper()
	zr, err := zip.OpenReader(in)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, part := range zr.File {
		rc, _ := part.Open()
		var data bytes.Buffer
		data.ReadFrom(rc)
		rc.Close()
		body := data.Bytes()
		if part.Name == "assessment.json" {
			body = bytes.Replace(body, []byte(`"status":"implemented"`), []byte(`"status":"partial"`), 1)
		}
		w, _ := zw.Create(part.Name)
		w.Write(body)
	}
	zw.Close()
}
