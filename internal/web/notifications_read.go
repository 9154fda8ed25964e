package web

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/notify"
	"candour/internal/store"
)

// notificationsRead marks one notice (form value id) or all of them
// (all=yes) as read, and goes back to the list.
func (s *Server) notificationsRead(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		http.Redirect(w, r, "/notifications", http.StatusSeeOther)
		return
	}
	p := authz.PrincipalFrom(r.Context())
	if f.Get("all") == "yes" {
		if err := notify.MarkAllRead(r.Context(), s.DB, p.UserID, s.Now()); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.redirect(w, r, "/notifications", "All your notifications are marked as read")
		return
	}
	id := f.Int64("id")
	if id <= 0 {
		s.notFound(w, r)
		return
	}
	err = notify.MarkRead(r.Context(), s.DB, p.UserID, id, s.Now())
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, "/notifications", "The notification is marked as read")
}
