// Package apptest runs a whole candour, every handler and middleware, over a
// real database on a loopback listener, with one signed-up user per role, for
// tests that go through HTTP as a browser or API client would.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"candour/internal/account"
	"candour/internal/app"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/config"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// Password is every test user's password.
const Password = "correct horse battery staple"

// TestKeys is the key ring every test app uses, so that replicas in one test
// share it as production replicas must. It protects nothing real.
const TestKeys = "t1:Y2FuZG91ci10ZXN0LWtleS1ub3QtZm9yLXByb2R1Y3Q="

// Env is a running candour.
type Env struct {
	App    *app.App
	Server *httptest.Server
	DB     *store.DB
	// Users holds one user per role, holding only that role.
	Users map[authz.Role]account.User
	// Logs collects everything the server logged.
	Logs *SafeBuffer
}

// SafeBuffer is a bytes buffer safe for concurrent writes.
type SafeBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

// Write appends p.
func (s *SafeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.WriteString(string(p))
}

// String returns everything written.
func (s *SafeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Engines runs fn against a fresh candour on each available engine.
func Engines(t *testing.T, fn func(t *testing.T, e *Env)) {
	t.Helper()
	storetest.Engines(t, func(t *testing.T, db *store.DB) { fn(t, New(t, db)) })
}

// NewSQLite starts a candour on a fresh SQLite database.
func NewSQLite(t testing.TB) *Env { return New(t, storetest.SQLite(t)) }

// New starts a candour over db (already migrated) and creates one user per role.
func New(t testing.TB, db *store.DB) *Env { return NewConfigured(t, db, nil) }

// NewConfigured is New with the test's own changes to the default
// configuration (configure may be nil).
func NewConfigured(t testing.TB, db *store.DB, configure func(*config.Config)) *Env {
	t.Helper()
	e := StartConfigured(t, db, configure)
	e.Users = map[authz.Role]account.User{}
	for _, r := range authz.Roles() {
		u, err := e.App.Accounts.Create(context.Background(), audit.Actor{Label: "test"}, account.NewUser{
			Email: strings.ReplaceAll(string(r), "_", "-") + "@test.example", Name: "Test " + r.Label(), Roles: []authz.Role{r}, Password: Password})
		if err != nil {
			t.Fatal(err)
		}
		e.Users[r] = u
	}
	return e
}

// Start starts a candour over db without creating any users: a second
// replica on the same database, for example.
func Start(t testing.TB, db *store.DB) *Env { return StartConfigured(t, db, nil) }

// StartConfigured is Start with the test's own changes to the default
// configuration (configure may be nil).
func StartConfigured(t testing.TB, db *store.DB, configure func(*config.Config)) *Env {
	t.Helper()
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.SecretKeys = TestKeys
	if configure != nil {
		configure(&cfg)
	}
	logs := &SafeBuffer{}
	a, err := app.New(&cfg, db, slog.New(slog.NewJSONHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	a.Accounts.Sleep = func(time.Duration) {} // lockout delays would only slow tests
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &Env{App: a, Server: srv, DB: db, Logs: logs}
}

// URL returns the absolute URL of path.
func (e *Env) URL(path string) string { return e.Server.URL + path }

// Client returns an HTTP client with its own cookie jar that does not follow
// redirects, so tests can see them.
func (e *Env) Client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// SignIn returns a client signed in as the user holding role.
func (e *Env) SignIn(t testing.TB, role authz.Role) *http.Client {
	t.Helper()
	return e.SignInAs(t, e.Users[role].Email, Password)
}

// SignInAs signs in with an email and password through the sign-in form.
func (e *Env) SignInAs(t testing.TB, email, password string) *http.Client {
	t.Helper()
	c := e.Client()
	res, err := c.PostForm(e.URL("/sign-in"), url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d, want 303", email, res.StatusCode)
	}
	return c
}

// Token creates an API token for the user holding role.
func (e *Env) Token(t testing.TB, role authz.Role) string {
	t.Helper()
	_, secret, err := e.App.Accounts.CreateToken(context.Background(), audit.Actor{Label: "test"}, e.Users[role].ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// Get fetches path with c and returns the status and body.
func (e *Env) Get(t testing.TB, c *http.Client, path string) (int, string) {
	t.Helper()
	res, err := c.Get(e.URL(path))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// PostForm posts a form to path with c and returns the response, body read.
func (e *Env) PostForm(t testing.TB, c *http.Client, path string, v url.Values) (*http.Response, string) {
	t.Helper()
	res, err := c.PostForm(e.URL(path), v)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// API sends an API request with a bearer token and returns the response and body.
func (e *Env) API(t testing.TB, method, path, token, contentType string, body io.Reader) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.URL(path), body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}
