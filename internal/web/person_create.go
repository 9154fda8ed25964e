package web

import (
	"errors"
	"net/http"

	"candour/internal/store"
	"candour/internal/validate"
)

// personCreate adds a person to the directory.
func (s *Server) personCreate(w http.ResponseWriter, r *http.Request) {
	s.savePerson(w, r, 0)
}

// savePerson adds a person (id zero) or changes one from the posted form,
// showing the form again with every problem when it cannot be saved.
func (s *Server) savePerson(w http.ResponseWriter, r *http.Request, id int64) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("employee_number", err.Error())
		s.renderPersonForm(w, r, http.StatusBadRequest, f, id)
		return
	}
	p, problems, err := s.personFromForm(r.Context(), f, id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	saved, err := s.Org.SavePerson(r.Context(), actor(r), p)
	if errs, ok := validate.As(err); ok {
		f.Errors = personFormErrors(errs, problems)
		s.renderPersonForm(w, r, http.StatusUnprocessableEntity, f, id)
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
	msg := saved.Name + " has been added"
	if id != 0 {
		msg = "The details of " + saved.Name + " have been saved"
	}
	s.redirect(w, r, "/people/"+idString(saved.ID), msg)
}
