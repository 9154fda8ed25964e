package api

import (
	"errors"
	"net/http"
	"strconv"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
)

// tokenRevoke revokes one of the caller's own tokens (possibly the one in use).
func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		notFound(w, r, "This token")
		return
	}
	err = s.Accounts.RevokeToken(r.Context(), audit.Actor{UserID: p.UserID, Label: p.Email}, id, p.UserID)
	if errors.Is(err, store.ErrNotFound) {
		notFound(w, r, "An active token with this id")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
