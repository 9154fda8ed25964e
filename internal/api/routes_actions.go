package api

import "candour/internal/authz"

// actionsRoutes registers the improvement actions API. Any signed-in user
// lists and reads the actions they own and updates their status and
// evidence; the patient safety team sees every action, adds them, changes
// their details and has the overdue view. The actions package decides per
// record (an action the caller may not see is 404).
func (s *Server) actionsRoutes(m *authz.Mux) {
	signedIn, safety := authz.SignedIn(), authz.AnyOf(authz.Safety)
	m.HandleFunc("GET /api/v1/actions", signedIn, s.actionsList)
	m.HandleFunc("POST /api/v1/actions", safety, s.actionCreate)
	m.HandleFunc("GET /api/v1/actions/overdue", safety, s.actionsOverdue)
	m.HandleFunc("GET /api/v1/actions/{id}", signedIn, s.actionGet)
	m.HandleFunc("PATCH /api/v1/actions/{id}", signedIn, s.actionUpdate)
}
