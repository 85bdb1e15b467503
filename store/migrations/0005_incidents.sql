-- The incident register of the breach notification rule (45 CFR §§164.400–414). One row per
-- incident, audited as entity "incident": record is the JSON of the incident (facts, the
-- decision steps, notices, law-enforcement delays, other deadlines and risk links) and
-- affected the JSON of its copies of the affected assets and vendors, kept apart so lists
-- read only what they show; discovered and closed repeat two fields of record for ordering
-- and filtering. An incident belongs to the assessment
-- that was current when it happened and is never deleted (§164.414(b), §164.316(b)(2)(i)):
-- there is no ON DELETE CASCADE, and safeguard refuses to delete an assessment that holds
-- incidents.
CREATE TABLE incidents (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    discovered    TEXT NOT NULL,
    closed        TEXT NOT NULL,
    record        TEXT NOT NULL,
    affected      TEXT NOT NULL
);
CREATE INDEX incidents_assessment ON incidents (assessment_id, discovered);
