package web

import (
	"net/http"

	"candour/internal/account"
)

// userResetPassword gives a user a new, generated password, shows it once
// for the administrator to hand over, unlocks the account and signs the user
// out everywhere.
func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request) {
	u, ok := s.loadUser(w, r)
	if !ok {
		return
	}
	pw := account.GeneratePassword()
	if err := s.Accounts.SetPassword(r.Context(), actor(r), u.ID, pw); err != nil {
		s.serverError(w, r, err)
		return
	}
	u, ok = s.loadUser(w, r)
	if !ok {
		return
	}
	s.renderUserEdit(w, r, http.StatusOK, u, nil, pw, "A new password has been set for "+u.Name+" and they have been signed out everywhere")
}
