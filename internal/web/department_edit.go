package web

import (
	"errors"
	"net/http"
	"net/url"

	"candour/internal/store"
)

// departmentEdit shows the form to change a department.
func (s *Server) departmentEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	dep, err := s.Org.Department(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := &Form{Values: url.Values{
		"site_id": {idString(dep.SiteID)},
		"code":    {dep.Code},
		"name":    {dep.Name},
		"kind":    {dep.Kind},
	}}
	s.renderDepartmentForm(w, r, http.StatusOK, f, id)
}
