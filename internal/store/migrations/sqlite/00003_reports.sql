-- +goose Up
-- Reports: patient safety events and speak-up concerns. An anonymous report
-- holds no account id, no address, no user agent and only the day it arrived;
-- a confidential reporter's identity is sealed (AES-GCM) in reporter_sealed and
-- matched to "my reports" by a keyed hash, never by a plain account id.
CREATE TABLE reports (
    id                  INTEGER PRIMARY KEY,
    reference           TEXT NOT NULL UNIQUE,
    kind                TEXT NOT NULL,
    mode                TEXT NOT NULL,
    team                TEXT NOT NULL,
    status              TEXT NOT NULL,
    department_id       INTEGER REFERENCES departments(id),
    occurred_on         TEXT,
    occurred_time       TEXT,
    description         TEXT NOT NULL,
    immediate_actions   TEXT NOT NULL DEFAULT '',
    event_type          TEXT,
    physical_harm       TEXT,
    psychological_harm  TEXT,
    elements            TEXT NOT NULL DEFAULT '',
    desired_outcome     TEXT NOT NULL DEFAULT '',
    raised_elsewhere    TEXT NOT NULL DEFAULT '',
    reporter_user_id    INTEGER REFERENCES users(id),
    reporter_key        TEXT,
    reporter_sealed     TEXT,
    access_code_hash    TEXT UNIQUE,
    submission_key      TEXT UNIQUE,
    assigned_user_id    INTEGER REFERENCES users(id),
    duplicate_of        INTEGER REFERENCES reports(id),
    received_on         TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    ack_due_on          TEXT NOT NULL,
    feedback_due_on     TEXT NOT NULL,
    acknowledged_at     TEXT,
    closed_at           TEXT,
    outcome_summary     TEXT NOT NULL DEFAULT '',
    speak_up_again      TEXT,
    detriment           TEXT,
    feedback_at         TEXT
);
CREATE INDEX reports_queue ON reports(team, status, received_on);
CREATE INDEX reports_reporter_user ON reports(reporter_user_id);
CREATE INDEX reports_reporter_key ON reports(reporter_key);
CREATE INDEX reports_department ON reports(department_id);

CREATE TABLE report_people (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports(id),
    role        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    name_sealed TEXT
);
CREATE INDEX report_people_report ON report_people(report_id);

-- Messages between handlers and the reporter, and internal notes (internal =
-- TRUE) that the reporter never sees. Order is by id; a reporter's message on
-- an anonymous report keeps only its day.
CREATE TABLE report_messages (
    id             INTEGER PRIMARY KEY,
    report_id      INTEGER NOT NULL REFERENCES reports(id),
    from_reporter  BOOLEAN NOT NULL,
    internal       BOOLEAN NOT NULL DEFAULT FALSE,
    author_user_id INTEGER REFERENCES users(id),
    body           TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX report_messages_report ON report_messages(report_id, id);

CREATE TABLE report_links (
    report_id  INTEGER NOT NULL REFERENCES reports(id),
    related_id INTEGER NOT NULL REFERENCES reports(id),
    PRIMARY KEY (report_id, related_id)
);

-- A redaction keeps the original passage sealed; the report shows the
-- replacement text.
CREATE TABLE report_redactions (
    id              INTEGER PRIMARY KEY,
    report_id       INTEGER NOT NULL REFERENCES reports(id),
    field           TEXT NOT NULL,
    original_sealed TEXT NOT NULL,
    reason          TEXT NOT NULL,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL
);

-- Files are kept in the database so that every replica serves them.
CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES reports(id),
    message_id   INTEGER REFERENCES report_messages(id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX attachments_report ON attachments(report_id);

-- Deadline notices fired: the primary key makes each fire exactly once, even
-- when several replicas run the deadline job at the same moment.
CREATE TABLE deadline_notices (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    kind      TEXT NOT NULL,
    fired_at  TEXT NOT NULL,
    PRIMARY KEY (report_id, kind)
);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    report_id  INTEGER REFERENCES reports(id),
    body       TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at);

-- Email goes out through an outbox written in the same transaction as the
-- change that causes it; a sender claims rows one at a time.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    claimed_until   TEXT,
    sent_at         TEXT,
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox(sent_at, next_attempt_at);

-- Counters for rate limits shared by every replica.
CREATE TABLE rate_limits (
    bucket       TEXT NOT NULL,
    window_start TEXT NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

-- +goose Down
DROP TABLE rate_limits;
DROP TABLE outbox;
DROP TABLE notifications;
DROP TABLE deadline_notices;
DROP TABLE attachments;
DROP TABLE report_redactions;
DROP TABLE report_links;
DROP TABLE report_messages;
DROP TABLE report_people;
DROP TABLE reports;
