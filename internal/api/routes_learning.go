package api

import "candour/internal/authz"

// learningRoutes registers the learning API. (Being written.)
func (s *Server) learningRoutes(m *authz.Mux) {}
