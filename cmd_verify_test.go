package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

func TestCLIVerifyFailsWithExit1(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "ws.db")
	cli(t, "--db", db, "new", "--org", "Maple", "--title", "T")
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE assessments SET organization = 'Oak'"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, errOut, code := cli(t, "--db", db, "verify")
	if code != 1 || !strings.Contains(errOut, "changed outside safeguard") {
		t.Fatalf("verify on tampered workspace: code %d, err %q", code, errOut)
	}
}
