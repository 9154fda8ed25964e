package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"candour/internal/jobs"
)

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunnerRepeatsSurvivesPanicsLogsErrorsAndStops(t *testing.T) {
	var logs syncBuffer
	r := &jobs.Runner{Logger: slog.New(slog.NewTextHandler(&logs, nil))}

	var ticks, panics, fails atomic.Int32
	r.Every("counter", 5*time.Millisecond, func(ctx context.Context) error {
		ticks.Add(1)
		return nil
	})
	r.Every("flaky", 5*time.Millisecond, func(ctx context.Context) error {
		if panics.Add(1) == 1 {
			panic("boom")
		}
		return nil
	})
	r.Every("failing", 5*time.Millisecond, func(ctx context.Context) error {
		fails.Add(1)
		return errors.New("database is down")
	})
	// A slow job: in progress when the runner is stopped (it runs once, as it
	// only returns on cancellation).
	started := make(chan struct{})
	var finished atomic.Bool
	r.Every("slow", 50*time.Millisecond, func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		time.Sleep(20 * time.Millisecond) // tidy-up after cancellation
		finished.Store(true)
		return ctx.Err()
	})

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()

	deadline := time.Now().Add(10 * time.Second)
	for ticks.Load() < 3 || panics.Load() < 3 || fails.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("after 10s: counter ran %d times, flaky %d, failing %d; want at least 3, 3, 2",
				ticks.Load(), panics.Load(), fails.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case <-started:
	case <-time.After(15 * time.Second):
		t.Fatal("slow job never started")
	}

	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if !finished.Load() {
		t.Error("Run returned before the in-flight run finished")
	}
	n := ticks.Load()
	time.Sleep(30 * time.Millisecond)
	if ticks.Load() != n {
		t.Errorf("counter ran after Run returned: %d then %d", n, ticks.Load())
	}

	out := logs.String()
	for _, want := range []string{
		`msg="job panicked" job=flaky panic=boom`,
		`msg="job failed" job=failing err="database is down"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, `msg="job failed" job=slow`) {
		t.Errorf("cancellation at shutdown logged as a failure:\n%s", out)
	}
}

func TestEveryRefusesNonsense(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Every with a zero interval did not panic")
		}
	}()
	var r jobs.Runner
	r.Every("never", 0, func(context.Context) error { return nil })
}
