package web

import "candour/internal/authz"

// caseworkSupportRoutes registers the pages for wellbeing contacts,
// suspensions and their oversight, casework designations and the stage
// editor.
func (s *Server) caseworkSupportRoutes(m *authz.Mux) {
}
