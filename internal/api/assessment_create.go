package api

import (
	"errors"
	"net/http"
	"strconv"

	"candour/internal/authz"
	"candour/internal/justculture"
	"candour/internal/validate"
)

// assessmentCreate records a whole assessment at once: the single action or
// omission, the staff member concerned, the participants and every answer
// on the path, with an optional bias check. The walk is checked against the
// guide first, so a refused request stores nothing.
func (s *Server) assessmentCreate(w http.ResponseWriter, r *http.Request) {
	var req assessmentRequest
	if !s.decode(w, r, &req) {
		return
	}
	ctx := r.Context()
	var errs validate.Errors
	def, found, err := s.requestDefinition(ctx, req.Guide, req.Version, &errs)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	switch {
	case req.ConcernConfirmed == nil:
		errs.Add("concern_confirmed", "Say whether there is already a specific concern about this person (true or false): the guide is not for routine use")
	case !*req.ConcernConfirmed:
		errs.Add("concern_confirmed", "Confirm that there is already a specific concern about this person: the guide is not for routine use")
	}
	if req.LearningResponseID < 0 {
		errs.Add("learning_response_id", "Give the learning response's id, or leave it out")
	}
	answers := requestAnswers(req.Answers, &errs)
	if found && len(answers) == len(req.Answers) {
		if err := checkWalk(def.Guide, answers, &errs); err != nil {
			s.internal(w, r, err)
			return
		}
	}
	same, reason := checkBias(req.BiasCheck, &errs)
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	in := justculture.StartInput{DefinitionID: def.ID, GuideID: def.GuideID, Action: req.Action, EmployeeNumber: req.Person,
		Participants: req.Participants, ReportReference: req.Report, LearningResponseID: req.LearningResponseID, ConcernConfirmed: true}
	a, err := s.Culture.Record(ctx, authz.PrincipalFrom(ctx), in, answers, same, reason)
	if errors.Is(err, justculture.ErrNotAllowed) {
		problem(w, r, http.StatusForbidden, "Not allowed", "Line managers, the patient safety team and HR start assessments.", nil)
		return
	}
	if err != nil {
		s.assessmentError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/assessments/"+strconv.FormatInt(a.ID, 10))
	writeJSON(w, http.StatusCreated, toAssessmentJSON(a))
}
