package web

import "candour/internal/authz"

// caseworkRoutes registers the employee-relations casework routes. The
// casework package decides, case by case, who may see what; the policies
// here only keep out roles that can never take part (administrators see no
// case at all).
func (s *Server) caseworkRoutes(m *authz.Mux) {
	s.caseworkSupportRoutes(m)
}
