-- +goose Up
-- Every answer a reporter has given to "Would you speak up again?" and "Have
-- you been treated worse for speaking up?". A report closed, reopened and
-- closed again asks again, so one report can have several answers; the
-- guardians' return counts each quarter's answers from here, so a quarter
-- already returned keeps its figures when a case is reopened later.
-- reports.speak_up_again, detriment and feedback_at keep the answer to the
-- report's latest closing, NULL while one is awaited. given_at is the
-- reporter's time as reports.feedback_at keeps it (the day only, for an
-- anonymous report).
CREATE TABLE report_feedback (
    id             INTEGER PRIMARY KEY,
    report_id      INTEGER NOT NULL REFERENCES reports(id),
    speak_up_again TEXT NOT NULL,
    detriment      TEXT NOT NULL,
    given_at       TEXT NOT NULL
);
CREATE INDEX report_feedback_report ON report_feedback(report_id, id);
CREATE INDEX report_feedback_given ON report_feedback(given_at);
INSERT INTO report_feedback (report_id, speak_up_again, detriment, given_at)
    SELECT id, speak_up_again, COALESCE(detriment, 'prefer_not_to_say'), feedback_at FROM reports
    WHERE feedback_at IS NOT NULL AND speak_up_again IS NOT NULL ORDER BY feedback_at, id;

-- +goose Down
DROP TABLE report_feedback;
