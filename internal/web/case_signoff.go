package web

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// caseSignOff records a second senior person's sign-off of the pre-formal
// checklist.
func (s *Server) caseSignOff(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCaseForSigner(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("signoff_note", err.Error())
		s.renderCaseFormal(w, r, http.StatusBadRequest, c, f)
		return
	}
	err = s.Cases.SignOff(r.Context(), authz.PrincipalFrom(r.Context()), c.ID, f.Get("signoff_note"))
	var unmet *casework.UnmetError
	if errors.As(err, &unmet) {
		f.Errors = caseUnmetErrors(unmet)
		s.renderCaseFormal(w, r, http.StatusConflict, c, f)
		return
	}
	if errs, ok := validate.As(err); ok {
		f.Errors = caseFields{Order: []string{"signoff_note"}, Fallback: "signoff_note"}.errors(caseRename(errs, map[string]string{"note": "signoff_note"}))
		s.renderCaseFormal(w, r, http.StatusUnprocessableEntity, c, f)
		return
	}
	if msg, ok := caseConflict(err); ok {
		f.Errors = validate.Errors{{Field: "signoff_note", Message: msg}}
		s.renderCaseFormal(w, r, http.StatusConflict, c, f)
		return
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	s.redirect(w, r, caseHref(c.ID)+"/formal", "You have signed off the checklist")
}
