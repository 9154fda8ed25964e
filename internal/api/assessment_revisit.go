package api

import (
	"errors"
	"net/http"
	"strconv"

	"candour/internal/authz"
	"candour/internal/justculture"
	"candour/internal/validate"
)

// assessmentRevisit records a new version of a completed assessment, linked
// to the one revisited, which is left as it was: the same guide version,
// person and action, with a whole new set of answers and an optional bias
// check. The answers are walked through the guide first, so a refused
// request stores nothing.
func (s *Server) assessmentRevisit(w http.ResponseWriter, r *http.Request) {
	id, ok := assessmentID(r)
	if !ok {
		notFound(w, r, "This assessment")
		return
	}
	var req revisitRequest
	if !s.decode(w, r, &req) {
		return
	}
	ctx := r.Context()
	p := authz.PrincipalFrom(ctx)
	prev, err := s.Culture.Get(ctx, p, id)
	if err != nil {
		s.assessmentError(w, r, err)
		return
	}
	var errs validate.Errors
	if prev.Status != justculture.Complete {
		errs.Add("revisit", "Finish this version, bias check included, before revisiting it")
	}
	answers := requestAnswers(req.Answers, &errs)
	if len(answers) == len(req.Answers) {
		if err := checkWalk(prev.Definition.Guide, answers, &errs); err != nil {
			s.internal(w, r, err)
			return
		}
	}
	same, reason := checkBias(req.BiasCheck, &errs)
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	a, err := s.Culture.Revisit(ctx, p, id)
	if errors.Is(err, justculture.ErrNotAllowed) {
		// They may read it (Get succeeded) but did not take part.
		problem(w, r, http.StatusForbidden, "Not a participant", "Only the people who took part in an assessment can revisit it.", nil)
		return
	}
	if err != nil {
		s.assessmentError(w, r, err)
		return
	}
	res, _ := a.Definition.Guide.Walk(answers)
	for _, q := range res.Path {
		if a, err = s.Culture.Answer(ctx, p, a.ID, q, answers[q]); err != nil {
			s.assessmentError(w, r, err)
			return
		}
	}
	if req.BiasCheck != nil {
		if a, err = s.Culture.CompleteBiasCheck(ctx, p, a.ID, same, reason); err != nil {
			s.assessmentError(w, r, err)
			return
		}
	}
	w.Header().Set("Location", "/api/v1/assessments/"+strconv.FormatInt(a.ID, 10))
	writeJSON(w, http.StatusCreated, toAssessmentJSON(a))
}
