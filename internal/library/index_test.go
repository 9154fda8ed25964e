package library_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"candour/internal/authz"
	"candour/internal/library"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// Safety events are searchable as soon as they are stored, on both engines,
// although on SQLite they join the full-text index after their transaction:
// a search catches the index up first. Edits before and after indexing are
// what the index holds, concerns never enter it, and the background indexer
// leaves nothing behind.
func TestEventsSearchableAsSoonAsStored(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		safety := f.user(t, "Safety Lead", 0, authz.Safety)
		find := func(q string) []int64 {
			t.Helper()
			res, err := f.svc.Search(ctx, safety, q, 20)
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			var ids []int64
			for _, h := range res.Events {
				ids = append(ids, h.ReportID)
			}
			return ids
		}
		pending := func() int {
			t.Helper()
			if db.Engine != store.SQLite {
				return 0
			}
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM reports
				WHERE id > (SELECT indexed_upto FROM search_progress WHERE name = 'reports')`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		first := f.report(t, "safety_event", "safety", "Oxygen cylinder found empty on the resuscitation trolley during the morning check.")
		concern := f.report(t, "concern", "guardian", "Oxygen checks are skipped because the ward is short of staff.")
		if got := find("oxygen"); len(got) != 1 || got[0] != first {
			t.Fatalf("search straight after storing: events %v, want [%d]", got, first)
		}
		if pending() != 0 {
			t.Fatalf("%d reports still waiting for the index after a search", pending())
		}

		// Edited after indexing: the old words go, the new ones come.
		f.exec(t, `UPDATE reports SET description = 'Suction unit found unplugged on the resuscitation trolley.' WHERE id = ?`, first)
		if got := find("oxygen"); len(got) != 0 {
			t.Fatalf("old text still found after an edit: %v", got)
		}
		if got := find("suction"); len(got) != 1 || got[0] != first {
			t.Fatalf("new text not found after an edit: %v", got)
		}

		// Edited before indexing: indexed as it stands, once.
		second := f.report(t, "safety_event", "safety", "Defibrillator pads out of date on the children's ward.")
		f.exec(t, `UPDATE reports SET description = 'Defibrillator battery flat on the children''s ward.' WHERE id = ?`, second)
		if got := find("pads"); len(got) != 0 {
			t.Fatalf("text replaced before indexing was found: %v", got)
		}
		if got := find("defibrillator battery"); len(got) != 1 || got[0] != second {
			t.Fatalf("edited event not found: %v", got)
		}

		// Many at once, indexed in chunks by IndexPending as the server's
		// indexer calls it; the concern between them is passed over.
		var many []int64
		for range 150 {
			many = append(many, f.report(t, "safety_event", "safety", "Hoist sling torn during a transfer from bed to chair."))
		}
		if db.Engine == store.SQLite && pending() != 150 {
			t.Fatalf("pending = %d before indexing, want 150", pending())
		}
		n, err := f.svc.IndexPending(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[store.Engine]int{store.SQLite: 150, store.Postgres: 0}[db.Engine]; n != want {
			t.Fatalf("IndexPending went past %d reports, want %d", n, want)
		}
		if pending() != 0 {
			t.Fatalf("%d reports left unindexed", pending())
		}
		if got := find("hoist sling"); len(got) != 20 {
			t.Fatalf("found %d of the 150 hoist events (limit 20)", len(got))
		}
		for _, id := range find("short staff") {
			if id == concern {
				t.Fatal("a concern entered the index")
			}
		}
		if db.Engine == store.SQLite {
			var indexed int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM reports_fts WHERE reports_fts MATCH 'hoist'`).Scan(&indexed); err != nil {
				t.Fatal(err)
			}
			if indexed != len(many) {
				t.Fatalf("%d rows in the index for %d hoist events: indexed twice or missed", indexed, len(many))
			}
		}
	})
}

// The server's indexer brings the index up to date by itself, without
// waiting for someone to search.
func TestIndexerRunsInTheBackground(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		if db.Engine != store.SQLite {
			t.Skip("PostgreSQL indexes as it commits")
		}
		f := newFixture(t, db)
		for range 300 {
			f.report(t, "safety_event", "safety", "Patient identification band missing on arrival at theatre.")
		}
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { f.svc.RunIndexer(runCtx, slog.New(slog.DiscardHandler)); close(done) }()
		defer func() { stop(); <-done }()
		deadline := time.Now().Add(10 * time.Second)
		for {
			var indexed int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM reports_fts WHERE reports_fts MATCH 'identification'`).Scan(&indexed); err != nil {
				t.Fatal(err)
			}
			if indexed == 300 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 10 s the background indexer had indexed %d of 300 events", indexed)
			}
			time.Sleep(library.IndexEvery / 2)
		}
	})
}
