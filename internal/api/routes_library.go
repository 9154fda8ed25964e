package api

import "candour/internal/authz"

// libraryRoutes registers the library API. (Being written.)
func (s *Server) libraryRoutes(m *authz.Mux) {}
