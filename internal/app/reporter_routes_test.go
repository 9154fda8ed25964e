package app_test

import (
	"slices"
	"strings"
	"testing"

	"candour/internal/app"
	"candour/internal/app/apptest"
	"candour/internal/authz"
)

// Every route open to people who are not signed in is one an anonymous
// reporter may use, so the request log must leave it out, but for the few
// pages that are the same for everyone; and the log leaves out nothing
// else but a signed-in reporter's own. A public route added later without
// being quiet fails here, instead of logging reporters to the millisecond.
func TestPublicRoutesAreQuietInTheLog(t *testing.T) {
	sameForEveryone := []string{"GET /static/", "GET /{$}", "GET /accessibility", "GET /privacy", "GET /sign-in", "POST /sign-in",
		"/", "/api/", "GET /api/v1/openapi.json"}
	e := apptest.NewSQLite(t)
	access := expectedAccess()
	for _, route := range append(e.App.Web.Routes(), e.App.API.Routes()...) {
		public := slices.Contains(access[route.Pattern], authz.Role("anonymous"))
		ownReports := strings.Contains(route.Pattern, " /my-reports") || strings.Contains(route.Pattern, " /api/v1/my-reports")
		switch {
		case public && !slices.Contains(sameForEveryone, route.Pattern) && !app.ReporterRoute(route.Pattern):
			t.Errorf("%s is open to anyone but logged with its time; make it quiet (reporterRoute)", route.Pattern)
		case !public && !ownReports && app.ReporterRoute(route.Pattern):
			t.Errorf("%s is left out of the log but is not a reporter's route", route.Pattern)
		case ownReports && !app.ReporterRoute(route.Pattern):
			t.Errorf("%s is a signed-in reporter's route but logged with its time", route.Pattern)
		}
	}
}
