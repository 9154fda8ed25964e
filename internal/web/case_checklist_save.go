package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// caseChecklistSave saves the pre-formal checklist. A change after sign-off
// clears the sign-off: the second person signed what they read.
func (s *Server) caseChecklistSave(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	p := authz.PrincipalFrom(r.Context())
	k, err := s.Cases.Checklist(r.Context(), p, c.ID)
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("facts_gathered", err.Error())
		s.renderCaseChecklist(w, r, http.StatusBadRequest, c, k, f)
		return
	}
	var errs validate.Errors
	in := casework.ChecklistInput{
		FactsGathered:          f.Get("facts_gathered") == "yes",
		FactsSummary:           f.Get("facts_summary"),
		EmployeeAccountHeard:   f.Get("employee_account_heard") == "yes",
		Allegations:            f.Get("allegations"),
		AlternativesConsidered: f.Get("alternatives_considered"),
		InvestigatorConflicts:  f.Get("investigator_conflicts"),
		DecisionMakerConflicts: f.Get("decision_maker_conflicts"),
		ConflictsDeclared:      f.Get("conflicts_declared") == "yes",
		WellbeingContact:       f.Get("wellbeing_contact"),
		UnionRepOffered:        f.Get("union_rep_offered") == "yes",
	}
	in.EmployeeAccountOn = caseFormDate(&errs, f, "employee_account_on", "The date you heard their account", false)
	in.UnionRepOfferedOn = caseFormDate(&errs, f, "union_rep_offered_on", "The date a representative was offered", false)
	if len(errs) > 0 {
		f.Errors = caseChecklistFields.errors(errs)
		s.renderCaseChecklist(w, r, http.StatusUnprocessableEntity, c, k, f)
		return
	}
	err = s.Cases.SaveChecklist(r.Context(), p, c.ID, in)
	if errs, ok := validate.As(err); ok {
		f.Errors = caseChecklistFields.errors(errs)
		s.renderCaseChecklist(w, r, http.StatusUnprocessableEntity, c, k, f)
		return
	}
	if msg, ok := caseConflict(err); ok {
		f.Errors = validate.Errors{{Field: "facts_gathered", Message: msg}}
		s.renderCaseChecklist(w, r, http.StatusConflict, c, k, f)
		return
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	msg := "The checklist has been saved"
	if k.SignoffBy != 0 {
		if after, err := s.Cases.Checklist(r.Context(), p, c.ID); err == nil && after.SignoffBy == 0 {
			msg += ". The sign-off has been cleared, so it needs signing off again"
		}
	}
	s.redirect(w, r, caseHref(c.ID)+"#before-formal", msg)
}
