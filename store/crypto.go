package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/crypto/argon2"

	"safeguard/store/passphrase"
)

// Encryption at rest.
//
// A workspace can be encrypted with a passphrase. Every evidence chunk (files and note
// text alike) is sealed with AES-256-GCM under a fresh random 96-bit nonce, with a random
// 256-bit data key. The data key is kept in the audited setting "vault.encryption",
// wrapped (AES-256-GCM) by a key derived from the passphrase with Argon2id, whose salt
// and cost parameters are stored beside it; changing the passphrase re-wraps the data key
// and re-encrypts nothing. A key-check value derived from the data key lets a transaction
// notice that the key changed under it. Workspaces encrypted before the data key existed
// (scheme 1) use the passphrase-derived key itself as their data key, until their
// passphrase is first changed.
//
// The additional data of each chunk binds the blob's random seal ID, the chunk's index
// and whether it is the last chunk; the last chunk also binds the SHA-256 and size of the
// whole plaintext. Chunks therefore cannot be swapped between blobs, reordered, dropped or
// truncated without decryption failing, and the plaintext hash is checked again after
// decryption.
//
// What stays readable without the passphrase: metadata (file names, note titles, sizes,
// media types, descriptions, links, who added what and when), answers, notes on answers,
// risks and the audit trail, and the SHA-256 of each evidence item. Blobs are keyed by the
// plaintext SHA-256, which the evidence index of a report shows anyway; someone holding
// the workspace file can thus tell whether two items are the same file, or confirm a guess
// of an item's exact content. Only content is secret.
//
// Passphrases are normalized to Unicode NFC before the key is derived (store/passphrase).
// Changing the passphrase does not lock out someone who knew the old one and kept a copy
// of the workspace (or reads the old setting in the audit trail): the data key is the
// same. Only new content would need a new data key, which this version does not make.

// encryptionSetting is the settings row holding the encryption parameters.
const encryptionSetting = "vault.encryption"

// Argon2id cost: 32 MiB, 3 passes, 2 lanes (about 0.1-0.2 s on a 2-core laptop). Stored
// with the salt, so a later release can raise it for new workspaces only. Memory is kept
// under the evidence ingest budget (64 MB peak while adding a 1 GB file).
const (
	kdfMemoryKiB   = 32 * 1024
	kdfIterations  = 3
	kdfParallelism = 2
	kdfSaltLen     = 16
	// MinPassphraseLen is the shortest passphrase EncryptWorkspace accepts.
	MinPassphraseLen = passphrase.MinLen
	// schemeWrapped marks parameters that hold a wrapped data key.
	schemeWrapped = 2
)

// Chunk sealing layout.
const (
	nonceLen  = 12
	tagLen    = 16
	sealIDLen = 16
	// sealOverhead is what sealing adds to each chunk.
	sealOverhead = nonceLen + tagLen
)

var (
	// ErrLocked is returned when encrypted evidence is needed and no passphrase was given.
	ErrLocked = errors.New("the workspace is encrypted; set SAFEGUARD_PASSPHRASE or run the command in a terminal to type the passphrase")
	// ErrWrongPassphrase is returned when a passphrase does not unlock the workspace.
	ErrWrongPassphrase = errors.New("the passphrase does not unlock this workspace; check it and try again (nothing was changed)")
)

// kdfCost is the Argon2id cost given to new passphrases. It is a variable only so that this
// package's tests can lower it (store's TestMain): the cost is stored with each workspace
// and read back from it, so every path runs the same, only cheaper.
var kdfCost = struct{ MemoryKiB, Iterations uint32 }{kdfMemoryKiB, kdfIterations}

// kdfParams is the JSON value of the encryption setting.
type kdfParams struct {
	Cipher      string `json:"cipher"`
	KDF         string `json:"kdf"`
	Version     int    `json:"version"`
	MemoryKiB   uint32 `json:"memory_kib"`
	Iterations  uint32 `json:"iterations"`
	Parallelism uint8  `json:"parallelism"`
	Salt        []byte `json:"salt"`  // base64 in JSON
	Check       string `json:"check"` // hex HMAC-SHA-256 of a fixed label under the data key (scheme 2) or master key (1)
	// Scheme 2: the data key, sealed with AES-256-GCM under the passphrase's key
	// (nonce || ciphertext || tag). Absent in scheme 1.
	Scheme  int    `json:"scheme,omitempty"`
	Wrapped []byte `json:"wrapped_key,omitempty"`
}

// vault is the per-Store key state. The key is kept for the life of the Store once the
// passphrase has been checked.
type vault struct {
	mu    sync.Mutex
	ask   func() ([]byte, error) // Options.Passphrase
	aead  cipher.AEAD
	check string // the key-check value the key was verified against
}

// deriveKeys runs Argon2id on the normalized passphrase and returns the scheme-1 AES key
// (also the scheme-2 key-wrapping key) and the scheme-1 key-check value.
func deriveKeys(pass []byte, p kdfParams) (key []byte, check string) {
	master := argon2.IDKey(pass, p.Salt, p.Iterations, p.MemoryKiB, p.Parallelism, 32)
	mac := func(label string) []byte {
		h := hmac.New(sha256.New, master)
		h.Write([]byte(label))
		return h.Sum(nil)
	}
	return mac("safeguard/vault/aes-256-gcm/v1"), hex.EncodeToString(mac("safeguard/vault/key-check/v1"))
}

// dataKeyCheck is the scheme-2 key-check value of a data key.
func dataKeyCheck(dataKey []byte) string {
	h := hmac.New(sha256.New, dataKey)
	h.Write([]byte("safeguard/vault/data-key-check/v2"))
	return hex.EncodeToString(h.Sum(nil))
}

// wrapAAD binds a wrapped data key to its salt, so it cannot be moved to other parameters.
func wrapAAD(p kdfParams) []byte {
	return append([]byte("safeguard/vault/wrapped-key/v2"), p.Salt...)
}

// dataKey opens the workspace's data key with a passphrase (ErrWrongPassphrase when it
// does not), trying the passphrase as typed if its NFC form fails: a workspace encrypted
// before passphrases were normalized may have been keyed with another form.
func (p kdfParams) dataKey(pass []byte) ([]byte, error) {
	forms := [][]byte{passphrase.Normalize(pass)}
	if string(forms[0]) != string(pass) {
		forms = append(forms, pass)
	}
	for _, f := range forms {
		key, check := deriveKeys(f, p)
		if p.Scheme != schemeWrapped {
			if hmac.Equal([]byte(check), []byte(p.Check)) {
				return key, nil
			}
			continue
		}
		kek, err := newAEAD(key)
		if err != nil {
			return nil, err
		}
		if len(p.Wrapped) < nonceLen {
			return nil, errors.New("the workspace's encryption settings are damaged; restore the workspace from a backup")
		}
		dk, err := kek.Open(nil, p.Wrapped[:nonceLen], p.Wrapped[nonceLen:], wrapAAD(p))
		if err == nil && len(dk) == 32 && hmac.Equal([]byte(dataKeyCheck(dk)), []byte(p.Check)) {
			return dk, nil
		}
	}
	return nil, ErrWrongPassphrase
}

// newParams makes scheme-2 parameters wrapping dataKey under a new passphrase.
func newParams(pass, dataKey []byte) (kdfParams, error) {
	p := kdfParams{Cipher: "AES-256-GCM", KDF: "argon2id", Version: argon2.Version, MemoryKiB: kdfCost.MemoryKiB,
		Iterations: kdfCost.Iterations, Parallelism: kdfParallelism, Salt: make([]byte, kdfSaltLen), Scheme: schemeWrapped}
	if _, err := rand.Read(p.Salt); err != nil {
		return p, fmt.Errorf("the system's random number generator failed (%v); try again", err)
	}
	kekKey, _ := deriveKeys(passphrase.Normalize(pass), p)
	kek, err := newAEAD(kekKey)
	if err != nil {
		return p, err
	}
	nonce := make([]byte, nonceLen)
	if _, err := rand.Read(nonce); err != nil {
		return p, fmt.Errorf("the system's random number generator failed (%v); try again", err)
	}
	p.Wrapped = kek.Seal(nonce, nonce, dataKey, wrapAAD(p))
	p.Check = dataKeyCheck(dataKey)
	return p, nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// readEncryption returns the workspace's encryption parameters, or nil if it is plain.
func readEncryption(ctx context.Context, q rowQueryer) (*kdfParams, error) {
	var v string
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE id = ?", encryptionSetting).Scan(&v)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var p kdfParams
	if err := json.Unmarshal([]byte(v), &p); err != nil || p.KDF != "argon2id" || p.Cipher != "AES-256-GCM" ||
		len(p.Salt) < 8 || p.MemoryKiB == 0 || p.Iterations == 0 || p.Parallelism == 0 || p.MemoryKiB > 4<<20 {
		return nil, errors.New("the workspace's encryption settings are damaged; restore the workspace from a backup")
	}
	return &p, nil
}

// Encrypted reports whether the workspace's evidence is encrypted.
func (s *Store) Encrypted(ctx context.Context) (bool, error) {
	p, err := readEncryption(ctx, s.db)
	return p != nil, friendly(s.path, err)
}

// Unlocked reports whether the store holds the key of an encrypted workspace.
func (s *Store) Unlocked() bool {
	s.vault.mu.Lock()
	defer s.vault.mu.Unlock()
	return s.vault.aead != nil
}

// SetPassphraseSource replaces Options.Passphrase: fn is asked for the passphrase when an
// encrypted workspace's key is needed and the store is not unlocked. nil means only Unlock
// provides the key, and operations that need it return ErrLocked (a TUI does this: it
// asks in its own form and calls Unlock).
func (s *Store) SetPassphraseSource(fn func() ([]byte, error)) {
	s.vault.mu.Lock()
	s.vault.ask = fn
	s.vault.mu.Unlock()
}

// Unlock checks the passphrase of an encrypted workspace and keeps the key for this
// Store. A wrong passphrase returns ErrWrongPassphrase; a plain workspace needs none.
func (s *Store) Unlock(ctx context.Context, passphrase []byte) error {
	p, err := readEncryption(ctx, s.db)
	if err != nil {
		return friendly(s.path, err)
	}
	if p == nil {
		return nil
	}
	return s.vault.unlock(p, passphrase)
}

func (v *vault) unlock(p *kdfParams, pass []byte) error {
	key, err := p.dataKey(pass)
	if err != nil {
		return err
	}
	aead, err := newAEAD(key)
	if err != nil {
		return err
	}
	v.mu.Lock()
	v.aead, v.check = aead, p.Check
	v.mu.Unlock()
	return nil
}

// sealer returns the AEAD for the workspace's current encryption state: nil for a plain
// workspace, the unlocked key (asking for the passphrase through Options.Passphrase if
// needed) for an encrypted one. It runs before a write transaction starts; the
// transaction checks the state again with (*Tx).sealerMatches.
func (s *Store) sealer(ctx context.Context) (cipher.AEAD, error) {
	p, err := readEncryption(ctx, s.db)
	if err != nil {
		return nil, friendly(s.path, err)
	}
	if p == nil {
		return nil, nil
	}
	s.vault.mu.Lock()
	aead, check, ask := s.vault.aead, s.vault.check, s.vault.ask
	s.vault.mu.Unlock()
	if aead != nil && check == p.Check {
		return aead, nil
	}
	if ask == nil {
		return nil, ErrLocked
	}
	pass, err := ask()
	if err != nil {
		return nil, err
	}
	if len(pass) == 0 {
		return nil, ErrLocked
	}
	if err := s.vault.unlock(p, pass); err != nil {
		return nil, err
	}
	return s.sealer(ctx)
}

// sealerMatches refuses to go on when the workspace's encryption changed between
// (*Store).sealer and the transaction (another process ran `safeguard encrypt`).
func (t *Tx) sealerMatches(aead cipher.AEAD) error {
	p, err := readEncryption(t.ctx, t.tx)
	if err != nil {
		return err
	}
	if (p == nil) != (aead == nil) {
		return errors.New("the workspace's encryption changed while this command ran; run it again")
	}
	if p != nil {
		t.s.vault.mu.Lock()
		same := t.s.vault.check == p.Check
		t.s.vault.mu.Unlock()
		if !same {
			return errors.New("the workspace's encryption changed while this command ran; run it again")
		}
	}
	return nil
}

// chunkAAD is the additional data of one sealed chunk.
func chunkAAD(dst []byte, sealID []byte, seq int64, final bool, sum []byte, size int64) []byte {
	dst = append(dst[:0], "safeguard/vault/chunk/v1"...)
	dst = append(dst, sealID...)
	dst = binary.BigEndian.AppendUint64(dst, uint64(seq))
	if !final {
		return append(dst, 0)
	}
	dst = append(dst, 1)
	dst = append(dst, sum...)
	return binary.BigEndian.AppendUint64(dst, uint64(size))
}

// sealChunk appends nonce || ciphertext || tag of plain to dst.
func sealChunk(aead cipher.AEAD, dst, plain, aad []byte) ([]byte, error) {
	dst = dst[:nonceLen]
	if _, err := rand.Read(dst); err != nil {
		return nil, fmt.Errorf("the system's random number generator failed (%v); try again", err)
	}
	return aead.Seal(dst, dst[:nonceLen], plain, aad), nil
}

// openChunk decrypts one sealed chunk into dst.
func openChunk(aead cipher.AEAD, dst, sealed, aad []byte) ([]byte, error) {
	if len(sealed) < sealOverhead {
		return nil, errors.New("chunk too short")
	}
	return aead.Open(dst[:0], sealed[:nonceLen], sealed[nonceLen:], aad)
}

// EncryptWorkspace encrypts a plain workspace with a passphrase: it records the key
// parameters (audited) and seals every evidence blob (files and notes) in one transaction,
// zeroing the freed plaintext pages. Afterwards adding or exporting evidence needs the
// passphrase. progress, if not nil, is called with the plaintext bytes done and the
// total.
func (s *Store) EncryptWorkspace(ctx context.Context, passphrase []byte, progress func(done, total int64)) error {
	if err := CheckPassphrase(passphrase); err != nil {
		return err
	}
	if p, err := readEncryption(ctx, s.db); err != nil {
		return friendly(s.path, err)
	} else if p != nil {
		return errors.New("the workspace is already encrypted; change its passphrase with `safeguard passphrase`")
	}
	dataKey := make([]byte, 32)
	if _, err := rand.Read(dataKey); err != nil {
		return fmt.Errorf("the system's random number generator failed (%v); try again", err)
	}
	p, err := newParams(passphrase, dataKey)
	if err != nil {
		return err
	}
	check := p.Check
	aead, err := newAEAD(dataKey)
	if err != nil {
		return err
	}
	value, err := canonicalJSON(p)
	if err != nil {
		return err
	}
	err = s.mutate(ctx, func(t *Tx) error {
		if cur, err := readEncryption(t.ctx, t.tx); err != nil {
			return err
		} else if cur != nil {
			return errors.New("the workspace is already encrypted; change its passphrase with `safeguard passphrase`")
		}
		if err := t.secureDelete(); err != nil {
			return err
		}
		if _, err := t.exec("INSERT INTO settings (id, value) VALUES (?, ?)", encryptionSetting, string(value)); err != nil {
			return err
		}
		if err := t.record(ActionCreate, "setting", encryptionSetting, ""); err != nil {
			return err
		}
		return t.sealAllBlobs(aead, progress)
	})
	if err != nil {
		return err
	}
	s.vault.mu.Lock()
	s.vault.aead, s.vault.check = aead, check
	s.vault.mu.Unlock()
	// Rewrite the file: b-tree pages can hold stale copies of plaintext moved there before
	// the workspace was encrypted (secure_delete only zeroes what is deleted).
	if err := s.vacuum(ctx); err != nil {
		return fmt.Errorf("the evidence is now encrypted, but wiping its old unencrypted traces from the workspace file failed (%v); close other programs using the workspace and run `safeguard evidence compact`", err)
	}
	return nil
}

// CheckPassphrase refuses a new passphrase that is empty, only spaces, too short or not
// text (store/passphrase).
func CheckPassphrase(pass []byte) error { return passphrase.Check(pass) }

// ChangePassphrase re-wraps the workspace's data key under a new passphrase (audited, as
// a change of the encryption setting); no evidence is re-encrypted. The old passphrase
// must unlock the workspace.
func (s *Store) ChangePassphrase(ctx context.Context, old, new []byte) error {
	if err := CheckPassphrase(new); err != nil {
		return err
	}
	p, err := readEncryption(ctx, s.db)
	if err != nil {
		return friendly(s.path, err)
	}
	if p == nil {
		return errors.New("the workspace is not encrypted, so it has no passphrase to change; encrypt it with `safeguard encrypt`")
	}
	dataKey, err := p.dataKey(old)
	if err != nil {
		return err
	}
	np, err := newParams(new, dataKey)
	if err != nil {
		return err
	}
	value, err := canonicalJSON(np)
	if err != nil {
		return err
	}
	err = s.mutate(ctx, func(t *Tx) error {
		cur, err := readEncryption(t.ctx, t.tx)
		if err != nil {
			return err
		}
		if cur == nil || cur.Check != p.Check || string(cur.Salt) != string(p.Salt) {
			return errors.New("the workspace's encryption changed while this command ran; run it again")
		}
		if err := t.secureDelete(); err != nil {
			return err
		}
		if _, err := t.exec("UPDATE settings SET value = ? WHERE id = ?", string(value), encryptionSetting); err != nil {
			return err
		}
		return t.record(ActionUpdate, "setting", encryptionSetting, "")
	})
	if err != nil {
		return err
	}
	aead, err := newAEAD(dataKey)
	if err != nil {
		return err
	}
	s.vault.mu.Lock()
	s.vault.aead, s.vault.check = aead, np.Check
	s.vault.mu.Unlock()
	return nil
}

// sealAllBlobs re-writes every plaintext blob sealed, checking each one's hash on the way
// so a damaged blob is not blessed by encryption.
func (t *Tx) sealAllBlobs(aead cipher.AEAD, progress func(done, total int64)) error {
	var total int64
	if err := t.queryRow("SELECT coalesce(sum(size), 0) FROM blobs WHERE seal_id IS NULL").Scan(&total); err != nil {
		return err
	}
	type blobRow struct {
		id, size, chunks int64
		sha              string
	}
	rows, err := t.tx.QueryContext(t.ctx, "SELECT id, sha256, size, chunks FROM blobs WHERE seal_id IS NULL ORDER BY id")
	if err != nil {
		return err
	}
	var blobs []blobRow
	err = eachRow(rows, func(sc scanner) error {
		var b blobRow
		if err := sc.Scan(&b.id, &b.sha, &b.size, &b.chunks); err != nil {
			return err
		}
		blobs = append(blobs, b)
		return nil
	})
	if err != nil {
		return err
	}
	upd, err := t.tx.PrepareContext(t.ctx, "UPDATE blob_chunks SET data = ? WHERE blob_id = ? AND seq = ?")
	if err != nil {
		return err
	}
	defer upd.Close()
	var done int64
	plain := make([]byte, 0, ChunkSize)
	sealed := make([]byte, 0, ChunkSize+sealOverhead)
	var aad []byte
	for _, b := range blobs {
		sealID := make([]byte, sealIDLen)
		if _, err := rand.Read(sealID); err != nil {
			return fmt.Errorf("the system's random number generator failed (%v); try again", err)
		}
		sum, err := hex.DecodeString(b.sha)
		if err != nil || len(sum) != sha256.Size {
			return fmt.Errorf("a stored blob has a damaged key %q; run `safeguard verify`", b.sha)
		}
		h := sha256.New()
		var size int64
		for seq := int64(0); seq < b.chunks; seq++ {
			if err := t.ctx.Err(); err != nil {
				return err
			}
			if err := t.queryRow("SELECT data FROM blob_chunks WHERE blob_id = ? AND seq = ?", b.id, seq).Scan(&plain); err != nil {
				if err == sql.ErrNoRows {
					return t.damagedBlob(b.sha)
				}
				return err
			}
			h.Write(plain)
			size += int64(len(plain))
			final := seq == b.chunks-1
			if final && (size != b.size || !hmac.Equal(h.Sum(nil), sum)) {
				return t.damagedBlob(b.sha)
			}
			aad = chunkAAD(aad, sealID, seq, final, sum, b.size)
			if sealed, err = sealChunk(aead, sealed, plain, aad); err != nil {
				return err
			}
			if _, err := upd.ExecContext(t.ctx, sealed, b.id, seq); err != nil {
				return err
			}
			done += int64(len(plain))
			if progress != nil {
				progress(done, total)
			}
		}
		if _, err := t.exec("UPDATE blobs SET seal_id = ? WHERE id = ?", sealID, b.id); err != nil {
			return err
		}
	}
	return nil
}

// damagedBlob is the error for a blob whose content does not match its hash.
func (t *Tx) damagedBlob(sha string) error {
	names, _ := t.ids("SELECT name FROM evidence WHERE sha256 = ? ORDER BY added_at, id", sha)
	what := "a stored blob " + sha
	if len(names) > 0 {
		what = fmt.Sprintf("the stored content of evidence %q", names[0])
	}
	return fmt.Errorf("%s does not match its SHA-256; run `safeguard verify` and restore the workspace from a backup (nothing was changed)", what)
}
