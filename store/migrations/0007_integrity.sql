-- Integrity: record versions, seals, imported attributions.
--
-- The version of a record is the number of the audit entry that last wrote it: saving
-- with the version the user saw finds a change made since by another process with one
-- lookup in this index (see versions.go).
CREATE INDEX audit_log_record ON audit_log (entity, entity_id, seq);

-- Seals: what anchors the audit chain outside the workspace. A sign-off seal records the
-- chain head (sequence and hash) that includes the sign-off's own entries; a report seal
-- records the head a report states and the SHA-256 of the file written. With a signing
-- key, signature is Ed25519 over the seal message (store/signing) and public_key the key
-- that made it. Seals are audited as entity "seal" and are never deleted, also when their
-- assessment is, so a report can still be checked against the workspace afterwards.
CREATE TABLE seals (
    id              TEXT PRIMARY KEY,
    assessment_id   TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('signoff', 'report')),
    workspace       TEXT NOT NULL,  -- identity of the workspace whose chain is sealed
    chain_seq       INTEGER NOT NULL,
    chain_head      TEXT NOT NULL,
    sha256          TEXT NOT NULL,  -- report: SHA-256 of the file; sign-off: ''
    file_name       TEXT NOT NULL,  -- report: the file's name as written; sign-off: ''
    key_fingerprint TEXT NOT NULL,  -- '' when unsigned
    public_key      TEXT NOT NULL,  -- base64 Ed25519 public key, '' when unsigned
    signature       TEXT NOT NULL,  -- base64 Ed25519 signature, '' when unsigned
    at              TEXT NOT NULL
);
CREATE INDEX seals_assessment ON seals (assessment_id, kind);
CREATE INDEX seals_sha256 ON seals (sha256);

-- Answers and evidence brought in by `safeguard import` keep who made them and when,
-- marked with the file they came from and the day of the import ('' for work done here).
ALTER TABLE responses ADD COLUMN imported_from TEXT NOT NULL DEFAULT '';
ALTER TABLE evidence ADD COLUMN imported_from TEXT NOT NULL DEFAULT '';
