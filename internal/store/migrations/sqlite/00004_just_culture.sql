-- +goose Up
-- Guide definitions are versioned documents; a version never changes once
-- stored, so an assessment can always be read against the exact definition it
-- used (checksum recorded). Retired versions stay readable.
CREATE TABLE guide_definitions (
    id          INTEGER PRIMARY KEY,
    guide_id    TEXT NOT NULL,
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    definition  TEXT NOT NULL,
    checksum    TEXT NOT NULL,
    builtin     BOOLEAN NOT NULL DEFAULT FALSE,
    retired_at  TEXT,
    created_by  INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL,
    UNIQUE (guide_id, version)
);

-- An assessment walks one guide version for one action or omission of one
-- person. Revisiting makes a new version (previous_id) and never overwrites.
CREATE TABLE assessments (
    id                 INTEGER PRIMARY KEY,
    definition_id      INTEGER NOT NULL REFERENCES guide_definitions(id),
    person_id          INTEGER NOT NULL REFERENCES people(id),
    action             TEXT NOT NULL,
    report_id          INTEGER REFERENCES reports(id),
    learning_response_id INTEGER,
    case_id            INTEGER,
    status             TEXT NOT NULL,
    answers            TEXT NOT NULL DEFAULT '{}',
    outcome            TEXT,
    path               TEXT NOT NULL DEFAULT '',
    concern_confirmed  BOOLEAN NOT NULL,
    bias_same          TEXT,
    bias_reason        TEXT NOT NULL DEFAULT '',
    previous_id        INTEGER REFERENCES assessments(id),
    root_id            INTEGER,
    version            INTEGER NOT NULL DEFAULT 1,
    shared_with_person BOOLEAN NOT NULL DEFAULT FALSE,
    created_by         INTEGER NOT NULL REFERENCES users(id),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    completed_at       TEXT
);
CREATE INDEX assessments_person ON assessments(person_id);
CREATE INDEX assessments_report ON assessments(report_id);
CREATE INDEX assessments_root ON assessments(root_id);

CREATE TABLE assessment_participants (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (assessment_id, user_id)
);
CREATE INDEX assessment_participants_user ON assessment_participants(user_id);

-- +goose Down
DROP TABLE assessment_participants;
DROP TABLE assessments;
DROP TABLE guide_definitions;
