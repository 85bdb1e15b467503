package store

// The tamper suite (issue 8): random single edits made behind safeguard's back, each on a
// fresh copy of a demo workspace. Verify must report every one, and its first problem must
// name what was touched: the record (entity and ID) or the audit entry (its number).
//
//	go test ./store -run TestTamper -v                        # 120 plain + 24 encrypted (CI)
//	go test ./store -run TestTamper -tamper.cases=1000 -v     # more
//	go test ./store -run TestTamper -tamper.seed=42 -v        # replay a run

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"safeguard/assessment"
	"safeguard/assessment/assessmenttest"
)

var (
	tamperCases = flag.Int("tamper.cases", 80, "how many random tampering cases TestTamper generates")
	tamperSeed  = flag.Uint64("tamper.seed", 0, "seed for TestTamper's cases (0: random, logged)")
)

// tamperPassphrase unlocks the encrypted fixture.
const tamperPassphrase = "correct horse battery staple"

// tamperWorkspace builds the workspace every case starts from and returns its bytes (the
// store closed, so the write-ahead log is checkpointed into the file). It holds two demo
// assessments, one of them final with a sign-off, a workspace setting, evidence files and
// notes with links, and deleted records (tombstones). With encrypt, the evidence is sealed
// with tamperPassphrase.
func tamperWorkspace(t *testing.T, encrypt bool) []byte {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "base.db")
	s, err := Open(path, Options{Actor: "tamper-setup"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id, err := s.Import(ctx, assessmenttest.DemoDocument(t), ImportOptions{NewIDs: true})
	if err != nil {
		t.Fatal(err)
	}
	final := assessmenttest.DemoDocument(t)
	final.Assessment.Title = "Signed-off analysis"
	final.Assessment.Status = assessment.StatusFinal
	final.SignOff = &assessment.SignOff{Name: "Dana Whitfield", Role: "Security official", Date: "2026-03-01", Statement: "Reviewed and approved."}
	if _, err := s.Import(ctx, final, ImportOptions{NewIDs: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetEvidenceLimit(ctx, 200*MB); err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// Evidence files: one of several chunks, one small; both linked.
	big := make([]byte, 2*ChunkSize+12345)
	rand.Read(big)
	for i, content := range [][]byte{big, []byte("Firewall rule review, signed by the IT lead.\n")} {
		f := filepath.Join(dir, fmt.Sprintf("evidence-%d.bin", i))
		if err := os.WriteFile(f, content, 0o600); err != nil {
			t.Fatal(err)
		}
		links := []assessment.EvidenceLink{{AssetID: snap.Assets[i].ID}}
		if len(snap.Vendors) > i {
			links = append(links, assessment.EvidenceLink{VendorID: snap.Vendors[i].ID})
		}
		if _, err := s.AddEvidenceFile(ctx, id, f, EvidenceMeta{Description: "tamper fixture"}, links, nil); err != nil {
			t.Fatal(err)
		}
	}
	// Legitimately deleted records leave tombstones in the chain.
	r := snap.Responses[0]
	if err := s.ClearResponse(ctx, id, r.QuestionID, r.AssetID, r.Version); err != nil {
		t.Fatal(err)
	}
	if len(snap.Flows) > 0 {
		if err := s.DeleteFlow(ctx, id, snap.Flows[0].ID); err != nil {
			t.Fatal(err)
		}
	}
	// An incident, so every audited table has rows to tamper with.
	inc := assessment.Incident{Title: "Stolen laptop", Discovered: "2026-02-20", DiscoveredBy: assessment.DiscoveredByPractice,
		Type: "theft", Individuals: 40, States: []assessment.StateCount{{State: "OH", Count: 40}}}
	if _, err := s.AddIncident(ctx, id, inc, []string{snap.Assets[0].ID}, nil); err != nil {
		t.Fatal(err)
	}
	if encrypt {
		if err := s.EncryptWorkspace(ctx, []byte(tamperPassphrase), nil); err != nil {
			t.Fatal(err)
		}
	}
	if res, err := s.Verify(ctx); err != nil || !res.OK() {
		t.Fatalf("the fixture does not verify before tampering: %v %q", err, res.Problems)
	}
	s.Close()
	if _, err := os.Stat(path + "-wal"); err == nil {
		if st, _ := os.Stat(path + "-wal"); st.Size() > 0 {
			t.Fatal("the write-ahead log was not checkpointed on close; copies of the file alone would lose data")
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tableInfo is what the generator knows about one audited table of the fixture.
type tableInfo struct {
	e    entity
	cols []columnInfo
	keys []string // primary keys of its rows
}

type columnInfo struct {
	name, typ string
	notNull   bool
}

type auditInfo struct {
	seq               int64
	entity, entityID  string
	payloadIsTomb     bool
	lastOfItsRecord   bool
	previousSameState bool
}

type fixtureInfo struct {
	tables []tableInfo
	audit  []auditInfo
	blobs  []blobInfo
}

type blobInfo struct {
	id     int64
	sha    string
	chunks int
}

func inspectFixture(t *testing.T, path string) *fixtureInfo {
	t.Helper()
	db := rawDB(t, path)
	info := &fixtureInfo{}
	for _, e := range entities {
		ti := tableInfo{e: e}
		rows, err := db.Query("SELECT name, type, \"notnull\" FROM pragma_table_info(?)", e.table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c columnInfo
			rows.Scan(&c.name, &c.typ, &c.notNull)
			ti.cols = append(ti.cols, c)
		}
		rows.Close()
		rows, err = db.Query("SELECT " + e.key + " FROM " + e.table + " ORDER BY " + e.key)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			rows.Scan(&k)
			ti.keys = append(ti.keys, k)
		}
		rows.Close()
		if len(ti.cols) == 0 {
			t.Fatalf("audited table %s has no columns", e.table)
		}
		info.tables = append(info.tables, ti)
	}
	rows, err := db.Query("SELECT seq, entity, entity_id, payload FROM audit_log ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	last := map[recordKey]int{}
	payloads := map[recordKey]string{}
	for rows.Next() {
		var a auditInfo
		var payload string
		rows.Scan(&a.seq, &a.entity, &a.entityID, &payload)
		a.payloadIsTomb = payload == tombstone
		k := recordKey{a.entity, a.entityID}
		if i, ok := last[k]; ok {
			info.audit[i].lastOfItsRecord = false
			a.previousSameState = payloads[k] == payload
		}
		a.lastOfItsRecord = true
		last[k] = len(info.audit)
		payloads[k] = payload
		info.audit = append(info.audit, a)
	}
	rows.Close()
	var hasBlobs int
	db.QueryRow("SELECT count(*) FROM sqlite_master WHERE name = 'blob_chunks'").Scan(&hasBlobs)
	if hasBlobs > 0 {
		rows, err := db.Query("SELECT id, sha256, chunks FROM blobs ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b blobInfo
			rows.Scan(&b.id, &b.sha, &b.chunks)
			info.blobs = append(info.blobs, b)
		}
		rows.Close()
	}
	return info
}

// tamperCase is one edit behind safeguard's back and what Verify's first problem must
// mention (all of want; any one of wantAny if set).
type tamperCase struct {
	name    string
	sql     []string
	args    [][]any
	want    []string
	wantAny []string
	apply   func(*sql.DB) error // edits SQL cannot express
}

func (c *tamperCase) exec(q string, args ...any) {
	c.sql = append(c.sql, q)
	c.args = append(c.args, args)
}

var auditFields = []string{"at", "actor", "action", "entity", "entity_id", "assessment_id", "payload", "prev_hash", "hash", "seq"}

// generateTamperCases makes n cases: first an edit, a deletion and an insertion in every
// audited table, one change to each audit field, a deleted audit entry and a flipped byte
// in each evidence blob; then random ones.
//
// With vaultOnly (the encrypted fixture, where every open pays for the key derivation) the
// fixed part is the settings and the blobs only.
func generateTamperCases(rng *mrand.Rand, info *fixtureInfo, n int, vaultOnly bool) []tamperCase {
	var out []tamperCase
	kinds := []func(*mrand.Rand, *fixtureInfo, int) (tamperCase, bool){tamperEdit, tamperDelete, tamperInsert}
	for ti := range info.tables {
		for _, k := range kinds {
			if vaultOnly {
				break
			}
			if c, ok := k(rng, info, ti); ok {
				out = append(out, c)
			}
		}
	}
	// Every workspace setting's value (the evidence limit, the encryption parameters).
	for _, tb := range info.tables {
		if tb.e.table != "settings" {
			continue
		}
		for _, k := range tb.keys {
			for _, col := range tb.cols {
				if col.name != tb.e.key {
					out = append(out, tamperEditColumn(rng, tb, k, col))
				}
			}
		}
	}
	for i := range auditFields {
		if vaultOnly {
			break
		}
		out = append(out, tamperAuditEdit(rng, info, i))
	}
	if !vaultOnly {
		out = append(out, tamperAuditDelete(rng, info, false), tamperAuditDelete(rng, info, true), tamperAuditAppend(rng, info))
	}
	for i := range info.blobs {
		out = append(out, tamperBlob(rng, info, i, blobEdits[i%len(blobEdits)]))
	}
	for len(out) < n {
		switch k := rng.IntN(10); {
		case k < 4:
			if c, ok := tamperEdit(rng, info, rng.IntN(len(info.tables))); ok {
				out = append(out, c)
			}
		case k < 5:
			if c, ok := tamperDelete(rng, info, rng.IntN(len(info.tables))); ok {
				out = append(out, c)
			}
		case k < 6:
			if c, ok := tamperInsert(rng, info, rng.IntN(len(info.tables))); ok {
				out = append(out, c)
			}
		case k < 8:
			out = append(out, tamperAuditEdit(rng, info, rng.IntN(len(auditFields))))
		case k < 9:
			out = append(out, tamperAuditDelete(rng, info, rng.IntN(10) == 0))
		default:
			if len(info.blobs) > 0 {
				out = append(out, tamperBlob(rng, info, rng.IntN(len(info.blobs)), blobEdits[rng.IntN(len(blobEdits))]))
			} else {
				out = append(out, tamperAuditAppend(rng, info))
			}
		}
	}
	return out
}

// tamperEdit changes one value of one row: text gets a character changed or added, numbers
// move by one, NULL becomes text, a blob gets a bit flipped. The primary key is changed too
// now and then, which makes the row a stranger and its old self missing.
func tamperEdit(rng *mrand.Rand, info *fixtureInfo, ti int) (tamperCase, bool) {
	tb := info.tables[ti]
	if len(tb.keys) == 0 {
		return tamperCase{}, false
	}
	return tamperEditColumn(rng, tb, tb.keys[rng.IntN(len(tb.keys))], tb.cols[rng.IntN(len(tb.cols))]), true
}

func tamperEditColumn(rng *mrand.Rand, tb tableInfo, key string, col columnInfo) tamperCase {
	c := tamperCase{name: fmt.Sprintf("edit %s.%s of %s", tb.e.table, col.name, short(key))}
	if col.name == tb.e.key {
		nk := key + "x"
		c.exec("UPDATE "+tb.e.table+" SET "+col.name+" = ? WHERE "+tb.e.key+" = ?", nk, key)
		c.want = []string{tb.e.name}
		c.wantAny = []string{key, nk}
		return c
	}
	q := "UPDATE " + tb.e.table + " SET " + col.name + " = CASE"
	switch pos := rng.IntN(8); {
	case strings.Contains(strings.ToUpper(col.typ), "INT"):
		q += " WHEN typeof(" + col.name + ") = 'integer' THEN " + col.name + fmt.Sprintf(" + %d", 1+rng.IntN(3))
	default:
		// Change one character of the text (or append one to empty text).
		q += fmt.Sprintf(" WHEN typeof(%[1]s) = 'text' AND length(%[1]s) > %[2]d THEN substr(%[1]s, 1, %[2]d) || "+
			"CASE WHEN substr(%[1]s, %[2]d + 1, 1) = 'Z' THEN 'Y' ELSE 'Z' END || substr(%[1]s, %[2]d + 2)", col.name, pos)
		q += fmt.Sprintf(" WHEN typeof(%[1]s) = 'text' THEN %[1]s || 'Z'", col.name)
	}
	q += fmt.Sprintf(" WHEN typeof(%[1]s) = 'null' THEN 'tampered' WHEN typeof(%[1]s) = 'blob' THEN zeroblob(length(%[1]s) + 1)"+
		" WHEN typeof(%[1]s) = 'real' THEN %[1]s + 0.5 ELSE 'tampered' END WHERE ", col.name) + tb.e.key + " = ?"
	c.exec(q, key)
	c.want = []string{tb.e.name + " " + key}
	return c
}

// tamperDelete removes one row (foreign keys are off on a raw connection, as for anyone
// editing the file with the sqlite3 shell).
func tamperDelete(rng *mrand.Rand, info *fixtureInfo, ti int) (tamperCase, bool) {
	tb := info.tables[ti]
	if len(tb.keys) == 0 {
		return tamperCase{}, false
	}
	key := tb.keys[rng.IntN(len(tb.keys))]
	c := tamperCase{name: fmt.Sprintf("delete %s row %s", tb.e.table, short(key))}
	c.exec("DELETE FROM "+tb.e.table+" WHERE "+tb.e.key+" = ?", key)
	c.want = []string{tb.e.name + " " + key}
	return c, true
}

// tamperInsert adds a row with no audit entry: a copy of an existing row under a new key,
// or, in an empty table, a row of plausible values.
func tamperInsert(rng *mrand.Rand, info *fixtureInfo, ti int) (tamperCase, bool) {
	tb := info.tables[ti]
	nk := uuid.NewString()
	c := tamperCase{name: fmt.Sprintf("insert into %s", tb.e.table)}
	var names, vals []string
	for _, col := range tb.cols {
		names = append(names, col.name)
		switch {
		case col.name == tb.e.key:
			vals = append(vals, "?")
		case len(tb.keys) > 0:
			vals = append(vals, col.name)
		case strings.Contains(strings.ToUpper(col.typ), "INT"):
			vals = append(vals, "1")
		case strings.Contains(strings.ToUpper(col.typ), "BLOB"):
			vals = append(vals, "x'00'")
		default:
			vals = append(vals, "'inserted'")
		}
	}
	q := "INSERT INTO " + tb.e.table + " (" + strings.Join(names, ", ") + ") SELECT " + strings.Join(vals, ", ")
	if len(tb.keys) > 0 {
		q += " FROM " + tb.e.table + " WHERE " + tb.e.key + " = ?"
		c.exec(q, nk, tb.keys[rng.IntN(len(tb.keys))])
	} else {
		c.exec(q, nk)
	}
	c.want = []string{tb.e.name + " " + nk}
	return c, true
}

func dropTriggers(c *tamperCase) {
	c.exec("DROP TRIGGER IF EXISTS audit_log_no_update")
	c.exec("DROP TRIGGER IF EXISTS audit_log_no_delete")
}

// tamperAuditEdit changes one field of one audit entry, with the append-only triggers
// dropped first.
func tamperAuditEdit(rng *mrand.Rand, info *fixtureInfo, field int) tamperCase {
	a := info.audit[rng.IntN(len(info.audit))]
	f := auditFields[field]
	c := tamperCase{name: fmt.Sprintf("audit entry %d: change %s", a.seq, f)}
	dropTriggers(&c)
	switch f {
	case "seq":
		c.exec("UPDATE audit_log SET seq = seq + 1000000 WHERE seq = ?", a.seq)
	case "payload":
		// Keep it JSON: change one character inside the state.
		c.exec(`UPDATE audit_log SET payload = CASE WHEN payload = ? THEN '{"state":{}}'
			ELSE substr(payload, 1, length(payload) - 3) || CASE WHEN substr(payload, -3, 1) = '0' THEN '1' ELSE '0' END || substr(payload, -2) END
			WHERE seq = ?`, tombstone, a.seq)
	case "prev_hash", "hash":
		c.exec("UPDATE audit_log SET "+f+" = ? WHERE seq = ?", randomHex(), a.seq)
	case "at":
		c.exec("UPDATE audit_log SET at = ? WHERE seq = ?", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339Nano), a.seq)
	default:
		c.exec("UPDATE audit_log SET "+f+" = "+f+" || 'x' WHERE seq = ?", a.seq)
	}
	c.want = []string{fmt.Sprintf("audit entry %d ", a.seq)}
	return c
}

// tamperAuditDelete removes an entry: one in the middle of the chain, or the last one
// (the chain stays consistent, so the record it described must be found instead).
func tamperAuditDelete(rng *mrand.Rand, info *fixtureInfo, last bool) tamperCase {
	i := rng.IntN(len(info.audit) - 1)
	if last {
		i = len(info.audit) - 1
	}
	a := info.audit[i]
	c := tamperCase{name: fmt.Sprintf("delete audit entry %d", a.seq)}
	dropTriggers(&c)
	c.exec("DELETE FROM audit_log WHERE seq = ?", a.seq)
	if last {
		c.want = []string{a.entity + " " + a.entityID}
	} else {
		c.want = []string{fmt.Sprintf("audit entry %d ", a.seq)}
	}
	return c
}

// tamperAuditAppend adds a forged entry at the end of the chain (no trigger stops an
// INSERT; its hash cannot be right without recomputing it).
func tamperAuditAppend(rng *mrand.Rand, info *fixtureInfo) tamperCase {
	last := info.audit[len(info.audit)-1]
	a := info.audit[rng.IntN(len(info.audit))]
	c := tamperCase{name: fmt.Sprintf("append a forged audit entry %d", last.seq+1)}
	c.exec(`INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, assessment_id, payload, prev_hash, hash)
		SELECT seq + 1, at, 'mallory', 'update', ?, ?, assessment_id, payload, hash, ? FROM audit_log WHERE seq = ?`,
		a.entity, a.entityID, randomHex(), last.seq)
	c.want = []string{fmt.Sprintf("audit entry %d ", last.seq+1)}
	return c
}

// blobEdits are the ways content in the vault is altered: a flipped bit, a chunk dropped,
// a chunk cut short, two chunks swapped, the recorded size changed.
var blobEdits = []string{"flip", "drop", "truncate", "swap", "size"}

// tamperBlob alters one evidence blob.
func tamperBlob(rng *mrand.Rand, info *fixtureInfo, bi int, how string) tamperCase {
	b := info.blobs[bi]
	chunk := rng.IntN(max(b.chunks, 1))
	if how == "swap" && b.chunks < 2 {
		how = "flip"
	}
	c := tamperCase{wantAny: []string{b.sha, b.sha[:12]}}
	switch how {
	case "flip":
		frac, bit := rng.Float64(), byte(1)<<rng.IntN(8)
		c.name = fmt.Sprintf("flip a bit in chunk %d of blob %s", chunk, short(b.sha))
		c.apply = func(db *sql.DB) error {
			var data []byte
			if err := db.QueryRow("SELECT data FROM blob_chunks WHERE blob_id = ? AND seq = ?", b.id, chunk).Scan(&data); err != nil {
				return err
			}
			data[int(frac*float64(len(data)))] ^= bit
			_, err := db.Exec("UPDATE blob_chunks SET data = ? WHERE blob_id = ? AND seq = ?", data, b.id, chunk)
			return err
		}
	case "drop":
		c.name = fmt.Sprintf("delete chunk %d of blob %s", chunk, short(b.sha))
		c.exec("DELETE FROM blob_chunks WHERE blob_id = ? AND seq = ?", b.id, chunk)
	case "truncate":
		c.name = fmt.Sprintf("cut the last byte of chunk %d of blob %s", chunk, short(b.sha))
		c.exec("UPDATE blob_chunks SET data = substr(data, 1, length(data) - 1) WHERE blob_id = ? AND seq = ?", b.id, chunk)
	case "swap":
		c.name = fmt.Sprintf("swap chunks 0 and 1 of blob %s", short(b.sha))
		c.exec("UPDATE blob_chunks SET seq = -1 WHERE blob_id = ? AND seq = 0", b.id)
		c.exec("UPDATE blob_chunks SET seq = 0 WHERE blob_id = ? AND seq = 1", b.id)
		c.exec("UPDATE blob_chunks SET seq = 1 WHERE blob_id = ? AND seq = -1", b.id)
	case "size":
		c.name = fmt.Sprintf("change the size of blob %s", short(b.sha))
		c.exec("UPDATE blobs SET size = size + 1 WHERE id = ?", b.id)
	}
	return c
}

func randomHex() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func TestTamper(t *testing.T) {
	t.Parallel()
	seed := *tamperSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Run("plain", func(t *testing.T) { runTamper(t, seed, false, *tamperCases) })
	// The encrypted workspace: its settings and sealed blobs, then random edits of any kind;
	// sealed chunks must be as tamper-evident as plain ones.
	t.Run("encrypted", func(t *testing.T) { runTamper(t, seed+1, true, max(*tamperCases/5, 24)) })
}

func runTamper(t *testing.T, seed uint64, encrypt bool, n int) {
	base := tamperWorkspace(t, encrypt)
	dir := t.TempDir()
	basePath := filepath.Join(dir, "inspect.db")
	if err := os.WriteFile(basePath, base, 0o600); err != nil {
		t.Fatal(err)
	}
	info := inspectFixture(t, basePath)
	rng := mrand.New(mrand.NewPCG(seed, seed^0x7a3e))
	cases := generateTamperCases(rng, info, n, encrypt)
	t.Logf("%d cases from -tamper.seed=%d over %d audited tables, %d audit entries, %d blobs", len(cases), seed, len(info.tables), len(info.audit), len(info.blobs))
	for _, tb := range info.tables {
		if len(tb.keys) == 0 {
			t.Logf("table %s has no rows in the fixture: only insertion is tried there", tb.e.table)
		}
	}
	opt := Options{Actor: "verifier"}
	if encrypt {
		opt.Passphrase = func() ([]byte, error) { return []byte(tamperPassphrase), nil }
	}
	// The untouched copy verifies: every failure below is the tampering's doing.
	if res := verifyCopy(t, base, filepath.Join(dir, "control.db"), nil, opt); !res.OK() {
		t.Fatalf("the untouched copy does not verify: %q", res.Problems)
	}
	caught := 0
	for i, c := range cases {
		t.Run(fmt.Sprintf("%03d %s", i, c.name), func(t *testing.T) {
			res := verifyCopy(t, base, filepath.Join(dir, fmt.Sprintf("case-%03d.db", i)), &c, opt)
			if res.OK() {
				t.Fatalf("verify reported nothing (seed %d)", seed)
			}
			first := res.Problems[0]
			ok := true
			for _, w := range c.want {
				ok = ok && strings.Contains(first, w)
			}
			if len(c.wantAny) > 0 {
				any := false
				for _, w := range c.wantAny {
					any = any || strings.Contains(first, w)
				}
				ok = ok && any
			}
			if !ok {
				t.Fatalf("the first problem %q does not name %q %q (seed %d)", first, c.want, c.wantAny, seed)
			}
			caught++
		})
	}
	t.Logf("verify caught and named %d of %d tamperings", caught, len(cases))
}

// verifyCopy writes the fixture to path, applies the case's SQL on a raw connection (as
// the sqlite3 shell would), and runs Verify through a normally opened store.
func verifyCopy(t *testing.T, base []byte, path string, c *tamperCase, opt Options) VerifyResult {
	t.Helper()
	if err := os.WriteFile(path, base, 0o600); err != nil {
		t.Fatal(err)
	}
	defer removeWorkspaceFiles(path)
	if c != nil {
		db, err := sql.Open("sqlite", "file:"+path+"?_busy_timeout=5000")
		if err != nil {
			t.Fatal(err)
		}
		// One connection, and CHECK constraints off on it, as a tamperer may do with the
		// sqlite3 shell (foreign keys are off by default).
		db.SetMaxOpenConns(1)
		if _, err := db.Exec("PRAGMA ignore_check_constraints = ON"); err != nil {
			t.Fatal(err)
		}
		for i, q := range c.sql {
			res, err := db.Exec(q, c.args[i]...)
			if err != nil {
				db.Close()
				t.Fatalf("tampering failed: %s: %v", q, err)
			}
			if n, _ := res.RowsAffected(); n == 0 && !strings.HasPrefix(q, "DROP") {
				db.Close()
				t.Fatalf("tampering changed nothing: %s %v", q, c.args[i])
			}
		}
		if c.apply != nil {
			if err := c.apply(db); err != nil {
				db.Close()
				t.Fatalf("tampering failed: %v", err)
			}
		}
		db.Close()
	}
	s, err := Open(path, opt)
	if err != nil {
		t.Fatalf("the tampered workspace does not open: %v", err)
	}
	defer s.Close()
	res, err := s.Verify(context.Background())
	if err != nil {
		t.Fatalf("verify failed to run: %v", err)
	}
	return res
}
