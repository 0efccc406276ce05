-- The first schema of the workspace. Portable SQL: no SQLite-only types beyond INTEGER/TEXT.

-- A person who was given kits. One person is the same external id, else the same email,
-- else (without an email) the same normalised name.
CREATE TABLE candidates (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    external_id TEXT UNIQUE
);
CREATE INDEX candidates_by_name ON candidates (name_key);

-- Every email a candidate is known by (lowercase); `--same-person` adds a second one.
CREATE TABLE candidate_emails (
    email TEXT PRIMARY KEY,
    candidate_id INTEGER NOT NULL REFERENCES candidates (id)
);

-- One hiring round: what it was drawn from and how its files are written.
CREATE TABLE rounds (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL CHECK (origin IN ('generate', 'import')),
    seed TEXT NOT NULL,
    blueprint_name TEXT NOT NULL,
    blueprint_json TEXT NOT NULL,
    blueprint_fingerprint TEXT NOT NULL,
    bank_fingerprint TEXT NOT NULL,
    algorithm_version INTEGER NOT NULL,
    roster_fingerprint TEXT NOT NULL,
    options_json TEXT NOT NULL,
    out_dir TEXT NOT NULL,
    first_form INTEGER NOT NULL,
    kit_count INTEGER NOT NULL
);
CREATE INDEX rounds_by_roster ON rounds (roster_fingerprint, blueprint_fingerprint);

-- One kit per candidate of a round: planned when the round is drawn, written once its
-- folder is complete on disk. Only written kits count as seen.
CREATE TABLE kits (
    code TEXT PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    form INTEGER NOT NULL,
    candidate_id INTEGER NOT NULL REFERENCES candidates (id),
    candidate_name TEXT NOT NULL,
    folder TEXT NOT NULL,
    kit_json TEXT,
    state TEXT NOT NULL CHECK (state IN ('planned', 'written')),
    UNIQUE (round_id, position),
    UNIQUE (round_id, candidate_id)
);
CREATE INDEX kits_by_candidate ON kits (candidate_id);

-- The questions of each kit, in interview order.
CREATE TABLE kit_questions (
    kit_code TEXT NOT NULL REFERENCES kits (code) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    PRIMARY KEY (kit_code, number)
);
CREATE INDEX kit_questions_by_question ON kit_questions (question_id);

-- Scores read from filled-in scorecards; importing a sheet again replaces its rows.
CREATE TABLE scores (
    kit_code TEXT NOT NULL REFERENCES kits (code) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    interviewer TEXT NOT NULL,
    score INTEGER,
    notes TEXT NOT NULL DEFAULT '',
    source_file TEXT NOT NULL,
    source_row INTEGER NOT NULL,
    PRIMARY KEY (kit_code, question_id, interviewer)
);

-- Candidate handout links: only the SHA-256 of the token is stored.
CREATE TABLE handout_links (
    token_sha256 TEXT PRIMARY KEY,
    kit_code TEXT NOT NULL REFERENCES kits (code) ON DELETE CASCADE,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX handout_links_by_kit ON handout_links (kit_code);
