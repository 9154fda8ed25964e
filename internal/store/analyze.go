package store

import (
	"context"
	"fmt"
)

// analysisLimit bounds the rows ANALYZE reads in each index (SQLite), so
// that gathering statistics stays short however large the tables.
const analysisLimit = 1000

// Analyze refreshes the query planner's statistics (SQLite; PostgreSQL's
// autovacuum keeps its own). SQLite has none until ANALYZE runs, and
// without them it judged the full-text searches and similar-events
// queries badly: at 100,000 events they took 150 ms instead of 6
// (docs/benchmarks.md). The server runs it shortly after starting and then
// hourly; with an analysis limit it reads a sample of each index, not all
// of it: it held the write connection for 118 ms at a million events, once
// an hour.
func (db *DB) Analyze(ctx context.Context) error {
	if db.Engine != SQLite {
		return nil
	}
	err := db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA analysis_limit = %d", analysisLimit)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "ANALYZE")
		return err
	})
	if err != nil {
		return fmt.Errorf("gather planner statistics: %w", err)
	}
	return nil
}
