package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// caseWellbeingContact logs a contact with the person a wellbeing contact
// looks after.
func (s *Server) caseWellbeingContact(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadWellbeingCase(w, r)
	if !ok {
		return
	}
	wid, ok := pathID(r, "wid")
	if !ok {
		s.notFound(w, r)
		return
	}
	fields := cwsFields{Prefix: caseWellbeingPrefix(wid), Order: []string{"contacted_on", "method", "notes", "oh_referral"},
		Dates: map[string]bool{"contacted_on": true}, Fallback: "contacted_on-day"}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add(fields.Prefix+"contacted_on-day", err.Error())
		s.renderCaseWellbeing(w, r, http.StatusBadRequest, c, f)
		return
	}
	var pre validate.Errors
	in := casework.ContactInput{ContactedOn: fields.date(&pre, f, "contacted_on", "The date you were in touch"),
		Method: f.Get(fields.Prefix + "method"), Notes: f.Get(fields.Prefix + "notes"),
		OHReferral: f.Has(fields.Prefix+"oh_referral", "yes")}
	err = s.Cases.LogContact(r.Context(), authz.PrincipalFrom(r.Context()), c.ID, wid, in)
	if errs, ok := validate.As(err); ok {
		f.Errors = fields.errors(cwsMerge(errs, pre))
		s.renderCaseWellbeing(w, r, http.StatusUnprocessableEntity, c, f)
		return
	}
	if msg, ok := cwsConflict(err); ok {
		// The contact may have ended, and its form gone with it: the
		// problem points at the contact's section, which is always shown.
		f.Errors = validate.Errors{{Field: "wellbeing-" + idString(wid), Message: msg}}
		s.renderCaseWellbeing(w, r, http.StatusConflict, c, f)
		return
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	s.redirect(w, r, caseWellbeingHref(c.ID)+"#wellbeing-"+idString(wid), "Contact logged")
}
