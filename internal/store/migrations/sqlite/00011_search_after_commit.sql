-- +goose Up
-- Safety events join the full-text index just after they are stored, in
-- batches, rather than inside the transaction that stores them. Indexing
-- inside it made every submission pay for tokenising and, now and then, for
-- one of FTS5's segment merges: a stall of tens of milliseconds for whoever
-- was waiting on that commit. search_progress records the highest report id
-- the index has been brought up to; library.IndexPending moves it on, and
-- every search and similar-events query catches up first, so results never
-- miss a stored event.
CREATE TABLE search_progress (
    name          TEXT PRIMARY KEY,
    indexed_upto  INTEGER NOT NULL
);
-- Every report stored so far was indexed by the old trigger.
INSERT INTO search_progress (name, indexed_upto) VALUES ('reports', COALESCE((SELECT max(id) FROM reports), 0));

DROP TRIGGER reports_fts_insert;
DROP TRIGGER reports_fts_delete;
DROP TRIGGER reports_fts_update;

-- Edits and deletions touch the index only for reports already in it; one
-- not yet indexed goes in later with whatever text it has by then. (An
-- external-content FTS5 table must never be told to delete a row it does
-- not hold.)
-- +goose StatementBegin
CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports
WHEN old.kind = 'safety_event' AND old.id <= (SELECT indexed_upto FROM search_progress WHERE name = 'reports')
BEGIN
    INSERT INTO reports_fts (reports_fts, rowid, description, immediate_actions) VALUES ('delete', old.id, old.description, old.immediate_actions);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER reports_fts_update AFTER UPDATE OF description, immediate_actions, kind ON reports
WHEN old.id <= (SELECT indexed_upto FROM search_progress WHERE name = 'reports')
BEGIN
    INSERT INTO reports_fts (reports_fts, rowid, description, immediate_actions)
        SELECT 'delete', old.id, old.description, old.immediate_actions WHERE old.kind = 'safety_event';
    INSERT INTO reports_fts (rowid, description, immediate_actions)
        SELECT new.id, new.description, new.immediate_actions WHERE new.kind = 'safety_event';
END;
-- +goose StatementEnd

-- +goose Down
INSERT INTO reports_fts (rowid, description, immediate_actions)
    SELECT id, description, immediate_actions FROM reports
    WHERE kind = 'safety_event' AND id > (SELECT indexed_upto FROM search_progress WHERE name = 'reports');
DROP TRIGGER reports_fts_delete;
DROP TRIGGER reports_fts_update;
DROP TABLE search_progress;
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
