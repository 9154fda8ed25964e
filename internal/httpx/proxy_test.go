package httpx

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestTrustProxiesFindsTheClient(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	for _, c := range []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"no proxy in between", "198.51.100.7:5123", nil, "198.51.100.7:5123"},
		{"an untrusted peer cannot claim to forward", "198.51.100.7:5123", []string{"203.0.113.9"}, "198.51.100.7:5123"},
		{"one trusted proxy", "10.1.2.3:443", []string{"203.0.113.9"}, "203.0.113.9:0"},
		{"two trusted proxies", "10.1.2.3:443", []string{"203.0.113.9, 10.9.9.9"}, "203.0.113.9:0"},
		{"a forged entry left of the real client is ignored", "10.1.2.3:443", []string{"192.0.2.1, 203.0.113.9"}, "203.0.113.9:0"},
		{"several header lines read as one list", "10.1.2.3:443", []string{"192.0.2.1", "203.0.113.9"}, "203.0.113.9:0"},
		{"a trusted proxy with no header", "10.1.2.3:443", nil, "10.1.2.3:443"},
		{"an unreadable hop keeps the proxy's address", "10.1.2.3:443", []string{"203.0.113.9, not-an-address"}, "10.1.2.3:443"},
		{"only trusted hops keeps the proxy's address", "10.1.2.3:443", []string{"10.4.4.4"}, "10.1.2.3:443"},
		{"IPv6", "[fd00::1]:443", []string{"2001:db8::5"}, "[2001:db8::5]:0"},
		{"IPv4-mapped addresses count as IPv4", "[::ffff:10.1.2.3]:443", []string{"::ffff:203.0.113.9"}, "203.0.113.9:0"},
	} {
		var got string
		h := TrustProxies(trusted, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }))
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != c.want {
			t.Errorf("%s: RemoteAddr %q, want %q", c.name, got, c.want)
		}
	}
	// With no trusted proxies the header is never read.
	var got string
	h := TrustProxies(nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }))
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.1.2.3:443"
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if got != "10.1.2.3:443" {
		t.Errorf("no trusted proxies: RemoteAddr %q", got)
	}
}
