-- +goose Up
-- Submission keys are stored as keyed hashes, scoped to their sender
-- (internal/report/idempotency.go): a client's key is its own text, and a
-- UUIDv7 spells the millisecond it was made, where an anonymous report may
-- keep nothing finer than the day. The hashes are random, so SQLite does
-- not index them; the server keeps the last few days' in memory. The keys
-- stored before are cleared: they served only to recognise a second send,
-- moments after the first. submission_key stays, always NULL, because
-- SQLite cannot drop a UNIQUE column without rebuilding the table.
ALTER TABLE reports ADD COLUMN submission_hash TEXT;
UPDATE reports SET submission_key = NULL WHERE submission_key IS NOT NULL;

-- +goose Down
ALTER TABLE reports DROP COLUMN submission_hash;
