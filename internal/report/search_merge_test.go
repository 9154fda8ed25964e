package report_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// ftsCount counts the events the full-text index finds for word.
func ftsCount(t *testing.T, db *store.DB, word string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM reports_fts WHERE reports_fts MATCH ?`, word).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// ftsIntact runs FTS5's own integrity check of the index against the
// reports: an index entry for a report that was never indexed, or one left
// behind by an edit, fails it.
func ftsIntact(t *testing.T, db *store.DB) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), `INSERT INTO reports_fts (reports_fts, rank) VALUES ('integrity-check', 0)`); err != nil {
		t.Fatalf("full-text index integrity check: %v", err)
	}
}

// Reports stored by any path (here thousands at once, as an import would)
// are indexed by CatchUpSearch in chunks: every safety event is then found,
// no speak-up concern is, the index is consistent and merged into a few
// segments, and the progress mark has reached the last report.
func TestSearchIndexCatchesUpInChunks(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		if db.Engine != store.SQLite {
			t.Skip("PostgreSQL indexes each row in the transaction that stores it")
		}
		f := newFixture(t, db)
		ctx := context.Background()
		const n = 2*report.IndexChunk + 300
		events := 0
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for i := 1; i <= n; i++ {
				kind, desc := "safety_event", "Insulin dose given twice on the ward"
				if i%10 == 0 {
					kind, desc = "concern", "Rotas are published late and insulin training is cancelled"
				} else {
					events++
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO reports (reference, kind, mode, team, status, department_id, description,
					received_on, created_at, updated_at, ack_due_on, feedback_due_on)
					VALUES (?, ?, 'anonymous', 'safety', 'new', ?, ?, '2026-03-02', '2026-03-02T09:30:00Z', '2026-03-02T09:30:00Z', '2026-03-09', '2026-06-02')`,
					fmt.Sprintf("IMPORT-%05d", i), kind, f.dept, desc); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := ftsCount(t, db, "insulin"); got != 0 {
			t.Fatalf("%d events indexed before catching up; storing should not index", got)
		}
		if err := report.CatchUpSearch(ctx, db); err != nil {
			t.Fatal(err)
		}
		if got := ftsCount(t, db, "insulin"); got != events {
			t.Fatalf("insulin found in %d events, want all %d safety events", got, events)
		}
		if got := ftsCount(t, db, "rotas"); got != 0 {
			t.Fatalf("a speak-up concern's words are in the search index (%d)", got)
		}
		ftsIntact(t, db)
		var upto, last int64
		db.QueryRowContext(ctx, `SELECT indexed_upto FROM search_progress`).Scan(&upto)
		db.QueryRowContext(ctx, `SELECT max(id) FROM reports`).Scan(&last)
		if upto != last {
			t.Fatalf("search progress at report %d, last report %d", upto, last)
		}
		var segments int
		if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM reports_fts_idx`).Scan(&segments); err != nil {
			t.Fatal(err)
		}
		if segments > 6 {
			t.Fatalf("%d index segments after catching up: the index is not being merged", segments)
		}
		// Caught up: nothing more to do, and a new report numbers past the mark.
		if err := report.CatchUpSearch(ctx, db); err != nil {
			t.Fatal(err)
		}
		rec, err := f.svc.Submit(ctx, f.event(report.Anonymous), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rec.ID <= upto {
			t.Fatalf("new report numbered %d, at or below the search progress mark %d", rec.ID, upto)
		}
	})
}

// A redaction must take words out of search whether or not the index had
// reached the report: an indexed report is reindexed by the trigger, and
// one still waiting is indexed later as it then reads. Either way the index
// stays consistent with the reports (the trigger must not "delete" index
// entries a report never had).
func TestRedactionBeforeAndAfterIndexing(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		if db.Engine != store.SQLite {
			t.Skip("PostgreSQL indexes each row in the transaction that stores it")
		}
		f := newFixture(t, db)
		ctx := context.Background()
		sub := f.event(report.Open)
		sub.Description = "Warfarin dose missed after the transfer from Ashcombe ward; found at the evening round."
		indexed, err := f.svc.Submit(ctx, sub, f.users["staff"])
		if err != nil {
			t.Fatal(err)
		}
		if err := report.CatchUpSearch(ctx, db); err != nil {
			t.Fatal(err)
		}
		waiting, err := f.svc.Submit(ctx, sub, f.users["staff"])
		if err != nil {
			t.Fatal(err)
		}
		safety := f.users["safety"]
		for _, id := range []int64{indexed.ID, waiting.ID} {
			if err := f.svc.Redact(ctx, safety, id, "description", 0, "Ashcombe ward", "Names the ward and so the patient"); err != nil {
				t.Fatal(err)
			}
		}
		ftsIntact(t, db)
		if err := report.CatchUpSearch(ctx, db); err != nil {
			t.Fatal(err)
		}
		ftsIntact(t, db)
		if got := ftsCount(t, db, "ashcombe"); got != 0 {
			t.Fatalf("a redacted word is still found in %d events", got)
		}
		if got := ftsCount(t, db, "warfarin"); got != 2 {
			t.Fatalf("warfarin found in %d events, want both", got)
		}
		if got := ftsCount(t, db, "redacted"); got != 2 {
			t.Fatalf("the redacted text is indexed for %d events, want both", got)
		}
		if !strings.Contains(sub.Description, "Ashcombe") {
			t.Fatal("test set-up: the passage to redact is missing")
		}
	})
}
