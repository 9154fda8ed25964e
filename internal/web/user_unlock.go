package web

import (
	"net/http"
	"strconv"
)

// userUnlock lifts the lock after too many failed sign-in attempts, and
// clears the count.
func (s *Server) userUnlock(w http.ResponseWriter, r *http.Request) {
	u, ok := s.loadUser(w, r)
	if !ok {
		return
	}
	to := "/admin/users/" + strconv.FormatInt(u.ID, 10)
	if !u.Locked(s.Now()) && u.Failed == 0 {
		s.redirect(w, r, to, "The account for "+u.Name+" is not locked")
		return
	}
	if err := s.Accounts.Unlock(r.Context(), actor(r), u.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, to, "The account for "+u.Name+" has been unlocked")
}
