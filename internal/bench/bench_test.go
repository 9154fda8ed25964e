package bench_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"candour/internal/bench"
	"candour/internal/store/storetest"
)

// TestSubmitThroughput is the submission benchmark. By default it is a
// smoke run of a second or so that proves the harness works; with
// CANDOUR_BENCH=1 it runs the real thing (see docs/benchmarks.md):
//
//	CANDOUR_BENCH=1 go test ./internal/bench -run TestSubmitThroughput -v -timeout 10m
//
// Tunables: CANDOUR_BENCH_CLIENTS (default 512), CANDOUR_BENCH_SECONDS
// (closed loop, default 10), CANDOUR_BENCH_RATE (default 2000),
// CANDOUR_BENCH_RATE_SECONDS (default 10), CANDOUR_BENCH_OPEN_PERCENT
// (the share raised openly with an API token, default 0: all anonymous),
// CANDOUR_BENCH_CLOSED_PROFILE and CANDOUR_BENCH_CLOSED_TRACE (files for a
// CPU profile and an execution trace of the measured closed loop alone;
// PostgreSQL's get ".postgres" added to the name),
// CANDOUR_BENCH_DIR (where the database files go; default a temporary
// directory on the same disk as the test's). With CANDOUR_TEST_POSTGRES_URL set it runs on PostgreSQL too.
func TestSubmitThroughput(t *testing.T) {
	full := os.Getenv("CANDOUR_BENCH") != ""
	opt := bench.Options{
		Baseline: 300 * time.Millisecond, Clients: 8, Duration: 500 * time.Millisecond,
		Rate: 100, RateDuration: 500 * time.Millisecond, Domain: true, OpenPercent: 25,
	}
	if full {
		opt = bench.Options{
			Baseline: 5 * time.Second, Clients: envInt("CANDOUR_BENCH_CLIENTS", 512),
			Duration: time.Duration(envInt("CANDOUR_BENCH_SECONDS", 10)) * time.Second, Warmup: 2 * time.Second,
			Rate: envInt("CANDOUR_BENCH_RATE", 2000), RateDuration: time.Duration(envInt("CANDOUR_BENCH_RATE_SECONDS", 10)) * time.Second,
			Domain:      os.Getenv("CANDOUR_BENCH_DOMAIN") != "",
			OpenPercent: envInt("CANDOUR_BENCH_OPEN_PERCENT", 0),
		}
	}
	run := func(t *testing.T, url string) {
		// Each engine's profile and trace go to a file of their own.
		engineFile := func(path string) string {
			if url != "" {
				return path + ".postgres"
			}
			return path
		}
		o := opt
		o.DatabaseURL = url
		o.Dir = t.TempDir()
		if d := os.Getenv("CANDOUR_BENCH_DIR"); d != "" && full {
			o.Dir = filepath.Join(d, strconv.FormatInt(time.Now().UnixNano(), 36))
			t.Cleanup(func() { os.RemoveAll(o.Dir) })
		}
		if path := os.Getenv("CANDOUR_BENCH_CLOSED_TRACE"); path != "" && full {
			f, err := os.Create(engineFile(path))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			o.ClosedTrace = f
		}
		if path := os.Getenv("CANDOUR_BENCH_CLOSED_PROFILE"); path != "" && full {
			f, err := os.Create(engineFile(path))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			o.ClosedProfile = f
		}
		res, err := bench.Run(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		t.Log("\n" + res.Markdown())
		if res.Closed.Created == 0 || res.Baseline.N == 0 || res.Stored != res.Acknowledged {
			t.Fatalf("nothing measured: %+v", res)
		}
		if res.Batch.MergeFailures > 0 {
			t.Fatalf("%d batches' search-index merging failed", res.Batch.MergeFailures)
		}
		if !full {
			// The smoke run proves the harness works, not how fast it is.
			if res.Open.Created == 0 || len(res.Closed.Failed) > 0 || len(res.Open.Failed) > 0 || res.Batch.Submissions == 0 ||
				res.RaisedOpenly == 0 || res.RaisedOpenly == res.Stored {
				t.Fatalf("smoke run: %+v", res)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, "") })
	if os.Getenv(storetest.PostgresURLEnv) != "" {
		t.Run("postgres", func(t *testing.T) { run(t, storetest.PostgresDatabaseURL(t)) })
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
