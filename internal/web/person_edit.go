package web

import (
	"errors"
	"net/http"

	"candour/internal/store"
)

// personEdit shows the form to change a person's details. The form shows
// their equality monitoring data, so opening it is recorded as a read.
func (s *Server) personEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	p, err := s.Org.Person(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	manager := ""
	if p.LineManagerID != 0 {
		m, err := s.Org.Person(r.Context(), p.LineManagerID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		manager = m.EmployeeNumber
	}
	if err := s.recordPersonRead(r, p.ID, "opened the person's details to change them"); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.renderPersonForm(w, r, http.StatusOK, &Form{Values: personFormValues(p, manager)}, id)
}
