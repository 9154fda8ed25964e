-- +goose Up
-- The reports' full-text index is merged a little at every submission's
-- commit (report.mergeSearchIndex) instead of by FTS5's automerge, whose
-- bursts of merging stalled whichever commit triggered them.
INSERT INTO reports_fts (reports_fts, rank) VALUES ('automerge', 0);

-- +goose Down
INSERT INTO reports_fts (reports_fts, rank) VALUES ('automerge', 4);
