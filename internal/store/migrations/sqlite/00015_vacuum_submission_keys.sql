-- +goose NO TRANSACTION
-- +goose Up
-- Clearing the stored submission keys (00014) leaves their bytes in the
-- file's free space until SQLite happens to reuse it; rebuilding the file
-- removes them. It runs once, on upgrade.
VACUUM;

-- +goose Down
SELECT 1;
