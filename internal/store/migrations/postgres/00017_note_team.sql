-- +goose Up
-- The team an internal note belongs to. When a report is passed to the other
-- team, the notes the first team wrote stay with that team: they may hold
-- what the new team has no need to know (who the reporter is, what was said
-- on the phone). The new team sees the reason it was passed on, and its own
-- notes. NULL for messages between the team and the reporter. Notes written
-- before this column are given their report's team as it is now.
ALTER TABLE report_messages ADD COLUMN team TEXT;
UPDATE report_messages SET team = (SELECT r.team FROM reports r WHERE r.id = report_messages.report_id) WHERE internal;

-- +goose Down
ALTER TABLE report_messages DROP COLUMN team;
