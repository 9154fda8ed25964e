package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// caseCreate opens an early concern and shows it.
func (s *Server) caseCreate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("type", err.Error())
		s.renderCaseNew(w, r, http.StatusBadRequest, f)
		return
	}
	c, err := s.Cases.Open(r.Context(), authz.PrincipalFrom(r.Context()), casework.OpenInput{
		Type: f.Get("type"), Person: f.Get("person"), Summary: f.Get("summary"), Report: f.Get("report"),
		AppealOf: f.Get("appeal_of"), Manager: f.Get("manager"), HRAdviser: f.Get("hr_adviser")})
	if errs, ok := validate.As(err); ok {
		f.Errors = caseOpenFields.errors(errs)
		s.renderCaseNew(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	s.redirect(w, r, caseHref(c.ID), "Early concern "+c.Reference+" opened")
}
