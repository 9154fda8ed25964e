package web

import (
	"net/http"
	"strings"

	"candour/internal/authz"
	"candour/internal/casework"
)

// caseworkAdminUndesignate removes a casework designation from a user.
func (s *Server) caseworkAdminUndesignate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("designation", err.Error())
		s.renderCaseworkAdmin(w, r, http.StatusBadRequest, f)
		return
	}
	userID := f.Int64("user_id")
	d := casework.Designation(f.Get("designation"))
	if userID <= 0 || casework.DesignationLabel(d) == string(d) {
		s.notFound(w, r)
		return
	}
	name := "They"
	if h, ok := s.caseworkHolder(r, d, func(h casework.DesignationHolder) bool { return h.UserID == userID }); ok {
		name = h.Name
	}
	if err := s.Cases.Undesignate(r.Context(), authz.PrincipalFrom(r.Context()), userID, d); err != nil {
		s.caseFailed(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/casework", name+" is no longer the "+strings.ToLower(casework.DesignationLabel(d)))
}
