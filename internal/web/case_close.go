package web

import (
	"net/http"
	"strconv"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// caseClose closes a case with its outcome and the lessons learned. Every
// lesson slot is sent, empty or not, so that the casework package's problem
// with lesson N points at the form's lesson N.
func (s *Server) caseClose(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("outcome", err.Error())
		s.renderCaseClose(w, r, http.StatusBadRequest, c, f)
		return
	}
	var errs validate.Errors
	in := casework.CloseInput{Outcome: f.Get("outcome"), OutcomeDetail: f.Get("outcome_detail"), NoLearningReason: f.Get("no_learning_reason")}
	in.ClosedOn = caseFormDate(&errs, f, "closed_on", "The date the case closed", true)
	for i := 1; i <= caseLessonSlots; i++ {
		n := strconv.Itoa(i)
		in.Learning = append(in.Learning, casework.LearningInput{Category: f.Get("learning-" + n + "-category"), Lesson: f.Get("learning-" + n + "-lesson")})
	}
	if len(errs) > 0 {
		f.Errors = caseCloseFields.errors(errs)
		s.renderCaseClose(w, r, http.StatusUnprocessableEntity, c, f)
		return
	}
	err = s.Cases.Close(r.Context(), authz.PrincipalFrom(r.Context()), c.ID, in)
	if errs, ok := validate.As(err); ok {
		f.Errors = caseCloseFields.errors(caseRename(errs, map[string]string{"learning": "learning-1-category"}))
		s.renderCaseClose(w, r, http.StatusUnprocessableEntity, c, f)
		return
	}
	if msg, ok := caseConflict(err); ok {
		f.Errors = validate.Errors{{Field: "outcome", Message: msg}}
		s.renderCaseClose(w, r, http.StatusConflict, c, f)
		return
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	s.redirect(w, r, caseHref(c.ID), "The case is closed. Thank you for recording what was learned")
}
