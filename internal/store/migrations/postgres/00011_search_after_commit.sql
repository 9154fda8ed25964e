-- +goose Up
-- Nothing to do on PostgreSQL: reports.search_tsv is a generated column, so
-- a safety event is searchable as soon as its transaction commits. (On
-- SQLite this version moves full-text indexing out of the submission's
-- transaction; the version is kept in step on both engines.)
SELECT 1;

-- +goose Down
SELECT 1;
