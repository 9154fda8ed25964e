-- +goose NO TRANSACTION
-- +goose Up
-- Clearing the stored submission keys (00014) leaves the old row versions
-- in the table until it is vacuumed; do it now rather than whenever
-- autovacuum comes round. (Backups and archived WAL keep what they kept.)
VACUUM reports;

-- +goose Down
SELECT 1;
