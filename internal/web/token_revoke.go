package web

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/store"
)

// tokenRevoke revokes one of the user's own API tokens.
func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	p := authz.PrincipalFrom(r.Context())
	err := s.Accounts.RevokeToken(r.Context(), actor(r), id, p.UserID)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, "/account", "The API token has been revoked")
}
