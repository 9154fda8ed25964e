-- +goose Up
-- Earlier versions counted wrong access codes per client in rate_limits,
-- under a keyed hash of the client's address. The per-client counts now live
-- only in each server's memory (internal/report/code_limit.go), so the rows
-- those versions left are removed now rather than on the next wrong code.
DELETE FROM rate_limits WHERE bucket LIKE 'access-code:%' AND bucket <> 'access-code:all';

-- +goose Down
-- Nothing to restore: the rows held nothing any version still needs.
SELECT 1;
