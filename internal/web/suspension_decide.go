package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// suspensionDecideFields are the inputs of an executive's decision form.
var suspensionDecideFields = cwsFields{Order: []string{"decision", "reason"}, Fallback: "decision"}

// suspensionDecide records an executive's agreement or refusal; the second
// agreement puts the suspension in place.
func (s *Server) suspensionDecide(w http.ResponseWriter, r *http.Request) {
	sp, ok := s.loadSuspension(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("decision", err.Error())
		s.renderSuspension(w, r, http.StatusBadRequest, sp, f)
		return
	}
	after, err := s.Cases.DecideSuspension(r.Context(), authz.PrincipalFrom(r.Context()), sp.ID, f.Get("decision"), f.Get("reason"))
	if errs, ok := validate.As(err); ok {
		f.Errors = suspensionDecideFields.errors(errs)
		s.renderSuspension(w, r, http.StatusUnprocessableEntity, sp, f)
		return
	}
	if msg, ok := cwsConflict(err); ok {
		// Show the suspension as it is now, with why the decision was not
		// taken.
		if now, ok := s.loadSuspension(w, r); ok {
			s.renderSuspension(w, r, http.StatusConflict, now, &Form{Errors: validate.Errors{{Field: "decision-heading", Message: msg}}})
		}
		return
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	word := suspensionWord(after.Kind)
	flash := "Your decision has been recorded. One more executive must agree before the " + word + " takes effect"
	switch after.Status {
	case casework.SuspensionActive:
		flash = "Two executives have agreed. The " + word + " is now in place and HR has been told"
	case casework.SuspensionDeclined:
		flash = "You declined the " + word + ". It will not take effect and HR has been told"
	}
	s.redirect(w, r, suspensionHref(sp.ID), flash)
}
