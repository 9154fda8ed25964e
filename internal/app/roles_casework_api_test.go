package app_test

import "candour/internal/authz"

// caseworkAPIAccess is the route table for the casework API: which roles get
// past each route's policy. No route lets an administrator in (they see no
// case), and executives reach only the sign-off, suspensions and the
// learning log. The casework package then decides case by case: a union
// representative sees only the case of the member who asked for them, the
// employee only their own (tested in internal/api/casework_test.go and
// internal/casework).
func caseworkAPIAccess() map[string][]authz.Role {
	hr := []authz.Role{authz.HR}
	openers := []authz.Role{authz.HR, authz.Manager}
	listers := []authz.Role{authz.HR, authz.Manager, authz.UnionRep}
	readers := []authz.Role{authz.HR, authz.Manager, authz.UnionRep, authz.Staff}
	seniors := []authz.Role{authz.HR, authz.Exec}
	exec := []authz.Role{authz.Exec}
	return map[string][]authz.Role{
		"POST /api/v1/cases":                               openers,
		"GET /api/v1/cases":                                listers,
		"GET /api/v1/cases/learning":                       {authz.HR, authz.Exec, authz.UnionRep},
		"GET /api/v1/cases/{id}":                           readers,
		"POST /api/v1/cases/{id}/assign":                   hr,
		"POST /api/v1/cases/{id}/representative":           hr,
		"POST /api/v1/cases/{id}/employee-access":          hr,
		"GET /api/v1/cases/{id}/checklist":                 hr,
		"PUT /api/v1/cases/{id}/checklist":                 hr,
		"GET /api/v1/cases/{id}/preconditions":             seniors,
		"POST /api/v1/cases/{id}/signoff":                  seniors,
		"POST /api/v1/cases/{id}/formal":                   hr,
		"GET /api/v1/cases/{id}/stages":                    readers,
		"POST /api/v1/cases/{id}/stage":                    hr,
		"GET /api/v1/cases/{id}/parties":                   hr,
		"POST /api/v1/cases/{id}/parties":                  hr,
		"DELETE /api/v1/cases/{id}/parties/{pid}":          hr,
		"GET /api/v1/cases/{id}/entries":                   readers,
		"POST /api/v1/cases/{id}/entries":                  readers,
		"POST /api/v1/cases/{id}/close":                    hr,
		"GET /api/v1/cases/{id}/wellbeing":                 openers,
		"POST /api/v1/cases/{id}/wellbeing":                openers,
		"POST /api/v1/cases/{id}/wellbeing/{wid}/contacts": openers,
		"POST /api/v1/cases/{id}/suspensions":              hr,
		"GET /api/v1/suspensions":                          seniors,
		"GET /api/v1/suspensions/{sid}":                    seniors,
		"POST /api/v1/suspensions/{sid}/approvals":         exec,
		"POST /api/v1/suspensions/{sid}/reviews":           hr,
		"POST /api/v1/suspensions/{sid}/oversight":         exec,
	}
}
