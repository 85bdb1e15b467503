package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"safeguard/assessment"
	"safeguard/store/signing"
)

// Seals (see migrations/0004_integrity.sql). A sign-off seals the chain head that
// includes the sign-off's own entries; a report records the head it states and the
// SHA-256 of the file written. Each is a row of the audited table "seals", so the seal
// itself is the entry after the head it names. With a signing key (SetSigner) every seal
// is signed.

// Seal kinds.
const (
	SealSignOff = "signoff"
	SealReport  = "report"
)

// SealRecord is one row of the seals table.
type SealRecord struct {
	ID           string
	AssessmentID string
	Kind         string
	Seal         assessment.Seal // workspace, head, and signature when signed
	FileName     string          // reports: the file's name as written
	At           time.Time
}

// SetSigner sets where seals get their signing key: fn is called once per seal, before
// its transaction starts; it may ask for the key's passphrase. nil (the default) makes
// unsigned seals. fn returning (nil, nil) also means unsigned.
func (s *Store) SetSigner(fn func() (*signing.Key, error)) {
	s.mu.Lock()
	s.signer = fn
	s.mu.Unlock()
}

// signingKey unlocks the signing key, if there is one, before a seal's transaction.
func (s *Store) signingKey() (*signing.Key, error) {
	s.mu.Lock()
	fn := s.signer
	s.mu.Unlock()
	if fn == nil {
		return nil, nil
	}
	return fn()
}

// sign fills the signature of seal over its message (sha "" for a sign-off) with key.
func sign(key *signing.Key, seal *assessment.Seal, sha string) {
	if key == nil {
		return
	}
	sig := key.Sign(signing.SealMessage(seal.Workspace, seal.Seq, seal.Head, sha))
	seal.KeyFingerprint, seal.PublicKey, seal.Signature = sig.Fingerprint, sig.PublicKey, sig.Value
}

// sealSignature is the signature of a seal in the form signing verifies.
func sealSignature(seal assessment.Seal) signing.Signature {
	return signing.Signature{PublicKey: seal.PublicKey, Fingerprint: seal.KeyFingerprint, Value: seal.Signature}
}

// writeSeal stores a seal (audited).
func (t *Tx) writeSeal(r SealRecord) error {
	_, err := t.exec(`INSERT INTO seals (id, assessment_id, kind, workspace, chain_seq, chain_head, sha256, file_name,
		key_fingerprint, public_key, signature, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.AssessmentID, r.Kind, r.Seal.Workspace, r.Seal.Seq, r.Seal.Head, r.Seal.SHA256, r.FileName,
		r.Seal.KeyFingerprint, r.Seal.PublicKey, r.Seal.Signature, t.at)
	if err != nil {
		return err
	}
	return t.record(ActionCreate, "seal", r.ID, r.AssessmentID)
}

// sealHead seals the chain as this transaction has left it (its own entries included).
func (t *Tx) sealHead(assessmentID, kind string, key *signing.Key) (assessment.Seal, error) {
	head := t.head
	if head.IsZero() {
		a, err := t.s.head(t.ctx, t.tx)
		if err != nil {
			return assessment.Seal{}, err
		}
		head = a
	}
	id, err := t.workspaceID()
	if err != nil {
		return assessment.Seal{}, err
	}
	seal := assessment.Seal{Workspace: id, Seq: head.Seq, Head: head.Hash}
	sign(key, &seal, "")
	return seal, t.writeSeal(SealRecord{ID: uuid.NewString(), AssessmentID: assessmentID, Kind: kind, Seal: seal})
}

// workspaceID is the identity, made by ensureIdentity at the start of every transaction.
func (t *Tx) workspaceID() (string, error) {
	if t.newIdentity != "" {
		return t.newIdentity, nil
	}
	return t.s.Identity(t.ctx)
}

// SignSeal signs a seal over the workspace identity and the chain head it names (a
// report's, before the report is rendered); nil key leaves it unsigned.
func SignSeal(seal *assessment.Seal, key *signing.Key) {
	seal.KeyFingerprint, seal.PublicKey, seal.Signature = "", "", ""
	sign(key, seal, "")
}

// ReportSeal is the seal a report about to be written states: the workspace identity
// and the chain head of snap (its Audit summary), signed over both when there is a key.
// The key is returned so RecordReport can sign the file without asking again.
func (s *Store) ReportSeal(ctx context.Context, snap *assessment.Snapshot) (*signing.Key, error) {
	key, err := s.signingKey()
	if err != nil {
		return nil, err
	}
	seal := snap.Audit.Seal
	sign(key, &seal, "")
	snap.Audit.Seal = seal
	return key, nil
}

// RecordReport records in the audit trail that a report with the given SHA-256 was written
// from the chain head seal names (the one it prints), and returns the seal over the file
// — signed with key when not nil — for the detached signature beside it.
func (s *Store) RecordReport(ctx context.Context, assessmentID string, seal assessment.Seal, sha, fileName string, key *signing.Key) (assessment.Seal, error) {
	rec := SealRecord{ID: uuid.NewString(), AssessmentID: assessmentID, Kind: SealReport, FileName: fileName}
	rec.Seal = assessment.Seal{Workspace: seal.Workspace, Seq: seal.Seq, Head: seal.Head, SHA256: sha}
	sign(key, &rec.Seal, sha)
	err := s.mutate(ctx, func(t *Tx) error { return t.writeSeal(rec) })
	return rec.Seal, err
}

// Seals lists the seals of the workspace, oldest first; kind "" lists all.
func (s *Store) Seals(ctx context.Context, kind string) ([]SealRecord, error) {
	out, err := readSeals(ctx, s.db, "", kind)
	return out, friendly(s.path, err)
}

// ReportsBySHA lists the report seals recording a file with this SHA-256.
func (s *Store) ReportsBySHA(ctx context.Context, sha string) ([]SealRecord, error) {
	rows, err := s.db.QueryContext(ctx, sealCols+" WHERE kind = ? AND sha256 = ? ORDER BY at, id", SealReport, sha)
	if err != nil {
		return nil, friendly(s.path, err)
	}
	out, err := scanSeals(rows)
	return out, friendly(s.path, err)
}

const sealCols = `SELECT id, assessment_id, kind, workspace, chain_seq, chain_head, sha256, file_name, key_fingerprint,
	public_key, signature, at FROM seals`

func readSeals(ctx context.Context, q queryer, assessmentID, kind string) ([]SealRecord, error) {
	rows, err := q.QueryContext(ctx, sealCols+` WHERE (? = '' OR assessment_id = ?) AND (? = '' OR kind = ?) ORDER BY at, id`,
		assessmentID, assessmentID, kind, kind)
	if err != nil {
		return nil, err
	}
	return scanSeals(rows)
}

func scanSeals(rows *sql.Rows) ([]SealRecord, error) {
	var out []SealRecord
	err := eachRow(rows, func(sc scanner) error {
		var r SealRecord
		var at string
		if err := sc.Scan(&r.ID, &r.AssessmentID, &r.Kind, &r.Seal.Workspace, &r.Seal.Seq, &r.Seal.Head, &r.Seal.SHA256, &r.FileName,
			&r.Seal.KeyFingerprint, &r.Seal.PublicKey, &r.Seal.Signature, &at); err != nil {
			return err
		}
		r.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, r)
		return nil
	})
	return out, err
}

// signOffSeal is the newest sign-off seal of an assessment, or nil.
func signOffSeal(ctx context.Context, q queryer, assessmentID string) (*SealRecord, error) {
	seals, err := readSeals(ctx, q, assessmentID, SealSignOff)
	if err != nil || len(seals) == 0 {
		return nil, err
	}
	return &seals[len(seals)-1], nil
}

// bookkeeping are the kinds of audit entries that record work about the workspace
// rather than change what it holds: a report or backup written, a seal. They do not count
// as changes after a sign-off. (A backup command records its files as entity "backup";
// questionnaire packets and assessor bundles record their files as "packet" and
// "bundle", while the answers they bring in are recorded as answers.)
var bookkeeping = map[string]bool{"seal": true, "backup": true, "packet": true, "bundle": true}

// entityKind names an audit entry's entity as a report lists it.
func entityKind(entity string) string {
	switch entity {
	case "seal":
		return "report or sign-off record"
	case "response":
		return "answer"
	case "evidence_link":
		return "evidence link"
	case "override":
		return "owner override"
	case "signoff":
		return "sign-off"
	case "setting":
		return "workspace setting"
	case "packet":
		return "questionnaire packet record"
	case "backup":
		return "backup record"
	case "bundle":
		return "assessor bundle record"
	}
	return entity
}

// bookkeepingList is bookkeeping as an SQL list.
func bookkeepingList() string {
	names := make([]string, 0, len(bookkeeping))
	for n := range bookkeeping {
		names = append(names, "'"+n+"'")
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// sinceSignOff counts the entries after a sign-off seal's head up to entry upTo, by kind.
func sinceSignOff(ctx context.Context, q queryer, seal assessment.Seal, upTo int64) ([]assessment.KindCount, int, error) {
	rows, err := q.QueryContext(ctx, "SELECT entity, count(*) FROM audit_log WHERE seq > ? AND seq <= ? GROUP BY entity ORDER BY entity", seal.Seq, upTo)
	if err != nil {
		return nil, 0, err
	}
	counts := map[string]int{}
	changes := 0
	err = eachRow(rows, func(sc scanner) error {
		var entity string
		var n int
		if err := sc.Scan(&entity, &n); err != nil {
			return err
		}
		counts[entityKind(entity)] += n
		if !bookkeeping[entity] {
			changes += n
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	out := make([]assessment.KindCount, 0, len(counts))
	for k, n := range counts {
		out = append(out, assessment.KindCount{Kind: k, Entries: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out, changes, nil
}

// verifySeals checks every seal: a seal of this workspace must name an entry the chain
// still holds with the same hash (a rewritten history that kept its seals fails here), and
// a signature must verify (a rewritten history whose seals were rewritten too fails here,
// since nobody can sign the new head without the private key).
//
// assessmentID "" checks every seal; otherwise only that assessment's.
func (s *Store) verifySeals(ctx context.Context, q dbReader, res *VerifyResult, id, assessmentID string) error {
	seals, err := readSeals(ctx, q, assessmentID, "")
	if err != nil {
		return friendly(s.path, err)
	}
	for _, r := range seals {
		what := "the sign-off seal of assessment " + r.AssessmentID
		if r.Kind == SealReport {
			what = fmt.Sprintf("the record of report %q (%s)", assessment.SafeLine(r.FileName), shortSHA(r.Seal.SHA256))
		}
		res.Seals++
		if r.Seal.Workspace == id {
			h, err := s.entryHash(ctx, q, r.Seal.Seq)
			if err != nil {
				return err
			}
			if h != r.Seal.Head {
				res.fail("%s names audit entry %d with hash %s…, but the chain's entry %d is %s: the history before it was rewritten", what, r.Seal.Seq, shortSHA(r.Seal.Head), r.Seal.Seq, orNone(shortSHA(h)))
				continue
			}
		}
		if !r.Seal.Signed() {
			continue
		}
		sha := ""
		if r.Kind == SealReport {
			sha = r.Seal.SHA256
		}
		if err := sealSignature(r.Seal).Verify(signing.SealMessage(r.Seal.Workspace, r.Seal.Seq, r.Seal.Head, sha)); err != nil {
			res.fail("%s carries a signature by key %s that does not verify (%v): the seal was altered after it was signed", what, r.Seal.KeyFingerprint, err)
			continue
		}
		res.Signatures++
		res.Signers = appendOnce(res.Signers, r.Seal.KeyFingerprint)
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "missing"
	}
	return s + "…"
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
