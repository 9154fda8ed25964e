package store_test

import (
	"context"
	"fmt"
	"testing"

	"candour/internal/store"
	"candour/internal/store/storetest"
)

// Without statistics SQLite's planner misjudged the search queries
// (docs/benchmarks.md); Analyze must leave statistics that every
// connection, the read pool included, plans with.
func TestAnalyzeGivesThePlannerStatistics(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE items (id INTEGER PRIMARY KEY, kind TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `CREATE INDEX items_kind ON items(kind)`); err != nil {
		t.Fatal(err)
	}
	if err := db.InTx(ctx, func(tx *store.Tx) error {
		for i := range 5000 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO items (kind) VALUES (?)`, fmt.Sprint("kind-", i%50)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	stat := func() string {
		t.Helper()
		var s string
		err := db.QueryRowContext(ctx, `SELECT coalesce((SELECT stat FROM sqlite_stat1 WHERE idx = 'items_kind'), '')`).Scan(&s)
		if err != nil {
			// No sqlite_stat1 table at all before the first ANALYZE.
			return ""
		}
		return s
	}
	if s := stat(); s != "" {
		t.Fatalf("statistics %q before Analyze", s)
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	// "rows rows-per-kind": about 5000 rows, 100 of each kind, estimated
	// from a sample.
	var rows, perKind int
	if _, err := fmt.Sscanf(stat(), "%d %d", &rows, &perKind); err != nil || rows < 1000 || perKind < 10 || perKind > 1000 {
		t.Fatalf("statistics after Analyze: %q (%v); want about 5000 rows, 100 a kind", stat(), err)
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatalf("second Analyze: %v", err)
	}
}
