package api

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/justculture"
	"candour/internal/validate"
)

// assessmentBiasCheck completes an assessment that reached its end point
// without a bias check: would the participants have reached the same answer
// for a colleague of a different ethnicity, staff group, grade or disability?
func (s *Server) assessmentBiasCheck(w http.ResponseWriter, r *http.Request) {
	id, ok := assessmentID(r)
	if !ok {
		notFound(w, r, "This assessment")
		return
	}
	var req biasCheckJSON
	if !s.decode(w, r, &req) {
		return
	}
	var errs validate.Errors
	same, reason := checkBias(&req, &errs)
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	ctx := r.Context()
	p := authz.PrincipalFrom(ctx)
	if _, err := s.Culture.Get(ctx, p, id); err != nil {
		s.assessmentError(w, r, err)
		return
	}
	a, err := s.Culture.CompleteBiasCheck(ctx, p, id, same, reason)
	if errors.Is(err, justculture.ErrNotAllowed) {
		problem(w, r, http.StatusForbidden, "Not a participant", "Only the people who took part in an assessment can complete its bias check.", nil)
		return
	}
	if err != nil {
		s.assessmentError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAssessmentJSON(a))
}
