package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/validate"
)

// assessmentRevisit starts a new version of a completed assessment and
// asks its first question; the earlier answers are shown beside each one.
func (s *Server) assessmentRevisit(w http.ResponseWriter, r *http.Request) {
	a, ok := s.loadAssessment(w, r)
	if !ok {
		return
	}
	next, err := s.Culture.Revisit(r.Context(), authz.PrincipalFrom(r.Context()), a.ID)
	if errs, ok := validate.As(err); ok {
		s.renderAssessment(w, r, http.StatusUnprocessableEntity, a, &Form{Errors: errs})
		return
	}
	if err != nil {
		s.assessmentFailed(w, r, err)
		return
	}
	s.redirect(w, r, assessmentHref(next.ID)+"/question",
		"Version "+idString(int64(next.Version))+" of the assessment has started. Your answers last time are shown with each question")
}
