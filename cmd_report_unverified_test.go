package main

import (
	"bytes"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIReportRefusesTamperedWorkspace: after an answer is edited outside safeguard,
// `report` exits 1 and writes nothing; with --allow-unverified it writes the report, whose
// first page says the check failed.
func TestCLIReportRefusesTamperedWorkspace(t *testing.T) {
	t.Parallel()
	db, id := demoWorkspace(t)
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE responses SET status = 'implemented', note = 'MFA enforced' WHERE rowid = (SELECT min(rowid) FROM responses WHERE status = 'not-implemented')"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out := filepath.Join(t.TempDir(), "r.pdf")
	_, errOut, code := cli(t, "--db", db, "report", id, "--out", out)
	if code != 1 || !strings.Contains(errOut, "failed verification") || !strings.Contains(errOut, "--allow-unverified") {
		t.Fatalf("report on a tampered workspace: code %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a report was written for a workspace that failed verification")
	}
	_, errOut, code = cli(t, "--db", db, "report", id, "--out", out, "--allow-unverified")
	if code != 0 || !strings.Contains(errOut, "Warning: verification found") {
		t.Fatalf("--allow-unverified: code %d, stderr %q", code, errOut)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
	}
	p1, err := exec.Command("pdftotext", "-f", "1", "-l", "1", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(p1), "INTEGRITY CHECK FAILED") {
		t.Fatalf("page 1 has no banner:\n%s", p1)
	}
	all, _ := exec.Command("pdftotext", out, "-").Output()
	if !strings.Contains(strings.Join(strings.Fields(string(all)), " "), "[altered outside safeguard]") {
		t.Error("the altered answer is not marked where it is printed")
	}
}

// TestCLIReportFont: a file that is not a TrueType font is refused with exit 2 before
// anything is written; a saved font that went missing is named.
func TestCLIReportFont(t *testing.T) {
	t.Parallel()
	db, id := demoWorkspace(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.ttf")
	os.WriteFile(bad, []byte("not a font"), 0o600)
	out := filepath.Join(dir, "r.pdf")
	_, errOut, code := cli(t, "--db", db, "report", id, "--out", out, "--font", bad)
	if code != 2 || !strings.Contains(errOut, "TrueType") {
		t.Fatalf("bad font: code %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a report was written with a bad font")
	}
	_, errOut, code = cli(t, "--db", db, "report", id, "--out", out, "--save-font")
	if code != 2 || !strings.Contains(errOut, "--font") {
		t.Fatalf("--save-font alone: code %d, stderr %q", code, errOut)
	}
	// A refused font is not remembered: the workspace is unchanged and the next report,
	// without --font, is written.
	before, _ := os.ReadFile(db)
	_, errOut, code = cli(t, "--db", db, "report", id, "--out", out, "--font", bad, "--save-font")
	if code != 2 || !strings.Contains(errOut, "TrueType") {
		t.Fatalf("bad font with --save-font: code %d, stderr %q", code, errOut)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Fatal("a refused --font --save-font changed the workspace")
	}
	if _, errOut, code = cli(t, "--db", db, "report", id, "--out", out); code != 0 {
		t.Fatalf("the report after a refused --save-font: code %d, stderr %q", code, errOut)
	}
}
