package audit_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"candour/internal/audit"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

func record(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			return audit.Record(ctx, tx, time.Now(), audit.Actor{UserID: 7, Label: "ann@example.org"},
				"person.update", "person", fmt.Sprint(i), "changed job title")
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestChainVerifiesAndDetectsTampering(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		record(t, db, 10)
		res, err := audit.Verify(ctx, db)
		if err != nil || !res.OK() || res.Entries != 10 {
			t.Fatalf("Verify = %+v, %v; want 10 entries, no break", res, err)
		}

		// Someone with database access disables the guard and edits entry 4.
		dropGuards(t, db)
		if _, err := db.ExecContext(ctx, `UPDATE audit_log SET actor = 'someone else' WHERE seq = 4`); err != nil {
			t.Fatal(err)
		}
		res, err = audit.Verify(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if res.BrokenAt != 4 || !strings.Contains(res.Problem, "altered") {
			t.Fatalf("after editing entry 4: %+v; want broken at 4", res)
		}
	})
}

func TestChainDetectsDeletion(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		record(t, db, 6)
		dropGuards(t, db)
		if _, err := db.ExecContext(ctx, `DELETE FROM audit_log WHERE seq = 3`); err != nil {
			t.Fatal(err)
		}
		res, _ := audit.Verify(ctx, db)
		if res.BrokenAt != 3 || !strings.Contains(res.Problem, "missing") {
			t.Fatalf("after deleting entry 3: %+v; want broken at 3 (missing)", res)
		}
	})
}

func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 10 {
					err := db.InTx(ctx, func(tx *store.Tx) error {
						return audit.Record(ctx, tx, time.Now(), audit.System, "test.append", "worker", fmt.Sprint(w), fmt.Sprint(i))
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		res, err := audit.Verify(ctx, db)
		if err != nil || !res.OK() || res.Entries != 80 {
			t.Fatalf("Verify = %+v, %v; want 80 entries in one unbroken chain", res, err)
		}
	})
}

func TestListFilters(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		record(t, db, 3)
		db.InTx(ctx, func(tx *store.Tx) error {
			return audit.Record(ctx, tx, time.Now(), audit.Actor{UserID: 9, Label: "bob@example.org"}, "user.sign_in", "user", "9", "")
		})
		got, next, err := audit.List(ctx, db, audit.Filter{Action: "user."})
		if err != nil || len(got) != 1 || got[0].Actor.Label != "bob@example.org" || next != 0 {
			t.Fatalf("filter by action: %+v next=%d err=%v", got, next, err)
		}
		got, next, _ = audit.List(ctx, db, audit.Filter{Actor: "ANN", Limit: 2})
		if len(got) != 2 || next == 0 {
			t.Fatalf("page of 2 of ann's 3 entries: %d entries, next=%d", len(got), next)
		}
		rest, _, _ := audit.List(ctx, db, audit.Filter{Actor: "ann", Before: next})
		if len(rest) != 1 {
			t.Fatalf("second page: %d entries, want 1", len(rest))
		}
		got, _, _ = audit.List(ctx, db, audit.Filter{Actor: "%"})
		if len(got) != 0 {
			t.Fatalf("a %% in the actor filter matched %d entries; it must match literally", len(got))
		}
	})
}

func dropGuards(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	stmts := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	if db.Engine == store.Postgres {
		stmts = []string{`DROP TRIGGER audit_log_no_change ON audit_log`}
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
}

// RecordAll writes many entries at once, across several multi-row
// statements, and the chain they make is the one Record would have made:
// in order, verifiable, continuing from and into single appends.
func TestRecordAllExtendsTheChainInOrder(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		record(t, db, 3)
		at := time.Date(2026, 11, 27, 9, 30, 0, 123456789, time.UTC)
		var events []audit.Event
		for i := range 300 {
			events = append(events, audit.Event{At: at.Add(time.Duration(i) * time.Second), Actor: audit.Actor{Label: "reporter (anonymous)"},
				Action: "report.submit", Entity: "report", EntityID: fmt.Sprint(1000 + i), Detail: fmt.Sprintf("entry %d", i)})
		}
		events[7].Actor = audit.Actor{UserID: 7, Label: "ann@example.org"}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := audit.RecordAll(ctx, tx, events[:1]); err != nil {
				return err
			}
			if err := audit.RecordAll(ctx, tx, nil); err != nil {
				return err
			}
			return audit.RecordAll(ctx, tx, events[1:])
		})
		if err != nil {
			t.Fatal(err)
		}
		record(t, db, 2)
		res, err := audit.Verify(ctx, db)
		if err != nil || !res.OK() || res.Entries != 305 {
			t.Fatalf("Verify = %+v, %v; want 305 entries, no break", res, err)
		}
		got, _, err := audit.List(ctx, db, audit.Filter{Action: "report.submit", Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 300 {
			t.Fatalf("listed %d entries, want 300", len(got))
		}
		for k, e := range got { // newest first
			i := 299 - k
			want := events[i]
			if e.Seq != int64(4+i) || e.EntityID != want.EntityID || e.Detail != want.Detail || e.Actor != want.Actor ||
				!e.At.Equal(want.At.Truncate(time.Microsecond)) {
				t.Fatalf("entry %d = %+v, want seq %d and %+v", i, e, 4+i, want)
			}
		}
	})
}
