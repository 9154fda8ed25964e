-- +goose Up
-- PSIRF learning responses. One response covers one or more events; its
-- method decides which structured record it holds. A learning response never
-- records blame or a disciplinary recommendation: a concern about an
-- individual goes to a just culture assessment instead.
CREATE TABLE learning_responses (
    id                 INTEGER PRIMARY KEY,
    reference          TEXT NOT NULL UNIQUE,
    method             TEXT NOT NULL,
    title              TEXT NOT NULL,
    status             TEXT NOT NULL,
    owner_user_id      INTEGER REFERENCES users(id),
    -- The method's structured record as JSON (AAR four questions, SWARM
    -- findings, PSII terms of reference and SEIPS findings, themes...).
    record             TEXT NOT NULL DEFAULT '{}',
    target_date        TEXT,
    alert_date         TEXT,
    timescale_agreed   TEXT NOT NULL DEFAULT '',
    signed_off_by      INTEGER REFERENCES users(id),
    signed_off_at      TEXT,
    sign_off_note      TEXT NOT NULL DEFAULT '',
    created_by         INTEGER NOT NULL REFERENCES users(id),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    closed_at          TEXT
);
CREATE INDEX learning_responses_status ON learning_responses(status);

CREATE TABLE learning_response_reports (
    response_id INTEGER NOT NULL REFERENCES learning_responses(id),
    report_id   INTEGER NOT NULL REFERENCES reports(id),
    PRIMARY KEY (response_id, report_id)
);
CREATE INDEX learning_response_reports_report ON learning_response_reports(report_id);

CREATE TABLE learning_participants (
    response_id INTEGER NOT NULL REFERENCES learning_responses(id),
    name        TEXT NOT NULL,
    role        TEXT NOT NULL DEFAULT '',
    user_id     INTEGER REFERENCES users(id)
);
CREATE INDEX learning_participants_response ON learning_participants(response_id);

-- Engagement and involvement of patients, families and staff, and the duty
-- of candour where an incident is notifiable.
CREATE TABLE engagements (
    id            INTEGER PRIMARY KEY,
    response_id   INTEGER NOT NULL REFERENCES learning_responses(id),
    who           TEXT NOT NULL,
    relationship  TEXT NOT NULL,
    contacted_on  TEXT NOT NULL,
    how           TEXT NOT NULL,
    questions     TEXT NOT NULL DEFAULT '',
    told          TEXT NOT NULL DEFAULT '',
    recorded_by   INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL
);
CREATE INDEX engagements_response ON engagements(response_id);

CREATE TABLE duty_of_candour (
    response_id        INTEGER PRIMARY KEY REFERENCES learning_responses(id),
    notifiable         BOOLEAN NOT NULL,
    notified_on        TEXT,
    apology_given      BOOLEAN NOT NULL DEFAULT FALSE,
    written_follow_up  TEXT,
    notes              TEXT NOT NULL DEFAULT '',
    updated_by         INTEGER NOT NULL REFERENCES users(id),
    updated_at         TEXT NOT NULL
);

-- Improvement actions from any response or event.
CREATE TABLE improvement_actions (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    owner_user_id  INTEGER NOT NULL REFERENCES users(id),
    due_on         TEXT NOT NULL,
    status         TEXT NOT NULL,
    evidence       TEXT NOT NULL DEFAULT '',
    response_id    INTEGER REFERENCES learning_responses(id),
    report_id      INTEGER REFERENCES reports(id),
    created_by     INTEGER NOT NULL REFERENCES users(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    completed_at   TEXT
);
CREATE INDEX improvement_actions_owner ON improvement_actions(owner_user_id, status);
CREATE INDEX improvement_actions_due ON improvement_actions(status, due_on);
CREATE INDEX improvement_actions_response ON improvement_actions(response_id);

-- Each reminder or escalation about an action fires once (see
-- deadline_notices for reports).
CREATE TABLE action_notices (
    action_id INTEGER NOT NULL REFERENCES improvement_actions(id),
    kind      TEXT NOT NULL,
    fired_at  TEXT NOT NULL,
    PRIMARY KEY (action_id, kind)
);

-- Dekker's restorative just culture checklist for an event or a response:
-- who is hurt, what they need, whose obligation it is, and whether the goals
-- were reached.
CREATE TABLE restorative_records (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER REFERENCES reports(id),
    response_id  INTEGER REFERENCES learning_responses(id),
    goals        TEXT NOT NULL DEFAULT '{}',
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX restorative_records_report ON restorative_records(report_id);
CREATE INDEX restorative_records_response ON restorative_records(response_id);

CREATE TABLE restorative_needs (
    id           INTEGER PRIMARY KEY,
    record_id    INTEGER NOT NULL REFERENCES restorative_records(id),
    who          TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    needs        TEXT NOT NULL DEFAULT '',
    obligation   TEXT NOT NULL DEFAULT '',
    met          BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX restorative_needs_record ON restorative_needs(record_id);

-- Support for staff involved ("second victims"). Visible only to the staff
-- member, their supporter and the patient safety team.
CREATE TABLE support_plans (
    id                INTEGER PRIMARY KEY,
    person_id         INTEGER NOT NULL REFERENCES people(id),
    report_id         INTEGER REFERENCES reports(id),
    response_id       INTEGER REFERENCES learning_responses(id),
    supporter_user_id INTEGER NOT NULL REFERENCES users(id),
    frequency_days    INTEGER NOT NULL,
    offered           TEXT NOT NULL DEFAULT '',
    own_view          TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    created_by        INTEGER NOT NULL REFERENCES users(id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    closed_at         TEXT
);
CREATE INDEX support_plans_person ON support_plans(person_id);
CREATE INDEX support_plans_supporter ON support_plans(supporter_user_id);

CREATE TABLE support_checkins (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES support_plans(id),
    held_on     TEXT NOT NULL,
    notes       TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL
);
CREATE INDEX support_checkins_plan ON support_checkins(plan_id);

-- The learning library: lessons written for all staff from closed responses.
CREATE TABLE lessons (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL,
    body          TEXT NOT NULL,
    themes        TEXT NOT NULL DEFAULT '',
    response_id   INTEGER REFERENCES learning_responses(id),
    status        TEXT NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    published_at  TEXT,
    published_by  INTEGER REFERENCES users(id)
);
CREATE INDEX lessons_status ON lessons(status, published_at);

CREATE TABLE lesson_departments (
    lesson_id     INTEGER NOT NULL REFERENCES lessons(id),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    PRIMARY KEY (lesson_id, department_id)
);

CREATE TABLE lesson_staff_groups (
    lesson_id   INTEGER NOT NULL REFERENCES lessons(id),
    staff_group TEXT NOT NULL REFERENCES staff_groups(code),
    PRIMARY KEY (lesson_id, staff_group)
);

-- Who a lead sent a lesson to, and who has read it.
CREATE TABLE lesson_recipients (
    lesson_id  INTEGER NOT NULL REFERENCES lessons(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (lesson_id, user_id)
);

CREATE TABLE lesson_reads (
    lesson_id  INTEGER NOT NULL REFERENCES lessons(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    read_at    TEXT NOT NULL,
    PRIMARY KEY (lesson_id, user_id)
);

-- +goose Down
DROP TABLE lesson_reads;
DROP TABLE lesson_recipients;
DROP TABLE lesson_staff_groups;
DROP TABLE lesson_departments;
DROP TABLE lessons;
DROP TABLE support_checkins;
DROP TABLE support_plans;
DROP TABLE restorative_needs;
DROP TABLE restorative_records;
DROP TABLE action_notices;
DROP TABLE improvement_actions;
DROP TABLE duty_of_candour;
DROP TABLE engagements;
DROP TABLE learning_participants;
DROP TABLE learning_response_reports;
DROP TABLE learning_responses;
