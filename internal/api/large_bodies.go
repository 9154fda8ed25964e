package api

import (
	"net/http"
	"time"
)

// Bodies with files run to tens of megabytes, and one is held in memory
// several times over while it is read, decoded and checked. So only a few
// are taken at once, wherever they come from (a report needs no sign-in);
// the rest wait their turn, and a body that waits too long is asked to
// come back. Bodies of ordinary size never wait.

// maxLargeBodies is how many bodies larger than maxJSONBytes, or of
// unknown length, are read at once.
const maxLargeBodies = 4

// largeBodyWait is how long a large body waits for its turn before it is
// answered 503 with Retry-After (Server.largeBodyWait).
const largeBodyWait = 20 * time.Second

// largeBody wraps a handler whose body may carry files, so that large
// bodies take their turn (see above).
func (s *Server) largeBody(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength >= 0 && r.ContentLength <= maxJSONBytes {
			h(w, r)
			return
		}
		wait := time.NewTimer(s.largeBodyWait)
		defer wait.Stop()
		select {
		case s.largeBodies <- struct{}{}:
			defer func() { <-s.largeBodies }()
			h(w, r)
		case <-wait.C:
			w.Header().Set("Retry-After", "30")
			problem(w, r, http.StatusServiceUnavailable, "Busy with other files",
				"Several large uploads are being received at once. Send this again in a little while; nothing of it was stored.", nil)
		case <-r.Context().Done():
			// The client has gone: there is nobody to answer.
		}
	}
}
