package app_test

import "candour/internal/authz"

// caseworkAccess is the route table for employee-relations casework: which
// roles get past each route's policy. The casework package then decides case
// by case (tested in internal/casework).
func caseworkAccess() map[string][]authz.Role {
	hr := []authz.Role{authz.HR}
	openers := []authz.Role{authz.HR, authz.Manager}
	takers := []authz.Role{authz.HR, authz.Manager, authz.UnionRep}
	readers := []authz.Role{authz.HR, authz.Manager, authz.UnionRep, authz.Staff}
	signers := []authz.Role{authz.HR, authz.Exec}
	learning := []authz.Role{authz.HR, authz.Exec, authz.UnionRep}
	return map[string][]authz.Role{
		"GET /cases":                            takers,
		"GET /cases/new":                        openers,
		"POST /cases":                           openers,
		"GET /cases/learning":                   learning,
		"GET /cases/sign-off":                   signers,
		"GET /my-cases":                         authz.Roles(),
		"GET /cases/{id}":                       readers,
		"POST /cases/{id}/assign":               hr,
		"POST /cases/{id}/employee-access":      hr,
		"POST /cases/{id}/representative":       hr,
		"POST /cases/{id}/parties":              hr,
		"POST /cases/{id}/parties/{pid}/remove": hr,
		"POST /cases/{id}/entries":              takers,
		"POST /cases/{id}/documents":            takers,
		"GET /cases/{id}/documents/{did}":       readers,
		"POST /cases/{id}/stage":                hr,
		"GET /cases/{id}/checklist":             hr,
		"POST /cases/{id}/checklist":            hr,
		"GET /cases/{id}/formal":                signers,
		"POST /cases/{id}/formal":               hr,
		"POST /cases/{id}/signoff":              signers,
		"GET /cases/{id}/close":                 hr,
		"POST /cases/{id}/close":                hr,
	}
}
