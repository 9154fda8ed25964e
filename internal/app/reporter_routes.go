package app

import "strings"

// reporterRoute reports whether pattern (a route as "METHOD /path") is one
// that people raising or following up a report use: the report forms, the
// follow-up pages and My reports, and their API endpoints. The request log
// leaves these out (httpx.Log), so that it cannot say when an anonymous
// report arrived or its reporter came back. The team's own routes under
// /reports are logged as usual. TestPublicRoutesAreQuietInTheLog holds
// this list to the route table: every public route but the pages that are
// the same for everyone must be here.
func reporterRoute(pattern string) bool {
	_, path, _ := strings.Cut(pattern, " ")
	switch pattern {
	case "POST /api/v1/reports",
		// The lists an anonymous report is written against: a ward kiosk
		// fetches them just before it sends one.
		"GET /api/v1/sites", "GET /api/v1/departments", "GET /api/v1/staff-groups":
		return true
	}
	for _, p := range []string{"/report", "/follow-up", "/my-reports", "/api/v1/followup", "/api/v1/my-reports"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}
