package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIReport writes the demo's report, with and without evidence attached, and checks
// the file contract: atomic write, refusal to overwrite without --force, deterministic
// bytes for the same state.
func TestCLIReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, id := demoWorkspace(t)
	pdfPath := filepath.Join(dir, "report.pdf")

	out, errOut, code := cli(t, "--db", db, "report", id[:8], "--out", pdfPath)
	if code != 0 {
		t.Fatalf("report: code %d, err %q", code, errOut)
	}
	if !strings.HasPrefix(out, "Wrote "+pdfPath) {
		t.Errorf("report printed %q", out)
	}
	first, err := os.ReadFile(pdfPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(first, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(first), []byte("%%EOF")) {
		t.Fatal("the report is not a complete PDF")
	}
	if fi, _ := os.Stat(pdfPath); fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("the report is readable by others (%v); it holds security-sensitive information", fi.Mode().Perm())
	}
	if !bytes.Contains(first, []byte("/Producer")) {
		t.Error("no metadata in the report")
	}

	// an existing file needs --force: exit 2, one sentence, the file untouched
	_, errOut, code = cli(t, "--db", db, "report", id, "--out", pdfPath)
	if code != 2 || !strings.Contains(errOut, "already exists") || !strings.Contains(errOut, "--force") {
		t.Fatalf("report over an existing file: code %d, err %q", code, errOut)
	}
	oneSentence(t, errOut)

	// with --force it is replaced by the same bytes: the state has not changed
	if _, errOut, code = cli(t, "--db", db, "report", id, "--out", pdfPath, "--force"); code != 0 {
		t.Fatalf("report --force: code %d, err %q", code, errOut)
	}
	again, _ := os.ReadFile(pdfPath)
	if !bytes.Equal(first, again) {
		t.Error("two reports of the same state differ")
	}

	// evidence attached
	attached := filepath.Join(dir, "attached.pdf")
	if _, errOut, code = cli(t, "--db", db, "report", id, "--out", attached, "--attach-evidence"); code != 0 {
		t.Fatalf("report --attach-evidence: code %d, err %q", code, errOut)
	}
	withFiles, _ := os.ReadFile(attached)
	if n := bytes.Count(withFiles, []byte("/Subtype /FileAttachment")); n == 0 {
		t.Error("--attach-evidence embedded no files")
	}
	if !bytes.Contains(withFiles, []byte("/EmbeddedFiles << /Names [ (E00001)")) {
		t.Error("--attach-evidence wrote no EmbeddedFiles name tree")
	}

	// nothing half-written is left behind
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestCLIReportBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, id := demoWorkspace(t)
	notDir := filepath.Join(dir, "plain-file")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"missing folder":      {"report", id, "--out", filepath.Join(dir, "no", "such", "folder", "r.pdf")},
		"folder is a file":    {"report", id, "--out", filepath.Join(notDir, "r.pdf")},
		"unknown assessment":  {"report", "ffffffff-0000-0000-0000-000000000000", "--out", filepath.Join(dir, "r.pdf")},
		"no --out":            {"report", id},
		"--out is a folder":   {"report", id, "--out", dir, "--force"},
		"no assessment given": {"report", "--out", filepath.Join(dir, "r.pdf")},
	} {
		t.Run(name, func(t *testing.T) {
			_, errOut, code := cli(t, append([]string{"--db", db}, args...)...)
			if code != 2 {
				t.Fatalf("code %d, want 2; err %q", code, errOut)
			}
			oneSentence(t, errOut)
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "r.pdf")); err == nil {
		t.Error("a failed report left a file behind")
	}
}

// TestCheckOut checks --out before the workspace is opened.
func TestCheckOut(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	existing := filepath.Join(dir, "r.pdf")
	os.WriteFile(existing, []byte("x"), 0o600)
	cases := []struct {
		out   string
		force bool
		want  string
	}{
		{"", false, "--out"},
		{dir, true, "is a folder"},
		{existing, false, "already exists"},
		{existing, true, ""},
		{filepath.Join(dir, "new.pdf"), false, ""},
		{filepath.Join(dir, "no", "r.pdf"), false, "not an existing folder"},
	}
	for _, c := range cases {
		err := checkOut(c.out, c.force)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("checkOut(%q, %v) = %v, want %q", c.out, c.force, err, c.want)
		}
	}
}
