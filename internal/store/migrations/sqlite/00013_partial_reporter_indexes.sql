-- +goose Up
-- Anonymous reports have no reporter and system actions no actor, so most
-- rows hold NULL in these columns, and every report stored wrote an index
-- entry that no query can use: "my reports" and the audit filter look up
-- one reporter or one actor. Leaving NULLs out spares each submission's
-- commit three index pages; a lookup by value implies IS NOT NULL, so the
-- queries still use the indexes.
DROP INDEX reports_reporter_user;
DROP INDEX reports_reporter_key;
DROP INDEX audit_actor;
CREATE INDEX reports_reporter_user ON reports(reporter_user_id) WHERE reporter_user_id IS NOT NULL;
CREATE INDEX reports_reporter_key ON reports(reporter_key) WHERE reporter_key IS NOT NULL;
CREATE INDEX audit_actor ON audit_log(actor_id) WHERE actor_id IS NOT NULL;

-- +goose Down
DROP INDEX reports_reporter_user;
DROP INDEX reports_reporter_key;
DROP INDEX audit_actor;
CREATE INDEX reports_reporter_user ON reports(reporter_user_id);
CREATE INDEX reports_reporter_key ON reports(reporter_key);
CREATE INDEX audit_actor ON audit_log(actor_id);
