-- The record of how the analysis was done (issue 13), and the fields that make its
-- decisions, risks and sign-off complete. Every table is audited (see entities in
-- audit.go); rows belong to an assessment and go with it.
--
-- Columns added to tables that already hold audited rows default to the empty value:
-- verify compares a column a payload predates only when it holds something else (see
-- columnsAddedLater in verify.go), so upgraded workspaces still verify.

-- Data collection: interviews, documents reviewed, walkthroughs, technical tests, and the
-- assumptions and limitations of the analysis. Audited as entity "method_entry".
CREATE TABLE method_entries (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    who           TEXT NOT NULL,
    role          TEXT NOT NULL,
    title         TEXT NOT NULL,
    place         TEXT NOT NULL,
    test_kind     TEXT NOT NULL,
    tool          TEXT NOT NULL,
    scope         TEXT NOT NULL,
    date          TEXT NOT NULL,
    text          TEXT NOT NULL
);
CREATE INDEX method_entries_assessment ON method_entries (assessment_id);

-- The periodic-review plan, and the statement that no outside party handles ePHI (the
-- explicit "no vendors"). One row per assessment; audited as entity "review_plan".
CREATE TABLE review_plans (
    assessment_id TEXT PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
    cadence       TEXT NOT NULL,
    next_review   TEXT NOT NULL,
    triggers      TEXT NOT NULL, -- JSON array
    no_vendors    TEXT NOT NULL
);

-- Why a gap leads to no risk; id is assessment/question/asset like a response's. Audited
-- as entity "no_risk".
CREATE TABLE no_risk_reasons (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    asset_id      TEXT REFERENCES assets (id),
    reason        TEXT NOT NULL
);
CREATE INDEX no_risk_reasons_assessment ON no_risk_reasons (assessment_id);

-- Threat sources or single threats ruled out, with the reason; id is
-- assessment/threat-or-source. Audited as entity "threat_ruling".
CREATE TABLE threat_rulings (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    source        TEXT NOT NULL,
    threat_id     TEXT NOT NULL,
    reason        TEXT NOT NULL
);
CREATE INDEX threat_rulings_assessment ON threat_rulings (assessment_id);

-- The review of a vendor's BAA and assurance for this analysis. Audited as entity
-- "vendor_review"; deleted (audited) with its vendor.
CREATE TABLE vendor_reviews (
    vendor_id     TEXT PRIMARY KEY REFERENCES vendors (id),
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    date          TEXT NOT NULL,
    note          TEXT NOT NULL
);
CREATE INDEX vendor_reviews_assessment ON vendor_reviews (assessment_id);

-- The objectives a risk harms ("c", "i", "a"; '' = the threat library's default), and who
-- accepted an accepted risk, with what authority, when.
ALTER TABLE risks ADD COLUMN cia TEXT NOT NULL DEFAULT '';
ALTER TABLE risks ADD COLUMN accepted_by TEXT NOT NULL DEFAULT '';
ALTER TABLE risks ADD COLUMN accepted_authority TEXT NOT NULL DEFAULT '';
ALTER TABLE risks ADD COLUMN accepted_on TEXT NOT NULL DEFAULT '';

-- When the workspace recorded the sign-off, and the optional approver.
ALTER TABLE sign_offs ADD COLUMN recorded_at TEXT NOT NULL DEFAULT '';
ALTER TABLE sign_offs ADD COLUMN approver_name TEXT NOT NULL DEFAULT '';
ALTER TABLE sign_offs ADD COLUMN approver_role TEXT NOT NULL DEFAULT '';
ALTER TABLE sign_offs ADD COLUMN approver_date TEXT NOT NULL DEFAULT '';
