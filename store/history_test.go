package store

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"safeguard/assessment"
	"safeguard/store/signing"
)

// copyWorkspace copies the workspace file and its -wal (as they are on disk now) to dir.
func copyWorkspace(t *testing.T, path, dir string) string {
	t.Helper()
	to := filepath.Join(dir, filepath.Base(path))
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil {
			continue
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// answerSome saves n answers (marked with tag) on an organization-wide question each.
func answerSome(t *testing.T, s *Store, id string, n int, tag string) {
	t.Helper()
	snap, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	done := 0
	for _, it := range snap.Items() {
		if it.Asset != nil {
			continue
		}
		r := assessment.Response{QuestionID: it.Question.ID, Status: assessment.Implemented, Note: fmt.Sprintf("%s %d", tag, done), Version: AnyVersion}
		if _, err := s.SaveResponse(ctx, id, r); err != nil {
			t.Fatal(err)
		}
		if done++; done == n {
			return
		}
	}
	t.Fatalf("only %d organization items to answer", done)
}

// TestLastSeenRecordCatchesARollback: a workspace replaced by an older copy of itself
// (or one that lost committed entries) opens with a warning naming how many entries are
// missing, and verify fails; a chain that grew on elsewhere is fine.
func TestLastSeenRecordCatchesARollback(t *testing.T) {
	state := t.TempDir()
	path := filepath.Join(t.TempDir(), "ws.db")
	s, err := Open(path, Options{Actor: "alice", StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	id := newAssessment(t, s)
	answerSome(t, s, id, 3, "first")
	s.Close()
	old := copyWorkspace(t, path, t.TempDir())

	s, err = Open(path, Options{Actor: "alice", StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	if s.History() != nil {
		t.Fatalf("a workspace that only grew warns: %v", s.History())
	}
	answerSome(t, s, id, 5, "second") // 5 more entries (the first 3 items are answered again)
	s.Close()

	// The old copy put back in place.
	for _, suffix := range []string{"", "-wal"} {
		os.Remove(path + suffix)
		if b, err := os.ReadFile(old + suffix); err == nil {
			os.WriteFile(path+suffix, b, 0o600)
		}
	}
	s, err = Open(path, Options{Actor: "alice", StateDir: state, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	w := s.History()
	if w == nil || w.Missing != 5 || !strings.Contains(w.Error(), "5 committed entries are missing") {
		t.Fatalf("rollback: warning %v", w)
	}
	res, err := s.Verify(ctx)
	if err != nil || res.OK() || !strings.Contains(strings.Join(res.Problems, " "), "missing") {
		t.Fatalf("verify of a rolled-back workspace: %+v %v", res, err)
	}
	// Accepting it (a backup restored on purpose) records the current chain.
	if err := s.AcceptHistory(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path, Options{StateDir: state, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.History() != nil {
		t.Fatalf("still warns after accepting: %v", s.History())
	}
}

// TestWALDamageIsADetectedLoss: one flipped byte in the write-ahead log makes SQLite drop
// the committed transactions from that frame on, silently: the chain that is left is
// shorter and valid. The last-seen record, written after each commit, turns that into a
// warning, and verify fails.
func TestWALDamageIsADetectedLoss(t *testing.T) {
	state := t.TempDir()
	path := filepath.Join(t.TempDir(), "ws.db")
	s, err := Open(path, Options{Actor: "alice", StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id := newAssessment(t, s)
	s.checkpoint(ctx) // the assessment is in the file; the answers below stay in the log
	answerSome(t, s, id, 6, "in the log")
	head, _ := s.Head(ctx)
	// The files as a power cut would leave them: committed answers only in the log.
	crashed := copyWorkspace(t, path, t.TempDir())
	wal, err := os.ReadFile(crashed + "-wal")
	if err != nil || len(wal) < 32 {
		t.Fatalf("no log to damage: %v", err)
	}
	pageSize := int64(binary.BigEndian.Uint32(wal[8:12]))
	frames := (int64(len(wal)) - 32) / (24 + pageSize)
	if frames < 4 {
		t.Fatalf("the log has %d frames", frames)
	}
	// Flip one byte in the page of a frame half-way through the log.
	off := 32 + (frames/2)*(24+pageSize) + 24 + pageSize/2
	wal[off] ^= 0x40
	os.WriteFile(crashed+"-wal", wal, 0o600)

	// Without a record of what was seen, the loss is silent: the shorter chain verifies.
	blind, err := Open(crashed, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := blind.Verify(ctx)
	blind.Close()
	if err != nil || !res.OK() || res.Anchor.Seq >= head.Seq {
		t.Fatalf("expected a silently shorter chain (%d < %d entries) that verifies: %+v %v", res.Anchor.Seq, head.Seq, res, err)
	}
	lost := head.Seq - res.Anchor.Seq

	// With this computer's record, it is a detected loss.
	seen, err := Open(crashed, Options{ReadOnly: true, StateDir: state})
	if err != nil {
		t.Fatal(err)
	}
	defer seen.Close()
	w := seen.History()
	if w == nil || w.Missing != lost {
		t.Fatalf("the lost commits were not reported: %v (want %d missing)", w, lost)
	}
	if res, _ := seen.Verify(ctx); res.OK() {
		t.Fatal("verify passed a workspace that lost committed entries")
	}
}

// rewriteHistory is what someone with the file and a text editor can do: change the
// payload of audit entry seq (and the record it describes, through sql), then recompute
// the hash of that entry and of every later one, including the heads the seals record.
func rewriteHistory(t *testing.T, path string, seq int64, change func(db *sql.DB)) {
	t.Helper()
	db := rawDB(t, path)
	mustExec(t, db, "DROP TRIGGER audit_log_no_update")
	change(db)
	rows, err := db.Query(`SELECT seq, at, actor, action, entity, entity_id, assessment_id, payload, prev_hash, hash FROM audit_log WHERE seq >= ? - 1 ORDER BY seq`, seq)
	if err != nil {
		t.Fatal(err)
	}
	var entries []AuditEntry
	for rows.Next() {
		var e AuditEntry
		rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.AssessmentID, &e.Payload, &e.PrevHash, &e.Hash)
		entries = append(entries, e)
	}
	rows.Close()
	newHash := map[int64]string{}
	prev := entries[0].Hash
	if entries[0].Seq == seq {
		prev = genesisHash
	}
	for _, e := range entries {
		if e.Seq < seq {
			continue
		}
		if e.Entity == "seal" {
			// Keep the seal consistent with the rewritten chain, as a careful forger would.
			var sealSeq int64
			db.QueryRow("SELECT chain_seq FROM seals WHERE id = ?", e.EntityID).Scan(&sealSeq)
			if h, ok := newHash[sealSeq]; ok {
				mustExec(t, db, "UPDATE seals SET chain_head = ? WHERE id = ?", h, e.EntityID)
				state, _ := rowState(ctx, db, entity{name: "seal", table: "seals", key: "id"}, e.EntityID)
				e.Payload, _ = canonicalPayload(state)
			}
		}
		e.PrevHash = prev
		e.Hash = e.computeHash()
		newHash[e.Seq] = e.Hash
		mustExec(t, db, "UPDATE audit_log SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?", e.Payload, e.PrevHash, e.Hash, e.Seq)
		prev = e.Hash
	}
	db.Exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END`)
	db.Close()
}

// TestHistoryRewrite: someone with the file changes an answer of a signed-off assessment,
// rewrites its audit entry and recomputes every later hash (the seals' heads too). A plain
// verify passes: that is what a hash chain alone cannot catch, as the README says. The
// anchor printed on an earlier report fails, naming the entry; the signature of the
// sign-off's seal fails; the last-seen record warns.
func TestHistoryRewrite(t *testing.T) {
	for _, signed := range []bool{false, true} {
		t.Run(fmt.Sprintf("signed=%v", signed), func(t *testing.T) {
			state := t.TempDir()
			path := filepath.Join(t.TempDir(), "ws.db")
			s, err := Open(path, Options{Actor: "alice", StateDir: state})
			if err != nil {
				t.Fatal(err)
			}
			if signed {
				f, err := signing.Create(filepath.Join(t.TempDir(), "key.json"), []byte("signing key passphrase"), time.Now())
				if err != nil {
					t.Fatal(err)
				}
				key, err := f.Unlock([]byte("signing key passphrase"))
				if err != nil {
					t.Fatal(err)
				}
				s.SetSigner(func() (*signing.Key, error) { return key, nil })
			}
			id, err := s.Import(ctx, assessment.Demo(catalog(t), time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), ImportOptions{NewIDs: true})
			if err != nil {
				t.Fatal(err)
			}
			snap, err := s.Snapshot(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			target := snap.Responses[0]
			var seq int64
			s.db.QueryRow("SELECT max(seq) FROM audit_log WHERE entity = 'response' AND entity_id = ?", itemID(id, target.QuestionID, target.AssetID)).Scan(&seq)
			// A report's anchor, as its cover prints it.
			if _, err := s.ReportSeal(ctx, snap); err != nil {
				t.Fatal(err)
			}
			anchor := Anchor{Seq: snap.Audit.Seal.Seq, Hash: snap.Audit.Seal.Head}
			if _, err := s.RecordReport(ctx, id, snap.Audit.Seal, strings.Repeat("ab", 32), "report.pdf", s.mustKey(t)); err != nil {
				t.Fatal(err)
			}
			s.Close()

			rewriteHistory(t, path, seq, func(db *sql.DB) {
				mustExec(t, db, "UPDATE responses SET note = 'rewritten' WHERE id = ?", itemID(id, target.QuestionID, target.AssetID))
				state, _ := rowState(ctx, db, entity{name: "response", table: "responses", key: "id"}, itemID(id, target.QuestionID, target.AssetID))
				p, _ := canonicalPayload(state)
				mustExec(t, db, "UPDATE audit_log SET payload = ? WHERE seq = ?", p, seq)
			})

			// On another computer (no record), a plain verify passes unsigned seals.
			other, err := Open(path, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			res, err := other.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if signed {
				if res.OK() || !strings.Contains(strings.Join(res.Problems, " "), "does not verify") {
					t.Fatalf("verify passed rewritten seals signed by the key: %q", res.Problems)
				}
			} else if !res.OK() {
				t.Fatalf("a careful rewrite fails plain verify (the README says it passes): %q", res.Problems)
			}
			// The anchor from before fails, naming the entry.
			ar, err := other.CheckAnchor(ctx, anchor)
			if err != nil {
				t.Fatal(err)
			}
			if ar.Found || !strings.Contains(ar.Problem(), fmt.Sprintf("audit entry %d", anchor.Seq)) {
				t.Fatalf("the earlier anchor still holds: %+v %q", ar, ar.Problem())
			}
			// This computer's record warns.
			mine, err := Open(path, Options{ReadOnly: true, StateDir: state})
			if err != nil {
				t.Fatal(err)
			}
			defer mine.Close()
			w := mine.History()
			if w == nil || w.Missing != 0 || w.DiffersBy < seq || w.MatchesUpTo >= seq {
				t.Fatalf("the record does not place the rewrite (entry %d): %+v", seq, w)
			}
			if !strings.Contains(w.Error(), "rewritten") {
				t.Errorf("warning: %q", w.Error())
			}
		})
	}
}

// mustKey is the signing key set with SetSigner, or nil.
func (s *Store) mustKey(t *testing.T) *signing.Key {
	t.Helper()
	k, err := s.signingKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestSignOffSealsItsOwnEntries: finalising seals the head that includes the sign-off's
// own entries, so a report right after says nothing changed; report records added later
// do not count as changes, and the report says which kinds were added.
func TestSignOffSealsItsOwnEntries(t *testing.T) {
	s, id, _, _ := setup(t)
	makeReady(t, s, id)
	so := assessment.SignOff{Name: "Dana Reyes", Role: "Security official", Date: time.Now().Format(time.DateOnly), Statement: goodStatement}
	if err := s.Finalise(ctx, id, so, time.Now()); err != nil {
		t.Fatal(err)
	}
	after, err := s.Snapshot(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	got := after.SignOff
	if got == nil || got.Seal == nil {
		t.Fatalf("no sign-off seal: %+v", got)
	}
	var finalEntry int64
	s.db.QueryRow("SELECT max(seq) FROM audit_log WHERE entity = 'assessment' AND entity_id = ?", id).Scan(&finalEntry)
	if got.Seal.Seq != finalEntry || got.ChainHead != got.Seal.Head {
		t.Fatalf("the seal names entry %d, the assessment became final in entry %d", got.Seal.Seq, finalEntry)
	}
	if len(after.Audit.SinceSignOff) != 0 || after.Audit.ChangesSinceSignOff != 0 {
		t.Fatalf("right after sign-off: %+v", after.Audit)
	}
	// Reports written since are recorded but change nothing.
	for i := 0; i < 2; i++ {
		if _, err := s.RecordReport(ctx, id, after.Audit.Seal, fmt.Sprintf("%064x", i), "r.pdf", nil); err != nil {
			t.Fatal(err)
		}
	}
	same, _ := s.Snapshot(ctx, id)
	if same.Audit.ChangesSinceSignOff != 0 || same.Audit.Seal != after.Audit.Seal {
		t.Fatalf("report records counted as changes: %+v", same.Audit)
	}
	newAssessment(t, s) // work on another assessment changes the workspace
	again, _ := s.Snapshot(ctx, id)
	if again.Audit.ChangesSinceSignOff == 0 || len(again.Audit.SinceSignOff) < 2 {
		t.Fatalf("after other work: %+v", again.Audit)
	}
	kinds := fmt.Sprint(again.Audit.SinceSignOff)
	if !strings.Contains(kinds, "report or sign-off record") || !strings.Contains(kinds, "assessment") {
		t.Errorf("kinds added: %s", kinds)
	}
	verifyOK(t, s)
}

// TestImportTrustsOnlySignedSignOffs: a file that claims a final, signed-off assessment
// arrives as a draft unless the export's signature verifies; answers keep who made them
// and when, marked with the file and the day.
func TestImportTrustsOnlySignedSignOffs(t *testing.T) {
	src, _ := openTemp(t)
	final := assessment.Demo(catalog(t), time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	final.Assessment.Status = assessment.StatusFinal
	final.SignOff = &assessment.SignOff{Name: "Dana Whitfield", Role: "Security official", Date: "2026-03-01", Statement: "Approved."}
	id, err := src.Import(ctx, final, ImportOptions{NewIDs: true}) // made here: trusted
	if err != nil {
		t.Fatal(err)
	}
	doc, err := src.Export(ctx, id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if doc.Integrity == nil || doc.Integrity.SHA256 == "" || doc.Integrity.Seq == 0 {
		t.Fatalf("the export is not anchored: %+v", doc.Integrity)
	}
	dst, _ := openTemp(t)
	// Unsigned: a draft, sign-off dropped, and the reason given.
	res, err := dst.ImportDocument(ctx, doc, ImportOptions{Source: "riverbend.json"})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ := dst.Snapshot(ctx, res.ID)
	if res.Final || snap.Assessment.Status != assessment.StatusDraft || snap.SignOff != nil || !strings.Contains(res.Why, "no export signature") {
		t.Fatalf("unsigned final import: %+v status %s sign-off %v", res, snap.Assessment.Status, snap.SignOff)
	}
	r := snap.Responses[0]
	if !strings.HasPrefix(r.ImportedFrom, "riverbend.json, imported ") || r.By == "" || r.By == dst.Actor() {
		t.Errorf("attribution not kept and marked: by %q, imported from %q", r.By, r.ImportedFrom)
	}
	// Signed: kept final, with the sign-off and its source seal.
	f, _ := signing.Create(filepath.Join(t.TempDir(), "k.json"), []byte("signing key passphrase"), time.Now())
	key, _ := f.Unlock([]byte("signing key passphrase"))
	if err := SignDocument(doc, key); err != nil {
		t.Fatal(err)
	}
	res, err = dst.ImportDocument(ctx, doc, ImportOptions{Source: "riverbend.json"})
	if err != nil {
		t.Fatal(err)
	}
	snap, _ = dst.Snapshot(ctx, res.ID)
	if !res.Final || snap.Assessment.Status != assessment.StatusFinal || snap.SignOff == nil || !strings.Contains(res.Why, key.Fingerprint()) {
		t.Fatalf("signed final import: %+v status %s", res, snap.Assessment.Status)
	}
	// Edited after signing: a draft again.
	doc.Responses[0].Note = "edited after export"
	res, err = dst.ImportDocument(ctx, doc, ImportOptions{Source: "riverbend.json"})
	if err != nil || res.Final || !strings.Contains(res.Why, "changed after it was exported") {
		t.Fatalf("edited signed import: %+v %v", res, err)
	}
	mustVerify(t, dst)
}

// TestOpenStoreSeesAHeadRecordedMeanwhile: a process that keeps the workspace open (the
// TUI) checks the last-seen record again when it verifies for a report. Another copy of
// the same workspace, opened and changed meanwhile, moved the recorded head; the open
// process's chain does not hold that head, so its report verification fails as the CLI
// would; a second process on the same file, whose head the chain holds, is no problem.
func TestOpenStoreSeesAHeadRecordedMeanwhile(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	path := filepath.Join(t.TempDir(), "ws.db")
	open := func(p, actor string) *Store {
		s, err := Open(p, Options{Actor: actor, StateDir: state})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open(path, "alice")
	defer s.Close()
	id := newAssessment(t, s)
	answerSome(t, s, id, 2, "first")

	// A second process on the same file: its head is in this chain.
	other := open(path, "bob")
	answerSome(t, other, id, 2, "bob")
	other.Close()
	if res, err := s.VerifyAssessment(ctx, id, nil); err != nil || !res.OK() {
		t.Fatalf("another process on the same workspace made the open one fail: %v %q", err, res.Problems)
	}

	// A copy of the same workspace, changed elsewhere: its head is not in this chain.
	cp := copyWorkspace(t, path, t.TempDir())
	c := open(cp, "carol")
	answerSome(t, c, id, 3, "copy")
	c.Close()
	res, err := s.VerifyAssessment(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK() || s.History() == nil || !strings.Contains(strings.Join(res.Problems, " "), "this computer saw") {
		t.Fatalf("the open workspace's verification did not see the head recorded meanwhile: %q", res.Problems)
	}
	// While the warning stands, this process's commits do not move the record forward: the
	// copy's head stays the one recorded.
	recorded, _, _ := readHeads(s.seen.heads)
	answerSome(t, s, id, 1, "after the warning")
	if now, _, _ := readHeads(s.seen.heads); now != recorded || recorded.IsZero() {
		t.Fatalf("a commit after the warning moved the recorded head from %v to %v", recorded, now)
	}
}
