package app_test

import "candour/internal/authz"

// equalityAccess is the route table for the equality measures, the board's
// oversight view and the partnership view. The measures and the oversight
// view are for HR and executives; the submission exports, which carry the
// real counts, for HR alone. Every union representative gets past the
// partnership route's policy, but the handler shows the page only to the
// staff-side lead (and HR) and answers "page not found" to the rest
// (TestPartnershipPage in internal/web). Admins see none of it.
func equalityAccess() map[string][]authz.Role {
	board := []authz.Role{authz.HR, authz.Exec}
	hr := []authz.Role{authz.HR}
	return map[string][]authz.Role{
		"GET /equality":              board,
		"GET /equality/wres3.csv":    hr,
		"GET /equality/wdes3.csv":    hr,
		"GET /oversight":             board,
		"GET /oversight.csv":         board,
		"GET /partnership":           {authz.UnionRep, authz.HR},
		"GET /api/v1/equality/wres3": board,
		"GET /api/v1/equality/wdes3": board,
		"GET /api/v1/oversight":      board,
	}
}
