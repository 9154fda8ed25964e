package app_test

import (
	"candour/internal/authz"
	"candour/internal/casework"
)

// caseworkSupportAccess is part of the route table for employee-relations
// casework: the pages for wellbeing contacts, suspensions, casework
// designations and the stage editor. The casework package then decides case
// by case and suspension by suspension (tested in internal/casework and
// internal/web): a manager reaches the wellbeing page only of a case they
// manage, an executive decides only what waits for them, and only the
// employee relations lead saves stages.
func caseworkSupportAccess() map[string][]authz.Role {
	hr := []authz.Role{authz.HR}
	exec := []authz.Role{authz.Exec}
	admin := []authz.Role{authz.Admin}
	wellbeing := []authz.Role{authz.HR, authz.Manager}
	suspensions := []authz.Role{authz.HR, authz.Exec}
	m := map[string][]authz.Role{
		"GET /cases/{id}/wellbeing":                 wellbeing,
		"POST /cases/{id}/wellbeing":                wellbeing,
		"POST /cases/{id}/wellbeing/{wid}/contacts": wellbeing,
		"GET /cases/{id}/suspensions/new":           hr,
		"POST /cases/{id}/suspensions":              hr,
		"GET /suspensions":                          suspensions,
		"GET /suspensions/{sid}":                    suspensions,
		"POST /suspensions/{sid}/decision":          exec,
		"POST /suspensions/{sid}/review":            hr,
		"POST /suspensions/{sid}/oversight":         exec,
		"GET /admin/casework":                       admin,
		"POST /admin/casework/designations":         admin,
		"POST /admin/casework/designations/remove":  admin,
		"GET /cases/stages":                         hr,
	}
	// The stage editor has one literal path per case type (a wildcard would
	// clash with the case pages' patterns in the router).
	for _, t := range casework.Types() {
		m["GET /cases/stages/"+t.Value] = hr
		m["POST /cases/stages/"+t.Value] = hr
	}
	return m
}
