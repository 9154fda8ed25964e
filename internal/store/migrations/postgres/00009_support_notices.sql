-- +goose Up
-- Each overdue check-in on a support plan reminds the supporter once: the
-- (plan, due date) key is claimed in the same transaction that sends the
-- notice, so replicas running the reminder job together send it once.
CREATE TABLE support_notices (
    plan_id   BIGINT NOT NULL REFERENCES support_plans(id),
    due_on    TEXT NOT NULL,
    fired_at  TEXT NOT NULL,
    PRIMARY KEY (plan_id, due_on)
);

-- +goose Down
DROP TABLE support_notices;
