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

-- Reports the team graded again or passed on before this version no longer
-- hold what the reporter said: they are marked '' ("not known"), so that the
-- next change does not keep the team's grading as the reporter's. (A
-- grading saved unchanged is marked too; those reports simply show the
-- current grading, as before.)
UPDATE reports SET reported_kind = '' WHERE EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'report'
    AND a.entity_id = CAST(reports.id AS TEXT) AND a.action IN ('report.classify', 'report.reroute'));

-- +goose Down
ALTER TABLE reports DROP COLUMN reported_elements;
ALTER TABLE reports DROP COLUMN reported_psychological_harm;
ALTER TABLE reports DROP COLUMN reported_physical_harm;
ALTER TABLE reports DROP COLUMN reported_event_type;
ALTER TABLE reports DROP COLUMN reported_kind;
