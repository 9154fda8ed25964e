package report_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"candour/internal/audit"
	"candour/internal/org"
	"candour/internal/report"
	"candour/internal/secret"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// startBatching runs the group-commit writer until the test ends (or stop
// is called) and waits for it to finish.
func startBatching(t *testing.T, svc *report.Service) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { svc.StartBatching(ctx); close(done) }()
	// Wait until Submits go through the writer.
	for i := 0; !svc.Batching(); i++ {
		if i > 1000 {
			t.Fatal("the writer did not start")
		}
		time.Sleep(time.Millisecond)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Error("the writer did not stop")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// holdWriter holds the write connection on SQLite, and on PostgreSQL the
// audit chain and the reports table (an anonymous report's batch never
// touches the chain: its entries wait out the day), so that submissions
// queue up behind it; release lets them through.
func holdWriter(t *testing.T, db *store.DB) (release func()) {
	t.Helper()
	ctx := context.Background()
	started, rel, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- db.InTx(ctx, func(tx *store.Tx) error {
			if err := audit.Record(ctx, tx, time.Now(), audit.System, "test.hold", "test", "1", "holding the writer"); err != nil {
				return err
			}
			if db.Engine == store.Postgres {
				// Readers pass; an INSERT waits.
				if _, err := tx.ExecContext(ctx, `LOCK TABLE reports IN SHARE ROW EXCLUSIVE MODE`); err != nil {
					return err
				}
			}
			close(started)
			<-rel
			return nil
		})
	}()
	select {
	case <-started:
	case err := <-done:
		t.Fatal(err)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			close(rel)
			if err := <-done; err != nil {
				t.Error(err)
			}
		})
	}
}

func verifyChain(t *testing.T, db *store.DB) {
	t.Helper()
	res, err := audit.Verify(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Fatalf("audit chain broken at %d: %s", res.BrokenAt, res.Problem)
	}
}

func countReports(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM reports`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBatchedSubmitsGroupAndKeepTheChain(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		startBatching(t, f.svc)
		release := holdWriter(t, db)

		const n = 200
		recs := make([]report.Receipt, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var sub report.Submission
				p := f.users["staff"]
				switch i % 4 {
				case 0:
					sub = f.event(report.Anonymous)
				case 1:
					sub = f.concern(report.Anonymous)
				case 2:
					sub = f.event(report.Open)
				default:
					sub = f.concern(report.Confidential)
				}
				recs[i], errs[i] = f.svc.Submit(ctx, sub, p)
			}()
		}
		// Let the submissions queue behind the held writer, then let go.
		time.Sleep(300 * time.Millisecond)
		release()
		wg.Wait()

		seen := map[string]bool{}
		ids := map[int64]bool{}
		for i := range recs {
			if errs[i] != nil {
				t.Fatalf("submission %d: %v", i, errs[i])
			}
			if recs[i].Reference == "" || seen[recs[i].Reference] || ids[recs[i].ID] {
				t.Fatalf("submission %d: reference %q id %d missing or repeated", i, recs[i].Reference, recs[i].ID)
			}
			seen[recs[i].Reference], ids[recs[i].ID] = true, true
			if (i%4 < 2) != (recs[i].AccessCode != "") {
				t.Fatalf("submission %d: access code %q; want one for anonymous reports only", i, recs[i].AccessCode)
			}
		}
		if got := countReports(t, db); got != n {
			t.Fatalf("stored %d reports, want %d", got, n)
		}
		// Every receipt matches what was stored.
		for _, r := range recs {
			var ref, ack string
			if err := db.QueryRowContext(ctx, `SELECT reference, ack_due_on FROM reports WHERE id = ?`, r.ID).Scan(&ref, &ack); err != nil {
				t.Fatal(err)
			}
			if ref != r.Reference || ack != r.AckDueOn {
				t.Fatalf("receipt %+v does not match stored %s %s", r, ref, ack)
			}
		}
		// Open reports are in the chain at once; anonymous and
		// confidential ones wait for their day to end.
		var entries, held int
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'report.submit'`).Scan(&entries)
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_pending WHERE action = 'report.submit'`).Scan(&held)
		if entries != n/4 || held != 3*n/4 {
			t.Fatalf("%d submit audit entries in the chain and %d held back, want %d and %d", entries, held, n/4, 3*n/4)
		}
		*f.clock = f.clock.Add(24 * time.Hour)
		if released, err := f.svc.ReleaseHeldAudit(ctx); err != nil || released != 3*n/4 {
			t.Fatalf("released %d held entries (%v), want %d", released, err, 3*n/4)
		}
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'report.submit'`).Scan(&entries)
		if entries != n {
			t.Fatalf("%d submit audit entries, want %d", entries, n)
		}
		// Each entry names its own report, once, with the kind and mode that
		// report was raised with.
		var matched int
		db.QueryRowContext(ctx, `SELECT count(DISTINCT r.id) FROM audit_log a JOIN reports r ON CAST(r.id AS TEXT) = a.entity_id
			WHERE a.action = 'report.submit' AND a.entity = 'report'
			AND a.detail = CASE r.kind WHEN 'concern' THEN 'Speak-up concern' ELSE 'Patient safety event' END || ' raised ' ||
				CASE r.mode WHEN 'open' THEN 'Openly' WHEN 'confidential' THEN 'Confidentially' ELSE 'Anonymously' END`).Scan(&matched)
		if matched != n {
			t.Fatalf("%d of %d reports have a submit audit entry that names them and their kind and mode", matched, n)
		}
		verifyChain(t, db)
		// Open and confidential reporters still get their confirmation email.
		var outbox int
		db.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&outbox)
		if outbox != n/2 {
			t.Fatalf("%d confirmation emails, want %d", outbox, n/2)
		}

		st := f.svc.BatchStats()
		t.Logf("batch stats: %+v", st)
		if st.Submissions != n || st.Retried != 0 {
			t.Fatalf("stats %+v: want %d submissions through the writer, none retried", st, n)
		}
		if st.Largest < 2 || st.Batches >= n {
			t.Fatalf("stats %+v: the writer did not group submissions", st)
		}
	})
}

// refuseMarked makes the database refuse any report whose narrative holds
// "REFUSE-ME", as a stand-in for a row that fails at insert time.
func refuseMarked(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	stmts := []string{`CREATE TRIGGER refuse_marked BEFORE INSERT ON reports
		WHEN NEW.description LIKE '%REFUSE-ME%' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`}
	if db.Engine == store.Postgres {
		stmts = []string{`CREATE FUNCTION refuse_marked() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN IF NEW.description LIKE '%REFUSE-ME%' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$`,
			`CREATE TRIGGER refuse_marked BEFORE INSERT ON reports FOR EACH ROW EXECUTE FUNCTION refuse_marked()`}
	}
	for _, s := range stmts {
		if _, err := db.SQL().ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
}

// waitQueued waits until at least n submissions are queued behind the
// held writer.
func waitQueued(t *testing.T, svc *report.Service, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for svc.Queued() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d submissions queued after 30 s, want %d", svc.Queued(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestBatchedFailureFailsOnlyItsOwnSubmission(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		refuseMarked(t, db)
		startBatching(t, f.svc)
		release := holdWriter(t, db)

		const n = 30
		errs := make([]error, n)
		var wg sync.WaitGroup
		submit := func(i int) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sub := f.event(report.Anonymous)
				if i == 7 {
					sub.Description = "REFUSE-ME " + sub.Description
				}
				_, errs[i] = f.svc.Submit(ctx, sub, nil)
			}()
		}
		// The writer takes the first report and is held there; everything
		// sent after that queues behind it and goes in the next batch, the
		// one that fails and is written again one by one.
		submit(0)
		time.Sleep(50 * time.Millisecond)
		for i := 1; i < n; i++ {
			submit(i)
		}
		waitQueued(t, f.svc, n-1)
		release()
		wg.Wait()
		for i, err := range errs {
			if (i == 7) != (err != nil) {
				t.Fatalf("submission %d: error %v", i, err)
			}
		}
		if !strings.Contains(errs[7].Error(), "refused by test") {
			t.Fatalf("the refused submission's error %q does not say why", errs[7])
		}
		if got := countReports(t, db); got != n-1 {
			t.Fatalf("stored %d reports, want %d", got, n-1)
		}
		verifyChain(t, db)
		st := f.svc.BatchStats()
		t.Logf("batch stats: %+v", st)
		if st.Retried == 0 {
			t.Fatalf("stats %+v: the failing batch was not retried one by one", st)
		}
	})
}

func TestBatchedRepeatSubmissionIsIdempotent(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		startBatching(t, f.svc)
		release := holdWriter(t, db)
		// The same form sent three times lands in one batch: one report.
		recs := make([]report.Receipt, 3)
		errs := make([]error, 3)
		var wg sync.WaitGroup
		for i := range recs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sub := f.event(report.Open)
				sub.SubmissionKey = "form-batched-0123456789"
				recs[i], errs[i] = f.svc.Submit(ctx, sub, f.users["staff"])
			}()
		}
		time.Sleep(100 * time.Millisecond)
		release()
		wg.Wait()
		repeats := 0
		for i := range recs {
			if errs[i] != nil || recs[i].Reference != recs[0].Reference {
				t.Fatalf("send %d: %+v %v", i, recs[i], errs[i])
			}
			if recs[i].Repeat {
				repeats++
			}
		}
		if repeats != 2 || countReports(t, db) != 1 {
			t.Fatalf("%d repeats and %d reports, want 2 and 1", repeats, countReports(t, db))
		}
		verifyChain(t, db)
	})
}

func TestBatchedCallerCancellationLeavesOthersAlone(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		startBatching(t, f.svc)
		release := holdWriter(t, db)

		const n = 40
		errs := make([]error, n)
		var wg sync.WaitGroup
		// The first is taken by the writer at once and waits with it; the
		// rest queue up behind. (Open reports: on PostgreSQL the writer
		// waits for the audit chain's lock, which anonymous and
		// confidential reports do not take, their entries being held back
		// for a day.)
		var firstErr error
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, firstErr = f.svc.Submit(context.Background(), f.concern(report.Open), f.users["staff"])
		}()
		time.Sleep(100 * time.Millisecond)
		gone, cancel := context.WithCancel(context.Background())
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx := context.Background()
				if i%5 == 0 {
					ctx = gone
				}
				_, errs[i] = f.svc.Submit(ctx, f.concern(report.Open), f.users["staff"])
			}()
		}
		time.Sleep(200 * time.Millisecond)
		cancel()
		time.Sleep(50 * time.Millisecond)
		release()
		wg.Wait()
		if firstErr != nil {
			t.Fatal(firstErr)
		}
		for i, err := range errs {
			if i%5 == 0 {
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("cancelled submission %d: %v", i, err)
				}
			} else if err != nil {
				t.Fatalf("submission %d: %v", i, err)
			}
		}
		// Cancelled callers had not been written yet (they were queued behind
		// the held writer), so exactly the others are stored.
		if got := countReports(t, db); got != 1+n-n/5 {
			t.Fatalf("stored %d reports, want %d", got, 1+n-n/5)
		}
		verifyChain(t, db)
	})
}

func TestBatchingStopsCleanly(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		stop := startBatching(t, f.svc)
		// Submissions keep coming while the writer stops: each is stored
		// once, by the writer or directly, and none hangs.
		const n = 100
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i == n/2 {
					stop()
				}
				_, errs[i] = f.svc.Submit(ctx, f.event(report.Anonymous), nil)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("submission %d: %v", i, err)
			}
		}
		if f.svc.Batching() {
			t.Fatal("still batching after stop")
		}
		if _, err := f.svc.Submit(ctx, f.event(report.Anonymous), nil); err != nil {
			t.Fatalf("direct submit after stopping: %v", err)
		}
		if got := countReports(t, db); got != n+1 {
			t.Fatalf("stored %d reports, want %d", got, n+1)
		}
		verifyChain(t, db)
		// A second writer can start again.
		stop2 := startBatching(t, f.svc)
		if _, err := f.svc.Submit(ctx, f.event(report.Anonymous), nil); err != nil {
			t.Fatal(err)
		}
		stop2()
		if st := f.svc.BatchStats(); st.Submissions != 1 {
			t.Fatalf("second writer stats %+v, want 1 submission", st)
		}
	})
}

// BenchmarkSubmit measures Submit on SQLite (synchronous=FULL) from many
// goroutines, one transaction each and through the group-commit writer:
//
//	go test ./internal/report -run '^$' -bench Submit -cpuprofile cpu.out
func BenchmarkSubmit(b *testing.B) {
	for _, batched := range []bool{false, true} {
		name := map[bool]string{false: "direct", true: "batched"}[batched]
		b.Run(name, func(b *testing.B) {
			db := storetest.SQLite(b)
			f := newBenchFixture(b, db)
			if batched {
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { f.svc.StartBatching(ctx); close(done) }()
				defer func() { cancel(); <-done }()
				for !f.svc.Batching() {
					time.Sleep(time.Millisecond)
				}
			}
			ctx := context.Background()
			b.SetParallelism(64)
			cpu0 := cpuTime()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					sub := f.event(report.Anonymous)
					sub.People = nil
					if _, err := f.svc.Submit(ctx, sub, nil); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			// CPU time is steadier than wall time on a shared machine.
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
			if batched {
				st := f.svc.BatchStats()
				b.ReportMetric(float64(st.Submissions)/float64(max(st.Batches, 1)), "reports/batch")
			}
		})
	}
}

// newBenchFixture is newFixture's service and department, for benchmarks.
func newBenchFixture(b *testing.B, db *store.DB) *fixture {
	b.Helper()
	ctx := context.Background()
	keys, err := secret.NewRing(secret.NewKeySpec("k1"))
	if err != nil {
		b.Fatal(err)
	}
	f := &fixture{db: db, svc: report.NewService(db, keys)}
	site, err := org.New(db).CreateSite(ctx, audit.System, org.Site{Code: "NGH", Name: "Northfield General"})
	if err != nil {
		b.Fatal(err)
	}
	dep, err := org.New(db).CreateDepartment(ctx, audit.System, org.Department{SiteID: site.ID, Code: "W7", Name: "Ward 7", Kind: "ward"})
	if err != nil {
		b.Fatal(err)
	}
	f.dept = dep.ID
	return f
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
