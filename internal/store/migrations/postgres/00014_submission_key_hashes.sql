-- +goose Up
-- Submission keys are stored as keyed hashes, scoped to their sender
-- (internal/report/idempotency.go): a client's key is its own text, and a
-- UUIDv7 spells the millisecond it was made, where an anonymous report may
-- keep nothing finer than the day. The unique index lets every replica
-- recognise a second send. The keys stored before are cleared: they served
-- only to recognise a second send, moments after the first.
ALTER TABLE reports ADD COLUMN submission_hash TEXT UNIQUE;
UPDATE reports SET submission_key = NULL WHERE submission_key IS NOT NULL;
ALTER TABLE reports DROP CONSTRAINT IF EXISTS reports_submission_key_key;

-- +goose Down
ALTER TABLE reports DROP COLUMN submission_hash;
ALTER TABLE reports ADD CONSTRAINT reports_submission_key_key UNIQUE (submission_key);
