package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"candour/internal/account"
	"candour/internal/api"
	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// Two replicas on one PostgreSQL database behave as one system: a session
// started on one is valid on the other, and signing out everywhere on one
// ends it on both.
func TestTwoReplicasShareSessions(t *testing.T) {
	u := storetest.PostgresDatabaseURL(t)
	ctx := context.Background()
	open := func() *store.DB {
		db, err := store.Open(ctx, u, store.Options{MaxConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	// Both replicas start together and migrate concurrently.
	dbs := []*store.DB{open(), open()}
	var wg sync.WaitGroup
	ran := make([]int, 2)
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := db.Migrate(ctx)
			if err != nil {
				t.Error(err)
			}
			ran[i] = n
		}()
	}
	wg.Wait()
	if want, _ := dbs[0].MigrationCount(); ran[0]+ran[1] != want {
		t.Fatalf("replicas applied %d+%d migrations, want %d in all", ran[0], ran[1], want)
	}
	one := apptest.New(t, dbs[0])
	two := apptest.Start(t, dbs[1])

	c := one.SignIn(t, authz.HR)
	// Replay the cookie from replica one against replica two.
	u1, _ := url.Parse(one.URL("/"))
	u2, _ := url.Parse(two.URL("/"))
	c.Jar.SetCookies(u2, c.Jar.Cookies(u1))
	status, body := two.Get(t, c, "/account")
	if status != http.StatusOK || !strings.Contains(body, one.Users[authz.HR].Email) {
		t.Fatalf("session from replica one on replica two: status %d, want the account page", status)
	}
	res, _ := two.PostForm(t, c, "/account/sign-out-everywhere", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out everywhere on replica two: %d", res.StatusCode)
	}
	c.Jar.SetCookies(u1, c.Jar.Cookies(u2))
	if status, _ := one.Get(t, c, "/account"); status != http.StatusSeeOther {
		t.Fatalf("after signing out everywhere on replica two, replica one still answers %d, want a redirect to sign in", status)
	}
}

func TestSignInFailuresLockTheAccount(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		email := e.Users[authz.Staff].Email
		c := e.Client()
		for i := 0; i < account.LockoutThreshold; i++ {
			res, body := e.PostForm(t, c, "/sign-in", url.Values{"email": {email}, "password": {"wrong password " + string(rune('a'+i))}})
			if i < account.LockoutThreshold-1 && (res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "email address or password is not correct")) {
				t.Fatalf("attempt %d: status %d, want 401 and a plain message", i+1, res.StatusCode)
			}
		}
		// Now even the right password is refused, with a message that says why.
		res, body := e.PostForm(t, c, "/sign-in", url.Values{"email": {email}, "password": {apptest.Password}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "locked") {
			t.Fatalf("right password on a locked account: status %d; want 401 saying it is locked", res.StatusCode)
		}
		if !strings.Contains(body, `value="`+email+`"`) {
			t.Error("the email address typed is not kept in the form")
		}
		// An unknown address reads the same as a wrong password.
		res, body = e.PostForm(t, c, "/sign-in", url.Values{"email": {"nobody@test.example"}, "password": {"whatever it is"}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "email address or password is not correct") {
			t.Fatalf("unknown address: %d", res.StatusCode)
		}
		var failures int
		e.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'user.sign_in_failed'`).Scan(&failures)
		if failures != account.LockoutThreshold {
			t.Fatalf("audit log holds %d failed sign-ins, want %d", failures, account.LockoutThreshold)
		}
	})
}

func TestSignInKeepsPeopleOnSite(t *testing.T) {
	e := apptest.NewSQLite(t)
	c := e.Client()
	for next, want := range map[string]string{"/people?q=a": "/people?q=a", "//evil.example/x": "/", "https://evil.example": "/", "/\\evil.example": "/"} {
		res, _ := e.PostForm(t, c, "/sign-in", url.Values{"email": {e.Users[authz.HR].Email}, "password": {apptest.Password}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != want {
			t.Errorf("next=%q: redirected to %q, want %q", next, loc, want)
		}
	}
}

func TestProblemDetails(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		hr := e.Token(t, authz.HR)
		const types = "https://candour.invalid/problems/"
		cases := []struct {
			name, method, path, token, ctype, body string
			status                                 int
			field                                  string
			typ                                    string
		}{
			{"no token", "GET", "/api/v1/me", "", "", "", 401, "", "authentication-required"},
			{"bad token", "GET", "/api/v1/me", "cnd_not-a-real-token", "", "", 401, "", "api-token-is-not-valid"},
			{"wrong role", "GET", "/api/v1/people", e.Token(t, authz.Staff), "", "", 403, "", "not-allowed"},
			{"bad filter", "GET", "/api/v1/people?limit=9999&department_id=x", hr, "", "", 422, "limit", "validation"},
			{"bad date", "GET", "/api/v1/headcount?date=31/12/2026&by=colour", hr, "", "", 422, "date", "validation"},
			{"unknown path", "GET", "/api/v1/nothing", hr, "", "", 404, "", "not-found"},
			{"empty segment", "GET", "/api/v1//me", hr, "", "", 404, "", "not-found"},
			{"dot segments", "POST", "/api/v1/people/../people/import", hr, "text/csv", "Employee Number\n", 404, "", "not-found"},
			{"wrong content type", "POST", "/api/v1/people/import", hr, "application/json", "{}", 415, "", "send-csv"},
			{"binary file", "POST", "/api/v1/people/import", hr, "text/csv", "\x00\x01\x02PK\x03\x04", 422, "file", "validation"},
			{"wrong method", "DELETE", "/api/v1/me", hr, "", "", 405, "", "method-not-allowed"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res, body := e.API(t, c.method, c.path, c.token, c.ctype, strings.NewReader(c.body))
				if res.StatusCode != c.status {
					t.Fatalf("status %d, want %d: %s", res.StatusCode, c.status, body)
				}
				if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Fatalf("Content-Type %q, want application/problem+json", ct)
				}
				var p api.Problem
				if err := json.Unmarshal([]byte(body), &p); err != nil {
					t.Fatal(err)
				}
				if p.Status != c.status || p.Title == "" || p.RequestID == "" {
					t.Fatalf("problem %+v lacks status, title or request id", p)
				}
				// Each kind of problem has a type of its own to match on.
				if p.Type != types+c.typ {
					t.Fatalf("problem type %q, want %q", p.Type, types+c.typ)
				}
				if c.field != "" {
					found := false
					for _, fe := range p.Errors {
						found = found || fe.Field == c.field
					}
					if !found {
						t.Fatalf("errors %+v do not name field %q", p.Errors, c.field)
					}
				}
				if strings.Contains(body, "goroutine") || strings.Contains(body, ".go:") {
					t.Fatalf("problem leaks internals: %s", body)
				}
			})
		}
	})
}

// The OpenAPI document lists exactly the routes the API serves.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	e := apptest.NewSQLite(t)
	res, body := e.API(t, "GET", "/api/v1/openapi.json", "", "", nil)
	if res.StatusCode != 200 {
		t.Fatalf("openapi.json: %d", res.StatusCode)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	served := map[string]bool{}
	for _, r := range e.App.API.Routes() {
		if r.Method() == "" {
			continue // the catch-all that answers 404
		}
		key := strings.ToLower(r.Method()) + " " + strings.TrimPrefix(r.Path(), "/api/v1")
		served[key] = true
		path := strings.TrimPrefix(r.Path(), "/api/v1")
		if _, ok := doc.Paths[path][strings.ToLower(r.Method())]; !ok {
			t.Errorf("route %s is not in the OpenAPI document", r.Pattern)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !served[method+" "+path] {
				t.Errorf("OpenAPI documents %s %s, which the API does not serve", method, path)
			}
		}
	}
}

func TestSecurityHeadersAndCrossOriginPosts(t *testing.T) {
	e := apptest.NewSQLite(t)
	res, _ := e.API(t, "GET", "/sign-in", "", "", nil)
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self' 'nonce-") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Fatalf("CSP %q lacks a script nonce or frame-ancestors", csp)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	// JSON from the API is never a page: its policy allows nothing at all.
	res, _ = e.API(t, "GET", "/api/v1/openapi.json", "", "", nil)
	if csp := res.Header.Get("Content-Security-Policy"); csp != "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("X-Frame-Options") != "DENY" || res.Header.Get("Referrer-Policy") != "" {
		t.Errorf("API response: CSP %q, nosniff %q, frame options %q, referrer policy %q", csp, res.Header.Get("X-Content-Type-Options"),
			res.Header.Get("X-Frame-Options"), res.Header.Get("Referrer-Policy"))
	}
	// A form posted from another site is refused with an explanation.
	req, _ := http.NewRequest("POST", e.URL("/sign-in"), strings.NewReader("email=a%40b.example&password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d, want 403", res.StatusCode)
	}
	// To the API, the refusal is a problem document with a type of its own.
	req, _ = http.NewRequest("POST", e.URL("/api/v1/reports"), strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var p api.Problem
	err = json.NewDecoder(res.Body).Decode(&p)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusForbidden || res.Header.Get("Content-Type") != "application/problem+json" ||
		p.Type != "https://candour.invalid/problems/cross-origin-request-refused" || p.Status != http.StatusForbidden || p.Instance != "/api/v1/reports" {
		t.Fatalf("cross-site API POST: %d %q %+v %v", res.StatusCode, res.Header.Get("Content-Type"), p, err)
	}
}

func TestOperationsEndpoints(t *testing.T) {
	e := apptest.NewSQLite(t)
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 404} {
		if res, _ := e.API(t, "GET", path, "", "", nil); res.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, res.StatusCode, want)
		}
	}
	if res, _ := e.API(t, "GET", "/no/such/page", "", "", nil); res.StatusCode != 404 {
		t.Errorf("unknown page: %d, want 404", res.StatusCode)
	}
	if !strings.Contains(e.Logs.String(), `"route":"GET /readyz"`) {
		t.Error("access log does not record the route of each request")
	}
}
