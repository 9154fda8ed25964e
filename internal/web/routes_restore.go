package web

import "candour/internal/authz"

// restoreRoutes registers the restorative support pages. Restorative records
// are the patient safety team's alone. Support plans are listed and read by
// anyone signed in, but the restore package shows each plan only to the
// staff member it is for, their supporter and the patient safety team;
// everyone else gets "page not found".
func (s *Server) restoreRoutes(m *authz.Mux) {
	safety := authz.AnyOf(authz.Safety)
	signedIn := authz.SignedIn()
	m.HandleFunc("GET /restore", safety, s.restoreList)
	m.HandleFunc("GET /restore/new", safety, s.restoreNew)
	m.HandleFunc("POST /restore", safety, s.restoreCreate)
	m.HandleFunc("GET /restore/{id}", safety, s.restoreShow)
	m.HandleFunc("POST /restore/{id}/needs", safety, s.restoreNeedAdd)
	m.HandleFunc("GET /restore/{id}/needs/{nid}", safety, s.restoreNeedEdit)
	m.HandleFunc("POST /restore/{id}/needs/{nid}", safety, s.restoreNeedUpdate)
	m.HandleFunc("POST /restore/{id}/goals", safety, s.restoreGoals)

	m.HandleFunc("GET /support", signedIn, s.supportList)
	m.HandleFunc("GET /support/new", safety, s.supportNew)
	m.HandleFunc("POST /support", safety, s.supportCreate)
	m.HandleFunc("GET /support/{id}", signedIn, s.supportShow)
	m.HandleFunc("POST /support/{id}/check-ins", signedIn, s.supportCheckIn)
	m.HandleFunc("POST /support/{id}/own-view", signedIn, s.supportOwnView)
	m.HandleFunc("POST /support/{id}/close", signedIn, s.supportClose)
}
