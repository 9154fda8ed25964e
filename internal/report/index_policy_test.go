package report

import (
	"context"
	"errors"
	"fmt"
	"strings"
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

// writerFixture is a Service over db with one department, for tests that
// drive the group-commit writer's steps by hand, and prepare, which makes a
// validated anonymous safety event ready for a batch.
func writerFixture(t *testing.T, db *store.DB) (*Service, func(description string) *batchReq) {
	t.Helper()
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
	prepare := func(description string) *batchReq {
		t.Helper()
		sub := Submission{Kind: SafetyEvent, Mode: Anonymous, DepartmentID: dep.ID, OccurredOn: "2026-03-01",
			Description: description, EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "none"}
		errs, _, err := svc.validate(ctx, &sub, nil)
		if err != nil || len(errs) > 0 {
			t.Fatalf("validate: %v %v", errs, err)
		}
		return &batchReq{ctx: ctx, done: make(chan batchResult, 1),
			pr: prepared{sub: sub, now: now, receivedOn: svc.today(), secret: newCode(codeSecretGroups)}}
	}
	return svc, prepare
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
		svc, prepare := writerFixture(t, db)
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
				batch[k] = prepare("Insulin dose given twice because the chart had not been signed.")
			}
			stored, pay, mergeErr := svc.writeBatch(ctx, b, batch, ix.pay(len(batch)), &ix.pace)
			if mergeErr != nil {
				t.Fatal(mergeErr)
			}
			ix.stored(stored, pay, nil)
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
// stays owed. A command that finds nothing to merge pays the rest. The
// pace is learnt only from commands that found work.
func TestBatchMergingStopsWhenItsTimeIsSpent(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		name      string
		pages     int
		budget    time.Duration
		perPage   time.Duration // the pace before
		cost      time.Duration // what a page really costs
		noop      int           // the command (from 1) that finds nothing; 0 for none
		want      int           // pages paid
		wantCalls []int         // pages asked of each command
		worked    bool
	}{
		{"no time: nothing", 100, 0, 0, 0, 0, 0, nil, false},
		{"nothing owed", 0, ms, 0, 0, 0, 0, nil, false},
		// Half of 4 ms at the least page cost is 40 pages, then the rest.
		{"cheap pages: two steps", 100, 4 * ms, 0, 10 * time.Microsecond, 0, 100, []int{40, 60}, true},
		{"never more than is owed", 5, 4 * ms, 0, 10 * time.Microsecond, 0, 5, []int{5}, true},
		{"the most one command asks", 2000, 200 * ms, 0, 0, 0, 2000, []int{mergeMaxStep, mergeMaxStep, mergeMaxStep, 2000 - 3*mergeMaxStep}, true},
		// 1 ms a page: 2 pages in half of 4 ms, then 2 more, then out of time.
		{"dear pages: stops when the time is spent", 100, 4 * ms, ms, ms, 0, 4, []int{2, 2}, true},
		// 2 pages in 2.25 ms, then 2 more; with 0.5 ms left, too little
		// for the least step, nothing more is begun.
		{"no step begun that cannot fit", 100, 4*ms + ms/2, ms, ms, 0, 4, []int{2, 2}, true},
		// Dearer than the pace said: the first step overruns, and no more.
		{"dearer than the pace: one step", 100, 4 * ms, 100 * time.Microsecond, 5 * ms, 0, 20, []int{20}, true},
		{"nothing to merge: the rest is paid", 100, 4 * ms, 0, 0, 1, 100, []int{40}, false},
		{"work, then nothing: the rest is paid", 100, 4 * ms, 0, 10 * time.Microsecond, 2, 100, []int{40, 60}, true},
	} {
		clock := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		now := func() time.Time { return clock }
		var calls []int
		pace := &mergePace{perPage: c.perPage}
		got, worked, err := mergeSteps(c.pages, c.budget, pace, now, func(n int) (bool, error) {
			calls = append(calls, n)
			if len(calls) == c.noop {
				clock = clock.Add(10 * time.Microsecond)
				return false, nil
			}
			clock = clock.Add(time.Duration(n) * c.cost)
			return true, nil
		})
		if err != nil || got != c.want || worked != c.worked || fmt.Sprint(calls) != fmt.Sprint(c.wantCalls) {
			t.Errorf("%s: paid %d (want %d), worked %v (want %v), commands %v (want %v), %v",
				c.name, got, c.want, worked, c.worked, calls, c.wantCalls, err)
		}
	}
	// A command that finds work sets the pace.
	clock := time.Now()
	learnt := &mergePace{}
	mergeSteps(10, time.Second, learnt, func() time.Time { return clock }, func(n int) (bool, error) {
		clock = clock.Add(time.Duration(n) * ms)
		return true, nil
	})
	if learnt.perPage != ms {
		t.Errorf("after merging at 1 ms a page the pace is %s", learnt.perPage)
	}
	// A command that finds nothing teaches the pace nothing.
	idle := &mergePace{perPage: 300 * time.Microsecond}
	mergeSteps(100, 4*ms, idle, time.Now, func(int) (bool, error) { return false, nil })
	if idle.perPage != 300*time.Microsecond {
		t.Errorf("the pace moved to %s after a merge with nothing to do", idle.perPage)
	}
	// A command's error ends the merging, and is returned.
	boom := errors.New("disk I/O error")
	if _, _, err := mergeSteps(100, time.Second, &mergePace{}, time.Now, func(int) (bool, error) { return false, boom }); !errors.Is(err, boom) {
		t.Errorf("a failing merge: %v", err)
	}

	var p mergePace
	if p.cost() != mergeMinPageCost || p.fit(ms) != int(ms/mergeMinPageCost) {
		t.Errorf("no pace yet: cost %s, fit(1ms) = %d", p.cost(), p.fit(ms))
	}
	p.observe(10, 20*ms) // 2 ms a page
	if p.perPage != 2*ms || p.fit(5*ms) != mergeMinStep || p.fit(time.Microsecond) != mergeMinStep {
		t.Errorf("after a dear step: %s a page, fit(5ms) = %d", p.perPage, p.fit(5*ms))
	}
	p.observe(64, 64*time.Microsecond) // cheaper: falls an eighth of the way
	if want := 2*ms - (2*ms-time.Microsecond)/8; p.perPage != want {
		t.Errorf("after a cheap step: %s a page, want %s", p.perPage, want)
	}

	ix := &indexer{on: true, owed: 1000}
	ix.idle = time.NewTimer(time.Hour)
	defer ix.idle.Stop()
	ix.stored(10, ix.pay(10)-30, nil) // the batch ran out of time 30 pages short
	if want := 1000 - (mergePages(10) + mergeCatchUp - 30); ix.owed != want {
		t.Errorf("owed after a short batch: %d, want %d", ix.owed, want)
	}
	ix.stored(10, 0, errors.New("merge search index: damaged"))
	if ix.owed != 0 {
		t.Errorf("owed after a failed merge: %d, want 0 (the writer stops merging until indexing owes more)", ix.owed)
	}
	if mergeBudget(0) != mergeBudgetBase || mergeBudget(100) != mergeBudgetBase+100*mergeBudgetPerReport {
		t.Errorf("mergeBudget: %s, %s", mergeBudget(0), mergeBudget(100))
	}
}

// On a real index: a merge step reports work while segments wait to be
// merged and none once they are merged; a batch that fails and is written
// report by report pays no merging (its merging was rolled back).
func TestMergeStepsOnARealIndex(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, prepare := mergingFixture(t, db)
		b := &batcher{in: make(chan *batchReq, 1)}
		ix := newIndexer(true)
		defer ix.idle.Stop()
		segmentedIndex(t, db, svc, prepare, 8, 1) // eight segments
		segments := func() int {
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM reports_fts_idx`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := segments(); n < 4 {
			t.Fatalf("%d segments, want at least 4 to merge", n)
		}
		worked, done, err := mergeStep(ctx, db, 200, time.Second, &ix.pace)
		if err != nil || !worked || done == 0 {
			t.Fatalf("merging waiting segments: worked %v, paid %d, %v", worked, done, err)
		}
		for i := 0; worked; i++ {
			if i > 50 {
				t.Fatal("merging never ends")
			}
			if worked, done, err = mergeStep(ctx, db, 200, time.Second, &ix.pace); err != nil {
				t.Fatal(err)
			}
		}
		if done != 200 {
			t.Fatalf("a step with nothing to merge paid %d pages, want all 200", done)
		}
		if n := segments(); n > 2 {
			t.Fatalf("%d segments once merged", n)
		}

		// A batch with a report the database refuses is written again
		// report by report, and its merging is not counted as paid.
		if _, err := db.SQL().ExecContext(ctx, `CREATE TRIGGER refuse_marked BEFORE INSERT ON reports
			WHEN NEW.description LIKE '%REFUSE-ME%' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`); err != nil {
			t.Fatal(err)
		}
		batch := []*batchReq{prepare("Fridge left open overnight on the ward."), prepare("REFUSE-ME: fridge left open again.")}
		stored, paid, mergeErr := svc.writeBatch(ctx, b, batch, 100, &ix.pace)
		if stored != 1 || paid != 0 || mergeErr != nil {
			t.Fatalf("a failed batch: stored %d, paid %d pages, merge error %v; want 1 stored, nothing paid, no merge error", stored, paid, mergeErr)
		}
		if (<-batch[0].done).err != nil || (<-batch[1].done).err == nil {
			t.Fatal("only the refused report should fail")
		}
	})
}

// A batch whose search-index merging fails (here the index's segments are
// damaged on disk) still stores its reports: the merging is undone, left
// out of what the batch paid, and counted, and a lone report, which has no
// one-by-one retry to fall back on, is stored and answered like any other.
func TestBatchStoresReportsWhenMergingFails(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, prepare := mergingFixture(t, db)
		segmentedIndex(t, db, svc, prepare, 6, 1)
		b := &batcher{in: make(chan *batchReq, 1)}
		var pace mergePace
		// Damage every leaf of every segment; the structure record (id 10)
		// still lists them, so a merge reads them and fails.
		if _, err := db.SQL().ExecContext(ctx, `UPDATE reports_fts_data SET block = x'ffffffffffff' WHERE id > 10`); err != nil {
			t.Fatal(err)
		}
		before := searchIndexState(t, db)

		batch := []*batchReq{prepare("Syringe driver alarm silenced and not reset after the battery was changed.")}
		stored, paid, mergeErr := svc.writeBatch(ctx, b, batch, 100, &pace)
		if mergeErr == nil {
			t.Fatal("merging a damaged index reported no error")
		}
		if stored != 1 || paid != 0 {
			t.Fatalf("stored %d, paid %d pages; want the report stored and no merging paid", stored, paid)
		}
		res := <-batch[0].done
		if res.err != nil || res.rec.Reference == "" {
			t.Fatalf("the reporter got %+v, want a receipt", res)
		}
		var description string
		if err := db.QueryRowContext(ctx, `SELECT description FROM reports WHERE id = ?`, res.rec.ID).Scan(&description); err != nil ||
			description != "Syringe driver alarm silenced and not reset after the battery was changed." {
			t.Fatalf("the report as stored: %q, %v", description, err)
		}
		if after := searchIndexState(t, db); after != before {
			t.Error("the failed merging's changes to the index were kept")
		}
		svc.state().last.Store(b) // as StartBatching does, for BatchStats
		if got := svc.BatchStats().MergeFailures; got != 1 {
			t.Errorf("BatchStats: %d merge failures, want 1", got)
		}
	})
}

// mergingFixture is writerFixture for the tests of merging the full-text
// index, which only SQLite's index needs: on PostgreSQL it skips the test.
func mergingFixture(t *testing.T, db *store.DB) (*Service, func(description string) *batchReq) {
	t.Helper()
	if db.Engine != store.SQLite {
		t.Skip("PostgreSQL's index needs no merging")
	}
	return writerFixture(t, db)
}

// searchIndexState is the full-text index's pages, in order, as text.
func searchIndexState(t *testing.T, db *store.DB) string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT id, hex(block) FROM reports_fts_data ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id int64
		var block string
		if err := rows.Scan(&id, &block); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d:%s\n", id, block)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// segmentedIndex stores and indexes n batches of perBatch reports, one
// segment each, so that the index has merging to do.
func segmentedIndex(t *testing.T, db *store.DB, svc *Service, prepare func(string) *batchReq, n, perBatch int) {
	t.Helper()
	ctx := context.Background()
	b := &batcher{in: make(chan *batchReq, 1)}
	var pace mergePace
	for i := range n {
		batch := make([]*batchReq, perBatch)
		for k := range batch {
			batch[k] = prepare(fmt.Sprintf("Oxygen cylinder %d-%d found empty on the resuscitation trolley during the night shift; "+
				"the spare had not been reordered after the last audit of emergency equipment on ward %d.", i, k, k%7))
		}
		if stored, _, err := svc.writeBatch(ctx, b, batch, 0, &pace); stored != perBatch || err != nil {
			t.Fatalf("stored %d of %d: %v", stored, perBatch, err)
		}
		if _, _, err := indexStep(ctx, db, IndexChunk, false); err != nil {
			t.Fatal(err)
		}
	}
}

// When a merge command fails after earlier ones in the same batch have
// rewritten segments, the savepoint undoes those too: the transaction
// commits with the index exactly as it was before the merging began.
func TestFailedMergingIsUndoneToItsStart(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, prepare := mergingFixture(t, db)
		segmentedIndex(t, db, svc, prepare, 12, 40)
		// The first merge command writes the index's structure record
		// (id 10), which the counter notes; any write to the index after
		// that is refused, so the second command fails part way.
		for _, q := range []string{
			`CREATE TABLE merge_writes (n INTEGER NOT NULL)`,
			`INSERT INTO merge_writes VALUES (0)`,
			`CREATE TRIGGER merge_count AFTER INSERT ON reports_fts_data WHEN NEW.id = 10 BEGIN UPDATE merge_writes SET n = n + 1; END`,
			`CREATE TRIGGER merge_refuse BEFORE INSERT ON reports_fts_data WHEN (SELECT n FROM merge_writes) >= 1
				BEGIN SELECT RAISE(ABORT, 'refused by test'); END`,
		} {
			if _, err := db.SQL().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		before := searchIndexState(t, db)
		// A dear pace and a long budget: several small steps.
		pace := mergePace{perPage: time.Second}
		var steps int
		err := db.InTx(ctx, func(tx *store.Tx) error {
			done, _, err := mergeWithin(ctx, tx, 200, 10*time.Second, &pace)
			if _, undone := errors.AsType[*mergeUndone](err); !undone || done != 0 {
				t.Errorf("merging that fails part way: paid %d, %v; want nothing paid and the merging undone", done, err)
			}
			return tx.QueryRowContext(ctx, `SELECT n FROM merge_writes`).Scan(&steps)
		})
		if err != nil {
			t.Fatal(err)
		}
		if steps != 0 {
			t.Errorf("the counter reads %d after the undo, want 0", steps)
		}
		if searchIndexState(t, db) != before {
			t.Error("the first merge command's changes were kept after a later one failed")
		}
	})
}

// When the merging's failure takes the whole transaction with it (as an
// I/O error does), even a lone report, which has no batch to blame, is
// written again on its own and stored.
func TestLoneReportIsStoredWhenMergingEndsItsTransaction(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc, prepare := mergingFixture(t, db)
		segmentedIndex(t, db, svc, prepare, 6, 2)
		if _, err := db.SQL().ExecContext(ctx, `CREATE TRIGGER merge_rollback BEFORE INSERT ON reports_fts_data
			BEGIN SELECT RAISE(ROLLBACK, 'the disk went away'); END`); err != nil {
			t.Fatal(err)
		}
		b := &batcher{in: make(chan *batchReq, 1)}
		batch := []*batchReq{prepare("Bed rails left down on a patient at risk of falls.")}
		stored, paid, mergeErr := svc.writeBatch(ctx, b, batch, 100, &mergePace{})
		if stored != 1 || paid != 0 || mergeErr == nil {
			t.Fatalf("stored %d, paid %d, merge error %v; want the report stored, nothing paid, and the error", stored, paid, mergeErr)
		}
		if res := <-batch[0].done; res.err != nil || res.rec.Reference == "" {
			t.Fatalf("the reporter got %+v, want a receipt", res)
		}
		if b.retried.Load() != 1 || b.mergeFailures.Load() != 1 {
			t.Errorf("retried %d, merge failures %d; want 1 and 1", b.retried.Load(), b.mergeFailures.Load())
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE description = 'Bed rails left down on a patient at risk of falls.'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d such reports stored (%v), want 1", n, err)
		}
	})
}
