package web

import "candour/internal/authz"

// restoreRoutes registers the restore pages. (Being written.)
func (s *Server) restoreRoutes(m *authz.Mux) {}
