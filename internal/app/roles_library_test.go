package app_test

import "candour/internal/authz"

// libraryAccess says who may reach each library route: everyone signed in
// reads, searches and marks lessons as read; the patient safety team writes,
// publishes and sends them and sees who read them; similar events belong to
// a report's handlers.
func libraryAccess() map[string][]authz.Role {
	all := authz.Roles()
	safety := []authz.Role{authz.Safety}
	handlers := []authz.Role{authz.Safety, authz.Guardian}
	return map[string][]authz.Role{
		"GET /library":                      all,
		"GET /library/new":                  safety,
		"POST /library":                     safety,
		"GET /library/{id}":                 all,
		"GET /library/{id}/edit":            safety,
		"POST /library/{id}":                safety,
		"POST /library/{id}/publish":        safety,
		"POST /library/{id}/read":           all,
		"GET /library/{id}/send":            safety,
		"POST /library/{id}/send":           safety,
		"GET /library/{id}/reads":           safety,
		"GET /search":                       all,
		"GET /reports/{id}/similar":         handlers,
		"GET /api/v1/lessons":               all,
		"POST /api/v1/lessons":              safety,
		"POST /api/v1/lessons/similar":      all,
		"GET /api/v1/lessons/{id}":          all,
		"PUT /api/v1/lessons/{id}":          safety,
		"POST /api/v1/lessons/{id}/publish": safety,
		"POST /api/v1/lessons/{id}/read":    all,
		"POST /api/v1/lessons/{id}/send":    safety,
		"GET /api/v1/lessons/{id}/reads":    safety,
		"GET /api/v1/search":                all,
		"GET /api/v1/reports/{id}/similar":  handlers,
	}
}
