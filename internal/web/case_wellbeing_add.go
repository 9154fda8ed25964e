package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// caseWellbeingAddFields are the inputs of the form that names a wellbeing
// contact, in page order.
var caseWellbeingAddFields = cwsFields{Order: []string{"party", "contact", "frequency_days"}, Fallback: "party"}

// caseWellbeingAdd names a wellbeing contact for the employee or a witness.
func (s *Server) caseWellbeingAdd(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadWellbeingCase(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("party", err.Error())
		s.renderCaseWellbeing(w, r, http.StatusBadRequest, c, f)
		return
	}
	party := f.Get("party")
	if party == "employee" {
		party = ""
	}
	wb, err := s.Cases.AddWellbeing(r.Context(), authz.PrincipalFrom(r.Context()), c.ID, casework.WellbeingInput{
		Party: party, Contact: f.Get("contact"), FrequencyDays: f.Get("frequency_days")})
	if errs, ok := validate.As(err); ok {
		f.Errors = caseWellbeingAddFields.errors(errs)
		s.renderCaseWellbeing(w, r, http.StatusUnprocessableEntity, c, f)
		return
	}
	if msg, ok := cwsConflict(err); ok {
		f.Errors = validate.Errors{{Field: "party", Message: msg}}
		s.renderCaseWellbeing(w, r, http.StatusConflict, c, f)
		return
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	s.redirect(w, r, caseWellbeingHref(c.ID)+"#wellbeing-"+idString(wb.ID),
		wb.ContactName+" is now the wellbeing contact for "+wb.ForName+". They have been told")
}
