package store

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"safeguard/assessment"
	"strconv"

	"github.com/google/uuid"
)

// The vault keeps evidence content as blobs keyed by the SHA-256 of the plaintext, cut into
// chunks of ChunkSize bytes (see migrations/0003_evidence.sql). Content is streamed: reading
// a file, hashing, sealing and storing hold at most two chunks in memory, whatever the file
// size. A whole file goes in one transaction, so a failure or cancellation stores nothing.

// ChunkSize is the most content read, hashed, sealed or stored at once.
const ChunkSize = 1 << 20

// Size units for limits and messages: the one SI rule of assessment/format.go.
const (
	KB = assessment.KB
	MB = assessment.MB
	GB = assessment.GB
)

// Evidence size limits.
const (
	// DefaultEvidenceLimit is the largest file a new workspace accepts.
	DefaultEvidenceLimit = 100 * MB
	// MinEvidenceLimit and MaxEvidenceLimit bound what SetEvidenceLimit accepts.
	MinEvidenceLimit = 1 * MB
	MaxEvidenceLimit = 64 * GB

	evidenceLimitSetting = "evidence.limit"
)

// walTruncateAbove is the transaction size after which the write-ahead log is
// checkpointed and truncated, so a large file does not leave a file-sized -wal behind.
const walTruncateAbove = 8 << 20

// blobRef describes content put into the vault.
type blobRef struct {
	sha  string
	size int64
	head []byte // the first bytes, for media type detection
	new  bool   // false when the vault already held the content
}

// readFull fills buf as far as r allows; a short read at the end is not an error.
func readFull(r io.Reader, buf []byte) (int, error) {
	n, err := io.ReadFull(r, buf)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	return n, err
}

// errTooBig is returned by putBlob when the content exceeds the limit.
type errTooBig struct{ limit int64 }

func (e errTooBig) Error() string {
	return fmt.Sprintf("the content is larger than the evidence limit of %s", assessment.FormatSize(e.limit))
}

// readError marks a failure of the source being read, as opposed to the workspace.
type readError struct{ err error }

func (e readError) Error() string { return e.err.Error() }
func (e readError) Unwrap() error { return e.err }

// putBlob streams r into the vault and returns its hash and size. The content is hashed
// while it is stored under a temporary key; when the vault already holds the same
// content, the new copy is dropped in the same transaction. aead seals each chunk (nil
// for a plain workspace). progress, if not nil, gets the bytes stored so far.
func (t *Tx) putBlob(r io.Reader, aead cipher.AEAD, limit int64, progress func(done int64)) (blobRef, error) {
	var sealID []byte
	if aead != nil {
		sealID = make([]byte, sealIDLen)
		if _, err := rand.Read(sealID); err != nil {
			return blobRef{}, fmt.Errorf("the system's random number generator failed (%v); try again", err)
		}
	}
	res, err := t.exec("INSERT INTO blobs (sha256, size, chunks, seal_id) VALUES (?, 0, 0, ?)", "pending:"+uuid.NewString(), sealID)
	if err != nil {
		return blobRef{}, err
	}
	blobID, err := res.LastInsertId()
	if err != nil {
		return blobRef{}, err
	}
	ins, err := t.tx.PrepareContext(t.ctx, "INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)")
	if err != nil {
		return blobRef{}, err
	}
	defer ins.Close()

	// Two buffers: the chunk being stored and the next one, read ahead to learn whether the
	// current chunk is the last (sealing binds that).
	cur, next := make([]byte, ChunkSize), make([]byte, ChunkSize)
	var sealed, aad []byte
	if aead != nil {
		sealed = make([]byte, 0, ChunkSize+sealOverhead)
	}
	h := sha256.New()
	var ref blobRef
	n, err := readFull(r, cur)
	if err != nil {
		return blobRef{}, readError{err}
	}
	var seq int64
	for {
		if err := t.ctx.Err(); err != nil {
			return blobRef{}, err
		}
		ref.size += int64(n)
		if ref.size > limit {
			return blobRef{}, errTooBig{limit}
		}
		h.Write(cur[:n])
		if seq == 0 {
			ref.head = append([]byte(nil), cur[:min(n, 512)]...)
		}
		final, m := n < ChunkSize, 0
		if !final {
			if m, err = readFull(r, next); err != nil {
				return blobRef{}, readError{err}
			}
			final = m == 0
		}
		data := cur[:n]
		if aead != nil {
			var sum []byte
			if final {
				sum = h.Sum(nil)
			}
			aad = chunkAAD(aad, sealID, seq, final, sum, ref.size)
			if sealed, err = sealChunk(aead, sealed, data, aad); err != nil {
				return blobRef{}, err
			}
			data = sealed
		}
		if _, err := ins.ExecContext(t.ctx, blobID, seq, data); err != nil {
			return blobRef{}, err
		}
		seq++
		if progress != nil {
			progress(ref.size)
		}
		if final {
			break
		}
		cur, next, n = next, cur, m
	}
	ref.sha = hex.EncodeToString(h.Sum(nil))
	var existing int64
	switch err := t.queryRow("SELECT id FROM blobs WHERE sha256 = ?", ref.sha).Scan(&existing); {
	case err == nil:
		// Already in the vault: drop the copy (its chunks go by cascade).
		_, err = t.exec("DELETE FROM blobs WHERE id = ?", blobID)
		return ref, err
	case err != sql.ErrNoRows:
		return blobRef{}, err
	}
	ref.new = true
	_, err = t.exec("UPDATE blobs SET sha256 = ?, size = ?, chunks = ? WHERE id = ?", ref.sha, ref.size, seq, blobID)
	return ref, err
}

// blobMeta is a blobs row.
type blobMeta struct {
	id, size, chunks int64
	sha              string
	sealID           []byte
}

func readBlobMeta(ctx context.Context, q rowQueryer, sha string) (blobMeta, error) {
	var b blobMeta
	err := q.QueryRowContext(ctx, "SELECT id, sha256, size, chunks, seal_id FROM blobs WHERE sha256 = ?", sha).
		Scan(&b.id, &b.sha, &b.size, &b.chunks, &b.sealID)
	return b, err
}

// blobDamage says how stored content fails to match its record.
type blobDamage struct{ why string }

func (e *blobDamage) Error() string { return e.why }

// sinkError is a failure of the writer content is streamed to.
type sinkError struct{ err error }

func (e sinkError) Error() string { return e.err.Error() }
func (e sinkError) Unwrap() error { return e.err }

// streamBlob writes a blob's plaintext to w chunk by chunk, opening sealed chunks with
// aead, and checks the chunk sequence, size and SHA-256. Damage is a *blobDamage, a write
// failure a sinkError, a sealed blob without a key ErrLocked. On any error, what was
// written to w must be discarded.
func streamBlob(ctx context.Context, q queryer, aead cipher.AEAD, b blobMeta, w io.Writer) error {
	if b.sealID != nil && aead == nil {
		return ErrLocked
	}
	sum, err := hex.DecodeString(b.sha)
	if err != nil || len(sum) != sha256.Size {
		return &blobDamage{"its key is not a SHA-256"}
	}
	rows, err := q.QueryContext(ctx, "SELECT seq, data FROM blob_chunks WHERE blob_id = ? ORDER BY seq", b.id)
	if err != nil {
		return err
	}
	defer rows.Close()
	h := sha256.New()
	var (
		size  int64
		seq   int64
		plain []byte
		aad   []byte
	)
	if b.sealID != nil {
		plain = make([]byte, 0, ChunkSize)
	}
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		var got int64
		var data sql.RawBytes
		if err := rows.Scan(&got, &data); err != nil {
			return err
		}
		switch {
		case got != seq:
			return &blobDamage{fmt.Sprintf("chunk %d is missing", seq)}
		case seq >= b.chunks:
			return &blobDamage{fmt.Sprintf("it has more chunks than the %d recorded", b.chunks)}
		}
		out := []byte(data)
		if b.sealID != nil {
			final := seq == b.chunks-1
			aad = chunkAAD(aad, b.sealID, seq, final, sum, b.size)
			if plain, err = openChunk(aead, plain, data, aad); err != nil {
				return &blobDamage{fmt.Sprintf("chunk %d fails authentication (it was altered, swapped, reordered or truncated)", seq)}
			}
			out = plain
		}
		h.Write(out)
		size += int64(len(out))
		if size > b.size {
			return &blobDamage{fmt.Sprintf("it is longer than the %d bytes recorded", b.size)}
		}
		if _, err := w.Write(out); err != nil {
			return sinkError{err}
		}
		seq++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	switch {
	case seq < b.chunks:
		return &blobDamage{fmt.Sprintf("chunk %d is missing", seq)}
	case size != b.size:
		return &blobDamage{fmt.Sprintf("it holds %d bytes, %d were recorded", size, b.size)}
	case hex.EncodeToString(h.Sum(nil)) != b.sha:
		return &blobDamage{"its bytes were changed"}
	}
	return nil
}

// secureDelete makes SQLite overwrite deleted content with zeros, so removed or
// re-encrypted evidence does not linger in free pages of the workspace file.
func (t *Tx) secureDelete() error {
	_, err := t.exec("PRAGMA secure_delete = ON")
	return err
}

// EvidenceLimit is the largest evidence file the workspace accepts, in bytes.
func (s *Store) EvidenceLimit(ctx context.Context) (int64, error) {
	return evidenceLimit(ctx, s.db)
}

func evidenceLimit(ctx context.Context, q rowQueryer) (int64, error) {
	var v string
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE id = ?", evidenceLimitSetting).Scan(&v)
	if err == sql.ErrNoRows {
		return DefaultEvidenceLimit, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < MinEvidenceLimit || n > MaxEvidenceLimit {
		return 0, errors.New("the workspace's evidence size limit setting is damaged; set it again with `safeguard evidence limit SIZE`")
	}
	return n, nil
}

// SetEvidenceLimit sets the largest evidence file the workspace accepts (audited).
func (s *Store) SetEvidenceLimit(ctx context.Context, n int64) error {
	if n < MinEvidenceLimit || n > MaxEvidenceLimit {
		return fmt.Errorf("the evidence size limit must be between %s and %s; choose a size in that range", assessment.FormatSize(MinEvidenceLimit), assessment.FormatSize(MaxEvidenceLimit))
	}
	return s.mutate(ctx, func(t *Tx) error { return t.putSetting(evidenceLimitSetting, strconv.FormatInt(n, 10)) })
}

// putSetting sets a settings row to value and records the change; an unchanged value
// records nothing.
func (t *Tx) putSetting(id, value string) error {
	var old string
	err := t.queryRow("SELECT value FROM settings WHERE id = ?", id).Scan(&old)
	action := ActionUpdate
	switch {
	case err == sql.ErrNoRows:
		action = ActionCreate
	case err != nil:
		return err
	case old == value:
		return nil
	}
	if _, err := t.exec(`INSERT INTO settings (id, value) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET value = excluded.value`,
		id, value); err != nil {
		return err
	}
	return t.record(action, "setting", id, "")
}

// reportFontSetting is the settings row holding the path of a TrueType font the PDF report
// adds for scripts its own fonts lack ("" or no row: none).
const reportFontSetting = "report.font"

// ReportFont is the path of the font the workspace's reports add, or "" for none.
func (s *Store) ReportFont(ctx context.Context) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE id = ?", reportFontSetting).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, friendly(s.path, err)
}

// SetReportFont records (audited) the path of the font reports add; "" removes it.
func (s *Store) SetReportFont(ctx context.Context, path string) error {
	return s.mutate(ctx, func(t *Tx) error { return t.putSetting(reportFontSetting, path) })
}
