package httpx

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Pages get a script nonce and the document headers; responses under /api/
// (and only there) get the fixed policy that allows nothing, and no nonce.
func TestSecureHeadersForPagesAndAPI(t *testing.T) {
	var nonce string
	h := Secure(true, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { nonce = Nonce(r.Context()) }))
	for _, c := range []struct {
		path string
		api  bool
	}{{"/api/v1/reports", true}, {"/api/", true}, {"/api", false}, {"/apix", false}, {"/", false}, {"/reports/api/x", false}} {
		nonce = ""
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", c.path, nil))
		got := rec.Header()
		for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
			"Cross-Origin-Resource-Policy": "same-origin", "Strict-Transport-Security": "max-age=63072000; includeSubDomains"} {
			if got.Get(name) != want {
				t.Errorf("%s: %s = %q, want %q", c.path, name, got.Get(name), want)
			}
		}
		csp := got.Get("Content-Security-Policy")
		if c.api {
			if csp != apiPolicy || nonce != "" || got.Get("Referrer-Policy") != "" || got.Get("Permissions-Policy") != "" {
				t.Errorf("%s: CSP %q, nonce %q, referrer %q", c.path, csp, nonce, got.Get("Referrer-Policy"))
			}
			continue
		}
		if nonce == "" || !strings.Contains(csp, "'nonce-"+nonce+"'") || !strings.Contains(csp, "frame-ancestors 'none'") ||
			got.Get("Referrer-Policy") != "no-referrer" || got.Get("Cross-Origin-Opener-Policy") != "same-origin" {
			t.Errorf("%s: CSP %q with nonce %q, referrer %q", c.path, csp, nonce, got.Get("Referrer-Policy"))
		}
	}
}
