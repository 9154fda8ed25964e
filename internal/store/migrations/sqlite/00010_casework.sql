-- +goose Up
-- Employee-relations casework. A case starts as an early concern and becomes
-- formal only through the pre-formal checklist, the just culture gate and a
-- second senior sign-off (internal/casework). Narratives stay in these tables;
-- the learning log (case_learning) deliberately holds no case or person link.

-- Casework designations: the employee-relations lead (an HR user who assigns
-- cases and signs off moves to formal), the nominated non-executive reviewer
-- of every suspension, and the staff-side lead who sees the partnership view.
CREATE TABLE casework_designations (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    designation TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, designation)
);

-- Stages per case type, in order, with target durations; the ER lead edits
-- them to mirror local policy. A required stage cannot be skipped.
CREATE TABLE case_stage_definitions (
    id          INTEGER PRIMARY KEY,
    case_type   TEXT NOT NULL,
    position    INTEGER NOT NULL,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    target_days INTEGER NOT NULL,
    required    BOOLEAN NOT NULL DEFAULT TRUE,
    retired     BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (case_type, code)
);

CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    reference        TEXT NOT NULL UNIQUE,
    case_type        TEXT NOT NULL,
    person_id        INTEGER NOT NULL REFERENCES people(id),
    summary          TEXT NOT NULL,
    report_id        INTEGER REFERENCES reports(id),
    assessment_id    INTEGER REFERENCES assessments(id),
    appeal_of        INTEGER REFERENCES cases(id),
    status           TEXT NOT NULL,
    stage_code       TEXT,
    hr_user_id       INTEGER REFERENCES users(id),
    manager_user_id  INTEGER REFERENCES users(id),
    rep_user_id      INTEGER REFERENCES users(id),
    rep_requested_on TEXT,
    employee_access  BOOLEAN NOT NULL DEFAULT FALSE,
    opened_on        TEXT NOT NULL,
    formal_on        TEXT,
    closed_on        TEXT,
    outcome          TEXT,
    outcome_detail   TEXT NOT NULL DEFAULT '',
    created_by       INTEGER NOT NULL REFERENCES users(id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX cases_person ON cases(person_id);
CREATE INDEX cases_formal ON cases(case_type, formal_on);
CREATE INDEX cases_status ON cases(status, opened_on);
CREATE INDEX cases_hr ON cases(hr_user_id);
CREATE INDEX cases_manager ON cases(manager_user_id);
CREATE INDEX cases_rep ON cases(rep_user_id);
CREATE INDEX cases_appeal ON cases(appeal_of);

-- The pre-formal checklist, one per case. Any change after sign-off clears
-- the sign-off (the second person signed what they read).
CREATE TABLE case_checklists (
    case_id                   INTEGER PRIMARY KEY REFERENCES cases(id),
    facts_gathered            BOOLEAN NOT NULL DEFAULT FALSE,
    facts_summary             TEXT NOT NULL DEFAULT '',
    employee_account_heard    BOOLEAN NOT NULL DEFAULT FALSE,
    employee_account_on       TEXT,
    allegations               TEXT NOT NULL DEFAULT '',
    alternatives_considered   TEXT NOT NULL DEFAULT '',
    investigator_conflicts    TEXT NOT NULL DEFAULT '',
    decision_maker_conflicts  TEXT NOT NULL DEFAULT '',
    conflicts_declared        BOOLEAN NOT NULL DEFAULT FALSE,
    wellbeing_contact_user_id INTEGER REFERENCES users(id),
    union_rep_offered         BOOLEAN NOT NULL DEFAULT FALSE,
    union_rep_offered_on      TEXT,
    updated_by                INTEGER REFERENCES users(id),
    updated_at                TEXT NOT NULL,
    signoff_by                INTEGER REFERENCES users(id),
    signoff_at                TEXT,
    signoff_note              TEXT NOT NULL DEFAULT ''
);

-- People in a case other than the employee: manager, investigator, decision
-- maker, HR adviser, union representative, witnesses. person_id when they are
-- in the directory, user_id when they sign in to candour, name otherwise.
CREATE TABLE case_parties (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    role       TEXT NOT NULL,
    person_id  INTEGER REFERENCES people(id),
    user_id    INTEGER REFERENCES users(id),
    name       TEXT NOT NULL,
    added_by   INTEGER NOT NULL REFERENCES users(id),
    added_at   TEXT NOT NULL,
    removed_at TEXT
);
CREATE INDEX case_parties_case ON case_parties(case_id);

-- Stage history: when each stage began and ended, and its target date.
CREATE TABLE case_stages (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    stage_code  TEXT NOT NULL,
    started_on  TEXT NOT NULL,
    target_on   TEXT NOT NULL,
    ended_on    TEXT,
    started_by  INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX case_stages_case ON case_stages(case_id);
CREATE INDEX case_stages_open ON case_stages(ended_on, target_on);

-- The timeline: meetings, notes (HR only), representative notes, updates to
-- the employee, reasons for delay, decisions, occupational health referrals,
-- and what the system did (stage changes, the move to formal, closing).
CREATE TABLE case_entries (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES cases(id),
    kind                TEXT NOT NULL,
    occurred_on         TEXT NOT NULL,
    title               TEXT NOT NULL DEFAULT '',
    body                TEXT NOT NULL DEFAULT '',
    visible_to_employee BOOLEAN NOT NULL DEFAULT FALSE,
    author_user_id      INTEGER NOT NULL REFERENCES users(id),
    created_at          TEXT NOT NULL
);
CREATE INDEX case_entries_case ON case_entries(case_id, occurred_on);

-- Documents, stored in the database like report attachments so that replicas
-- share them.
CREATE TABLE case_documents (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    entry_id     INTEGER REFERENCES case_entries(id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    uploaded_by  INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL
);
CREATE INDEX case_documents_case ON case_documents(case_id);

-- A named wellbeing contact for the employee (party_id NULL) or a witness,
-- with a target contact frequency; contacts are logged against it.
CREATE TABLE case_wellbeing (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    party_id        INTEGER REFERENCES case_parties(id),
    contact_user_id INTEGER NOT NULL REFERENCES users(id),
    frequency_days  INTEGER NOT NULL,
    started_on      TEXT NOT NULL,
    ended_on        TEXT,
    created_by      INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL
);
CREATE INDEX case_wellbeing_case ON case_wellbeing(case_id);

CREATE TABLE case_wellbeing_contacts (
    id           INTEGER PRIMARY KEY,
    wellbeing_id INTEGER NOT NULL REFERENCES case_wellbeing(id),
    contacted_on TEXT NOT NULL,
    method       TEXT NOT NULL,
    notes        TEXT NOT NULL DEFAULT '',
    oh_referral  BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_by  INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL
);
CREATE INDEX case_wellbeing_contacts_wellbeing ON case_wellbeing_contacts(wellbeing_id, contacted_on);

-- Suspension or exclusion: proposed with the alternatives considered,
-- active only once two executives approve, reviewed by a date no more than
-- the configured number of days away.
CREATE TABLE case_suspensions (
    id                  INTEGER PRIMARY KEY,
    case_id             INTEGER NOT NULL REFERENCES cases(id),
    kind                TEXT NOT NULL,
    reason              TEXT NOT NULL,
    alt_redeployment    TEXT NOT NULL DEFAULT '',
    alt_modified_duties TEXT NOT NULL DEFAULT '',
    alt_supervision     TEXT NOT NULL DEFAULT '',
    alt_other           TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    starts_on           TEXT NOT NULL,
    review_on           TEXT NOT NULL,
    ended_on            TEXT,
    end_reason          TEXT NOT NULL DEFAULT '',
    proposed_by         INTEGER NOT NULL REFERENCES users(id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX case_suspensions_case ON case_suspensions(case_id);
CREATE INDEX case_suspensions_status ON case_suspensions(status, review_on);

CREATE TABLE suspension_approvals (
    suspension_id INTEGER NOT NULL REFERENCES case_suspensions(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    decision      TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    decided_at    TEXT NOT NULL,
    PRIMARY KEY (suspension_id, user_id)
);

CREATE TABLE suspension_reviews (
    id             INTEGER PRIMARY KEY,
    suspension_id  INTEGER NOT NULL REFERENCES case_suspensions(id),
    held_on        TEXT NOT NULL,
    decision       TEXT NOT NULL,
    notes          TEXT NOT NULL DEFAULT '',
    next_review_on TEXT,
    reviewed_by    INTEGER NOT NULL REFERENCES users(id),
    created_at     TEXT NOT NULL
);
CREATE INDEX suspension_reviews_suspension ON suspension_reviews(suspension_id);

-- The non-executive reviewer's record of having looked at a suspension.
CREATE TABLE suspension_oversight (
    id            INTEGER PRIMARY KEY,
    suspension_id INTEGER NOT NULL REFERENCES case_suspensions(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    comments      TEXT NOT NULL DEFAULT '',
    reviewed_at   TEXT NOT NULL
);
CREATE INDEX suspension_oversight_suspension ON suspension_oversight(suspension_id);

-- Reminders and alerts fired: the key (for example a stage id, a review date
-- or a contact due date) makes each fire exactly once across replicas.
CREATE TABLE case_notices (
    case_id  INTEGER NOT NULL REFERENCES cases(id),
    kind     TEXT NOT NULL,
    key      TEXT NOT NULL,
    fired_at TEXT NOT NULL,
    PRIMARY KEY (case_id, kind, key)
);

-- What the organisation learned from closed cases, with no link back to the
-- case or the people in it: only the case type and the month it closed.
CREATE TABLE case_learning (
    id           INTEGER PRIMARY KEY,
    case_type    TEXT NOT NULL,
    category     TEXT NOT NULL,
    lesson       TEXT NOT NULL,
    closed_month TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX case_learning_month ON case_learning(closed_month);

-- Default stages per case type; target days follow common NHS policy
-- (for example an investigation within six weeks). The ER lead can change them.
INSERT INTO case_stage_definitions (case_type, position, code, name, target_days, required) VALUES
    ('disciplinary', 1, 'investigation', 'Investigation', 42, TRUE),
    ('disciplinary', 2, 'hearing', 'Disciplinary hearing', 28, FALSE),
    ('disciplinary', 3, 'decision', 'Decision and outcome letter', 7, TRUE),
    ('grievance', 1, 'investigation', 'Investigation', 28, TRUE),
    ('grievance', 2, 'hearing', 'Grievance hearing', 14, FALSE),
    ('grievance', 3, 'decision', 'Decision and outcome letter', 7, TRUE),
    ('bullying_harassment', 1, 'investigation', 'Investigation', 42, TRUE),
    ('bullying_harassment', 2, 'hearing', 'Hearing', 28, FALSE),
    ('bullying_harassment', 3, 'decision', 'Decision and outcome letter', 7, TRUE),
    ('capability_performance', 1, 'first_meeting', 'First formal meeting and improvement plan', 14, TRUE),
    ('capability_performance', 2, 'improvement_period', 'Supported improvement period', 84, TRUE),
    ('capability_performance', 3, 'review_meeting', 'Review meeting', 14, TRUE),
    ('capability_performance', 4, 'decision', 'Decision and outcome letter', 7, TRUE),
    ('capability_ill_health', 1, 'occupational_health', 'Occupational health assessment', 28, TRUE),
    ('capability_ill_health', 2, 'review_meeting', 'Formal review meeting', 28, TRUE),
    ('capability_ill_health', 3, 'decision', 'Decision and outcome letter', 14, TRUE),
    ('sickness_absence', 1, 'first_review', 'First formal review', 14, TRUE),
    ('sickness_absence', 2, 'second_review', 'Second formal review', 28, FALSE),
    ('sickness_absence', 3, 'final_review', 'Final review', 28, TRUE),
    ('appeal', 1, 'appeal_hearing', 'Appeal hearing', 28, TRUE),
    ('appeal', 2, 'decision', 'Appeal decision letter', 7, TRUE),
    ('employment_tribunal', 1, 'claim_response', 'Response to the claim (ET3)', 28, TRUE),
    ('employment_tribunal', 2, 'preliminary', 'Preliminary hearing and case management', 90, FALSE),
    ('employment_tribunal', 3, 'hearing', 'Full hearing', 180, TRUE),
    ('employment_tribunal', 4, 'judgment', 'Judgment', 60, TRUE);

-- +goose Down
DROP TABLE case_learning;
DROP TABLE case_notices;
DROP TABLE suspension_oversight;
DROP TABLE suspension_reviews;
DROP TABLE suspension_approvals;
DROP TABLE case_suspensions;
DROP TABLE case_wellbeing_contacts;
DROP TABLE case_wellbeing;
DROP TABLE case_documents;
DROP TABLE case_entries;
DROP TABLE case_stages;
DROP TABLE case_parties;
DROP TABLE case_checklists;
DROP TABLE cases;
DROP TABLE case_stage_definitions;
DROP TABLE casework_designations;
