package report

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"candour/internal/store"
)

// Group commit.
//
// With synchronous=FULL every SQLite commit waits for the disk to flush, so
// one report per transaction can never go faster than the disk's fsync rate.
// While batching runs, Submit hands its validated report to a single writer
// goroutine instead. The writer takes the first report waiting, then whatever
// else is already queued (up to MaxBatch) without waiting for more, writes
// them all in one transaction through the same insertMany as a lone Submit
// (one look-up of their submission keys, multi-row INSERTs of the reports
// and of their audit entries, the chain head read once), and commits once:
// one flush for the lot. Only then does any caller get its
// receipt, so a receipt still means the report is on disk.
//
// If the shared transaction fails, each report in it is written again in a
// transaction of its own, so that one bad report (an idempotency-key race,
// say) cannot fail the others. On PostgreSQL the same code
// runs; the audit chain's advisory lock is then taken once per batch rather
// than once per report.

// MaxBatch is the most reports one group commit writes.
const MaxBatch = 256

// BatchStats counts what the group-commit writer has done.
type BatchStats struct {
	// Batches is the number of shared transactions committed.
	Batches int64
	// Submissions is the number of reports stored through the writer.
	Submissions int64
	// Largest is the largest batch committed.
	Largest int64
	// Retried is the number of reports written again on their own after
	// their batch failed.
	Retried int64
	// Busy is the time the writer spent writing batches and indexing them
	// for search, for telling whether it, rather than the callers, limits
	// the rate.
	Busy time.Duration
	// Owed is the search-index merging (pages) the writer has put off,
	// for telling whether merging keeps up.
	Owed int64
	// MergeFailures counts the writer's search-index merging that failed,
	// in a batch or in an idle step; the reports were stored all the same.
	MergeFailures int64
}

type batchReq struct {
	ctx  context.Context
	pr   prepared
	done chan batchResult // buffered: the writer never blocks on a caller
}

type batchResult struct {
	rec Receipt
	err error
}

type batcher struct {
	in chan *batchReq
	// mu orders senders against shutdown: senders hold it shared while
	// they hand a report over; the writer takes it exclusively to close.
	mu     sync.RWMutex
	closed bool

	batches, submissions, largest, retried, busy, owed, mergeFailures atomic.Int64
}

// svcState is what a Service keeps for group commit and its caches; the
// zero value means "not batching", nothing cached.
type svcState struct {
	cur  atomic.Pointer[batcher]
	last atomic.Pointer[batcher] // for stats after stopping

	// departments caches ids of departments known to exist, to spare each
	// submission a query. Departments are never deleted, so an id once
	// seen stays valid (and reports.department_id is a foreign key should
	// that ever change); an id not in the cache is looked up every time.
	deptMu      sync.RWMutex
	departments map[int64]struct{}

	// keys is SQLite's memory of recent submission keys (idempotency.go).
	keys recentKeys

	// codes counts wrong access codes per client (code_limit.go).
	codes codeLimiter
}

func (s *Service) state() *svcState {
	if s.batch == nil {
		// A Service built as a struct literal gets its state on first use;
		// NewService sets it up front so that copies share it.
		s.batch = &svcState{}
	}
	return s.batch
}

// StartBatching runs the group-commit writer until ctx ends, then stores
// whatever is still queued and returns. Submits made meanwhile go through
// the writer; before and after, each Submit writes its own transaction.
// It returns at once if a writer is already running.
func (s *Service) StartBatching(ctx context.Context) {
	st := s.state()
	b := &batcher{in: make(chan *batchReq, MaxBatch)}
	if !st.cur.CompareAndSwap(nil, b) {
		return
	}
	st.last.Store(b)
	// Writes must finish even when ctx has ended: they are reports people
	// are waiting on.
	dbctx := context.WithoutCancel(ctx)
	closed := make(chan struct{})
	batch := make([]*batchReq, 0, MaxBatch)
	ix := newIndexer(s.DB.Engine == store.SQLite)
	defer ix.idle.Stop()
	// Load SQLite's memory of recent submission keys now rather than on
	// the first report; should it fail, the first report tries again.
	if _, unlock, err := s.lockKeys(dbctx); err == nil {
		unlock()
	}
	write := func() {
		batch = b.drain(batch)
		ix.stored(s.writeBatch(dbctx, b, batch, ix.pay(len(batch)), &ix.pace))
		if ix.due(len(b.in) > 0) {
			start := time.Now()
			s.searchTrouble(b, ix.step(dbctx, s.DB), nil)
			b.busy.Add(int64(time.Since(start)))
		}
		b.owed.Store(int64(ix.owed))
	}
	for {
		select {
		case r := <-b.in:
			batch = append(batch[:0], r)
			write()
		case <-ix.idle.C:
			start := time.Now()
			indexErr, mergeErr := ix.idleStep(dbctx, s.DB, len(b.in) > 0)
			s.searchTrouble(b, indexErr, mergeErr)
			b.busy.Add(int64(time.Since(start)))
			b.owed.Store(int64(ix.owed))
		case <-ctx.Done():
			// New Submits write directly from now on. Senders already
			// holding the lock finish handing over while the writer goes
			// on taking reports; once the lock is ours nobody can send.
			st.cur.Store(nil)
			go func() {
				b.mu.Lock()
				b.closed = true
				b.mu.Unlock()
				close(closed)
			}()
			for {
				select {
				case r := <-b.in:
					batch = append(batch[:0], r)
					write()
				case <-closed:
					for {
						batch = b.drain(batch[:0])
						if len(batch) == 0 {
							return
						}
						ix.stored(s.writeBatch(dbctx, b, batch, ix.pay(len(batch)), &ix.pace))
					}
				}
			}
		}
	}
}

// Batching reports whether a group-commit writer is taking submissions.
func (s *Service) Batching() bool { return s.state().cur.Load() != nil }

// BatchStats reports what the current (or last) group-commit writer did.
func (s *Service) BatchStats() BatchStats {
	b := s.state().last.Load()
	if b == nil {
		return BatchStats{}
	}
	return BatchStats{Batches: b.batches.Load(), Submissions: b.submissions.Load(), Largest: b.largest.Load(),
		Retried: b.retried.Load(), Busy: time.Duration(b.busy.Load()), Owed: b.owed.Load(),
		MergeFailures: b.mergeFailures.Load()}
}

// drain appends whatever is already queued, up to MaxBatch, without waiting.
func (b *batcher) drain(batch []*batchReq) []*batchReq {
	for len(batch) < MaxBatch {
		select {
		case r := <-b.in:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// store writes a prepared report: through the group-commit writer when one
// is running, else in a transaction of its own.
func (s *Service) store(ctx context.Context, pr prepared) (Receipt, error) {
	if b := s.state().cur.Load(); b != nil {
		if rec, err, ok := b.submit(ctx, pr); ok {
			return rec, err
		}
	}
	return s.insertOne(ctx, pr)
}

// insertOne writes one report in its own transaction. The search index
// takes it later (search_index.go).
func (s *Service) insertOne(ctx context.Context, pr prepared) (Receipt, error) {
	rk, unlock, err := s.lockKeys(ctx)
	if err != nil {
		return Receipt{}, err
	}
	defer unlock()
	var rec Receipt
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		rec, err = s.insert(ctx, tx, rk, pr)
		return err
	})
	if err == nil {
		rk.remember([]prepared{pr}, []Receipt{rec}, s.today())
	}
	return rec, err
}

// submit hands pr to the writer and waits for its result. ok is false when
// the writer has stopped and the caller should write directly.
func (b *batcher) submit(ctx context.Context, pr prepared) (rec Receipt, err error, ok bool) {
	r := &batchReq{ctx: ctx, pr: pr, done: make(chan batchResult, 1)}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return Receipt{}, nil, false
	}
	select {
	case b.in <- r:
	case <-ctx.Done():
		b.mu.RUnlock()
		return Receipt{}, ctx.Err(), true
	}
	b.mu.RUnlock()
	select {
	case res := <-r.done:
		return res.rec, res.err, true
	case <-ctx.Done():
		// The report may still be stored, as when a connection drops
		// during a commit; the others in its batch are unaffected.
		return Receipt{}, ctx.Err(), true
	}
}

// Indexing for search while reports queue.
//
// The writer indexes what it has stored (search_index.go) in chunks: at
// once when IndexChunk reports are waiting; when nobody is queueing and the
// oldest has waited indexLag; and when no report has arrived for
// indexIdle. Under a steady stream the chunks are hundreds of reports,
// where indexing costs least per report; at a trickle each report is
// indexed within a few milliseconds. Searches never wait for any of this:
// they index whatever is still waiting themselves.
//
// Merging the index's segments is kept apart from indexing, because its
// cost comes in lumps: one FTS5 merge of a few hundred pages took from
// nothing to over 100 ms, and inside an indexing step it held up every
// submission queued behind it (a p99 of 80 to 150 ms at 2,000 a second).
// Each step instead adds the merging its reports will need (mergePages) to
// what is owed, and every batch's transaction pays a small part of it, in
// proportion to its size (pay), with idle steps for the rest; each within a
// time budget (mergeBudget, mergeWithin). Merging must keep pace: put off
// under load, it left the index's lowest level to FTS5's crisis merge,
// which combines 16 chunk-sized segments at once inside whichever step adds
// the 16th (240 ms).
const (
	// indexLag is how long stored reports may wait for the index while
	// others arrive, as long as nobody is queueing when it runs out.
	indexLag = 50 * time.Millisecond
	// indexIdle is how long the writer waits for another report before
	// indexing what it has.
	indexIdle = 5 * time.Millisecond
	// mergeIdleStep is the most merging (pages) of one idle step, which
	// has the time of a batch of none (mergeBudget(0)).
	mergeIdleStep = 32
	// mergeCatchUp is the most of a merging backlog one batch takes on
	// besides its own share.
	mergeCatchUp = 16
	// mergeBudgetBase and mergeBudgetPerReport bound the time a batch
	// spends merging (mergeBudget).
	mergeBudgetBase      = 2 * time.Millisecond
	mergeBudgetPerReport = 50 * time.Microsecond
	// mergeMaxStep is the most pages one FTS5 merge command is asked for.
	mergeMaxStep = 512
)

// indexer is the writer's record of reports stored but not yet indexed,
// and of merging owed.
type indexer struct {
	on      bool // SQLite: PostgreSQL indexes in the storing transaction
	waiting int  // reports stored and not yet indexed, at least
	oldest  time.Time
	owed    int // pages of merging put off
	pace    mergePace
	idle    *time.Timer
}

// newIndexer starts with a step due at once (on SQLite), for reports
// stored before the writer started.
func newIndexer(on bool) *indexer {
	ix := &indexer{on: on, idle: time.NewTimer(time.Hour)}
	ix.idle.Stop()
	if on {
		ix.waiting, ix.oldest = IndexChunk, time.Now()
		ix.idle.Reset(0)
	}
	return ix
}

// pay is how much of the merging owed a batch of n reports takes on: as
// much as n reports will need, plus a little of any backlog, so that the
// merging keeps pace with the indexing in small, even amounts.
func (ix *indexer) pay(n int) int {
	if !ix.on {
		return 0
	}
	return min(ix.owed, mergePages(n)+mergeCatchUp)
}

// stored counts n more reports written by a batch that did paid pages of
// merging, and restarts the idle clock. What the batch was asked to merge
// and did not (its time ran out) stays owed. If its merging failed
// (mergeErr), the writer stops merging until the next indexing step owes
// some again, rather than fail at it in every batch; searches, which merge
// as they bring the index up to date, report the error.
func (ix *indexer) stored(n, paid int, mergeErr error) {
	if !ix.on || n == 0 {
		return
	}
	ix.owed -= paid
	if mergeErr != nil {
		ix.owed = 0
	}
	if ix.waiting == 0 {
		ix.oldest = time.Now()
	}
	ix.waiting += n
	ix.idle.Reset(indexIdle)
}

// due reports whether to index now, after a batch.
func (ix *indexer) due(queueing bool) bool {
	return indexDue(ix.waiting, time.Since(ix.oldest), queueing)
}

// indexDue is the writer's rule for indexing straight after a batch:
// waiting reports stored, the oldest of them age ago, and whether reports
// are queueing behind.
func indexDue(waiting int, age time.Duration, queueing bool) bool {
	return waiting >= IndexChunk || (waiting > 0 && !queueing && age >= indexLag)
}

// step indexes up to IndexChunk waiting reports and adds their merging to
// what is owed. After an error, which it returns, it gives up until the
// next batch (searches still index for themselves, and report the error).
func (ix *indexer) step(ctx context.Context, db *store.DB) error {
	if !ix.on || ix.waiting == 0 {
		return nil
	}
	more, owed, err := indexStep(ctx, db, IndexChunk, false)
	ix.owed += owed
	switch {
	case err != nil || !more:
		ix.waiting = 0
	default:
		ix.waiting, ix.oldest = max(ix.waiting-IndexChunk, 1), time.Now()
	}
	ix.rearm(0)
	return err
}

// idleStep is what the writer does when its idle timer fires: nothing if
// reports are queueing (they come first), else an indexing step if any
// are waiting, else a step of the merging owed. It returns the indexing
// step's error or the merge step's.
func (ix *indexer) idleStep(ctx context.Context, db *store.DB, queueing bool) (indexErr, mergeErr error) {
	switch {
	case !ix.on:
	case queueing:
		ix.rearm(indexIdle)
	case ix.waiting > 0:
		indexErr = ix.step(ctx, db)
	case ix.owed > 0:
		worked, done, err := mergeStep(ctx, db, min(ix.owed, mergeIdleStep), mergeBudget(0), &ix.pace)
		if err != nil || !worked {
			ix.owed = 0
		} else {
			ix.owed = max(ix.owed-done, 0)
		}
		mergeErr = err
		ix.rearm(0)
	}
	return indexErr, mergeErr
}

// searchTrouble counts and logs a failed indexing or merge step of the
// writer's own (a batch's merging is seen to in writeBatch). The reports
// are stored either way; searches index for themselves and report the
// error, but a damaged index should not wait for a search to be noticed.
func (s *Service) searchTrouble(b *batcher, indexErr, mergeErr error) {
	if indexErr != nil {
		s.logger().Error("search indexing failed; the reports are stored, and searches will try again", "err", indexErr)
	}
	if mergeErr != nil {
		b.mergeFailures.Add(1)
		s.logger().Error("search index merging failed; the writer stops merging until more is indexed", "err", mergeErr)
	}
}

// mergeBudget is how long a batch of n reports may spend merging the
// search index. What a page of merging costs varies a hundredfold: next to
// nothing while FTS5 has no level full enough to merge, then from 0.1 to
// 2 ms a page for as long as it combines a level of large segments. At
// 2,000 reports a second, with batches of a few reports every few
// milliseconds, paying by pages alone made every batch of those stretches
// take 15 to 35 ms, and the p99 of the second went past 50 ms. Paying by
// time keeps every batch short; the pages left over stay owed, and later
// batches (which take on a little of the backlog besides their own share,
// mergeCatchUp) and idle moments pay them.
func mergeBudget(n int) time.Duration {
	return mergeBudgetBase + time.Duration(n)*mergeBudgetPerReport
}

// mergePace is the writer's estimate of what a page of merging costs now,
// taken only from merge commands that found something to merge (one that
// finds nothing returns at once, and would make any page look free). It
// rises at once to a dearer page and falls back by an eighth of the
// difference at a time, so that a stretch of costly merging is met with
// small steps from its first dear page to its end.
type mergePace struct{ perPage time.Duration }

// mergeMinPageCost is the least a page of merging is taken to cost: real
// merging was never measured below about 80 µs a page.
const mergeMinPageCost = 50 * time.Microsecond

// mergeMinStep is the fewest pages a step asks for: FTS5 writes about three
// pages for a request of one, so smaller requests cost more a page and
// would make the pace look dearer than it is.
const mergeMinStep = 2

// observe takes the time a merge step of pages pages took.
func (p *mergePace) observe(pages int, took time.Duration) {
	if pages <= 0 {
		return
	}
	if c := took / time.Duration(pages); c > p.perPage {
		p.perPage = c
	} else {
		p.perPage -= (p.perPage - c) / 8
	}
}

// cost is what a page is taken to cost: the pace, but never less than
// mergeMinPageCost.
func (p *mergePace) cost() time.Duration { return max(p.perPage, mergeMinPageCost) }

// fit is the pages a step should ask for to take about d at the current
// pace: at least mergeMinStep, at most mergeMaxStep.
func (p *mergePace) fit(d time.Duration) int {
	return int(max(mergeMinStep, min(mergeMaxStep, int64(d/p.cost()))))
}

// mergeWithin merges the search index by up to pages pages inside tx
// (mergeSteps): it returns the pages paid, and whether FTS5 found anything
// to merge.
//
// The merging runs inside a savepoint. Should a merge command fail (a
// damaged index, say), its changes are undone and mergeWithin returns a
// *mergeUndone, after which tx is as it was before and can still commit:
// the reports stored in it must not fail for want of search upkeep.
func mergeWithin(ctx context.Context, tx *store.Tx, pages int, budget time.Duration, pace *mergePace) (done int, worked bool, err error) {
	if tx.Dialect() != store.SQLite {
		return 0, false, nil // PostgreSQL's GIN index needs no merging
	}
	if pages <= 0 || budget <= 0 {
		return 0, false, nil
	}
	var changes int64
	if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&changes); err != nil {
		return 0, false, fmt.Errorf("merge search index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `SAVEPOINT search_merge`); err != nil {
		return 0, false, fmt.Errorf("merge search index: %w", err)
	}
	done, worked, err = mergeSteps(pages, budget, pace, time.Now, func(n int) (bool, error) {
		if err := mergeSearchIndex(ctx, tx, n); err != nil {
			return false, err
		}
		before := changes
		if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&changes); err != nil {
			return false, fmt.Errorf("merge search index: %w", err)
		}
		// The 'merge' command itself counts as one change; one that
		// rewrote segments counts many more.
		return changes-before > 1, nil
	})
	if err != nil {
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO search_merge`); rerr != nil {
			return 0, false, fmt.Errorf("%w; undoing it: %w", err, rerr)
		}
		if _, rerr := tx.ExecContext(ctx, `RELEASE search_merge`); rerr != nil {
			return 0, false, fmt.Errorf("%w; undoing it: %w", err, rerr)
		}
		return 0, false, &mergeUndone{err: err}
	}
	if _, err := tx.ExecContext(ctx, `RELEASE search_merge`); err != nil {
		return 0, false, fmt.Errorf("merge search index: %w", err)
	}
	return done, worked, nil
}

// mergeUndone is a merge of the search index that failed and whose changes
// were undone (mergeWithin), leaving its transaction fit to commit.
type mergeUndone struct{ err error }

// Error is the merge command's error, marked as undone.
func (e *mergeUndone) Error() string { return e.err.Error() + " (undone)" }

// Unwrap is the merge command's error.
func (e *mergeUndone) Unwrap() error { return e.err }

// mergeSteps pays up to pages pages of merging with merge commands (merge,
// which runs one of n pages and reports whether it found anything to
// merge), within budget by the clock now: the first step sized by pace to
// half the budget (the pace may have risen since it was measured), each
// later one to what is left, and none begun once less is left than a
// step's least cost. When a command finds nothing to merge, the rest is
// paid too: FTS5 has no level that needs it, which is what owing it was
// for. It returns the pages paid and whether any command found work.
func mergeSteps(pages int, budget time.Duration, pace *mergePace, now func() time.Time, merge func(n int) (bool, error)) (done int, worked bool, err error) {
	start := now()
	for steps := 0; done < pages; steps++ {
		left := budget - now().Sub(start)
		if steps == 0 {
			left = budget / 2
		} else if left < mergeMinStep*pace.cost() {
			break
		}
		if left <= 0 {
			break
		}
		n := min(pace.fit(left), pages-done)
		began := now()
		found, err := merge(n)
		if err != nil {
			return done, worked, err
		}
		if !found {
			return pages, worked, nil
		}
		worked = true
		pace.observe(n, now().Sub(began))
		done += n
	}
	return done, worked, nil
}

// rearm sets the idle timer to fire after d if there is work left.
func (ix *indexer) rearm(d time.Duration) {
	if ix.waiting > 0 || ix.owed > 0 {
		ix.idle.Reset(d)
	} else {
		ix.idle.Stop()
	}
}

// writeBatch stores a batch in one transaction, with up to merge pages of
// the search index's merging (as many as fit its time at pace, mergeBudget),
// and answers every caller. It returns how many reports it stored, how
// many pages of merging it paid, and the merging's error if that failed:
// the merging is then undone and the reports committed without it, or, if
// the failure ended the transaction, written again one by one. When the
// batch fails for any reason and its reports are written one by one, the
// merging is skipped; later batches and idle steps make it up.
func (s *Service) writeBatch(ctx context.Context, b *batcher, batch []*batchReq, merge int, pace *mergePace) (stored, paid int, mergeErr error) {
	// A caller that has already given up is not written.
	live := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- batchResult{err: err}
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return 0, 0, nil
	}
	start := time.Now()
	defer func() { b.busy.Add(int64(time.Since(start))) }()
	res := make([]batchResult, len(live))
	var written int64
	prs := make([]prepared, 0, len(live))
	idx := make([]int, 0, len(live))
	var recs []Receipt
	// mergeBroke is set when the merging failed and took the transaction
	// with it (an I/O error, say), so that the retry below takes even a
	// lone report: its failure was not its own.
	var mergeBroke error
	rk, unlock, err := s.lockKeys(ctx)
	write := func(tx *store.Tx) error {
		written, paid, mergeErr, mergeBroke, prs, idx = 0, 0, nil, nil, prs[:0], idx[:0]
		for i, r := range live {
			// The transaction may have waited for the connection (or, on
			// PostgreSQL, the audit chain); skip callers gone meanwhile.
			if err := r.ctx.Err(); err != nil {
				res[i] = batchResult{err: err}
				continue
			}
			prs = append(prs, r.pr)
			idx = append(idx, i)
		}
		if len(prs) == 0 {
			return nil
		}
		var err error
		recs, err = s.insertMany(ctx, tx, rk, prs)
		if err != nil {
			return err
		}
		for k, i := range idx {
			res[i] = batchResult{rec: recs[k]}
		}
		written = int64(len(prs))
		paid, _, err = mergeWithin(ctx, tx, merge, mergeBudget(len(prs)), pace)
		if _, undone := errors.AsType[*mergeUndone](err); undone {
			// The reports stand, with nothing paid (and the writer stops
			// merging until more is indexed, indexer.stored).
			mergeErr, paid = err, 0
			return nil
		}
		if err != nil {
			mergeBroke = err
		}
		return err
	}
	if err == nil {
		err = s.DB.InTx(ctx, write)
		if err == nil && written > 0 {
			rk.remember(prs, recs, s.today())
		}
		unlock()
	}
	if err == nil {
		b.batches.Add(1)
		b.submissions.Add(written)
		for {
			l := b.largest.Load()
			if written <= l || b.largest.CompareAndSwap(l, written) {
				break
			}
		}
		if mergeErr != nil {
			b.mergeFailures.Add(1)
			s.logger().Error("search index merging failed and was undone; the batch's reports were stored", "reports", written, "err", mergeErr)
		}
		for i, r := range live {
			r.done <- res[i]
		}
		return int(written), paid, mergeErr
	}
	if mergeBroke != nil {
		b.mergeFailures.Add(1)
		s.logger().Error("search index merging failed and ended its transaction; the reports are written again one by one", "reports", len(live), "err", mergeBroke)
	} else if len(live) == 1 {
		live[0].done <- batchResult{err: err}
		return 0, 0, nil
	}
	// Something in the batch failed: write each on its own (without
	// merging) so that only the report at fault fails.
	for _, r := range live {
		if err := r.ctx.Err(); err != nil {
			r.done <- batchResult{err: err}
			continue
		}
		rec, err := s.insertOne(ctx, r.pr)
		b.retried.Add(1)
		if err == nil {
			b.submissions.Add(1)
			stored++
		}
		r.done <- batchResult{rec: rec, err: err}
	}
	return stored, 0, mergeBroke
}

// departmentExists reports whether department id exists, from the cache
// when it can.
func (s *Service) departmentExists(ctx context.Context, id int64) (bool, error) {
	st := s.state()
	st.deptMu.RLock()
	_, ok := st.departments[id]
	st.deptMu.RUnlock()
	if ok {
		return true, nil
	}
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM departments WHERE id = ?`, id).Scan(&n); err != nil {
		return false, err
	}
	if n == 0 {
		return false, nil
	}
	st.deptMu.Lock()
	if st.departments == nil {
		st.departments = map[int64]struct{}{}
	}
	if len(st.departments) < maxCachedDepartments {
		st.departments[id] = struct{}{}
	}
	st.deptMu.Unlock()
	return true, nil
}

// staffGroupExists reports whether code is one of the national staff
// groups. Only concerns that give a group ask, so it is not cached.
func (s *Service) staffGroupExists(ctx context.Context, code string) (bool, error) {
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM staff_groups WHERE code = ?`, code).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

// maxCachedDepartments bounds the cache; a trust has hundreds.
const maxCachedDepartments = 100000
