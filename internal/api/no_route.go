package api

import (
	"net/http"
	"slices"
	"strings"
)

// noRoute answers a request no route takes: 405 with Allow when the path
// exists for other methods (RFC 9110, section 15.5.6), else 404. Without it
// the catch-all for /api/ would answer 404 for both, and tell a client
// that sent GET to a POST-only path that the path does not exist.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		try := r.Clone(r.Context())
		try.Method = method
		if _, pattern := s.mux.Handler(try); pattern != "" && pattern != catchAll {
			allow = append(allow, method)
		}
	}
	if len(allow) == 0 {
		notFound(w, r, "This API path")
		return
	}
	if slices.Contains(allow, http.MethodGet) {
		allow = slices.Insert(allow, 1, http.MethodHead)
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	problem(w, r, http.StatusMethodNotAllowed, "Method not allowed",
		"This path takes "+strings.Join(allow, ", ")+", not "+r.Method+".", nil)
}
