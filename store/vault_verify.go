package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// verifyBlobs re-hashes every blob in the vault (opening sealed chunks, which needs the
// passphrase) and checks that every evidence item recorded as held in the vault has its
// content there. Problems name the evidence items affected.
//
// The encryption settings are only used when they equal their last audited state: settings
// altered behind safeguard's back are reported (by the record check, and here as sealed
// content that could not be re-hashed) instead of stopping verify with a key error.
//
// only, when not nil, limits the check to the blobs of those SHA-256s (a report's evidence).
func (s *Store) verifyBlobs(ctx context.Context, tx dbReader, res *VerifyResult, key blobKey, only map[string]bool) error {
	var sealed int
	if only == nil {
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM blobs WHERE seal_id IS NOT NULL").Scan(&sealed); err != nil {
			return friendly(s.path, err)
		}
	} else {
		for sha := range only {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM blobs WHERE sha256 = ? AND seal_id IS NOT NULL", sha).Scan(&n); err != nil {
				return friendly(s.path, err)
			}
			sealed += n
		}
	}
	enc, encErr := readEncryption(ctx, tx)
	trusted, err := settingMatchesAudit(ctx, tx, encryptionSetting)
	if err != nil {
		return friendly(s.path, err)
	}
	var aead cipher.AEAD
	skipSealed := false
	if sealed > 0 {
		switch {
		case encErr != nil || !trusted:
			res.fail("%d sealed evidence blobs could not be re-hashed: the workspace's encryption settings were changed outside safeguard", sealed)
			skipSealed = true
		case enc == nil:
		case key.locked:
			// Everything else is still checked; the caller says what was not.
			res.SealedSkipped, skipSealed = sealed, true
		case key.wrongPass && !res.OK():
			// The workspace is already known to be altered; the key check may be what was.
			res.fail("%d sealed evidence blobs could not be re-hashed: the passphrase does not match the workspace's key check", sealed)
			skipSealed = true
		case key.wrongPass:
			return ErrWrongPassphrase
		case key.err != nil:
			return key.err
		case key.aead == nil || key.check != enc.Check:
			return errors.New("the workspace's encryption changed while verify ran; run it again")
		default:
			aead = key.aead
		}
	}

	rows, err := tx.QueryContext(ctx, `SELECT id, name, sha256 FROM evidence e WHERE in_vault = 1
		AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = e.sha256) ORDER BY added_at, id`)
	if err != nil {
		return friendly(s.path, err)
	}
	err = eachRow(rows, func(sc scanner) error {
		var id, name, sha string
		if err := sc.Scan(&id, &name, &sha); err != nil {
			return err
		}
		if only != nil && !only[sha] {
			return nil
		}
		res.fail("the content of evidence %q (%s) is missing from the vault: it was deleted outside safeguard", name, id)
		return nil
	})
	if err != nil {
		return friendly(s.path, err)
	}

	var blobs []blobMeta
	if only == nil {
		rows, err = tx.QueryContext(ctx, "SELECT id, sha256, size, chunks, seal_id FROM blobs ORDER BY id")
		if err != nil {
			return friendly(s.path, err)
		}
		err = eachRow(rows, func(sc scanner) error {
			var b blobMeta
			if err := sc.Scan(&b.id, &b.sha, &b.size, &b.chunks, &b.sealID); err != nil {
				return err
			}
			blobs = append(blobs, b)
			return nil
		})
	} else {
		for sha := range only {
			b, err := readBlobMeta(ctx, tx, sha)
			if err == sql.ErrNoRows {
				continue // evidence that is not in the vault (listed by the query above when it should be)
			}
			if err != nil {
				return friendly(s.path, err)
			}
			blobs = append(blobs, b)
		}
		sort.Slice(blobs, func(i, j int) bool { return blobs[i].id < blobs[j].id })
	}
	if err != nil {
		return friendly(s.path, err)
	}
	for _, b := range blobs {
		var why string
		switch {
		case skipSealed && b.sealID != nil:
			continue
		case encErr == nil && enc != nil && b.sealID == nil:
			why = "it is stored unencrypted in an encrypted workspace"
		case encErr == nil && enc == nil && b.sealID != nil:
			why = "it is sealed but the workspace has no encryption settings"
		case b.sealID != nil && len(b.sealID) != sealIDLen:
			why = "its seal ID is damaged"
		default:
			err := streamBlob(ctx, tx, aead, b, io.Discard)
			var dmg *blobDamage
			if errors.As(err, &dmg) {
				why = dmg.why
			} else if err != nil {
				return friendly(s.path, err)
			}
		}
		res.Blobs++
		if why == "" {
			continue
		}
		names, err := evidenceNames(ctx, tx, b.sha)
		if err != nil {
			return friendly(s.path, err)
		}
		if len(names) == 0 {
			res.fail("a blob in the vault (%s) that no evidence uses was altered outside safeguard (%s)", shortSHA(b.sha), why)
			continue
		}
		res.fail("evidence %s no longer matches its SHA-256 %s (%s): its content was altered outside safeguard", strings.Join(names, ", "), shortSHA(b.sha), why)
	}
	return nil
}

// blobKey is the evidence key as verify found it before its read transaction (asking
// for a passphrase reads the workspace, which cannot happen inside the transaction).
type blobKey struct {
	aead      cipher.AEAD
	check     string // the key-check value of the parameters the key opened
	locked    bool   // no passphrase given
	wrongPass bool
	err       error
}

// prepareBlobKey gets the evidence key of an encrypted workspace for verify.
func (s *Store) prepareBlobKey(ctx context.Context) blobKey {
	if p, err := readEncryption(ctx, s.db); err != nil || p == nil {
		return blobKey{}
	}
	aead, err := s.sealer(ctx)
	switch {
	case errors.Is(err, ErrLocked):
		return blobKey{locked: true}
	case errors.Is(err, ErrWrongPassphrase):
		return blobKey{wrongPass: true}
	case err != nil:
		return blobKey{err: err}
	}
	s.vault.mu.Lock()
	defer s.vault.mu.Unlock()
	return blobKey{aead: aead, check: s.vault.check}
}

// settingMatchesAudit reports whether a workspace setting (present or absent) is as its
// last audit entry recorded it.
func settingMatchesAudit(ctx context.Context, q queryer, id string) (bool, error) {
	e, _ := entityByName("setting")
	state, err := rowState(ctx, q, e, id)
	if err != nil {
		return false, err
	}
	cur, err := canonicalPayload(state)
	if err != nil {
		return false, err
	}
	rows, err := q.QueryContext(ctx, "SELECT payload FROM audit_log WHERE entity = 'setting' AND entity_id = ? ORDER BY seq DESC LIMIT 1", id)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return state == nil, rows.Err()
	}
	var last string
	if err := rows.Scan(&last); err != nil {
		return false, err
	}
	return last == cur, nil
}

// evidenceNames lists the evidence items with the given content as `"name" (id)`.
func evidenceNames(ctx context.Context, q queryer, sha string) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT id, name FROM evidence WHERE sha256 = ? ORDER BY added_at, id", sha)
	if err != nil {
		return nil, err
	}
	var out []string
	err = eachRow(rows, func(sc scanner) error {
		var id, name string
		if err := sc.Scan(&id, &name); err != nil {
			return err
		}
		out = append(out, fmt.Sprintf("%q (%s)", name, id))
		return nil
	})
	return out, err
}
