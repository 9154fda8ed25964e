package api

import "candour/internal/authz"

// restoreRoutes registers the restore API. (Being written.)
func (s *Server) restoreRoutes(m *authz.Mux) {}
