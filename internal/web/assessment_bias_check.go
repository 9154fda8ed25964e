package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/validate"
)

// assessmentBiasCheck records the bias check, which completes the
// assessment.
func (s *Server) assessmentBiasCheck(w http.ResponseWriter, r *http.Request) {
	a, ok := s.loadAssessment(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("bias_same", err.Error())
		s.renderAssessment(w, r, http.StatusBadRequest, a, f)
		return
	}
	done, err := s.Culture.CompleteBiasCheck(r.Context(), authz.PrincipalFrom(r.Context()), a.ID, f.Get("bias_same"), f.Get("bias_reason"))
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderAssessment(w, r, http.StatusUnprocessableEntity, a, f)
		return
	}
	if err != nil {
		s.assessmentFailed(w, r, err)
		return
	}
	s.redirect(w, r, assessmentHref(done.ID), "The assessment is complete")
}
