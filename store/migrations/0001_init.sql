-- Workspace settings (evidence size limit, encryption parameters, …). Audited as entity "setting".
CREATE TABLE settings (
    id    TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The audit chain. Each entry hashes its own fields with the previous entry's hash; the
-- payload is the canonical JSON of the changed record's full new state (or a tombstone).
CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    assessment_id TEXT NOT NULL DEFAULT '',
    payload       TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TABLE assessments (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL,
    organization    TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in-review', 'final')),
    catalog_version TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
