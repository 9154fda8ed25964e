package web

import (
	"net/http"

	"candour/internal/authz"
)

// caseEmployeeAccessFields is the access form: one button.
var caseEmployeeAccessFields = caseFields{Order: []string{"allow"}, Fallback: "handling"}

// caseEmployeeAccess gives the employee read access to what is shared with
// them, or withdraws it.
func (s *Server) caseEmployeeAccess(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	f, ok := s.caseFormRead(w, r, c, caseEmployeeAccessFields)
	if !ok {
		return
	}
	allow := f.Get("allow") == "yes"
	err := s.Cases.SetEmployeeAccess(r.Context(), authz.PrincipalFrom(r.Context()), c.ID, allow)
	if s.caseFormFailed(w, r, c, f, caseEmployeeAccessFields, err) {
		return
	}
	msg := "The employee's access has been withdrawn"
	if allow {
		msg = "The employee can now read what is shared with them"
	}
	s.redirect(w, r, caseHref(c.ID)+"#handling", msg)
}
