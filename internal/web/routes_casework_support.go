package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
)

// caseworkSupportRoutes registers the pages for wellbeing contacts,
// suspensions and their oversight, casework designations and the stage
// editor. The casework package decides, case by case and suspension by
// suspension, who may see and do what; these policies only keep out roles
// that can never take part.
func (s *Server) caseworkSupportRoutes(m *authz.Mux) {
	hr := authz.AnyOf(authz.HR)
	exec := authz.AnyOf(authz.Exec)
	admin := authz.AnyOf(authz.Admin)
	// Wellbeing is looked after by the case's HR handlers and its manager.
	wellbeing := authz.AnyOf(authz.HR, authz.Manager)
	// Suspensions are read by the HR handlers of the case and by
	// executives: those who decide and the non-executive reviewer.
	suspensions := authz.AnyOf(authz.HR, authz.Exec)

	m.HandleFunc("GET /cases/{id}/wellbeing", wellbeing, s.caseWellbeingShow)
	m.HandleFunc("POST /cases/{id}/wellbeing", wellbeing, s.caseWellbeingAdd)
	m.HandleFunc("POST /cases/{id}/wellbeing/{wid}/contacts", wellbeing, s.caseWellbeingContact)

	m.HandleFunc("GET /cases/{id}/suspensions/new", hr, s.caseSuspensionNew)
	m.HandleFunc("POST /cases/{id}/suspensions", hr, s.caseSuspensionCreate)
	m.HandleFunc("GET /suspensions", suspensions, s.suspensionList)
	m.HandleFunc("GET /suspensions/{sid}", suspensions, s.suspensionShow)
	m.HandleFunc("POST /suspensions/{sid}/decision", exec, s.suspensionDecide)
	m.HandleFunc("POST /suspensions/{sid}/review", hr, s.suspensionReview)
	m.HandleFunc("POST /suspensions/{sid}/oversight", exec, s.suspensionOversight)

	m.HandleFunc("GET /admin/casework", admin, s.caseworkAdminShow)
	m.HandleFunc("POST /admin/casework/designations", admin, s.caseworkAdminDesignate)
	m.HandleFunc("POST /admin/casework/designations/remove", admin, s.caseworkAdminUndesignate)

	m.HandleFunc("GET /cases/stages", hr, s.caseStagesList)
	// The editor has one literal path per case type: a wildcard here
	// ("/cases/stages/{type}") would clash in the router with the case
	// pages' "/cases/{id}/..." patterns, since neither is more specific.
	for _, t := range casework.Types() {
		typ := casework.Type(t.Value)
		m.HandleFunc("GET "+caseStagesHref(typ), hr, func(w http.ResponseWriter, r *http.Request) { s.caseStagesEdit(w, r, typ) })
		m.HandleFunc("POST "+caseStagesHref(typ), hr, func(w http.ResponseWriter, r *http.Request) { s.caseStagesSave(w, r, typ) })
	}
}
