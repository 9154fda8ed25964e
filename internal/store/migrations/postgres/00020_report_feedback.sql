-- +goose Up
-- Every answer a reporter has given to "Would you speak up again?" and "Have
-- you been treated worse for speaking up?". A report closed, reopened and
-- closed again asks again, so one report can have several answers: n is 1
-- for its first, 2 for the next, and so on. The key is the report and n,
-- not a number shared by every report's answers, which would put an
-- anonymous answer (kept to the day, as given_at is for anonymous reports)
-- in order among answers whose times are kept. The guardians' return
-- counts each quarter's answers from here. reports.speak_up_again,
-- detriment and feedback_at keep the answer to the report's latest
-- closing, NULL while one is awaited.
CREATE TABLE report_feedback (
    report_id      BIGINT NOT NULL REFERENCES reports(id),
    n              INTEGER NOT NULL,
    speak_up_again TEXT NOT NULL,
    detriment      TEXT NOT NULL,
    given_at       TEXT NOT NULL,
    PRIMARY KEY (report_id, n)
);
CREATE INDEX report_feedback_given ON report_feedback(given_at);
INSERT INTO report_feedback (report_id, n, speak_up_again, detriment, given_at)
    SELECT id, 1, speak_up_again, detriment, feedback_at FROM reports
    WHERE feedback_at IS NOT NULL AND speak_up_again IS NOT NULL AND detriment IS NOT NULL;
-- Earlier versions kept an answer when a report was reopened, and when the
-- report a duplicate was joined to was reopened. Those answers belong to a
-- closing that has been undone: they stay in the history above, and the
-- reporter is asked again when the report closes again.
UPDATE reports SET speak_up_again = NULL, detriment = NULL, feedback_at = NULL
    WHERE feedback_at IS NOT NULL
      AND (status <> 'closed' OR duplicate_of IN (SELECT o.id FROM reports o WHERE o.status <> 'closed'));

-- +goose Down
DROP TABLE report_feedback;
