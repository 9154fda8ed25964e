package web

import (
	"net/http"
	"strings"

	"candour/internal/authz"
	"candour/internal/guide"
	"candour/internal/validate"
)

// assessmentAnswer records the answer to one question, with its reason,
// and goes on to the next question or, at an end point, to the record.
func (s *Server) assessmentAnswer(w http.ResponseWriter, r *http.Request) {
	a, ok := s.loadAssessment(w, r)
	if !ok {
		return
	}
	p := authz.PrincipalFrom(r.Context())
	f, err := parseForm(w, r)
	q, known := a.Definition.Guide.Question(f.Get("question"))
	if !known {
		q = a.NextQuestion
	}
	if q == nil {
		http.Redirect(w, r, assessmentHref(a.ID), http.StatusSeeOther)
		return
	}
	if err != nil {
		f.Errors.Add("answer", err.Error())
		s.renderQuestion(w, r, http.StatusBadRequest, a, q, f)
		return
	}
	var value bool
	switch f.Get("answer") {
	case "yes":
		value = true
	case "no":
	default:
		f.Errors.Add("answer", "Select yes or no")
		if strings.TrimSpace(f.Get("reason")) == "" {
			f.Errors.Add("reason", "Enter your reason")
		}
		s.renderQuestion(w, r, http.StatusUnprocessableEntity, a, q, f)
		return
	}
	if !known {
		f.Errors.Add("answer", "That question is not part of this guide; answer this one")
		s.renderQuestion(w, r, http.StatusUnprocessableEntity, a, q, f)
		return
	}
	saved, err := s.Culture.Answer(r.Context(), p, a.ID, q.ID, guide.Answer{Value: value, Reason: f.Get("reason")})
	if errs, ok := validate.As(err); ok {
		// Nothing was stored: ask the same question again.
		f.Errors = errs
		s.renderQuestion(w, r, http.StatusUnprocessableEntity, a, q, f)
		return
	}
	if err != nil {
		s.assessmentFailed(w, r, err)
		return
	}
	a = saved
	if a.NextQuestion != nil {
		http.Redirect(w, r, assessmentHref(a.ID)+"/question", http.StatusSeeOther)
		return
	}
	ep, _ := a.EndPoint()
	msg := "All the questions on the path are answered"
	if ep != nil {
		msg = "The guide leads to end point " + ep.ID + ": " + ep.Title
	}
	s.redirect(w, r, assessmentHref(a.ID), msg)
}
