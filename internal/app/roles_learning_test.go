package app_test

import "candour/internal/authz"

// learningAccess says who may reach each learning route. Reading is open to
// every signed-in user at the route, because the owner and participants may
// hold any role; the learning package then lets through only the patient
// safety team, the owner and participants, and answers 404 to everyone else.
// Opening and changing a response is for the patient safety team alone.
func learningAccess() map[string][]authz.Role {
	all := authz.Roles()
	safety := []authz.Role{authz.Safety}
	return map[string][]authz.Role{
		"GET /learning":                                       all,
		"GET /learning/new":                                   safety,
		"POST /learning":                                      safety,
		"GET /learning/{id}":                                  all,
		"POST /learning/{id}/record":                          safety,
		"POST /learning/{id}/engagements":                     safety,
		"POST /learning/{id}/duty-of-candour":                 safety,
		"POST /learning/{id}/status":                          safety,
		"POST /learning/{id}/sign-off":                        safety,
		"GET /api/v1/learning-responses":                      all,
		"POST /api/v1/learning-responses":                     safety,
		"GET /api/v1/learning-responses/{id}":                 all,
		"POST /api/v1/learning-responses/{id}/record":         safety,
		"POST /api/v1/learning-responses/{id}/engagements":    safety,
		"PUT /api/v1/learning-responses/{id}/duty-of-candour": safety,
		"POST /api/v1/learning-responses/{id}/sign-off":       safety,
		"POST /api/v1/learning-responses/{id}/status":         safety,
	}
}
