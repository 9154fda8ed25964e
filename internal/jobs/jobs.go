package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"time"
)

// maxJitter bounds the random delay before a job's first run.
const maxJitter = 10 * time.Second

// Runner runs registered jobs, each on its own ticker. Register every job with
// Every before calling Run.
type Runner struct {
	// Logger receives job failures and panics; nil means slog.Default().
	Logger *slog.Logger

	mu      sync.Mutex
	jobs    []job
	started bool
}

type job struct {
	name     string
	interval time.Duration
	fn       func(ctx context.Context) error
}

// Every registers fn to run every interval under name, which appears in the
// log with any failure. It panics if interval is not positive, fn is nil, or
// Run has started.
func (r *Runner) Every(name string, interval time.Duration, fn func(ctx context.Context) error) {
	if interval <= 0 || fn == nil {
		panic(fmt.Sprintf("jobs: job %q needs a positive interval and a function", name))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		panic(fmt.Sprintf("jobs: job %q registered after Run", name))
	}
	r.jobs = append(r.jobs, job{name, interval, fn})
}

// Run runs every registered job until ctx is done, then waits for runs in
// progress to finish (they see ctx cancelled) and returns. Each job first
// runs after a random delay of up to its interval (at most ten seconds), so
// that replicas started together do not all fire at the same instant, and
// then once per interval; a run that overruns its interval delays the next
// rather than overlapping it. An error is logged with the job's name; a panic
// is recovered and logged, and the job carries on at its next tick. Run must
// be called only once.
func (r *Runner) Run(ctx context.Context) {
	r.mu.Lock()
	if r.started {
		r.mu.Unlock()
		panic("jobs: Run called twice")
	}
	r.started = true
	jobs := append([]job(nil), r.jobs...)
	r.mu.Unlock()

	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() { r.loop(ctx, j) })
	}
	wg.Wait()
}

// loop runs one job until ctx is done.
func (r *Runner) loop(ctx context.Context, j job) {
	jitter := time.Duration(rand.Int64N(int64(min(j.interval, maxJitter)) + 1))
	start := time.NewTimer(jitter)
	select {
	case <-ctx.Done():
		start.Stop()
		return
	case <-start.C:
	}
	t := time.NewTicker(j.interval)
	defer t.Stop()
	for {
		r.runOnce(ctx, j)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// A tick and cancellation can both be ready; prefer stopping.
		if ctx.Err() != nil {
			return
		}
	}
}

// runOnce runs j once, logging an error or a recovered panic.
func (r *Runner) runOnce(ctx context.Context, j job) {
	log := r.Logger
	if log == nil {
		log = slog.Default()
	}
	began := time.Now()
	defer func() {
		if p := recover(); p != nil {
			log.Error("job panicked", "job", j.name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	if err := j.fn(ctx); err != nil {
		if ctx.Err() != nil {
			log.Info("job stopped by shutdown", "job", j.name, "err", err)
			return
		}
		log.Error("job failed", "job", j.name, "err", err, "duration", time.Since(began))
		return
	}
	log.Debug("job ran", "job", j.name, "duration", time.Since(began))
}
