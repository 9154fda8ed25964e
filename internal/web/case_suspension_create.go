package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// caseSuspensionFields are the inputs of the proposal form, in page order.
var caseSuspensionFields = cwsFields{
	Order: []string{"kind", "reason", "alt_redeployment", "alt_modified_duties", "alt_supervision", "alt_other", "starts_on", "review_on"},
	Dates: map[string]bool{"starts_on": true, "review_on": true}, Fallback: "kind"}

// caseSuspensionCreate proposes a suspension or exclusion; it waits for two
// executives to agree.
func (s *Server) caseSuspensionCreate(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadSuspensionCase(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("kind", err.Error())
		s.renderCaseSuspensionNew(w, r, http.StatusBadRequest, c, f)
		return
	}
	var pre validate.Errors
	fields := caseSuspensionFields
	in := casework.SuspensionInput{Kind: f.Get("kind"), Reason: f.Get("reason"), AltRedeployment: f.Get("alt_redeployment"),
		AltModifiedDuties: f.Get("alt_modified_duties"), AltSupervision: f.Get("alt_supervision"), AltOther: f.Get("alt_other"),
		StartsOn: fields.date(&pre, f, "starts_on", "The start date"), ReviewOn: fields.date(&pre, f, "review_on", "The review date")}
	sp, err := s.Cases.ProposeSuspension(r.Context(), authz.PrincipalFrom(r.Context()), c.ID, in)
	if errs, ok := validate.As(err); ok {
		f.Errors = fields.errors(cwsMerge(errs, pre))
		s.renderCaseSuspensionNew(w, r, http.StatusUnprocessableEntity, c, f)
		return
	}
	if msg, ok := cwsConflict(err); ok {
		f.Errors = validate.Errors{{Field: "kind", Message: msg}}
		s.renderCaseSuspensionNew(w, r, http.StatusConflict, c, f)
		return
	}
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	s.redirect(w, r, suspensionHref(sp.ID), casework.SuspensionKindLabel(sp.Kind)+" proposed. The executives have been asked to decide")
}
