package web

import (
	"net/http"

	"candour/internal/authz"
)

// signOut ends this browser's session.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Accounts.EndSession(r.Context(), authz.PrincipalFrom(r.Context()), c.Value); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w)
	s.redirect(w, r, "/", "You have signed out")
}
