-- The assessment engine: profile, vendors, assets, data flows, answers, responsibility
-- overrides, risks and sign-off. Every table is audited (see entities in audit.go). Rows
-- belong to an assessment and go with it; everything else is deleted explicitly, with its
-- own audit entry, so no foreign key silently changes an audited row.

CREATE TABLE profiles (
    assessment_id     TEXT PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
    entity_type       TEXT NOT NULL,
    size              TEXT NOT NULL,
    part2_program     INTEGER NOT NULL,
    medicare_medicaid INTEGER NOT NULL,
    assessors         TEXT NOT NULL, -- JSON array of names
    period_start      TEXT NOT NULL,
    period_end        TEXT NOT NULL,
    scope             TEXT NOT NULL,
    include_proposed  INTEGER NOT NULL,
    matrix            TEXT NOT NULL,
    revision_of       TEXT NOT NULL
);

CREATE TABLE vendors (
    id                 TEXT PRIMARY KEY,
    assessment_id      TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    services           TEXT NOT NULL,
    baa                TEXT NOT NULL,
    baa_signed         TEXT NOT NULL,
    breach_notice_days INTEGER NOT NULL,
    flowdown           INTEGER NOT NULL,
    attestations       TEXT NOT NULL -- JSON array
);
CREATE INDEX vendors_assessment ON vendors (assessment_id);

CREATE TABLE assets (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    hosting       TEXT NOT NULL,
    vendor_id     TEXT REFERENCES vendors (id),
    ephi          INTEGER NOT NULL,
    part2         INTEGER NOT NULL,
    segregation   TEXT NOT NULL,
    records       INTEGER NOT NULL,
    location      TEXT NOT NULL,
    owner         TEXT NOT NULL,
    criticality   TEXT NOT NULL,
    enc_at_rest   TEXT NOT NULL,
    tls           TEXT NOT NULL,
    in_scope      INTEGER NOT NULL,
    notes         TEXT NOT NULL
);
CREATE INDEX assets_assessment ON assets (assessment_id);

CREATE TABLE flows (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    from_asset    TEXT NOT NULL REFERENCES assets (id),
    to_asset      TEXT NOT NULL REFERENCES assets (id),
    description   TEXT NOT NULL,
    encrypted     INTEGER NOT NULL
);
CREATE INDEX flows_assessment ON flows (assessment_id);

-- One row per answered item; id is assessment/question/asset so an item has one answer.
CREATE TABLE responses (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    asset_id      TEXT REFERENCES assets (id),
    status        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    decision      TEXT NOT NULL,
    decision_text TEXT NOT NULL,
    note          TEXT NOT NULL,
    revalidate    INTEGER NOT NULL,
    answered_by   TEXT NOT NULL,
    answered_at   TEXT NOT NULL
);
CREATE INDEX responses_assessment ON responses (assessment_id);

CREATE TABLE overrides (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    asset_id      TEXT REFERENCES assets (id),
    owner         TEXT NOT NULL,
    reason        TEXT NOT NULL
);
CREATE INDEX overrides_assessment ON overrides (assessment_id);

CREATE TABLE risks (
    id               TEXT PRIMARY KEY,
    assessment_id    TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    asset_id         TEXT REFERENCES assets (id),
    vulnerability_id TEXT NOT NULL,
    threat_id        TEXT NOT NULL,
    question_ids     TEXT NOT NULL, -- JSON array
    title            TEXT NOT NULL,
    likelihood       INTEGER NOT NULL,
    impact           INTEGER NOT NULL,
    rationale        TEXT NOT NULL,
    treatment        TEXT NOT NULL,
    measures         TEXT NOT NULL,
    owner            TEXT NOT NULL,
    due              TEXT NOT NULL,
    residual_l       INTEGER NOT NULL,
    residual_i       INTEGER NOT NULL,
    status           TEXT NOT NULL
);
CREATE INDEX risks_assessment ON risks (assessment_id);

CREATE TABLE sign_offs (
    assessment_id TEXT PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    date          TEXT NOT NULL,
    statement     TEXT NOT NULL,
    chain_head    TEXT NOT NULL
);

-- Lists show each assessment's last change, read from its newest audit entry.
CREATE INDEX audit_log_assessment ON audit_log (assessment_id, seq);
