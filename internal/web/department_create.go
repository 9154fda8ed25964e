package web

import (
	"net/http"

	"candour/internal/validate"
)

// departmentCreate adds a department to a site.
func (s *Server) departmentCreate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("site_id", err.Error())
		s.renderDepartmentForm(w, r, http.StatusBadRequest, f, 0)
		return
	}
	dep, err := s.Org.CreateDepartment(r.Context(), actor(r), departmentFromForm(f, 0))
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderDepartmentForm(w, r, http.StatusUnprocessableEntity, f, 0)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, "/organisation", dep.Name+" has been added to "+dep.SiteName)
}
