package bench

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"candour/internal/account"
	"candour/internal/app"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/config"
	"candour/internal/localtime"
	"candour/internal/org"
	"candour/internal/report"
	"candour/internal/secret"
	"candour/internal/store"
)

// Options say what to measure and for how long.
type Options struct {
	// DatabaseURL is sqlite:PATH (a fresh file) or a postgres:// URL of an
	// empty database. Empty means a SQLite file in Dir.
	DatabaseURL string
	// Dir holds the SQLite files (the app's and the baseline's) and the
	// server's log.
	Dir string
	// Baseline is how long to run one-row-per-transaction inserts.
	Baseline time.Duration
	// Clients is the closed loop's concurrency; Duration its measured
	// length, after Warmup.
	Clients  int
	Duration time.Duration
	Warmup   time.Duration
	// Rate is the open loop's requests a second, for RateDuration.
	Rate         int
	RateDuration time.Duration
	// Domain also measures Submit called directly (no HTTP), with Clients
	// goroutines for Duration, to show what HTTP costs.
	Domain bool
	// OpenPercent is the share of submissions raised openly, by a member
	// of staff signed in with an API token; the rest are anonymous. Open
	// reports cost more: the token is checked, the audit entry joins the
	// chain at once, and a confirmation email is queued.
	OpenPercent int
	// ClosedProfile, when set, receives a CPU profile of the measured
	// closed loop alone: the baseline, the warm-up and the open loop, which
	// a profile of the whole test mixes in, are left out.
	ClosedProfile io.Writer
	// ClosedTrace, when set, receives an execution trace (runtime/trace)
	// of the measured closed loop alone: "go tool trace" then shows, for
	// the group-commit writer, how its time splits between running,
	// waiting for a processor, and system calls.
	ClosedTrace io.Writer
}

// Throughput is a count over a time.
type Throughput struct {
	N       int64
	Elapsed time.Duration
}

// PerSecond is N over Elapsed.
func (t Throughput) PerSecond() float64 {
	if t.Elapsed <= 0 {
		return 0
	}
	return float64(t.N) / t.Elapsed.Seconds()
}

// Latencies summarises response times.
type Latencies struct {
	N                  int
	P50, P95, P99, Max time.Duration
}

func summarise(d []time.Duration) Latencies {
	if len(d) == 0 {
		return Latencies{}
	}
	slices.Sort(d)
	q := func(p float64) time.Duration {
		i := int(math.Ceil(p*float64(len(d)))) - 1
		return d[max(0, min(i, len(d)-1))]
	}
	return Latencies{N: len(d), P50: q(.50), P95: q(.95), P99: q(.99), Max: d[len(d)-1]}
}

// Load is what one load phase saw.
type Load struct {
	// Sent requests; Created answered 201; Failed anything else (by
	// status, or 0 for a transport error).
	Sent, Created int64
	Failed        map[int]int64
	Throughput    Throughput // of 201s
	Latency       Latencies  // of 201s
	// CPU is the CPU time the whole process (server and load generator)
	// used during the phase: per 201 it is the cost of a submission, a
	// steadier figure than the rate on a shared machine.
	CPU time.Duration
	// Late counts open-loop requests sent more than 1 ms after their
	// scheduled time (the generator falling behind).
	Late int64
	// SecondP99 is the open loop's p99 for each second of its schedule,
	// by when requests were due: it shows whether the tail is spread
	// through the window or comes from a stretch of it.
	SecondP99 []time.Duration
}

// Result is one whole run.
type Result struct {
	Engine   store.Engine
	Baseline Throughput // one-row-per-transaction inserts
	Domain   Throughput // Submit without HTTP, when measured
	Closed   Load       // closed loop, Clients keep-alive clients
	Open     Load       // open loop at Rate
	Options  Options
	// Stored is the number of reports found in the database after the
	// server stopped (reopened from disk on SQLite); Acknowledged the
	// number of 201s (and direct Submits) in the whole run. They must be
	// equal.
	Stored, Acknowledged int64
	// RaisedOpenly is how many of the stored reports were raised openly
	// and carry their reporter's account (Options.OpenPercent).
	RaisedOpenly int64
	Batch        report.BatchStats
	// ClosedBatch is what the group-commit writer did during the closed
	// loop (Largest is not kept).
	ClosedBatch report.BatchStats
}

// Ratio is the closed-loop rate over the baseline rate.
func (r Result) Ratio() float64 {
	if r.Baseline.PerSecond() == 0 {
		return 0
	}
	return r.Closed.Throughput.PerSecond() / r.Baseline.PerSecond()
}

// Run measures, in order: the baseline, the domain (if asked), the closed
// loop and the open loop, then checks that every acknowledged report is
// stored.
func Run(ctx context.Context, opt Options) (Result, error) {
	res := Result{Options: opt}
	if err := os.MkdirAll(opt.Dir, 0o700); err != nil {
		return res, err
	}
	url, baseURL := opt.DatabaseURL, opt.DatabaseURL
	if url == "" {
		url = "sqlite:" + filepath.Join(opt.Dir, "candour.db")
		baseURL = "sqlite:" + filepath.Join(opt.Dir, "baseline.db")
	}
	var err error
	res.Baseline, err = Baseline(ctx, baseURL, opt.Baseline)
	if err != nil {
		return res, fmt.Errorf("baseline: %w", err)
	}
	db, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		return res, err
	}
	closeDB := sync.OnceValue(db.Close)
	defer closeDB()
	res.Engine = db.Engine
	if _, err := db.Migrate(ctx); err != nil {
		return res, err
	}
	depts, err := Seed(ctx, db)
	if err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	var token string
	if opt.OpenPercent > 0 {
		if token, err = staffToken(ctx, db); err != nil {
			return res, fmt.Errorf("seed: %w", err)
		}
	}
	bodies := Bodies(depts, 64, opt.OpenPercent, token)

	srv, err := StartServer(ctx, db, opt.Dir)
	if err != nil {
		return res, err
	}
	defer srv.Stop()
	var acked int64

	if opt.Domain {
		res.Domain, err = domainLoop(ctx, srv.App.Reports, depts, opt.Clients, opt.Duration)
		if err != nil {
			return res, fmt.Errorf("domain: %w", err)
		}
		acked += res.Domain.N
	}

	poster, err := NewPoster(srv.URL, opt.Clients)
	if err != nil {
		return res, err
	}
	defer poster.Close()
	if opt.Warmup > 0 {
		w := ClosedLoop(ctx, poster, bodies, opt.Clients, opt.Warmup)
		acked += w.Created
	}
	before, err := countReports(ctx, db)
	if err != nil {
		return res, err
	}
	batch0 := srv.App.Reports.BatchStats()
	if opt.ClosedTrace != nil {
		if err := trace.Start(opt.ClosedTrace); err != nil {
			return res, fmt.Errorf("closed loop trace: %w", err)
		}
	}
	if opt.ClosedProfile != nil {
		if err := pprof.StartCPUProfile(opt.ClosedProfile); err != nil {
			if opt.ClosedTrace != nil {
				trace.Stop()
			}
			return res, fmt.Errorf("closed loop profile: %w", err)
		}
	}
	res.Closed = ClosedLoop(ctx, poster, bodies, opt.Clients, opt.Duration)
	if opt.ClosedProfile != nil {
		pprof.StopCPUProfile()
	}
	if opt.ClosedTrace != nil {
		trace.Stop()
	}
	batch1 := srv.App.Reports.BatchStats()
	res.ClosedBatch = report.BatchStats{Batches: batch1.Batches - batch0.Batches, Submissions: batch1.Submissions - batch0.Submissions,
		Retried: batch1.Retried - batch0.Retried, Busy: batch1.Busy - batch0.Busy, Owed: batch1.Owed,
		MergeFailures: batch1.MergeFailures - batch0.MergeFailures}
	acked += res.Closed.Created
	after, err := countReports(ctx, db)
	if err != nil {
		return res, err
	}
	if after-before != res.Closed.Created {
		return res, fmt.Errorf("closed loop: %d reports acknowledged with 201 but %d stored", res.Closed.Created, after-before)
	}

	if opt.Rate > 0 && opt.RateDuration > 0 {
		open, err := NewPoster(srv.URL, 1024)
		if err != nil {
			return res, err
		}
		defer open.Close()
		// As in the closed loop, a warm-up at the same rate, not measured:
		// the generator opens its connections, and the server works off
		// what the closed loop left behind (a long write-ahead log, search
		// index segments waiting to be merged) before the clock starts.
		if opt.Warmup > 0 {
			w := OpenLoop(ctx, open, bodies, opt.Rate, opt.Warmup)
			acked += w.Created
		}
		res.Open = OpenLoop(ctx, open, bodies, opt.Rate, opt.RateDuration)
		acked += res.Open.Created
	}
	if err := srv.Stop(); err != nil {
		return res, fmt.Errorf("stop server: %w", err)
	}
	res.Batch = srv.App.Reports.BatchStats()
	res.Acknowledged = acked

	// Durable: count again from a fresh connection to the file.
	if err := closeDB(); err != nil {
		return res, err
	}
	db2, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		return res, err
	}
	defer db2.Close()
	if res.Stored, err = countReports(ctx, db2); err != nil {
		return res, err
	}
	if res.Stored != res.Acknowledged {
		return res, fmt.Errorf("%d reports acknowledged but %d stored", res.Acknowledged, res.Stored)
	}
	if err := db2.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE mode = 'open' AND reporter_user_id IS NOT NULL`).Scan(&res.RaisedOpenly); err != nil {
		return res, err
	}
	v, err := audit.Verify(ctx, db2)
	if err != nil {
		return res, err
	}
	if !v.OK() {
		return res, fmt.Errorf("audit chain broken at %d: %s", v.BrokenAt, v.Problem)
	}
	return res, nil
}

func countReports(ctx context.Context, db *store.DB) (int64, error) {
	var n int64
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM reports`).Scan(&n)
	return n, err
}

// Baseline inserts one row per transaction, from one goroutine, into a
// table like reports for d. url is a fresh SQLite file (sqlite:PATH),
// opened exactly as candour opens its own (WAL, synchronous=FULL, one write
// connection), or the PostgreSQL database the run uses.
func Baseline(ctx context.Context, url string, d time.Duration) (Throughput, error) {
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		os.Remove(path)
	}
	db, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		return Throughput{}, err
	}
	defer db.Close()
	id := "INTEGER PRIMARY KEY"
	if db.Engine == store.Postgres {
		id = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
	}
	if _, err := db.ExecContext(ctx, `DROP TABLE IF EXISTS bench_baseline`); err != nil {
		return Throughput{}, err
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE bench_baseline (id `+id+`, reference TEXT NOT NULL UNIQUE,
		kind TEXT NOT NULL, description TEXT NOT NULL, created_at TEXT NOT NULL)`); err != nil {
		return Throughput{}, err
	}
	text := narratives[0]
	start := time.Now()
	deadline := start.Add(d)
	var n int64
	for time.Now().Before(deadline) {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO bench_baseline (reference, kind, description, created_at) VALUES (?, ?, ?, ?)`,
				fmt.Sprintf("B-%d", n), "safety_event", text, store.T(time.Now()))
			return err
		})
		if err != nil {
			return Throughput{}, err
		}
		n++
	}
	return Throughput{N: n, Elapsed: time.Since(start)}, nil
}

// Server is a running candour.
type Server struct {
	App  *app.App
	URL  string // http://127.0.0.1:PORT/api/v1/reports
	stop func() error
}

// Stop shuts the server down (finishing requests in flight and flushing the
// group-commit writer) and waits for it.
func (s *Server) Stop() error { return s.stop() }

// StartServer runs candour over db with App.Serve, as `candour serve` does,
// on a loopback port. Request logs go to a file in dir.
func StartServer(ctx context.Context, db *store.DB, dir string) (*Server, error) {
	cfg := config.Defaults()
	cfg.Addr = "127.0.0.1:0"
	cfg.DataDir = dir
	cfg.SecretKeys = secret.NewKeySpec("bench")
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	a, err := app.New(&cfg, db, app.NewLogger(&cfg, logFile))
	if err != nil {
		logFile.Close()
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- a.Serve(sctx, func(addr string) { ready <- addr }) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		logFile.Close()
		return nil, err
	}
	if host, _, _ := net.SplitHostPort(addr); !net.ParseIP(host).IsLoopback() {
		cancel()
		return nil, fmt.Errorf("server listening on %s, not loopback", addr)
	}
	// Wait for the group-commit writer, which Serve starts.
	for i := 0; !a.Reports.Batching(); i++ {
		if i > 2000 {
			cancel()
			return nil, errors.New("the group-commit writer did not start")
		}
		time.Sleep(time.Millisecond)
	}
	stop := sync.OnceValue(func() error {
		cancel()
		err := <-done
		return errors.Join(err, logFile.Close())
	})
	return &Server{App: a, URL: "http://" + addr + "/api/v1/reports", stop: stop}, nil
}

// Seed creates a site with a few departments and returns their ids, read
// back from the database.
func Seed(ctx context.Context, db *store.DB) ([]int64, error) {
	dir := org.New(db)
	site, err := dir.CreateSite(ctx, audit.System, org.Site{Code: "NGH", Name: "Northfield General Hospital"})
	if err != nil {
		return nil, err
	}
	for i, name := range []string{"Ward 7 (acute medicine)", "Emergency department", "Maternity", "Theatres", "Pharmacy", "Radiology", "Ward 12 (surgery)", "Outpatients"} {
		if _, err := dir.CreateDepartment(ctx, audit.System, org.Department{SiteID: site.ID, Code: fmt.Sprintf("D%02d", i), Name: name, Kind: "ward"}); err != nil {
			return nil, err
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT id FROM departments ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// narratives are realistic, name-free accounts of the kind staff write.
var narratives = []string{
	"Patient in bay 3 was given their 08:00 dose of enoxaparin twice: the night staff gave it at 06:30 but did not sign the drug chart, and the day nurse gave it again at 08:00. Noticed at the 10:00 drug round. Doctor informed, bloods taken, patient monitored for bleeding; no signs so far.",
	"Fall on the ward at about 02:15. The patient got up to use the toilet without calling for help, the bed rails were down and the call bell was out of reach. Found on the floor by the healthcare assistant. Small cut to the forehead, reviewed by the night registrar, neuro observations started.",
	"Syringe driver alarmed for occlusion but the alarm was not heard for around 40 minutes because the side room door was closed and the ward was short of one registered nurse. Medication delivery was interrupted; patient's pain score rose to 7. Line re-sited and driver restarted.",
	"Theatre list started 50 minutes late because the instrument tray for the second case had not been returned from sterile services. The first patient had been fasting since midnight. Escalated to the theatre coordinator; the tray arrived at 09:40 and the list went ahead.",
	"Excellent care from the night team: a deteriorating patient's early warning score was picked up at 03:00, the outreach team came within 10 minutes, and the patient was moved to critical care before their condition worsened. Family thanked the team.",
	"Fridge temperature log in the treatment room shows readings above 8 degrees for two days without any action recorded. Insulin and vaccines stored in it have been quarantined and pharmacy informed. The fridge alarm was found switched off.",
	"Wrong patient label put on a blood sample in the emergency department; two patients with similar surnames were in adjacent cubicles. The lab rejected the sample because of a date of birth mismatch. Repeat sample taken with positive identification. No harm, but it could have led to a transfusion error.",
	"Discharge letter sent to the GP listed the old dose of warfarin after it had been reduced during the admission. Picked up by the community pharmacist the next day, who called the ward. Letter corrected and the GP practice informed by phone.",
}

var (
	eventTypes = []string{"incident", "incident", "incident", "risk", "good_care", "poor_outcome"}
	physical   = []string{"none", "low", "low", "moderate", "none", "none"}
)

// Request is one submission to send: a JSON body and, for a report raised
// openly, the API token to send it with.
type Request struct {
	Body  []byte
	Token string
}

// staffToken creates a member of staff with an email address and returns
// a personal API token of theirs.
func staffToken(ctx context.Context, db *store.DB) (string, error) {
	acc := account.New(db)
	u, err := acc.Create(ctx, audit.System, account.NewUser{Email: "ward7.nurse@trust.example", Name: "Ward 7 Nurse", Roles: []authz.Role{authz.Staff}})
	if err != nil {
		return "", err
	}
	_, token, err := acc.CreateToken(ctx, audit.System, u.ID, "benchmark")
	return token, err
}

// Bodies returns n submissions of safety events, openPercent of every
// hundred raised openly with token and the rest anonymously.
func Bodies(depts []int64, n, openPercent int, token string) []Request {
	out := make([]Request, n)
	for i := range out {
		et := eventTypes[i%len(eventTypes)]
		mode := "anonymous"
		// Spread evenly: report i is open when the running count of open
		// reports, (i+1)·p/100 rounded down, steps up at it.
		if (i+1)*openPercent/100 > i*openPercent/100 {
			mode = "open"
			out[i].Token = token
		}
		m := map[string]any{
			"kind": "safety_event", "mode": mode,
			"description":        narratives[i%len(narratives)],
			"department_id":      depts[i%len(depts)],
			"occurred_at":        time.Now().Add(-time.Duration(i+1) * 97 * time.Minute).UTC().Format(time.RFC3339),
			"event_type":         et,
			"physical_harm":      physical[i%len(physical)],
			"psychological_harm": "none",
			"immediate_actions":  "Nurse in charge informed and the patient reviewed.",
		}
		if et == "good_care" {
			m["physical_harm"] = "none"
		}
		b, err := json.Marshal(m)
		if err != nil {
			panic(err)
		}
		out[i].Body = b
	}
	return out
}

// newKey returns a fresh idempotency key as a careful client makes one: a
// random UUID (version 4). Random keys matter: the server stores a keyed
// hash of each, and keys that sorted in order would hide the cost of
// looking up and storing values that do not (docs/benchmarks.md). Real
// clients make their keys on their own machines, so the load generator,
// which shares this one with the server, draws them from math/rand/v2's
// per-thread generator (tens of nanoseconds) rather than crypto/rand with
// fmt (about 3.5 µs a key, 1.5% of a submission's CPU here).
func newKey() string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], mrand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], mrand.Uint64())
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	hex.Encode(out[9:13], b[4:6])
	hex.Encode(out[14:18], b[6:8])
	hex.Encode(out[19:23], b[8:10])
	hex.Encode(out[24:36], b[10:16])
	out[8], out[13], out[18], out[23] = '-', '-', '-', '-'
	return string(out[:])
}

// post sends one submission, with a fresh idempotency key as a careful
// client would, and returns the status (0 for a transport error).
func post(p *Poster, r Request) int {
	code, err := p.Post(r.Body, newKey(), r.Token)
	if err != nil {
		return 0
	}
	return code
}

type tally struct {
	mu      sync.Mutex
	sent    int64
	created int64
	failed  map[int]int64
	lat     []time.Duration
	late    int64
}

func (t *tally) merge(sent, created int64, failed map[int]int64, lat []time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sent += sent
	t.created += created
	for k, v := range failed {
		t.failed[k] += v
	}
	t.lat = append(t.lat, lat...)
}

// ClosedLoop runs clients workers, each sending its next submission as soon
// as the last is answered, for d.
func ClosedLoop(ctx context.Context, p *Poster, bodies []Request, clients int, d time.Duration) Load {
	t := &tally{failed: map[int]int64{}}
	cpu0 := cpuTime()
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sent, created int64
			failed := map[int]int64{}
			lat := make([]time.Duration, 0, 4096)
			for i := w; ; i += clients {
				t0 := time.Now()
				if !t0.Before(deadline) || ctx.Err() != nil {
					break
				}
				code := post(p, bodies[i%len(bodies)])
				sent++
				if code == http.StatusCreated {
					created++
					lat = append(lat, time.Since(t0))
				} else {
					failed[code]++
				}
			}
			t.merge(sent, created, failed, lat)
		}()
	}
	wg.Wait()
	return Load{Sent: t.sent, Created: t.created, Failed: t.failed, CPU: cpuTime() - cpu0,
		Throughput: Throughput{N: t.created, Elapsed: time.Since(start)}, Latency: summarise(t.lat)}
}

// OpenLoop sends rate submissions a second for d, each at its scheduled
// time whatever happened to the ones before, and measures each latency from
// the scheduled time (so a stall counts against every request it delays).
func OpenLoop(ctx context.Context, p *Poster, bodies []Request, rate int, d time.Duration) Load {
	n := int(float64(rate) * d.Seconds())
	interval := time.Second / time.Duration(rate)
	t := &tally{failed: map[int]int64{}}
	lat := make([]time.Duration, n)
	codes := make([]int, n)
	var wg sync.WaitGroup
	const maxInFlight = 4096
	sem := make(chan struct{}, maxInFlight)
	cpu0 := cpuTime()
	start := time.Now()
	for i := 0; i < n && ctx.Err() == nil; i++ {
		sched := start.Add(time.Duration(i) * interval)
		if w := time.Until(sched); w > 0 {
			time.Sleep(w)
		} else if w < -time.Millisecond {
			t.late++
		}
		select {
		case sem <- struct{}{}:
		default:
			codes[i] = -1 // too many in flight: counted as failed
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = post(p, bodies[i%len(bodies)])
			lat[i] = time.Since(sched)
			<-sem
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	var ok, second []time.Duration
	var perSecond []time.Duration
	for i := 0; i < n; i++ {
		if codes[i] == http.StatusCreated {
			ok = append(ok, lat[i])
			second = append(second, lat[i])
			t.created++
		} else {
			t.failed[codes[i]]++
		}
		if (i+1)%rate == 0 || i == n-1 {
			perSecond = append(perSecond, summarise(second).P99)
			second = second[:0]
		}
	}
	return Load{Sent: int64(n), Created: t.created, Failed: t.failed, Late: t.late, CPU: cpu,
		Throughput: Throughput{N: t.created, Elapsed: elapsed}, Latency: summarise(ok), SecondP99: perSecond}
}

// domainLoop calls Submit directly from clients goroutines for d.
func domainLoop(ctx context.Context, svc *report.Service, depts []int64, clients int, d time.Duration) (Throughput, error) {
	start := time.Now()
	deadline := start.Add(d)
	var n atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	today := time.Now().In(london()).Format(store.DateLayout)
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline) && ctx.Err() == nil; i += clients {
				sub := report.Submission{Kind: report.SafetyEvent, Mode: report.Anonymous, DepartmentID: depts[i%len(depts)],
					OccurredOn: today, OccurredTime: "00:00", Description: narratives[i%len(narratives)],
					EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "none",
					ImmediateActions: "Nurse in charge informed and the patient reviewed.",
					SubmissionKey:    newKey()}
				if _, err := svc.Submit(ctx, sub, nil); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return Throughput{N: n.Load(), Elapsed: time.Since(start)}, firstErr
}

func london() *time.Location { return localtime.London() }

// Markdown renders a result as a table row set for docs/benchmarks.md.
func (r Result) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "engine %s: baseline %.0f rows/s (one row per transaction)\n", r.Engine, r.Baseline.PerSecond())
	if r.Options.OpenPercent > 0 {
		fmt.Fprintf(&b, "  submissions: %d%% raised openly with an API token, the rest anonymously (%d stored as open)\n", r.Options.OpenPercent, r.RaisedOpenly)
	}
	if r.Domain.N > 0 {
		fmt.Fprintf(&b, "  domain (Submit, no HTTP, %d goroutines): %.0f/s\n", r.Options.Clients, r.Domain.PerSecond())
	}
	fmt.Fprintf(&b, "  closed loop, %d clients, %s: %d created (%.0f/s, %.1f× baseline), failed %v, latency p50 %s p95 %s p99 %s max %s\n",
		r.Options.Clients, r.Options.Duration, r.Closed.Created, r.Closed.Throughput.PerSecond(), r.Ratio(), r.Closed.Failed,
		ms(r.Closed.Latency.P50), ms(r.Closed.Latency.P95), ms(r.Closed.Latency.P99), ms(r.Closed.Latency.Max))
	fmt.Fprintf(&b, "    CPU %.0f µs per submission (server and load generator), %.2f cores busy\n",
		float64(r.Closed.PerOp())/1e3, r.Closed.CPU.Seconds()/r.Closed.Throughput.Elapsed.Seconds())
	if cb := r.ClosedBatch; cb.Batches > 0 {
		fmt.Fprintf(&b, "    group commit: mean %.1f reports a batch; writer busy %.0f%% of the time, %.0f µs a report; search-index merging owed at the end %d pages\n",
			float64(cb.Submissions-cb.Retried)/float64(cb.Batches), 100*cb.Busy.Seconds()/r.Closed.Throughput.Elapsed.Seconds(),
			float64(cb.Busy.Microseconds())/float64(max(cb.Submissions, 1)), cb.Owed)
	}
	if r.Open.Sent > 0 {
		fmt.Fprintf(&b, "  open loop, %d/s for %s: %d/%d created (%.0f/s), failed %v, late %d, latency p50 %s p95 %s p99 %s max %s\n",
			r.Options.Rate, r.Options.RateDuration, r.Open.Created, r.Open.Sent, r.Open.Throughput.PerSecond(), r.Open.Failed, r.Open.Late,
			ms(r.Open.Latency.P50), ms(r.Open.Latency.P95), ms(r.Open.Latency.P99), ms(r.Open.Latency.Max))
		each := make([]string, len(r.Open.SecondP99))
		for i, d := range r.Open.SecondP99 {
			each[i] = "-" // no 201s that second
			if d > 0 {
				each[i] = fmt.Sprintf("%.0f", float64(d)/float64(time.Millisecond))
			}
		}
		fmt.Fprintf(&b, "    p99 of each second (ms): %s\n", strings.Join(each, " "))
	}
	avg := 0.0
	if r.Batch.Batches > 0 {
		avg = float64(r.Batch.Submissions-r.Batch.Retried) / float64(r.Batch.Batches)
	}
	fmt.Fprintf(&b, "  group commit: %d batches, mean %.1f, largest %d, retried %d, merging owed at the end %d pages, merges failed %d; stored %d = acknowledged %d\n",
		r.Batch.Batches, avg, r.Batch.Largest, r.Batch.Retried, r.Batch.Owed, r.Batch.MergeFailures, r.Stored, r.Acknowledged)
	return b.String()
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// PerOp is CPU time per 201.
func (l Load) PerOp() time.Duration {
	if l.Created == 0 {
		return 0
	}
	return l.CPU / time.Duration(l.Created)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }
