package api

import (
	"candour/internal/authz"
	"candour/internal/equality"
)

// equalityRoutes registers the equality measures (WRES indicator 3, WDES
// metric 3) and the board's oversight view, with the same access as the
// pages: HR and executives, small numbers suppressed. The unsuppressed
// submission export is a page download for HR only, not part of the API.
func (s *Server) equalityRoutes(m *authz.Mux) {
	board := authz.AnyOf(authz.HR, authz.Exec)
	m.HandleFunc("GET /api/v1/equality/wres3", board, s.equalityMeasure(equality.WRES3))
	m.HandleFunc("GET /api/v1/equality/wdes3", board, s.equalityMeasure(equality.WDES3))
	m.HandleFunc("GET /api/v1/oversight", board, s.oversightGet)
}
