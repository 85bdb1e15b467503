-- Questionnaire scoping and flows to outside parties (catalog 2026.12.0). New tables rather
-- than new columns on audited tables, so every row audited before this upgrade still equals
-- its last audited state.

-- How much the questionnaire asks and what the organization is, beyond the profile row:
-- depth (essentials, standard, complete; '' = complete), the region that sets natural-hazard
-- likelihoods, and the flags that gate §164.308(a)(4)(ii)(A) and §164.314(b). An assessment
-- without a row asks everything, as before. Audited as entity "profile_scope".
CREATE TABLE profile_scope (
    assessment_id           TEXT PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
    depth                   TEXT NOT NULL,
    region                  TEXT NOT NULL,
    clearinghouse_component INTEGER NOT NULL,
    sponsor_receives_ephi   INTEGER NOT NULL
);

-- Data flows written from now on: to another asset (to_asset) or to an outside party
-- (to_party: payer, clearinghouse, lab, hie, pharmacy, patient, other), with the channel and
-- transport encryption. Flows recorded earlier stay in flows and are read with these.
-- Audited as entity "data_flow".
CREATE TABLE data_flows (
    id            TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    from_asset    TEXT NOT NULL REFERENCES assets (id),
    to_asset      TEXT REFERENCES assets (id),
    to_party      TEXT NOT NULL,
    channel       TEXT NOT NULL,
    tls           TEXT NOT NULL,
    description   TEXT NOT NULL,
    encrypted     INTEGER NOT NULL,
    CHECK ((to_asset IS NULL) <> (to_party = ''))
);
CREATE INDEX data_flows_assessment ON data_flows (assessment_id);
CREATE INDEX data_flows_from ON data_flows (from_asset);
CREATE INDEX data_flows_to ON data_flows (to_asset);
