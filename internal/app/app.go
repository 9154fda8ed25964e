package app

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"candour/internal/account"
	"candour/internal/actions"
	"candour/internal/api"
	"candour/internal/casework"
	"candour/internal/config"
	"candour/internal/equality"
	"candour/internal/httpx"
	"candour/internal/jobs"
	"candour/internal/justculture"
	"candour/internal/learning"
	"candour/internal/library"
	"candour/internal/notify"
	"candour/internal/org"
	"candour/internal/report"
	"candour/internal/restore"
	"candour/internal/secret"
	"candour/internal/store"
	"candour/internal/web"
)

// App is one running candour: its database, services and HTTP handler.
type App struct {
	Config   *config.Config
	DB       *store.DB
	Logger   *slog.Logger
	Accounts *account.Accounts
	Org      *org.Directory
	Keys     *secret.Ring
	Reports  *report.Service
	Culture  *justculture.Service
	Learning *learning.Service
	Restore  *restore.Service
	Actions  *actions.Service
	Library  *library.Service
	Cases    *casework.Service
	Equality *equality.Service
	Mail     *notify.Sender
	Web      *web.Server
	API      *api.Server
	Now      func() time.Time

	registry *prometheus.Registry
	requests *prometheus.HistogramVec
	handler  http.Handler
}

// New builds an App over an open, migrated database.
func New(cfg *config.Config, db *store.DB, logger *slog.Logger) (*App, error) {
	a := &App{Config: cfg, DB: db, Logger: logger, Now: time.Now}
	keys, err := LoadKeys(cfg, db)
	if err != nil {
		return nil, err
	}
	a.Keys = keys
	a.Reports = report.NewService(db, keys)
	a.Reports.Logger = logger
	a.Reports.Now = func() time.Time { return a.Now() }
	a.Reports.BaseURL = cfg.PublicURL()
	a.Reports.MaxAttachmentBytes = cfg.MaxUploadBytes
	a.Reports.MaxAttachments = cfg.MaxAttachments
	a.Reports.Earliest = cfg.EstablishedDate()
	// Validated with the rest of the configuration.
	escalateSafety, _ := config.EscalationAddresses(cfg.EscalateSafety)
	escalateConcern, _ := config.EscalationAddresses(cfg.EscalateConcern)
	a.Reports.EscalateTo = map[report.Kind][]string{report.SafetyEvent: escalateSafety, report.Concern: escalateConcern}
	a.Reports.Deadlines = report.Deadlines{
		AckDays:      map[report.Kind]int{report.SafetyEvent: cfg.SafetyAckDays, report.Concern: cfg.ConcernAckDays},
		FeedbackDays: map[report.Kind]int{report.SafetyEvent: cfg.SafetyFeedbackDays, report.Concern: cfg.ConcernFeedbackDays},
	}
	a.Culture = justculture.NewService(db)
	a.Culture.Now = func() time.Time { return a.Now() }
	if err := a.Culture.EnsureBuiltins(context.Background()); err != nil {
		return nil, err
	}
	a.Learning, a.Restore, a.Actions, a.Library = learning.NewService(db), restore.NewService(db), actions.NewService(db), library.NewService(db)
	a.Learning.Now, a.Restore.Now, a.Actions.Now, a.Library.Now = a.Now, a.Now, a.Now, a.Now
	a.Actions.BaseURL = cfg.PublicURL()
	a.Cases, a.Equality = casework.NewService(db, a.Culture), equality.NewService(db)
	a.Cases.Now, a.Equality.Now = a.Now, a.Now
	a.Cases.BaseURL = cfg.PublicURL()
	a.Cases.SuspensionReviewDays, a.Cases.WellbeingFrequencyDays = cfg.SuspensionReviewDays, cfg.WellbeingContactDays
	a.Mail = &notify.Sender{DB: db, Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword,
		From: cfg.SMTPFrom, TLS: cfg.SMTPTLS, Now: func() time.Time { return a.Now() }, Logger: logger, Timeout: 30 * time.Second}
	a.Accounts = account.New(db)
	a.Org = org.New(db)
	w, err := web.New(web.Deps{Config: cfg, DB: db, Accounts: a.Accounts, Org: a.Org, Reports: a.Reports, Culture: a.Culture, Learning: a.Learning, Restore: a.Restore, Actions: a.Actions, Library: a.Library, Cases: a.Cases, Equality: a.Equality, Logger: logger, Now: a.Now})
	if err != nil {
		return nil, err
	}
	a.Web = w
	a.API = api.New(api.Deps{DB: db, Accounts: a.Accounts, Org: a.Org, Reports: a.Reports, Culture: a.Culture, Learning: a.Learning, Restore: a.Restore, Actions: a.Actions, Library: a.Library, Cases: a.Cases, Equality: a.Equality, Logger: logger, Now: a.Now, MaxUploadBytes: cfg.MaxUploadBytes})

	a.registry = prometheus.NewRegistry()
	a.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "candour_http_request_duration_seconds",
		Help:    "Time to serve HTTP requests, by route pattern and status code.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route", "code"})
	a.registry.MustRegister(a.requests)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", routed("GET /healthz", a.healthz))
	mux.HandleFunc("GET /readyz", routed("GET /readyz", a.readyz))
	if cfg.MetricsAddr == "" && cfg.MetricsToken != "" {
		mux.HandleFunc("GET /metrics", routed("GET /metrics", a.metricsWithToken().ServeHTTP))
	}
	mux.Handle("/api/", a.API)
	mux.Handle("/", a.Web)

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(crossOriginDenied))
	proxies, err := cfg.TrustedProxyPrefixes()
	if err != nil {
		return nil, err
	}
	a.handler = httpx.Log(logger, a.observe, reporterRoute, httpx.TrustProxies(proxies, httpx.Secure(cfg.SecureCookies(), cop.Handler(uncleanAPIPaths(mux)))))
	return a, nil
}

// LoadKeys returns the configured key ring; on SQLite without one it uses
// (and on first start creates) a key file in the data directory.
func LoadKeys(cfg *config.Config, db *store.DB) (*secret.Ring, error) {
	if cfg.SecretKeys != "" {
		return secret.NewRing(cfg.SecretKeys)
	}
	if db.Engine != store.SQLite {
		return nil, fmt.Errorf("secret-keys must be set on PostgreSQL so that replicas share them; run `candour config genkey`")
	}
	return secret.LoadOrCreateFile(filepath.Join(cfg.DataDir, "secret-keys"))
}

// routed records pattern as the request's route for logs and metrics.
func routed(pattern string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		httpx.SetRoute(r.Context(), pattern)
		h(w, r)
	}
}

// Handler is the whole site: pages, API and operations endpoints.
func (a *App) Handler() http.Handler { return a.handler }

// MetricsHandler serves the Prometheus metrics without authentication, for a
// separate listener that only the monitoring network can reach.
func (a *App) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(a.registry, promhttp.HandlerOpts{})
}

func (a *App) metricsWithToken() http.Handler {
	h := a.MetricsHandler()
	want := []byte("Bearer " + a.Config.MetricsToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need the metrics token", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (a *App) observe(r *http.Request, pattern string, status int, d time.Duration) {
	if pattern == "" {
		pattern = "unmatched"
	}
	a.requests.WithLabelValues(pattern, strconv.Itoa(status)).Observe(d.Seconds())
}

// healthz says the process is up.
func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// readyz says the database answers and its schema matches this binary.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := a.DB.Ping(ctx); err != nil {
		a.Logger.WarnContext(ctx, "not ready: database", "error", err)
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	if err := a.DB.CheckSchema(ctx); err != nil {
		http.Error(w, "schema not current: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ready")
}

// uncleanAPIPaths answers an API path with empty, "." or ".." segments
// with a problem document. ServeMux would redirect it to the clean path
// with an HTML body: not what an API client expects, nor safe to follow
// blindly for a POST.
func uncleanAPIPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/api/") && (strings.Contains(p, "//") || strings.Contains(p, "/./") || strings.Contains(p, "/../") ||
			strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")) {
			api.WriteProblem(w, r, http.StatusNotFound, "Not found", `Send the path without empty, "." or ".." segments.`)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// crossOriginDenied explains a refused cross-site form post.
func crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		api.WriteProblem(w, r, http.StatusForbidden, "Cross-origin request refused",
			"This request came from another site. Browsers may only change data from candour's own pages.")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintln(w, "This form was sent from another website, so candour has refused it to protect your account. Go back to candour and try again from its own page.")
}

// Serve listens on cfg.Addr (and cfg.MetricsAddr) until ctx ends, then
// finishes in-flight requests within the shutdown timeout. ready, if not nil,
// receives the bound address once listening.
func (a *App) Serve(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.Config.Addr, err)
	}
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       httpx.RequestTime,
		WriteTimeout:      httpx.RequestTime,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Logger.Handler(), slog.LevelWarn),
	}
	servers := []*http.Server{srv}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if a.Config.MetricsAddr != "" {
		mln, err := net.Listen("tcp", a.Config.MetricsAddr)
		if err != nil {
			srv.Close()
			return fmt.Errorf("listen on %s: %w", a.Config.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.MetricsHandler())
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, msrv)
		go func() { errc <- msrv.Serve(mln) }()
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	jobsDone := make(chan struct{})
	go func() { a.Jobs().Run(ctx); close(jobsDone) }()
	defer func() { <-jobsDone }()
	batchDone := make(chan struct{}) // group commit of report submissions; flushed when ctx ends
	go func() { a.Reports.StartBatching(ctx); close(batchDone) }()
	defer func() { <-batchDone }()
	checkpointsDone := make(chan struct{}) // SQLite's log copied into the database file off the writer's path
	go func() { a.DB.RunCheckpoints(ctx, store.CheckpointEvery); close(checkpointsDone) }()
	defer func() { <-checkpointsDone }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	a.Logger.Info("shutting down: finishing requests in flight", "timeout", a.Config.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	var errs []error
	for _, s := range servers {
		if err := s.Shutdown(sctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Jobs returns the background jobs every replica runs. Each is safe to run
// on several replicas at once: the database decides who does each piece of
// work (claimed rows, unique notice keys, idempotent deletes).
func (a *App) Jobs() *jobs.Runner {
	r := &jobs.Runner{Logger: a.Logger}
	r.Every("report-deadlines", time.Minute, func(ctx context.Context) error {
		n, err := a.Reports.RunDeadlines(ctx)
		if n > 0 {
			a.Logger.Info("report notices fired", "count", n)
		}
		return err
	})
	r.Every("release-held-audit", 10*time.Minute, func(ctx context.Context) error {
		n, err := a.Reports.ReleaseHeldAudit(ctx)
		if n > 0 {
			a.Logger.Info("held audit entries released", "count", n)
		}
		return err
	})
	r.Every("action-reminders", time.Minute, func(ctx context.Context) error {
		n, err := a.Actions.RunReminders(ctx)
		if n > 0 {
			a.Logger.Info("action notices fired", "count", n)
		}
		return err
	})
	r.Every("support-check-in-reminders", time.Hour, func(ctx context.Context) error {
		_, err := a.Restore.RunCheckInReminders(ctx)
		return err
	})
	r.Every("case-reminders", time.Hour, func(ctx context.Context) error {
		n, err := a.Cases.RunReminders(ctx)
		if n > 0 {
			a.Logger.Info("case notices fired", "count", n)
		}
		return err
	})
	r.Every("send-email", 15*time.Second, func(ctx context.Context) error {
		_, err := a.Mail.SendDue(ctx)
		return err
	})
	r.Every("planner-statistics", time.Hour, a.DB.Analyze)
	r.Every("purge-sessions", time.Hour, func(ctx context.Context) error {
		_, err := a.Accounts.PurgeExpiredSessions(ctx)
		return err
	})
	return r
}

// NewLogger returns a JSON logger at the configured level.
func NewLogger(cfg *config.Config, w interface{ Write([]byte) (int, error) }) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}
