package web

import (
	"net/http"

	"candour/internal/authz"
)

// casePartyRemove takes someone off a case. The history keeps that they
// were part of it.
func (s *Server) casePartyRemove(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	pid, ok := pathID(r, "pid")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := &Form{Values: map[string][]string{}}
	err := s.Cases.RemoveParty(r.Context(), authz.PrincipalFrom(r.Context()), c.ID, pid)
	if s.caseFormFailed(w, r, c, f, casePartyFields, err) {
		return
	}
	s.redirect(w, r, caseHref(c.ID)+"#parties", "They have been removed from the case")
}
