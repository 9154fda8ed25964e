package web

import "candour/internal/authz"

// libraryRoutes registers the library pages. (Being written.)
func (s *Server) libraryRoutes(m *authz.Mux) {}
