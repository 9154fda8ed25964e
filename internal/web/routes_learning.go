package web

import "candour/internal/authz"

// learningRoutes registers the learning pages. (Being written.)
func (s *Server) learningRoutes(m *authz.Mux) {}
