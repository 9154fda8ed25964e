package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/validate"
)

// caseRepresentative records the union representative the employee asked
// for, or removes them when the email is left empty.
func (s *Server) caseRepresentative(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	f, ok := s.caseFormRead(w, r, c, caseRepFields)
	if !ok {
		return
	}
	var errs validate.Errors
	on := caseFormDate(&errs, f, "rep_requested_on", "The date they asked", false)
	if len(errs) > 0 {
		f.Errors = errs
		s.renderCase(w, r, http.StatusUnprocessableEntity, c, f)
		return
	}
	email := f.Get("rep")
	err := s.Cases.RequestRepresentative(r.Context(), authz.PrincipalFrom(r.Context()), c.ID, email, on)
	if s.caseFormFailed(w, r, c, f, caseRepFields, caseRenameFields(err, map[string]string{"requested_on": "rep_requested_on"})) {
		return
	}
	msg := "The representative has been removed from the case"
	if email != "" {
		msg = "The representative has been saved. They can now see this case"
	}
	s.redirect(w, r, caseHref(c.ID)+"#handling", msg)
}
