package app

import "strings"

// reporterRoute reports whether pattern (a route as "METHOD /path") is one
// that people raising or following up a report use: the report forms, the
// follow-up pages and My reports, and their API endpoints. The request log
// leaves these out (httpx.Log), so that it cannot say when an anonymous
// report arrived or its reporter came back. The team's own routes under
// /reports are logged as usual.
func reporterRoute(pattern string) bool {
	_, path, _ := strings.Cut(pattern, " ")
	if pattern == "POST /api/v1/reports" {
		return true
	}
	for _, p := range []string{"/report", "/follow-up", "/my-reports", "/api/v1/followup", "/api/v1/my-reports"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}
