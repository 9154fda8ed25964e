-- +goose Up
-- Nothing to do on PostgreSQL: this version changes how SQLite's FTS5 index
-- of reports is merged. It exists so both engines share version numbers.
SELECT 1;

-- +goose Down
SELECT 1;
