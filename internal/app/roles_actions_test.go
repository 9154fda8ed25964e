package app_test

import "candour/internal/authz"

// actionsAccess says who may reach each actions route. Everyone signed in
// reaches "my actions" and the actions they own (others are 404 from the
// actions package); the patient safety team alone adds, edits and sees the
// overdue view.
func actionsAccess() map[string][]authz.Role {
	all := authz.Roles()
	safety := []authz.Role{authz.Safety}
	return map[string][]authz.Role{
		"GET /actions":                all,
		"GET /actions/overdue":        safety,
		"GET /actions/new":            safety,
		"POST /actions":               safety,
		"GET /actions/{id}":           all,
		"POST /actions/{id}/status":   all,
		"GET /actions/{id}/edit":      safety,
		"POST /actions/{id}":          safety,
		"GET /api/v1/actions":         all,
		"POST /api/v1/actions":        safety,
		"GET /api/v1/actions/overdue": safety,
		"GET /api/v1/actions/{id}":    all,
		"PATCH /api/v1/actions/{id}":  all,
	}
}
