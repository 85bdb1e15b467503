-- The evidence vault (see store/vault.go and store/crypto.go).
--
-- blobs and blob_chunks hold content, keyed by the SHA-256 of the plaintext and stored in
-- chunks of at most 1 MiB, so no read or write holds a whole file in memory. They are not
-- audited row by row: the audited evidence records name the SHA-256 of their content, and
-- `safeguard verify` re-hashes every blob. A blob lives while any evidence record names it
-- (the trigger below collects it when the last one goes, also when an assessment is
-- deleted). In an encrypted workspace every chunk is sealed with AES-256-GCM; seal_id is
-- the blob's random identity bound into each chunk's additional data.
CREATE TABLE blobs (
    id      INTEGER PRIMARY KEY,
    sha256  TEXT NOT NULL UNIQUE,  -- hex SHA-256 of the plaintext ("pending:…" while being written)
    size    INTEGER NOT NULL,      -- plaintext bytes
    chunks  INTEGER NOT NULL,      -- number of rows in blob_chunks, at least 1
    seal_id BLOB                   -- NULL: chunks are plaintext; 16 random bytes: chunks are sealed
);

CREATE TABLE blob_chunks (
    blob_id INTEGER NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,      -- 0, 1, 2, … in content order
    data    BLOB NOT NULL,         -- plaintext, or 12-byte nonce || ciphertext || 16-byte tag
    PRIMARY KEY (blob_id, seq)
);

-- Evidence items: a file or a typed note, with metadata. Audited as entity "evidence".
-- in_vault is 1 when the content is in this workspace's vault, 0 for an item imported from
-- another workspace's export by its hash only (re-adding the same file restores it).
CREATE TABLE evidence (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    sha256        TEXT NOT NULL,
    name          TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    size          INTEGER NOT NULL,
    is_note       INTEGER NOT NULL,
    description   TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    added_by      TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    in_vault      INTEGER NOT NULL
);
CREATE INDEX evidence_assessment ON evidence (assessment_id);
CREATE INDEX evidence_sha256 ON evidence (sha256);

-- What an evidence item supports: an answer (question, with the asset for per-asset
-- questions), an asset, or a vendor. Audited as entity "evidence_link"; the ID is
-- evidence/question/asset/vendor so a link exists once. Links go with their evidence,
-- asset or vendor by explicit, audited deletes (no cascade but the assessment's).
CREATE TABLE evidence_links (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    evidence_id   TEXT NOT NULL REFERENCES evidence (id),
    question_id   TEXT NOT NULL,
    asset_id      TEXT REFERENCES assets (id),
    vendor_id     TEXT REFERENCES vendors (id)
);
CREATE INDEX evidence_links_assessment ON evidence_links (assessment_id);
CREATE INDEX evidence_links_evidence ON evidence_links (evidence_id);
CREATE INDEX evidence_links_asset ON evidence_links (asset_id);
CREATE INDEX evidence_links_vendor ON evidence_links (vendor_id);

-- Garbage-collect a blob when the last evidence record naming it is deleted.
CREATE TRIGGER evidence_blob_gc AFTER DELETE ON evidence
WHEN NOT EXISTS (SELECT 1 FROM evidence WHERE sha256 = OLD.sha256)
BEGIN
    DELETE FROM blobs WHERE sha256 = OLD.sha256;
END;
