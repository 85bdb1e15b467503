-- Working with clients offline (issue 17): questionnaire packets, backups and assessor
-- bundles. Columns added to the audited responses table default to the empty value, so
-- answers audited before this upgrade still equal their last audited state.

-- An answer returned on a questionnaire packet: the packet, who answered it ("Name,
-- role", as the packet was made out) and the day the packet came back. answered_by and
-- answered_at stay the assessor who imported it and when.
ALTER TABLE responses ADD COLUMN packet_id TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN respondent TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN returned_on TEXT NOT NULL DEFAULT '';

-- A questionnaire packet: a workbook sent to someone without safeguard. items is the JSON
-- list of the items it asks, each with the version its answer had at export and the
-- locked text of its row; checksum is the SHA-256 of that locked content. A packet is
-- recorded when exported and updated when it returns. Audited as entity "packet".
CREATE TABLE packets (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    respondent    TEXT NOT NULL,
    who           TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    items         TEXT NOT NULL,
    checksum      TEXT NOT NULL,
    exported_by   TEXT NOT NULL,
    exported_at   TEXT NOT NULL,
    returned_at   TEXT NOT NULL,
    imported_by   TEXT NOT NULL,
    applied       INTEGER NOT NULL,
    rejected      INTEGER NOT NULL
);
CREATE INDEX packets_assessment ON packets (assessment_id);

-- A backup written by `safeguard backup`: where, how large, and the audit chain head the
-- copy holds. Audited as entity "backup", which is bookkeeping: it is not a change to the
-- data a sign-off covers.
CREATE TABLE backups (
    id         TEXT PRIMARY KEY,
    path       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    chain_seq  INTEGER NOT NULL,
    chain_head TEXT NOT NULL,
    at         TEXT NOT NULL
);

-- Assessor bundles: each export, import and merge of a bundle. base is the JSON of the
-- common base the next merge of the same line of work compares against (the origin
-- workspace and, per record, its version there and the SHA-256 of its content). Audited
-- as entity "bundle".
CREATE TABLE bundles (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('export', 'import', 'merge')),
    bundle_id     TEXT NOT NULL,
    lineage       TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    base          TEXT NOT NULL,
    summary       TEXT NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX bundles_assessment ON bundles (assessment_id, lineage);
