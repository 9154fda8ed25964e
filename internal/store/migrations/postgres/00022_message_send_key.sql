-- +goose Up
-- A keyed hash of the form (or request) that sent a message together with
-- what it said, so that the same message sent twice (a double click, a
-- page sent again, a retry after a lost answer) is stored once. NULL for
-- messages candour writes itself, and for those sent before this version;
-- NULLs never clash in a unique index, on either engine.
ALTER TABLE report_messages ADD COLUMN send_key TEXT;
CREATE UNIQUE INDEX report_messages_send_key ON report_messages (report_id, send_key);

-- +goose Down
DROP INDEX report_messages_send_key;
ALTER TABLE report_messages DROP COLUMN send_key;
