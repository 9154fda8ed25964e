package api

import "candour/internal/authz"

// restoreRoutes registers the restorative support API with the same access
// rules as the pages: restorative records for the patient safety team only;
// support plans listed and read by anyone signed in, but each plan shown only
// to the staff member it is for, their supporter and the patient safety team
// (404 for anyone else).
func (s *Server) restoreRoutes(m *authz.Mux) {
	safety := authz.AnyOf(authz.Safety)
	signedIn := authz.SignedIn()
	m.HandleFunc("GET /api/v1/restorative-records", safety, s.restoreRecordsList)
	m.HandleFunc("POST /api/v1/restorative-records", safety, s.restoreRecordCreate)
	m.HandleFunc("GET /api/v1/restorative-records/{id}", safety, s.restoreRecordGet)
	m.HandleFunc("POST /api/v1/restorative-records/{id}/needs", safety, s.restoreNeedAdd)
	m.HandleFunc("PUT /api/v1/restorative-records/{id}/needs/{nid}", safety, s.restoreNeedUpdate)
	m.HandleFunc("PUT /api/v1/restorative-records/{id}/goals", safety, s.restoreGoals)

	m.HandleFunc("GET /api/v1/support-plans", signedIn, s.supportPlansList)
	m.HandleFunc("POST /api/v1/support-plans", safety, s.supportPlanCreate)
	m.HandleFunc("GET /api/v1/support-plans/{id}", signedIn, s.supportPlanGet)
	m.HandleFunc("POST /api/v1/support-plans/{id}/check-ins", signedIn, s.supportCheckIn)
	m.HandleFunc("PUT /api/v1/support-plans/{id}/own-view", signedIn, s.supportOwnView)
	m.HandleFunc("POST /api/v1/support-plans/{id}/close", signedIn, s.supportClose)
}
