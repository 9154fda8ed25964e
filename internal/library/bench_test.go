package library_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"candour/internal/authz"
	"candour/internal/library"
	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// TestSimilarAndSearchSpeed times Similar and Search over generated safety
// events. By default it is a smoke run over a few thousand events that
// proves the harness works. With CANDOUR_BENCH=1 it is the benchmark in
// docs/benchmarks.md:
//
//	CANDOUR_BENCH=1 go test ./internal/library -run TestSimilarAndSearchSpeed -v -timeout 60m
//
// Tunables: CANDOUR_BENCH_EVENTS (default 1,000,000), CANDOUR_BENCH_PG_EVENTS
// (PostgreSQL, default the same), CANDOUR_BENCH_QUERIES (default 300),
// CANDOUR_BENCH_DIR (where the SQLite file goes; default a temporary
// directory), CANDOUR_BENCH_OUT (a file the results are appended to),
// CANDOUR_BENCH_ENGINE (sqlite or postgres: run only that engine),
// CANDOUR_BENCH_DB (a SQLite file that is kept: loaded on the first run and
// reused by later runs with the same number of events, so that a change can
// be timed again without loading a million events each time).
// PostgreSQL runs when CANDOUR_TEST_POSTGRES_URL is set.
func TestSimilarAndSearchSpeed(t *testing.T) {
	full := os.Getenv("CANDOUR_BENCH") != ""
	events, queries := 3000, 20
	if full {
		events, queries = benchEnv("CANDOUR_BENCH_EVENTS", 1_000_000), benchEnv("CANDOUR_BENCH_QUERIES", 300)
	}
	only := os.Getenv("CANDOUR_BENCH_ENGINE")
	t.Run("sqlite", func(t *testing.T) {
		if only != "" && only != "sqlite" {
			t.Skip("CANDOUR_BENCH_ENGINE=" + only)
		}
		path := os.Getenv("CANDOUR_BENCH_DB")
		if path == "" {
			dir := os.Getenv("CANDOUR_BENCH_DIR")
			if dir == "" {
				dir = t.TempDir()
			}
			path = filepath.Join(dir, fmt.Sprintf("search-bench-%d.db", time.Now().UnixNano()))
			t.Cleanup(func() { os.Remove(path); os.Remove(path + "-wal"); os.Remove(path + "-shm") })
		}
		db, err := store.Open(context.Background(), "sqlite:"+path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		runSearchBench(t, db, events, queries, full)
	})
	if os.Getenv(storetest.PostgresURLEnv) != "" && (only == "" || only == "postgres") {
		t.Run("postgres", func(t *testing.T) {
			n := events
			if full {
				n = benchEnv("CANDOUR_BENCH_PG_EVENTS", events)
			}
			runSearchBench(t, storetest.Postgres(t), n, queries, full)
		})
	}
}

func benchEnv(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

type benchResult struct {
	name     string
	lat      []time.Duration
	p5       float64 // theme precision at 5, for similar
	baseline bool
}

func pct(d []time.Duration, q float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1)+0.5)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }

func runSearchBench(t *testing.T, db *store.DB, events, queries int, full bool) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(2026, uint64(events)))
	var have int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM reports WHERE reference LIKE 'B-%'`).Scan(&have); err != nil {
		t.Fatal(err)
	}
	reused := have == events
	if have != 0 && !reused {
		t.Fatalf("the database holds %d generated events, not %d: use another CANDOUR_BENCH_DB", have, events)
	}
	start := time.Now()
	themes := loadEvents(t, db, r, events, reused)
	loaded := time.Since(start)
	start = time.Now()
	if !reused {
		indexEvents(t, db)
	}
	indexed := time.Since(start)

	svc := library.NewService(db)
	var uid int64
	email := fmt.Sprintf("bench-%d@test.example", time.Now().UnixNano())
	if err := db.QueryRowContext(ctx, `INSERT INTO users (email, name, created_at, updated_at) VALUES (?, 'Bench', ?, ?) RETURNING id`,
		email, store.T(time.Now()), store.T(time.Now())).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	safety := &authz.Principal{UserID: uid, Email: email, Roles: []authz.Role{authz.Safety}}

	// The same query events for the cold and the warm pass.
	ids := make([]int64, queries)
	for i := range ids {
		ids[i] = 1 + r.Int64N(int64(events))
	}
	qs := searchQueries(r, queries)
	var results []benchResult
	if db.Engine == store.SQLite && !reused {
		// First on the index as the server leaves it: chunks merged as
		// they are added, never optimised into one segment, with the
		// planner statistics its hourly job gathers.
		start := time.Now()
		if err := db.Analyze(ctx); err != nil {
			t.Fatal(err)
		}
		t.Logf("planner statistics (store.Analyze): %s", time.Since(start).Round(time.Millisecond))
		var segments int
		if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM reports_fts_idx`).Scan(&segments); err != nil {
			t.Fatal(err)
		}
		live := fmt.Sprintf(", index as the server leaves it (%d segments)", segments)
		similarPass(t, svc, safety, ids, themes, "") // warm the statistics cache, as for the warm pass below
		results = append(results, similarPass(t, svc, safety, ids, themes, "Similar (warm statistics cache)"+live))
		search, _ := searchPass(t, svc, safety, qs)
		search.name += live
		results = append(results, search)
		start = time.Now()
		optimizeIndex(t, db)
		t.Logf("optimize and ANALYZE: %s", time.Since(start).Round(time.Millisecond))
	}
	svc.ForgetStatistics()
	results = append(results, similarPass(t, svc, safety, ids, themes, "Similar (cold statistics cache)"))
	results = append(results, similarPass(t, svc, safety, ids, themes, "Similar (warm statistics cache)"))

	search, found := searchPass(t, svc, safety, qs)
	results = append(results, search)

	// Baselines in the same run: a LIKE scan for the first word of each
	// search over the first 10,000 events, and a few over every event.
	like := benchResult{name: "Baseline: LIKE '%word%' over 10,000 events", baseline: true}
	sample := min(10000, events)
	for _, q := range qs {
		w, _, _ := strings.Cut(q, " ")
		var n int
		t0 := time.Now()
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM reports WHERE id <= ? AND description LIKE ?`, sample, "%"+w+"%").Scan(&n); err != nil {
			t.Fatal(err)
		}
		like.lat = append(like.lat, time.Since(t0))
	}
	results = append(results, like)
	likeAll := benchResult{name: fmt.Sprintf("Baseline: LIKE '%%word%%' over all %d events", events), baseline: true}
	for _, q := range qs[:min(5, len(qs))] {
		w, _, _ := strings.Cut(q, " ")
		var n int
		t0 := time.Now()
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM reports WHERE description LIKE ?`, "%"+w+"%").Scan(&n); err != nil {
			t.Fatal(err)
		}
		likeAll.lat = append(likeAll.lat, time.Since(t0))
	}
	results = append(results, likeAll)

	if found == 0 {
		t.Fatal("no search found any event")
	}
	report := benchReport(db, events, queries, loaded, indexed, reused, results, found)
	t.Log("\n" + report)
	if out := os.Getenv("CANDOUR_BENCH_OUT"); out != "" && full {
		f, err := os.OpenFile(out, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			f.WriteString(report + "\n")
			f.Close()
		}
	}
}

// loadEvents writes n generated safety events in large transactions of
// multi-row inserts and returns each event's theme by id. When reused is
// true the events are already there: they are generated again, in the same
// order, only to learn their themes and leave r where a load would.
func loadEvents(t *testing.T, db *store.DB, r *rand.Rand, n int, reused bool) []uint8 {
	ctx := context.Background()
	if reused {
		themes := make([]uint8, n+1)
		statuses := 6
		for id := 1; id <= n; id++ {
			th := r.IntN(len(genThemes))
			themes[id] = uint8(th)
			genEvent(r, th)
			r.IntN(statuses)
		}
		return themes
	}
	if db.Engine == store.Postgres {
		// Build the GIN index once at the end rather than row by row.
		if _, err := db.ExecContext(ctx, `DROP INDEX reports_search`); err != nil {
			t.Fatal(err)
		}
	}
	themes := make([]uint8, n+1)
	const perStmt, perTx = 250, 20000
	cols := `(reference, kind, mode, team, status, description, immediate_actions, received_on, created_at, updated_at, ack_due_on, feedback_due_on)`
	row := `(?, 'safety_event', 'anonymous', 'safety', ?, ?, ?, ?, ?, ?, ?, ?)`
	day0 := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	statuses := []string{"closed", "closed", "closed", "in_review", "new", "acknowledged"}
	id := 0
	for id < n {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for k := 0; k < perTx/perStmt && id < n; k++ {
				m := min(perStmt, n-id)
				args := make([]any, 0, m*9)
				for j := 0; j < m; j++ {
					id++
					th := r.IntN(len(genThemes))
					themes[id] = uint8(th)
					desc, act := genEvent(r, th)
					day := day0.AddDate(0, 0, id*1095/n)
					ds := day.Format(store.DateLayout)
					args = append(args, fmt.Sprintf("B-%08d", id), statuses[r.IntN(len(statuses))], desc, act, ds, store.T(day), store.T(day), ds, ds)
				}
				q := `INSERT INTO reports ` + cols + ` VALUES ` + strings.TrimSuffix(strings.Repeat(row+",", m), ",")
				if _, err := tx.ExecContext(ctx, q, args...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("load events: %v", err)
		}
	}
	return themes
}

// searchQueries makes n searches of one to three words taken from freshly
// generated events, as people type words they expect to find.
func searchQueries(r *rand.Rand, n int) []string {
	qs := make([]string, n)
	for i := range qs {
		desc, _ := genEvent(r, r.IntN(len(genThemes)))
		var ws []string
		for _, w := range strings.FieldsFunc(strings.ToLower(desc), func(c rune) bool { return !unicode.IsLetter(c) }) {
			if _, err := library.ParseQuery(w); err == nil && len(w) >= 4 && !slices.Contains(ws, w) {
				ws = append(ws, w)
			}
		}
		r.Shuffle(len(ws), func(a, b int) { ws[a], ws[b] = ws[b], ws[a] })
		qs[i] = strings.Join(ws[:min(len(ws), 1+r.IntN(3))], " ")
	}
	return qs
}

// similarPass asks for the events similar to each of ids once and returns
// the latencies and the theme precision at 5.
func similarPass(t *testing.T, svc *library.Service, p *authz.Principal, ids []int64, themes []uint8, name string) benchResult {
	t.Helper()
	res := benchResult{name: name}
	hits := 0
	for _, id := range ids {
		t0 := time.Now()
		sim, err := svc.Similar(context.Background(), p, id, 10)
		res.lat = append(res.lat, time.Since(t0))
		if err != nil {
			t.Fatalf("similar %d: %v", id, err)
		}
		for _, e := range sim.Events[:min(5, len(sim.Events))] {
			if themes[e.ReportID] == themes[id] {
				hits++
			}
		}
	}
	res.p5 = float64(hits) / float64(len(ids)*5)
	return res
}

// searchPass runs every search once and returns the latencies and how many
// searches found an event.
func searchPass(t *testing.T, svc *library.Service, p *authz.Principal, qs []string) (benchResult, int) {
	t.Helper()
	res := benchResult{name: "Search (1–3 words, lessons and events)"}
	found := 0
	for _, q := range qs {
		t0 := time.Now()
		got, err := svc.Search(context.Background(), p, q, 20)
		res.lat = append(res.lat, time.Since(t0))
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		if len(got.Events) > 0 {
			found++
		}
	}
	return res, found
}

// indexEvents builds the search index over freshly loaded events: on SQLite
// by indexing them in chunks as the server does (they were stored without
// indexing, as the group-commit writer stores them), on PostgreSQL by
// building the GIN index dropped for the load.
func indexEvents(t *testing.T, db *store.DB) {
	ctx := context.Background()
	if db.Engine == store.SQLite {
		if err := report.CatchUpSearch(ctx, db); err != nil {
			t.Fatalf("index events: %v", err)
		}
		return
	}
	for _, s := range []string{`CREATE INDEX reports_search ON reports USING GIN (search_tsv)`, `ANALYZE reports`} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// optimizeIndex merges SQLite's index into one segment, as a quiet
// maintenance window could, and gathers the planner's statistics.
func optimizeIndex(t *testing.T, db *store.DB) {
	for _, s := range []string{`INSERT INTO reports_fts (reports_fts) VALUES ('optimize')`, `ANALYZE`} {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func benchReport(db *store.DB, events, queries int, loaded, indexed time.Duration, reused bool, results []benchResult, found int) string {
	ctx := context.Background()
	var version string
	if db.Engine == store.Postgres {
		db.QueryRowContext(ctx, `SHOW server_version`).Scan(&version)
		version = "PostgreSQL " + version
	} else {
		db.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&version)
		version = "SQLite " + version + " (modernc.org/sqlite)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#### %s, %d events, %d queries of each kind, one client\n\n", version, events, queries)
	fmt.Fprintf(&b, "Machine: %s, %d CPUs seen by Go, %s/%s, %s. ", cpuModel(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	if reused {
		b.WriteString("Events: a kept database (CANDOUR_BENCH_DB) from an earlier run.\n\n")
	} else {
		fmt.Fprintf(&b, "Load: %s (%.0f events/s); index build: %s.\n\n", loaded.Round(time.Second),
			float64(events)/loaded.Seconds(), indexed.Round(time.Second))
	}
	base := results[len(results)-2]
	b.WriteString("| what | p50 ms | p95 ms | p99 ms | p50 ÷ LIKE-10k p50 | theme precision@5 |\n|---|---|---|---|---|---|\n")
	for _, r := range results {
		ratio := float64(pct(r.lat, 0.5)) / float64(pct(base.lat, 0.5))
		p5 := ""
		if r.p5 > 0 {
			p5 = fmt.Sprintf("%.3f", r.p5)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %.2f | %s |\n", r.name, ms(pct(r.lat, 0.5)), ms(pct(r.lat, 0.95)), ms(pct(r.lat, 0.99)), ratio, p5)
	}
	fmt.Fprintf(&b, "\n%d of %d searches found events. Resident memory after the run: %s. Load average during the run: %s.\n", found, queries, rss(), loadAvg())
	return b.String()
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func rss() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") || strings.HasPrefix(line, "VmHWM:") {
			if strings.HasPrefix(line, "VmRSS:") {
				return strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:"))
			}
		}
	}
	return "unknown"
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
