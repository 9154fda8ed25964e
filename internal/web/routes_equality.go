package web

import (
	"candour/internal/authz"
	"candour/internal/equality"
)

// equalityRoutes registers the equality measures (WRES indicator 3, WDES
// metric 3), the board's oversight view and the partnership view. All show
// aggregates with small numbers suppressed; only the submission exports,
// which carry the real counts for the national returns, are HR's alone. The
// partnership route lets every union representative through, and the
// handler then answers "page not found" to all but the staff-side lead.
func (s *Server) equalityRoutes(m *authz.Mux) {
	board := authz.AnyOf(authz.HR, authz.Exec)
	hr := authz.AnyOf(authz.HR)
	m.HandleFunc("GET /equality", board, s.equalityShow)
	m.HandleFunc("GET /equality/wres3.csv", hr, s.equalityCSV(equality.WRES3))
	m.HandleFunc("GET /equality/wdes3.csv", hr, s.equalityCSV(equality.WDES3))
	m.HandleFunc("GET /oversight", board, s.oversightShow)
	m.HandleFunc("GET /oversight.csv", board, s.oversightCSV)
	m.HandleFunc("GET /partnership", authz.AnyOf(authz.UnionRep, authz.HR), s.partnershipShow)
}
