package sheets

import (
	"bytes"
	"strings"
	"testing"
)

func TestReadCSVForms(t *testing.T) {
	forms := map[string]string{
		"plain":          "Name,Hosting\nEHR,saas\nFiles,on-prem\n",
		"BOM and CRLF":   "\ufeffName,Hosting\r\nEHR,saas\r\nFiles,on-prem\r\n",
		"semicolons":     "Name;Hosting\r\nEHR;saas\r\nFiles;on-prem\r\n",
		"tabs":           "Name\tHosting\nEHR\tsaas\nFiles\ton-prem\n",
		"quoted comma":   "Name;Hosting\n\"EHR, hosted\";saas\nFiles;on-prem\n",
		"no final break": "Name,Hosting\nEHR,saas\nFiles,on-prem",
	}
	for name, data := range forms {
		header, rows, err := Read("list.csv", []byte(data), "")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if strings.Join(header, "|") != "Name|Hosting" || len(rows) != 2 || rows[1].Line != 3 || rows[1].Cells[1] != "on-prem" {
			t.Errorf("%s: header %q rows %+v", name, header, rows)
		}
	}
}

func TestReadCSVRefusals(t *testing.T) {
	cases := map[string]struct{ data, want string }{
		"UTF-16":        {"\xff\xfeN\x00a\x00", "UTF-16"},
		"Latin-1":       {"Name\nCaf\xe9\n", "not UTF-8 text (line 2)"},
		"binary":        {"Name\n\x00\x01\n", "binary data"},
		"bad quotes":    {"Name,Notes\nA,\"open\n", "line 2"},
		"empty":         {"", "is empty"},
		"too many rows": {"Name\n" + strings.Repeat("x\n", MaxRows), "more than 10000 rows"},
	}
	for name, c := range cases {
		_, _, err := Read("list.csv", []byte(c.data), "")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	if _, err := KindOf("list.xls"); err == nil || !strings.Contains(err.Error(), "old-style Excel") {
		t.Errorf(".xls: %v", err)
	}
}

// TestRoundTrip: what WriteCSV and WriteXLSX write, Read gives back unchanged, also cells
// a spreadsheet would run as formulas and cells that start with an apostrophe.
func TestRoundTrip(t *testing.T) {
	rows := [][]string{{"Name", "Notes"}, {"=SUM(A1)", "'quoted"}, {"+1", "line one\nline two"}, {"Café ✓", ""}}
	for _, name := range []string{"t.csv", "t.xlsx"} {
		var buf bytes.Buffer
		var err error
		if name == "t.csv" {
			err = WriteCSV(&buf, rows)
			if !strings.Contains(buf.String(), "'=SUM(A1)") {
				t.Error("a formula-like cell was not defused")
			}
		} else {
			err = WriteXLSX(&buf, "Assets", rows)
		}
		if err != nil {
			t.Fatal(err)
		}
		header, got, err := Read(name, buf.Bytes(), "Assets")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(header, "|") != "Name|Notes" || len(got) != 3 {
			t.Fatalf("%s: %q %+v", name, header, got)
		}
		for i, r := range got {
			for j, want := range rows[i+1] {
				if cell := at(r.Cells, j); cell != want {
					t.Errorf("%s row %d cell %d: %q, want %q", name, i+2, j, cell, want)
				}
			}
		}
	}
}

func at(cells []string, i int) string {
	if i < len(cells) {
		return cells[i]
	}
	return ""
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("Name,Hosting\nEHR,saas\n"))
	f.Add([]byte("\ufeffName;Hosting\r\n\"a;b\";x\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		header, rows, err := Read("f.csv", data, "")
		if err != nil {
			return
		}
		if header == nil || len(rows) >= MaxRows {
			t.Fatalf("header %v, %d rows", header, len(rows))
		}
	})
}

func FuzzReadXLSX(f *testing.F) {
	var buf bytes.Buffer
	WriteXLSX(&buf, "Assets", [][]string{{"Name"}, {"EHR"}})
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Read("f.xlsx", data, "Assets") // must not panic or hang
	})
}
