package report

import (
	"context"
	"testing"
	"time"

	"candour/internal/audit"
	"candour/internal/org"
	"candour/internal/secret"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

func TestMergePlan(t *testing.T) {
	for _, c := range []struct {
		name                 string
		owed, events         int
		queueing             bool
		wantPay, wantOwedNow int
	}{
		{"quiet, nothing owed: pays its own share", 0, 3, false, 10, 0},
		{"queueing: puts its share off", 0, 3, true, 0, 10},
		{"queueing with a debt: the debt grows", 500, 100, true, 0, 704},
		{"quiet with a debt: its share and a little of the debt", 500, 1, false, 6 + mergeCatchUp, 500 - mergeCatchUp},
		{"quiet, small debt: all of it", 5, 1, false, 11, 0},
		{"concerns only, nothing owed: nothing to merge", 0, 0, false, 0, 0},
	} {
		pay, owed := mergePlan(c.owed, c.events, c.queueing)
		if pay != c.wantPay || owed != c.wantOwedNow {
			t.Errorf("%s: pay %d owed %d, want %d and %d", c.name, pay, owed, c.wantPay, c.wantOwedNow)
		}
	}
}

// While reports queue, the writer puts off the search index's merging (the
// segments pile up, within FTS5's crisis bound); once the queue is empty it
// catches up, and the index ends as merged as if nothing had been put off,
// consistent, with every event found.
func TestMergingPutOffWhileQueueingIsCaughtUp(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		if db.Engine != store.SQLite {
			t.Skip("PostgreSQL's GIN index keeps itself")
		}
		ctx := context.Background()
		keys, err := secret.NewRing(secret.NewKeySpec("k1"))
		if err != nil {
			t.Fatal(err)
		}
		svc := NewService(db, keys)
		now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
		svc.Now = func() time.Time { return now }
		dir := org.New(db)
		site, err := dir.CreateSite(ctx, audit.System, org.Site{Code: "NGH", Name: "Northfield General"})
		if err != nil {
			t.Fatal(err)
		}
		dep, err := dir.CreateDepartment(ctx, audit.System, org.Department{SiteID: site.ID, Code: "W7", Name: "Ward 7", Kind: "ward"})
		if err != nil {
			t.Fatal(err)
		}
		segments := func() int {
			t.Helper()
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM reports_fts_idx`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		// A writer with someone always waiting behind the batch it writes.
		b := &batcher{in: make(chan *batchReq, 1)}
		b.in <- &batchReq{}
		const n = 300
		owed := 0
		for i := 0; i < n; i++ {
			sub := Submission{Kind: SafetyEvent, Mode: Anonymous, DepartmentID: dep.ID, OccurredOn: "2026-03-01",
				Description: "Insulin dose given twice because the chart had not been signed.", EventType: "incident",
				PhysicalHarm: "low", PsychologicalHarm: "none"}
			errs, _, err := svc.validate(ctx, &sub, nil)
			if err != nil || len(errs) > 0 {
				t.Fatalf("validate: %v %v", errs, err)
			}
			req := &batchReq{ctx: ctx, done: make(chan batchResult, 1),
				pr: prepared{sub: sub, now: now, receivedOn: svc.today(), secret: newCode(codeSecretGroups)}}
			owed = svc.writeBatch(ctx, b, []*batchReq{req}, owed)
			if res := <-req.done; res.err != nil {
				t.Fatal(res.err)
			}
		}
		piled := segments()
		t.Logf("%d commits while queueing: %d pages of merging owed, %d segments", n, owed, piled)
		if owed != n*mergePages(1) {
			t.Fatalf("owed %d pages after %d queued commits, want %d", owed, n, n*mergePages(1))
		}
		if piled <= 6 {
			t.Fatalf("%d segments after %d queued commits: merging was not put off", piled, n)
		}
		if piled > 16*4 {
			t.Fatalf("%d segments: FTS5's crisis merge did not bound them", piled)
		}

		// The queue empties: idle steps catch up until nothing is left.
		steps := 0
		for owed > 0 {
			owed = svc.catchUpMerging(ctx, owed)
			if steps++; steps > n {
				t.Fatal("catching up never ends")
			}
		}
		after := segments()
		t.Logf("caught up in %d idle steps: %d segments", steps, after)
		if after > 6 {
			t.Fatalf("%d segments after catching up, want at most 6 as with merging at every commit", after)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO reports_fts (reports_fts, rank) VALUES ('integrity-check', 0)`); err != nil {
			t.Fatalf("full-text index integrity check: %v", err)
		}
		var found int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM reports_fts WHERE reports_fts MATCH 'insulin'`).Scan(&found); err != nil {
			t.Fatal(err)
		}
		if found != n {
			t.Fatalf("found %d of %d events", found, n)
		}
	})
}
