package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"candour/internal/account"
	"candour/internal/actions"
	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/config"
	"candour/internal/equality"
	"candour/internal/justculture"
	"candour/internal/learning"
	"candour/internal/library"
	"candour/internal/org"
	"candour/internal/report"
	"candour/internal/restore"
	"candour/internal/store"
)

// Deps are what the pages need from the rest of candour.
type Deps struct {
	Config   *config.Config
	DB       *store.DB
	Accounts *account.Accounts
	Org      *org.Directory
	Reports  *report.Service
	Culture  *justculture.Service
	Learning *learning.Service
	Restore  *restore.Service
	Actions  *actions.Service
	Library  *library.Service
	Cases    *casework.Service
	Equality *equality.Service
	Logger   *slog.Logger
	Now      func() time.Time
}

// Server holds the page handlers.
type Server struct {
	Deps
	views  *views
	assets *assets
	mux    *authz.Mux
}

// New parses the templates, checksums the static files and registers every
// route.
func New(d Deps) (*Server, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	a, err := newAssets()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	v, err := newViews(a)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s := &Server{Deps: d, views: v, assets: a}
	s.mux = authz.NewMux(s.deny)
	s.routes()
	return s, nil
}

// ServeHTTP resolves the signed-in user from the session cookie, then
// dispatches to the route, whose policy is checked by the mux.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		p, err := s.Accounts.Session(r.Context(), c.Value)
		switch {
		case err == nil:
			r = r.WithContext(authz.WithPrincipal(r.Context(), p))
		case err == account.ErrNoSession:
			s.clearSessionCookie(w)
		default:
			s.serverError(w, r, err)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// Routes lists every page route with its policy.
func (s *Server) Routes() []authz.Route { return s.mux.Routes() }

// deny answers a request its route's policy refused: people who are not
// signed in are sent to sign in and brought back; signed-in people without
// the role see a page that says so.
func (s *Server) deny(w http.ResponseWriter, r *http.Request, p *authz.Principal) {
	if p == nil {
		if r.Method == http.MethodPost {
			s.renderSignedOut(w, r)
			return
		}
		http.Redirect(w, r, "/sign-in?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusForbidden, "forbidden", &Page{Title: "You do not have access to this page"})
}

// serverError logs err and shows a page with the request reference and no
// internal detail.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.Logger.ErrorContext(r.Context(), "page failed", "error", err, "route", r.Pattern)
	s.render(w, r, http.StatusInternalServerError, "error", &Page{Title: "Sorry, there is a problem with the service"})
}

// notFound shows the page-not-found page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "not_found", &Page{Title: "Page not found"})
}
