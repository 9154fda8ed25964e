package web

import (
	"errors"
	"net/http"

	"candour/internal/store"
	"candour/internal/validate"
)

// departmentUpdate changes a department.
func (s *Server) departmentUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("site_id", err.Error())
		s.renderDepartmentForm(w, r, http.StatusBadRequest, f, id)
		return
	}
	dep := departmentFromForm(f, id)
	err = s.Org.UpdateDepartment(r.Context(), actor(r), dep)
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderDepartmentForm(w, r, http.StatusUnprocessableEntity, f, id)
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirect(w, r, "/organisation", "The department "+dep.Name+" has been changed")
}
