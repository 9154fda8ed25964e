package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/config"
	"candour/internal/store/storetest"
)

// followUpFrom asks for a follow-up session as if forwarded for the given
// X-Forwarded-For value (none when empty) and returns the status.
func followUpFrom(t *testing.T, e *apptest.Env, xff, code string) int {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"access_code": code})
	req, err := http.NewRequest("POST", e.URL("/api/v1/followup/session"), strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// exhaust tries wrong codes as client xff until it is rate limited.
func exhaust(t *testing.T, e *apptest.Env, xff string) {
	t.Helper()
	for i := 0; i < 30; i++ {
		switch st := followUpFrom(t, e, xff, "WRONG-CODE"); st {
		case http.StatusTooManyRequests:
			return
		case http.StatusUnauthorized:
		default:
			t.Fatalf("wrong code from %q: status %d", xff, st)
		}
	}
	t.Fatalf("30 wrong codes from %q were never rate limited", xff)
}

// Behind a trusted reverse proxy each client has its own access-code limit:
// one person guessing does not lock out everyone else on the same proxy,
// and a client cannot dodge its limit by writing its own X-Forwarded-For.
// Without trusted proxies the header is ignored.
func TestAccessCodeLimitPerClientBehindATrustedProxy(t *testing.T) {
	code := func(t *testing.T, e *apptest.Env) string {
		t.Helper()
		_, body := send(t, e, "/api/v1/reports", "", concern("anonymous"))
		c := decodeJSON[receipt](t, body).AccessCode
		if c == "" {
			t.Fatalf("no access code: %s", body)
		}
		return c
	}
	t.Run("trusted", func(t *testing.T) {
		e := apptest.StartConfigured(t, storetest.SQLite(t), func(c *config.Config) { c.TrustedProxies = "127.0.0.1" })
		right := code(t, e)
		exhaust(t, e, "203.0.113.9")
		if st := followUpFrom(t, e, "198.51.100.20", right); st != http.StatusOK {
			t.Fatalf("another client behind the proxy, right code: %d, want 200", st)
		}
		if st := followUpFrom(t, e, "198.51.100.20, 203.0.113.9", right); st != http.StatusTooManyRequests {
			t.Fatalf("the limited client with a forged address in front: %d, want 429", st)
		}
		if strings.Contains(e.Logs.String(), "203.0.113.9") || strings.Contains(e.Logs.String(), "198.51.100.20") {
			t.Fatal("a forwarded client address reached the logs")
		}
	})
	t.Run("not trusted", func(t *testing.T) {
		e := apptest.StartConfigured(t, storetest.SQLite(t), nil)
		right := code(t, e)
		exhaust(t, e, "203.0.113.9")
		if st := followUpFrom(t, e, "198.51.100.20", right); st != http.StatusTooManyRequests {
			t.Fatalf("a claimed other client without a trusted proxy: %d, want 429 (the header must be ignored)", st)
		}
	})
}
