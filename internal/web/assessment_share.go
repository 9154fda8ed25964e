package web

import (
	"net/http"

	"candour/internal/authz"
)

// assessmentShare gives the staff member concerned a copy of the
// assessment, which they can then read when they sign in.
func (s *Server) assessmentShare(w http.ResponseWriter, r *http.Request) {
	a, ok := s.loadAssessment(w, r)
	if !ok {
		return
	}
	if err := s.Culture.Share(r.Context(), authz.PrincipalFrom(r.Context()), a.ID); err != nil {
		s.assessmentFailed(w, r, err)
		return
	}
	s.redirect(w, r, assessmentHref(a.ID), a.PersonName+" has been given a copy of this assessment")
}
