package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/validate"
)

// suspensionOversightFields are the inputs of the non-executive reviewer's
// form.
var suspensionOversightFields = cwsFields{Order: []string{"comments"}, Fallback: "comments"}

// suspensionOversight records the non-executive reviewer's review of a
// suspension.
func (s *Server) suspensionOversight(w http.ResponseWriter, r *http.Request) {
	sp, ok := s.loadSuspension(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("comments", err.Error())
		s.renderSuspension(w, r, http.StatusBadRequest, sp, f)
		return
	}
	err = s.Cases.RecordOversight(r.Context(), authz.PrincipalFrom(r.Context()), sp.ID, f.Get("comments"))
	if errs, ok := validate.As(err); ok {
		f.Errors = suspensionOversightFields.errors(errs)
		s.renderSuspension(w, r, http.StatusUnprocessableEntity, sp, f)
		return
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	s.redirect(w, r, suspensionHref(sp.ID)+"#oversight", "Your review has been recorded. The HR adviser has been told")
}
