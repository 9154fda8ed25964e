package web

import (
	"net/http"
	"strings"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// caseworkAdminFields are the inputs of the form that gives a designation.
var caseworkAdminFields = cwsFields{Order: []string{"designation", "email"}, Fallback: "email"}

// caseworkAdminDesignate gives a casework designation to a user who holds
// the matching role.
func (s *Server) caseworkAdminDesignate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("designation", err.Error())
		s.renderCaseworkAdmin(w, r, http.StatusBadRequest, f)
		return
	}
	d := casework.Designation(f.Get("designation"))
	err = s.Cases.Designate(r.Context(), authz.PrincipalFrom(r.Context()), f.Get("email"), d)
	if errs, ok := validate.As(err); ok {
		f.Errors = caseworkAdminFields.errors(errs)
		s.renderCaseworkAdmin(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	email := strings.TrimSpace(f.Get("email"))
	name := email
	if h, ok := s.caseworkHolder(r, d, func(h casework.DesignationHolder) bool { return strings.EqualFold(h.Email, email) }); ok {
		name = h.Name
	}
	s.redirect(w, r, "/admin/casework", name+" is now the "+strings.ToLower(casework.DesignationLabel(d)))
}
