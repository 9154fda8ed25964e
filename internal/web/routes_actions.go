package web

import "candour/internal/authz"

// actionsRoutes registers the improvement action pages. Everyone signed in
// has "my actions" and the page of an action they own; the patient safety
// team sees every action, the overdue view, and adds and edits actions. Which
// action a person may see or change is decided per record by the actions
// package.
func (s *Server) actionsRoutes(m *authz.Mux) {
	signedIn, safety := authz.SignedIn(), authz.AnyOf(authz.Safety)
	m.HandleFunc("GET /actions", signedIn, s.actionsList)
	m.HandleFunc("GET /actions/overdue", safety, s.actionsOverdue)
	m.HandleFunc("GET /actions/new", safety, s.actionNew)
	m.HandleFunc("POST /actions", safety, s.actionCreate)
	m.HandleFunc("GET /actions/{id}", signedIn, s.actionShow)
	m.HandleFunc("POST /actions/{id}/status", signedIn, s.actionStatus)
	m.HandleFunc("GET /actions/{id}/edit", safety, s.actionEdit)
	m.HandleFunc("POST /actions/{id}", safety, s.actionUpdate)
}
