package api

import "candour/internal/authz"

// actionsRoutes registers the actions API. (Being written.)
func (s *Server) actionsRoutes(m *authz.Mux) {}
