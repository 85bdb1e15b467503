package main

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"safeguard/assessment"
)

// workspaceState is what must not change when a command is refused: the audit trail,
// the evidence and the vault.
func workspaceState(t *testing.T, db string) string {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var entries, evidence, links, blobs, chunks int
	var head string
	err = raw.QueryRow(`SELECT (SELECT count(*) FROM audit_log), (SELECT coalesce(max(hash), '') FROM audit_log),
		(SELECT count(*) FROM evidence), (SELECT count(*) FROM evidence_links), (SELECT count(*) FROM blobs),
		(SELECT count(*) FROM blob_chunks)`).Scan(&entries, &head, &evidence, &links, &blobs, &chunks)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(head, entries, evidence, links, blobs, chunks)
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestCLIEvidenceRoundTrip(t *testing.T) {
	t.Parallel()
	db, id := demoWorkspace(t)
	dir := t.TempDir()
	data := bytes.Repeat([]byte("BitLocker recovery keys escrowed for 51 of 60 devices.\n"), 50_000) // ~2.7 MB
	file := filepath.Join(dir, "bitlocker report.txt")
	os.WriteFile(file, data, 0o600)

	out, errOut, code := cli(t, "--db", db, "--actor", "alice", "evidence", "add", id[:8], file,
		"--question", "312a2iv-enc-02", "--asset", "staff laptops and workstations", "--vendor", "Northgate Managed IT",
		"--description", "Console export", "--valid-until", "2027-01-31")
	if code != 0 || !strings.Contains(out, sha(data)) {
		t.Fatalf("evidence add: %d %q %q", code, out, errOut)
	}
	out, errOut, code = cli(t, "--db", db, "evidence", "note", id[:8], "--title", "Walkthrough", "--text", "Saw the console.", "--asset", "staff laptops and workstations")
	if code != 0 || !strings.Contains(out, "Added note") {
		t.Fatalf("evidence note: %d %q %q", code, out, errOut)
	}

	out, _, code = cli(t, "--db", db, "evidence", "list", id[:8], "--json")
	var list []assessment.Evidence
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil {
		t.Fatalf("evidence list --json: %d %q", code, out)
	}
	var added *assessment.Evidence
	for i := range list {
		if list[i].SHA256 == sha(data) {
			added = &list[i]
		}
	}
	if added == nil || added.Name != "bitlocker report.txt" || added.AddedBy != "alice" || len(added.Links) != 2 ||
		added.MediaType != "text/plain; charset=utf-8" || added.ValidUntil != "2027-01-31" {
		t.Fatalf("listed evidence %+v", added)
	}
	out, _, code = cli(t, "--db", db, "evidence", "list", id[:8])
	if code != 0 || !strings.Contains(out, "bitlocker report.txt") || !strings.Contains(out, "312a2iv-enc-02 @ Staff laptops") || !strings.Contains(out, "vendor Northgate") {
		t.Fatalf("evidence list: %d\n%s", code, out)
	}

	exported := filepath.Join(dir, "out.txt")
	if _, e, code := cli(t, "--db", db, "evidence", "export", id[:8], added.SHA256[:12], "--out", exported); code != 0 {
		t.Fatalf("evidence export: %d %s", code, e)
	}
	if got, _ := os.ReadFile(exported); !bytes.Equal(got, data) {
		t.Fatal("exported file differs from the added one")
	}
	_, errOut, code = cli(t, "--db", db, "evidence", "export", id[:8], added.SHA256, "--out", exported)
	if code != 2 || !strings.Contains(errOut, "--force") {
		t.Fatalf("export over an existing file: %d %q", code, errOut)
	}
	if _, e, code := cli(t, "--db", db, "evidence", "export", id[:8], added.ID, "--out", exported, "--force"); code != 0 {
		t.Fatalf("export by ID with --force: %d %s", code, e)
	}

	out, _, code = cli(t, "--db", db, "verify")
	if code != 0 || !strings.Contains(out, "evidence blobs match") {
		t.Fatalf("verify: %d %q", code, out)
	}

	_, errOut, code = cli(t, "--db", db, "evidence", "remove", id[:8], added.ID)
	if code != 2 || !strings.Contains(errOut, "--yes") {
		t.Fatalf("remove without confirmation: %d %q", code, errOut)
	}
	if _, e, code := cli(t, "--db", db, "evidence", "remove", id[:8], added.ID[:8], "--yes"); code != 0 {
		t.Fatalf("remove --yes: %d %s", code, e)
	}
	if out, _, code := cli(t, "--db", db, "verify"); code != 0 {
		t.Fatalf("verify after remove: %q", out)
	}

	if out, _, code := cli(t, "--db", db, "evidence", "limit"); code != 0 || !strings.Contains(out, "100 MB") {
		t.Fatalf("evidence limit: %q", out)
	}
	if out, _, code := cli(t, "--db", db, "evidence", "limit", "250MB"); code != 0 || !strings.Contains(out, "250 MB") {
		t.Fatalf("evidence limit 250MB: %q", out)
	}
}

func TestCLIEvidenceTamperFailsVerify(t *testing.T) {
	t.Parallel()
	db, id := demoWorkspace(t)
	file := filepath.Join(t.TempDir(), "scan.pdf")
	os.WriteFile(file, []byte("%PDF-1.7 pretend this is a scanned BAA"), 0o600)
	if _, e, code := cli(t, "--db", db, "evidence", "add", id, file); code != 0 {
		t.Fatalf("add: %s", e)
	}
	raw, _ := sql.Open("sqlite", db)
	if _, err := raw.Exec(`UPDATE blob_chunks SET data = CAST('%PDF-1.7 pretend this is a forged BAA!' AS BLOB)
		WHERE blob_id = (SELECT b.id FROM blobs b JOIN evidence e ON e.sha256 = b.sha256 WHERE e.name = 'scan.pdf')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, errOut, code := cli(t, "--db", db, "verify")
	if code != 1 || !strings.Contains(errOut, `"scan.pdf"`) || !strings.Contains(errOut, "no longer matches its SHA-256") {
		t.Fatalf("verify after tampering: %d %q", code, errOut)
	}
	out := filepath.Join(t.TempDir(), "out.pdf")
	_, errOut, code = cli(t, "--db", db, "evidence", "export", id, "scan.pdf", "--out", out)
	if code != 2 {
		t.Fatalf("export by name is not supported: %d %q", code, errOut)
	}
}

func TestCLIEvidenceBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	out, _, _ := cli(t, "--db", db, "new", "--org", "Maple", "--title", "T")
	id := strings.TrimSpace(out)
	files := t.TempDir()
	ok := filepath.Join(files, "ok.txt")
	os.WriteFile(ok, []byte("fine"), 0o600)
	big := filepath.Join(files, "big.bin")
	f, _ := os.Create(big)
	f.Truncate(101_000_000)
	f.Close()
	badName := filepath.Join(files, "scan\xff.pdf")
	os.WriteFile(badName, []byte("x"), 0o600)
	outside := filepath.Join(t.TempDir(), "elsewhere.txt")
	os.WriteFile(outside, []byte("x"), 0o600)
	link := filepath.Join(files, "link.txt")
	os.Symlink(outside, link)
	existing := filepath.Join(files, "existing.out")
	os.WriteFile(existing, []byte("keep me"), 0o600)

	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"evidence", "add", id, filepath.Join(files, "nope.pdf")}, "there is no file"},
		{"directory", []string{"evidence", "add", id, files}, "is a folder"},
		{"over the limit", []string{"evidence", "add", id, big}, "over the workspace's evidence limit of 100 MB"},
		{"invalid UTF-8 name", []string{"evidence", "add", id, badName}, "not valid UTF-8"},
		{"link outside", []string{"evidence", "add", id, link}, "outside its folder"},
		{"device", []string{"evidence", "add", id, "/dev/zero"}, "is a device"},
		{"bad date", []string{"evidence", "add", id, ok, "--valid-until", "soon"}, "YYYY-MM-DD"},
		{"unknown question", []string{"evidence", "add", id, ok, "--question", "000-none-01"}, "no question"},
		{"unknown asset", []string{"evidence", "add", id, ok, "--asset", "Mainframe"}, "no asset \"Mainframe\""},
		{"unknown vendor", []string{"evidence", "add", id, ok, "--vendor", "Acme"}, "no vendor \"Acme\""},
		{"note and description", []string{"evidence", "add", id, ok, "--note", "a", "--description", "b"}, "give only one"},
		{"unknown assessment", []string{"evidence", "add", "ffffffff", ok}, "no assessment has the ID"},
		{"empty note", []string{"evidence", "note", id, "--title", "t", "--text", " "}, "note text is empty"},
		{"note without title", []string{"evidence", "note", id, "--text", "x"}, "title"},
		{"export unknown", []string{"evidence", "export", id, "0123456789abcdef", "--out", filepath.Join(files, "x")}, "has no evidence"},
		{"remove unknown", []string{"evidence", "remove", id, "0123abcd", "--yes"}, "has no evidence"},
		{"bad limit", []string{"evidence", "limit", "lots"}, "not a size"},
		{"tiny limit", []string{"evidence", "limit", "10KB"}, "between 1 MB and 64 GB"},
		{"link without target", []string{"evidence", "link", id, "0123abcd"}, "has no evidence"},
		{"encrypt short passphrase", []string{"encrypt"}, "shorter than 12 characters"},
	}
	t.Setenv(passphraseEnv, "")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "encrypt short passphrase" {
				t.Setenv(passphraseEnv, "short")
			}
			before := workspaceState(t, db)
			_, errOut, code := cli(t, append([]string{"--db", db}, c.args...)...)
			if code != 2 || !strings.Contains(errOut, c.want) {
				t.Fatalf("code %d, stderr %q; want exit 2 mentioning %q", code, errOut, c.want)
			}
			oneSentence(t, errOut)
			if after := workspaceState(t, db); after != before {
				t.Errorf("the workspace changed: %s -> %s", before, after)
			}
		})
	}
	if got, _ := os.ReadFile(existing); string(got) != "keep me" {
		t.Error("a refused export touched an existing file")
	}
}

func TestCLIEncryptedWorkspace(t *testing.T) {
	db, id := demoWorkspace(t)
	dir := t.TempDir()
	marker := []byte("SSN 078-05-1120 MARKER")
	file := filepath.Join(dir, "screenshot.png")
	os.WriteFile(file, bytes.Repeat(marker, 10_000), 0o600)
	if _, e, code := cli(t, "--db", db, "evidence", "add", id, file); code != 0 {
		t.Fatalf("add before encrypting: %s", e)
	}

	t.Setenv(passphraseEnv, "")
	_, errOut, code := cli(t, "--db", db, "encrypt")
	if code != 2 || !strings.Contains(errOut, passphraseEnv) {
		t.Fatalf("encrypt without a passphrase: %d %q", code, errOut)
	}
	t.Setenv(passphraseEnv, "a long and good passphrase")
	out, errOut, code := cli(t, "--db", db, "encrypt")
	if code != 0 || !strings.Contains(out, "Encrypted") {
		t.Fatalf("encrypt: %d %q %q", code, out, errOut)
	}
	_, errOut, code = cli(t, "--db", db, "encrypt")
	if code != 2 || !strings.Contains(errOut, "already encrypted") {
		t.Fatalf("encrypt twice: %d %q", code, errOut)
	}
	for _, suffix := range []string{"", "-wal"} {
		raw, _ := os.ReadFile(db + suffix)
		for _, m := range [][]byte{marker, []byte("Restored last month's EHR bulk export")} {
			if bytes.Contains(raw, m) {
				t.Fatalf("plaintext evidence %q found in %s after encrypting", m, db+suffix)
			}
		}
	}

	// Wrong passphrase: one sentence, exit 2, nothing written.
	t.Setenv(passphraseEnv, "not the right passphrase")
	other := filepath.Join(dir, "other.txt")
	os.WriteFile(other, []byte("more"), 0o600)
	before := workspaceState(t, db)
	for _, args := range [][]string{
		{"evidence", "add", id, other},
		{"evidence", "note", id, "--title", "t", "--text", "x"},
		{"evidence", "export", id, sha(bytes.Repeat(marker, 10_000)), "--out", filepath.Join(dir, "x.png")},
		{"verify"},
	} {
		_, errOut, code = cli(t, append([]string{"--db", db}, args...)...)
		if code != 2 || !strings.Contains(errOut, "passphrase does not unlock") {
			t.Fatalf("%v with a wrong passphrase: %d %q", args, code, errOut)
		}
		oneSentence(t, errOut)
	}
	if after := workspaceState(t, db); after != before {
		t.Fatalf("a wrong passphrase changed the workspace: %s -> %s", before, after)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.png")); err == nil {
		t.Fatal("a refused export wrote its file")
	}
	// No passphrase at all (not a terminal): a clear sentence.
	t.Setenv(passphraseEnv, "")
	_, errOut, code = cli(t, "--db", db, "evidence", "add", id, other)
	if code != 2 || !strings.Contains(errOut, "SAFEGUARD_PASSPHRASE") {
		t.Fatalf("add without a passphrase: %d %q", code, errOut)
	}
	// Listing needs no passphrase.
	if out, _, code := cli(t, "--db", db, "evidence", "list", id); code != 0 || !strings.Contains(out, "screenshot.png") {
		t.Fatalf("list without a passphrase: %d %q", code, out)
	}

	t.Setenv(passphraseEnv, "a long and good passphrase")
	exported := filepath.Join(dir, "back.png")
	if _, e, code := cli(t, "--db", db, "evidence", "export", id, sha(bytes.Repeat(marker, 10_000)), "--out", exported); code != 0 {
		t.Fatalf("export with the passphrase: %s", e)
	}
	if got, _ := os.ReadFile(exported); !bytes.Equal(got, bytes.Repeat(marker, 10_000)) {
		t.Fatal("exported file differs")
	}
	if _, e, code := cli(t, "--db", db, "evidence", "add", id, other); code != 0 {
		t.Fatalf("add with the passphrase: %s", e)
	}
	if out, e, code := cli(t, "--db", db, "verify"); code != 0 {
		t.Fatalf("verify with the passphrase: %q %q", out, e)
	}
}

func TestCLINewEncrypted(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	t.Setenv("SAFEGUARD_PASSPHRASE", "a long enough passphrase")
	out, e, code := cli(t, "--db", db, "new", "--org", "Sealed Clinic", "--title", "T", "--encrypt")
	if code != 0 {
		t.Fatalf("new --encrypt: %d %s", code, e)
	}
	id := strings.TrimSpace(out)
	file := filepath.Join(t.TempDir(), "marker.txt")
	os.WriteFile(file, []byte("MARKER-sealed-at-creation-4711"), 0o600)
	if _, e, code := cli(t, "--db", db, "evidence", "add", id, file); code != 0 {
		t.Fatalf("evidence add: %s", e)
	}
	t.Setenv("SAFEGUARD_PASSPHRASE", "")
	if _, e, code := cli(t, "--db", db, "evidence", "add", id, file); code != 2 || !strings.Contains(e, "encrypted") {
		t.Fatalf("adding without the passphrase: %d %s", code, e)
	}
	raw, _ := os.ReadFile(db)
	if strings.Contains(string(raw), "MARKER-sealed-at-creation-4711") {
		t.Fatal("the evidence is readable in the workspace file")
	}
}
