package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/controls"
	"safeguard/store"
)

// anchorRE finds an anchor as the CLI prints it.
var anchorRE = regexp.MustCompile(`\b([0-9]+:[0-9a-f]{64})\b`)

// rehash recomputes the audit chain from entry seq on, as someone with the file and the
// published hash rule (SHA-256 over the JSON array of the entry's fields) can: the
// attack a plain chain cannot see. The entries' payloads are left as the caller edited
// them; seals are kept consistent with the new hashes.
func rehash(t *testing.T, db *sql.DB, seq int64) {
	t.Helper()
	var prev string
	if err := db.QueryRow("SELECT coalesce((SELECT hash FROM audit_log WHERE seq = ?), ?)", seq-1, strings.Repeat("0", 64)).Scan(&prev); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("SELECT seq, at, actor, action, entity, entity_id, assessment_id, payload FROM audit_log WHERE seq >= ? ORDER BY seq", seq)
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		seq                                                    int64
		at, actor, action, entity, entityID, assessmentID, pay string
	}
	var es []entry
	for rows.Next() {
		var e entry
		rows.Scan(&e.seq, &e.at, &e.actor, &e.action, &e.entity, &e.entityID, &e.assessmentID, &e.pay)
		es = append(es, e)
	}
	rows.Close()
	newHash := map[int64]string{}
	for _, e := range es {
		if e.entity == "seal" {
			var sealSeq int64
			db.QueryRow("SELECT chain_seq FROM seals WHERE id = ?", e.entityID).Scan(&sealSeq)
			if h, ok := newHash[sealSeq]; ok {
				var old string
				db.QueryRow("SELECT chain_head FROM seals WHERE id = ?", e.entityID).Scan(&old)
				mustSQL(t, db, "UPDATE seals SET chain_head = ? WHERE id = ?", h, e.entityID)
				e.pay = strings.ReplaceAll(e.pay, old, h)
			}
		}
		b, _ := json.Marshal([]any{e.seq, e.at, e.actor, e.action, e.entity, e.entityID, e.assessmentID, e.pay, prev})
		sum := sha256.Sum256(b)
		h := hex.EncodeToString(sum[:])
		mustSQL(t, db, "UPDATE audit_log SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?", e.pay, prev, h, e.seq)
		newHash[e.seq], prev = h, h
	}
}

func mustSQL(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// withState gives the test its own user state and config folders (last-seen records,
// signing key).
func withState(t *testing.T) (state, config string) {
	t.Helper()
	dir := t.TempDir()
	state, config = filepath.Join(dir, "state"), filepath.Join(dir, "config")
	t.Setenv("XDG_STATE_HOME", state)
	t.Setenv("XDG_CONFIG_HOME", config)
	return state, config
}

// TestCLIHistoryRewrite: a report's anchor, verify --anchor (SEQ:HASH and the PDF itself)
// and verify --report hold on an honest workspace; after someone rewrites an answer and
// recomputes the chain, a verify without this computer's record passes (as the README
// says it does), the report's anchor fails naming the entry, verify --report says the
// history it states was rewritten, and this computer's record makes plain verify fail.
func TestCLIHistoryRewrite(t *testing.T) {
	withState(t)
	db, id := demoWorkspace(t)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "report.pdf")
	out, e, code := cli(t, "--db", db, "report", id, "--out", pdf)
	if code != 0 {
		t.Fatalf("report: %d %s", code, e)
	}
	anchor := anchorRE.FindString(out)
	if anchor == "" {
		t.Fatalf("the report command printed no anchor: %q", out)
	}
	raw, _ := os.ReadFile(pdf)
	if !bytes.Contains(raw, []byte("safeguard-anchor:")) {
		t.Fatal("the PDF carries no anchor")
	}
	for _, args := range [][]string{{"verify"}, {"verify", "--anchor", anchor}, {"verify", "--anchor", pdf}, {"verify", "--report", pdf}} {
		if out, e, code := cli(t, append([]string{"--db", db}, args...)...); code != 0 {
			t.Fatalf("%v on an honest workspace: %d %s %s", args, code, out, e)
		}
	}
	// A copy of the report that was edited is not this workspace's report.
	edited := filepath.Join(dir, "edited.pdf")
	os.WriteFile(edited, append(append([]byte{}, raw...), '\n'), 0o600)
	if _, e, code := cli(t, "--db", db, "verify", "--report", edited); code != 1 || !strings.Contains(e, "not recorded") {
		t.Fatalf("verify --report of an edited copy: %d %q", code, e)
	}

	// The rewrite: an answer changed, its entry edited, the chain recomputed.
	rdb, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	var rid string
	var seq int64
	rdb.QueryRow("SELECT id FROM responses WHERE assessment_id = ? ORDER BY id LIMIT 1", id).Scan(&rid)
	rdb.QueryRow("SELECT max(seq) FROM audit_log WHERE entity = 'response' AND entity_id = ?", rid).Scan(&seq)
	var note string
	rdb.QueryRow("SELECT note FROM responses WHERE id = ?", rid).Scan(&note)
	mustSQL(t, rdb, "DROP TRIGGER audit_log_no_update")
	mustSQL(t, rdb, "UPDATE responses SET note = 'REWRITTEN' WHERE id = ?", rid)
	var old bytes.Buffer
	enc := json.NewEncoder(&old)
	enc.SetEscapeHTML(false)
	enc.Encode(note)
	mustSQL(t, rdb, "UPDATE audit_log SET payload = replace(payload, ?, '\"note\":\"REWRITTEN\"') WHERE seq = ?", `"note":`+strings.TrimSpace(old.String()), seq)
	rehash(t, rdb, seq)
	mustSQL(t, rdb, `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END`)
	rdb.Close()

	// Another computer (no record of this workspace): plain verify passes.
	withState(t)
	if out, e, code := cli(t, "--db", db, "verify"); code != 0 {
		t.Fatalf("a careful rewrite fails plain verify, which the README says it cannot catch: %d %s %s", code, out, e)
	}
	seqOf := strings.SplitN(anchor, ":", 2)[0]
	for _, a := range []string{anchor, pdf} {
		_, e, code := cli(t, "--db", db, "verify", "--anchor", a)
		if code != 1 || !strings.Contains(e, "audit entry "+seqOf+" differs") {
			t.Fatalf("verify --anchor %s after the rewrite: %d %q", filepath.Base(a), code, e)
		}
	}
	if _, e, code := cli(t, "--db", db, "verify", "--report", pdf); code != 1 || !strings.Contains(e, "rewritten") {
		t.Fatalf("verify --report after the rewrite: %d %q", code, e)
	}
}

// TestCLILastSeenWarns: a workspace replaced by an older copy warns on every command and
// fails verify, until the user accepts the copy.
func TestCLILastSeenWarns(t *testing.T) {
	withState(t)
	db, id := demoWorkspace(t)
	backup := db + ".bak"
	b, _ := os.ReadFile(db)
	os.WriteFile(backup, b, 0o600)
	for i := 0; i < 3; i++ {
		if _, e, code := cli(t, "--db", db, "answer", id, "308a1iia-ra-01", "implemented", "--note", strings.Repeat("x", i+1)); code != 0 {
			t.Fatal(e)
		}
	}
	os.Rename(backup, db)
	_, e, code := cli(t, "--db", db, "assessments")
	if code != 0 || !strings.Contains(e, "warning: ") || !strings.Contains(e, "3 committed entries are missing") {
		t.Fatalf("assessments on a rolled-back workspace: %d %q", code, e)
	}
	// compact opens the workspace itself; it warns as every other command does.
	if _, e, code := cli(t, "--db", db, "evidence", "compact"); code != 0 || strings.Count(e, "warning: ") != 1 || !strings.Contains(e, "3 committed entries are missing") {
		t.Fatalf("evidence compact on a rolled-back workspace: %d %q", code, e)
	}
	if _, e, code := cli(t, "--db", db, "verify"); code != 1 || !strings.Contains(e, "missing") {
		t.Fatalf("verify: %d %q", code, e)
	}
	if out, e, code := cli(t, "--db", db, "verify", "--accept-current"); code != 0 || !strings.Contains(out, "Recorded entry") {
		t.Fatalf("verify --accept-current: %d %q %q", code, out, e)
	}
	if _, e, code := cli(t, "--db", db, "assessments"); code != 0 || e != "" {
		t.Fatalf("after accepting: %d %q", code, e)
	}
}

// TestCLISigningKey: with a key, sign-offs' seals, reports (with FILE.pdf.sig) and JSON
// exports are signed; verify checks the signatures; an import keeps a final assessment
// final only from a signed export.
func TestCLISigningKey(t *testing.T) {
	_, config := withState(t)
	t.Setenv(keyPassphraseEnv, "")
	if _, e, code := cli(t, "key", "show"); code != 2 || !strings.Contains(e, "no signing key") {
		t.Fatalf("key show without a key: %d %q", code, e)
	}
	t.Setenv(keyPassphraseEnv, "   ")
	if _, e, code := cli(t, "key", "create"); code != 2 || !strings.Contains(e, "only spaces") {
		t.Fatalf("a key passphrase of spaces: %d %q", code, e)
	}
	t.Setenv(keyPassphraseEnv, "a long key passphrase")
	out, e, code := cli(t, "key", "create")
	if code != 0 || !strings.Contains(out, "SHA256:") {
		t.Fatalf("key create: %d %q %q", code, out, e)
	}
	fp := regexp.MustCompile(`SHA256:[A-Za-z0-9+/]+`).FindString(out)
	if st, err := os.Stat(filepath.Join(config, "safeguard", "signing-key.json")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v", err)
	}
	if out, _, code := cli(t, "key", "show"); code != 0 || !strings.Contains(out, fp) {
		t.Fatalf("key show: %q", out)
	}
	if _, e, code := cli(t, "key", "create"); code != 2 || !strings.Contains(e, "already exists") {
		t.Fatalf("second key create: %d %q", code, e)
	}

	// A final assessment, made here.
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	s, err := store.Open(db, store.Options{Actor: "setup"})
	if err != nil {
		t.Fatal(err)
	}
	doc := assessment.Demo(controls.MustDefault(), time.Now())
	doc.Assessment.Status = assessment.StatusFinal
	doc.SignOff = &assessment.SignOff{Name: "Dana", Role: "Security official", Date: "2026-03-01", Statement: "Approved."}
	id, err := s.Import(context.Background(), doc, store.ImportOptions{NewIDs: true})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(dir, "r.pdf")
	out, e, code = cli(t, "--db", db, "report", id, "--out", pdf)
	if code != 0 || !strings.Contains(out, "Signed by key "+fp) {
		t.Fatalf("signed report: %d %q %q", code, out, e)
	}
	out, e, code = cli(t, "--db", db, "verify", "--report", pdf)
	if code != 0 || !strings.Contains(out, "signature by key "+fp+" verifies") || !strings.Contains(out, "seal signature") {
		t.Fatalf("verify --report: %d %q %q", code, out, e)
	}
	sig, _ := os.ReadFile(pdf + ".sig")
	os.WriteFile(pdf+".sig", bytes.Replace(sig, []byte(`"seq": `), []byte(`"seq": 1`), 1), 0o600)
	if _, e, code := cli(t, "--db", db, "verify", "--report", pdf); code != 1 || !strings.Contains(e, "signature") {
		t.Fatalf("a changed signature file: %d %q", code, e)
	}
	// Without the key's passphrase, a report is refused unless --unsigned.
	t.Setenv(keyPassphraseEnv, "")
	if _, e, code := cli(t, "--db", db, "report", id, "--out", filepath.Join(dir, "x.pdf")); code != 2 || !strings.Contains(e, keyPassphraseEnv) {
		t.Fatalf("report without the key's passphrase: %d %q", code, e)
	}
	if _, e, code := cli(t, "--db", db, "--unsigned", "report", id, "--out", filepath.Join(dir, "x.pdf")); code != 0 {
		t.Fatalf("report --unsigned: %d %q", code, e)
	}

	// Exports: signed with the key, unsigned without; import trusts only the signed one.
	t.Setenv(keyPassphraseEnv, "a long key passphrase")
	signedJSON, plainJSON := filepath.Join(dir, "signed.json"), filepath.Join(dir, "plain.json")
	if out, e, code := cli(t, "--db", db, "export", id, "--format", "json", "--out", signedJSON); code != 0 || !strings.Contains(out, "signed by key") {
		t.Fatalf("signed export: %d %q %q", code, out, e)
	}
	if _, e, code := cli(t, "--db", db, "--unsigned", "export", id, "--format", "json", "--out", plainJSON); code != 0 {
		t.Fatal(e)
	}
	other := filepath.Join(dir, "other.db")
	if _, e, code := cli(t, "--db", other, "import", signedJSON); code != 0 || !strings.Contains(e, "Imported as final") || !strings.Contains(e, fp) {
		t.Fatalf("import of a signed final export: %d %q", code, e)
	}
	if _, e, code := cli(t, "--db", other, "import", plainJSON); code != 0 || !strings.Contains(e, "Imported as a draft") {
		t.Fatalf("import of an unsigned final export: %d %q", code, e)
	}
	if out, e, code := cli(t, "--db", other, "verify"); code != 0 {
		t.Fatalf("verify after imports: %q %q", out, e)
	}
}

// TestCLIImportRefusals: the import file must be exactly what an export wrote.
func TestCLIImportRefusals(t *testing.T) {
	db, id := demoWorkspace(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if _, e, code := cli(t, "--db", db, "export", id, "--format", "json", "--out", good); code != 0 {
		t.Fatal(e)
	}
	data, _ := os.ReadFile(good)
	var m map[string]any
	json.Unmarshal(data, &m)
	edit := func(f func(map[string]any)) []byte {
		var c map[string]any
		json.Unmarshal(data, &c)
		f(c)
		b, _ := json.Marshal(c)
		return b
	}
	cases := map[string]struct {
		data []byte
		want string
	}{
		"missing ID":      {edit(func(c map[string]any) { delete(c["assessment"].(map[string]any), "id") }), "no ID"},
		"empty ID":        {edit(func(c map[string]any) { c["assessment"].(map[string]any)["id"] = " " }), "no ID"},
		"answered twice":  {edit(func(c map[string]any) { c["responses"] = append(c["responses"].([]any), c["responses"].([]any)[0]) }), "twice"},
		"unknown key":     {edit(func(c map[string]any) { c["approved_by"] = "me" }), "approved_by"},
		"repeated key":    {bytes.Replace(data, []byte(`"format":`), []byte(`"version": 1, "format":`), 1), "twice"},
		"invalid UTF-8":   {bytes.Replace(data, []byte("Riverbend"), []byte("River\xffbend"), 1), "UTF-8"},
		"escape in title": {edit(func(c map[string]any) { c["assessment"].(map[string]any)["title"] = "x\x1b[2Jy" }), "escape"},
	}
	before := workspaceState(t, db)
	for name, c := range cases {
		f := filepath.Join(dir, "case.json")
		os.WriteFile(f, c.data, 0o600)
		_, e, code := cli(t, "--db", db, "import", f)
		if code != 2 || !strings.Contains(e, c.want) {
			t.Errorf("%s: %d %q, want exit 2 mentioning %q", name, code, e, c.want)
		}
		oneSentence(t, e)
	}
	if after := workspaceState(t, db); after != before {
		t.Error("a refused import changed the workspace")
	}
	// A byte order mark is fine; the import is marked with its file.
	bom := filepath.Join(dir, "bom.json")
	os.WriteFile(bom, append([]byte("\xef\xbb\xbf"), data...), 0o600)
	out, e, code := cli(t, "--db", db, "import", bom)
	if code != 0 {
		t.Fatalf("import with a BOM: %d %q", code, e)
	}
	newID := strings.TrimSpace(out)
	exp := filepath.Join(dir, "again.json")
	cli(t, "--db", db, "export", newID, "--format", "json", "--out", exp)
	again, _ := os.ReadFile(exp)
	if !bytes.Contains(again, []byte(`"imported_from": "bom.json, imported `)) {
		t.Error("imported answers are not marked with their file")
	}
}

// TestCLIOutputHasNoControlCharacters: text that reached the workspace behind safeguard's
// back (an escape sequence in an asset name, a bidi override in a title) is shown
// defused in tables and CSV, and verify names the change.
func TestCLIOutputHasNoControlCharacters(t *testing.T) {
	db, id := demoWorkspace(t)
	rdb, _ := sql.Open("sqlite", "file:"+db)
	mustSQL(t, rdb, "UPDATE assessments SET title = 'Evil\x1b[2J\u202eTitle' WHERE id = ?", id)
	mustSQL(t, rdb, "UPDATE risks SET title = 'Risk\x1b]0;pwned\x07' WHERE assessment_id = ?", id)
	rdb.Close()
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "risks.csv")
	outs := []string{}
	for _, args := range [][]string{{"assessments"}, {"evidence", "list", id}, {"compare", id, id}} {
		out, e, _ := cli(t, append([]string{"--db", db}, args...)...)
		outs = append(outs, out, e)
	}
	if _, e, code := cli(t, "--db", db, "export", id, "--format", "csv", "--what", "risks", "--out", csvPath); code != 0 {
		t.Fatal(e)
	}
	b, _ := os.ReadFile(csvPath)
	outs = append(outs, string(b))
	for _, o := range outs {
		if strings.ContainsAny(o, "\x1b\x07\u202e") {
			t.Fatalf("a control or direction character reached the output: %q", o)
		}
	}
	if _, e, code := cli(t, "--db", db, "verify"); code != 1 || !strings.Contains(e, "changed outside safeguard") {
		t.Fatalf("verify: %d %q", code, e)
	}
}

// TestCLIPassphrases: new passphrases of spaces or fewer than 12 characters are refused;
// `safeguard passphrase` changes it, audited, without re-encrypting.
func TestCLIPassphrases(t *testing.T) {
	db, id := demoWorkspace(t)
	for _, bad := range []string{"            ", "eleven char"} {
		t.Setenv(passphraseEnv, bad)
		if _, e, code := cli(t, "--db", db, "encrypt"); code != 2 {
			t.Fatalf("encrypt with %q: %d %q", bad, code, e)
		}
	}
	t.Setenv(passphraseEnv, "the first passphrase")
	if _, e, code := cli(t, "--db", db, "encrypt"); code != 0 {
		t.Fatal(e)
	}
	note := filepath.Join(t.TempDir(), "n.txt")
	os.WriteFile(note, []byte("network diagram"), 0o600)
	if _, e, code := cli(t, "--db", db, "evidence", "add", id, note); code != 0 {
		t.Fatal(e)
	}
	t.Setenv(newPassphraseEnv, "short")
	if _, e, code := cli(t, "--db", db, "passphrase"); code != 2 || !strings.Contains(e, "shorter") {
		t.Fatalf("passphrase to a short one: %d %q", code, e)
	}
	t.Setenv(newPassphraseEnv, "the second passphrase")
	if out, e, code := cli(t, "--db", db, "passphrase"); code != 0 || !strings.Contains(out, "Changed") {
		t.Fatalf("passphrase: %d %q %q", code, out, e)
	}
	if _, e, code := cli(t, "--db", db, "verify"); code != 2 || !strings.Contains(e, "does not unlock") {
		t.Fatalf("verify with the old passphrase: %d %q", code, e)
	}
	t.Setenv(passphraseEnv, "the second passphrase")
	if out, e, code := cli(t, "--db", db, "verify"); code != 0 {
		t.Fatalf("verify with the new passphrase: %q %q", out, e)
	}
	// Without any passphrase, verify checks all but the encrypted content, and says so.
	t.Setenv(passphraseEnv, "")
	if out, e, code := cli(t, "--db", db, "verify"); code != 0 || !strings.Contains(out, "Not checked: the content of") {
		t.Fatalf("verify without the passphrase: %d %q %q", code, out, e)
	}
}

// TestCLIHomeUnset: without a home folder there is no default workspace: say so, ask for
// --db, and create nothing.
func TestCLIHomeUnset(t *testing.T) {
	t.Setenv("SAFEGUARD_DB", "")
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "")
	_, e, code := cli(t, "assessments")
	if code != 2 || !strings.Contains(e, "HOME is not set") || !strings.Contains(e, "--db") {
		t.Fatalf("HOME unset: %d %q", code, e)
	}
	oneSentence(t, e)
	missing := filepath.Join(t.TempDir(), "no-such-home")
	t.Setenv("HOME", missing)
	_, e, code = cli(t, "new", "--org", "Maple", "--title", "T")
	if code != 2 || !strings.Contains(e, "does not exist") {
		t.Fatalf("HOME missing: %d %q", code, e)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("the home folder was created")
	}
	// --db still works.
	if _, e, code := cli(t, "--db", filepath.Join(t.TempDir(), "ws.db"), "new", "--org", "Maple", "--title", "T"); code != 0 {
		t.Fatalf("--db without a home: %q", e)
	}
}

// TestPassphrasesLeaveTheEnvironment: the passphrase variables are gone from the process
// environment once safeguard has started, so no child process inherits them.
func TestPassphrasesLeaveTheEnvironment(t *testing.T) {
	for _, k := range []string{passphraseEnv, keyPassphraseEnv, newPassphraseEnv} {
		t.Setenv(k, "a secret passphrase")
	}
	sec := takeSecrets()
	for _, k := range []string{passphraseEnv, keyPassphraseEnv, newPassphraseEnv} {
		if _, ok := os.LookupEnv(k); ok {
			t.Errorf("%s is still in the environment", k)
		}
	}
	if string(sec.workspace) != "a secret passphrase" || string(sec.key) != "a secret passphrase" {
		t.Error("the passphrases were not kept for the run")
	}
	// run takes them first thing, before any command (or child process) runs.
	for _, k := range []string{passphraseEnv, keyPassphraseEnv, newPassphraseEnv} {
		t.Setenv(k, "a secret passphrase")
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"version"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	for _, k := range []string{passphraseEnv, keyPassphraseEnv, newPassphraseEnv} {
		if _, ok := os.LookupEnv(k); ok {
			t.Errorf("%s is still in the environment after run", k)
		}
	}
}

// TestCLIAnchorFromExports: the JSON and OSCAL exports carry the anchor verify reads.
func TestCLIAnchorFromExports(t *testing.T) {
	db, id := demoWorkspace(t)
	dir := t.TempDir()
	for _, format := range []string{"json", "oscal"} {
		f := filepath.Join(dir, format+".json")
		out, e, code := cli(t, "--db", db, "export", id, "--format", format, "--out", f)
		if code != 0 || anchorRE.FindString(out) == "" {
			t.Fatalf("export %s: %d %q %q", format, code, out, e)
		}
		out, e, code = cli(t, "--db", db, "verify", "--anchor", f)
		if code != 0 || !strings.Contains(out, "holds") {
			t.Fatalf("verify --anchor %s export: %d %q %q", format, code, out, e)
		}
	}
	// An anchor from another workspace is named as such.
	other, otherID := demoWorkspace(t)
	f := filepath.Join(dir, "other.json")
	cli(t, "--db", other, "export", otherID, "--format", "json", "--out", f)
	if _, e, code := cli(t, "--db", db, "verify", "--anchor", f); code != 1 || !strings.Contains(e, "another workspace") {
		t.Fatalf("an anchor of another workspace: %d %q", code, e)
	}
	for _, bad := range []string{"12:abc", "x:" + strings.Repeat("a", 64), filepath.Join(dir, "missing.pdf")} {
		if _, e, code := cli(t, "--db", db, "verify", "--anchor", bad); code != 2 {
			t.Errorf("--anchor %q: %d %q", bad, code, e)
		}
	}
}
