-- The people who work in a workspace: assessors and others who answer, attach evidence and
-- sign off. Answers, evidence, sign-offs and audit entries carry the name of the person
-- working (the TUI asks once who that is; the CLI's --actor must name one of them), so the
-- record shows a person, not the computer's login. Audited as entity "person". Removing a
-- person keeps their name on everything they did.
CREATE TABLE people (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    role     TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE UNIQUE INDEX people_name ON people (name COLLATE NOCASE);
