package report_test

import (
	"context"
	"testing"

	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// On SQLite each submission's commit does its share of merging the
// full-text index (FTS5's bursty automerge is off): after hundreds of
// commits of one report each the index is still a handful of segments, it
// is consistent, and every event is found.
func TestSearchIndexMergedAsItGrows(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		if db.Engine != store.SQLite {
			t.Skip("PostgreSQL's GIN index keeps itself")
		}
		f := newFixture(t, db)
		ctx := context.Background()
		var automerge int
		if err := db.QueryRowContext(ctx, `SELECT v FROM reports_fts_config WHERE k = 'automerge'`).Scan(&automerge); err != nil || automerge != 0 {
			t.Fatalf("FTS5 automerge = %d (%v), want 0: merging is done by each commit", automerge, err)
		}
		const n = 400
		for i := 0; i < n; i++ {
			if _, err := f.svc.Submit(ctx, f.event(report.Anonymous), nil); err != nil {
				t.Fatal(err)
			}
		}
		var segments int
		if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM reports_fts_idx`).Scan(&segments); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d commits left %d segments", n, segments)
		if segments > 6 {
			t.Errorf("%d commits left %d index segments: the index is not being merged", n, segments)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO reports_fts (reports_fts, rank) VALUES ('integrity-check', 0)`); err != nil {
			t.Fatalf("full-text index integrity check: %v", err)
		}
		var found int
		const word = "paracetamol" // in every event's description
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM reports_fts WHERE reports_fts MATCH ?`, word).Scan(&found); err != nil {
			t.Fatal(err)
		}
		if found != n {
			t.Fatalf("%q found in %d of %d events", word, found, n)
		}
	})
}
