-- +goose Up
-- Safety events are added to the full-text index after they are stored
-- rather than by a trigger inside the storing transaction: the
-- group-commit writer indexes them in chunks, and every search first
-- indexes whatever is still waiting, so nothing is ever missing from a
-- search (report.CatchUpSearch). Tokenising and merging in chunks of many
-- reports costs less than half as much per report as doing it one
-- transaction at a time, and it is off the path every submission waits on.
--
-- search_progress.indexed_upto is the highest report id the index has
-- reached. Reports ids above it are not in the index yet, so an edit or a
-- deletion of one must leave the index alone; the indexer will take the
-- row as it then is.
CREATE TABLE search_progress (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_upto  INTEGER NOT NULL
);
INSERT INTO search_progress (id, indexed_upto) SELECT 1, coalesce(max(id), 0) FROM reports;

DROP TRIGGER reports_fts_insert;
DROP TRIGGER reports_fts_delete;
DROP TRIGGER reports_fts_update;

-- +goose StatementBegin
CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports
    WHEN old.kind = 'safety_event' AND old.id <= (SELECT indexed_upto FROM search_progress)
BEGIN
    INSERT INTO reports_fts (reports_fts, rowid, description, immediate_actions) VALUES ('delete', old.id, old.description, old.immediate_actions);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER reports_fts_update AFTER UPDATE OF description, immediate_actions, kind ON reports
    WHEN old.id <= (SELECT indexed_upto FROM search_progress)
BEGIN
    INSERT INTO reports_fts (reports_fts, rowid, description, immediate_actions)
        SELECT 'delete', old.id, old.description, old.immediate_actions WHERE old.kind = 'safety_event';
    INSERT INTO reports_fts (rowid, description, immediate_actions)
        SELECT new.id, new.description, new.immediate_actions WHERE new.kind = 'safety_event';
END;
-- +goose StatementEnd

-- +goose Down
-- Index whatever is still waiting, then go back to indexing by trigger.
INSERT INTO reports_fts (rowid, description, immediate_actions)
    SELECT id, description, immediate_actions FROM reports
    WHERE kind = 'safety_event' AND id > (SELECT indexed_upto FROM search_progress);
DROP TRIGGER reports_fts_update;
DROP TRIGGER reports_fts_delete;
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
