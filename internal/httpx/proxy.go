package httpx

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// TrustProxies sets each request's RemoteAddr to the client that a trusted
// reverse proxy forwarded it for, so that per-client limits count clients
// rather than the proxy. X-Forwarded-For is read from the right: each
// address a trusted proxy added is skipped, and the first one that is not a
// trusted proxy is the client. Anything to its left was written by the
// client itself and could be forged, so it is never used. A request that
// did not come from a trusted proxy, or whose header cannot be read, keeps
// its connection's address. With no trusted proxies, next is returned as
// it is.
func TrustProxies(trusted []netip.Prefix, next http.Handler) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if client, ok := forwardedClient(r, trusted); ok {
			r.RemoteAddr = net.JoinHostPort(client.String(), "0")
		}
		next.ServeHTTP(w, r)
	})
}

func forwardedClient(r *http.Request, trusted []netip.Prefix) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer.Unmap(), trusted) {
		return netip.Addr{}, false
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return netip.Addr{}, false
		}
		a = a.Unmap()
		if !isTrusted(a, trusted) {
			return a, true
		}
	}
	return netip.Addr{}, false
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
