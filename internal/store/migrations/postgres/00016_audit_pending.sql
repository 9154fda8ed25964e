-- +goose Up
-- What an anonymous reporter does (raising the report, reading replies,
-- writing back, giving feedback) waits here, with its day only, until the
-- day is over; then it joins the audit chain (audit.ReleasePending). In the
-- chain every entry sits between its neighbours, whose times are exact, so
-- an entry written at once would tell the minute an anonymous reporter
-- acted, where the report itself keeps only the day.
CREATE TABLE audit_pending (
    id          BIGSERIAL PRIMARY KEY,
    day         TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    detail      TEXT NOT NULL
);

-- +goose Down
DROP TABLE audit_pending;
