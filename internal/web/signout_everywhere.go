package web

import (
	"net/http"

	"candour/internal/authz"
)

// signOutEverywhere ends every session of the signed-in user, on every
// device and every replica.
func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	if _, err := s.Accounts.EndAllSessions(r.Context(), actor(r), p.UserID); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.clearSessionCookie(w)
	s.redirect(w, r, "/", "You have signed out on every device")
}
