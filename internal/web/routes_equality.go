package web

import "candour/internal/authz"

// equalityRoutes registers the equality measures (WRES indicator 3, WDES
// metric 3), the board's oversight view and the partnership view.
func (s *Server) equalityRoutes(m *authz.Mux) {
}
