package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"candour/internal/account"
	"candour/internal/actions"
	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/equality"
	"candour/internal/httpx"
	"candour/internal/justculture"
	"candour/internal/learning"
	"candour/internal/library"
	"candour/internal/org"
	"candour/internal/report"
	"candour/internal/restore"
	"candour/internal/store"
)

// Deps are what the API needs from the rest of candour.
type Deps struct {
	DB             *store.DB
	Accounts       *account.Accounts
	Org            *org.Directory
	Reports        *report.Service
	Culture        *justculture.Service
	Learning       *learning.Service
	Restore        *restore.Service
	Actions        *actions.Service
	Library        *library.Service
	Cases          *casework.Service
	Equality       *equality.Service
	Logger         *slog.Logger
	Now            func() time.Time
	MaxUploadBytes int64
}

// Server holds the API handlers.
type Server struct {
	Deps
	mux *authz.Mux
	// shapes are the request types' JSON shapes (decode, checkShape).
	shapes shapes
	// bodies is the memory the parts of bodies past their first
	// maxJSONBytes share, and largeBodyWait how long a body waits for
	// some (readBody).
	bodies        *bodyBudget
	largeBodyWait time.Duration
}

// New registers every API route.
func New(d Deps) *Server {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.MaxUploadBytes <= 0 {
		d.MaxUploadBytes = 10 << 20
	}
	s := &Server{Deps: d, largeBodyWait: largeBodyWait}
	s.bodies = newBodyBudget(largeBodiesAtOnce * s.filesBodyLimit())
	s.mux = authz.NewMux(s.deny)
	s.routes()
	return s
}

// Routes lists every API route with its policy.
func (s *Server) Routes() []authz.Route { return s.mux.Routes() }

// ServeHTTP authenticates a bearer token, when one is sent, and dispatches.
// A token that is sent but not valid is refused outright, even on public
// routes, so that a client learns at once that its token is wrong. A
// follow-up token ("fu1.") is left for the follow-up handlers, and refused
// everywhere else.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer s.recoverAsProblem(w, r)
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			w.Header().Set("WWW-Authenticate", `Bearer realm="candour"`)
			problem(w, r, http.StatusUnauthorized, "Authorization must be a bearer token", "Send the header as: Authorization: Bearer <token>.", nil)
			return
		}
		token = strings.TrimSpace(token)
		if strings.HasPrefix(token, followUpTokenPrefix) {
			// A reporter's follow-up token is not an account: the follow-up
			// handlers verify it. Anywhere else it can only be a mistake,
			// refused as any token not valid there is.
			if r.URL.Path != "/api/v1/followup" && !strings.HasPrefix(r.URL.Path, "/api/v1/followup/") {
				w.Header().Set("WWW-Authenticate", `Bearer realm="candour", error="invalid_token"`)
				problem(w, r, http.StatusUnauthorized, "API token is not valid", "A follow-up token works only on the /api/v1/followup endpoints; send a personal API token here, or none where none is needed.", nil)
				return
			}
			s.mux.ServeHTTP(w, r)
			return
		}
		p, err := s.Accounts.TokenPrincipal(r.Context(), token)
		if errors.Is(err, account.ErrBadToken) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="candour", error="invalid_token"`)
			problem(w, r, http.StatusUnauthorized, "API token is not valid", "The token is unknown, revoked, or belongs to a disabled account.", nil)
			return
		}
		if err != nil {
			s.internal(w, r, err)
			return
		}
		// A report may be anonymous whoever sends it, so submitting one
		// leaves no trace on the sender's token.
		if !(r.Method == http.MethodPost && r.URL.Path == "/api/v1/reports") {
			if err := s.Accounts.TouchToken(r.Context(), p.TokenID); err != nil {
				s.internal(w, r, err)
				return
			}
		}
		r = r.WithContext(authz.WithPrincipal(r.Context(), p))
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) deny(w http.ResponseWriter, r *http.Request, p *authz.Principal) {
	if p == nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="candour"`)
		problem(w, r, http.StatusUnauthorized, "Authentication required", "Send a personal API token: Authorization: Bearer <token>.", nil)
		return
	}
	problem(w, r, http.StatusForbidden, "Not allowed", "Your roles do not allow this request.", nil)
}

// recoverAsProblem answers a panic in an API handler as every other API
// error is answered, with a problem document (internal-error) carrying the
// request id, when nothing of the response has gone yet; it logs the panic
// and its stack, as httpx.Log would. Otherwise, and for
// http.ErrAbortHandler, the panic goes on to httpx.Log.
func (s *Server) recoverAsProblem(w http.ResponseWriter, r *http.Request) {
	p := recover()
	if p == nil {
		return
	}
	if written, known := httpx.Written(w); p == http.ErrAbortHandler || written || !known {
		panic(p)
	}
	s.Logger.ErrorContext(r.Context(), "panic", "request_id", httpx.RequestID(r.Context()),
		"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
	internalProblem(w, r)
}

// internal logs err and answers 500 with the request id and nothing else.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.Logger.ErrorContext(r.Context(), "api request failed", "error", err, "route", r.Pattern)
	internalProblem(w, r)
}

// internalProblem answers 500 with the request id and nothing else.
func internalProblem(w http.ResponseWriter, r *http.Request) {
	problem(w, r, http.StatusInternalServerError, "Internal error", "Something went wrong on our side. Quote the request id if you report it.", nil)
}
