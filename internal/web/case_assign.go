package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
)

// caseAssign changes a case's HR adviser and manager.
func (s *Server) caseAssign(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	f, ok := s.caseFormRead(w, r, c, caseAssignFields)
	if !ok {
		return
	}
	err := s.Cases.Assign(r.Context(), authz.PrincipalFrom(r.Context()), c.ID, casework.AssignInput{HRAdviser: f.Get("hr_adviser"), Manager: f.Get("manager")})
	if s.caseFormFailed(w, r, c, f, caseAssignFields, err) {
		return
	}
	s.redirect(w, r, caseHref(c.ID)+"#handling", "Who handles the case has been saved")
}
