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
-- closing that has since been undone: they stay in the history above, and
-- the reporter is asked again, now if the report has closed again since
-- (the answer is older than the closing), otherwise when it does. An
-- anonymous reporter's answer keeps only its date in England (stored as
-- midnight UTC of that date), so theirs is compared by date: an answer
-- dated before the closing's UTC date came before it (England's date is
-- never behind UTC's), and one given on the day of the closing stands.
UPDATE reports SET speak_up_again = NULL, detriment = NULL, feedback_at = NULL
    WHERE feedback_at IS NOT NULL
      AND (status <> 'closed'
        OR (mode <> 'anonymous' AND feedback_at < closed_at)
        OR (mode = 'anonymous' AND substr(feedback_at, 1, 10) < substr(closed_at, 1, 10))
        OR EXISTS (SELECT 1 FROM reports o WHERE o.id = reports.duplicate_of
            AND (o.status <> 'closed'
              OR (reports.mode <> 'anonymous' AND reports.feedback_at < o.closed_at)
              OR (reports.mode = 'anonymous' AND substr(reports.feedback_at, 1, 10) < substr(o.closed_at, 1, 10)))));

-- The team that made a redaction. Its reason is handler's commentary, often
-- on why a passage would identify someone; like that team's internal notes
-- (00017), it stays with that team when the report is passed to the other.
-- Redactions made before are given their report's team as it is now.
ALTER TABLE report_redactions ADD COLUMN team TEXT;
UPDATE report_redactions SET team = (SELECT r.team FROM reports r WHERE r.id = report_redactions.report_id);

-- +goose Down
ALTER TABLE report_redactions DROP COLUMN team;
DROP TABLE report_feedback;
