package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
)

// casePartyAdd adds someone to a case: an investigator, a witness and so on.
func (s *Server) casePartyAdd(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	f, ok := s.caseFormRead(w, r, c, casePartyFields)
	if !ok {
		return
	}
	pt, err := s.Cases.AddParty(r.Context(), authz.PrincipalFrom(r.Context()), c.ID, casework.PartyInput{
		Role: f.Get("party_role"), Person: f.Get("party_person"), User: f.Get("party_user"), Name: f.Get("party_name")})
	if s.caseFormFailed(w, r, c, f, casePartyFields, caseRenameFields(err, map[string]string{
		"role": "party_role", "person": "party_person", "user": "party_user", "name": "party_name"})) {
		return
	}
	s.redirect(w, r, caseHref(c.ID)+"#parties", pt.Name+" has been added as "+caseOptionLabel(casework.PartyRoles(), pt.Role))
}
