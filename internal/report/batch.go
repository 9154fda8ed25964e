package report

import (
	"context"
	"sync"
	"sync/atomic"

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

	batches, submissions, largest, retried atomic.Int64
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
	var owed int // search-index merging put off (pages)
	for {
		if owed > 0 && len(b.in) == 0 && ctx.Err() == nil {
			owed = s.catchUpMerging(dbctx, owed)
			continue
		}
		select {
		case r := <-b.in:
			batch = append(batch[:0], r)
			batch = b.drain(batch)
			owed = s.writeBatch(dbctx, b, batch, owed)
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
					batch = b.drain(batch)
					owed = s.writeBatch(dbctx, b, batch, owed)
				case <-closed:
					for {
						batch = b.drain(batch[:0])
						if len(batch) == 0 {
							return
						}
						owed = s.writeBatch(dbctx, b, batch, owed)
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
	return BatchStats{Batches: b.batches.Load(), Submissions: b.submissions.Load(), Largest: b.largest.Load(), Retried: b.retried.Load()}
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

// insertOne writes one report in its own transaction, with its share of
// the search index's merging.
func (s *Service) insertOne(ctx context.Context, pr prepared) (Receipt, error) {
	var rec Receipt
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if rec, err = s.insert(ctx, tx, pr); err != nil {
			return err
		}
		if pr.sub.Kind == SafetyEvent && !rec.Repeat {
			return mergeSearchIndex(ctx, tx, mergePages(1))
		}
		return nil
	})
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

// Merging the search index while reports queue.
//
// Each commit owes the full-text index some merging (mergePages). While
// nobody is waiting, the writer pays what is owed in the same commit, as a
// lone Submit does. While reports are queueing, the writer puts it off:
// merging in small steps rewrites each report's index entries once per
// level of the index, and under a backlog that rewriting is what holds the
// queue up. FTS5's crisis merge still combines a level once it holds 16
// segments, so searches stay correct and the segment count bounded, with
// fewer, larger merges. Once the queue is empty the writer catches up:
// a little extra in each commit and, while idle, steps in transactions of
// their own until FTS5 finds nothing left to merge.
const (
	// mergeCatchUp is the most put-off merging a commit pays on top of
	// its own, so that catching up never holds one commit up for long.
	mergeCatchUp = 16
	// mergeIdleStep is the merging of one idle step.
	mergeIdleStep = 32
)

// catchUpMerging does one idle step of put-off merging and returns what is
// still owed: nothing once FTS5 finds no level worth merging, or after an
// error (FTS5's own crisis merge remains).
func (s *Service) catchUpMerging(ctx context.Context, owed int) int {
	var worked bool
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		var before, after int64
		if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
			return err
		}
		if err := mergeSearchIndex(ctx, tx, mergeIdleStep); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after); err != nil {
			return err
		}
		// The 'merge' command itself counts as one change; a merge that
		// rewrote segments counts many more.
		worked = after-before > 1
		return nil
	})
	if err != nil || !worked {
		return 0
	}
	return max(owed-mergeIdleStep, 0)
}

// mergePlan decides how much merging a commit of a batch with events
// safety events pays (pay) and what stays owed afterwards (owed), given
// what was owed before and whether reports are queueing behind it.
func mergePlan(owedBefore, events int, queueing bool) (pay, owed int) {
	owed = owedBefore + mergePages(events)
	if queueing {
		return 0, owed
	}
	pay = min(owed, mergePages(events)+mergeCatchUp)
	return pay, owed - pay
}

// writeBatch stores a batch in one transaction and answers every caller. It
// returns the search-index merging still owed (see mergePlan).
func (s *Service) writeBatch(ctx context.Context, b *batcher, batch []*batchReq, owed int) int {
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
		return owed
	}
	events := 0
	for _, r := range live {
		if r.pr.sub.Kind == SafetyEvent {
			events++
		}
	}
	pay, stillOwed := 0, 0
	if s.DB.Engine == store.SQLite {
		pay, stillOwed = mergePlan(owed, events, len(b.in) > 0)
	}
	res := make([]batchResult, len(live))
	var written int64
	prs := make([]prepared, 0, len(live))
	idx := make([]int, 0, len(live))
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		written, prs, idx = 0, prs[:0], idx[:0]
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
		recs, err := s.insertMany(ctx, tx, prs)
		if err != nil {
			return err
		}
		for k, i := range idx {
			res[i] = batchResult{rec: recs[k]}
		}
		written = int64(len(prs))
		return mergeSearchIndex(ctx, tx, pay)
	})
	if err == nil {
		b.batches.Add(1)
		b.submissions.Add(written)
		for {
			l := b.largest.Load()
			if written <= l || b.largest.CompareAndSwap(l, written) {
				break
			}
		}
		for i, r := range live {
			r.done <- res[i]
		}
		return stillOwed
	}
	if len(live) == 1 {
		live[0].done <- batchResult{err: err}
		return owed
	}
	// Something in the batch failed: write each on its own so that only
	// the report at fault fails.
	for _, r := range live {
		if err := r.ctx.Err(); err != nil {
			r.done <- batchResult{err: err}
			continue
		}
		rec, err := s.insertOne(ctx, r.pr)
		b.retried.Add(1)
		if err == nil {
			b.submissions.Add(1)
		}
		r.done <- batchResult{rec: rec, err: err}
	}
	return owed
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

// maxCachedDepartments bounds the cache; a trust has hundreds.
const maxCachedDepartments = 100000
