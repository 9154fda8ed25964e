-- +goose Up
-- Full-text search for the learning library and similar events: stored
-- tsvector columns, generated from the text so that nothing can forget to
-- update them, with GIN indexes. Only patient safety events get a vector:
-- speak-up concerns belong to the guardians and never appear in search or
-- similar events. The 'english' configuration stems words and drops stop
-- words, as the porter tokenizer does on SQLite (minus the stop words).
ALTER TABLE reports ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
    CASE WHEN kind = 'safety_event'
        THEN to_tsvector('english'::regconfig, description || ' ' || immediate_actions)
    END
) STORED;
CREATE INDEX reports_search ON reports USING GIN (search_tsv);

-- Titles and themes weigh most, then the summary, then the body.
ALTER TABLE lessons ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, title), 'A') ||
    setweight(to_tsvector('english'::regconfig, replace(themes, '_', ' ')), 'A') ||
    setweight(to_tsvector('english'::regconfig, summary), 'B') ||
    setweight(to_tsvector('english'::regconfig, body), 'C')
) STORED;
CREATE INDEX lessons_search ON lessons USING GIN (search_tsv);

CREATE INDEX lesson_recipients_user ON lesson_recipients(user_id);
CREATE INDEX lesson_reads_user ON lesson_reads(user_id);

-- +goose Down
DROP INDEX lesson_reads_user;
DROP INDEX lesson_recipients_user;
DROP INDEX lessons_search;
ALTER TABLE lessons DROP COLUMN search_tsv;
DROP INDEX reports_search;
ALTER TABLE reports DROP COLUMN search_tsv;
