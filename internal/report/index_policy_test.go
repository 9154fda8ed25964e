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

func TestIndexDue(t *testing.T) {
	for _, c := range []struct {
		name     string
		waiting  int
		age      time.Duration
		queueing bool
		want     bool
	}{
		{"nothing waiting", 0, time.Hour, false, false},
		{"a full chunk, however busy", IndexChunk, 0, true, true},
		{"queueing: a part chunk waits", IndexChunk - 1, time.Hour, true, false},
		{"quiet but fresh: waits for more", 10, indexLag / 2, false, false},
		{"quiet and old enough", 10, indexLag, false, true},
	} {
		if got := indexDue(c.waiting, c.age, c.queueing); got != c.want {
			t.Errorf("%s: indexDue(%d, %s, %v) = %v", c.name, c.waiting, c.age, c.queueing, got)
		}
	}
}

// While reports queue, the writer indexes them only in full chunks; once
// nobody is queueing it indexes the rest. Between the two, every stored
// event is found only once it is indexed, and the index stays consistent.
func TestWriterIndexesInChunksWhileQueueing(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		if db.Engine != store.SQLite {
			t.Skip("PostgreSQL indexes each row in the transaction that stores it")
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
		progress := func() int64 {
			t.Helper()
			var n int64
			if err := db.QueryRowContext(ctx, `SELECT indexed_upto FROM search_progress`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		found := func() int {
			t.Helper()
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM reports_fts WHERE reports_fts MATCH 'insulin'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		ix := newIndexer(true)
		defer ix.idle.Stop()
		ix.step(ctx, db) // the start-up step: nothing stored yet
		if ix.waiting != 0 {
			t.Fatalf("%d reports waiting in an empty database", ix.waiting)
		}
		b := &batcher{in: make(chan *batchReq, 1)}
		const batches, perBatch = 60, 20 // 1,200 reports: one full chunk and some
		steps, paid := 0, 0
		var ids []int64
		for i := 0; i < batches; i++ {
			batch := make([]*batchReq, perBatch)
			for k := range batch {
				sub := Submission{Kind: SafetyEvent, Mode: Anonymous, DepartmentID: dep.ID, OccurredOn: "2026-03-01",
					Description: "Insulin dose given twice because the chart had not been signed.", EventType: "incident",
					PhysicalHarm: "low", PsychologicalHarm: "none"}
				errs, _, err := svc.validate(ctx, &sub, nil)
				if err != nil || len(errs) > 0 {
					t.Fatalf("validate: %v %v", errs, err)
				}
				batch[k] = &batchReq{ctx: ctx, done: make(chan batchResult, 1),
					pr: prepared{sub: sub, now: now, receivedOn: svc.today(), secret: newCode(codeSecretGroups)}}
			}
			stored, pay := svc.writeBatch(ctx, b, batch, ix.pay(len(batch)), &ix.pace)
			ix.stored(stored, pay)
			paid += pay
			for _, r := range batch {
				res := <-r.done
				if res.err != nil {
					t.Fatal(res.err)
				}
				ids = append(ids, res.rec.ID)
			}
			// Someone is always queueing behind this writer.
			if ix.due(true) {
				ix.step(ctx, db)
				steps++
			}
		}
		if steps != 1 {
			t.Fatalf("%d indexing steps while queueing, want 1 (one full chunk of %d)", steps, IndexChunk)
		}
		if got, want := progress(), ids[IndexChunk-1]; got != want {
			t.Fatalf("index reached report %d after the full chunk, want %d", got, want)
		}
		if got := found(); got != IndexChunk {
			t.Fatalf("%d events found while queueing, want the %d indexed", got, IndexChunk)
		}
		rest := batches*perBatch - IndexChunk
		if ix.waiting != rest {
			t.Fatalf("writer counts %d waiting, want %d", ix.waiting, rest)
		}

		// The idle timer fires while reports still queue: they come first.
		ix.idleStep(ctx, db, true)
		if ix.waiting != rest {
			t.Fatalf("an idle step indexed while reports were queueing (%d waiting, want %d)", ix.waiting, rest)
		}
		// The queue empties: the idle step indexes the rest.
		ix.idleStep(ctx, db, false)
		if ix.waiting != 0 || progress() != ids[len(ids)-1] {
			t.Fatalf("after the idle step: %d waiting, index at %d of %d", ix.waiting, progress(), ids[len(ids)-1])
		}
		// The batches after the full chunk paid part of its merging, in
		// small amounts; the rest is owed.
		if paid == 0 || paid > (batches-IndexChunk/perBatch)*(mergePages(perBatch)+mergeCatchUp) {
			t.Fatalf("batches paid %d pages of merging", paid)
		}
		if want := mergePages(IndexChunk) + mergePages(rest) - paid; ix.owed != want {
			t.Fatalf("merging owed %d pages, want %d: indexing steps put their merging off", ix.owed, want)
		}
		// Further idle steps pay the merging until FTS5 finds nothing to do.
		for steps := 0; ix.owed > 0; steps++ {
			if steps > 200 {
				t.Fatal("merging never ends")
			}
			ix.idleStep(ctx, db, false)
		}
		var segments int
		if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM reports_fts_idx`).Scan(&segments); err != nil {
			t.Fatal(err)
		}
		if segments > 6 {
			t.Fatalf("%d index segments once idle, want at most 6", segments)
		}
		if got := found(); got != batches*perBatch {
			t.Fatalf("%d of %d events found", got, batches*perBatch)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO reports_fts (reports_fts, rank) VALUES ('integrity-check', 0)`); err != nil {
			t.Fatalf("full-text index integrity check: %v", err)
		}
	})
}

// A batch merges the search index in steps sized to its time at the
// current pace, and stops once its time is spent; what it did not merge
// stays owed. The pace rises at once to a dearer page and falls back
// slowly.
func TestBatchMergingStopsWhenItsTimeIsSpent(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		if db.Engine != store.SQLite {
			t.Skip("PostgreSQL's index needs no merging")
		}
		ctx := context.Background()
		for _, c := range []struct {
			name      string
			pages     int
			budget    time.Duration
			perPage   time.Duration
			want      int
			wantSteps int
		}{
			{"no time: nothing", 100, 0, 0, 0, 0},
			{"cheap pages: the most a step may ask", mergeMaxStep + 88, time.Hour, 0, mergeMaxStep + 88, 2},
			{"never more than is owed", 5, time.Hour, 0, 5, 1},
			{"nothing owed", 0, time.Hour, 0, 0, 0},
			{"dear pages: small steps", 3, 25 * time.Minute, 10 * time.Minute, 3, 2},
		} {
			var got, steps int
			pace := &mergePace{perPage: c.perPage}
			err := db.InTx(ctx, func(tx *store.Tx) error {
				var err error
				got, steps, err = mergeWithin(ctx, tx, c.pages, c.budget, pace)
				return err
			})
			if err != nil || got != c.want || steps != c.wantSteps {
				t.Errorf("%s: mergeWithin(%d pages, %s) = %d pages in %d steps, %v; want %d in %d",
					c.name, c.pages, c.budget, got, steps, err, c.want, c.wantSteps)
			}
		}

		var p mergePace
		if p.fit(time.Millisecond) != mergeMaxStep {
			t.Errorf("no pace yet: fit = %d, want %d", p.fit(time.Millisecond), mergeMaxStep)
		}
		p.observe(10, 20*time.Millisecond) // 2 ms a page
		if p.perPage != 2*time.Millisecond || p.fit(5*time.Millisecond) != 2 || p.fit(time.Microsecond) != 1 {
			t.Errorf("after a dear step: %s a page, fit(5ms) = %d", p.perPage, p.fit(5*time.Millisecond))
		}
		p.observe(64, 64*time.Microsecond) // cheap again: falls an eighth of the way
		if want := 2*time.Millisecond - (2*time.Millisecond-time.Microsecond)/8; p.perPage != want {
			t.Errorf("after a cheap step: %s a page, want %s", p.perPage, want)
		}

		ix := &indexer{on: true, owed: 1000}
		ix.idle = time.NewTimer(time.Hour)
		defer ix.idle.Stop()
		ix.stored(10, ix.pay(10)-30) // the batch ran out of time 30 pages short
		if want := 1000 - (mergePages(10) + mergeCatchUp - 30); ix.owed != want {
			t.Errorf("owed after a short batch: %d, want %d", ix.owed, want)
		}
		if mergeBudget(0) != mergeBudgetBase || mergeBudget(100) != mergeBudgetBase+100*mergeBudgetPerReport {
			t.Errorf("mergeBudget: %s, %s", mergeBudget(0), mergeBudget(100))
		}
	})
}
