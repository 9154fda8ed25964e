package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// caseEntryAdd adds a meeting, note, update, reason for delay, decision or
// occupational health referral to a case's timeline. A representative adds
// notes for HR.
func (s *Server) caseEntryAdd(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	f, ok := s.caseFormRead(w, r, c, caseEntryFields)
	if !ok {
		return
	}
	var errs validate.Errors
	on := caseFormDate(&errs, f, "occurred_on", "The date it happened", true)
	if len(errs) > 0 {
		f.Errors = errs
		s.renderCase(w, r, http.StatusUnprocessableEntity, c, f)
		return
	}
	_, err := s.Cases.AddEntry(r.Context(), authz.PrincipalFrom(r.Context()), c.ID, casework.EntryInput{
		Kind: f.Get("kind"), OccurredOn: on, Title: f.Get("title"), Body: f.Get("body"), VisibleToEmployee: f.Get("visible") == "yes"})
	if s.caseFormFailed(w, r, c, f, caseEntryFields, caseRenameFields(err, map[string]string{"visible_to_employee": "visible"})) {
		return
	}
	s.redirect(w, r, caseHref(c.ID)+"#timeline", "Added to the timeline")
}
