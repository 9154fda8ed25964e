-- +goose Up
-- Full-text search for the learning library and similar events (FTS5).
-- Both indexes are external-content tables: the text lives once, in reports
-- and lessons, and triggers keep the index in step with every insert, update
-- and delete. Only patient safety events are indexed: speak-up concerns
-- belong to the guardians and never appear in search or similar events, so
-- their words are kept out of the index altogether.
-- porter stems English words (falls, fell ~ fall is not caught, but falls,
-- falling ~ fall is); unicode61 with remove_diacritics folds accents.
CREATE VIRTUAL TABLE reports_fts USING fts5(
    description, immediate_actions,
    content = 'reports', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- +goose StatementBegin
CREATE TRIGGER reports_fts_insert AFTER INSERT ON reports WHEN new.kind = 'safety_event'
BEGIN
    INSERT INTO reports_fts (rowid, description, immediate_actions) VALUES (new.id, new.description, new.immediate_actions);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports WHEN old.kind = 'safety_event'
BEGIN
    INSERT INTO reports_fts (reports_fts, rowid, description, immediate_actions) VALUES ('delete', old.id, old.description, old.immediate_actions);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER reports_fts_update AFTER UPDATE OF description, immediate_actions, kind ON reports
BEGIN
    INSERT INTO reports_fts (reports_fts, rowid, description, immediate_actions)
        SELECT 'delete', old.id, old.description, old.immediate_actions WHERE old.kind = 'safety_event';
    INSERT INTO reports_fts (rowid, description, immediate_actions)
        SELECT new.id, new.description, new.immediate_actions WHERE new.kind = 'safety_event';
END;
-- +goose StatementEnd

INSERT INTO reports_fts (rowid, description, immediate_actions)
    SELECT id, description, immediate_actions FROM reports WHERE kind = 'safety_event';

CREATE VIRTUAL TABLE lessons_fts USING fts5(
    title, summary, body, themes,
    content = 'lessons', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- +goose StatementBegin
CREATE TRIGGER lessons_fts_insert AFTER INSERT ON lessons
BEGIN
    INSERT INTO lessons_fts (rowid, title, summary, body, themes) VALUES (new.id, new.title, new.summary, new.body, new.themes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER lessons_fts_delete AFTER DELETE ON lessons
BEGIN
    INSERT INTO lessons_fts (lessons_fts, rowid, title, summary, body, themes) VALUES ('delete', old.id, old.title, old.summary, old.body, old.themes);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER lessons_fts_update AFTER UPDATE OF title, summary, body, themes ON lessons
BEGIN
    INSERT INTO lessons_fts (lessons_fts, rowid, title, summary, body, themes) VALUES ('delete', old.id, old.title, old.summary, old.body, old.themes);
    INSERT INTO lessons_fts (rowid, title, summary, body, themes) VALUES (new.id, new.title, new.summary, new.body, new.themes);
END;
-- +goose StatementEnd

INSERT INTO lessons_fts (lessons_fts) VALUES ('rebuild');

-- Who a lesson was sent to is looked up per user for "sent to you".
CREATE INDEX lesson_recipients_user ON lesson_recipients(user_id);
CREATE INDEX lesson_reads_user ON lesson_reads(user_id);

-- +goose Down
DROP INDEX lesson_reads_user;
DROP INDEX lesson_recipients_user;
DROP TRIGGER lessons_fts_update;
DROP TRIGGER lessons_fts_delete;
DROP TRIGGER lessons_fts_insert;
DROP TABLE lessons_fts;
DROP TRIGGER reports_fts_update;
DROP TRIGGER reports_fts_delete;
DROP TRIGGER reports_fts_insert;
DROP TABLE reports_fts;
