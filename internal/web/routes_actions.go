package web

import "candour/internal/authz"

// actionsRoutes registers the actions pages. (Being written.)
func (s *Server) actionsRoutes(m *authz.Mux) {}
