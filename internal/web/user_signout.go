package web

import (
	"net/http"
	"strconv"
)

// userSignOut ends every session a user has, on every device and replica.
func (s *Server) userSignOut(w http.ResponseWriter, r *http.Request) {
	u, ok := s.loadUser(w, r)
	if !ok {
		return
	}
	if _, err := s.Accounts.EndAllSessions(r.Context(), actor(r), u.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), u.Name+" has been signed out on every device")
}
