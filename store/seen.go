package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The last-seen record. The audit chain alone cannot show that committed entries were
// lost (a damaged write-ahead log, a workspace restored from an older copy) or that
// someone with the file rewrote history and recomputed every hash: what is left is a
// valid, shorter or different, chain. So each computer keeps, outside the workspace (in
// the user state folder, one small file per workspace identity), the last chain head it
// saw, with the hashes of a few earlier entries (1, 2, 4, 8, …) to tell where a history
// that differs starts to differ. Opening a workspace whose chain is shorter than the
// record, or does not contain the recorded head, gives a HistoryWarning; `safeguard
// verify` then fails. The record only moves forward along the history it holds: a chain
// that does not extend it leaves it as it is, until the user accepts the current chain
// (AcceptHistory) after checking that it is the one they want (a restored backup).
//
// The head is written after every commit this process makes, so a commit lost afterwards
// is caught by the next open. That write must cost next to nothing beside the commit: it
// is one fixed-size write over the start of a small file kept open (<workspace>.head, no
// sync: a record that lags behind the chain is harmless, and processes writing the same
// workspace each write whole lines the kernel does not interleave). The checkpoints go to
// <workspace>.json, replaced whole when the workspace is closed.

// Anchor is a point of the audit chain: the sequence number of an entry and its hash.
// Printed as "SEQ:HASH".
type Anchor struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

func (a Anchor) String() string { return fmt.Sprintf("%d:%s", a.Seq, a.Hash) }

// IsZero reports whether a names no entry (an empty chain).
func (a Anchor) IsZero() bool { return a.Seq == 0 }

// seenFile is the record on disk.
type seenFile struct {
	Format      string   `json:"format"`
	Workspace   string   `json:"workspace"`
	Path        string   `json:"path"` // where the workspace was last seen, for people reading the file
	Head        Anchor   `json:"head"`
	Checkpoints []Anchor `json:"checkpoints"` // entries 1, 2, 4, 8, … up to the head
	At          string   `json:"at"`
	// Verified is the last chain head whose chain up to it this computer checked entry by
	// entry (a full or a report's verify): the next report checks only the entries after
	// it, once it has found that entry's hash unchanged (verify_scoped.go).
	Verified *Anchor `json:"verified,omitempty"`
	// FullVerify is the last `safeguard verify` of the whole workspace run here.
	FullVerify *FullVerify `json:"full_verify,omitempty"`
	// Backup is the last backup made on this computer: the head its copy holds, and the
	// head after the backup was recorded. The copy lacks only that record, so opening it
	// while the workspace's head is still Recorded is not a loss (see compareHistory).
	Backup *backupMark `json:"backup,omitempty"`
}

// FullVerify records a verify of the whole workspace: when, at which chain head, and
// how many problems it found.
type FullVerify struct {
	At       time.Time `json:"at"`
	Head     Anchor    `json:"head"`
	Problems int       `json:"problems"`
}

type backupMark struct {
	Copy     Anchor `json:"copy"`
	Recorded Anchor `json:"recorded"`
}

const seenFormat = "safeguard-last-seen/v1"

// seenRecord is an open record.
type seenRecord struct {
	mu    sync.Mutex
	file  string   // <workspace>.json: head and checkpoints
	heads string   // <workspace>.head: the head, rewritten after every commit
	hf    *os.File // heads, open once written
	rec   seenFile
	// warning is what comparing the chain with the record found; while there is one, the
	// chain does not extend the record and commits do not move it forward.
	warning *HistoryWarning
	dirty   bool // the head moved since the checkpoints were refreshed
	dirMade bool
}

// headLineLen is the size of the head line: entry number, hash, time.
const headLineLen = 128

func (r *seenRecord) headLine(head Anchor, at string) []byte {
	line := []byte(fmt.Sprintf("%d %s %s", head.Seq, head.Hash, at))
	out := make([]byte, headLineLen)
	copy(out, line)
	for i := len(line); i < headLineLen-1; i++ {
		out[i] = ' '
	}
	out[headLineLen-1] = '\n'
	return out
}

// readHeads reads a head line; ok is false when there is none or it is damaged.
func readHeads(path string) (Anchor, string, bool) {
	b, err := os.ReadFile(path)
	if err != nil || len(b) != headLineLen {
		return Anchor{}, "", false
	}
	f := strings.Fields(string(b))
	if len(f) != 3 {
		return Anchor{}, "", false
	}
	a, err := ParseAnchor(f[0] + ":" + f[1])
	if err != nil {
		return Anchor{}, "", false
	}
	return a, f[2], true
}

// writeHead writes the head line over the old one.
func (r *seenRecord) writeHead() {
	if !r.mkdir() {
		return
	}
	if r.hf == nil {
		f, err := os.OpenFile(r.heads, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return
		}
		r.hf = f
	}
	r.hf.WriteAt(r.headLine(r.rec.Head, r.rec.At), 0)
}

func (r *seenRecord) mkdir() bool {
	if !r.dirMade {
		if os.MkdirAll(filepath.Dir(r.file), 0o700) != nil {
			return false
		}
		r.dirMade = true
	}
	return true
}

// HistoryWarning says how the workspace's audit chain differs from the last head this
// computer saw.
type HistoryWarning struct {
	Seen    Anchor    // the recorded head
	SeenAt  time.Time // when it was recorded
	Entries int64     // entries the chain has now
	// Shorter chains: how many recorded entries are gone. Diverging chains: the last
	// checkpoint that still matches (MatchesUpTo) and the first that does not
	// (DiffersBy): history differs after the one and at or before the other.
	Missing     int64
	MatchesUpTo int64
	DiffersBy   int64
}

func (w *HistoryWarning) Error() string {
	when := w.SeenAt.Local().Format("2006-01-02 15:04")
	if w.Missing > 0 {
		return fmt.Sprintf("the workspace's audit trail has %d entries, but this computer saw it reach entry %d on %s: %d committed entries are missing (changes were lost, or the workspace was replaced by an older copy); check your backups, and run `safeguard verify --accept-current` only if this copy is the one to keep",
			w.Entries, w.Seen.Seq, when, w.Missing)
	}
	where := fmt.Sprintf("at or before entry %d", w.DiffersBy)
	if w.MatchesUpTo > 0 {
		where = fmt.Sprintf("after entry %d and at or before entry %d", w.MatchesUpTo, w.DiffersBy)
	}
	return fmt.Sprintf("the workspace's audit trail differs from the one this computer saw on %s: history was rewritten %s (entry %d no longer has the hash seen then); run `safeguard verify`, and `safeguard verify --accept-current` only if this copy is the one to keep",
		when, where, w.Seen.Seq)
}

// History is what the last-seen record found when the workspace was opened: nil when the
// chain extends the head this computer saw last (or there is no record).
func (s *Store) History() *HistoryWarning {
	if s.seen == nil {
		return nil
	}
	s.seen.mu.Lock()
	defer s.seen.mu.Unlock()
	return s.seen.warning
}

// DefaultStateDir is the folder for last-seen records: $XDG_STATE_HOME/safeguard on
// Linux, the platform equivalent elsewhere (given by the caller, which knows whether a
// home folder exists).
func seenPath(dir, key string) string {
	return filepath.Join(dir, "last-seen", key+".json")
}

// openSeen loads the record of this workspace and compares the chain with it.
func (s *Store) openSeen(ctx context.Context, dir string) error {
	if dir == "" {
		return nil
	}
	key, err := s.trailKey(ctx)
	if err != nil || key == "" {
		return err
	}
	r := &seenRecord{file: seenPath(dir, key)}
	r.heads = strings.TrimSuffix(r.file, ".json") + ".head"
	r.rec = seenFile{Format: seenFormat, Workspace: key}
	if rec, ok := readSeenFile(r.file, key); ok {
		r.rec = rec
	}
	r.rec = r.withHeadFile(r.rec)
	s.seen = r
	if r.rec.Head.IsZero() {
		return nil
	}
	w, err := s.compareHistory(ctx, r.rec)
	if err != nil {
		return err
	}
	r.warning = w
	return nil
}

// readSeenFile reads the record file of the workspace key; ok is false when there is none
// or it is not a record of that workspace.
func readSeenFile(file, key string) (seenFile, bool) {
	b, err := os.ReadFile(file)
	if err != nil {
		return seenFile{}, false
	}
	var rec seenFile
	if json.Unmarshal(b, &rec) != nil || rec.Format != seenFormat || rec.Workspace != key {
		return seenFile{}, false
	}
	return rec, true
}

// withHeadFile is rec with the head of the head file when that one is further along (it
// is rewritten after every commit, the record file only now and then).
func (r *seenRecord) withHeadFile(rec seenFile) seenFile {
	if head, at, ok := readHeads(r.heads); ok && head.Seq > rec.Head.Seq {
		rec.Head, rec.At = head, at
	}
	return rec
}

// recheckSeen reads the last-seen record again before a verification. A process that keeps
// the workspace open (the TUI) compared the chain with the record only as it was when it
// opened; another copy of the same workspace may have moved the recorded head forward since
// (and the CLI would then refuse that copy's rewritten or shorter history). A head that this
// chain holds with the same hash is the normal case of two processes on one workspace.
func (s *Store) recheckSeen(ctx context.Context) error {
	if s.seen == nil || s.History() != nil {
		return nil
	}
	r := s.seen
	r.mu.Lock()
	rec := r.rec
	r.mu.Unlock()
	known := rec.Head
	if disk, ok := readSeenFile(r.file, rec.Workspace); ok && disk.Head.Seq > rec.Head.Seq {
		rec = disk
	}
	if rec = r.withHeadFile(rec); rec.Head == known {
		return nil
	}
	w, err := s.compareHistory(ctx, rec)
	if err != nil || w == nil {
		return err
	}
	r.mu.Lock()
	r.warning = w
	r.mu.Unlock()
	return nil
}

// trailKey names the workspace's record: its identity, or for a workspace from before
// identities (until its next change creates one), the hash of its first audit entry.
func (s *Store) trailKey(ctx context.Context) (string, error) {
	id, err := s.Identity(ctx)
	if err != nil || id != "" {
		return id, err
	}
	var first string
	err = s.db.QueryRowContext(ctx, "SELECT hash FROM audit_log WHERE seq = 1").Scan(&first)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", friendly(s.path, err)
	}
	if len(first) > 32 {
		first = first[:32]
	}
	return "first-entry-" + first, nil
}

// compareHistory checks that the chain still holds the recorded head.
func (s *Store) compareHistory(ctx context.Context, rec seenFile) (*HistoryWarning, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM audit_log").Scan(&n); err != nil {
		return nil, friendly(s.path, err)
	}
	at, _ := time.Parse(time.RFC3339, rec.At)
	w := &HistoryWarning{Seen: rec.Head, SeenAt: at, Entries: n}
	if rec.Head.Seq > n {
		if b := rec.Backup; b != nil && b.Recorded == rec.Head && b.Copy.Seq == n {
			// The backup made last, opened before anything else was committed: all it
			// lacks is the record of itself.
			hash, err := s.entryHash(ctx, s.db, n)
			if err != nil || hash == b.Copy.Hash {
				return nil, err
			}
		}
		w.Missing = rec.Head.Seq - n
		return w, nil
	}
	hash, err := s.entryHash(ctx, s.db, rec.Head.Seq)
	if err != nil {
		return nil, err
	}
	if hash == rec.Head.Hash {
		return nil, nil
	}
	w.DiffersBy = rec.Head.Seq
	for _, c := range rec.Checkpoints {
		if c.Seq >= rec.Head.Seq {
			break
		}
		h, err := s.entryHash(ctx, s.db, c.Seq)
		if err != nil {
			return nil, err
		}
		if h != c.Hash {
			w.DiffersBy = c.Seq
			break
		}
		w.MatchesUpTo = c.Seq
	}
	return w, nil
}

// entryHash is the hash of entry seq, or "" when there is none.
func (s *Store) entryHash(ctx context.Context, q rowQueryer, seq int64) (string, error) {
	var h string
	err := q.QueryRowContext(ctx, "SELECT hash FROM audit_log WHERE seq = ?", seq).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return h, friendly(s.path, err)
}

// noteHead moves the record to a head this process committed.
func (s *Store) noteHead(ctx context.Context, head Anchor) {
	if s.seen == nil {
		return
	}
	r := s.seen
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.warning != nil || head.Seq <= r.rec.Head.Seq {
		return
	}
	r.rec.Head, r.dirty = head, true
	r.rec.Path = s.path
	r.rec.At = s.now().UTC().Format(time.RFC3339)
	r.writeHead()
}

// noteBackup records a backup whose copy holds head copy, recorded in the workspace by
// the entry recorded, so that opening the copy before anything else is committed does not
// report the record as lost. Written at once: the copy may be opened while this process
// keeps the workspace open.
func (s *Store) noteBackup(copy, recorded Anchor) {
	if s.seen == nil {
		return
	}
	r := s.seen
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.warning != nil || recorded != r.rec.Head {
		return
	}
	r.rec.Backup = &backupMark{Copy: copy, Recorded: recorded}
	r.write()
}

// closeSeen records the head as the workspace is closed, with fresh checkpoints.
func (s *Store) closeSeen() {
	if s.seen == nil {
		return
	}
	r := s.seen
	r.mu.Lock()
	defer r.mu.Unlock()
	defer func() {
		if r.hf != nil {
			r.hf.Close()
			r.hf = nil
		}
	}()
	if r.warning != nil {
		return
	}
	ctx := context.Background()
	head, err := s.head(ctx, s.db)
	if err != nil || head.IsZero() || head.Seq < r.rec.Head.Seq {
		return
	}
	if head != r.rec.Head {
		r.rec.Head, r.rec.Path, r.rec.At = head, s.path, s.now().UTC().Format(time.RFC3339)
		r.dirty = true
	}
	if !r.dirty && len(r.rec.Checkpoints) > 0 {
		return
	}
	cps, err := s.checkpoints(ctx, head.Seq)
	if err != nil {
		return
	}
	r.rec.Checkpoints = cps
	r.write()
	r.writeHead()
}

// checkpoints are entries 1, 2, 4, … below seq.
func (s *Store) checkpoints(ctx context.Context, seq int64) ([]Anchor, error) {
	var seqs []string
	for p := int64(1); p < seq && p > 0; p <<= 1 {
		seqs = append(seqs, fmt.Sprint(p))
	}
	if len(seqs) == 0 {
		return []Anchor{}, nil
	}
	rows, err := s.db.QueryContext(ctx, "SELECT seq, hash FROM audit_log WHERE seq IN ("+strings.Join(seqs, ",")+") ORDER BY seq")
	if err != nil {
		return nil, err
	}
	out := make([]Anchor, 0, bits.Len64(uint64(seq)))
	err = eachRow(rows, func(sc scanner) error {
		var a Anchor
		if err := sc.Scan(&a.Seq, &a.Hash); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	return out, err
}

// write replaces the record file (a new file renamed over the old, so a reader never
// sees half a record). Failures are ignored: the record is a second line of defense, and
// a state folder that cannot be written must not stop work on the workspace.
func (r *seenRecord) write() {
	r.mergeVerified()
	b, err := json.MarshalIndent(r.rec, "", "  ")
	if err != nil {
		return
	}
	if !r.mkdir() {
		return
	}
	// A file of its own per write: several processes may record the same workspace.
	f, err := os.CreateTemp(filepath.Dir(r.file), filepath.Base(r.file)+".*.tmp")
	if err != nil {
		return
	}
	_, err = f.Write(append(b, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil || os.Rename(f.Name(), r.file) != nil {
		os.Remove(f.Name())
	}
}

// AcceptHistory makes the workspace's current chain the last one seen, after the user has
// checked a HistoryWarning (a backup restored on purpose).
func (s *Store) AcceptHistory(ctx context.Context) error {
	if s.seen == nil {
		return nil
	}
	head, err := s.head(ctx, s.db)
	if err != nil {
		return friendly(s.path, err)
	}
	cps, err := s.checkpoints(ctx, head.Seq)
	if err != nil {
		return friendly(s.path, err)
	}
	r := s.seen
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rec.Head, r.rec.Checkpoints, r.rec.Path = head, cps, s.path
	r.rec.At = s.now().UTC().Format(time.RFC3339)
	r.warning, r.dirty = nil, false
	r.write()
	r.writeHead()
	return nil
}

// mergeVerified keeps what another process recorded since this one read the file: a
// verified head further along, or a later full verify. (Several processes may have the
// workspace open; the record is a cache of work done, and keeping the furthest is safe
// because a verified head is checked against the chain before it is trusted.)
func (r *seenRecord) mergeVerified() {
	disk, ok := readSeenFile(r.file, r.rec.Workspace)
	if !ok {
		return
	}
	if disk.Verified != nil && (r.rec.Verified == nil || disk.Verified.Seq > r.rec.Verified.Seq) {
		v := *disk.Verified
		r.rec.Verified = &v
	}
	if disk.FullVerify != nil && (r.rec.FullVerify == nil || disk.FullVerify.At.After(r.rec.FullVerify.At)) {
		f := *disk.FullVerify
		r.rec.FullVerify = &f
	}
}

// verifiedHead is the last chain head this computer verified, or zero.
func (s *Store) verifiedHead() Anchor {
	if s.seen == nil {
		return Anchor{}
	}
	r := s.seen
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rec.Verified == nil {
		return Anchor{}
	}
	return *r.rec.Verified
}

// noteVerified records that the chain up to head verified here; full also records a
// verify of the whole workspace that found problems (0: none).
func (s *Store) noteVerified(head Anchor, full bool, problems int) {
	if s.seen == nil {
		return
	}
	r := s.seen
	r.mu.Lock()
	defer r.mu.Unlock()
	if !head.IsZero() && problems == 0 {
		h := head
		r.rec.Verified = &h
	}
	if full {
		r.rec.FullVerify = &FullVerify{At: s.now().UTC().Truncate(time.Second), Head: head, Problems: problems}
	}
	if r.rec.Path == "" {
		r.rec.Path = s.path
	}
	r.write()
}

// LastFullVerify is the last verify of the whole workspace this computer ran, or nil.
func (s *Store) LastFullVerify() *FullVerify {
	if s.seen == nil {
		return nil
	}
	r := s.seen
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mergeVerified()
	if r.rec.FullVerify == nil {
		return nil
	}
	f := *r.rec.FullVerify
	return &f
}
