-- +goose Up
-- What the reporter said the report was (its kind, and the event type and
-- harm, or the concern's elements), kept when the team first changes any
-- of it: by grading it again, or by passing it to the other team. NULL
-- while the report is as the reporter raised it. The reporter's own view
-- shows their account, not the team's grading, and handlers see both.
ALTER TABLE reports ADD COLUMN reported_kind TEXT;
ALTER TABLE reports ADD COLUMN reported_event_type TEXT;
ALTER TABLE reports ADD COLUMN reported_physical_harm TEXT;
ALTER TABLE reports ADD COLUMN reported_psychological_harm TEXT;
ALTER TABLE reports ADD COLUMN reported_elements TEXT;

-- +goose Down
ALTER TABLE reports DROP COLUMN reported_elements;
ALTER TABLE reports DROP COLUMN reported_psychological_harm;
ALTER TABLE reports DROP COLUMN reported_physical_harm;
ALTER TABLE reports DROP COLUMN reported_event_type;
ALTER TABLE reports DROP COLUMN reported_kind;
