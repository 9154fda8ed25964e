package app_test

import "candour/internal/authz"

// restoreAccess says who may reach each restore route. Restorative records
// are the patient safety team's alone. Support plans are reachable by anyone
// signed in, because the staff member and their supporter may hold any role;
// the restore package then shows each plan only to the staff member, their
// supporter and the patient safety team (TestSupportPlanVisibility).
func restoreAccess() map[string][]authz.Role {
	all := authz.Roles()
	safety := []authz.Role{authz.Safety}
	return map[string][]authz.Role{
		"GET /restore":                                     safety,
		"GET /restore/new":                                 safety,
		"POST /restore":                                    safety,
		"GET /restore/{id}":                                safety,
		"POST /restore/{id}/needs":                         safety,
		"GET /restore/{id}/needs/{nid}":                    safety,
		"POST /restore/{id}/needs/{nid}":                   safety,
		"POST /restore/{id}/goals":                         safety,
		"GET /support":                                     all,
		"GET /support/new":                                 safety,
		"POST /support":                                    safety,
		"GET /support/{id}":                                all,
		"POST /support/{id}/check-ins":                     all,
		"POST /support/{id}/own-view":                      all,
		"POST /support/{id}/close":                         all,
		"GET /api/v1/restorative-records":                  safety,
		"POST /api/v1/restorative-records":                 safety,
		"GET /api/v1/restorative-records/{id}":             safety,
		"POST /api/v1/restorative-records/{id}/needs":      safety,
		"PUT /api/v1/restorative-records/{id}/needs/{nid}": safety,
		"PUT /api/v1/restorative-records/{id}/goals":       safety,
		"GET /api/v1/support-plans":                        all,
		"POST /api/v1/support-plans":                       safety,
		"GET /api/v1/support-plans/{id}":                   all,
		"POST /api/v1/support-plans/{id}/check-ins":        all,
		"PUT /api/v1/support-plans/{id}/own-view":          all,
		"POST /api/v1/support-plans/{id}/close":            all,
	}
}
